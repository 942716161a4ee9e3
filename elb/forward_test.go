package elb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
)

// TestSetForwardWeights: a rule's (or, by the listener's ARN, the
// default rule's) forward weights change as ModifyRule would change
// them, checked the same way; bad input changes nothing.
func TestSetForwardWeights(t *testing.T) {
	f := newFixture(t, false)
	blue := f.alb(t, "web")
	g, err := f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("green"), Protocol: api.String("HTTP"), Port: api.Int32(80), VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
	require.NoError(t, err)
	green := g.TargetGroups[0].TargetGroupArn
	lbs, err := f.c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{})
	require.NoError(t, err)
	ls, err := f.c.DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lbs.LoadBalancers[0].LoadBalancerArn})
	require.NoError(t, err)
	listener := ls.Listeners[0].ListenerArn
	rules, err := f.c.DescribeRules(&elb.DescribeRulesInput{ListenerArn: &listener})
	require.NoError(t, err)
	def := rules.Rules[0].RuleArn

	weights := func(arn string) []elb.TargetGroupTuple {
		out, err := f.m.ForwardWeights(arn)
		require.NoError(t, err)
		return out
	}
	require.Equal(t, []elb.TargetGroupTuple{{TargetGroupArn: &blue, Weight: api.Int32(1)}}, weights(def))

	require.NoError(t, f.m.SetForwardWeights(def, []elb.TargetGroupTuple{{TargetGroupArn: &blue, Weight: api.Int32(90)}, {TargetGroupArn: &green, Weight: api.Int32(10)}}))
	require.Equal(t, []elb.TargetGroupTuple{{TargetGroupArn: &blue, Weight: api.Int32(90)}, {TargetGroupArn: &green, Weight: api.Int32(10)}}, weights(listener), "by the listener's ARN too")
	d, err := f.c.DescribeListeners(&elb.DescribeListenersInput{ListenerArns: []string{listener}})
	require.NoError(t, err)
	require.Nil(t, d.Listeners[0].DefaultActions[0].TargetGroupArn, "a forward to two groups names none alone")
	desc, err := f.c.DescribeTargetGroups(&elb.DescribeTargetGroupsInput{TargetGroupArns: []string{green}})
	require.NoError(t, err)
	require.Equal(t, []string{lbs.LoadBalancers[0].LoadBalancerArn}, desc.TargetGroups[0].LoadBalancerArns, "green is attached now")

	for _, c := range []struct {
		name, arn string
		groups    []elb.TargetGroupTuple
		code      string
	}{
		{"unknown rule", "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/x/1/2/3", nil, elb.CodeRuleNotFound},
		{"weight 1000", def, []elb.TargetGroupTuple{{TargetGroupArn: &blue, Weight: api.Int32(1000)}}, elb.CodeValidationError},
		{"unknown group", def, []elb.TargetGroupTuple{{TargetGroupArn: api.String(blue + "x"), Weight: api.Int32(1)}}, elb.CodeTargetGroupNotFound},
		{"group twice", def, []elb.TargetGroupTuple{{TargetGroupArn: &blue, Weight: api.Int32(1)}, {TargetGroupArn: &blue, Weight: api.Int32(1)}}, elb.CodeValidationError},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := f.m.SetForwardWeights(c.arn, c.groups)
			require.Equal(t, c.code, api.ErrorCode(err))
			require.Equal(t, []elb.TargetGroupTuple{{TargetGroupArn: &blue, Weight: api.Int32(90)}, {TargetGroupArn: &green, Weight: api.Int32(10)}}, weights(def), "unchanged")
		})
	}
}
