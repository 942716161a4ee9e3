package elb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// trafficALB is a load balancer whose listener forwards to groups a and b
// by weight, each checked every 5 s and healthy after 2 passes.
type trafficALB struct {
	listener, lb string
	groups       []string
}

func (f *fixture) trafficALB(t *testing.T, weights ...int32) trafficALB {
	t.Helper()
	lb, err := f.c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}})
	require.NoError(t, err)
	x := trafficALB{lb: lb.LoadBalancers[0].LoadBalancerArn}
	var tuples []elb.TargetGroupTuple
	for i, w := range weights {
		out, err := f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String(fmt.Sprintf("tg-%c", 'a'+i)), Protocol: api.String("HTTP"), Port: api.Int32(80),
			VpcId: api.String("vpc-00000001"), TargetType: api.String("ip"), HealthCheckIntervalSeconds: api.Int32(5), HealthCheckTimeoutSeconds: api.Int32(2), HealthyThresholdCount: api.Int32(2),
			UnhealthyThresholdCount: api.Int32(2)})
		require.NoError(t, err)
		x.groups = append(x.groups, out.TargetGroups[0].TargetGroupArn)
		tuples = append(tuples, elb.TargetGroupTuple{TargetGroupArn: &x.groups[i], Weight: api.Int32(w)})
	}
	ls, err := f.c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &x.lb, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), ForwardConfig: &elb.ForwardActionConfig{TargetGroups: tuples}}}})
	require.NoError(t, err)
	x.listener = ls.Listeners[0].ListenerArn
	_, err = f.c.SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: &x.listener,
		Traffic: &workload.Traffic{Shape: workload.Constant(600), CPUPerRequest: 10 * time.Millisecond}})
	require.NoError(t, err)
	return x
}

func (f *fixture) attr(t *testing.T, tg, key, value string) {
	t.Helper()
	_, err := f.c.ModifyTargetGroupAttributes(&elb.ModifyTargetGroupAttributesInput{TargetGroupArn: &tg,
		Attributes: []elb.TargetGroupAttribute{{Key: &key, Value: &value}}})
	require.NoError(t, err)
}

func (f *fixture) register(t *testing.T, tg string, ips ...string) {
	t.Helper()
	var ds []elb.TargetDescription
	for _, ip := range ips {
		ds = append(ds, elb.TargetDescription{Id: api.String(ip)})
	}
	_, err := f.c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: ds})
	require.NoError(t, err)
}

// shares returns each target's requests per second, by group and IP.
func shares(t *testing.T, m *elb.ELB) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, lt := range m.Traffic() {
		for _, g := range lt.Groups {
			for _, x := range g.Targets {
				out[g.Dimension[12:16]+" "+x.ID] = x.RPS
			}
		}
	}
	return out
}

// TestTrafficShares: requests split across groups by forward weight and
// within a group by its algorithm.
func TestTrafficShares(t *testing.T) {
	ips := []string{"172.31.0.10", "172.31.0.11", "172.31.0.12"}
	latency := map[string]time.Duration{ips[0]: 10 * time.Millisecond, ips[1]: 20 * time.Millisecond, ips[2]: 40 * time.Millisecond}
	for _, tc := range []struct {
		name      string
		weights   []int32
		algorithm string
		want      map[string]float64
	}{
		{"round robin", []int32{1}, "round_robin", map[string]float64{"tg-a 172.31.0.10": 200, "tg-a 172.31.0.11": 200, "tg-a 172.31.0.12": 200}},
		{"weighted random is its expectation", []int32{1}, "weighted_random", map[string]float64{"tg-a 172.31.0.10": 200, "tg-a 172.31.0.11": 200, "tg-a 172.31.0.12": 200}},
		// weights 1/10ms : 1/20ms : 1/40ms = 4 : 2 : 1
		{"least outstanding requests", []int32{1}, "least_outstanding_requests", map[string]float64{"tg-a 172.31.0.10": 600 * 4 / 7., "tg-a 172.31.0.11": 600 * 2 / 7., "tg-a 172.31.0.12": 600 / 7.}},
		{"forward weights 80/20", []int32{80, 20}, "round_robin", map[string]float64{
			"tg-a 172.31.0.10": 160, "tg-a 172.31.0.11": 160, "tg-a 172.31.0.12": 160,
			"tg-b 172.31.0.10": 40, "tg-b 172.31.0.11": 40, "tg-b 172.31.0.12": 40}},
		{"weight 0 gets nothing", []int32{0, 5}, "round_robin", map[string]float64{
			"tg-a 172.31.0.10": 0, "tg-a 172.31.0.11": 0, "tg-a 172.31.0.12": 0,
			"tg-b 172.31.0.10": 200, "tg-b 172.31.0.11": 200, "tg-b 172.31.0.12": 200}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, false)
			for ip, l := range latency {
				f.backend.scripts[ip] = []step{{from: 0, status: 200, latency: l}}
			}
			x := f.trafficALB(t, tc.weights...)
			for _, tg := range x.groups {
				f.attr(t, tg, elb.AttrAlgorithm, tc.algorithm)
				f.register(t, tg, ips...)
			}
			f.run(t, 5*time.Minute)
			got := shares(t, f.m)
			require.Len(t, got, len(tc.want))
			for k, v := range tc.want {
				require.InDelta(t, v, got[k], 1e-9, k)
			}
			lts := f.m.Traffic()
			require.Len(t, lts, 1)
			sum := 0.0
			for _, g := range lts[0].Groups {
				sum += g.Requests
			}
			require.InDelta(t, lts[0].Requests, sum, 1e-9, "the groups' requests add up to the listener's")
			require.Zero(t, lts[0].ELB5XX)
		})
	}
}

// TestTrafficOnlyToHealthyTargets: initial, unhealthy and draining
// targets get nothing while another is healthy; with every target
// unhealthy the group fails open; with none healthy or unhealthy the load
// balancer answers 503.
func TestTrafficOnlyToHealthyTargets(t *testing.T) {
	f := newFixture(t, false)
	f.backend.scripts["172.31.0.11"] = []step{{from: 0, status: 500}}
	x := f.trafficALB(t, 1)
	tg := x.groups[0]
	f.attr(t, tg, elb.AttrDeregistrationDelay, "120")
	f.run(t, 3*time.Minute) // the load balancer is active
	lt := f.m.Traffic()[0]
	require.Equal(t, 600.0, lt.Requests)
	require.Equal(t, 600.0, lt.ELB5XX, "no target: 503")

	f.register(t, tg, "172.31.0.10", "172.31.0.11")
	lt = f.m.Traffic()[0]
	require.Equal(t, 600.0, lt.ELB5XX, "initial targets get nothing")

	f.run(t, time.Minute)
	require.Equal(t, map[string]float64{"tg-a 172.31.0.10": 600, "tg-a 172.31.0.11": 0}, shares(t, f.m), "the unhealthy target gets nothing")

	f.register(t, tg, "172.31.0.12")
	_, err := f.c.DeregisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("172.31.0.10")}}})
	require.NoError(t, err)
	lt = f.m.Traffic()[0]
	require.Equal(t, "draining", lt.Groups[0].Targets[0].State)
	require.True(t, lt.Groups[0].FailOpen, "only an unhealthy target beside draining and initial ones")
	require.Equal(t, map[string]float64{"tg-a 172.31.0.10": 0, "tg-a 172.31.0.11": 600, "tg-a 172.31.0.12": 0}, shares(t, f.m))
	require.Equal(t, 600.0, lt.Target5XX, "the unhealthy target answers 500")

	f.run(t, time.Minute)
	lt = f.m.Traffic()[0]
	require.False(t, lt.Groups[0].FailOpen)
	require.Equal(t, map[string]float64{"tg-a 172.31.0.10": 0, "tg-a 172.31.0.11": 0, "tg-a 172.31.0.12": 600}, shares(t, f.m))
	require.Equal(t, 1, lt.Groups[0].Healthy)
	require.Equal(t, 1, lt.Groups[0].Unhealthy)
}

// TestTrafficSlowStart: a new target's share ramps linearly over the slow
// start duration, beside a target out of slow start.
func TestTrafficSlowStart(t *testing.T) {
	f := newFixture(t, false)
	x := f.trafficALB(t, 1)
	tg := x.groups[0]
	f.attr(t, tg, elb.AttrSlowStart, "60")
	f.register(t, tg, "172.31.0.10")
	f.run(t, 3*time.Minute)
	require.Equal(t, map[string]float64{"tg-a 172.31.0.10": 600}, shares(t, f.m), "alone, a target is never in slow start")
	f.register(t, tg, "172.31.0.11")
	for f.health(t, tg)[1].TargetHealth.State != "healthy" {
		f.run(t, time.Second) // checks run on whole seconds
	}
	f.run(t, 15*time.Second) // a quarter into a 60 s ramp: a quarter of its fair share
	got := shares(t, f.m)
	require.InDelta(t, 525, got["tg-a 172.31.0.10"], 1e-9)
	require.InDelta(t, 75, got["tg-a 172.31.0.11"], 1e-9)
	f.run(t, 15*time.Second) // halfway
	got = shares(t, f.m)
	require.InDelta(t, 450, got["tg-a 172.31.0.10"], 1e-9)
	require.InDelta(t, 150, got["tg-a 172.31.0.11"], 1e-9)
	f.run(t, time.Minute)
	require.Equal(t, map[string]float64{"tg-a 172.31.0.10": 300, "tg-a 172.31.0.11": 300}, shares(t, f.m))
}

// TestTrafficResponses: a target that refuses the connection is a 502
// from the load balancer; a fixed 503 response is the load balancer's
// 5XX; response time is the request-weighted mean.
func TestTrafficResponses(t *testing.T) {
	f := newFixture(t, false)
	f.backend.scripts["172.31.0.10"] = []step{{from: 0, status: 200, latency: 100 * time.Millisecond}}
	f.backend.scripts["172.31.0.11"] = []step{{from: 0, status: 200, latency: 300 * time.Millisecond}}
	x := f.trafficALB(t, 1)
	f.register(t, x.groups[0], "172.31.0.10", "172.31.0.11")
	f.run(t, 5*time.Minute)
	lt := f.m.Traffic()[0]
	require.InDelta(t, 0.2, lt.ResponseTime, 1e-9)
	require.InDelta(t, 0.2, lt.Groups[0].ResponseTime, 1e-9)
	require.Equal(t, "app/web/", lt.Dimension[:8])
	require.Equal(t, "targetgroup/tg-a/", lt.Groups[0].Dimension[:17])

	_, err := f.c.ModifyListener(&elb.ModifyListenerInput{ListenerArn: &x.listener, DefaultActions: []elb.Action{{Type: api.String("fixed-response"),
		FixedResponseConfig: &elb.FixedResponseActionConfig{StatusCode: api.String("503")}}}})
	require.NoError(t, err)
	lt = f.m.Traffic()[0]
	require.Equal(t, 600.0, lt.ELB5XX)
	require.Zero(t, lt.TargetRequests)
}

// TestTrafficErrorRate: a target answering a share of its requests with
// an error status counts that share of its routed requests as target 5XX
// (or 4XX), while its health checks still pass.
func TestTrafficErrorRate(t *testing.T) {
	f := newFixture(t, false)
	f.backend.scripts["172.31.0.10"] = []step{{from: 0, status: 200, errorRate: 0.2, errorStatus: 500}}
	f.backend.scripts["172.31.0.11"] = []step{{from: 0, status: 200, errorRate: 0.5, errorStatus: 429}}
	f.backend.scripts["172.31.0.12"] = []step{{from: 0, status: 200}}
	x := f.trafficALB(t, 1)
	f.register(t, x.groups[0], "172.31.0.10", "172.31.0.11", "172.31.0.12")
	f.run(t, 5*time.Minute)
	lt := f.m.Traffic()[0]
	g := lt.Groups[0]
	require.Equal(t, 3, g.Healthy, "health checks are not affected")
	require.InDelta(t, 200*0.2, g.Target5XX, 1e-9)
	require.InDelta(t, 200*0.5, g.Target4XX, 1e-9)
	require.InDelta(t, 40, lt.Target5XX, 1e-9)
	require.InDelta(t, 100, lt.Target4XX, 1e-9)
	require.InDelta(t, 600, lt.TargetRequests, 1e-9)
}

func TestSetListenerTrafficErrors(t *testing.T) {
	f := newFixture(t, false)
	x := f.trafficALB(t, 1)
	for _, tc := range []struct {
		name string
		in   elb.SetListenerTrafficInput
		code string
	}{
		{"no listener", elb.SetListenerTrafficInput{Traffic: &workload.Traffic{}}, "ValidationError"},
		{"unknown listener", elb.SetListenerTrafficInput{ListenerArn: api.String(x.listener + "0"), Traffic: &workload.Traffic{}}, "ListenerNotFound"},
		{"no traffic", elb.SetListenerTrafficInput{ListenerArn: &x.listener}, "ValidationError"},
		{"negative cost", elb.SetListenerTrafficInput{ListenerArn: &x.listener, Traffic: &workload.Traffic{CPUPerRequest: -1}}, "ValidationError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.SetListenerTraffic(&tc.in)
			require.Equal(t, tc.code, api.ErrorCode(err), err)
		})
	}
}

// TestSetListenerTrafficNetworkLoadBalancer: only an Application Load
// Balancer's listener takes traffic.
func TestSetListenerTrafficNetworkLoadBalancer(t *testing.T) {
	f := newFixture(t, false)
	lb, err := f.c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("net"), Type: api.String("network"), Subnets: []string{"subnet-aaaa0001"}})
	require.NoError(t, err)
	tg, err := f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("tcp"), Protocol: api.String("TCP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
	require.NoError(t, err)
	ls, err := f.c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("TCP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &tg.TargetGroups[0].TargetGroupArn}}})
	require.NoError(t, err)
	_, err = f.c.SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: &ls.Listeners[0].ListenerArn, Traffic: &workload.Traffic{Shape: workload.Constant(1)}})
	require.Equal(t, "ValidationError", api.ErrorCode(err))
	require.False(t, f.m.HasTraffic())
}
