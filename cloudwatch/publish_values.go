package cloudwatch

import (
	"math"

	"github.com/ecssim/ecssim/sim"
)

// PublishValues is Publish for a feed that knows the raw values behind
// an aggregate: values[i] occurred counts[i] times, as PutMetricData's
// Values and Counts. v is stored as given, so a feed keeps its own
// arithmetic for Sum and the statistics that follow from it; the values
// give the percentiles. Pairs with a count that is not positive, or with
// a value or count that is not finite, are left out of the percentiles;
// counts is cut or padded with 1 to the length of values.
func (st *Store) PublishValues(s *Series, at sim.Time, unit string, v Stats, values, counts []float64, visibleAt, now sim.Time) {
	st.publishValues(s, s.watched, at, unit, v, values, counts, visibleAt, now)
}

// PublishValuesTo is PublishValues to the series of h.
func (st *Store) PublishValuesTo(h *Handle, at sim.Time, unit string, v Stats, values, counts []float64, visibleAt, now sim.Time) {
	st.publishValues(h.s, st.isWatched(h), at, unit, v, values, counts, visibleAt, now)
}

func (st *Store) publishValues(s *Series, watched bool, at sim.Time, unit string, v Stats, values, counts []float64, visibleAt, now sim.Time) {
	if v.SampleCount == 0 {
		return
	}
	vals := st.scratch[:0]
	for i, x := range values {
		n := 1.0
		if i < len(counts) {
			n = counts[i]
		}
		if n > 0 && !math.IsInf(n, 0) && !math.IsNaN(x) && !math.IsInf(x, 0) {
			vals = append(vals, valueCount{x, n})
		}
	}
	st.scratch = vals
	if len(vals) == 0 {
		vals = nil
	}
	st.publish(s, watched, at, unit, v, vals, visibleAt, now)
}
