// Package sweep runs a scenario over many seeds and a grid of parameter
// values, and aggregates the [metrics] of the runs per grid point: the
// distribution (p50, p90, p99, max) over seeds, and the seeds that gave
// the extremes, so that a user can rerun exactly that day with `ecssim
// run --seed`.
//
// Runs are spread over workers, one World per goroutine. Worlds share
// nothing and are deterministic, so the result does not depend on the
// number of workers. A sweep can also be cut into shards, a
// deterministic slice of the runs each, to run on several machines;
// [Merge] joins the partial results into exactly the result one machine
// would have had. `ecssim sweep` is this package on the command line.
//
//	res, err := sweep.Run(sweep.Spec{
//		Name:  "circuit-breaker-rollback",
//		Load:  func(set scenario.Settings) (*scenario.Scenario, error) { return scenario.LoadExampleWith("circuit-breaker-rollback", set) },
//		Grid:  []sweep.Axis{{Name: "desired", Values: []string{"3", "6", "10"}}},
//		Seeds: sweep.SeedRange(1, 200),
//	}, sweep.Options{Workers: 8})
//	res.WriteTable(os.Stdout)
package sweep
