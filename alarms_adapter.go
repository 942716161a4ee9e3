package ecssim

import (
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
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
