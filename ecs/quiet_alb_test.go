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
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// albImages answer a load balancer on /health, some after a warm-up,
// some never (a moved health check), some failing after a while.
var albImages = map[string]workload.Image{
	"web:good":  {HTTP: &workload.HTTP{Paths: map[string]int{"/health": 200}}},
	"web:slow":  {HTTP: &workload.HTTP{ReadyAfter: workload.Uniform(20*time.Second, 2*time.Minute), Paths: map[string]int{"/health": 200}}},
	"web:moved": {HTTP: &workload.HTTP{Paths: map[string]int{"/healthz": 200}}},
	"web:flaky": {HTTP: &workload.HTTP{FailsAfter: ptrTo(workload.Exponential(10 * time.Minute)), Paths: map[string]int{"/health": 200}}},
}

var albImageNames = []string{"web:good", "web:slow", "web:moved", "web:flaky"}

// albQuietRun plays a random service behind an application load balancer
// and returns its trace hash; the package's tests verify the quiet-pass
// counts after every change.
func albQuietRun(t *testing.T, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 6))
	w, err := ecssim.New(ecssim.Config{Seed: seed, Images: albImages})
	require.NoError(t, err)
	tg := targetGroup(t, w)
	_, err = w.ELB().ModifyTargetGroup(&elb.ModifyTargetGroupInput{TargetGroupArn: &tg, HealthCheckPath: api.String("/health"),
		HealthCheckIntervalSeconds: api.Int32(int32(5 + r.IntN(20))), HealthyThresholdCount: api.Int32(2)})
	require.NoError(t, err)
	c := w.ECS()
	_, err = c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	register := func() {
		_, err := w.Call("ecs:RegisterTaskDefinition", []byte(fmt.Sprintf(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
			"containerDefinitions":[{"name":"app","image":%q,"portMappings":[{"containerPort":80}]}]}`, albImageNames[r.IntN(len(albImageNames))])))
		require.NoError(t, err)
	}
	register()
	_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("app"),
		DesiredCount: api.Int32(int32(1 + r.IntN(12))), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc,
		HealthCheckGracePeriodSeconds: api.Int32(int32(30 * r.IntN(4))),
		LoadBalancers:                 []ecs.LoadBalancer{{TargetGroupArn: &tg, ContainerName: api.String("app"), ContainerPort: api.Int32(80)}},
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: api.Int32(int32(100 + 25*r.IntN(5))), MinimumHealthyPercent: api.Int32(int32(25 * r.IntN(5))),
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: r.IntN(2) == 0, Rollback: r.IntN(2) == 0}}})
	require.NoError(t, err)
	return randomUpdates(t, w, r, 6, 15, register)
}

// TestQuietPassesKeepTheTraceBehindALB: with load balancer health in play
// (targets turning healthy late, unhealthy, draining), skipping quiet
// reconcile passes still gives the trace of running every pass.
func TestQuietPassesKeepTheTraceBehindALB(t *testing.T) {
	requireQuietKeepsTrace(t, 25, albQuietRun)
}
