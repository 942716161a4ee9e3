package scheduler

// A reference model of placement: plain structs, maps and sort.Slice,
// written from the rules in README.md without any of the real
// implementation's indexes, columns or kernels, and a property test that
// the two agree on thousands of random clusters.

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type refInst struct {
	id, ec2   string
	status    Status
	agentOff  bool
	version   string
	regAt     time.Time
	cpu, mem  int // remaining
	gpu, eni  int
	attrs     map[string]string
	ports     map[Port]bool // every port in use
	static    int           // static ports held
	dyn       PortRange
	groups    map[string]int
	taskCount int
}

type refCluster struct {
	insts []*refInst
}

func (rc *refCluster) add(in Instance) {
	ri := &refInst{
		id: in.ID, ec2: in.EC2InstanceID, status: in.Status, agentOff: in.AgentDisconnected,
		version: in.AgentVersion, regAt: in.RegisteredAt,
		cpu: in.CPU, mem: in.Memory, gpu: in.GPUs, eni: in.ENIs,
		attrs: maps.Clone(in.Attributes), ports: map[Port]bool{}, groups: map[string]int{},
		dyn: in.DynamicPorts,
	}
	if ri.attrs == nil {
		ri.attrs = map[string]string{}
	}
	if ri.dyn == (PortRange{}) {
		ri.dyn = DefaultDynamicPorts
	}
	reserved := in.ReservedPorts
	if reserved == nil {
		reserved = LinuxReservedPorts()
	}
	for _, p := range reserved {
		ri.ports[p] = true
	}
	ri.static = len(ri.ports)
	rc.insts = append(rc.insts, ri)
	sort.Slice(rc.insts, func(a, b int) bool { return rc.insts[a].id < rc.insts[b].id })
}

func (rc *refCluster) get(id string) *refInst {
	for _, ri := range rc.insts {
		if ri.id == id {
			return ri
		}
	}
	return nil
}

func (rc *refCluster) remove(id string) {
	rc.insts = slices.DeleteFunc(rc.insts, func(ri *refInst) bool { return ri.id == id })
}

// reserve applies a placement; dynamic ports are the lowest free ones.
func (rc *refCluster) reserve(id string, t *Task) []Port {
	ri := rc.get(id)
	ri.cpu -= t.CPU
	ri.mem -= t.Memory
	ri.gpu -= t.GPUs
	if t.ENI {
		ri.eni--
	}
	for _, p := range t.HostPorts {
		ri.ports[p] = true
	}
	ri.static += len(t.HostPorts)
	var dyn []Port
	for _, want := range []struct {
		n     int
		proto Protocol
	}{{t.DynamicTCPPorts, TCP}, {t.DynamicUDPPorts, UDP}} {
		for range want.n {
			for n := int(ri.dyn.First); n <= int(ri.dyn.Last); n++ {
				p := Port{Number: uint16(n), Protocol: want.proto}
				if !ri.ports[p] {
					ri.ports[p] = true
					dyn = append(dyn, p)
					break
				}
			}
		}
	}
	ri.groups[t.Group]++
	ri.taskCount++
	return dyn
}

// leave stops counting a task in its group.
func (rc *refCluster) leave(id, group string) {
	ri := rc.get(id)
	ri.groups[group]--
	if ri.groups[group] == 0 {
		delete(ri.groups, group)
	}
}

func (rc *refCluster) release(id string, t *Task, dyn []Port, counted bool) {
	ri := rc.get(id)
	ri.cpu += t.CPU
	ri.mem += t.Memory
	ri.gpu += t.GPUs
	if t.ENI {
		ri.eni++
	}
	for _, p := range t.HostPorts {
		delete(ri.ports, p)
	}
	ri.static -= len(t.HostPorts)
	for _, p := range dyn {
		delete(ri.ports, p)
	}
	if counted {
		rc.leave(id, t.Group)
	}
	ri.taskCount--
}

// refReason is the first failing check and how close the instance came.
type refReason struct {
	reason Reason
	stage  int
	amount int
}

func (rc *refCluster) firstFailure(ri *refInst, t *Task, cons []Constraint) refReason {
	if ri.cpu < t.CPU {
		return refReason{ReasonCPU, 1, ri.cpu}
	}
	if ri.mem < t.Memory {
		return refReason{ReasonMemory, 2, ri.mem}
	}
	if ri.gpu < t.GPUs {
		return refReason{ReasonGPU, 3, ri.gpu}
	}
	if !refPortsFit(ri, t) {
		return refReason{ReasonPorts, 4, 0}
	}
	if t.ENI && ri.eni < 1 {
		return refReason{ReasonENI, 5, 0}
	}
	for k, ct := range cons {
		if ct.Type == ConstraintDistinctInstance && ri.groups[t.Group] > 0 {
			return refReason{ReasonDistinctInstance, 6 + k, 0}
		}
		if ct.Type == ConstraintMemberOf {
			if !refEval(refParse(ct.Expression).root, ri) {
				return refReason{ReasonMemberOf, 6 + k, 0}
			}
		}
	}
	if ri.agentOff {
		return refReason{ReasonAgent, 6 + len(cons), 0}
	}
	return refReason{}
}

func refPortsFit(ri *refInst, t *Task) bool {
	if len(t.HostPorts) == 0 && t.DynamicTCPPorts == 0 && t.DynamicUDPPorts == 0 {
		return true
	}
	if ri.static+len(t.HostPorts) > MaxHostPorts {
		return false
	}
	taken := maps.Clone(ri.ports)
	for _, p := range t.HostPorts {
		if taken[p] {
			return false
		}
		taken[p] = true
	}
	for _, want := range []struct {
		n     int
		proto Protocol
	}{{t.DynamicTCPPorts, TCP}, {t.DynamicUDPPorts, UDP}} {
		free := int(ri.dyn.Last) - int(ri.dyn.First) + 1
		for p := range taken {
			if p.Protocol == want.proto && p.Number >= ri.dyn.First && p.Number <= ri.dyn.Last {
				free--
			}
		}
		if free < want.n {
			return false
		}
	}
	return true
}

// effective returns the strategies in effect, with defaults.
func refEffective(spec Spec) []Strategy {
	if len(spec.Strategies) == 0 {
		if spec.Service {
			return []Strategy{{StrategySpread, "attribute:" + AttributeAvailabilityZone}, {StrategySpread, FieldInstanceID}}
		}
		return []Strategy{{Type: StrategyRandom}}
	}
	var out []Strategy
	for _, s := range spec.Strategies {
		out = append(out, s)
		if s.Type == StrategyRandom {
			break
		}
	}
	return out
}

// spreadCount counts tasks of the group on instances whose field value
// equals ri's ("" and absent are different: absent is its own value).
func (rc *refCluster) spreadCount(field string, ri *refInst, group string) int {
	if field == FieldInstanceID || field == FieldHost {
		return ri.groups[group]
	}
	name := strings.TrimPrefix(field, "attribute:")
	v, has := ri.attrs[name]
	n := 0
	for _, o := range rc.insts {
		ov, ohas := o.attrs[name]
		if ohas == has && ov == v {
			n += o.groups[group]
		}
	}
	return n
}

type refResult struct {
	chosen  string
	reasons map[string]Reason // ACTIVE instances that do not fit
	closest string
	reason  Reason
}

func (rc *refCluster) place(spec Spec, t *Task, rng *rand.Rand) refResult {
	res := refResult{reasons: map[string]Reason{}}
	var fits []*refInst
	var best *refInst
	var bestR refReason
	for _, ri := range rc.insts {
		if ri.status != Active {
			continue
		}
		r := rc.firstFailure(ri, t, spec.Constraints)
		if r.reason == Fits {
			fits = append(fits, ri)
			continue
		}
		res.reasons[ri.id] = r.reason
		if best == nil || r.stage > bestR.stage || r.stage == bestR.stage && r.amount > bestR.amount {
			best, bestR = ri, r
		}
	}
	if len(fits) == 0 {
		if best != nil {
			res.closest, res.reason = best.id, bestR.reason
		}
		return res
	}
	strategies := refEffective(spec)
	keys := func(ri *refInst) []int {
		var ks []int
		for _, s := range strategies {
			switch s.Type {
			case StrategyBinpack:
				if strings.EqualFold(s.Field, FieldCPU) {
					ks = append(ks, ri.cpu-t.CPU)
				} else {
					ks = append(ks, ri.mem-t.Memory)
				}
			case StrategySpread:
				ks = append(ks, rc.spreadCount(s.Field, ri, t.Group))
			}
		}
		return ks
	}
	sort.SliceStable(fits, func(a, b int) bool { return slices.Compare(keys(fits[a]), keys(fits[b])) < 0 })
	ties := 1
	for ties < len(fits) && slices.Equal(keys(fits[ties]), keys(fits[0])) {
		ties++
	}
	pick := 0
	if strategies[len(strategies)-1].Type == StrategyRandom {
		pick = rng.IntN(ties)
	}
	res.chosen = fits[pick].id
	return res
}

// chooseStop is the scale-in reference.
func (rc *refCluster) chooseStop(spec Spec, group string, tasks []Running, rng *rand.Rand) int {
	for k, t := range tasks {
		if rc.get(t.Instance) == nil {
			return k
		}
	}
	strategies := refEffective(spec)
	keys := func(t Running) []int {
		ri := rc.get(t.Instance)
		var ks []int
		for _, s := range strategies {
			switch s.Type {
			case StrategyBinpack:
				if strings.EqualFold(s.Field, FieldCPU) {
					ks = append(ks, -(ri.cpu + t.CPU))
				} else {
					ks = append(ks, -(ri.mem + t.Memory))
				}
			case StrategySpread:
				ks = append(ks, -rc.spreadCount(s.Field, ri, group))
			}
		}
		return ks
	}
	order := make([]int, len(tasks))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return slices.Compare(keys(tasks[order[a]]), keys(tasks[order[b]])) < 0 })
	ties := 1
	for ties < len(order) && slices.Equal(keys(tasks[order[ties]]), keys(tasks[order[0]])) {
		ties++
	}
	if strategies[len(strategies)-1].Type == StrategyRandom {
		return order[rng.IntN(ties)]
	}
	return order[0]
}

// refEval evaluates an expression on a reference instance, from the
// semantics in README.md, with strings and the time package.
func refEval(x *qexpr, ri *refInst) bool {
	switch x.kind {
	case qAnd:
		return refEval(x.l, ri) && refEval(x.r, ri)
	case qOr:
		return refEval(x.l, ri) || refEval(x.r, ri)
	case qNot:
		return !refEval(x.l, ri)
	}
	c := x.cmp
	arg := ""
	if len(c.args) > 0 {
		arg = c.args[0]
	}
	re := func() *regexp.Regexp { return refRegexp("^(?:" + arg + ")$") }
	str := func(s string) bool {
		switch c.op {
		case opEq:
			return s == arg
		case opNe:
			return s != arg
		case opIn:
			return slices.Contains(c.args, s)
		case opNotIn:
			return !slices.Contains(c.args, s)
		case opMatches:
			return re().MatchString(s)
		case opNotMatches:
			return !re().MatchString(s)
		}
		panic("bad string op")
	}
	order := func(k int) bool {
		switch c.op {
		case opEq:
			return k == 0
		case opNe:
			return k != 0
		case opGt:
			return k > 0
		case opGe:
			return k >= 0
		case opLt:
			return k < 0
		case opLe:
			return k <= 0
		}
		panic("bad order op")
	}
	switch c.subj {
	case subjAgentConnected:
		return str(strconv.FormatBool(!ri.agentOff))
	case subjEC2InstanceID:
		return ri.ec2 != "" && str(ri.ec2)
	case subjRunningTasksCount:
		n, _ := strconv.Atoi(arg)
		return order(cmp.Compare(ri.taskCount, n))
	case subjAgentVersion:
		if ri.version == "" {
			return false
		}
		return order(refCompareVersions(ri.version, arg))
	case subjRegisteredAt:
		if ri.regAt.IsZero() {
			return false
		}
		if d, err := time.Parse("2006-01-02", arg); err == nil {
			y, m, dd := ri.regAt.UTC().Date()
			return order(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Compare(d))
		}
		t, err := time.Parse(time.RFC3339, arg)
		if err != nil {
			t, err = time.Parse("2006-01-02T15:04:05", arg)
		}
		if err != nil {
			panic(err)
		}
		return order(ri.regAt.Truncate(time.Second).Compare(t))
	case subjTaskGroup:
		switch c.op {
		case opExists:
			return len(ri.groups) > 0
		case opNotExists:
			return len(ri.groups) == 0
		}
		for g, n := range ri.groups {
			if n > 0 && str(g) {
				return true
			}
		}
		return false
	case subjAttribute:
		v, has := ri.attrs[c.attr]
		switch c.op {
		case opExists:
			return has
		case opNotExists:
			return !has
		}
		if !has {
			return false
		}
		switch c.op {
		case opGt, opGe, opLt, opLe:
			a, errA := strconv.ParseFloat(v, 64)
			b, errB := strconv.ParseFloat(arg, 64)
			if errA == nil && errB == nil && refPlainNumber(v) && refPlainNumber(arg) {
				return order(cmp.Compare(a, b))
			}
			return order(strings.Compare(v, arg))
		}
		return str(v)
	}
	panic("bad subject")
}

var (
	refExprs   = map[string]*Expr{}
	refRegexps = map[string]*regexp.Regexp{}
)

// refParse and refRegexp memoise parsing, which the reference repeats for
// every instance. (Tests in this package do not run in parallel.)
func refParse(s string) *Expr {
	if e, ok := refExprs[s]; ok {
		return e
	}
	e, err := ParseExpression(s)
	if err != nil {
		panic(err)
	}
	refExprs[s] = e
	return e
}

func refRegexp(s string) *regexp.Regexp {
	if re, ok := refRegexps[s]; ok {
		return re
	}
	re := regexp.MustCompile(s)
	refRegexps[s] = re
	return re
}

func refPlainNumber(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789.-+eE", r) {
			return false
		}
	}
	return true
}

func refCompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for k := range 4 {
		var x, y int
		if k < len(pa) {
			x, _ = strconv.Atoi(pa[k])
		}
		if k < len(pb) {
			y, _ = strconv.Atoi(pb[k])
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return 0
}

// ---- random generation ----

var (
	genAZs    = []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	genTypes  = []string{"t2.small", "m5.large", "c5.xlarge", "10", "9.5"}
	genGroups = []string{"service:web", "service:api", "family:batch", "databases"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func genInstance(r *rand.Rand, id string) Instance {
	in := Instance{
		ID:            id,
		EC2InstanceID: fmt.Sprintf("i-%04x", r.IntN(1<<16)),
		CPU:           pick(r, []int{0, 512, 1024, 2048, 4096}),
		Memory:        pick(r, []int{0, 512, 1024, 2048, 4096}),
		GPUs:          pick(r, []int{0, 0, 1, 2}),
		ENIs:          pick(r, []int{0, 1, 2, 3}),
		Attributes:    map[string]string{},
		Status:        pick(r, []Status{Active, Active, Active, Active, Draining}),
	}
	if r.IntN(10) > 0 {
		in.Attributes[AttributeAvailabilityZone] = pick(r, genAZs)
	}
	if r.IntN(4) > 0 {
		in.Attributes["ecs.instance-type"] = pick(r, genTypes)
	}
	if r.IntN(3) == 0 {
		in.Attributes["stack"] = pick(r, []string{"prod", "staging", ""})
	}
	if r.IntN(8) == 0 {
		in.AgentDisconnected = true
	}
	if r.IntN(5) > 0 {
		in.AgentVersion = pick(r, []string{"1.14.5", "1.20", "1.80.0", "2.0.0.1"})
	}
	if r.IntN(5) > 0 {
		in.RegisteredAt = time.Date(2018, 2, 10+r.IntN(6), r.IntN(24), 0, r.IntN(60), 0, time.UTC)
	}
	switch r.IntN(3) {
	case 0:
		in.ReservedPorts = []Port{}
	case 1:
		in.ReservedPorts = []Port{{Number: 80}, {Number: 32768}, {Number: 53, Protocol: UDP}}
	}
	if r.IntN(2) == 0 {
		in.DynamicPorts = PortRange{First: 32768, Last: 32768 + uint16(r.IntN(3))}
	}
	return in
}

func genTask(r *rand.Rand) *Task {
	t := &Task{
		Group:  pick(r, genGroups),
		CPU:    pick(r, []int{0, 128, 256, 512, 1024}),
		Memory: pick(r, []int{0, 128, 512, 1024}),
	}
	if r.IntN(6) == 0 {
		t.GPUs = 1
	}
	if r.IntN(5) == 0 {
		t.ENI = true
	}
	if r.IntN(4) == 0 {
		t.HostPorts = []Port{pick(r, []Port{{Number: 80}, {Number: 8080}, {Number: 32769}, {Number: 53, Protocol: UDP}})}
	}
	if r.IntN(4) == 0 {
		t.DynamicTCPPorts = r.IntN(3)
	}
	if r.IntN(8) == 0 {
		t.DynamicUDPPorts = 1
	}
	return t
}

var genStrategyPool = []Strategy{
	{Type: StrategyRandom},
	{Type: StrategyBinpack, Field: FieldCPU},
	{Type: StrategyBinpack, Field: "MEMORY"},
	{Type: StrategySpread, Field: FieldInstanceID},
	{Type: StrategySpread, Field: FieldHost},
	{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone},
	{Type: StrategySpread, Field: "attribute:ecs.instance-type"},
	{Type: StrategySpread, Field: "attribute:stack"},
}

func genSpec(r *rand.Rand) Spec {
	s := Spec{Service: r.IntN(2) == 0}
	switch r.IntN(4) {
	case 0: // default
	case 1: // the kernel's shapes
		s.Strategies = []Strategy{pick(r, genStrategyPool[5:])}
		if r.IntN(3) > 0 {
			s.Strategies = append(s.Strategies, pick(r, genStrategyPool[:5]))
		}
	default:
		for range 1 + r.IntN(MaxStrategies) {
			s.Strategies = append(s.Strategies, pick(r, genStrategyPool))
		}
	}
	for range r.IntN(3) {
		if r.IntN(3) == 0 {
			s.Constraints = append(s.Constraints, Constraint{Type: ConstraintDistinctInstance})
		} else {
			s.Constraints = append(s.Constraints, Constraint{Type: ConstraintMemberOf, Expression: genExpr(r, 0)})
		}
	}
	return s
}

// genExpr returns a random valid expression.
func genExpr(r *rand.Rand, depth int) string {
	if depth < 2 {
		switch r.IntN(6) {
		case 0:
			return genExpr(r, depth+1) + pick(r, []string{" and ", " && ", " or ", " || "}) + genExpr(r, depth+1)
		case 1:
			return pick(r, []string{"not ", "!", "not"}) + "(" + genExpr(r, depth+1) + ")"
		}
	}
	list := func(vals []string) string {
		n := 1 + r.IntN(2)
		var xs []string
		for range n {
			xs = append(xs, pick(r, vals))
		}
		return "[" + strings.Join(xs, ", ") + "]"
	}
	switch r.IntN(9) {
	case 0:
		return "attribute:" + AttributeAvailabilityZone + " " + pick(r, []string{"==", "!=", "equals", "not_equals"}) + " " + pick(r, genAZs)
	case 1:
		return "attribute:" + AttributeAvailabilityZone + " " + pick(r, []string{"in", "!in", "not_in"}) + " " + list(genAZs)
	case 2:
		return "attribute:ecs.instance-type " + pick(r, []string{"=~", "!~", "matches"}) + " " + pick(r, []string{"t2.*", "(m5|c5)\\..*", "'.*large'"})
	case 3:
		return "attribute:" + pick(r, []string{"stack", "ecs.instance-type", "nope"}) + " " + pick(r, []string{"exists", "!exists", "not_exists"})
	case 4:
		return "attribute:ecs.instance-type " + pick(r, []string{">", ">=", "<", "<=", "greater_than"}) + " " + pick(r, []string{"9.75", "m5.large", "10"})
	case 5:
		return "task:group " + pick(r, []string{"==", "!=", "=~", "in", "exists", "!exists"}) + func() string {
			return " " + pick(r, []string{"service:web", "databases", "service:.*", "[service:web, databases]"})
		}()
	case 6:
		return "runningTasksCount " + pick(r, []string{"==", "!=", ">", "<=", "less_than"}) + " " + strconv.Itoa(r.IntN(3))
	case 7:
		return pick(r, []string{
			"agentConnected == true", "agentConnected != TRUE", "agentConnected in [false]",
			"agentVersion < 1.20.0", "agentVersion >= 1.14.5", "agentVersion == 1.20",
		})
	default:
		return pick(r, []string{
			"registeredAt < 2018-02-13", "registeredAt >= 2018-02-12T12:00:00Z", "registeredAt == 2018-02-11",
			"registeredAt > 2018-02-14T05:00:00+00:00", "ec2InstanceId =~ i-[0-7].*", "ec2InstanceId != i-0000",
		})
	}
}

// fixListArgs rewrites "task:group op [list]" into a valid form: lists go
// with in only.
func fixExpr(s string) string {
	for _, op := range []string{"==", "!=", "=~"} {
		s = strings.ReplaceAll(s, "task:group "+op+" [service:web, databases]", "task:group "+op+" databases")
	}
	for _, v := range []string{"service:web", "databases", "service:.*"} {
		s = strings.ReplaceAll(s, "task:group in "+v, "task:group in ["+v+"]")
		s = strings.ReplaceAll(s, "task:group exists "+v, "task:group exists")
		s = strings.ReplaceAll(s, "task:group !exists "+v, "task:group !exists")
	}
	s = strings.ReplaceAll(s, "task:group exists [service:web, databases]", "task:group exists")
	s = strings.ReplaceAll(s, "task:group !exists [service:web, databases]", "task:group !exists")
	return s
}

// TestPlaceAgreesWithReference places random tasks with random specs into
// random clusters and checks the real scheduler against the reference:
// same instance (with identically seeded random streams), same per-instance
// reasons, same closest instance and reason, same dynamic ports, and the
// same choice of task to stop on scale-in. Between placements it changes
// the clusters (releases, attributes, statuses, agents, removals) the same
// way.
func TestPlaceAgreesWithReference(t *testing.T) {
	iterations := 3000
	if testing.Short() {
		iterations = 300
	}
	gen := rand.New(rand.NewPCG(20261126, 1))
	kernel, generic := 0, 0
	for it := range iterations {
		c, rc := NewCluster(), &refCluster{}
		n := gen.IntN(13)
		ids := map[string]bool{}
		for len(ids) < n {
			ids[fmt.Sprintf("%03x", gen.IntN(4096))] = true
		}
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			in := genInstance(gen, id)
			require.NoError(t, c.AddInstance(in))
			rc.add(in)
		}
		var live []Lease
		var spec Spec
		var p *Plan
		for step := range 12 {
			ctx := fmt.Sprintf("iteration %d step %d", it, step)
			// A service keeps its plan while the cluster changes under it.
			if p == nil || gen.IntN(3) > 0 {
				spec = genSpec(gen)
				for k := range spec.Constraints {
					spec.Constraints[k].Expression = fixExpr(spec.Constraints[k].Expression)
				}
				var err error
				p, err = c.Compile(spec)
				require.NoError(t, err, ctx)
			}
			task := genTask(gen)
			if len(spec.Constraints) == 0 && len(task.HostPorts) == 0 && task.DynamicTCPPorts+task.DynamicUDPPorts == 0 {
				var rk [MaxStrategies]ranker
				if c.kernelFits(&rk, c.rankers(p, c.groupOf(task.Group), &rk)) {
					kernel++
				} else {
					generic++
				}
			} else {
				generic++
			}

			seed := gen.Uint64()
			before := fingerprint(c)
			res := c.Place(p, task, rand.New(rand.NewPCG(seed, 7)))
			require.Equal(t, before, fingerprint(c), "%s: Place changed the cluster", ctx)
			want := rc.place(spec, task, rand.New(rand.NewPCG(seed, 7)))
			require.Equal(t, want.chosen, res.Instance, "%s: chosen instance\nspec %+v\ntask %+v", ctx, spec, task)

			got := map[string]Reason{}
			for _, rj := range c.Rejections(p, task) {
				got[rj.Instance] = rj.Reason
			}
			require.Equal(t, want.reasons, got, "%s: rejections\nspec %+v\ntask %+v", ctx, spec, task)
			for _, ri := range rc.insts {
				r, err := c.Check(p, ri.id, task)
				require.NoError(t, err)
				if ri.status == Active {
					require.Equal(t, want.reasons[ri.id], r, "%s: Check(%s)", ctx, ri.id)
				}
			}
			if !res.Placed() {
				require.Equal(t, want.closest, res.Closest, "%s: closest", ctx)
				require.Equal(t, want.reason, res.ClosestReason, "%s: closest reason", ctx)
				counts := map[Reason]int{}
				for _, r := range want.reasons {
					counts[r]++
				}
				for r := Fits + 1; r < numReasons; r++ {
					require.Equal(t, counts[r], res.Rejected(r), "%s: count of %v", ctx, r)
				}
			} else {
				l, err := c.Reserve(res.Instance, task)
				require.NoError(t, err, ctx)
				require.Equal(t, rc.reserve(res.Instance, task), l.Dynamic, "%s: dynamic ports", ctx)
				live = append(live, l)
			}

			// Scale-in agrees too, over the live tasks of one group.
			group := pick(gen, genGroups)
			var running []Running
			var runningIdx []int
			for k, l := range live {
				if l.Task.Group == group && l.Counted() {
					running = append(running, Running{Instance: l.Instance, CPU: l.Task.CPU, Memory: l.Task.Memory})
					runningIdx = append(runningIdx, k)
				}
			}
			if len(running) > 0 {
				seed := gen.Uint64()
				got := c.ChooseStop(p, group, running, rand.New(rand.NewPCG(seed, 9)))
				want := rc.chooseStop(spec, group, running, rand.New(rand.NewPCG(seed, 9)))
				require.Equal(t, want, got, "%s: ChooseStop\nspec %+v\nrunning %+v", ctx, spec, running)
			} else {
				require.Equal(t, -1, c.ChooseStop(p, group, nil, nil))
			}

			// Change the cluster the same way on both sides.
			switch gen.IntN(9) {
			case 0:
				// A task's desired status becomes STOPPED.
				if len(runningIdx) > 0 {
					l := &live[runningIdx[gen.IntN(len(runningIdx))]]
					if rc.get(l.Instance) != nil {
						require.NoError(t, c.Leave(l), ctx)
						rc.leave(l.Instance, l.Task.Group)
					}
				}
			case 1:
				// A task stops.
				if len(live) > 0 {
					k := gen.IntN(len(live))
					l := &live[k]
					if rc.get(l.Instance) != nil {
						counted := l.Counted()
						require.NoError(t, c.Release(l), ctx)
						rc.release(l.Instance, &l.Task, l.Dynamic, counted)
					}
					live = slices.Delete(live, k, k+1)
				}
			case 2:
				if len(rc.insts) > 0 {
					ri := pick(gen, rc.insts)
					name, value := pick(gen, []string{AttributeAvailabilityZone, "stack", "ecs.instance-type"}), pick(gen, append(genAZs, "prod"))
					if gen.IntN(3) == 0 {
						require.NoError(t, c.DeleteAttribute(ri.id, name))
						delete(ri.attrs, name)
					} else {
						require.NoError(t, c.PutAttribute(ri.id, name, value))
						ri.attrs[name] = value
					}
				}
			case 3:
				if len(rc.insts) > 0 {
					ri := pick(gen, rc.insts)
					ri.status = pick(gen, []Status{Active, Draining, Deregistering})
					require.NoError(t, c.SetStatus(ri.id, ri.status))
				}
			case 4:
				if len(rc.insts) > 0 {
					ri := pick(gen, rc.insts)
					ri.agentOff = !ri.agentOff
					require.NoError(t, c.SetAgentConnected(ri.id, !ri.agentOff))
				}
			case 5:
				if len(rc.insts) > 0 && gen.IntN(3) == 0 {
					ri := pick(gen, rc.insts)
					require.NoError(t, c.RemoveInstance(ri.id))
					rc.remove(ri.id)
				}
			case 7:
				// New values for existing names, after plans were bound.
				if len(rc.insts) > 0 {
					ri := pick(gen, rc.insts)
					v := pick(gen, []string{"t3.large", "11", "m5.xlarge", "us-east-1z"})
					require.NoError(t, c.PutAttribute(ri.id, "ecs.instance-type", v))
					ri.attrs["ecs.instance-type"] = v
				}
			case 6:
				id := fmt.Sprintf("%03x", gen.IntN(4096))
				if rc.get(id) == nil {
					in := genInstance(gen, id)
					require.NoError(t, c.AddInstance(in))
					rc.add(in)
				}
			}
		}
	}
	t.Logf("placements through the kernel: %d, through the generic path: %d", kernel, generic)
	require.Greater(t, kernel, iterations)
	require.Greater(t, generic, iterations)
}

// fingerprint renders everything placement reads, to check that Place
// changes nothing.
func fingerprint(c *Cluster) string {
	var b strings.Builder
	for _, id := range c.IDs() {
		r, _ := c.Remaining(id)
		fmt.Fprintf(&b, "%s %+v %d %v|", id, r, c.TaskCount(id), c.UsedPorts(id))
		for _, g := range genGroups {
			fmt.Fprintf(&b, "%d,", c.GroupCount(g, id))
		}
	}
	return b.String()
}
