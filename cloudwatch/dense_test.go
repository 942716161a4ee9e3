package cloudwatch

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// TestDenseMatchesGeneral publishes the same samples into a series that
// starts dense and one kept in buckets from the start, and checks that
// every read agrees: streams of one sample a minute with gaps, late
// samples, second samples in a minute, aggregates, other units, and
// retention dropping chunks of a run longer than 15 days.
func TestDenseMatchesGeneral(t *testing.T) {
	min := sim.Time(time.Minute)
	for _, tc := range []struct {
		name                                 string
		minutes                              int
		gap, late, twice, aggregate, newUnit int // one in N minutes (0: never)
		longGap                              int
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := NewStore()
			dense := st.Series("A", "dense", nil)
			general := st.Series("A", "general", nil)
			general.general = true
			r := rand.New(rand.NewPCG(uint64(len(tc.name)), 3))
			one := func(n int) bool { return n > 0 && r.IntN(n) == 0 }
			unit := "Percent"
			check := func(now sim.Time) {
				require.Equal(t, general.newest(), dense.newest())
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
						ad := &alarm{series: dense, stat: StatAverage, unit: u}
						ag := &alarm{series: general, stat: StatAverage, unit: u}
						require.Equal(t, ag.fetch(from, to, min), ad.fetch(from, to, min))
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
				}
				switch {
				case one(tc.gap):
				case one(tc.aggregate):
					publish(now, unit, Stats{SampleCount: 3, Sum: 30, Minimum: 1, Maximum: 20})
				default:
					if one(tc.newUnit) {
						unit = "Count"
					}
					publish(now, unit, One(float64(r.IntN(100))))
				}
				if one(tc.twice) {
					publish(now, unit, One(7))
				}
				if one(tc.late) {
					publish(now-sim.Time(1+r.IntN(8))*min, unit, One(float64(r.IntN(100))))
				}
				if i%97 == 0 || i == tc.minutes-1 {
					check(now + min)
				}
			}
			require.Equal(t, !tc.stays, dense.general, fmt.Sprint(tc))
		})
	}
}
