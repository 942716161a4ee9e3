package autoscaling

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

func stepBound(f float64) *float64 { return &f }

func TestTargetTrackingDesired(t *testing.T) {
	tests := []struct {
		name           string
		current        int
		metric, target float64
		min, max       int
		want           int
	}{
		{"scale out proportionally", 10, 90, 70, 1, 100, 13}, // ceil(12.86)
		{"scale in rounds up", 10, 50, 70, 1, 100, 8},        // ceil(7.14): 7 tasks would be at 71.4%
		{"near target no change", 10, 65, 70, 1, 100, 10},    // ceil(9.29): 9 tasks would be at 72.2%
		{"at target", 10, 70, 70, 1, 100, 10},
		{"scale-in alarm threshold 0.9 x target", 10, 63, 70, 1, 100, 9},
		{"float noise is not a task", 3, 0.7, 0.7, 0, 100, 3},
		{"ALB requests per target", 4, 1500, 1000, 1, 100, 6},
		{"clamped to max", 10, 700, 70, 1, 20, 20},
		{"clamped to min", 10, 1, 70, 2, 20, 2},
		{"metric 0 scales to min", 5, 0, 70, 0, 20, 0},
		{"from zero with load", 0, 5, 1000, 0, 20, 1},
		{"from zero with load, min higher", 0, 5, 1000, 3, 20, 3},
		{"from zero without load", 0, 0, 1000, 0, 20, 0},
		{"negative metric counts as 0", 5, -3, 70, 1, 20, 1},
		{"huge metric", 5, 1e300, 1, 0, 50, 50},
		{"infinite metric keeps current", 5, math.Inf(1), 70, 0, 50, 5},
		{"NaN metric keeps current", 5, math.NaN(), 70, 0, 50, 5},
		{"zero target keeps current", 5, 80, 0, 0, 50, 5},
		{"negative target keeps current, clamped", 60, 80, -1, 0, 50, 50},
		{"min beyond max: min wins", 5, 80, 70, 10, 8, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, TargetTrackingDesired(tc.current, tc.metric, tc.target, tc.min, tc.max))
		})
	}
}

// TestApplyAdjustmentWorkedExample replays the example of the step scaling
// guide: 10 tasks, +10% → 11, +30% → 14, −10% → 13, −30% → 10.
func TestApplyAdjustmentWorkedExample(t *testing.T) {
	capacity := 10
	for _, step := range []struct{ adj, want int }{{10, 11}, {30, 14}, {-10, 13}, {-30, 10}} {
		capacity = ApplyAdjustment(capacity, PercentChangeInCapacity, step.adj, 0, 1, 100)
		require.Equal(t, step.want, capacity, "after %+d%%", step.adj)
	}
}

func TestApplyAdjustment(t *testing.T) {
	tests := []struct {
		name        string
		current     int
		adjType     string
		adj, minMag int
		min, max    int
		want        int
	}{
		{"change in capacity adds", 3, ChangeInCapacity, 5, 0, 0, 100, 8},
		{"change in capacity removes", 3, ChangeInCapacity, -2, 0, 0, 100, 1},
		{"exact capacity sets", 3, ExactCapacity, 5, 0, 0, 100, 5},
		{"exact capacity clamped", 3, ExactCapacity, 500, 0, 0, 100, 100},
		{"percent: 10% of 10", 10, PercentChangeInCapacity, 10, 0, 0, 100, 11},
		{"percent: 12.7 rounds down to 12", 127, PercentChangeInCapacity, 10, 0, 0, 1000, 139},
		{"percent: 0.67 rounds to 1", 67, PercentChangeInCapacity, 1, 0, 0, 1000, 68},
		{"percent: -0.58 rounds to -1", 58, PercentChangeInCapacity, -1, 0, 0, 1000, 57},
		{"percent: -6.67 rounds to -6", 667, PercentChangeInCapacity, -1, 0, 0, 1000, 661},
		{"percent: exactly 1", 100, PercentChangeInCapacity, 1, 0, 0, 1000, 101},
		{"percent: exactly -2", 100, PercentChangeInCapacity, -2, 0, 0, 1000, 98},
		{"percent: -100% empties", 7, PercentChangeInCapacity, -100, 0, 0, 1000, 0},
		{"min magnitude: 25% of 4 with 2 adds 2", 4, PercentChangeInCapacity, 25, 2, 0, 100, 6},
		{"min magnitude: -25% of 4 with 2 removes 2", 4, PercentChangeInCapacity, -25, 2, 0, 100, 2},
		{"min magnitude below the change is moot", 40, PercentChangeInCapacity, 25, 2, 0, 100, 50},
		{"min magnitude scales out from 0", 0, PercentChangeInCapacity, 25, 2, 0, 100, 2},
		{"percent of 0 without min magnitude", 0, PercentChangeInCapacity, 25, 0, 0, 100, 0},
		{"min magnitude with adj 0 does nothing", 4, PercentChangeInCapacity, 0, 2, 0, 100, 4},
		{"min magnitude ignored for change in capacity", 4, ChangeInCapacity, 1, 3, 0, 100, 5},
		{"clamped to max", 10, ChangeInCapacity, 50, 0, 1, 12, 12},
		{"clamped to min", 10, ChangeInCapacity, -50, 0, 2, 12, 2},
		{"unknown type keeps capacity", 10, "Bogus", 5, 0, 0, 100, 10},
		{"unknown type still clamped", 10, "", 5, 0, 0, 8, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, ApplyAdjustment(tc.current, tc.adjType, tc.adj, tc.minMag, tc.min, tc.max))
		})
	}
}

// The step adjustments of the step scaling guide, threshold 50:
//
//	-∞ … 30 | 30 … 40 | 40 … 60 | 60 … 70 | 70 … +∞
//	  −30%  |  −10%   | nothing |  +10%   |  +30%
var (
	guideScaleOut = []StepAdjustment{
		{Lower: stepBound(0), Upper: stepBound(10), Adjustment: 0},
		{Lower: stepBound(10), Upper: stepBound(20), Adjustment: 10},
		{Lower: stepBound(20), Adjustment: 30},
	}
	guideScaleIn = []StepAdjustment{
		{Lower: stepBound(-10), Upper: stepBound(0), Adjustment: 0},
		{Lower: stepBound(-20), Upper: stepBound(-10), Adjustment: -10},
		{Upper: stepBound(-20), Adjustment: -30},
	}
)

func TestStepFor(t *testing.T) {
	tests := []struct {
		name    string
		steps   []StepAdjustment
		metric  float64
		wantAdj int
		wantOK  bool
	}{
		// Above the threshold: lower inclusive, upper exclusive.
		{"out: at threshold", guideScaleOut, 50, 0, true},
		{"out: just below 60", guideScaleOut, 59.999, 0, true},
		{"out: exactly 60 is the next step", guideScaleOut, 60, 10, true},
		{"out: just below 70", guideScaleOut, 69.999, 10, true},
		{"out: exactly 70", guideScaleOut, 70, 30, true},
		{"out: far above", guideScaleOut, 1e9, 30, true},
		{"out: below threshold matches nothing", guideScaleOut, 49.999, 0, false},
		// Below the threshold: lower exclusive, upper inclusive.
		{"in: at threshold", guideScaleIn, 50, 0, true},
		{"in: just above 40", guideScaleIn, 40.001, 0, true},
		{"in: exactly 40 is the next step down", guideScaleIn, 40, -10, true},
		{"in: just above 30", guideScaleIn, 30.001, -10, true},
		{"in: exactly 30", guideScaleIn, 30, -30, true},
		{"in: far below", guideScaleIn, -1e9, -30, true},
		{"in: above threshold matches nothing", guideScaleIn, 50.001, 0, false},
		{"nil policy", nil, 50, 0, false},
		{"NaN metric", guideScaleOut, math.NaN(), 0, false},
		// One policy with a step ending at 0 and one starting at 0: both
		// contain the threshold; the above-threshold one wins.
		{"both sides at threshold", []StepAdjustment{
			{Upper: stepBound(0), Adjustment: -1},
			{Lower: stepBound(0), Adjustment: 1},
		}, 50, 1, true},
		{"both sides just below", []StepAdjustment{
			{Upper: stepBound(0), Adjustment: -1},
			{Lower: stepBound(0), Adjustment: 1},
		}, 49.5, -1, true},
		// A step straddling the threshold.
		{"straddling step above", []StepAdjustment{{Lower: stepBound(-5), Upper: stepBound(5), Adjustment: 7}}, 54.999, 7, true},
		{"straddling step upper bound above is exclusive", []StepAdjustment{{Lower: stepBound(-5), Upper: stepBound(5), Adjustment: 7}}, 55, 0, false},
		{"straddling step lower bound below is exclusive", []StepAdjustment{{Lower: stepBound(-5), Upper: stepBound(5), Adjustment: 7}}, 45, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			adj, ok := StepFor(tc.steps, tc.metric, 50)
			require.Equal(t, tc.wantOK, ok)
			require.Equal(t, tc.wantAdj, adj)
		})
	}
}

// TestStepForObservedNoStep replays an observed alarm history entry: threshold
// 1, one step [0, +∞), metric 0 → "No step adjustment found for metric value
// [0.0] and breach threshold 1.0" (mapbox/ecs-watchbot#187).
func TestStepForObservedNoStep(t *testing.T) {
	_, ok := StepFor([]StepAdjustment{{Lower: stepBound(0), Adjustment: -100}}, 0, 1)
	require.False(t, ok)
	// The fix there: an upper bound of 0 instead.
	adj, ok := StepFor([]StepAdjustment{{Upper: stepBound(0), Adjustment: -100}}, 0, 1)
	require.True(t, ok)
	require.Equal(t, -100, adj)
}

func TestValidateStepsAccepts(t *testing.T) {
	for name, steps := range map[string][]StepAdjustment{
		"guide scale-out":   guideScaleOut,
		"guide scale-in":    guideScaleIn,
		"single open above": {{Lower: stepBound(0), Adjustment: 1}},
		"single open below": {{Upper: stepBound(0), Adjustment: -1}},
		"starts above zero": {{Lower: stepBound(10), Adjustment: 1}},
		"straddles zero": {
			{Upper: stepBound(-5), Adjustment: -1},
			{Lower: stepBound(-5), Upper: stepBound(5), Adjustment: 0},
			{Lower: stepBound(5), Adjustment: 1},
		},
		"unsorted input": {guideScaleOut[2], guideScaleOut[0], guideScaleOut[1]},
		"twenty steps":   contiguousSteps(0, 20),
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, ValidateSteps(steps))
		})
	}
}

// contiguousSteps returns n contiguous steps starting at lo, each 1 wide, the last
// open-ended.
func contiguousSteps(lo float64, n int) []StepAdjustment {
	var s []StepAdjustment
	for i := range n {
		st := StepAdjustment{Lower: stepBound(lo + float64(i)), Adjustment: i}
		if i < n-1 {
			st.Upper = stepBound(lo + float64(i+1))
		}
		s = append(s, st)
	}
	return s
}

func TestValidateStepsRejects(t *testing.T) {
	tests := []struct {
		name     string
		steps    []StepAdjustment
		wantMsg  string
		wantPath string
	}{
		{"none", nil, "At least one step adjustment is required when adding a step scaling policy configuration", "StepAdjustments"},
		{"too many", contiguousSteps(0, 21), "There can be at most 20 step adjustments per scaling policy", "StepAdjustments"},
		{"both bounds null", []StepAdjustment{{Lower: stepBound(0), Upper: stepBound(1)}, {Adjustment: 1}},
			"Both lower and upper bounds of a step adjustment cannot be left unspecified", "StepAdjustments[1]"},
		{"upper not above lower", []StepAdjustment{{Lower: stepBound(10), Upper: stepBound(10)}},
			"The upper bound of a step adjustment must be greater than its lower bound (lower bound 10, upper bound 10)", "StepAdjustments[0]"},
		{"upper below lower", []StepAdjustment{{Lower: stepBound(10.5), Upper: stepBound(-1)}},
			"The upper bound of a step adjustment must be greater than its lower bound (lower bound 10.5, upper bound -1)", "StepAdjustments[0]"},
		{"NaN bound", []StepAdjustment{{Lower: stepBound(math.NaN())}},
			"Step adjustment bounds must be finite numbers; leave a bound unspecified for infinity", "StepAdjustments[0]"},
		{"infinite bound", []StepAdjustment{{Upper: stepBound(math.Inf(-1))}},
			"Step adjustment bounds must be finite numbers; leave a bound unspecified for infinity", "StepAdjustments[0]"},
		{"two null lower bounds", []StepAdjustment{{Upper: stepBound(-10)}, {Upper: stepBound(0)}},
			"At most one StepAdjustment may have an unspecified lower bound", "StepAdjustments"},
		{"two null upper bounds", []StepAdjustment{{Lower: stepBound(0)}, {Lower: stepBound(10)}},
			"At most one StepAdjustment may have an unspecified upper bound", "StepAdjustments"},
		{"negative lower bound without null lower", []StepAdjustment{{Lower: stepBound(-10), Upper: stepBound(0)}},
			"There must be a StepAdjustment with an unspecified lower bound (i.e., lower bound is null) when one StepAdjustment has a negative lower bound", "StepAdjustments[0]"},
		// Observed with EC2 Auto Scaling (terraform-provider-aws#9077): one step [1, 2).
		{"positive upper bound without null upper", []StepAdjustment{{Lower: stepBound(1), Upper: stepBound(2), Adjustment: 1}},
			"There must be a StepAdjustment with an unspecified upper bound (i.e., upper bound is null) when one StepAdjustment has a positive upper bound", "StepAdjustments[0]"},
		{"overlap", []StepAdjustment{{Lower: stepBound(0), Upper: stepBound(10)}, {Lower: stepBound(5)}},
			"StepAdjustment intervals cannot overlap", "StepAdjustments[1]"},
		{"same lower bound", []StepAdjustment{{Lower: stepBound(0), Upper: stepBound(10)}, {Lower: stepBound(0)}},
			"StepAdjustment intervals cannot overlap", "StepAdjustments[1]"},
		{"open-ended step not last", []StepAdjustment{{Upper: stepBound(-10)}, {Lower: stepBound(-20), Upper: stepBound(0)}},
			"StepAdjustment intervals cannot overlap", "StepAdjustments[1]"},
		// terraform-provider-aws#29413: 150-200 then 250-∞ leaves a gap.
		{"gap", []StepAdjustment{
			{Lower: stepBound(0), Upper: stepBound(50), Adjustment: 10},
			{Lower: stepBound(50), Upper: stepBound(100), Adjustment: 20},
			{Lower: stepBound(100), Upper: stepBound(150), Adjustment: 30},
			{Lower: stepBound(150), Upper: stepBound(200), Adjustment: 40},
			{Lower: stepBound(250), Adjustment: 50},
		}, "StepAdjustment intervals cannot have gaps between them", "StepAdjustments[4]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateSteps(tc.steps)
			require.Error(t, err)
			var e *api.Error
			require.True(t, errors.As(err, &e), "want *api.Error, got %T", err)
			require.Equal(t, "ValidationException", e.ErrorCode())
			require.Equal(t, tc.wantMsg, e.ErrorMessage())
			require.Equal(t, tc.wantPath, e.Path)
		})
	}
}

func ExampleApplyAdjustment() {
	// The step scaling guide's walk-through: 10 tasks, then +10%, +30%,
	// −10% and −30%.
	n := 10
	var seq []int
	for _, pct := range []int{10, 30, -10, -30} {
		n = ApplyAdjustment(n, PercentChangeInCapacity, pct, 0, 1, 100)
		seq = append(seq, n)
	}
	fmt.Println(seq)
	// 25% of 4 is 1; MinAdjustmentMagnitude 2 makes it 2.
	fmt.Println(ApplyAdjustment(4, PercentChangeInCapacity, 25, 2, 1, 100))
	// Output:
	// [11 14 13 10]
	// 6
}

func ExampleStepFor() {
	// Alarm threshold 50; scale out by 10% from 60 and 30% from 70.
	steps := []StepAdjustment{
		{Lower: stepBound(0), Upper: stepBound(10), Adjustment: 0},
		{Lower: stepBound(10), Upper: stepBound(20), Adjustment: 10},
		{Lower: stepBound(20), Adjustment: 30},
	}
	for _, m := range []float64{55, 60, 70, 45} {
		adj, ok := StepFor(steps, m, 50)
		fmt.Println(m, adj, ok)
	}
	// Output:
	// 55 0 true
	// 60 10 true
	// 70 30 true
	// 45 0 false
}
