package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/internal/conformance"
)

var update = flag.Bool("update", false, "rewrite the golden files of the validate command")

// runCLI runs the command line and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRootCommand(&out, &errOut)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	code := 0
	if err := root.Execute(); err != nil {
		code = 2
		if ee, ok := err.(*exitError); ok {
			code = ee.code
			if ee.err != nil {
				errOut.WriteString("ecssim: " + ee.err.Error() + "\n")
			}
		}
	}
	return out.String(), errOut.String(), code
}

func validateInputs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "validate", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	slices.Sort(files)
	return append(files, filepath.Join("testdata", "validate", "missing.json"))
}

// golden compares got with the named golden file, or rewrites it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/ecssim -run "+t.Name()+" -update to create it")
	require.Equal(t, string(want), got)
}

func TestValidateGolden(t *testing.T) {
	files := validateInputs(t)
	out, errOut, code := runCLI(t, "", append([]string{"validate"}, files...)...)
	require.Equal(t, 2, code, "a missing file makes the exit status 2")
	golden(t, "validate.golden", out+"--- stderr\n"+errOut)

	jsonOut, _, code := runCLI(t, "", append([]string{"validate", "--json"}, files...)...)
	require.Equal(t, 2, code)
	var results []validation
	require.NoError(t, json.Unmarshal([]byte(jsonOut), &results))
	require.Len(t, results, len(files))
	golden(t, "validate-json.golden", jsonOut)
}

func TestValidateExitCodes(t *testing.T) {
	ok := filepath.Join("testdata", "validate", "fargate-ok.json")
	bad := filepath.Join("testdata", "validate", "fargate-bad-size.json")
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"all valid", []string{"validate", ok, filepath.Join("..", "..", "ecs", "testdata", "taskdefs", "fargate-web-awslogs.json")}, 0, ": ok: "},
		{"one invalid", []string{"validate", ok, bad}, 1, "No Fargate configuration exists"},
		{"unreadable", []string{"validate", bad, "testdata/nope.json"}, 2, "cannot read: no such file or directory"},
		{"no files", []string{"validate"}, 2, ""},
		{"bad kind", []string{"validate", "--kind", "lambda", ok}, 2, ""},
		{"forced kind", []string{"validate", "--kind", "service", ok}, 1, `Unknown parameter in input: "containerDefinitions"`},
		{"kind alias", []string{"validate", "--kind", "taskdef", ok}, 0, ": ok: "},
		{"scenario", []string{"validate", filepath.Join("..", "..", "scenario", "examples", "nginx-rolling-update.yaml")}, 0, `ok: scenario "nginx-rolling-update" (5 steps, 2 expectations)`},
		{"bad scenario", []string{"validate", filepath.Join("testdata", "run", "errors", "many-problems.yaml")}, 1, "7 problems:"},
		{"scenario and task definition", []string{"validate", ok, filepath.Join("testdata", "run", "errors", "unknown-call.yaml")}, 1, "unknown-call.yaml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, code := runCLI(t, "", tc.args...)
			require.Equal(t, tc.code, code, out)
			require.Contains(t, out, tc.out)
		})
	}
}

func TestValidateStdin(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("testdata", "validate", "awsvpc-host-port.json"))
	require.NoError(t, err)
	out, _, code := runCLI(t, string(doc), "validate", "-")
	require.Equal(t, 1, code)
	require.Equal(t, "<stdin>:11:44: ClientException: When networkMode=awsvpc, the host ports and container ports in port mappings must match. (at containerDefinitions[0].portMappings[1].hostPort)\n", out)
}

// TestValidateCorpus: every corpus task definition is ok, and every
// invalid RegisterTaskDefinition case is reported with AWS's error code.
func TestValidateCorpus(t *testing.T) {
	dir := conformance.Dir(t, "taskdefs")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	out, _, code := runCLI(t, "", append([]string{"validate"}, files...)...)
	require.Equal(t, 0, code, out)
	require.Equal(t, len(files), strings.Count(out, ": ok: task definition "))

	invalid := conformance.Dir(t, "invalid")
	cases, err := filepath.Glob(filepath.Join(invalid, "*.json"))
	require.NoError(t, err)
	for _, f := range cases {
		var c struct{ Operation, ErrorCode string }
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &c))
		if c.Operation != "RegisterTaskDefinition" {
			continue
		}
		out, _, code := runCLI(t, "", "validate", f)
		require.Equal(t, 1, code, out)
		require.Contains(t, out, ": "+c.ErrorCode+": ", f)
	}
}

// TestValidateResourceLabel: an ALBRequestCountPerTarget policy is checked
// with the load balancer and target group its ResourceLabel names taken
// to exist, as its service is; a malformed label is an error.
func TestValidateResourceLabel(t *testing.T) {
	doc := func(label string) string {
		return `{"PolicyName":"requests","ServiceNamespace":"ecs","ResourceId":"service/default/web","ScalableDimension":"ecs:service:DesiredCount",
			"PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":1000,
			"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget","ResourceLabel":"` + label + `"}}}`
	}
	out, _, code := runCLI(t, doc("app/web-lb/0123456789abcdef/targetgroup/web-tg/fedcba9876543210"), "validate", "--kind", "scaling-policy", "-")
	require.Equal(t, 0, code, out)
	require.Contains(t, out, ": ok: ")
	out, _, code = runCLI(t, doc("targetgroup/web-tg/fedcba9876543210"), "validate", "--kind", "scaling-policy", "-")
	require.Equal(t, 1, code, out)
	require.Contains(t, out, "ValidationException: Invalid ResourceLabel targetgroup/web-tg/fedcba9876543210: the format is")
}
