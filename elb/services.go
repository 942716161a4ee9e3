package elb

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The methods below are for other simulated services (ECS registers its
// tasks), not API actions: they are not recorded as calls.

// TargetGroupType returns a target group's target type and the load
// balancers that forward to it, and whether the group exists.
func (m *ELB) TargetGroupType(arn string) (targetType string, loadBalancerArns []string, ok bool) {
	tg, ok := m.tgByArn[arn]
	if !ok {
		return "", nil, false
	}
	return tg.targetType, m.lbsOf(tg), true
}

// RegisterTarget registers one target, as RegisterTargets does.
func (m *ELB) RegisterTarget(targetGroupArn, id string, port int32) error {
	_, err := m.RegisterTargets(&TargetsInput{TargetGroupArn: &targetGroupArn, Targets: []TargetDescription{{Id: &id, Port: &port}}})
	return err
}

// DeregisterTarget deregisters one target, as DeregisterTargets does, and
// returns how long it drains: the group's deregistration delay, or 0 when
// it left at once.
func (m *ELB) DeregisterTarget(targetGroupArn, id string, port int32) (time.Duration, error) {
	if _, err := m.DeregisterTargets(&TargetsInput{TargetGroupArn: &targetGroupArn, Targets: []TargetDescription{{Id: &id, Port: &port}}}); err != nil {
		return 0, err
	}
	tg := m.tgByArn[targetGroupArn]
	if t := tg.find(id, port); t != nil && t.state == HealthDraining {
		return t.drainEnd.Sub(m.eng.Now()), nil
	}
	return 0, nil
}

// TargetHealth returns a registered target's state, reason and
// description; state "" when it is not registered.
func (m *ELB) TargetHealth(targetGroupArn, id string, port int32) (state, reason, description string) {
	return m.lookup(targetGroupArn, id, port).health()
}

// lookup returns the registered target of a group, or nil.
func (m *ELB) lookup(targetGroupArn, id string, port int32) *target {
	tg, ok := m.tgByArn[targetGroupArn]
	if !ok {
		return nil
	}
	return tg.find(id, port)
}

// health is TargetHealth's answer for t, which may be nil.
func (t *target) health() (state, reason, description string) {
	if t == nil {
		return "", "", ""
	}
	return t.state, t.reason, describe(t.reason, t.code, t.zoneDisabled)
}

// TargetRef names a target of a group, as TargetHealth's arguments do,
// for a caller that asks about it often (ECS, about its tasks' targets,
// at every scheduler pass and every minute): it keeps the target it last
// found and looks it up again only once that one has left its group, so
// it answers what a lookup by group, ID and port would, without hashing.
type TargetRef struct {
	t              *target // the target last found; nil or gone: look up
	m              *ELB
	targetGroupArn string
	id             string
	port           int32
}

// Ref returns a handle on the target id:port of a group, registered or
// not. The handle on a registered target is kept in the target's record
// (target.ref), beside the load it is asked for every minute, so that
// reading the load through it costs no memory load of its own.
func (m *ELB) Ref(targetGroupArn, id string, port int32) *TargetRef {
	if t := m.lookup(targetGroupArn, id, port); t != nil {
		if t.ref.m == nil {
			t.ref = TargetRef{t: t, m: m, targetGroupArn: targetGroupArn, id: id, port: port}
		}
		return &t.ref
	}
	return &TargetRef{m: m, targetGroupArn: targetGroupArn, id: id, port: port}
}

// target returns the registered target r names, or nil.
func (r *TargetRef) target() *target {
	if r.t == nil || r.t.gone {
		r.t = r.m.lookup(r.targetGroupArn, r.id, r.port)
	}
	return r.t
}

// State is the target's health state, "" when it is not registered.
func (r *TargetRef) State() string {
	if t := r.target(); t != nil {
		return t.state
	}
	return ""
}

// Health is TargetHealth of the target.
func (r *TargetRef) Health() (state, reason, description string) { return r.target().health() }

// Load is the load the last GroupLoads of its group computed for the
// target, as that call's function returns it; zero when it is not
// registered.
func (r *TargetRef) Load() TargetLoad {
	if t := r.target(); t != nil {
		return t.load
	}
	return TargetLoad{}
}

// CheckResourceLabel checks the ResourceLabel of an Application Auto
// Scaling ALBRequestCountPerTarget metric,
// app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>:
// the load balancer must exist and be an Application Load Balancer, the
// target group must exist, and a listener or rule of that load balancer
// must forward to the group. [AASAPI:PredefinedMetricSpecification.ResourceLabel]
// The wording of the errors is this project's (docs/fidelity.md).
func (m *ELB) CheckResourceLabel(label string) error {
	lbPart, tgPart, ok := strings.Cut(label, "/targetgroup/")
	parts := strings.Split(lbPart, "/")
	if !ok || len(parts) != 3 || parts[0] != "app" || parts[1] == "" || parts[2] == "" || strings.Count(tgPart, "/") != 1 ||
		strings.HasPrefix(tgPart, "/") || strings.HasSuffix(tgPart, "/") {
		return messagef("Invalid ResourceLabel %s: the format is app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>", label)
	}
	var lb *loadBalancer
	for _, x := range m.lbs {
		if x.typ == TypeApplication && x.dimension() == lbPart {
			lb = x
			break
		}
	}
	if lb == nil {
		return messagef("Invalid ResourceLabel %s: no Application Load Balancer %s was found", label, lbPart)
	}
	tgDim := "targetgroup/" + tgPart
	var tg *targetGroup
	for _, x := range m.tgs {
		if x.dimension() == tgDim {
			tg = x
			break
		}
	}
	if tg == nil {
		return messagef("Invalid ResourceLabel %s: no target group %s was found", label, tgDim)
	}
	m.index()
	if !slices.Contains(lb.routesTo, tg) {
		return messagef("Invalid ResourceLabel %s: target group %s is not associated with load balancer %s", label, tgDim, lbPart)
	}
	return nil
}

// message is an error whose text is a message in AWS's words, which
// begin with a capital letter as AWS's messages do.
type message string

func (m message) Error() string { return string(m) }

// messagef formats a message.
func messagef(format string, a ...any) error { return message(fmt.Sprintf(format, a...)) }
