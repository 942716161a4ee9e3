package scheduler

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestChooseStop: the scale-in mirror of each strategy.
// [DG:task-placement-strategies] [DG:ecs_services]
func TestChooseStop(t *testing.T) {
	web := &Task{Group: "service:web", CPU: 100, Memory: 100}
	// az1: a (3 tasks), b (1); az2: c (1); az3: d (2).
	setup := func(t *testing.T) (*Cluster, []Running) {
		c := cluster(t, inst("a", "az1", 1000, 5000), inst("b", "az1", 4000, 1000), inst("c", "az2", 2000, 2000),
			inst("d", "az3", 500, 500))
		reserve(t, c, "a", web, 3)
		reserve(t, c, "b", web, 1)
		reserve(t, c, "c", web, 1)
		reserve(t, c, "d", web, 2)
		var tasks []Running
		for _, id := range []string{"c", "d", "b", "a", "d", "a", "a"} {
			tasks = append(tasks, Running{Instance: id, CPU: 100, Memory: 100})
		}
		return c, tasks
	}
	tests := []struct {
		name       string
		strategies []Strategy
		want       string // instance of the chosen task
	}{
		{"default: AZ with most tasks, then instance with most", nil, "a"},
		{"spread az: AZ with most tasks", []Strategy{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone}}, "b"},
		{"spread instance: instance with most tasks", []Strategy{{Type: StrategySpread, Field: FieldInstanceID}}, "a"},
		{"binpack cpu: most cpu left after", []Strategy{{Type: StrategyBinpack, Field: FieldCPU}}, "b"},
		{"binpack memory: most memory left after", []Strategy{{Type: StrategyBinpack, Field: FieldMemory}}, "a"},
		{"spread az then binpack cpu", []Strategy{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone},
			{Type: StrategyBinpack, Field: FieldCPU}}, "b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, tasks := setup(t)
			p := compile(t, c, Spec{Service: true, Strategies: tc.strategies})
			k := c.ChooseStop(p, "service:web", tasks, nil)
			require.Equal(t, tc.want, tasks[k].Instance)
			// Ties go to the earliest task in the slice.
			for j := range k {
				require.NotEqual(t, tc.want, tasks[j].Instance)
			}
		})
	}
}

// TestScaleInKeepsZonesBalanced stops tasks one by one with the default
// service strategy: the zone counts stay within one of each other.
func TestScaleInKeepsZonesBalanced(t *testing.T) {
	c := cluster(t, inst("a1", "az1", 9999, 9999), inst("a2", "az1", 9999, 9999), inst("b1", "az2", 9999, 9999),
		inst("c1", "az3", 9999, 9999))
	p := compile(t, c, Spec{Service: true})
	web := &Task{Group: "service:web", CPU: 1, Memory: 1}
	var tasks []Running
	var leases []Lease
	for range 12 {
		res := c.Place(p, web, nil)
		l, err := c.Reserve(res.Instance, web)
		require.NoError(t, err)
		tasks = append(tasks, Running{Instance: res.Instance, CPU: 1, Memory: 1})
		leases = append(leases, l)
	}
	zone := map[string]string{"a1": "az1", "a2": "az1", "b1": "az2", "c1": "az3"}
	for len(tasks) > 0 {
		k := c.ChooseStop(p, "service:web", tasks, nil)
		require.NoError(t, c.Release(&leases[k]))
		tasks = append(tasks[:k], tasks[k+1:]...)
		leases = append(leases[:k], leases[k+1:]...)
		perZone := map[string]int{}
		for _, r := range tasks {
			perZone[zone[r.Instance]]++
		}
		lo, hi := len(tasks), 0
		for _, z := range []string{"az1", "az2", "az3"} {
			lo, hi = min(lo, perZone[z]), max(hi, perZone[z])
		}
		require.LessOrEqual(t, hi-lo, 1, "%v", perZone)
	}
}

func TestChooseStopEdges(t *testing.T) {
	c := cluster(t, inst("a", "az1", 100, 100))
	p := compile(t, c, Spec{})
	require.Equal(t, -1, c.ChooseStop(p, "g", nil, nil))
	// A task on an instance the cluster no longer knows goes first.
	tasks := []Running{{Instance: "a"}, {Instance: "gone"}}
	require.Equal(t, 1, c.ChooseStop(p, "g", tasks, nil))
	// Random (the RunTask default) draws once.
	tasks = []Running{{Instance: "a"}, {Instance: "a"}, {Instance: "a"}}
	rng, twin := rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(9, 9))
	require.Equal(t, twin.IntN(3), c.ChooseStop(p, "g", tasks, rng))
	require.Equal(t, twin.Uint64(), rng.Uint64())
}
