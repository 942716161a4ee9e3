package ecs_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// unhealthyAt runs one task of an image under a health check and returns
// when the task turned UNHEALTHY.
func unhealthyAt(t *testing.T, img workload.Image, hc string, tick bool) sim.Time {
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
	for _, r := range w.Trace().Records() {
		if d, ok := r.Detail.(*ecs.TaskStateChange); ok && d.HealthStatus == ecs.HealthUnhealthy {
			return r.Time
		}
	}
	t.Fatal("the task never turned UNHEALTHY")
	return 0
}

// TestHangingHealthChecks: a check whose command hangs counts as a
// failure when its timeout expires, and Docker runs the next check one
// interval after that; so with interval 10 s and timeout 5 s each counted
// failure comes 15 s apart instead of 10 s. Tick mode agrees with the
// analytic computation. [API:HealthCheck]
func TestHangingHealthChecks(t *testing.T) {
	failsAfter := workload.Fixed(time.Minute)
	cases := []struct {
		name         string
		exits, hangs workload.Image
		hc           string
		extra        time.Duration // how much later the hanging checks fail
	}{
		{"failing from the start", workload.Image{HealthCheck: workload.HealthFailing}, workload.Image{HealthCheck: workload.HealthHanging},
			`"interval":10,"timeout":5,"retries":3`, 15 * time.Second},
		{"inside the start period", workload.Image{HealthCheck: workload.HealthFailing}, workload.Image{HealthCheck: workload.HealthHanging},
			`"interval":10,"timeout":5,"retries":2,"startPeriod":20`, 15 * time.Second},
		{"after passing for a minute", workload.Image{HealthCheckFailsAfter: &failsAfter}, workload.Image{HealthCheckFailsAfter: &failsAfter, HealthCheckHangs: true},
			`"interval":10,"timeout":5,"retries":3`, 15 * time.Second},
		{"long timeout", workload.Image{HealthCheck: workload.HealthFailing}, workload.Image{HealthCheck: workload.HealthHanging},
			`"interval":5,"timeout":30,"retries":2`, time.Minute}, // fails at 5+30, 40+30 s, not 5, 10 s
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			exits := unhealthyAt(t, tc.exits, tc.hc, false)
			hangs := unhealthyAt(t, tc.hangs, tc.hc, false)
			require.Equal(t, exits, unhealthyAt(t, tc.exits, tc.hc, true), "tick mode agrees")
			require.Equal(t, hangs, unhealthyAt(t, tc.hangs, tc.hc, true), "tick mode agrees")
			require.Equal(t, tc.extra, hangs.Sub(exits))
		})
	}
}
