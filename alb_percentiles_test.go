package ecssim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/workload"
)

// TestALBResponseTimePercentiles: during a canary that sends 5 % of the
// load balancer's requests to a slow release (2 s) and 95 % to the
// current one (50 ms), TargetResponseTime's percentiles come from each
// target's response time weighted by its requests: p50 and p90 are
// 0.05 s, p99 is 2 s, and the Average is the mean, 0.95 × 0.05 + 0.05 × 2.
func TestALBResponseTimePercentiles(t *testing.T) {
	slow := workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second), ResponseTime: workload.Fixed(2 * time.Second),
		Paths: map[string]int{"/health": 200}}}
	b := newBGWith(t, 1, slow, ecs.DeploymentConfiguration{Strategy: api.String("CANARY"), BakeTimeInMinutes: api.Int32(1),
		CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: new(5.0), CanaryBakeTimeInMinutes: api.Int32(10)}})
	b.run(10*time.Minute, -1, nil)
	lbDim, _ := b.f.albDims(b.blue)
	w := b.f.w

	// GetMetricStatistics takes Statistics or ExtendedStatistics, not both.
	query := func(in cloudwatch.GetMetricStatisticsInput) []cloudwatch.Datapoint {
		start, end := api.NewTimestamp(w.Start()), api.NewTimestamp(w.Now())
		in.Namespace, in.MetricName = api.String("AWS/ApplicationELB"), api.String("TargetResponseTime")
		in.Dimensions = []cloudwatch.Dimension{{Name: api.String("LoadBalancer"), Value: &lbDim}}
		in.StartTime, in.EndTime, in.Period = &start, &end, api.Int32(60)
		out, err := w.CloudWatch().GetMetricStatistics(&in)
		require.NoError(t, err)
		return out.Datapoints
	}
	average := map[api.Timestamp]float64{}
	for _, dp := range query(cloudwatch.GetMetricStatisticsInput{Statistics: []string{"Average"}}) {
		average[dp.Timestamp] = *dp.Average
	}
	canary := 0
	for _, dp := range query(cloudwatch.GetMetricStatisticsInput{ExtendedStatistics: []string{"p50", "p90", "p99"}}) {
		p := dp.ExtendedStatistics
		if p["p99"] != 2 {
			require.Equal(t, map[string]float64{"p50": 0.05, "p90": 0.05, "p99": 0.05}, p, "%s: only the current release", dp.Timestamp)
			require.InDelta(t, 0.05, average[dp.Timestamp], 1e-9)
			continue
		}
		canary++
		require.Equal(t, map[string]float64{"p50": 0.05, "p90": 0.05, "p99": 2}, p, "%s", dp.Timestamp)
		require.InDelta(t, 0.95*0.05+0.05*2, average[dp.Timestamp], 1e-9, "%s", dp.Timestamp)
	}
	require.GreaterOrEqual(t, canary, 5, "minutes of the canary")
}
