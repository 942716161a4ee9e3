package awsapi_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	sdkecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
)

// cloudWatchCalls drives CloudWatch with the SDK's client, which speaks
// RPC v2 CBOR: metrics in and out, an alarm of its own next to the two a
// target tracking policy made, a state set by hand, its history, its
// deletion, and the errors AWS sends, with their codes and statuses.
func cloudWatchCalls(t *testing.T, w *ecssim.World, cfg aws.Config) {
	ctx := context.Background()
	sdkService(t, ctx, sdkecs.NewFromConfig(cfg))
	scaling := aas.NewFromConfig(cfg)
	_, err := scaling.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String("service/demo/web"),
		ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount, MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(10),
	})
	require.NoError(t, err)
	_, err = scaling.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{
		PolicyName: aws.String("cpu"), ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String("service/demo/web"),
		ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount, PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{
			TargetValue:                   aws.Float64(70),
			PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{PredefinedMetricType: aastypes.MetricTypeECSServiceAverageCPUUtilization},
		},
	})
	require.NoError(t, err)

	cw := cloudwatch.NewFromConfig(cfg)
	now := w.Now()
	minute := now.Truncate(time.Minute)
	dims := []cwtypes.Dimension{{Name: aws.String("Queue"), Value: aws.String("jobs")}}
	_, err = cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []cwtypes.MetricDatum{
		{MetricName: aws.String("Backlog"), Dimensions: dims, Timestamp: aws.Time(now), Value: aws.Float64(5), Unit: cwtypes.StandardUnitCount},
		{MetricName: aws.String("Backlog"), Dimensions: dims, Timestamp: aws.Time(now), Value: aws.Float64(7), Unit: cwtypes.StandardUnitCount},
	}})
	require.NoError(t, err)

	stats, err := cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("App"), MetricName: aws.String("Backlog"), Dimensions: dims,
		StartTime: aws.Time(minute.Add(-5 * time.Minute)), EndTime: aws.Time(minute.Add(5 * time.Minute)), Period: aws.Int32(60),
		Statistics: []cwtypes.Statistic{cwtypes.StatisticSum, cwtypes.StatisticSampleCount, cwtypes.StatisticMaximum},
	})
	require.NoError(t, err)
	require.Len(t, stats.Datapoints, 1)
	dp := stats.Datapoints[0]
	require.Equal(t, minute, aws.ToTime(dp.Timestamp).UTC(), "a timestamp comes back as the minute it stands for")
	require.Equal(t, 12.0, aws.ToFloat64(dp.Sum))
	require.Equal(t, 2.0, aws.ToFloat64(dp.SampleCount))
	require.Equal(t, 7.0, aws.ToFloat64(dp.Maximum))
	require.Equal(t, cwtypes.StandardUnitCount, dp.Unit)
	require.Equal(t, "Backlog", aws.ToString(stats.Label))

	data, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(minute.Add(-5 * time.Minute)), EndTime: aws.Time(minute.Add(5 * time.Minute)),
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("backlog"), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String("App"), MetricName: aws.String("Backlog"), Dimensions: dims},
			Period: aws.Int32(60), Stat: aws.String("Average"),
		}}},
	})
	require.NoError(t, err)
	require.Len(t, data.MetricDataResults, 1)
	res := data.MetricDataResults[0]
	require.Equal(t, "backlog", aws.ToString(res.Id))
	require.Equal(t, cwtypes.StatusCodeComplete, res.StatusCode)
	require.Equal(t, []float64{6}, res.Values)
	require.Len(t, res.Timestamps, 1)
	require.Equal(t, minute, res.Timestamps[0].UTC())

	metrics, err := cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("App")})
	require.NoError(t, err)
	require.Len(t, metrics.Metrics, 1)
	require.Equal(t, "Backlog", aws.ToString(metrics.Metrics[0].MetricName))

	_, err = cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String("backlog-high"), Namespace: aws.String("App"), MetricName: aws.String("Backlog"), Dimensions: dims,
		Statistic: cwtypes.StatisticMaximum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(100),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold, TreatMissingData: aws.String("notBreaching"),
	})
	require.NoError(t, err)

	alarms, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
	require.NoError(t, err)
	var names []string
	for _, a := range alarms.MetricAlarms {
		names = append(names, aws.ToString(a.AlarmName))
	}
	require.Len(t, names, 3, "%v", names)
	require.Equal(t, "backlog-high", names[2])
	require.True(t, strings.HasPrefix(names[0], "TargetTracking-service/demo/web-AlarmHigh-"), names[0])
	require.True(t, strings.HasPrefix(names[1], "TargetTracking-service/demo/web-AlarmLow-"), names[1])
	high := alarms.MetricAlarms[0]
	require.Equal(t, "CPUUtilization", aws.ToString(high.MetricName))
	require.Equal(t, 70.0, aws.ToFloat64(high.Threshold))
	require.Equal(t, int32(3), aws.ToInt32(high.EvaluationPeriods))
	require.Equal(t, cwtypes.ComparisonOperatorGreaterThanThreshold, high.ComparisonOperator)
	require.Len(t, high.AlarmActions, 1)
	require.Contains(t, high.AlarmActions[0], ":scalingPolicy:")
	require.False(t, aws.ToTime(high.AlarmConfigurationUpdatedTimestamp).IsZero())

	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("backlog-high"),
		StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("testing the alarm's actions")})
	require.NoError(t, err)
	one, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"backlog-high"}})
	require.NoError(t, err)
	require.Len(t, one.MetricAlarms, 1)
	require.Equal(t, cwtypes.StateValueAlarm, one.MetricAlarms[0].StateValue)
	require.Equal(t, "testing the alarm's actions", aws.ToString(one.MetricAlarms[0].StateReason))

	history, err := cw.DescribeAlarmHistory(ctx, &cloudwatch.DescribeAlarmHistoryInput{
		AlarmName: aws.String("backlog-high"), HistoryItemType: cwtypes.HistoryItemTypeStateUpdate})
	require.NoError(t, err)
	require.NotEmpty(t, history.AlarmHistoryItems)
	require.Contains(t, aws.ToString(history.AlarmHistoryItems[0].HistorySummary), "to ALARM")
	require.False(t, aws.ToTime(history.AlarmHistoryItems[0].Timestamp).IsZero())

	_, err = cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"backlog-high"}})
	require.NoError(t, err)
	gone, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"backlog-high"}})
	require.NoError(t, err)
	require.Empty(t, gone.MetricAlarms)

	// Errors come back with CloudWatch's Query codes (the service is
	// Query-compatible) and the statuses of its model.
	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("backlog-high"),
		StateValue: cwtypes.StateValueOk, StateReason: aws.String("gone")})
	requireAPIError(t, err, "ResourceNotFound", 404, "backlog-high")
	var notFound *cwtypes.ResourceNotFound
	require.ErrorAs(t, err, &notFound, "the SDK reads the modelled error type")

	_, err = cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("App"), MetricName: aws.String("Backlog"), StartTime: aws.Time(minute.Add(-time.Hour)),
		EndTime: aws.Time(minute), Period: aws.Int32(61), Statistics: []cwtypes.Statistic{cwtypes.StatisticSum},
	})
	requireAPIError(t, err, "InvalidParameterValue", 400, "multiple of 60")

	_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("backlog-low"),
		StateValue: "BROKEN", StateReason: aws.String("x")})
	requireAPIError(t, err, "ValidationError", 400, "enum")
}

// requireAPIError checks an SDK error's code, HTTP status and message.
func requireAPIError(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, code, apiErr.ErrorCode(), "%v", err)
	require.Contains(t, apiErr.ErrorMessage(), msg)
	var respErr *awshttp.ResponseError
	require.True(t, errors.As(err, &respErr), "%v", err)
	require.Equal(t, status, respErr.HTTPStatusCode())
}

// TestCloudWatchInProcess: the SDK's CloudWatch client works against an
// in-process World.
func TestCloudWatchInProcess(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(t, err)
	cloudWatchCalls(t, w, awsapi.Config(w))
}

// TestCloudWatchOverHTTP: the SDK's CloudWatch client works against a
// server on loopback.
func TestCloudWatchOverHTTP(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(t, err)
	srv := httptest.NewServer(awsapi.New(w))
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()}
	cloudWatchCalls(t, w, cfg)
}
