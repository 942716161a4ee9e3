package ecssim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
)

// backlogPerTask is AWS's documented metric math for target tracking on
// a queue: the queue's depth (published by the application with
// PutMetricData) over the service's RunningTaskCount (Container
// Insights), 10 messages per task as the target.
// [AAS:application-auto-scaling-target-tracking-metric-math]
const backlogPerTask = `{"TargetValue": 10, "ScaleInCooldown": 60, "CustomizedMetricSpecification": {"Metrics": [
	{"Id": "m1", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "ApproximateNumberOfMessagesVisible",
		"Dimensions": [{"Name": "QueueName", "Value": "jobs"}]}, "Stat": "Sum"}},
	{"Id": "m2", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "ECS/ContainerInsights", "MetricName": "RunningTaskCount",
		"Dimensions": [{"Name": "ClusterName", "Value": "demo"}, {"Name": "ServiceName", "Value": "web"}]}, "Stat": "Average"}},
	{"Id": "e1", "Label": "Backlog per task", "Expression": "m1 / m2", "ReturnData": true}]}}`

// mathFleet is a fleet whose cluster has Container Insights on, with web
// at 2 tasks (1 to 10) and a backlog-per-task policy; the queue's depth
// is published every minute, 30 s into it, from depths.
func mathFleet(t *testing.T, seed uint64, depths []float64) *fleet {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: seed})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo"),
		Settings: []ecs.ClusterSetting{{Name: api.String("containerInsights"), Value: api.String("enabled")}}})
	require.NoError(t, err)
	f := &fleet{t: t, w: w}
	f.register("web", "myapp:1", false)
	f.createService("web", "web", 2, 200, 100, nil)
	require.NoError(t, w.RunFor(2*time.Minute))
	_, err = w.Autoscaling().RegisterScalableTarget(&autoscaling.RegisterScalableTargetInput{
		ServiceNamespace: api.String("ecs"), ResourceId: api.String(webResource), ScalableDimension: api.String("ecs:service:DesiredCount"),
		MinCapacity: api.Int32(1), MaxCapacity: api.Int32(10)})
	require.NoError(t, err)
	_, err = f.putTracking("backlog", backlogPerTask)
	require.NoError(t, err)
	for k, d := range depths {
		_, err := w.Engine().After(time.Duration(k)*time.Minute+30*time.Second, func() error {
			_, err := w.Call("cloudwatch:PutMetricData", fmt.Appendf(nil,
				`{"Namespace":"App","MetricData":[{"MetricName":"ApproximateNumberOfMessagesVisible","Dimensions":[{"Name":"QueueName","Value":"jobs"}],"Value":%g}]}`, d))
			return err
		})
		require.NoError(t, err)
	}
	return f
}

// TestTargetTrackingMetricMath: target tracking on backlog per task (m1 /
// m2) scales out and back in. The policy is put at 00:02; the queue holds
// 60 messages in minutes 00:02 to 00:11, then 4.
//
// Timing: each minute's depth is visible at once (PutMetricData), each
// minute's RunningTaskCount ecssim.ECSMetricsDelay after the minute's
// end, so the expression has a value for a minute once both are visible.
// With 2 tasks the backlog is 30 per task. At 00:05 the minutes 00:02
// and 00:03 have values (00:04 still lacks its task count); the oldest
// breaching one is 3 periods old with nothing newer that is not
// breaching, which is ALARM for AlarmHigh (3 of 3 above 10,
// TreatMissingData missing), as for an alarm on one metric, and the
// service goes to ceil(2 × 30 / 10) = 6. At 6 tasks the backlog is 10,
// not above the target and not below 9. From 00:12 it is 4 / 6 = 0.67;
// AlarmLow (15 of 15 below 9) sees the minutes 00:12 to 00:26 at 00:28
// (00:26's task count visible then) and the service scales in to
// ceil(6 × 0.67 / 10) = 1.
// [AAS:application-auto-scaling-target-tracking]
func TestTargetTrackingMetricMath(t *testing.T) {
	depths := make([]float64, 60)
	for k := range depths {
		depths[k] = 4
		if k < 10 {
			depths[k] = 60
		}
	}
	f := mathFleet(t, 1, depths)

	// The alarms carry the policy's Metrics, each metric stat at 60 s.
	out, err := f.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: api.String("TargetTracking-")})
	require.NoError(t, err)
	require.Len(t, out.MetricAlarms, 2)
	for _, a := range out.MetricAlarms {
		require.Len(t, a.Metrics, 3, a.AlarmName)
		require.Equal(t, "m1 / m2", *a.Metrics[2].Expression)
		require.EqualValues(t, 60, *a.Metrics[0].MetricStat.Period)
		require.Empty(t, a.MetricName)
	}

	var desired []string
	last := int32(-1)
	for range 50 {
		require.NoError(t, f.w.RunFor(time.Minute))
		if d := f.service("web").DesiredCount; d != last {
			desired = append(desired, fmt.Sprintf("%s %d", f.w.Engine().Now().Time().Format("15:04"), d))
			last = d
		}
	}
	acts := f.activities()
	require.GreaterOrEqual(t, len(acts), 2)
	require.Equal(t, []string{"00:03 2", "00:05 6", "00:28 1"}, desired)
	var causes []string
	for _, a := range acts {
		causes = append(causes, a.Cause)
	}
	joined := strings.Join(causes, "\n")
	require.Contains(t, joined, "-AlarmHigh-")
	require.Contains(t, joined, "-AlarmLow-")
}

// The same seed twice gives the same trace.
func TestTargetTrackingMetricMathDeterminism(t *testing.T) {
	depths := []float64{60, 60, 60, 60, 60, 60, 60, 60, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}
	hash := func() string {
		f := mathFleet(t, 7, depths)
		require.NoError(t, f.w.RunFor(40*time.Minute))
		return f.w.Engine().Trace().Hash()
	}
	require.Equal(t, hash(), hash())
}

// Application Auto Scaling's checks of a policy's Metrics; nothing is
// created on a refusal.
func TestTargetTrackingMetricMathValidation(t *testing.T) {
	stat := `"MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Q"}, "Stat": "Sum"}`
	for _, tc := range []struct{ name, metrics, want string }{
		{"two return data", `[{"Id": "m1", ` + stat + `}, {"Id": "e1", "Expression": "m1 * 2"}]`, "Exactly one metric data query must have ReturnData set to true; 2 do."},
		{"none returns", `[{"Id": "m1", "ReturnData": false, ` + stat + `}]`, "Exactly one metric data query must have ReturnData set to true; 0 do."},
		{"both", `[{"Id": "m1", "Expression": "1", ` + stat + `}]`, "Either Expression or MetricStat must be specified in metric data query m1, not both."},
		{"neither", `[{"Id": "m1"}]`, "Either Expression or MetricStat"},
		{"no id", `[{"Expression": "1"}]`, "Id must be 1 to 255 characters."},
		{"same id", `[{"Id": "m1", "ReturnData": false, ` + stat + `}, {"Id": "m1", "Expression": "1"}]`, "The Id m1 is used by more than one"},
		{"no stat", `[{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Q"}}}]`, "must have a Metric with a Namespace and a MetricName, and a Stat"},
		{"unknown id", `[{"Id": "m1", "ReturnData": false, ` + stat + `}, {"Id": "e1", "Expression": "m1 / m3"}]`, "Error in expression 'e1': Unrecognized metric or expression id: m3"},
		{"syntax", `[{"Id": "m1", "ReturnData": false, ` + stat + `}, {"Id": "e1", "Expression": "m1 / "}]`, "Error in expression 'e1': Syntax error"},
		{"empty", `[]`, "Metrics must hold at least one"},
		{"mixed", `[{"Id": "e1", "Expression": "1"}], "MetricName": "Q"`, "either Metrics or a MetricName"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := scaledFleet(t, 1, 2, 1, 10, 50, 0)
			before := f.alarmNames()
			_, err := f.putTracking("math", `{"TargetValue": 10, "CustomizedMetricSpecification": {"Metrics": `+tc.metrics+`}}`)
			require.Error(t, err)
			require.Equal(t, "ValidationException", api.ErrorCode(err))
			require.Contains(t, err.Error(), tc.want)
			require.Equal(t, before, f.alarmNames())
		})
	}
}

func init() {
	scenarios = append(scenarios, scenario{
		// Target tracking on backlog per task, metric math: App/QueueDepth
		// (PutMetricData) over ECS/ContainerInsights RunningTaskCount.
		name: "metric-math-backlog-per-task",
		run: func(f *fleet, run func(time.Duration)) {
			// Container Insights on, for RunningTaskCount.
			_, err := f.w.ECS().DeleteCluster(&ecs.DeleteClusterInput{Cluster: api.String("demo")})
			require.NoError(f.t, err)
			_, err = f.w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo"),
				Settings: []ecs.ClusterSetting{{Name: api.String("containerInsights"), Value: api.String("enabled")}}})
			require.NoError(f.t, err)
			f.register("web", "nginx:1.25", false)
			f.createService("web", "web", 2, 200, 100, nil)
			f.registerTarget(1, 10)
			_, err = f.putTracking("backlog", strings.ReplaceAll(strings.ReplaceAll(backlogPerTask,
				`"MetricName": "ApproximateNumberOfMessagesVisible",
		"Dimensions": [{"Name": "QueueName", "Value": "jobs"}]`, `"MetricName": "QueueDepth"`), "\t", ""))
			require.NoError(f.t, err)
			depths := make([]float64, 40)
			for k := range depths {
				depths[k] = 4
				if k < 12 {
					depths[k] = 60
				}
			}
			f.publish("QueueDepth", depths...)
			run(40 * time.Minute)
		},
		check: func(t *testing.T, f *fleet) {
			// Timing: the depth of minute k (sent k:30) is visible at once,
			// its RunningTaskCount at (k+2):00; the expression has a value
			// for minute k from (k+2):00.
			//   - 03:00: minutes 0 and 1 have values above 10 and minute 2
			//     lacks its count; the oldest breaching one is 3 periods old with
			//     nothing newer not breaching: AlarmHigh (3 of 3 above 10,
			//     missing) goes to ALARM and web goes to ceil(2 × 30 / 10) = 6.
			//   - at 6 tasks 60 is 10 per task: neither above 10 nor below 9.
			//   - from minute 12 the depth is 4, 0.67 per task; AlarmLow (15
			//     of 15 below 9) has minutes 12 to 26 at 28:00: web goes to
			//     ceil(6 × 0.67 / 10) = 1.
			acts := activities(f.w)
			require.Len(t, acts, 2, "%v", acts)
			require.True(t, strings.HasPrefix(acts[0], "03:00 2->6 "), acts[0])
			require.True(t, strings.HasPrefix(acts[1], "28:00 6->1 "), acts[1])
			require.Equal(t, int32(1), f.service("web").DesiredCount)
		},
	})
}
