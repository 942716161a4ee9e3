package cloudwatch

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// feed publishes one datapoint per minute from pattern, 30 s into each
// minute from 00:00: X is 20 (above the threshold of 10), 0 is 5, - is
// no datapoint.
func feed(t *testing.T, h *harness, pattern string) {
	for k, p := range strings.Fields(pattern) {
		if p == "-" {
			continue
		}
		v := 20.0
		if p == "0" {
			v = 5
		}
		_, err := h.eng.Schedule(sim.FromTime(start).Add(time.Duration(k)*time.Minute+30*time.Second), func() error {
			_, err := h.c.PutMetricData(&PutMetricDataInput{Namespace: api.String("App"), MetricData: []MetricDatum{{MetricName: api.String("Q"), Value: &v}}})
			return err
		})
		require.NoError(t, err)
	}
}

// transitions returns the alarm state changes in the trace as "mm:ss STATE".
func transitions(h *harness) []string {
	var out []string
	for _, r := range h.eng.Trace().Records() {
		if r.Type != EventAlarmStateChange {
			continue
		}
		d := r.Detail.(AlarmStateChange)
		out = append(out, fmt.Sprintf("%s %s", r.Time.Time().Format("04:05"), d.State.Value))
	}
	return out
}

func TestAlarmEvaluationTimings(t *testing.T) {
	const base = `"AlarmName":"a","Namespace":"App","MetricName":"Q","Statistic":"Average","Period":60,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold"`
	tests := []struct {
		name    string
		config  string // extra alarm members
		delay   time.Duration
		pattern string
		want    []string
	}{
		{"3 of 3, missing", `"EvaluationPeriods":3`, 0, "X X X 0 0 0",
			// 01:00 one breaching datapoint, too recent for ALARM: OK.
			// 11:00 the whole range (5 periods) is empty.
			[]string{"01:00 OK", "03:00 ALARM", "04:00 OK", "11:00 INSUFFICIENT_DATA"}},
		{"3 of 3, breaching", `"EvaluationPeriods":3,"TreatMissingData":"breaching"`, 0, "X X X 0 0 0",
			// 01:00 one real breaching datapoint and two filled in as breaching.
			[]string{"01:00 ALARM", "04:00 OK", "11:00 ALARM"}},
		{"3 of 3, notBreaching", `"EvaluationPeriods":3,"TreatMissingData":"notBreaching"`, 0, "X X X 0 0 0",
			[]string{"01:00 OK", "03:00 ALARM", "04:00 OK"}},
		{"3 of 3, ignore", `"EvaluationPeriods":3,"TreatMissingData":"ignore"`, 0, "X X X 0 0 0",
			// Stays INSUFFICIENT_DATA while ALARM is possible but not reached;
			// keeps OK once the data stops.
			[]string{"03:00 ALARM", "04:00 OK"}},
		{"3 of 5", `"EvaluationPeriods":5,"DatapointsToAlarm":3`, 0, "X 0 X 0 X 0 0 0",
			[]string{"01:00 OK", "05:00 ALARM", "06:00 OK", "15:00 INSUFFICIENT_DATA"}},
		{"lone breaching datapoint, missing", `"EvaluationPeriods":3`, 0, "- - X - - -",
			// ALARM once the datapoint is 3 periods old with only missing
			// data after it; INSUFFICIENT_DATA once it leaves the range.
			[]string{"03:00 OK", "05:00 ALARM", "08:00 INSUFFICIENT_DATA"}},
		{"lone breaching datapoint, ignore", `"EvaluationPeriods":3,"TreatMissingData":"ignore"`, 0, "0 - X - - -",
			[]string{"01:00 OK"}},
		{"no publication delay", `"EvaluationPeriods":3`, 0, "0 0 0 X X X X X X X X X",
			[]string{"01:00 OK", "06:00 ALARM"}},
		{"publication delay", `"EvaluationPeriods":3`, 90 * time.Second, "0 0 0 X X X X X X X X X",
			// Each datapoint is visible 2 minutes after its minute starts:
			// every change a minute later than without the delay.
			[]string{"02:00 OK", "07:00 ALARM"}},
		{"publication delay, sparse data", `"EvaluationPeriods":3`, 90 * time.Second, "X X X X",
			// At 03:00 the 00:02 datapoint is not visible yet; the 00:00 one
			// is 3 periods old with only breaching or missing data after
			// it, which is ALARM when missing data is treated as missing.
			[]string{"02:00 OK", "03:00 ALARM", "09:00 INSUFFICIENT_DATA"}},
		{"5-minute period", `"EvaluationPeriods":1,"Period":300`, 0, "X X 0 0 0 0 0 0 0 0 X",
			// Average of 00:00-00:05 is 11; of 00:05-00:10 is 5.
			[]string{"05:00 ALARM", "10:00 OK", "15:00 ALARM"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.cw.cfg.PutDelay = tc.delay
			cfg := base
			if strings.Contains(tc.config, "Period\":300") {
				cfg = strings.Replace(base, `"Period":60,`, "", 1)
			}
			h.must(t, "PutMetricAlarm", "{"+cfg+","+tc.config+"}")
			feed(t, h, tc.pattern)
			h.run(t, 15*time.Minute)
			require.Equal(t, tc.want, transitions(h))
		})
	}
}

func TestAlarmReasonsAndEvent(t *testing.T) {
	h := newHarness(t)
	h.must(t, "PutMetricAlarm", `{"AlarmName":"a","AlarmDescription":"queue too long","Namespace":"App","MetricName":"Q","Statistic":"Maximum","Period":60,"EvaluationPeriods":3,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold"}`)
	feed(t, h, "X X X 0")
	h.run(t, 3*time.Minute)
	out, err := h.c.DescribeAlarms(&DescribeAlarmsInput{})
	require.NoError(t, err)
	a := out.MetricAlarms[0]
	require.Equal(t, StateAlarm, a.StateValue)
	require.Equal(t, "Threshold Crossed: 3 out of the last 3 datapoints [20.0 (01/01/26 00:02:00), 20.0 (01/01/26 00:01:00), 20.0 (01/01/26 00:00:00)] "+
		"were greater than the threshold (10.0) (minimum 3 datapoints for OK -> ALARM transition).", a.StateReason)
	require.JSONEq(t, `{"version":"1.0","queryDate":"2026-01-01T00:03:00.000+0000","statistic":"Maximum","period":60,"recentDatapoints":[20,20,20],"threshold":10}`, a.StateReasonData)
	require.Equal(t, start.Add(3*time.Minute), a.StateTransitionedTimestamp.Time)
	h.run(t, time.Minute)
	out, _ = h.c.DescribeAlarms(&DescribeAlarmsInput{})
	require.Equal(t, "Threshold Crossed: 1 out of the last 3 datapoints [5.0 (01/01/26 00:03:00)] "+
		"was not greater than the threshold (10.0) (minimum 1 datapoint for ALARM -> OK transition).", out.MetricAlarms[0].StateReason)

	var last sim.Record
	for _, r := range h.eng.Trace().Records() {
		if r.Type == EventAlarmStateChange {
			last = r
		}
	}
	var ev map[string]any
	require.NoError(t, json.Unmarshal(last.Line, &ev))
	require.Equal(t, "aws.cloudwatch", ev["source"])
	require.Equal(t, []any{"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"}, ev["resources"])
	detail := ev["detail"].(map[string]any)
	require.Equal(t, "a", detail["alarmName"])
	require.Equal(t, "OK", detail["state"].(map[string]any)["value"])
	require.Equal(t, "ALARM", detail["previousState"].(map[string]any)["value"])
	require.Equal(t, "queue too long", detail["configuration"].(map[string]any)["description"])
	metric := detail["configuration"].(map[string]any)["metrics"].([]any)[0].(map[string]any)
	require.Equal(t, map[string]any{"metric": map[string]any{"namespace": "App", "name": "Q", "dimensions": map[string]any{}}, "period": 60.0, "stat": "Maximum"}, metric["metricStat"])
}

func TestAlarmActions(t *testing.T) {
	h := newHarness(t)
	var repeated, once []string
	h.cw.HandleActions("arn:aws:autoscaling:", true, func(a Action) {
		repeated = append(repeated, fmt.Sprintf("%s %s %s %g", h.eng.Now().Time().Format("04:05"), a.State, a.AlarmName, a.Value))
	})
	h.cw.HandleActions("arn:aws:sns:", false, func(a Action) {
		once = append(once, fmt.Sprintf("%s %s %s", h.eng.Now().Time().Format("04:05"), a.State, a.ARN))
	})
	h.must(t, "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"Q","Statistic":"Average","Period":60,"EvaluationPeriods":2,"Threshold":10,"ComparisonOperator":"GreaterThanOrEqualToThreshold",
		"AlarmActions":["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:p","arn:aws:sns:us-east-1:123456789012:alerts","arn:aws:lambda:us-east-1:123456789012:function:f"],
		"OKActions":["arn:aws:sns:us-east-1:123456789012:ok"]}`)
	feed(t, h, "X X X X 0 0")
	h.run(t, 7*time.Minute)
	require.Equal(t, []string{"02:00 ALARM a 20", "03:00 ALARM a 20", "04:00 ALARM a 20"}, repeated)
	require.Equal(t, []string{"01:00 OK arn:aws:sns:us-east-1:123456789012:ok", "02:00 ALARM arn:aws:sns:us-east-1:123456789012:alerts",
		"05:00 OK arn:aws:sns:us-east-1:123456789012:ok"}, once)
	hist, err := h.c.DescribeAlarmHistory(&DescribeAlarmHistoryInput{HistoryItemType: api.String("Action"), ScanBy: api.String("TimestampAscending")})
	require.NoError(t, err)
	var summaries []string
	for _, it := range hist.AlarmHistoryItems {
		summaries = append(summaries, it.HistorySummary)
	}
	require.Equal(t, []string{"Successfully executed action arn:aws:sns:us-east-1:123456789012:ok",
		"Successfully executed action arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:p",
		"Successfully executed action arn:aws:sns:us-east-1:123456789012:alerts",
		"Successfully executed action arn:aws:lambda:us-east-1:123456789012:function:f",
		"Successfully executed action arn:aws:sns:us-east-1:123456789012:ok"}, summaries)
}

func TestDeletedAlarmStopsEvaluating(t *testing.T) {
	h := newHarness(t)
	h.must(t, "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"Q","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":"breaching"}`)
	h.run(t, 90*time.Second)
	require.Equal(t, []string{"01:00 ALARM"}, transitions(h))
	h.must(t, "DeleteAlarms", `{"AlarmNames":["a"]}`)
	require.Equal(t, 0, h.eng.Pending())
	// Re-creating it starts again from INSUFFICIENT_DATA.
	h.must(t, "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"Q","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":"breaching"}`)
	h.run(t, time.Minute)
	require.Equal(t, []string{"01:00 ALARM", "02:00 ALARM"}, transitions(h))
}

// TestAlarmReasonFewDatapoints: with fewer datapoints than the alarm
// evaluates, the OK reason still asks for at least one.
func TestAlarmReasonFewDatapoints(t *testing.T) {
	h := newHarness(t)
	h.must(t, "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"Q","Statistic":"Average","Period":60,"EvaluationPeriods":3,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold"}`)
	feed(t, h, "0")
	h.run(t, time.Minute)
	out, err := h.c.DescribeAlarms(&DescribeAlarmsInput{})
	require.NoError(t, err)
	require.Equal(t, StateOK, out.MetricAlarms[0].StateValue)
	require.Equal(t, "Threshold Crossed: 1 out of the last 1 datapoint [5.0 (01/01/26 00:00:00)] "+
		"was not greater than the threshold (10.0) (minimum 1 datapoint for ALARM -> OK transition).", out.MetricAlarms[0].StateReason)
}
