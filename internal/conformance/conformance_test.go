package conformance

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestModuleRootHoldsGoMod(t *testing.T) {
	root := moduleRoot()
	require.NotEmpty(t, root)
	require.FileExists(t, filepath.Join(root, "go.mod"))
}

func TestPathIsBesideTheModule(t *testing.T) {
	dir, _ := Path("taskdefs")
	require.Equal(t, filepath.Join(filepath.Dir(moduleRoot()), "shared", "conformance", "taskdefs"), dir)
}

func TestDirSkipsWhenAbsent(t *testing.T) {
	var skipped bool
	t.Run("absent", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Dir(t, "no-such-folder-in-the-corpus")
		t.Fatal("Dir returned for a missing folder")
	})
	require.True(t, skipped)
}

func TestDirFindsTheCorpusWhenPresent(t *testing.T) {
	dir := Dir(t, "taskdefs")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.NotEmpty(t, entries)
}
