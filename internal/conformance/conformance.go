// Package conformance locates the shared ECS conformance corpus for tests.
//
// The corpus (real task definitions, services and scaling requests, plus
// requests AWS rejects) lives beside the repository, at
// ../shared/conformance/ from the module root, in the ecssim workspace. A
// plain clone does not have it, so tests that need it call [Dir], which
// skips the test with a clear message when the corpus is absent. Never copy
// corpus files into the repository: testdata/ holds documents the project
// writes itself.
package conformance

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of the corpus folder sub (for example
// "taskdefs" or "invalid"): <module root>/../shared/conformance/<sub>, where
// the module root is the nearest directory at or above the working
// directory that holds go.mod. When the folder does not exist, Dir calls
// tb.Skip, naming the path it looked for.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	dir, ok := Path(sub)
	if !ok {
		tb.Skipf("conformance corpus not found at %s: it lives beside the repository in the ecssim workspace (../shared/conformance), not in a plain clone", dir)
	}
	return dir
}

// Path returns where the corpus folder sub is expected and whether it
// exists, without skipping; benchmarks and tools use it to fall back to
// testdata.
func Path(sub string) (string, bool) {
	root := moduleRoot()
	if root == "" {
		return filepath.Join("..", "shared", "conformance", sub), false
	}
	dir := filepath.Join(filepath.Dir(root), "shared", "conformance", sub)
	st, err := os.Stat(dir)
	return dir, err == nil && st.IsDir()
}

// moduleRoot walks up from the working directory to the directory holding
// go.mod, or returns "".
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !st.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
