package scenario

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// scenarioFiles lists every scenario under examples/ and testdata/.
func scenarioFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"examples/*.yaml", "testdata/*.yaml", "testdata/*.json"} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.GreaterOrEqual(t, len(files), 4)
	return files
}

// TestScenariosDeterministic runs every scenario twice and requires
// byte-identical traces, and a third time in progress slices (as the
// command's progress bar does) with the same result.
func TestScenariosDeterministic(t *testing.T) {
	for _, file := range scenarioFiles(t) {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			s, err := Load(file)
			require.NoError(t, err)
			var hashes []string
			var lens []int
			for i, opts := range []Options{{}, {}, {Progress: func(done, total time.Duration) {}}} {
				o, err := Run(s, opts)
				require.NoError(t, err, "run %d", i)
				require.Empty(t, o.Failures(), "run %d", i)
				require.Empty(t, o.Unchecked)
				hashes = append(hashes, o.World.Trace().Hash())
				lens = append(lens, o.World.Trace().Len())
				require.NoError(t, o.World.Trace().Err())
			}
			require.Equal(t, hashes[0], hashes[1], "same scenario, same seed, same trace")
			require.Equal(t, hashes[0], hashes[2], "advancing in slices changes nothing")
			require.Equal(t, lens[0], lens[1])
		})
	}
}

func TestExamples(t *testing.T) {
	var names []string
	for _, ex := range Examples() {
		names = append(names, ex.Name)
		s, err := LoadExample(ex.Name)
		require.NoError(t, err)
		require.Equal(t, ex.Name, s.Name, "an example's name key matches its file name")
		require.NotEmpty(t, ex.Description, ex.Name)
		require.NotEmpty(t, s.Expect, "every example checks something: %s", ex.Name)
		src, err := ExampleSource(ExamplePrefix + ex.Name)
		require.NoError(t, err)
		require.True(t, Sniff(src))
	}
	for _, want := range []string{DefaultExample, "circuit-breaker-rollback", "crash-loop-throttled", "az-failure"} {
		require.Contains(t, names, want)
	}
	require.True(t, slices.IsSorted(names))

	_, err := LoadExample("nope")
	require.ErrorContains(t, err, `no example scenario "nope"; the examples are: alb-health-check-rollback, alb-overload-cascade, alb-traffic-scale-out, az-failure,`)
	_, err = ExampleSource("../examples/nope")
	require.Error(t, err)
}

// TestExamplesOnDiskMatchEmbedded makes sure the files the tests run are
// the ones the binary embeds.
func TestExamplesOnDiskMatchEmbedded(t *testing.T) {
	for _, ex := range Examples() {
		a, err := LoadExample(ex.Name)
		require.NoError(t, err)
		b, err := Load(filepath.FromSlash(ex.File))
		require.NoError(t, err)
		require.Equal(t, len(a.Steps), len(b.Steps))
		for i := range a.Steps {
			require.JSONEq(t, string(a.Steps[i].Input), string(b.Steps[i].Input))
		}
	}
}

const base = `seed: 1
duration: 10m
steps:
  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: demo}}
  - {at: 0s, call: ecs:RegisterTaskDefinition, input: {family: web, networkMode: awsvpc, requiresCompatibilities: [FARGATE], cpu: "256", memory: "512", containerDefinitions: [{name: web, image: "nginx:1", essential: true}]}}
  - {at: 0s, call: ecs:CreateService, input: {cluster: demo, serviceName: web, taskDefinition: web, desiredCount: 2, launchType: FARGATE, networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-aaaa0001]}}}}
`

func mustParse(t *testing.T, src string) *Scenario {
	t.Helper()
	s, err := Parse("t.yaml", []byte(src))
	require.NoError(t, err)
	return s
}

func TestRunStepFailure(t *testing.T) {
	s := mustParse(t, base+"  - {at: 5m, call: ecs:UpdateService, input: {cluster: demo, service: nope, desiredCount: 1}}\n")
	var made []string
	o, err := Run(s, Options{OnStep: func(st *Step) { made = append(made, st.Call) }})
	require.NotNil(t, o)
	var se *StepError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 7, se.Step.Pos.Line)
	require.Equal(t, 5*time.Minute, se.At)
	require.Equal(t, "ServiceNotFoundException", api.ErrorCode(err))
	require.EqualError(t, err, "t.yaml:7: ecs:UpdateService at 0:05:00 failed: ServiceNotFoundException: Service not found.")
	require.Equal(t, 5*time.Minute, o.End, "the run stops at the failed step")
	require.Equal(t, []string{"ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:CreateService", "ecs:UpdateService"}, made)
}

func TestRunExpectError(t *testing.T) {
	tests := []struct {
		name string
		step string
		ok   bool
		got  string
	}{
		{"fails as expected", "{at: 1m, call: ecs:UpdateService, input: {cluster: demo, service: nope}, expectError: ServiceNotFoundException}", true, "ServiceNotFoundException"},
		{"succeeds instead", "{at: 1m, call: ecs:UpdateService, input: {cluster: demo, service: web}, expectError: ServiceNotFoundException}", false, "success"},
		{"fails with another code", "{at: 1m, call: ecs:UpdateService, input: {cluster: nope, service: web}, expectError: ServiceNotFoundException}", false, "ClusterNotFoundException: Cluster not found."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, base+"  - "+tc.step+"\n")
			o, err := Run(s, Options{})
			require.NoError(t, err, "a step with expectError never stops the run")
			require.Len(t, o.Results, 1)
			r := o.Results[0]
			require.Equal(t, tc.ok, r.OK)
			require.Equal(t, tc.got, r.Got)
			require.Equal(t, "expectError", r.Field())
			require.Equal(t, "ecs:UpdateService", r.Subject())
			require.Equal(t, 7, r.Pos().Line)
			require.Equal(t, 10*time.Minute, o.End)
		})
	}
}

func TestRunExpectations(t *testing.T) {
	s := mustParse(t, base+`expect:
  - at: 5m
    service: demo/web
    runningCount: 2
    desiredCount: 5
    taskDefinition: "web:1"
    status: ACTIVE
    deployments: 1
    rolloutState: COMPLETED
    failedTasks: 0
    tasks: {RUNNING: 2, PENDING: 0}
    deploymentConfiguration: {maximumPercent: 200}
    networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-aaaa0001]}}
  - {at: 5m, service: demo/nope, runningCount: 2}
  - {at: 5m, service: nope/web, runningCount: 2}
`)
	var groups [][]CheckResult
	o, err := Run(s, Options{OnCheck: func(rs []CheckResult) { groups = append(groups, rs) }})
	require.NoError(t, err)
	require.Len(t, groups, 3, "one call per expectation")
	type row struct {
		field string
		ok    bool
		got   string
	}
	var rows []row
	for _, r := range o.Results {
		rows = append(rows, row{r.Field(), r.OK, r.Got})
	}
	require.Equal(t, []row{
		{"runningCount", true, "2"},
		{"desiredCount", false, "2"},
		{"taskDefinition", true, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"},
		{"status", true, "ACTIVE"},
		{"deployments", true, "1"},
		{"rolloutState", true, "COMPLETED"},
		{"failedTasks", true, "0"},
		{"tasks.RUNNING", true, "2"},
		{"tasks.PENDING", true, "0"},
		{"deploymentConfiguration", true, `{"deploymentCircuitBreaker":{"enable":false,"rollback":false},"maximumPercent":200,"minimumHealthyPercent":100}`},
		{"networkConfiguration", true, `{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}`},
		{"runningCount", false, "no such service (MISSING)"},
		{"runningCount", false, "ClusterNotFoundException: Cluster not found."},
	}, rows)
	f := o.Failures()
	require.Len(t, f, 3)
	require.Equal(t, "0:05:00 demo/web desiredCount: expected 5, observed 2 (t.yaml:11)", f[0].String())
	require.Equal(t, "runningCount is 2", o.Results[0].Message())
}

func TestRunDurationOverride(t *testing.T) {
	s := mustParse(t, base+`  - {at: 8m, call: ecs:UpdateService, input: {cluster: demo, service: web, desiredCount: 1}}
expect:
  - {at: 1m, service: demo/web, desiredCount: 2}
  - {at: 9m, service: demo/web, desiredCount: 1}
`)
	o, err := Run(s, Options{Duration: 5 * time.Minute})
	require.NoError(t, err)
	require.Equal(t, 5*time.Minute, o.End)
	require.Len(t, o.Results, 1)
	require.Len(t, o.Unchecked, 1)
	require.Equal(t, 9*time.Minute, o.Unchecked[0].At)
	require.Len(t, o.Skipped, 1)
	require.Equal(t, 8*time.Minute, o.Skipped[0].At)
}

func TestRunUntilStable(t *testing.T) {
	s, err := LoadExample(DefaultExample)
	require.NoError(t, err)
	var progress []time.Duration
	o, err := Run(s, Options{UntilStable: true, Progress: func(done, total time.Duration) {
		require.Equal(t, 20*time.Minute, total)
		progress = append(progress, done)
	}})
	require.NoError(t, err)
	require.True(t, o.Stable)
	require.Greater(t, o.End, 10*time.Minute, "not before the last step")
	require.Less(t, o.End, 15*time.Minute)
	require.Empty(t, o.Failures(), "expectations due later are checked at the stop")
	require.Len(t, o.Results, 9)
	require.Equal(t, o.End, o.Results[len(o.Results)-1].At)
	require.True(t, slices.IsSorted(progress))
	require.Equal(t, o.End, progress[len(progress)-1])

	svcs, err := Services(o.World)
	require.NoError(t, err)
	require.Len(t, svcs, 1)
	require.True(t, Stable(svcs[0]))
}

func TestRunSeedOverride(t *testing.T) {
	s, err := LoadExample(DefaultExample)
	require.NoError(t, err)
	a, err := Run(s, Options{})
	require.NoError(t, err)
	seed := uint64(7)
	b, err := Run(s, Options{Seed: &seed})
	require.NoError(t, err)
	require.Equal(t, uint64(42), a.Seed)
	require.Equal(t, uint64(7), b.Seed)
	require.NotEqual(t, a.World.Trace().Hash(), b.World.Trace().Hash())
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		ok        bool
	}{
		{"equal numbers", `3`, `3`, true},
		{"numbers by value", `3.0`, `3`, true},
		{"different numbers", `3`, `2`, false},
		{"strings", `"ACTIVE"`, `"ACTIVE"`, true},
		{"arn by its last part", `"web:2"`, `"arn:aws:ecs:us-east-1:1:task-definition/web:2"`, true},
		{"arn by a wrong part", `"web:1"`, `"arn:aws:ecs:us-east-1:1:task-definition/web:12"`, false},
		{"timestamp", `"2026-01-01T00:00:01.5Z"`, `1767225601.5`, true},
		{"wrong timestamp", `"2026-01-01T00:00:02Z"`, `1767225601.5`, false},
		{"null", `null`, `null`, true},
		{"null vs value", `null`, `1`, false},
		{"bools", `true`, `true`, true},
		{"bool vs string", `true`, `"true"`, false},
		{"mapping subset", `{"a": 1}`, `{"a": 1, "b": 2}`, true},
		{"mapping mismatch", `{"a": 1}`, `{"a": 2}`, false},
		{"mapping vs list", `{"a": 1}`, `[1]`, false},
		{"lists", `[1, {"a": "x"}]`, `[1, {"a": "x", "b": 1}]`, true},
		{"list lengths", `[1]`, `[1, 2]`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.ok, match(decode(json.RawMessage(tc.want)), decode(json.RawMessage(tc.got))))
		})
	}
}

func TestShowValue(t *testing.T) {
	require.Equal(t, "null (absent)", showValue(nil))
	require.Equal(t, `""`, showValue(""))
	require.Equal(t, `{"a":1,"b":2}`, showValue(map[string]any{"b": json.Number("2"), "a": json.Number("1")}))
	long := showValue(string(make([]byte, 300)))
	require.Len(t, long, 200+len("…"))
}

func TestErrorList(t *testing.T) {
	l := ErrorList{{Pos: Pos{File: "a.yaml", Line: 3}, Msg: "one"}, {Pos: Pos{File: "a.yaml"}, Msg: "two", Err: errors.New("cause")}}
	require.EqualError(t, l, "a.yaml:3: one\na.yaml: two")
	var e *Error
	require.ErrorAs(t, error(l), &e)
	require.Len(t, l.Errors(), 2)
	require.ErrorContains(t, errors.Unwrap(l[1]), "cause")
}

func TestServicesSorted(t *testing.T) {
	s := mustParse(t, base+`  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: alpha}}
  - {at: 0s, call: ecs:CreateService, input: {cluster: alpha, serviceName: zed, taskDefinition: web, desiredCount: 0, launchType: FARGATE, networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-aaaa0001]}}}}
  - {at: 0s, call: ecs:CreateService, input: {cluster: alpha, serviceName: abe, taskDefinition: web, desiredCount: 0, launchType: FARGATE, networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-aaaa0001]}}}}
`)
	o, err := Run(s, Options{Duration: time.Minute})
	require.NoError(t, err)
	svcs, err := Services(o.World)
	require.NoError(t, err)
	var names []string
	for _, svc := range svcs {
		names = append(names, svc.ServiceName)
	}
	require.Equal(t, []string{"abe", "zed", "web"}, names, "by cluster ARN (alpha < demo), then name")
	require.Equal(t, ecs.ServiceActive, svcs[0].Status)
}

func TestErrorListSummary(t *testing.T) {
	var l ErrorList
	for i := range 1000 {
		l = append(l, &Error{Pos: Pos{File: "f.yaml", Line: 2 + 2*i}, Msg: `unknown call "x"`})
		if i < 2 {
			l = append(l, &Error{Pos: Pos{File: "f.yaml", Line: 3 + 2*i}, Msg: "other"})
		}
	}
	require.Equal(t, []string{
		`f.yaml:2: unknown call "x"`,
		"f.yaml:3: other",
		`f.yaml:4: unknown call "x"`,
		"f.yaml:5: other",
		`f.yaml:6: unknown call "x"`,
		`f.yaml:8: unknown call "x"`,
		`f.yaml:10: unknown call "x"`,
		"… and 995 more like it (the last at f.yaml:2000)",
	}, l.Summary())
	require.Equal(t, strings.Join(l.Summary(), "\n"), l.Error())
}

func TestFormatCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 475711: "475,711", 1234567: "1,234,567", -1234: "-1,234"} {
		require.Equal(t, want, FormatCount(n))
	}
}
