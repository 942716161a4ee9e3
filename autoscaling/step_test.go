package autoscaling

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// fakeService is one ECS service as Resources: a capacity and a flag for
// a deployment in progress.
type fakeService struct {
	capacity  int
	deploying bool
}

func (f *fakeService) ScalableCapacity(string) (int, bool)       { return f.capacity, true }
func (f *fakeService) SetScalableCapacity(_ string, n int) error { f.capacity = n; return nil }
func (f *fakeService) ScalableDeploying(string) bool             { return f.deploying }
func (f *fakeService) ScalableMetric(string, string) (float64, bool) {
	return 0, false
}

func TestStepScalingExecution(t *testing.T) {
	lo, hi := func(v float64) *float64 { return &v }, func(v float64) *float64 { return &v }
	type call struct {
		after     time.Duration
		value     float64
		valid     bool
		deploying bool
		want      int
	}
	tests := []struct {
		name      string
		adjType   string
		steps     []StepAdjustmentJSON
		magnitude *int32
		suspended SuspendedState
		start     int
		calls     []call
	}{
		{"percent with minimum magnitude", PercentChangeInCapacity, []StepAdjustmentJSON{{MetricIntervalLowerBound: lo(0), ScalingAdjustment: api.Int32(25)}}, api.Int32(2), SuspendedState{}, 4,
			[]call{{0, 110, true, false, 6}}}, // 25% of 4 is 1, at least 2
		{"exact capacity", ExactCapacity, []StepAdjustmentJSON{{MetricIntervalLowerBound: lo(0), ScalingAdjustment: api.Int32(7)}}, nil, SuspendedState{}, 2,
			[]call{{0, 110, true, false, 7}}},
		{"no step for the value", ChangeInCapacity, []StepAdjustmentJSON{{MetricIntervalLowerBound: lo(10), ScalingAdjustment: api.Int32(1)}}, nil, SuspendedState{}, 2,
			[]call{{0, 105, true, false, 2}}}, // 5 over, the only step starts at 10
		{"no datapoint", ChangeInCapacity, []StepAdjustmentJSON{{MetricIntervalLowerBound: lo(0), ScalingAdjustment: api.Int32(1)}}, nil, SuspendedState{}, 2,
			[]call{{0, 0, false, false, 2}}},
		{"scale-out suspended", ChangeInCapacity, []StepAdjustmentJSON{{MetricIntervalLowerBound: lo(0), ScalingAdjustment: api.Int32(1)}}, nil, SuspendedState{DynamicScalingOutSuspended: api.Bool(true)}, 2,
			[]call{{0, 110, true, false, 2}}},
		{"no scale-in while deploying", ChangeInCapacity, []StepAdjustmentJSON{{MetricIntervalUpperBound: hi(0), ScalingAdjustment: api.Int32(-1)}}, nil, SuspendedState{}, 5,
			[]call{{0, 90, true, true, 5}, {time.Minute, 90, true, false, 4}}},
		{"scale-out ends the scale-in cooldown", ChangeInCapacity, []StepAdjustmentJSON{{MetricIntervalUpperBound: hi(0), ScalingAdjustment: api.Int32(-1)}, {MetricIntervalLowerBound: lo(0), ScalingAdjustment: api.Int32(2)}}, nil, SuspendedState{}, 5,
			[]call{{0, 90, true, false, 4}, {time.Minute, 110, true, false, 6}, {time.Minute, 90, true, false, 5}}},
		{"scale-in cooldown", ChangeInCapacity, []StepAdjustmentJSON{{MetricIntervalUpperBound: hi(0), ScalingAdjustment: api.Int32(-1)}}, nil, SuspendedState{}, 5,
			[]call{{0, 90, true, false, 4}, {299 * time.Second, 90, true, false, 4}, {time.Second, 90, true, false, 3}}},
		{"clamped to max", ChangeInCapacity, []StepAdjustmentJSON{{MetricIntervalLowerBound: lo(0), ScalingAdjustment: api.Int32(50)}}, nil, SuspendedState{}, 2,
			[]call{{0, 110, true, false, 10}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eng := sim.New(1, 0)
			svc := &fakeService{capacity: tc.start}
			a := New(eng, Config{Region: "us-east-1", AccountID: "123456789012"}, svc)
			_, err := a.RegisterScalableTarget(&RegisterScalableTargetInput{ServiceNamespace: api.String("ecs"), ResourceId: api.String("service/c/s"),
				ScalableDimension: api.String(DimensionECS), MinCapacity: api.Int32(1), MaxCapacity: api.Int32(10), SuspendedState: &tc.suspended})
			require.NoError(t, err)
			out, err := a.PutScalingPolicy(&PutScalingPolicyInput{PolicyName: api.String("p"), ServiceNamespace: api.String("ecs"), ResourceId: api.String("service/c/s"),
				ScalableDimension: api.String(DimensionECS), PolicyType: api.String("StepScaling"),
				StepScalingPolicyConfiguration: &StepScalingPolicyConfiguration{AdjustmentType: &tc.adjType, StepAdjustments: tc.steps, MinAdjustmentMagnitude: tc.magnitude}})
			require.NoError(t, err)
			for i, cl := range tc.calls {
				require.NoError(t, eng.RunFor(cl.after))
				svc.deploying = cl.deploying
				a.AlarmAction(out.PolicyARN, "alarm", "ALARM", cl.value, 100, cl.valid)
				require.Equal(t, cl.want, svc.capacity, "call %d", i)
			}
			a.AlarmAction("arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:nope", "alarm", "ALARM", 200, 100, true)
		})
	}
}

// TestAlarmActionFollowsPolicies checks that an alarm's action reaches
// its policy only while the policy and its target exist, whatever the
// action found at earlier calls.
func TestAlarmActionFollowsPolicies(t *testing.T) {
	eng := sim.New(1, 0)
	svc := &fakeService{capacity: 2}
	a := New(eng, Config{Region: "us-east-1", AccountID: "123456789012"}, svc)
	register := func() {
		_, err := a.RegisterScalableTarget(&RegisterScalableTargetInput{ServiceNamespace: api.String("ecs"), ResourceId: api.String("service/c/s"),
			ScalableDimension: api.String(DimensionECS), MinCapacity: api.Int32(1), MaxCapacity: api.Int32(10)})
		require.NoError(t, err)
	}
	put := func() string {
		out, err := a.PutScalingPolicy(&PutScalingPolicyInput{PolicyName: api.String("p"), ServiceNamespace: api.String("ecs"), ResourceId: api.String("service/c/s"),
			ScalableDimension: api.String(DimensionECS), PolicyType: api.String("StepScaling"),
			StepScalingPolicyConfiguration: &StepScalingPolicyConfiguration{AdjustmentType: api.String(ChangeInCapacity), Cooldown: api.Int32(0),
				StepAdjustments: []StepAdjustmentJSON{{MetricIntervalLowerBound: new(float64), ScalingAdjustment: api.Int32(1)}}}})
		require.NoError(t, err)
		return out.PolicyARN
	}
	fire := func(arn string, want int) {
		t.Helper()
		require.NoError(t, eng.RunFor(time.Minute))
		a.AlarmAction(arn, "alarm", "ALARM", 110, 100, true)
		require.Equal(t, want, svc.capacity)
	}
	register()
	arn := put()
	fire(arn, 3)
	fire(arn, 4)
	_, err := a.DeleteScalingPolicy(&DeleteScalingPolicyInput{PolicyName: api.String("p"), ServiceNamespace: api.String("ecs"), ResourceId: api.String("service/c/s"), ScalableDimension: api.String(DimensionECS)})
	require.NoError(t, err)
	fire(arn, 4) // deleted
	arn2 := put()
	fire(arn2, 5)
	require.NotEqual(t, arn, arn2)
	fire(arn, 5) // the deleted policy's ARN
	_, err = a.DeregisterScalableTarget(&DeregisterScalableTargetInput{ServiceNamespace: api.String("ecs"), ResourceId: api.String("service/c/s"), ScalableDimension: api.String(DimensionECS)})
	require.NoError(t, err)
	fire(arn2, 5) // deregistered
	register()
	fire(arn2, 5) // registered again, without the policy
}
