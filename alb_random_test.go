package ecssim_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// albImages are the applications random load-balanced services run.
var albImages = map[string]workload.Image{
	"web:fast":  {HTTP: &workload.HTTP{Paths: map[string]int{"/health": 200}}},
	"web:slow":  {HTTP: &workload.HTTP{ReadyAfter: workload.Uniform(30*time.Second, 3*time.Minute), Paths: map[string]int{"/health": 200}}},
	"web:moved": {HTTP: &workload.HTTP{Paths: map[string]int{"/healthz": 200}}},
	"web:flaky": {HTTP: &workload.HTTP{FailsAfter: ptr(workload.Exponential(15 * time.Minute)), Paths: map[string]int{"/health": 200}}},
	"web:laggy": {HTTP: &workload.HTTP{ResponseTime: workload.Uniform(0, 8*time.Second), Paths: map[string]int{"/health": 200}}},
	"web:crash": {ExitAfter: ptr(workload.Uniform(time.Minute, 10*time.Minute)), ExitCode: 1, HTTP: &workload.HTTP{Paths: map[string]int{"/health": 200}}},
}

var albImageNames = []string{"web:fast", "web:slow", "web:moved", "web:flaky", "web:laggy", "web:crash"}

// randomALBWorld drives one service behind an application load balancer
// through random deployments, scaling, faults and stops, with the
// invariant checker after every event when check is set.
func randomALBWorld(t *testing.T, seed uint64, tick, check bool) *ecssim.World {
	r := rand.New(rand.NewPCG(seed, 10))
	w, err := ecssim.New(ecssim.Config{Seed: seed, Images: albImages, TickHealthChecks: tick})
	require.NoError(t, err)
	f := &fleet{t: t, w: w}
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"),
		HealthCheckIntervalSeconds: api.Int32(int32(5 + r.IntN(30))), HealthCheckTimeoutSeconds: api.Int32(int32(2 + r.IntN(3))),
		HealthyThresholdCount: api.Int32(int32(2 + r.IntN(4))), UnhealthyThresholdCount: api.Int32(int32(2 + r.IntN(4)))},
		fmt.Sprint(r.IntN(4)*30))
	rev := 0
	register := func() string {
		rev++
		f.register("web", albImageNames[r.IntN(len(albImageNames))], false)
		return fmt.Sprintf("web:%d", rev)
	}
	var cb *ecs.DeploymentCircuitBreaker
	if r.IntN(2) == 0 {
		cb = &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: r.IntN(2) == 0}
	}
	f.createLBService(register(), tg, int32(1+r.IntN(5)), int32(r.IntN(4)*30), cb)
	c := ecssimtest.NewChecker(w)
	defer c.Close()
	run := func(d time.Duration) {
		if check {
			require.NoError(t, ecssimtest.RunChecked(w, c, d), "seed %d", seed)
		} else {
			require.NoError(t, w.RunFor(d))
		}
	}
	for range 6 {
		run(time.Duration(1+r.IntN(8)) * time.Minute)
		switch r.IntN(5) {
		case 0:
			f.update("web", register())
		case 1:
			_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), DesiredCount: api.Int32(int32(r.IntN(6)))})
		case 2:
			_, err = w.ELB().FailTargetGroupHealthChecks(&elb.FailTargetGroupHealthChecksInput{TargetGroupArn: &tg, StatusCode: api.Int32(503), For: api.String("2m")})
		case 3:
			tasks, lerr := w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo")})
			require.NoError(t, lerr)
			if len(tasks.TaskArns) > 0 {
				_, err = w.ECS().StopTask(&ecs.StopTaskInput{Cluster: api.String("demo"), Task: &tasks.TaskArns[r.IntN(len(tasks.TaskArns))]})
			}
		case 4:
			_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), ForceNewDeployment: api.Bool(true)})
		}
		require.NoError(t, err)
	}
	run(20 * time.Minute)
	require.NoError(t, w.Trace().Err())
	return w
}

// TestALBRandomServices runs random load-balanced services under the
// invariant checker: targets registered exactly while they should be,
// healthy counts that hold the minimum, the bounds of every rollout.
func TestALBRandomServices(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 10
	}
	for seed := range uint64(n) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { randomALBWorld(t, seed, false, true) })
	}
}

// TestALBAnalyticEqualsTick: the same random services give the same trace
// whether every load balancer and container health check runs as an event
// or only the ones that change health.
func TestALBAnalyticEqualsTick(t *testing.T) {
	var saved uint64
	unhealthy, replaced := 0, 0
	for seed := range uint64(30) {
		a := randomALBWorld(t, seed, false, false)
		b := randomALBWorld(t, seed, true, false)
		require.Equal(t, b.Trace().Hash(), a.Trace().Hash(), "seed %d", seed)
		saved += b.Engine().Processed() - a.Engine().Processed()
		for _, r := range a.Trace().Records() {
			switch d := r.Detail.(type) {
			case *elb.TargetHealthChange:
				if d.State == elb.HealthUnhealthy {
					unhealthy++
				}
			case *ecs.TaskStateChange:
				if d.LastStatus == ecs.StatusDeactivating && strings.HasPrefix(d.StoppedReason, "Task failed ELB health checks") {
					replaced++
				}
			}
		}
	}
	// The comparison means something only if checks ran that the
	// analytic mode skipped, targets turned unhealthy and tasks were
	// replaced for it.
	require.Positive(t, saved)
	require.Positive(t, unhealthy)
	require.Positive(t, replaced)
}
