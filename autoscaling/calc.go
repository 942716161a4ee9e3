package autoscaling

// This file holds the scaling arithmetic of Application Auto Scaling as pure
// functions: no state, no clock, no randomness. Callers (the policy
// evaluations the engine schedules) pass the current capacity and the metric
// and apply the result.
//
// Sources are cited as in docs/fidelity.md:
//   [AAS:page]     https://docs.aws.amazon.com/autoscaling/application/userguide/<page>.html
//   [AASAPI:Shape] the Application Auto Scaling API model (botocore service-2.json)

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/ecssim/ecssim/api"
)

// Adjustment types of a step scaling policy: how a [StepAdjustment]'s
// Adjustment is read. [AASAPI:StepScalingPolicyConfiguration.AdjustmentType]
const (
	// ChangeInCapacity adds Adjustment to the current capacity (negative
	// removes): 3 tasks and +5 → 8.
	ChangeInCapacity = "ChangeInCapacity"
	// PercentChangeInCapacity adds Adjustment percent of the current
	// capacity, rounded as [ApplyAdjustment] documents: 10 tasks and +10 → 11.
	PercentChangeInCapacity = "PercentChangeInCapacity"
	// ExactCapacity sets the capacity to Adjustment: 3 tasks and 5 → 5.
	ExactCapacity = "ExactCapacity"
)

// MaxStepAdjustments is the most step adjustments one step scaling policy
// may have. Observed: "There can be at most 20 step adjustments per scaling
// policy" (https://github.com/aws/aws-cdk/issues/26215, an ECS service
// scaled by Application Auto Scaling).
const MaxStepAdjustments = 20

// TargetTrackingDesired returns the capacity a target tracking policy asks
// for: ceil(current × metric / target), clamped to [min, max].
//
// AWS documents only that the new capacity is proportional to the metric and
// rounded conservatively — never add too little, never remove too much
// [AAS:application-auto-scaling-target-tracking]; the ceiling is the usual
// reading of that (ecs-semantics.md "Unverified"). Rounding up is right in
// both directions:
//
//   - scale out: 10 tasks at 90% CPU, target 70 → ceil(12.86) = 13;
//   - scale in: 10 tasks at 50%, target 70 → ceil(7.14) = 8 (7 tasks would
//     be predicted at 71.4%, above the target);
//   - no change near the target: 10 tasks at 65%, target 70 → ceil(9.29) =
//     10, because 9 tasks would be predicted at 72.2% — the guide's "won't
//     scale in if removing capacity would likely push the metric above the
//     target" [AAS:target-tracking-scaling-policy-overview].
//
// Choices where AWS is silent:
//
//   - current 0 with a positive metric returns at least 1 (before clamping):
//     the formula alone has 0 as a fixed point, and a metric above zero means
//     there is load to serve. current 0 with metric 0 stays 0.
//   - the quotient is rounded to the nearest integer first when it is within
//     1e-9 of it, so that floating-point noise (3 × 0.7 / 0.7 =
//     3.0000000000000004) does not add a task.
//   - a target ≤ 0, or a NaN/infinite metric or target, carries no
//     information: the result is current, clamped.
//   - a negative metric counts as 0.
//   - clamping puts the result at most max and then at least min, so if
//     min > max (which the API rejects) min wins.
func TargetTrackingDesired(current int, metric, target float64, min, max int) int {
	if current < 0 {
		current = 0
	}
	if !(target > 0) || math.IsNaN(metric) || math.IsInf(metric, 0) || math.IsInf(target, 0) {
		return clampCapacity(current, min, max)
	}
	if metric < 0 {
		metric = 0
	}
	x := float64(current) * metric / target
	if r := math.Round(x); math.Abs(x-r) < 1e-9 {
		x = r
	}
	x = math.Ceil(x)
	var n int
	switch {
	case x >= float64(max):
		n = max
	case x >= math.MaxInt32: // max is beyond any capacity AWS allows
		n = math.MaxInt32
	default:
		n = int(x)
	}
	if current == 0 && metric > 0 && n < 1 {
		n = 1
	}
	return clampCapacity(n, min, max)
}

// StepAdjustment is one step of a step scaling policy. Lower and Upper bound
// the difference metric − alarm threshold; nil Lower is −∞ and nil Upper is
// +∞. [AASAPI:StepAdjustment]
type StepAdjustment struct {
	// Lower is MetricIntervalLowerBound: nil for −∞.
	Lower *float64
	// Upper is MetricIntervalUpperBound: nil for +∞.
	Upper *float64
	// Adjustment is ScalingAdjustment, read according to the policy's
	// adjustment type.
	Adjustment int
}

// StepFor returns the adjustment of the step whose interval contains
// metric − threshold, and ok=false when no step does (AWS then scales
// nothing; observed in alarm history as "No step adjustment found for metric
// value [0.0] and breach threshold 1.0",
// https://github.com/mapbox/ecs-watchbot/pull/187).
//
// Bounds follow [AASAPI:StepAdjustment] and
// [AAS:application-auto-scaling-step-scaling-policies]: above the threshold
// the lower bound is inclusive and the upper exclusive; below it the lower
// bound is exclusive and the upper inclusive. With a threshold of 50:
//
//	[0, 10)   matches 50 ≤ metric < 60
//	[10, +∞)  matches metric ≥ 60
//	(−10, 0]  matches 40 < metric ≤ 50
//	(−∞, −10] matches metric ≤ 40
//
// At the threshold itself (difference 0) AWS's own examples make both a step
// starting at 0 ("greater than or equal to 50") and one ending at 0 ("less
// than or equal to 50") match, so the interval is closed at 0 on both sides.
// A single policy holding both such steps is ambiguous there; ecssim then
// picks the step that starts at 0 (the above-threshold one) — AWS is silent.
// Otherwise steps are expected to be disjoint ([ValidateSteps]) and the first
// match in slice order is returned.
func StepFor(steps []StepAdjustment, metric, threshold float64) (adj int, ok bool) {
	d := metric - threshold
	if math.IsNaN(d) {
		return 0, false
	}
	if d == 0 {
		// Prefer the step that starts at (or before) 0 and extends above it.
		for _, s := range steps {
			if (s.Lower == nil || *s.Lower <= 0) && (s.Upper == nil || *s.Upper > 0) {
				return s.Adjustment, true
			}
		}
		for _, s := range steps {
			if (s.Lower == nil || *s.Lower < 0) && (s.Upper == nil || *s.Upper >= 0) {
				return s.Adjustment, true
			}
		}
		return 0, false
	}
	for _, s := range steps {
		var inLower, inUpper bool
		if d > 0 {
			inLower = s.Lower == nil || d >= *s.Lower
			inUpper = s.Upper == nil || d < *s.Upper
		} else {
			inLower = s.Lower == nil || d > *s.Lower
			inUpper = s.Upper == nil || d <= *s.Upper
		}
		if inLower && inUpper {
			return s.Adjustment, true
		}
	}
	return 0, false
}

// ValidateSteps checks the step adjustments of a new step scaling policy
// against the rules of [AASAPI:StepAdjustment] and
// [AAS:application-auto-scaling-step-scaling-policies]:
//
//   - at least one step, at most [MaxStepAdjustments];
//   - a step can't have both bounds null, and its upper bound must be greater
//     than its lower bound;
//   - at most one step has a null lower bound, and there must be one when a
//     step has a negative lower bound; likewise at most one null upper bound,
//     required when a step has a positive upper bound;
//   - the ranges can't overlap or have a gap between them.
//
// Ranges only have to be contiguous with each other: a policy whose steps
// start at 10 (leaving [0, 10) uncovered) is valid, as in AWS, and simply
// matches nothing there ([StepFor]).
//
// The error is an [*api.Error] with code ValidationException and Path
// "StepAdjustments" or "StepAdjustments[i]" (relative to
// StepScalingPolicyConfiguration; i is the index in steps). Messages:
//
//   - "Both lower and upper bounds of a step adjustment cannot be left
//     unspecified" — observed from Application Auto Scaling
//     (https://github.com/hashicorp/terraform-provider-aws/issues/4812);
//   - "There must be a StepAdjustment with an unspecified upper bound (i.e.,
//     upper bound is null) when one StepAdjustment has a positive upper
//     bound" — observed from EC2 Auto Scaling, which shares the step rules
//     (https://github.com/hashicorp/terraform-provider-aws/issues/9077); the
//     lower-bound twin is derived from it;
//   - "There can be at most 20 step adjustments per scaling policy" —
//     observed (https://github.com/aws/aws-cdk/issues/26215);
//   - "At most one StepAdjustment may have an unspecified lower/upper
//     bound", "StepAdjustment intervals cannot overlap", "StepAdjustment
//     intervals cannot have gaps between them" — not found in AWS output;
//     worded as the Alibaba Cloud Auto Scaling API, which mirrors these AWS
//     rules and the two observed messages above word for word;
//   - the rest (no steps, upper ≤ lower, non-finite bound) are ecssim's
//     wording of the documented rules.
//
// The adjustment values are not checked here: an ExactCapacity step must not
// be negative, which needs the policy's adjustment type.
func ValidateSteps(steps []StepAdjustment) error {
	if len(steps) == 0 {
		return api.Validation("At least one step adjustment is required when adding a step scaling policy configuration").At("StepAdjustments")
	}
	if len(steps) > MaxStepAdjustments {
		return api.Validation("There can be at most %d step adjustments per scaling policy", MaxStepAdjustments).At("StepAdjustments")
	}
	var nilLower, nilUpper int
	negLower, posUpper := -1, -1
	for i, s := range steps {
		path := "StepAdjustments[" + strconv.Itoa(i) + "]"
		if s.Lower == nil && s.Upper == nil {
			return api.Validation("Both lower and upper bounds of a step adjustment cannot be left unspecified").At(path)
		}
		if (s.Lower != nil && !finiteBound(*s.Lower)) || (s.Upper != nil && !finiteBound(*s.Upper)) {
			return api.Validation("Step adjustment bounds must be finite numbers; leave a bound unspecified for infinity").At(path)
		}
		if s.Lower != nil && s.Upper != nil && *s.Upper <= *s.Lower {
			return api.Validation("The upper bound of a step adjustment must be greater than its lower bound (lower bound %s, upper bound %s)",
				formatBound(*s.Lower), formatBound(*s.Upper)).At(path)
		}
		if s.Lower == nil {
			nilLower++
		} else if *s.Lower < 0 && negLower < 0 {
			negLower = i
		}
		if s.Upper == nil {
			nilUpper++
		} else if *s.Upper > 0 && posUpper < 0 {
			posUpper = i
		}
	}
	if nilLower > 1 {
		return api.Validation("At most one StepAdjustment may have an unspecified lower bound").At("StepAdjustments")
	}
	if nilUpper > 1 {
		return api.Validation("At most one StepAdjustment may have an unspecified upper bound").At("StepAdjustments")
	}
	if negLower >= 0 && nilLower == 0 {
		return api.Validation("There must be a StepAdjustment with an unspecified lower bound (i.e., lower bound is null) when one StepAdjustment has a negative lower bound").
			At("StepAdjustments[" + strconv.Itoa(negLower) + "]")
	}
	if posUpper >= 0 && nilUpper == 0 {
		return api.Validation("There must be a StepAdjustment with an unspecified upper bound (i.e., upper bound is null) when one StepAdjustment has a positive upper bound").
			At("StepAdjustments[" + strconv.Itoa(posUpper) + "]")
	}

	// Sort by lower bound (−∞ first) and check each range ends where the
	// next begins.
	order := make([]int, len(steps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		la, lb := steps[a].Lower, steps[b].Lower
		switch {
		case la == nil && lb == nil:
			return 0
		case la == nil:
			return -1
		case lb == nil:
			return 1
		}
		return cmp.Compare(*la, *lb)
	})
	for k := 1; k < len(order); k++ {
		prev, next := steps[order[k-1]], steps[order[k]]
		path := "StepAdjustments[" + strconv.Itoa(order[k]) + "]"
		switch {
		case prev.Upper == nil || next.Lower == nil || *next.Lower < *prev.Upper:
			return api.Validation("StepAdjustment intervals cannot overlap").At(path)
		case *next.Lower > *prev.Upper:
			return api.Validation("StepAdjustment intervals cannot have gaps between them").At(path)
		}
	}
	return nil
}

// ApplyAdjustment returns the capacity after a step adjustment, clamped to
// [min, max]. [AAS:application-auto-scaling-step-scaling-policies]
// [AASAPI:StepScalingPolicyConfiguration]
//
//   - [ChangeInCapacity]: current + adj.
//   - [ExactCapacity]: adj.
//   - [PercentChangeInCapacity]: current + delta, delta = current × adj / 100
//     rounded as AWS documents: values greater than 1 are rounded down
//     (12.7 → 12), values between 0 and 1 become 1 (0.67 → 1), values between
//     0 and −1 become −1 (−0.58 → −1), values less than −1 are rounded up
//     toward 0 (−6.67 → −6). Then, when minMagnitude > 0 and |delta| is
//     smaller, delta becomes ±minMagnitude with the sign of adj
//     (MinAdjustmentMagnitude).
//
// AWS's worked example, 10 tasks: +10% → 11; +30% of 11 = 3.3 → 3 → 14;
// −10% of 14 = 1.4 → 1 → 13; −30% of 13 = 3.9 → 3 → 10. With
// MinAdjustmentMagnitude 2, +25% of 4 = 1 → +2 → 6.
//
// Choices where AWS is silent: minMagnitude is ignored for the other
// adjustment types (AWS documents it for PercentChangeInCapacity only); it
// also applies when the percentage of the current capacity is 0 (0 tasks,
// +25%, minimum 2 → 2), because it is "the minimum value to scale by"; an
// unknown adjustment type leaves the capacity unchanged (still clamped) —
// rejecting it is the API's job. Clamping is as in [TargetTrackingDesired].
func ApplyAdjustment(current int, adjType string, adj int, minMagnitude int, min, max int) int {
	var n int
	switch adjType {
	case ChangeInCapacity:
		n = current + adj
	case ExactCapacity:
		n = adj
	case PercentChangeInCapacity:
		n = current + percentDelta(current, adj, minMagnitude)
	default:
		n = current
	}
	return clampCapacity(n, min, max)
}

// percentDelta is the PercentChangeInCapacity change with AWS's rounding and
// MinAdjustmentMagnitude. It works on the exact product current × adj
// (hundredths of a task) so no floating point is involved: rounding toward
// zero is Go's integer division, and a non-zero |x| < 1 is pushed out to ±1.
func percentDelta(current, adj, minMagnitude int) int {
	num := current * adj // delta × 100
	var delta int
	switch {
	case num > 0 && num < 100:
		delta = 1
	case num < 0 && num > -100:
		delta = -1
	default:
		delta = num / 100 // truncates toward zero: 12.7 → 12, −6.67 → −6
	}
	if minMagnitude > 0 && adj != 0 && absInt(delta) < minMagnitude {
		if adj > 0 {
			delta = minMagnitude
		} else {
			delta = -minMagnitude
		}
	}
	return delta
}

// clampCapacity returns n limited to at most max and then at least min.
func clampCapacity(n, min, max int) int {
	if n > max {
		n = max
	}
	if n < min {
		n = min
	}
	return n
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func finiteBound(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func formatBound(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
