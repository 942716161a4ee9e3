package ecssim_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/elb"
)

// putTracking puts target tracking policy name on web with config, the
// JSON of a TargetTrackingScalingPolicyConfiguration.
func (f *fleet) putTracking(name, config string) (*autoscaling.PutScalingPolicyOutput, error) {
	f.t.Helper()
	out, err := f.w.Call("application-autoscaling:PutScalingPolicy", []byte(fmt.Sprintf(`{
		"PolicyName": %q, "ServiceNamespace": "ecs", "ResourceId": %q, "ScalableDimension": "ecs:service:DesiredCount",
		"PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": %s}`, name, webResource, config)))
	if err != nil {
		return nil, err
	}
	var put autoscaling.PutScalingPolicyOutput
	require.NoError(f.t, json.Unmarshal(out, &put))
	return &put, nil
}

// alarmNames lists the names of the World's alarms.
func (f *fleet) alarmNames() []string {
	f.t.Helper()
	out, err := f.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{})
	require.NoError(f.t, err)
	names := []string{}
	for _, a := range out.MetricAlarms {
		names = append(names, a.AlarmName)
	}
	return names
}

func (f *fleet) policyAlarms(name string) []autoscaling.Alarm {
	f.t.Helper()
	out, err := f.w.Autoscaling().DescribeScalingPolicies(&autoscaling.DescribeScalingPoliciesInput{
		ServiceNamespace: api.String("ecs"), PolicyNames: []string{name}})
	require.NoError(f.t, err)
	require.Len(f.t, out.ScalingPolicies, 1)
	return out.ScalingPolicies[0].Alarms
}

// TestTargetTrackingCreatesAlarms: a target tracking policy creates the
// two alarms AWS creates for it, with AWS's names and configuration,
// visible through DescribeAlarms and in DescribeScalingPolicies.
// [AASAPI examples-1.json PutScalingPolicy]
func TestTargetTrackingCreatesAlarms(t *testing.T) {
	dim := func(n, v string) cloudwatch.Dimension {
		return cloudwatch.Dimension{Name: api.String(n), Value: api.String(v)}
	}
	ecsDims := []cloudwatch.Dimension{dim("ClusterName", "demo"), dim("ServiceName", "web")}
	for _, tc := range []struct {
		name, config           string
		ns, metric, stat, unit string
		dims                   []cloudwatch.Dimension
		high, low              float64
	}{
		{"cpu 70", `{"TargetValue": 70, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}`,
			"AWS/ECS", "CPUUtilization", "Average", "", ecsDims, 70, 63},
		{"memory 80", `{"TargetValue": 80, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}}`,
			"AWS/ECS", "MemoryUtilization", "Average", "", ecsDims, 80, 72},
		{"requests per target", `{"TargetValue": 1000, "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget",
			"ResourceLabel": "app/web/50dc6c495c0c9188/targetgroup/web/943f017f100becff"}}`,
			"AWS/ApplicationELB", "RequestCountPerTarget", "Sum", "", []cloudwatch.Dimension{dim("TargetGroup", "targetgroup/web/943f017f100becff")}, 1000, 900},
		{"customized", `{"TargetValue": 10, "CustomizedMetricSpecification": {"MetricName": "BacklogPerTask", "Namespace": "App",
			"Dimensions": [{"Name": "Queue", "Value": "jobs"}], "Statistic": "Maximum", "Unit": "Count"}}`,
			"App", "BacklogPerTask", "Maximum", "Count", []cloudwatch.Dimension{dim("Queue", "jobs")}, 10, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := scaledFleet(t, 1, 2, 1, 10, 50, 40) // with policy "cpu"
			if strings.Contains(tc.config, "ResourceLabel") {
				// The label must name this world's load balancer and group.
				lbDim, tgDim := f.albDims(f.alb(elb.CreateTargetGroupInput{}, "300"))
				tc.config = strings.ReplaceAll(tc.config, "app/web/50dc6c495c0c9188/targetgroup/web/943f017f100becff", lbDim+"/"+tgDim)
				tc.dims = []cloudwatch.Dimension{dim("TargetGroup", tgDim)}
			}
			put, err := f.putTracking("p", tc.config)
			require.NoError(t, err)
			require.Len(t, put.Alarms, 2)
			require.Equal(t, put.Alarms, f.policyAlarms("p"))
			re := regexp.MustCompile(`^TargetTracking-service/demo/web-(AlarmHigh|AlarmLow)-([0-9a-f-]{36})$`)
			high, low := re.FindStringSubmatch(put.Alarms[0].AlarmName), re.FindStringSubmatch(put.Alarms[1].AlarmName)
			require.Equal(t, "AlarmHigh", high[1])
			require.Equal(t, "AlarmLow", low[1])
			require.Equal(t, high[2], low[2], "the two alarms share one UUID")

			out, err := f.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNames: []string{high[0], low[0]}})
			require.NoError(t, err)
			require.Len(t, out.MetricAlarms, 2)
			byName := map[string]cloudwatch.MetricAlarm{}
			for _, a := range out.MetricAlarms {
				byName[a.AlarmName] = a
			}
			for i, want := range []struct {
				n         int32
				threshold float64
				op        string
			}{{3, tc.high, "GreaterThanThreshold"}, {15, tc.low, "LessThanThreshold"}} {
				a := byName[put.Alarms[i].AlarmName]
				require.Equal(t, put.Alarms[i].AlarmARN, a.AlarmArn)
				require.Equal(t, "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy "+put.PolicyARN+".", api.Deref(a.AlarmDescription))
				require.Equal(t, []string{put.PolicyARN}, a.AlarmActions)
				require.True(t, a.ActionsEnabled)
				require.Equal(t, tc.ns, a.Namespace)
				require.Equal(t, tc.metric, a.MetricName)
				require.Equal(t, tc.stat, a.Statistic)
				require.Equal(t, tc.unit, a.Unit)
				require.Equal(t, tc.dims, a.Dimensions)
				require.EqualValues(t, 60, a.Period)
				require.Equal(t, want.n, a.EvaluationPeriods)
				require.Equal(t, want.n, api.Deref(a.DatapointsToAlarm))
				require.Equal(t, want.threshold, a.Threshold)
				require.Equal(t, want.op, a.ComparisonOperator)
				require.Equal(t, cloudwatch.MissingMissing, a.TreatMissingData)
				require.Equal(t, cloudwatch.StateInsufficientData, a.StateValue)
			}
		})
	}
}

// TestTargetTrackingAlarmsLifecycle: replacing a policy replaces its
// alarms, deleting it or deregistering its target deletes them, a step
// scaling policy creates none, and a policy CloudWatch cannot watch is
// rejected without a trace.
func TestTargetTrackingAlarmsLifecycle(t *testing.T) {
	f := scaledFleet(t, 1, 2, 1, 10, 50, 40)
	first := f.policyAlarms("cpu")
	require.ElementsMatch(t, []string{first[0].AlarmName, first[1].AlarmName}, f.alarmNames())

	// Replaced: the new alarms only.
	put, err := f.putTracking("cpu", `{"TargetValue": 60, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}`)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{put.Alarms[0].AlarmName, put.Alarms[1].AlarmName}, f.alarmNames())
	require.NotEqual(t, first, put.Alarms)

	// A second policy adds two; a step scaling policy none.
	_, err = f.putTracking("mem", `{"TargetValue": 60, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}}`)
	require.NoError(t, err)
	_, err = f.w.Call("application-autoscaling:PutScalingPolicy", []byte(`{"PolicyName": "step", "ServiceNamespace": "ecs",
		"ResourceId": "service/demo/web", "ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "StepScaling",
		"StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}}`))
	require.NoError(t, err)
	require.Len(t, f.alarmNames(), 4)
	require.Empty(t, f.policyAlarms("step"))

	// Rejected: nothing changes.
	for _, bad := range []string{
		`{"TargetValue": 10, "CustomizedMetricSpecification": {"MetricName": "Backlog", "Statistic": "Average"}}`,
		`{"TargetValue": 10, "CustomizedMetricSpecification": {"MetricName": "Backlog", "Namespace": "App", "Statistic": "Median"}}`,
		`{"TargetValue": 10, "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": "web"}}`,
	} {
		_, err = f.putTracking("bad", bad)
		var e *api.Error
		require.ErrorAs(t, err, &e, bad)
		require.Equal(t, "ValidationException", e.Code, bad)
		require.Len(t, f.alarmNames(), 4, bad)
	}
	pols, err := f.w.Autoscaling().DescribeScalingPolicies(&autoscaling.DescribeScalingPoliciesInput{
		ServiceNamespace: api.String("ecs"), PolicyNames: []string{"bad"}})
	require.NoError(t, err)
	require.Empty(t, pols.ScalingPolicies)

	// Deleted with the policy.
	_, err = f.w.Autoscaling().DeleteScalingPolicy(&autoscaling.DeleteScalingPolicyInput{PolicyName: api.String("cpu"),
		ServiceNamespace: api.String("ecs"), ResourceId: api.String(webResource), ScalableDimension: api.String("ecs:service:DesiredCount")})
	require.NoError(t, err)
	mem := f.policyAlarms("mem")
	require.ElementsMatch(t, []string{mem[0].AlarmName, mem[1].AlarmName}, f.alarmNames())

	// Deleted with the scalable target.
	_, err = f.w.Autoscaling().DeregisterScalableTarget(&autoscaling.DeregisterScalableTargetInput{
		ServiceNamespace: api.String("ecs"), ResourceId: api.String(webResource), ScalableDimension: api.String("ecs:service:DesiredCount")})
	require.NoError(t, err)
	require.Empty(t, f.alarmNames())
}

// TestTargetTrackingCustomizedMetric: a policy on a customized metric
// scales through its alarm. A backlog of 30 per task published each
// minute from the policy's against a target of 10: the third datapoint
// puts AlarmHigh in ALARM at +3m and the service goes to
// ceil(2 × 30 / 10) = 6; within the cooldown the same datapoints, counted
// from the capacity before that scale-out, ask for no more; after it,
// they ask from 6.
// [AAS:application-auto-scaling-target-tracking]
func TestTargetTrackingCustomizedMetric(t *testing.T) {
	f := scaledFleet(t, 1, 2, 1, 10, 50, 0)
	_, err := f.w.Autoscaling().DeleteScalingPolicy(&autoscaling.DeleteScalingPolicyInput{PolicyName: api.String("cpu"),
		ServiceNamespace: api.String("ecs"), ResourceId: api.String(webResource), ScalableDimension: api.String("ecs:service:DesiredCount")})
	require.NoError(t, err)
	_, err = f.putTracking("backlog", `{"TargetValue": 10, "CustomizedMetricSpecification": {"MetricName": "Backlog", "Namespace": "App", "Statistic": "Average"}}`)
	require.NoError(t, err)
	for k := range 9 {
		_, err := f.w.Engine().After(time.Duration(k)*time.Minute+30*time.Second, func() error {
			_, err := f.w.Call("cloudwatch:PutMetricData", []byte(`{"Namespace":"App","MetricData":[{"MetricName":"Backlog","Value":30}]}`))
			return err
		})
		require.NoError(t, err)
	}
	require.NoError(t, f.w.RunFor(2*time.Minute+30*time.Second))
	require.EqualValues(t, 2, f.service("web").DesiredCount, "two datapoints above the target are not enough")
	require.NoError(t, f.w.RunFor(time.Minute))
	require.EqualValues(t, 6, f.service("web").DesiredCount)
	require.NoError(t, f.w.RunFor(4*time.Minute))
	require.EqualValues(t, 6, f.service("web").DesiredCount)
	acts := f.activities()
	require.Len(t, acts, 1)
	require.NoError(t, f.w.RunFor(time.Minute))
	require.EqualValues(t, 10, f.service("web").DesiredCount, "after the cooldown, ceil(6 × 30 / 10) = 18, at most 10")
	require.Contains(t, acts[0].Cause, "-AlarmHigh-")
	require.Contains(t, acts[0].Cause, "triggered policy backlog")
}
