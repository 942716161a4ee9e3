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
	} {
		f.Add([]byte(s))
	}
	read := func(rel string) (string, []byte, error) {
		p := path.Join("examples", rel)
		b, err := fs.ReadFile(examplesFS, p)
		return p, b, err
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parse("examples/fuzz.yaml", data, read)
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
