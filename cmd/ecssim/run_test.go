package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/scenario"
)

// The -update flag rewrites the golden files: go test ./cmd/ecssim -update.
// Other test files of this package may register it too; whoever comes
// first does, and everyone reads it through updating.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// cmdResult is what one command line did.
type cmdResult struct {
	code           int
	stdout, stderr string
}

func runCmd(args ...string) cmdResult {
	var out, errb bytes.Buffer
	code := execute(args, &out, &errb)
	return cmdResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// format lays a cmdResult out as a golden file.
func (r cmdResult) format(args []string) string {
	return fmt.Sprintf("$ ecssim %s\nexit status %d\n-- stdout --\n%s-- stderr --\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
}

// runGolden compares got with the file, or rewrites the file with -update.
func runGolden(t *testing.T, file, got string) {
	t.Helper()
	if updating() {
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "missing golden file; run go test ./cmd/ecssim -update")
	require.Equal(t, string(want), got, "%s differs; if the change is intended, run go test ./cmd/ecssim -update and review the diff", file)
}

// TestRunExamplesGolden runs every embedded example and compares its
// report and its events file with the golden files.
func TestRunExamplesGolden(t *testing.T) {
	for _, ex := range scenario.Examples() {
		t.Run(ex.Name, func(t *testing.T) {
			events := filepath.Join(t.TempDir(), "events.jsonl")
			args := []string{"run", scenario.ExamplePrefix + ex.Name, "--events", events}
			if ex.Name == scenario.DefaultExample {
				args = []string{"run", "--events", events} // what the README's first command runs
			}
			r := runCmd(args...)
			require.Equal(t, 0, r.code, r.stderr)
			require.Empty(t, r.stderr)
			shown := append([]string{}, args...)
			shown[len(shown)-1] = "events.jsonl"
			runGolden(t, filepath.Join("testdata", "run", ex.Name+".golden"), r.format(shown))
			b, err := os.ReadFile(events)
			require.NoError(t, err)
			runGolden(t, filepath.Join("testdata", "run", ex.Name+".events.jsonl"), string(b))
		})
	}
}

// TestRunErrorsGolden runs the error paths: each case's exit status,
// stdout and stderr are in testdata/run/errors/<name>.golden.
func TestRunErrorsGolden(t *testing.T) {
	dir := filepath.Join("testdata", "run", "errors")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"bad-yaml", []string{"run", filepath.Join(dir, "bad-yaml.yaml")}, 2},
		{"unknown-call", []string{"run", filepath.Join(dir, "unknown-call.yaml")}, 2},
		{"missing-inputfile", []string{"run", filepath.Join(dir, "missing-inputfile.yaml")}, 2},
		{"many-problems", []string{"run", filepath.Join(dir, "many-problems.yaml")}, 2},
		{"failing-expect", []string{"run", filepath.Join(dir, "failing-expect.yaml")}, 1},
		{"failing-expect-quiet", []string{"run", "--quiet", filepath.Join(dir, "failing-expect.yaml")}, 1},
		{"failing-step", []string{"run", filepath.Join(dir, "failing-step.yaml")}, 1},
		{"no-such-file", []string{"run", filepath.Join(dir, "no-such-file.yaml")}, 2},
		{"no-such-example", []string{"run", "example:nope"}, 2},
		{"bad-duration-flag", []string{"run", "--duration", "soon"}, 2},
		{"bad-seed-flag", []string{"run", "--seed", "-1"}, 2},
		{"too-many-arguments", []string{"run", "a.yaml", "b.yaml"}, 2},
		{"events-dir-missing", []string{"run", "--events", filepath.Join(dir, "nope", "events.jsonl")}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCmd(tc.args...)
			require.Equal(t, tc.code, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			runGolden(t, filepath.Join(dir, tc.name+".golden"), r.format(tc.args))
		})
	}
}

func TestRunEventsToStdout(t *testing.T) {
	r := runCmd("run", "--events", "-")
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Greater(t, len(lines), 20)
	for _, line := range lines {
		var ev struct {
			Version    string          `json:"version"`
			ID         string          `json:"id"`
			DetailType string          `json:"detail-type"`
			Detail     json.RawMessage `json:"detail"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &ev), "stdout carries only events: %s", line)
		require.Equal(t, "0", ev.Version)
		require.Len(t, ev.ID, 36)
	}
	// The same events as the golden file.
	want, err := os.ReadFile(filepath.Join("testdata", "run", scenario.DefaultExample+".events.jsonl"))
	require.NoError(t, err)
	require.Equal(t, string(want), r.stdout)
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, r cmdResult)
	}{
		{"quiet success prints nothing", []string{"run", "--quiet"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code)
			require.Empty(t, r.stdout)
			require.Empty(t, r.stderr)
		}},
		{"seed", []string{"run", "--seed", "7"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code, r.stderr)
			require.Contains(t, r.stdout, "Scenario nginx-rolling-update (seed 7)")
		}},
		{"until stable", []string{"run", "--until-stable"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code, r.stderr)
			require.Contains(t, r.stdout, "Stopped once every service was stable, after 11m")
			require.Contains(t, r.stdout, "Expectations: 9 of 9 held.")
		}},
		{"shorter duration", []string{"run", "--duration", "12m"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code, r.stderr)
			require.Regexp(t, `Not checked: the expectation at 0:20:00 \(examples/nginx-rolling-update.yaml:\d+\); the run ended at 0:12:00.`, r.stdout)
			require.Contains(t, r.stdout, "Ran 12m of simulated time")
		}},
		{"verbose", []string{"run", "--verbose"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code, r.stderr)
			require.Contains(t, r.stdout, "PROVISIONING in us-east-1a")
			require.Contains(t, r.stdout, "api ecs:UpdateService")
			require.Contains(t, r.stdout, "INFO SERVICE_STEADY_STATE")
		}},
		{"a parameter set", []string{"run", "example:circuit-breaker-rollback", "--set", "desired=5"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code, r.stderr)
			require.Contains(t, r.stdout, "demo/web  ACTIVE  5 ")
		}},
		{"figures", []string{"run", "--figures"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code, r.stderr)
			require.Regexp(t, `(?m)^METRIC +VALUE\ntime_to_steady +1m24s\ndeploy_time +1m24s\nmin_running +3\n`, r.stdout)
			require.Regexp(t, `(?m)^passed +1$`, r.stdout)
		}},
		{"the scenario's metrics", []string{"run", "--figures", filepath.Join("testdata", "sweep", "user-metrics.yaml")}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code, r.stderr)
			require.Regexp(t, `(?m)^passed +1
running_at_5m +2
web_task_events +30
steady_states +2
`, r.stdout)
		}},
		{"a parameter set twice", []string{"run", "example:circuit-breaker-rollback", "--set", "desired=5", "--set", "desired=6"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 2, r.code)
			require.Equal(t, "ecssim: invalid argument for --set: desired is set twice\n", r.stderr)
		}},
		{"a malformed setting", []string{"run", "--set", "desired"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 2, r.code)
			require.Contains(t, r.stderr, `invalid argument for --set: "desired" must be name=value`)
		}},
		{"a setting of the wrong type", []string{"run", "example:circuit-breaker-rollback", "--set", "desired=many"}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 2, r.code)
			require.Contains(t, r.stderr, `examples/circuit-breaker-rollback.yaml: --set desired=many: parameter "desired" is of type int: want a whole number, not "many"`)
			require.Contains(t, r.stderr, "nothing was run")
		}},
		{"a scenario file", []string{"run", filepath.Join("..", "..", "scenario", "examples", "az-failure.yaml")}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 0, r.code, r.stderr)
			require.Contains(t, r.stdout, "Scenario az-failure (seed 11)")
		}},
		{"a failing scenario with events on stdout reports on stderr", []string{"run", "--events", "-", filepath.Join("testdata", "run", "errors", "failing-expect.yaml")}, func(t *testing.T, r cmdResult) {
			require.Equal(t, 1, r.code)
			require.Contains(t, r.stderr, "FAILED 0:05:00 demo/web runningCount: expected 5, observed 2")
			require.NotContains(t, r.stdout, "FAILED")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, runCmd(tc.args...))
		})
	}
}

func TestHelpHasExamples(t *testing.T) {
	for _, args := range [][]string{{"run", "--help"}, {"scenarios", "--help"}} {
		r := runCmd(args...)
		require.Equal(t, 0, r.code)
		require.Contains(t, r.stdout, "Examples:")
		require.Contains(t, r.stdout, "ecssim "+args[0])
	}
}

func TestCompletion(t *testing.T) {
	r := runCmd("completion", "bash")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "bash completion")

	r = runCmd("__complete", "run", "example:")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "example:circuit-breaker-rollback\t")
	require.Contains(t, r.stdout, ":4\n", "no file completion after example:")

	r = runCmd("__complete", "run", "")
	require.Contains(t, r.stdout, "example:az-failure\t")
	require.Contains(t, r.stdout, ":0\n", "files complete too")
}

func TestInputSummary(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`{"clusterName":"demo"}`, "clusterName=demo"},
		{`{"cluster":"demo","desiredCount":3,"force":true}`, "cluster=demo desiredCount=3 force=true"},
		{`{"family":"web","containerDefinitions":[{}]}`, "family=web …"},
		{`{}`, ""},
		{`[1]`, ""},
		{`{"a":"` + strings.Repeat("x", 100) + `"}`, "…"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, inputSummary([]byte(tc.in), 90), tc.in)
	}
}

func TestProgressOffWithoutTerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true)
	require.False(t, p.enabled)
	p.update(1, 2)
	p.finish()
	require.Empty(t, b.String())
	require.Equal(t, &b, p.writer(&b))
}
