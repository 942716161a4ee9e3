package ecs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

func createWeb(t *testing.T, w *ecssim.World, desired int32) {
	t.Helper()
	_, err := w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"),
		TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(desired), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
}

func TestCreateServiceErrors(t *testing.T) {
	cases := []struct {
		name string
		in   ecs.CreateServiceInput
		code string
		msg  string
	}{
		{"awsvpc without network configuration", ecs.CreateServiceInput{ServiceName: api.String("a"), TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(1), LaunchType: api.String("FARGATE")},
			api.CodeInvalidParameterException, "Network Configuration must be provided when networkMode 'awsvpc' is specified."},
		{"missing desired count", ecs.CreateServiceInput{ServiceName: api.String("a"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc},
			api.CodeInvalidParameterException, "desiredCount is required for services using the REPLICA scheduling strategy."},
		{"bad name", ecs.CreateServiceInput{ServiceName: api.String("my service"), TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(1), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc},
			api.CodeInvalidParameterException, "Service name must be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens."},
		{"minimum healthy above 100", ecs.CreateServiceInput{ServiceName: api.String("a"), TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(1), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc,
			DeploymentConfiguration: &ecs.DeploymentConfiguration{MinimumHealthyPercent: api.Int32(101)}},
			api.CodeInvalidParameterException, "minimumHealthyPercent must be between 0 and 100."},
		{"daemon on fargate", ecs.CreateServiceInput{ServiceName: api.String("a"), TaskDefinition: api.String("nginx"), SchedulingStrategy: api.String("DAEMON"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc},
			api.CodeInvalidParameterException, "The daemon scheduling strategy does not support the FARGATE launch type."},
		{"duplicate", ecs.CreateServiceInput{ServiceName: api.String("web"), TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(1), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc},
			api.CodeInvalidParameterException, "Creation of service was not idempotent."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			createWeb(t, w, 1)
			tc.in.Cluster = api.String("demo")
			_, err := w.ECS().CreateService(&tc.in)
			var e *api.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tc.code, e.Code)
			require.Equal(t, tc.msg, e.Message)
			list, err := w.ECS().ListServices(&ecs.ListServicesInput{Cluster: api.String("demo")})
			require.NoError(t, err)
			require.Len(t, list.ServiceArns, 1, "a rejected call creates nothing")
		})
	}
}

func TestDeleteServiceAndCluster(t *testing.T) {
	w := newWorld(t)
	createWeb(t, w, 2)
	require.NoError(t, w.WaitServicesStable("demo", []string{"web"}, ecssim.WaiterOptions{}))

	_, err := w.ECS().DeleteCluster(&ecs.DeleteClusterInput{Cluster: api.String("demo")})
	require.Equal(t, ecs.CodeClusterContainsServices, api.ErrorCode(err))

	_, err = w.ECS().DeleteService(&ecs.DeleteServiceInput{Cluster: api.String("demo"), Service: api.String("web")})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))
	require.EqualError(t, err, "InvalidParameterException: The service cannot be stopped while it is scaled above 0.")

	out, err := w.ECS().DeleteService(&ecs.DeleteServiceInput{Cluster: api.String("demo"), Service: api.String("web"), Force: api.Bool(true)})
	require.NoError(t, err)
	require.Equal(t, ecs.ServiceDraining, out.Service.Status)

	list, err := w.ECS().ListServices(&ecs.ListServicesInput{Cluster: api.String("demo")})
	require.NoError(t, err)
	require.Empty(t, list.ServiceArns, "DRAINING services are not listed")
	_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), DesiredCount: api.Int32(3)})
	require.Equal(t, ecs.CodeServiceNotActive, api.ErrorCode(err))

	require.NoError(t, w.WaitServicesInactive("demo", []string{"web"}, ecssim.WaiterOptions{}))
	d, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web", "nope"}})
	require.NoError(t, err)
	require.Equal(t, ecs.ServiceInactive, d.Services[0].Status)
	require.Equal(t, "MISSING", *d.Failures[0].Reason)

	// All tasks stopped: the cluster can go, and a new service may reuse
	// the name.
	require.NoError(t, w.RunFor(time.Minute))
	c, err := w.ECS().DescribeClusters(&ecs.DescribeClustersInput{Clusters: []string{"demo"}})
	require.NoError(t, err)
	require.Zero(t, c.Clusters[0].ActiveServicesCount)
	require.Zero(t, c.Clusters[0].RunningTasksCount)
	createWeb(t, w, 1)
	_, err = w.ECS().DeleteService(&ecs.DeleteServiceInput{Cluster: api.String("demo"), Service: api.String("web"), Force: api.Bool(true)})
	require.NoError(t, err)
	require.NoError(t, w.WaitServicesInactive("demo", []string{"web"}, ecssim.WaiterOptions{}))
	_, err = w.ECS().DeleteCluster(&ecs.DeleteClusterInput{Cluster: api.String("demo")})
	require.NoError(t, err)
	_, err = w.ECS().ListServices(&ecs.ListServicesInput{Cluster: api.String("demo")})
	require.Equal(t, ecs.CodeClusterNotFound, api.ErrorCode(err))
}

func TestScaleInPlaceWithoutNewDeployment(t *testing.T) {
	w := newWorld(t)
	createWeb(t, w, 4)
	require.NoError(t, w.WaitServicesStable("demo", []string{"web"}, ecssim.WaiterOptions{}))
	before, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), DesiredCount: api.Int32(2)})
	require.NoError(t, err)
	require.NoError(t, w.WaitServicesStable("demo", []string{"web"}, ecssim.WaiterOptions{}))
	after, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	require.Equal(t, before.Services[0].Deployments[0].Id, after.Services[0].Deployments[0].Id, "a desired count change is not a new deployment")
	require.Equal(t, int32(2), after.Services[0].RunningCount)
	require.Contains(t, after.Services[0].Events[0].Message, "has stopped 2 running tasks")
}

func TestCircuitBreakerThreshold(t *testing.T) {
	w := newWorld(t)
	_, err := w.ECS().FailImagePulls(&ecs.FailImagePullsInput{Image: api.String("nginx:1.25")})
	require.NoError(t, err)
	for _, tc := range []struct {
		desired int32
		typ     string
		value   int32
		want    int32
	}{{1, "", 0, 3}, {10, "", 0, 5}, {25, "", 0, 13}, {2, "COUNT", 1, 1}, {4, "UNBOUNDED_PERCENT", 25, 1}} {
		name := "s" + string(rune('a'+tc.desired))
		cb := &ecs.DeploymentCircuitBreaker{Enable: true}
		if tc.typ != "" {
			cb.ThresholdConfiguration = &ecs.ThresholdConfiguration{Type: &tc.typ, Value: &tc.value}
		}
		_, err := w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: &name, TaskDefinition: api.String("nginx"),
			DesiredCount: &tc.desired, LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc,
			DeploymentConfiguration: &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: cb}})
		require.NoError(t, err)
		require.NoError(t, w.RunFor(20*time.Minute))
		d, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{name}})
		require.NoError(t, err)
		dep := d.Services[0].Deployments[0]
		require.Equal(t, ecs.RolloutFailed, dep.RolloutState, "desired %d", tc.desired)
		// Tasks already launched may still fail after the trip, so the
		// count can pass the threshold; it cannot trip before it.
		require.GreaterOrEqual(t, dep.FailedTasks, tc.want, "desired %d %s", tc.desired, tc.typ)
		require.Equal(t, "ECS deployment circuit breaker: task failed to start.", dep.RolloutStateReason)
	}
}

func TestTagServicesTasksInstances(t *testing.T) {
	w := newWorld(t)
	createWeb(t, w, 1)
	d, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	arn := d.Services[0].ServiceArn
	_, err = w.Call("ecs:TagResource", []byte(`{"resourceArn":"`+arn+`","tags":[{"key":"team","value":"web"}]}`))
	require.NoError(t, err)
	out, err := w.Call("ecs:ListTagsForResource", []byte(`{"resourceArn":"`+arn+`"}`))
	require.NoError(t, err)
	require.JSONEq(t, `{"tags":[{"key":"team","value":"web"}]}`, string(out))
	require.NoError(t, w.RunFor(time.Minute))
	tasks, err := w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo")})
	require.NoError(t, err)
	_, err = w.Call("ecs:TagResource", []byte(`{"resourceArn":"`+tasks.TaskArns[0]+`","tags":[{"key":"k","value":"v"}]}`))
	require.NoError(t, err)
	dt, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: tasks.TaskArns, Include: []string{"TAGS"}})
	require.NoError(t, err)
	require.Equal(t, "k", *dt.Tasks[0].Tags[0].Key)
	_, err = w.Call("ecs:TagResource", []byte(`{"resourceArn":"arn:aws:ecs:us-east-1:123456789012:service/demo/nope","tags":[{"key":"k","value":"v"}]}`))
	require.Equal(t, ecs.CodeServiceNotFound, api.ErrorCode(err))
}

// An EXTERNAL service has no deployment of its own; capacity changes and
// faults that wake every service must leave it be.
func TestExternalServiceSurvivesWakeUps(t *testing.T) {
	w := newWorld(t)
	_, err := w.Call("ecs:CreateService", []byte(`{"cluster":"demo","serviceName":"ext","deploymentController":{"type":"EXTERNAL"},"desiredCount":1}`))
	require.NoError(t, err)
	_, err = w.ECS().LaunchInstances(&ecs.LaunchInstancesInput{Cluster: api.String("demo"), InstanceType: api.String("m5.large")})
	require.NoError(t, err)
	_, err = w.ECS().FailAvailabilityZone(&ecs.FailAvailabilityZoneInput{AvailabilityZone: api.String("us-east-1a"), For: api.String("1m")})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(10*time.Minute))
	d, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"ext"}})
	require.NoError(t, err)
	require.Equal(t, ecs.ServiceActive, d.Services[0].Status)
	require.Empty(t, d.Services[0].Deployments)
}
