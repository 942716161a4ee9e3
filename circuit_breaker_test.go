package ecssim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/workload"
)

// runUntil steps f's world with the invariant checker until cond holds,
// failing after limit.
func runUntil(t *testing.T, f *fleet, c *ecssimtest.Checker, limit time.Duration, cond func() bool) {
	t.Helper()
	end := f.w.Engine().Now().Add(limit)
	for !cond() {
		require.LessOrEqual(t, f.w.Engine().NextAt(), end, "condition not met in %s", limit)
		_, err := f.w.Step()
		require.NoError(t, err)
		c.Check()
	}
	require.NoError(t, c.Err())
}

// TestCircuitBreakerStageTwoIgnoresStartFailures: once a task of the
// deployment has reached RUNNING, tasks that fail to start no longer
// count toward the threshold; only health-check failures do.
// [DG:deployment-circuit-breaker]
func TestCircuitBreakerStageTwoIgnoresStartFailures(t *testing.T) {
	f := newFleet(t, 1, nil)
	c := ecssimtest.NewChecker(f.w)
	defer c.Close()
	f.register("web", "myapp:1", false)
	count := "COUNT"
	f.createService("web", "web", 4, 125, 100, &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true,
		ThresholdConfiguration: &ecs.ThresholdConfiguration{Type: &count, Value: api.Int32(2)}})
	require.NoError(t, ecssimtest.RunChecked(f.w, c, 5*time.Minute))
	f.register("web", "myapp:2", false)
	f.update("web", "web:2")
	runUntil(t, f, c, 5*time.Minute, func() bool { return f.service("web").Deployments[0].RunningCount > 0 })

	// A transient registry outage: the next tasks of the deployment fail
	// to pull, more than the threshold of 2.
	_, err := f.w.ECS().FailImagePulls(&ecs.FailImagePullsInput{Image: api.String("myapp:2")})
	require.NoError(t, err)
	require.NoError(t, ecssimtest.RunChecked(f.w, c, 10*time.Minute))
	s := f.service("web")
	require.Len(t, s.Deployments, 2)
	require.Equal(t, ecs.RolloutInProgress, s.Deployments[0].RolloutState, "stage 2 does not count tasks that fail to start")
	stopped, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), DesiredStatus: api.String("STOPPED")})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(stopped.TaskArns), 3, "the outage made several tasks fail to start")

	_, err = f.w.ECS().RestoreImagePulls(&ecs.RestoreImagePullsInput{Image: api.String("myapp:2")})
	require.NoError(t, err)
	require.NoError(t, ecssimtest.RunChecked(f.w, c, 30*time.Minute))
	completedWith("web:2", 4)(t, f)
}

// TestCircuitBreakerStageOneCountsStartFailures: while no task of the
// deployment has reached RUNNING, each task that fails to start counts,
// and the threshold fails the deployment.
func TestCircuitBreakerStageOneCountsStartFailures(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"myapp:broken": broken})
	f.register("web", "myapp:1", false)
	count := "COUNT"
	f.createService("web", "web", 4, 200, 100, &ecs.DeploymentCircuitBreaker{Enable: true,
		ThresholdConfiguration: &ecs.ThresholdConfiguration{Type: &count, Value: api.Int32(2)}})
	require.NoError(t, f.w.RunFor(5*time.Minute))
	f.register("web", "myapp:broken", false)
	f.update("web", "web:2")
	require.NoError(t, f.w.RunFor(10*time.Minute))
	s := f.service("web")
	require.Equal(t, ecs.RolloutFailed, s.Deployments[0].RolloutState)
	require.Equal(t, "ECS deployment circuit breaker: task failed to start.", s.Deployments[0].RolloutStateReason)
	require.Equal(t, int32(4), s.RunningCount, "without rollback the old tasks keep running")
}

// TestCircuitBreakerNothingToRollBackTo: a service whose very first
// deployment fails with rollback on has no completed deployment to go
// back to; the service says so and keeps the failed deployment.
func TestCircuitBreakerNothingToRollBackTo(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"myapp:broken": broken})
	c := ecssimtest.NewChecker(f.w)
	defer c.Close()
	f.register("web", "myapp:broken", false)
	f.createService("web", "web", 2, 200, 100, &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true})
	require.NoError(t, ecssimtest.RunChecked(f.w, c, 30*time.Minute))
	s := f.service("web")
	require.Len(t, s.Deployments, 1)
	d := s.Deployments[0]
	require.Equal(t, ecs.RolloutFailed, d.RolloutState)
	require.Equal(t, "ECS deployment circuit breaker: task failed to start. No completed deployment to roll back to.", d.RolloutStateReason)
	var msgs []string
	for _, e := range s.Events {
		msgs = append(msgs, e.Message)
	}
	require.Contains(t, msgs, "(service web) ("+"deployment "+d.Id+") cannot roll back: no deployment of this service has completed.")
	require.Equal(t, int32(0), s.RunningCount+s.PendingCount, "a FAILED deployment launches no new task")
	for _, m := range msgs {
		require.False(t, strings.Contains(m, "rolling back to"), m)
	}
}
