package scenario

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"
)

// FuzzScenario feeds arbitrary bytes to the parser as a scenario file:
// it must return a scenario or errors, never panic. Scenarios that parse
// are run for two simulated minutes, which must not panic either. Input
// files resolve in the embedded examples, so the seeds run whole.
func FuzzScenario(f *testing.F) {
	_ = fs.WalkDir(examplesFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".yaml" {
			b, _ := fs.ReadFile(examplesFS, p)
			f.Add(b)
		}
		return nil
	})
	for _, pattern := range []string{"testdata/*.yaml", "testdata/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			b, _ := os.ReadFile(file)
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "steps: []", "{", "- a", "steps: [{at: 0s, call: ecs:CreateCluster, input: *x}]",
		"a: &a [*a]", "steps:\n  - {at: 1d, call: sim:CrashTask, input: {task: x}}\nexpect: [{at: 0, service: a/b, tasks: {RUNNING: 1}}]",
		"\xff\xfe", "steps: !!binary aGVsbG8=", "seed: 0x10\nsteps: []\nexpect: [{at: 1m, service: x, createdAt: 2026-01-01T00:00:00Z}]",
		"params: {n: 3, s: {type: string}}\nsteps: [{at: 0s, call: ecs:CreateCluster, input: {clusterName: \"c${n}$${x}\"}}]",
		"params: {n: 3}\nsweep: {seeds: 2-9, grid: {n: [1, 0x2]}}\nsteps: []",
		"params: {a: &a {type: int, default: 1}, b: *a}\nsteps: []\nexpect: [{at: \"${a}m\", service: x, runningCount: ${b}}]",
		"steps: []\nmetrics: [{name: a, service: x/y, field: runningCount, at: 1m}, {name: b, count: SERVICE_STEADY_STATE}, {name: c, count: ECS Task State Change, service: x}]",
	} {
		f.Add([]byte(s))
	}
	read := func(rel string) (string, []byte, error) {
		p := path.Join("examples", rel)
		b, err := fs.ReadFile(examplesFS, p)
		return p, b, err
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parse("examples/fuzz.yaml", data, read, nil)
		if err != nil {
			if s != nil {
				t.Fatal("a scenario and an error")
			}
			if err.Error() == "" {
				t.Fatal("an empty error")
			}
			return
		}
		if _, err := Run(s, Options{Duration: 2 * time.Minute}); err != nil {
			_ = err.Error()
		}
	})
}

// FuzzParseDuration checks that ParseDuration never panics, never returns
// a negative or over-long duration, and that what it accepts prints back
// (FormatDuration) to a text it reads as the same duration.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"0s", "30", "1.5", "1h30m", "250ms", "2d", "1d12h", "1d2562047h47m16s",
		"36500d", "36499d24h1ns", "-1s", "NaN", "1e300", "65535d", "9223372036854775807ns", "0x10", " 1m "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if d != 0 || err.Error() == "" {
				t.Fatalf("ParseDuration(%q) = %v, %v", s, d, err)
			}
			return
		}
		if d < 0 || d > maxDuration {
			t.Fatalf("ParseDuration(%q) = %v: out of range", s, d)
		}
		back, err := ParseDuration(FormatDuration(d))
		if err != nil || back != d {
			t.Fatalf("ParseDuration(FormatDuration(%v)) = %v, %v", d, back, err)
		}
	})
}

// FuzzSettings checks that any --set value, for every parameter type,
// gives a scenario or a list of errors, never a panic.
func FuzzSettings(f *testing.F) {
	for _, s := range []string{"3", "-1", "0x10", "1e400", "true", "90s", "${n}", "", "\xff"} {
		f.Add(s)
	}
	src := []byte(`params:
  i: {type: int, default: 1}
  n: {type: number, default: 1.5}
  b: {type: bool, default: true}
  s: {type: string, default: x}
  d: {type: duration, default: 1m}
steps:
  - {at: "${d}", call: ecs:CreateCluster, input: {clusterName: "c-${s}-${i}"}}
expect:
  - {at: "${d}", service: "c-${s}-${i}/web", runningCount: ${i}}
`)
	f.Fuzz(func(t *testing.T, value string) {
		for _, name := range []string{"i", "n", "b", "s", "d"} {
			s, err := ParseWith("f.yaml", src, Settings{name: value})
			if (s == nil) == (err == nil) {
				t.Fatalf("--set %s=%q: a scenario and an error, or neither", name, value)
			}
		}
	})
}
