package sweep

import (
	"cmp"
	"math"
	"slices"

	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/scenario"
)

// Stat is the distribution of one metric over the seeds of a grid point.
// Runs where the metric does not apply (NaN: no deployment to measure)
// are left out; +Inf ("never") sorts above every number.
type Stat struct {
	// N is the number of runs where the metric applies.
	N int
	// Min, P50, P90, P99 and Max are nearest-rank percentiles: the value
	// at rank ceil(p × N) in ascending order. NaN when N is 0.
	Min, P50, P90, P99, Max float64
	// MinSeed and MaxSeed are the seeds of the runs that gave Min and
	// Max, the lowest such seed on a tie.
	MinSeed, MaxSeed uint64
}

// Point is the aggregate of one grid point.
type Point struct {
	// Index is the point's position in [Points] order.
	Index int
	// Settings are its parameter values.
	Settings scenario.Settings
	// Runs is the number of runs; Passed the number with metric passed 1.
	Runs, Passed int
	// Stats are the metrics' distributions, indexed by metrics.ID (in
	// Result.Metrics order).
	Stats []Stat
}

// Aggregate returns the distribution of every metric per grid point, in
// grid order. It needs the runs of every shard (see [Merge]).
func (r *Result) Aggregate() []Point {
	points := Points(r.Grid)
	n := len(r.metricList())
	out := make([]Point, len(points))
	byPoint := make([][]RunResult, len(points))
	for _, run := range r.Runs {
		if run.Point >= 0 && run.Point < len(points) {
			byPoint[run.Point] = append(byPoint[run.Point], run)
		}
	}
	for i, runs := range byPoint {
		p := Point{Index: i, Settings: points[i], Runs: len(runs), Stats: make([]Stat, n)}
		for _, run := range runs {
			if run.Values[metrics.Passed] == 1 {
				p.Passed++
			}
		}
		for id := range n {
			p.Stats[id] = stat(runs, metrics.ID(id))
		}
		out[i] = p
	}
	return out
}

type sample struct {
	v    float64
	seed uint64
}

func stat(runs []RunResult, id metrics.ID) Stat {
	var xs []sample
	for _, run := range runs {
		if int(id) >= len(run.Values) {
			continue
		}
		if v := run.Values[id]; !math.IsNaN(v) {
			xs = append(xs, sample{v, run.Seed})
		}
	}
	st := Stat{N: len(xs), Min: math.NaN(), P50: math.NaN(), P90: math.NaN(), P99: math.NaN(), Max: math.NaN()}
	if len(xs) == 0 {
		return st
	}
	slices.SortFunc(xs, func(a, b sample) int {
		if c := cmp.Compare(a.v, b.v); c != 0 {
			return c
		}
		return cmp.Compare(a.seed, b.seed)
	})
	rank := func(p float64) float64 {
		k := int(math.Ceil(p*float64(len(xs)))) - 1
		return xs[min(max(k, 0), len(xs)-1)].v
	}
	st.Min, st.MinSeed = xs[0].v, xs[0].seed
	st.P50, st.P90, st.P99 = rank(0.50), rank(0.90), rank(0.99)
	// The lowest seed among those that gave the maximum.
	last := xs[len(xs)-1].v
	i := len(xs) - 1
	for i > 0 && xs[i-1].v == last {
		i--
	}
	st.Max, st.MaxSeed = last, xs[i].seed
	return st
}
