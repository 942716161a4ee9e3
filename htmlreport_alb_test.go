package ecssim_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/report/htmlreport"
	"github.com/ecssim/ecssim/workload"
)

// TestHTMLReportALBRequests: the HTML report of a service behind an
// Application Load Balancer shows its requests per target against its
// ALBRequestCountPerTarget target, and its targets by health.
func TestHTMLReportALBRequests(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"web:*": servedApp})
	c := htmlreport.Attach(f.w)
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

	d, err := c.Build(htmlreport.Options{Title: "ALB requests"})
	require.NoError(t, err)
	require.Len(t, d.Services, 1)
	s := d.Services[0]
	require.Equal(t, 2000.0, s.RequestsTarget)
	require.Len(t, s.TargetGroups, 1)
	g := s.TargetGroups[0]
	require.NotEmpty(t, g.RequestsPerTarget)
	require.Equal(t, 9.0, g.Healthy[len(g.Healthy)-1].Value, "the 9 tasks it scaled out to")
	require.Equal(t, 9.0, s.Desired[len(s.Desired)-1].Value)
	var page bytes.Buffer
	require.NoError(t, htmlreport.Write(&page, d))
	require.Equal(t, 1, strings.Count(page.String(), `data-chart="requests"`))
	require.Contains(t, page.String(), `data-series="requests target"`)
}
