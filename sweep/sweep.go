package sweep

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/scenario"
)

// Axis is one parameter of the grid and the values it takes, in order.
type Axis struct {
	Name   string
	Values []string
}

// Spec says what a sweep runs.
type Spec struct {
	// Name names the scenario in the output and in partial results.
	Name string
	// Load loads the scenario with the given parameter values; it is
	// called once per grid point.
	Load func(set scenario.Settings) (*scenario.Scenario, error)
	// Grid are the parameters to vary; every combination of their values
	// is a grid point, the last axis varying fastest. No axes: one point,
	// the scenario's defaults.
	Grid []Axis
	// Seeds are the seeds each grid point runs with.
	Seeds []uint64
}

// Options changes how a sweep runs; none of it changes the result.
type Options struct {
	// Workers is how many runs go at once; 0 means GOMAXPROCS.
	Workers int
	// Shard and Shards, when Shards > 1, run only the runs whose index
	// (point × len(Seeds) + seed's position) is Shard modulo Shards.
	Shard, Shards int
	// Progress, when set, is called from the calling goroutine after each
	// run, with the runs done and the runs to do.
	Progress func(done, total int)
}

// SeedRange returns the seeds from first to last, inclusive.
func SeedRange(first, last uint64) []uint64 {
	var out []uint64
	for s := first; ; s++ {
		if s > last {
			break
		}
		out = append(out, s)
		if s == last {
			break
		}
	}
	return out
}

// Points returns the grid points: one settings per combination, the last
// axis varying fastest.
func Points(grid []Axis) []scenario.Settings {
	points := []scenario.Settings{{}}
	for _, ax := range grid {
		var next []scenario.Settings
		for _, p := range points {
			for _, v := range ax.Values {
				q := scenario.Settings{}
				for k, x := range p {
					q[k] = x
				}
				q[ax.Name] = v
				next = append(next, q)
			}
		}
		points = next
	}
	return points
}

// RunResult is the metrics of one run.
type RunResult struct {
	// Point is the grid point's index in [Points] order.
	Point int
	// Seed is the run's seed.
	Seed uint64
	// Values are its metrics, indexed by metrics.ID: the built-in ones,
	// then the scenario's own (Result.Metrics).
	Values []float64
}

// Result is what a sweep, or a shard of one, gave.
type Result struct {
	// Name, Grid and Seeds are the Spec's.
	Name  string
	Grid  []Axis
	Seeds []uint64
	// Shard and Shards say which slice of the runs Runs holds; Shards is
	// 1 for a whole sweep.
	Shard, Shards int
	// Metrics are the metrics each run measured, in Values order: the
	// built-in ones, then the scenario's own (metrics.For). Empty means
	// the built-in ones.
	Metrics []metrics.Metric
	// Runs are the runs made, in run-index order.
	Runs []RunResult
}

// MaxPoints bounds the number of grid points of a sweep (and of a
// partial result read back), so that a mistyped grid fails at once
// instead of filling memory.
const MaxPoints = 1_000_000

// countPoints returns the number of grid points, or an error past
// MaxPoints.
func countPoints(grid []Axis) (int, error) {
	n := 1
	for _, ax := range grid {
		if len(ax.Values) > 0 && n > MaxPoints/len(ax.Values) {
			return 0, fmt.Errorf("the grid has more than %d points", MaxPoints)
		}
		n *= len(ax.Values)
	}
	return n, nil
}

// check validates a spec and options.
func check(spec Spec, opts Options) error {
	if len(spec.Seeds) == 0 {
		return errors.New("a sweep needs at least one seed")
	}
	seeds := map[uint64]bool{}
	for _, s := range spec.Seeds {
		if seeds[s] {
			return fmt.Errorf("seed %d appears twice", s)
		}
		seeds[s] = true
	}
	seen := map[string]bool{}
	for _, ax := range spec.Grid {
		if seen[ax.Name] {
			return fmt.Errorf("parameter %s appears twice in the grid", ax.Name)
		}
		seen[ax.Name] = true
		if len(ax.Values) == 0 {
			return fmt.Errorf("parameter %s has no values in the grid", ax.Name)
		}
	}
	if _, err := countPoints(spec.Grid); err != nil {
		return err
	}
	if opts.Shards < 0 || (opts.Shards > 0 && (opts.Shard < 0 || opts.Shard >= opts.Shards)) {
		return fmt.Errorf("shard %d/%d: want 0 <= shard < shards", opts.Shard, opts.Shards)
	}
	return nil
}

// Run loads the scenario at every grid point and runs it with every seed
// (or the shard's slice of those runs), on opts.Workers goroutines.
// Loading errors name the grid point.
func Run(spec Spec, opts Options) (*Result, error) {
	if err := check(spec, opts); err != nil {
		return nil, err
	}
	points := Points(spec.Grid)
	scenarios := make([]*scenario.Scenario, len(points))
	var ms []metrics.Metric
	for i, set := range points {
		s, err := spec.Load(set)
		if err != nil {
			return nil, &LoadError{Point: describe(spec.Grid, set), Err: err}
		}
		scenarios[i] = s
		if i == 0 {
			ms = metrics.For(s)
		} else if !slices.Equal(metricNames(metrics.For(s)), metricNames(ms)) {
			return nil, &LoadError{Point: describe(spec.Grid, set), Err: fmt.Errorf("the scenario defines the metrics %v here and %v at the first grid point; a sweep measures the same metrics throughout",
				metricNames(metrics.For(s))[metrics.Count:], metricNames(ms)[metrics.Count:])}
		}
	}
	shards := max(opts.Shards, 1)
	res := &Result{Name: spec.Name, Grid: spec.Grid, Seeds: spec.Seeds, Shard: opts.Shard, Shards: shards, Metrics: ms}
	total := len(points) * len(spec.Seeds)
	var todo []int
	for i := opts.Shard % shards; i < total; i += shards {
		todo = append(todo, i)
	}
	res.Runs = make([]RunResult, len(todo))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(len(todo), 1))
	// Each world may write its trace on a second goroutine; with a
	// world per processor already, that goroutine would only compete.
	concurrent := 2*workers <= runtime.GOMAXPROCS(0)

	jobs := make(chan int)
	done := make(chan struct{})
	errs := make([]error, len(todo)) // by job, so that the error reported is the first in run order
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				idx := todo[j]
				p, seed := idx/len(spec.Seeds), spec.Seeds[idx%len(spec.Seeds)]
				values, err := measure(scenarios[p], seed, concurrent)
				res.Runs[j] = RunResult{Point: p, Seed: seed, Values: values}
				if err != nil {
					errs[j] = fmt.Errorf("%s, seed %d: %w", describe(spec.Grid, points[p]), seed, err)
				}
				done <- struct{}{}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for j := range todo {
			jobs <- j
		}
	}()
	for n := 1; n <= len(todo); n++ {
		<-done
		if opts.Progress != nil {
			opts.Progress(n, len(todo))
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// measure runs one scenario with one seed. A failed step is a result (it
// counts in expect_failed), not an error; an error is a run that could
// not be made at all, or one that panicked (a bug, reported with the
// grid point and seed that reproduce it rather than ending the process).
//
// concurrent says whether the world's trace may be written on a second
// goroutine ([sim.Trace.Concurrent]).
func measure(s *scenario.Scenario, seed uint64, concurrent bool) (values []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the run panicked: %v", r)
		}
	}()
	var rec *metrics.Recorder
	out, err := scenario.Run(s, scenario.Options{Seed: &seed, OnWorld: func(w *ecssim.World) {
		w.Trace().Keep(false)
		w.Trace().Concurrent(concurrent)
		rec = metrics.Attach(w, s.Metrics...)
	}})
	if out == nil || rec == nil {
		if err == nil {
			err = errors.New("the run did not start")
		}
		return make([]float64, metrics.Count+len(s.Metrics)), err
	}
	return rec.Result(out, err).Values, nil
}

// metricNames returns the names of ms, in order.
func metricNames(ms []metrics.Metric) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

// metricList returns the metrics of r's runs: r.Metrics, or the built-in
// ones.
func (r *Result) metricList() []metrics.Metric {
	if len(r.Metrics) == 0 {
		return metrics.All[:]
	}
	return r.Metrics
}

// LoadError is a grid point at which the scenario does not load.
type LoadError struct {
	// Point is the grid point, "desired=3 cpu=256".
	Point string
	// Err is the loading error, a scenario.ErrorList for a bad file.
	Err error
}

// Error returns "at desired=3 cpu=256: <error>".
func (e *LoadError) Error() string {
	if e.Point == "" {
		return e.Err.Error()
	}
	return "at " + e.Point + ": " + e.Err.Error()
}

// Unwrap returns the loading error.
func (e *LoadError) Unwrap() error { return e.Err }

// describe prints a grid point as "desired=3 cpu=256", in grid order.
func describe(grid []Axis, set scenario.Settings) string {
	parts := make([]string, len(grid))
	for i, ax := range grid {
		parts[i] = ax.Name + "=" + set[ax.Name]
	}
	return strings.Join(parts, " ")
}
