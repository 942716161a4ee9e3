package cloudwatch

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// A feed publishes an aggregate with its own Sum and the raw values
// behind it: the statistics come from the aggregate, the percentiles
// from the values, also when the sample becomes visible later.
func TestPublishValues(t *testing.T) {
	st := NewStore()
	s := st.Series("A", "m", nil)
	m := sim.Time(time.Minute)
	v := Stats{SampleCount: 100, Sum: 0.1*99 + 2, Minimum: 0.1, Maximum: 2}
	st.PublishValues(s, 0, "Seconds", v, []float64{0.1, 2, 7}, []float64{99, 1, 0}, 2*m, 0)
	_, ok := s.percentileOf(0, m, "", 50)
	require.False(t, ok, "not visible yet")
	st.Flush(2 * m)
	ps := s.Periods(0, m, time.Minute, "")
	require.Len(t, ps, 1)
	require.Equal(t, v, ps[0].all())
	for _, tc := range []struct{ p, want float64 }{{50, 0.1}, {99, 0.1}, {99.5, 2}, {100, 2}} {
		got, ok := s.percentileOf(0, m, "", tc.p)
		require.True(t, ok)
		require.Equal(t, tc.want, got, "p%v", tc.p)
	}
}
