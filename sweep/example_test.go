package sweep_test

import (
	"log"
	"os"

	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sweep"
)

// ExampleRun sweeps the circuit-breaker example over two desired counts
// and five seeds, and prints two of the metrics.
func ExampleRun() {
	res, err := sweep.Run(sweep.Spec{
		Name: "circuit-breaker-rollback",
		Load: func(set scenario.Settings) (*scenario.Scenario, error) {
			return scenario.LoadExampleWith("circuit-breaker-rollback", set)
		},
		Grid:  []sweep.Axis{{Name: "desired", Values: []string{"3", "6"}}},
		Seeds: sweep.SeedRange(1, 5),
	}, sweep.Options{Workers: 4})
	if err != nil {
		log.Fatal(err)
	}
	err = res.WriteMetrics(os.Stdout, "table", []metrics.ID{metrics.TimeToSteady, metrics.CircuitBreakerTrips})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// Sweep of circuit-breaker-rollback: 2 grid points × seeds 1-5 = 10 runs.
	//
	// desired=3: 5 runs, 5 passed
	// METRIC          N  MIN   P50   P90   P99   MAX   MIN SEED  MAX SEED
	// time_to_steady  5  2m1s  2m3s  2m9s  2m9s  2m9s  5         2
	// cb_trips        5  1     1     1     1     1     1         1
	//
	// desired=6: 5 runs, 5 passed
	// METRIC          N  MIN    P50   P90   P99   MAX   MIN SEED  MAX SEED
	// time_to_steady  5  1m56s  2m1s  2m2s  2m2s  2m2s  3         4
	// cb_trips        5  1      1     1     1     1     1         1
}
