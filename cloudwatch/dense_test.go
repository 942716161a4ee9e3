package cloudwatch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// TestDenseMatchesGeneral publishes the same samples into a series that
// starts dense and one kept in buckets from the start, and checks that
// every read agrees: streams of one sample a minute with gaps, late
// samples, second samples in a minute, aggregates, other units, and
// retention dropping chunks of a run longer than 15 days; and, for the
// run-length form, long constant runs, runs broken by one other value
// (0 and -0 among them), absent minutes inside runs, and retention
// cutting through a run. An alarm's fetch reads the same datapoints
// from both, for ranges on and between minute boundaries. Every dense
// slot is also checked bit for bit against what was published, so
// absent stays distinct from any value.
func TestDenseMatchesGeneral(t *testing.T) {
	min := sim.Time(time.Minute)
	for _, tc := range []struct {
		name                                 string
		minutes                              int
		gap, late, twice, aggregate, newUnit int // one in N minutes (0: never)
		longGap                              int
		run, odd                             int  // constant values for run minutes, broken one in odd minutes
		stays                                bool // dense to the end
	}{
		{name: "every minute", minutes: 3000, stays: true},
		{name: "short gaps", minutes: 3000, gap: 8, stays: true},
		{name: "short gaps and late samples", minutes: 3000, gap: 3, late: 4},
		{name: "long gap", minutes: 3000, gap: 5, longGap: 2000},
		{name: "second sample", minutes: 3000, gap: 7, twice: 900},
		{name: "aggregate", minutes: 3000, aggregate: 1500},
		{name: "other unit", minutes: 3000, newUnit: 1200},
		{name: "past retention", minutes: int(Retention/time.Minute) + 2500, gap: 10, stays: true},
		{name: "past retention, late samples", minutes: int(Retention/time.Minute) + 2500, gap: 6, late: 10},
		{name: "constant", minutes: 3000, run: 1 << 30, stays: true},
		{name: "long runs", minutes: 3000, run: 700, stays: true},
		{name: "short runs", minutes: 3000, run: 40, stays: true},
		{name: "runs broken by one value", minutes: 3000, run: 900, odd: 300, stays: true},
		{name: "runs with absent minutes", minutes: 3000, run: 600, gap: 200, stays: true},
		{name: "runs with late samples", minutes: 3000, run: 600, gap: 50, late: 60},
		{name: "runs past retention", minutes: int(Retention/time.Minute) + 2500, run: 5000, odd: 3000, gap: 1000, stays: true},
		{name: "constant past retention", minutes: int(Retention/time.Minute) + 2500, run: 1 << 30, stays: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := NewStore()
			dense := st.Series("A", "dense", nil)
			general := st.Series("A", "general", nil)
			general.general = true
			r := rand.New(rand.NewPCG(uint64(len(tc.name)), 3))
			one := func(n int) bool { return n > 0 && r.IntN(n) == 0 }
			offs := rand.New(rand.NewPCG(uint64(len(tc.name)), 4)) // apart, so that r draws what it drew
			unit := "Percent"
			pool := []float64{0, math.Copysign(0, -1), 1, 2.5, 1e300}
			value := pool[0]
			sent := map[sim.Time]uint64{} // minute -> bits of its one sample, while dense
			check := func(now sim.Time) {
				require.Equal(t, general.newest(), dense.newest())
				if !dense.general {
					for o := dense.lo; o < dense.slots(); o++ {
						want, ok := sent[dense.minuteOf(o)]
						if !ok {
							want = math.Float64bits(absent)
						}
						require.Equal(t, want, math.Float64bits(dense.slot(o)), "slot %d", o)
					}
					if tc.run > tc.minutes { // one value throughout: one word a chunk
						for _, c := range dense.dense {
							require.Nil(t, c.data)
						}
					}
				}
				require.Equal(t, general.late > 0, dense.late > 0)
				for k := range 6 {
					to := now - sim.Time(r.IntN(30))*min
					from := to - sim.Time(1+r.IntN(600))*min
					if k == 0 { // across the retention edge
						from = now - sim.Time(Retention) - sim.Time(r.IntN(300))*min
						to = from + sim.Time(r.IntN(600))*min
					}
					for _, p := range []time.Duration{time.Minute, 5 * time.Minute} {
						for _, u := range []string{"", "Percent", "Count"} {
							require.Equal(t, general.Periods(from, to, p, u), dense.Periods(from, to, p, u), "%v %v %q", from, to, u)
						}
					}
					for _, u := range []string{"", "Percent"} {
						for _, stat := range []string{StatAverage, StatSampleCount} {
							ad := &alarm{series: dense, stat: stat, unit: u}
							ag := &alarm{series: general, stat: stat, unit: u}
							require.Equal(t, ag.fetch(from, to, min), ad.fetch(from, to, min))
							// Range ends inside a minute, as a caller may give them.
							off := sim.Time(1 + offs.IntN(int(min)-1))
							require.Equal(t, ag.fetch(from+off, to+off, min), ad.fetch(from+off, to+off, min))
						}
					}
					require.Equal(t, general.hasData(from), dense.hasData(from))
				}
			}
			for i := range tc.minutes {
				now := sim.Time(i) * min
				if tc.longGap > 0 && i >= tc.longGap && i < tc.longGap+maxDenseGap+1 {
					continue
				}
				publish := func(m sim.Time, u string, v Stats) {
					st.Publish(dense, m, u, v, now, now)
					st.Publish(general, m, u, v, now, now)
					sent[m] = math.Float64bits(v.Sum)
				}
				sample := func() Stats {
					switch {
					case tc.run == 0:
						return One(float64(r.IntN(100)))
					case one(tc.odd):
						return One(-value) // 0 broken by -0, and so on
					}
					return One(value)
				}
				if tc.run > 0 && i%tc.run == 0 && i > 0 {
					value = pool[(slices.Index(pool, value)+1+r.IntN(len(pool)-1))%len(pool)]
				}
				switch {
				case one(tc.gap):
				case one(tc.aggregate):
					publish(now, unit, Stats{SampleCount: 3, Sum: 30, Minimum: 1, Maximum: 20})
				default:
					if one(tc.newUnit) {
						unit = "Count"
					}
					publish(now, unit, sample())
				}
				if one(tc.twice) {
					publish(now, unit, One(7))
				}
				if one(tc.late) {
					publish(now-sim.Time(1+r.IntN(8))*min, unit, sample())
				}
				if i%97 == 0 || i == tc.minutes-1 {
					check(now + min)
				}
			}
			require.Equal(t, !tc.stays, dense.general, fmt.Sprint(tc))
		})
	}
}

// TestDenseRunFolds checks the run-length form directly: a chunk of one
// value takes no slots; an absent minute, or a -0 in a run of 0, breaks
// a chunk into three runs and keeps the sign; a full chunk whose absent
// minute a late sample fills with the run's value folds back into one
// value; a chunk that changes every minute is spelled out, and one
// spelled out that ends with few runs is kept as runs.
func TestDenseRunFolds(t *testing.T) {
	min := sim.Time(time.Minute)
	st := NewStore()
	s := st.Series("A", "runs", nil)
	for i := range 4 * maxChunk {
		if i == 10 {
			continue // absent for now
		}
		v := 0.0
		switch {
		case i == maxChunk+20:
			v = math.Copysign(0, -1)
		case i >= 2*maxChunk && i < 2*maxChunk+maxRuns-1:
			v = float64(i) // a change every minute, then one value
		case i >= 3*maxChunk:
			v = float64(i) // a change every minute throughout
		}
		now := sim.Time(i) * min
		st.Publish(s, now, "Count", One(v), now, now)
	}
	require.False(t, s.general)
	require.Len(t, s.dense, 4)
	ends := func(c denseChunk) []float64 {
		var out []float64
		for k := 1; k < len(c.data); k += 2 {
			out = append(out, c.data[k])
		}
		return out
	}
	require.True(t, s.dense[0].runs, "an absent minute breaks a chunk into runs")
	require.Equal(t, []float64{10, 11, maxChunk}, ends(s.dense[0]))
	require.Equal(t, math.Float64bits(absent), math.Float64bits(s.slot(10)))
	require.Zero(t, math.Float64bits(s.slot(9)))
	require.Zero(t, math.Float64bits(s.slot(11)))
	require.True(t, s.dense[1].runs, "a -0 in a run of 0 is a run of its own")
	require.Equal(t, []float64{20, 21, maxChunk}, ends(s.dense[1]))
	require.Equal(t, math.Float64bits(math.Copysign(0, -1)), math.Float64bits(s.slot(maxChunk+20)))
	require.Zero(t, math.Float64bits(s.slot(maxChunk+21)))
	require.True(t, s.dense[2].runs, "spelled out while it changed, runs once full")
	require.Len(t, s.dense[2].data, 2*maxRuns)
	require.False(t, s.dense[3].runs, "a change every minute is spelled out")
	require.Len(t, s.dense[3].data, maxChunk)
	for o := 2 * maxChunk; o < 4*maxChunk; o++ {
		want := 0.0
		if o < 2*maxChunk+maxRuns-1 || o >= 3*maxChunk {
			want = float64(o)
		}
		require.Equal(t, want, s.slot(o), "slot %d", o)
	}
	now := sim.Time(4*maxChunk) * min
	st.Publish(s, 10*min, "Count", One(0), now, now)
	require.False(t, s.general)
	require.Nil(t, s.dense[0].data, "the filled chunk folds back into one value")
	require.Zero(t, math.Float64bits(s.slot(10)))
	require.Equal(t, 4*maxChunk, s.slots())
}

// TestDenseSpelledAfterSpelled: a chunk that follows one spelled out is
// spelled out at its first change, with room for a whole chunk, and one
// that follows a chunk of runs or of one value tries runs first.
func TestDenseSpelledAfterSpelled(t *testing.T) {
	min := sim.Time(time.Minute)
	st := NewStore()
	s := st.Series("A", "spelled", nil)
	publish := func(i int, v float64) {
		now := sim.Time(i) * min
		st.Publish(s, now, "Count", One(v), now, now)
	}
	for i := range maxChunk {
		publish(i, float64(i)) // a change every minute: spelled out
	}
	for i := maxChunk; i < maxChunk+5; i++ {
		publish(i, 1)
	}
	require.Nil(t, s.dense[1].data, "one value so far")
	publish(maxChunk+5, 2)
	require.False(t, s.dense[1].runs, "spelled out at its first change")
	require.Len(t, s.dense[1].data, 6)
	require.Equal(t, maxChunk, cap(s.dense[1].data))
	for i := maxChunk + 6; i < 2*maxChunk; i++ {
		publish(i, 2)
	}
	// Chunk 1 folds into runs once full; chunk 2 follows runs.
	require.True(t, s.dense[1].runs)
	for i := 2 * maxChunk; i < 2*maxChunk+5; i++ {
		publish(i, 3)
	}
	publish(2*maxChunk+5, 4)
	require.True(t, s.dense[2].runs, "runs first after a chunk of runs")
	for o := range s.slots() {
		want := float64(o)
		switch {
		case o >= 2*maxChunk+5:
			want = 4
		case o >= 2*maxChunk:
			want = 3
		case o >= maxChunk+5:
			want = 2
		case o >= maxChunk:
			want = 1
		}
		require.Equal(t, want, s.slot(o), "slot %d", o)
	}
}
