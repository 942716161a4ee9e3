package elb

import (
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// maxTargets is how many targets one target group can have.
// [ALB:load-balancer-limits] (targets per target group: 1,000)
const maxTargets = 1000

type target struct {
	// What routing reads of every target every minute comes first, to
	// share as few cache lines as it can.
	state        string
	az           string   // the target's zone ("all" for an ip outside the VPC)
	healthySince sim.Time // when it last turned healthy, for slow start
	answerOK     bool
	// gone is set when the target leaves its group (or the group is
	// deleted), for the TargetRefs that hold it.
	gone   bool
	answer Answer     // what a request gets, while answerOK and before answer.Until
	load   TargetLoad // the last GroupLoads computed
	// slow is how much longer the target takes to answer, from its
	// saturation (saturation in traffic.go), for checks sent after
	// slowFrom; slowPrev for those sent at or before it. 0 means 1.
	slow, slowPrev float64
	slowFrom       sim.Time
	// ref is the handle on the target that Ref gives out (zero until
	// asked for), kept here near the load its holder reads (its first
	// field, the target, in the same cache line as the slowdown that
	// GroupLoads sets). It outlives the target's registration as any
	// handle does: once the target is gone it finds the target
	// registered under its name, if any.
	ref TargetRef

	tg           *targetGroup
	id           string
	port         int32
	order        uint64 // registration order, for ties
	reason       string
	code         int // status code of ResponseCodeMismatch
	zoneDisabled bool

	checking      bool     // health checks run
	phase         sim.Time // registration complete; check k runs at phase + k×interval
	k             int64    // next check not yet applied
	passes, fails int      // consecutive results
	last          result   // the answer that holds from check k on
	drainEnd      sim.Time
	drainTimer    sim.Timer
	next          sim.Time // next event, in the health clock
	idx           int      // heap index, -1 when not scheduled
}

var instanceIDRE = regexp.MustCompile(`^i-[0-9a-f]{8}([0-9a-f]{9})?$`)

// privateRanges are the ranges an ip target outside the VPC may have:
// RFC 1918 and RFC 6598. [ELBAPI:CreateTargetGroupInput.TargetType]
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"),
}

// zoneOf returns the zone of a target being registered, or an
// InvalidTarget error.
func (m *ELB) zoneOf(tg *targetGroup, d TargetDescription) (string, error) {
	id := *d.Id
	if tg.targetType == TargetTypeInstance {
		if !instanceIDRE.MatchString(id) {
			return "", api.Errorf(CodeInvalidTarget, "The following targets are not valid instance IDs: '%s'", id)
		}
		az, ok := m.cfg.Backend.InstanceZone(id)
		if !ok {
			return "", api.Errorf(CodeInvalidTarget, "The following targets are not in a running state and cannot be registered: '%s'", id)
		}
		return az, nil
	}
	addr, err := netip.ParseAddr(id)
	if err != nil || !addr.Is4() {
		return "", api.Errorf(CodeInvalidTarget, "The IP address '%s' is not a valid IPv4 address", id)
	}
	for _, s := range m.cfg.Network.Subnets() {
		p, err := netip.ParsePrefix(s.CIDR)
		if err == nil && s.VpcID == tg.vpc && p.Contains(addr) {
			if az := api.Deref(d.AvailabilityZone); az != "" && az != s.AvailabilityZone {
				return "", api.Errorf(CodeInvalidTarget, "The IP address '%s' is in Availability Zone '%s', not '%s'", id, s.AvailabilityZone, az)
			}
			return s.AvailabilityZone, nil
		}
	}
	if !slices.ContainsFunc(privateRanges, func(p netip.Prefix) bool { return p.Contains(addr) }) {
		return "", api.Errorf(CodeInvalidTarget, "The IP address '%s' is not in a subnet of VPC '%s' nor in a private address range", id, tg.vpc)
	}
	if d.AvailabilityZone == nil {
		return "", validation("Targets.member.AvailabilityZone", "An Availability Zone must be specified for IP address '%s', which is outside VPC '%s'", id, tg.vpc)
	}
	return *d.AvailabilityZone, nil
}

// zoneEnabled reports whether a target in az can receive traffic from the
// load balancers that use tg: "all" always can.
func (m *ELB) zoneEnabled(tg *targetGroup, az string) bool {
	if az == "all" {
		return true
	}
	for _, lb := range m.lbs {
		if !slices.ContainsFunc(lb.listeners, func(ls *listener) bool { return ls.uses(tg) }) {
			continue
		}
		if slices.ContainsFunc(lb.zones, func(z AvailabilityZone) bool { return z.ZoneName == az }) {
			return true
		}
	}
	return false
}

func (tg *targetGroup) find(id string, port int32) *target {
	return tg.byKey[targetKey{id, port}]
}

// targetKey identifies a target within its group.
type targetKey struct {
	id   string
	port int32
}

// targetsOf checks the Targets member of Register/DeregisterTargets and
// returns each target's ID and port (the group's port when none is
// given).
func targetsOf(tg *targetGroup, ds []TargetDescription) ([]TargetDescription, error) {
	if ds == nil {
		return nil, missing("Targets")
	}
	out := make([]TargetDescription, 0, len(ds))
	for _, d := range ds {
		if d.Id == nil {
			return nil, missing("Targets.member.Id")
		}
		if err := checkRange("Targets.member.Port", d.Port, 1, 65535); err != nil {
			return nil, err
		}
		if d.Port == nil {
			p := tg.port
			d.Port = &p
		}
		if d.QuicServerId != nil {
			return nil, validation("Targets.member.QuicServerId", "A QUIC server ID can only be specified for QUIC and TCP_QUIC target groups")
		}
		out = append(out, d)
	}
	return out, nil
}

// RegisterTargets registers targets with a group: instance IDs of running
// instances, or IP addresses of the group's VPC (or private ranges, with
// an Availability Zone). A target already registered is left as it is;
// one that is draining is registered anew. All or nothing.
// [ELBAPI:RegisterTargets]
func (m *ELB) RegisterTargets(in *TargetsInput) (*Empty, error) {
	if in.TargetGroupArn == nil {
		return nil, missing("TargetGroupArn")
	}
	tg, ok := m.tgByArn[*in.TargetGroupArn]
	if !ok {
		return nil, tgNotFound()
	}
	ds, err := targetsOf(tg, in.Targets)
	if err != nil {
		return nil, err
	}
	zones := make([]string, len(ds))
	n := len(tg.targets)
	for i, d := range ds {
		if zones[i], err = m.zoneOf(tg, d); err != nil {
			return nil, err
		}
		if tg.find(*d.Id, *d.Port) == nil {
			n++
		}
	}
	if n > maxTargets {
		return nil, api.Errorf("TooManyTargets", "You've reached the limit on the number of targets per target group: %d", maxTargets)
	}
	for i, d := range ds {
		t := tg.find(*d.Id, *d.Port)
		switch {
		case t == nil:
			m.health.seq++
			t = &target{tg: tg, id: *d.Id, port: *d.Port, az: zones[i], order: m.health.seq, idx: -1, next: sim.Never}
			tg.targets = append(tg.targets, t)
			if tg.byKey == nil {
				tg.byKey = map[targetKey]*target{}
			}
			tg.byKey[targetKey{t.id, t.port}] = t
			m.byID[t.id] = append(m.byID[t.id], t)
			m.groupChanged(tg)
		case t.state == HealthDraining:
			t.drainTimer.Cancel()
		default:
			continue
		}
		t.zoneDisabled = tg.inUse && !m.zoneEnabled(tg, t.az)
		if tg.inUse && !t.zoneDisabled {
			m.startChecks(t)
		} else {
			m.stopChecks(t)
		}
	}
	return &Empty{}, nil
}

// DeregisterTargets deregisters targets: each goes "draining" for the
// group's deregistration delay and then leaves the group; a target of a
// group no listener uses leaves at once. Deregistering a draining target
// changes nothing. [ELBAPI:DeregisterTargets]
// [ALB:load-balancer-target-groups#deregistration-delay]
func (m *ELB) DeregisterTargets(in *TargetsInput) (*Empty, error) {
	if in.TargetGroupArn == nil {
		return nil, missing("TargetGroupArn")
	}
	tg, ok := m.tgByArn[*in.TargetGroupArn]
	if !ok {
		return nil, tgNotFound()
	}
	ds, err := targetsOf(tg, in.Targets)
	if err != nil {
		return nil, err
	}
	var ts []*target
	for _, d := range ds {
		t := tg.find(*d.Id, *d.Port)
		if t == nil {
			return nil, api.Errorf(CodeInvalidTarget, "The following targets are not registered in target group '%s': 'Id=%s,Port=%d'", tg.arn, *d.Id, *d.Port)
		}
		ts = append(ts, t)
	}
	for _, t := range ts {
		if t.state == HealthDraining {
			continue
		}
		if !tg.inUse {
			m.removeTarget(t)
			continue
		}
		m.drain(t)
	}
	return &Empty{}, nil
}

// drain starts a target's deregistration delay.
func (m *ELB) drain(t *target) {
	t.checking = false
	t.drainEnd = m.eng.Now().Add(t.tg.attrs.seconds(AttrDeregistrationDelay))
	m.setTargetHealth(t, HealthDraining, ReasonDeregistrationInProgress, 0)
	m.schedule(t) // no more checks
	if t.drainEnd == m.eng.Now() {
		m.removeTarget(t)
		return
	}
	// A timer of its own, set now: whoever waits for the draining to end
	// (ECS, before it stops the task) and set its timer afterwards for the
	// same instant sees the target gone.
	t.drainTimer, _ = m.eng.ScheduleArg(t.drainEnd, m.actDrained, t)
}

// onDrained ends a target's deregistration delay.
func (m *ELB) onDrained(arg any) error {
	t := arg.(*target)
	if t.state == HealthDraining {
		m.removeTarget(t)
	}
	return nil
}

// unindex drops t from byID.
func (m *ELB) unindex(t *target) {
	l := slices.DeleteFunc(m.byID[t.id], func(x *target) bool { return x == t })
	if len(l) == 0 {
		delete(m.byID, t.id)
	} else {
		m.byID[t.id] = l
	}
}

// removeTarget takes a target out of its group.
func (m *ELB) removeTarget(t *target) {
	m.health.forget(t)
	t.drainTimer.Cancel()
	t.tg.targets = slices.DeleteFunc(t.tg.targets, func(x *target) bool { return x == t })
	delete(t.tg.byKey, targetKey{t.id, t.port})
	t.gone = true
	m.groupChanged(t.tg)
	m.unindex(t)
	m.setTargetHealth(t, HealthUnused, ReasonNotRegistered, 0)
}

// DescribeTargetHealth returns the health of a group's targets in
// registration order, or of the targets named (a target not registered is
// "unused", Target.NotRegistered). [ELBAPI:DescribeTargetHealth]
func (m *ELB) DescribeTargetHealth(in *DescribeTargetHealthInput) (*DescribeTargetHealthOutput, error) {
	if in.TargetGroupArn == nil {
		return nil, missing("TargetGroupArn")
	}
	for i := range in.Include {
		if err := checkEnum("Include.member", &in.Include[i], "AnomalyDetection", "All"); err != nil {
			return nil, err
		}
	}
	tg, ok := m.tgByArn[*in.TargetGroupArn]
	if !ok {
		return nil, tgNotFound()
	}
	out := &DescribeTargetHealthOutput{TargetHealthDescriptions: []TargetHealthDescription{}}
	if in.Targets == nil {
		for _, t := range tg.targets {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, m.healthShape(t))
		}
		return out, nil
	}
	ds, err := targetsOf(tg, in.Targets)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if t := tg.find(*d.Id, *d.Port); t != nil {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, m.healthShape(t))
			continue
		}
		if tg.targetType == TargetTypeInstance && !instanceIDRE.MatchString(*d.Id) {
			return nil, api.Errorf(CodeInvalidTarget, "The following targets are not valid instance IDs: '%s'", *d.Id)
		}
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, TargetHealthDescription{
			Target:       TargetDescription{Id: d.Id, Port: d.Port},
			TargetHealth: TargetHealth{State: HealthUnused, Reason: ReasonNotRegistered, Description: describe(ReasonNotRegistered, 0, false)},
		})
	}
	return out, nil
}

func (m *ELB) healthShape(t *target) TargetHealthDescription {
	id, port := t.id, t.port
	d := TargetHealthDescription{Target: TargetDescription{Id: &id, Port: &port},
		TargetHealth: TargetHealth{State: t.state, Reason: t.reason, Description: describe(t.reason, t.code, t.zoneDisabled)}}
	if t.az == "all" || t.tg.targetType == TargetTypeIP && t.az != "" && !m.inVPCZone(t) {
		az := t.az
		d.Target.AvailabilityZone = &az
	}
	if t.state != HealthUnused {
		d.HealthCheckPort = t.tg.hc.port
		if d.HealthCheckPort == TrafficPort {
			d.HealthCheckPort = strconv.Itoa(int(t.port))
		}
	}
	return d
}

// inVPCZone reports whether an ip target's address lies in a subnet of its
// group's VPC (then AWS does not echo its zone).
func (m *ELB) inVPCZone(t *target) bool {
	addr, err := netip.ParseAddr(t.id)
	if err != nil {
		return false
	}
	for _, s := range m.cfg.Network.Subnets() {
		if p, err := netip.ParsePrefix(s.CIDR); err == nil && s.VpcID == t.tg.vpc && p.Contains(addr) {
			return true
		}
	}
	return false
}

// FailTargetGroupHealthChecksInput is the input of
// sim:FailTargetGroupHealthChecks.
type FailTargetGroupHealthChecksInput struct {
	TargetGroupArn *string `json:"targetGroupArn,omitempty"`
	// StatusCode is what every health check of the group gets back, as a
	// wrong health-check path gets 404; default 404.
	StatusCode *int32 `json:"statusCode,omitempty"`
	// Timeout makes every check time out instead.
	Timeout *bool `json:"timeout,omitempty"`
	// For, when set, ends the fault after this long ("10m"); otherwise
	// it lasts until the group is deleted.
	For *string `json:"for,omitempty"`
}

// FailTargetGroupHealthChecks makes every health check of one target group
// fail from the next instant on, whatever its targets would answer: with a
// status code (404 by default, what a wrong health-check path gives) or
// by timing out. It models a misconfigured health check or a broken
// dependency shared by the whole group.
func (m *ELB) FailTargetGroupHealthChecks(in *FailTargetGroupHealthChecksInput) (*Empty, error) {
	if in.TargetGroupArn == nil {
		return nil, missing("targetGroupArn")
	}
	tg, ok := m.tgByArn[*in.TargetGroupArn]
	if !ok {
		return nil, tgNotFound()
	}
	status := int32(404)
	if in.StatusCode != nil {
		status = *in.StatusCode
		if status < 100 || status > 599 {
			return nil, validation("statusCode", "statusCode must be an HTTP status code from 100 to 599")
		}
	}
	until := sim.Never
	now := m.eng.Now()
	if in.For != nil {
		d, err := time.ParseDuration(*in.For)
		if err != nil || d <= 0 || d > 10*365*24*time.Hour {
			return nil, validation("for", "for must be a positive duration such as 10m")
		}
		until = now.Add(d + 1)
	}
	// The fault applies to checks strictly after this instant, so that
	// its order against a check due now cannot matter.
	tg.fault = hcFault{on: true, from: now + 1, until: until, status: int(status), timeout: api.Deref(in.Timeout)}
	m.refreshGroup(tg)
	return &Empty{}, nil
}
