package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRunReport writes the HTML report of an example: the same file
// twice, and the run's output as without it.
func TestRunReport(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.html"), filepath.Join(dir, "b.html")
	plain := runCmd("run", "example:circuit-breaker-rollback")
	withA := runCmd("run", "example:circuit-breaker-rollback", "--report", a)
	withB := runCmd("run", "example:circuit-breaker-rollback", "--report", b)
	require.Equal(t, 0, withA.code, withA.stderr)
	require.Equal(t, plain.stdout, withA.stdout, "the report changes nothing in the run")
	require.Equal(t, plain.stdout, withB.stdout)
	pa, err := os.ReadFile(a)
	require.NoError(t, err)
	pb, err := os.ReadFile(b)
	require.NoError(t, err)
	require.Equal(t, pa, pb, "the same run gives the same report")
	page := string(pa)
	require.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
	require.Contains(t, page, "<title>Scenario circuit-breaker-rollback</title>")
	require.Contains(t, page, `data-chart="gantt"`)
	require.Contains(t, page, `class="mark mark-rollback"`)
}

// TestRunReportFlags rejects a report that cannot be created, and --open
// without --report, before running anything.
func TestRunReportFlags(t *testing.T) {
	res := runCmd("run", "example:circuit-breaker-rollback", "--report", filepath.Join(t.TempDir(), "missing", "r.html"))
	require.Equal(t, 2, res.code)
	require.Contains(t, res.stderr, "--report: open")
	require.Empty(t, res.stdout, "nothing was run")
	res = runCmd("run", "example:circuit-breaker-rollback", "--open")
	require.Equal(t, 2, res.code)
	require.Contains(t, res.stderr, "--open needs --report FILE")
}
