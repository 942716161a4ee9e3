package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

const (
	clusterArn = "arn:aws:ecs:us-east-1:123456789012:cluster/demo"
	serviceArn = "arn:aws:ecs:us-east-1:123456789012:service/demo/web"
	taskArn    = "arn:aws:ecs:us-east-1:123456789012:task/demo/6ef8da2e0a1b4c5d8e9f00112233aabb"
	tdArn      = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"
)

var start = sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))

// trace records events through a real sim.Trace, so that records carry
// their canonical lines, and returns them.
func trace(events ...sim.Event) []sim.Record {
	tr := sim.NewTrace()
	for _, ev := range events {
		tr.Record(ev)
	}
	return tr.Records()
}

func at(d time.Duration) sim.Time { return start.Add(d) }

func taskEvent(d time.Duration, status, health string, mod func(*ecs.TaskStateChange)) sim.Event {
	tsc := &ecs.TaskStateChange{
		ClusterArn: clusterArn, TaskArn: taskArn, TaskDefinitionArn: tdArn, Group: "service:web",
		LaunchType: "FARGATE", AvailabilityZone: "us-east-1a", LastStatus: status, DesiredStatus: "RUNNING",
		HealthStatus: health, Containers: []ecs.ContainerState{{Name: "web", LastStatus: status, HealthStatus: health}},
	}
	if mod != nil {
		mod(tsc)
	}
	return sim.Event{Time: at(d), Type: ecs.EventTaskStateChange, Source: ecs.SourceECS, Resources: []string{taskArn}, Detail: tsc}
}

func serviceEvent(d time.Duration, msg string) sim.Event {
	return sim.Event{Time: at(d), Type: TypeServiceEvent, Source: "ecssim", Resources: []string{serviceArn}, Detail: ecs.ServiceEventDetail{Message: msg}}
}

func deploymentEvent(d time.Duration, name, reason string) sim.Event {
	return sim.Event{Time: at(d), Type: ecs.EventDeploymentStateChange, Source: ecs.SourceECS, Resources: []string{serviceArn},
		Detail: ecs.DeploymentStateChange{EventType: "INFO", EventName: name, DeploymentId: "ecs-svc/123", Reason: reason}}
}

func steadyEvent(d time.Duration) sim.Event {
	return sim.Event{Time: at(d), Type: ecs.EventServiceAction, Source: ecs.SourceECS, Resources: []string{serviceArn},
		Detail: ecs.ServiceAction{EventType: "INFO", EventName: "SERVICE_STEADY_STATE", ClusterArn: clusterArn}}
}

func sample() []sim.Record {
	exit1 := int32(1)
	return trace(
		sim.Event{Time: at(0), Type: TypeAPICall, Source: "ecssim", Detail: map[string]string{"action": "ecs:CreateService"}},
		deploymentEvent(0, "SERVICE_DEPLOYMENT_IN_PROGRESS", "ECS deployment ecs-svc/123 in progress."),
		taskEvent(0, "PROVISIONING", "UNKNOWN", func(d *ecs.TaskStateChange) { d.Version = 1 }),
		serviceEvent(0, "(service web) has started 1 tasks: (task 6ef8da2e0a1b4c5d8e9f00112233aabb)."),
		taskEvent(12*time.Second, "PENDING", "UNKNOWN", nil),
		taskEvent(34*time.Second, "RUNNING", "UNKNOWN", nil),
		taskEvent(40*time.Second, "RUNNING", "HEALTHY", nil),
		deploymentEvent(74*time.Second, "SERVICE_DEPLOYMENT_COMPLETED", "ECS deployment ecs-svc/123 completed."),
		serviceEvent(74*time.Second, "(service web) has reached a steady state."),
		steadyEvent(74*time.Second),
		taskEvent(2*time.Hour+5*time.Second, "STOPPED", "UNKNOWN", func(d *ecs.TaskStateChange) {
			d.StopCode, d.StoppedReason = "EssentialContainerExited", "Essential container in task exited"
			d.Containers[0].ExitCode = &exit1
		}),
		sim.Event{Time: at(2*time.Hour + 5*time.Second), Type: "ecssim Fault", Source: "ecssim", Detail: map[string]int{"n": 1}},
	)
}

func TestTimeline(t *testing.T) {
	tests := []struct {
		name    string
		verbose bool
		want    string
	}{
		{"default", false, `
 0:00:00  (service web) (deployment ecs-svc/123) deployment in progress.
 0:00:00  (service web) has started 1 tasks: (task 6ef8da2e…).
 0:00:34  task 6ef8da2e… (web:1) RUNNING in us-east-1a
 0:00:40  task 6ef8da2e… (web:1) HEALTHY
 0:01:14  (service web) has reached a steady state.
 2:00:05  task 6ef8da2e… (web:1) STOPPED (EssentialContainerExited): Essential container in task exited; web exited 1
`},
		{"verbose", true, `
 0:00:00  api ecs:CreateService
 0:00:00  (service web) (deployment ecs-svc/123) deployment in progress.
 0:00:00  task 6ef8da2e… (web:1) PROVISIONING in us-east-1a
 0:00:00  (service web) has started 1 tasks: (task 6ef8da2e…).
 0:00:12  task 6ef8da2e… (web:1) PENDING
 0:00:34  task 6ef8da2e… (web:1) RUNNING in us-east-1a
 0:00:40  task 6ef8da2e… (web:1) HEALTHY
 0:01:14  (service web) (deployment ecs-svc/123) deployment completed.
 0:01:14  (service web) has reached a steady state.
 0:01:14  (service web) INFO SERVICE_STEADY_STATE
 2:00:05  task 6ef8da2e… (web:1) STOPPED (EssentialContainerExited): Essential container in task exited; web exited 1
 2:00:05  ecssim Fault  {"n":1}
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			tl := NewTimeline(&b, start, tc.verbose)
			for _, r := range sample() {
				tl.Record(r)
			}
			require.NoError(t, tl.Err())
			require.Equal(t, strings.TrimPrefix(tc.want, "\n"), b.String())
		})
	}
}

// TestTimelineFromRecordedLines formats records whose details are only
// known through their canonical lines, as when reading a recorded trace.
func TestTimelineFromRecordedLines(t *testing.T) {
	var live, recorded bytes.Buffer
	a, b := NewTimeline(&live, start, true), NewTimeline(&recorded, start, true)
	for _, r := range sample() {
		a.Record(r)
		r.Detail = json.RawMessage("{}") // forget the Go value
		b.Record(r)
	}
	require.Equal(t, live.String(), recorded.String())
}

func TestTimelineRollbackReason(t *testing.T) {
	var b bytes.Buffer
	tl := NewTimeline(&b, start, false)
	for _, r := range trace(deploymentEvent(time.Minute, "SERVICE_DEPLOYMENT_IN_PROGRESS", "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.")) {
		tl.Record(r)
	}
	require.Equal(t, " 0:01:00  (service web) (deployment ecs-svc/123) deployment in progress: ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.\n", b.String())
}

func TestTimelineScalingActivity(t *testing.T) {
	cause := "monitor alarm TargetTracking-service/demo/web-AlarmHigh-8a1b1c2d-1234-4abc-8def-0123456789ab in state ALARM triggered policy cpu60"
	events := []sim.Event{
		{Time: at(32 * time.Minute), Type: autoscaling.EventScalingActivity, Source: "ecssim",
			Detail: autoscaling.ActivityDetail{ResourceId: "service/demo/web", From: 2, To: 4, Cause: cause, StatusCode: "Successful"}},
		{Time: at(time.Hour), Type: autoscaling.EventScalingActivity, Source: "ecssim",
			Detail: autoscaling.ActivityDetail{ResourceId: "service/demo/web", From: 4, To: 6, Cause: "scheduled action name peak was triggered", StatusCode: "Failed"}},
	}
	for _, tc := range []struct {
		verbose bool
		want    string
	}{
		{false, " 0:32:00  service auto scaling service/demo/web: desired count 2 -> 4 (policy cpu60, high alarm)\n" +
			" 1:00:00  service auto scaling service/demo/web: desired count 4 -> 6 (scheduled action name peak was triggered) failed\n"},
		{true, " 0:32:00  service auto scaling service/demo/web: desired count 2 -> 4 (" + cause + ")\n" +
			" 1:00:00  service auto scaling service/demo/web: desired count 4 -> 6 (scheduled action name peak was triggered) failed\n"},
	} {
		var b bytes.Buffer
		tl := NewTimeline(&b, start, tc.verbose)
		for _, r := range trace(events...) {
			tl.Record(r)
		}
		require.Equal(t, tc.want, b.String())
	}
}

func TestTimelineTargetHealth(t *testing.T) {
	tg := "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
	events := []sim.Event{
		{Time: at(time.Minute), Type: elb.EventTargetHealthChange, Source: "ecssim", Resources: []string{tg},
			Detail: &elb.TargetHealthChange{TargetGroupArn: tg, TargetId: "172.31.0.4", Port: 80, State: "unhealthy", Reason: "Target.ResponseCodeMismatch", Description: "Health checks failed with these codes: [404]"}},
		{Time: at(2 * time.Minute), Type: elb.EventTargetHealthChange, Source: "ecssim", Resources: []string{tg},
			Detail: &elb.TargetHealthChange{TargetGroupArn: tg, TargetId: "172.31.0.4", Port: 80, State: "healthy"}},
	}
	var live, recorded bytes.Buffer
	a, b := NewTimeline(&live, start, false), NewTimeline(&recorded, start, false)
	for _, r := range trace(events...) {
		a.Record(r)
		var line struct {
			Detail json.RawMessage `json:"detail"`
		}
		require.NoError(t, json.Unmarshal(r.Line, &line))
		r.Detail = line.Detail // as read back from an events file
		b.Record(r)
	}
	want := " 0:01:00  (target-group web) target 172.31.0.4:80 is unhealthy: Health checks failed with these codes: [404]\n" +
		" 0:02:00  (target-group web) target 172.31.0.4:80 is healthy\n"
	require.Equal(t, want, live.String())
	require.Equal(t, want, recorded.String())
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestTimelineWriteError(t *testing.T) {
	tl := NewTimeline(failingWriter{}, start, false)
	tl.Line(start, "x")
	tl.Line(start, "y")
	require.EqualError(t, tl.Err(), "disk full")
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestEventID(t *testing.T) {
	recs := sample()
	seen := map[string]bool{}
	for _, r := range recs {
		id := EventID(r)
		require.Regexp(t, uuidRE, id)
		require.False(t, seen[id])
		seen[id] = true
		require.Equal(t, id, EventID(r), "deterministic")
	}
	// The same line at another position gets another id.
	r := recs[0]
	r.Seq++
	require.NotEqual(t, EventID(recs[0]), EventID(r))
}

func TestEventWriter(t *testing.T) {
	var b bytes.Buffer
	ew := NewEventWriter(&b, "123456789012", "us-east-1")
	recs := sample()
	for _, r := range recs {
		ew.Record(r)
	}
	require.NoError(t, ew.Flush())
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, len(recs))

	// Field order and shape of one line.
	first := lines[0]
	require.True(t, strings.HasPrefix(first, `{"version":"0","id":"`), first)
	require.Contains(t, first, `"detail-type":"ecssim API Call","source":"ecssim","account":"123456789012","time":"2026-01-01T00:00:00.000Z","region":"us-east-1","resources":[],"detail":{"action":"ecs:CreateService"}}`)

	for i, line := range lines {
		var ev map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(line), &ev))
		require.ElementsMatch(t, []string{"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}, keys(ev))
		var canon struct {
			Detail json.RawMessage `json:"detail"`
		}
		require.NoError(t, json.Unmarshal(recs[i].Line, &canon))
		require.Equal(t, string(canon.Detail), string(ev["detail"]), "the detail is the trace's, byte for byte")
		var tm string
		require.NoError(t, json.Unmarshal(ev["time"], &tm))
		_, err := time.Parse(time.RFC3339, tm)
		require.NoError(t, err)
	}
	require.Contains(t, lines[5], `"time":"2026-01-01T00:00:34.000Z"`)
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestEventWriterError(t *testing.T) {
	ew := NewEventWriter(failingWriter{}, "123456789012", "us-east-1")
	big := sim.Event{Type: "x", Detail: strings.Repeat("a", 100<<10)}
	for _, r := range trace(big, big) {
		ew.Record(r)
	}
	require.EqualError(t, ew.Flush(), "disk full")
}

func TestStatsSummary(t *testing.T) {
	st := NewStats(start)
	for _, r := range sample() {
		st.Record(r)
	}
	ss := st.Service(serviceArn)
	require.NotNil(t, ss)
	require.Equal(t, 1, ss.Started)
	require.Equal(t, 1, ss.Failed)
	require.Equal(t, at(0), ss.DeployedAt)
	require.Equal(t, at(74*time.Second), ss.SettledAt)
	require.Equal(t, at(74*time.Second), ss.SteadyAt)

	svc := ecs.Service{ServiceArn: serviceArn, ServiceName: "web", Status: "ACTIVE", DesiredCount: 3, RunningCount: 3,
		Deployments: []ecs.Deployment{{Status: "PRIMARY", RolloutState: "COMPLETED"}}}
	unsteady := ecs.Service{ServiceArn: serviceArn + "2", ServiceName: "web2", Status: "ACTIVE", DesiredCount: 2, RunningCount: 1, PendingCount: 1,
		Deployments: []ecs.Deployment{{Status: "PRIMARY", RolloutState: "IN_PROGRESS"}, {Status: "ACTIVE", RolloutState: "COMPLETED"}}}
	var b bytes.Buffer
	require.NoError(t, st.Summary(&b, []ecs.Service{svc, unsteady}))
	require.Equal(t, `SERVICE    STATUS  DESIRED  RUNNING  PENDING  DEPLOYMENTS  ROLLOUT      STARTED  FAILED  STEADY AT  TIME TO STEADY
demo/web   ACTIVE  3        3        0        1            COMPLETED    1        1       0:01:14    1m14s
demo/web2  ACTIVE  2        1        1        2            IN_PROGRESS  0        0       -          -
`, b.String())

	b.Reset()
	require.NoError(t, st.Summary(&b, nil))
	require.Equal(t, "No services.\n", b.String())
}

func TestFailed(t *testing.T) {
	tests := []struct {
		code, reason string
		want         bool
	}{
		{ecs.StopUserInitiated, "Task stopped by user", false},
		{ecs.StopServiceSchedulerInitiated, "Scaling activity initiated by (deployment x)", false},
		{ecs.StopServiceSchedulerInitiated, "Task failed container health checks", true},
		{ecs.StopTaskFailedToStart, "CannotPullContainerError", true},
		{ecs.StopEssentialContainerExited, "Essential container in task exited", true},
		{ecs.StopTerminationNotice, "Availability Zone down", true},
	}
	for _, tc := range tests {
		t.Run(tc.code+" "+tc.reason, func(t *testing.T) {
			require.Equal(t, tc.want, failed(ecs.TaskStateChange{StopCode: tc.code, StoppedReason: tc.reason}))
		})
	}
}

func TestHelpers(t *testing.T) {
	require.Equal(t, "6ef8da2e…", ShortID("6ef8da2e0a1b4c5d8e9f00112233aabb"))
	require.Equal(t, "web", ShortID("web"))
	require.Equal(t, "a 6ef8da2e… b", shortenTasks("a 6ef8da2e0a1b4c5d8e9f00112233aabb b"))
	require.Equal(t, "(service w) has started 6 tasks: (task a) (task b) (task c) (task d) (task e) (task f).",
		compactTasks("(service w) has started 6 tasks: (task a) (task b) (task c) (task d) (task e) (task f)."))
	require.Equal(t, "(service w) has started 7 tasks: (task a) (task b) (task c) (task d) (task e) (and 2 more).",
		compactTasks("(service w) has started 7 tasks: (task a) (task b) (task c) (task d) (task e) (task f) (task g)."))
	require.Equal(t, "45s", shortDuration(45*time.Second))
	require.Equal(t, "1h0m5s", shortDuration(time.Hour+5*time.Second+900*time.Millisecond))
}

func TestCosts(t *testing.T) {
	var b strings.Builder
	require.NoError(t, Costs(&b, nil))
	require.Empty(t, b.String(), "nothing billed, nothing written")
	require.NoError(t, Costs(&b, []ecs.CostEntry{
		{Cluster: "demo", Cost: ecs.Cost{TaskHours: 2, VCPUHours: 0.5, GBHours: 1, InstanceHours: 3, USD: 0.3}},
		{Cluster: "demo", Service: "web", Cost: ecs.Cost{TaskHours: 2, VCPUHours: 0.5, GBHours: 1, USD: 0.02}},
	}))
	require.Equal(t, `
COST        TASK-HOURS  VCPU-HOURS  GB-HOURS  INSTANCE-HOURS  USD
demo        2.00        0.50        1.00      3.00            0.30
  demo/web  2.00        0.50        1.00      0.00            0.02
`, b.String())
}
