package cloudwatch

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim/sim"
)

// Resolution is the store's one resolution: every sample falls into the
// minute that holds its timestamp. [CW:cloudwatch_concepts#Metric]
const Resolution = time.Minute

// Retention is how long one-minute data is kept: CloudWatch keeps it for
// 15 days (then only 5-minute aggregates, which ecssim does not keep).
// [CWAPI:GetMetricData]
const Retention = 15 * 24 * time.Hour

// Stats is an aggregate of samples: count, sum, minimum and maximum, from
// which every statistic but percentiles follows.
type Stats struct {
	SampleCount, Sum, Minimum, Maximum float64
}

// Value returns one named statistic (SampleCount, Sum, Average, Minimum,
// Maximum) of s.
func (s Stats) Value(stat string) float64 {
	switch stat {
	case StatSampleCount:
		return s.SampleCount
	case StatSum:
		return s.Sum
	case StatAverage:
		return s.Sum / s.SampleCount
	case StatMinimum:
		return s.Minimum
	}
	return s.Maximum
}

// merge adds o to s.
func (s *Stats) merge(o Stats) {
	if s.SampleCount == 0 {
		*s = o
		return
	}
	s.SampleCount += o.SampleCount
	s.Sum += o.Sum
	s.Minimum = math.Min(s.Minimum, o.Minimum)
	s.Maximum = math.Max(s.Maximum, o.Maximum)
}

// One returns the Stats of a single sample v.
func One(v float64) Stats { return Stats{SampleCount: 1, Sum: v, Minimum: v, Maximum: v} }

// The statistics CloudWatch computes. [CWAPI enum Statistic]
const (
	StatSampleCount = "SampleCount"
	StatAverage     = "Average"
	StatSum         = "Sum"
	StatMinimum     = "Minimum"
	StatMaximum     = "Maximum"
)

var statistics = []string{StatSampleCount, StatAverage, StatSum, StatMinimum, StatMaximum}

// Series is one metric: a namespace, a name and a set of dimensions, with
// its one-minute buckets. Its pointer is stable, so a feed that publishes
// every minute looks it up once.
type Series struct {
	ns, name string
	dims     []dim    // sorted by name
	buckets  []bucket // sorted by (minute, unit)
	key      string
}

type dim struct{ name, value string }

type bucket struct {
	minute sim.Time
	unit   string
	stats  Stats
}

// pending is a sample received but not yet visible.
type pending struct {
	visibleAt sim.Time
	s         *Series
	minute    sim.Time
	unit      string
	stats     Stats
}

// Store is the metric store of one account and region: every series,
// and the samples still within their publication delay.
type Store struct {
	series  map[string]*Series
	keys    []string // sorted keys of series
	pending []pending
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{series: map[string]*Series{}} }

// seriesKey is a series' map key; names and values cannot hold NUL.
func seriesKey(ns, name string, dims []dim) string {
	var b strings.Builder
	b.WriteString(ns)
	b.WriteByte(0)
	b.WriteString(name)
	for _, d := range dims {
		b.WriteByte(0)
		b.WriteString(d.name)
		b.WriteByte(1)
		b.WriteString(d.value)
	}
	return b.String()
}

// sortedDims returns the dimensions as name/value pairs sorted by name.
// CloudWatch treats each combination as its own metric, whatever the order
// in which the dimensions are given.
func sortedDims(ds []Dimension) []dim {
	out := make([]dim, 0, len(ds))
	for _, d := range ds {
		out = append(out, dim{deref(d.Name), deref(d.Value)})
	}
	slices.SortFunc(out, func(a, b dim) int { return strings.Compare(a.name, b.name) })
	return out
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Series returns the series of a metric, creating it (without data) if
// needed. Dimension order does not matter.
func (st *Store) Series(ns, name string, dims []Dimension) *Series {
	return st.series4(ns, name, sortedDims(dims))
}

func (st *Store) series4(ns, name string, dims []dim) *Series {
	key := seriesKey(ns, name, dims)
	if s, ok := st.series[key]; ok {
		return s
	}
	s := &Series{ns: ns, name: name, dims: dims, key: key}
	st.series[key] = s
	i, _ := slices.BinarySearch(st.keys, key)
	st.keys = slices.Insert(st.keys, i, key)
	return s
}

// lookup returns an existing series, or nil.
func (st *Store) lookup(ns, name string, dims []Dimension) *Series {
	return st.series[seriesKey(ns, name, sortedDims(dims))]
}

// Publish adds a sample (or an aggregate of samples) to s, in the minute
// that holds at, with a unit ("" for None). It becomes visible to reads
// and alarms at visibleAt; before that the store holds it aside.
func (st *Store) Publish(s *Series, at sim.Time, unit string, v Stats, visibleAt, now sim.Time) {
	minute := at - at%sim.Time(Resolution)
	if visibleAt <= now {
		s.add(minute, unit, v, now)
		return
	}
	p := pending{visibleAt: visibleAt, s: s, minute: minute, unit: unit, stats: v}
	// Pending samples stay sorted by visibility, then arrival; they
	// nearly always arrive in that order, so this is an append.
	i := len(st.pending)
	for i > 0 && st.pending[i-1].visibleAt > visibleAt {
		i--
	}
	st.pending = slices.Insert(st.pending, i, p)
}

// Flush makes visible every pending sample due at or before now.
func (st *Store) Flush(now sim.Time) {
	n := 0
	for n < len(st.pending) && st.pending[n].visibleAt <= now {
		p := st.pending[n]
		p.s.add(p.minute, p.unit, p.stats, now)
		n++
	}
	if n > 0 {
		st.pending = slices.Delete(st.pending, 0, n)
	}
}

// add merges a sample into its bucket and drops buckets past retention.
func (s *Series) add(minute sim.Time, unit string, v Stats, now sim.Time) {
	if unit == "" {
		unit = "None"
	}
	i := len(s.buckets)
	for i > 0 && (s.buckets[i-1].minute > minute || s.buckets[i-1].minute == minute && s.buckets[i-1].unit > unit) {
		i--
	}
	if i > 0 && s.buckets[i-1].minute == minute && s.buckets[i-1].unit == unit {
		s.buckets[i-1].stats.merge(v)
	} else {
		s.buckets = slices.Insert(s.buckets, i, bucket{minute: minute, unit: unit, stats: v})
	}
	cut := now.Add(-Retention)
	drop := 0
	for drop < len(s.buckets) && s.buckets[drop].minute < cut {
		drop++
	}
	if drop > 0 {
		s.buckets = slices.Delete(s.buckets, 0, drop)
	}
}

// unitStats is the aggregate of one unit's samples.
type unitStats struct {
	unit  string
	stats Stats
}

// Aggregate returns the samples of [from, to) aggregated, one entry per
// unit in unit order; with unit set, only that unit's. Empty when there
// is no sample.
func (s *Series) Aggregate(from, to sim.Time, unit string) []unitStats {
	var out []unitStats
	i, _ := slices.BinarySearchFunc(s.buckets, from, func(b bucket, t sim.Time) int {
		if b.minute < t {
			return -1
		}
		if b.minute > t {
			return 1
		}
		return 0
	})
	for ; i < len(s.buckets) && s.buckets[i].minute < to; i++ {
		b := s.buckets[i]
		if unit != "" && b.unit != unit {
			continue
		}
		j := slices.IndexFunc(out, func(u unitStats) bool { return u.unit == b.unit })
		if j < 0 {
			out = append(out, unitStats{unit: b.unit, stats: b.stats})
			continue
		}
		out[j].stats.merge(b.stats)
	}
	slices.SortFunc(out, func(a, b unitStats) int { return strings.Compare(a.unit, b.unit) })
	return out
}

// AggregateAll is Aggregate with every unit merged: what an alarm with no
// Unit sees.
func (s *Series) AggregateAll(from, to sim.Time, unit string) (Stats, bool) {
	var all Stats
	for _, u := range s.Aggregate(from, to, unit) {
		all.merge(u.stats)
	}
	return all, all.SampleCount > 0
}

// periodStats is the aggregate of one period, per unit in unit order.
type periodStats struct {
	start sim.Time
	units []unitStats
}

// Periods aggregates the samples of [from, to) by period (periods start
// at from), in time order, skipping periods without data. With unit set,
// only that unit's samples count. It walks the stored minutes, not the
// periods, so a long empty range costs nothing.
func (s *Series) Periods(from, to sim.Time, period time.Duration, unit string) []periodStats {
	var out []periodStats
	p := sim.Time(period)
	i, _ := slices.BinarySearchFunc(s.buckets, from, func(b bucket, t sim.Time) int {
		if b.minute < t {
			return -1
		}
		if b.minute > t {
			return 1
		}
		return 0
	})
	for ; i < len(s.buckets) && s.buckets[i].minute < to; i++ {
		b := s.buckets[i]
		if unit != "" && b.unit != unit {
			continue
		}
		start := from + (b.minute-from)/p*p
		if len(out) == 0 || out[len(out)-1].start != start {
			out = append(out, periodStats{start: start})
		}
		ps := &out[len(out)-1]
		j := slices.IndexFunc(ps.units, func(u unitStats) bool { return u.unit == b.unit })
		if j < 0 {
			ps.units = append(ps.units, unitStats{unit: b.unit, stats: b.stats})
			continue
		}
		ps.units[j].stats.merge(b.stats)
	}
	for k := range out {
		slices.SortFunc(out[k].units, func(a, b unitStats) int { return strings.Compare(a.unit, b.unit) })
	}
	return out
}

// hasData reports whether the series has a visible sample at or after t.
func (s *Series) hasData(since sim.Time) bool {
	return len(s.buckets) > 0 && s.buckets[len(s.buckets)-1].minute >= since
}

// metric returns the series' identity in API shape.
func (s *Series) metric() Metric {
	ns, name := s.ns, s.name
	m := Metric{Namespace: &ns, MetricName: &name, Dimensions: []Dimension{}}
	for _, d := range s.dims {
		n, v := d.name, d.value
		m.Dimensions = append(m.Dimensions, Dimension{Name: &n, Value: &v})
	}
	return m
}
