package elb

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// TestFlowPlanKeptAcrossInstants: a listener whose requests are split by
// a path rule, a fixed 503 and forward weights matches its rules once:
// at later instants its flows are its plan applied to the rate of the
// instant, and a change of forward weights makes a new plan at once.
func TestFlowPlanKeptAcrossInstants(t *testing.T) {
	eng := sim.New(1, sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	m := New(eng, Config{Region: "us-east-1", AccountID: "123456789012"})
	a, b := spreadGroup(t, m, "a", 1), spreadGroup(t, m, "b", 1)
	lb, err := m.CreateLoadBalancer(&CreateLoadBalancerInput{Name: api.String("web"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}})
	require.NoError(t, err)
	out, err := m.CreateListener(&CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []Action{{Type: api.String(ActionForward), ForwardConfig: &ForwardActionConfig{TargetGroups: []TargetGroupTuple{
			{TargetGroupArn: &a.arn, Weight: api.Int32(1)}, {TargetGroupArn: &b.arn, Weight: api.Int32(3)}}}}}})
	require.NoError(t, err)
	lsArn := out.Listeners[0].ListenerArn
	_, err = m.CreateRule(&CreateRuleInput{ListenerArn: &lsArn, Priority: api.Int32(1),
		Conditions: []RuleCondition{{Field: api.String("path-pattern"), Values: []string{"/down/*"}}},
		Actions:    []Action{{Type: api.String(ActionFixedResponse), FixedResponseConfig: &FixedResponseActionConfig{StatusCode: api.String("503")}}}})
	require.NoError(t, err)
	_, err = m.SetListenerTraffic(&SetListenerTrafficInput{ListenerArn: &lsArn, Traffic: &workload.Traffic{Shape: workload.Diurnal(100, 1000, 14*time.Hour)},
		Requests: []RequestClass{{Share: ptr(0.2), Path: api.String("/down/x")}}})
	require.NoError(t, err)
	ls := m.lsByArn[lsArn]

	check := func(at sim.Time, wantA, wantB float64) {
		t.Helper()
		rps, flows, e5 := m.flowsOf(ls, at)
		require.Equal(t, ls.traffic.Shape.Rate(at.Sub(m.start)), rps)
		require.InDelta(t, 0.2*rps, e5, 1e-9, "the fixed 503")
		require.Len(t, flows, 2)
		require.Equal(t, []*targetGroup{a, b}, []*targetGroup{flows[0].tg, flows[1].tg})
		require.InDeltaSlice(t, []float64{wantA * 0.8 * rps, wantB * 0.8 * rps}, []float64{flows[0].rps, flows[1].rps}, 1e-9)
	}
	at := eng.Now()
	check(at, 0.25, 0.75)
	plan := &ls.plan[0]
	check(at.Add(3*time.Hour), 0.25, 0.75)
	require.Same(t, plan, &ls.plan[0], "the plan is kept while nothing changes")
	require.NotEqual(t, ls.flowsRPS, ls.traffic.Shape.Rate(0), "the rate moved")

	require.NoError(t, m.SetForwardWeights(lsArn, []TargetGroupTuple{{TargetGroupArn: &a.arn, Weight: api.Int32(1)}, {TargetGroupArn: &b.arn, Weight: api.Int32(1)}}))
	check(at.Add(3*time.Hour), 0.5, 0.5)
}

func ptr[T any](v T) *T { return &v }
