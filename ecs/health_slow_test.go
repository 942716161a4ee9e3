package ecs_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/workload"
)

// firstHealth runs one task of an image under a health check and returns
// the task's first health status other than UNKNOWN and how long after
// RUNNING it came.
func firstHealth(t *testing.T, img workload.Image, hc string, tick bool) (string, time.Duration) {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: 4, Images: map[string]workload.Image{"app:1": img}, TickHealthChecks: tick})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"h","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1","healthCheck":{"command":["CMD","true"],%s}}]}`, hc))
	require.NoError(t, err)
	_, err = w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("h"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(10*time.Minute))
	var running time.Duration = -1
	for _, r := range w.Trace().Records() {
		d, ok := r.Detail.(*ecs.TaskStateChange)
		if !ok {
			continue
		}
		if d.LastStatus == ecs.StatusRunning && running < 0 {
			running = time.Duration(r.Time)
		}
		if d.HealthStatus != ecs.HealthUnknown && running >= 0 {
			return d.HealthStatus, time.Duration(r.Time) - running
		}
	}
	t.Fatal("the task's health never changed")
	return "", 0
}

// TestSlowStartingImage: an image whose health check passes only 40 s
// after the container started fails every check before; those failures
// count once the start period is over, so a 10 s startPeriod with
// interval 10 s and 3 retries makes the container UNHEALTHY at 30 s,
// while a 60 s startPeriod lets it turn HEALTHY at the first check after
// 40 s. Tick mode agrees with the analytic computation.
// [API:HealthCheck.startPeriod]
func TestSlowStartingImage(t *testing.T) {
	fixed := func(d time.Duration) *workload.Dist { x := workload.Fixed(d); return &x }
	failsLater := workload.Fixed(2 * time.Minute)
	cases := []struct {
		name   string
		img    workload.Image
		hc     string
		status string
		at     time.Duration
	}{
		{"start period too short", workload.Image{HealthyAfter: fixed(40 * time.Second)},
			`"interval":10,"retries":3,"startPeriod":10`, ecs.HealthUnhealthy, 30 * time.Second},
		{"start period long enough", workload.Image{HealthyAfter: fixed(40 * time.Second)},
			`"interval":10,"retries":3,"startPeriod":60`, ecs.HealthHealthy, 40 * time.Second},
		{"retries carry it", workload.Image{HealthyAfter: fixed(35 * time.Second)},
			`"interval":10,"retries":4,"startPeriod":10`, ecs.HealthHealthy, 40 * time.Second},
		{"no start period, ready in time", workload.Image{HealthyAfter: fixed(25 * time.Second)},
			`"interval":10,"retries":3`, ecs.HealthHealthy, 30 * time.Second},
		{"ready before the first check", workload.Image{HealthyAfter: fixed(5 * time.Second)},
			`"interval":10,"retries":3`, ecs.HealthHealthy, 10 * time.Second},
		{"never ready before it fails, hanging", workload.Image{HealthyAfter: fixed(5 * time.Minute), HealthCheckFailsAfter: &failsLater, HealthCheckHangs: true},
			`"interval":10,"timeout":5,"retries":3,"startPeriod":20`, ecs.HealthUnhealthy, 40 * time.Second},
		{"failing image", workload.Image{HealthyAfter: fixed(20 * time.Second), HealthCheck: workload.HealthFailing},
			`"interval":10,"retries":3`, ecs.HealthUnhealthy, 30 * time.Second},
	}
	// The container starts a little before the task is RUNNING: a plain
	// image turns HEALTHY at its first check, 10 s after the start.
	_, first := firstHealth(t, workload.Image{}, `"interval":10`, false)
	lead := 10*time.Second - first
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.at -= lead
			status, at := firstHealth(t, tc.img, tc.hc, false)
			require.Equal(t, tc.status, status)
			require.Equal(t, tc.at, at)
			status, at = firstHealth(t, tc.img, tc.hc, true)
			require.Equal(t, tc.status, status, "tick mode agrees")
			require.Equal(t, tc.at, at, "tick mode agrees")
		})
	}
}

// TestSlowStartingImageLaterFailure: after a slow start the container
// passes until its checks start failing, analytic and tick alike.
func TestSlowStartingImageLaterFailure(t *testing.T) {
	ready, fails := workload.Fixed(30*time.Second), workload.Fixed(2*time.Minute)
	for _, hangs := range []bool{false, true} {
		img := workload.Image{HealthyAfter: &ready, HealthCheckFailsAfter: &fails, HealthCheckHangs: hangs}
		hc := `"interval":10,"timeout":5,"retries":3,"startPeriod":10`
		a := unhealthyAt(t, img, hc, false)
		require.Equal(t, a, unhealthyAt(t, img, hc, true), "hangs %v: tick mode agrees", hangs)
	}
}

// slowTrace runs three tasks of an image under a health check and returns
// the trace's hash, and the health statuses its tasks reported.
func slowTrace(t *testing.T, seed uint64, img workload.Image, hc string, tick bool) (string, map[string]int) {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: seed, Images: map[string]workload.Image{"app:1": img}, TickHealthChecks: tick})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"h","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1","healthCheck":{"command":["CMD","true"],%s}}]}`, hc))
	require.NoError(t, err)
	_, err = w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("h"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc, Count: api.Int32(3)})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(15*time.Minute))
	statuses := map[string]int{}
	for _, r := range w.Trace().Records() {
		if d, ok := r.Detail.(*ecs.TaskStateChange); ok {
			statuses[d.HealthStatus]++
		}
	}
	return w.Trace().Hash(), statuses
}

// TestSlowStartAnalyticEqualsTick: over random slow starts, check
// settings, later failures and hanging checks, jumping to the next health
// change gives the trace that running every check gives.
func TestSlowStartAnalyticEqualsTick(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	seen := map[string]int{}
	for i := range 60 {
		ready := workload.Uniform(0, 2*time.Minute)
		img := workload.Image{HealthyAfter: &ready}
		if r.IntN(3) == 0 {
			fails := workload.Exponential(3 * time.Minute)
			img.HealthCheckFailsAfter = &fails
		}
		img.HealthCheckHangs = r.IntN(3) == 0
		hc := fmt.Sprintf(`"interval":%d,"timeout":%d,"retries":%d,"startPeriod":%d`, 5+r.IntN(26), 2+r.IntN(10), 1+r.IntN(5), r.IntN(91))
		analytic, statuses := slowTrace(t, uint64(i), img, hc, false)
		tick, _ := slowTrace(t, uint64(i), img, hc, true)
		require.Equal(t, analytic, tick, "case %d: %s %+v", i, hc, img)
		for k, v := range statuses {
			seen[k] += v
		}
	}
	// Slow starts both turned healthy and were marked unhealthy.
	require.Positive(t, seen[ecs.HealthHealthy])
	require.Positive(t, seen[ecs.HealthUnhealthy])
}
