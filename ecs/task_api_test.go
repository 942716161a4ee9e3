package ecs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

const nginxDef = `{"family":"nginx","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
	"containerDefinitions":[{"name":"nginx","image":"nginx:1.25","portMappings":[{"containerPort":80}]}]}`

var awsvpc = &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
	Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}, SecurityGroups: []string{"sg-00000001"}}}

func newWorld(t *testing.T) *ecssim.World {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: 3})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(nginxDef))
	require.NoError(t, err)
	return w
}

func TestRunTaskErrors(t *testing.T) {
	cases := []struct {
		name string
		in   ecs.RunTaskInput
		code string
		msg  string
	}{
		{"unknown cluster", ecs.RunTaskInput{Cluster: api.String("nope"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc},
			ecs.CodeClusterNotFound, "Cluster not found."},
		{"no task definition", ecs.RunTaskInput{Cluster: api.String("demo"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc},
			api.CodeInvalidParameterException, "TaskDefinition can not be blank."},
		{"count 11", ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), Count: api.Int32(11), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc},
			api.CodeInvalidParameterException, "Count must be between 1 and 10."},
		{"no network configuration", ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE")},
			api.CodeInvalidParameterException, "Network Configuration must be provided when networkMode 'awsvpc' is specified."},
		{"unknown subnet", ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-12345678"}}}},
			api.CodeInvalidParameterException, "Error retrieving subnet information for [subnet-12345678]: The subnet ID 'subnet-12345678' does not exist (ErrorCode: InvalidSubnetID.NotFound)"},
		{"unknown security group", ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-aaaa0001"}, SecurityGroups: []string{"sg-99"}}}},
			api.CodeInvalidParameterException, "Error retrieving security group information for [sg-99]: The security group 'sg-99' does not exist (ErrorCode: InvalidGroup.NotFound)"},
		{"override of unknown container", ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc,
			Overrides: &ecs.TaskOverride{ContainerOverrides: []ecs.ContainerOverride{{Name: api.String("sidecar")}}}},
			api.CodeInvalidParameterException, "Override for container named sidecar is not a container in the TaskDefinition."},
		{"launch type and strategy", ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc,
			CapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: api.String("FARGATE")}}},
			api.CodeInvalidParameterException, "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."},
		{"bad startedBy", ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc, StartedBy: api.String("a b")},
			api.CodeInvalidParameterException, "startedBy must be up to 128 letters (uppercase and lowercase), numbers, hyphens, forward slashes, and underscores."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			before := w.Trace().Len()
			_, err := w.ECS().RunTask(&tc.in)
			var e *api.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tc.code, e.Code)
			require.Equal(t, tc.msg, e.Message)
			// Bad input changes nothing: the only new trace record is the
			// failed call itself, and no task exists.
			require.Equal(t, before+1, w.Trace().Len())
			list, err := w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo")})
			require.NoError(t, err)
			require.Empty(t, list.TaskArns)
		})
	}
}

func TestRunTaskLifecycle(t *testing.T) {
	w := newWorld(t)
	out, err := w.ECS().RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), Count: api.Int32(2),
		LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc, StartedBy: api.String("ci/job-1")})
	require.NoError(t, err)
	require.Len(t, out.Tasks, 2)
	task := out.Tasks[0]
	require.Equal(t, ecs.StatusProvisioning, task.LastStatus)
	require.Equal(t, ecs.StatusRunning, task.DesiredStatus)
	require.Equal(t, "family:nginx", task.Group)
	require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:task/demo/[0-9a-f]{32}$`, task.TaskArn)
	require.NotEqual(t, out.Tasks[0].AvailabilityZone, out.Tasks[1].AvailabilityZone, "tasks spread across the subnets' AZs")

	require.NoError(t, w.WaitTasksRunning("demo", []string{task.TaskArn}, ecssim.WaiterOptions{}))
	d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{task.TaskArn, "0123"}})
	require.NoError(t, err)
	require.Len(t, d.Tasks, 1)
	require.Equal(t, []ecs.Failure{{Arn: api.String("arn:aws:ecs:us-east-1:123456789012:task/demo/0123"), Reason: api.String("MISSING")}}, d.Failures)
	running := d.Tasks[0]
	require.Equal(t, ecs.StatusRunning, running.LastStatus)
	require.False(t, running.PullStartedAt.IsZero())
	require.False(t, running.PullStoppedAt.Before(running.PullStartedAt.Time))
	require.False(t, running.StartedAt.Before(running.PullStoppedAt.Time))
	startup := running.StartedAt.Sub(running.CreatedAt.Time)
	require.Greater(t, startup, 10*time.Second, "Fargate takes tens of seconds to start a task")
	require.Less(t, startup, 2*time.Minute)
	require.Regexp(t, `^172\.31\.\d+\.\d+$`, api.Deref(running.Containers[0].NetworkInterfaces[0].PrivateIpv4Address))

	_, err = w.ECS().StopTask(&ecs.StopTaskInput{Cluster: api.String("demo"), Task: api.String(task.TaskArn)})
	require.NoError(t, err)
	require.NoError(t, w.WaitTasksStopped("demo", []string{task.TaskArn}, ecssim.WaiterOptions{}))
	d, err = w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{task.TaskArn}})
	require.NoError(t, err)
	stopped := d.Tasks[0]
	require.Equal(t, ecs.StopUserInitiated, stopped.StopCode)
	require.Equal(t, "Task stopped by user", stopped.StoppedReason)
	require.Equal(t, int32(0), *stopped.Containers[0].ExitCode)
	require.False(t, stopped.StoppingAt.IsZero())
	require.False(t, stopped.ExecutionStoppedAt.Before(stopped.StoppingAt.Time))
	require.False(t, stopped.StoppedAt.Before(stopped.ExecutionStoppedAt.Time))
	require.Greater(t, stopped.Version, running.Version)

	// ListTasks filters: desiredStatus defaults to RUNNING.
	l, err := w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo")})
	require.NoError(t, err)
	require.Equal(t, []string{out.Tasks[1].TaskArn}, l.TaskArns)
	l, err = w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), DesiredStatus: api.String("STOPPED")})
	require.NoError(t, err)
	require.Equal(t, []string{task.TaskArn}, l.TaskArns)
	l, err = w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), StartedBy: api.String("other")})
	require.NoError(t, err)
	require.Empty(t, l.TaskArns)

	// A stopped task stays describable for an hour, then is MISSING.
	require.NoError(t, w.RunFor(59*time.Minute))
	d, err = w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{task.TaskArn}})
	require.NoError(t, err)
	require.Len(t, d.Tasks, 1)
	require.NoError(t, w.RunFor(2*time.Minute))
	d, err = w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{task.TaskArn}})
	require.NoError(t, err)
	require.Empty(t, d.Tasks)
	require.Equal(t, "MISSING", *d.Failures[0].Reason)
}

func TestStopTimeoutKillsWith137(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Seed: 3})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
	require.NoError(t, err)
	_, err = w.Call("sim:SetImageBehaviour", []byte(`{"image":"slowstop:1","behaviour":{"stopTime":"1m"}}`))
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"s","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"slowstop:1","stopTimeout":10}]}`))
	require.NoError(t, err)
	out, err := w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("s"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	arn := out.Tasks[0].TaskArn
	require.NoError(t, w.WaitTasksRunning("default", []string{arn}, ecssim.WaiterOptions{}))
	_, err = w.ECS().StopTask(&ecs.StopTaskInput{Task: &arn, Reason: api.String("deploy")})
	require.NoError(t, err)
	require.NoError(t, w.WaitTasksStopped("default", []string{arn}, ecssim.WaiterOptions{}))
	d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Tasks: []string{arn}})
	require.NoError(t, err)
	task := d.Tasks[0]
	require.Equal(t, int32(137), *task.Containers[0].ExitCode, "SIGKILL after stopTimeout")
	require.Equal(t, "deploy", task.StoppedReason)
	require.Equal(t, 10*time.Second, task.ExecutionStoppedAt.Sub(task.StoppingAt.Time))
}

func TestEssentialContainerExitStopsTask(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Seed: 3})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
	require.NoError(t, err)
	_, err = w.Call("sim:SetImageBehaviour", []byte(`{"image":"job:1","behaviour":{"exitAfter":"2m","exitCode":3}}`))
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"j","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"init","image":"busybox","essential":false,"command":["true"]},
		{"name":"job","image":"job:1","dependsOn":[{"containerName":"init","condition":"START"}]}]}`))
	require.NoError(t, err)
	out, err := w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("j"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	arn := out.Tasks[0].TaskArn
	require.NoError(t, w.WaitTasksStopped("default", []string{arn}, ecssim.WaiterOptions{}))
	d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Tasks: []string{arn}})
	require.NoError(t, err)
	task := d.Tasks[0]
	require.Equal(t, ecs.StopEssentialContainerExited, task.StopCode)
	require.Equal(t, "Essential container in task exited", task.StoppedReason)
	require.Equal(t, int32(3), *task.Containers[1].ExitCode)
	require.False(t, task.StartedAt.IsZero())
}

func TestPullErrorFailsTask(t *testing.T) {
	w := newWorld(t)
	_, err := w.ECS().FailImagePulls(&ecs.FailImagePullsInput{Image: api.String("nginx:1.25")})
	require.NoError(t, err)
	out, err := w.ECS().RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	arn := out.Tasks[0].TaskArn
	err = w.WaitTasksRunning("demo", []string{arn}, ecssim.WaiterOptions{})
	require.ErrorIs(t, err, ecssim.ErrWaiterFailed, "the TasksRunning waiter fails when the task stops")
	d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{arn}})
	require.NoError(t, err)
	task := d.Tasks[0]
	require.Equal(t, ecs.StopTaskFailedToStart, task.StopCode)
	require.Contains(t, task.StoppedReason, "CannotPullContainerError")
	require.True(t, task.StartedAt.IsZero())
}

func TestContainerHealthAggregation(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Seed: 3})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
	require.NoError(t, err)
	_, err = w.Call("sim:SetImageBehaviour", []byte(`{"image":"side:1","behaviour":{"healthCheck":"failing"}}`))
	require.NoError(t, err)
	hc := `"healthCheck":{"command":["CMD","check"],"interval":10,"retries":2}`
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"h","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1",`+hc+`},{"name":"side","image":"side:1","essential":false,`+hc+`}]}`))
	require.NoError(t, err)
	out, err := w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("h"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(3*time.Minute))
	d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Tasks: []string{out.Tasks[0].TaskArn}})
	require.NoError(t, err)
	task := d.Tasks[0]
	require.Equal(t, ecs.HealthHealthy, task.Containers[0].HealthStatus)
	require.Equal(t, ecs.HealthUnhealthy, task.Containers[1].HealthStatus)
	require.Equal(t, ecs.HealthHealthy, task.HealthStatus, "only essential containers count")
	require.Equal(t, ecs.StatusRunning, task.LastStatus, "a standalone task keeps running whatever its health")
}
