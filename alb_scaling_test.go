package ecssim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// TestALBRequestCountPerTargetScalesOut: target tracking on
// ALBRequestCountPerTarget reads the target group's RequestCountPerTarget
// through its CloudWatch alarm: 18,000 requests a minute over 3 targets
// is 6,000 per target against a target of 2,000, so the service scales
// out to ceil(3 × 6000 / 2000) = 9 tasks, where each gets 2,000. The
// metric counts healthy targets only, so it stays at 6,000 until the new
// tasks pass their target health checks; the default 300 s scale-out
// cooldown keeps that stale figure from scaling out again (a 60 s one
// overshoots to the maximum, as it would on AWS).
// [AAS:application-auto-scaling-target-tracking]
func TestALBRequestCountPerTargetScalesOut(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"web:*": servedApp})
	tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
	lbDim, tgDim := f.listenerTraffic(tg)
	f.register("web", "web:1", false)
	f.createLBService("web", tg, 3, 0, nil)
	_, err := f.w.Call("application-autoscaling:RegisterScalableTarget", []byte(`{"ServiceNamespace":"ecs","ResourceId":"service/demo/web",
		"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":20}`))
	require.NoError(t, err)
	_, err = f.w.Call("application-autoscaling:PutScalingPolicy", fmt.Appendf(nil, `{"PolicyName":"requests","ServiceNamespace":"ecs","ResourceId":"service/demo/web",
		"ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling",
		"TargetTrackingScalingPolicyConfiguration":{"TargetValue":2000,"ScaleOutCooldown":300,"ScaleInCooldown":600,
		"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget","ResourceLabel":%q}}}`, lbDim+"/"+tgDim))
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(20*time.Minute))
	s := f.service("web")
	require.Equal(t, int32(9), s.DesiredCount)
	require.Equal(t, int32(9), s.RunningCount)
}

// TestALBRequestCountPerTargetResourceLabel: PutScalingPolicy checks the
// ResourceLabel of ALBRequestCountPerTarget against the load balancers:
// its format, that the load balancer and the group exist, and that the
// load balancer forwards to the group. A bad label is a
// ValidationException and no policy (nor alarm) is made.
func TestALBRequestCountPerTargetResourceLabel(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"web:*": servedApp})
	tg := f.alb(elb.CreateTargetGroupInput{}, "30")
	lbDim, tgDim := f.listenerTraffic(tg)
	other, err := f.w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("other"), Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
	require.NoError(t, err)
	otherArn := other.TargetGroups[0].TargetGroupArn
	otherDim := otherArn[strings.LastIndexByte(otherArn, ':')+1:]
	f.register("web", "web:1", false)
	f.createLBService("web", tg, 1, 0, nil)
	_, err = f.w.Call("application-autoscaling:RegisterScalableTarget", []byte(`{"ServiceNamespace":"ecs","ResourceId":"service/demo/web",
		"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":20}`))
	require.NoError(t, err)
	put := func(label string) error {
		_, err := f.w.Call("application-autoscaling:PutScalingPolicy", fmt.Appendf(nil, `{"PolicyName":"requests","ServiceNamespace":"ecs","ResourceId":"service/demo/web",
			"ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling",
			"TargetTrackingScalingPolicyConfiguration":{"TargetValue":2000,
			"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget","ResourceLabel":%q}}}`, label))
		return err
	}
	for _, tc := range []struct{ label, want string }{
		{"targetgroup/web/0123456789abcdef", "the format is app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>"},
		{lbDim + "/" + tgDim + "/extra", "the format is"},
		{"net/web/0123456789abcdef/" + tgDim, "the format is"},
		{"app/web/0000000000000000/" + tgDim, "no Application Load Balancer app/web/0000000000000000 was found"},
		{lbDim + "/targetgroup/web/0000000000000000", "no target group targetgroup/web/0000000000000000 was found"},
		{lbDim + "/" + otherDim, "target group " + otherDim + " is not associated with load balancer " + lbDim},
	} {
		err := put(tc.label)
		require.Error(t, err, tc.label)
		var ae *api.Error
		require.ErrorAs(t, err, &ae)
		require.Equal(t, "ValidationException", ae.Code)
		require.Contains(t, ae.Message, "Invalid ResourceLabel "+tc.label+": ")
		require.Contains(t, ae.Message, tc.want)
		require.Empty(t, f.alarmNames(), "no alarm for a refused policy")
	}
	require.NoError(t, put(lbDim+"/"+tgDim))
	require.Len(t, f.alarmNames(), 2)
}

// albDims returns the CloudWatch dimension values of load balancer "web"
// and of target group tg.
func (f *fleet) albDims(tg string) (lbDim, tgDim string) {
	f.t.Helper()
	lbs, err := f.w.ELB().DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{Names: []string{"web"}})
	require.NoError(f.t, err)
	_, lbDim, _ = strings.Cut(lbs.LoadBalancers[0].LoadBalancerArn, ":loadbalancer/")
	return lbDim, tg[strings.LastIndexByte(tg, ':')+1:]
}
