package elb_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// ruleALB is trafficALB with four groups (a: the default action) and
// rules forwarding to b, c and d under the given conditions, by
// priority; every group has one healthy target.
func ruleALB(t *testing.T, f *fixture, rules map[int32][]elb.RuleCondition) trafficALB {
	t.Helper()
	x := f.trafficALB(t, 1)
	for i := 1; i < 4; i++ {
		out, err := f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("tg-" + string(rune('a'+i))), Protocol: api.String("HTTP"), Port: api.Int32(80),
			VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
		require.NoError(t, err)
		x.groups = append(x.groups, out.TargetGroups[0].TargetGroupArn)
	}
	i := 1
	for _, prio := range []int32{5, 10, 20} {
		cs, ok := rules[prio]
		if !ok {
			continue
		}
		_, err := f.c.CreateRule(&elb.CreateRuleInput{ListenerArn: &x.listener, Priority: api.Int32(prio), Conditions: cs,
			Actions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &x.groups[i]}}})
		require.NoError(t, err)
		i++
	}
	for _, tg := range x.groups {
		f.register(t, tg, "172.31.0.10")
	}
	f.run(t, 2*time.Minute)
	return x
}

// groupRequests returns the requests per second each group receives, by
// the group's name (tg-a ...).
func groupRequests(t *testing.T, m *elb.ELB) map[string]float64 {
	out := map[string]float64{}
	lts := m.Traffic()
	require.Len(t, lts, 1)
	sum := 0.0
	for _, g := range lts[0].Groups {
		out[g.Dimension[12:16]] = g.Requests
		sum += g.Requests
	}
	require.InDelta(t, lts[0].Requests, sum+lts[0].ELB5XX, 1e-9, "the groups' requests add up to the listener's")
	return out
}

func cond(field string, values ...string) elb.RuleCondition {
	return elb.RuleCondition{Field: &field, Values: values}
}

// TestListenerRulesRouteRequestClasses: the listener's 600 requests per
// second are split into classes; each goes to the first rule by priority
// whose conditions all match, the rest to the default action. Without
// classes, only rules that match GET / to the load balancer's DNS name get
// requests.
func TestListenerRulesRouteRequestClasses(t *testing.T) {
	rules := map[int32][]elb.RuleCondition{
		5:  {{Field: api.String("http-header"), HttpHeaderConfig: &elb.HttpHeaderConditionConfig{HttpHeaderName: api.String("X-Canary"), Values: []string{"yes"}}}},
		10: {cond("path-pattern", "/api/*")},
		20: {{Field: api.String("host-header"), HostHeaderConfig: &elb.ConditionValues{Values: []string{"admin.*.com"}}}},
	}
	set := func(t *testing.T, f *fixture, x trafficALB, requests string) error {
		var rs []elb.RequestClass
		require.NoError(t, json.Unmarshal([]byte(requests), &rs))
		_, err := f.c.SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: &x.listener,
			Traffic: &workload.Traffic{Shape: workload.Constant(600)}, Requests: rs})
		return err
	}
	for _, tc := range []struct {
		name, requests string
		want           map[string]float64
	}{
		{"no classes: every request is GET /", `[]`, map[string]float64{"tg-a": 600, "tg-b": 0, "tg-c": 0, "tg-d": 0}},
		{"a path class", `[{"share":0.5,"path":"/api/users"}]`, map[string]float64{"tg-a": 300, "tg-c": 300, "tg-b": 0, "tg-d": 0}},
		{"priority decides between two matching rules", `[{"share":0.25,"path":"/api/x","host":"admin.example.com"},{"share":0.25,"host":"ADMIN.example.COM"}]`,
			map[string]float64{"tg-a": 300, "tg-c": 150, "tg-d": 150, "tg-b": 0}},
		{"header names and values are case-insensitive, the path is not", `[{"share":0.1,"path":"/api/x","headers":{"x-canary":"YES"}},{"share":0.2,"path":"/API/x"}]`,
			map[string]float64{"tg-a": 540, "tg-b": 60, "tg-c": 0, "tg-d": 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, false)
			x := ruleALB(t, f, rules)
			require.NoError(t, set(t, f, x, tc.requests))
			got := groupRequests(t, f.m)
			for k, v := range tc.want {
				require.InDelta(t, v, got[k], 1e-9, k)
			}
		})
	}

	t.Run("bad classes change nothing", func(t *testing.T) {
		f := newFixture(t, false)
		x := ruleALB(t, f, rules)
		require.NoError(t, set(t, f, x, `[{"share":0.5,"path":"/api/users"}]`))
		for _, bad := range []string{
			`[{"share":0.7,"path":"/api"},{"share":0.4}]`,
			`[{"share":0}]`, `[{}]`, `[{"share":0.5,"path":"api"}]`, `[{"share":0.5,"sourceIp":"10.0.0"}]`,
			`[{"share":0.5,"host":""}]`, `[{"share":0.5,"method":""}]`, `[{"share":0.5,"headers":{"":"x"}}]`,
		} {
			err := set(t, f, x, bad)
			var ae *api.Error
			require.ErrorAs(t, err, &ae, bad)
			require.Equal(t, "ValidationError", ae.Code, bad)
			require.InDelta(t, 300, groupRequests(t, f.m)["tg-c"], 1e-9, "the traffic is unchanged")
		}
	})
}

// TestRuleConditionTypes: each condition type matches as the Application
// Load Balancer guide describes; a rule's conditions must all match.
func TestRuleConditionTypes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cs      []elb.RuleCondition
		request string
		match   bool
	}{
		{"path ? is one character", []elb.RuleCondition{cond("path-pattern", "/v?/*")}, `{"path":"/v1/users"}`, true},
		{"path ? is not two", []elb.RuleCondition{cond("path-pattern", "/v?/*")}, `{"path":"/v10/users"}`, false},
		{"path is case-sensitive", []elb.RuleCondition{cond("path-pattern", "/img/*")}, `{"path":"/IMG/a.png"}`, false},
		{"any value matches", []elb.RuleCondition{cond("path-pattern", "/a", "/b")}, `{"path":"/b"}`, true},
		{"host defaults to the DNS name", []elb.RuleCondition{cond("host-header", "web-*.elb.amazonaws.com")}, `{}`, true},
		{"method is exact", []elb.RuleCondition{{Field: api.String("http-request-method"), HttpRequestMethodConfig: &elb.ConditionValues{Values: []string{"POST"}}}}, `{"method":"post"}`, false},
		{"method", []elb.RuleCondition{{Field: api.String("http-request-method"), HttpRequestMethodConfig: &elb.ConditionValues{Values: []string{"POST"}}}}, `{"method":"POST"}`, true},
		{"query key and value", []elb.RuleCondition{{Field: api.String("query-string"), QueryStringConfig: &elb.QueryStringConditionConfig{
			Values: []elb.QueryStringKeyValuePair{{Key: api.String("version"), Value: api.String("v*")}}}}}, `{"query":{"Version":"V2"}}`, true},
		{"query value with any key", []elb.RuleCondition{{Field: api.String("query-string"), QueryStringConfig: &elb.QueryStringConditionConfig{
			Values: []elb.QueryStringKeyValuePair{{Value: api.String("beta")}}}}}, `{"query":{"x":"beta"}}`, true},
		{"source ip in a CIDR", []elb.RuleCondition{{Field: api.String("source-ip"), SourceIpConfig: &elb.ConditionValues{Values: []string{"10.0.0.0/8"}}}}, `{"sourceIp":"10.1.2.3"}`, true},
		{"no source ip matches no CIDR", []elb.RuleCondition{{Field: api.String("source-ip"), SourceIpConfig: &elb.ConditionValues{Values: []string{"0.0.0.0/0"}}}}, `{}`, false},
		{"missing header", []elb.RuleCondition{{Field: api.String("http-header"), HttpHeaderConfig: &elb.HttpHeaderConditionConfig{HttpHeaderName: api.String("A"), Values: []string{"*"}}}}, `{}`, false},
		{"regex values", []elb.RuleCondition{{Field: api.String("path-pattern"), PathPatternConfig: &elb.ConditionValues{RegexValues: []string{"^/users/[0-9]+$"}}}}, `{"path":"/users/42"}`, true},
		{"all conditions must match", []elb.RuleCondition{cond("path-pattern", "/api/*"), cond("host-header", "api.example.com")}, `{"path":"/api/x","host":"www.example.com"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, false)
			x := ruleALB(t, f, map[int32][]elb.RuleCondition{10: tc.cs})
			var r elb.RequestClass
			require.NoError(t, json.Unmarshal([]byte(tc.request), &r))
			one := 1.0
			r.Share = &one
			_, err := f.c.SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: &x.listener,
				Traffic: &workload.Traffic{Shape: workload.Constant(600)}, Requests: []elb.RequestClass{r}})
			require.NoError(t, err)
			want := map[bool]string{true: "tg-b", false: "tg-a"}[tc.match]
			require.InDelta(t, 600, groupRequests(t, f.m)[want], 1e-9)
		})
	}
}
