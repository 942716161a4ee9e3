package autoscaling

import (
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// The reason codes of not scaled activities that the simulation gives.
// (AutoScalingAnticipatedFlapping and TargetServicePutResourceAsUnscalable
// are AWS's too, for cases not simulated.)
// [AASAPI:NotScaledReason.Code] [AAS:application-auto-scaling-scaling-activities#understand-not-scaled-reason-codes]
const (
	NotScaledAtMax     = "AlreadyAtMaxCapacity"
	NotScaledAtMin     = "AlreadyAtMinCapacity"
	NotScaledAtDesired = "AlreadyAtDesiredCapacity"
)

// notScaledDescription and notScaledStatus are the Description and
// StatusCode of a not scaled activity, as in the guide's example response
// (which has no StatusMessage and no EndTime).
// [AAS:application-auto-scaling-scaling-activities#include-not-scaled-activities-with-the-aws-cli]
const (
	notScaledDescription = "Attempting to scale due to alarm triggered"
	notScaledStatus      = "Failed"
)

// notScaledReason returns why a policy execution that asked to scale in
// direction dir (+1 out, −1 in, 0 to the capacity it already has) left
// the capacity cur unchanged: blocked by the maximum (out), the minimum
// (in), or the computed capacity being the current one. Each reason
// carries the capacity that explains it, as the guide's example gives
// MaxCapacity with AlreadyAtMaxCapacity (see docs/fidelity.md).
func notScaledReason(t *target, cur, dir int) NotScaledReason {
	switch {
	case dir > 0 && cur >= t.max:
		return NotScaledReason{Code: NotScaledAtMax, MaxCapacity: api.Int32(int32(t.max))}
	case dir < 0 && cur <= t.min:
		return NotScaledReason{Code: NotScaledAtMin, MinCapacity: api.Int32(int32(t.min))}
	}
	return NotScaledReason{Code: NotScaledAtDesired, CurrentCapacity: api.Int32(int32(cur))}
}

// notScaled records a not scaled activity: a policy executed on an alarm
// but the capacity stays cur. It is listed only by
// DescribeScalingActivities with IncludeNotScaledActivities, and is not a
// trace event (nothing changed). An alarm that stays in ALARM executes its
// policy every minute: a run of executions with the same cause and reason
// and no scaling in between is recorded once, at its first (see
// docs/fidelity.md). A target tracking execution names its cause by the
// policy and alarm (by, alarm) so the cause is worded only when recorded;
// a step scaling execution passes by nil and its cause's words are compared.
func (a *Autoscaling) notScaled(t *target, cur, dir int, by *policy, alarm int, cause func() string) {
	r := notScaledReason(t, cur, dir)
	last := &t.lastNotScaled
	if last.set && last.by == by && last.alarm == alarm && sameReason(last.reason, r) {
		if by != nil {
			return
		}
		if c := cause(); c == last.cause {
			return
		}
	}
	c := cause()
	t.lastNotScaled = lastNotScaled{set: true, by: by, alarm: alarm, cause: c, reason: r}
	a.acts = append(a.acts, ScalingActivity{
		ActivityId:       sim.UUID(a.eng.Rand("autoscaling/not-scaled")),
		ServiceNamespace: t.ns, ResourceId: t.rid, ScalableDimension: t.dim,
		Description: notScaledDescription, Cause: c,
		StartTime: a.now(), StatusCode: notScaledStatus,
		NotScaledReasons: []NotScaledReason{r},
	})
}

// lastNotScaled is a target's last not scaled activity, until it scales.
type lastNotScaled struct {
	set    bool
	by     *policy // the target tracking policy whose alarm executed, or nil
	alarm  int     // which of by's alarms
	cause  string
	reason NotScaledReason
}

// sameReason compares two reasons by value.
func sameReason(x, y NotScaledReason) bool {
	eq := func(p, q *int32) bool { return (p == nil) == (q == nil) && (p == nil || *p == *q) }
	return x.Code == y.Code && eq(x.MaxCapacity, y.MaxCapacity) && eq(x.MinCapacity, y.MinCapacity) && eq(x.CurrentCapacity, y.CurrentCapacity)
}
