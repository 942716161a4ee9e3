package elb

import (
	"github.com/ecssim/ecssim/api"
)

// forwardRule finds the rule a blue/green deployment shifts: a rule by
// its ARN, or a listener's default rule by the listener's ARN (the
// production or test "listener rule" of a Network Load Balancer is its
// listener). [API:ecs AdvancedConfiguration.productionListenerRule]
func (m *ELB) forwardRule(arn string) (*rule, error) {
	if r, ok := m.ruleByArn[arn]; ok {
		return r, nil
	}
	if ls, ok := m.lsByArn[arn]; ok {
		return ls.def, nil
	}
	return nil, ruleNotFound()
}

// forwardAction returns the rule's forward action, or nil.
func (r *rule) forwardAction() *Action {
	for i := range r.actions {
		if api.Deref(r.actions[i].Type) == ActionForward {
			return &r.actions[i]
		}
	}
	return nil
}

// ForwardWeights returns the weight of each target group of the forward
// action of a rule (or a listener's default rule), in the action's order.
func (m *ELB) ForwardWeights(ruleOrListenerArn string) ([]TargetGroupTuple, error) {
	r, err := m.forwardRule(ruleOrListenerArn)
	if err != nil {
		return nil, err
	}
	a := r.forwardAction()
	if a == nil {
		return nil, validation("Actions", "The rule %s has no forward action", ruleOrListenerArn)
	}
	var out []TargetGroupTuple
	if a.ForwardConfig != nil {
		for _, t := range a.ForwardConfig.TargetGroups {
			out = append(out, TargetGroupTuple{TargetGroupArn: t.TargetGroupArn, Weight: api.Int32(weightOf(t))})
		}
	}
	if len(out) == 0 && a.TargetGroupArn != nil {
		out = []TargetGroupTuple{{TargetGroupArn: a.TargetGroupArn, Weight: api.Int32(1)}}
	}
	return out, nil
}

// SetForwardWeights replaces the target groups and weights of the forward
// action of a rule (or a listener's default rule), checked as ModifyRule
// checks a weighted forward action: the new weights route requests from
// this instant on.
func (m *ELB) SetForwardWeights(ruleOrListenerArn string, groups []TargetGroupTuple) error {
	r, err := m.forwardRule(ruleOrListenerArn)
	if err != nil {
		return err
	}
	a := r.forwardAction()
	if a == nil {
		return validation("Actions", "The rule %s has no forward action", ruleOrListenerArn)
	}
	in := Action{Type: a.Type, Order: a.Order, ForwardConfig: &ForwardActionConfig{TargetGroups: groups}}
	if a.ForwardConfig != nil {
		in.ForwardConfig.TargetGroupStickinessConfig = a.ForwardConfig.TargetGroupStickinessConfig
	}
	out, err := m.checkForward(r.ls.lb, r.ls, in)
	if err != nil {
		return err
	}
	*a = out
	m.usageChanged()
	return nil
}
