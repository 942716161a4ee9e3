package ecssim_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// servedApp is webApp answering every request in 50 ms.
var servedApp = workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second), ResponseTime: workload.Fixed(50 * time.Millisecond),
	Paths: map[string]int{"/health": 200}}}

// listenerTraffic gives the listener of load balancer "web" 300 requests
// per second at 1 ms of CPU each, and returns the load balancer's and
// the group's CloudWatch dimension values.
func (f *fleet) listenerTraffic(tg string) (lbDim, tgDim string) {
	f.t.Helper()
	return f.listenerShape(tg, "constant(300)")
}

// listenerShape is listenerTraffic with the given traffic shape.
func (f *fleet) listenerShape(tg, shape string) (lbDim, tgDim string) {
	f.t.Helper()
	c := f.w.ELB()
	lbs, err := c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{Names: []string{"web"}})
	require.NoError(f.t, err)
	lbArn := lbs.LoadBalancers[0].LoadBalancerArn
	ls, err := c.DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lbArn})
	require.NoError(f.t, err)
	_, err = f.w.Call("sim:SetListenerTraffic", fmt.Appendf(nil, `{"listenerArn":%q,"traffic":{"shape":%q,"cpuPerRequest":"1ms","memoryBaseMiB":128}}`,
		ls.Listeners[0].ListenerArn, shape))
	require.NoError(f.t, err)
	_, lbDim, _ = strings.Cut(lbArn, ":loadbalancer/")
	return lbDim, tg[strings.LastIndexByte(tg, ':')+1:]
}

// albTrafficRolling is albRolling with 300 requests per second through the
// load balancer, sampled every minute into a table of what each target
// got: a line per minute with the service's CPU as ECS computes it from
// routed requests, and each target as ip:state=rps.
func albTrafficRolling(t *testing.T, delay string) (*fleet, string, string, string) {
	f := newFleet(t, 1, map[string]workload.Image{"web:*": servedApp})
	c := ecssimtest.NewChecker(f.w) // checks the routing after every event
	defer c.Close()
	tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, delay)
	lbDim, tgDim := f.listenerTraffic(tg)
	f.register("web", "web:1", false)
	f.createLBService("web", tg, 3, 0, nil)

	var b strings.Builder
	drainingSeen := 0
	minute := func() {
		require.NoError(t, ecssimtest.RunChecked(f.w, c, time.Minute))
		fmt.Fprintf(&b, "%s", f.w.Elapsed())
		for _, lt := range f.w.LoadBalancerTraffic() {
			fmt.Fprintf(&b, " requests=%g elb5xx=%g", lt.Requests*60, lt.ELB5XX*60)
			for _, x := range lt.Groups[0].Targets {
				fmt.Fprintf(&b, " %s:%s=%g", x.ID, x.State, x.RPS*60)
				if x.State == "draining" {
					drainingSeen++
					require.Zero(t, x.RPS, "a draining target gets no request")
				}
			}
		}
		b.WriteString("\n")
	}
	for range 5 {
		minute()
	}
	f.register("web", "web:2", false)
	f.update("web", "web:2")
	for range 20 {
		minute()
	}
	require.NoError(t, f.w.Trace().Err())
	require.Positive(t, drainingSeen, "the samples saw draining targets")
	return f, b.String(), lbDim, tgDim
}

// sums returns a metric's Sum per minute since the World started.
func sums(t *testing.T, f *fleet, name, stat string, kv ...string) string {
	t.Helper()
	var d []cloudwatch.Dimension
	for i := 0; i < len(kv); i += 2 {
		d = append(d, cloudwatch.Dimension{Name: &kv[i], Value: &kv[i+1]})
	}
	start, end := api.NewTimestamp(f.w.Start()), api.NewTimestamp(f.w.Now())
	out, err := f.w.CloudWatch().GetMetricStatistics(&cloudwatch.GetMetricStatisticsInput{Namespace: api.String("AWS/ApplicationELB"), MetricName: &name,
		Dimensions: d, StartTime: &start, EndTime: &end, Period: api.Int32(60), Statistics: []string{stat}})
	require.NoError(t, err)
	var b strings.Builder
	for _, dp := range out.Datapoints {
		v := dp.Sum
		if stat == "Average" {
			v = dp.Average
		}
		fmt.Fprintf(&b, " %s=%g", dp.Timestamp.Sub(f.w.Start()), *v)
	}
	return b.String()
}

// TestALBTrafficRollingDeployment: the same rolling deployment with
// 300 s and 30 s deregistration delays, under traffic: no request ever
// reaches a draining target (checked after every event and in every
// sample), and the minutes of routing and the AWS/ApplicationELB metrics
// match testdata/golden/alb-traffic-rolling-<delay>s.txt.
func TestALBTrafficRollingDeployment(t *testing.T) {
	for _, delay := range []string{"300", "30"} {
		t.Run(delay, func(t *testing.T) {
			f, table, lbDim, tgDim := albTrafficRolling(t, delay)
			var b strings.Builder
			b.WriteString(table)
			for _, m := range []struct{ name, stat string }{
				{"RequestCount", "Sum"}, {"HealthyHostCount", "Average"}, {"UnHealthyHostCount", "Average"},
				{"RequestCountPerTarget", "Sum"}, {"TargetResponseTime", "Average"}, {"HTTPCode_Target_5XX_Count", "Sum"},
			} {
				fmt.Fprintf(&b, "%s:%s\n", m.name, sums(t, f, m.name, m.stat, "LoadBalancer", lbDim, "TargetGroup", tgDim))
			}
			fmt.Fprintf(&b, "HTTPCode_ELB_5XX_Count:%s\n", sums(t, f, "HTTPCode_ELB_5XX_Count", "Sum", "LoadBalancer", lbDim))
			// The service's CPU, from the requests its tasks' targets got.
			cpu := stats(t, f.w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "demo", "ServiceName", "web")
			b.WriteString("AWS/ECS CPUUtilization:")
			for m := time.Duration(0); m < f.w.Elapsed(); m += time.Minute {
				if v, ok := cpu[m]; ok {
					fmt.Fprintf(&b, " %s=%.4g", m, v)
				}
			}
			b.WriteString("\n")
			path := filepath.Join("testdata", "golden", "alb-traffic-rolling-"+delay+"s.txt")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create the golden file")
			require.Equal(t, string(want), b.String())
		})
	}
}

// TestALBTrafficMetrics: in steady state, 300 requests per second over 3
// healthy targets are 18,000 requests a minute, 6,000 per target, 50 ms
// each, and each task's CPU is what its 100 requests per second cost:
// 100 × 1 ms = 0.1 vCPU = 102.4 of its 256 CPU units, 40 %.
func TestALBTrafficMetrics(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"web:*": servedApp})
	tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
	lbDim, tgDim := f.listenerTraffic(tg)
	f.register("web", "web:1", false)
	f.createLBService("web", tg, 3, 0, nil)
	require.NoError(t, f.w.RunFor(10*time.Minute))
	at := " 8m0s="
	both := []string{"LoadBalancer", lbDim, "TargetGroup", tgDim}
	require.Contains(t, sums(t, f, "RequestCount", "Sum", "LoadBalancer", lbDim), at+"18000")
	require.Contains(t, sums(t, f, "RequestCount", "Sum", both...), at+"18000")
	require.Contains(t, sums(t, f, "RequestCountPerTarget", "Sum", both...), at+"6000")
	require.Contains(t, sums(t, f, "RequestCountPerTarget", "Sum", "TargetGroup", tgDim), at+"6000")
	require.Contains(t, sums(t, f, "HealthyHostCount", "Average", both...), at+"3")
	require.Contains(t, sums(t, f, "UnHealthyHostCount", "Average", both...), at+"0")
	require.Contains(t, sums(t, f, "TargetResponseTime", "Average", "LoadBalancer", lbDim), at+"0.05")
	require.Empty(t, sums(t, f, "HTTPCode_Target_5XX_Count", "Sum", both...))
	require.Empty(t, sums(t, f, "HTTPCode_ELB_5XX_Count", "Sum", "LoadBalancer", lbDim))
	cpu := stats(t, f.w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "demo", "ServiceName", "web")
	require.InDelta(t, 40, cpu[8*time.Minute], 1e-9)

	// With the service scaled to 0 its targets drain (30 s) and leave:
	// every request is then a 503 from the load balancer.
	f.scale("web", 0)
	require.NoError(t, f.w.RunFor(3*time.Minute))
	require.Contains(t, sums(t, f, "HTTPCode_ELB_5XX_Count", "Sum", "LoadBalancer", lbDim), " 11m0s=18000")
	require.Contains(t, sums(t, f, "HealthyHostCount", "Average", both...), " 11m0s=0")
	require.NotContains(t, sums(t, f, "RequestCountPerTarget", "Sum", both...), " 11m0s=")
}

// TestALBTrafficCPUFollowsRoutedRequests: a listener forwards 75 % of its
// 300 requests per second to service blue's group and 25 % to green's;
// each service's CPU follows its share: blue's 3 tasks get 75 requests per
// second each, 75 × 1 ms = 0.075 vCPU of 0.25, 30 %; green's 25, 10 %.
// With no healthy target (green scaled to 0) its requests are 503s.
func TestALBTrafficCPUFollowsRoutedRequests(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"web:*": servedApp})
	c := f.w.ELB()
	lb, err := c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: defaultSubnets})
	require.NoError(t, err)
	f.register("web", "web:1", false)
	var tuples []elb.TargetGroupTuple
	for i, name := range []string{"blue", "green"} {
		out, err := c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: &name, Protocol: api.String("HTTP"), Port: api.Int32(80), VpcId: api.String("vpc-00000001"),
			TargetType: api.String("ip"), HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)})
		require.NoError(t, err)
		tuples = append(tuples, elb.TargetGroupTuple{TargetGroupArn: &out.TargetGroups[0].TargetGroupArn, Weight: api.Int32(int32(75 - 50*i))})
	}
	_, err = c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), ForwardConfig: &elb.ForwardActionConfig{TargetGroups: tuples}}}})
	require.NoError(t, err)
	lbDim, _ := f.listenerTraffic(*tuples[0].TargetGroupArn)
	for i, name := range []string{"blue", "green"} {
		_, err := f.w.ECS().CreateService(&ecs.CreateServiceInput{
			Cluster: api.String("demo"), ServiceName: api.String(name), TaskDefinition: api.String("web"), DesiredCount: api.Int32(3), LaunchType: api.String("FARGATE"),
			LoadBalancers:        []ecs.LoadBalancer{{TargetGroupArn: tuples[i].TargetGroupArn, ContainerName: api.String("app"), ContainerPort: api.Int32(80)}},
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets, SecurityGroups: []string{"sg-00000001"}}},
		})
		require.NoError(t, err)
	}
	require.NoError(t, f.w.RunFor(10*time.Minute))
	cpu := func(service string) map[time.Duration]float64 {
		return stats(t, f.w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "demo", "ServiceName", service)
	}
	require.InDelta(t, 30, cpu("blue")[8*time.Minute], 1e-9)
	require.InDelta(t, 10, cpu("green")[8*time.Minute], 1e-9)

	f.scale("green", 0)
	require.NoError(t, f.w.RunFor(3*time.Minute))
	require.Contains(t, sums(t, f, "HTTPCode_ELB_5XX_Count", "Sum", "LoadBalancer", lbDim), " 11m0s=4500", "green's quarter of 18,000 a minute")
	require.InDelta(t, 30, cpu("blue")[11*time.Minute], 1e-9)
}

// TestALBResponseTimePastSaturation: one task of 256 CPU units (0.25
// vCPU) behind the load balancer. At 200 requests per second of 1 ms each
// it uses 0.2 vCPU, 80 %, and answers in its 50 ms; at 500 it would need
// 0.5 vCPU, twice what it has: its CPU is 100 % and each request takes
// twice as long, 100 ms.
func TestALBResponseTimePastSaturation(t *testing.T) {
	for _, tc := range []struct {
		rps     string
		cpu, rt float64
	}{{"200", 80, 0.05}, {"500", 100, 0.1}} {
		t.Run(tc.rps, func(t *testing.T) {
			f := newFleet(t, 1, map[string]workload.Image{"web:*": servedApp})
			tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
			lbDim, _ := f.listenerShape(tg, "constant("+tc.rps+")")
			f.register("web", "web:1", false)
			f.createLBService("web", tg, 1, 0, nil)
			require.NoError(t, f.w.RunFor(10*time.Minute))
			require.Contains(t, sums(t, f, "TargetResponseTime", "Average", "LoadBalancer", lbDim), fmt.Sprintf(" 7m0s=%g ", tc.rt))
			cpu := stats(t, f.w, "AWS/ECS", "CPUUtilization", "Average", "ClusterName", "demo", "ServiceName", "web")
			require.InDelta(t, tc.cpu, cpu[8*time.Minute], 1e-9)
		})
	}
}

// TestALBTrafficMetricsByZone: the group's host counts by zone count the
// targets in each zone the load balancer is enabled in (one task per
// zone); after us-east-1a fails its count drops to 0 there and the
// replacement lands in another zone. Requests are not published by zone.
func TestALBTrafficMetricsByZone(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"web:*": servedApp})
	tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
	lbDim, tgDim := f.listenerTraffic(tg)
	f.register("web", "web:1", false)
	f.createLBService("web", tg, 3, 0, nil)
	require.NoError(t, f.w.RunFor(10*time.Minute))
	_, err := f.w.Call("sim:FailAvailabilityZone", []byte(`{"availabilityZone":"us-east-1a"}`))
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	require.Empty(t, sums(t, f, "RequestCount", "Sum", "LoadBalancer", lbDim, "AvailabilityZone", "us-east-1a"))
	for _, az := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		require.Contains(t, sums(t, f, "HealthyHostCount", "Average", "LoadBalancer", lbDim, "TargetGroup", tgDim, "AvailabilityZone", az), " 8m0s=1 ", az)
	}
	require.Contains(t, sums(t, f, "HealthyHostCount", "Average", "LoadBalancer", lbDim, "TargetGroup", tgDim, "AvailabilityZone", "us-east-1a"), " 12m0s=0 ")
	b := sums(t, f, "HealthyHostCount", "Average", "LoadBalancer", lbDim, "TargetGroup", tgDim, "AvailabilityZone", "us-east-1b")
	c := sums(t, f, "HealthyHostCount", "Average", "LoadBalancer", lbDim, "TargetGroup", tgDim, "AvailabilityZone", "us-east-1c")
	require.True(t, strings.Contains(b, " 12m0s=2 ") != strings.Contains(c, " 12m0s=2 "), "the replacement is in b or c:\n%s\n%s", b, c)
}

// TestALBTargetErrorRate: an application that answers 404 to a quarter of
// its requests (its health checks pass) publishes that share of each
// minute's requests as HTTPCode_Target_4XX_Count, and no 5XX; one that
// answers 500 to a fifth publishes them as HTTPCode_Target_5XX_Count.
func TestALBTargetErrorRate(t *testing.T) {
	for _, c := range []struct {
		status           int
		rate             float64
		metric, noMetric string
	}{
		{404, 0.25, "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count"},
		{500, 0.2, "HTTPCode_Target_5XX_Count", "HTTPCode_Target_4XX_Count"},
	} {
		t.Run(c.metric, func(t *testing.T) {
			app := workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second), Paths: map[string]int{"/health": 200},
				ErrorRate: c.rate, ErrorStatus: c.status}}
			f := newFleet(t, 1, map[string]workload.Image{"web:*": app})
			tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
			lbDim, tgDim := f.listenerTraffic(tg)
			f.register("web", "web:1", false)
			f.createLBService("web", tg, 3, 0, nil)
			require.NoError(t, f.w.RunFor(10*time.Minute))
			requests := sums(t, f, "RequestCount", "Sum", "LoadBalancer", lbDim, "TargetGroup", tgDim)
			errs := sums(t, f, c.metric, "Sum", "LoadBalancer", lbDim, "TargetGroup", tgDim)
			require.Contains(t, requests, "=18000", "300 requests a second")
			want := fmt.Sprintf("=%g", 18000*c.rate)
			require.Contains(t, errs, want)
			require.Equal(t, strings.Count(requests, "=18000"), strings.Count(errs, want), "every full minute: %s / %s", requests, errs)
			require.Contains(t, sums(t, f, c.metric, "Sum", "LoadBalancer", lbDim), want, "and on the load balancer")
			require.Empty(t, sums(t, f, c.noMetric, "Sum", "LoadBalancer", lbDim, "TargetGroup", tgDim))
		})
	}
}
