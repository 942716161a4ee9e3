package ecssim_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/workload"
)

const badImage = "myapp:typo"

// rolloutWorld returns a World with a FARGATE service "demo/web" of three
// tasks of myapp:1 (image myapp:1), the circuit breaker and rollback on,
// and a second revision myapp:2 whose image cannot be pulled.
func rolloutWorld(t *testing.T) *ecssim.World {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: 7, Images: map[string]workload.Image{
		badImage: {PullError: "CannotPullContainerError: not found"},
	}})
	require.NoError(t, err)
	for _, image := range []string{"myapp:1", badImage} {
		_, err := w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"myapp","networkMode":"awsvpc",
			"requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"app","image":%q}]}`, image))
		require.NoError(t, err)
	}
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	_, err = w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("myapp:1"),
		DesiredCount: api.Int32(3), LaunchType: api.String("FARGATE"),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}},
	})
	require.NoError(t, err)
	return w
}

func running(t *testing.T, w *ecssim.World) int32 {
	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	return out.Services[0].RunningCount
}

func TestStepUntilNeverOvershoots(t *testing.T) {
	w := rolloutWorld(t)
	deadline := w.Now().Add(40 * time.Second)
	before := w.Engine().Processed()
	steps := 0
	for {
		ran, err := w.StepUntil(deadline)
		require.NoError(t, err)
		require.False(t, w.Now().After(deadline), "the clock passed the deadline")
		if !ran {
			break
		}
		steps++
	}
	require.Positive(t, steps)
	require.Equal(t, deadline, w.Now())
	require.Equal(t, uint64(steps), w.Engine().Processed()-before)
	next, ok := w.NextEventAt()
	require.True(t, ok)
	require.True(t, next.After(deadline))

	ran, err := w.StepUntil(w.Now().Add(-time.Second))
	require.ErrorIs(t, err, ecssim.ErrPast)
	require.False(t, ran)
	require.Equal(t, deadline, w.Now(), "a refused step changes nothing")
}

func TestRunUntilFunc(t *testing.T) {
	w := rolloutWorld(t)
	deadline := w.Now().Add(time.Hour)
	held, err := w.RunUntilFunc(deadline, func() bool { return running(t, w) == 3 })
	require.NoError(t, err)
	require.True(t, held)
	require.Equal(t, int32(3), running(t, w))
	require.True(t, w.Now().Before(deadline), "stops at the event after which the condition held")
	at := w.Now()

	deadline = w.Now().Add(time.Minute)
	held, err = w.RunUntilFunc(deadline, func() bool { return running(t, w) == 4 })
	require.NoError(t, err)
	require.False(t, held)
	require.Equal(t, deadline, w.Now(), "a condition that never holds runs to the deadline")

	_, err = w.RunUntilFunc(at, func() bool { return true })
	require.ErrorIs(t, err, ecssim.ErrPast)
	_, err = w.RunUntilFunc(w.Now(), nil)
	require.Error(t, err)
	require.ErrorIs(t, w.RunFor(-time.Second), ecssim.ErrPast)
	require.ErrorIs(t, w.RunUntil(at), ecssim.ErrPast)
	require.Error(t, w.RunUntil(time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, deadline, w.Now())
}

func TestAfterEvent(t *testing.T) {
	w := rolloutWorld(t)
	calls := 0
	remove := w.AfterEvent(func() error { calls++; return nil })
	before := w.Engine().Processed()
	require.NoError(t, w.RunFor(5*time.Minute))
	require.Positive(t, calls)
	require.Equal(t, uint64(calls), w.Engine().Processed()-before, "once after every event")

	// The same events run with and without hooks: the trace is the same.
	plain := rolloutWorld(t)
	require.NoError(t, plain.RunFor(5*time.Minute))
	require.Equal(t, plain.Trace().Hash(), w.Trace().Hash())

	remove()
	n := calls
	_, err := w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), DesiredCount: api.Int32(4)})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(time.Minute))
	require.Equal(t, n, calls, "a removed hook is not called")

	stop := errors.New("stop here")
	w.AfterEvent(func() error { return stop })
	now := w.Now()
	_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), DesiredCount: api.Int32(5)})
	require.NoError(t, err)
	require.ErrorIs(t, w.RunFor(time.Hour), stop)
	require.True(t, w.Now().Before(now.Add(time.Hour)), "a hook's error stops the run at its event")
}

func TestWaitDeployment(t *testing.T) {
	w := rolloutWorld(t)
	first, err := w.WaitDeployment("demo", "web", ecssim.WaiterOptions{})
	require.NoError(t, err)
	require.Equal(t, ecs.RolloutCompleted, first.RolloutState)
	require.Equal(t, ecs.DeploymentPrimary, first.Status)
	require.Contains(t, first.TaskDefinition, "myapp:1")
	require.Zero(t, w.Elapsed()%(15*time.Second), "polls every 15 s")

	_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), TaskDefinition: api.String("myapp:2")})
	require.NoError(t, err)
	end, err := w.WaitDeployment("demo", "web", ecssim.WaiterOptions{})
	require.NoError(t, err)
	require.Equal(t, ecs.RolloutCompleted, end.RolloutState)
	require.Contains(t, end.TaskDefinition, "myapp:1", "rolled back")
	require.NotEqual(t, first.Id, end.Id)
	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	require.Len(t, out.Services[0].Deployments, 1, "the failed deployment drained away")
	require.Contains(t, out.Services[0].Events[0].Message, "has reached a steady state")
	rolledBack := false
	for _, e := range out.Services[0].Events {
		rolledBack = rolledBack || strings.Contains(e.Message, "rolling back to deployment "+first.Id)
	}
	require.True(t, rolledBack)

	// Without the circuit breaker a deployment that cannot start never
	// ends: the waiter gives up after its attempts.
	_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), TaskDefinition: api.String("myapp:2"),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{}}})
	require.NoError(t, err)
	_, err = w.WaitDeployment("demo", "web", ecssim.WaiterOptions{MaxAttempts: 8})
	require.ErrorIs(t, err, ecssim.ErrWaiterTimeout)

	_, err = w.WaitDeployment("demo", "nope", ecssim.WaiterOptions{})
	require.ErrorIs(t, err, ecssim.ErrWaiterFailed)
	_, err = w.WaitDeployment("nope", "web", ecssim.WaiterOptions{})
	require.Error(t, err)
}
