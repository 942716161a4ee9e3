package autoscaling

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Register adds the actions to t as "application-autoscaling:<Action>".
func (a *Autoscaling) Register(t *api.Table) {
	api.Register(t, "application-autoscaling:RegisterScalableTarget", a.RegisterScalableTarget)
	api.Register(t, "application-autoscaling:DescribeScalableTargets", a.DescribeScalableTargets)
	api.Register(t, "application-autoscaling:DeregisterScalableTarget", a.DeregisterScalableTarget)
	api.Register(t, "application-autoscaling:PutScalingPolicy", a.PutScalingPolicy)
	api.Register(t, "application-autoscaling:DescribeScalingPolicies", a.DescribeScalingPolicies)
	api.Register(t, "application-autoscaling:DeleteScalingPolicy", a.DeleteScalingPolicy)
	api.Register(t, "application-autoscaling:PutScheduledAction", a.PutScheduledAction)
	api.Register(t, "application-autoscaling:DescribeScheduledActions", a.DescribeScheduledActions)
	api.Register(t, "application-autoscaling:DeleteScheduledAction", a.DeleteScheduledAction)
	api.Register(t, "application-autoscaling:DescribeScalingActivities", a.DescribeScalingActivities)
}

// RegisterScalableTarget registers an ECS service as a scalable target, or
// updates one: MinCapacity and MaxCapacity are required the first time
// (MinCapacity may be 0 for ECS). A capacity outside the new range is
// brought into it. [AASAPI:RegisterScalableTargetRequest.MinCapacity]
func (a *Autoscaling) RegisterScalableTarget(in *RegisterScalableTargetInput) (*RegisterScalableTargetOutput, error) {
	if err := checkKey(in.ServiceNamespace, in.ResourceId, in.ScalableDimension); err != nil {
		return nil, err
	}
	rid := *in.ResourceId
	if _, ok := a.res.ScalableCapacity(rid); !ok {
		return nil, api.Validation("ECS service doesn't exist: %s", rid).At("ResourceId")
	}
	t := a.find(*in.ServiceNamespace, rid, *in.ScalableDimension)
	if t == nil && (in.MinCapacity == nil || in.MaxCapacity == nil) {
		return nil, api.Validation("MinCapacity and MaxCapacity must be specified when registering a new scalable target.").At("MinCapacity")
	}
	lo, hi := 0, 0
	if t != nil {
		lo, hi = t.min, t.max
	}
	if in.MinCapacity != nil {
		lo = int(*in.MinCapacity)
	}
	if in.MaxCapacity != nil {
		hi = int(*in.MaxCapacity)
	}
	if lo < 0 || hi < 0 {
		return nil, api.Validation("MinCapacity and MaxCapacity cannot be negative.").At("MinCapacity")
	}
	if lo > hi {
		return nil, api.Validation("Minimum capacity cannot be greater than maximum capacity").At("MinCapacity")
	}
	if t == nil {
		t = &target{key: rid, rid: rid, ns: *in.ServiceNamespace, dim: *in.ScalableDimension, created: a.eng.Now(),
			arn: fmt.Sprintf("arn:aws:application-autoscaling:%s:%s:scalable-target/%s", a.cfg.Region, a.cfg.AccountID, sim.HexID(a.eng.Rand("autoscaling/ids"), 32))}
		t.role = fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService", a.cfg.AccountID)
		a.targets = append(a.targets, t)
		a.byKey[targetKey(t.ns, t.rid, t.dim)] = t
	}
	t.min, t.max = lo, hi
	if in.RoleARN != nil {
		t.role = *in.RoleARN
	}
	if s := in.SuspendedState; s != nil {
		if s.DynamicScalingInSuspended != nil {
			t.suspended.DynamicScalingInSuspended = s.DynamicScalingInSuspended
		}
		if s.DynamicScalingOutSuspended != nil {
			t.suspended.DynamicScalingOutSuspended = s.DynamicScalingOutSuspended
		}
		if s.ScheduledScalingSuspended != nil {
			t.suspended.ScheduledScalingSuspended = s.ScheduledScalingSuspended
		}
	}
	if in.Tags != nil {
		t.tags = in.Tags
	}
	if cur, ok := a.res.ScalableCapacity(rid); ok && (cur < lo || cur > hi) {
		a.scale(t, cur, "scalable target registered with a new minimum or maximum capacity")
	}
	return &RegisterScalableTargetOutput{ScalableTargetARN: t.arn}, nil
}

func (t *target) shape() ScalableTarget {
	return ScalableTarget{ServiceNamespace: t.ns, ResourceId: t.rid, ScalableDimension: t.dim, MinCapacity: int32(t.min), MaxCapacity: int32(t.max),
		RoleARN: t.role, CreationTime: api.NewTimestamp(t.created.Time()), SuspendedState: t.suspended, ScalableTargetARN: t.arn}
}

// DescribeScalableTargets lists the registered targets of a namespace.
func (a *Autoscaling) DescribeScalableTargets(in *DescribeScalableTargetsInput) (*DescribeScalableTargetsOutput, error) {
	if api.Deref(in.ServiceNamespace) == "" {
		return nil, api.Validation("1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null").At("ServiceNamespace")
	}
	var all []ScalableTarget
	for _, t := range a.targets {
		if t.ns != *in.ServiceNamespace || (len(in.ResourceIds) > 0 && !slices.Contains(in.ResourceIds, t.rid)) ||
			(in.ScalableDimension != nil && t.dim != *in.ScalableDimension) {
			continue
		}
		all = append(all, t.shape())
	}
	items, next, err := page(all, in.MaxResults, in.NextToken, 50)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []ScalableTarget{}
	}
	return &DescribeScalableTargetsOutput{ScalableTargets: items, NextToken: next}, nil
}

// DeregisterScalableTarget removes a target with its policies and
// scheduled actions.
func (a *Autoscaling) DeregisterScalableTarget(in *DeregisterScalableTargetInput) (*Empty, error) {
	if err := checkKey(in.ServiceNamespace, in.ResourceId, in.ScalableDimension); err != nil {
		return nil, err
	}
	t := a.find(*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension)
	if t == nil {
		return nil, notFound(*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension)
	}
	t.decide.Cancel()
	for _, p := range t.policies {
		a.deleteAlarms(p) // a target's policies go with it, and their alarms
	}
	for _, s := range t.scheduled {
		s.timer.Cancel()
	}
	a.targets = slices.DeleteFunc(a.targets, func(x *target) bool { return x == t })
	delete(a.byKey, targetKey(t.ns, t.rid, t.dim))
	t.gone = true
	return &Empty{}, nil
}

var printable = regexp.MustCompile(`^\P{Cc}{1,256}$`)

// Predefined metrics ecssim computes for ECS services. ALBRequestCountPerTarget
// needs a load balancer, not simulated yet: such policies have no data and
// never scale. [AASAPI enum MetricType]
var ecsMetrics = []string{"ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget",
	"ECSServiceAverageCPUUtilizationHighResolution", "ECSServiceAverageMemoryUtilizationHighResolution"}

// PutScalingPolicy creates or replaces a scaling policy of a registered
// target. A target tracking policy creates its two CloudWatch alarms,
// named and configured as AWS's, and answers with them; they are deleted
// with the policy. [AASAPI:PutScalingPolicy]
func (a *Autoscaling) PutScalingPolicy(in *PutScalingPolicyInput) (*PutScalingPolicyOutput, error) {
	name := api.Deref(in.PolicyName)
	if !printable.MatchString(name) {
		return nil, api.Validation("PolicyName must be 1 to 256 printable characters.").At("PolicyName")
	}
	if err := checkKey(in.ServiceNamespace, in.ResourceId, in.ScalableDimension); err != nil {
		return nil, err
	}
	t := a.find(*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension)
	if t == nil {
		return nil, notFound(*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension)
	}
	typ := api.Deref(in.PolicyType)
	if typ == "" {
		typ = "StepScaling" // the API's default [AASAPI:PutScalingPolicyRequest.PolicyType]
	}
	p := &policy{name: name, typ: typ, created: a.eng.Now()}
	switch typ {
	case "TargetTrackingScaling":
		c := in.TargetTrackingScalingPolicyConfiguration
		if c == nil || c.TargetValue == nil {
			return nil, api.Validation("TargetTrackingScalingPolicyConfiguration with a TargetValue is required for a TargetTrackingScaling policy.").At("TargetTrackingScalingPolicyConfiguration")
		}
		if v := *c.TargetValue; math.IsNaN(v) || v <= 0 || v > 1e9 {
			return nil, api.Validation("The target value must be greater than 0.").At("TargetTrackingScalingPolicyConfiguration.TargetValue")
		}
		if (c.PredefinedMetricSpecification == nil) == (c.CustomizedMetricSpecification == nil) {
			return nil, api.Validation("Either a PredefinedMetricSpecification or a CustomizedMetricSpecification must be specified, not both.").At("TargetTrackingScalingPolicyConfiguration")
		}
		if pm := c.PredefinedMetricSpecification; pm != nil {
			mt := api.Deref(pm.PredefinedMetricType)
			if !slices.Contains(ecsMetrics, mt) {
				return nil, api.Validation("Unsupported metric type %s for service namespace ecs.", mt).At("TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType")
			}
			if mt == "ALBRequestCountPerTarget" && api.Deref(pm.ResourceLabel) == "" {
				return nil, api.Validation("ResourceLabel must be specified for ALBRequestCountPerTarget.").At("TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel")
			}
			// The label names a target group of a load balancer that
			// forwards to it. [AASAPI:PredefinedMetricSpecification.ResourceLabel]
			if mt == "ALBRequestCountPerTarget" && a.cfg.ResourceLabels != nil {
				if err := a.cfg.ResourceLabels(*pm.ResourceLabel); err != nil {
					return nil, api.Validation("%s", err.Error()).At("TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel")
				}
			}
		}
		for _, cd := range []*int32{c.ScaleOutCooldown, c.ScaleInCooldown} {
			if cd != nil && (*cd < 0 || *cd > 86400) {
				return nil, api.Validation("Cooldowns must be between 0 and 86400 seconds.").At("TargetTrackingScalingPolicyConfiguration")
			}
		}
		cp := *c
		p.tt = &cp
		u := sim.UUID(a.eng.Rand("autoscaling/ids"))
		for _, kind := range []string{"AlarmHigh", "AlarmLow"} {
			// [AASAPI examples-1.json PutScalingPolicy]
			alarm := fmt.Sprintf("TargetTracking-%s-%s-%s", t.rid, kind, u)
			p.alarms = append(p.alarms, Alarm{AlarmName: alarm, AlarmARN: fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", a.cfg.Region, a.cfg.AccountID, alarm)})
		}
	case "StepScaling":
		c := in.StepScalingPolicyConfiguration
		if c == nil || len(c.StepAdjustments) == 0 {
			return nil, api.Validation("StepScalingPolicyConfiguration with at least one StepAdjustment is required for a StepScaling policy.").At("StepScalingPolicyConfiguration")
		}
		switch api.Deref(c.AdjustmentType) {
		case "ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity":
		default:
			return nil, api.Validation("AdjustmentType must be ChangeInCapacity, PercentChangeInCapacity or ExactCapacity.").At("StepScalingPolicyConfiguration.AdjustmentType")
		}
		steps := make([]StepAdjustment, len(c.StepAdjustments))
		for i, s := range c.StepAdjustments {
			if s.ScalingAdjustment == nil {
				return nil, api.Validation("ScalingAdjustment is required in every step adjustment.").At(fmt.Sprintf("StepScalingPolicyConfiguration.StepAdjustments[%d]", i))
			}
			steps[i] = StepAdjustment{Lower: s.MetricIntervalLowerBound, Upper: s.MetricIntervalUpperBound, Adjustment: int(*s.ScalingAdjustment)}
		}
		if err := ValidateSteps(steps); err != nil {
			var e *api.Error
			if errors.As(err, &e) {
				return nil, e.At("StepScalingPolicyConfiguration." + e.Path)
			}
			return nil, err
		}
		cp := *c
		p.step = &cp
	case "PredictiveScaling":
		return nil, api.Validation("Predictive scaling is not supported for service namespace ecs.").At("PolicyType")
	default:
		return nil, api.Validation("PolicyType must be StepScaling or TargetTrackingScaling.").At("PolicyType")
	}
	p.arn = fmt.Sprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:resource/ecs/%s:policyName/%s", a.cfg.Region, a.cfg.AccountID, sim.UUID(a.eng.Rand("autoscaling/ids")), t.rid, name)
	i := slices.IndexFunc(t.policies, func(x *policy) bool { return x.name == name })
	if i >= 0 {
		p.arn, p.created = t.policies[i].arn, t.policies[i].created
	}
	// A target tracking policy creates its alarms in CloudWatch; a
	// replaced policy's alarms go once the new ones exist.
	if p.tt != nil {
		specs, ok, err := trackingAlarms(t.rid, p.arn, p.alarms, p.tt)
		if err != nil {
			return nil, err
		}
		if ok {
			if err := a.putAlarms(specs); err != nil {
				return nil, err
			}
			p.ownsAlarms = a.alarmStore != nil
		}
	}
	if i >= 0 {
		a.deleteAlarms(t.policies[i])
		t.policies[i] = p
	} else {
		t.policies = append(t.policies, p)
	}
	alarms := p.alarms
	if alarms == nil {
		alarms = []Alarm{}
	}
	return &PutScalingPolicyOutput{PolicyARN: p.arn, Alarms: alarms}, nil
}

// DescribeScalingPolicies lists policies of a namespace.
func (a *Autoscaling) DescribeScalingPolicies(in *DescribeScalingPoliciesInput) (*DescribeScalingPoliciesOutput, error) {
	if api.Deref(in.ServiceNamespace) == "" {
		return nil, api.Validation("1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null").At("ServiceNamespace")
	}
	var all []ScalingPolicy
	for _, t := range a.targets {
		if t.ns != *in.ServiceNamespace || (in.ResourceId != nil && t.rid != *in.ResourceId) || (in.ScalableDimension != nil && t.dim != *in.ScalableDimension) {
			continue
		}
		for _, p := range t.policies {
			if len(in.PolicyNames) > 0 && !slices.Contains(in.PolicyNames, p.name) {
				continue
			}
			alarms := p.alarms
			if alarms == nil {
				alarms = []Alarm{}
			}
			all = append(all, ScalingPolicy{PolicyARN: p.arn, PolicyName: p.name, ServiceNamespace: t.ns, ResourceId: t.rid, ScalableDimension: t.dim,
				PolicyType: p.typ, StepScalingPolicyConfiguration: p.step, TargetTrackingScalingPolicyConfiguration: p.tt, Alarms: alarms,
				CreationTime: api.NewTimestamp(p.created.Time())})
		}
	}
	items, next, err := page(all, in.MaxResults, in.NextToken, 50)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []ScalingPolicy{}
	}
	return &DescribeScalingPoliciesOutput{ScalingPolicies: items, NextToken: next}, nil
}

// DeleteScalingPolicy deletes a policy.
func (a *Autoscaling) DeleteScalingPolicy(in *DeleteScalingPolicyInput) (*Empty, error) {
	if err := checkKey(in.ServiceNamespace, in.ResourceId, in.ScalableDimension); err != nil {
		return nil, err
	}
	t := a.find(*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension)
	name := api.Deref(in.PolicyName)
	i := -1
	if t != nil {
		i = slices.IndexFunc(t.policies, func(p *policy) bool { return p.name == name })
	}
	if i < 0 {
		return nil, api.Errorf("ObjectNotFoundException", "No scaling policy found for service namespace: %s, resource ID: %s, scalable dimension: %s, policy name: %s",
			*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension, name)
	}
	a.deleteAlarms(t.policies[i])
	t.policies = slices.Delete(t.policies, i, i+1)
	return &Empty{}, nil
}

// PutScheduledAction creates or replaces a scheduled action: at its
// schedule (at(), rate() or cron(), in Timezone, between StartTime and
// EndTime) it sets the target's MinCapacity and MaxCapacity, and brings
// the capacity into the new range. Scheduled actions ignore cooldowns.
// [AAS:application-auto-scaling-scheduled-scaling]
func (a *Autoscaling) PutScheduledAction(in *PutScheduledActionInput) (*Empty, error) {
	name := api.Deref(in.ScheduledActionName)
	if !printable.MatchString(name) {
		return nil, api.Validation("ScheduledActionName must be 1 to 256 printable characters.").At("ScheduledActionName")
	}
	if err := checkKey(in.ServiceNamespace, in.ResourceId, in.ScalableDimension); err != nil {
		return nil, err
	}
	t := a.find(*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension)
	if t == nil {
		return nil, notFound(*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension)
	}
	i := slices.IndexFunc(t.scheduled, func(s *scheduled) bool { return s.name == name })
	s := &scheduled{name: name, created: a.eng.Now(),
		arn: fmt.Sprintf("arn:aws:autoscaling:%s:%s:scheduledAction:%s:resource/ecs/%s:scheduledActionName/%s", a.cfg.Region, a.cfg.AccountID, sim.UUID(a.eng.Rand("autoscaling/ids")), t.rid, name)}
	if i >= 0 {
		old := t.scheduled[i]
		*s = scheduled{name: name, arn: old.arn, created: old.created, expr: old.expr, tz: old.tz, start: old.start, end: old.end, action: old.action}
	}
	if in.Schedule != nil {
		s.expr = *in.Schedule
	}
	if in.Timezone != nil {
		s.tz = *in.Timezone
	}
	if s.expr == "" {
		return nil, api.Validation("Schedule must be specified.").At("Schedule")
	}
	sch, err := ParseSchedule(s.expr, s.tz)
	if err != nil {
		return nil, err
	}
	if in.StartTime != nil {
		s.start = in.StartTime
	}
	// A rate() recurs from StartTime when there is one, else from now.
	anchor := a.eng.Now().Time()
	if s.start != nil {
		anchor = s.start.Time
	}
	s.sched = sch.WithAnchor(anchor)
	if in.EndTime != nil {
		s.end = in.EndTime
	}
	if in.ScalableTargetAction != nil {
		s.action = *in.ScalableTargetAction
	}
	lo, hi := s.action.MinCapacity, s.action.MaxCapacity
	if lo == nil && hi == nil {
		return nil, api.Validation("ScalableTargetAction must set MinCapacity, MaxCapacity or both.").At("ScalableTargetAction")
	}
	if lo != nil && hi != nil && *lo > *hi {
		return nil, api.Validation("Minimum capacity cannot be greater than maximum capacity").At("ScalableTargetAction")
	}
	if i >= 0 {
		t.scheduled[i].timer.Cancel()
		t.scheduled[i] = s
	} else {
		t.scheduled = append(t.scheduled, s)
	}
	a.armScheduled(t, s, a.eng.Now().Time())
	return &Empty{}, nil
}

// armScheduled schedules the next run of a scheduled action after now.
func (a *Autoscaling) armScheduled(t *target, s *scheduled, after time.Time) {
	s.timer.Cancel()
	from := after
	if s.start != nil && s.start.Time.After(from) {
		from = s.start.Time.Add(-time.Nanosecond)
	}
	next, ok := s.sched.Next(from)
	if !ok || (s.end != nil && next.After(s.end.Time)) {
		return
	}
	s.timer, _ = a.eng.Schedule(sim.FromTime(next), func() error {
		a.runScheduled(t, s)
		a.armScheduled(t, s, a.eng.Now().Time())
		return nil
	})
}

func (a *Autoscaling) runScheduled(t *target, s *scheduled) {
	if t.gone || api.Deref(t.suspended.ScheduledScalingSuspended) {
		return
	}
	if s.action.MinCapacity != nil {
		t.min = int(*s.action.MinCapacity)
	}
	if s.action.MaxCapacity != nil {
		t.max = int(*s.action.MaxCapacity)
	}
	if t.min > t.max {
		t.max = t.min
	}
	cur, ok := a.res.ScalableCapacity(t.rid)
	if ok && (cur < t.min || cur > t.max) {
		a.scale(t, cur, "scheduled action name "+s.name+" was triggered")
	}
}

// DescribeScheduledActions lists scheduled actions of a namespace.
func (a *Autoscaling) DescribeScheduledActions(in *DescribeScheduledActionsInput) (*DescribeScheduledActionsOutput, error) {
	if api.Deref(in.ServiceNamespace) == "" {
		return nil, api.Validation("1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null").At("ServiceNamespace")
	}
	var all []ScheduledAction
	for _, t := range a.targets {
		if t.ns != *in.ServiceNamespace || (in.ResourceId != nil && t.rid != *in.ResourceId) || (in.ScalableDimension != nil && t.dim != *in.ScalableDimension) {
			continue
		}
		for _, s := range t.scheduled {
			if len(in.ScheduledActionNames) > 0 && !slices.Contains(in.ScheduledActionNames, s.name) {
				continue
			}
			act := s.action
			all = append(all, ScheduledAction{ScheduledActionName: s.name, ScheduledActionARN: s.arn, ServiceNamespace: t.ns, Schedule: s.expr,
				Timezone: s.tz, ResourceId: t.rid, ScalableDimension: t.dim, StartTime: s.start, EndTime: s.end, ScalableTargetAction: &act,
				CreationTime: api.NewTimestamp(s.created.Time())})
		}
	}
	items, next, err := page(all, in.MaxResults, in.NextToken, 50)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []ScheduledAction{}
	}
	return &DescribeScheduledActionsOutput{ScheduledActions: items, NextToken: next}, nil
}

// DeleteScheduledAction deletes a scheduled action.
func (a *Autoscaling) DeleteScheduledAction(in *DeleteScheduledActionInput) (*Empty, error) {
	if err := checkKey(in.ServiceNamespace, in.ResourceId, in.ScalableDimension); err != nil {
		return nil, err
	}
	t := a.find(*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension)
	name := api.Deref(in.ScheduledActionName)
	i := -1
	if t != nil {
		i = slices.IndexFunc(t.scheduled, func(s *scheduled) bool { return s.name == name })
	}
	if i < 0 {
		return nil, api.Errorf("ObjectNotFoundException", "No scheduled action found for service namespace: %s, resource ID: %s, scalable dimension: %s, scheduled action name: %s",
			*in.ServiceNamespace, *in.ResourceId, *in.ScalableDimension, name)
	}
	t.scheduled[i].timer.Cancel()
	t.scheduled = slices.Delete(t.scheduled, i, i+1)
	return &Empty{}, nil
}

// DescribeScalingActivities lists scaling activities, newest first; with
// IncludeNotScaledActivities also the not scaled ones, each with its
// NotScaledReasons.
func (a *Autoscaling) DescribeScalingActivities(in *DescribeScalingActivitiesInput) (*DescribeScalingActivitiesOutput, error) {
	if api.Deref(in.ServiceNamespace) == "" {
		return nil, api.Validation("1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null").At("ServiceNamespace")
	}
	// Page over the indexes of the matching activities, newest first, and
	// copy out only the page: listing a long history page by page stays
	// linear.
	// Activities are only ever appended and their namespace, resource,
	// dimension and not scaled reasons never change, so the matches of the
	// previous call stand while the filter and the count are the same:
	// listing page after page does not filter the whole history again.
	key := matchKey{ns: *in.ServiceNamespace, rid: in.ResourceId != nil, dim: in.ScalableDimension != nil,
		notScaled: api.Deref(in.IncludeNotScaledActivities), n: len(a.acts)}
	if key.rid {
		key.resource = *in.ResourceId
	}
	if key.dim {
		key.dimension = *in.ScalableDimension
	}
	if a.matchOK && a.matchKey == key {
		return a.activityPage(a.matchBuf, in)
	}
	a.matchOK = false
	match := a.matchBuf[:0] // reused: a listing page after page would otherwise grow it afresh for each
	for i := len(a.acts) - 1; i >= 0; i-- {
		x := &a.acts[i]
		if x.ServiceNamespace != *in.ServiceNamespace || (in.ResourceId != nil && x.ResourceId != *in.ResourceId) || (in.ScalableDimension != nil && x.ScalableDimension != *in.ScalableDimension) {
			continue
		}
		if len(x.NotScaledReasons) > 0 && !api.Deref(in.IncludeNotScaledActivities) {
			continue // not scaled activities only when asked for [AASAPI:DescribeScalingActivities.IncludeNotScaledActivities]
		}
		match = append(match, i)
	}
	a.matchBuf, a.matchKey, a.matchOK = match, key, true
	return a.activityPage(match, in)
}

// matchKey is what DescribeScalingActivities' matches depend on: the
// filter and how many activities there are.
type matchKey struct {
	ns, resource, dimension string
	rid, dim, notScaled     bool
	n                       int
}

// activityPage copies out the page of the matching activities in asks for.
func (a *Autoscaling) activityPage(match []int, in *DescribeScalingActivitiesInput) (*DescribeScalingActivitiesOutput, error) {
	idx, next, err := page(match, in.MaxResults, in.NextToken, 50)
	if err != nil {
		return nil, err
	}
	items := make([]ScalingActivity, len(idx))
	for j, i := range idx {
		items[j] = a.acts[i]
	}
	return &DescribeScalingActivitiesOutput{ScalingActivities: items, NextToken: next}, nil
}
