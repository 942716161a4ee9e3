package scheduler

import (
	"math/rand/v2"
)

// Result is the outcome of one placement.
type Result struct {
	// Instance is the ID of the chosen container instance; "" when no
	// instance can take the task.
	Instance string
	// Closest is, when the task was not placed, the container instance
	// that came closest (see README.md), and ClosestReason its first
	// failing check: what the service event names. "" when there was no
	// ACTIVE instance.
	Closest       string
	ClosestReason Reason
	// Candidates counts the ACTIVE instances considered.
	Candidates int
	// rejected counts the candidates by first failing check; filled only
	// when the task was not placed.
	rejected [numReasons]int32
}

// Placed reports whether an instance was chosen.
func (r Result) Placed() bool { return r.Instance != "" }

// Rejected returns how many candidates failed first on reason, when the
// task was not placed (0 otherwise: a placement that succeeds does not
// spend time explaining the instances it passed over).
func (r Result) Rejected(reason Reason) int {
	if reason >= numReasons {
		return 0
	}
	return int(r.rejected[reason])
}

// Rejection is one instance that cannot take a task, and why.
type Rejection struct {
	Instance string
	Reason   Reason
}

// ranker computes one strategy's key for an instance; lower is better.
// Its slices alias the cluster's columns for the length of one call.
type ranker struct {
	kind rankKind
	// col is, for binpack, the remaining-resource column; for spread on
	// instanceId, the group's tasks per instance (nil when the group has
	// none); for spread on an attribute, the attribute's value ids.
	col    []int32
	byVal  []int32 // spread on an attribute: the group's tasks per value id
	absent int32   // ... and on instances lacking the attribute
	nvals  int     // ... and how many value ids the attribute has
}

func (r *ranker) key(i int) int64 {
	switch r.kind {
	case rankBinpackCPU, rankBinpackMemory:
		// Least remaining that still fits; remaining-after differs from
		// remaining-now by the same amount on every instance.
		return int64(r.col[i])
	case rankSpreadInstance:
		if r.col == nil {
			return 0
		}
		return int64(r.col[i])
	case rankSpreadAttribute:
		v := r.col[i]
		if v == 0 {
			return int64(r.absent)
		}
		if int(v) < len(r.byVal) {
			return int64(r.byVal[v])
		}
		return 0
	}
	return 0
}

// rankers fills rk for plan p and group g and returns how many are in use.
func (c *Cluster) rankers(p *Plan, g *group, rk *[MaxStrategies]ranker) int {
	for j, r := range p.ranks {
		x := &rk[j]
		x.kind = r.kind
		switch r.kind {
		case rankBinpackCPU:
			x.col = c.rem.cpu
		case rankBinpackMemory:
			x.col = c.rem.mem
		case rankSpreadInstance:
			if g != nil {
				x.col = g.perInst
			}
		case rankSpreadAttribute:
			x.col = c.names[r.name].col
			x.nvals = len(c.names[r.name].values)
			x.absent = g.underValue(r.name, 0)
			if g != nil && int(r.name) < len(g.byAttr) {
				x.byVal = g.byAttr[r.name]
			}
		}
	}
	return len(p.ranks)
}

// Place chooses the container instance for one task, following ECS's
// pipeline [DG:task-placement]: (1) keep the ACTIVE instances with the
// CPU, memory, GPUs, host ports and ENI the task needs; (2) keep those
// that satisfy every placement constraint (and whose agent is connected);
// (3) rank them by the strategies in order, each breaking the ties of the
// one before; (4) take the best, ties going to the lowest instance ID, or
// drawn at random when the plan ranks by random.
//
// When the plan ranks by random and some instance fits, Place draws
// exactly once from rng (rng.IntN over the tied best candidates); it
// never draws otherwise. A nil rng takes the lowest ID instead.
//
// Place neither changes c nor allocates. That a task fits nowhere is not
// an error: the Result says so, counts the rejections by reason and names
// the closest instance.
func (c *Cluster) Place(p *Plan, t *Task, rng *rand.Rand) Result {
	p.mustBelong(c)
	var res Result
	g := c.groupOf(t.Group)
	var rk [MaxStrategies]ranker
	m := c.rankers(p, g, &rk)
	var best [MaxStrategies]int64
	var bestI, ties int
	if len(p.checks) == 0 && len(t.HostPorts) == 0 && t.DynamicTCPPorts == 0 && t.DynamicUDPPorts == 0 &&
		c.kernelFits(&rk, m) {
		bestI, ties = c.selectKernel(t, &rk, m)
		if bestI >= 0 {
			for j := range m {
				best[j] = rk[j].key(bestI)
			}
		}
	} else {
		bestI, ties = c.selectGeneric(p, t, g, &rk, m, &best)
	}
	res.Candidates = c.active
	if bestI < 0 {
		c.explain(&res, p, t, g)
		return res
	}
	if p.random && rng != nil {
		bestI = c.nthTie(p, t, g, &rk, m, &best, bestI, rng.IntN(ties))
	}
	res.Instance = c.ids[bestI]
	return res
}

// selectGeneric is the selection for any plan and task: a pass that
// checks each candidate (firstFailure) and compares the keys of those that
// fit, computing later keys only on ties. It returns the best instance (-1
// if none fits) and how many tie with it.
func (c *Cluster) selectGeneric(p *Plan, t *Task, g *group, rk *[MaxStrategies]ranker, m int, best *[MaxStrategies]int64) (bestI, ties int) {
	bestI = -1
	for i := range c.ids {
		if c.status[i] != Active || !c.quickFit(i, t) {
			continue
		}
		if r, _, _ := c.firstFailure(i, t, p, g); r != Fits {
			continue
		}
		if bestI < 0 {
			for j := range m {
				best[j] = rk[j].key(i)
			}
			bestI, ties = i, 1
			continue
		}
		j := 0
		for ; j < m; j++ {
			k := rk[j].key(i)
			if k == best[j] {
				continue
			}
			if k < best[j] {
				best[j] = k
				for jj := j + 1; jj < m; jj++ {
					best[jj] = rk[jj].key(i)
				}
				bestI, ties = i, 1
			}
			break
		}
		if j == m {
			ties++
		}
	}
	return bestI, ties
}

// kernelValues bounds the values of an attribute that selectKernel
// spreads on (an Availability Zone has a handful).
const kernelValues = 64

// kernelFits reports whether selectKernel can rank with these rankers:
// optionally a spread on an attribute of at most kernelValues value ids
// (the absent value included), then optionally one binpack or spread on
// instanceId.
func (c *Cluster) kernelFits(rk *[MaxStrategies]ranker, m int) bool {
	j := 0
	if j < m && rk[j].kind == rankSpreadAttribute {
		if rk[j].nvals > kernelValues {
			return false
		}
		j++
	}
	if j < m && rk[j].kind != rankSpreadAttribute {
		j++
	}
	return j == m
}

// selectKernel is selectGeneric for the common case: no host ports, no
// constraints, and strategies of the form [spread(attribute)] [binpack |
// spread(instanceId)] with a small attribute domain (the default service
// strategy, and the DG's "spread across AZs, then binpack within each").
// It chooses exactly what selectGeneric would, but is written for speed:
//
//   - every key is an int32 column read at i (remaining CPU or memory, the
//     group's tasks on the instance), so there is no per-instance dispatch;
//   - an instance that is not a candidate or lacks a resource gets the
//     largest key instead of a branch;
//   - a leading spread on an attribute keeps the best instance per value
//     in a stack array, and the values are compared once at the end;
//   - ties are counted with a conditional add, so the only data-dependent
//     branch is "a new best", which is rare.
func (c *Cluster) selectKernel(t *Task, rk *[MaxStrategies]ranker, m int) (bestI, ties int) {
	n := len(c.ids)
	cpu, mem, gpu, eni, flags := c.rem.cpu[:n], c.rem.mem[:n], c.rem.gpu[:n], c.rem.eni[:n], c.flags[:n]
	// grp: value ids of the spread attribute (mask 0: one value);
	// key: the column of the next strategy (mask 0: no key).
	grp, grpMask := cpu, int32(0)
	key, keyMask := cpu, uint64(0)
	var byVal [kernelValues]int32
	j := 0
	if j < m && rk[j].kind == rankSpreadAttribute {
		grp, grpMask = rk[j].col[:n], kernelValues-1
		byVal[0] = rk[j].absent
		if len(rk[j].byVal) > 1 {
			copy(byVal[1:], rk[j].byVal[1:])
		}
		j++
	}
	if j < m && rk[j].col != nil {
		key, keyMask = rk[j].col[:n], 0xffffffff
	}
	grp, key = grp[:n], key[:n]
	needCPU, needMem, needGPU := int64(t.CPU), int64(t.Memory), int64(t.GPUs)
	needENI := int64(0)
	if t.ENI {
		needENI = 1
	}
	const none = ^uint64(0)
	var bestW [kernelValues]uint64
	var bestAt, tied [kernelValues]int32
	for v := range bestW {
		bestW[v] = none
	}
	for i := range n {
		f := flags[i]
		// Negative when the instance is not a candidate, its agent is
		// disconnected, or it lacks a resource.
		bad := (int64(cpu[i]) - needCPU) | (int64(mem[i]) - needMem) | (int64(gpu[i]) - needGPU) |
			(int64(eni[i]) - needENI) | -int64(f)
		v := grp[i] & grpMask
		w := uint64(uint32(key[i]))&keyMask | uint64(bad>>63)
		bw := bestW[v]
		eq := int32(0)
		if w == bw {
			eq = 1
		}
		tied[v] += eq
		if w < bw {
			bestW[v], bestAt[v], tied[v] = w, int32(i), 1
		}
	}
	// The best value: fewest tasks of the group, then the best key, then
	// the lowest instance index; ties add up across equal values.
	bestI, bestV := -1, 0
	for v := range kernelValues {
		if bestW[v] == none {
			continue
		}
		switch {
		case bestI < 0 || byVal[v] < byVal[bestV] || byVal[v] == byVal[bestV] && bestW[v] < bestW[bestV]:
			bestI, bestV, ties = int(bestAt[v]), v, int(tied[v])
		case byVal[v] == byVal[bestV] && bestW[v] == bestW[bestV]:
			bestI = min(bestI, int(bestAt[v]))
			ties += int(tied[v])
		}
	}
	return bestI, ties
}

// explain fills the rejection counts and the closest instance of a
// placement that found no instance.
func (c *Cluster) explain(res *Result, p *Plan, t *Task, g *group) {
	closeI, closeStage, closeAmt := -1, 0, int32(0)
	for i := range c.ids {
		if c.status[i] != Active {
			continue
		}
		reason, stage, amt := c.firstFailure(i, t, p, g)
		if reason == Fits {
			continue
		}
		res.rejected[reason]++
		if stage > closeStage || stage == closeStage && amt > closeAmt {
			closeI, closeStage, closeAmt = i, stage, amt
		}
	}
	if closeI >= 0 {
		res.Closest = c.ids[closeI]
		res.ClosestReason = c.reasonAtStage(p, closeStage)
	}
}

// nthTie returns the n-th (from 0) candidate from first on that fits and
// ties with best on every key.
func (c *Cluster) nthTie(p *Plan, t *Task, g *group, rk *[MaxStrategies]ranker, m int, best *[MaxStrategies]int64, first, n int) int {
	for i := first; i < len(c.ids); i++ {
		if c.status[i] != Active || !c.quickFit(i, t) {
			continue
		}
		if r, _, _ := c.firstFailure(i, t, p, g); r != Fits {
			continue
		}
		tie := true
		for j := range m {
			if rk[j].key(i) != best[j] {
				tie = false
				break
			}
		}
		if tie {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return first // unreachable: the ties were counted on the same state
}

// Stages order the checks; a later first failure is closer to fitting.
// Resources use their Reason value (1 to 5), constraint k is stageConstraint+k,
// and AGENT comes after every constraint.
const stageConstraint = 6

func (c *Cluster) reasonAtStage(p *Plan, stage int) Reason {
	switch {
	case stage < stageConstraint:
		return Reason(stage)
	case stage-stageConstraint < len(p.checks):
		if p.checks[stage-stageConstraint].distinct {
			return ReasonDistinctInstance
		}
		return ReasonMemberOf
	}
	return ReasonAgent
}

// firstFailure returns the first check instance i fails for the task, its
// stage, and for CPU, memory and GPU failures the amount left of that
// resource (more left is closer). Checks, in order: CPU, memory, GPU,
// ports, ENI, the constraints in the order given, the agent.
func (c *Cluster) firstFailure(i int, t *Task, p *Plan, g *group) (Reason, int, int32) {
	if r := c.resourceFit(i, t); r != Fits {
		var amt int32
		switch r {
		case ReasonCPU:
			amt = c.rem.cpu[i]
		case ReasonMemory:
			amt = c.rem.mem[i]
		case ReasonGPU:
			amt = c.rem.gpu[i]
		}
		return r, int(r), amt
	}
	for k, ch := range p.checks {
		if ch.distinct {
			// distinctInstance: no other task of the same group there.
			// [API:PlacementConstraint.type]
			if g.onInstance(i) > 0 {
				return ReasonDistinctInstance, stageConstraint + k, 0
			}
		} else if !c.eval(ch.q.root, i) {
			return ReasonMemberOf, stageConstraint + k, 0
		}
	}
	if c.agentOff[i] {
		// Checked last, so that the closest match names an instance that
		// has everything but its agent, as the DG's AGENT event implies.
		return ReasonAgent, stageConstraint + len(p.checks), 0
	}
	return Fits, 0, 0
}

// quickFit is the cheap part of resourceFit, for skipping instances that
// are plainly full before the full check.
func (c *Cluster) quickFit(i int, t *Task) bool {
	return int64(c.rem.cpu[i]) >= int64(t.CPU) && int64(c.rem.mem[i]) >= int64(t.Memory)
}

// resourceFit checks CPU, memory, GPUs, host ports and ENI, in that order.
// [DG:task-placement] step 1.
func (c *Cluster) resourceFit(i int, t *Task) Reason {
	switch {
	case int64(c.rem.cpu[i]) < int64(t.CPU):
		return ReasonCPU
	case int64(c.rem.mem[i]) < int64(t.Memory):
		return ReasonMemory
	case int64(c.rem.gpu[i]) < int64(t.GPUs):
		return ReasonGPU
	case !c.portsFit(i, t):
		return ReasonPorts
	case t.ENI && c.rem.eni[i] < 1:
		// Each awsvpc task takes one ENI attachment point. [DG:container-instance-eni]
		return ReasonENI
	}
	return Fits
}

// portsFit checks the host ports: every static port free, the instance
// staying within MaxHostPorts static ports, and enough free ports in the
// dynamic range for the dynamic mappings (static ports inside the range
// take from it too).
func (c *Cluster) portsFit(i int, t *Task) bool {
	if len(t.HostPorts) == 0 && t.DynamicTCPPorts == 0 && t.DynamicUDPPorts == 0 {
		return true
	}
	if int(c.static[i])+len(t.HostPorts) > MaxHostPorts {
		return false
	}
	ps, dyn := c.ports[i], c.dyn[i]
	var inRange [2]int64
	for _, p := range t.HostPorts {
		if ps.has(p.key()) {
			return false
		}
		if dyn.contains(p.Number) {
			inRange[p.Protocol&1]++
		}
	}
	for proto, need := range [2]int{t.DynamicTCPPorts, t.DynamicUDPPorts} {
		if need > 0 && int64(dyn.size())-int64(c.dynUsed[i][proto])-inRange[proto] < int64(need) {
			return false
		}
	}
	return true
}

// Rejections returns, in ID order, every ACTIVE instance that cannot take
// the task and its first failing reason: the failures[] of a RunTask that
// could not place. It allocates; Place is the fast path.
func (c *Cluster) Rejections(p *Plan, t *Task) []Rejection {
	p.mustBelong(c)
	g := c.groupOf(t.Group)
	var out []Rejection
	for i := range c.ids {
		if c.status[i] != Active {
			continue
		}
		if r, _, _ := c.firstFailure(i, t, p, g); r != Fits {
			out = append(out, Rejection{Instance: c.ids[i], Reason: r})
		}
	}
	return out
}

// Check returns the first check a given instance fails for the task, or
// Fits: what StartTask, which names its instances, needs. It does not look
// at the instance's status; it returns ErrUnknownInstance for an unknown
// ID.
func (c *Cluster) Check(p *Plan, id string, t *Task) (Reason, error) {
	p.mustBelong(c)
	i, err := c.lookup(id)
	if err != nil {
		return Fits, err
	}
	r, _, _ := c.firstFailure(i, t, p, c.groupOf(t.Group))
	return r, nil
}
