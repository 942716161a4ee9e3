package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/internal/conformance"
	"github.com/ecssim/ecssim/lint"
)

func lintInputs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "lint", "*.*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	slices.Sort(files)
	return files
}

// TestLintGolden: the text, JSON and SARIF outputs of the same files (go
// test ./cmd/ecssim -run TestLintGolden -update rewrites them).
func TestLintGolden(t *testing.T) {
	files := lintInputs(t)
	out, errOut, code := runCLI(t, "", append([]string{"lint"}, files...)...)
	require.Equal(t, 1, code, "warnings and errors make the exit status 1")
	golden(t, "lint.golden", out+"--- stderr\n"+errOut)

	jsonOut, _, code := runCLI(t, "", append([]string{"lint", "--format", "json"}, files...)...)
	require.Equal(t, 1, code)
	var rep lintReport
	require.NoError(t, json.Unmarshal([]byte(jsonOut), &rep))
	require.Len(t, rep.Files, len(files))
	golden(t, "lint-json.golden", jsonOut)

	sarifOut, _, code := runCLI(t, "", append([]string{"lint", "--format", "sarif"}, files...)...)
	require.Equal(t, 1, code)
	checkSARIF(t, sarifOut, len(rep.Findings))
	golden(t, "lint-sarif.golden", sarifOut)
}

// checkSARIF checks the members SARIF 2.1.0 requires (sarifLog: version,
// runs; run: tool; tool: driver; driver: name; reportingDescriptor: id;
// result: message with text; invocation: executionSuccessful) and the
// references between them.
func checkSARIF(t *testing.T, out string, findings int) {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Equal(t, "2.1.0", doc["version"])
	require.Contains(t, doc["$schema"], "sarif-2.1.0")
	runs, ok := doc["runs"].([]any)
	require.True(t, ok)
	require.Len(t, runs, 1)
	run := runs[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	require.NotEmpty(t, driver["name"])
	rules := driver["rules"].([]any)
	require.Len(t, rules, len(lint.Rules())+1)
	ids := map[string]int{}
	for i, r := range rules {
		rule := r.(map[string]any)
		id, _ := rule["id"].(string)
		require.NotEmpty(t, id)
		ids[id] = i
		level := rule["defaultConfiguration"].(map[string]any)["level"]
		require.Contains(t, []any{"error", "warning", "note"}, level)
		require.NotEmpty(t, rule["shortDescription"].(map[string]any)["text"])
	}
	for _, inv := range run["invocations"].([]any) {
		_, ok := inv.(map[string]any)["executionSuccessful"].(bool)
		require.True(t, ok, "executionSuccessful is required")
	}
	results := run["results"].([]any)
	require.Len(t, results, findings)
	for _, r := range results {
		res := r.(map[string]any)
		require.NotEmpty(t, res["message"].(map[string]any)["text"])
		id := res["ruleId"].(string)
		require.Contains(t, ids, id)
		require.Equal(t, float64(ids[id]), res["ruleIndex"])
		require.Contains(t, []any{"error", "warning", "note"}, res["level"])
		loc := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
		uri := loc["artifactLocation"].(map[string]any)["uri"].(string)
		require.NotEmpty(t, uri)
		require.NotContains(t, uri, `\`)
		if region, ok := loc["region"].(map[string]any); ok {
			require.GreaterOrEqual(t, region["startLine"], float64(1))
		}
	}
}

func TestLintExitCodes(t *testing.T) {
	dir := filepath.Join("testdata", "lint")
	clean := filepath.Join(dir, "clean-taskdef.json")
	infoOnly := filepath.Join(dir, "scalable-target.json")
	warnings := filepath.Join(dir, "sidecar-taskdef.json")
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"clean", []string{"lint", clean}, 0, ""},
		{"info is below the default threshold", []string{"lint", infoOnly}, 0, "ECS014"},
		{"info at --fail-on info", []string{"lint", "--fail-on", "info", infoOnly}, 1, "ECS014"},
		{"warnings", []string{"lint", warnings}, 1, "ECS001"},
		{"--fail-on none", []string{"lint", "--fail-on", "none", warnings}, 0, "ECS003"},
		{"--disable", []string{"lint", "--disable", "ECS001,ECS003,ECS004,ECS006,ECS007", warnings}, 0, "ECS009"},
		{"per-file tag", []string{"lint", filepath.Join(dir, "tagged-taskdef.json")}, 0, ""},
		{"invalid", []string{"lint", "--fail-on", "error", filepath.Join(dir, "invalid-taskdef.json")}, 1, "ECS000 valid-input: the document is not valid: ClientException: No Fargate configuration"},
		{"invalid, and the rule says why", []string{"lint", filepath.Join(dir, "healthy-dependency-taskdef.json")}, 1, "error ECS008 healthy-dependency-has-check: container \"app\" waits for \"db\" to be HEALTHY"},
		{"unreadable", []string{"lint", clean, filepath.Join(dir, "nope.json")}, 2, "nope.json: cannot read: no such file or directory"},
		{"bad scenario", []string{"lint", filepath.Join("testdata", "run", "errors", "many-problems.yaml")}, 1, "ECS000 valid-input: the scenario is not valid"},
		{"unknown rule", []string{"lint", "--disable", "ECS999", clean}, 2, ""},
		{"unknown format", []string{"lint", "--format", "xml", clean}, 2, ""},
		{"unknown threshold", []string{"lint", "--fail-on", "fatal", clean}, 2, ""},
		{"no files", []string{"lint"}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", tc.args...)
			require.Equal(t, tc.code, code, out+errOut)
			if tc.out == "" && tc.code == 0 {
				require.Empty(t, out)
				require.Contains(t, errOut, "no findings")
			}
			require.Contains(t, out, tc.out)
		})
	}
}

func TestLintStdin(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("testdata", "lint", "one-subnet-service.json"))
	require.NoError(t, err)
	out, _, code := runCLI(t, string(doc), "lint", "-")
	require.Equal(t, 1, code)
	require.Contains(t, out, "<stdin>:9:40: warning ECS011 awsvpc-several-subnets: the service's tasks can use one subnet only (subnet-0a1b2c3d) (at networkConfiguration.awsvpcConfiguration.subnets)\n")
}

// TestLintScenarioSharedInput: a task definition file that several steps
// register is reported once.
func TestLintScenarioSharedInput(t *testing.T) {
	out, _, _ := runCLI(t, "", "lint", filepath.Join("..", "..", "scenario", "examples", "nginx-rolling-update.yaml"), filepath.Join("..", "..", "scenario", "examples", "spot-mix.yaml"))
	require.Equal(t, 1, strings.Count(out, "nginx-taskdef.json:8:5: warning ECS004"), out)
}

// TestLintCorpus lints every task definition, service and scaling request
// of the conformance corpus (real files, so what real users would see),
// prints how many documents each rule fires on, and checks that no rule
// fires on more than half of them unless docs/lint.md gives the reason.
func TestLintCorpus(t *testing.T) {
	var files []string
	for _, sub := range []string{"taskdefs", "services", "scaling"} {
		dir := conformance.Dir(t, sub)
		fs, err := filepath.Glob(filepath.Join(dir, "*.json"))
		require.NoError(t, err)
		files = append(files, fs...)
	}
	slices.Sort(files)
	rep := lintFiles(files, strings.NewReader(""), lint.Options{})
	docs := map[string]map[string]bool{} // rule → files it fires on
	perKind := map[string]int{}
	for _, f := range rep.Files {
		require.Equal(t, statusLinted, f.Status, "%s: the corpus holds valid documents", f.File)
		perKind[f.Kind]++
	}
	for _, f := range rep.Findings {
		if docs[f.RuleID] == nil {
			docs[f.RuleID] = map[string]bool{}
		}
		docs[f.RuleID][f.File] = true
	}
	guide, err := os.ReadFile(filepath.Join("..", "..", "docs", "lint.md"))
	require.NoError(t, err)
	var summary strings.Builder
	var often, unexplained []string
	fmt.Fprintf(&summary, "%d documents (%d task definitions, %d services, %d scalable targets, %d scaling policies), %d findings\n",
		len(rep.Files), perKind[kindTaskDef], perKind[kindService], perKind[kindScalable], perKind[kindScalingPolicy], len(rep.Findings))
	for _, r := range lint.Rules() {
		applicable := 0
		for _, k := range r.Kinds {
			applicable += perKind[string(k)]
		}
		n := len(docs[r.ID])
		fmt.Fprintf(&summary, "  %s %-28s %2d of %2d documents\n", r.ID, r.Name, n, applicable)
		if applicable > 0 && 2*n > applicable {
			often = append(often, fmt.Sprintf("%s fires on %d of %d documents", r.ID, n, applicable))
			if !strings.Contains(string(guide), "<!-- fires-often:"+r.ID+" -->") {
				unexplained = append(unexplained, r.ID)
			}
		}
	}
	t.Log("\n" + summary.String())
	require.Empty(t, unexplained, "docs/lint.md must say why these rules fire on more than half of the documents they read: %v", often)
}

func TestLintDrill(t *testing.T) {
	one := filepath.Join("..", "..", "lint", "drill", "testdata", "one-subnet.yaml")
	three := filepath.Join("..", "..", "lint", "drill", "testdata", "three-subnets.yaml")
	breaker := filepath.Join("..", "..", "lint", "drill", "testdata", "breaker.yaml")
	slowShort := filepath.Join("..", "..", "lint", "drill", "testdata", "slow-start-short.yaml")
	slowLong := filepath.Join("..", "..", "lint", "drill", "testdata", "slow-start-long.yaml")
	spikeFixed := filepath.Join("..", "..", "lint", "drill", "testdata", "spike-fixed.yaml")
	spikeScaling := filepath.Join("..", "..", "lint", "drill", "testdata", "spike-scaling.yaml")
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"one subnet fails", []string{"lint", "--drill", "zone-loss", one}, 1, "one-subnet.yaml:17: drill zone-loss demo/web: FAILED: losing us-east-1a for 15m, the service fell to 0 of 3"},
		{"three subnets pass", []string{"lint", "--drill", "zone-loss", three}, 0, "seed 7; replay: ecssim lint --drill zone-loss --seed 7 " + three + "\n"},
		{"all drills", []string{"lint", "--drill", "all", breaker}, 0, "drill bad-rollout demo/web: passed: a revision whose image cannot be pulled was stopped"},
		{"bad rollout without the breaker", []string{"lint", "--drill", "bad-rollout", three}, 1, "drill bad-rollout demo/web: FAILED"},
		{"another seed", []string{"lint", "--drill", "zone-loss", "--seed", "3", three}, 0, "--seed 3 "},
		{"json", []string{"lint", "--drill", "zone-loss", "--format", "json", one}, 1, `"passed": false`},
		{"slow start, short startPeriod", []string{"lint", "--drill", "slow-start", slowShort}, 1,
			"drill slow-start demo/web: FAILED: with its application starting 2× slower than declared"},
		{"slow start, long startPeriod", []string{"lint", "--drill", "slow-start", slowLong}, 0,
			"seed 7; replay: ecssim lint --drill slow-start --seed 7 " + slowLong + "\n"},
		{"traffic spike, fixed size", []string{"lint", "--drill", "traffic-spike", spikeFixed}, 1,
			"drill traffic-spike demo/web: FAILED: with 3× traffic for 30m, it never scaled out"},
		{"traffic spike, target tracking", []string{"lint", "--drill", "traffic-spike", "--format", "json", spikeScaling}, 0, `"passed": true`},
		{"unknown drill", []string{"lint", "--drill", "meteor", three}, 2, ""},
		{"not a scenario", []string{"lint", "--drill", "zone-loss", filepath.Join("testdata", "lint", "clean-taskdef.json")}, 2, ""},
		{"sarif", []string{"lint", "--drill", "zone-loss", "--format", "sarif", three}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", tc.args...)
			require.Equal(t, tc.code, code, out+errOut)
			require.Contains(t, out, tc.out)
		})
	}
}
