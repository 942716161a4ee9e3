package ecs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// A revision being deleted stays DELETE_IN_PROGRESS while a task runs it,
// and goes once the task has stopped. [API:DeleteTaskDefinitions]
func TestDeleteInProgressUntilUnused(t *testing.T) {
	w := newWorld(t)
	out, err := w.ECS().RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx:1"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	arn := out.Tasks[0].TaskArn
	require.NoError(t, w.WaitTasksRunning("demo", []string{arn}, ecssim.WaiterOptions{}))
	_, err = w.Call("ecs:DeregisterTaskDefinition", []byte(`{"taskDefinition":"nginx:1"}`))
	require.NoError(t, err)
	_, err = w.Call("ecs:DeleteTaskDefinitions", []byte(`{"taskDefinitions":["nginx:1"]}`))
	require.NoError(t, err)

	describe := func() error {
		_, err := w.Call("ecs:DescribeTaskDefinition", []byte(`{"taskDefinition":"nginx:1"}`))
		return err
	}
	require.NoError(t, w.RunFor(10*time.Minute))
	require.NoError(t, describe(), "still used by a running task")

	_, err = w.ECS().RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx:1"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err), "no new task on a revision being deleted")

	_, err = w.ECS().StopTask(&ecs.StopTaskInput{Cluster: api.String("demo"), Task: &arn})
	require.NoError(t, err)
	require.NoError(t, w.WaitTasksStopped("demo", []string{arn}, ecssim.WaiterOptions{}))
	require.Equal(t, api.CodeClientException, api.ErrorCode(describe()), "gone once nothing uses it")

	// The family keeps counting.
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(nginxDef))
	require.NoError(t, err)
	require.NoError(t, describe2(w, "nginx:2"))
}

func describe2(w *ecssim.World, ref string) error {
	_, err := w.Call("ecs:DescribeTaskDefinition", []byte(`{"taskDefinition":"`+ref+`"}`))
	return err
}
