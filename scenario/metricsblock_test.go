package scenario

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// metricsBase creates service demo/web; the metrics block is appended.
const metricsBase = `duration: 30m
steps:
  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: demo}}
  - at: 0s
    call: ecs:RegisterTaskDefinition
    input: {family: web, networkMode: awsvpc, requiresCompatibilities: [FARGATE], cpu: "256", memory: "512",
            containerDefinitions: [{name: web, image: "web:1"}]}
  - at: 0s
    call: ecs:CreateService
    input: {cluster: demo, serviceName: web, taskDefinition: web, desiredCount: 2, launchType: FARGATE,
            networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-aaaa0001]}}}
metrics:
`

func TestMetricsBlock(t *testing.T) {
	s, err := Parse("s.yaml", []byte(metricsBase+`  - {name: running_at_5m, service: demo/web, field: runningCount, at: 5m}
  - {name: placement_failures, count: SERVICE_TASK_PLACEMENT_FAILURE}
  - {name: web_tasks, service: demo/web, count: ECS Task State Change}
  - {name: deployments_at_1m, service: demo/web, field: deployments, at: 1m}
`))
	require.NoError(t, err)
	require.Equal(t, []Metric{
		{Pos: Pos{File: "s.yaml", Line: 13, Col: 5}, Name: "running_at_5m", Kind: MetricField, Cluster: "demo", Service: "web", Field: "runningCount", At: 5 * time.Minute},
		{Pos: Pos{File: "s.yaml", Line: 14, Col: 5}, Name: "placement_failures", Kind: MetricCount, Count: "SERVICE_TASK_PLACEMENT_FAILURE"},
		{Pos: Pos{File: "s.yaml", Line: 15, Col: 5}, Name: "web_tasks", Kind: MetricCount, Cluster: "demo", Service: "web", Count: "ECS Task State Change"},
		{Pos: Pos{File: "s.yaml", Line: 16, Col: 5}, Name: "deployments_at_1m", Kind: MetricField, Cluster: "demo", Service: "web", Field: "deployments", At: time.Minute},
	}, s.Metrics)

	out, err := Run(s, Options{})
	require.NoError(t, err)
	require.Equal(t, float64(2), out.Samples[0], "running at 5m")
	require.True(t, math.IsNaN(out.Samples[1]), "a count metric is not sampled")
	require.Equal(t, float64(1), out.Samples[3], "one deployment at 1m")
}

func TestMetricsBlockErrors(t *testing.T) {
	for _, tc := range []struct {
		name, metric, want string
	}{
		{"unknown field", "{name: x, service: demo/web, field: runingCount, at: 5m}",
			`s.yaml:13: metrics[0].field: unknown service field "runingCount" (did you mean "runningCount"?)`},
		{"text field", "{name: x, service: demo/web, field: status, at: 5m}", `unknown service field "status"`},
		{"unknown service", "{name: x, service: demo/wbe, field: runningCount, at: 5m}",
			`s.yaml:13: no ecs:CreateService step creates service demo/wbe (did you mean "demo/web"?); services: demo/web`},
		{"bad service", "{name: x, service: a/b/c, field: runningCount, at: 5m}", `metrics[0].service "a/b/c" must be cluster/service`},
		{"unknown event", "{name: x, count: SERVICE_TASK_PLACEMENT_FAILURES}",
			`s.yaml:13: metrics[0].count: unknown event "SERVICE_TASK_PLACEMENT_FAILURES" (did you mean "SERVICE_TASK_PLACEMENT_FAILURE"?)`},
		{"built-in name", "{name: min_healthy, count: SERVICE_STEADY_STATE}", `metrics[0].name "min_healthy" is a built-in metric`},
		{"bad name", "{name: Running-At, count: SERVICE_STEADY_STATE}", `metrics[0].name "Running-At" must be lower case`},
		{"no name", "{count: SERVICE_STEADY_STATE}", "s.yaml:13: metrics[0] has no name"},
		{"unknown key", "{name: x, count: SERVICE_STEADY_STATE, every: 1m}", `unknown key "every" in metrics[0]`},
		{"field without at", "{name: x, service: demo/web, field: runningCount}", "metrics[0] reads field runningCount at no time"},
		{"field without service", "{name: x, field: runningCount, at: 1m}", "metrics[0] reads field runningCount of no service"},
		{"field and count", "{name: x, service: demo/web, field: runningCount, at: 1m, count: SERVICE_STEADY_STATE}", "must have either field"},
		{"neither", "{name: x, service: demo/web}", "must have either field"},
		{"count with at", "{name: x, count: SERVICE_STEADY_STATE, at: 1m}", "at applies to field metrics"},
		{"count not per service", "{name: x, service: demo/web, count: ELB Target Health Change}", `"ELB Target Health Change" events are not counted per service`},
		{"after the end", "{name: x, service: demo/web, field: runningCount, at: 31m}", "s.yaml:13: metric x is read at 31m, after the end of the run (duration 30m)"},
		{"not a list", "", "metrics must be a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := metricsBase + "  - " + tc.metric + "\n"
			if tc.metric == "" {
				src = strings.TrimSuffix(metricsBase, "\n") + " {name: x}\n"
			}
			_, err := Parse("s.yaml", []byte(src))
			require.ErrorContains(t, err, tc.want)
		})
	}
	_, err := Parse("s.yaml", []byte(metricsBase+"  - {name: x, count: SERVICE_STEADY_STATE}\n  - {name: x, count: SERVICE_STEADY_STATE}\n"))
	require.ErrorContains(t, err, `s.yaml:14: metrics[1].name "x" is taken by an earlier metric`)
}
