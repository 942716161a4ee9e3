package ecssim_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
)

// fleetRun simulates services × tasks Fargate tasks with a container
// health check every 30 s for the given span, with one rolling deployment
// per service every 6 hours (staggered), and returns the world.
func fleetRun(tb testing.TB, services, tasks int, span time.Duration, tick bool, peak *uint64) *ecssim.World {
	w, err := ecssim.New(ecssim.Config{Seed: 1, TickHealthChecks: tick})
	require.NoError(tb, err)
	w.Trace().Keep(false)
	client := w.ECS()
	_, err = client.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("fleet")})
	require.NoError(tb, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1","healthCheck":{"command":["CMD-SHELL","curl -f http://localhost/health"],"interval":30}}]}`))
	require.NoError(tb, err)
	for i := range services {
		name := fmt.Sprintf("svc-%04d", i)
		_, err := client.CreateService(&ecs.CreateServiceInput{
			Cluster: api.String("fleet"), ServiceName: &name, TaskDefinition: api.String("app"),
			DesiredCount: api.Int32(int32(tasks)), LaunchType: api.String("FARGATE"),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}},
		})
		require.NoError(tb, err)
		offset := 6*time.Hour/time.Duration(services)*time.Duration(i) + time.Hour
		var deploy func() error
		deploy = func() error {
			if _, err := client.UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("fleet"), Service: &name, ForceNewDeployment: api.Bool(true)}); err != nil {
				return err
			}
			_, err := w.Engine().After(6*time.Hour, deploy)
			return err
		}
		_, err = w.Engine().After(offset, deploy)
		require.NoError(tb, err)
	}
	if peak != nil {
		var sample func() error
		sample = func() error {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			_, err := w.Engine().After(30*time.Minute, sample)
			return err
		}
		_, err = w.Engine().After(0, sample)
		require.NoError(tb, err)
	}
	require.NoError(tb, w.RunFor(span))
	return w
}

// BenchmarkFargateFleet: 1,000 services × 10 tasks with container health
// checks every 30 s, 24 simulated hours, one rolling deployment per
// service every 6 hours. One op is the whole run. The analytic
// sub-benchmark jumps to each container's next change of health (the
// default); tick runs every health check as an event, for comparison.
func BenchmarkFargateFleet(b *testing.B) {
	for _, mode := range []struct {
		name string
		tick bool
	}{{"healthchecks=analytic", false}, {"healthchecks=tick", true}} {
		b.Run(mode.name, func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			var events uint64
			for b.Loop() {
				w := fleetRun(b, 1000, 10, 24*time.Hour, mode.tick, &peak)
				events = w.Engine().Processed()
			}
			perRun := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(events), "events/op")
			b.ReportMetric(1000*10*24/perRun, "task-hours/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// TestFleetSameTraceBothWays checks, on a smaller fleet of the benchmark's
// shape, that the analytic and tick health-check modes give one trace.
func TestFleetSameTraceBothWays(t *testing.T) {
	a := fleetRun(t, 20, 5, 7*time.Hour, false, nil)
	b := fleetRun(t, 20, 5, 7*time.Hour, true, nil)
	require.Equal(t, a.Trace().Hash(), b.Trace().Hash())
	require.Greater(t, b.Engine().Processed(), a.Engine().Processed())
}

// BenchmarkTargetTrackingDay: 200 Fargate services, each under a daily
// traffic curve (peaks spread over the day) and a target tracking policy
// at 60% CPU, for 24 simulated hours. One op is the whole run; it reports
// the scaling activities and the simulated task-hours per wall second.
func BenchmarkTargetTrackingDay(b *testing.B) {
	const services = 200
	b.ReportAllocs()
	var acts, taskHours float64
	for b.Loop() {
		w, err := ecssim.New(ecssim.Config{Seed: 1})
		require.NoError(b, err)
		w.Trace().Keep(false)
		client := w.ECS()
		_, err = client.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("fleet")})
		require.NoError(b, err)
		_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024",
			"containerDefinitions":[{"name":"app","image":"app:1"}]}`))
		require.NoError(b, err)
		for i := range services {
			name := fmt.Sprintf("svc-%04d", i)
			_, err := client.CreateService(&ecs.CreateServiceInput{
				Cluster: api.String("fleet"), ServiceName: &name, TaskDefinition: api.String("app"),
				DesiredCount: api.Int32(2), LaunchType: api.String("FARGATE"),
				NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}},
			})
			require.NoError(b, err)
			peak := time.Duration(i) * 24 * time.Hour / services
			_, err = w.Call("sim:SetTraffic", []byte(fmt.Sprintf(`{"cluster":"fleet","service":%q,"traffic":{"shape":"diurnal(30,600,%s)","cpuPerRequest":"15ms"}}`, name, peak)))
			require.NoError(b, err)
			rid := "service/fleet/" + name
			_, err = w.Call("application-autoscaling:RegisterScalableTarget", []byte(fmt.Sprintf(
				`{"ServiceNamespace":"ecs","ResourceId":%q,"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":2,"MaxCapacity":40}`, rid)))
			require.NoError(b, err)
			_, err = w.Call("application-autoscaling:PutScalingPolicy", []byte(fmt.Sprintf(`{"PolicyName":"cpu60","ServiceNamespace":"ecs","ResourceId":%q,
				"ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":60,
				"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"},"ScaleOutCooldown":60,"ScaleInCooldown":300}}`, rid)))
			require.NoError(b, err)
		}
		require.NoError(b, w.RunFor(24*time.Hour))
		acts = 0
		var token *string
		for {
			out, err := w.Autoscaling().DescribeScalingActivities(&autoscaling.DescribeScalingActivitiesInput{ServiceNamespace: api.String("ecs"), NextToken: token})
			require.NoError(b, err)
			acts += float64(len(out.ScalingActivities))
			if token = out.NextToken; token == nil {
				break
			}
		}
		costs, err := client.DescribeCosts(&ecs.DescribeCostsInput{})
		require.NoError(b, err)
		taskHours = costs.Costs[0].TaskHours
	}
	b.ReportMetric(acts, "activities/op")
	b.ReportMetric(taskHours*float64(b.N)/b.Elapsed().Seconds(), "task-hours/s")
}
