package elb

import (
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// Traffic through the load balancers. A listener given a traffic shape
// (sim:SetListenerTraffic) receives that many requests per second; they
// are routed at an instant, as rates, never as one event per request:
// by the listener's default action to its target groups (forward weights
// read live), then within each group across the targets that take
// traffic, by the group's algorithm and slow start. Readers (the
// CloudWatch feed each minute, ECS for its tasks' CPU) ask for the
// routing at the current instant. See docs/fidelity.md for the rules
// chosen where AWS gives no formula.

// SetListenerTrafficInput is the input of sim:SetListenerTraffic.
type SetListenerTrafficInput struct {
	ListenerArn *string `json:"listenerArn,omitempty"`
	// Traffic is the load the listener receives: a request-rate shape and
	// what a request costs the targets that serve it (package workload).
	Traffic *workload.Traffic `json:"traffic,omitempty"`
	// Requests optionally splits the requests into classes with the
	// content rule conditions match (host, path, headers, ...); each class
	// goes to the first rule, by priority, that matches it (match.go).
	// The requests no class claims are GET / to the load balancer's DNS
	// name.
	Requests []RequestClass `json:"requests,omitempty"`
}

// SetListenerTraffic gives an Application Load Balancer's listener the
// requests it receives, replacing any it had.
func (m *ELB) SetListenerTraffic(in *SetListenerTrafficInput) (*Empty, error) {
	if in.ListenerArn == nil {
		return nil, missing("listenerArn")
	}
	ls, ok := m.lsByArn[*in.ListenerArn]
	if !ok {
		return nil, listenerNotFound()
	}
	if ls.lb.typ != TypeApplication {
		return nil, validation("listenerArn", "sim:SetListenerTraffic takes a listener of an Application Load Balancer; Network Load Balancer traffic is not simulated")
	}
	if in.Traffic == nil {
		return nil, missing("traffic")
	}
	tr := *in.Traffic
	if err := tr.Validate(); err != nil {
		return nil, validation("traffic", "traffic: %s", err)
	}
	reqs, err := checkRequests(in.Requests)
	if err != nil {
		return nil, err
	}
	ls.traffic, ls.requests = &tr, reqs
	m.changes++
	return &Empty{}, nil
}

// TargetLoad is what one target receives at an instant.
type TargetLoad struct {
	// RPS is the requests per second routed to the target.
	RPS float64
	// CPU is the vCPU seconds per second those requests cost
	// (RPS × the listener traffic's CPUPerRequest).
	CPU float64
	// MemoryMiB is the memory the target uses for them: the traffic's
	// MemoryBaseMiB plus MemoryPerRPSMiB × RPS.
	MemoryMiB float64
}

// LoadBalancerTraffic is a load balancer's traffic at an instant, in
// requests per second: what its AWS/ApplicationELB metrics count.
type LoadBalancerTraffic struct {
	// Dimension is the LoadBalancer dimension value, app/<name>/<id>.
	Dimension string
	// Requests is every request its listeners received; ELB5XX those the
	// load balancer answered itself with a 5XX (503: no target; 502: the
	// target refused the connection); Target5XX and Target4XX those a
	// target answered with a 5XX or a 4XX.
	Requests, ELB5XX, Target5XX, Target4XX float64
	// TargetRequests are the requests that reached a target and
	// ResponseTime their mean response time, in seconds.
	TargetRequests, ResponseTime float64
	// Groups are the target groups its listeners and rules forward to, in
	// creation order.
	Groups []TargetGroupTraffic
	// Zones are its enabled Availability Zones, in name order.
	Zones []string
}

// TargetGroupTraffic is one target group's share of a load balancer's
// traffic at an instant.
type TargetGroupTraffic struct {
	// Dimension is the TargetGroup dimension value, targetgroup/<name>/<id>.
	Dimension string
	// Requests are those forwarded to the group; the others as in
	// LoadBalancerTraffic.
	Requests, ELB5XX, Target5XX, Target4XX, TargetRequests, ResponseTime float64
	// Healthy and Unhealthy count its targets in those states.
	Healthy, Unhealthy int
	// FailOpen is whether it routes to unhealthy targets because none is
	// healthy.
	FailOpen bool
	// Targets are the requests per second each registered target gets, in
	// registration order.
	Targets []TargetShare
	// Zones are its healthy and unhealthy targets by their Availability
	// Zone, in name order (targets outside the VPC are in none).
	Zones []ZoneHosts
	// Latencies are the response times of the targets that answered, each
	// with its requests per second, in registration order: the values
	// behind ResponseTime, from which TargetResponseTime's percentiles
	// follow.
	Latencies []TargetLatency
}

// TargetLatency is one target's response time and the requests per
// second it answered in that time.
type TargetLatency struct {
	Seconds, RPS float64
}

// ZoneHosts counts a group's targets in one Availability Zone.
type ZoneHosts struct {
	Zone               string
	Healthy, Unhealthy int
}

// TargetShare is the requests one target gets.
type TargetShare struct {
	ID    string
	Port  int32
	State string
	RPS   float64
}

// flow is the requests a listener forwards to one group, per second.
type flow struct {
	tg  *targetGroup
	rps float64
	tr  *workload.Traffic
}

// flowStep is one step of a listener's flow plan (listenerPlan): a class
// of its requests, with its share of them, or one flow of the class
// before it to a target group, with the forward weight and the weights'
// total that split the class's requests.
type flowStep struct {
	class bool
	// A class: its share of the listener's requests, and whether the
	// load balancer answers them itself with a 5XX.
	share float64
	err   bool
	// A flow: the group (nil when no group has the ARN), the weight and
	// total.
	tg       *targetGroup
	w, total float64
}

// listenerPlan sets how ls splits its requests, whatever their rate:
// each class of requests (the default request for those no class claims)
// goes to the rule it matches (match.go), whose action gives the flows to
// target groups, by forward weight, and the requests answered by the load
// balancer itself, with a 5XX or not (rulePlan). The plan is kept while
// the model's changes count stays: matching the rules and finding the
// groups by ARN is then done once, not at every instant the listener is
// routed (see flowsOf).
func (m *ELB) listenerPlan(ls *listener) {
	plan := ls.plan[:0]
	rest := 1.0
	for i := range ls.requests {
		r := &ls.requests[i]
		rest -= r.share
		plan = m.rulePlan(ls.matchRule(r), r.share, plan)
	}
	if rest > 1e-12 {
		def := request{path: DefaultRequestPath, method: DefaultRequestMethod}
		plan = m.rulePlan(ls.matchRule(&def), rest, plan)
	}
	ls.plan, ls.planOK, ls.planChanges = plan, true, m.changes
}

// flowsOf returns the requests per second listener ls receives at at and
// how it splits them (its plan, applied to the rate: the flows and the
// requests the load balancer answers itself with a 5XX), kept until the
// instant or the model's changes count moves: the traffic summary and
// GroupLoads route the same listeners at the end of every minute. The
// flows are the listener's: read them before the next call.
func (m *ELB) flowsOf(ls *listener, at sim.Time) (rps float64, flows []flow, elb5xx float64) {
	if ls.flowsOK && ls.flowsAt == at && ls.flowsChanges == m.changes {
		return ls.flowsRPS, ls.flows, ls.flowsELB5XX
	}
	if !ls.planOK || ls.planChanges != m.changes {
		m.listenerPlan(ls)
	}
	rps = ls.traffic.Shape.Rate(at.Sub(m.start))
	flows = ls.flows[:0]
	var classRPS float64
	for i := range ls.plan {
		st := &ls.plan[i]
		if st.class {
			classRPS = rps * st.share
			if st.err {
				elb5xx += classRPS
			}
			continue
		}
		if classRPS != 0 {
			flows = append(flows, flow{tg: st.tg, rps: classRPS * st.w / st.total, tr: ls.traffic})
		}
	}
	ls.flows, ls.flowsRPS, ls.flowsELB5XX = flows, rps, elb5xx
	ls.flowsOK, ls.flowsAt, ls.flowsChanges = true, at, m.changes
	return rps, flows, elb5xx
}

// rulePlan appends to plan the class of requests with share share that
// rule r answers, and how its action splits them: the flows to target
// groups, by forward weight, or the load balancer's own answer, a 5XX (503
// from a forward whose weights are all 0, a fixed-response 5XX) or not
// (redirects and other fixed responses, answered without a target or an
// error).
func (m *ELB) rulePlan(r *rule, share float64, plan []flowStep) []flowStep {
	var act *Action
	for i := range r.actions {
		a := &r.actions[i]
		switch api.Deref(a.Type) {
		case ActionForward, ActionRedirect, ActionFixedResponse:
			act = a
		}
	}
	if act == nil {
		return append(plan, flowStep{class: true, share: share})
	}
	switch *act.Type {
	case ActionFixedResponse:
		code := api.Deref(act.FixedResponseConfig.StatusCode)
		return append(plan, flowStep{class: true, share: share, err: len(code) == 3 && code[0] == '5'})
	case ActionRedirect:
		return append(plan, flowStep{class: true, share: share})
	}
	var tuples []TargetGroupTuple
	if act.ForwardConfig != nil {
		tuples = act.ForwardConfig.TargetGroups
	}
	if len(tuples) == 0 && act.TargetGroupArn != nil {
		tuples = []TargetGroupTuple{{TargetGroupArn: act.TargetGroupArn}}
	}
	total := 0.0
	for _, t := range tuples {
		total += float64(weightOf(t))
	}
	if total == 0 {
		// Every weight 0: nowhere to send a request.
		return append(plan, flowStep{class: true, share: share, err: true})
	}
	plan = append(plan, flowStep{class: true, share: share})
	for _, t := range tuples {
		if w := weightOf(t); w > 0 {
			plan = append(plan, flowStep{tg: m.tgByArn[api.Deref(t.TargetGroupArn)], w: float64(w), total: total})
		}
	}
	return plan
}

// weightOf is a forward tuple's weight; 1 when absent, as with a single
// group. [ELBAPI:TargetGroupTuple.Weight]
func weightOf(t TargetGroupTuple) int32 {
	if t.Weight == nil {
		return 1
	}
	return *t.Weight
}

// spread returns the share of a group's requests each of its targets gets
// at at, in registration order, and whether the group fails open. All
// shares are 0 when no target takes traffic.
//
// Healthy targets take traffic; when none is healthy and some are
// unhealthy the group fails open to its unhealthy targets
// [ALB:target-group-health-checks] ("If all targets fail health checks
// at the same time ... the load balancer fails open"). Initial, draining,
// unused and unavailable targets get nothing. Each taking target has a
// weight: 1 for round_robin and weighted_random (the expected share of a
// random choice), 1/response time for least_outstanding_requests (at a
// steady rate the outstanding requests of a target are rate × response
// time, so equal outstanding requests mean shares inversely proportional
// to the response time); slow start then holds back part of the share of
// a target that turned healthy less than slow_start.duration_seconds ago.
// The shares are the group's, kept until something that shapes them
// changes (the group's changes count) or, while they depend on the instant (slow start
// ramps, least outstanding requests' answers), until the instant does:
// the ECS feed and the ALB feed both route every group at the end of
// every minute, and most minutes nothing changed. Callers must not modify
// them.
func (m *ELB) spread(tg *targetGroup, at sim.Time) (shares []float64, failOpen bool) {
	if tg.spreadOK && (tg.spreadAt == at || tg.spreadTimeless) && tg.spreadChanges == tg.changes && len(tg.spreadShares) == len(tg.targets) {
		return tg.spreadShares, tg.spreadFailOpen
	}
	var timeless bool
	shares, failOpen, timeless = m.computeSpread(tg, at)
	tg.spreadShares, tg.spreadFailOpen, tg.spreadTimeless = shares, failOpen, timeless
	tg.spreadOK, tg.spreadAt, tg.spreadChanges = true, at, tg.changes
	return shares, failOpen
}

// computeSpread is spread without the kept shares; it fills the group's
// shares slice, grown as needed. timeless reports that the shares hold
// at every later instant until something changes: no target is in slow
// start, and the algorithm does not weigh answers (which expire). A
// target's time since it turned healthy only grows, so a target out of
// slow start stays out until its health changes.
func (m *ELB) computeSpread(tg *targetGroup, at sim.Time) (shares []float64, failOpen, timeless bool) {
	n := len(tg.targets)
	if cap(tg.spreadShares) < n {
		tg.spreadShares = make([]float64, n, 2*n)
	}
	if cap(m.ramps) < n {
		m.ramps = make([]float64, n, 2*n)
	}
	shares, ramps := tg.spreadShares[:n], m.ramps[:n]
	clear(shares)
	clear(ramps)
	state := HealthHealthy
	if !slices.ContainsFunc(tg.targets, func(t *target) bool { return t.state == HealthHealthy }) {
		state, failOpen = HealthUnhealthy, true
	}
	lor := tg.attrs.get(AttrAlgorithm) == "least_outstanding_requests"
	slow := tg.attrs.seconds(AttrSlowStart)
	steady := false  // some taking target is out of slow start
	ramping := false // and some is in it
	for i, t := range tg.targets {
		if t.state != state {
			continue
		}
		ramps[i] = 1
		if since := at.Sub(t.healthySince); !failOpen && slow > 0 && since < slow {
			ramps[i] = float64(since) / float64(slow)
			ramping = true
		} else {
			steady = true
		}
	}
	total := 0.0
	for i, t := range tg.targets {
		if t.state != state {
			continue
		}
		w := 1.0
		if lor {
			w = 1 / max(m.answerOf(tg, t, at).Latency, time.Millisecond).Seconds()
		}
		shares[i] = w
		total += w
	}
	timeless = !lor && !ramping
	if total == 0 {
		return shares, false, timeless
	}
	for i := range shares {
		shares[i] /= total
	}
	// Slow start: a target in it gets ramp × its fair share, the load
	// balancer "linearly increases the number of requests" up to it; the
	// rest goes to the targets out of slow start, by their shares. A
	// target enters slow start only while another healthy target is out
	// of it. [ALB:load-balancer-target-groups#slow-start-mode]
	if !steady {
		return shares, failOpen, timeless
	}
	held, full := 0.0, 0.0
	for i := range shares {
		if ramps[i] < 1 {
			held += shares[i] * (1 - ramps[i])
			shares[i] *= ramps[i]
		} else {
			full += shares[i]
		}
	}
	for i := range shares {
		if ramps[i] == 1 && full > 0 {
			shares[i] += held * shares[i] / full
		}
	}
	return shares, failOpen, timeless
}

// dimension is the load balancer's CloudWatch dimension value,
// app/<name>/<id>: its ARN after "loadbalancer/", found once (the traffic
// summary reads it every minute). [ALB:load-balancer-cloudwatch-metrics]
func (lb *loadBalancer) dimension() string {
	if lb.dim == "" {
		_, lb.dim, _ = strings.Cut(lb.arn, ":loadbalancer/")
	}
	return lb.dim
}

// dimension is the group's CloudWatch dimension value,
// targetgroup/<name>/<id>: the last part of its ARN.
func (tg *targetGroup) dimension() string {
	return tg.arn[strings.LastIndexByte(tg.arn, ':')+1:]
}

// answerOf returns what target t of tg answers a request at at: its
// status (0: no connection) and response time. A request is answered as
// the health-check path is (docs/fidelity.md). The answer is kept until
// its Until, until the backend reports a change (TargetChanged) or until
// the group's health-check path changes (ModifyTargetGroup). The
// answer is the target's: read it before the next call for the target.
// Routing asks for every target every minute; the kept answer is found
// inline.
func (m *ELB) answerOf(tg *targetGroup, t *target, at sim.Time) *Answer {
	if !t.answerOK || at >= t.answer.Until {
		m.probeAnswer(tg, t, at)
	}
	return &t.answer
}

// probeAnswer asks the backend for answerOf and keeps its answer.
func (m *ELB) probeAnswer(tg *targetGroup, t *target, at sim.Time) {
	proto := tg.protocol
	if tg.isHTTP() {
		proto = ProtocolHTTP
	}
	a := m.cfg.Backend.Probe(Probe{TargetType: tg.targetType, ID: t.id, Port: t.port, Protocol: proto, Path: tg.hc.path, At: at})
	if a.Until <= at {
		a.Until = at + 1 // a backend that did not say: good for this instant only
	}
	t.answer, t.answerOK = a, true
}

// Traffic returns the traffic of every active load balancer with a
// listener that has traffic, in creation order, at the current instant.
func (m *ELB) Traffic() []LoadBalancerTraffic {
	return m.traffic(nil, true)
}

// TrafficSummary is Traffic without the requests of each target (the
// groups' Targets are empty), for readers that need only the totals, such
// as the CloudWatch feed each minute. The slice and the groups' slices are
// reused by the next call: read them before calling again.
func (m *ELB) TrafficSummary() []LoadBalancerTraffic {
	m.summary = m.traffic(m.summary, false)
	return m.summary
}

// traffic appends to buf[:0], reusing its groups' slices, the traffic of
// every active load balancer, with or without each target's requests.
func (m *ELB) traffic(buf []LoadBalancerTraffic, targets bool) []LoadBalancerTraffic {
	at := m.eng.Now()
	out := buf[:0]
	m.index()
	for _, lb := range m.lbs {
		if lb.state != StateActive {
			continue
		}
		var groups []TargetGroupTraffic
		var zones []string
		if len(out) < len(buf) {
			groups, zones = buf[len(out)].Groups[:0], buf[len(out)].Zones[:0]
		}
		for _, z := range lb.zones {
			zones = append(zones, z.ZoneName)
		}
		lt := LoadBalancerTraffic{Dimension: lb.dimension(), Groups: groups, Zones: zones}
		fwd := lb.routesTo
		for _, tg := range fwd {
			tg.routed, tg.routedCPU = 0, 0
		}
		has := false
		for _, ls := range lb.listeners {
			if ls.traffic == nil {
				continue
			}
			has = true
			rps, flows, e5 := m.flowsOf(ls, at)
			lt.Requests += rps
			lt.ELB5XX += e5
			for _, f := range flows {
				if f.tg == nil {
					continue
				}
				f.tg.routed += f.rps
				f.tg.routedCPU += f.rps * f.tr.CPUPerRequest.Seconds()
			}
		}
		if !has {
			continue
		}
		rt := 0.0
		for _, tg := range fwd { // every group in use, for the host counts
			cpuPerRequest := 0.0
			if tg.routed > 0 {
				cpuPerRequest = tg.routedCPU / tg.routed
			}
			var zbuf []ZoneHosts
			var lbuf []TargetLatency
			if n := len(lt.Groups); n < cap(lt.Groups) {
				old := lt.Groups[:n+1][n]
				zbuf, lbuf = old.Zones[:0], old.Latencies[:0]
			}
			g := m.groupTraffic(tg, tg.routed, cpuPerRequest, at, targets, zbuf, lbuf)
			lt.ELB5XX += g.ELB5XX
			lt.Target5XX += g.Target5XX
			lt.Target4XX += g.Target4XX
			lt.TargetRequests += g.TargetRequests
			rt += g.ResponseTime * g.TargetRequests
			lt.Groups = append(lt.Groups, g)
		}
		if lt.TargetRequests > 0 {
			lt.ResponseTime = rt / lt.TargetRequests
		}
		out = append(out, lt)
	}
	return out
}

func compareOrder(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// groupTraffic routes rps requests per second across tg's targets at at.
// A request costs cpuPerRequest vCPU seconds. With targets false,
// g.Targets stays empty. The zone counts are appended to zones, the
// answering targets' latencies to lats.
func (m *ELB) groupTraffic(tg *targetGroup, rps, cpuPerRequest float64, at sim.Time, targets bool, zones []ZoneHosts, lats []TargetLatency) TargetGroupTraffic {
	g := TargetGroupTraffic{Dimension: tg.dimension(), Requests: rps, Latencies: lats}
	h := m.hostCounts(tg)
	g.Healthy, g.Unhealthy, g.Zones = h.healthy, h.unhealthy, append(zones, h.zones...)
	shares, failOpen := m.spread(tg, at)
	g.FailOpen = failOpen
	rt, taken := 0.0, 0.0
	for i, t := range tg.targets {
		r := rps * shares[i]
		if targets {
			g.Targets = append(g.Targets, TargetShare{ID: t.id, Port: t.port, State: t.state, RPS: r})
		}
		taken += shares[i]
		if r == 0 {
			continue
		}
		a := m.answerOf(tg, t, at)
		switch {
		case a.Status == 0:
			g.ELB5XX += r // 502: the target refused the connection
			continue
		case a.Status >= 500:
			g.Target5XX += r
		case a.Status >= 400:
			g.Target4XX += r
		case a.ErrorRate > 0:
			// The expected share of errors, as every count here is a
			// rate (docs/fidelity.md).
			if e := r * a.ErrorRate; a.ErrorStatus >= 500 {
				g.Target5XX += e
			} else {
				g.Target4XX += e
			}
		}
		g.TargetRequests += r
		lat := a.Latency.Seconds() * saturation(r*cpuPerRequest, a.CPU)
		rt += r * lat
		g.Latencies = append(g.Latencies, TargetLatency{Seconds: lat, RPS: r})
	}
	if taken == 0 {
		g.ELB5XX += rps // 503: no target to send a request to
	}
	if g.TargetRequests > 0 {
		g.ResponseTime = rt / g.TargetRequests
	}
	return g
}

// hostCounts returns tg's healthy and unhealthy targets, counted again
// only when a target's health or the targets changed (the group's
// changes count): the
// traffic summary reports them for every group every minute. The zones
// are the group's: callers copy them.
func (m *ELB) hostCounts(tg *targetGroup) *hostCounts {
	if tg.hostsOK && tg.hostsChanges == tg.changes {
		return &tg.hosts
	}
	g := TargetGroupTraffic{Zones: tg.hosts.zones[:0]}
	for _, t := range tg.targets {
		switch t.state {
		case HealthHealthy:
			g.Healthy++
			g.zone(t.az).Healthy++
		case HealthUnhealthy:
			g.Unhealthy++
			g.zone(t.az).Unhealthy++
		}
	}
	tg.hosts = hostCounts{healthy: g.Healthy, unhealthy: g.Unhealthy, zones: g.Zones}
	tg.hostsOK, tg.hostsChanges = true, tg.changes
	return &tg.hosts
}

// HasTraffic reports whether a listener has traffic, on a load balancer
// active or not yet.
func (m *ELB) HasTraffic() bool {
	return slices.ContainsFunc(m.listeners, func(ls *listener) bool { return ls.traffic != nil })
}

// GroupLoads computes the load each target of a group receives at the
// current instant, from every listener with traffic that forwards to it,
// and keeps it on the targets for their handles to read (TargetRef.Load)
// until the next GroupLoads of the group; it returns false when no
// listener routes to the group (then its targets' load comes from
// elsewhere). It also sets how much the group's
// saturated targets slow down their health checks until the next call,
// so callers ask at fixed instants (ECS: every minute), the same whatever
// the health-check mode.
func (m *ELB) GroupLoads(targetGroupArn string) bool {
	tg, ok := m.tgByArn[targetGroupArn]
	if !ok {
		return false
	}
	at := m.eng.Now()
	routed := false
	m.index()
	for _, ls := range tg.routedBy {
		if ls.traffic == nil || ls.lb.state != StateActive {
			continue
		}
		_, flows, _ := m.flowsOf(ls, at)
		for _, f := range flows {
			if f.tg != tg {
				continue
			}
			if !routed {
				routed = true
				for _, t := range tg.targets {
					t.load = TargetLoad{}
				}
			}
			shares, _ := m.spread(tg, at)
			for i, s := range shares {
				r := f.rps * s
				l := &tg.targets[i].load
				l.RPS += r
				l.CPU += r * f.tr.CPUPerRequest.Seconds()
				l.MemoryMiB = max(l.MemoryMiB, f.tr.MemoryBaseMiB) + f.tr.MemoryPerRPSMiB*r
			}
		}
	}
	// A target's checks slow down as its requests do: the saturation
	// its load gives it holds until the next GroupLoads.
	for _, t := range tg.targets {
		f := 1.0
		if routed && t.load.CPU > 0 && t.state != HealthDraining {
			f = saturation(t.load.CPU, m.answerOf(tg, t, at).CPU)
		}
		m.setSlowdown(t, f, at)
	}
	return routed
}

// saturation is how much longer a request takes on a target whose
// requests ask for demand vCPUs of the capacity its task has: 1 up to
// saturation, then demand ÷ capacity. Past saturation the task's CPU is
// shared among the requests in progress (processor sharing), so each gets
// capacity ÷ demand of the CPU it needs and takes that much longer; the
// task's CPU stays at 100 %. Health checks slow down by the same factor,
// from the load GroupLoads last computed (docs/fidelity.md). A capacity
// of 0 is unknown: no slowdown.
func saturation(demand, capacity float64) float64 {
	if capacity <= 0 || demand <= capacity {
		return 1
	}
	return demand / capacity
}

// zone returns the counts of zone az in g, adding them in name order if
// missing; a target outside the VPC ("all") counts in a discarded entry.
// A group spans a few zones: a scan for equal names finds them sooner
// than a binary search ordering them.
func (g *TargetGroupTraffic) zone(az string) *ZoneHosts {
	if az == "" || az == "all" {
		return &ZoneHosts{}
	}
	for i := range g.Zones {
		if g.Zones[i].Zone == az {
			return &g.Zones[i]
		}
	}
	i, found := slices.BinarySearchFunc(g.Zones, az, func(z ZoneHosts, az string) int { return strings.Compare(z.Zone, az) })
	if !found {
		g.Zones = slices.Insert(g.Zones, i, ZoneHosts{Zone: az})
	}
	return &g.Zones[i]
}
