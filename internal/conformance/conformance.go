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
		tb.Skipf("conformance corpus not found at %s: it sits beside the repository (../shared/conformance) and a plain clone does not have it", dir)
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
