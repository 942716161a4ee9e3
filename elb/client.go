package elb

import "github.com/ecssim/ecssim/api"

// Client calls Elastic Load Balancing v2 actions through an action table
// with typed inputs and outputs: the same path, hooks and trace as JSON
// calls.
type Client struct{ t *api.Table }

// NewClient returns a client over t.
func NewClient(t *api.Table) Client { return Client{t: t} }

// CreateLoadBalancer calls elbv2:CreateLoadBalancer.
func (c Client) CreateLoadBalancer(in *CreateLoadBalancerInput) (*CreateLoadBalancerOutput, error) {
	return api.Call[CreateLoadBalancerInput, CreateLoadBalancerOutput](c.t, "elbv2:CreateLoadBalancer", in)
}

// DescribeLoadBalancers calls elbv2:DescribeLoadBalancers.
func (c Client) DescribeLoadBalancers(in *DescribeLoadBalancersInput) (*DescribeLoadBalancersOutput, error) {
	return api.Call[DescribeLoadBalancersInput, DescribeLoadBalancersOutput](c.t, "elbv2:DescribeLoadBalancers", in)
}

// DeleteLoadBalancer calls elbv2:DeleteLoadBalancer.
func (c Client) DeleteLoadBalancer(in *DeleteLoadBalancerInput) (*Empty, error) {
	return api.Call[DeleteLoadBalancerInput, Empty](c.t, "elbv2:DeleteLoadBalancer", in)
}

// CreateTargetGroup calls elbv2:CreateTargetGroup.
func (c Client) CreateTargetGroup(in *CreateTargetGroupInput) (*CreateTargetGroupOutput, error) {
	return api.Call[CreateTargetGroupInput, CreateTargetGroupOutput](c.t, "elbv2:CreateTargetGroup", in)
}

// ModifyTargetGroup calls elbv2:ModifyTargetGroup.
func (c Client) ModifyTargetGroup(in *ModifyTargetGroupInput) (*ModifyTargetGroupOutput, error) {
	return api.Call[ModifyTargetGroupInput, ModifyTargetGroupOutput](c.t, "elbv2:ModifyTargetGroup", in)
}

// DescribeTargetGroups calls elbv2:DescribeTargetGroups.
func (c Client) DescribeTargetGroups(in *DescribeTargetGroupsInput) (*DescribeTargetGroupsOutput, error) {
	return api.Call[DescribeTargetGroupsInput, DescribeTargetGroupsOutput](c.t, "elbv2:DescribeTargetGroups", in)
}

// DeleteTargetGroup calls elbv2:DeleteTargetGroup.
func (c Client) DeleteTargetGroup(in *DeleteTargetGroupInput) (*Empty, error) {
	return api.Call[DeleteTargetGroupInput, Empty](c.t, "elbv2:DeleteTargetGroup", in)
}

// ModifyTargetGroupAttributes calls elbv2:ModifyTargetGroupAttributes.
func (c Client) ModifyTargetGroupAttributes(in *ModifyTargetGroupAttributesInput) (*TargetGroupAttributesOutput, error) {
	return api.Call[ModifyTargetGroupAttributesInput, TargetGroupAttributesOutput](c.t, "elbv2:ModifyTargetGroupAttributes", in)
}

// DescribeTargetGroupAttributes calls elbv2:DescribeTargetGroupAttributes.
func (c Client) DescribeTargetGroupAttributes(in *DescribeTargetGroupAttributesInput) (*TargetGroupAttributesOutput, error) {
	return api.Call[DescribeTargetGroupAttributesInput, TargetGroupAttributesOutput](c.t, "elbv2:DescribeTargetGroupAttributes", in)
}

// CreateListener calls elbv2:CreateListener.
func (c Client) CreateListener(in *CreateListenerInput) (*ListenersOutput, error) {
	return api.Call[CreateListenerInput, ListenersOutput](c.t, "elbv2:CreateListener", in)
}

// ModifyListener calls elbv2:ModifyListener.
func (c Client) ModifyListener(in *ModifyListenerInput) (*ListenersOutput, error) {
	return api.Call[ModifyListenerInput, ListenersOutput](c.t, "elbv2:ModifyListener", in)
}

// DescribeListeners calls elbv2:DescribeListeners.
func (c Client) DescribeListeners(in *DescribeListenersInput) (*DescribeListenersOutput, error) {
	return api.Call[DescribeListenersInput, DescribeListenersOutput](c.t, "elbv2:DescribeListeners", in)
}

// DeleteListener calls elbv2:DeleteListener.
func (c Client) DeleteListener(in *DeleteListenerInput) (*Empty, error) {
	return api.Call[DeleteListenerInput, Empty](c.t, "elbv2:DeleteListener", in)
}

// CreateRule calls elbv2:CreateRule.
func (c Client) CreateRule(in *CreateRuleInput) (*RulesOutput, error) {
	return api.Call[CreateRuleInput, RulesOutput](c.t, "elbv2:CreateRule", in)
}

// ModifyRule calls elbv2:ModifyRule.
func (c Client) ModifyRule(in *ModifyRuleInput) (*RulesOutput, error) {
	return api.Call[ModifyRuleInput, RulesOutput](c.t, "elbv2:ModifyRule", in)
}

// DescribeRules calls elbv2:DescribeRules.
func (c Client) DescribeRules(in *DescribeRulesInput) (*DescribeRulesOutput, error) {
	return api.Call[DescribeRulesInput, DescribeRulesOutput](c.t, "elbv2:DescribeRules", in)
}

// DeleteRule calls elbv2:DeleteRule.
func (c Client) DeleteRule(in *DeleteRuleInput) (*Empty, error) {
	return api.Call[DeleteRuleInput, Empty](c.t, "elbv2:DeleteRule", in)
}

// RegisterTargets calls elbv2:RegisterTargets.
func (c Client) RegisterTargets(in *TargetsInput) (*Empty, error) {
	return api.Call[TargetsInput, Empty](c.t, "elbv2:RegisterTargets", in)
}

// DeregisterTargets calls elbv2:DeregisterTargets.
func (c Client) DeregisterTargets(in *TargetsInput) (*Empty, error) {
	return api.Call[TargetsInput, Empty](c.t, "elbv2:DeregisterTargets", in)
}

// DescribeTargetHealth calls elbv2:DescribeTargetHealth.
func (c Client) DescribeTargetHealth(in *DescribeTargetHealthInput) (*DescribeTargetHealthOutput, error) {
	return api.Call[DescribeTargetHealthInput, DescribeTargetHealthOutput](c.t, "elbv2:DescribeTargetHealth", in)
}

// AddTags calls elbv2:AddTags.
func (c Client) AddTags(in *AddTagsInput) (*Empty, error) {
	return api.Call[AddTagsInput, Empty](c.t, "elbv2:AddTags", in)
}

// RemoveTags calls elbv2:RemoveTags.
func (c Client) RemoveTags(in *RemoveTagsInput) (*Empty, error) {
	return api.Call[RemoveTagsInput, Empty](c.t, "elbv2:RemoveTags", in)
}

// DescribeTags calls elbv2:DescribeTags.
func (c Client) DescribeTags(in *DescribeTagsInput) (*DescribeTagsOutput, error) {
	return api.Call[DescribeTagsInput, DescribeTagsOutput](c.t, "elbv2:DescribeTags", in)
}

// FailTargetGroupHealthChecks calls sim:FailTargetGroupHealthChecks.
func (c Client) FailTargetGroupHealthChecks(in *FailTargetGroupHealthChecksInput) (*Empty, error) {
	return api.Call[FailTargetGroupHealthChecksInput, Empty](c.t, "sim:FailTargetGroupHealthChecks", in)
}

// SetListenerTraffic calls sim:SetListenerTraffic.
func (c Client) SetListenerTraffic(in *SetListenerTrafficInput) (*Empty, error) {
	return api.Call[SetListenerTrafficInput, Empty](c.t, "sim:SetListenerTraffic", in)
}
