package cloudwatch

import "github.com/ecssim/ecssim/api"

// Client calls CloudWatch actions through an action table with typed
// inputs and outputs: the same path, hooks and trace as JSON calls.
type Client struct{ t *api.Table }

// NewClient returns a client over t.
func NewClient(t *api.Table) Client { return Client{t: t} }

// PutMetricData calls cloudwatch:PutMetricData.
func (c Client) PutMetricData(in *PutMetricDataInput) (*Empty, error) {
	return api.Call[PutMetricDataInput, Empty](c.t, "cloudwatch:PutMetricData", in)
}

// GetMetricStatistics calls cloudwatch:GetMetricStatistics.
func (c Client) GetMetricStatistics(in *GetMetricStatisticsInput) (*GetMetricStatisticsOutput, error) {
	return api.Call[GetMetricStatisticsInput, GetMetricStatisticsOutput](c.t, "cloudwatch:GetMetricStatistics", in)
}

// GetMetricData calls cloudwatch:GetMetricData.
func (c Client) GetMetricData(in *GetMetricDataInput) (*GetMetricDataOutput, error) {
	return api.Call[GetMetricDataInput, GetMetricDataOutput](c.t, "cloudwatch:GetMetricData", in)
}

// ListMetrics calls cloudwatch:ListMetrics.
func (c Client) ListMetrics(in *ListMetricsInput) (*ListMetricsOutput, error) {
	return api.Call[ListMetricsInput, ListMetricsOutput](c.t, "cloudwatch:ListMetrics", in)
}

// PutMetricAlarm calls cloudwatch:PutMetricAlarm.
func (c Client) PutMetricAlarm(in *PutMetricAlarmInput) (*Empty, error) {
	return api.Call[PutMetricAlarmInput, Empty](c.t, "cloudwatch:PutMetricAlarm", in)
}

// DescribeAlarms calls cloudwatch:DescribeAlarms.
func (c Client) DescribeAlarms(in *DescribeAlarmsInput) (*DescribeAlarmsOutput, error) {
	return api.Call[DescribeAlarmsInput, DescribeAlarmsOutput](c.t, "cloudwatch:DescribeAlarms", in)
}

// DescribeAlarmHistory calls cloudwatch:DescribeAlarmHistory.
func (c Client) DescribeAlarmHistory(in *DescribeAlarmHistoryInput) (*DescribeAlarmHistoryOutput, error) {
	return api.Call[DescribeAlarmHistoryInput, DescribeAlarmHistoryOutput](c.t, "cloudwatch:DescribeAlarmHistory", in)
}

// DeleteAlarms calls cloudwatch:DeleteAlarms.
func (c Client) DeleteAlarms(in *DeleteAlarmsInput) (*Empty, error) {
	return api.Call[DeleteAlarmsInput, Empty](c.t, "cloudwatch:DeleteAlarms", in)
}

// SetAlarmState calls cloudwatch:SetAlarmState.
func (c Client) SetAlarmState(in *SetAlarmStateInput) (*Empty, error) {
	return api.Call[SetAlarmStateInput, Empty](c.t, "cloudwatch:SetAlarmState", in)
}

// EnableAlarmActions calls cloudwatch:EnableAlarmActions.
func (c Client) EnableAlarmActions(in *EnableAlarmActionsInput) (*Empty, error) {
	return api.Call[EnableAlarmActionsInput, Empty](c.t, "cloudwatch:EnableAlarmActions", in)
}

// DisableAlarmActions calls cloudwatch:DisableAlarmActions.
func (c Client) DisableAlarmActions(in *DisableAlarmActionsInput) (*Empty, error) {
	return api.Call[DisableAlarmActionsInput, Empty](c.t, "cloudwatch:DisableAlarmActions", in)
}
