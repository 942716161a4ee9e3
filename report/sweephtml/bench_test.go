package sweephtml_test

import (
	"testing"

	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/report/sweephtml"
	"github.com/ecssim/ecssim/sweep"
)

// BenchmarkWrite writes the page of a sweep of 1,000 seeds at three grid
// points, with made-up values.
func BenchmarkWrite(b *testing.B) {
	r := &sweep.Result{Name: "bench", Grid: []sweep.Axis{{Name: "desired", Values: []string{"3", "6", "10"}}},
		Seeds: sweep.SeedRange(1, 1000), Shards: 1, Metrics: metrics.All[:]}
	for p := range 3 {
		for _, seed := range r.Seeds {
			v := make([]float64, metrics.Count)
			for i := range v {
				v[i] = float64((seed*uint64(i+7)+uint64(p))%97) + 60
			}
			r.Runs = append(r.Runs, sweep.RunResult{Point: p, Seed: seed, Values: v})
		}
	}
	w := &countWriter{}
	b.ReportAllocs()
	for b.Loop() {
		w.n = 0
		if err := sweephtml.Write(w, r, sweephtml.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.n)/1e6, "MB")
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }
