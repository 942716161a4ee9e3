package elb

import (
	"container/heap"
	"fmt"
	"slices"
	"time"

	"github.com/ecssim/ecssim/sim"
)

// Target health checks, as the Application and Network Load Balancer
// guides describe them [ALB:target-group-health-checks]:
//
//   - a target registered with a group that a listener forwards to is
//     "initial" (Elb.RegistrationInProgress) until its registration
//     completes, Config.RegistrationTime later, then "initial"
//     (Elb.InitialHealthChecking);
//   - the first check runs one interval after registration completes,
//     then one every interval; each result holds for the whole interval;
//   - a new target needs one passing check to become "healthy"; an
//     unhealthy one needs HealthyThresholdCount consecutive passes;
//   - UnhealthyThresholdCount consecutive failures make an initial or
//     healthy target "unhealthy", with the reason of the last failure;
//   - a deregistered target is "draining" for the group's deregistration
//     delay, without checks, and then leaves the group.
//
// What a check gets back comes from the Backend (the World answers with
// the behaviour of the container's image), or from a fault. The answer
// holds until a known instant, so the model need not run every check as
// an event: it computes the check at which the state will next change, or
// at which the answer changes, and schedules only that (the "analytic"
// mode). Config.TickHealthChecks runs every check instead; both give the
// same trace, which a test proves. All targets share one timer, and
// targets due at the same instant are handled in the order of their
// groups' creation and their registration, in both modes.

// Backend answers the load balancer's health checks and tells it about
// instances. The World implements it with the ECS model.
type Backend interface {
	// Probe answers a health check sent to a target at p.At.
	Probe(p Probe) Answer
	// InstanceZone returns the Availability Zone of a running EC2
	// instance, and whether there is one with that ID.
	InstanceZone(id string) (string, bool)
}

// Probe is one health check: where it goes and when.
type Probe struct {
	TargetType string // "instance" or "ip"
	ID         string // instance ID or IP address
	Port       int32  // the port checked
	Protocol   string // HTTP, HTTPS or TCP
	Path       string // for HTTP and HTTPS
	At         sim.Time
}

// Answer is what a health check gets back. Status 0 means no connection
// (nothing listens on the port); otherwise Status is the HTTP status (any
// non-zero value for a TCP check, which only connects). The same answer
// holds for every check sent before Until (sim.Never: for ever, as far as
// the backend knows now; when that changes the backend calls
// [ELB.TargetChanged]).
type Answer struct {
	Status  int
	Latency time.Duration
	Until   sim.Time
	// CPU is the vCPUs the target's application has for requests (its
	// task's CPU), 0 when unknown: past it, requests slow down (traffic.go).
	CPU float64
	// ErrorRate is the share (0 to 1) of traffic requests, not health
	// checks, the target answers with ErrorStatus instead of Status.
	ErrorRate   float64
	ErrorStatus int
}

type noBackend struct{}

func (noBackend) Probe(Probe) Answer                 { return Answer{Until: sim.Never} }
func (noBackend) InstanceZone(string) (string, bool) { return "", false }

// Target health states and reasons. [ELBAPI enum TargetHealthStateEnum]
// [ELBAPI enum TargetHealthReasonEnum]
const (
	HealthInitial     = "initial"
	HealthHealthy     = "healthy"
	HealthUnhealthy   = "unhealthy"
	HealthUnused      = "unused"
	HealthDraining    = "draining"
	HealthUnavailable = "unavailable"

	ReasonRegistrationInProgress   = "Elb.RegistrationInProgress"
	ReasonInitialHealthChecking    = "Elb.InitialHealthChecking"
	ReasonResponseCodeMismatch     = "Target.ResponseCodeMismatch"
	ReasonTimeout                  = "Target.Timeout"
	ReasonFailedHealthChecks       = "Target.FailedHealthChecks"
	ReasonNotRegistered            = "Target.NotRegistered"
	ReasonNotInUse                 = "Target.NotInUse"
	ReasonDeregistrationInProgress = "Target.DeregistrationInProgress"
)

// describe returns AWS's description of a reason.
// [ALB:target-group-health-checks#target-health-reason-codes]
func describe(reason string, code int, zoneDisabled bool) string {
	switch reason {
	case ReasonRegistrationInProgress:
		return "Target registration is in progress"
	case ReasonInitialHealthChecking:
		return "Initial health checks in progress"
	case ReasonResponseCodeMismatch:
		return fmt.Sprintf("Health checks failed with these codes: [%d]", code)
	case ReasonTimeout:
		return "Request timed out"
	case ReasonFailedHealthChecks:
		return "Health checks failed"
	case ReasonNotRegistered:
		return "Target is not registered to the target group"
	case ReasonNotInUse:
		if zoneDisabled {
			return "Target is in an Availability Zone that is not enabled for the load balancer"
		}
		return "Target group is not configured to receive traffic from the load balancer"
	case ReasonDeregistrationInProgress:
		return "Target deregistration is in progress"
	}
	return ""
}

// result is the outcome of one check: pass, or fail with a reason (and
// the status code for ResponseCodeMismatch).
type result struct {
	pass   bool
	reason string
	code   int
}

// hcFault makes a group's checks answer status (or time out) from from
// until until.
type hcFault struct {
	on          bool
	from, until sim.Time
	status      int
	timeout     bool
}

// answer returns what a check of t sent at `at` gets back, and until when
// that holds.
func (m *ELB) answer(t *target, at sim.Time) (result, sim.Time) {
	tg := t.tg
	port := t.port
	if tg.hc.port != TrafficPort {
		var p int
		fmt.Sscan(tg.hc.port, &p)
		port = int32(p)
	}
	a := m.cfg.Backend.Probe(Probe{TargetType: tg.targetType, ID: t.id, Port: port, Protocol: tg.hc.protocol, Path: tg.hc.path, At: at})
	until := a.Until
	if until <= at {
		until = sim.Never // a backend that forgot to say: assume it holds
	}
	// A saturated target answers its checks as slowly as its requests
	// (docs/fidelity.md): a check may time out under overload.
	if f := t.slowdown(at); f > 1 && a.Status != 0 {
		a.Latency = time.Duration(min(float64(a.Latency)*f, float64(maxLatency)))
	}
	if at <= t.slowFrom {
		until = min(until, t.slowFrom+1)
	}
	if f := tg.fault; f.on {
		switch {
		case at < f.from:
			until = min(until, f.from)
		case at < f.until:
			until = min(until, f.until)
			a.Status, a.Latency = f.status, 0
			if f.timeout {
				a.Latency = tg.hc.timeout
			}
		}
	}
	switch {
	case a.Status == 0 && a.Latency < tg.hc.timeout:
		return result{reason: ReasonFailedHealthChecks}, until
	case a.Latency >= tg.hc.timeout:
		return result{reason: ReasonTimeout}, until
	case tg.hc.protocol == ProtocolTCP:
		return result{pass: true}, until
	case tg.hc.matcher != nil && tg.hc.matcher.GrpcCode != nil:
		// gRPC checks: ecssim's images answer in HTTP terms; a 2xx
		// stands for the expected gRPC code (docs/fidelity.md).
		if a.Status >= 200 && a.Status < 300 {
			return result{pass: true}, until
		}
		return result{reason: ReasonResponseCodeMismatch, code: a.Status}, until
	case tg.hc.codes.has(a.Status):
		return result{pass: true}, until
	}
	return result{reason: ReasonResponseCodeMismatch, code: a.Status}, until
}

// maxLatency bounds a slowed-down answer's latency, far above any
// health-check timeout, so that the product cannot overflow.
const maxLatency = 24 * time.Hour

// slowdown returns by how much t's answers to a check sent at at are
// slowed down by its saturation: 1 when not saturated.
func (t *target) slowdown(at sim.Time) float64 {
	s := t.slow
	if at <= t.slowFrom {
		s = t.slowPrev
	}
	return max(s, 1)
}

// setSlowdown sets the slowdown of t's answers to checks sent after now
// to f (≥ 1), when its saturation changed. The analytic mode re-plans
// t's next health change: the checks due by now gave the answer last
// seen, the ones after now answer afresh.
func (m *ELB) setSlowdown(t *target, f float64, now sim.Time) {
	if f == t.slowdown(now+1) {
		return
	}
	if t.slowFrom != now {
		t.slowPrev = t.slowdown(now)
	}
	t.slow, t.slowFrom = f, now
	if m.cfg.TickHealthChecks || !t.checking || t.state == HealthDraining || t.reason == ReasonRegistrationInProgress {
		return
	}
	t.catchUp(now)
	m.schedule(t)
}

// healthClock schedules the health events of every target on one timer:
// a heap of targets by (next event, group order, registration order).
type healthClock struct {
	m     *ELB
	h     targetHeap
	timer sim.Timer
	at    sim.Time // when timer fires; sim.Never when not armed
	seq   uint64   // registration counter
	act   sim.Action
}

func (c *healthClock) init(m *ELB) {
	c.m, c.at = m, sim.Never
	c.act = func(any) error { return c.fire() }
}

type targetHeap []*target

func (h targetHeap) Len() int { return len(h) }
func (h targetHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.next != b.next {
		return a.next < b.next
	}
	if a.tg.order != b.tg.order {
		return a.tg.order < b.tg.order
	}
	return a.order < b.order
}
func (h targetHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *targetHeap) Push(x any) { t := x.(*target); t.idx = len(*h); *h = append(*h, t) }
func (h *targetHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.idx = -1
	return t
}

// set schedules t's next event at `at` (sim.Never: none).
func (c *healthClock) set(t *target, at sim.Time) {
	t.next = at
	switch {
	case at == sim.Never && t.idx >= 0:
		heap.Remove(&c.h, t.idx)
	case at == sim.Never:
	case t.idx >= 0:
		heap.Fix(&c.h, t.idx)
	default:
		heap.Push(&c.h, t)
	}
	c.arm()
}

func (c *healthClock) forget(t *target) { c.set(t, sim.Never) }

// arm points the timer at the earliest event.
func (c *healthClock) arm() {
	next := sim.Never
	if len(c.h) > 0 {
		next = c.h[0].next
	}
	if next == c.at {
		return
	}
	c.timer.Cancel()
	c.at = next
	if next != sim.Never {
		c.timer, _ = c.m.eng.ScheduleArg(next, c.act, nil)
	}
}

// fire handles every target due now, in heap order.
func (c *healthClock) fire() error {
	now := c.m.eng.Now()
	c.at = sim.Never
	for len(c.h) > 0 && c.h[0].next <= now {
		t := c.h[0]
		c.m.onTargetEvent(t, now)
	}
	c.arm()
	return nil
}

// checkTime returns the time of check k (k ≥ 1) of t.
func (t *target) checkTime(k int64) sim.Time {
	return t.phase.Add(time.Duration(k) * t.tg.hc.interval)
}

// firstCheckAtOrAfter returns the index of the first check at or after at.
func (t *target) firstCheckAtOrAfter(at sim.Time) int64 {
	iv := int64(t.tg.hc.interval)
	d := int64(at - t.phase)
	if d <= iv {
		return 1
	}
	return (d + iv - 1) / iv
}

// onTargetEvent handles t's event due now: registration completing, or a
// health check (tick mode) / the check at which
// something changes (analytic mode).
func (m *ELB) onTargetEvent(t *target, now sim.Time) {
	switch {
	case t.reason == ReasonRegistrationInProgress:
		m.setTargetHealth(t, HealthInitial, ReasonInitialHealthChecking, 0)
		t.k = 1
	default:
		k := t.firstCheckAtOrAfter(now)
		if t.checkTime(k) != now {
			// A stale event (settings changed); recompute.
			break
		}
		if k > t.k {
			// Checks t.k .. k-1 all gave the answer last seen, and
			// changed nothing (analytic mode only).
			t.count(t.last, k-t.k)
		}
		r, _ := m.answer(t, now)
		t.k = k + 1
		m.applyCheck(t, r)
	}
	m.schedule(t)
}

// count adds n checks with result r to t's consecutive counts.
func (t *target) count(r result, n int64) {
	const ceiling = 1 << 20 // far above any threshold
	if r.pass {
		t.fails, t.passes = 0, int(min(int64(t.passes)+n, ceiling))
	} else {
		t.passes, t.fails = 0, int(min(int64(t.fails)+n, ceiling))
	}
}

// applyCheck applies one check's result to t.
func (m *ELB) applyCheck(t *target, r result) {
	t.count(r, 1)
	t.last = r
	hc := t.tg.hc
	switch {
	case r.pass && t.state == HealthInitial:
		m.setTargetHealth(t, HealthHealthy, "", 0)
	case r.pass && t.state == HealthUnhealthy && t.passes >= hc.healthy:
		m.setTargetHealth(t, HealthHealthy, "", 0)
	case !r.pass && t.state != HealthUnhealthy && t.fails >= hc.unhealthy:
		m.setTargetHealth(t, HealthUnhealthy, r.reason, r.code)
	case !r.pass && t.state == HealthUnhealthy && (r.reason != t.reason || r.code != t.code):
		m.setTargetHealth(t, HealthUnhealthy, r.reason, r.code)
	}
}

// changesAt returns how many checks from now, with result r holding, t's
// state changes: at the n-th check (n ≥ 1), or 0 for never.
func (t *target) changesAt(r result) int64 {
	hc := t.tg.hc
	switch {
	case r.pass && t.state == HealthInitial:
		return 1
	case r.pass && t.state == HealthUnhealthy:
		return int64(max(hc.healthy-t.passes, 1))
	case r.pass:
		return 0
	case t.state == HealthUnhealthy:
		if r.reason != t.reason || r.code != t.code {
			return 1
		}
		return 0
	}
	return int64(max(hc.unhealthy-t.fails, 1))
}

// schedule sets t's next event in the current mode.
func (m *ELB) schedule(t *target) {
	c := &m.health
	switch {
	case !t.checking || t.state == HealthDraining:
		c.set(t, sim.Never)
	case t.reason == ReasonRegistrationInProgress:
		c.set(t, t.phase)
	case m.cfg.TickHealthChecks:
		c.set(t, t.checkTime(t.k))
	default:
		at := t.checkTime(t.k)
		r, until := m.answer(t, at)
		// The answer holds for checks t.k .. up to until; remember it
		// for counting the checks the model skips.
		t.last = r
		if n := t.changesAt(r); n > 0 {
			k := t.k + n - 1
			if until == sim.Never || t.checkTime(k) < until {
				c.set(t, t.checkTime(k))
				return
			}
		}
		if until == sim.Never {
			c.set(t, sim.Never)
			return
		}
		c.set(t, t.checkTime(max(t.firstCheckAtOrAfter(until), t.k)))
	}
}

// Trace event types of the model.
const (
	EventTargetHealthChange      = "ELB Target Health Change"
	EventLoadBalancerStateChange = "ELB Load Balancer State Change"
)

// TargetHealthChange is the trace detail of a target whose health state
// or reason changed: "ELB Target Health Change".
type TargetHealthChange struct {
	TargetGroupArn string `json:"targetGroupArn"`
	TargetId       string `json:"targetId"`
	Port           int32  `json:"port"`
	State          string `json:"state"`
	Reason         string `json:"reason,omitempty"`
	Description    string `json:"description,omitempty"`
	PreviousState  string `json:"previousState,omitempty"`
}

// AppendJSON appends the change as JSON, byte for byte what encoding/json
// gives (the trace hash depends on it; a test and a fuzz test hold the
// two equal). A fleet's trace holds a change per target per state, and
// this skips reflection.
func (d *TargetHealthChange) AppendJSON(b []byte) []byte {
	b = sim.AppendJSONField(append(b, '{'), true, "targetGroupArn", d.TargetGroupArn)
	b = sim.AppendJSONField(b, false, "targetId", d.TargetId)
	b = sim.AppendJSONInt(b, "port", int64(d.Port))
	b = sim.AppendJSONField(b, false, "state", d.State)
	for _, f := range [...]struct{ name, v string }{{"reason", d.Reason}, {"description", d.Description}, {"previousState", d.PreviousState}} {
		if f.v != "" {
			b = sim.AppendJSONField(b, false, f.name, f.v)
		}
	}
	return append(b, '}')
}

// OnTargetHealthChange registers fn to be called after every change of a
// target's health state or reason, in the order they happen.
func (m *ELB) OnTargetHealthChange(fn func(TargetHealthChange)) {
	m.observers = append(m.observers, fn)
}

func (m *ELB) setTargetHealth(t *target, state, reason string, code int) {
	if t.state == state && t.reason == reason && t.code == code {
		return
	}
	prev := t.state
	t.state, t.reason, t.code = state, reason, code
	m.groupChanged(t.tg)
	if state == HealthHealthy && prev != HealthHealthy {
		t.healthySince = m.eng.Now()
	}
	d := TargetHealthChange{TargetGroupArn: t.tg.arn, TargetId: t.id, Port: t.port, State: state, Reason: reason,
		Description: describe(reason, code, t.zoneDisabled), PreviousState: prev}
	m.eng.Record(sim.Event{Type: EventTargetHealthChange, Source: "ecssim", Resources: []string{t.tg.arn}, Detail: &d})
	for _, fn := range m.observers {
		fn(d)
	}
}

// startChecks puts a registered target of a group in use into
// registration: initial, Elb.RegistrationInProgress.
func (m *ELB) startChecks(t *target) {
	now := m.eng.Now()
	t.checking = true
	t.passes, t.fails, t.k = 0, 0, 1
	t.last = result{}
	t.phase = now.Add(m.cfg.RegistrationTime)
	if m.cfg.RegistrationTime == 0 {
		m.setTargetHealth(t, HealthInitial, ReasonInitialHealthChecking, 0)
	} else {
		m.setTargetHealth(t, HealthInitial, ReasonRegistrationInProgress, 0)
	}
	m.schedule(t)
}

// stopChecks makes a target unused (its group has no listener, or its
// zone is not enabled).
func (m *ELB) stopChecks(t *target) {
	t.checking = false
	m.setTargetHealth(t, HealthUnused, ReasonNotInUse, 0)
	m.schedule(t)
}

// usageChanged starts or stops the checks of tg's targets when a listener
// or rule starts or stops forwarding to it.
func (c *healthClock) usageChanged(tg *targetGroup) {
	m := c.m
	for _, t := range tg.targets {
		if t.state == HealthDraining {
			continue
		}
		t.zoneDisabled = tg.inUse && !m.zoneEnabled(tg, t.az)
		if tg.inUse && !t.zoneDisabled {
			m.startChecks(t)
		} else {
			m.stopChecks(t)
		}
	}
}

// settingsChanged restarts the check schedule of tg's targets after
// ModifyTargetGroup: the next check is one new interval from now; states
// and consecutive counts stay.
func (c *healthClock) settingsChanged(tg *targetGroup) {
	now := c.m.eng.Now()
	for _, t := range tg.targets {
		if !t.checking || t.state == HealthDraining || t.reason == ReasonRegistrationInProgress {
			continue
		}
		t.catchUp(now)
		t.phase, t.k = now, 1
		c.m.schedule(t)
	}
}

// catchUp counts the checks of t that are due by now and that the
// analytic mode skipped because they changed nothing: they all gave the
// answer last seen. A check due now whose event is still pending is left
// to run. (In tick mode every due check has run, and nothing is counted.)
func (t *target) catchUp(now sim.Time) {
	limit := now
	if t.next == now && t.idx >= 0 {
		limit = now - 1
	}
	if limit < t.phase {
		return
	}
	if k := t.firstCheckAtOrAfter(limit + 1); k > t.k {
		t.count(t.last, k-t.k)
		t.k = k
	}
}

// TargetChanged tells the model that the backend's answers may have
// changed, for checks after now, for the targets with this ID (an IP
// address or an instance ID): a container behind it started or exited. It
// recomputes their next checks. In tick mode nothing needs doing, as every
// check asks the backend.
func (m *ELB) TargetChanged(id string) {
	ts := m.byID[id]
	if len(ts) == 0 {
		return
	}
	for _, t := range ts {
		t.answerOK = false // what requests get is answered afresh too
		m.groupChanged(t.tg)
	}
	if m.cfg.TickHealthChecks {
		return
	}
	if len(ts) > 1 { // in the order of their groups, then of registration
		slices.SortFunc(ts, func(a, b *target) int {
			if c := compareOrder(a.tg.order, b.tg.order); c != 0 {
				return c
			}
			return compareOrder(a.order, b.order)
		})
	}
	now := m.eng.Now()
	for _, t := range ts {
		if t.checking && t.state != HealthDraining && t.reason != ReasonRegistrationInProgress {
			t.catchUp(now)
			m.schedule(t)
		}
	}
}

func (m *ELB) refreshGroup(tg *targetGroup) {
	if m.cfg.TickHealthChecks {
		return
	}
	now := m.eng.Now()
	for _, t := range tg.targets {
		if t.checking && t.state != HealthDraining && t.reason != ReasonRegistrationInProgress {
			t.catchUp(now)
			m.schedule(t)
		}
	}
}
