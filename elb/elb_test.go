package elb_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

func TestCreateTargetGroupDefaults(t *testing.T) {
	for _, tc := range []struct {
		name, protocol string
		want           string
	}{
		// [ELBAPI examples CreateTargetGroup] [ALB:target-group-health-checks]
		{"HTTP", "HTTP", `{"HealthCheckProtocol":"HTTP","HealthCheckPort":"traffic-port","HealthCheckEnabled":true,"HealthCheckIntervalSeconds":30,"HealthCheckTimeoutSeconds":5,"HealthyThresholdCount":5,"UnhealthyThresholdCount":2,"HealthCheckPath":"/","Matcher":{"HttpCode":"200"},"ProtocolVersion":"HTTP1"}`},
		{"HTTPS", "HTTPS", `{"HealthCheckProtocol":"HTTPS","HealthCheckPort":"traffic-port","HealthCheckEnabled":true,"HealthCheckIntervalSeconds":30,"HealthCheckTimeoutSeconds":5,"HealthyThresholdCount":5,"UnhealthyThresholdCount":2,"HealthCheckPath":"/","Matcher":{"HttpCode":"200"},"ProtocolVersion":"HTTP1"}`},
		// [ELBAPI:CreateTargetGroupInput.HealthCheckTimeoutSeconds] (TCP: 10 s)
		{"TCP", "TCP", `{"HealthCheckProtocol":"TCP","HealthCheckPort":"traffic-port","HealthCheckEnabled":true,"HealthCheckIntervalSeconds":30,"HealthCheckTimeoutSeconds":10,"HealthyThresholdCount":5,"UnhealthyThresholdCount":2}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, false)
			out, err := f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("tg"), Protocol: &tc.protocol, Port: api.Int32(80), VpcId: api.String("vpc-00000001")})
			require.NoError(t, err)
			g := out.TargetGroups[0]
			require.Regexp(t, `^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/[0-9a-f]{16}$`, g.TargetGroupArn)
			require.Equal(t, "instance", g.TargetType)
			require.Equal(t, []string{}, g.LoadBalancerArns)
			hc := struct {
				HealthCheckProtocol        string
				HealthCheckPort            string
				HealthCheckEnabled         bool
				HealthCheckIntervalSeconds int32
				HealthCheckTimeoutSeconds  int32
				HealthyThresholdCount      int32
				UnhealthyThresholdCount    int32
				HealthCheckPath            string       `json:",omitempty"`
				Matcher                    *elb.Matcher `json:",omitempty"`
				ProtocolVersion            string       `json:",omitempty"`
			}{g.HealthCheckProtocol, g.HealthCheckPort, g.HealthCheckEnabled, g.HealthCheckIntervalSeconds, g.HealthCheckTimeoutSeconds,
				g.HealthyThresholdCount, g.UnhealthyThresholdCount, g.HealthCheckPath, g.Matcher, g.ProtocolVersion}
			b, err := json.Marshal(hc)
			require.NoError(t, err)
			require.JSONEq(t, tc.want, string(b))

			attrs, err := f.c.DescribeTargetGroupAttributes(&elb.DescribeTargetGroupAttributesInput{TargetGroupArn: &g.TargetGroupArn})
			require.NoError(t, err)
			got := map[string]string{}
			for _, a := range attrs.Attributes {
				got[*a.Key] = *a.Value
			}
			require.Equal(t, "300", got["deregistration_delay.timeout_seconds"])
			require.Equal(t, "false", got["stickiness.enabled"])
			if tc.protocol != "TCP" {
				require.Equal(t, "round_robin", got["load_balancing.algorithm.type"])
				require.Equal(t, "0", got["slow_start.duration_seconds"])
				require.Equal(t, "lb_cookie", got["stickiness.type"])
			} else {
				require.Equal(t, "source_ip", got["stickiness.type"])
				require.NotContains(t, got, "slow_start.duration_seconds")
			}
		})
	}
}

func TestCreateTargetGroupErrors(t *testing.T) {
	base := `"Name":"tg","Protocol":"HTTP","Port":80,"VpcId":"vpc-00000001"`
	for _, tc := range []struct {
		name, input, code, message string
	}{
		{"no name", `{"Protocol":"HTTP"}`, "ValidationError", "Value null at 'name'"},
		{"bad name", `{"Name":"-tg","Protocol":"HTTP","Port":80,"VpcId":"vpc-00000001"}`, "ValidationError", "must not begin or end with a hyphen"},
		{"long name", `{"Name":"abcdefghijabcdefghijabcdefghijabc","Protocol":"HTTP","Port":80,"VpcId":"vpc-00000001"}`, "ValidationError", "32"},
		{"bad protocol", `{"Name":"tg","Protocol":"FTP","Port":80,"VpcId":"vpc-00000001"}`, "ValidationError", "Member must satisfy enum value set"},
		{"port 0", `{"Name":"tg","Protocol":"HTTP","Port":0,"VpcId":"vpc-00000001"}`, "ValidationError", "greater than or equal to 1"},
		{"no port", `{"Name":"tg","Protocol":"HTTP","VpcId":"vpc-00000001"}`, "ValidationError", "A port must be specified"},
		{"no vpc", `{"Name":"tg","Protocol":"HTTP","Port":80}`, "ValidationError", "A VPC ID must be specified"},
		{"unknown vpc", `{"Name":"tg","Protocol":"HTTP","Port":80,"VpcId":"vpc-99"}`, "ValidationError", "not found"},
		{"interval 4", `{` + base + `,"HealthCheckIntervalSeconds":4}`, "ValidationError", "Value '4' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value greater than or equal to 5"},
		{"interval 301", `{` + base + `,"HealthCheckIntervalSeconds":301}`, "ValidationError", "less than or equal to 300"},
		{"timeout 1", `{` + base + `,"HealthCheckTimeoutSeconds":1}`, "ValidationError", "greater than or equal to 2"},
		{"timeout ≥ interval", `{` + base + `,"HealthCheckIntervalSeconds":10,"HealthCheckTimeoutSeconds":10}`, "ValidationError", "Health check interval must be greater than the timeout."},
		{"healthy 1", `{` + base + `,"HealthyThresholdCount":1}`, "ValidationError", "healthyThresholdCount"},
		{"unhealthy 11", `{` + base + `,"UnhealthyThresholdCount":11}`, "ValidationError", "unhealthyThresholdCount"},
		{"matcher 600", `{` + base + `,"Matcher":{"HttpCode":"600"}}`, "ValidationError", "must be within '200-499'"},
		{"matcher junk", `{` + base + `,"Matcher":{"HttpCode":"ok"}}`, "ValidationError", "is not a code"},
		{"TCP check of HTTP", `{` + base + `,"HealthCheckProtocol":"TCP"}`, "ValidationError", "not supported for target groups with the 'HTTP' protocol"},
		{"path on TCP", `{"Name":"tg","Protocol":"TCP","Port":80,"VpcId":"vpc-00000001","HealthCheckPath":"/x"}`, "ValidationError", "path cannot be specified"},
		{"path without slash", `{` + base + `,"HealthCheckPath":"x"}`, "ValidationError", "must begin with a '/'"},
		{"disable", `{` + base + `,"HealthCheckEnabled":false}`, "ValidationError", "cannot be disabled"},
		{"bad check port", `{` + base + `,"HealthCheckPort":"70000"}`, "ValidationError", "traffic-port"},
		{"lambda", `{"Name":"tg","TargetType":"lambda"}`, "InvalidConfigurationRequest", "lambda"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newTable(t)
			_, err := w.Invoke("elbv2:CreateTargetGroup", []byte(tc.input))
			require.Error(t, err)
			require.Equal(t, tc.code, api.ErrorCode(err), "%v", err)
			require.Contains(t, err.Error(), tc.message)
			out, err := w.Invoke("elbv2:DescribeTargetGroups", nil)
			require.NoError(t, err)
			require.JSONEq(t, `{"TargetGroups":[]}`, string(out), "bad input changes nothing")
		})
	}
}

func newTable(t testing.TB) *api.Table {
	eng := sim.New(1, sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	table := api.NewTable()
	elb.New(eng, elb.Config{Region: "us-east-1", AccountID: "123456789012"}).Register(table)
	return table
}

func TestDuplicateTargetGroupName(t *testing.T) {
	w := newTable(t)
	in := `{"Name":"tg","Protocol":"HTTP","Port":80,"VpcId":"vpc-00000001"}`
	a, err := w.Invoke("elbv2:CreateTargetGroup", []byte(in))
	require.NoError(t, err)
	b, err := w.Invoke("elbv2:CreateTargetGroup", []byte(in))
	require.NoError(t, err, "same name and settings: the existing group")
	require.JSONEq(t, string(a), string(b))
	_, err = w.Invoke("elbv2:CreateTargetGroup", []byte(`{"Name":"tg","Protocol":"HTTP","Port":8080,"VpcId":"vpc-00000001"}`))
	require.Equal(t, "DuplicateTargetGroupName", api.ErrorCode(err))
}

func TestCreateLoadBalancer(t *testing.T) {
	f := newFixture(t, false)
	out, err := f.c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: []string{"subnet-bbbb0002", "subnet-aaaa0001"}})
	require.NoError(t, err)
	lb := out.LoadBalancers[0]
	require.Regexp(t, `^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/[0-9a-f]{16}$`, lb.LoadBalancerArn)
	require.Regexp(t, `^web-[1-9][0-9]{9}\.us-east-1\.elb\.amazonaws\.com$`, lb.DNSName)
	require.Equal(t, "Z35SXDOTRQ7X7K", lb.CanonicalHostedZoneId)
	require.Equal(t, "provisioning", lb.State.Code)
	require.Equal(t, "internet-facing", lb.Scheme)
	require.Equal(t, "vpc-00000001", lb.VpcId)
	require.Equal(t, []elb.AvailabilityZone{{ZoneName: "us-east-1a", SubnetId: "subnet-aaaa0001"}, {ZoneName: "us-east-1b", SubnetId: "subnet-bbbb0002"}}, lb.AvailabilityZones)
	f.run(t, elb.DefaultProvisioningTime)
	d, err := f.c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{Names: []string{"web"}})
	require.NoError(t, err)
	require.Equal(t, "active", d.LoadBalancers[0].State.Code)

	nlb, err := f.c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("tcp"), Type: api.String("network"), Scheme: api.String("internal"), Subnets: []string{"subnet-aaaa0001"}})
	require.NoError(t, err)
	require.Regexp(t, `^internal-tcp-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$`, nlb.LoadBalancers[0].DNSName)
	require.Contains(t, nlb.LoadBalancers[0].LoadBalancerArn, ":loadbalancer/net/tcp/")

	for _, tc := range []struct {
		name string
		in   elb.CreateLoadBalancerInput
		code string
	}{
		{"duplicate", elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}, "DuplicateLoadBalancerName"},
		{"one zone", elb.CreateLoadBalancerInput{Name: api.String("x"), Subnets: []string{"subnet-aaaa0001"}}, "InvalidConfigurationRequest"},
		{"unknown subnet", elb.CreateLoadBalancerInput{Name: api.String("x"), Subnets: []string{"subnet-nope", "subnet-aaaa0001"}}, "SubnetNotFound"},
		{"no subnet", elb.CreateLoadBalancerInput{Name: api.String("x")}, "ValidationError"},
		{"internal- name", elb.CreateLoadBalancerInput{Name: api.String("internal-x"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}, "ValidationError"},
		{"bad type", elb.CreateLoadBalancerInput{Name: api.String("x"), Type: api.String("classic")}, "ValidationError"},
		{"bad group", elb.CreateLoadBalancerInput{Name: api.String("x"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}, SecurityGroups: []string{"sg-9"}}, "InvalidSecurityGroup"},
	} {
		_, err := f.c.CreateLoadBalancer(&tc.in)
		require.Equal(t, tc.code, api.ErrorCode(err), "%s: %v", tc.name, err)
	}
	_, err = f.c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{lb.LoadBalancerArn + "0"}})
	require.Equal(t, "LoadBalancerNotFound", api.ErrorCode(err))
}

func TestPaging(t *testing.T) {
	w := newTable(t)
	for i := range 5 {
		_, err := w.Invoke("elbv2:CreateTargetGroup", fmt.Appendf(nil, `{"Name":"tg%d","Protocol":"HTTP","Port":80,"VpcId":"vpc-00000001"}`, i))
		require.NoError(t, err)
	}
	var names []string
	marker := ""
	for {
		in := `{"PageSize":2}`
		if marker != "" {
			in = fmt.Sprintf(`{"PageSize":2,"Marker":%q}`, marker)
		}
		b, err := w.Invoke("elbv2:DescribeTargetGroups", []byte(in))
		require.NoError(t, err)
		var out elb.DescribeTargetGroupsOutput
		require.NoError(t, json.Unmarshal(b, &out))
		for _, g := range out.TargetGroups {
			names = append(names, g.TargetGroupName)
		}
		if out.NextMarker == nil {
			break
		}
		marker = *out.NextMarker
	}
	require.Equal(t, []string{"tg0", "tg1", "tg2", "tg3", "tg4"}, names)
	for _, in := range []string{`{"PageSize":0}`, `{"PageSize":401}`, `{"Marker":"zzz"}`} {
		_, err := w.Invoke("elbv2:DescribeTargetGroups", []byte(in))
		require.Equal(t, "ValidationError", api.ErrorCode(err), in)
	}
}

func TestListenersAndRules(t *testing.T) {
	f := newFixture(t, false)
	tgA := f.alb(t, "web")
	b, err := f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("green"), Protocol: api.String("HTTP"), Port: api.Int32(80), VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
	require.NoError(t, err)
	tgB := b.TargetGroups[0].TargetGroupArn
	lbs, err := f.c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{})
	require.NoError(t, err)
	lbArn := lbs.LoadBalancers[0].LoadBalancerArn
	ls, err := f.c.DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lbArn})
	require.NoError(t, err)
	l := ls.Listeners[0]
	require.Regexp(t, `:listener/app/web/[0-9a-f]{16}/[0-9a-f]{16}$`, l.ListenerArn)
	// A forward to one group is described with a ForwardConfig of weight 1.
	require.Equal(t, tgA, *l.DefaultActions[0].ForwardConfig.TargetGroups[0].TargetGroupArn)
	require.Equal(t, int32(1), *l.DefaultActions[0].ForwardConfig.TargetGroups[0].Weight)

	_, err = f.c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lbArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &tgB}}})
	require.Equal(t, "DuplicateListener", api.ErrorCode(err))

	_, err = f.c.DeleteTargetGroup(&elb.DeleteTargetGroupInput{TargetGroupArn: &tgA})
	require.Equal(t, "ResourceInUse", api.ErrorCode(err))

	r, err := f.c.CreateRule(&elb.CreateRuleInput{ListenerArn: &l.ListenerArn, Priority: api.Int32(10),
		Conditions: []elb.RuleCondition{{Field: api.String("path-pattern"), Values: []string{"/api/*"}}},
		Actions: []elb.Action{{Type: api.String("forward"), ForwardConfig: &elb.ForwardActionConfig{TargetGroups: []elb.TargetGroupTuple{
			{TargetGroupArn: &tgA, Weight: api.Int32(90)}, {TargetGroupArn: &tgB, Weight: api.Int32(10)}}}}}})
	require.NoError(t, err)
	require.Equal(t, "10", r.Rules[0].Priority)
	require.Nil(t, r.Rules[0].Actions[0].TargetGroupArn)
	_, err = f.c.CreateRule(&elb.CreateRuleInput{ListenerArn: &l.ListenerArn, Priority: api.Int32(10),
		Conditions: []elb.RuleCondition{{Field: api.String("path-pattern"), Values: []string{"/b/*"}}},
		Actions:    []elb.Action{{Type: api.String("forward"), TargetGroupArn: &tgB}}})
	require.Equal(t, "PriorityInUse", api.ErrorCode(err))

	rules, err := f.c.DescribeRules(&elb.DescribeRulesInput{ListenerArn: &l.ListenerArn})
	require.NoError(t, err)
	require.Len(t, rules.Rules, 2)
	require.True(t, rules.Rules[1].IsDefault)
	require.Equal(t, "default", rules.Rules[1].Priority)
	_, err = f.c.DeleteRule(&elb.DeleteRuleInput{RuleArn: &rules.Rules[1].RuleArn})
	require.Equal(t, "OperationNotPermitted", api.ErrorCode(err))

	// Weights are live: modify the rule to shift all traffic to green.
	m, err := f.c.ModifyRule(&elb.ModifyRuleInput{RuleArn: &r.Rules[0].RuleArn, Actions: []elb.Action{{Type: api.String("forward"),
		ForwardConfig: &elb.ForwardActionConfig{TargetGroups: []elb.TargetGroupTuple{{TargetGroupArn: &tgA, Weight: api.Int32(0)}, {TargetGroupArn: &tgB, Weight: api.Int32(100)}}}}}})
	require.NoError(t, err)
	require.Equal(t, int32(100), *m.Rules[0].Actions[0].ForwardConfig.TargetGroups[1].Weight)
	groups, err := f.c.DescribeTargetGroups(&elb.DescribeTargetGroupsInput{LoadBalancerArn: &lbArn})
	require.NoError(t, err)
	require.Len(t, groups.TargetGroups, 2)

	for _, tc := range []struct {
		name    string
		actions []elb.Action
		code    string
	}{
		{"weight 1000", []elb.Action{{Type: api.String("forward"), ForwardConfig: &elb.ForwardActionConfig{TargetGroups: []elb.TargetGroupTuple{{TargetGroupArn: &tgA, Weight: api.Int32(1000)}}}}}, "ValidationError"},
		{"unknown group", []elb.Action{{Type: api.String("forward"), TargetGroupArn: api.String(tgA + "x")}}, "TargetGroupNotFound"},
		{"two routing actions", []elb.Action{{Type: api.String("forward"), TargetGroupArn: &tgA}, {Type: api.String("forward"), TargetGroupArn: &tgB}}, "InvalidLoadBalancerAction"},
		{"no type", []elb.Action{{TargetGroupArn: &tgA}}, "ValidationError"},
	} {
		_, err := f.c.ModifyListener(&elb.ModifyListenerInput{ListenerArn: &l.ListenerArn, DefaultActions: tc.actions})
		require.Equal(t, tc.code, api.ErrorCode(err), "%s: %v", tc.name, err)
	}

	_, err = f.c.DeleteLoadBalancer(&elb.DeleteLoadBalancerInput{LoadBalancerArn: &lbArn})
	require.NoError(t, err)
	_, err = f.c.DeleteTargetGroup(&elb.DeleteTargetGroupInput{TargetGroupArn: &tgA})
	require.NoError(t, err, "no longer in use once its load balancer is gone")
}

func TestTags(t *testing.T) {
	f := newFixture(t, false)
	tg := f.alb(t, "web")
	_, err := f.c.AddTags(&elb.AddTagsInput{ResourceArns: []string{tg}, Tags: []elb.Tag{{Key: api.String("team"), Value: api.String("a")}, {Key: api.String("env"), Value: api.String("prod")}}})
	require.NoError(t, err)
	_, err = f.c.RemoveTags(&elb.RemoveTagsInput{ResourceArns: []string{tg}, TagKeys: []string{"team"}})
	require.NoError(t, err)
	out, err := f.c.DescribeTags(&elb.DescribeTagsInput{ResourceArns: []string{tg}})
	require.NoError(t, err)
	require.Equal(t, []elb.Tag{{Key: api.String("env"), Value: api.String("prod")}}, out.TagDescriptions[0].Tags)
	_, err = f.c.AddTags(&elb.AddTagsInput{ResourceArns: []string{tg}, Tags: []elb.Tag{{Key: api.String("k")}, {Key: api.String("k")}}})
	require.Equal(t, "DuplicateTagKeys", api.ErrorCode(err))
	_, err = f.c.DescribeTags(&elb.DescribeTagsInput{ResourceArns: []string{tg + "0"}})
	require.Equal(t, "TargetGroupNotFound", api.ErrorCode(err))
}

func TestModifyTargetGroupAttributes(t *testing.T) {
	f := newFixture(t, false)
	tg := f.alb(t, "web")
	set := func(k, v string) error {
		_, err := f.c.ModifyTargetGroupAttributes(&elb.ModifyTargetGroupAttributesInput{TargetGroupArn: &tg, Attributes: []elb.TargetGroupAttribute{{Key: &k, Value: &v}}})
		return err
	}
	require.NoError(t, set("deregistration_delay.timeout_seconds", "30"))
	require.NoError(t, set("slow_start.duration_seconds", "60"))
	require.Equal(t, "InvalidConfigurationRequest", api.ErrorCode(set("load_balancing.algorithm.type", "least_outstanding_requests")))
	for k, v := range map[string]string{
		"deregistration_delay.timeout_seconds": "3601", "slow_start.duration_seconds": "29", "load_balancing.algorithm.type": "random",
		"stickiness.enabled": "yes", "stickiness.lb_cookie.duration_seconds": "0", "no.such.key": "1",
	} {
		require.Equal(t, "ValidationError", api.ErrorCode(set(k, v)), k)
	}
	out, err := f.c.DescribeTargetGroupAttributes(&elb.DescribeTargetGroupAttributesInput{TargetGroupArn: &tg})
	require.NoError(t, err)
	for _, a := range out.Attributes {
		if *a.Key == "deregistration_delay.timeout_seconds" {
			require.Equal(t, "30", *a.Value)
		}
	}
}

// healthTrace returns the "ELB Target Health Change" records of eng's
// trace, one line each.
func healthTrace(eng *sim.Engine) []string {
	var out []string
	re := regexp.MustCompile(`targetgroup/[^/]+/[0-9a-f]+`)
	for _, r := range eng.Trace().Records() {
		if r.Type == "ELB Target Health Change" {
			d := r.Detail.(*elb.TargetHealthChange)
			out = append(out, fmt.Sprintf("%s %s %s:%d %s %s %q", r.Time.Sub(sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))),
				re.FindString(d.TargetGroupArn), d.TargetId, d.Port, d.State, d.Reason, d.Description))
		}
	}
	return out
}

func TestTargetHealthLifecycle(t *testing.T) {
	for _, tick := range []bool{false, true} {
		t.Run(fmt.Sprint("tick=", tick), func(t *testing.T) {
			f := newFixture(t, tick)
			tg := f.alb(t, "web")
			_, err := f.c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("172.31.0.10")}, {Id: api.String("172.31.16.10"), Port: api.Int32(8080)}}})
			require.NoError(t, err)
			h := f.health(t, tg)
			require.Equal(t, elb.TargetHealth{State: "initial", Reason: "Elb.RegistrationInProgress", Description: "Target registration is in progress"}, h[0].TargetHealth)
			require.Equal(t, "80", h[0].HealthCheckPort)
			require.Equal(t, "8080", h[1].HealthCheckPort)
			f.run(t, 10*time.Second)
			require.Equal(t, "Elb.InitialHealthChecking", f.health(t, tg)[0].TargetHealth.Reason)
			f.run(t, 30*time.Second)
			require.Equal(t, "healthy", f.health(t, tg)[0].TargetHealth.State, "one passing check makes a new target healthy")

			_, err = f.c.FailTargetGroupHealthChecks(&elb.FailTargetGroupHealthChecksInput{TargetGroupArn: &tg})
			require.NoError(t, err)
			f.run(t, 30*time.Second) // one failure: still healthy
			require.Equal(t, "healthy", f.health(t, tg)[0].TargetHealth.State)
			f.run(t, 30*time.Second) // two: unhealthy
			require.Equal(t, elb.TargetHealth{State: "unhealthy", Reason: "Target.ResponseCodeMismatch", Description: "Health checks failed with these codes: [404]"}, f.health(t, tg)[0].TargetHealth)

			_, err = f.c.DeregisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("172.31.0.10")}}})
			require.NoError(t, err)
			require.Equal(t, elb.TargetHealth{State: "draining", Reason: "Target.DeregistrationInProgress", Description: "Target deregistration is in progress"}, f.health(t, tg)[0].TargetHealth)
			f.run(t, 299*time.Second)
			require.Len(t, f.health(t, tg), 2)
			f.run(t, time.Second)
			require.Len(t, f.health(t, tg), 1, "gone after the 300 s deregistration delay")
			one, err := f.c.DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("172.31.0.10")}}})
			require.NoError(t, err)
			require.Equal(t, "Target.NotRegistered", one.TargetHealthDescriptions[0].TargetHealth.Reason)

			lines := healthTrace(f.eng)
			require.Equal(t, []string{
				`0s targetgroup/web-tg/ID 172.31.0.10:80 initial Elb.RegistrationInProgress "Target registration is in progress"`,
				`0s targetgroup/web-tg/ID 172.31.16.10:8080 initial Elb.RegistrationInProgress "Target registration is in progress"`,
				`10s targetgroup/web-tg/ID 172.31.0.10:80 initial Elb.InitialHealthChecking "Initial health checks in progress"`,
				`10s targetgroup/web-tg/ID 172.31.16.10:8080 initial Elb.InitialHealthChecking "Initial health checks in progress"`,
				`40s targetgroup/web-tg/ID 172.31.0.10:80 healthy  ""`,
				`40s targetgroup/web-tg/ID 172.31.16.10:8080 healthy  ""`,
				`1m40s targetgroup/web-tg/ID 172.31.0.10:80 unhealthy Target.ResponseCodeMismatch "Health checks failed with these codes: [404]"`,
				`1m40s targetgroup/web-tg/ID 172.31.16.10:8080 unhealthy Target.ResponseCodeMismatch "Health checks failed with these codes: [404]"`,
				`1m40s targetgroup/web-tg/ID 172.31.0.10:80 draining Target.DeregistrationInProgress "Target deregistration is in progress"`,
				`6m40s targetgroup/web-tg/ID 172.31.0.10:80 unused Target.NotRegistered "Target is not registered to the target group"`,
			}, normaliseIDs(lines))
		})
	}
}

func normaliseIDs(lines []string) []string {
	re := regexp.MustCompile(`(targetgroup/[^/]+/)[0-9a-f]{16}`)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = re.ReplaceAllString(l, "${1}ID")
	}
	return out
}

func TestTargetsOfUnusedGroup(t *testing.T) {
	f := newFixture(t, false)
	out, err := f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("tg"), Protocol: api.String("HTTP"), Port: api.Int32(80), VpcId: api.String("vpc-00000001")})
	require.NoError(t, err)
	tg := out.TargetGroups[0].TargetGroupArn
	_, err = f.c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("i-0123456789abcdef0")}}})
	require.NoError(t, err)
	require.Equal(t, elb.TargetHealth{State: "unused", Reason: "Target.NotInUse", Description: "Target group is not configured to receive traffic from the load balancer"}, f.health(t, tg)[0].TargetHealth)
	for _, tc := range []struct{ id, code string }{
		{"i-0000000000000000f", "InvalidTarget"}, // not running
		{"10.0.0.1", "InvalidTarget"},            // not an instance ID
	} {
		_, err = f.c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: &tc.id}}})
		require.Equal(t, tc.code, api.ErrorCode(err), tc.id)
	}
	_, err = f.c.DeregisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("i-0123456789abcdef0")}}})
	require.NoError(t, err)
	require.Empty(t, f.health(t, tg), "no load balancer, no draining")
}

func TestIPTargetValidation(t *testing.T) {
	f := newFixture(t, false)
	tg := f.alb(t, "web")
	for _, tc := range []struct {
		target elb.TargetDescription
		code   string
	}{
		{elb.TargetDescription{Id: api.String("8.8.8.8")}, "InvalidTarget"},
		{elb.TargetDescription{Id: api.String("i-0123456789abcdef0")}, "InvalidTarget"},
		{elb.TargetDescription{Id: api.String("10.1.2.3")}, "ValidationError"},
		{elb.TargetDescription{Id: api.String("172.31.0.5"), Port: api.Int32(0)}, "ValidationError"},
		{elb.TargetDescription{Id: api.String("172.31.0.5"), AvailabilityZone: api.String("us-east-1c")}, "InvalidTarget"},
	} {
		_, err := f.c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{tc.target}})
		require.Equal(t, tc.code, api.ErrorCode(err), *tc.target.Id)
	}
	require.Empty(t, f.health(t, tg))
	// A target in a zone the load balancer is not enabled in is unused.
	_, err := f.c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: api.String("172.31.32.9")}}})
	require.NoError(t, err)
	require.Equal(t, "Target is in an Availability Zone that is not enabled for the load balancer", f.health(t, tg)[0].TargetHealth.Description)
}

// TestHealthChecksAnalyticEqualsTick proves that jumping to the next
// change of a target's health gives exactly the trace that running every
// check gives, over random settings, answers and faults.
func TestHealthChecksAnalyticEqualsTick(t *testing.T) {
	changes, saved := 0, uint64(0)
	for seed := range uint64(100) {
		a := randomHealth(t, seed, false)
		b := randomHealth(t, seed, true)
		require.Equal(t, healthTrace(b.eng), healthTrace(a.eng), "seed %d", seed)
		require.Equal(t, b.eng.Trace().Hash(), a.eng.Trace().Hash(), "seed %d", seed)
		require.GreaterOrEqual(t, b.eng.Processed(), a.eng.Processed(), "seed %d", seed)
		saved += b.eng.Processed() - a.eng.Processed()
		changes += len(healthTrace(a.eng))
	}
	// The comparison means something only if checks ran and changed
	// health, and the analytic mode skipped checks.
	require.Greater(t, changes, 100*4)
	require.Positive(t, saved)
}

func randomHealth(t *testing.T, seed uint64, tick bool) *fixture {
	return randomHealthLoad(t, seed, tick, false)
}

// randomHealthLoad is randomHealth; with load, the listener also gets
// traffic that varies each minute and saturates targets of 0.5 vCPU,
// whose loads are read every minute as ECS does.
func randomHealthLoad(t *testing.T, seed uint64, tick, load bool) *fixture {
	r := rand.New(rand.NewPCG(seed, 7))
	f := newFixture(t, tick)
	tg := f.alb(t, "web")
	if load {
		f.backend.cpu = 0.5
		lbs, err := f.c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{Names: []string{"web"}})
		require.NoError(t, err)
		ls, err := f.c.DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lbs.LoadBalancers[0].LoadBalancerArn})
		require.NoError(t, err)
		_, err = f.c.SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: &ls.Listeners[0].ListenerArn,
			Traffic: &workload.Traffic{Shape: workload.Diurnal(0, 400, 0), CPUPerRequest: 10 * time.Millisecond}})
		require.NoError(t, err)
		f.minuteLoads(t, tg)
	}
	iv := int32(5 + r.IntN(60))
	_, err := f.c.ModifyTargetGroup(&elb.ModifyTargetGroupInput{TargetGroupArn: &tg, HealthCheckIntervalSeconds: &iv,
		HealthCheckTimeoutSeconds: api.Int32(int32(2 + r.IntN(int(iv)-2))),
		HealthyThresholdCount:     api.Int32(int32(2 + r.IntN(9))), UnhealthyThresholdCount: api.Int32(int32(2 + r.IntN(9))),
		Matcher: &elb.Matcher{HttpCode: api.String("200-299")}})
	require.NoError(t, err)
	start := f.eng.Now()
	statuses := []int{200, 204, 500, 503, 0, 404}
	for i := range 4 {
		ip := fmt.Sprintf("172.31.%d.%d", 16*(i%2), 10+i)
		var s []step
		at := start
		for range 1 + r.IntN(6) {
			at = at.Add(time.Duration(r.IntN(600)) * time.Second)
			s = append(s, step{from: at, status: statuses[r.IntN(len(statuses))], latency: time.Duration(r.IntN(8)) * time.Second})
		}
		f.backend.scripts[ip] = s
	}
	ids := []string{"172.31.0.10", "172.31.16.11", "172.31.0.12", "172.31.16.13"}
	for range 8 {
		f.run(t, time.Duration(r.IntN(300))*time.Second)
		id := ids[r.IntN(len(ids))]
		switch r.IntN(5) {
		case 0, 1:
			_, err = f.c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: &id}}})
		case 2:
			_, err = f.c.DeregisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{{Id: &id}}})
			if api.ErrorCode(err) == "InvalidTarget" {
				err = nil
			}
		case 3:
			_, err = f.c.FailTargetGroupHealthChecks(&elb.FailTargetGroupHealthChecksInput{TargetGroupArn: &tg, StatusCode: api.Int32(int32(statuses[r.IntN(4)])),
				Timeout: api.Bool(r.IntN(3) == 0), For: api.String(fmt.Sprint(1+r.IntN(5), "m"))})
		case 4:
			_, err = f.c.ModifyTargetGroup(&elb.ModifyTargetGroupInput{TargetGroupArn: &tg, HealthyThresholdCount: api.Int32(int32(2 + r.IntN(9)))})
		}
		require.NoError(t, err)
	}
	f.run(t, time.Hour)
	return f
}

// TestBadInputDrawsNothing: a call that fails leaves the random streams
// as they were, so the next resource gets the ARN it would have had.
func TestBadInputDrawsNothing(t *testing.T) {
	arns := func(bad bool) string {
		f := newFixture(t, false)
		f.alb(t, "a")
		lbs, err := f.c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{})
		require.NoError(t, err)
		if bad {
			_, err = f.c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lbs.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
				DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: api.String("nope")}}})
			require.Error(t, err)
			_, err = f.c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("b"), Subnets: []string{"subnet-aaaa0001"}})
			require.Error(t, err)
			_, err = f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("b"), Protocol: api.String("HTTP"), Port: api.Int32(80), VpcId: api.String("vpc-9")})
			require.Error(t, err)
		}
		return f.alb(t, "c")
	}
	require.Equal(t, arns(false), arns(true))
}
