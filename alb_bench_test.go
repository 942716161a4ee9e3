package ecssim_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// albServicesRun simulates services Fargate services of tasks tasks, each
// behind its own application load balancer with health checks every 10 s
// (the application warms up for 15 s), with one rolling deployment per
// service per day (staggered), for span, and returns the world. With
// traffic, each listener receives diurnal(200,2000,14h) requests per
// second at 1 ms each.
func albServicesRun(tb testing.TB, services, tasks int, span time.Duration, traffic bool) *ecssim.World {
	return albFleetRun(tb, services, tasks, span, traffic, false)
}

// albFleetRun is albServicesRun, with, when tracking is set, target
// tracking on each service's ALBRequestCountPerTarget: 6,000 requests a
// minute per target (100 per second: the peak's 2,000 over 20 tasks),
// between 5 and 40 tasks.
func albFleetRun(tb testing.TB, services, tasks int, span time.Duration, traffic, tracking bool) *ecssim.World {
	w, err := ecssim.New(ecssim.Config{Seed: 1, Images: map[string]workload.Image{"app:1": {HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second)}}}})
	require.NoError(tb, err)
	w.Trace().Keep(false)
	client := w.ECS()
	_, err = client.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("fleet")})
	require.NoError(tb, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1","portMappings":[{"containerPort":80}]}]}`))
	require.NoError(tb, err)
	for i := range services {
		name := fmt.Sprintf("svc-%04d", i)
		lb, err := w.ELB().CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: &name, Subnets: defaultSubnets})
		require.NoError(tb, err)
		tg, err := w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: &name, Protocol: api.String("HTTP"), Port: api.Int32(80), VpcId: api.String("vpc-00000001"),
			TargetType: api.String("ip"), HealthCheckIntervalSeconds: api.Int32(10)})
		require.NoError(tb, err)
		arn := tg.TargetGroups[0].TargetGroupArn
		ls, err := w.ELB().CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
			DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &arn}}})
		require.NoError(tb, err)
		if traffic {
			_, err = w.ELB().SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: &ls.Listeners[0].ListenerArn,
				Traffic: &workload.Traffic{Shape: workload.Diurnal(200, 2000, 14*time.Hour), CPUPerRequest: time.Millisecond}})
			require.NoError(tb, err)
		}
		_, err = client.CreateService(&ecs.CreateServiceInput{
			Cluster: api.String("fleet"), ServiceName: &name, TaskDefinition: api.String("app"),
			DesiredCount: api.Int32(int32(tasks)), LaunchType: api.String("FARGATE"),
			LoadBalancers:        []ecs.LoadBalancer{{TargetGroupArn: &arn, ContainerName: api.String("app"), ContainerPort: api.Int32(80)}},
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}},
		})
		require.NoError(tb, err)
		if tracking {
			_, err = w.Call("application-autoscaling:RegisterScalableTarget", fmt.Appendf(nil, `{"ServiceNamespace":"ecs","ResourceId":"service/fleet/%s",
				"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":5,"MaxCapacity":40}`, name))
			require.NoError(tb, err)
			label := lb.LoadBalancers[0].LoadBalancerArn[strings.Index(lb.LoadBalancers[0].LoadBalancerArn, ":loadbalancer/")+len(":loadbalancer/"):] + "/" + arn[strings.LastIndexByte(arn, ':')+1:]
			_, err = w.Call("application-autoscaling:PutScalingPolicy", fmt.Appendf(nil, `{"PolicyName":"requests","ServiceNamespace":"ecs","ResourceId":"service/fleet/%s",
				"ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling",
				"TargetTrackingScalingPolicyConfiguration":{"TargetValue":6000,
				"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget","ResourceLabel":%q}}}`, name, label))
			require.NoError(tb, err)
		}
		offset := 24*time.Hour/time.Duration(services)*time.Duration(i) + time.Hour
		var deploy func() error
		deploy = func() error {
			if _, err := client.UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("fleet"), Service: &name, ForceNewDeployment: api.Bool(true)}); err != nil {
				return err
			}
			_, err := w.Engine().After(24*time.Hour, deploy)
			return err
		}
		_, err = w.Engine().After(offset, deploy)
		require.NoError(tb, err)
	}
	require.NoError(tb, w.RunFor(span))
	return w
}

// BenchmarkALBServicesDay: 100 services × 20 Fargate tasks behind 100
// application load balancers for a simulated day, each service rolled
// once (every task registered, health-checked, drained for the default
// 300 s and replaced). No traffic is routed.
func BenchmarkALBServicesDay(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		w := albServicesRun(b, 100, 20, 24*time.Hour, false)
		b.ReportMetric(float64(w.Trace().Len()), "records/op")
	}
}

// BenchmarkALBTrafficDay is BenchmarkALBServicesDay with diurnal traffic
// through every listener: routed each minute for the AWS/ApplicationELB
// metrics and the services' CPU.
func BenchmarkALBTrafficDay(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		w := albServicesRun(b, 100, 20, 24*time.Hour, true)
		b.ReportMetric(float64(w.Trace().Len()), "records/op")
	}
}

// BenchmarkALBFleet: 100 services × 20 Fargate tasks behind 100
// application load balancers for 7 simulated days: health checks every
// 10 s, diurnal traffic through every listener with one-minute
// AWS/ApplicationELB and AWS/ECS metrics, target tracking on each
// service's ALBRequestCountPerTarget (between 5 and 40 tasks, following
// the daily curve), and a rolling deployment per service per day.
func BenchmarkALBFleet(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		w := albFleetRun(b, 100, 20, 7*24*time.Hour, true, true)
		b.ReportMetric(float64(w.Trace().Len()), "records/op")
	}
}

// TestALBServicesRun: the benchmark's world does what it says: every
// service rolled and steady, its targets healthy.
func TestALBServicesRun(t *testing.T) {
	w := albServicesRun(t, 3, 5, 26*time.Hour, true)
	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("fleet"), Services: []string{"svc-0000", "svc-0001", "svc-0002"}})
	require.NoError(t, err)
	for _, s := range out.Services {
		require.Equal(t, int32(5), s.RunningCount)
		require.Len(t, s.Deployments, 1)
		require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
		require.NotEqual(t, s.CreatedAt, s.Deployments[0].CreatedAt, "rolled once")
		h, err := w.ELB().DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: s.LoadBalancers[0].TargetGroupArn})
		require.NoError(t, err)
		require.Len(t, h.TargetHealthDescriptions, 5)
		for _, d := range h.TargetHealthDescriptions {
			require.Equal(t, elb.HealthHealthy, d.TargetHealth.State)
		}
	}
}

// TestALBFleetRun: the fleet benchmark's world scales with its traffic:
// at the 14:00 peak (2,000 requests per second, 100 per task at 20
// tasks) a service runs about 20 tasks, at the 02:00 trough (200) its
// minimum of 5; every target is healthy.
func TestALBFleetRun(t *testing.T) {
	w := albFleetRun(t, 2, 20, 14*time.Hour+30*time.Minute, true, true)
	count := func() []int32 {
		out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("fleet"), Services: []string{"svc-0000", "svc-0001"}})
		require.NoError(t, err)
		var n []int32
		for _, s := range out.Services {
			n = append(n, s.RunningCount)
		}
		return n
	}
	for _, n := range count() {
		require.InDelta(t, 20, n, 2, "at the peak")
	}
	require.NoError(t, w.RunFor(12*time.Hour))
	require.Equal(t, []int32{5, 5}, count(), "at the trough")
}

// TestALBFleetTraceDeferred: the ALB fleet's trace, its alarms' state
// changes among it, is the same encoded on a second goroutine as on one
// processor, where it is encoded at once.
func TestALBFleetTraceDeferred(t *testing.T) {
	run := func(procs int) *ecssim.World {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return albFleetRun(t, 3, 10, 26*time.Hour, true, true)
	}
	deferred := run(2)
	once := run(1)
	require.Equal(t, once.Trace().Len(), deferred.Trace().Len())
	require.Equal(t, once.Trace().Hash(), deferred.Trace().Hash())
	require.NoError(t, deferred.Trace().Err())
	alarms, err := once.CloudWatch().DescribeAlarmHistory(&cloudwatch.DescribeAlarmHistoryInput{HistoryItemType: api.String("StateUpdate")})
	require.NoError(t, err)
	require.Greater(t, len(alarms.AlarmHistoryItems), 10, "the alarms changed state")
}
