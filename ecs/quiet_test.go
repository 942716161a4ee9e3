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

func ptrTo[T any](v T) *T { return &v }

// quietImages are container behaviours that make reconcile passes busy:
// slow pulls, crashes, failing and flaky health checks, slow stops.
var quietImages = map[string]workload.Image{
	"app:good":  {},
	"app:slow":  {PullTime: workload.Uniform(30*time.Second, 90*time.Second), StopTime: workload.Uniform(10*time.Second, 60*time.Second)},
	"app:crash": {ExitAfter: ptrTo(workload.Uniform(0, 5*time.Minute)), ExitCode: 2},
	"app:sick":  {HealthCheck: workload.HealthFailing},
	"app:flaky": {HealthCheckFailsAfter: ptrTo(workload.Exponential(10 * time.Minute))},
}

var quietImageNames = []string{"app:good", "app:slow", "app:crash", "app:sick", "app:flaky"}

// quietRun plays a random service (deployments, scaling up and down,
// health checks, circuit breaker) from seed and returns its trace hash.
func quietRun(t *testing.T, seed uint64) string {
	w, r, register := quietWorld(t, seed)
	return randomUpdates(t, w, r, 8, 40, register)
}

// quietWorld makes quietRun's world and random service from seed, and
// returns them with the random stream and what registers a random
// revision.
func quietWorld(t *testing.T, seed uint64) (*ecssim.World, *rand.Rand, func()) {
	r := rand.New(rand.NewPCG(seed, 5))
	w, err := ecssim.New(ecssim.Config{Seed: seed, Images: quietImages})
	require.NoError(t, err)
	c := w.ECS()
	_, err = c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	register := func() {
		img := quietImageNames[r.IntN(len(quietImageNames))]
		hc := ""
		if r.IntN(2) == 0 {
			hc = `,"healthCheck":{"command":["CMD-SHELL","true"],"interval":10,"retries":2,"startPeriod":20}`
		}
		_, err := w.Call("ecs:RegisterTaskDefinition", []byte(fmt.Sprintf(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
			"containerDefinitions":[{"name":"app","image":%q%s}]}`, img, hc)))
		require.NoError(t, err)
	}
	register()
	_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("app"),
		DesiredCount: api.Int32(int32(1 + r.IntN(30))), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: api.Int32(int32(100 + 25*r.IntN(5))), MinimumHealthyPercent: api.Int32(int32(25 * r.IntN(5))),
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: r.IntN(2) == 0, Rollback: r.IntN(2) == 0}}})
	require.NoError(t, err)
	return w, r, register
}

// randomUpdates drives service demo/web through rounds random updates (a
// new revision made by register, a desired count below maxDesired, or a
// forced deployment) a few minutes apart, runs half an hour more, and
// returns the trace hash.
func randomUpdates(t *testing.T, w *ecssim.World, r *rand.Rand, rounds, maxDesired int, register func()) string {
	t.Helper()
	for range rounds {
		require.NoError(t, w.RunFor(time.Duration(1+r.IntN(8))*time.Minute))
		in := &ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web")}
		switch r.IntN(3) {
		case 0:
			register()
			in.TaskDefinition = api.String("app")
		case 1:
			in.DesiredCount = api.Int32(int32(r.IntN(maxDesired)))
		default:
			in.ForceNewDeployment = api.Bool(true)
		}
		_, err := w.ECS().UpdateService(in)
		require.NoError(t, err)
	}
	require.NoError(t, w.RunFor(30*time.Minute))
	return w.Trace().Hash()
}

// requireSwitchKeepsTrace runs each seed with a shortcut of the model
// off and then on (set switches it; it is left on), and requires the
// same trace.
func requireSwitchKeepsTrace(t *testing.T, seeds uint64, set func(on bool), run func(*testing.T, uint64) string) {
	t.Helper()
	t.Cleanup(func() { set(true) })
	for seed := range seeds {
		set(false)
		off := run(t, seed)
		set(true)
		on := run(t, seed)
		require.Equal(t, off, on, "seed %d", seed)
	}
}

// requireQuietKeepsTrace runs each seed with every reconcile pass and
// with quiet passes skipped, and requires the same trace.
func requireQuietKeepsTrace(t *testing.T, seeds uint64, run func(*testing.T, uint64) string) {
	t.Helper()
	requireSwitchKeepsTrace(t, seeds, ecs.SetQuietPasses, run)
}

// TestQuietPassesKeepTheTrace: skipping the reconcile passes that
// quietPass finds quiet gives the trace that running every pass gives.
func TestQuietPassesKeepTheTrace(t *testing.T) {
	requireQuietKeepsTrace(t, 40, quietRun)
}

// TestReusedTaskRecordsKeepTheTrace: reusing the records of expired tasks
// gives the trace that fresh records give, over random services whose
// updates go on past the hour after their first tasks stopped.
func TestReusedTaskRecordsKeepTheTrace(t *testing.T) {
	t.Cleanup(func() { ecs.SetTaskRecordReuse(true) })
	run := func(t *testing.T, seed uint64) string {
		w, r, register := quietWorld(t, seed)
		randomUpdates(t, w, r, 8, 40, register)
		require.NoError(t, w.RunFor(70*time.Minute))
		return randomUpdates(t, w, r, 8, 40, register)
	}
	for seed := range uint64(12) {
		ecs.SetTaskRecordReuse(false)
		fresh := run(t, seed)
		ecs.SetTaskRecordReuse(true)
		reused := run(t, seed)
		require.Equal(t, fresh, reused, "seed %d", seed)
	}
}
