package cloudwatch

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/ecssim/ecssim/sim"
)

// BenchmarkFlush: one op is a minute of n series: one sample each (one
// in four with the raw values of 20 targets) published, 8 MiB of other
// memory read, as the rest of a simulated minute pushes the series out
// of the core's caches, and the samples flushed, on the calling
// goroutine (parallel=false) or in parts on two (parallel=true). The
// difference between the two is the flush's: where they cross is
// parallelFlushMin.
func BenchmarkFlush(b *testing.B) {
	other := make([]int64, 1<<20)
	for _, n := range []int{1600, 3200, 6400, 12800, 25600} {
		for _, par := range []bool{false, true} {
			b.Run(fmt.Sprintf("series=%d/parallel=%v", n, par), func(b *testing.B) {
				st := NewStore()
				st.parallelMin = math.MaxInt
				if par {
					st.parallelMin = 1
				}
				all := make([]*Series, n)
				for i := range all {
					all[i] = st.Series("Test", "M", []Dimension{{Name: ptr("N"), Value: ptr(fmt.Sprint(i))}})
				}
				vals, cnts := make([]float64, 20), make([]float64, 20)
				minute := sim.Time(0)
				publish := func() {
					for i, s := range all {
						v := float64((int(minute/sim.Time(time.Minute)) + i) % 50)
						if i%4 == 0 {
							for t := range vals {
								vals[t], cnts[t] = v+float64(t%3), float64(1+t%2)
							}
							st.PublishValues(s, minute, "Seconds", Stats{SampleCount: 20, Sum: 20 * v, Minimum: v, Maximum: v + 2}, vals, cnts, minute+1, minute)
							continue
						}
						st.Publish(s, minute, "Count", One(v), minute+1, minute)
					}
					minute += sim.Time(time.Minute)
				}
				for range 60 {
					publish()
					st.Flush(minute)
				}
				var sum int64
				for b.Loop() {
					publish()
					for i := 0; i < len(other); i += 8 {
						sum += other[i]
					}
					st.Flush(minute)
				}
				other[0] = sum
			})
		}
	}
}
