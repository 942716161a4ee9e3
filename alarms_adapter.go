package ecssim

import (
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
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
