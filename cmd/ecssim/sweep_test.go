package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSweepGolden compares the outputs and errors of ecssim sweep with
// the golden files in testdata/sweep.
func TestSweepGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"table", []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "6", "--grid", "desired=3,6"}},
		{"csv", []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "6", "--grid", "desired=3,6", "--format", "csv"}},
		{"json", []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "6", "--grid", "desired=3,6", "--format", "json"}},
		{"no-grid", []string{"sweep", "example:nginx-rolling-update", "--seeds", "11-15", "--workers", "2"}},
		{"some-metrics", []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "4", "--grid", "desired=3,6", "--metrics", "cost_usd,time_to_steady"}},
		{"some-metrics-json", []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "4", "--metrics", "passed", "--format", "json"}},
		{"unknown-metric", []string{"sweep", "example:circuit-breaker-rollback", "--metrics", "time_to_stedy"}},
		{"file-grid", []string{"sweep", "example:deploy-at-peak", "--seeds", "2", "--metrics", "time_to_steady"}},
		{"file-seeds", []string{"sweep", "example:deploy-at-peak", "--grid", "desired=8", "--grid", "cpu=1024", "--metrics", "passed", "--format", "csv"}},
		{"user-metrics", []string{"sweep", filepath.Join("testdata", "sweep", "user-metrics.yaml"), "--seeds", "3", "--grid", "desired=2,3", "--format", "csv"}},
		{"some-user-metrics", []string{"sweep", filepath.Join("testdata", "sweep", "user-metrics.yaml"), "--seeds", "2", "--metrics", "steady_states,running_at_5m,cb_trips"}},
		{"unknown-user-metric", []string{"sweep", filepath.Join("testdata", "sweep", "user-metrics.yaml"), "--metrics", "steady_state"}},
		{"bad-seeds", []string{"sweep", "example:nginx-rolling-update", "--seeds", "5-1"}},
		{"bad-grid", []string{"sweep", "example:nginx-rolling-update", "--grid", "desired"}},
		{"grid-value-twice", []string{"sweep", "example:circuit-breaker-rollback", "--grid", "desired=3,3"}},
		{"unknown-parameter", []string{"sweep", "example:nginx-rolling-update", "--seeds", "2", "--grid", "desired=3,6"}},
		{"bad-value", []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "2", "--grid", "desired=3,lots"}},
		{"shard-without-out", []string{"sweep", "example:nginx-rolling-update", "--shard", "0/4"}},
		{"bad-shard", []string{"sweep", "example:nginx-rolling-update", "--shard", "4/4", "--out", "x"}},
		{"bad-format", []string{"sweep", "example:nginx-rolling-update", "--format", "xml"}},
		{"merge-nothing", []string{"sweep", "merge", filepath.Join("testdata", "sweep")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runCmd(tc.args...).format(tc.args)
			runGolden(t, filepath.Join("testdata", "sweep", tc.name+".golden"), got)
		})
	}
}

// TestSweepShardsMerged shows that shards written to directories and
// merged print what one run of the whole sweep prints, in every format.
func TestSweepShardsMerged(t *testing.T) {
	sweep := []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "10", "--grid", "desired=3,6,10"}
	dir := t.TempDir()
	for i := range 4 {
		out := filepath.Join(dir, []string{"a", "b"}[i%2]) // shards spread over two directories
		r := runCmd(append(sweep, "--shard", string(rune('0'+i))+"/4", "--out", out)...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Empty(t, r.stdout)
		require.Contains(t, r.stderr, "(shard "+string(rune('0'+i))+" of 4)")
	}
	for _, format := range []string{"table", "csv", "json"} {
		whole := runCmd(append(sweep, "--format", format, "--workers", "3")...)
		require.Equal(t, 0, whole.code, whole.stderr)
		merged := runCmd("sweep", "merge", filepath.Join(dir, "a"), filepath.Join(dir, "b"), "--format", format)
		require.Equal(t, 0, merged.code, merged.stderr)
		require.Equal(t, whole.stdout, merged.stdout, format)
	}
	missing := runCmd("sweep", "merge", filepath.Join(dir, "a"))
	require.Equal(t, 2, missing.code)
	require.Equal(t, "ecssim: shard 1 of 4 is missing\n", missing.stderr)
}

// TestSweepIndexedJob runs a sweep the way a Kubernetes Indexed Job does
// (docs/sweeps.md): four processes of the ecssim binary, each with its
// JOB_COMPLETION_INDEX, which the Job's args pass to --shard as
// $(JOB_COMPLETION_INDEX)/4 and Kubernetes expands. The merged result is
// what one process running the whole sweep prints.
func TestSweepIndexedJob(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; not in -short")
	}
	bin := filepath.Join(t.TempDir(), "ecssim")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	dir := t.TempDir()
	args := []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "8", "--grid", "desired=3,6",
		"--shard", "$(JOB_COMPLETION_INDEX)/4", "--out", dir, "--quiet"}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			index := string(rune('0' + i))
			// Kubernetes expands $(VAR) in a container's args from its
			// environment.
			expanded := make([]string, len(args))
			for j, a := range args {
				expanded[j] = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", index)
			}
			cmd := exec.Command(bin, expanded...)
			cmd.Env = append(os.Environ(), "JOB_COMPLETION_INDEX="+index)
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = err
				t.Logf("shard %s: %s", index, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	merged, err := exec.Command(bin, "sweep", "merge", dir).Output()
	require.NoError(t, err)
	whole, err := exec.Command(bin, "sweep", "example:circuit-breaker-rollback", "--seeds", "8", "--grid", "desired=3,6").Output()
	require.NoError(t, err)
	require.Equal(t, string(whole), string(merged))
}

// TestSweepReport writes the HTML page of a sweep with --report, beside
// the table; the page is the same with 1 worker or 2, and merging the
// shards with --report and --scenario writes the same bytes.
func TestSweepReport(t *testing.T) {
	dir := t.TempDir()
	args := []string{"sweep", "example:circuit-breaker-rollback", "--seeds", "4", "--grid", "desired=3,6"}
	page := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return string(b)
	}
	plain := runCmd(args...)
	require.Equal(t, 0, plain.code, plain.stderr)
	for _, workers := range []string{"1", "2"} {
		r := runCmd(append(args, "--workers", workers, "--report", filepath.Join(dir, "w"+workers+".html"))...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Equal(t, plain.stdout, r.stdout, "--report changes no output")
	}
	want := page("w1.html")
	require.Equal(t, want, page("w2.html"))
	require.Contains(t, want, "<code data-replay=\"max\">ecssim run example:circuit-breaker-rollback --seed ")

	for i := range 3 {
		r := runCmd(append(args, "--shard", string(rune('0'+i))+"/3", "--out", filepath.Join(dir, "parts"))...)
		require.Equal(t, 0, r.code, r.stderr)
	}
	merged := runCmd("sweep", "merge", filepath.Join(dir, "parts"), "--report", filepath.Join(dir, "merged.html"), "--scenario", "example:circuit-breaker-rollback")
	require.Equal(t, 0, merged.code, merged.stderr)
	require.Equal(t, plain.stdout, merged.stdout)
	require.Equal(t, want, page("merged.html"), "shards merged")

	some := runCmd(append(args, "--metrics", "cost_usd,time_to_steady", "--report", filepath.Join(dir, "some.html"))...)
	require.Equal(t, 0, some.code, some.stderr)
	require.Equal(t, 2, strings.Count(page("some.html"), `data-chart="distribution"`), "--metrics chooses the page's metrics")
	require.Less(t, strings.Index(page("some.html"), `data-metric="cost_usd"`), strings.Index(page("some.html"), `data-metric="time_to_steady"`))

	noScenario := runCmd("sweep", "merge", filepath.Join(dir, "parts"), "--report", filepath.Join(dir, "named.html"))
	require.Equal(t, 0, noScenario.code, noScenario.stderr)
	require.Contains(t, page("named.html"), "ecssim run circuit-breaker-rollback --seed ", "without --scenario, the scenario's name")

	bad := []struct {
		args []string
		err  string
	}{
		{append(args, "--report", filepath.Join(dir, "x.html"), "--shard", "0/2", "--out", dir), "ecssim: --report needs the whole sweep: with --out, write it with ecssim sweep merge DIR... --report FILE\n"},
		{append(args, "--report", filepath.Join(dir, "no", "such", "dir", "x.html")), "ecssim: --report: open " + filepath.Join(dir, "no", "such", "dir", "x.html") + ": no such file or directory\n"},
		{[]string{"sweep", "merge", filepath.Join(dir, "parts"), "--scenario", "x.yaml"}, "ecssim: --scenario names the scenario in the --report page; it needs --report FILE\n"},
	}
	for _, b := range bad {
		r := runCmd(b.args...)
		require.NotZero(t, r.code, b.args)
		require.Equal(t, b.err, r.stderr, b.args)
		require.Empty(t, r.stdout)
	}
}
