package ecssim_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/workload"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// fleet is a small builder for service scenarios.
type fleet struct {
	t *testing.T
	w *ecssim.World
}

var defaultSubnets = []string{"subnet-aaaa0001", "subnet-bbbb0002", "subnet-cccc0003"}

func newFleet(t *testing.T, seed uint64, images map[string]workload.Image) *fleet {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: seed, Images: images})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	return &fleet{t: t, w: w}
}

// register registers a one-container Fargate task definition.
func (f *fleet) register(family, image string, healthCheck bool) {
	f.t.Helper()
	hc := ""
	if healthCheck {
		hc = `,"healthCheck":{"command":["CMD-SHELL","curl -f http://localhost/ || exit 1"],"interval":10,"retries":3,"startPeriod":10}`
	}
	doc := fmt.Sprintf(`{"family":%q,"networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":%q,"essential":true,"portMappings":[{"containerPort":80}]%s}]}`, family, image, hc)
	_, err := f.w.Call("ecs:RegisterTaskDefinition", []byte(doc))
	require.NoError(f.t, err)
}

func (f *fleet) createService(name, td string, desired, maxPct, minPct int32, cb *ecs.DeploymentCircuitBreaker) {
	f.t.Helper()
	_, err := f.w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("demo"), ServiceName: api.String(name), TaskDefinition: api.String(td),
		DesiredCount: api.Int32(desired), LaunchType: api.String("FARGATE"),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: api.Int32(maxPct), MinimumHealthyPercent: api.Int32(minPct), DeploymentCircuitBreaker: cb},
		NetworkConfiguration:    &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets, SecurityGroups: []string{"sg-00000001"}}},
	})
	require.NoError(f.t, err)
}

func (f *fleet) update(service, td string) {
	f.t.Helper()
	_, err := f.w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String(service), TaskDefinition: api.String(td)})
	require.NoError(f.t, err)
}

func (f *fleet) service(name string) ecs.Service {
	f.t.Helper()
	out, err := f.w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{name}})
	require.NoError(f.t, err)
	require.Len(f.t, out.Services, 1)
	return out.Services[0]
}

// scenario is one golden service scenario: it drives a fleet, running it
// through ecssimtest.RunChecked so the invariants hold after every event.
type scenario struct {
	name   string
	images map[string]workload.Image
	run    func(f *fleet, run func(time.Duration))
	check  func(t *testing.T, f *fleet)
}

var broken = workload.Image{PullError: "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/myapp:broken: not found"}

func rollingUpdate(maxPct, minPct int32) func(f *fleet, run func(time.Duration)) {
	return func(f *fleet, run func(time.Duration)) {
		f.register("web", "nginx:1.25", false)
		f.createService("web", "web", 4, maxPct, minPct, nil)
		run(5 * time.Minute)
		f.register("web", "nginx:1.26", false)
		f.update("web", "web:2")
		run(15 * time.Minute)
	}
}

func completedWith(td string, running int32) func(t *testing.T, f *fleet) {
	return func(t *testing.T, f *fleet) {
		s := f.service("web")
		require.Len(t, s.Deployments, 1)
		require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
		require.Contains(t, s.Deployments[0].TaskDefinition, td)
		require.Equal(t, running, s.RunningCount)
		require.Equal(t, int32(0), s.PendingCount)
	}
}

var scenarios = []scenario{
	{
		name: "nginx-steady-state",
		run: func(f *fleet, run func(time.Duration)) {
			f.register("nginx", "public.ecr.aws/nginx/nginx:1.25", false)
			f.createService("web", "nginx", 3, 200, 100, nil)
			run(10 * time.Minute)
		},
		check: func(t *testing.T, f *fleet) {
			s := f.service("web")
			require.Equal(t, int32(3), s.RunningCount)
			require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
			require.Contains(t, s.Events[0].Message, "has reached a steady state.")
		},
	},
	{name: "rolling-200-100", run: rollingUpdate(200, 100), check: completedWith("web:2", 4)},
	{name: "rolling-100-50", run: rollingUpdate(100, 50), check: completedWith("web:2", 4)},
	{name: "rolling-150-100", run: rollingUpdate(150, 100), check: completedWith("web:2", 4)},
	{
		name: "stuck-75-100",
		run: func(f *fleet, run func(time.Duration)) {
			f.register("web", "nginx:1.25", false)
			f.createService("web", "web", 2, 100, 75, nil)
			run(5 * time.Minute)
			f.register("web", "nginx:1.26", false)
			f.update("web", "web:2")
			run(10 * time.Minute)
		},
		check: func(t *testing.T, f *fleet) {
			s := f.service("web")
			require.Len(t, s.Deployments, 2, "ceil(2×75%)=2 and floor(2×100%)=2: nothing can move")
			require.Equal(t, "(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.", s.Events[0].Message)
			require.Equal(t, int32(2), s.RunningCount)
		},
	},
	{
		name:   "circuit-breaker-rollback",
		images: map[string]workload.Image{"myapp:broken": broken},
		run: func(f *fleet, run func(time.Duration)) {
			f.register("web", "myapp:1", false)
			f.createService("web", "web", 4, 200, 100, &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true})
			run(5 * time.Minute)
			f.register("web", "myapp:broken", false)
			f.update("web", "web:2")
			run(30 * time.Minute)
		},
		check: func(t *testing.T, f *fleet) {
			s := f.service("web")
			require.Len(t, s.Deployments, 1)
			d := s.Deployments[0]
			require.Contains(t, d.TaskDefinition, "web:1")
			require.Equal(t, ecs.RolloutCompleted, d.RolloutState)
			require.Equal(t, int32(4), s.RunningCount)
			var failed, rolled bool
			for _, e := range s.Events {
				failed = failed || strings.Contains(e.Message, "deployment failed: tasks failed to start.")
				rolled = rolled || strings.Contains(e.Message, "rolling back to deployment")
			}
			require.True(t, failed && rolled)
		},
	},
	{
		name:   "crash-loop-throttled",
		images: map[string]workload.Image{"myapp:crash": {ExitAfter: ptr(workload.Fixed(0)), ExitCode: 1}},
		run: func(f *fleet, run func(time.Duration)) {
			f.register("web", "myapp:crash", false)
			f.createService("web", "web", 2, 200, 100, nil)
			run(30 * time.Minute)
		},
		check: func(t *testing.T, f *fleet) {
			s := f.service("web")
			require.Equal(t, int32(0), s.RunningCount)
			impaired := false
			for _, e := range s.Events {
				impaired = impaired || e.Message == "(service web) is unable to consistently start tasks successfully."
			}
			require.True(t, impaired)
			// Throttling spaces the launches out: far fewer than one
			// launch a minute per task over half an hour.
			out, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), DesiredStatus: api.String("STOPPED")})
			require.NoError(t, err)
			require.Less(t, len(out.TaskArns), 40)
		},
	},
}

func ptr[T any](v T) *T { return &v }

func init() {
	scenarios = append(scenarios,
		scenario{
			name:   "unhealthy-replacement",
			images: map[string]workload.Image{"myapp:flaky": {HealthCheckFailsAfter: ptr(workload.Fixed(5 * time.Minute))}},
			run: func(f *fleet, run func(time.Duration)) {
				f.register("web", "myapp:flaky", true)
				f.createService("web", "web", 3, 200, 100, nil)
				run(8 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				s := f.service("web")
				replaced := 0
				for _, e := range s.Events {
					if strings.HasSuffix(e.Message, "failed container health checks.") {
						replaced++
					}
				}
				require.Equal(t, 3, replaced, "each task fails its checks 5 minutes after it starts and is replaced")
				require.Equal(t, int32(3), s.RunningCount+s.PendingCount)
			},
		},
		scenario{
			name: "spot-interruptions",
			run: func(f *fleet, run func(time.Duration)) {
				f.register("web", "nginx:1.25", false)
				_, err := f.w.Call("ecs:PutClusterCapacityProviders", []byte(`{"cluster":"demo","capacityProviders":["FARGATE","FARGATE_SPOT"],
					"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","base":2,"weight":1},{"capacityProvider":"FARGATE_SPOT","weight":3}]}`))
				require.NoError(f.t, err)
				_, err = f.w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web"),
					DesiredCount: api.Int32(10), NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}}})
				require.NoError(f.t, err)
				run(10 * time.Minute)
				require.Equal(f.t, map[string]int{"FARGATE": 4, "FARGATE_SPOT": 6}, f.providers("web"), "base 2 then 1:3")
				_, err = f.w.Call("sim:InterruptSpotTasks", []byte(`{"cluster":"demo","count":3}`))
				require.NoError(f.t, err)
				run(10 * time.Minute)
				_, err = f.w.Call("sim:SetSpotMarket", []byte(`{"interruptionsPerTaskHour":0.5}`))
				require.NoError(f.t, err)
				run(2 * time.Hour)
			},
			check: func(t *testing.T, f *fleet) {
				s := f.service("web")
				require.Equal(t, int32(10), s.RunningCount)
				require.Equal(t, map[string]int{"FARGATE": 4, "FARGATE_SPOT": 6}, f.providers("web"), "interrupted Spot tasks are replaced on Spot")
				stopped, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), DesiredStatus: api.String("STOPPED")})
				require.NoError(t, err)
				d, err := f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: stopped.TaskArns[:min(100, len(stopped.TaskArns))]})
				require.NoError(t, err)
				require.NotEmpty(t, d.Tasks)
				for _, task := range d.Tasks {
					require.Equal(t, ecs.ProviderFargateSpot, task.CapacityProviderName)
					require.Equal(t, ecs.StopTerminationNotice, task.StopCode)
					require.Equal(t, "Your Spot Task was interrupted.", task.StoppedReason)
				}
			},
		},
		scenario{
			name: "az-failure",
			run: func(f *fleet, run func(time.Duration)) {
				f.register("web", "nginx:1.25", false)
				f.createService("web", "web", 6, 200, 100, nil)
				run(5 * time.Minute)
				_, err := f.w.ECS().FailAvailabilityZone(&ecs.FailAvailabilityZoneInput{AvailabilityZone: api.String("us-east-1a"), For: api.String("10m")})
				require.NoError(f.t, err)
				run(5 * time.Minute)
				require.Equal(f.t, map[string]int{"us-east-1b": 3, "us-east-1c": 3}, f.zones("web"))
				run(20 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				s := f.service("web")
				require.Equal(t, int32(6), s.RunningCount)
				// AZ rebalancing (on by default) moves tasks back once the
				// zone returns.
				require.Equal(t, map[string]int{"us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2}, f.zones("web"))
				var msgs []string
				for _, e := range s.Events {
					msgs = append(msgs, e.Message)
				}
				require.Contains(t, msgs, "service (web) is not AZ balanced with 0 tasks in us-east-1a, 3 in us-east-1b, and 3 in us-east-1c. AZ Rebalancing in progress.")
				require.Contains(t, msgs, "service (web) is AZ balanced with 2 tasks in us-east-1a, 2 tasks in us-east-1b, and 2 tasks in us-east-1c.")
			},
		},
	)
}

// providers counts the service's RUNNING tasks per capacity provider.
func (f *fleet) providers(service string) map[string]int {
	f.t.Helper()
	list, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), ServiceName: &service})
	require.NoError(f.t, err)
	out := map[string]int{}
	d, err := f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: list.TaskArns})
	require.NoError(f.t, err)
	for _, t := range d.Tasks {
		if t.LastStatus == ecs.StatusRunning {
			out[t.CapacityProviderName]++
		}
	}
	return out
}

// zones counts the service's RUNNING tasks per AZ.
func (f *fleet) zones(service string) map[string]int {
	f.t.Helper()
	list, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), ServiceName: &service})
	require.NoError(f.t, err)
	out := map[string]int{}
	if len(list.TaskArns) == 0 {
		return out
	}
	d, err := f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: list.TaskArns})
	require.NoError(f.t, err)
	for _, t := range d.Tasks {
		if t.LastStatus == ecs.StatusRunning {
			out[t.AvailabilityZone]++
		}
	}
	return out
}

// play runs a scenario with the invariant checker and returns the world.
func play(t *testing.T, sc scenario, seed uint64) *fleet {
	f := newFleet(t, seed, sc.images)
	c := ecssimtest.NewChecker(f.w)
	defer c.Close()
	sc.run(f, func(d time.Duration) {
		require.NoError(t, ecssimtest.RunChecked(f.w, c, d))
	})
	require.NoError(t, f.w.Trace().Err())
	return f
}

func TestServiceScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			f := play(t, sc, 1)
			sc.check(t, f)
			start := f.w.Trace().Records()[0].Time
			got := ecssimtest.Timeline(start, f.w.Trace().Records()) + "hash " + f.w.Trace().Hash() + "\n"
			path := filepath.Join("testdata", "golden", sc.name+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create the golden file")
			require.Equal(t, string(want), got)
		})
	}
}

func TestServiceScenariosDeterministic(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			a := play(t, sc, 7).w.Trace().Hash()
			b := play(t, sc, 7).w.Trace().Hash()
			c := play(t, sc, 8).w.Trace().Hash()
			require.Equal(t, a, b, "same seed, same trace")
			require.NotEqual(t, a, c, "another seed draws other IDs and timings")
		})
	}
}
