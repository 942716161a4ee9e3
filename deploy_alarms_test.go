package ecssim_test

import (
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

// laggingApp is servedApp whose requests take 2 s: the bad release.
var laggingApp = workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second), ResponseTime: workload.Fixed(2 * time.Second),
	Paths: map[string]int{"/health": 200}}}

// alarmGated builds the alarm-gated service behind "web": 3 tasks of
// web:1 (50 ms answers) with 300 requests per second, the alarm "latency"
// on the group's TargetResponseTime (average above 1 s for 2 of 2
// minutes) and deploymentConfiguration.alarms naming alarms. It returns
// the fleet after the first deployment has completed.
func alarmGated(t *testing.T, seed uint64, alarms []string, rollback bool) *fleet {
	f := newFleet(t, seed, map[string]workload.Image{"web:1": servedApp, "web:2": laggingApp})
	tg := f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
	lbDim, tgDim := f.listenerTraffic(tg)
	_, err := f.w.CloudWatch().PutMetricAlarm(&cloudwatch.PutMetricAlarmInput{
		AlarmName: api.String("latency"), Namespace: api.String("AWS/ApplicationELB"), MetricName: api.String("TargetResponseTime"),
		Dimensions: []cloudwatch.Dimension{{Name: api.String("LoadBalancer"), Value: &lbDim}, {Name: api.String("TargetGroup"), Value: &tgDim}},
		Statistic:  api.String("Average"), Period: api.Int32(60), EvaluationPeriods: api.Int32(2), DatapointsToAlarm: api.Int32(2),
		Threshold: new(1.0), ComparisonOperator: api.String("GreaterThanThreshold"), TreatMissingData: api.String("notBreaching"),
	})
	require.NoError(t, err)
	f.register("web", "web:1", false)
	f.register("web", "web:2", false)
	_, err = f.w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web:1"),
		DesiredCount: api.Int32(3), LaunchType: api.String("FARGATE"), HealthCheckGracePeriodSeconds: api.Int32(0),
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupArn: &tg, ContainerName: api.String("app"), ContainerPort: api.Int32(80)}},
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: api.Int32(200), MinimumHealthyPercent: api.Int32(100),
			Alarms: &ecs.DeploymentAlarms{AlarmNames: alarms, Enable: true, Rollback: rollback}},
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets, SecurityGroups: []string{"sg-00000001"}}},
	})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(10*time.Minute))
	d := f.service("web").Deployments
	require.Len(t, d, 1)
	require.Equal(t, ecs.RolloutCompleted, d[0].RolloutState, "the first deployment completes after its bake time")
	return f
}

// alarmState returns the state of a CloudWatch alarm.
func alarmState(t *testing.T, f *fleet, name string) string {
	t.Helper()
	out, err := f.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNames: []string{name}})
	require.NoError(t, err)
	require.Len(t, out.MetricAlarms, 1)
	return out.MetricAlarms[0].StateValue
}

// runAlarmRollback deploys the slow release web:2 to the alarm-gated
// service and runs 30 minutes.
func runAlarmRollback(t *testing.T, seed uint64) *fleet {
	f := alarmGated(t, seed, []string{"latency"}, true)
	c := ecssimtest.NewChecker(f.w)
	defer c.Close()
	require.Equal(t, "OK", alarmState(t, f, "latency"))
	f.update("web", "web:2")
	require.NoError(t, ecssimtest.RunChecked(f.w, c, 30*time.Minute))
	require.NoError(t, f.w.Trace().Err())
	return f
}

// TestDeploymentAlarmRollback: a rolling deployment of a release whose
// answers take 2 s sends the target group's TargetResponseTime over the
// alarm's 1 s; the alarm goes to ALARM, ECS fails the deployment with the
// alarm's name in its reason and rolls back to web:1, and the rollback
// completes. The timeline matches testdata/golden/alarm-rollback-latency.txt.
func TestDeploymentAlarmRollback(t *testing.T) {
	f := runAlarmRollback(t, 1)
	s := f.service("web")
	require.Len(t, s.Deployments, 1)
	d := s.Deployments[0]
	require.Contains(t, d.TaskDefinition, "web:1")
	require.Equal(t, ecs.RolloutCompleted, d.RolloutState)
	require.Contains(t, d.RolloutStateReason, "completed")
	var failed, rolledBack bool
	for _, e := range s.Events {
		failed = failed || strings.HasPrefix(e.Message, "(service web) (deployment ecs-svc/") && strings.HasSuffix(e.Message, ") deployment failed: alarm(s) latency in ALARM state.")
		rolledBack = rolledBack || strings.HasPrefix(e.Message, "(service web) rolling back to deployment ecs-svc/")
	}
	require.True(t, failed, "the service says the alarm failed the deployment")
	require.True(t, rolledBack, "the service says it rolls back")

	// The service deployments API tells the same story.
	list, err := f.w.ECS().ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web")})
	require.NoError(t, err)
	require.Len(t, list.ServiceDeployments, 2, "the rollback is part of the failed service deployment")
	require.Equal(t, ecs.SDRollbackSuccessful, list.ServiceDeployments[0].Status)
	require.Equal(t, ecs.SDSuccessful, list.ServiceDeployments[1].Status)
	desc, err := f.w.ECS().DescribeServiceDeployments(&ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{list.ServiceDeployments[0].ServiceDeploymentArn}})
	require.NoError(t, err)
	sd := desc.ServiceDeployments[0]
	require.Equal(t, ecs.MonitorTriggered, sd.Alarms.Status)
	require.Equal(t, []string{"latency"}, sd.Alarms.TriggeredAlarmNames)
	require.NotNil(t, sd.Rollback)
	require.Equal(t, list.ServiceDeployments[1].TargetServiceRevisionArn, sd.Rollback.ServiceRevisionArn, "the rollback runs the last successful revision")
	require.Len(t, sd.SourceServiceRevisions, 1)
	require.Equal(t, int32(3), sd.SourceServiceRevisions[0].RunningTaskCount)
	require.Zero(t, sd.TargetServiceRevision.RunningTaskCount, "no task of the bad revision remains")

	goldenTimeline(t, f, "alarm-rollback-latency")
}

// TestDeploymentAlarmRollbackDeterministic: the same seed twice gives the
// same trace.
func TestDeploymentAlarmRollbackDeterministic(t *testing.T) {
	a := runAlarmRollback(t, 7).w.Trace().Hash()
	b := runAlarmRollback(t, 7).w.Trace().Hash()
	require.Equal(t, a, b)
}

// TestDeploymentAlarmAlreadyInAlarm: an alarm that is in ALARM when the
// deployment starts does not fail it (AWS ignores alarms already in
// ALARM); the deployment completes after its bake time.
func TestDeploymentAlarmAlreadyInAlarm(t *testing.T) {
	f := alarmGated(t, 1, []string{"latency", "always"}, true)
	// "always" watches a metric nobody publishes, with missing data
	// breaching: it is in ALARM from its first evaluation on.
	_, err := f.w.CloudWatch().PutMetricAlarm(&cloudwatch.PutMetricAlarmInput{
		AlarmName: api.String("always"), Namespace: api.String("Custom"), MetricName: api.String("Nothing"),
		Statistic: api.String("Sum"), Period: api.Int32(60), EvaluationPeriods: api.Int32(1),
		Threshold: new(1.0), ComparisonOperator: api.String("GreaterThanThreshold"), TreatMissingData: api.String("breaching"),
	})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(2*time.Minute))
	require.Equal(t, "ALARM", alarmState(t, f, "always"))
	f.register("web", "web:1", false) // web:3, as good as web:1
	f.update("web", "web:3")
	require.NoError(t, f.w.RunFor(15*time.Minute))
	d := f.service("web").Deployments
	require.Len(t, d, 1)
	require.Contains(t, d[0].TaskDefinition, "web:3")
	require.Equal(t, ecs.RolloutCompleted, d[0].RolloutState)
	require.Equal(t, "ALARM", alarmState(t, f, "always"))
}

// TestDeploymentAlarmUnknownName: ECS accepts an alarm name that no alarm
// has; such an alarm never fails a deployment and adds no bake time.
func TestDeploymentAlarmUnknownName(t *testing.T) {
	f := alarmGated(t, 1, []string{"no-such-alarm"}, true)
	f.register("web", "web:1", false)
	f.update("web", "web:3")
	require.NoError(t, f.w.RunFor(10*time.Minute))
	d := f.service("web").Deployments
	require.Len(t, d, 1)
	require.Contains(t, d[0].TaskDefinition, "web:3")
	require.Equal(t, ecs.RolloutCompleted, d[0].RolloutState)
}

// TestDeploymentAlarmBakeTime: with an alarm of 2 one-minute periods the
// deployment stays IN_PROGRESS for 2 minutes after the steady state, and
// completes then.
func TestDeploymentAlarmBakeTime(t *testing.T) {
	f := alarmGated(t, 1, []string{"latency"}, true)
	f.register("web", "web:1", false)
	f.update("web", "web:3")
	var steadyAt, completedAt time.Duration
	for range 15 * 60 {
		require.NoError(t, f.w.RunFor(time.Second))
		s := f.service("web")
		if steadyAt == 0 && len(s.Deployments) == 1 && s.RunningCount == 3 && len(s.Events) > 0 && s.Events[0].Message == "(service web) has reached a steady state." {
			steadyAt = f.w.Elapsed()
		}
		if completedAt == 0 && s.Deployments[0].RolloutState == ecs.RolloutCompleted {
			completedAt = f.w.Elapsed()
		}
	}
	require.NotZero(t, steadyAt)
	require.NotZero(t, completedAt)
	require.Equal(t, 2*time.Minute, completedAt-steadyAt)
}

// TestDeploymentAlarmsValidation: bad alarms configurations are refused
// and change nothing.
func TestDeploymentAlarmsValidation(t *testing.T) {
	f := newFleet(t, 1, nil)
	f.register("web", "web:1", false)
	for _, tc := range []struct {
		name string
		in   ecs.CreateServiceInput
	}{
		{"no names", ecs.CreateServiceInput{DeploymentConfiguration: &ecs.DeploymentConfiguration{Alarms: &ecs.DeploymentAlarms{Enable: true}}}},
		{"empty names enabled", ecs.CreateServiceInput{DeploymentConfiguration: &ecs.DeploymentConfiguration{Alarms: &ecs.DeploymentAlarms{AlarmNames: []string{}, Enable: true}}}},
		{"empty name", ecs.CreateServiceInput{DeploymentConfiguration: &ecs.DeploymentConfiguration{Alarms: &ecs.DeploymentAlarms{AlarmNames: []string{""}, Enable: true}}}},
		{"code deploy", ecs.CreateServiceInput{DeploymentController: &ecs.DeploymentController{Type: api.String("CODE_DEPLOY")},
			DeploymentConfiguration: &ecs.DeploymentConfiguration{Alarms: &ecs.DeploymentAlarms{AlarmNames: []string{"a"}, Enable: true}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Cluster, in.ServiceName, in.TaskDefinition, in.DesiredCount = api.String("demo"), api.String("web"), api.String("web:1"), api.Int32(1)
			in.LaunchType = api.String("FARGATE")
			in.NetworkConfiguration = &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}}
			_, err := f.w.ECS().CreateService(&in)
			require.Error(t, err)
			require.Equal(t, "InvalidParameterException", api.ErrorCode(err))
			out, err := f.w.ECS().ListServices(&ecs.ListServicesInput{Cluster: api.String("demo")})
			require.NoError(t, err)
			require.Empty(t, out.ServiceArns)
		})
	}
}

// TestDeploymentAlarmNoRollback: with rollback false the alarm (here in
// the bake time, once web:1 is gone) fails the deployment and nothing
// more: it stays PRIMARY and FAILED with its tasks, and its service
// deployment is STOPPED.
func TestDeploymentAlarmNoRollback(t *testing.T) {
	f := alarmGated(t, 1, []string{"latency"}, false)
	f.update("web", "web:2")
	require.NoError(t, f.w.RunFor(30*time.Minute))
	s := f.service("web")
	require.Len(t, s.Deployments, 1)
	require.Contains(t, s.Deployments[0].TaskDefinition, "web:2")
	require.Equal(t, ecs.RolloutFailed, s.Deployments[0].RolloutState)
	require.Regexp(t, `^ECS deployment ecs-svc/\d{19} failed: alarm\(s\) latency in ALARM state\.$`, s.Deployments[0].RolloutStateReason)
	require.Equal(t, int32(3), s.Deployments[0].RunningCount)
	sds := f.listSD(ecs.ListServiceDeploymentsInput{})
	require.Equal(t, ecs.SDStopped, sds[0].Status)
	sd := f.describeSD(sds[0].ServiceDeploymentArn)
	require.NotNil(t, sd.StoppedAt)
	require.Nil(t, sd.Rollback)
	require.Equal(t, ecs.MonitorTriggered, sd.Alarms.Status)
}

// TestDeploymentAlarmDuringRollout: replacing one task at a time
// (maximumPercent 100, minimumHealthyPercent 66), the alarm goes to ALARM
// while tasks of web:1 still run; the rollback scales web:1 back up and
// the last task of web:2 goes.
func TestDeploymentAlarmDuringRollout(t *testing.T) {
	f := alarmGated(t, 1, []string{"latency"}, true)
	_, err := f.w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), TaskDefinition: api.String("web:2"),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: api.Int32(100), MinimumHealthyPercent: api.Int32(66),
			Alarms: &ecs.DeploymentAlarms{AlarmNames: []string{"latency"}, Enable: true, Rollback: true}}})
	require.NoError(t, err)
	var failedWith int32 = -1
	for range 30 * 60 {
		require.NoError(t, f.w.RunFor(time.Second))
		s := f.service("web")
		if failedWith < 0 && len(s.Deployments) == 2 && s.Deployments[1].RolloutState == ecs.RolloutFailed {
			failedWith = s.Deployments[0].RunningCount + s.Deployments[0].PendingCount
			require.Contains(t, s.Deployments[0].TaskDefinition, "web:1", "the rollback runs web:1")
			require.Positive(t, s.Deployments[1].RunningCount, "web:2 had tasks when it failed")
		}
	}
	require.Positive(t, failedWith, "the deployment failed while web:1 still had tasks")
	s := f.service("web")
	require.Len(t, s.Deployments, 1)
	require.Contains(t, s.Deployments[0].TaskDefinition, "web:1")
	require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
	require.Equal(t, int32(3), s.RunningCount)
}
