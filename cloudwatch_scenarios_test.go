package ecssim_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/sim"
)

// Golden scenarios of CloudWatch-driven scaling. Each states, next to its
// check, when CloudWatch's documented evaluation makes things happen:
// alarms are evaluated on the minute; a PutMetricData sample is visible at
// once (cloudwatch.Config.PutDelay is zero in a World) and counts in the
// minute that holds its timestamp, so a sample sent at k:30 is first
// judged at (k+1):00; an ECS metric of minute k is visible at (k+2):00
// (ecssim.ECSMetricsDelay). [CW:alarm-evaluation] [CW:alarms-and-missing-data]

// publish sends one datapoint of App/<metric> a minute, at k:30 for the
// k-th value, from the World's start; NaN sends nothing that minute.
func (f *fleet) publish(metric string, values ...float64) {
	f.t.Helper()
	w := f.w
	for k, v := range values {
		if v != v {
			continue
		}
		_, err := w.Engine().Schedule(sim.FromTime(w.Start()).Add(time.Duration(k)*time.Minute+30*time.Second), func() error {
			_, err := w.Call("cloudwatch:PutMetricData", fmt.Appendf(nil, `{"Namespace":"App","MetricData":[{"MetricName":%q,"Value":%g}]}`, metric, v))
			return err
		})
		require.NoError(f.t, err)
	}
}

// putAlarm creates a metric alarm from its JSON.
func (f *fleet) putAlarm(doc string) {
	f.t.Helper()
	_, err := f.w.Call("cloudwatch:PutMetricAlarm", []byte(doc))
	require.NoError(f.t, err)
}

// stepPolicy puts a step scaling policy on web and returns its ARN.
func (f *fleet) stepPolicy(name, steps string) string {
	f.t.Helper()
	res, err := f.w.Call("application-autoscaling:PutScalingPolicy", []byte(`{"PolicyName":"`+name+`","ServiceNamespace":"ecs","ResourceId":"`+webResource+`","ScalableDimension":"ecs:service:DesiredCount",
		"PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"ChangeInCapacity","Cooldown":120,"StepAdjustments":`+steps+`}}`))
	require.NoError(f.t, err)
	var o autoscaling.PutScalingPolicyOutput
	require.NoError(f.t, json.Unmarshal(res, &o))
	return o.PolicyARN
}

func (f *fleet) registerTarget(minCap, maxCap int) {
	f.t.Helper()
	_, err := f.w.Call("application-autoscaling:RegisterScalableTarget", fmt.Appendf(nil,
		`{"ServiceNamespace":"ecs","ResourceId":%q,"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":%d,"MaxCapacity":%d}`, webResource, minCap, maxCap))
	require.NoError(f.t, err)
}

// alarmStates lists each alarm's state changes from the trace as
// "m:ss STATE", minutes from the start.
func alarmStates(f *fleet) map[string][]string {
	start := sim.FromTime(f.w.Start())
	out := map[string][]string{}
	for _, r := range f.w.Trace().Records() {
		if d, ok := r.Detail.(cloudwatch.AlarmStateChange); ok {
			el := r.Time.Sub(start)
			out[d.AlarmName] = append(out[d.AlarmName], fmt.Sprintf("%d:%02d %s", int(el.Minutes()), int(el.Seconds())%60, d.State.Value))
		}
	}
	return out
}

// groupChanges lists the Auto Scaling group's desired capacity changes as
// "m:ss from->to", minutes from the start.
func groupChanges(f *fleet) []string {
	start := sim.FromTime(f.w.Start())
	var out []string
	for _, r := range f.w.Trace().Records() {
		if d, ok := r.Detail.(ecs.AutoScalingActivity); ok {
			el := r.Time.Sub(start)
			out = append(out, fmt.Sprintf("%d:%02d %d->%d", int(el.Minutes()), int(el.Seconds())%60, d.From, d.To))
		}
	}
	return out
}

func init() {
	scenarios = append(scenarios,
		scenario{
			// Step scaling out in two steps and back in, on a backlog
			// published with PutMetricData.
			name: "step-scaling-out-in",
			run: func(f *fleet, run func(time.Duration)) {
				f.register("web", "nginx:1.25", false)
				f.createService("web", "web", 2, 200, 100, nil)
				f.registerTarget(1, 10)
				// +1 for a backlog up to 50 above 100, +3 beyond; -1 below 20.
				out := f.stepPolicy("out", `[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":50,"ScalingAdjustment":1},{"MetricIntervalLowerBound":50,"ScalingAdjustment":3}]`)
				in := f.stepPolicy("in", `[{"MetricIntervalUpperBound":0,"ScalingAdjustment":-1}]`)
				f.putAlarm(`{"AlarmName":"backlog-high","Namespace":"App","MetricName":"Backlog","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":100,"ComparisonOperator":"GreaterThanThreshold","AlarmActions":["` + out + `"]}`)
				f.putAlarm(`{"AlarmName":"backlog-low","Namespace":"App","MetricName":"Backlog","Statistic":"Average","Period":60,"EvaluationPeriods":2,"Threshold":20,"ComparisonOperator":"LessThanThreshold","AlarmActions":["` + in + `"]}`)
				f.publish("Backlog", 60, 60, 120, 120, 200, 200, 200, 200, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)
				run(20 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				// Timing: the sample of minute k (sent k:30) is judged at
				// (k+1):00, and the action runs in that evaluation.
				require.Equal(t, []string{
					"03:00 2->3 backlog-high", // minute 2's 120 is 20 over 100: the first step, +1
					// 04:00: 120 again, within the 120 s cooldown: +1 from 2 is no more than 3.
					"05:00 3->6 backlog-high", // minute 4's 200 is 100 over: the second step, +3, the cooldown over
					// 06:00 within the cooldown: +3 from 3 is no more than 6.
					"07:00 6->9 backlog-high", // still 200 and in ALARM: +3 again
					// minutes 8 and 9 are below 20: the 2-of-2 alarm fires at 10:00.
					"10:00 9->8 backlog-low",
					"12:00 8->7 backlog-low", // then once per 120 s cooldown while in ALARM
					"14:00 7->6 backlog-low",
					"16:00 6->5 backlog-low",
					"18:00 5->4 backlog-low",
					"20:00 4->3 backlog-low",
				}, activities(f.w))
				require.Equal(t, []string{"1:00 OK", "3:00 ALARM", "9:00 OK"}, alarmStates(f)["backlog-high"])
				require.Equal(t, []string{"1:00 OK", "10:00 ALARM"}, alarmStates(f)["backlog-low"])
				require.Equal(t, int32(3), f.service("web").DesiredCount)
			},
		},
		scenario{
			// TreatMissingData each way: four alarms on one metric that
			// breaches for six minutes and then stops being published.
			name: "treat-missing-data",
			run: func(f *fleet, run func(time.Duration)) {
				f.register("web", "nginx:1.25", false)
				f.createService("web", "web", 1, 200, 100, nil)
				for _, treat := range []string{"missing", "ignore", "breaching", "notBreaching"} {
					f.putAlarm(`{"AlarmName":"heartbeat-` + treat + `","Namespace":"App","MetricName":"Latency","Statistic":"Average","Period":60,"EvaluationPeriods":3,"DatapointsToAlarm":3,"Threshold":100,"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":"` + treat + `"}`)
				}
				f.publish("Latency", 150, 150, 150, 150, 150, 150) // minutes 0-5, then nothing
				run(14 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				// N = M = 3, evaluation range 5 minutes (N + 2). At T:00 the
				// range is minutes T-5 … T-1; minute k's sample is in it from
				// (k+1):00 to (k+5):00.
				//  1:00, 2:00: 1 and 2 real breaching datapoints, fewer than 3.
				//   breaching fills the rest as breaching: ALARM at once;
				//   missing: the oldest breaching one is under 3 periods old,
				//   no ALARM yet (premature-alarm rule), OK; notBreaching: OK;
				//   ignore keeps INSUFFICIENT_DATA.
				//  3:00-8:00: 3 or more real datapoints, all breaching: ALARM
				//   whatever TreatMissingData says.
				//  9:00: only minutes 4 and 5 left: notBreaching fills one good
				//   datapoint, 2 of 3 breaching: OK. missing: the oldest real
				//   one is 5 periods old and every newer one breaching or
				//   missing: ALARM stays (the guide's note on alarms that keep
				//   re-evaluating the last datapoints after a metric stops).
				//  11:00: no real datapoint in the range: missing goes to
				//   INSUFFICIENT_DATA, ignore keeps ALARM, breaching stays ALARM,
				//   notBreaching stays OK.
				require.Equal(t, map[string][]string{
					"heartbeat-missing":      {"1:00 OK", "3:00 ALARM", "11:00 INSUFFICIENT_DATA"},
					"heartbeat-ignore":       {"3:00 ALARM"},
					"heartbeat-breaching":    {"1:00 ALARM"},
					"heartbeat-notBreaching": {"1:00 OK", "3:00 ALARM", "9:00 OK"},
				}, alarmStates(f))
				out, err := f.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: strPtr("heartbeat-")})
				require.NoError(t, err)
				got := map[string]string{}
				for _, a := range out.MetricAlarms {
					got[strings.TrimPrefix(a.AlarmName, "heartbeat-")] = a.StateValue
				}
				// The documented end states once every datapoint is gone.
				// [CW:alarms-and-missing-data]
				require.Equal(t, map[string]string{"missing": "INSUFFICIENT_DATA", "ignore": "ALARM", "breaching": "ALARM", "notBreaching": "OK"}, got)
			},
		},
		scenario{
			// Managed scaling from zero: ten 2 GiB tasks need four m5.large
			// instances; the group goes to two first, then to four after
			// the instance warm-up, and back in one step a minute.
			name: "managed-scaling-from-zero",
			run: func(f *fleet, run func(time.Duration)) {
				c := f.w.ECS()
				asg, err := c.CreateAutoScalingGroup(&ecs.CreateAutoScalingGroupInput{AutoScalingGroupName: strPtr("web-asg"), Cluster: strPtr("demo"),
					InstanceType: strPtr("m5.large"), MinSize: i32Ptr(0), MaxSize: i32Ptr(10), DesiredCapacity: i32Ptr(0)})
				require.NoError(f.t, err)
				_, err = c.CreateCapacityProvider(&ecs.CreateCapacityProviderInput{Name: strPtr("web-cp"), AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{
					AutoScalingGroupArn:          &asg.AutoScalingGroupArn,
					ManagedScaling:               &ecs.ManagedScaling{Status: strPtr("ENABLED"), TargetCapacity: i32Ptr(100)}, // warm-up 300 s by default
					ManagedTerminationProtection: strPtr("ENABLED"),
				}})
				require.NoError(f.t, err)
				_, err = c.PutClusterCapacityProviders(&ecs.PutClusterCapacityProvidersInput{Cluster: strPtr("demo"), CapacityProviders: []string{"web-cp"},
					DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: strPtr("web-cp"), Weight: i32Ptr(1)}}})
				require.NoError(f.t, err)
				_, err = f.w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"web","requiresCompatibilities":["EC2"],
					"containerDefinitions":[{"name":"app","image":"app:1","cpu":512,"memoryReservation":2048}]}`))
				require.NoError(f.t, err)
				_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: strPtr("demo"), ServiceName: strPtr("web"), TaskDefinition: strPtr("web"),
					DesiredCount: i32Ptr(10), PlacementStrategy: []ecs.PlacementStrategy{strategy("binpack", "memory")}})
				require.NoError(f.t, err)
				run(30 * time.Minute)
				f.scale("web", 1)
				run(25 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				// 0:00 ten tasks wait for capacity with no instance: the
				// minute 0:00-0:01 has CapacityProviderReservation 200,
				// visible at 0:02, when AlarmHigh (1 of 1 above 100) fires:
				// two instances, not the four the tasks need.
				// 0:03 and on: the stale 200s keep AlarmHigh in ALARM, but
				// the warm-up (300 s from 0:02) holds the next step until
				// 0:07, when the group grows to the 4 instances N needs.
				// 0:30 the service drops to one task: three instances are
				// empty, the reservation 25. Minutes 0:30 … 0:44 are 15
				// datapoints below 100; the last is visible at 0:46, when
				// AlarmLow fires, and the group shrinks by one instance a
				// minute (at least one, fewer than half) to the one it needs.
				require.Equal(t, []string{"2:00 0->2", "7:00 2->4", "46:00 4->3", "47:00 3->2", "48:00 2->1"}, groupChanges(f))
				var high, low []string
				for name, s := range alarmStates(f) {
					switch {
					case strings.Contains(name, "-AlarmHigh-"):
						high = s
					case strings.Contains(name, "-AlarmLow-"):
						low = s
					}
				}
				// AlarmHigh is OK from 0:09: the minute 0:06-0:07 ended with
				// two instances for four needed (200, visible at 0:08, when
				// the action finds nothing more to do: four are on their
				// way); 0:07-0:08 is the first at 100, visible at 0:09.
				require.Equal(t, []string{"2:00 ALARM", "9:00 OK"}, high)
				// AlarmLow is OK from 0:50: the minute 0:48-0:49 is the
				// first to end with one instance for one needed (100).
				require.Equal(t, []string{"2:00 OK", "46:00 ALARM", "50:00 OK"}, low)
				require.Equal(t, int32(1), f.service("web").RunningCount)
				require.Equal(t, 1, f.groupSize())
			},
		},
	)
}

func strPtr(s string) *string { return &s }
func i32Ptr(n int32) *int32   { return &n }
