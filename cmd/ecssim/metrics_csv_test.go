package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRunMetricsCSV: --metrics FILE writes every datapoint of the run's
// CloudWatch as CSV, one row per minute and statistic, dimensions sorted
// by name, rows in a fixed order, the same as the golden file.
func TestRunMetricsCSV(t *testing.T) {
	file := filepath.Join(t.TempDir(), "metrics.csv")
	r := runCmd("run", filepath.Join("testdata", "metrics", "custom.yaml"), "--metrics", file)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "Scenario custom-metrics", "the report is still shown")
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	runGolden(t, filepath.Join("testdata", "metrics", "custom.csv"), string(b))

	// The same run, to stdout: only the CSV.
	r = runCmd("run", filepath.Join("testdata", "metrics", "custom.yaml"), "--metrics", "-")
	require.Equal(t, 0, r.code, r.stderr)
	require.Equal(t, string(b), r.stdout)
}

// TestRunMetricsCSVFeeds: the simulation's own metrics are in the CSV,
// and it parses as CSV with the documented header.
func TestRunMetricsCSVFeeds(t *testing.T) {
	file := filepath.Join(t.TempDir(), "metrics.csv")
	r := runCmd("run", "example:target-tracking", "--quiet", "--metrics", file)
	require.Equal(t, 0, r.code, r.stderr)
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"time", "namespace", "metric", "dimensions", "statistic", "value"}, rows[0])
	cpu := 0
	for _, row := range rows[1:] {
		if row[1] == "AWS/ECS" && row[2] == "CPUUtilization" && row[3] == "ClusterName=demo;ServiceName=nginx" && row[4] == "Average" {
			cpu++
		}
	}
	require.Greater(t, cpu, 100, "a datapoint a minute of the service's CPU over 2h30m")
}

// TestRunMetricsCSVErrors: --metrics to a missing directory, or to stdout
// with --events, is refused before the run.
func TestRunMetricsCSVErrors(t *testing.T) {
	r := runCmd("run", "--metrics", filepath.Join(t.TempDir(), "nope", "m.csv"))
	require.Equal(t, 2, r.code)
	require.True(t, strings.HasPrefix(r.stderr, "ecssim: --metrics: open "), r.stderr)
	r = runCmd("run", "--metrics", "-", "--events", "-")
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, "--events and --metrics cannot both write to stdout")
}
