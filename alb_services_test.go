package ecssim_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// alb creates an application load balancer in the default subnets whose
// HTTP:80 listener forwards to a new ip target group, configured by
// tg (Name, Protocol, Port, VpcId and TargetType are set here), with the
// given deregistration delay; it returns the group's ARN.
func (f *fleet) alb(tg elb.CreateTargetGroupInput, delay string) string {
	f.t.Helper()
	c := f.w.ELB()
	lb, err := c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: defaultSubnets})
	require.NoError(f.t, err)
	tg.Name, tg.Protocol, tg.Port, tg.VpcId, tg.TargetType = api.String("web"), api.String("HTTP"), api.Int32(80), api.String("vpc-00000001"), api.String("ip")
	out, err := c.CreateTargetGroup(&tg)
	require.NoError(f.t, err)
	arn := out.TargetGroups[0].TargetGroupArn
	_, err = c.ModifyTargetGroupAttributes(&elb.ModifyTargetGroupAttributesInput{TargetGroupArn: &arn,
		Attributes: []elb.TargetGroupAttribute{{Key: api.String(elb.AttrDeregistrationDelay), Value: &delay}}})
	require.NoError(f.t, err)
	_, err = c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &arn}}})
	require.NoError(f.t, err)
	return arn
}

// createLBService creates a Fargate service of td behind target group tg
// (container "app", port 80).
func (f *fleet) createLBService(td, tg string, desired int32, grace int32, cb *ecs.DeploymentCircuitBreaker) {
	f.t.Helper()
	_, err := f.w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String(td),
		DesiredCount: api.Int32(desired), LaunchType: api.String("FARGATE"), HealthCheckGracePeriodSeconds: &grace,
		LoadBalancers:           []ecs.LoadBalancer{{TargetGroupArn: &tg, ContainerName: api.String("app"), ContainerPort: api.Int32(80)}},
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: api.Int32(200), MinimumHealthyPercent: api.Int32(100), DeploymentCircuitBreaker: cb},
		NetworkConfiguration:    &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets, SecurityGroups: []string{"sg-00000001"}}},
	})
	require.NoError(f.t, err)
}

// goldenTimeline compares f's trace, as a timeline, with
// testdata/golden/<name>.txt (rewritten with -update).
func goldenTimeline(t *testing.T, f *fleet, name string) {
	t.Helper()
	start := f.w.Trace().Records()[0].Time
	got := ecssimtest.Timeline(start, f.w.Trace().Records()) + "hash " + f.w.Trace().Hash() + "\n"
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to create the golden file")
	require.Equal(t, string(want), got)
}

// webApp answers its load balancer on /health only, after warming up.
var webApp = workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second), Paths: map[string]int{"/health": 200}}}

var albScenarios = []scenario{
	{
		name:   "alb-healthy-service",
		images: map[string]workload.Image{"web:*": webApp},
		run: func(f *fleet, run func(time.Duration)) {
			tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
			f.register("web", "web:1", false)
			f.createLBService("web", tg, 3, 0, nil)
			run(10 * time.Minute)
		},
		check: func(t *testing.T, f *fleet) {
			s := f.service("web")
			require.Equal(t, int32(3), s.RunningCount)
			require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
			h, err := f.w.ELB().DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: s.LoadBalancers[0].TargetGroupArn})
			require.NoError(t, err)
			require.Len(t, h.TargetHealthDescriptions, 3)
			for _, d := range h.TargetHealthDescriptions {
				require.Equal(t, "healthy", d.TargetHealth.State)
			}
		},
	},
	{
		// v2 serves its health check on /healthz only: every target
		// answers 404 on /health, tasks are replaced until the circuit
		// breaker rolls the service back to v1.
		name: "alb-wrong-health-check-path",
		images: map[string]workload.Image{"web:1": webApp,
			"web:2": {HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second), Paths: map[string]int{"/healthz": 200}}}},
		run: func(f *fleet, run func(time.Duration)) {
			tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
			f.register("web", "web:1", false)
			f.createLBService("web", tg, 3, 0, &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true})
			run(5 * time.Minute)
			f.register("web", "web:2", false)
			f.update("web", "web:2")
			run(30 * time.Minute)
		},
		check: func(t *testing.T, f *fleet) {
			s := f.service("web")
			require.Equal(t, int32(3), s.RunningCount)
			require.Contains(t, s.Deployments[0].TaskDefinition, "web:1", "rolled back")
			require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
			stopped, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), DesiredStatus: api.String("STOPPED")})
			require.NoError(t, err)
			d, err := f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: stopped.TaskArns})
			require.NoError(t, err)
			failed := 0
			for _, task := range d.Tasks {
				if task.StoppedReason == "Task failed ELB health checks in (target-group "+*s.LoadBalancers[0].TargetGroupArn+")" {
					failed++
				}
			}
			require.GreaterOrEqual(t, failed, 3)
		},
	},
	{name: "alb-rolling-deregistration-300s", images: map[string]workload.Image{"web:*": webApp}, run: albRolling("300"), check: completedWith("web:2", 3)},
	{name: "alb-rolling-deregistration-30s", images: map[string]workload.Image{"web:*": webApp}, run: albRolling("30"), check: completedWith("web:2", 3)},
	{
		// The application needs 90 s to warm up; a 30 s grace period
		// kills tasks before they ever turn healthy.
		name:   "alb-grace-period-too-short",
		images: map[string]workload.Image{"web:*": slowApp},
		run:    albGrace(30),
		check: func(t *testing.T, f *fleet) {
			s := f.service("web")
			require.NotEqual(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
			require.Contains(t, eventsOf(s), "is unhealthy in (target-group")
		},
	},
	{
		name:   "alb-grace-period-long-enough",
		images: map[string]workload.Image{"web:*": slowApp},
		run:    albGrace(180),
		check: func(t *testing.T, f *fleet) {
			s := f.service("web")
			require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
			require.NotContains(t, eventsOf(s), "is unhealthy in (target-group")
		},
	},
}

// slowApp refuses connections for 90 s after it starts.
var slowApp = workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(90 * time.Second), Paths: map[string]int{"/health": 200}}}

// albRolling rolls a 3-task service behind an ALB from v1 to v2 with the
// given deregistration delay.
func albRolling(delay string) func(f *fleet, run func(time.Duration)) {
	return func(f *fleet, run func(time.Duration)) {
		tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, delay)
		f.register("web", "web:1", false)
		f.createLBService("web", tg, 3, 0, nil)
		run(5 * time.Minute)
		f.register("web", "web:2", false)
		f.update("web", "web:2")
		run(20 * time.Minute)
	}
}

// albGrace runs a 2-task service of a slow-starting application with a
// grace period, checking every 10 s.
func albGrace(grace int32) func(f *fleet, run func(time.Duration)) {
	return func(f *fleet, run func(time.Duration)) {
		tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
		f.register("web", "web:1", false)
		f.createLBService("web", tg, 2, grace, nil)
		run(10 * time.Minute)
	}
}

func eventsOf(s ecs.Service) string {
	var b []byte
	for _, e := range s.Events {
		b = append(b, e.Message...)
		b = append(b, '\n')
	}
	return string(b)
}

func TestALBServiceScenarios(t *testing.T) {
	for _, sc := range albScenarios {
		t.Run(sc.name, func(t *testing.T) {
			f := play(t, sc, 1)
			sc.check(t, f)
			goldenTimeline(t, f, sc.name)
		})
	}
}

// TestDeregistrationDelayLengthensRollout: the same rolling deployment
// behind an ALB takes exactly the difference of the deregistration delays
// longer with 300 s than with 30 s, since each old task drains before it
// stops and the next can start.
func TestDeregistrationDelayLengthensRollout(t *testing.T) {
	completed := func(delay string) time.Duration {
		sc := scenario{images: map[string]workload.Image{"web:*": webApp}, run: albRolling(delay)}
		f := play(t, sc, 1)
		var last time.Duration
		for _, r := range f.w.Trace().Records() {
			if d, ok := r.Detail.(ecs.DeploymentStateChange); ok && d.EventName == "SERVICE_DEPLOYMENT_COMPLETED" {
				last = r.Time.Sub(f.w.Trace().Records()[0].Time)
			}
		}
		return last
	}
	require.Equal(t, 270*time.Second, completed("300")-completed("30"))
}

// TestBridgeServiceBehindALB: EC2 tasks in bridge mode with dynamic host
// ports register as instance targets on the port Docker bound, and their
// health checks reach the container through that port.
func TestBridgeServiceBehindALB(t *testing.T) {
	f := newFleet(t, 4, map[string]workload.Image{"app:1": {HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(10 * time.Second), Paths: map[string]int{"/health": 200}}}})
	c := f.w.ELB()
	lb, err := c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: defaultSubnets})
	require.NoError(t, err)
	out, err := c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("web"), Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10)})
	require.NoError(t, err)
	tg := out.TargetGroups[0].TargetGroupArn
	_, err = c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &tg}}})
	require.NoError(t, err)
	f.launch("m5.large", 2, nil)
	require.NoError(t, f.w.RunFor(2*time.Minute))
	f.registerEC2("web", 256, 256)
	_, err = f.w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web"),
		DesiredCount: api.Int32(3), LaunchType: api.String("EC2"),
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupArn: &tg, ContainerName: api.String("app"), ContainerPort: api.Int32(8080)}}})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(5*time.Minute))

	s := f.service("web")
	require.Equal(t, int32(3), s.RunningCount)
	require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
	tasks, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), ServiceName: api.String("web")})
	require.NoError(t, err)
	d, err := f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: tasks.TaskArns})
	require.NoError(t, err)
	instances, err := f.w.ECS().DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: api.String("demo"),
		ContainerInstances: []string{d.Tasks[0].ContainerInstanceArn, d.Tasks[1].ContainerInstanceArn, d.Tasks[2].ContainerInstanceArn}})
	require.NoError(t, err)
	ec2ID := map[string]string{}
	for _, in := range instances.ContainerInstances {
		ec2ID[in.ContainerInstanceArn] = in.Ec2InstanceId
	}
	h, err := c.DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &tg})
	require.NoError(t, err)
	require.Len(t, h.TargetHealthDescriptions, 3)
	var want, got []string
	for _, task := range d.Tasks {
		b := task.Containers[0].NetworkBindings[0]
		want = append(want, fmt.Sprintf("%s:%d healthy", ec2ID[task.ContainerInstanceArn], b.HostPort))
	}
	for _, th := range h.TargetHealthDescriptions {
		got = append(got, fmt.Sprintf("%s:%d %s", *th.Target.Id, *th.Target.Port, th.TargetHealth.State))
	}
	require.ElementsMatch(t, want, got)
}
