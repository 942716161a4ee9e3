package ecssimtest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/workload"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	fatal    string
	errors   []string
	cleanups []func()
}

type stop struct{}

func (r *recorder) Helper()                   {}
func (r *recorder) Cleanup(fn func())         { r.cleanups = append(r.cleanups, fn) }
func (r *recorder) Errorf(f string, a ...any) { r.errors = append(r.errors, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatalf(f string, a ...any) {
	r.fatal = fmt.Sprintf(f, a...)
	panic(stop{})
}

// run calls fn with a recorder and returns it once fn returned or failed.
func run(fn func(tb testing.TB)) (r *recorder) {
	r = &recorder{}
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(stop); !ok {
				panic(p)
			}
		}
		for i := len(r.cleanups) - 1; i >= 0; i-- {
			r.cleanups[i]()
		}
	}()
	fn(r)
	return r
}

func deploy(tb testing.TB, w *ecssim.World) {
	for _, image := range []string{"app:1", "app:broken"} {
		_, err := w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"web","networkMode":"awsvpc",
			"requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"app","image":%q}]}`, image))
		require.NoError(tb, err)
	}
	_, err := w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(tb, err)
	_, err = w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web:1"),
		DesiredCount: api.Int32(2), LaunchType: api.String("FARGATE"),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001"}}},
	})
	require.NoError(tb, err)
}

var config = ecssim.Config{Seed: 2, Images: map[string]workload.Image{"app:broken": {PullError: "CannotPullContainerError: not found"}}}

func TestHelpers(t *testing.T) {
	w := ecssimtest.NewWorld(t, config)
	deploy(t, w)
	ecssimtest.RequireRunningCount(t, w, "demo", "web", 2, 5*time.Minute)
	ecssimtest.RequireSteady(t, w, "demo", "web")
	first := ecssimtest.RequireRolloutCompleted(t, w, "demo", "web", "web:1")
	require.Equal(t, ecs.DeploymentPrimary, first.Status)

	_, err := w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), TaskDefinition: api.String("web:2")})
	require.NoError(t, err)
	end := ecssimtest.WaitRollout(t, w, "demo", "web")
	require.Equal(t, ecs.RolloutCompleted, end.RolloutState)
	require.Equal(t, first.TaskDefinition, end.TaskDefinition, "rolled back")
	require.Equal(t, int32(2), ecssimtest.Service(t, w, "demo", "web").RunningCount)
	require.False(t, ecssimtest.Eventually(t, w, time.Minute, func() bool { return false }))
}

func TestHelpersFail(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(tb testing.TB, w *ecssim.World)
		want string
	}{
		{"rollout to another task definition", func(tb testing.TB, w *ecssim.World) {
			ecssimtest.RequireRolloutCompleted(tb, w, "demo", "web", "web:2")
		}, "completed with arn:aws:ecs:us-east-1:123456789012:task-definition/web:1, want web:2"},
		{"running count never reached", func(tb testing.TB, w *ecssim.World) {
			ecssimtest.RequireRunningCount(tb, w, "demo", "web", 5, 10*time.Minute)
		}, "after 10m0s: runningCount of demo/web is 2, want 5"},
		{"no such service", func(tb testing.TB, w *ecssim.World) {
			ecssimtest.Service(tb, w, "demo", "api")
		}, "no such service"},
		{"condition", func(tb testing.TB, w *ecssim.World) {
			ecssimtest.RequireEventually(tb, w, time.Hour, func() bool { return false }, "the moon")
		}, "after 1h0m0s: not the moon"},
		{"steady never", func(tb testing.TB, w *ecssim.World) {
			_, err := w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), TaskDefinition: api.String("web:2"),
				DeploymentConfiguration: &ecs.DeploymentConfiguration{DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{}}})
			require.NoError(tb, err)
			ecssimtest.RequireSteady(tb, w, "demo", "web")
		}, "max attempts exceeded"},
		{"rollout of a missing service", func(tb testing.TB, w *ecssim.World) {
			ecssimtest.WaitRollout(tb, w, "demo", "api")
		}, "waiter entered a failure state"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(func(tb testing.TB) {
				w := ecssimtest.NewWorld(tb, config)
				deploy(t, w)
				ecssimtest.RequireRolloutCompleted(tb, w, "demo", "web", "")
				tc.fn(tb, w)
			})
			require.Contains(t, r.fatal, tc.want)
			require.Empty(t, r.errors, "no invariant violated")
		})
	}
	r := run(func(tb testing.TB) { ecssimtest.NewWorld(tb, ecssim.Config{Region: "mars"}) })
	require.Contains(t, r.fatal, "Config.Region")
}

// TestNewWorldCleanRun shows that a correct run reports nothing at
// cleanup.
func TestNewWorldCleanRun(t *testing.T) {
	r := run(func(tb testing.TB) {
		w := ecssimtest.NewWorld(tb, config)
		deploy(t, w)
		require.NoError(t, w.RunFor(10*time.Minute))
	})
	require.Empty(t, r.fatal)
	require.Empty(t, r.errors)
}
