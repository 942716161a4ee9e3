package ecs

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// TestTaskStateChangeJSON: AppendJSON writes what encoding/json writes,
// for random changes with awkward strings, so traces hash the same
// whichever encoder ran.
func TestTaskStateChangeJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"", "RUNNING", "a\"b", "<tag>&", "日本", "\x01\n\b\f", "\xff", "x\u2028y", "Essential container in task exited"}
	pick := func() string { return words[r.IntN(len(words))] }
	when := func() EventTime {
		if r.IntN(3) == 0 {
			return 0
		}
		return EventTime(sim.Time(r.Int64N(int64(1) << 50)))
	}
	for range 3000 {
		d := &TaskStateChange{
			AvailabilityZone: pick(), CapacityProviderName: pick(), ClusterArn: pick(), Connectivity: pick(), ConnectivityAt: when(),
			ContainerInstanceArn: pick(), Cpu: pick(), CreatedAt: when(), DesiredStatus: pick(), ExecutionStoppedAt: when(),
			Group: pick(), HealthStatus: pick(), LastStatus: pick(), LaunchType: pick(), Memory: pick(), PlatformVersion: pick(),
			PullStartedAt: when(), PullStoppedAt: when(), StartedAt: when(), StartedBy: pick(), StopCode: pick(), StoppedAt: when(),
			StoppedReason: pick(), StoppingAt: when(), TaskArn: pick(), TaskDefinitionArn: pick(), UpdatedAt: when(),
			Version: r.Int64N(1 << 40),
		}
		if r.IntN(2) == 0 {
			// As for a task, created when it connects; now and then
			// past the years the fast formatter writes.
			if r.IntN(4) == 0 {
				d.ConnectivityAt = EventTime(sim.Time(math.MaxInt64 - r.Int64N(1<<62)))
			}
			d.CreatedAt = d.ConnectivityAt
		}
		if r.IntN(2) == 0 {
			ov, err := json.Marshal(TaskOverride{ContainerOverrides: []ContainerOverride{{Name: ptrTo(pick())}}, Cpu: ptrTo(pick())})
			require.NoError(t, err)
			d.Overrides = ov
		}
		if r.IntN(4) > 0 {
			d.Attachments = make([]EventAttachment, r.IntN(2))
			for i := range d.Attachments {
				d.Attachments[i] = EventAttachment{Id: pick(), Type: pick(), Status: pick()}
				if r.IntN(4) > 0 {
					d.Attachments[i].Details = make([]EventDetail, r.IntN(4))
					for j := range d.Attachments[i].Details {
						d.Attachments[i].Details[j] = EventDetail{Name: pick(), Value: pick()}
					}
				}
			}
		}
		if r.IntN(5) > 0 {
			d.Containers = make([]ContainerState, r.IntN(3))
			for i := range d.Containers {
				c := ContainerState{ContainerArn: pick(), Cpu: pick(), HealthStatus: pick(), Image: pick(), LastStatus: pick(),
					Memory: pick(), Name: pick(), Reason: pick(), RuntimeId: pick(), TaskArn: pick()}
				if r.IntN(2) == 0 {
					code := int32(r.IntN(300)) - 10
					c.ExitCode = &code
				}
				for range r.IntN(3) {
					c.NetworkBindings = append(c.NetworkBindings, NetworkBinding{BindIP: pick(), ContainerPort: r.Int32N(70000), HostPort: r.Int32N(70000), Protocol: pick()})
				}
				for range r.IntN(2) {
					c.NetworkInterfaces = append(c.NetworkInterfaces, EventNetworkInterface{AttachmentId: pick(), PrivateIpv4Address: pick()})
				}
				d.Containers[i] = c
			}
		}
		want, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(d.AppendJSON(nil)))
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestEventTimeFormat: event times are written as EventBridge writes
// them, ISO 8601 with milliseconds in UTC.
func TestEventTimeFormat(t *testing.T) {
	b, err := json.Marshal(EventTime(sim.Time(7251 * 1e6)))
	require.NoError(t, err)
	require.Equal(t, `"`+sim.Time(7251*1e6).Time().UTC().Format("2006-01-02T15:04:05.000Z")+`"`, string(b))
	require.Regexp(t, `^"\d{4}-\d\d-\d\dT\d\d:\d\d:07\.251Z"$`, string(b))
}

// TestServiceDetailsJSON: the service event, service action and
// deployment details encode themselves as encoding/json does.
func TestServiceDetailsJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"", "SERVICE_STEADY_STATE", "a\"b", "<tag>&", "日本", "\x01\n\b\f", "\xff", "x\u2028y", "(service web) has reached a steady state."}
	pick := func() string { return words[r.IntN(len(words))] }
	for range 1000 {
		for _, d := range []interface {
			AppendJSON([]byte) []byte
		}{
			ServiceEventDetail{Message: pick()},
			ServiceAction{EventType: pick(), EventName: pick(), ClusterArn: pick(), CreatedAt: pick()},
			DeploymentStateChange{EventType: pick(), EventName: pick(), DeploymentId: pick(), UpdatedAt: pick(), Reason: pick()},
		} {
			want, err := json.Marshal(d)
			require.NoError(t, err)
			require.Equal(t, string(want), string(d.AppendJSON([]byte("x"))[1:]))
		}
	}
}
