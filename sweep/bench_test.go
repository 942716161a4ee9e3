package sweep_test

import (
	"testing"

	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sweep"
)

// BenchmarkSweepNginx1000 sweeps the nginx rolling update over 1,000
// seeds on GOMAXPROCS workers and reports runs per second. Run it at
// several GOMAXPROCS with -cpu 1,2.
func BenchmarkSweepNginx1000(b *testing.B) {
	spec := sweep.Spec{
		Name: "nginx-rolling-update",
		Load: func(set scenario.Settings) (*scenario.Scenario, error) {
			return scenario.LoadExampleWith("nginx-rolling-update", set)
		},
		Seeds: sweep.SeedRange(1, 1000),
	}
	b.ReportAllocs()
	runs := 0
	for b.Loop() {
		r, err := sweep.Run(spec, sweep.Options{})
		if err != nil {
			b.Fatal(err)
		}
		runs += len(r.Runs)
	}
	b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
}
