package ecssim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// TestALBFeedFollowsTheOrder: the ALB feed finds each minute's series at
// the place the load balancer and group held the minute before; when the
// first load balancer is deleted and a listener stops forwarding to its
// first group, the others' datapoints still go to their own series.
func TestALBFeedFollowsTheOrder(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(t, err)
	f := &fleet{t: t, w: w}
	c := w.ELB()
	lbArn := map[string]string{}
	listener := map[string]string{}
	tgArn := map[string]string{}
	for _, name := range []string{"a", "b"} {
		lb, err := c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String(name), Subnets: defaultSubnets})
		require.NoError(t, err)
		lbArn[name] = lb.LoadBalancers[0].LoadBalancerArn
	}
	for _, name := range []string{"a1", "b1", "b2"} {
		tg, err := c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String(name), Protocol: api.String("HTTP"), Port: api.Int32(80),
			VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
		require.NoError(t, err)
		tgArn[name] = tg.TargetGroups[0].TargetGroupArn
	}
	forward := func(weights map[string]int32) []elb.Action {
		var tuples []elb.TargetGroupTuple
		for _, name := range []string{"a1", "b1", "b2"} {
			if w, ok := weights[name]; ok {
				tuples = append(tuples, elb.TargetGroupTuple{TargetGroupArn: api.String(tgArn[name]), Weight: api.Int32(w)})
			}
		}
		return []elb.Action{{Type: api.String("forward"), ForwardConfig: &elb.ForwardActionConfig{TargetGroups: tuples}}}
	}
	for name, weights := range map[string]map[string]int32{"a": {"a1": 1}, "b": {"b1": 1, "b2": 3}} {
		ls, err := c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: api.String(lbArn[name]), Protocol: api.String("HTTP"), Port: api.Int32(80),
			DefaultActions: forward(weights)})
		require.NoError(t, err)
		listener[name] = ls.Listeners[0].ListenerArn
	}
	for name, rps := range map[string]float64{"a": 100, "b": 400} {
		_, err := c.SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: api.String(listener[name]),
			Traffic: &workload.Traffic{Shape: workload.Constant(rps), CPUPerRequest: time.Millisecond}})
		require.NoError(t, err)
	}
	require.NoError(t, w.RunFor(4*time.Minute))
	_, err = c.DeleteLoadBalancer(&elb.DeleteLoadBalancerInput{LoadBalancerArn: api.String(lbArn["a"])})
	require.NoError(t, err)
	_, err = c.ModifyListener(&elb.ModifyListenerInput{ListenerArn: api.String(listener["b"]), DefaultActions: forward(map[string]int32{"b2": 1})})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(4*time.Minute))

	dim := func(lb, tg string) []string {
		_, d, _ := strings.Cut(lbArn[lb], ":loadbalancer/")
		if tg == "" {
			return []string{"LoadBalancer", d}
		}
		return []string{"LoadBalancer", d, "TargetGroup", tgArn[tg][strings.LastIndexByte(tgArn[tg], ':')+1:]}
	}
	at := func(lb, tg string) string {
		s := sums(t, f, "RequestCount", "Sum", dim(lb, tg)...)
		var out []string
		for _, m := range []string{" 2m0s=", " 6m0s="} {
			if i := strings.Index(s, m); i >= 0 {
				v, _, _ := strings.Cut(s[i+1:], " ")
				out = append(out, v)
			}
		}
		return strings.Join(out, " ")
	}
	require.Equal(t, "2m0s=6000", at("a", ""))
	require.Equal(t, "2m0s=6000", at("a", "a1"))
	require.Equal(t, "2m0s=24000 6m0s=24000", at("b", ""))
	require.Equal(t, "2m0s=6000", at("b", "b1"))
	require.Equal(t, "2m0s=18000 6m0s=24000", at("b", "b2"))
}
