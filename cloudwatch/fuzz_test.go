package cloudwatch

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

// FuzzCloudWatch sends arbitrary input to every CloudWatch action on a
// store with data and alarms: no input may panic (which the table reports
// as a server error), and alarms must go on being evaluated afterwards.
func FuzzCloudWatch(f *testing.F) {
	actions := newHarness(f).table.Actions()
	seeds := []string{`{}`,
		`{"Namespace":"App","MetricData":[{"MetricName":"Q","Value":5,"Dimensions":[{"Name":"a","Value":"b"}]}]}`,
		`{"Namespace":"App","MetricData":[{"MetricName":"Q","Values":[1,2,3],"Counts":[0,1,1e300],"Timestamp":1767225600}]}`,
		`{"Namespace":"App","MetricData":[{"MetricName":"Q","StatisticValues":{"SampleCount":1e-300,"Sum":-1e300,"Minimum":-5,"Maximum":5}}]}`,
		`{"Namespace":"App","MetricName":"Q","StartTime":0,"EndTime":1e10,"Period":86400,"Statistics":["Average"]}`,
		`{"StartTime":"2026-01-01T00:00:00Z","EndTime":"2200-01-01T00:00:00Z","MaxDatapoints":1,"NextToken":"1","MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":60,"Stat":"SampleCount"}}]}`,
		`{"AlarmName":"b","Namespace":"App","MetricName":"Q","Statistic":"Sum","Period":60,"EvaluationPeriods":3,"DatapointsToAlarm":2,"Threshold":1,"ComparisonOperator":"LessThanThreshold","TreatMissingData":"breaching","OKActions":["arn:aws:sns:us-east-1:1:t"]}`,
		`{"AlarmName":"a","StateValue":"ALARM","StateReason":"r","StateReasonData":"{}"}`,
		`{"StartTime":"2026-01-01T00:00:00Z","EndTime":"2026-01-02T00:00:00Z","MetricDataQueries":[{"Id":"q","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":60,"Stat":"Sum"}},{"Id":"e","Expression":"FILL(q,0)/SUM([q,q])","Period":60}]}`,
		`{"AlarmName":"m","EvaluationPeriods":2,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Metrics":[{"Id":"q","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":60,"Stat":"Sum"}},{"Id":"e","Expression":"q/(q-5)"}]}`,
		`{"Namespace":"App","MetricName":"Q","StartTime":0,"EndTime":1e10,"Period":60,"ExtendedStatistics":["p0","p99.9999999999","p100","p50"]}`,
		`{"Namespace":"App","MetricData":[{"MetricName":"Q","Values":[-1,0,1e300,5],"Counts":[1,0.5,2,1e-300]},{"MetricName":"Q","StatisticValues":{"SampleCount":3,"Sum":6,"Minimum":2,"Maximum":2}}]}`,
		`{"StartTime":"2026-01-01T00:00:00Z","EndTime":"2026-01-02T00:00:00Z","MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":120,"Stat":"p99"}},{"Id":"e","Expression":"q*2"}]}`,
		`{"AlarmName":"p","Namespace":"App","MetricName":"Q","ExtendedStatistic":"p99.5","Period":60,"EvaluationPeriods":2,"Threshold":3,"ComparisonOperator":"GreaterThanThreshold"}`,
		`{"AlarmNames":["a","b"]}`, `{"MaxRecords":0}`, `{"NextToken":"MQ"}`, `{"Dimensions":[{"Name":"a"}],"RecentlyActive":"PT3H"}`,
	}
	for i := range actions {
		for _, s := range seeds {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, input string) {
		h := newHarness(t)
		h.cw.HandleActions("arn:", true, func(Action) {})
		h.run(t, time.Hour)
		h.must(t, "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"Q","Statistic":"Average","Period":60,"EvaluationPeriods":2,"Threshold":3,"ComparisonOperator":"GreaterThanThreshold","AlarmActions":["arn:aws:sns:us-east-1:1:t"]}`)
		h.must(t, "PutMetricData", `{"Namespace":"App","MetricData":[{"MetricName":"Q","Value":5}]}`)
		action := actions[int(which)%len(actions)]
		_, err := h.table.Invoke(action, []byte(input))
		if err != nil {
			require.NotEqual(t, api.CodeServerException, api.ErrorCode(err), "%s %s: %v", action, input, err)
			require.False(t, strings.Contains(err.Error(), "internal error"), "%s: %v", action, err)
		}
		h.run(t, 10*time.Minute)
	})
}
