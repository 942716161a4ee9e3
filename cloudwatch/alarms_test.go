package cloudwatch

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

const cpuAlarm = `{"AlarmName":"%s","MetricName":"CPUUtilization","Namespace":"AWS/ECS","Statistic":"Average",
	"Dimensions":[{"Name":"ClusterName","Value":"c"},{"Name":"ServiceName","Value":"web"}],
	"Period":60,"EvaluationPeriods":3,"Threshold":70,"ComparisonOperator":"GreaterThanThreshold",
	"AlarmActions":["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:resource/ecs/service/c/web:policyName/p"]}`

func TestAlarmLifecycle(t *testing.T) {
	h := newHarness(t)
	h.run(t, 30*time.Second)
	h.must(t, "PutMetricAlarm", fmt.Sprintf(cpuAlarm, "high"))
	h.must(t, "PutMetricAlarm", fmt.Sprintf(cpuAlarm, "another"))
	out, err := h.c.DescribeAlarms(&DescribeAlarmsInput{})
	require.NoError(t, err)
	require.Empty(t, out.CompositeAlarms)
	require.Len(t, out.MetricAlarms, 2)
	a := out.MetricAlarms[1]
	require.Equal(t, "high", a.AlarmName)
	require.Equal(t, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:high", a.AlarmArn)
	require.Equal(t, StateInsufficientData, a.StateValue)
	require.Equal(t, "Unchecked: Initial alarm creation", a.StateReason)
	require.True(t, a.ActionsEnabled)
	require.Equal(t, start.Add(30*time.Second), a.StateUpdatedTimestamp.Time)
	require.Equal(t, []string{}, a.OKActions)
	require.Nil(t, a.DatapointsToAlarm)

	// Filters and pages.
	out, err = h.c.DescribeAlarms(&DescribeAlarmsInput{AlarmNamePrefix: api.String("hi")})
	require.NoError(t, err)
	require.Len(t, out.MetricAlarms, 1)
	out, err = h.c.DescribeAlarms(&DescribeAlarmsInput{ActionPrefix: api.String("arn:aws:autoscaling:"), MaxRecords: api.Int32(1)})
	require.NoError(t, err)
	require.Equal(t, "another", out.MetricAlarms[0].AlarmName)
	require.NotNil(t, out.NextToken)
	out, err = h.c.DescribeAlarms(&DescribeAlarmsInput{AlarmTypes: []string{"CompositeAlarm"}})
	require.NoError(t, err)
	require.Empty(t, out.MetricAlarms)

	// SetAlarmState changes the state, records history and runs actions.
	var got []Action
	h.cw.HandleActions("arn:aws:autoscaling:", false, func(a Action) { got = append(got, a) })
	_, err = h.c.SetAlarmState(&SetAlarmStateInput{AlarmName: api.String("high"), StateValue: api.String("ALARM"), StateReason: api.String("testing")})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "high", got[0].AlarmName)
	out, _ = h.c.DescribeAlarms(&DescribeAlarmsInput{AlarmNames: []string{"high"}})
	require.Equal(t, StateAlarm, out.MetricAlarms[0].StateValue)
	require.Equal(t, "testing", out.MetricAlarms[0].StateReason)

	// Disabled actions do not run; the state still changes.
	_, err = h.c.DisableAlarmActions(&DisableAlarmActionsInput{AlarmNames: []string{"high", "nonexistent"}})
	require.NoError(t, err)
	_, err = h.c.SetAlarmState(&SetAlarmStateInput{AlarmName: api.String("high"), StateValue: api.String("OK"), StateReason: api.String("x")})
	require.NoError(t, err)
	_, err = h.c.SetAlarmState(&SetAlarmStateInput{AlarmName: api.String("high"), StateValue: api.String("ALARM"), StateReason: api.String("x")})
	require.NoError(t, err)
	require.Len(t, got, 1)
	_, err = h.c.EnableAlarmActions(&EnableAlarmActionsInput{AlarmNames: []string{"high"}})
	require.NoError(t, err)

	// Updating keeps the state; deleting keeps the history.
	h.must(t, "PutMetricAlarm", fmt.Sprintf(cpuAlarm, "high"))
	out, _ = h.c.DescribeAlarms(&DescribeAlarmsInput{AlarmNames: []string{"high"}})
	require.Equal(t, StateAlarm, out.MetricAlarms[0].StateValue)
	_, err = h.c.DeleteAlarms(&DeleteAlarmsInput{AlarmNames: []string{"high", "nonexistent"}})
	require.NoError(t, err)
	out, _ = h.c.DescribeAlarms(&DescribeAlarmsInput{})
	require.Len(t, out.MetricAlarms, 1)
	hist, err := h.c.DescribeAlarmHistory(&DescribeAlarmHistoryInput{AlarmName: api.String("high")})
	require.NoError(t, err)
	var summaries []string
	for _, it := range hist.AlarmHistoryItems {
		summaries = append(summaries, it.HistoryItemType+": "+it.HistorySummary)
	}
	require.Equal(t, []string{
		`ConfigurationUpdate: Alarm "high" deleted`,
		`ConfigurationUpdate: Alarm "high" updated`,
		"StateUpdate: Alarm updated from OK to ALARM",
		"StateUpdate: Alarm updated from ALARM to OK",
		"Action: Successfully executed action arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:resource/ecs/service/c/web:policyName/p",
		"StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM",
		`ConfigurationUpdate: Alarm "high" created`,
	}, summaries)
	hist, err = h.c.DescribeAlarmHistory(&DescribeAlarmHistoryInput{HistoryItemType: api.String("StateUpdate"), ScanBy: api.String("TimestampAscending"), MaxRecords: api.Int32(1)})
	require.NoError(t, err)
	require.Equal(t, "Alarm updated from INSUFFICIENT_DATA to ALARM", hist.AlarmHistoryItems[0].HistorySummary)
	var data struct {
		Version            string
		OldState, NewState struct{ StateValue, StateReason string }
	}
	require.NoError(t, json.Unmarshal([]byte(hist.AlarmHistoryItems[0].HistoryData), &data))
	require.Equal(t, "1.0", data.Version)
	require.Equal(t, StateInsufficientData+" Unchecked: Initial alarm creation", data.OldState.StateValue+" "+data.OldState.StateReason)
	require.Equal(t, StateAlarm, data.NewState.StateValue)
	require.Equal(t, "testing", data.NewState.StateReason)
	require.True(t, strings.HasPrefix(hist.AlarmHistoryItems[0].HistoryData, `{"newState":{"stateReason":`), hist.AlarmHistoryItems[0].HistoryData)
	require.NotNil(t, hist.NextToken)
}

func TestAlarmValidation(t *testing.T) {
	base := `"Namespace":"App","MetricName":"m","Statistic":"Average","Period":60,"EvaluationPeriods":3,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"`
	tests := []struct {
		name, action, input, code, contains string
	}{
		{"name required", "PutMetricAlarm", `{` + base + `}`, CodeMissingParameter, "AlarmName"},
		{"name too long", "PutMetricAlarm", `{"AlarmName":"` + strings.Repeat("a", 256) + `",` + base + `}`, CodeValidationError, "255"},
		{"no metric", "PutMetricAlarm", `{"AlarmName":"a","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeMissingParameter, "MetricName"},
		{"no statistic", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeMissingParameter, "Statistic"},
		{"both statistics", "PutMetricAlarm", `{"AlarmName":"a",` + base + `,"ExtendedStatistic":"p99"}`, CodeInvalidParameterCombination, "Statistic"},
		{"bad percentile", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","ExtendedStatistic":"p100.1","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeInvalidParameterValue, "The value p100.1 for parameter ExtendedStatistic is invalid."},
		{"period 45", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Statistic":"Average","Period":45,"EvaluationPeriods":3,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeInvalidParameterValue, "Period"},
		{"period 5", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Statistic":"Average","Period":5,"EvaluationPeriods":3,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeInvalidParameterValue, "10, 20, 30"},
		{"M above N", "PutMetricAlarm", `{"AlarmName":"a",` + base + `,"DatapointsToAlarm":4}`, CodeInvalidParameterValue, "DatapointsToAlarm"},
		{"zero evaluation periods", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Statistic":"Average","Period":60,"EvaluationPeriods":0,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeValidationError, "greater than or equal to 1"},
		{"span over a day", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Statistic":"Average","Period":60,"EvaluationPeriods":1441,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeInvalidParameterValue, "86400"},
		{"span over a week", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Statistic":"Average","Period":3600,"EvaluationPeriods":169,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeInvalidParameterValue, "604800"},
		{"bad operator", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"Above"}`, CodeValidationError, "enum"},
		{"band operator", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"LessThanLowerThreshold"}`, CodeInvalidParameterValue, "not simulated"},
		{"no threshold", "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"m","Statistic":"Average","Period":60,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold"}`, CodeMissingParameter, "Threshold"},
		{"bad missing data", "PutMetricAlarm", `{"AlarmName":"a",` + base + `,"TreatMissingData":"zero"}`, CodeInvalidParameterValue, "TreatMissingData"},
		{"six actions", "PutMetricAlarm", `{"AlarmName":"a",` + base + `,"OKActions":["arn:a:b:c:d:e","arn:a:b:c:d:e","arn:a:b:c:d:e","arn:a:b:c:d:e","arn:a:b:c:d:e","arn:a:b:c:d:e"]}`, CodeValidationError, "less than or equal to 5"},
		{"bad action", "PutMetricAlarm", `{"AlarmName":"a",` + base + `,"AlarmActions":["topic"]}`, CodeInvalidParameterValue, "Invalid arn syntax"},
		{"metrics and name", "PutMetricAlarm", `{"AlarmName":"a",` + base + `,"Metrics":[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}}]}`, CodeInvalidParameterCombination, "MetricName and Metrics"},
		{"metric math unknown id", "PutMetricAlarm", `{"AlarmName":"a","EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Metrics":[{"Id":"e1","Expression":"m1*2"}]}`, CodeValidationError, "Error in expression 'e1': Unrecognized metric or expression id: m1"},
		{"metric math two return data", "PutMetricAlarm", `{"AlarmName":"a","EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Metrics":[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}},{"Id":"e1","Expression":"m1*2"}]}`, CodeInvalidParameterValue, "Exactly one element of the metrics list should return data."},
		{"metric math none returns", "PutMetricAlarm", `{"AlarmName":"a","EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Metrics":[{"Id":"m1","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}},{"Id":"e1","ReturnData":false,"Expression":"m1*2"}]}`, CodeInvalidParameterValue, "Exactly one element of the metrics list should return data."},
		{"metric math cycle", "PutMetricAlarm", `{"AlarmName":"a","EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Metrics":[{"Id":"e2","ReturnData":false,"Expression":"e1+1"},{"Id":"e1","Expression":"e2*2"}]}`, CodeValidationError, "Circular dependency"},
		{"metric math function", "PutMetricAlarm", `{"AlarmName":"a","EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Metrics":[{"Id":"m1","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}},{"Id":"e1","Expression":"NOPE(m1)"}]}`, CodeValidationError, "Unrecognized function: NOPE"},
		{"promql", "PutMetricAlarm", `{"AlarmName":"a","EvaluationCriteria":{"PromQLCriteria":{"Query":"up"}}}`, CodeInvalidParameterValue, "PromQL"},
		{"tag without value", "PutMetricAlarm", `{"AlarmName":"a",` + base + `,"Tags":[{"Key":"k"}]}`, CodeMissingParameter, "Tags.member.1.Value"},
		{"describe names and prefix", "DescribeAlarms", `{"AlarmNames":["a"],"AlarmNamePrefix":"a"}`, CodeInvalidParameterCombination, ""},
		{"describe bad state", "DescribeAlarms", `{"StateValue":"BAD"}`, CodeValidationError, "enum"},
		{"describe max records", "DescribeAlarms", `{"MaxRecords":101}`, CodeValidationError, "'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"describe bad token", "DescribeAlarms", `{"NextToken":"zz"}`, CodeInvalidNextToken, ""},
		{"history bad type", "DescribeAlarmHistory", `{"HistoryItemType":"Everything"}`, CodeValidationError, "enum"},
		{"history dates reversed", "DescribeAlarmHistory", `{"StartDate":"2026-01-02T00:00:00Z","EndDate":"2026-01-01T00:00:00Z"}`, CodeInvalidParameterValue, "StartDate"},
		{"delete without names", "DeleteAlarms", `{}`, CodeMissingParameter, "AlarmNames"},
		{"delete empty name", "DeleteAlarms", `{"AlarmNames":[""]}`, CodeValidationError, "at 'alarmNames.member.1'"},
		{"set state unknown alarm", "SetAlarmState", `{"AlarmName":"nope","StateValue":"OK","StateReason":"r"}`, CodeResourceNotFound, "nope"},
		{"set state bad value", "SetAlarmState", `{"AlarmName":"exists","StateValue":"MAYBE","StateReason":"r"}`, CodeValidationError, "enum"},
		{"set state without reason", "SetAlarmState", `{"AlarmName":"exists","StateValue":"OK"}`, CodeMissingParameter, "StateReason"},
		{"set state bad data", "SetAlarmState", `{"AlarmName":"exists","StateValue":"OK","StateReason":"r","StateReasonData":"{not json"}`, CodeInvalidFormat, ""},
		{"enable without names", "EnableAlarmActions", `{}`, CodeMissingParameter, "AlarmNames"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.must(t, "PutMetricAlarm", `{"AlarmName":"exists",`+base+`}`)
			before := h.must(t, "DescribeAlarms", `{}`)
			histBefore := len(h.cw.history)
			_, err := h.call(t, tc.action, tc.input)
			require.Error(t, err)
			require.Equal(t, tc.code, api.ErrorCode(err), err.Error())
			require.Contains(t, err.Error(), tc.contains)
			require.Equal(t, before, h.must(t, "DescribeAlarms", `{}`), "bad input changes nothing")
			require.Len(t, h.cw.history, histBefore)
		})
	}
}

func TestAlarmOnSingleMetricStat(t *testing.T) {
	h := newHarness(t)
	h.must(t, "PutMetricAlarm", `{"AlarmName":"q","EvaluationPeriods":1,"Threshold":10,"ComparisonOperator":"GreaterThanOrEqualToThreshold",
		"Metrics":[{"Id":"m1","ReturnData":true,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"Backlog"},"Period":60,"Stat":"Maximum"}}]}`)
	out, err := h.c.DescribeAlarms(&DescribeAlarmsInput{})
	require.NoError(t, err)
	a := out.MetricAlarms[0]
	require.Equal(t, int32(60), a.Period)
	require.Empty(t, a.MetricName)
	require.Nil(t, a.Dimensions)
	require.Len(t, a.Metrics, 1)
}
