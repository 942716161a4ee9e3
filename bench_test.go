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
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/vpc"
)

// fleetRun simulates services × tasks Fargate tasks with a container
// health check every 30 s for the given span, with one rolling deployment
// per service every 6 hours (staggered), and returns the world.
func fleetRun(tb testing.TB, services, tasks int, span time.Duration, tick bool, peak *uint64) *ecssim.World {
	return fleetRunIn(tb, ecssim.Config{Seed: 1, TickHealthChecks: tick}, defaultSubnets, services, tasks, span, peak, nil)
}

// fleetRunIn is fleetRun in a world of the given configuration, the
// services' tasks in the given subnets. With started non-nil it counts
// the tasks started.
func fleetRunIn(tb testing.TB, cfg ecssim.Config, subnets []string, services, tasks int, span time.Duration, peak, started *uint64) *ecssim.World {
	return fleetRunWith(tb, cfg, subnets, services, tasks, span, peak, started, func(tr *sim.Trace) { tr.Keep(false) })
}

// fleetRunWith is fleetRunIn with setup choosing how the trace is kept
// and read.
func fleetRunWith(tb testing.TB, cfg ecssim.Config, subnets []string, services, tasks int, span time.Duration, peak, started *uint64, setup func(*sim.Trace)) *ecssim.World {
	w, err := ecssim.New(cfg)
	require.NoError(tb, err)
	setup(w.Trace())
	client := w.ECS()
	_, err = client.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("fleet")})
	require.NoError(tb, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1","healthCheck":{"command":["CMD-SHELL","curl -f http://localhost/health"],"interval":30}}]}`))
	require.NoError(tb, err)
	for i := range services {
		name := fmt.Sprintf("svc-%04d", i)
		// Beyond the services-per-cluster quota, further clusters
		// fleet-2, fleet-3, ...
		cluster := "fleet"
		if k := i / ecs.MaxServicesPerCluster; k > 0 {
			cluster = fmt.Sprintf("fleet-%d", k+1)
			if i%ecs.MaxServicesPerCluster == 0 {
				_, err = client.CreateCluster(&ecs.CreateClusterInput{ClusterName: &cluster})
				require.NoError(tb, err)
			}
		}
		_, err := client.CreateService(&ecs.CreateServiceInput{
			Cluster: &cluster, ServiceName: &name, TaskDefinition: api.String("app"),
			DesiredCount: api.Int32(int32(tasks)), LaunchType: api.String("FARGATE"),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: subnets}},
		})
		require.NoError(tb, err)
		offset := 6*time.Hour/time.Duration(services)*time.Duration(i) + time.Hour
		var deploy func() error
		deploy = func() error {
			if _, err := client.UpdateService(&ecs.UpdateServiceInput{Cluster: &cluster, Service: &name, ForceNewDeployment: api.Bool(true)}); err != nil {
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
	if started != nil {
		w.Trace().ObserveEvents(func(r sim.Record) {
			if d, ok := r.Detail.(*ecs.TaskStateChange); ok && d.Version == 1 {
				*started++
			}
		})
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

// fleetSubnets is a VPC large enough for 100,000 tasks and their
// replacements during deployments: three /16 CIDR blocks (a primary and
// two secondary ones), one /16 subnet in each zone, 196,593 usable
// addresses.
var fleetSubnets = []vpc.Subnet{
	{ID: "subnet-f1ee7001", AvailabilityZone: "us-east-1a", CIDR: "10.0.0.0/16", VpcID: "vpc-f1ee7000"},
	{ID: "subnet-f1ee7002", AvailabilityZone: "us-east-1b", CIDR: "10.1.0.0/16", VpcID: "vpc-f1ee7000"},
	{ID: "subnet-f1ee7003", AvailabilityZone: "us-east-1c", CIDR: "10.2.0.0/16", VpcID: "vpc-f1ee7000"},
}

// BenchmarkFleetScale: BenchmarkFargateFleet's services (10 Fargate tasks
// each, container health checks every 30 s, a rolling deployment every 6
// hours) at 1,000, 10,000 and 100,000 tasks, for 24 simulated hours, in
// a VPC large enough for all of them. One op is the whole run. Besides
// time and allocations it reports the peak heap, the tasks started and
// the allocations per task started, which should not grow with the
// fleet. Run the largest with -benchtime 1x.
func BenchmarkFleetScale(b *testing.B) {
	ids := make([]string, len(fleetSubnets))
	for i, s := range fleetSubnets {
		ids[i] = s.ID
	}
	for _, tasks := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("tasks=%d", tasks), func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			var started, mallocs uint64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				started = 0
				fleetRunIn(b, ecssim.Config{Seed: 1, Subnets: fleetSubnets}, ids, tasks/10, 10, 24*time.Hour, &peak, &started)
				runtime.ReadMemStats(&after)
				mallocs = after.Mallocs - before.Mallocs
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(started), "tasks-started")
			b.ReportMetric(float64(mallocs)/float64(started), "allocs/task")
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

// TestFleetTraceDeferred: the fleet's trace, written and hashed on a
// second goroutine while the run goes on (nothing keeps the records, the
// only observer reads events), is the trace of the same run that keeps
// its records and encodes each at once: every task event's detail, held
// in the model's ring until the encoder has written it, is encoded as it
// was when recorded.
func TestFleetTraceDeferred(t *testing.T) {
	// The trace defers only with a processor to spare.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	cfg := ecssim.Config{Seed: 1}
	var started uint64
	deferred := fleetRunIn(t, cfg, defaultSubnets, 30, 5, 13*time.Hour, nil, &started)
	require.Eventually(t, func() bool { return !goroutineIn("sim.(*encoder).run", "sim.(*Trace).send") },
		time.Second, time.Millisecond, "the trace's encoder ends once the run returns")
	kept := fleetRunWith(t, cfg, defaultSubnets, 30, 5, 13*time.Hour, nil, nil, func(*sim.Trace) {})
	require.Equal(t, kept.Trace().Len(), deferred.Trace().Len())
	require.Greater(t, deferred.Trace().Len(), 3000)
	require.Equal(t, kept.Trace().Hash(), deferred.Trace().Hash())
	require.NoError(t, deferred.Trace().Err())
	require.Greater(t, started, uint64(150))
}

// TestFleetMetricsBehind: a fleet large enough that each minute's
// service metrics are stored on a second goroutine (Store.FlushBehind)
// has the same metrics, read through GetMetricStatistics, as the same
// fleet on one processor, where they are stored at once; no goroutine of
// the store is left once the run returns.
func TestFleetMetricsBehind(t *testing.T) {
	const services = 300
	run := func(procs int) *ecssim.World {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return fleetRunIn(t, ecssim.Config{Seed: 1}, defaultSubnets, services, 1, 3*time.Hour, nil, nil)
	}
	behind := run(2)
	require.Eventually(t, func() bool { return !goroutineIn("cloudwatch.(*behindBatch).work", "cloudwatch.(*Store).FlushBehind") },
		time.Second, time.Millisecond, "the store's goroutines end once the run returns")
	once := run(1)
	require.Equal(t, once.Trace().Hash(), behind.Trace().Hash())
	for i := 0; i < services; i += 7 {
		name := fmt.Sprintf("svc-%04d", i)
		want := stats(t, once, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "fleet", "ServiceName", name)
		require.Len(t, want, 3*60-1, name)
		require.Equal(t, want, stats(t, behind, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "fleet", "ServiceName", name), name)
		require.Equal(t, stats(t, once, "AWS/ECS", "MemoryUtilization", "Maximum", "ClusterName", "fleet", "ServiceName", name),
			stats(t, behind, "AWS/ECS", "MemoryUtilization", "Maximum", "ClusterName", "fleet", "ServiceName", name), name)
	}
}

// goroutineIn reports whether a goroutine runs one of the functions, or
// was made by one and has not started (its stack then shows only where
// it was made). A goroutine that signalled the end of its work may still
// be returning: callers allow it a moment.
func goroutineIn(funcs ...string) bool {
	stacks := make([]byte, 1<<20)
	s := string(stacks[:runtime.Stack(stacks, true)])
	for _, f := range funcs {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
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
