package sweephtml_test

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/report/sweephtml"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sweep"
)

var update = flag.Bool("update", false, "rewrite golden files")

// circuitBreaker is a small sweep: the circuit-breaker example, four
// seeds, two desired counts.
func circuitBreaker() sweep.Spec {
	return sweep.Spec{
		Name: "circuit-breaker-rollback",
		Load: func(set scenario.Settings) (*scenario.Scenario, error) {
			return scenario.LoadExampleWith("circuit-breaker-rollback", set)
		},
		Grid:  []sweep.Axis{{Name: "desired", Values: []string{"3", "6"}}},
		Seeds: sweep.SeedRange(1, 4),
	}
}

var opts = sweephtml.Options{Scenario: "example:circuit-breaker-rollback"}

func page(t *testing.T, r *sweep.Result, o sweephtml.Options) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, sweephtml.Write(&b, r, o))
	return b.String()
}

// TestGolden compares the page of a small sweep with testdata; -update
// rewrites it.
func TestGolden(t *testing.T) {
	r, err := sweep.Run(circuitBreaker(), sweep.Options{Workers: 2})
	require.NoError(t, err)
	got := page(t, r, opts)
	file := filepath.Join("testdata", "circuit-breaker-rollback.html")
	if *update {
		require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "missing golden file; run go test ./report/sweephtml -update")
	require.Equal(t, string(want), got, "%s differs; if the change is intended, run go test ./report/sweephtml -update and review the diff", file)
}

// TestSameBytesWhateverTheWorkersAndShards: 1 worker, 2 workers and 3
// shards merged give the same page.
func TestSameBytesWhateverTheWorkersAndShards(t *testing.T) {
	spec := circuitBreaker()
	one, err := sweep.Run(spec, sweep.Options{Workers: 1})
	require.NoError(t, err)
	two, err := sweep.Run(spec, sweep.Options{Workers: 2})
	require.NoError(t, err)
	want := page(t, one, opts)
	require.Equal(t, want, page(t, two, opts), "2 workers")

	dir := t.TempDir()
	for shard := range 3 {
		r, err := sweep.Run(spec, sweep.Options{Workers: 2, Shard: shard, Shards: 3})
		require.NoError(t, err)
		_, err = r.WritePartial(dir)
		require.NoError(t, err)
	}
	parts, err := sweep.ReadPartials(dir)
	require.NoError(t, err)
	merged, err := sweep.Merge(parts...)
	require.NoError(t, err)
	require.Equal(t, want, page(t, merged, opts), "3 shards merged")
}

// userResult is a sweep result made by hand, with a metric of the
// scenario's own named like markup, a grid value with a quote, a run
// that never reached the state and one that did not measure it.
func userResult() *sweep.Result {
	evil := metrics.Metric{ID: metrics.ID(metrics.Count), Name: `<script>alert("x")</script>&'`, Unit: ""}
	ms := append(append([]metrics.Metric(nil), metrics.All[:]...), evil)
	r := &sweep.Result{Name: `a<b>"c"`, Grid: []sweep.Axis{{Name: "size", Values: []string{`1 & "2"`, "x<y"}}},
		Seeds: sweep.SeedRange(1, 5), Shards: 1, Metrics: ms}
	for p := range 2 {
		for seed := uint64(1); seed <= 5; seed++ {
			v := make([]float64, len(ms))
			v[metrics.TimeToSteady] = float64(seed * 30)
			if seed == 3 {
				v[metrics.TimeToSteady] = math.Inf(1)
			}
			v[metrics.DeployTime] = math.NaN()
			v[metrics.Passed] = 1
			v[metrics.Count] = float64(seed) + float64(p)
			if seed == 5 {
				v[metrics.Count] = math.NaN()
			}
			r.Runs = append(r.Runs, sweep.RunResult{Point: p, Seed: seed, Values: v})
		}
	}
	return r
}

// TestEscaping: names of metrics, scenarios and parameter values are
// text, never markup; replay commands quote them for the shell.
func TestEscaping(t *testing.T) {
	got := page(t, userResult(), sweephtml.Options{})
	for _, raw := range []string{"<script", `a<b>`, `x<y`, `1 & "2"`} {
		require.False(t, strings.Contains(got, raw), "%s is in the page unescaped", raw)
	}
	require.Contains(t, got, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#39;`)
	require.Contains(t, got, `data-metric="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#39;"`)
	require.Contains(t, got, `<title>Sweep of a&lt;b&gt;&#34;c&#34;</title>`)
	// The command a shell runs: the scenario and the setting quoted.
	require.Contains(t, got, `ecssim run &#39;a&lt;b&gt;&#34;c&#34;&#39; --seed 1 --set &#39;size=1 &amp; &#34;2&#34;&#39;`)
	// Every tag the page opens is one of the page's own.
	tags := map[string]bool{}
	for _, m := range regexp.MustCompile(`<([a-zA-Z0-9]+)`).FindAllStringSubmatch(got, -1) {
		tags[m[1]] = true
	}
	for tag := range tags {
		require.Contains(t, []string{"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "code", "nav", "b", "a",
			"main", "section", "figure", "figcaption", "div", "span", "svg", "line", "g", "i", "br", "table", "tr", "th", "td"}, tag)
	}
}

// TestPointsAndMarks checks the page's data: per metric and grid point,
// one tick per seed where the metric applies, and the four marks.
func TestPointsAndMarks(t *testing.T) {
	r := userResult()
	got := page(t, r, sweephtml.Options{Scenario: "my.yaml"})
	fig := regexp.MustCompile(`(?s)data-metric="([^"]*)">(.*?)</figure>`)
	figs := fig.FindAllStringSubmatch(got, -1)
	require.Len(t, figs, len(r.Metrics)-1, "every metric but passed")
	counts := map[string][]int{}
	for _, f := range figs {
		for _, g := range regexp.MustCompile(`data-points="(\d+)">(.*?)</g>`).FindAllStringSubmatch(f[2], -1) {
			n := strings.Count(g[2], "data-seed=")
			require.Equal(t, g[1], strconv.Itoa(n), f[1])
			counts[f[1]] = append(counts[f[1]], n)
		}
	}
	require.Equal(t, []int{5, 5}, counts["time_to_steady"], "never counts")
	require.Equal(t, []int{0, 0}, counts["deploy_time"], "not measured")
	require.Equal(t, []int{4, 4}, counts[`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#39;`])
	require.Equal(t, 2*(len(r.Metrics)-1-1)*4, strings.Count(got, "data-mark="), "four marks per grid point of each metric measured")
	require.Contains(t, got, `<code data-replay="max">ecssim run my.yaml --seed 3 --set &#39;size=1 &amp; &#34;2&#34;&#39;</code>`, "the never run is the maximum")
	require.Contains(t, got, `class="seed never" data-seed="3"`)
}

// TestMetricsOption shows only the chosen metrics, in their order.
func TestMetricsOption(t *testing.T) {
	r := userResult()
	got := page(t, r, sweephtml.Options{Metrics: []metrics.ID{metrics.ID(metrics.Count), metrics.CostUSD, metrics.Passed}})
	var shown []string
	for _, m := range regexp.MustCompile(`data-metric="([^"]*)"`).FindAllStringSubmatch(got, -1) {
		shown = append(shown, m[1])
	}
	require.Equal(t, []string{`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#39;`, "cost_usd"}, shown, "passed is in the titles")
	require.Equal(t, 2*2, strings.Count(got, `<td><a href="#m-`), "the summary has a row per chosen metric and grid point")
	require.EqualError(t, sweephtml.Write(&bytes.Buffer{}, r, sweephtml.Options{Metrics: []metrics.ID{12}}), "no metric 12: the sweep measured 12")
}
