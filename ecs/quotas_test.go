package ecs_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// TestDesiredCountQuota: a desired count above the tasks-per-service
// quota is refused by CreateService and UpdateService with AWS's error,
// and changes nothing; 2³¹−1 in particular never reaches the scheduler.
func TestDesiredCountQuota(t *testing.T) {
	const msg = "Desired count exceeds limit."
	for _, n := range []int32{ecs.MaxTasksPerService + 1, math.MaxInt32} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			w := newWorld(t)
			_, err := w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("big"),
				TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(n), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
			requireCode(t, err, api.CodeInvalidParameterException, msg)
			list, err := w.ECS().ListServices(&ecs.ListServicesInput{Cluster: api.String("demo")})
			require.NoError(t, err)
			require.Empty(t, list.ServiceArns)

			createWeb(t, w, 2)
			_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), DesiredCount: api.Int32(n)})
			requireCode(t, err, api.CodeInvalidParameterException, msg)
			d, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
			require.NoError(t, err)
			require.EqualValues(t, 2, d.Services[0].DesiredCount)
		})
	}
	w := newWorld(t)
	createWeb(t, w, ecs.MaxTasksPerService)
}

func TestServicesPerClusterQuota(t *testing.T) {
	w := newWorld(t)
	create := func(name string) error {
		_, err := w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String(name),
			TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(0), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
		return err
	}
	for i := range ecs.MaxServicesPerCluster {
		require.NoError(t, create(fmt.Sprintf("s%04d", i)))
	}
	requireCode(t, create("one-more"), api.CodeInvalidParameterException, "The cluster has reached the limit of 5000 services. Delete services or use another cluster.")
	_, err := w.ECS().DeleteService(&ecs.DeleteServiceInput{Cluster: api.String("demo"), Service: api.String("s0001")})
	require.NoError(t, err)
	requireCode(t, create("one-more"), api.CodeInvalidParameterException, "The cluster has reached the limit of 5000 services. Delete services or use another cluster.")
	require.NoError(t, w.RunFor(15*60e9))
	require.NoError(t, create("one-more"), "an INACTIVE service no longer counts")
}

func requireCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *api.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, code, e.Code)
	require.Equal(t, msg, e.Message)
}

// TestFargateLaunchRate: the service scheduler starts at most 500 Fargate
// tasks of a service per minute; the rest start in the next windows.
func TestFargateLaunchRate(t *testing.T) {
	w := newWorld(t)
	createWeb(t, w, 1200)
	count := func() int {
		n := 0
		var token *string
		for {
			out, err := w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), ServiceName: api.String("web"), NextToken: token})
			require.NoError(t, err)
			n += len(out.TaskArns)
			if token = out.NextToken; token == nil {
				return n
			}
		}
	}
	start := w.Now()
	for _, step := range []struct {
		at   time.Duration
		want int
	}{{0, ecs.MaxFargateLaunchesPerMinute}, {59 * time.Second, 500}, {61 * time.Second, 1000}, {2*time.Minute + time.Second, 1200}} {
		require.NoError(t, w.RunUntil(start.Add(step.at)))
		require.Equal(t, step.want, count(), "at %s", step.at)
	}
	require.NoError(t, w.WaitServicesStable("demo", []string{"web"}, ecssim.WaiterOptions{}))
}

// TestScalingPastTasksPerServiceQuota: Application Auto Scaling cannot
// set a desired count above the quota either; the activity fails with
// AWS's message and the service keeps its count.
func TestScalingPastTasksPerServiceQuota(t *testing.T) {
	w := newWorld(t)
	createWeb(t, w, 2)
	_, err := w.Call("application-autoscaling:RegisterScalableTarget", []byte(`{"ServiceNamespace":"ecs","ResourceId":"service/demo/web",
		"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":6000,"MaxCapacity":6000}`))
	require.NoError(t, err)
	require.NoError(t, w.RunFor(2*time.Minute))
	acts, err := w.Call("application-autoscaling:DescribeScalingActivities", []byte(`{"ServiceNamespace":"ecs"}`))
	require.NoError(t, err)
	require.Contains(t, string(acts), `"StatusCode":"Failed"`)
	require.Contains(t, string(acts), "Desired count exceeds limit.")
	d, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	require.EqualValues(t, 2, d.Services[0].DesiredCount)
}
