package elb_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// TestTargetRef: a handle on a target answers what TargetHealth and a
// fresh handle on the same target answer, through registration, draining,
// removal and a new registration of the same ID and port.
func TestTargetRef(t *testing.T) {
	f := newFixture(t, false)
	x := f.trafficALB(t, 1)
	tg := x.groups[0]
	f.attr(t, tg, elb.AttrDeregistrationDelay, "30")
	ref := f.m.Ref(tg, "172.31.0.10", 80)
	require.Empty(t, ref.State(), "not registered yet")
	f.register(t, tg, "172.31.0.10", "172.31.0.11")
	same := func() {
		t.Helper()
		state, reason, desc := f.m.TargetHealth(tg, "172.31.0.10", 80)
		require.Equal(t, state, ref.State())
		gs, gr, gd := ref.Health()
		require.Equal(t, []string{state, reason, desc}, []string{gs, gr, gd})
	}
	same()
	require.Equal(t, elb.HealthInitial, ref.State())
	f.run(t, 2*time.Minute)
	same()
	require.Equal(t, elb.HealthHealthy, ref.State())
	require.True(t, f.m.GroupLoads(tg))
	require.Equal(t, f.m.Ref(tg, "172.31.0.10", 80).Load(), ref.Load())
	require.InDelta(t, 300, ref.Load().RPS, 1e-9)

	_, err := f.c.DeregisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("172.31.0.10")}}})
	require.NoError(t, err)
	same()
	require.Equal(t, elb.HealthDraining, ref.State())
	f.m.GroupLoads(tg)
	require.Zero(t, ref.Load().RPS, "a draining target gets no request, at the very instant it starts draining")
	require.Equal(t, f.m.Ref(tg, "172.31.0.10", 80).Load(), ref.Load())
	f.run(t, time.Minute)
	same()
	require.Empty(t, ref.State(), "gone once drained")
	require.Zero(t, ref.Load())

	f.register(t, tg, "172.31.0.10")
	same()
	require.Equal(t, elb.HealthInitial, ref.State(), "registered again: the new registration")
	f.run(t, 2*time.Minute)
	same()
	f.m.GroupLoads(tg)
	require.Equal(t, f.m.Ref(tg, "172.31.0.10", 80).Load(), ref.Load())
	require.InDelta(t, 300, ref.Load().RPS, 1e-9)
}

// TestTrafficSameInstant: changes at the instant the routing was last
// read (attributes, health, a new target) are seen by the next read at
// that instant, by both the traffic summary and the group's loads.
func TestTrafficSameInstant(t *testing.T) {
	f := newFixture(t, false)
	f.backend.scripts["172.31.0.10"] = []step{{from: 0, status: 200, latency: 10 * time.Millisecond}}
	f.backend.scripts["172.31.0.11"] = []step{{from: 0, status: 200, latency: 30 * time.Millisecond}}
	x := f.trafficALB(t, 1)
	tg := x.groups[0]
	f.register(t, tg, "172.31.0.10", "172.31.0.11")
	f.run(t, 2*time.Minute)
	both := func(want map[string]float64) {
		t.Helper()
		got := shares(t, f.m)
		require.Len(t, got, len(want))
		for k, v := range want {
			require.InDelta(t, v, got[k], 1e-9, k)
		}
		require.True(t, f.m.GroupLoads(tg))
		for k, v := range want {
			require.InDelta(t, v, f.m.Ref(tg, k[5:], 80).Load().RPS, 1e-9, k)
		}
	}
	both(map[string]float64{"tg-a 172.31.0.10": 300, "tg-a 172.31.0.11": 300})
	f.attr(t, tg, elb.AttrAlgorithm, "least_outstanding_requests") // 1/10ms : 1/30ms = 3 : 1
	both(map[string]float64{"tg-a 172.31.0.10": 450, "tg-a 172.31.0.11": 150})
	f.register(t, tg, "172.31.0.12")
	both(map[string]float64{"tg-a 172.31.0.10": 450, "tg-a 172.31.0.11": 150, "tg-a 172.31.0.12": 0})
	hosts := func() (healthy, inZones int) {
		g := f.m.Traffic()[0].Groups[0]
		for _, z := range g.Zones {
			inZones += z.Healthy
		}
		return g.Healthy, inZones
	}
	h, z := hosts()
	require.Equal(t, []int{2, 2}, []int{h, z})
	_, err := f.c.DeregisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("172.31.0.10")}}})
	require.NoError(t, err)
	both(map[string]float64{"tg-a 172.31.0.10": 0, "tg-a 172.31.0.11": 600, "tg-a 172.31.0.12": 0})
	h, z = hosts()
	require.Equal(t, []int{1, 1}, []int{h, z}, "a draining target is no healthy host")
}

// TestTrafficSameInstantWeights: forward weights and the listener's
// traffic changed at the instant the routing was last read are seen by
// the next read at that instant.
func TestTrafficSameInstantWeights(t *testing.T) {
	f := newFixture(t, false)
	x := f.trafficALB(t, 1, 1)
	for _, tg := range x.groups {
		f.register(t, tg, "172.31.0.10")
	}
	f.run(t, 2*time.Minute)
	require.Equal(t, map[string]float64{"tg-a 172.31.0.10": 300, "tg-b 172.31.0.10": 300}, shares(t, f.m))
	require.NoError(t, f.m.SetForwardWeights(x.listener, []elb.TargetGroupTuple{{TargetGroupArn: &x.groups[0], Weight: api.Int32(0)}, {TargetGroupArn: &x.groups[1], Weight: api.Int32(1)}}))
	require.Equal(t, map[string]float64{"tg-a 172.31.0.10": 0, "tg-b 172.31.0.10": 600}, shares(t, f.m))
	require.True(t, f.m.GroupLoads(x.groups[1]))
	require.InDelta(t, 600, f.m.Ref(x.groups[1], "172.31.0.10", 80).Load().RPS, 1e-9)
	_, err := f.c.SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: &x.listener, Traffic: &workload.Traffic{Shape: workload.Constant(60)}})
	require.NoError(t, err)
	require.Equal(t, map[string]float64{"tg-a 172.31.0.10": 0, "tg-b 172.31.0.10": 60}, shares(t, f.m))
	f.m.GroupLoads(x.groups[1])
	require.InDelta(t, 60, f.m.Ref(x.groups[1], "172.31.0.10", 80).Load().RPS, 1e-9)
}

// TestRoutingIndexFollowsListeners: which groups a listener forwards to,
// as routing reads it from the load balancers and groups, follows the
// listener's default action as it is modified, and is gone with the
// listener.
func TestRoutingIndexFollowsListeners(t *testing.T) {
	f := newFixture(t, false)
	x := f.trafficALB(t, 1, 0)
	for _, tg := range x.groups {
		f.register(t, tg, "172.31.0.10")
	}
	f.run(t, 2*time.Minute)
	routed := func() (groups []string, loads []bool) {
		t.Helper()
		for _, lt := range f.m.Traffic() {
			for _, g := range lt.Groups {
				groups = append(groups, g.Dimension[12:16])
			}
		}
		for _, tg := range x.groups {
			loads = append(loads, f.m.GroupLoads(tg))
		}
		return groups, loads
	}
	groups, loads := routed()
	require.Equal(t, []string{"tg-a", "tg-b"}, groups, "both named, tg-b with weight 0")
	require.Equal(t, []bool{true, false}, loads)
	forward := func(tgs ...string) {
		t.Helper()
		var tuples []elb.TargetGroupTuple
		for i := range tgs {
			tuples = append(tuples, elb.TargetGroupTuple{TargetGroupArn: &tgs[i]})
		}
		_, err := f.c.ModifyListener(&elb.ModifyListenerInput{ListenerArn: &x.listener, DefaultActions: []elb.Action{{Type: api.String("forward"),
			ForwardConfig: &elb.ForwardActionConfig{TargetGroups: tuples}}}})
		require.NoError(t, err)
	}
	forward(x.groups[1])
	groups, loads = routed()
	require.Equal(t, []string{"tg-b"}, groups)
	require.Equal(t, []bool{false, true}, loads)
	forward(x.groups[0])
	groups, loads = routed()
	require.Equal(t, []string{"tg-a"}, groups)
	require.Equal(t, []bool{true, false}, loads)
	_, err := f.c.DeleteListener(&elb.DeleteListenerInput{ListenerArn: &x.listener})
	require.NoError(t, err)
	groups, loads = routed()
	require.Empty(t, groups)
	require.Equal(t, []bool{false, false}, loads)
}

// TestTargetRefOfRegisteredTarget: the handle on a registered target is
// the one the target keeps (every Ref gives the same), and it follows the
// target's name as any handle does: gone once drained, the new target
// once registered again.
func TestTargetRefOfRegisteredTarget(t *testing.T) {
	f := newFixture(t, false)
	x := f.trafficALB(t, 1)
	tg := x.groups[0]
	f.attr(t, tg, elb.AttrDeregistrationDelay, "30")
	f.register(t, tg, "172.31.0.10", "172.31.0.11")
	f.run(t, 2*time.Minute)
	ref := f.m.Ref(tg, "172.31.0.10", 80)
	require.Same(t, ref, f.m.Ref(tg, "172.31.0.10", 80), "the target's own handle")
	require.NotSame(t, ref, f.m.Ref(tg, "172.31.0.11", 80))
	require.True(t, f.m.GroupLoads(tg))
	require.InDelta(t, 300, ref.Load().RPS, 1e-9)

	_, err := f.c.DeregisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("172.31.0.10")}}})
	require.NoError(t, err)
	f.run(t, time.Minute)
	require.Empty(t, ref.State(), "gone once drained")
	require.Zero(t, ref.Load())
	f.register(t, tg, "172.31.0.10")
	f.run(t, 2*time.Minute)
	require.Equal(t, elb.HealthHealthy, ref.State(), "the new registration")
	require.NotSame(t, ref, f.m.Ref(tg, "172.31.0.10", 80), "the new target keeps its own handle")
	f.m.GroupLoads(tg)
	require.Equal(t, f.m.Ref(tg, "172.31.0.10", 80).Load(), ref.Load())
	require.InDelta(t, 300, ref.Load().RPS, 1e-9)
}
