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
//
// A series that receives one sample a minute in one unit, as the
// simulation's own feeds publish, keeps its minutes dense: one float64 a
// minute (the sample) in slots indexed by minute, 8 bytes where a bucket
// takes 48. The first sample that does not fit (a second sample in a
// minute, an aggregate, another unit, a gap of more than maxDenseGap
// minutes, a minute before the first slot) turns it into buckets for good.
// Both forms hold the same samples, so every read gives the same result.
//
// Most such series stay constant for hours (task counts, utilization
// under steady traffic) and change in steps, so a chunk keeps runs of
// slots that hold the same float64 bit pattern as that value and where
// the run ends: a chunk of one value takes no memory beyond the chunk,
// and one with a few changes 16 bytes a run. Only a chunk that changes
// often spells out its slots, 8 bytes a minute.
type Series struct {
	// The fields every sample and evaluation reads come first, so that
	// they share as few cache lines as possible: a minute's flush
	// touches thousands of series once each.

	// late counts the changes to minutes that were already stored (or
	// older), and to what retention drops: every change but a new newest
	// minute. With it an alarm knows its range is unchanged (unchanged).
	late uint64

	// The dense form (while general is false): slot i of chunk k holds
	// minute base + (k*maxChunk + i) minutes, absent when it has no
	// sample; every chunk but the last is full. The first lo slots of
	// the first chunk are past retention.
	dense   []denseChunk
	base    sim.Time
	lo      int
	unit    unitID
	general bool
	// top is the newest stored minute, or noMinute.
	top sim.Time
	// floor is at or before every stored minute (slots, buckets and
	// raw values): what retention drops is looked for only once floor
	// is past the cut, so a sample does not read a series' oldest data.
	floor sim.Time

	// The raw values of the minutes that need them, for percentiles
	// (percentile.go): dists sorted by (minute, unit), in chunks, and the
	// block of values their newest ones are kept in.
	dists [][]dist
	arena []valueCount

	chunks [][]bucket // the general form: buckets sorted by (minute, unit), in chunks

	// watched is set once an alarm has read the series: see
	// Store.FlushFor and cohort.
	watched bool

	ns, name string
	dims     []dim // sorted by name
	key      string
}

// denseChunk is up to maxChunk dense slots in one of three forms: n
// copies of same (data nil); runs of slots that hold one bit pattern
// (runs set); or every slot spelled out in data. A chunk starts as
// copies, breaks into runs at the first slot that differs, and is spelled
// out once its runs are many for its slots; a full chunk takes the
// smallest form that holds it (compact). Runs take two words of data
// each, the value and the slot the run ends at (exclusive) as a float64,
// which is exact for any slot, so that a chunk is 40 bytes whatever its
// form: a long series holds many chunks.
type denseChunk struct {
	same float64
	n    int32
	runs bool
	data []float64
}

// maxRuns is the most runs a full chunk keeps as runs: two words a run
// against one a slot spelled out, so at most half the spelled size.
const maxRuns = maxChunk / 4

// at returns slot i of the chunk.
func (c *denseChunk) at(i int) float64 {
	switch {
	case c.data == nil:
		return c.same
	case c.runs:
		return c.data[2*c.runAt(i)]
	}
	return c.data[i]
}

// runAt returns the index of the run that holds slot i.
func (c *denseChunk) runAt(i int) int {
	lo, hi := 0, len(c.data)/2-1
	for lo < hi {
		if h := int(uint(lo+hi) >> 1); int(c.data[2*h+1]) <= i {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

// set stores x in slot i (< n) of the chunk: a late sample in an absent
// minute, which is rare, so the chunk is spelled out for it.
func (c *denseChunk) set(i int, x float64) {
	if math.Float64bits(x) == math.Float64bits(c.at(i)) {
		return
	}
	if c.data == nil || c.runs {
		c.spell(int(c.n))
	}
	c.data[i] = x
	c.compact()
}

// push appends x to the chunk; want is the capacity to give its slots if
// the chunk has to be spelled out, and prev the chunk before it (nil for
// the first), which is read only at the chunk's first change: a series
// whose previous chunk changed too often for runs likely changes as
// often in this one, so the chunk is spelled out at once. Most pushes
// do not read prev, which may lie on a cache line of its own.
func (c *denseChunk) push(x float64, want int, prev *denseChunk) {
	bits, n := math.Float64bits(x), int(c.n)
	switch {
	case c.data == nil && (n == 0 || bits == math.Float64bits(c.same)):
		c.same = x
	case c.data == nil && prev != nil && prev.data != nil && !prev.runs:
		c.spell(want)
		c.data = append(c.data, x)
	case c.data == nil:
		c.data, c.runs = append(make([]float64, 0, 8), c.same, float64(n), x, float64(n+1)), true
	case !c.runs:
		c.data = append(c.data, x)
	case bits == math.Float64bits(c.data[len(c.data)-2]):
		c.data[len(c.data)-1]++
	case len(c.data) == cap(c.data) && (len(c.data) >= n || len(c.data)/2 >= maxRuns):
		// A change at least every other minute: spelled out is smaller.
		c.spell(want)
		c.data = append(c.data, x)
	default:
		c.data = append(c.data, x, float64(n+1))
	}
	c.n++
	c.compact()
}

// spell writes the slots out into data, with room for want.
func (c *denseChunk) spell(want int) {
	n := int(c.n)
	vals := make([]float64, n, max(want, n+1))
	if c.data == nil {
		for i := range vals {
			vals[i] = c.same
		}
	}
	for k, from := 0, 0; c.runs && k < len(c.data); k += 2 {
		end := int(c.data[k+1])
		for i := from; i < end; i++ {
			vals[i] = c.data[k]
		}
		from = end
	}
	c.data, c.runs = vals, false
}

// compact gives a full chunk the smallest form that holds it: one value,
// up to maxRuns runs, or its slots spelled out.
func (c *denseChunk) compact() {
	if c.n < maxChunk || c.data == nil {
		return
	}
	if c.runs {
		if len(c.data) < cap(c.data) { // free the room it grew
			c.data = append([]float64(nil), c.data...)
		}
		return
	}
	k := 1
	for i := 1; i < len(c.data) && k <= maxRuns; i++ {
		if math.Float64bits(c.data[i]) != math.Float64bits(c.data[i-1]) {
			k++
		}
	}
	switch {
	case k == 1:
		c.same, c.data = c.data[0], nil
	case k <= maxRuns:
		runs := make([]float64, 0, 2*k)
		for i, x := range c.data {
			if i > 0 && math.Float64bits(x) == math.Float64bits(runs[len(runs)-2]) {
				runs[len(runs)-1]++
				continue
			}
			runs = append(runs, x, float64(i+1))
		}
		c.data, c.runs = runs, true
	}
}

// absent marks a dense slot without a sample: a NaN, which no sample can
// be (CloudWatch refuses NaN, and the dense form takes none).
var absent = math.Float64frombits(0x7ff8_dead_0000_0001)

// maxDenseGap is the most missing minutes a dense series fills with
// absent slots before a sample; a longer gap turns it into buckets, so
// a sparse series never costs more than buckets would.
const maxDenseGap = 5

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

// The units the simulation's own feeds publish every minute.
var unitCount, unitPercent, unitSeconds = unitIDs["Count"], unitIDs["Percent"], unitIDs["Seconds"]

func (u unitID) String() string { return units[u] }

// pending is a sample received but not yet visible, in 32 bytes: the
// feeds publish one value a minute to each of thousands of series, and
// writing these is much of what publishing costs.
type pending struct {
	s      *Series
	minute sim.Time
	value  float64 // the sample, when it is One(value)
	// agg is -1 for One(value), else the index of the sample's
	// statistics in its cohort's aggs.
	agg  int32
	unit unitID
}

// isOne reports whether v is One(v.Sum), to the bit.
func isOne(v Stats) bool {
	b := math.Float64bits(v.Sum)
	return v.SampleCount == 1 && math.Float64bits(v.Minimum) == b && math.Float64bits(v.Maximum) == b
}

// aggregate is a pending sample that is not a single value: its
// statistics, and the raw values behind them if several
// (percentile.go): n values at off in its cohort's vals, n -1 without.
type aggregate struct {
	stats  Stats
	off, n int32
}

// cohort holds the pending samples that become visible at the same
// instant: a feed's whole minute, stored or handed to a second goroutine
// (store_behind.go) as one, without copying. The samples of series that
// alarms read (watched) are apart, so that an alarm's flush stores them
// at once without looking at the others. A series that became watched
// after some of its samples went to others has those moved to the front
// of watched before the others are handed over (see sortWatched), so its
// samples in watched stay in the order they came; until then watches,
// the store's watch count when the lists were last sorted, differs from
// the store's.
type cohort struct {
	visibleAt       sim.Time
	watches         uint64
	watched, others []pending
	aggs            []aggregate
	vals            []valueCount
}

// sortWatched moves to watched the samples in others of the series that
// became watched since c was last sorted: an alarm's first read of a
// series leaves the pending ones where they are, as a fleet's thousands
// of alarms can first read their series in the same minute.
func (st *Store) sortWatched(c *cohort) {
	if c.watches == st.watches {
		return
	}
	c.watches = st.watches
	var moved []pending
	k := 0
	for _, p := range c.others {
		if p.s.watched {
			moved = append(moved, p)
		} else {
			c.others[k] = p
			k++
		}
	}
	if moved == nil {
		return
	}
	clear(c.others[k:])
	c.others = c.others[:k]
	c.watched = append(moved, c.watched...) // the older samples first
}

// add adds p to c, to the watched list if alarms read its series.
func (c *cohort) add(p pending, watched bool) {
	if watched {
		c.watched = append(c.watched, p)
	} else {
		c.others = append(c.others, p)
	}
}

// storeWatched stores the watched samples of cs at once, leaving the
// others.
func storeWatched(cs []*cohort, now sim.Time) {
	for _, c := range cs {
		c.store(c.watched, now)
		clear(c.watched)
		c.watched = c.watched[:0]
	}
}

// store stores the samples of ps, from c.
func (c *cohort) store(ps []pending, now sim.Time) {
	for i := range ps {
		p := &ps[i]
		if p.agg < 0 {
			p.s.add(p.minute, p.unit, One(p.value), nil, now)
			continue
		}
		a := &c.aggs[p.agg]
		var vals []valueCount
		if a.n >= 0 {
			vals = c.vals[a.off : a.off+a.n]
		}
		p.s.add(p.minute, p.unit, a.stats, vals, now)
	}
}

// Store is the metric store of one account and region: every series,
// and the samples still within their publication delay.
type Store struct {
	series map[string]*Series
	keys   []string // sorted keys of series
	// cohorts are the pending samples by the instant they become
	// visible, earliest first; free are emptied cohorts for reuse, so
	// that a steady feed allocates nothing.
	cohorts, free []*cohort
	// scratch is PublishValues' reused buffer.
	scratch []valueCount
	// watches counts the series that became watched (see Handle).
	watches uint64
	// behind is the samples FlushBehind handed to a second goroutine.
	behind behind
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
	s := &Series{ns: ns, name: name, dims: dims, key: key, top: noMinute, floor: math.MaxInt64}
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
	st.publish(s, s.watched, at, unit, v, nil, visibleAt, now)
}

// Handle is a feed's hold on a series it publishes to every minute. It
// remembers whether alarms read the series (see cohort), so that
// publishing through it does not touch the series' own memory: for a
// fleet's tens of thousands of series that is a cache miss a sample. The
// store's watch count tells it when a series became watched since.
type Handle struct {
	s       *Series
	watches uint64
	watched bool
}

// Handle returns a handle on s.
func (st *Store) Handle(s *Series) Handle {
	return Handle{s: s, watches: st.watches, watched: s.watched}
}

// Series returns the handle's series.
func (h *Handle) Series() *Series { return h.s }

// isWatched reports whether alarms read h's series.
func (st *Store) isWatched(h *Handle) bool {
	if h.watches != st.watches {
		h.watches, h.watched = st.watches, h.s.watched
	}
	return h.watched
}

// PublishTo is Publish to the series of h.
func (st *Store) PublishTo(h *Handle, at sim.Time, unit string, v Stats, visibleAt, now sim.Time) {
	st.publish(h.s, st.isWatched(h), at, unit, v, nil, visibleAt, now)
}

// publish is Publish with the raw values behind v, if several, where
// watched tells whether alarms read s.
func (st *Store) publish(s *Series, watched bool, at sim.Time, unit string, v Stats, vals []valueCount, visibleAt, now sim.Time) {
	minute := at - at%sim.Time(Resolution)
	u := unitIDOf(unit)
	if visibleAt <= now {
		st.settle()
		s.add(minute, u, v, vals, now)
		return
	}
	c := st.cohortAt(visibleAt)
	p := pending{s: s, minute: minute, value: v.Sum, unit: u, agg: -1}
	if len(vals) > 0 || !isOne(v) {
		a := aggregate{stats: v, n: -1}
		if len(vals) > 0 {
			a.off, a.n = int32(len(c.vals)), int32(len(vals))
			c.vals = append(c.vals, vals...)
		}
		p.agg = int32(len(c.aggs))
		c.aggs = append(c.aggs, a)
	}
	c.add(p, watched)
}

// cohortAt returns the cohort of the samples visible at visibleAt, made
// if there is none. Samples nearly always arrive in the order they
// become visible, so this is the last cohort.
func (st *Store) cohortAt(visibleAt sim.Time) *cohort {
	i := len(st.cohorts)
	for i > 0 && st.cohorts[i-1].visibleAt > visibleAt {
		i--
	}
	if i > 0 && st.cohorts[i-1].visibleAt == visibleAt {
		return st.cohorts[i-1]
	}
	var c *cohort
	if n := len(st.free); n > 0 {
		c, st.free = st.free[n-1], st.free[:n-1]
	} else {
		c = &cohort{}
	}
	c.visibleAt, c.watches = visibleAt, st.watches
	st.cohorts = slices.Insert(st.cohorts, i, c)
	return c
}

// freeCohorts is how many emptied cohorts a store keeps for reuse. A
// steady feed needs two or three; keeping more would let many small
// cohorts (PutMetricData calls each pending until their own instant)
// each grow to the size of a fleet's minute as they take turns.
const freeCohorts = 4

// recycle empties c and keeps it for reuse, unless enough are kept.
func (st *Store) recycle(c *cohort) {
	if len(st.free) >= freeCohorts {
		return
	}
	clear(c.watched) // drop the series they point to
	clear(c.others)
	c.watched, c.others, c.aggs, c.vals = c.watched[:0], c.others[:0], c.aggs[:0], c.vals[:0]
	st.free = append(st.free, c)
}

// due returns how many cohorts are due at or before now: they come
// first.
func (st *Store) due(now sim.Time) int {
	n := 0
	for n < len(st.cohorts) && st.cohorts[n].visibleAt <= now {
		n++
	}
	return n
}

// popCohorts removes the first n cohorts from the queue.
func (st *Store) popCohorts(n int) {
	st.cohorts = st.cohorts[:copy(st.cohorts, st.cohorts[n:])]
}

// watch marks s as read by alarms. Its pending samples move to the
// watched lists when their cohorts are next sorted.
func (st *Store) watch(s *Series) {
	s.watched = true
	st.watches++
}

// unitIDOf returns the ID of unit: one CloudWatch knows, else None.
func unitIDOf(unit string) unitID {
	if u, ok := unitOf(unit); ok {
		return u
	}
	return unitIDs[unit]
}

// unitOf resolves the units the simulation's own feeds publish every
// minute without hashing; ok is false for any other.
func unitOf(unit string) (unitID, bool) {
	switch unit {
	case "Count":
		return unitCount, true
	case "Percent":
		return unitPercent, true
	case "Seconds":
		return unitSeconds, true
	}
	return 0, false
}

// Flush makes visible every pending sample due at or before now. Every
// read of the store begins with it.
func (st *Store) Flush(now sim.Time) {
	st.settle()
	st.flushDue(now)
}

// flushDue stores every pending sample due at or before now.
func (st *Store) flushDue(now sim.Time) {
	n := st.due(now)
	for _, c := range st.cohorts[:n] {
		st.sortWatched(c) // a series' older samples may be in others
		c.store(c.watched, now)
		c.store(c.others, now)
		st.recycle(c)
	}
	st.popCohorts(n)
}

// maxChunk is the size past which a series starts a new chunk of
// buckets. Chunks spare a long series the copying of a slice that keeps
// doubling; small first chunks keep a short one small.
const maxChunk = 256

// last returns the newest bucket of the general form, or nil.
func (s *Series) last() *bucket {
	if len(s.chunks) == 0 {
		return nil
	}
	c := s.chunks[len(s.chunks)-1]
	return &c[len(c)-1]
}

// slots is the number of dense slots, trimmed ones included.
func (s *Series) slots() int {
	if len(s.dense) == 0 {
		return 0
	}
	return (len(s.dense)-1)*maxChunk + int(s.dense[len(s.dense)-1].n)
}

// slot returns dense slot o.
func (s *Series) slot(o int) float64 { return s.dense[o/maxChunk].at(o % maxChunk) }

// slotAt returns the first dense slot whose minute is at or after t
// (possibly past the last slot, or before lo).
func (s *Series) slotAt(t sim.Time) int {
	if t <= s.base {
		return 0
	}
	return int((t - s.base + sim.Time(Resolution) - 1) / sim.Time(Resolution))
}

// appendSlotsBack appends the dense samples of the minutes in [from, to)
// to dps as one-minute datapoints, newest first; a slot is one sample x,
// so every statistic of it is x but SampleCount, 1 (One(x).Value), which
// count asks for. It walks each chunk's form directly, a run at a time
// for runs, rather than looking every slot up: an alarm reads its last
// minutes this way at every evaluation.
func (s *Series) appendSlotsBack(dps []datapoint, from, to sim.Time, count bool) []datapoint {
	lo, hi := max(s.lo, s.slotAt(from)), min(s.slots(), s.slotAt(to))
	for o := hi - 1; o >= lo; {
		c := &s.dense[o/maxChunk]
		first := o - o%maxChunk // the chunk's first slot
		stop := max(lo, first)
		i := o - first
		k := 0
		if c.data != nil && c.runs {
			k = c.runAt(i)
		}
		for ; o >= stop; o, i = o-1, i-1 {
			var x float64
			switch {
			case c.data == nil:
				x = c.same
			case c.runs:
				for k > 0 && int(c.data[2*k-1]) > i {
					k--
				}
				x = c.data[2*k]
			default:
				x = c.data[i]
			}
			if math.IsNaN(x) {
				continue
			}
			if count {
				x = 1
			}
			dps = append(dps, datapoint{start: s.minuteOf(o), value: x, real: true})
		}
	}
	return dps
}

// minuteOf returns the minute of dense slot o.
func (s *Series) minuteOf(o int) sim.Time { return s.base + sim.Time(o)*sim.Time(Resolution) }

// noMinute is the newest minute of a series without data.
const noMinute = sim.Time(math.MinInt64)

// newest returns the newest stored minute, or noMinute.
func (s *Series) newest() sim.Time { return s.top }

// findNewest returns the newest stored minute, or noMinute, from the
// data: what top caches.
func (s *Series) findNewest() sim.Time {
	if !s.general {
		if n := s.slots(); n > s.lo {
			return s.minuteOf(n - 1) // the last slot always holds a sample
		}
		return noMinute
	}
	if b := s.last(); b != nil {
		return b.minute
	}
	return noMinute
}

// before reports whether bucket (m, u) sorts before (m2, u2).
func before(m sim.Time, u unitID, m2 sim.Time, u2 unitID) bool {
	return m < m2 || m == m2 && u != u2 && u.String() < u2.String()
}

// single reports whether v is one sample, exactly as One gives it.
func single(v Stats) bool {
	b := math.Float64bits(v.Sum)
	return v.SampleCount == 1 && !math.IsNaN(v.Sum) && b == math.Float64bits(v.Minimum) && b == math.Float64bits(v.Maximum)
}

// add merges a sample into its bucket and drops buckets past retention.
func (s *Series) add(minute sim.Time, unit unitID, v Stats, vals []valueCount, now sim.Time) {
	if !s.general && vals == nil && s.top != noMinute && minute == s.top+sim.Time(Resolution) && unit == s.unit && single(v) {
		// What nearly every sample is: the next minute of a dense
		// series, one value (its bucket tells it, so no raw values),
		// which addDense would push as one slot.
		s.pushSlot(v.Sum)
		s.top = minute
		if cut := now.Add(-Retention); s.floor < cut {
			s.trimAll(cut)
			s.top = s.findNewest()
		}
		return
	}
	s.floor = min(s.floor, minute)
	if newest := s.newest(); newest != noMinute && minute <= newest {
		s.late++
		s.noteValues(minute, unit, v, vals)
	} else if needsValues(v, vals) {
		s.noteValues(minute, unit, v, vals)
	}
	if s.general || !s.addDense(minute, unit, v) {
		s.addGeneral(minute, unit, v)
	}
	if cut := now.Add(-Retention); s.floor < cut {
		s.trimAll(cut)
	}
	s.top = s.findNewest()
}

// trimAll drops the minutes and raw values older than cut, and moves
// floor up to the oldest minute kept.
func (s *Series) trimAll(cut sim.Time) {
	s.trim(cut)
	s.trimValues(cut)
	s.floor = math.MaxInt64
	if !s.general && s.slots() > s.lo {
		s.floor = s.minuteOf(s.lo)
	}
	if s.general && len(s.chunks) > 0 {
		s.floor = s.chunks[0][0].minute
	}
	if len(s.dists) > 0 {
		s.floor = min(s.floor, s.dists[0][0].minute)
	}
}

// addDense adds a sample to the dense form, or turns the series into
// buckets and returns false when it does not fit.
func (s *Series) addDense(minute sim.Time, unit unitID, v Stats) bool {
	n := s.slots()
	if n == s.lo { // empty: start at this minute
		s.dense, s.base, s.lo, s.unit, n = s.dense[:0], minute, 0, unit, 0
	}
	o := int((minute - s.base) / sim.Time(Resolution))
	switch {
	case !single(v) || unit != s.unit || minute < s.base || o < s.lo || o >= n+maxDenseGap+1 ||
		o < n && !math.IsNaN(s.slot(o)):
		s.toGeneral()
		return false
	case o < n: // a late sample in an empty minute
		s.dense[o/maxChunk].set(o%maxChunk, v.Sum)
		return true
	}
	for ; n < o; n++ {
		s.pushSlot(absent)
	}
	s.pushSlot(v.Sum)
	return true
}

// pushSlot appends a dense slot.
func (s *Series) pushSlot(x float64) {
	want := min(maxChunk, max(8, s.slots()))
	if k := len(s.dense); k > 0 && s.dense[k-1].n < maxChunk {
		var prev *denseChunk
		if k > 1 {
			prev = &s.dense[k-2]
		}
		s.dense[k-1].push(x, want, prev)
		return
	}
	s.dense = append(s.dense, denseChunk{same: x, n: 1})
}

// toGeneral turns the dense form into buckets.
func (s *Series) toGeneral() {
	s.general = true
	for o, n := s.lo, s.slots(); o < n; o++ {
		if x := s.slot(o); !math.IsNaN(x) {
			s.push(bucket{minute: s.minuteOf(o), unit: s.unit, stats: One(x)})
		}
	}
	s.dense, s.lo = nil, 0
}

// addGeneral merges a sample into its bucket.
func (s *Series) addGeneral(minute sim.Time, unit unitID, v Stats) {
	switch b := s.last(); {
	case b != nil && b.minute == minute && b.unit == unit:
		b.stats.merge(v)
	case b == nil || before(b.minute, b.unit, minute, unit):
		s.push(bucket{minute: minute, unit: unit, stats: v})
	default:
		s.insert(bucket{minute: minute, unit: unit, stats: v})
	}
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
	if !s.general {
		for o := s.slots() - 1; o >= s.lo; o-- {
			m := s.minuteOf(o)
			if m <= newest {
				return true
			}
			if m < to && !math.IsNaN(s.slot(o)) {
				return false
			}
		}
		return true
	}
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

// trim drops the minutes older than cut.
func (s *Series) trim(cut sim.Time) {
	if !s.general {
		for n := s.slots(); s.lo < n && s.minuteOf(s.lo) < cut; n = s.slots() {
			s.late++
			if len(s.dense) > 1 && s.minuteOf(maxChunk-1) < cut { // the whole first chunk
				s.dense[0] = denseChunk{}
				s.dense = s.dense[1:]
				s.base, s.lo = s.minuteOf(maxChunk), 0
				continue
			}
			s.lo = min(n, int((cut-s.base+sim.Time(Resolution)-1)/sim.Time(Resolution)))
		}
		return
	}
	for len(s.chunks) > 0 && s.chunks[0][0].minute < cut {
		s.late++
		c := s.chunks[0]
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
	if !s.general {
		o := s.lo
		if from > s.base {
			o = max(o, int((from-s.base+sim.Time(Resolution)-1)/sim.Time(Resolution)))
		}
		for n := s.slots(); o < n; o++ {
			m := s.minuteOf(o)
			if m >= to {
				return
			}
			if x := s.slot(o); !math.IsNaN(x) {
				b := bucket{minute: m, unit: s.unit, stats: One(x)}
				fn(&b)
			}
		}
		return
	}
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
	n := s.newest()
	return n != noMinute && n >= since
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
