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
	// ScalableMetric returns the value of a predefined metric
	// (ECSServiceAverageCPUUtilization, ...) over the last minute, and
	// whether there is data.
	ScalableMetric(resourceID, metricType string) (float64, bool)
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
}

// Autoscaling is the simulated Application Auto Scaling of one account.
type Autoscaling struct {
	eng     *sim.Engine
	cfg     Config
	res     Resources
	targets []*target          // registration order
	byKey   map[string]*target // by targetKey
	acts    []ScalingActivity
	actTick sim.Action
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
	tick      sim.Timer

	lastOutAt, lastInAt sim.Time // last scale-out and scale-in
	lastOutTo           int      // capacity the last scale-out set
	gone                bool     // deregistered
}

type policy struct {
	name, arn, typ string
	tt             *TargetTrackingScalingPolicyConfiguration
	step           *StepScalingPolicyConfiguration
	alarms         []Alarm
	ownsAlarms     bool // its alarms exist in the alarm store
	created        sim.Time
	points         []float64 // the latest datapoints, newest last
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
	a.actTick = a.onTick
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
		StartTime: now, EndTime: now, StatusCode: status, StatusMessage: msg,
	}
	a.acts = append(a.acts, act)
	a.eng.Record(sim.Event{Type: EventScalingActivity, Source: "ecssim", Resources: []string{t.arn}, Detail: ActivityDetail{
		ResourceId: t.rid, From: cur, To: want, Cause: cause, StatusCode: status,
	}})
	if want > cur {
		t.lastOutAt, t.lastOutTo = a.eng.Now(), want
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

// armTick starts the target's one-minute evaluation once it has a policy.
func (a *Autoscaling) armTick(t *target) {
	if t.tick.Pending() {
		return
	}
	t.tick, _ = a.eng.AfterArg(period, a.actTick, t)
}

func (a *Autoscaling) onTick(arg any) error {
	t := arg.(*target)
	if t.gone || len(t.policies) == 0 {
		return nil // deregistered, or no policy left
	}
	a.evaluate(t)
	t.tick, _ = a.eng.AfterArg(period, a.actTick, t)
	return nil
}

// evaluate takes one datapoint per target tracking policy and acts on the
// alarms: scale out if any policy's high alarm fires (the largest capacity
// asked wins), scale in only if every policy that may scale in has its low
// alarm firing (again the largest capacity). Cooldowns: during a
// scale-out cooldown only a larger scale-out happens; a scale-in cooldown
// blocks scale-in, and a scale-out ends it. [AAS:application-auto-scaling-target-tracking]
func (a *Autoscaling) evaluate(t *target) {
	cur, ok := a.res.ScalableCapacity(t.rid)
	if !ok {
		return
	}
	now := a.eng.Now()
	out, in := -1, -1
	inVotes, inPolicies := 0, 0
	var outCause, inCause string
	for _, p := range t.policies {
		if p.tt == nil || p.tt.PredefinedMetricSpecification == nil {
			continue // customized metrics and step scaling need CloudWatch, not simulated
		}
		metric, ok := a.res.ScalableMetric(t.rid, api.Deref(p.tt.PredefinedMetricSpecification.PredefinedMetricType))
		if !ok {
			p.points = p.points[:0] // insufficient data: no scaling
			continue
		}
		p.points = append(p.points, metric)
		if len(p.points) > lowDatapoints {
			p.points = p.points[len(p.points)-lowDatapoints:]
		}
		targetValue := api.Deref(p.tt.TargetValue)
		if !api.Deref(p.tt.DisableScaleIn) {
			inPolicies++
		}
		switch {
		case all(p.points, highDatapoints, func(v float64) bool { return v > targetValue }):
			if want := TargetTrackingDesired(cur, metric, targetValue, t.min, t.max); want > out {
				out, outCause = want, fmt.Sprintf("monitor alarm %s in state ALARM triggered policy %s", p.alarms[0].AlarmName, p.name)
			}
		case !api.Deref(p.tt.DisableScaleIn) && all(p.points, lowDatapoints, func(v float64) bool { return v < lowFactor*targetValue }):
			inVotes++
			if want := TargetTrackingDesired(cur, metric, targetValue, t.min, t.max); want > in {
				in, inCause = want, fmt.Sprintf("monitor alarm %s in state ALARM triggered policy %s", p.alarms[1].AlarmName, p.name)
			}
		}
	}
	if out > cur && !api.Deref(t.suspended.DynamicScalingOutSuspended) {
		cooldown := t.cooldown(true)
		if t.lastOutAt == 0 || now.Sub(t.lastOutAt) >= cooldown || out > t.lastOutTo {
			a.scale(t, out, outCause)
			return
		}
	}
	if in >= 0 && in < cur && inVotes == inPolicies && inPolicies > 0 && !api.Deref(t.suspended.DynamicScalingInSuspended) &&
		!a.res.ScalableDeploying(t.rid) {
		if (t.lastInAt == 0 || now.Sub(t.lastInAt) >= t.cooldown(false)) && (t.lastOutAt == 0 || now.Sub(t.lastOutAt) >= t.cooldown(true)) {
			a.scale(t, in, inCause)
		}
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

// all reports whether the last n values exist and all satisfy f.
func all(points []float64, n int, f func(float64) bool) bool {
	if len(points) < n {
		return false
	}
	for _, v := range points[len(points)-n:] {
		if !f(v) {
			return false
		}
	}
	return true
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
