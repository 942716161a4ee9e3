package ecssim_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
)

// managedFleet is a fleet with an empty m5.large group (0 to 10) behind
// capacity provider web-cp with managed scaling at target, associated
// with cluster demo as its default strategy.
func managedFleet(t *testing.T, target int32) *fleet {
	t.Helper()
	f := newFleet(t, 1, nil)
	c := f.w.ECS()
	asg, err := c.CreateAutoScalingGroup(&ecs.CreateAutoScalingGroupInput{AutoScalingGroupName: api.String("web-asg"), Cluster: api.String("demo"),
		InstanceType: api.String("m5.large"), MinSize: api.Int32(0), MaxSize: api.Int32(10), DesiredCapacity: api.Int32(0)})
	require.NoError(t, err)
	_, err = c.CreateCapacityProvider(&ecs.CreateCapacityProviderInput{Name: api.String("web-cp"), AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{
		AutoScalingGroupArn: &asg.AutoScalingGroupArn,
		ManagedScaling:      &ecs.ManagedScaling{Status: api.String("ENABLED"), TargetCapacity: api.Int32(target)},
	}})
	require.NoError(t, err)
	_, err = c.PutClusterCapacityProviders(&ecs.PutClusterCapacityProvidersInput{Cluster: api.String("demo"), CapacityProviders: []string{"web-cp"},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: api.String("web-cp"), Weight: api.Int32(1)}}})
	require.NoError(t, err)
	return f
}

// TestManagedScalingAlarms: associating a provider with managed scaling
// creates the target tracking alarms of its group's policy on
// CapacityProviderReservation (AWS/ECS/ManagedScaling, CapacityProviderName
// and ClusterName), visible through DescribeAlarms; the metric is
// published every minute; dissociating deletes the alarms.
// [DG:managed-scaling-behavior] [DG:cluster-auto-scaling]
func TestManagedScalingAlarms(t *testing.T) {
	f := managedFleet(t, 80)
	out, err := f.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: api.String("TargetTracking-web-asg-")})
	require.NoError(t, err)
	require.Len(t, out.MetricAlarms, 2)
	dims := []cloudwatch.Dimension{{Name: api.String("CapacityProviderName"), Value: api.String("web-cp")}, {Name: api.String("ClusterName"), Value: api.String("demo")}}
	policyARN := regexp.MustCompile(`^arn:aws:autoscaling:us-east-1:\d{12}:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName/web-asg:policyName/ECSManagedAutoScalingPolicy-[0-9a-f-]{36}$`)
	byKind := map[string]cloudwatch.MetricAlarm{}
	for _, a := range out.MetricAlarms {
		m := regexp.MustCompile(`^TargetTracking-web-asg-(AlarmHigh|AlarmLow)-[0-9a-f-]{36}$`).FindStringSubmatch(a.AlarmName)
		require.NotNil(t, m, a.AlarmName)
		byKind[m[1]] = a
		require.Equal(t, "AWS/ECS/ManagedScaling", a.Namespace)
		require.Equal(t, "CapacityProviderReservation", a.MetricName)
		require.ElementsMatch(t, dims, a.Dimensions)
		require.Equal(t, "Average", a.Statistic)
		require.Equal(t, int32(60), a.Period)
		require.Equal(t, 80.0, a.Threshold, "the target is the provider's targetCapacity")
		require.Len(t, a.AlarmActions, 1)
		require.Regexp(t, policyARN, a.AlarmActions[0])
	}
	require.Equal(t, int32(1), byKind["AlarmHigh"].EvaluationPeriods)
	require.Equal(t, "GreaterThanThreshold", byKind["AlarmHigh"].ComparisonOperator)
	require.Equal(t, int32(15), byKind["AlarmLow"].EvaluationPeriods)
	require.Equal(t, "LessThanThreshold", byKind["AlarmLow"].ComparisonOperator)

	// The metric: 100 with nothing to run and no instance, each minute,
	// visible one minute after the minute ends.
	require.NoError(t, f.w.RunFor(3*time.Minute))
	start := f.w.Start()
	stats, err := f.w.CloudWatch().GetMetricStatistics(&cloudwatch.GetMetricStatisticsInput{
		Namespace: api.String("AWS/ECS/ManagedScaling"), MetricName: api.String("CapacityProviderReservation"), Dimensions: dims,
		StartTime: ptrStamp(start), EndTime: ptrStamp(start.Add(time.Hour)), Period: api.Int32(60), Statistics: []string{"Maximum"},
	})
	require.NoError(t, err)
	require.Len(t, stats.Datapoints, 2, "minutes 0 and 1 are visible at 0:03, minute 2 from 0:04")
	for _, d := range stats.Datapoints {
		require.Equal(t, 100.0, *d.Maximum)
		require.Equal(t, "Percent", d.Unit)
	}

	// Dissociated: the policy and its alarms are gone.
	_, err = f.w.ECS().PutClusterCapacityProviders(&ecs.PutClusterCapacityProvidersInput{Cluster: api.String("demo"), CapacityProviders: []string{},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{}})
	require.NoError(t, err)
	out, err = f.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: api.String("TargetTracking-web-asg-")})
	require.NoError(t, err)
	require.Empty(t, out.MetricAlarms)
}

// TestManagedScalingDisabledAlarmActions: the group scales only through
// its alarms. With AlarmHigh's actions disabled, tasks that wait for
// capacity launch nothing; enabled again, the group goes from zero to two
// at the next evaluation.
func TestManagedScalingDisabledAlarmActions(t *testing.T) {
	f := managedFleet(t, 100)
	out, err := f.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: api.String("TargetTracking-web-asg-AlarmHigh-")})
	require.NoError(t, err)
	require.Len(t, out.MetricAlarms, 1)
	high := out.MetricAlarms[0].AlarmName
	_, err = f.w.CloudWatch().DisableAlarmActions(&cloudwatch.DisableAlarmActionsInput{AlarmNames: []string{high}})
	require.NoError(t, err)
	_, err = f.w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"web","requiresCompatibilities":["EC2"],
		"containerDefinitions":[{"name":"app","image":"app:1","cpu":512,"memoryReservation":2048}]}`))
	require.NoError(t, err)
	_, err = f.w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web"), DesiredCount: api.Int32(2)})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(10*time.Minute))
	require.Empty(t, groupChanges(f), "AlarmHigh is in ALARM, but its actions are off")
	_, err = f.w.CloudWatch().EnableAlarmActions(&cloudwatch.EnableAlarmActionsInput{AlarmNames: []string{high}})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(time.Minute))
	require.Equal(t, []string{"11:00 0->2"}, groupChanges(f))
}
