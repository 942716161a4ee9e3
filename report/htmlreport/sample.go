package htmlreport

import (
	"slices"
	"time"
)

// Downsampling. A chart is drawn on a time axis of vbWidth units; a run
// of any length is cut into a number of columns (at most one per unit),
// and a series keeps at most one point per column. Counts are step
// functions: a column keeps its last value, so a series has a point only
// where its value changes, and never more points than columns. Metrics
// keep, per column, their highest datapoint, so that a peak stays
// visible.

// vbWidth is the width of every chart in viewBox units: the whole run.
const vbWidth = 1000

// columnBudget is the number of columns shared by all the services of a
// report: each service gets columnBudget/services columns, between
// minColumns and vbWidth. A few services get one column per viewBox unit;
// 200 services get 200 columns each, which keeps a day of them under
// 10 MB.
const (
	columnBudget = 40000
	minColumns   = 200
)

// columnsFor returns the columns per chart of a report with n services.
func columnsFor(n int) int {
	if n < 1 {
		n = 1
	}
	return max(minColumns, min(vbWidth, columnBudget/n))
}

// axis maps times to viewBox x and columns.
type axis struct {
	end  time.Duration
	cols int
}

// x returns the viewBox x of a time.
func (a axis) x(at time.Duration) float64 {
	if a.end <= 0 {
		return 0
	}
	return float64(at) / float64(a.end) * vbWidth
}

// col returns the column of a time.
func (a axis) col(at time.Duration) int {
	if a.end <= 0 {
		return 0
	}
	c := int(float64(at) / float64(a.end) * float64(a.cols))
	return min(max(c, 0), a.cols-1)
}

// pt is a point of a series: viewBox x and a value.
type pt struct {
	x, v float64
}

// steps downsamples a step function: one point per column with a change,
// at the time of the column's first change, with its last value; points
// that change nothing are dropped.
func (a axis) steps(s []Step) []pt {
	var out []pt
	lastCol := -1
	for _, st := range s {
		c := a.col(st.At)
		if c == lastCol && len(out) > 0 {
			out[len(out)-1].v = st.Value
		} else {
			out = append(out, pt{a.x(st.At), st.Value})
			lastCol = c
		}
		if n := len(out); n > 1 && out[n-1].v == out[n-2].v {
			out = out[:n-1]
		}
	}
	return out
}

// samples downsamples metric datapoints: the highest of each column.
func (a axis) samples(s []Sample) []pt {
	var out []pt
	lastCol := -1
	for _, p := range s {
		c := a.col(p.At)
		if c == lastCol && len(out) > 0 {
			out[len(out)-1].v = max(out[len(out)-1].v, p.Value)
			continue
		}
		out = append(out, pt{a.x(p.At), p.Value})
		lastCol = c
	}
	return out
}

// delta is a change of a count at a time.
type delta struct {
	at  time.Duration
	key int
	d   float64
}

// counts turns the changes of several counts into their step functions,
// one per key, from time 0.
func counts(ds []delta, keys int) [][]Step {
	slices.SortStableFunc(ds, func(a, b delta) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	out := make([][]Step, keys)
	cur := make([]float64, keys)
	for _, d := range ds {
		cur[d.key] += d.d
		out[d.key] = addStep(out[d.key], d.at, cur[d.key])
	}
	return out
}

// stacked downsamples step functions stacked on each other: one row of
// cumulative tops per column in which any of them changes, each at the
// column's first change with the column's last values.
func (a axis) stacked(series [][]Step) (xs []float64, tops [][]float64) {
	type ev struct {
		at  time.Duration
		key int
		v   float64
	}
	var evs []ev
	for k, s := range series {
		for _, st := range s {
			evs = append(evs, ev{st.At, k, st.Value})
		}
	}
	slices.SortStableFunc(evs, func(x, y ev) int {
		switch {
		case x.at < y.at:
			return -1
		case x.at > y.at:
			return 1
		}
		return x.key - y.key
	})
	cur := make([]float64, len(series))
	lastCol := -1
	for _, e := range evs {
		cur[e.key] = e.v
		c := a.col(e.at)
		if c != lastCol {
			xs = append(xs, a.x(e.at))
			tops = append(tops, make([]float64, len(series)))
			lastCol = c
		}
		row := tops[len(tops)-1]
		sum := 0.0
		for k, v := range cur {
			sum += v
			row[k] = sum
		}
	}
	return xs, tops
}
