package cloudwatch

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// memoRun runs alarms of every period and TreatMissingData over a random
// stream of samples (late ones, gaps, several units, SetAlarmState) and
// returns everything an API user or the trace can see, and the number of
// full evaluations.
func memoRun(t *testing.T, seed uint64, noMemo bool) (string, int) {
	h := newHarness(t)
	h.cw.noMemo = noMemo
	h.cw.HandleActions("arn:aws:autoscaling:", true, func(a Action) {
		h.eng.Record(sim.Event{Type: "action", Detail: fmt.Sprintf("%s %s %v %v", a.AlarmName, a.State, a.Value, a.Valid)})
	})
	r := rand.New(rand.NewPCG(seed, 1))
	treats := []string{MissingMissing, MissingIgnore, MissingBreaching, MissingNotBreaching}
	k := 0
	for _, period := range []int{60, 120, 300, 3600} {
		for _, treat := range treats {
			k++
			h.must(t, "PutMetricAlarm", fmt.Sprintf(`{"AlarmName":"a%d","Namespace":"App","MetricName":"Q","Statistic":"Maximum","Period":%d,"EvaluationPeriods":3,"DatapointsToAlarm":2,
				"Threshold":10,"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":%q,"AlarmActions":["arn:aws:autoscaling:us-east-1:1:scalingPolicy:p%d"],"OKActions":["arn:aws:sns:us-east-1:1:t"]}`, k, period, treat, k))
		}
	}
	h.must(t, "PutMetricAlarm", `{"AlarmName":"unit","Namespace":"App","MetricName":"Q","Statistic":"Sum","Unit":"Count","Period":300,"EvaluationPeriods":2,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold"}`)
	for step := range 600 {
		at := sim.FromTime(start).Add(time.Duration(step)*time.Minute + time.Duration(r.IntN(60))*time.Second)
		_, err := h.eng.Schedule(at, func() error {
			if r.IntN(4) == 0 { // a gap
				return nil
			}
			v := float64(r.IntN(20))
			unit := []string{"Count", "Seconds", ""}[r.IntN(3)]
			var stamp *api.Timestamp
			if r.IntN(5) == 0 { // late, up to 20 minutes back
				ts := api.NewTimestamp(h.eng.Now().Time().Add(-time.Duration(r.IntN(20)) * time.Minute))
				stamp = &ts
			}
			var u *string
			if unit != "" {
				u = &unit
			}
			_, err := h.c.PutMetricData(&PutMetricDataInput{Namespace: api.String("App"), MetricData: []MetricDatum{{MetricName: api.String("Q"), Value: &v, Unit: u, Timestamp: stamp}}})
			if err == nil && r.IntN(60) == 0 {
				_, err = h.c.SetAlarmState(&SetAlarmStateInput{AlarmName: api.String(fmt.Sprintf("a%d", 1+r.IntN(k))), StateValue: api.String(StateAlarm), StateReason: api.String("set")})
			}
			return err
		})
		require.NoError(t, err)
	}
	h.run(t, 11*time.Hour)
	alarms, err := h.c.DescribeAlarms(&DescribeAlarmsInput{MaxRecords: api.Int32(100)})
	require.NoError(t, err)
	hist, err := h.c.DescribeAlarmHistory(&DescribeAlarmHistoryInput{MaxRecords: api.Int32(100)})
	require.NoError(t, err)
	b, err := json.Marshal([]any{alarms, hist})
	require.NoError(t, err)
	n := 0
	for _, a := range h.cw.alarms {
		n += a.evaluations
	}
	return h.eng.Trace().Hash() + string(b), n
}

// TestEvaluationMemo checks that an alarm whose data and range have not
// changed since its last evaluation repeats that outcome without judging
// again, and that nothing a user or the trace sees differs from judging
// every minute.
func TestEvaluationMemo(t *testing.T) {
	for seed := range uint64(4) {
		full, n := memoRun(t, seed, true)
		memo, m := memoRun(t, seed, false)
		require.Equal(t, full, memo, "seed %d", seed)
		require.Less(t, m, n*3/4, "seed %d: %d of %d evaluations judged", seed, m, n)
	}
}
