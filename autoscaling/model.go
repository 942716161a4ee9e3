package autoscaling

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Resources is what Application Auto Scaling needs of the resources it
// scales; the World implements it with the ECS model. Resource IDs are
// Application Auto Scaling's ("service/<cluster>/<service>").
type Resources interface {
	// ScalableCapacity returns the resource's current capacity (an ECS
	// service's desired count) and whether it exists.
	ScalableCapacity(resourceID string) (int, bool)
	// SetScalableCapacity sets it.
	SetScalableCapacity(resourceID string, capacity int) error
	// ScalableDeploying reports whether the resource is being deployed:
	// Application Auto Scaling does not scale in then.
	// [DG:service-auto-scaling#service-auto-scaling-deployments]
	ScalableDeploying(resourceID string) bool
}

// Namespace, dimension and defaults for ECS. [AASAPI:RegisterScalableTargetRequest]
const (
	NamespaceECS = "ecs"
	DimensionECS = "ecs:service:DesiredCount"

	// defaultCooldown is the scale-out and scale-in cooldown of a target
	// tracking policy for ECS that does not set them, and the cooldown of
	// a step scaling policy. [AASAPI-2023:TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown]
	defaultCooldown = 300 * time.Second

	// Target tracking alarms: 3 datapoints of 60 s above the target, 15
	// below 90% of it. (Observed in the alarms AWS creates; see
	// docs/fidelity.md.)
	highDatapoints = 3
	lowDatapoints  = 15
	lowFactor      = 0.9
	period         = time.Minute
)

// Config is what the model needs to know about its account.
type Config struct {
	Region, AccountID string
	// ResourceLabels, when set, checks the ResourceLabel of an
	// ALBRequestCountPerTarget metric against the load balancers: an error
	// is the reason PutScalingPolicy fails with a ValidationException.
	ResourceLabels func(label string) error
}

// Autoscaling is the simulated Application Auto Scaling of one account.
type Autoscaling struct {
	eng       *sim.Engine
	cfg       Config
	res       Resources
	targets   []*target          // registration order
	byKey     map[string]*target // by targetKey
	acts      []ScalingActivity
	matchBuf  []int    // DescribeScalingActivities' list of matches
	matchKey  matchKey // what matchBuf holds the matches of, if matchOK
	matchOK   bool
	byARN     map[string]found // policies alarms invoked (policyByARN)
	actDecide sim.Action
	// alarmStore holds the alarms of target tracking policies (SetAlarms).
	alarmStore Alarms
}

type target struct {
	key       string // resource ID
	rid, ns   string
	dim       string
	min, max  int
	role      string
	suspended SuspendedState
	tags      map[string]string
	created   sim.Time
	arn       string
	policies  []*policy
	scheduled []*scheduled
	votes     []trackingVote // target tracking alarms in ALARM now
	decide    sim.Timer      // acts on votes

	lastOutAt, lastInAt sim.Time // last scale-out and scale-in
	lastOutFrom         int      // capacity before the scale-out that began the cooldown
	gone                bool     // deregistered
	lastNotScaled       lastNotScaled
}

type policy struct {
	name, arn, typ string
	tt             *TargetTrackingScalingPolicyConfiguration
	step           *StepScalingPolicyConfiguration
	alarms         []Alarm
	ownsAlarms     bool // its alarms exist in the alarm store
	created        sim.Time
	stepState      stepState // step scaling: cooldown bookkeeping
}

type scheduled struct {
	name, arn string
	expr, tz  string
	sched     Schedule
	start     *api.Timestamp
	end       *api.Timestamp
	action    ScalableTargetAction
	created   sim.Time
	timer     sim.Timer
}

// New returns an empty model scaling res, running on eng.
func New(eng *sim.Engine, cfg Config, res Resources) *Autoscaling {
	a := &Autoscaling{eng: eng, cfg: cfg, res: res, byKey: map[string]*target{}}
	a.actDecide = a.onDecide
	return a
}

func (a *Autoscaling) now() api.Timestamp { return api.NewTimestamp(a.eng.Now().Time()) }

func (a *Autoscaling) find(ns, rid, dim string) *target { return a.byKey[targetKey(ns, rid, dim)] }

// targetKey is the map key of a target: namespace, resource ID and
// dimension, which cannot contain NUL.
func targetKey(ns, rid, dim string) string { return ns + "\x00" + rid + "\x00" + dim }

// notFound is the error for a target that is not registered.
// (Observed wording: https://github.com/ansible/ansible/pull/35632)
func notFound(ns, rid, dim string) *api.Error {
	return api.Errorf("ObjectNotFoundException", "No scalable target registered for service namespace: %s, resource ID: %s, scalable dimension: %s", ns, rid, dim)
}

// checkKey validates the namespace, resource ID and dimension of a request.
// Only ECS services are simulated.
func checkKey(ns, rid, dim *string) error {
	switch {
	case ns == nil || *ns == "":
		return api.Validation("1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null").At("ServiceNamespace")
	case *ns != NamespaceECS:
		return api.Validation("Unsupported service namespace %s: ecssim simulates Application Auto Scaling for ECS services only.", *ns).At("ServiceNamespace")
	case rid == nil || *rid == "":
		return api.Validation("1 validation error detected: Value null at 'resourceId' failed to satisfy constraint: Member must not be null").At("ResourceId")
	case dim == nil || *dim != DimensionECS:
		return api.Validation("Unsupported scalable dimension %s for service namespace ecs; use ecs:service:DesiredCount.", api.Deref(dim)).At("ScalableDimension")
	}
	parts := strings.Split(*rid, "/")
	if len(parts) != 3 || parts[0] != "service" || parts[1] == "" || parts[2] == "" {
		return api.Validation("Unsupported resource ID %s: an ECS service is service/<cluster>/<service>.", *rid).At("ResourceId")
	}
	return nil
}

// scale sets a target's capacity within [min, max] and records the
// activity. It reports whether the capacity changed.
func (a *Autoscaling) scale(t *target, want int, cause string) bool {
	cur, ok := a.res.ScalableCapacity(t.rid)
	if !ok {
		return false
	}
	want = min(max(want, t.min), t.max)
	if want == cur {
		return false
	}
	// The success message is the one in the guide's example response.
	// [AAS:application-auto-scaling-scaling-activities]
	status, msg := "Successful", fmt.Sprintf("Successfully set desired count to %d. Change successfully fulfilled by ecs.", want)
	if err := a.res.SetScalableCapacity(t.rid, want); err != nil {
		status, msg = "Failed", err.Error()
	}
	now := a.now()
	act := ScalingActivity{
		ActivityId:       sim.UUID(a.eng.Rand("autoscaling/ids")),
		ServiceNamespace: t.ns, ResourceId: t.rid, ScalableDimension: t.dim,
		Description: fmt.Sprintf("Setting desired count to %d.", want), Cause: cause,
		StartTime: now, EndTime: &now, StatusCode: status, StatusMessage: msg,
	}
	a.acts = append(a.acts, act)
	t.lastNotScaled = lastNotScaled{}
	a.eng.Record(sim.Event{Type: EventScalingActivity, Source: "ecssim", Resources: []string{t.arn}, Detail: ActivityDetail{
		ResourceId: t.rid, From: cur, To: want, Cause: cause, StatusCode: status,
	}})
	if want > cur {
		t.lastOutAt, t.lastOutFrom = a.eng.Now(), cur
	} else {
		t.lastInAt = a.eng.Now()
	}
	return status == "Successful"
}

// EventScalingActivity is the trace type of a scaling activity.
const EventScalingActivity = "ecssim Scaling Activity"

// ActivityDetail is the trace detail of a scaling activity.
type ActivityDetail struct {
	ResourceId string `json:"resourceId"`
	From       int    `json:"from"`
	To         int    `json:"to"`
	Cause      string `json:"cause"`
	StatusCode string `json:"statusCode"`
}

// AppendJSON appends the detail as JSON, exactly as encoding/json would
// encode it (the trace hash depends on it): a busy day records thousands
// of activities, and this skips reflection.
func (d ActivityDetail) AppendJSON(b []byte) []byte {
	b = sim.AppendJSONField(append(b, '{'), true, "resourceId", d.ResourceId)
	b = sim.AppendJSONInt(b, "from", int64(d.From))
	b = sim.AppendJSONInt(b, "to", int64(d.To))
	b = sim.AppendJSONField(b, false, "cause", d.Cause)
	b = sim.AppendJSONField(b, false, "statusCode", d.StatusCode)
	return append(b, '}')
}

// trackingVote is what one target tracking alarm in ALARM asks of its
// policy at one evaluation: scale out (AlarmHigh) or in (AlarmLow), with
// the alarm's newest datapoint.
type trackingVote struct {
	p     *policy
	high  bool
	value float64
}

// trackingAlarm records the vote of a target tracking policy's alarm in
// ALARM, and has the target decide once every alarm of this instant has
// been evaluated (an event at the same time runs after those already
// queued). alarmName is not one of the policy's alarms: nothing.
func (a *Autoscaling) trackingAlarm(t *target, p *policy, alarmName string, value float64, valid bool) {
	if !valid || len(p.alarms) != 2 {
		return
	}
	var high bool
	switch alarmName {
	case p.alarms[0].AlarmName:
		high = true
	case p.alarms[1].AlarmName:
	default:
		return
	}
	t.votes = append(t.votes, trackingVote{p: p, high: high, value: value})
	if !t.decide.Pending() {
		t.decide, _ = a.eng.AfterArg(0, a.actDecide, t)
	}
}

func (a *Autoscaling) onDecide(arg any) error {
	t := arg.(*target)
	votes := t.votes
	t.votes = t.votes[:0]
	if !t.gone {
		a.decide(t, votes)
	}
	return nil
}

// decide acts on the target tracking alarms in ALARM at this instant:
// scale out if any policy's high alarm is (the largest capacity asked
// wins), scale in only if every policy that may scale in has its low
// alarm in ALARM (again the largest capacity). The capacity asked is
// ceil(capacity × metric ÷ target) with the alarm's newest datapoint.
// Cooldowns: during a scale-out cooldown the capacity asked is counted
// from the capacity before the scale-out that began it, and only more
// than there is now scales out ("the capacity added by the initiating
// scale-out activity is calculated as part of the desired capacity for
// the next scale-out activity"): the datapoints that fired the first
// scale-out do not fire a second. A scale-in cooldown blocks scale-in,
// and a scale-out ends it. [AAS:application-auto-scaling-target-tracking]
func (a *Autoscaling) decide(t *target, votes []trackingVote) {
	cur, ok := a.res.ScalableCapacity(t.rid)
	if !ok {
		return
	}
	now := a.eng.Now()
	out, in := -1, -1
	var outBy, inBy *policy // whose alarm asked for out (in); the cause is worded only to scale
	var voters [4]*policy
	inVoters := voters[:0]
	for _, v := range votes {
		if !slices.Contains(t.policies, v.p) {
			continue // deleted or replaced since its alarm fired
		}
		targetValue := api.Deref(v.p.tt.TargetValue)
		want := TargetTrackingDesired(cur, v.value, targetValue, t.min, t.max)
		switch {
		case v.high:
			if want > out {
				out, outBy = want, v.p
			}
		case !api.Deref(v.p.tt.DisableScaleIn):
			if !slices.Contains(inVoters, v.p) {
				inVoters = append(inVoters, v.p)
			}
			if want > in {
				in, inBy = want, v.p
			}
		}
	}
	cause := func(p *policy, alarm int) string {
		return fmt.Sprintf("monitor alarm %s in state ALARM triggered policy %s", p.alarms[alarm].AlarmName, p.name)
	}
	inPolicies := 0
	for _, p := range t.policies {
		if p.tt != nil && !api.Deref(p.tt.DisableScaleIn) {
			inPolicies++
		}
	}
	if out >= 0 && out <= cur && !api.Deref(t.suspended.DynamicScalingOutSuspended) &&
		(t.lastOutAt == 0 || now.Sub(t.lastOutAt) >= t.cooldown(true)) {
		// A scale-out alarm that asks for no more than there is: the
		// maximum blocks it, or the computed capacity is the current one.
		a.notScaled(t, cur, +1, outBy, 0, func() string { return cause(outBy, 0) })
		return
	}
	if out > cur && !api.Deref(t.suspended.DynamicScalingOutSuspended) {
		from := cur
		if t.lastOutAt != 0 && now.Sub(t.lastOutAt) < t.cooldown(true) {
			// Within the cooldown the capacity that scale-out added
			// counts as part of the next: ask again from the capacity
			// before it, and scale out only if that asks for more.
			from = t.lastOutFrom
			out = -1
			for _, v := range votes {
				if v.high && slices.Contains(t.policies, v.p) {
					out = max(out, TargetTrackingDesired(from, v.value, api.Deref(v.p.tt.TargetValue), t.min, t.max))
				}
			}
		}
		if out > cur {
			if a.scale(t, out, cause(outBy, 0)) {
				t.lastOutFrom = from
			}
			return
		}
	}
	if out < 0 && in >= 0 && in < cur && len(inVoters) == inPolicies && !api.Deref(t.suspended.DynamicScalingInSuspended) &&
		!a.res.ScalableDeploying(t.rid) {
		if (t.lastInAt == 0 || now.Sub(t.lastInAt) >= t.cooldown(false)) && (t.lastOutAt == 0 || now.Sub(t.lastOutAt) >= t.cooldown(true)) {
			a.scale(t, in, cause(inBy, 1))
		}
	}
	if out < 0 && in >= cur && len(inVoters) == inPolicies && !api.Deref(t.suspended.DynamicScalingInSuspended) &&
		!a.res.ScalableDeploying(t.rid) && (t.lastInAt == 0 || now.Sub(t.lastInAt) >= t.cooldown(false)) {
		// Every policy asks to scale in, but the minimum blocks it or
		// the computed capacity is the current one.
		a.notScaled(t, cur, -1, inBy, 1, func() string { return cause(inBy, 1) })
	}
}

// cooldown returns the shortest scale-out (or scale-in) cooldown of the
// target's target tracking policies.
func (t *target) cooldown(out bool) time.Duration {
	d := time.Duration(-1)
	for _, p := range t.policies {
		if p.tt == nil {
			continue
		}
		c := defaultCooldown
		v := p.tt.ScaleInCooldown
		if out {
			v = p.tt.ScaleOutCooldown
		}
		if v != nil {
			c = time.Duration(*v) * time.Second
		}
		if d < 0 || c < d {
			d = c
		}
	}
	if d < 0 {
		return defaultCooldown
	}
	return d
}

// page returns one page of items (see [api.Page]) with Application Auto
// Scaling's errors, as a copy.
func page[T any](items []T, maxResults *int32, token *string, limit int) ([]T, *string, error) {
	p, next, err := api.Page(items, maxResults, token, limit)
	switch err {
	case nil:
		return slices.Clone(p), next, nil
	case api.ErrMaxResults:
		return nil, nil, api.Validation("MaxResults must be between 1 and %d.", limit).At("MaxResults")
	default:
		return nil, nil, api.Errorf("InvalidNextTokenException", "Invalid token").At("NextToken")
	}
}
