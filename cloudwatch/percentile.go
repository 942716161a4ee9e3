package cloudwatch

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"

	"github.com/ecssim/ecssim/sim"
)

// percentile matches an extended statistic: p0 to p100 with up to ten
// decimals, such as p99 or p99.9. [CW:cloudwatch_concepts#Percentiles]
var percentile = regexp.MustCompile(`^p(\d{1,2}(\.\d{1,10})?|100)$`)

// isPercentile reports whether stat names a percentile. Every alarm
// evaluation asks, so the statistics, which do not start with p, are
// told apart without the regular expression.
func isPercentile(stat string) bool {
	return stat != "" && stat[0] == 'p' && percentile.MatchString(stat)
}

// maxValuesPerMinute is the most distinct raw values a series keeps for
// one minute and unit. CloudWatch keeps an approximate distribution of
// bounded size; ecssim keeps exact values up to this many, and a minute
// with more distinct values has no percentiles (as if published as a
// statistic set).
const maxValuesPerMinute = 10000

// valueCount is a raw value and how many times it was published.
type valueCount struct{ v, n float64 }

// dist is the raw values of one minute and unit, kept only where the
// minute's bucket cannot tell them: where it holds more than one distinct
// value. A bucket whose Minimum equals its Maximum holds SampleCount
// times that value, so one-sample minutes (the dense form) and repeated
// values need no dist. none marks a minute that received a statistic
// set of several values: it has no percentiles. [CWAPI:MetricDatum.StatisticValues]
type dist struct {
	minute sim.Time
	unit   unitID
	none   bool
	vals   []valueCount // sorted by value, each value once
}

// exact reports whether v is SampleCount samples of one value. CloudWatch
// takes a statistic set as raw values only then: Minimum equal to
// Maximum and Sum equal to Minimum times SampleCount (which a single
// sample, SampleCount 1 with all three equal, is too). [CWAPI:PutMetricData]
func exact(v Stats) bool { return v.Minimum == v.Maximum && v.Sum == v.Minimum*v.SampleCount }

// needsValues reports whether a sample v with raw values vals must be
// noted even in a new minute: when the bucket alone cannot tell its values.
func needsValues(v Stats, vals []valueCount) bool { return vals != nil || !exact(v) }

// distCmp orders dists by minute, then unit.
func distCmp(d *dist, m sim.Time, u unitID) int {
	if c := cmp.Compare(d.minute, m); c != 0 {
		return c
	}
	return cmp.Compare(d.unit, u)
}

// lastDist returns the newest dist, or nil.
func (s *Series) lastDist() *dist {
	if len(s.dists) == 0 {
		return nil
	}
	c := s.dists[len(s.dists)-1]
	return &c[len(c)-1]
}

// distAt returns the chunk and the index in it where the dist of a minute
// and unit is or would go, and whether it is there. Appends are nearly
// always for the newest minute, so the newest dist is looked at first.
func (s *Series) distAt(minute sim.Time, unit unitID) (ci, i int, ok bool) {
	last := s.lastDist()
	if last == nil {
		return 0, 0, false
	}
	ci = len(s.dists) - 1
	switch c := distCmp(last, minute, unit); {
	case c < 0:
		return ci, len(s.dists[ci]), false
	case c == 0:
		return ci, len(s.dists[ci]) - 1, true
	}
	// The chunk that holds it: the first whose newest dist is not before it.
	ci, _ = slices.BinarySearchFunc(s.dists, minute, func(c []dist, m sim.Time) int {
		if distCmp(&c[len(c)-1], m, unit) < 0 {
			return -1
		}
		return 1
	})
	i, ok = slices.BinarySearchFunc(s.dists[ci], minute, func(d dist, m sim.Time) int { return distCmp(&d, m, unit) })
	return ci, i, ok
}

// distOf returns the dist of a minute and unit, or nil.
func (s *Series) distOf(minute sim.Time, unit unitID) *dist {
	ci, i, ok := s.distAt(minute, unit)
	if !ok {
		return nil
	}
	return &s.dists[ci][i]
}

// newDist puts an empty dist for a minute and unit that has none at its
// place (ci, i), as distAt gives it, and returns it. A newest one is
// appended to the last chunk; chunks spare a long series the copying of
// one slice that keeps doubling.
func (s *Series) newDist(ci, i int, minute sim.Time, unit unitID) *dist {
	d := dist{minute: minute, unit: unit}
	if len(s.dists) == 0 || i == len(s.dists[ci]) && len(s.dists[ci]) >= maxChunk {
		total := 0
		for _, c := range s.dists {
			total += len(c)
		}
		c := make([]dist, 1, min(maxChunk, max(4, total)))
		c[0] = d
		s.dists = append(s.dists, c)
		return &c[0]
	}
	if i == len(s.dists[ci]) {
		s.dists[ci] = append(s.dists[ci], d)
	} else {
		s.dists[ci] = slices.Insert(s.dists[ci], i, d)
	}
	return &s.dists[ci][i]
}

// addValue merges n samples of v into vals, kept sorted.
func addValue(vals []valueCount, v, n float64) []valueCount {
	i, ok := slices.BinarySearchFunc(vals, v, func(x valueCount, v float64) int { return cmp.Compare(x.v, v) })
	if ok {
		vals[i].n += n
		return vals
	}
	return slices.Insert(vals, i, valueCount{v, n})
}

// maxArena is the most values one block of a series' value arena holds.
const maxArena = 1024

// sortedValues returns vals sorted by value, each value once, in the
// series' value arena: the values of a new minute take no allocation of
// their own. The result's capacity is its length, so that a later
// addValue to it copies it out of the arena instead of writing over the
// next minute's values.
func (s *Series) sortedValues(vals []valueCount) []valueCount {
	if cap(s.arena)-len(s.arena) < len(vals) {
		s.arena = make([]valueCount, 0, max(len(vals), min(maxArena, max(16, 2*cap(s.arena)))))
	}
	from := len(s.arena)
	// The room checked above holds every value: out grows in place.
	out := s.arena[from:from]
	for _, x := range vals {
		// The values are finite (see PublishValues and checkDatum), so
		// < and == order them as cmp.Compare does.
		i, j := 0, len(out)
		for i < j {
			if h := int(uint(i+j) >> 1); out[h].v < x.v {
				i = h + 1
			} else {
				j = h
			}
		}
		if i < len(out) && out[i].v == x.v {
			out[i].n += x.n
			continue
		}
		out = out[:len(out)+1]
		if i < len(out)-1 {
			copy(out[i+1:], out[i:])
		}
		out[i] = x
	}
	s.arena = s.arena[:from+len(out)]
	return out[:len(out):len(out)]
}

// noteValues records the raw values of a sample about to be merged into
// its bucket (minute, unit): vals if given, else the sample itself if it
// is exact; a statistic set of several values leaves the minute without
// percentiles. It must run before the merge, as it reads the bucket as
// it was.
func (s *Series) noteValues(minute sim.Time, unit unitID, v Stats, vals []valueCount) {
	if v.SampleCount == 0 {
		return
	}
	var d *dist
	if newest := s.newest(); newest == noMinute || minute > newest {
		// A new newest minute: the dists are all of stored minutes,
		// so its place is at the end, found without reading the
		// newest dist.
		if vals == nil && exact(v) {
			return // one value: the bucket tells it
		}
		ci := max(len(s.dists)-1, 0)
		i := 0
		if len(s.dists) > 0 {
			i = len(s.dists[ci])
		}
		s.noteNew(s.newDist(ci, i, minute, unit), v, vals)
		return
	}
	ci, i, ok := s.distAt(minute, unit)
	if ok {
		d = &s.dists[ci][i]
	} else {
		var old *Stats
		if minute <= s.newest() { // a new newest minute has no bucket yet
			s.each(minute, minute+1, func(b *bucket) {
				if b.unit == unit {
					st := b.stats
					old = &st
				}
			})
		}
		if old == nil && vals == nil && exact(v) {
			return // one value: the bucket tells it
		}
		if old != nil && vals == nil && exact(v) && v.Minimum == old.Minimum {
			return // still one value
		}
		d = s.newDist(ci, i, minute, unit)
		if old != nil {
			d.vals = addValue(d.vals, old.Minimum, old.SampleCount)
		}
	}
	if d.none {
		return
	}
	s.noteNew(d, v, vals)
}

// noteNew merges a sample's raw values into the dist d of its minute,
// which is not none.
func (s *Series) noteNew(d *dist, v Stats, vals []valueCount) {
	switch {
	case vals != nil && d.vals == nil:
		d.vals = s.sortedValues(vals)
	case vals != nil:
		for _, x := range vals {
			d.vals = addValue(d.vals, x.v, x.n)
		}
	case exact(v):
		d.vals = addValue(d.vals, v.Minimum, v.SampleCount)
	default:
		d.none = true
	}
	if len(d.vals) > maxValuesPerMinute {
		d.none = true
	}
	if d.none {
		d.vals = nil
	}
}

// trimValues drops the dists of minutes older than cut.
func (s *Series) trimValues(cut sim.Time) {
	for len(s.dists) > 0 && s.dists[0][0].minute < cut {
		c := s.dists[0]
		if c[len(c)-1].minute < cut {
			s.dists[0] = nil
			s.dists = s.dists[1:]
			continue
		}
		i := 0
		for c[i].minute < cut {
			i++
		}
		s.dists[0] = c[i:]
	}
}

// percentileOf returns percentile p (0 to 100) of the samples of
// [from, to) with unit ("" for every unit): the nearest-rank value, the
// smallest value with at least p % of the samples at or below it. ok is
// false when there are no samples, some minute's raw values are unknown
// (a statistic set), or a value is negative: CloudWatch gives no
// percentiles then. [CW:cloudwatch_concepts#Percentiles]
// [CWAPI:GetMetricStatisticsInput.ExtendedStatistics]
func (s *Series) percentileOf(from, to sim.Time, unit string, p float64) (v float64, ok bool) {
	var all []valueCount
	known := true
	s.each(from, to, func(b *bucket) {
		if unit != "" && b.unit.String() != unit {
			return
		}
		if d := s.distOf(b.minute, b.unit); d != nil {
			if d.none {
				known = false
			}
			all = append(all, d.vals...)
			return
		}
		all = append(all, valueCount{b.stats.Minimum, b.stats.SampleCount})
	})
	if !known || len(all) == 0 {
		return 0, false
	}
	slices.SortStableFunc(all, func(a, b valueCount) int { return cmp.Compare(a.v, b.v) })
	if all[0].v < 0 {
		return 0, false
	}
	total := 0.0
	for _, x := range all {
		total += x.n
	}
	// The rank: p*total/100 rather than p/100*total, so that whole
	// percentiles of whole counts are exact.
	rank := p * total / 100
	cum := 0.0
	for _, x := range all {
		cum += x.n
		if cum > 0 && cum >= rank {
			return x.v, true
		}
	}
	return all[len(all)-1].v, true
}

// percentileValue returns the percentile a stat such as p99 names.
func percentileValue(stat string) float64 {
	p, _ := strconv.ParseFloat(stat[1:], 64)
	return p
}

// periodValue returns stat of the period ps, which ends at end, for unit
// ("" for every unit). ok is false when the period has no value for
// stat: a percentile of data published as statistic sets.
func (s *Series) periodValue(ps periodStats, end sim.Time, unit, stat string) (float64, bool) {
	if isPercentile(stat) {
		return s.percentileOf(ps.start, end, unit, percentileValue(stat))
	}
	return ps.all().Value(stat), true
}
