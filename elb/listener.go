package elb

import (
	"slices"
	"strconv"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// Action types. [ELBAPI enum ActionTypeEnum]
const (
	ActionForward       = "forward"
	ActionRedirect      = "redirect"
	ActionFixedResponse = "fixed-response"
)

var actionTypes = []string{"forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response", "jwt-validation"}

// Limits. [ALB:load-balancer-limits]
const (
	// maxForwardTargetGroups is how many target groups one forward action
	// can name. [ELBAPI:ForwardActionConfig.TargetGroups] ("up to 5")
	maxForwardTargetGroups = 5
	// maxWeight is the top of a target group's weight. [ELBAPI:TargetGroupTuple.Weight]
	maxWeight = 999
	// defaultSslPolicy is the security policy of an HTTPS or TLS listener
	// that names none. [ELBAPI:CreateListenerInput.SslPolicy]
	defaultSslPolicy = "ELBSecurityPolicy-2016-08"
)

type listener struct {
	arn, id      string
	lb           *loadBalancer
	port         int32
	protocol     string
	sslPolicy    string
	certificates []Certificate
	alpn         []string
	def          *rule   // the default rule
	rules        []*rule // the other rules, in creation order
	tags         tagSet
	traffic      *workload.Traffic // the requests it receives (sim:SetListenerTraffic)
	requests     []request         // their classes, matched against the rules
	// How it splits its requests (listenerPlan), for the model's changes
	// count at planChanges.
	plan        []flowStep
	planOK      bool
	planChanges uint64
	// The last routing of its requests (flowsOf), at flowsAt with the
	// model's changes count at flowsChanges.
	flows        []flow
	flowsRPS     float64
	flowsELB5XX  float64
	flowsOK      bool
	flowsAt      sim.Time
	flowsChanges uint64
}

type rule struct {
	arn        string
	ls         *listener
	priority   int // 0 for the default rule
	conditions []RuleCondition
	actions    []Action
	transforms []map[string]any
	tags       tagSet
}

// uses reports whether a forward action of ls or of one of its rules
// names tg.
func (ls *listener) uses(tg *targetGroup) bool {
	if ls.def.uses(tg) {
		return true
	}
	return slices.ContainsFunc(ls.rules, func(r *rule) bool { return r.uses(tg) })
}

func (r *rule) uses(tg *targetGroup) bool {
	for _, a := range r.actions {
		if a.ForwardConfig == nil {
			continue
		}
		for _, t := range a.ForwardConfig.TargetGroups {
			if api.Deref(t.TargetGroupArn) == tg.arn {
				return true
			}
		}
	}
	return false
}

func (ls *listener) shape() Listener {
	return Listener{ListenerArn: ls.arn, LoadBalancerArn: ls.lb.arn, Port: ls.port, Protocol: ls.protocol,
		Certificates: slices.Clone(ls.certificates), SslPolicy: ls.sslPolicy, DefaultActions: cloneActions(ls.def.actions),
		AlpnPolicy: slices.Clone(ls.alpn)}
}

func (r *rule) shape() Rule {
	out := Rule{RuleArn: r.arn, Priority: "default", Conditions: slices.Clone(r.conditions), Actions: cloneActions(r.actions),
		IsDefault: r.priority == 0, Transforms: r.transforms}
	if r.priority > 0 {
		out.Priority = strconv.Itoa(r.priority)
	}
	if out.Conditions == nil {
		out.Conditions = []RuleCondition{}
	}
	return out
}

func cloneActions(as []Action) []Action {
	out := make([]Action, len(as))
	for i, a := range as {
		out[i] = a
		if a.ForwardConfig != nil {
			fc := *a.ForwardConfig
			fc.TargetGroups = slices.Clone(fc.TargetGroups)
			out[i].ForwardConfig = &fc
		}
	}
	return out
}

// used reports whether a listener or rule forwards to tg.
func (m *ELB) used(tg *targetGroup) bool {
	for _, ls := range m.listeners {
		if ls.uses(tg) {
			return true
		}
	}
	return false
}

// usageChanged starts or stops the health checks of groups that a
// listener or rule began or ceased to forward to.
func (m *ELB) usageChanged() {
	m.routesOK = false
	m.changes++ // rules, actions or forward weights: the routing
	for _, tg := range m.tgs {
		if u := m.used(tg); u != tg.inUse {
			tg.inUse = u
			m.health.usageChanged(tg)
		}
	}
}

// listenerProtocols are the protocols of each load balancer type's
// listeners. [ELBAPI:CreateListenerInput.Protocol]
var listenerProtocols = map[string][]string{
	TypeApplication: {"HTTP", "HTTPS"},
	TypeNetwork:     {"TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"},
}

// checkActions checks the actions of a listener or rule on lb and returns
// them normalised as AWS describes them: a forward action to one target
// group carries both TargetGroupArn and a ForwardConfig of weight 1.
// [ELBAPI:Action] [ELBAPI:ForwardActionConfig]
func (m *ELB) checkActions(lb *loadBalancer, self *listener, member string, actions []Action) ([]Action, error) {
	if len(actions) == 0 {
		return nil, missing(member)
	}
	out := make([]Action, 0, len(actions))
	routing := 0
	for _, a := range actions {
		if a.Type == nil {
			return nil, missing(member + ".member.Type")
		}
		if err := checkEnum(member+".member.Type", a.Type, actionTypes...); err != nil {
			return nil, err
		}
		if err := checkRange(member+".member.Order", a.Order, 1, 50000); err != nil {
			return nil, err
		}
		switch *a.Type {
		case ActionForward:
			routing++
			fa, err := m.checkForward(lb, self, a)
			if err != nil {
				return nil, err
			}
			a = fa
		case ActionRedirect, ActionFixedResponse:
			routing++
			if lb.typ != TypeApplication {
				return nil, api.Errorf(CodeInvalidLoadBalancerAction, "The action type '%s' is only supported by Application Load Balancers", *a.Type)
			}
			if *a.Type == ActionRedirect && (a.RedirectConfig == nil || a.RedirectConfig.StatusCode == nil) {
				return nil, validation(member, "A redirect action must have a redirect configuration with a status code")
			}
			if *a.Type == ActionFixedResponse && (a.FixedResponseConfig == nil || a.FixedResponseConfig.StatusCode == nil) {
				return nil, validation(member, "A fixed-response action must have a fixed-response configuration with a status code")
			}
		default:
			if lb.typ != TypeApplication {
				return nil, api.Errorf(CodeInvalidLoadBalancerAction, "The action type '%s' is only supported by Application Load Balancers", *a.Type)
			}
		}
		out = append(out, a)
	}
	if routing != 1 {
		return nil, api.Errorf(CodeInvalidLoadBalancerAction, "Each rule must include exactly one of the following routing actions: forward, fixed-response, or redirect")
	}
	return out, nil
}

// checkForward checks one forward action.
func (m *ELB) checkForward(lb *loadBalancer, self *listener, a Action) (Action, error) {
	var tuples []TargetGroupTuple
	if fc := a.ForwardConfig; fc != nil {
		if len(fc.TargetGroups) == 0 && a.TargetGroupArn == nil {
			return a, validation("ForwardConfig.TargetGroups", "A forward action must have at least one target group")
		}
		if len(fc.TargetGroups) > maxForwardTargetGroups {
			return a, api.Errorf(CodeTooManyTargetGroups, "A forward action can have at most %d target groups", maxForwardTargetGroups)
		}
		for _, t := range fc.TargetGroups {
			if t.TargetGroupArn == nil {
				return a, missing("ForwardConfig.TargetGroups.member.TargetGroupArn")
			}
			if t.Weight != nil && (*t.Weight < 0 || *t.Weight > maxWeight) {
				return a, validation("ForwardConfig.TargetGroups.member.Weight", "Target group weight '%d' must be between 0 and %d", *t.Weight, maxWeight)
			}
			w := int32(1)
			if t.Weight != nil {
				w = *t.Weight
			}
			for _, u := range tuples {
				if *u.TargetGroupArn == *t.TargetGroupArn {
					return a, validation("ForwardConfig.TargetGroups", "Target group '%s' is specified more than once", *t.TargetGroupArn)
				}
			}
			tuples = append(tuples, TargetGroupTuple{TargetGroupArn: t.TargetGroupArn, Weight: &w})
		}
		if a.TargetGroupArn != nil && (len(tuples) != 1 || *tuples[0].TargetGroupArn != *a.TargetGroupArn) {
			return a, validation("TargetGroupArn", "With both TargetGroupArn and ForwardConfig, ForwardConfig must name only that target group")
		}
		if sc := fc.TargetGroupStickinessConfig; sc != nil && api.Deref(sc.Enabled) {
			if sc.DurationSeconds == nil || *sc.DurationSeconds < 1 || *sc.DurationSeconds > 604800 {
				return a, validation("ForwardConfig.TargetGroupStickinessConfig.DurationSeconds", "Target group stickiness duration must be between 1 and 604800 seconds")
			}
		}
	} else {
		if a.TargetGroupArn == nil {
			return a, validation("TargetGroupArn", "A target group ARN must be specified for a forward action")
		}
		tuples = []TargetGroupTuple{{TargetGroupArn: a.TargetGroupArn, Weight: api.Int32(1)}}
	}
	for _, t := range tuples {
		tg, ok := m.tgByArn[*t.TargetGroupArn]
		if !ok {
			return a, tgNotFound()
		}
		if tg.isHTTP() != (lb.typ == TypeApplication) {
			return a, api.Errorf(CodeIncompatibleProtocols, "The target group '%s' has protocol '%s', which a %s load balancer cannot forward to", tg.arn, tg.protocol, lb.typ)
		}
		// A target group of instance or ip targets can belong to one
		// load balancer only. [ALB:load-balancer-target-groups]
		for _, other := range m.lbs {
			if other == lb {
				continue
			}
			if slices.ContainsFunc(other.listeners, func(ls *listener) bool { return ls != self && ls.uses(tg) }) {
				return a, api.Errorf("TargetGroupAssociationLimit", "The following target groups cannot be associated with more than one load balancer: %s", tg.arn)
			}
		}
	}
	out := a
	sc := &TargetGroupStickinessConfig{Enabled: api.Bool(false)}
	if a.ForwardConfig != nil && a.ForwardConfig.TargetGroupStickinessConfig != nil {
		c := *a.ForwardConfig.TargetGroupStickinessConfig
		sc = &c
	}
	out.ForwardConfig = &ForwardActionConfig{TargetGroups: tuples, TargetGroupStickinessConfig: sc}
	if len(tuples) == 1 {
		out.TargetGroupArn = tuples[0].TargetGroupArn
	}
	return out, nil
}

// CreateListener adds a listener to a load balancer: HTTP or HTTPS on an
// application load balancer, TCP-family on a network one, one per port.
// Its default actions become its default rule. [ELBAPI:CreateListener]
func (m *ELB) CreateListener(in *CreateListenerInput) (*ListenersOutput, error) {
	if in.LoadBalancerArn == nil {
		return nil, missing("LoadBalancerArn")
	}
	if in.DefaultActions == nil {
		return nil, missing("DefaultActions")
	}
	if err := checkEnum("Protocol", in.Protocol, protocols...); err != nil {
		return nil, err
	}
	if err := checkRange("Port", in.Port, 1, 65535); err != nil {
		return nil, err
	}
	lb, ok := m.lbByArn[*in.LoadBalancerArn]
	if !ok {
		return nil, lbNotFound()
	}
	ls := &listener{lb: lb}
	if err := m.setListener(ls, in.Protocol, in.Port, in.SslPolicy, in.Certificates, in.AlpnPolicy, true); err != nil {
		return nil, err
	}
	actions, err := m.checkActions(lb, ls, "DefaultActions", in.DefaultActions)
	if err != nil {
		return nil, err
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	ls.tags = tags
	// IDs are drawn once the input is known to be good: bad input changes
	// nothing, not even the random streams.
	ls.id = m.resourceID()
	ls.arn = m.arnPrefix() + "listener/" + lb.kind() + "/" + lb.name + "/" + lb.id + "/" + ls.id
	ls.def = &rule{ls: ls, actions: actions, arn: m.arnPrefix() + "listener-rule/" + lb.kind() + "/" + lb.name + "/" + lb.id + "/" + ls.id + "/" + m.resourceID()}
	lb.listeners = append(lb.listeners, ls)
	m.listeners = append(m.listeners, ls)
	m.lsByArn[ls.arn] = ls
	m.ruleByArn[ls.def.arn] = ls.def
	m.usageChanged()
	return &ListenersOutput{Listeners: []Listener{ls.shape()}}, nil
}

// setListener checks and applies a listener's protocol, port and TLS
// settings; on create, protocol and port are required.
func (m *ELB) setListener(ls *listener, protocol *string, port *int32, ssl *string, certs []Certificate, alpn []string, create bool) error {
	lb := ls.lb
	p, pt := ls.protocol, ls.port
	if protocol != nil {
		p = *protocol
	}
	if port != nil {
		pt = *port
	}
	if create && protocol == nil {
		return validation("Protocol", "A listener protocol must be specified")
	}
	if create && port == nil {
		return validation("Port", "A listener port must be specified")
	}
	if !slices.Contains(listenerProtocols[lb.typ], p) {
		return api.Errorf(CodeUnsupportedProtocol, "Protocol '%s' is not supported for %s load balancers", p, lb.typ)
	}
	for _, other := range lb.listeners {
		if other.arn != ls.arn && other.port == pt {
			return api.Errorf(CodeDuplicateListener, "A listener already exists on this port for this load balancer '%s'", lb.arn)
		}
	}
	secure := p == "HTTPS" || p == "TLS"
	if certs == nil && !secure {
		certs = nil
	} else if certs == nil {
		certs = ls.certificates
	}
	if secure && len(certs) == 0 {
		return api.Errorf("CertificateNotFound", "A certificate must be specified for %s listeners", p)
	}
	if len(certs) > 1 {
		return api.Errorf("TooManyCertificates", "A listener can have only one default certificate")
	}
	pol := ls.sslPolicy
	if ssl != nil {
		pol = *ssl
	}
	if secure && pol == "" {
		pol = defaultSslPolicy
	}
	if !secure {
		pol = ""
	}
	if len(alpn) > 1 {
		return validation("AlpnPolicy", "Only one ALPN policy can be specified")
	}
	ls.protocol, ls.port, ls.sslPolicy, ls.certificates = p, pt, pol, slices.Clone(certs)
	if alpn != nil {
		ls.alpn = slices.Clone(alpn)
	}
	return nil
}

// ModifyListener changes a listener's port, protocol, TLS settings or
// default actions; what is not given stays. [ELBAPI:ModifyListener]
func (m *ELB) ModifyListener(in *ModifyListenerInput) (*ListenersOutput, error) {
	if in.ListenerArn == nil {
		return nil, missing("ListenerArn")
	}
	if err := checkEnum("Protocol", in.Protocol, protocols...); err != nil {
		return nil, err
	}
	if err := checkRange("Port", in.Port, 1, 65535); err != nil {
		return nil, err
	}
	ls, ok := m.lsByArn[*in.ListenerArn]
	if !ok {
		return nil, listenerNotFound()
	}
	next := *ls
	if err := m.setListener(&next, in.Protocol, in.Port, in.SslPolicy, in.Certificates, in.AlpnPolicy, false); err != nil {
		return nil, err
	}
	actions := ls.def.actions
	if in.DefaultActions != nil {
		var err error
		if actions, err = m.checkActions(ls.lb, ls, "DefaultActions", in.DefaultActions); err != nil {
			return nil, err
		}
	}
	ls.protocol, ls.port, ls.sslPolicy, ls.certificates, ls.alpn = next.protocol, next.port, next.sslPolicy, next.certificates, next.alpn
	ls.def.actions = actions
	m.usageChanged()
	return &ListenersOutput{Listeners: []Listener{ls.shape()}}, nil
}

// DescribeListeners lists the listeners of a load balancer or by ARN.
// [ELBAPI:DescribeListeners]
func (m *ELB) DescribeListeners(in *DescribeListenersInput) (*DescribeListenersOutput, error) {
	if in.LoadBalancerArn == nil && len(in.ListenerArns) == 0 {
		return nil, validation("LoadBalancerArn", "You must specify either listener ARNs or a load balancer ARN")
	}
	if in.LoadBalancerArn != nil && len(in.ListenerArns) > 0 {
		return nil, validation("ListenerArns", "Listener ARNs and a load balancer ARN cannot be specified at the same time")
	}
	var all []Listener
	if in.LoadBalancerArn != nil {
		lb, ok := m.lbByArn[*in.LoadBalancerArn]
		if !ok {
			return nil, lbNotFound()
		}
		for _, ls := range lb.listeners {
			all = append(all, ls.shape())
		}
	} else {
		for _, arn := range in.ListenerArns {
			ls, ok := m.lsByArn[arn]
			if !ok {
				return nil, listenerNotFound()
			}
			all = append(all, ls.shape())
		}
	}
	items, next, err := page(all, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	return &DescribeListenersOutput{Listeners: items, NextMarker: next}, nil
}

// DeleteListener deletes a listener and its rules.
// [ELBAPI:DeleteListener]
func (m *ELB) DeleteListener(in *DeleteListenerInput) (*Empty, error) {
	if in.ListenerArn == nil {
		return nil, missing("ListenerArn")
	}
	ls, ok := m.lsByArn[*in.ListenerArn]
	if !ok {
		return nil, listenerNotFound()
	}
	m.removeListener(ls)
	m.usageChanged()
	return &Empty{}, nil
}

func (m *ELB) removeListener(ls *listener) {
	for _, r := range ls.rules {
		delete(m.ruleByArn, r.arn)
	}
	delete(m.ruleByArn, ls.def.arn)
	ls.lb.listeners = slices.DeleteFunc(ls.lb.listeners, func(x *listener) bool { return x == ls })
	m.listeners = slices.DeleteFunc(m.listeners, func(x *listener) bool { return x == ls })
	delete(m.lsByArn, ls.arn)
}

var conditionFields = []string{"http-header", "http-request-method", "host-header", "path-pattern", "query-string", "source-ip"}

// checkConditions checks a rule's conditions: at least one, each with a
// known field and a value. [ELBAPI:RuleCondition]
func checkConditions(cs []RuleCondition) error {
	if len(cs) == 0 {
		return validation("Conditions", "A rule must have at least one condition")
	}
	for _, c := range cs {
		if c.Field == nil {
			return missing("Conditions.member.Field")
		}
		if !slices.Contains(conditionFields, *c.Field) {
			return validation("Conditions.member.Field", "Condition field '%s' must be one of [%s]", *c.Field, joinQuoted(conditionFields))
		}
		if len(c.Values) == 0 && c.HostHeaderConfig == nil && c.PathPatternConfig == nil && c.HttpHeaderConfig == nil &&
			c.QueryStringConfig == nil && c.HttpRequestMethodConfig == nil && c.SourceIpConfig == nil && len(c.RegexValues) == 0 {
			return validation("Conditions.member.Values", "A condition value must be specified for the '%s' field", *c.Field)
		}
	}
	return nil
}

// CreateRule adds a rule to an application load balancer's listener, at
// a priority no other rule of the listener has. [ELBAPI:CreateRule]
func (m *ELB) CreateRule(in *CreateRuleInput) (*RulesOutput, error) {
	switch {
	case in.ListenerArn == nil:
		return nil, missing("ListenerArn")
	case in.Conditions == nil:
		return nil, missing("Conditions")
	case in.Priority == nil:
		return nil, missing("Priority")
	case in.Actions == nil:
		return nil, missing("Actions")
	}
	if err := checkRange("Priority", in.Priority, 1, 50000); err != nil {
		return nil, err
	}
	ls, ok := m.lsByArn[*in.ListenerArn]
	if !ok {
		return nil, listenerNotFound()
	}
	if ls.lb.typ != TypeApplication {
		return nil, api.Errorf(CodeUnsupportedProtocol, "Rules are not supported for listeners of %s load balancers", ls.lb.typ)
	}
	for _, r := range ls.rules {
		if r.priority == int(*in.Priority) {
			return nil, api.Errorf(CodePriorityInUse, "Priority '%d' is currently in use", *in.Priority)
		}
	}
	if err := checkConditions(in.Conditions); err != nil {
		return nil, err
	}
	actions, err := m.checkActions(ls.lb, ls, "Actions", in.Actions)
	if err != nil {
		return nil, err
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	lb := ls.lb
	r := &rule{ls: ls, priority: int(*in.Priority), conditions: slices.Clone(in.Conditions), actions: actions, transforms: in.Transforms, tags: tags,
		arn: m.arnPrefix() + "listener-rule/" + lb.kind() + "/" + lb.name + "/" + lb.id + "/" + ls.id + "/" + m.resourceID()}
	ls.rules = append(ls.rules, r)
	m.ruleByArn[r.arn] = r
	m.usageChanged()
	return &RulesOutput{Rules: []Rule{r.shape()}}, nil
}

// ModifyRule replaces a rule's conditions, actions or transforms. The
// default rule's conditions cannot change. [ELBAPI:ModifyRule]
func (m *ELB) ModifyRule(in *ModifyRuleInput) (*RulesOutput, error) {
	if in.RuleArn == nil {
		return nil, missing("RuleArn")
	}
	r, ok := m.ruleByArn[*in.RuleArn]
	if !ok {
		return nil, ruleNotFound()
	}
	if in.Conditions != nil {
		if r.priority == 0 {
			return nil, api.Errorf(CodeOperationNotPermitted, "The conditions of the default rule cannot be modified")
		}
		if err := checkConditions(in.Conditions); err != nil {
			return nil, err
		}
	}
	actions := r.actions
	if in.Actions != nil {
		var err error
		if actions, err = m.checkActions(r.ls.lb, r.ls, "Actions", in.Actions); err != nil {
			return nil, err
		}
	}
	if in.Conditions != nil {
		r.conditions = slices.Clone(in.Conditions)
	}
	if in.Transforms != nil {
		r.transforms = in.Transforms
	}
	if api.Deref(in.ResetTransforms) {
		r.transforms = nil
	}
	r.actions = actions
	m.usageChanged()
	return &RulesOutput{Rules: []Rule{r.shape()}}, nil
}

// DescribeRules lists the rules of a listener, by priority with the
// default rule last, or rules by ARN. [ELBAPI:DescribeRules]
func (m *ELB) DescribeRules(in *DescribeRulesInput) (*DescribeRulesOutput, error) {
	if in.ListenerArn == nil && len(in.RuleArns) == 0 {
		return nil, validation("ListenerArn", "You must specify either listener ARN or rule ARNs")
	}
	if in.ListenerArn != nil && len(in.RuleArns) > 0 {
		return nil, validation("RuleArns", "Rule ARNs and a listener ARN cannot be specified at the same time")
	}
	var all []Rule
	if in.ListenerArn != nil {
		ls, ok := m.lsByArn[*in.ListenerArn]
		if !ok {
			return nil, listenerNotFound()
		}
		rs := slices.Clone(ls.rules)
		slices.SortFunc(rs, func(a, b *rule) int { return a.priority - b.priority })
		for _, r := range rs {
			all = append(all, r.shape())
		}
		all = append(all, ls.def.shape())
	} else {
		for _, arn := range in.RuleArns {
			r, ok := m.ruleByArn[arn]
			if !ok {
				return nil, ruleNotFound()
			}
			all = append(all, r.shape())
		}
	}
	items, next, err := page(all, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	return &DescribeRulesOutput{Rules: items, NextMarker: next}, nil
}

// DeleteRule deletes a rule other than the default rule.
// [ELBAPI:DeleteRule]
func (m *ELB) DeleteRule(in *DeleteRuleInput) (*Empty, error) {
	if in.RuleArn == nil {
		return nil, missing("RuleArn")
	}
	r, ok := m.ruleByArn[*in.RuleArn]
	if !ok {
		return nil, ruleNotFound()
	}
	if r.priority == 0 {
		return nil, api.Errorf(CodeOperationNotPermitted, "Default rule '%s' cannot be deleted", r.arn)
	}
	r.ls.rules = slices.DeleteFunc(r.ls.rules, func(x *rule) bool { return x == r })
	delete(m.ruleByArn, r.arn)
	m.usageChanged()
	return &Empty{}, nil
}
