package ecs

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/internal/conformance"
	"github.com/ecssim/ecssim/sim"
)

// tdTestStart is the virtual clock of the task definition tests.
var tdTestStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// newTDModel returns an ECS model with its actions in a fresh table.
func newTDModel(tb testing.TB) (*ECS, *api.Table, *sim.Engine) {
	tb.Helper()
	eng := sim.New(1, sim.FromTime(tdTestStart))
	m := New(eng, Config{Region: "us-east-1", AccountID: "123456789012"})
	t := api.NewTable()
	m.Register(t)
	return m, t, eng
}

// invoke runs an action with a JSON document and decodes the output into a
// generic value.
func invoke(tb testing.TB, t *api.Table, action string, input string) (map[string]any, error) {
	tb.Helper()
	out, err := t.Invoke(action, []byte(input))
	if err != nil {
		return nil, err
	}
	var v map[string]any
	require.NoError(tb, json.Unmarshal(out, &v))
	return v, nil
}

// mustInvoke is invoke that fails the test on error.
func mustInvoke(tb testing.TB, t *api.Table, action string, input string) map[string]any {
	tb.Helper()
	v, err := invoke(tb, t, action, input)
	require.NoError(tb, err, "%s %s", action, input)
	return v
}

// docFile is one JSON document of a folder.
type docFile struct {
	name string
	data []byte
}

// readDocs reads the *.json files of dir, sorted by name.
func readDocs(tb testing.TB, dir string) []docFile {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(tb, err)
	slices.Sort(paths)
	out := make([]docFile, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(tb, err)
		out = append(out, docFile{name: filepath.Base(p), data: b})
	}
	return out
}

// taskdefDocs returns the corpus task definitions when the corpus is
// present, else the project's own testdata/taskdefs documents, and says
// which it used.
func taskdefDocs(tb testing.TB) ([]docFile, string) {
	tb.Helper()
	if dir, ok := conformance.Path("taskdefs"); ok {
		return readDocs(tb, dir), "corpus " + dir
	}
	return readDocs(tb, filepath.Join("testdata", "taskdefs")), "testdata/taskdefs"
}

// canonicalInput decodes a RegisterTaskDefinition document the way the
// action table does and re-encodes it, so that key spelling and duplicate
// keys are resolved as the decoder resolves them.
func canonicalInput(tb testing.TB, doc []byte) map[string]any {
	tb.Helper()
	in, err := api.DecodeStrict(doc, reflect.TypeFor[RegisterTaskDefinitionInput]())
	require.NoError(tb, err)
	b, err := json.Marshal(in)
	require.NoError(tb, err)
	var v map[string]any
	require.NoError(tb, json.Unmarshal(b, &v))
	return v
}

// subsetDiff reports where want is not contained in got: every key of a
// want object must be in the got object with a contained value, lists
// must have the same length and contained elements, scalars must be equal.
// The task-level cpu and memory are compared after normalisation, and the
// ECS-set keys may be added freely. It returns "" when want ⊆ got.
func subsetDiff(want, got any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %v", path, got)
		}
		for _, k := range sortedKeys(w) {
			p := k
			if path != "" {
				p = path + "." + k
			}
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s: missing from the described definition", p)
			}
			wv := w[k]
			if path == "" && (k == "cpu" || k == "memory") {
				s, _ := wv.(string)
				var n int
				if k == "cpu" {
					n, _ = parseTaskCPU(s)
				} else {
					n, _ = parseTaskMemory(s)
				}
				wv = fmt.Sprint(n)
			}
			if d := subsetDiff(wv, gv, p); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %d elements, got %v", path, len(w), got)
		}
		for i := range w {
			if d := subsetDiff(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			return fmt.Sprintf("%s: want %v, got %v", path, want, got)
		}
		return ""
	}
}

// sameProblem reports whether an error message names the problem an
// expected AWS message names: one contains the other once both are
// trimmed of a final period and surrounding space.
func sameProblem(got, want string) bool {
	norm := func(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ".") }
	g, w := norm(got), norm(want)
	return g != "" && w != "" && (strings.Contains(g, w) || strings.Contains(w, g))
}
