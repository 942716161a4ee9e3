package scenario

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// alarmScenario publishes a queue backlog above an alarm's threshold for
// three minutes, and nothing after: the alarm goes to ALARM and, with
// missing data treated as not breaching, back to OK.
const alarmScenario = `seed: 1
duration: 20m
steps:
  - {at: 0s, call: cloudwatch:PutMetricAlarm, input: {AlarmName: backlog-high, Namespace: App, MetricName: Backlog,
      Statistic: Maximum, Period: 60, EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: GreaterThanThreshold,
      TreatMissingData: notBreaching}}
  - {at: 30s, call: cloudwatch:PutMetricData, input: {Namespace: App, MetricData: [{MetricName: Backlog, Value: 50}]}}
  - {at: 90s, call: cloudwatch:PutMetricData, input: {Namespace: App, MetricData: [{MetricName: Backlog, Value: 50}]}}
  - {at: 150s, call: cloudwatch:PutMetricData, input: {Namespace: App, MetricData: [{MetricName: Backlog, Value: 50}]}}
expect:
  - {at: 0s, alarm: backlog-high, state: INSUFFICIENT_DATA}
  - {at: 4m, alarm: backlog-high, state: ALARM}
  - {at: 15m, alarm: backlog-high, state: OK}
  - {at: 15m, alarm: backlog-high, state: ALARM}
  - {at: 15m, alarm: nope, state: OK}
`

// TestRunAlarmExpectations: an alarm expectation holds when DescribeAlarms
// gives the state expected, and fails, with what it saw, when it does not
// or when there is no such alarm.
func TestRunAlarmExpectations(t *testing.T) {
	s := mustParse(t, alarmScenario)
	o, err := Run(s, Options{})
	require.NoError(t, err)
	type row struct {
		subject string
		ok      bool
		got     string
	}
	var rows []row
	for _, r := range o.Results {
		require.Equal(t, "state", r.Field())
		rows = append(rows, row{r.Subject(), r.OK, r.Got})
	}
	require.Equal(t, []row{
		{"alarm backlog-high", true, "INSUFFICIENT_DATA"},
		{"alarm backlog-high", true, "ALARM"},
		{"alarm backlog-high", true, "OK"},
		{"alarm backlog-high", false, "OK"},
		{"alarm nope", false, "no such alarm"},
	}, rows)
	f := o.Failures()
	require.Len(t, f, 2)
	require.Equal(t, "0:15:00 alarm backlog-high state: expected ALARM, observed OK (t.yaml:14)", f[0].String())
	require.Equal(t, "state is ALARM", o.Results[1].Message())

	// The same run twice gives the same trace.
	o2, err := Run(mustParse(t, alarmScenario), Options{})
	require.NoError(t, err)
	require.Equal(t, o.World.Trace().Hash(), o2.World.Trace().Hash())
}

// TestAlarmExpectationErrors: a bad alarm expectation is refused at its
// line, with what to write instead.
func TestAlarmExpectationErrors(t *testing.T) {
	head := "steps: []\nexpect:\n"
	for _, c := range []struct{ name, src, want string }{
		{"bad state", "  - {at: 1m, alarm: a, state: ALRM}\n", `t.yaml:3: state "ALRM" is not an alarm state (did you mean "ALARM"?); known: OK, ALARM, INSUFFICIENT_DATA`},
		{"lower case", "  - {at: 1m, alarm: a, state: ok}\n", `t.yaml:3: state "ok" is not an alarm state`},
		{"state without alarm", "  - at: 1m\n    service: demo/web\n    state: OK\n", "t.yaml:5: state checks an alarm; name it with alarm: NAME"},
		{"alarm and service", "  - at: 1m\n    alarm: a\n    service: demo/web\n    state: OK\n", "t.yaml:5: an alarm expectation takes at, alarm and state, not service"},
		{"alarm and a field", "  - {at: 1m, alarm: a, state: OK, runningCount: 2}\n", "t.yaml:3: an alarm expectation takes at, alarm and state, not runningCount"},
		{"no state", "  - {at: 1m, alarm: a}\n", "t.yaml:3: the alarm expectation checks nothing; add e.g. state: ALARM"},
		{"empty name", "  - {at: 1m, alarm: '', state: OK}\n", "t.yaml:3: alarm must be an alarm name of 1 to 255 characters"},
		{"not a name", "  - {at: 1m, alarm: [a], state: OK}\n", "t.yaml:3: alarm"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(head+c.src))
			require.Error(t, err)
			var list ErrorList
			require.ErrorAs(t, err, &list)
			require.Len(t, list, 1, "%v", err)
			require.Contains(t, list[0].Error(), c.want)
		})
	}
}
