package scheduler

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ecssim/ecssim/api"
	"github.com/stretchr/testify/require"
)

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

// inst returns a connected ACTIVE Linux instance; fields can be overridden.
func inst(id, az string, cpu, mem int) Instance {
	return Instance{ID: id, CPU: cpu, Memory: mem, ENIs: 3,
		Attributes: map[string]string{AttributeAvailabilityZone: az}}
}

func cluster(t *testing.T, ins ...Instance) *Cluster {
	t.Helper()
	c := NewCluster()
	for _, in := range ins {
		require.NoError(t, c.AddInstance(in))
	}
	return c
}

func compile(t *testing.T, c *Cluster, s Spec) *Plan {
	t.Helper()
	p, err := c.Compile(s)
	require.NoError(t, err)
	return p
}

func reserve(t *testing.T, c *Cluster, id string, task *Task, n int) {
	t.Helper()
	for range n {
		_, err := c.Reserve(id, task)
		require.NoError(t, err)
	}
}

// TestFilters: each resource check, alone, on a single instance.
func TestFilters(t *testing.T) {
	base := func() Instance {
		return Instance{ID: "i1", CPU: 1024, Memory: 2048, GPUs: 1, ENIs: 1,
			DynamicPorts: PortRange{First: 32768, Last: 32769}}
	}
	tests := []struct {
		name   string
		inst   func(*Instance)
		before []*Task // reserved first
		task   Task
		want   Reason
	}{
		{name: "fits", task: Task{CPU: 1024, Memory: 2048, GPUs: 1, ENI: true}, want: Fits},
		{name: "cpu", task: Task{CPU: 1025}, want: ReasonCPU},
		{name: "memory", task: Task{Memory: 2049}, want: ReasonMemory},
		{name: "gpu", task: Task{GPUs: 2}, want: ReasonGPU},
		{name: "eni", task: Task{ENI: true}, before: []*Task{{ENI: true}}, want: ReasonENI},
		{name: "no eni slots at all", inst: func(in *Instance) { in.ENIs = 0 }, task: Task{ENI: true}, want: ReasonENI},
		{name: "static port taken by a task", before: []*Task{{HostPorts: []Port{{Number: 80}}}}, task: Task{HostPorts: []Port{{Number: 80}}}, want: ReasonPorts},
		{name: "udp and tcp are separate", before: []*Task{{HostPorts: []Port{{Number: 53}}}}, task: Task{HostPorts: []Port{{Number: 53, Protocol: UDP}}}, want: Fits},
		{name: "agent reserved port (ssh)", task: Task{HostPorts: []Port{{Number: 22}}}, want: ReasonPorts},
		{name: "agent reserved port (introspection)", task: Task{HostPorts: []Port{{Number: 51678}}}, want: ReasonPorts},
		{name: "windows reserved port", inst: func(in *Instance) { in.ReservedPorts = WindowsReservedPorts() }, task: Task{HostPorts: []Port{{Number: 3389}}}, want: ReasonPorts},
		{name: "no reserved ports", inst: func(in *Instance) { in.ReservedPorts = []Port{} }, task: Task{HostPorts: []Port{{Number: 22}}}, want: Fits},
		{name: "dynamic range exhausted", before: []*Task{{DynamicTCPPorts: 2}}, task: Task{DynamicTCPPorts: 1}, want: ReasonPorts},
		{name: "dynamic range has room", before: []*Task{{DynamicTCPPorts: 1}}, task: Task{DynamicTCPPorts: 1}, want: Fits},
		{name: "static port inside the dynamic range uses it up", task: Task{HostPorts: []Port{{Number: 32768}}, DynamicTCPPorts: 2}, want: ReasonPorts},
		{name: "dynamic udp separate from tcp", before: []*Task{{DynamicTCPPorts: 2}}, task: Task{DynamicUDPPorts: 2}, want: Fits},
		{name: "too many static ports", task: Task{HostPorts: portsFrom(1000, MaxHostPorts-4)}, want: ReasonPorts},
		{name: "static ports up to the limit", task: Task{HostPorts: portsFrom(1000, MaxHostPorts-5)}, want: Fits},
		{name: "agent disconnected", inst: func(in *Instance) { in.AgentDisconnected = true }, task: Task{CPU: 1}, want: ReasonAgent},
		{name: "resources before agent", inst: func(in *Instance) { in.AgentDisconnected = true }, task: Task{CPU: 2048}, want: ReasonCPU},
		{name: "cpu before memory", task: Task{CPU: 2048, Memory: 4096}, want: ReasonCPU},
		{name: "ports before eni", inst: func(in *Instance) { in.ENIs = 0 }, task: Task{ENI: true, HostPorts: []Port{{Number: 22}}}, want: ReasonPorts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			if tc.inst != nil {
				tc.inst(&in)
			}
			c := cluster(t, in)
			for _, b := range tc.before {
				_, err := c.Reserve("i1", b)
				require.NoError(t, err)
			}
			p := compile(t, c, Spec{})
			r, err := c.Check(p, "i1", &tc.task)
			require.NoError(t, err)
			require.Equal(t, tc.want, r)
			res := c.Place(p, &tc.task, newTestRand())
			if tc.want == Fits {
				require.Equal(t, "i1", res.Instance)
			} else {
				require.False(t, res.Placed())
				require.Equal(t, "i1", res.Closest)
				require.Equal(t, tc.want, res.ClosestReason)
				require.Equal(t, 1, res.Rejected(tc.want))
				require.Equal(t, []Rejection{{"i1", tc.want}}, c.Rejections(p, &tc.task))
			}
		})
	}
}

func portsFrom(first uint16, n int) []Port {
	ps := make([]Port, n)
	for k := range ps {
		ps[k] = Port{Number: first + uint16(k)}
	}
	return ps
}

// TestNotActiveIsNotACandidate: DRAINING (and other non-ACTIVE) instances
// are skipped without a reason.
func TestNotActiveIsNotACandidate(t *testing.T) {
	d := inst("a", "az1", 4096, 4096)
	d.Status = Draining
	c := cluster(t, d, inst("b", "az1", 100, 100))
	p := compile(t, c, Spec{})
	res := c.Place(p, &Task{CPU: 1000}, nil)
	require.False(t, res.Placed())
	require.Equal(t, 1, res.Candidates)
	require.Equal(t, "b", res.Closest)
	require.Equal(t, []Rejection{{"b", ReasonCPU}}, c.Rejections(p, &Task{CPU: 1000}))
	require.NoError(t, c.SetStatus("a", Active))
	require.Equal(t, "a", c.Place(p, &Task{CPU: 1000}, nil).Instance)
}

// TestConstraints: distinctInstance and memberOf, in the order given.
func TestConstraints(t *testing.T) {
	web := &Task{Group: "service:web", CPU: 1, Memory: 1}
	db := &Task{Group: "databases", CPU: 1, Memory: 1}
	tests := []struct {
		name        string
		constraints []Constraint
		want        string            // chosen instance, "" for none
		reasons     map[string]Reason // rejections
	}{
		// Default service strategy: az2 and az3 have no web task; b and c
		// none on the instance; b has the lower ID.
		{name: "distinctInstance", constraints: []Constraint{{Type: ConstraintDistinctInstance}},
			want: "b", reasons: map[string]Reason{"a": ReasonDistinctInstance}},
		{name: "memberOf attribute", constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "attribute:ecs.availability-zone == az2"}},
			want: "b", reasons: map[string]Reason{"a": ReasonMemberOf, "c": ReasonMemberOf}},
		{name: "memberOf affinity", constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "task:group == databases"}},
			want: "b", reasons: map[string]Reason{"a": ReasonMemberOf, "c": ReasonMemberOf}},
		{name: "memberOf anti-affinity", constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "not(task:group == databases)"}},
			want: "c", reasons: map[string]Reason{"b": ReasonMemberOf}},
		{name: "both, first failure reported", constraints: []Constraint{
			{Type: ConstraintMemberOf, Expression: "attribute:ecs.availability-zone != az2"},
			{Type: ConstraintDistinctInstance}},
			want: "c", reasons: map[string]Reason{"a": ReasonDistinctInstance, "b": ReasonMemberOf}},
		{name: "nothing satisfies", constraints: []Constraint{
			{Type: ConstraintDistinctInstance},
			{Type: ConstraintMemberOf, Expression: "attribute:ecs.availability-zone == az9"}},
			reasons: map[string]Reason{"a": ReasonDistinctInstance, "b": ReasonMemberOf, "c": ReasonMemberOf}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cluster(t, inst("a", "az1", 100, 100), inst("b", "az2", 100, 100), inst("c", "az3", 100, 100))
			reserve(t, c, "a", web, 1)
			reserve(t, c, "b", db, 1)
			p := compile(t, c, Spec{Service: true, Constraints: tc.constraints})
			res := c.Place(p, web, nil)
			require.Equal(t, tc.want, res.Instance)
			got := map[string]Reason{}
			for _, r := range c.Rejections(p, web) {
				got[r.Instance] = r.Reason
			}
			require.Equal(t, tc.reasons, got)
		})
	}
}

// TestClosestMatch: the instance that got furthest through the checks,
// then the one with most of the failing resource, then the lowest ID.
func TestClosestMatch(t *testing.T) {
	agentOff := inst("e", "az1", 4096, 4096)
	agentOff.AgentDisconnected = true
	tests := []struct {
		name        string
		insts       []Instance
		constraints []Constraint
		task        Task
		closest     string
		reason      Reason
	}{
		{"memory beats cpu", []Instance{inst("a", "az1", 100, 100), inst("b", "az1", 4096, 100)}, nil,
			Task{CPU: 1000, Memory: 1000}, "b", ReasonMemory},
		{"most memory left", []Instance{inst("a", "az1", 4096, 500), inst("b", "az1", 4096, 900), inst("c", "az1", 4096, 900)}, nil,
			Task{CPU: 1000, Memory: 1000}, "b", ReasonMemory},
		{"constraint beats resources", []Instance{inst("a", "az1", 4096, 4096), inst("b", "az2", 100, 100)},
			[]Constraint{{Type: ConstraintMemberOf, Expression: "attribute:ecs.availability-zone == az2"}},
			Task{CPU: 1000}, "a", ReasonMemberOf},
		{"agent last", []Instance{inst("a", "az1", 100, 100), agentOff}, nil,
			Task{CPU: 1000}, "e", ReasonAgent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cluster(t, tc.insts...)
			p := compile(t, c, Spec{Constraints: tc.constraints})
			res := c.Place(p, &tc.task, nil)
			require.False(t, res.Placed())
			require.Equal(t, tc.closest, res.Closest)
			require.Equal(t, tc.reason, res.ClosestReason)
		})
	}
}

// TestStrategies: each strategy and chains of them.
func TestStrategies(t *testing.T) {
	web := &Task{Group: "service:web", CPU: 100, Memory: 100}
	// a (az1) 1000/1000 with 2 web tasks; b (az1) 500/2000; c (az2) 800/800 with
	// 1 web task; d (az2) 3000/3000; e (az3) 2000/300.
	setup := func(t *testing.T) *Cluster {
		c := cluster(t, inst("a", "az1", 1200, 1200), inst("b", "az1", 500, 2000), inst("c", "az2", 900, 900),
			inst("d", "az2", 3000, 3000), inst("e", "az3", 2000, 300))
		reserve(t, c, "a", web, 2)
		reserve(t, c, "c", web, 1)
		return c
	}
	tests := []struct {
		name       string
		strategies []Strategy
		want       string
	}{
		{"binpack cpu: least cpu left", []Strategy{{Type: StrategyBinpack, Field: FieldCPU}}, "b"},
		{"binpack memory: least memory left", []Strategy{{Type: StrategyBinpack, Field: FieldMemory}}, "e"},
		{"spread instanceId: fewest tasks, then lowest ID", []Strategy{{Type: StrategySpread, Field: FieldInstanceID}}, "b"},
		{"spread host is instanceId", []Strategy{{Type: StrategySpread, Field: FieldHost}}, "b"},
		{"spread az: emptiest zone", []Strategy{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone}}, "e"},
		{"spread az then binpack memory", []Strategy{
			{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone}, {Type: StrategyBinpack, Field: FieldMemory}}, "e"},
		{"binpack cpu then spread", []Strategy{
			{Type: StrategyBinpack, Field: FieldCPU}, {Type: StrategySpread, Field: FieldInstanceID}}, "b"},
		{"spread instance then binpack memory", []Strategy{
			{Type: StrategySpread, Field: FieldInstanceID}, {Type: StrategyBinpack, Field: FieldMemory}}, "e"},
		{"spread on a custom attribute nobody has: all tie", []Strategy{{Type: StrategySpread, Field: "attribute:rack"}}, "a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := setup(t)
			p := compile(t, c, Spec{Strategies: tc.strategies})
			require.Equal(t, tc.want, c.Place(p, web, nil).Instance)
		})
	}
}

// TestSpreadKeepsZonesBalanced: placing one at a time with the default
// service strategy fills zones evenly, and instances within a zone evenly.
// [DG:ecs_services#service_scheduler_replica]
func TestSpreadKeepsZonesBalanced(t *testing.T) {
	c := cluster(t,
		inst("a1", "az1", 9999, 9999), inst("a2", "az1", 9999, 9999), inst("a3", "az1", 9999, 9999),
		inst("b1", "az2", 9999, 9999),
		inst("c1", "az3", 9999, 9999), inst("c2", "az3", 9999, 9999))
	p := compile(t, c, Spec{Service: true})
	require.Equal(t, []Strategy{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone},
		{Type: StrategySpread, Field: FieldInstanceID}}, p.Effective())
	web := &Task{Group: "service:web", CPU: 1, Memory: 1}
	var order []string
	for range 9 {
		res := c.Place(p, web, nil)
		require.True(t, res.Placed())
		_, err := c.Reserve(res.Instance, web)
		require.NoError(t, err)
		order = append(order, res.Instance)
	}
	// Zones fill 1-1-1, 2-2-2, 3-3-3; within the zones the emptiest
	// instance goes first (c2, with no task, before b1 with one).
	require.Equal(t, []string{"a1", "b1", "c1", "a2", "c2", "b1", "a3", "c1", "b1"}, order)
	// Another service's tasks do not count.
	other := &Task{Group: "service:other", CPU: 1, Memory: 1}
	require.Equal(t, "a1", c.Place(p, other, nil).Instance)
}

// TestRandom: the RunTask default draws once per placement from the given
// stream, is reproducible, reaches every instance, and a strategy before
// random narrows the draw.
func TestRandom(t *testing.T) {
	c := cluster(t, inst("a", "az1", 500, 500), inst("b", "az1", 500, 500), inst("c", "az2", 500, 500),
		inst("d", "az2", 100, 100))
	task := &Task{Group: "family:batch", CPU: 200, Memory: 200}
	p := compile(t, c, Spec{})
	require.True(t, p.Random())
	draw := func(p *Plan, seed uint64) []string {
		rng := rand.New(rand.NewPCG(seed, 0))
		var out []string
		for range 200 {
			out = append(out, c.Place(p, task, rng).Instance)
		}
		return out
	}
	first := draw(p, 1)
	require.Equal(t, first, draw(p, 1), "same seed, same choices")
	require.ElementsMatch(t, []string{"a", "b", "c"}, unique(first), "every instance that fits is drawn; d does not fit")

	// Exactly one draw per placement.
	rng, twin := rand.New(rand.NewPCG(5, 5)), rand.New(rand.NewPCG(5, 5))
	c.Place(p, task, rng)
	twin.IntN(3)
	require.Equal(t, twin.Uint64(), rng.Uint64())
	// No draw when nothing fits.
	rng, twin = rand.New(rand.NewPCG(5, 5)), rand.New(rand.NewPCG(5, 5))
	require.False(t, c.Place(p, &Task{CPU: 9999}, rng).Placed())
	require.Equal(t, twin.Uint64(), rng.Uint64())
	// nil stream: lowest ID.
	require.Equal(t, "a", c.Place(p, task, nil).Instance)

	narrowed := compile(t, c, Spec{Strategies: []Strategy{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone},
		{Type: StrategyBinpack, Field: FieldCPU}, {Type: StrategyRandom}, {Type: StrategyBinpack, Field: FieldMemory}}})
	require.Equal(t, []Strategy{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone},
		{Type: StrategyBinpack, Field: FieldCPU}, {Type: StrategyRandom}}, narrowed.Effective(), "strategies after random are unused")
	require.ElementsMatch(t, []string{"a", "b", "c"}, unique(draw(narrowed, 2)))
}

func unique(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// TestKernelAgreesWithGeneric: the fast selection and the generic one
// choose the same instance and count the same ties, on clusters and
// strategies the kernel accepts.
func TestKernelAgreesWithGeneric(t *testing.T) {
	gen := rand.New(rand.NewPCG(3, 4))
	shapes := [][]Strategy{
		nil,
		{{Type: StrategyRandom}},
		{{Type: StrategyBinpack, Field: FieldCPU}},
		{{Type: StrategySpread, Field: FieldInstanceID}},
		{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone}},
		{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone}, {Type: StrategyBinpack, Field: FieldMemory}},
		{{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone}, {Type: StrategySpread, Field: FieldInstanceID}},
	}
	for it := range 500 {
		c := NewCluster()
		for k := range gen.IntN(40) {
			in := genInstance(gen, fmt.Sprintf("%03d", k))
			require.NoError(t, c.AddInstance(in))
		}
		for range gen.IntN(60) {
			task := genTask(gen)
			task.HostPorts, task.DynamicTCPPorts, task.DynamicUDPPorts = nil, 0, 0
			ids := c.IDs()
			if len(ids) > 0 {
				_, _ = c.Reserve(pick(gen, ids), task)
			}
		}
		p := compile(t, c, Spec{Strategies: pick(gen, shapes), Service: gen.IntN(2) == 0})
		task := genTask(gen)
		task.HostPorts, task.DynamicTCPPorts, task.DynamicUDPPorts = nil, 0, 0
		g := c.groupOf(task.Group)
		var rk [MaxStrategies]ranker
		m := c.rankers(p, g, &rk)
		require.True(t, c.kernelFits(&rk, m))
		var best [MaxStrategies]int64
		gi, gt := c.selectGeneric(p, task, g, &rk, m, &best)
		ki, kt := c.selectKernel(task, &rk, m)
		require.Equal(t, gi, ki, "iteration %d: instance", it)
		require.Equal(t, gt, kt, "iteration %d: ties", it)
	}
}

// TestCompileErrors: invalid input is an InvalidParameterException naming
// the field.
func TestCompileErrors(t *testing.T) {
	six := make([]Strategy, 6)
	for k := range six {
		six[k] = Strategy{Type: StrategyRandom}
	}
	eleven := make([]Constraint, 11)
	for k := range eleven {
		eleven[k] = Constraint{Type: ConstraintDistinctInstance}
	}
	long := Constraint{Type: ConstraintMemberOf, Expression: "attribute:a == " + string(make([]byte, MaxExpressionLength))}
	tests := []struct {
		name string
		spec Spec
		path string
		msg  string
	}{
		{"six strategies", Spec{Strategies: six}, "placementStrategy", "at most 5"},
		{"eleven constraints", Spec{Constraints: eleven}, "placementConstraints", "at most 10"},
		{"unknown type", Spec{Strategies: []Strategy{{Type: StrategyRandom}, {Type: "pack"}}}, "placementStrategy[1].type", `Invalid placement strategy type "pack"`},
		{"type is case-sensitive", Spec{Strategies: []Strategy{{Type: "Spread", Field: FieldHost}}}, "placementStrategy[0].type", "Invalid placement strategy type"},
		{"binpack field", Spec{Strategies: []Strategy{{Type: StrategyBinpack, Field: "disk"}}}, "placementStrategy[0].field", `Invalid field "disk" for the binpack`},
		{"binpack without field", Spec{Strategies: []Strategy{{Type: StrategyBinpack}}}, "placementStrategy[0].field", "binpack"},
		{"spread without field", Spec{Strategies: []Strategy{{Type: StrategySpread}}}, "placementStrategy[0].field", "requires a field"},
		{"spread on unknown field", Spec{Strategies: []Strategy{{Type: StrategySpread, Field: "instanceType"}}}, "placementStrategy[0].field", `Invalid field "instanceType" for the spread`},
		{"spread on bad attribute", Spec{Strategies: []Strategy{{Type: StrategySpread, Field: "attribute:"}}}, "placementStrategy[0].field", "Invalid field"},
		{"unknown constraint", Spec{Constraints: []Constraint{{Type: "sameInstance"}}}, "placementConstraints[0].type", `Invalid placement constraint type "sameInstance"`},
		{"distinctInstance with expression", Spec{Constraints: []Constraint{{Type: ConstraintDistinctInstance, Expression: "attribute:a exists"}}}, "placementConstraints[0].expression", "cannot have an expression"},
		{"memberOf without expression", Spec{Constraints: []Constraint{{Type: ConstraintMemberOf, Expression: " "}}}, "placementConstraints[0].expression", "requires an expression"},
		{"expression too long", Spec{Constraints: []Constraint{long}}, "placementConstraints[0].expression", "at most 2000 characters"},
		{"unparsable expression", Spec{Constraints: []Constraint{{Type: ConstraintDistinctInstance}, {Type: ConstraintMemberOf, Expression: "attribute:a == b and"}}},
			"placementConstraints[1].expression", `Invalid placement constraint expression "attribute:a == b and": expected a subject at position 21 (end of expression).`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCluster().Compile(tc.spec)
			var ae *api.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, api.CodeInvalidParameterException, ae.Code)
			require.Equal(t, tc.path, ae.Path)
			require.Contains(t, ae.Message, tc.msg)
		})
	}
}

func TestCompileNormalises(t *testing.T) {
	c := NewCluster()
	p := compile(t, c, Spec{Strategies: []Strategy{{Type: StrategySpread, Field: "HOST"}, {Type: StrategyBinpack, Field: "MEMORY"},
		{Type: StrategyRandom, Field: "ignored"}}, Constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "attribute:a exists"}}})
	require.Equal(t, []Strategy{{Type: StrategySpread, Field: FieldInstanceID}, {Type: StrategyBinpack, Field: FieldMemory},
		{Type: StrategyRandom}}, p.Strategies())
	require.Equal(t, []Constraint{{Type: ConstraintMemberOf, Expression: "attribute:a exists"}}, p.Constraints())
	require.Panics(t, func() { NewCluster().Place(p, &Task{}, nil) }, "a plan belongs to its cluster")
}

// TestMessages: the service event for each closest-match reason.
func TestMessages(t *testing.T) {
	const prefix = "(service web) was unable to place a task because no container instance met all of its requirements."
	tests := []struct {
		reason Reason
		text   string
		event  string
	}{
		{ReasonCPU, "RESOURCE:CPU", " The closest matching container-instance 1a2b has insufficient CPU units available."},
		{ReasonMemory, "RESOURCE:MEMORY", " The closest matching container-instance 1a2b has insufficient memory available."},
		{ReasonPorts, "RESOURCE:PORTS", " The closest matching container-instance 1a2b is already using a port required by your task."},
		{ReasonAgent, "AGENT", ` The closest matching container-instance 1a2b encountered error "AGENT".`},
		{ReasonMemberOf, "MemberOf placement constraint unsatisfied.", ` The closest matching container-instance 1a2b encountered error "MemberOf placement constraint unsatisfied.".`},
		{ReasonDistinctInstance, "DistinctInstance placement constraint unsatisfied.", ` The closest matching container-instance 1a2b encountered error "DistinctInstance placement constraint unsatisfied.".`},
		{ReasonGPU, "RESOURCE:GPU", ` The closest matching container-instance 1a2b encountered error "RESOURCE:GPU".`},
		{ReasonENI, "RESOURCE:ENI", ` The closest matching container-instance 1a2b encountered error "RESOURCE:ENI".`},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			require.Equal(t, tc.text, tc.reason.String())
			require.Equal(t, prefix+tc.event+" For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.", UnableToPlaceMessage("web", Result{Candidates: 1, Closest: "1a2b", ClosestReason: tc.reason}))
		})
	}
	require.Equal(t, prefix+" Reason: No Container Instances were found in your cluster.", UnableToPlaceMessage("web", Result{}))
	require.Equal(t, "scheduler.ReasonMemory", fmt.Sprintf("%#v", ReasonMemory))
}
