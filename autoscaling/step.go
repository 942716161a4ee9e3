package autoscaling

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// stepState is what a step scaling policy remembers between executions,
// for its cooldown.
type stepState struct {
	outAt, inAt   sim.Time // last scale-out and scale-in it made
	didOut, didIn bool     // whether outAt and inAt are set
	outFrom       int      // capacity before the scale-out that began the cooldown
}

// AlarmAction executes the policy that an alarm action names by ARN, as
// CloudWatch invokes it at each evaluation while the alarm is in the state
// (usually ALARM) whose actions list the policy.
// value is the alarm's most recent datapoint (valid false when it had
// none) and threshold its threshold. A step scaling policy executes at
// once; a target tracking policy acts on the alarms it created, once all
// alarms of the instant are in (see decide). An ARN that names no policy
// does nothing.
// [AAS:application-auto-scaling-step-scaling-policies] [AAS:application-auto-scaling-target-tracking]
func (a *Autoscaling) AlarmAction(policyARN, alarmName, state string, value, threshold float64, valid bool) {
	t, p := a.policyByARN(policyARN)
	switch {
	case p == nil:
	case p.step != nil:
		a.executeStep(t, p, fmt.Sprintf("monitor alarm %s in state %s triggered policy %s", alarmName, state, p.name), value, threshold, valid)
	case p.tt != nil && state == "ALARM":
		a.trackingAlarm(t, p, alarmName, value, valid)
	}
}

// policyByARN finds a policy and its target by ARN, or returns nil. An
// alarm invokes the same policy every minute it stays in ALARM, so the
// answer is remembered, and trusted while the target is registered and
// still has the policy.
func (a *Autoscaling) policyByARN(arn string) (*target, *policy) {
	if f, ok := a.byARN[arn]; ok && !f.t.gone && f.p.arn == arn && slices.Contains(f.t.policies, f.p) {
		return f.t, f.p
	}
	for _, t := range a.targets {
		for _, p := range t.policies {
			if p.arn == arn {
				if a.byARN == nil {
					a.byARN = map[string]found{}
				}
				a.byARN[arn] = found{t, p}
				return t, p
			}
		}
	}
	delete(a.byARN, arn)
	return nil, nil
}

// found is a policy and its target.
type found struct {
	t *target
	p *policy
}

// executeStep applies a step scaling policy: the step whose interval holds
// value − threshold gives the adjustment, applied as the AdjustmentType
// says (ApplyAdjustment) within [min, max].
//
// Cooldown (default 300 s) as the guide documents it: after a scale-out,
// the policy scales out again within the cooldown only when the new
// adjustment, counted from the capacity before that scale-out, asks for
// more than there is now ("capacity added by the initiating scale-out is
// calculated as part of the desired capacity for the next"); after a
// scale-in it does not scale in again within the cooldown, and a
// scale-out ends that cooldown. No scale-in during an ECS deployment, none
// when dynamic scaling in (out) is suspended.
// [AAS:application-auto-scaling-step-scaling-policies] [DG:service-auto-scaling]
func (a *Autoscaling) executeStep(t *target, p *policy, cause string, value, threshold float64, valid bool) {
	cur, ok := a.res.ScalableCapacity(t.rid)
	if !ok || !valid {
		return
	}
	steps := make([]StepAdjustment, len(p.step.StepAdjustments))
	for i, s := range p.step.StepAdjustments {
		steps[i] = StepAdjustment{Lower: s.MetricIntervalLowerBound, Upper: s.MetricIntervalUpperBound, Adjustment: int(api.Deref(s.ScalingAdjustment))}
	}
	adj, ok := StepFor(steps, value, threshold)
	if !ok {
		return
	}
	typ, mag := api.Deref(p.step.AdjustmentType), int(api.Deref(p.step.MinAdjustmentMagnitude))
	cooldown := defaultCooldown
	if c := p.step.Cooldown; c != nil {
		cooldown = time.Duration(*c) * time.Second
	}
	now := a.eng.Now()
	want := ApplyAdjustment(cur, typ, adj, mag, t.min, t.max)
	switch {
	case want == cur:
		// Blocked by a bound, or nothing to change: a not scaled activity.
		dir := adj
		if typ == ExactCapacity {
			dir = adj - cur
		}
		switch {
		case dir > 0 && api.Deref(t.suspended.DynamicScalingOutSuspended),
			dir < 0 && api.Deref(t.suspended.DynamicScalingInSuspended):
			return
		}
		a.notScaled(t, cur, dir, nil, -1, func() string { return cause })
	case want > cur:
		if api.Deref(t.suspended.DynamicScalingOutSuspended) {
			return
		}
		from := cur
		if p.stepState.didOut && now.Sub(p.stepState.outAt) < cooldown {
			from = p.stepState.outFrom
			if want = ApplyAdjustment(from, typ, adj, mag, t.min, t.max); want <= cur {
				return
			}
		}
		if a.scale(t, want, cause) {
			p.stepState.outAt, p.stepState.outFrom, p.stepState.didOut, p.stepState.didIn = now, from, true, false
		}
	case want < cur:
		if api.Deref(t.suspended.DynamicScalingInSuspended) || a.res.ScalableDeploying(t.rid) {
			return
		}
		if p.stepState.didIn && now.Sub(p.stepState.inAt) < cooldown {
			return
		}
		if a.scale(t, want, cause) {
			p.stepState.inAt, p.stepState.didIn = now, true
		}
	}
}
