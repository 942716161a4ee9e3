package ecssim_test

import (
	"fmt"
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
