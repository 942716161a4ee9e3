package ecssim_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/sim"
)

// publishPattern publishes App/Backlog once a minute, 30 s into each
// minute from the World's start, from a list of values.
func publishPattern(t *testing.T, w *ecssim.World, values ...float64) {
	for k, v := range values {
		_, err := w.Engine().Schedule(sim.FromTime(w.Start()).Add(time.Duration(k)*time.Minute+30*time.Second), func() error {
			_, err := w.Call("cloudwatch:PutMetricData", fmt.Appendf(nil, `{"Namespace":"App","MetricData":[{"MetricName":"Backlog","Value":%g}]}`, v))
			return err
		})
		require.NoError(t, err)
	}
}

func activities(w *ecssim.World) []string {
	var out []string
	for _, r := range w.Trace().Records() {
		if r.Type == autoscaling.EventScalingActivity {
			d := r.Detail.(autoscaling.ActivityDetail)
			out = append(out, fmt.Sprintf("%s %d->%d %s", r.Time.Time().Format("04:05"), d.From, d.To, d.Cause[strings.Index(d.Cause, "alarm ")+6:strings.Index(d.Cause, " in state")]))
		}
	}
	return out
}

func TestStepScalingOutInStepsAndBackIn(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(t, err)
	for _, c := range []string{
		`ecs:CreateCluster {"clusterName":"c"}`,
		`ecs:RegisterTaskDefinition {"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i"}]}`,
		`ecs:CreateService {"cluster":"c","serviceName":"s","taskDefinition":"f","desiredCount":2,"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}}`,
		`application-autoscaling:RegisterScalableTarget {"ServiceNamespace":"ecs","ResourceId":"service/c/s","ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":10}`,
	} {
		action, input, _ := strings.Cut(c, " ")
		_, err := w.Call(action, []byte(input))
		require.NoError(t, err, action)
	}
	policy := func(name, steps string) string {
		res, err := w.Call("application-autoscaling:PutScalingPolicy", []byte(`{"PolicyName":"`+name+`","ServiceNamespace":"ecs","ResourceId":"service/c/s","ScalableDimension":"ecs:service:DesiredCount",
			"PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"ChangeInCapacity","Cooldown":120,"StepAdjustments":`+steps+`}}`))
		require.NoError(t, err)
		var o autoscaling.PutScalingPolicyOutput
		require.NoError(t, json.Unmarshal(res, &o))
		return o.PolicyARN
	}
	// Scale out by 1 for a backlog up to 50 above 100, by 3 beyond; in by 1.
	out := policy("out", `[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":50,"ScalingAdjustment":1},{"MetricIntervalLowerBound":50,"ScalingAdjustment":3}]`)
	in := policy("in", `[{"MetricIntervalUpperBound":0,"ScalingAdjustment":-1}]`)
	for _, a := range []string{
		`{"AlarmName":"high","Namespace":"App","MetricName":"Backlog","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":100,"ComparisonOperator":"GreaterThanThreshold","AlarmActions":["` + out + `"]}`,
		`{"AlarmName":"low","Namespace":"App","MetricName":"Backlog","Statistic":"Average","Period":60,"EvaluationPeriods":2,"Threshold":20,"ComparisonOperator":"LessThanThreshold","AlarmActions":["` + in + `"]}`,
	} {
		_, err := w.Call("cloudwatch:PutMetricAlarm", []byte(a))
		require.NoError(t, err)
	}
	publishPattern(t, w, 60, 60, 120, 120, 200, 200, 200, 200, 10, 10, 10, 10, 10, 10, 10, 10)
	require.NoError(t, w.RunFor(16*time.Minute))
	require.Equal(t, []string{
		"03:00 2->3 high", // 00:02's 120 is 20 over: +1
		// 04:00 still 120, within the cooldown: the +1 already made counts.
		"05:00 3->6 high", // 200 is 100 over: +3, the cooldown over
		// 06:00 within the cooldown, +3 from 3 is no more than 6.
		"07:00 6->9 high", // the alarm stays in ALARM: +3 again
		"10:00 9->8 low",  // 2 of 2 datapoints below 20 at 10:00
		"12:00 8->7 low",  // then once per cooldown
		"14:00 7->6 low",
		"16:00 6->5 low",
	}, activities(w))
}
