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
	dims     []dim      // sorted by name
	chunks   [][]bucket // buckets sorted by (minute, unit), in chunks
	key      string
	// late counts the changes to minutes that were already stored (or
	// older), and to what retention drops: every change but a new newest
	// minute. With it an alarm knows its range is unchanged (unchanged).
	late uint64
}

type dim struct{ name, value string }

// bucket is one minute of one unit's samples. It holds no pointer, so
// the garbage collector never scans the millions a long run keeps.
type bucket struct {
	minute sim.Time
	stats  Stats
	unit   unitID
}

// unitID is a unit's index in units; "None" stands for no unit.
type unitID uint8

var unitIDs = func() map[string]unitID {
	m := make(map[string]unitID, len(units))
	for i, u := range units {
		m[u] = unitID(i)
	}
	m[""] = m["None"]
	return m
}()

func (u unitID) String() string { return units[u] }

// pending is a sample received but not yet visible.
type pending struct {
	visibleAt sim.Time
	s         *Series
	minute    sim.Time
	unit      unitID
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
// that holds at, with a unit ("" for None; one CloudWatch knows, else
// None). It becomes visible to reads and alarms at visibleAt; before that
// the store holds it aside.
func (st *Store) Publish(s *Series, at sim.Time, unit string, v Stats, visibleAt, now sim.Time) {
	minute := at - at%sim.Time(Resolution)
	u := unitIDs[unit]
	if visibleAt <= now {
		s.add(minute, u, v, now)
		return
	}
	p := pending{visibleAt: visibleAt, s: s, minute: minute, unit: u, stats: v}
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
	if n == len(st.pending) {
		st.pending = st.pending[:0]
	} else if n > 0 {
		st.pending = st.pending[n:]
	}
}

// maxChunk is the size past which a series starts a new chunk of
// buckets. Chunks spare a long series the copying of a slice that keeps
// doubling; small first chunks keep a short one small.
const maxChunk = 256

// last returns the newest bucket, or nil.
func (s *Series) last() *bucket {
	if len(s.chunks) == 0 {
		return nil
	}
	c := s.chunks[len(s.chunks)-1]
	return &c[len(c)-1]
}

// before reports whether bucket (m, u) sorts before (m2, u2).
func before(m sim.Time, u unitID, m2 sim.Time, u2 unitID) bool {
	return m < m2 || m == m2 && u != u2 && u.String() < u2.String()
}

// add merges a sample into its bucket and drops buckets past retention.
func (s *Series) add(minute sim.Time, unit unitID, v Stats, now sim.Time) {
	b := s.last()
	if b != nil && minute <= b.minute {
		s.late++
	}
	switch {
	case b != nil && b.minute == minute && b.unit == unit:
		b.stats.merge(v)
	case b == nil || before(b.minute, b.unit, minute, unit):
		s.push(bucket{minute: minute, unit: unit, stats: v})
	default:
		s.insert(bucket{minute: minute, unit: unit, stats: v})
	}
	s.trim(now.Add(-Retention))
}

// newest returns the newest stored minute, or -1.
func (s *Series) newest() sim.Time {
	if b := s.last(); b != nil {
		return b.minute
	}
	return -1
}

// unchanged reports whether the minutes before to are as they were when
// late was then and the newest minute was newest: nothing changed but
// newer minutes, and those are all at or after to.
func (s *Series) unchanged(late uint64, newest, to sim.Time) bool {
	if s.late != late {
		return false
	}
	// The minutes added since are the newest ones, ascending: look at
	// the oldest of them.
	for ci := len(s.chunks) - 1; ci >= 0; ci-- {
		c := s.chunks[ci]
		for i := len(c) - 1; i >= 0; i-- {
			if c[i].minute <= newest {
				return true
			}
			if c[i].minute < to {
				return false
			}
		}
	}
	return true
}

// push appends a bucket newer than every other.
func (s *Series) push(b bucket) {
	if n := len(s.chunks); n > 0 && len(s.chunks[n-1]) < maxChunk {
		s.chunks[n-1] = append(s.chunks[n-1], b)
		return
	}
	total := 0
	for _, c := range s.chunks {
		total += len(c)
	}
	c := make([]bucket, 0, min(maxChunk, max(4, total)))
	s.chunks = append(s.chunks, append(c, b))
}

// insert puts a late bucket in its place, or merges it into its twin.
func (s *Series) insert(b bucket) {
	// The chunk that holds it: the first whose newest bucket is not
	// before it.
	ci, _ := slices.BinarySearchFunc(s.chunks, b, func(c []bucket, b bucket) int {
		if l := c[len(c)-1]; before(l.minute, l.unit, b.minute, b.unit) {
			return -1
		}
		return 1
	})
	c := s.chunks[ci]
	i, _ := slices.BinarySearchFunc(c, b, func(x, b bucket) int {
		if before(x.minute, x.unit, b.minute, b.unit) {
			return -1
		}
		return 1
	})
	if c[i].minute == b.minute && c[i].unit == b.unit {
		c[i].stats.merge(b.stats)
		return
	}
	s.chunks[ci] = slices.Insert(c, i, b)
}

// trim drops the buckets older than cut.
func (s *Series) trim(cut sim.Time) {
	for len(s.chunks) > 0 && s.chunks[0][0].minute < cut {
		c := s.chunks[0]
		s.late++
		if c[len(c)-1].minute < cut {
			s.chunks[0] = nil
			s.chunks = s.chunks[1:]
			continue
		}
		i, _ := slices.BinarySearchFunc(c, cut, func(b bucket, t sim.Time) int {
			if b.minute < t {
				return -1
			}
			return 1
		})
		s.chunks[0] = c[i:]
	}
}

// each calls fn for the buckets of minutes in [from, to), in order.
func (s *Series) each(from, to sim.Time, fn func(b *bucket)) {
	ci, _ := slices.BinarySearchFunc(s.chunks, from, func(c []bucket, t sim.Time) int {
		if c[len(c)-1].minute < t {
			return -1
		}
		return 1
	})
	for ; ci < len(s.chunks); ci++ {
		c := s.chunks[ci]
		i, _ := slices.BinarySearchFunc(c, from, func(b bucket, t sim.Time) int {
			if b.minute < t {
				return -1
			}
			return 1
		})
		for ; i < len(c); i++ {
			if c[i].minute >= to {
				return
			}
			fn(&c[i])
		}
	}
}

// unitStats is the aggregate of one unit's samples.
type unitStats struct {
	unit  string
	stats Stats
}

// periodStats is the aggregate of one period, per unit in unit order.
type periodStats struct {
	start sim.Time
	units []unitStats
}

// all returns the period's samples of every unit together: what an alarm
// or a GetMetricData query without a unit sees.
func (p periodStats) all() Stats {
	var all Stats
	for _, u := range p.units {
		all.merge(u.stats)
	}
	return all
}

// Periods aggregates the samples of [from, to) by period (periods start
// at from), in time order, skipping periods without data. With unit set,
// only that unit's samples count. It walks the stored minutes, not the
// periods, so a long empty range costs nothing.
func (s *Series) Periods(from, to sim.Time, period time.Duration, unit string) []periodStats {
	var out []periodStats
	p := sim.Time(period)
	s.each(from, to, func(b *bucket) {
		name := b.unit.String()
		if unit != "" && name != unit {
			return
		}
		start := from + (b.minute-from)/p*p
		if len(out) == 0 || out[len(out)-1].start != start {
			out = append(out, periodStats{start: start})
		}
		ps := &out[len(out)-1]
		j := slices.IndexFunc(ps.units, func(u unitStats) bool { return u.unit == name })
		if j < 0 {
			ps.units = append(ps.units, unitStats{unit: name, stats: b.stats})
			return
		}
		ps.units[j].stats.merge(b.stats)
	})
	for k := range out {
		slices.SortFunc(out[k].units, func(a, b unitStats) int { return strings.Compare(a.unit, b.unit) })
	}
	return out
}

// hasData reports whether the series has a visible sample at or after since.
func (s *Series) hasData(since sim.Time) bool {
	b := s.last()
	return b != nil && b.minute >= since
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
