package ecssim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
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
