package ecs

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTaskStateChangeJSON: AppendJSON writes what encoding/json writes,
// for random changes with awkward strings, so traces hash the same
// whichever encoder ran.
func TestTaskStateChangeJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"", "RUNNING", "a\"b", "<tag>&", "日本", "\x01\n\b\f", "\xff", "x\u2028y", "Essential container in task exited"}
	pick := func() string { return words[r.IntN(len(words))] }
	for range 2000 {
		d := &TaskStateChange{
			ClusterArn: pick(), TaskArn: pick(), TaskDefinitionArn: pick(), Group: pick(), StartedBy: pick(), LaunchType: pick(),
			AvailabilityZone: pick(), LastStatus: pick(), DesiredStatus: pick(), HealthStatus: pick(), StopCode: pick(),
			StoppedReason: pick(), Version: r.Int64N(1 << 40),
		}
		if r.IntN(5) > 0 {
			d.Containers = make([]ContainerState, r.IntN(3))
			for i := range d.Containers {
				d.Containers[i] = ContainerState{Name: pick(), LastStatus: pick(), HealthStatus: pick(), Reason: pick()}
				if r.IntN(2) == 0 {
					code := int32(r.IntN(300)) - 10
					d.Containers[i].ExitCode = &code
				}
			}
		}
		want, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(d.AppendJSON(nil)))
	}
}
