package ecssim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
)

// sidecarTaskDefinition is the shape most production services have: the
// application, an Envoy proxy, both with health checks, and a FireLens log
// router that is essential but defines no health check.
func sidecarTaskDefinition(appImage string) string {
	return `{"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024",
	"containerDefinitions":[
	  {"name":"log_router","image":"public.ecr.aws/aws-observability/aws-for-fluent-bit:stable","essential":true,
	   "firelensConfiguration":{"type":"fluentbit"},"memoryReservation":50},
	  {"name":"envoy","image":"public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod","essential":true,
	   "healthCheck":{"command":["CMD-SHELL","curl -s http://localhost:9901/server_info | grep state | grep -q LIVE"],"interval":5,"timeout":2,"retries":3,"startPeriod":10}},
	  {"name":"app","image":"` + appImage + `","essential":true,"portMappings":[{"containerPort":80}],
	   "dependsOn":[{"containerName":"envoy","condition":"HEALTHY"}],
	   "logConfiguration":{"logDriver":"awsfirelens","options":{"Name":"cloudwatch"}},
	   "healthCheck":{"command":["CMD-SHELL","curl -f http://localhost/ || exit 1"],"interval":10,"retries":3,"startPeriod":10}}]}`
}

func sidecarRollout(f *fleet, run func(time.Duration)) {
	_, err := f.w.Call("ecs:RegisterTaskDefinition", []byte(sidecarTaskDefinition("nginx:1.25")))
	require.NoError(f.t, err)
	f.createService("web", "web", 4, 150, 50, nil)
	run(5 * time.Minute)
	_, err = f.w.Call("ecs:RegisterTaskDefinition", []byte(sidecarTaskDefinition("nginx:1.26")))
	require.NoError(f.t, err)
	f.update("web", "web:2")
	run(15 * time.Minute)
}

func init() {
	scenarios = append(scenarios, scenario{name: "sidecar-rolling-150-50", run: sidecarRollout, check: completedWith("web:2", 4)})
}

// TestSidecarWithoutHealthCheckDoesNotHoldDeployment: a log router with no
// health check leaves every task's healthStatus UNKNOWN, as the API
// documents, but the scheduler counts a task as healthy once the
// containers that define checks are HEALTHY, so a 150/50 rollout keeps at
// least ceil(4×50%)=2 healthy tasks and completes.
func TestSidecarWithoutHealthCheckDoesNotHoldDeployment(t *testing.T) {
	f := newFleet(t, 1, nil)
	c := ecssimtest.NewChecker(f.w)
	defer c.Close()
	arn := ""
	lowest, steady := 4, false
	run := func(d time.Duration) {
		end := f.w.Engine().Now().Add(d)
		for f.w.Engine().NextAt() <= end {
			_, err := f.w.Step()
			require.NoError(t, err)
			c.Check()
			if arn == "" {
				arn = f.service("web").ServiceArn
			}
			// From the first time all four tasks are healthy on.
			steady = steady || c.Healthy(arn) == 4
			if steady {
				lowest = min(lowest, c.Healthy(arn))
			}
		}
		require.NoError(t, f.w.Engine().RunUntil(end))
		require.NoError(t, c.Err())
	}
	sidecarRollout(f, run)
	completedWith("web:2", 4)(t, f)
	require.True(t, steady, "the first deployment reaches four healthy tasks")
	require.GreaterOrEqual(t, lowest, 2, "ceil(4 × 50%) = 2 healthy tasks at all times once the service first had them")

	tasks, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: ptr("demo"), ServiceName: ptr("web")})
	require.NoError(t, err)
	d, err := f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: ptr("demo"), Tasks: tasks.TaskArns})
	require.NoError(t, err)
	require.Len(t, d.Tasks, 4)
	for _, task := range d.Tasks {
		require.Equal(t, ecs.HealthUnknown, task.HealthStatus, "an essential container without a health check keeps the task UNKNOWN [API:HealthCheck]")
		for _, ct := range task.Containers {
			if ct.Name == "log_router" {
				require.Equal(t, ecs.HealthUnknown, ct.HealthStatus)
			} else {
				require.Equal(t, ecs.HealthHealthy, ct.HealthStatus)
			}
		}
	}
}
