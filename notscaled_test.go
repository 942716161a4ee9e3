package ecssim_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
)

// stepWorld is a World with service c/s (2 tasks) registered as a
// scalable target of [min, max], ready for step scaling policies.
func stepWorld(t *testing.T, minCap, maxCap int) *ecssim.World {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(t, err)
	for _, c := range []string{
		`ecs:CreateCluster {"clusterName":"c"}`,
		`ecs:RegisterTaskDefinition {"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i"}]}`,
		`ecs:CreateService {"cluster":"c","serviceName":"s","taskDefinition":"f","desiredCount":2,"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}}`,
	} {
		action, input, _ := strings.Cut(c, " ")
		_, err := w.Call(action, []byte(input))
		require.NoError(t, err, action)
	}
	_, err = w.Autoscaling().RegisterScalableTarget(&autoscaling.RegisterScalableTargetInput{ServiceNamespace: api.String("ecs"),
		ResourceId: api.String("service/c/s"), ScalableDimension: api.String(autoscaling.DimensionECS),
		MinCapacity: api.Int32(int32(minCap)), MaxCapacity: api.Int32(int32(maxCap))})
	require.NoError(t, err)
	return w
}

// stepPolicyOnAlarm puts step scaling policy name (adjustment type typ,
// steps as JSON) and a one-datapoint alarm on App/Backlog that runs it.
func stepPolicyOnAlarm(t *testing.T, w *ecssim.World, name, typ, steps, op string, threshold float64) {
	t.Helper()
	res, err := w.Call("application-autoscaling:PutScalingPolicy", []byte(`{"PolicyName":"`+name+`","ServiceNamespace":"ecs","ResourceId":"service/c/s","ScalableDimension":"ecs:service:DesiredCount",
		"PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"`+typ+`","Cooldown":60,"StepAdjustments":`+steps+`}}`))
	require.NoError(t, err)
	var o autoscaling.PutScalingPolicyOutput
	require.NoError(t, json.Unmarshal(res, &o))
	alarm, _ := json.Marshal(map[string]any{"AlarmName": name, "Namespace": "App", "MetricName": "Backlog", "Statistic": "Average", "Period": 60,
		"EvaluationPeriods": 1, "Threshold": threshold, "ComparisonOperator": op, "AlarmActions": []string{o.PolicyARN}})
	_, err = w.Call("cloudwatch:PutMetricAlarm", alarm)
	require.NoError(t, err)
}

func scalingActivities(t *testing.T, w *ecssim.World, notScaled bool) []autoscaling.ScalingActivity {
	t.Helper()
	in := &autoscaling.DescribeScalingActivitiesInput{ServiceNamespace: api.String("ecs"), ResourceId: api.String("service/c/s")}
	if notScaled {
		in.IncludeNotScaledActivities = api.Bool(true)
	}
	var all []autoscaling.ScalingActivity
	for {
		out, err := w.Autoscaling().DescribeScalingActivities(in)
		require.NoError(t, err)
		all = append(all, out.ScalingActivities...)
		if out.NextToken == nil {
			return all
		}
		in.NextToken = out.NextToken
	}
}

// TestNotScaledActivities: a policy that executes on its alarm but cannot
// change the capacity leaves a not scaled activity with AWS's reason
// code, listed only with IncludeNotScaledActivities, in the shape of the
// guide's example (StatusCode Failed, "Attempting to scale due to alarm
// triggered", no EndTime). [AAS:application-auto-scaling-scaling-activities]
func TestNotScaledActivities(t *testing.T) {
	i32 := api.Int32
	for _, tc := range []struct {
		name, typ, steps, op string
		threshold            float64
		backlog              float64
		min, max             int
		scaled               int // successful activities
		want                 autoscaling.NotScaledReason
	}{
		{"at max", autoscaling.ChangeInCapacity, `[{"MetricIntervalLowerBound":0,"ScalingAdjustment":2}]`, "GreaterThanThreshold", 100, 150, 1, 3, 1,
			autoscaling.NotScaledReason{Code: "AlreadyAtMaxCapacity", MaxCapacity: i32(3)}},
		{"at min", autoscaling.ChangeInCapacity, `[{"MetricIntervalUpperBound":0,"ScalingAdjustment":-1}]`, "LessThanThreshold", 10, 5, 1, 5, 1,
			autoscaling.NotScaledReason{Code: "AlreadyAtMinCapacity", MinCapacity: i32(1)}},
		{"at desired", autoscaling.ExactCapacity, `[{"MetricIntervalLowerBound":0,"ScalingAdjustment":2}]`, "GreaterThanThreshold", 100, 150, 1, 5, 0,
			autoscaling.NotScaledReason{Code: "AlreadyAtDesiredCapacity", CurrentCapacity: i32(2)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := stepWorld(t, tc.min, tc.max)
			stepPolicyOnAlarm(t, w, "p", tc.typ, tc.steps, tc.op, tc.threshold)
			publishPattern(t, w, tc.backlog, tc.backlog, tc.backlog, tc.backlog, tc.backlog, tc.backlog)
			require.NoError(t, w.RunFor(6*time.Minute))

			plain := scalingActivities(t, w, false)
			require.Len(t, plain, tc.scaled, "not scaled activities are left out by default")
			for _, a := range plain {
				require.Empty(t, a.NotScaledReasons)
			}
			all := scalingActivities(t, w, true)
			require.Greater(t, len(all), len(plain), "the alarm stays in ALARM and the policy keeps executing")
			var notScaled []autoscaling.ScalingActivity
			for _, a := range all {
				if len(a.NotScaledReasons) > 0 {
					notScaled = append(notScaled, a)
				}
			}
			require.Len(t, notScaled, len(all)-len(plain))
			require.Len(t, notScaled, 1, "the alarm executes the policy every minute; the run is recorded once")
			got := notScaled[0]
			require.Equal(t, []autoscaling.NotScaledReason{tc.want}, got.NotScaledReasons)
			require.Equal(t, "Failed", got.StatusCode)
			require.Equal(t, "Attempting to scale due to alarm triggered", got.Description)
			require.Equal(t, "monitor alarm p in state ALARM triggered policy p", got.Cause)
			require.Nil(t, got.EndTime)
			require.Empty(t, got.StatusMessage)
			require.NotEmpty(t, got.ActivityId)

			// The wire shape: AWS's member names, no EndTime.
			b, err := json.Marshal(got)
			require.NoError(t, err)
			require.NotContains(t, string(b), "EndTime")
			require.Contains(t, string(b), `"NotScaledReasons":[{"Code":"`+tc.want.Code+`"`)
		})
	}
}

// TestNotScaledActivitiesTargetTracking: a target tracking policy whose
// AlarmHigh fires at the maximum capacity leaves an AlreadyAtMaxCapacity
// activity, once for the minutes the alarm stays in ALARM.
func TestNotScaledActivitiesTargetTracking(t *testing.T) {
	w := stepWorld(t, 1, 2)
	_, err := w.Call("application-autoscaling:PutScalingPolicy", []byte(`{"PolicyName":"tt","ServiceNamespace":"ecs","ResourceId":"service/c/s","ScalableDimension":"ecs:service:DesiredCount",
		"PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":10,"ScaleOutCooldown":60,
		"CustomizedMetricSpecification":{"Namespace":"App","MetricName":"Backlog","Statistic":"Average"}}}`))
	require.NoError(t, err)
	publishPattern(t, w, 50, 50, 50, 50, 50, 50, 50, 50)
	require.NoError(t, w.RunFor(8*time.Minute))
	all := scalingActivities(t, w, true)
	require.Len(t, all, 1)
	for _, a := range all {
		require.Equal(t, []autoscaling.NotScaledReason{{Code: "AlreadyAtMaxCapacity", MaxCapacity: api.Int32(2)}}, a.NotScaledReasons)
		require.Contains(t, a.Cause, "-AlarmHigh-")
	}
	require.Empty(t, scalingActivities(t, w, false), "2 tasks is already the maximum: nothing scaled")
}
