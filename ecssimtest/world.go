package ecssimtest

import (
	"testing"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// NewWorld returns a World for cfg with the invariant checker switched on:
// the Checker inspects the World after every event that the World's own
// methods run (RunFor, the waiters, requests through awsapi.Config, ...),
// and the first violation stops the run with an error that names it. When
// the test ends, NewWorld fails it if any invariant was violated or an
// event could not be traced. An invalid cfg fails the test at once.
//
// Each check lists and describes every cluster, service, task and
// container instance, so a checked World runs far slower than an
// unchecked one: fine for the minutes to hours of a deployment test; for
// days of a large fleet, use ecssim.New.
func NewWorld(tb testing.TB, cfg ecssim.Config) *ecssim.World {
	tb.Helper()
	w, err := ecssim.New(cfg)
	if err != nil {
		tb.Fatalf("ecssim.New: %v", err)
	}
	c := NewChecker(w)
	remove := w.AfterEvent(func() error {
		c.Check()
		return c.Err()
	})
	tb.Cleanup(func() {
		remove()
		c.Close()
		if err := c.Err(); err != nil {
			tb.Errorf("ecssim invariants: %v", err)
		}
		if err := w.Trace().Err(); err != nil {
			tb.Errorf("ecssim trace: %v", err)
		}
	})
	return w
}

// Service describes one service, failing the test when it does not
// exist.
func Service(tb testing.TB, w *ecssim.World, cluster, service string) ecs.Service {
	tb.Helper()
	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(cluster), Services: []string{service}})
	if err != nil {
		tb.Fatalf("DescribeServices %s/%s: %v", cluster, service, err)
	}
	if len(out.Services) != 1 {
		tb.Fatalf("DescribeServices %s/%s: no such service (%v)", cluster, service, out.Failures)
	}
	return out.Services[0]
}

// WaitRollout runs w until the service's PRIMARY deployment has
// rolloutState COMPLETED or FAILED (World.WaitDeployment with its
// defaults) and returns that deployment; it fails the test when the
// rollout does not end within the waiter's hour.
func WaitRollout(tb testing.TB, w *ecssim.World, cluster, service string) ecs.Deployment {
	tb.Helper()
	d, err := w.WaitDeployment(cluster, service, ecssim.WaiterOptions{})
	if err != nil {
		tb.Fatalf("rollout of %s/%s: %v", cluster, service, err)
	}
	return d
}

// RequireRolloutCompleted waits like WaitRollout and fails the test
// unless the PRIMARY deployment COMPLETED with the task definition
// taskDef (a family:revision or an ARN ending in it; empty: any).
func RequireRolloutCompleted(tb testing.TB, w *ecssim.World, cluster, service, taskDef string) ecs.Deployment {
	tb.Helper()
	d := WaitRollout(tb, w, cluster, service)
	if d.RolloutState != ecs.RolloutCompleted {
		tb.Fatalf("rollout of %s/%s: %s (%s), want COMPLETED", cluster, service, d.RolloutState, d.RolloutStateReason)
	}
	if taskDef != "" && !sameTaskDef(d.TaskDefinition, taskDef) {
		tb.Fatalf("rollout of %s/%s completed with %s, want %s", cluster, service, d.TaskDefinition, taskDef)
	}
	return d
}

// sameTaskDef reports whether the task definition ARN arn is taskDef,
// given as an ARN or as family:revision.
func sameTaskDef(arn, taskDef string) bool {
	return arn == taskDef || len(arn) > len(taskDef) && arn[len(arn)-len(taskDef)-1:] == "/"+taskDef
}

// RequireSteady runs w until the services are stable, as the
// ServicesStable waiter defines it (one deployment, runningCount equal to
// desiredCount), and fails the test when they do not get there within the
// waiter's ten minutes.
func RequireSteady(tb testing.TB, w *ecssim.World, cluster string, services ...string) {
	tb.Helper()
	if err := w.WaitServicesStable(cluster, services, ecssim.WaiterOptions{}); err != nil {
		tb.Fatalf("services %v of %s: %v", services, cluster, err)
	}
}

// RequireRunningCount runs w, event by event, until the service's
// runningCount is n, and fails the test when it is not within the given
// virtual time.
func RequireRunningCount(tb testing.TB, w *ecssim.World, cluster, service string, n int32, within time.Duration) {
	tb.Helper()
	if !Eventually(tb, w, within, func() bool { return Service(tb, w, cluster, service).RunningCount == n }) {
		tb.Fatalf("after %s: runningCount of %s/%s is %d, want %d", within, cluster, service,
			Service(tb, w, cluster, service).RunningCount, n)
	}
}

// RequireEventually runs w, event by event, until cond holds, and fails
// the test with what (a description of cond) when cond does not hold
// within the given virtual time.
func RequireEventually(tb testing.TB, w *ecssim.World, within time.Duration, cond func() bool, what string) {
	tb.Helper()
	if !Eventually(tb, w, within, cond) {
		tb.Fatalf("after %s: not %s", within, what)
	}
}

// Eventually runs w, event by event, until cond holds or the given
// virtual time has passed, and reports whether cond held. The clock stops
// at the event after which cond first held, or exactly within later. A
// failed run (an invariant violated, a handler error) fails the test.
func Eventually(tb testing.TB, w *ecssim.World, within time.Duration, cond func() bool) bool {
	tb.Helper()
	held, err := w.RunUntilFunc(w.Now().Add(within), cond)
	if err != nil {
		tb.Fatalf("running the simulation: %v", err)
	}
	return held
}
