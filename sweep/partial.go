package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/scenario"
)

// partialFormat marks a partial result file and its version.
const partialFormat = "ecssim-sweep-partial/1"

// partial is a partial result on disk. Values are text (see number), so
// that every float64, +Inf and NaN survives the round trip exactly.
type partial struct {
	Format  string       `json:"format"`
	Name    string       `json:"name"`
	Metrics []string     `json:"metrics"`
	Grid    []Axis       `json:"grid"`
	Seeds   []uint64     `json:"seeds"`
	Shard   int          `json:"shard"`
	Shards  int          `json:"shards"`
	Runs    []partialRun `json:"runs"`
}

type partialRun struct {
	Point  int      `json:"point"`
	Seed   uint64   `json:"seed"`
	Values []string `json:"values"`
}

// PartialName is the file name of shard i of n in a partial result
// directory.
func PartialName(shard, shards int) string {
	return fmt.Sprintf("shard-%d-of-%d.json", shard, shards)
}

// WritePartial writes the result into dir (created if need be) as
// [PartialName], for [ReadPartials] and [Merge].
func (r *Result) WritePartial(dir string) (string, error) {
	p := partial{Format: partialFormat, Name: r.Name, Grid: r.Grid, Seeds: r.Seeds, Shard: r.Shard, Shards: r.Shards}
	p.Metrics = metricNames(r.metricList())
	p.Runs = make([]partialRun, len(r.Runs))
	for i, run := range r.Runs {
		vals := make([]string, len(run.Values))
		for j, v := range run.Values {
			vals[j] = number(v)
		}
		p.Runs[i] = partialRun{Point: run.Point, Seed: run.Seed, Values: vals}
	}
	data, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := filepath.Join(dir, PartialName(r.Shard, r.Shards))
	return name, os.WriteFile(name, append(data, '\n'), 0o644)
}

// ReadPartial reads one partial result file.
func ReadPartial(name string) (*Result, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := scenario.ReadLimited(f, name, 1<<30)
	if err != nil {
		return nil, err
	}
	var p partial
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s is not a partial sweep result: %v", name, err)
	}
	if p.Format != partialFormat {
		return nil, fmt.Errorf("%s is not a partial sweep result of this version (format %q, want %q)", name, p.Format, partialFormat)
	}
	builtin := metricNames(metrics.All[:])
	if len(p.Metrics) < len(builtin) || !slices.Equal(p.Metrics[:len(builtin)], builtin) {
		return nil, fmt.Errorf("%s has the metrics %v; this version measures %v, then the scenario's own", name, p.Metrics, builtin)
	}
	ms := slices.Clone(metrics.All[:])
	for i, m := range p.Metrics[len(builtin):] {
		if m == "" || slices.Contains(p.Metrics[:len(builtin)+i], m) {
			return nil, fmt.Errorf("%s: metric %q is not a new name", name, m)
		}
		ms = append(ms, metrics.Metric{ID: metrics.ID(len(builtin) + i), Name: m})
	}
	if p.Shards < 1 || p.Shard < 0 || p.Shard >= p.Shards {
		return nil, fmt.Errorf("%s: shard %d/%d is not a shard", name, p.Shard, p.Shards)
	}
	points, err := countPoints(p.Grid)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	r := &Result{Name: p.Name, Grid: p.Grid, Seeds: p.Seeds, Shard: p.Shard, Shards: p.Shards, Metrics: ms, Runs: make([]RunResult, len(p.Runs))}
	for i, run := range p.Runs {
		if len(run.Values) != len(ms) || run.Point < 0 || run.Point >= points {
			return nil, fmt.Errorf("%s: run %d is malformed", name, i)
		}
		r.Runs[i] = RunResult{Point: run.Point, Seed: run.Seed, Values: make([]float64, len(ms))}
		for j, text := range run.Values {
			v, err := parseNumber(text)
			if err != nil {
				return nil, fmt.Errorf("%s: run %d: %v", name, i, err)
			}
			r.Runs[i].Values[j] = v
		}
	}
	return r, nil
}

func parseNumber(s string) (float64, error) {
	switch s {
	case "":
		return math.NaN(), nil
	case "inf":
		return math.Inf(1), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("value %q is not a number", s)
	}
	return v, nil
}

// ReadPartials reads every partial result file (shard-*-of-*.json) in
// the directories, in name order.
func ReadPartials(dirs ...string) ([]*Result, error) {
	var out []*Result
	for _, dir := range dirs {
		names, err := filepath.Glob(filepath.Join(dir, "shard-*-of-*.json"))
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			if _, err := os.Stat(dir); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("%s holds no partial result (shard-I-of-N.json)", dir)
		}
		slices.Sort(names)
		for _, name := range names {
			r, err := ReadPartial(name)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// Merge joins the partial results of every shard of one sweep into the
// result one run of the whole sweep gives. The partials must be of the
// same sweep (scenario name, grid, seeds, number of shards), and hold
// each shard exactly once.
func Merge(parts ...*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, errors.New("no partial results to merge")
	}
	first := parts[0]
	n := first.Shards
	have := make([]bool, n)
	seedPos := map[uint64]int{}
	for i, s := range first.Seeds {
		seedPos[s] = i
	}
	merged := &Result{Name: first.Name, Grid: first.Grid, Seeds: first.Seeds, Shards: 1, Metrics: first.Metrics}
	for _, p := range parts {
		switch {
		case p.Name != first.Name:
			return nil, fmt.Errorf("the partials are of different scenarios (%s, %s)", first.Name, p.Name)
		case !sameGrid(p.Grid, first.Grid):
			return nil, fmt.Errorf("the partials are of different grids")
		case !slices.Equal(p.Seeds, first.Seeds):
			return nil, fmt.Errorf("the partials are of different seeds (%s, %s)", SeedsText(first.Seeds), SeedsText(p.Seeds))
		case !slices.Equal(metricNames(p.metricList()), metricNames(first.metricList())):
			return nil, fmt.Errorf("the partials measure different metrics (%v, %v)", metricNames(first.metricList()), metricNames(p.metricList()))
		case p.Shards != n:
			return nil, fmt.Errorf("the partials cut the sweep differently (%d and %d shards)", n, p.Shards)
		case have[p.Shard]:
			return nil, fmt.Errorf("shard %d of %d appears twice", p.Shard, n)
		}
		have[p.Shard] = true
		merged.Runs = append(merged.Runs, p.Runs...)
	}
	for i, ok := range have {
		if !ok {
			return nil, fmt.Errorf("shard %d of %d is missing", i, n)
		}
	}
	index := func(r RunResult) int { return r.Point*len(first.Seeds) + seedPos[r.Seed] }
	slices.SortFunc(merged.Runs, func(a, b RunResult) int { return index(a) - index(b) })
	points, err := countPoints(first.Grid)
	if err != nil {
		return nil, err
	}
	want := points * len(first.Seeds)
	if len(merged.Runs) != want {
		return nil, fmt.Errorf("the partials hold %d runs; the sweep has %d", len(merged.Runs), want)
	}
	for i, r := range merged.Runs {
		if _, ok := seedPos[r.Seed]; !ok || index(r) != i {
			return nil, fmt.Errorf("the partials do not hold each run of the sweep once (run %d)", i)
		}
	}
	return merged, nil
}

func sameGrid(a, b []Axis) bool {
	return slices.EqualFunc(a, b, func(x, y Axis) bool { return x.Name == y.Name && slices.Equal(x.Values, y.Values) })
}
