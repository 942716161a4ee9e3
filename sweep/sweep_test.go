package sweep_test

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sweep"
)

var update = flag.Bool("update", false, "rewrite golden files")

// circuitBreaker is the acceptance sweep: the circuit-breaker example at
// three desired counts.
func circuitBreaker(seeds int) sweep.Spec {
	return sweep.Spec{
		Name: "circuit-breaker-rollback",
		Load: func(set scenario.Settings) (*scenario.Scenario, error) {
			return scenario.LoadExampleWith("circuit-breaker-rollback", set)
		},
		Grid:  []sweep.Axis{{Name: "desired", Values: []string{"3", "6", "10"}}},
		Seeds: sweep.SeedRange(1, uint64(seeds)),
	}
}

// outputs renders a result in every format.
func outputs(t *testing.T, r *sweep.Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range sweep.Formats {
		var b bytes.Buffer
		require.NoError(t, r.Write(&b, f))
		out[f] = b.String()
	}
	return out
}

// TestSameResultWhateverTheWorkersAndShards is the acceptance test: the
// same output with 1, 2 and 8 workers, and with 4 shards merged.
func TestSameResultWhateverTheWorkersAndShards(t *testing.T) {
	seeds := 200
	if testing.Short() || raceEnabled {
		seeds = 12
	}
	spec := circuitBreaker(seeds)
	var want map[string]string
	for _, workers := range []int{1, 2, 8} {
		r, err := sweep.Run(spec, sweep.Options{Workers: workers})
		require.NoError(t, err)
		require.Len(t, r.Runs, 3*seeds)
		got := outputs(t, r)
		if want == nil {
			want = got
			continue
		}
		require.Equal(t, want, got, "%d workers", workers)
	}
	dir := t.TempDir()
	for shard := range 4 {
		r, err := sweep.Run(spec, sweep.Options{Workers: 2, Shard: shard, Shards: 4})
		require.NoError(t, err)
		_, err = r.WritePartial(dir)
		require.NoError(t, err)
	}
	parts, err := sweep.ReadPartials(dir)
	require.NoError(t, err)
	merged, err := sweep.Merge(parts...)
	require.NoError(t, err)
	require.Equal(t, want, outputs(t, merged), "4 shards merged")

	// The sweep measured something: every run rolled back once.
	for _, p := range merged.Aggregate() {
		require.Equal(t, seeds, p.Runs)
		st := p.Stats[metrics.CircuitBreakerTrips]
		require.Equal(t, []float64{1, 1}, []float64{st.Min, st.Max}, "desired=%s", p.Settings["desired"])
	}
}

func TestAggregate(t *testing.T) {
	r := &sweep.Result{Name: "x", Grid: []sweep.Axis{{Name: "n", Values: []string{"1"}}}, Seeds: sweep.SeedRange(1, 10), Shards: 1}
	for seed := uint64(1); seed <= 10; seed++ {
		v := make([]float64, metrics.Count)
		v[metrics.TimeToSteady] = float64(seed * 10) // 10 … 100
		if seed == 4 {
			v[metrics.TimeToSteady] = math.Inf(1)
		}
		v[metrics.MinRunning] = math.NaN()
		if seed%2 == 0 {
			v[metrics.MinRunning] = float64(seed % 3) // 2, 1, 0, 2, 1
		}
		v[metrics.Passed] = float64(seed % 2)
		r.Runs = append(r.Runs, sweep.RunResult{Point: 0, Seed: seed, Values: v})
	}
	p := r.Aggregate()
	require.Len(t, p, 1)
	require.Equal(t, 5, p[0].Passed)
	tts := p[0].Stats[metrics.TimeToSteady]
	require.Equal(t, 10, tts.N)
	require.Equal(t, []float64{10, 60, 100, math.Inf(1), math.Inf(1)}, []float64{tts.Min, tts.P50, tts.P90, tts.P99, tts.Max})
	require.Equal(t, []uint64{1, 4}, []uint64{tts.MinSeed, tts.MaxSeed})
	mr := p[0].Stats[metrics.MinRunning]
	require.Equal(t, 5, mr.N, "runs without a deployment are left out")
	require.Equal(t, []float64{0, 1, 2, 2}, []float64{mr.Min, mr.P50, mr.P90, mr.Max})
	require.Equal(t, []uint64{6, 2}, []uint64{mr.MinSeed, mr.MaxSeed}, "the lowest seed on a tie")
	fr := p[0].Stats[metrics.FailedTasks]
	require.Equal(t, uint64(1), fr.MaxSeed)
	ca := p[0].Stats[metrics.CostUSD]
	require.Equal(t, 10, ca.N)

	none := sweep.Result{Grid: r.Grid, Seeds: r.Seeds, Runs: r.Runs[:1]}
	none.Runs[0].Values[metrics.MinRunning] = math.NaN()
	st := none.Aggregate()[0].Stats[metrics.MinRunning]
	require.Zero(t, st.N)
	require.True(t, math.IsNaN(st.P50))

	for _, f := range sweep.Formats {
		var b bytes.Buffer
		require.NoError(t, r.Write(&b, f))
		golden(t, filepath.Join("testdata", "aggregate."+f), b.String())
	}
	require.ErrorContains(t, r.Write(&bytes.Buffer{}, "xml"), `unknown format "xml"`)
	var b bytes.Buffer
	require.NoError(t, r.WriteMetrics(&b, "csv", []metrics.ID{metrics.CostUSD, metrics.TimeToSteady}))
	require.Equal(t, "param_n,metric,unit,n,min,p50,p90,p99,max,min_seed,max_seed\n1,cost_usd,USD,10,0,0,0,0,0,1,1\n1,time_to_steady,s,10,10,60,100,inf,inf,1,4\n", b.String())
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "run go test ./sweep -update")
	require.Equal(t, string(want), got)
}

func TestPoints(t *testing.T) {
	pts := sweep.Points([]sweep.Axis{{Name: "a", Values: []string{"1", "2"}}, {Name: "b", Values: []string{"x", "y", "z"}}})
	require.Len(t, pts, 6)
	require.Equal(t, scenario.Settings{"a": "1", "b": "y"}, pts[1], "the last axis varies fastest")
	require.Equal(t, scenario.Settings{"a": "2", "b": "x"}, pts[3])
	require.Equal(t, []scenario.Settings{{}}, sweep.Points(nil))
	require.Equal(t, []uint64{5, 6, 7}, sweep.SeedRange(5, 7))
	require.Equal(t, []uint64{math.MaxUint64}, sweep.SeedRange(math.MaxUint64, math.MaxUint64))
	require.Empty(t, sweep.SeedRange(2, 1))
}

func TestRunErrors(t *testing.T) {
	spec := circuitBreaker(2)
	tests := []struct {
		name string
		edit func(*sweep.Spec, *sweep.Options)
		want string
	}{
		{"no seeds", func(s *sweep.Spec, _ *sweep.Options) { s.Seeds = nil }, "a sweep needs at least one seed"},
		{"a seed twice", func(s *sweep.Spec, _ *sweep.Options) { s.Seeds = []uint64{1, 1} }, "seed 1 appears twice"},
		{"an axis twice", func(s *sweep.Spec, _ *sweep.Options) { s.Grid = append(s.Grid, s.Grid[0]) }, "parameter desired appears twice"},
		{"an empty axis", func(s *sweep.Spec, _ *sweep.Options) { s.Grid = []sweep.Axis{{Name: "desired"}} }, "parameter desired has no values"},
		{"a huge grid", func(s *sweep.Spec, _ *sweep.Options) {
			ten := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
			for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
				s.Grid = append(s.Grid, sweep.Axis{Name: n, Values: ten})
			}
		}, "the grid has more than 1000000 points"},
		{"a bad shard", func(_ *sweep.Spec, o *sweep.Options) { o.Shard, o.Shards = 4, 4 }, "shard 4/4: want 0 <= shard < shards"},
		{"a bad value", func(s *sweep.Spec, _ *sweep.Options) {
			s.Grid = []sweep.Axis{{Name: "desired", Values: []string{"3", "many"}}}
		}, `at desired=many: examples/circuit-breaker-rollback.yaml: --set desired=many: parameter "desired" is of type int`},
		{"an unknown parameter", func(s *sweep.Spec, _ *sweep.Options) {
			s.Grid = []sweep.Axis{{Name: "cpu", Values: []string{"256"}}}
		}, `at cpu=256: examples/circuit-breaker-rollback.yaml: --set cpu: no parameter "cpu"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, o := spec, sweep.Options{}
			s.Grid = append([]sweep.Axis(nil), spec.Grid...)
			tc.edit(&s, &o)
			r, err := sweep.Run(s, o)
			require.Nil(t, r)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestProgress(t *testing.T) {
	var calls [][2]int
	_, err := sweep.Run(circuitBreaker(2), sweep.Options{Workers: 3, Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }})
	require.NoError(t, err)
	require.Equal(t, [][2]int{{1, 6}, {2, 6}, {3, 6}, {4, 6}, {5, 6}, {6, 6}}, calls)
}

func TestMergeErrors(t *testing.T) {
	spec := circuitBreaker(3)
	shard := func(i, n int) *sweep.Result {
		r, err := sweep.Run(spec, sweep.Options{Shard: i, Shards: n})
		require.NoError(t, err)
		return r
	}
	a, b, c := shard(0, 2), shard(1, 2), shard(0, 3)
	_, err := sweep.Merge(a, b)
	require.NoError(t, err)
	other := *b
	other.Seeds = []uint64{1, 2, 4}
	renamed := *b
	renamed.Name = "other"
	tests := []struct {
		name  string
		parts []*sweep.Result
		want  string
	}{
		{"nothing", nil, "no partial results"},
		{"missing", []*sweep.Result{a}, "shard 1 of 2 is missing"},
		{"twice", []*sweep.Result{a, a, b}, "shard 0 of 2 appears twice"},
		{"cut differently", []*sweep.Result{a, c}, "the partials cut the sweep differently (2 and 3 shards)"},
		{"other seeds", []*sweep.Result{a, &other}, "the partials are of different seeds (seeds 1-3, 3 seeds)"},
		{"other scenario", []*sweep.Result{a, &renamed}, "different scenarios"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sweep.Merge(tc.parts...)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestReadPartialErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	tests := []struct {
		content, want string
	}{
		{"{", "is not a partial sweep result"},
		{`{"format":"other"}`, `format "other"`},
		{`{"format":"ecssim-sweep-partial/1","metrics":["x"]}`, "this version measures"},
		{`{"format":"ecssim-sweep-partial/1","extra":1}`, "unknown field"},
	}
	for _, tc := range tests {
		_, err := sweep.ReadPartial(write("p.json", tc.content))
		require.ErrorContains(t, err, tc.want)
	}
	_, err := sweep.ReadPartials(t.TempDir())
	require.ErrorContains(t, err, "holds no partial result")
	_, err = sweep.ReadPartials(filepath.Join(dir, "gone"))
	require.Error(t, err)
}

// TestPanicIsAnError shows that a run that panics (here, on a nil
// scenario) is reported with its grid point and seed, and ends neither
// the process nor the other workers.
func TestPanicIsAnError(t *testing.T) {
	spec := sweep.Spec{
		Name:  "broken",
		Load:  func(scenario.Settings) (*scenario.Scenario, error) { return nil, nil },
		Grid:  []sweep.Axis{{Name: "n", Values: []string{"1"}}},
		Seeds: []uint64{7, 8},
	}
	_, err := sweep.Run(spec, sweep.Options{Workers: 2})
	require.ErrorContains(t, err, "n=1, seed 7: the run panicked")
}

// TestUserMetrics: the scenario's own metrics follow the built-in ones in
// every format, in file order, and survive sharding and merging.
func TestUserMetrics(t *testing.T) {
	spec := sweep.Spec{
		Name: "user-metrics",
		Load: func(set scenario.Settings) (*scenario.Scenario, error) {
			return scenario.LoadWith(filepath.Join("testdata", "user-metrics.yaml"), set)
		},
		Grid:  []sweep.Axis{{Name: "desired", Values: []string{"2", "4"}}},
		Seeds: sweep.SeedRange(1, 3),
	}
	r, err := sweep.Run(spec, sweep.Options{Workers: 2})
	require.NoError(t, err)
	require.Len(t, r.Metrics, metrics.Count+3)
	require.Equal(t, "running_at_5m", r.Metrics[metrics.Count].Name)
	p := r.Aggregate()
	require.Equal(t, []float64{2, 2}, []float64{p[0].Stats[metrics.Count].Min, p[0].Stats[metrics.Count].Max}, "desired=2 runs 2 at 5m")
	require.Equal(t, []float64{4, 4}, []float64{p[1].Stats[metrics.Count].Min, p[1].Stats[metrics.Count].Max}, "desired=4 runs 4 at 5m")
	require.Positive(t, p[1].Stats[metrics.Count+1].Min)
	want := outputs(t, r)
	for _, f := range sweep.Formats {
		golden(t, filepath.Join("testdata", "user-metrics."+f), want[f])
	}
	require.Contains(t, want["csv"], "\n4,steady_states,,3,")

	dir := t.TempDir()
	for shard := range 3 {
		part, err := sweep.Run(spec, sweep.Options{Shard: shard, Shards: 3})
		require.NoError(t, err)
		_, err = part.WritePartial(dir)
		require.NoError(t, err)
	}
	parts, err := sweep.ReadPartials(dir)
	require.NoError(t, err)
	merged, err := sweep.Merge(parts...)
	require.NoError(t, err)
	require.Equal(t, want, outputs(t, merged), "3 shards merged")

	var b bytes.Buffer
	require.NoError(t, merged.WriteMetrics(&b, "csv", []metrics.ID{metrics.ID(metrics.Count + 2), metrics.CircuitBreakerTrips}))
	require.Contains(t, b.String(), "2,steady_states,")
	require.ErrorContains(t, merged.WriteMetrics(&b, "csv", []metrics.ID{metrics.ID(metrics.Count + 3)}), "no metric 14")

	// A partial of a sweep without the scenario's metrics does not merge
	// with these.
	plain := *parts[0]
	plain.Metrics = nil
	_, err = sweep.Merge(&plain, parts[1], parts[2])
	require.ErrorContains(t, err, "the partials measure different metrics")
}

// TestUserMetricsScenarioDeterministic: the scenario of TestUserMetrics
// run twice with one seed gives the same trace.
func TestUserMetricsScenarioDeterministic(t *testing.T) {
	s, err := scenario.Load(filepath.Join("testdata", "user-metrics.yaml"))
	require.NoError(t, err)
	a, err := scenario.Run(s, scenario.Options{})
	require.NoError(t, err)
	b, err := scenario.Run(s, scenario.Options{})
	require.NoError(t, err)
	require.Equal(t, a.World.Trace().Hash(), b.World.Trace().Hash())
}
