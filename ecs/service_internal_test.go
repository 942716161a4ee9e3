package ecs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

func TestCircuitBreakerThresholdTable(t *testing.T) {
	cases := []struct {
		desired int
		cfg     *ThresholdConfiguration
		want    int
	}{
		{1, nil, 3}, {6, nil, 3}, {7, nil, 4}, {10, nil, 5}, {25, nil, 13}, {400, nil, 200}, {800, nil, 200},
		{10, &ThresholdConfiguration{Type: api.String("COUNT"), Value: api.Int32(2)}, 2},
		{10, &ThresholdConfiguration{Type: api.String("BOUNDED_PERCENT"), Value: api.Int32(10)}, 3},
		{1000, &ThresholdConfiguration{Type: api.String("UNBOUNDED_PERCENT"), Value: api.Int32(50)}, 500},
		{2, &ThresholdConfiguration{Type: api.String("UNBOUNDED_PERCENT")}, 1},
	}
	for _, tc := range cases {
		got := circuitBreakerThreshold(DeploymentCircuitBreaker{Enable: true, ThresholdConfiguration: tc.cfg}, tc.desired)
		require.Equal(t, tc.want, got, "desired %d %+v", tc.desired, tc.cfg)
	}
}

// TestBoundsWorkedExamples pins the documented worked examples of the
// rolling update bounds. [DG:deployment-type-ecs]
func TestBoundsWorkedExamples(t *testing.T) {
	cases := []struct{ desired, maxPct, minPct, max, min int }{
		{4, 200, 50, 8, 2},  // may stop 2 old before starting 2 new
		{2, 200, 75, 4, 2},  // ceil(1.5) = 2: cannot stop any
		{4, 200, 100, 8, 4}, // may start 4 new before stopping 4 old
		{3, 125, 100, 3, 3}, // floor(3.75) = 3: cannot start any extra
		{6, 200, 100, 12, 6},
	}
	for _, tc := range cases {
		mx, mn := bounds(tc.desired, tc.maxPct, tc.minPct)
		require.Equal(t, tc.max, mx, "%+v", tc)
		require.Equal(t, tc.min, mn, "%+v", tc)
	}
}

func TestThrottleDelays(t *testing.T) {
	var got []time.Duration
	for n := 1; n <= 10; n++ {
		got = append(got, throttleDelay(n))
	}
	require.Equal(t, []time.Duration{0, 0, 30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		15 * time.Minute, 15 * time.Minute, 15 * time.Minute}, got)
}
