package cloudwatch

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// mathSeries builds a series over minutes 0..n-1 of the test clock from
// values; NaN is a missing datapoint.
func mathSeries(vs ...float64) mseries {
	var s mseries
	for i, v := range vs {
		if !math.IsNaN(v) {
			s.ts = append(s.ts, sim.FromTime(start).Add(time.Duration(i)*time.Minute))
			s.vs = append(s.vs, v)
		}
	}
	return s
}

var nan = math.NaN()

func TestMetricMathEvaluate(t *testing.T) {
	data := map[string]mseries{
		"m1": mathSeries(10, 20, nan, 40),
		"m2": mathSeries(2, 0, 5, 4),
		"m3": mathSeries(1, nan, 1, nan),
	}
	g := grid(sim.FromTime(start), sim.FromTime(start).Add(4*time.Minute), sim.Time(time.Minute))
	tests := []struct {
		expr string
		want mseries
	}{
		{"m1 / m2", mathSeries(5, nan, nan, 10)}, // 20/0: no datapoint; m1 missing at 2
		{"m1 + m2 * 2", mathSeries(14, 20, nan, 48)},
		{"(m1 + m2) * 2", mathSeries(24, 40, nan, 88)},
		{"-m2 + 1", mathSeries(-1, 1, -4, -3)},
		{"m1 - -m2", mathSeries(12, 20, nan, 44)},
		{"10 - 4 / 2", mathSeries(8, 8, 8, 8)},
		{"ABS(0 - m1)", mathSeries(10, 20, nan, 40)},
		{"FILL(m1, 0)", mathSeries(10, 20, 0, 40)},
		{"FILL(m1, 0) / m2", mathSeries(5, nan, 0, 10)},
		{"SUM([m1, m3])", mathSeries(11, 20, 1, 40)},
		{"AVG([m1, m2])", mathSeries(6, 10, 5, 22)},
		{"MIN([m1, m2, m3])", mathSeries(1, 0, 1, 4)},
		{"MAX([m1, m2])", mathSeries(10, 20, 5, 40)},
		{"m1 - AVG(m1)", mathSeries(-13.333333333333332, -3.333333333333332, nan, 16.666666666666668)},
		{"MAX(m2) * m3", mathSeries(5, nan, 5, nan)},
		{"e2 / 2", mathSeries(6, 10, 5, 22)},
		{" 1.5e0 ", mathSeries(1.5, 1.5, 1.5, 1.5)},
		{"m1 > 15", mathSeries(0, 1, nan, 1)},
		{"m2 <= 2 || m1 == 40", mathSeries(1, 1, nan, 1)},
		{"m2 >= 2 AND m2 != 4", mathSeries(1, 0, 1, 0)},
		{"IF(m2 > 1, m1, 0)", mathSeries(10, 0, nan, 40)},
		{"IF(m2 == 0, 100)", mathSeries(nan, 100, nan, nan)},
		{"IF(1, m3)", mathSeries(1, nan, 1, nan)},
		{"IF(0, m3, m2)", mathSeries(2, 0, 5, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			qs := []MetricDataQuery{{Id: api.String("m1")}, {Id: api.String("m2")}, {Id: api.String("m3")},
				{Id: api.String("e2"), Expression: api.String("AVG([m1, m2]) * 2")},
				{Id: api.String("e1"), Expression: api.String(tt.expr)}}
			if strings.Contains(tt.expr, "e0") {
				qs[4].Expression = api.String("1.5")
			}
			env, err := newMathEnv("Metrics", qs)
			require.NoError(t, err)
			got := env.series("e1", g, func(q *MetricDataQuery) mseries { return data[*q.Id] })
			require.Equal(t, len(tt.want.ts), len(got.ts), "%v", got)
			require.Equal(t, tt.want.ts, got.ts)
			require.InDeltaSlice(t, tt.want.vs, got.vs, 1e-9)
		})
	}
}

func TestMetricMathErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"m1 +", "Syntax error: unexpected end of expression"},
		{"(m1", "Syntax error at position 4: expected ')'"},
		{"m1 m2", "Syntax error at position 4"},
		{"m9 * 2", "Unrecognized metric or expression id: m9"},
		{"FOO(m1)", "Unrecognized function: FOO"},
		{"ABS(m1, m1)", "Invalid number of arguments for function ABS: expected 1, got 2"},
		{"FILL(m1, REPEAT)", "Unrecognized metric or expression id: REPEAT"},
		{"FILL(m1, m1)", "second argument of FILL must be a number"},
		{"[m1, m1] + 1", "cannot be applied to an array"},
		{"SUM(3)", "must be a time series"},
		{"IF(m1)", "expected 2 or 3, got 1"},
		{"IF([m1], 1)", "must be time series or numbers"},
		{"m1 >", "unexpected end of expression"},
		{"e1 + 1", "Circular dependency on id e1"},
		{"1..2", "invalid number"},
		{"#", "unexpected '#'"},
		{strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100), "nested more than 64 levels"},
		{strings.Repeat("-", 100) + "1", "nested more than 64 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := newMathEnv("Metrics", []MetricDataQuery{{Id: api.String("m1")}, {Id: api.String("e1"), Expression: api.String(tt.expr)}})
			require.Error(t, err)
			require.Equal(t, CodeValidationError, api.ErrorCode(err))
			require.Contains(t, err.Error(), "Error in expression 'e1': ")
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

// FuzzMetricMath parses and evaluates arbitrary expressions: no panic,
// and only finite values in a result.
func FuzzMetricMath(f *testing.F) {
	for _, s := range []string{"m1/m2", "SUM([m1,m2])*-2", "FILL(m1, 0)", "ABS(m1-MAX(m2))", "((1))", "[", "m1/0", "1e309", "AVG([])", "MIN(m1)+", "IF(m1 > 1 && m2 < 3, m1, m2)", "m1 ORm2"} {
		f.Add(s)
	}
	data := map[string]mseries{"m1": mathSeries(1, nan, 3), "m2": mathSeries(0, 2, nan)}
	g := grid(sim.FromTime(start), sim.FromTime(start).Add(3*time.Minute), sim.Time(time.Minute))
	f.Fuzz(func(t *testing.T, expr string) {
		env, err := newMathEnv("Metrics", []MetricDataQuery{{Id: api.String("m1")}, {Id: api.String("m2")}, {Id: api.String("e1"), Expression: &expr}})
		if err != nil {
			require.Equal(t, CodeValidationError, api.ErrorCode(err))
			return
		}
		s := env.series("e1", g, func(q *MetricDataQuery) mseries { return data[*q.Id] })
		require.Len(t, s.vs, len(s.ts))
		for _, v := range s.vs {
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s gave %v", expr, s.vs)
		}
	})
}

func TestGetMetricDataExpression(t *testing.T) {
	h := newHarness(t)
	for k, v := range []float64{10, 20, 30} {
		kf := float64(k)
		_, err := h.eng.Schedule(sim.FromTime(start).Add(time.Duration(k)*time.Minute+30*time.Second), func() error {
			_, err := h.c.PutMetricData(&PutMetricDataInput{Namespace: api.String("App"), MetricData: []MetricDatum{
				{MetricName: api.String("Q"), Value: &v}, {MetricName: api.String("T"), Value: &kf}}})
			return err
		})
		require.NoError(t, err)
	}
	h.run(t, 10*time.Minute)
	out := h.must(t, "GetMetricData", `{"StartTime":"2026-01-01T00:00:00Z","EndTime":"2026-01-01T00:05:00Z","ScanBy":"TimestampAscending","MetricDataQueries":[
		{"Id":"q","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":60,"Stat":"Sum"}},
		{"Id":"n","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"T"},"Period":60,"Stat":"Sum"}},
		{"Id":"perTask","Expression":"q / n","Label":"backlog per task"}]}`)
	rs := out["MetricDataResults"].([]any)
	require.Len(t, rs, 1)
	r := rs[0].(map[string]any)
	require.Equal(t, "perTask", r["Id"])
	require.Equal(t, "backlog per task", r["Label"])
	// 10/0 is no datapoint; 20/1 and 30/2.
	require.Equal(t, []any{20.0, 15.0}, r["Values"])
	require.Len(t, r["Timestamps"], 2)
}

// An alarm on an expression that equals its metric (m1 * 2 against twice
// the threshold) changes state at the same minutes as the alarm on the
// metric itself, for each TreatMissingData: it is evaluated on the same
// periods, on the same schedule.
func TestMathAlarmTimingMatchesMetricAlarm(t *testing.T) {
	const pattern = "X X X 0 0 - - X X - X 0 0 0 0 0 - - - - - - X X X X"
	for _, treat := range []string{MissingMissing, MissingIgnore, MissingBreaching, MissingNotBreaching} {
		t.Run(treat, func(t *testing.T) {
			h := newHarness(t)
			h.must(t, "PutMetricAlarm", `{"AlarmName":"plain","Namespace":"App","MetricName":"Q","Statistic":"Average","Period":60,
				"EvaluationPeriods":3,"DatapointsToAlarm":2,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":"`+treat+`"}`)
			h.must(t, "PutMetricAlarm", `{"AlarmName":"math","EvaluationPeriods":3,"DatapointsToAlarm":2,"Threshold":20,
				"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":"`+treat+`","Metrics":[
				{"Id":"m1","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":60,"Stat":"Average"}},
				{"Id":"e1","Expression":"m1 * 2","ReturnData":true}]}`)
			feed(t, h, pattern)
			h.run(t, 40*time.Minute)
			byAlarm := map[string][]string{}
			for _, r := range h.eng.Trace().Records() {
				if r.Type == EventAlarmStateChange {
					d := r.Detail.(AlarmStateChange)
					byAlarm[d.AlarmName] = append(byAlarm[d.AlarmName], r.Time.Time().Format("04:05")+" "+d.State.Value)
				}
			}
			require.NotEmpty(t, byAlarm["plain"])
			require.Equal(t, byAlarm["plain"], byAlarm["math"])
		})
	}
}

// DescribeAlarms returns a metric math alarm's Metrics as given.
func TestMathAlarmDescribe(t *testing.T) {
	h := newHarness(t)
	h.must(t, "PutMetricAlarm", `{"AlarmName":"math","EvaluationPeriods":1,"Threshold":2,"ComparisonOperator":"GreaterThanThreshold","Metrics":[
		{"Id":"m1","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":300,"Stat":"Sum"}},
		{"Id":"e1","Expression":"m1 / 5","Label":"per minute"}]}`)
	out := h.must(t, "DescribeAlarms", `{"AlarmNames":["math"]}`)
	a := out["MetricAlarms"].([]any)[0].(map[string]any)
	require.Len(t, a["Metrics"], 2)
	require.Equal(t, "m1 / 5", a["Metrics"].([]any)[1].(map[string]any)["Expression"])
	require.EqualValues(t, 300, a["Period"])
}
