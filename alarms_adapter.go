package ecssim

import (
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/sim"
)

// trackingAlarms keeps the alarms of target tracking policies in the
// World's CloudWatch.
type trackingAlarms struct{ cw *cloudwatch.CloudWatch }

// PutAlarm creates or replaces the alarm s describes, with
// TreatMissingData missing as AWS's target tracking alarms have it.
func (t trackingAlarms) PutAlarm(s autoscaling.AlarmSpec) error {
	dims := make([]cloudwatch.Dimension, len(s.Dimensions))
	for i, d := range s.Dimensions {
		dims[i] = cloudwatch.Dimension{Name: api.String(d[0]), Value: api.String(d[1])}
	}
	in := &cloudwatch.PutMetricAlarmInput{
		AlarmName: api.String(s.Name), AlarmDescription: api.String(s.Description), ActionsEnabled: api.Bool(true),
		AlarmActions: s.AlarmActions, Namespace: api.String(s.Namespace), MetricName: api.String(s.MetricName),
		Dimensions: dims, Statistic: api.String(s.Statistic), Period: api.Int32(int32(s.Period.Seconds())),
		EvaluationPeriods: api.Int32(int32(s.EvaluationPeriods)), DatapointsToAlarm: api.Int32(int32(s.EvaluationPeriods)),
		Threshold: &s.Threshold, ComparisonOperator: api.String(s.ComparisonOperator),
		TreatMissingData: api.String(cloudwatch.MissingMissing),
	}
	if s.Unit != "" {
		in.Unit = api.String(s.Unit)
	}
	if len(s.Metrics) > 0 {
		// Metric math: the policy's queries, each metric stat at the
		// alarm's period. [AASAPI:TargetTrackingMetricDataQuery]
		in.Namespace, in.MetricName, in.Dimensions, in.Statistic, in.Period, in.Unit = nil, nil, nil, nil, nil, nil
		for _, q := range s.Metrics {
			mq := cloudwatch.MetricDataQuery{Id: api.String(q.ID), ReturnData: api.Bool(q.ReturnData)}
			if q.Label != "" {
				mq.Label = api.String(q.Label)
			}
			if q.Expression != "" {
				mq.Expression = api.String(q.Expression)
			} else {
				md := make([]cloudwatch.Dimension, len(q.Dimensions))
				for i, d := range q.Dimensions {
					md[i] = cloudwatch.Dimension{Name: api.String(d[0]), Value: api.String(d[1])}
				}
				mq.MetricStat = &cloudwatch.MetricStat{Metric: &cloudwatch.Metric{Namespace: api.String(q.Namespace), MetricName: api.String(q.MetricName), Dimensions: md},
					Period: api.Int32(int32(s.Period.Seconds())), Stat: api.String(q.Stat)}
				if q.Unit != "" {
					mq.MetricStat.Unit = api.String(q.Unit)
				}
			}
			in.Metrics = append(in.Metrics, mq)
		}
	}
	_, err := t.cw.PutMetricAlarm(in)
	return err
}

// DeleteAlarms deletes the named alarms.
func (t trackingAlarms) DeleteAlarms(names []string) {
	if len(names) > 0 {
		_, _ = t.cw.DeleteAlarms(&cloudwatch.DeleteAlarmsInput{AlarmNames: names})
	}
}

// deploymentAlarms gives ECS the states of the alarms that gate its
// deployments. cw is set once the World's CloudWatch exists.
type deploymentAlarms struct{ cw *cloudwatch.CloudWatch }

// AlarmStates implements ecs.Alarms.
func (d *deploymentAlarms) AlarmStates(names []string) []ecs.AlarmState {
	if d.cw == nil || len(names) == 0 {
		return nil
	}
	out, err := d.cw.DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNames: names, AlarmTypes: []string{"MetricAlarm"}, MaxRecords: api.Int32(100)})
	if err != nil {
		return nil
	}
	byName := make(map[string]ecs.AlarmState, len(out.MetricAlarms))
	for _, a := range out.MetricAlarms {
		period := a.Period
		if period == 0 {
			for _, q := range a.Metrics {
				if q.MetricStat != nil && q.MetricStat.Period != nil {
					period = max(period, *q.MetricStat.Period)
				}
			}
		}
		byName[a.AlarmName] = ecs.AlarmState{Name: a.AlarmName, State: a.StateValue,
			Window: time.Duration(period) * time.Duration(a.EvaluationPeriods) * time.Second}
	}
	states := make([]ecs.AlarmState, 0, len(byName))
	for _, n := range names {
		if st, ok := byName[n]; ok {
			states = append(states, st)
			delete(byName, n)
		}
	}
	return states
}

// managedScalingCloudWatch is the CloudWatch of ECS managed scaling: the
// CapacityProviderReservation datapoints, visible ECSMetricsDelay after
// their minute like ECS's other metrics, and the alarms of the policy ECS
// manages on each Auto Scaling group.
type managedScalingCloudWatch struct {
	eng    *sim.Engine
	cw     *cloudwatch.CloudWatch
	series map[[2]string]*cloudwatch.Series
}

// PublishReservation publishes a minute's CapacityProviderReservation.
func (m *managedScalingCloudWatch) PublishReservation(provider, cluster string, minute sim.Time, value float64) {
	k := [2]string{provider, cluster}
	s, ok := m.series[k]
	if !ok {
		s = m.cw.Store().Series(ecs.NamespaceManagedScaling, ecs.MetricReservation, dims("CapacityProviderName", provider, "ClusterName", cluster))
		m.series[k] = s
	}
	now := m.eng.Now()
	m.cw.Store().Publish(s, minute, "Percent", cloudwatch.One(value), minute.Add(time.Minute+ECSMetricsDelay), now)
}

// PutAlarm creates or replaces an alarm of a managed scaling policy.
func (m *managedScalingCloudWatch) PutAlarm(a ecs.ScalingAlarm) error {
	return trackingAlarms{m.cw}.PutAlarm(autoscaling.AlarmSpec{
		Name: a.Name, Description: a.Description, Namespace: ecs.NamespaceManagedScaling, MetricName: ecs.MetricReservation,
		Dimensions: [][2]string{{"CapacityProviderName", a.Provider}, {"ClusterName", a.Cluster}}, Statistic: "Average",
		Period: time.Minute, EvaluationPeriods: a.EvaluationPeriods, Threshold: a.Threshold, ComparisonOperator: a.ComparisonOperator,
		AlarmActions: []string{a.Action},
	})
}

// DeleteAlarms deletes the named alarms.
func (m *managedScalingCloudWatch) DeleteAlarms(names []string) {
	trackingAlarms{m.cw}.DeleteAlarms(names)
}
