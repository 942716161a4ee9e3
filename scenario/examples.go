package scenario

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// DefaultExample names the example that `ecssim run` runs when given no
// scenario: the getting-started nginx service on Fargate and a rolling
// update of it.
const DefaultExample = "nginx-rolling-update"

// ExamplePrefix is how the command line names an embedded example:
// "example:circuit-breaker-rollback".
const ExamplePrefix = "example:"

//go:embed examples
var examplesFS embed.FS

// examplesDir is the directory of the examples inside examplesFS.
const examplesDir = "examples"

// Example is an embedded example scenario.
type Example struct {
	// Name is the file name without ".yaml"; `ecssim run example:<Name>`
	// runs it.
	Name string
	// Description is the scenario's one-line description.
	Description string
	// File is its path in [ExamplesFS].
	File string
}

// ExamplesFS returns the embedded example files: examples/<name>.yaml and
// the input files they name.
func ExamplesFS() fs.FS { return examplesFS }

// Examples lists the embedded examples, sorted by name.
func Examples() []Example {
	entries, _ := fs.ReadDir(examplesFS, examplesDir)
	var out []Example
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok || e.IsDir() {
			continue
		}
		ex := Example{Name: name, File: path.Join(examplesDir, e.Name())}
		if s, err := LoadFS(examplesFS, ex.File); err == nil {
			ex.Description = s.Description
		}
		out = append(out, ex)
	}
	slices.SortFunc(out, func(a, b Example) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// LoadExample loads the embedded example called name (with or without
// the "example:" prefix).
func LoadExample(name string) (*Scenario, error) {
	ex, err := findExample(name)
	if err != nil {
		return nil, err
	}
	return LoadFS(examplesFS, ex.File)
}

// ExampleSource returns the text of the embedded example called name
// (with or without the "example:" prefix).
func ExampleSource(name string) ([]byte, error) {
	ex, err := findExample(name)
	if err != nil {
		return nil, err
	}
	return fs.ReadFile(examplesFS, ex.File)
}

func findExample(name string) (Example, error) {
	name = strings.TrimPrefix(name, ExamplePrefix)
	all := Examples()
	names := make([]string, len(all))
	for i, ex := range all {
		if ex.Name == name {
			return ex, nil
		}
		names[i] = ex.Name
	}
	return Example{}, fmt.Errorf("no example scenario %q; the examples are: %s", name, strings.Join(names, ", "))
}
