package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCloudWatchWithAWSCLI drives CloudWatch on `ecssim serve` with the
// real aws command line, which speaks JSON 1.0 to it: metrics in and out,
// an alarm set, read, described with its history and deleted, and an
// error with CloudWatch's Query code.
func TestCloudWatchWithAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starting the aws command line takes seconds a call")
	}
	endpoint := "http://" + startServe(t)
	aws := awsCLI(t, endpoint)

	// The World starts at 2026-01-01T00:00:00Z.
	aws("cloudwatch", "put-metric-data", "--namespace", "App", "--metric-name", "Backlog", "--unit", "Count",
		"--dimensions", "Queue=jobs", "--value", "5")
	aws("cloudwatch", "put-metric-data", "--namespace", "App", "--metric-data",
		`[{"MetricName":"Backlog","Dimensions":[{"Name":"Queue","Value":"jobs"}],"Value":7,"Unit":"Count","Timestamp":"2026-01-01T00:00:30Z"}]`)
	out := aws("cloudwatch", "get-metric-statistics", "--namespace", "App", "--metric-name", "Backlog",
		"--dimensions", "Name=Queue,Value=jobs", "--start-time", "2025-12-31T23:00:00Z", "--end-time", "2026-01-01T01:00:00Z",
		"--period", "60", "--statistics", "Sum", "Maximum", "SampleCount")
	var stats struct {
		Label      string
		Datapoints []struct {
			Timestamp                 float64 // the wire's epoch seconds: aws CLI v1 prints timestamps as they come
			Sum, Maximum, SampleCount float64
			Unit                      string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &stats), out)
	require.Equal(t, "Backlog", stats.Label)
	require.Len(t, stats.Datapoints, 1, out)
	require.Equal(t, 12.0, stats.Datapoints[0].Sum)
	require.Equal(t, 7.0, stats.Datapoints[0].Maximum)
	require.Equal(t, 2.0, stats.Datapoints[0].SampleCount)
	require.Equal(t, "Count", stats.Datapoints[0].Unit)
	require.Equal(t, 1767225600.0, stats.Datapoints[0].Timestamp, "2026-01-01T00:00:00Z")

	out = aws("cloudwatch", "list-metrics", "--namespace", "App")
	require.Contains(t, out, `"MetricName": "Backlog"`)

	aws("cloudwatch", "put-metric-alarm", "--alarm-name", "backlog-high", "--namespace", "App", "--metric-name", "Backlog",
		"--dimensions", "Name=Queue,Value=jobs", "--statistic", "Maximum", "--period", "60", "--evaluation-periods", "1",
		"--threshold", "100", "--comparison-operator", "GreaterThanThreshold")
	out = aws("cloudwatch", "describe-alarms", "--alarm-names", "backlog-high", "--query", "MetricAlarms[0].[AlarmName,Threshold,StateValue]")
	var row []any
	require.NoError(t, json.Unmarshal([]byte(out), &row), out)
	require.Equal(t, []any{"backlog-high", 100.0, "INSUFFICIENT_DATA"}, row)

	aws("cloudwatch", "set-alarm-state", "--alarm-name", "backlog-high", "--state-value", "ALARM", "--state-reason", "by hand")
	out = aws("cloudwatch", "describe-alarms", "--state-value", "ALARM", "--query", "MetricAlarms[].AlarmName")
	require.JSONEq(t, `["backlog-high"]`, out)
	out = aws("cloudwatch", "describe-alarm-history", "--alarm-name", "backlog-high", "--history-item-type", "StateUpdate")
	require.Contains(t, out, "to ALARM")
	aws("cloudwatch", "delete-alarms", "--alarm-names", "backlog-high")
	out = aws("cloudwatch", "describe-alarms", "--query", "length(MetricAlarms)")
	require.Equal(t, "0", strings.TrimSpace(out))

	stderr := awsCLIError(t, endpoint, "cloudwatch", "set-alarm-state", "--alarm-name", "backlog-high",
		"--state-value", "OK", "--state-reason", "gone")
	require.Contains(t, stderr, "(ResourceNotFound)")
	require.Contains(t, stderr, "backlog-high")
	// The CLI reads the Query code from X-Amzn-Query-Error, not the
	// error shape's name (InvalidParameterValueException).
	stderr = awsCLIError(t, endpoint, "cloudwatch", "get-metric-statistics", "--namespace", "App", "--metric-name", "Backlog",
		"--start-time", "2025-12-31T23:00:00Z", "--end-time", "2026-01-01T01:00:00Z", "--period", "61", "--statistics", "Sum")
	require.Contains(t, stderr, "(InvalidParameterValue)")
}

// awsCLIError runs the aws command line against endpoint, requires it to
// fail, and returns what it wrote to stderr.
func awsCLIError(t *testing.T, endpoint string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the aws command line is not installed; install it to run this test")
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, append([]string{"--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE="+filepath.Join(dir, "none"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"), "AWS_PAGER=", "HOME="+dir, "AWS_DEFAULT_REGION=us-east-1", "AWS_MAX_ATTEMPTS=1")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	require.Error(t, cmd.Run(), "aws %s must fail", strings.Join(args, " "))
	return errOut.String()
}
