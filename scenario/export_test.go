package scenario_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/scenario"
)

func TestExportExample(t *testing.T) {
	dir := t.TempDir()
	written, err := scenario.ExportExample("example:target-tracking", dir)
	require.NoError(t, err)
	require.Equal(t, []string{
		filepath.Join(dir, "target-tracking.yaml"),
		filepath.Join(dir, "inputs", "nginx-taskdef.json"),
		filepath.Join(dir, "inputs", "nginx-cpu60-policy.json"),
	}, written)
	_, err = scenario.Load(written[0])
	require.NoError(t, err)

	// An existing file stops the export before anything is written.
	other := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(other, "inputs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(other, "inputs", "nginx-cpu60-policy.json"), []byte("mine"), 0o600))
	_, err = scenario.ExportExample("target-tracking", other)
	require.ErrorContains(t, err, "already exists")
	_, err = os.Stat(filepath.Join(other, "target-tracking.yaml"))
	require.True(t, os.IsNotExist(err))
	b, err := os.ReadFile(filepath.Join(other, "inputs", "nginx-cpu60-policy.json"))
	require.NoError(t, err)
	require.Equal(t, "mine", string(b))

	_, err = scenario.ExportExample("nope", t.TempDir())
	require.ErrorContains(t, err, "no example scenario")
}
