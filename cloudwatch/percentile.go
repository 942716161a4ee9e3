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

// isPercentile reports whether stat names a percentile.
func isPercentile(stat string) bool { return percentile.MatchString(stat) }

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
func distCmp(d dist, m sim.Time, u unitID) int {
	if c := cmp.Compare(d.minute, m); c != 0 {
		return c
	}
	return cmp.Compare(d.unit, u)
}

// distOf returns the dist of a minute and unit, or nil.
func (s *Series) distOf(minute sim.Time, unit unitID) *dist {
	if len(s.dists) == 0 {
		return nil
	}
	i, ok := slices.BinarySearchFunc(s.dists, minute, func(d dist, m sim.Time) int { return distCmp(d, m, unit) })
	if !ok {
		return nil
	}
	return &s.dists[i]
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

// noteValues records the raw values of a sample about to be merged into
// its bucket (minute, unit): vals if given, else the sample itself if it
// is exact; a statistic set of several values leaves the minute without
// percentiles. It must run before the merge, as it reads the bucket as
// it was.
func (s *Series) noteValues(minute sim.Time, unit unitID, v Stats, vals []valueCount) {
	if v.SampleCount == 0 {
		return
	}
	d := s.distOf(minute, unit)
	if d == nil {
		var old *Stats
		s.each(minute, minute+1, func(b *bucket) {
			if b.unit == unit {
				st := b.stats
				old = &st
			}
		})
		if old == nil && vals == nil && exact(v) {
			return // one value: the bucket tells it
		}
		if old != nil && vals == nil && exact(v) && v.Minimum == old.Minimum {
			return // still one value
		}
		i, _ := slices.BinarySearchFunc(s.dists, minute, func(d dist, m sim.Time) int { return distCmp(d, m, unit) })
		s.dists = slices.Insert(s.dists, i, dist{minute: minute, unit: unit})
		d = &s.dists[i]
		if old != nil {
			d.vals = addValue(d.vals, old.Minimum, old.SampleCount)
		}
	}
	if d.none {
		return
	}
	switch {
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
	n := 0
	for n < len(s.dists) && s.dists[n].minute < cut {
		n++
	}
	if n > 0 {
		s.dists = s.dists[:copy(s.dists, s.dists[n:])]
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
