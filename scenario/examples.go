package scenario

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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
func LoadExample(name string) (*Scenario, error) { return LoadExampleWith(name, nil) }

// LoadExampleWith is [LoadExample] with parameter values that replace the
// defaults of the example's params block.
func LoadExampleWith(name string, set Settings) (*Scenario, error) {
	ex, err := findExample(name)
	if err != nil {
		return nil, err
	}
	return LoadFSWith(examplesFS, ex.File, set)
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

// ExportExample writes the embedded example called name (with or without
// the "example:" prefix) into dir: the scenario as dir/<name>.yaml and
// every input file it names at the same path relative to it, so that the
// exported copy runs as it is and can be edited. dir is created if needed;
// no existing file is overwritten. It returns the paths written.
func ExportExample(name, dir string) ([]string, error) {
	ex, err := findExample(name)
	if err != nil {
		return nil, err
	}
	s, err := LoadFS(examplesFS, ex.File)
	if err != nil {
		return nil, err
	}
	files := []string{path.Base(ex.File)}
	for _, st := range s.Steps {
		rel := strings.TrimPrefix(st.InputFile, "file://")
		if rel != "" && !slices.Contains(files, rel) {
			files = append(files, rel)
		}
	}
	// Check first, so that a refused export writes nothing.
	for _, rel := range files {
		if !fs.ValidPath(rel) {
			return nil, fmt.Errorf("example %s names input file %q outside its directory", ex.Name, rel)
		}
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel))); err == nil {
			return nil, fmt.Errorf("%s already exists; nothing was written", filepath.Join(dir, filepath.FromSlash(rel)))
		}
	}
	var written []string
	for _, rel := range files {
		data, err := fs.ReadFile(examplesFS, path.Join(examplesDir, rel))
		if err != nil {
			return written, err
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return written, err
		}
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return written, err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, err
		}
		written = append(written, dst)
	}
	return written, nil
}
