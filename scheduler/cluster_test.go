package scheduler

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAddInstanceErrors(t *testing.T) {
	tests := []struct {
		name string
		in   Instance
		err  error
	}{
		{"empty ID", Instance{}, ErrInvalidInstance},
		{"negative CPU", Instance{ID: "a", CPU: -1}, ErrInvalidInstance},
		{"bad port range", Instance{ID: "a", DynamicPorts: PortRange{First: 40000, Last: 30000}}, ErrInvalidInstance},
		{"port 0 in range", Instance{ID: "a", DynamicPorts: PortRange{First: 0, Last: 30000}}, ErrInvalidInstance},
		{"bad agent version", Instance{ID: "a", AgentVersion: "latest"}, ErrInvalidInstance},
		{"empty attribute name", Instance{ID: "a", Attributes: map[string]string{"": "x"}}, ErrInvalidInstance},
		{"duplicate", Instance{ID: "dup"}, ErrDuplicateInstance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCluster()
			require.NoError(t, c.AddInstance(Instance{ID: "dup"}))
			require.ErrorIs(t, c.AddInstance(tc.in), tc.err)
			require.Equal(t, 1, c.Len(), "a failed add changes nothing")
		})
	}
}

func TestInstancesKeptInIDOrder(t *testing.T) {
	c := NewCluster()
	for _, id := range []string{"c", "a", "d", "b"} {
		require.NoError(t, c.AddInstance(Instance{ID: id}))
	}
	require.Equal(t, []string{"a", "b", "c", "d"}, c.IDs())
	require.NoError(t, c.RemoveInstance("b"))
	require.Equal(t, []string{"a", "c", "d"}, c.IDs())
	require.ErrorIs(t, c.RemoveInstance("b"), ErrUnknownInstance)
	require.ErrorIs(t, c.SetStatus("b", Draining), ErrUnknownInstance)
	require.ErrorIs(t, c.SetAgentConnected("b", true), ErrUnknownInstance)
	require.ErrorIs(t, c.PutAttribute("b", "x", "y"), ErrUnknownInstance)
	require.ErrorIs(t, c.DeleteAttribute("b", "x"), ErrUnknownInstance)
	_, ok := c.Remaining("b")
	require.False(t, ok)
}

func TestReserveAndRelease(t *testing.T) {
	c := NewCluster()
	require.NoError(t, c.AddInstance(Instance{ID: "a", CPU: 1024, Memory: 2048, GPUs: 1, ENIs: 2,
		DynamicPorts: PortRange{First: 32768, Last: 32771}}))
	task := &Task{Group: "service:web", CPU: 256, Memory: 512, GPUs: 1, ENI: true,
		HostPorts: []Port{{Number: 80}, {Number: 32769}}, DynamicTCPPorts: 2, DynamicUDPPorts: 1}
	l, err := c.Reserve("a", task)
	require.NoError(t, err)
	require.True(t, l.Held())
	require.True(t, l.Counted())
	// Lowest free ports of the range; 32769 is the task's own static port.
	require.Equal(t, []Port{{Number: 32768}, {Number: 32770}, {Number: 32768, Protocol: UDP}}, l.Dynamic)
	rem, _ := c.Remaining("a")
	require.Equal(t, Resources{CPU: 768, Memory: 1536, GPUs: 0, ENIs: 1}, rem)
	require.Equal(t, 1, c.TaskCount("a"))
	require.Equal(t, 1, c.GroupCount("service:web", "a"))
	require.Contains(t, c.UsedPorts("a"), Port{Number: 80})
	require.Contains(t, c.UsedPorts("a"), Port{Number: 22}, "the Linux reserved ports by default")

	// A second copy does not fit: GPU first.
	_, err = c.Reserve("a", task)
	require.ErrorIs(t, err, ErrDoesNotFit)
	require.ErrorContains(t, err, "RESOURCE:GPU")

	// Leaving (desired status STOPPED) keeps the resources.
	require.NoError(t, c.Leave(&l))
	require.NoError(t, c.Leave(&l), "leaving twice is a no-op")
	require.False(t, l.Counted())
	require.Equal(t, 0, c.GroupCount("service:web", "a"))
	require.Equal(t, 1, c.TaskCount("a"))
	rem, _ = c.Remaining("a")
	require.Equal(t, 768, rem.CPU)

	require.NoError(t, c.Release(&l))
	require.False(t, l.Held())
	rem, _ = c.Remaining("a")
	require.Equal(t, Resources{CPU: 1024, Memory: 2048, GPUs: 1, ENIs: 2}, rem)
	require.Equal(t, LinuxReservedPorts(), c.UsedPorts("a"))
	require.Equal(t, 0, c.GroupCount("service:web", "a"))
	require.Equal(t, 0, c.TaskCount("a"))
	require.ErrorIs(t, c.Release(&l), ErrNotReserved, "double release")
	require.ErrorIs(t, c.Release(&Lease{}), ErrNotReserved, "zero lease")

	// Release without Leave also leaves the group.
	l, err = c.Reserve("a", task)
	require.NoError(t, err)
	require.NoError(t, c.Release(&l))
	require.Equal(t, 0, c.GroupCount("service:web", "a"))

	_, err = c.Reserve("a", &Task{CPU: -1})
	require.ErrorIs(t, err, ErrInvalidTask)
	_, err = c.Reserve("a", &Task{HostPorts: []Port{{Number: 80}, {Number: 80}}})
	require.ErrorIs(t, err, ErrInvalidTask)
	_, err = c.Reserve("nope", &Task{})
	require.ErrorIs(t, err, ErrUnknownInstance)

	// The tasks of a removed instance stop counting; their leases can no
	// longer be released.
	l, err = c.Reserve("a", task)
	require.NoError(t, err)
	require.NoError(t, c.RemoveInstance("a"))
	require.ErrorIs(t, c.Release(&l), ErrUnknownInstance)
	require.ErrorIs(t, c.Leave(&l), ErrUnknownInstance)
}

// TestLeaveFreesDistinctInstance: a task whose desired status is STOPPED
// no longer keeps another task of its group off its instance, though it
// still holds its resources. [DG:task-placement-constraints]
func TestLeaveFreesDistinctInstance(t *testing.T) {
	c := NewCluster()
	require.NoError(t, c.AddInstance(Instance{ID: "a", CPU: 1024, Memory: 1024}))
	p, err := c.Compile(Spec{Service: true, Constraints: []Constraint{{Type: ConstraintDistinctInstance}}})
	require.NoError(t, err)
	task := &Task{Group: "service:web", CPU: 512, Memory: 512}
	old, err := c.Reserve("a", task)
	require.NoError(t, err)
	require.Equal(t, ReasonDistinctInstance, c.Place(p, task, nil).ClosestReason)
	require.NoError(t, c.Leave(&old))
	require.Equal(t, "a", c.Place(p, task, nil).Instance)
}

// TestAttributeChangesMoveSpreadCounts: PutAttribute, DeleteAttribute and
// RemoveInstance keep the per-value group counts that spread reads.
func TestAttributeChangesMoveSpreadCounts(t *testing.T) {
	c := NewCluster()
	for _, id := range []string{"a", "b"} {
		require.NoError(t, c.AddInstance(Instance{ID: id, CPU: 4096, Memory: 4096,
			Attributes: map[string]string{AttributeAvailabilityZone: "az1"}}))
	}
	task := &Task{Group: "service:web", CPU: 1, Memory: 1}
	for range 2 {
		_, err := c.Reserve("a", task)
		require.NoError(t, err)
	}
	count := func(value string) int32 {
		an := c.names[c.nameIdx[AttributeAvailabilityZone]]
		return c.groupOf("service:web").underValue(c.nameIdx[AttributeAvailabilityZone], an.valIdx[value])
	}
	require.Equal(t, int32(2), count("az1"))
	require.NoError(t, c.PutAttribute("a", AttributeAvailabilityZone, "az2"))
	require.Equal(t, int32(0), count("az1"))
	require.Equal(t, int32(2), count("az2"))
	require.NoError(t, c.DeleteAttribute("a", AttributeAvailabilityZone))
	require.NoError(t, c.DeleteAttribute("a", AttributeAvailabilityZone), "deleting a missing attribute is fine")
	require.Equal(t, int32(0), count("az2"))
	g := c.groupOf("service:web")
	require.Equal(t, int32(2), g.underValue(c.nameIdx[AttributeAvailabilityZone], 0), "tasks on instances without an AZ")
	require.NoError(t, c.PutAttribute("a", AttributeAvailabilityZone, "az1"))
	require.NoError(t, c.RemoveInstance("a"))
	require.Equal(t, int32(0), count("az1"))
	require.Equal(t, int32(0), g.total)
}

// TestPlaceIsAllocationFree checks the zero-allocation promise on both
// selection paths.
func TestPlaceIsAllocationFree(t *testing.T) {
	c := benchCluster(t, 50)
	for _, spec := range []Spec{
		{Service: true},
		{Strategies: []Strategy{{Type: StrategyBinpack, Field: FieldCPU}}},
		{Strategies: []Strategy{{Type: StrategyBinpack, Field: FieldCPU}, {Type: StrategySpread, Field: FieldInstanceID}, {Type: StrategyRandom}},
			Constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "attribute:ecs.instance-type =~ (m5|c5)\\..* and not(task:group == x)"}, {Type: ConstraintDistinctInstance}}},
	} {
		p, err := c.Compile(spec)
		require.NoError(t, err)
		task := &Task{Group: "service:web", CPU: 128, Memory: 128, HostPorts: []Port{{Number: 8080}}}
		rng := newTestRand()
		allocs := testing.AllocsPerRun(100, func() { c.Place(p, task, rng) })
		require.Zero(t, allocs, "%+v", spec)
	}
}
