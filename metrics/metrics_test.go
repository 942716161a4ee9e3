package metrics_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/report"
	"github.com/ecssim/ecssim/scenario"
)

// measure runs a scenario and returns its metrics, and the report
// package's stats of the same run, which compute time to steady on their
// own.
func measure(t *testing.T, s *scenario.Scenario, seed uint64) (metrics.Result, *report.Stats, *scenario.Outcome) {
	t.Helper()
	var rec *metrics.Recorder
	var stats *report.Stats
	out, err := scenario.Run(s, scenario.Options{Seed: &seed, OnWorld: func(w *ecssim.World) {
		w.Trace().Keep(false)
		rec = metrics.Attach(w)
		stats = report.NewStats(w.Engine().Now())
		w.Trace().Observe(stats.Record)
	}})
	return rec.Result(out, err), stats, out
}

// values names the metrics of a result, formatted.
func values(r metrics.Result) map[string]string {
	out := map[string]string{}
	for _, m := range metrics.All {
		out[m.Name] = m.Format(r.Values[m.ID])
	}
	return out
}

func TestExamples(t *testing.T) {
	tests := []struct {
		example string
		want    map[string]string
	}{
		{"nginx-rolling-update", map[string]string{
			"time_to_steady": "1m24s", "deploy_time": "1m24s", "min_running": "3", "min_healthy": "3",
			"failed_tasks": "0", "cb_trips": "0", "scaling_activities": "0", "peak_tasks": "6", "passed": "1", "expect_failed": "0"}},
		{"circuit-breaker-rollback", map[string]string{
			"time_to_steady": "1m57s", "min_running": "3", "min_healthy": "3",
			"failed_tasks": "3", "cb_trips": "1", "scaling_activities": "0", "passed": "1"}},
		{"target-tracking", map[string]string{"cb_trips": "0", "passed": "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.example, func(t *testing.T) {
			s, err := scenario.LoadExample(tc.example)
			require.NoError(t, err)
			res, _, _ := measure(t, s, s.Seed)
			got := values(res)
			for k, v := range tc.want {
				require.Equal(t, v, got[k], "%s (all: %v)", k, got)
			}
		})
	}
}

// TestScalingActivities checks that the target-tracking example's scaling
// shows up.
func TestScalingActivities(t *testing.T) {
	s, err := scenario.LoadExample("target-tracking")
	require.NoError(t, err)
	res, _, _ := measure(t, s, s.Seed)
	require.Positive(t, res.Values[metrics.ScalingActivities])
	require.Positive(t, res.Values[metrics.CostUSD])
}

// TestAgreesWithReport checks time to steady against the report's own
// computation, over seeds and every example, and the invariants between
// metrics.
func TestAgreesWithReport(t *testing.T) {
	for _, ex := range scenario.Examples() {
		s, err := scenario.LoadExample(ex.Name)
		require.NoError(t, err)
		for seed := uint64(1); seed <= 3; seed++ {
			res, stats, out := measure(t, s, seed)
			v := res.Values
			if math.IsInf(v[metrics.TimeToSteady], 1) || math.IsNaN(v[metrics.TimeToSteady]) {
				continue
			}
			// The longest over services; with one service, its figure.
			svcs, err := scenario.Services(out.World)
			require.NoError(t, err)
			var longest time.Duration
			for _, svc := range svcs {
				st := stats.Service(svc.ServiceArn)
				if st != nil && st.DeployedAt != 0 && st.SettledAt != 0 {
					longest = max(longest, st.SettledAt.Sub(st.DeployedAt))
				}
			}
			require.InDelta(t, longest.Seconds(), v[metrics.TimeToSteady], 1e-9, "%s seed %d", ex.Name, seed)
			require.LessOrEqual(t, v[metrics.TimeToSteady], v[metrics.DeployTime]+1e-9, "%s seed %d", ex.Name, seed)
			if !math.IsNaN(v[metrics.MinRunning]) {
				require.LessOrEqual(t, v[metrics.MinHealthy], v[metrics.MinRunning], "%s seed %d", ex.Name, seed)
			}
			require.Equal(t, v[metrics.Passed] == 1, v[metrics.ExpectFailed] == 0)
		}
	}
}

// rolling is a rolling update whose minimumHealthyPercent is a parameter.
const rolling = `params:
  minHealthy: {type: int, default: 100}
duration: 30m
steps:
  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: demo}}
  - at: 0s
    call: ecs:RegisterTaskDefinition
    input: &td
      family: web
      networkMode: awsvpc
      requiresCompatibilities: [FARGATE]
      cpu: "256"
      memory: "512"
      containerDefinitions: [{name: web, image: "web:1", essential: true}]
  - at: 0s
    call: ecs:CreateService
    input:
      cluster: demo
      serviceName: web
      taskDefinition: web
      desiredCount: 4
      launchType: FARGATE
      deploymentConfiguration: {minimumHealthyPercent: "${minHealthy}", maximumPercent: 200}
      networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-aaaa0001]}}
  - {at: 10m, call: ecs:RegisterTaskDefinition, input: *td}
  - {at: 10m, call: ecs:UpdateService, input: {cluster: demo, service: web, taskDefinition: "web:2"}}
`

func TestMinRunningFollowsMinimumHealthyPercent(t *testing.T) {
	for _, tc := range []struct {
		minHealthy string
		want       float64
	}{{"100", 4}, {"50", 2}, {"0", 0}} {
		s, err := scenario.ParseWith("r.yaml", []byte(rolling), scenario.Settings{"minHealthy": tc.minHealthy})
		require.NoError(t, err)
		res, _, _ := measure(t, s, 1)
		require.Equal(t, tc.want, res.Values[metrics.MinRunning], "minimumHealthyPercent %s", tc.minHealthy)
		require.Len(t, res.Deployments, 2)
		require.Equal(t, -1, res.Deployments[0].MinRunning, "the first deployment is not measured")
		require.Equal(t, "COMPLETED", res.Deployments[1].State)
	}
}

func TestNoUpdateAndFailures(t *testing.T) {
	src := strings.Replace(rolling, "  - {at: 10m, call: ecs:UpdateService, input: {cluster: demo, service: web, taskDefinition: \"web:2\"}}\n",
		"  - {at: 10m, call: ecs:UpdateService, input: {cluster: demo, service: gone, taskDefinition: \"web:2\"}}\n", 1)
	src += "expect:\n  - {at: 5m, service: demo/web, runningCount: 5}\n"
	s, err := scenario.Parse("r.yaml", []byte(src))
	require.NoError(t, err)
	res, _, out := measure(t, s, 1)
	require.Len(t, out.Failures(), 1)
	v := res.Values
	require.True(t, math.IsNaN(v[metrics.MinRunning]), "no deployment after the first")
	require.Equal(t, "-", metrics.All[metrics.MinRunning].Format(v[metrics.MinRunning]))
	require.Equal(t, float64(2), v[metrics.ExpectFailed], "a failed check and a failed step")
	require.Equal(t, float64(0), v[metrics.Passed])
	require.Equal(t, float64(4), v[metrics.PeakTasks])
}

func TestFormat(t *testing.T) {
	tests := []struct {
		id   metrics.ID
		v    float64
		want string
	}{
		{metrics.TimeToSteady, 84.4, "1m24s"},
		{metrics.TimeToSteady, 12.5, "12.5s"},
		{metrics.TimeToSteady, math.Inf(1), "never"},
		{metrics.MinRunning, math.NaN(), "-"},
		{metrics.CostUSD, 0.125, "0.12"},
		{metrics.PeakTasks, 11, "11"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, metrics.All[tc.id].Format(tc.v))
	}
	m, ok := metrics.Lookup("cb_trips")
	require.True(t, ok)
	require.Equal(t, metrics.CircuitBreakerTrips, m.ID)
	_, ok = metrics.Lookup("nope")
	require.False(t, ok)
	for i, m := range metrics.All {
		require.Equal(t, metrics.ID(i), m.ID)
	}
}

// sidecar is a rolling update of a service whose tasks have a log router
// that is essential and defines no health check, next to an application
// that defines one: the tasks' healthStatus stays UNKNOWN, yet the
// scheduler counts them healthy once the application is HEALTHY.
const sidecar = `duration: 30m
steps:
  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: demo}}
  - at: 0s
    call: ecs:RegisterTaskDefinition
    input: &td
      family: web
      networkMode: awsvpc
      requiresCompatibilities: [FARGATE]
      cpu: "256"
      memory: "512"
      containerDefinitions:
        - {name: log_router, image: "fluent-bit:1", essential: true, firelensConfiguration: {type: fluentbit}, memoryReservation: 50}
        - name: app
          image: "web:1"
          essential: true
          healthCheck: {command: [CMD-SHELL, "curl -f http://localhost/ || exit 1"], interval: 10, retries: 3, startPeriod: 10}
  - at: 0s
    call: ecs:CreateService
    input:
      cluster: demo
      serviceName: web
      taskDefinition: web
      desiredCount: 4
      launchType: FARGATE
      deploymentConfiguration: {minimumHealthyPercent: 100, maximumPercent: 200}
      networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-aaaa0001]}}
  - {at: 10m, call: ecs:RegisterTaskDefinition, input: *td}
  - {at: 10m, call: ecs:UpdateService, input: {cluster: demo, service: web, taskDefinition: "web:2"}}
`

// TestMinHealthyCountsSidecarTasks: min_healthy follows the documented
// rule, not the task's healthStatus. A log router without a health check
// keeps every task UNKNOWN, but the tasks count as healthy once the
// application's check passes, so a 100/200 rollout keeps four healthy.
func TestMinHealthyCountsSidecarTasks(t *testing.T) {
	s, err := scenario.Parse("sidecar.yaml", []byte(sidecar))
	require.NoError(t, err)
	res, _, _ := measure(t, s, 1)
	require.Len(t, res.Deployments, 2)
	require.Equal(t, "COMPLETED", res.Deployments[1].State)
	require.Equal(t, float64(4), res.Values[metrics.MinRunning])
	require.Equal(t, float64(4), res.Values[metrics.MinHealthy])
}

// TestUserMetrics: the scenario's own metrics come after the built-in
// ones, in file order: a service's field at a time, and counts of events
// by name and by type, for one service or all, each checked against the
// trace counted here.
func TestUserMetrics(t *testing.T) {
	src := strings.Replace(rolling, "minHealthy: {type: int, default: 100}", "minHealthy: {type: int, default: 50}", 1) + `metrics:
  - {name: running_at_5m, service: demo/web, field: runningCount, at: 5m}
  - {name: steady_states, count: SERVICE_STEADY_STATE}
  - {name: web_task_events, service: demo/web, count: ECS Task State Change}
  - {name: deployment_events, count: ECS Deployment State Change}
  - {name: deployments_at_10m1s, service: demo/web, field: deployments, at: 10m1s}
`
	s, err := scenario.Parse("r.yaml", []byte(src))
	require.NoError(t, err)
	var rec *metrics.Recorder
	var w *ecssim.World
	seed := uint64(3)
	out, err := scenario.Run(s, scenario.Options{Seed: &seed, OnWorld: func(world *ecssim.World) {
		w, rec = world, metrics.Attach(world, s.Metrics...)
	}})
	require.NoError(t, err)
	res := rec.Result(out, err)
	require.Len(t, res.Values, metrics.Count+5)
	var names []string
	for _, m := range res.Metrics[metrics.Count:] {
		names = append(names, m.Name)
	}
	require.Equal(t, []string{"running_at_5m", "steady_states", "web_task_events", "deployment_events", "deployments_at_10m1s"}, names)
	require.Equal(t, metrics.All[:], res.Metrics[:metrics.Count])

	steady, tasks, deployments := 0, 0, 0
	for _, r := range w.Trace().Records() {
		switch d := r.Detail.(type) {
		case ecs.ServiceAction:
			if d.EventName == "SERVICE_STEADY_STATE" {
				steady++
			}
		case *ecs.TaskStateChange:
			if d.Group == "service:web" {
				tasks++
			}
		}
		if r.Type == ecs.EventDeploymentStateChange {
			deployments++
		}
	}
	require.Positive(t, steady)
	require.Positive(t, tasks)
	require.Equal(t, []float64{4, float64(steady), float64(tasks), float64(deployments), 2}, res.Values[metrics.Count:])
	require.Equal(t, float64(4), float64(deployments), "two deployments, each IN_PROGRESS then COMPLETED")

	// Without the scenario's metrics, only the built-in ones.
	plain, _, _ := measure(t, s, seed)
	require.Len(t, plain.Values, metrics.Count)
	require.Equal(t, plain.Values, res.Values[:metrics.Count])
}

// TestBuiltinNamesReserved: the scenario parser refuses exactly the
// built-in metrics' names.
func TestBuiltinNamesReserved(t *testing.T) {
	var names []string
	for _, m := range metrics.All {
		names = append(names, m.Name)
	}
	require.Equal(t, names, scenario.BuiltinMetricNames)
	require.Len(t, metrics.For(nil), metrics.Count)
}
