package ecssim_test

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
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// albWorld is a World with an application load balancer whose HTTP:80
// listener forwards to the ip target group "web" (health-check path
// path), and a Fargate task definition "app" of image.
func albWorld(t *testing.T, tick bool, image string, images map[string]workload.Image, path string) (*ecssim.World, string) {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: 3, Images: images, TickHealthChecks: tick})
	require.NoError(t, err)
	c := w.ELB()
	lb, err := c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: defaultSubnets})
	require.NoError(t, err)
	tg, err := c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("web"), Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), TargetType: api.String("ip"), HealthCheckPath: &path, HealthCheckIntervalSeconds: api.Int32(10)})
	require.NoError(t, err)
	arn := tg.TargetGroups[0].TargetGroupArn
	_, err = c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &arn}}})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":%q,"portMappings":[{"containerPort":80}]}]}`, image))
	require.NoError(t, err)
	return w, arn
}

// runTarget runs one task of "app" and registers its address with tg.
func runTarget(t *testing.T, w *ecssim.World, tg string) (taskArn, ip string) {
	t.Helper()
	out, err := w.ECS().RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("app"), LaunchType: api.String("FARGATE"),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-aaaa0001"}}}})
	require.NoError(t, err)
	taskArn = out.Tasks[0].TaskArn
	require.NoError(t, w.RunFor(10*time.Second)) // past PROVISIONING: the ENI has its address
	d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{taskArn}})
	require.NoError(t, err)
	ip = *d.Tasks[0].Containers[0].NetworkInterfaces[0].PrivateIpv4Address
	_, err = w.ELB().RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: &ip}}})
	require.NoError(t, err)
	return taskArn, ip
}

func targetChanges(w *ecssim.World) []string {
	var out []string
	for _, r := range w.Trace().Records() {
		if d, ok := r.Detail.(*elb.TargetHealthChange); ok {
			out = append(out, fmt.Sprintf("%s %s %s %s", r.Time.Sub(sim.FromTime(ecssim.DefaultStart)), d.State, d.Reason, d.Description))
		}
	}
	return out
}

// TestTargetsAnswerAsTheirImage: a task's target turns healthy once its
// application is ready (HTTP.ReadyAfter), answers 404 on a path it does
// not serve, and fails when the task stops.
func TestTargetsAnswerAsTheirImage(t *testing.T) {
	images := map[string]workload.Image{"web:1": {HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(45 * time.Second), Paths: map[string]int{"/health": 200}}}}
	for _, tick := range []bool{false, true} {
		t.Run(fmt.Sprint("tick=", tick), func(t *testing.T) {
			w, tg := albWorld(t, tick, "web:1", images, "/health")
			task, _ := runTarget(t, w, tg)
			require.NoError(t, w.RunFor(3*time.Minute))
			_, err := w.ECS().StopTask(&ecs.StopTaskInput{Cluster: api.String("demo"), Task: &task})
			require.NoError(t, err)
			require.NoError(t, w.RunFor(3*time.Minute))
			changes := targetChanges(w)
			require.Equal(t, []string{
				"10s initial Elb.RegistrationInProgress Target registration is in progress",
				"20s initial Elb.InitialHealthChecking Initial health checks in progress",
				// Refused while the container starts: two failures.
				"40s unhealthy Target.FailedHealthChecks Health checks failed",
				// Ready 45 s after its process started: five passes.
				"2m0s healthy  ",
				// Stopped at 3m10s: refused again.
				"3m30s unhealthy Target.FailedHealthChecks Health checks failed",
			}, changes)
		})
	}

	w, tg := albWorld(t, false, "web:1", images, "/")
	runTarget(t, w, tg)
	require.NoError(t, w.RunFor(3*time.Minute))
	h, err := w.ELB().DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &tg})
	require.NoError(t, err)
	require.Equal(t, elb.TargetHealth{State: "unhealthy", Reason: "Target.ResponseCodeMismatch", Description: "Health checks failed with these codes: [404]"}, h.TargetHealthDescriptions[0].TargetHealth)
}

// TestTargetHealthAnalyticEqualsTickWithTasks: target health driven by
// real tasks (starting, warming up, failing, stopping) gives the same
// trace whether every check runs or only the checks that change health.
func TestTargetHealthAnalyticEqualsTickWithTasks(t *testing.T) {
	images := map[string]workload.Image{"web:1": {HTTP: &workload.HTTP{
		ReadyAfter:   workload.Uniform(0, 90*time.Second),
		ResponseTime: workload.Uniform(0, 8*time.Second),
		FailsAfter:   ptr(workload.Exponential(20 * time.Minute)),
		Paths:        map[string]int{"/": 200},
	}}}
	changes := 0
	for seed := range uint64(12) {
		var traces [2]string
		var processed [2]uint64
		for i, tick := range []bool{false, true} {
			w, tg := albWorld(t, tick, "web:1", images, "/")
			r := rand.New(rand.NewPCG(seed, 1))
			var tasks []string
			for range 10 {
				switch r.IntN(3) {
				case 0, 1:
					task, _ := runTarget(t, w, tg)
					tasks = append(tasks, task)
				case 2:
					if len(tasks) > 0 {
						_, err := w.ECS().StopTask(&ecs.StopTaskInput{Cluster: api.String("demo"), Task: &tasks[r.IntN(len(tasks))]})
						require.NoError(t, err)
					}
				}
				require.NoError(t, w.RunFor(time.Duration(r.IntN(300))*time.Second))
			}
			require.NoError(t, w.RunFor(time.Hour))
			traces[i] = w.Trace().Hash()
			processed[i] = w.Engine().Processed()
			if i == 0 {
				changes += len(targetChanges(w))
			}
		}
		require.Equal(t, traces[0], traces[1], "seed %d", seed)
		require.Greater(t, processed[1], processed[0])
	}
	require.Greater(t, changes, 12*10)
}
