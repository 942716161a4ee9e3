package autoscaling

import "github.com/ecssim/ecssim/api"

// Client calls Application Auto Scaling actions through an action table
// with typed inputs and outputs: the same path, hooks and trace as JSON
// calls.
type Client struct{ t *api.Table }

// NewClient returns a client over t.
func NewClient(t *api.Table) Client { return Client{t: t} }

// RegisterScalableTarget calls application-autoscaling:RegisterScalableTarget.
func (c Client) RegisterScalableTarget(in *RegisterScalableTargetInput) (*RegisterScalableTargetOutput, error) {
	return api.Call[RegisterScalableTargetInput, RegisterScalableTargetOutput](c.t, "application-autoscaling:RegisterScalableTarget", in)
}

// DescribeScalableTargets calls application-autoscaling:DescribeScalableTargets.
func (c Client) DescribeScalableTargets(in *DescribeScalableTargetsInput) (*DescribeScalableTargetsOutput, error) {
	return api.Call[DescribeScalableTargetsInput, DescribeScalableTargetsOutput](c.t, "application-autoscaling:DescribeScalableTargets", in)
}

// DeregisterScalableTarget calls application-autoscaling:DeregisterScalableTarget.
func (c Client) DeregisterScalableTarget(in *DeregisterScalableTargetInput) (*Empty, error) {
	return api.Call[DeregisterScalableTargetInput, Empty](c.t, "application-autoscaling:DeregisterScalableTarget", in)
}

// PutScalingPolicy calls application-autoscaling:PutScalingPolicy.
func (c Client) PutScalingPolicy(in *PutScalingPolicyInput) (*PutScalingPolicyOutput, error) {
	return api.Call[PutScalingPolicyInput, PutScalingPolicyOutput](c.t, "application-autoscaling:PutScalingPolicy", in)
}

// DescribeScalingPolicies calls application-autoscaling:DescribeScalingPolicies.
func (c Client) DescribeScalingPolicies(in *DescribeScalingPoliciesInput) (*DescribeScalingPoliciesOutput, error) {
	return api.Call[DescribeScalingPoliciesInput, DescribeScalingPoliciesOutput](c.t, "application-autoscaling:DescribeScalingPolicies", in)
}

// DeleteScalingPolicy calls application-autoscaling:DeleteScalingPolicy.
func (c Client) DeleteScalingPolicy(in *DeleteScalingPolicyInput) (*Empty, error) {
	return api.Call[DeleteScalingPolicyInput, Empty](c.t, "application-autoscaling:DeleteScalingPolicy", in)
}

// PutScheduledAction calls application-autoscaling:PutScheduledAction.
func (c Client) PutScheduledAction(in *PutScheduledActionInput) (*Empty, error) {
	return api.Call[PutScheduledActionInput, Empty](c.t, "application-autoscaling:PutScheduledAction", in)
}

// DescribeScheduledActions calls application-autoscaling:DescribeScheduledActions.
func (c Client) DescribeScheduledActions(in *DescribeScheduledActionsInput) (*DescribeScheduledActionsOutput, error) {
	return api.Call[DescribeScheduledActionsInput, DescribeScheduledActionsOutput](c.t, "application-autoscaling:DescribeScheduledActions", in)
}

// DeleteScheduledAction calls application-autoscaling:DeleteScheduledAction.
func (c Client) DeleteScheduledAction(in *DeleteScheduledActionInput) (*Empty, error) {
	return api.Call[DeleteScheduledActionInput, Empty](c.t, "application-autoscaling:DeleteScheduledAction", in)
}

// DescribeScalingActivities calls application-autoscaling:DescribeScalingActivities.
func (c Client) DescribeScalingActivities(in *DescribeScalingActivitiesInput) (*DescribeScalingActivitiesOutput, error) {
	return api.Call[DescribeScalingActivitiesInput, DescribeScalingActivitiesOutput](c.t, "application-autoscaling:DescribeScalingActivities", in)
}
