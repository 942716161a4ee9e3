package ecssim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// overloadedApp answers in 200 to 800 ms (drawn per container): a check of
// one that is saturated 3 times over takes 0.6 to 2.4 s, past a 2 s
// timeout for the slower ones.
var overloadedApp = workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second),
	ResponseTime: workload.Uniform(550*time.Millisecond, 800*time.Millisecond), Paths: map[string]int{"/health": 200}}}

// overload runs a service of desired tasks of 0.25 vCPU, with no auto
// scaling, behind a load balancer whose checks time out after 2 s. Its
// listener gets 40 requests per second of 10 ms of CPU each (0.4 vCPU),
// then 300 (3 vCPU) from 10 minutes, for 40 minutes in all.
func overload(t *testing.T, tick bool, desired int32) *fleet {
	return overloadShape(t, tick, desired, "steps(0s:40,10m:300)", 40*time.Minute, false)
}

// overloadShape is overload with the given traffic shape and duration,
// and, with scale, target tracking of 1,200 requests per target a
// minute (20 per second, 0.2 vCPU: 80 %).
func overloadShape(t *testing.T, tick bool, desired int32, shape string, d time.Duration, scale bool) *fleet {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: 1, Images: map[string]workload.Image{"web:*": overloadedApp}, TickHealthChecks: tick})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	f := &fleet{t: t, w: w}
	tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10),
		HealthCheckTimeoutSeconds: api.Int32(2), HealthyThresholdCount: api.Int32(2), UnhealthyThresholdCount: api.Int32(2)}, "30")
	lbs, err := w.ELB().DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{Names: []string{"web"}})
	require.NoError(t, err)
	ls, err := w.ELB().DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lbs.LoadBalancers[0].LoadBalancerArn})
	require.NoError(t, err)
	_, err = w.Call("sim:SetListenerTraffic", fmt.Appendf(nil, `{"listenerArn":%q,"traffic":{"shape":%q,"cpuPerRequest":"10ms","memoryBaseMiB":128}}`,
		ls.Listeners[0].ListenerArn, shape))
	require.NoError(t, err)
	f.register("web", "web:1", false)
	f.createLBService("web", tg, desired, 60, nil)
	if scale {
		lbDim, tgDim := f.albDims(tg)
		_, err := f.w.Call("application-autoscaling:RegisterScalableTarget", []byte(`{"ServiceNamespace":"ecs","ResourceId":"service/demo/web",
		"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":40}`))
		require.NoError(t, err)
		_, err = f.w.Call("application-autoscaling:PutScalingPolicy", fmt.Appendf(nil, `{"PolicyName":"requests","ServiceNamespace":"ecs","ResourceId":"service/demo/web",
		"ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling",
		"TargetTrackingScalingPolicyConfiguration":{"TargetValue":1200,"ScaleOutCooldown":60,"ScaleInCooldown":600,
		"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget","ResourceLabel":%q}}}`, lbDim+"/"+tgDim))
		require.NoError(t, err)
	}
	require.NoError(t, w.RunFor(d))
	return f
}

// healthEvents counts the target health changes to unhealthy for
// Target.Timeout and the tasks stopped for failing ELB health checks.
func healthEvents(f *fleet) (timeouts, replaced int) {
	for _, r := range f.w.Trace().Records() {
		if d, ok := r.Detail.(*elb.TargetHealthChange); ok && d.State == elb.HealthUnhealthy && d.Reason == elb.ReasonTimeout {
			timeouts++
		}
	}
	tl := ecssimtest.Timeline(f.w.Trace().Records()[0].Time, f.w.Trace().Records())
	replaced = strings.Count(tl, "Task failed ELB health checks")
	return timeouts, replaced
}

// TestALBOverloadCascade: 300 requests per second need 3 vCPU; 4 tasks of
// 0.25 vCPU are each saturated 3 times over, so their checks take 3 times
// as long. The slowest target's checks time out first; it leaves the
// rotation, its share moves onto the other 3, which saturate further and
// time out in turn, and ECS replaces every task that fails its checks:
// the service collapses into churn, each replacement overloaded as soon
// as it turns healthy. With 16 tasks (0.19 vCPU each, 75 %) nothing times
// out. The overloaded trace matches testdata/golden/alb-overload-cascade.txt,
// is the same on every run, and the same with every check run as an event.
func TestALBOverloadCascade(t *testing.T) {
	f := overload(t, false, 4)
	timeouts, replaced := healthEvents(f)
	require.Greater(t, timeouts, 4, "targets time out")
	require.Greater(t, replaced, 4, "tasks are replaced")
	again := overload(t, false, 4)
	require.Equal(t, f.w.Trace().Hash(), again.w.Trace().Hash(), "deterministic")
	tick := overload(t, true, 4)
	require.Equal(t, ecssimtest.Timeline(0, tick.w.Trace().Records()), ecssimtest.Timeline(0, f.w.Trace().Records()), "analytic == tick")
	require.Equal(t, f.w.Trace().Hash(), tick.w.Trace().Hash(), "analytic == tick")
	goldenTimeline(t, f, "alb-overload-cascade")

	headroom := overload(t, false, 16)
	timeouts, replaced = healthEvents(headroom)
	require.Zero(t, timeouts, "no target times out with headroom")
	require.Zero(t, replaced)
}

// TestALBOverloadRampTargetTracking: traffic that grows from 40 to 300
// requests per second over 40 minutes cascades 4 fixed tasks into churn
// as well, but with target tracking on ALBRequestCountPerTarget the
// service grows ahead of its saturation and no check times out.
func TestALBOverloadRampTargetTracking(t *testing.T) {
	const ramp = "steps(0s:40,10m:100,20m:160,30m:220,40m:300)"
	fixed := overloadShape(t, false, 4, ramp, time.Hour, false)
	timeouts, replaced := healthEvents(fixed)
	require.Positive(t, timeouts)
	require.Positive(t, replaced)

	scaled := overloadShape(t, false, 4, ramp, time.Hour, true)
	timeouts, replaced = healthEvents(scaled)
	require.Zero(t, timeouts)
	require.Zero(t, replaced)
	require.GreaterOrEqual(t, scaled.service("web").DesiredCount, int32(15))
	tick := overloadShape(t, true, 4, ramp, time.Hour, true)
	require.Equal(t, scaled.w.Trace().Hash(), tick.w.Trace().Hash(), "analytic == tick")
}
