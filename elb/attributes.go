package elb

import (
	"slices"
	"strconv"
	"time"

	"github.com/ecssim/ecssim/api"
)

// Target group attribute keys that change what ecssim simulates.
// [ELBAPI:TargetGroupAttribute.Key]
const (
	AttrDeregistrationDelay = "deregistration_delay.timeout_seconds"
	AttrSlowStart           = "slow_start.duration_seconds"
	AttrAlgorithm           = "load_balancing.algorithm.type"
	AttrStickiness          = "stickiness.enabled"
)

// Load balancing algorithms. [ELBAPI:TargetGroupAttribute.Key]
const (
	AlgorithmRoundRobin               = "round_robin"
	AlgorithmLeastOutstandingRequests = "least_outstanding_requests"
	AlgorithmWeightedRandom           = "weighted_random"
)

// attributes are a group's attributes in the order DescribeTargetGroupAttributes
// lists them.
type attributes struct {
	keys []string
	vals map[string]string
}

func (a attributes) get(k string) string { return a.vals[k] }

func (a attributes) seconds(k string) time.Duration {
	n, _ := strconv.Atoi(a.vals[k])
	return time.Duration(n) * time.Second
}

// defaultAttributes returns a new group's attributes with their defaults:
// the Application Load Balancer set for HTTP and HTTPS groups, the Network
// Load Balancer set for the others. [ELBAPI:TargetGroupAttribute.Key]
func defaultAttributes(tg *targetGroup) attributes {
	var kv [][2]string
	if tg.isHTTP() {
		kv = [][2]string{
			{"stickiness.enabled", "false"},
			{"deregistration_delay.timeout_seconds", "300"},
			{"stickiness.app_cookie.cookie_name", ""},
			{"stickiness.type", "lb_cookie"},
			{"load_balancing.algorithm.type", AlgorithmRoundRobin},
			{"load_balancing.algorithm.anomaly_mitigation", "off"},
			{"slow_start.duration_seconds", "0"},
			{"stickiness.lb_cookie.duration_seconds", "86400"},
			{"stickiness.app_cookie.duration_seconds", "86400"},
			{"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
			{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
			{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
			{"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
			{"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
		}
	} else {
		// Client IP preservation is off for ip targets over TCP or TLS and
		// on otherwise. [ELBAPI:TargetGroupAttribute.Key] (preserve_client_ip.enabled)
		preserve := "true"
		if tg.targetType == TargetTypeIP && (tg.protocol == "TCP" || tg.protocol == "TLS") {
			preserve = "false"
		}
		term := "false"
		if tg.protocol == "UDP" || tg.protocol == "TCP_UDP" {
			term = "true"
		}
		kv = [][2]string{
			{"stickiness.enabled", "false"},
			{"deregistration_delay.timeout_seconds", "300"},
			{"stickiness.type", "source_ip"},
			{"deregistration_delay.connection_termination.enabled", term},
			{"preserve_client_ip.enabled", preserve},
			{"proxy_protocol_v2.enabled", "false"},
			{"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
			{"target_health_state.unhealthy.connection_termination.enabled", "true"},
			{"target_health_state.unhealthy.draining_interval_seconds", "0"},
			{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
			{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
			{"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
			{"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
		}
	}
	a := attributes{vals: map[string]string{}}
	for _, p := range kv {
		a.keys = append(a.keys, p[0])
		a.vals[p[0]] = p[1]
	}
	return a
}

func (a attributes) shape() []TargetGroupAttribute {
	out := make([]TargetGroupAttribute, len(a.keys))
	for i, k := range a.keys {
		out[i] = TargetGroupAttribute{Key: api.String(k), Value: api.String(a.vals[k])}
	}
	return out
}

// intIn reports whether v is an integer in [lo, hi].
func intIn(v string, lo, hi int) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= lo && n <= hi
}

// checkAttribute checks one attribute's value against the rule the API
// reference gives for it. [ELBAPI:TargetGroupAttribute.Key]
func checkAttribute(k, v string) error {
	bad := func(want string) error {
		return validation("Attributes", "The value of '%s' must be %s", k, want)
	}
	switch k {
	case AttrDeregistrationDelay:
		if !intIn(v, 0, 3600) {
			return bad("an integer from 0 to 3600")
		}
	case AttrSlowStart:
		if v != "0" && !intIn(v, 30, 900) {
			return bad("0 or an integer from 30 to 900")
		}
	case AttrAlgorithm:
		if v != AlgorithmRoundRobin && v != AlgorithmLeastOutstandingRequests && v != AlgorithmWeightedRandom {
			return bad("one of 'round_robin', 'least_outstanding_requests', 'weighted_random'")
		}
	case "load_balancing.algorithm.anomaly_mitigation":
		if v != "on" && v != "off" {
			return bad("'on' or 'off'")
		}
	case "stickiness.enabled", "proxy_protocol_v2.enabled", "preserve_client_ip.enabled",
		"deregistration_delay.connection_termination.enabled", "target_health_state.unhealthy.connection_termination.enabled":
		if v != "true" && v != "false" {
			return bad("'true' or 'false'")
		}
	case "stickiness.type":
		if !slices.Contains([]string{"lb_cookie", "app_cookie", "source_ip"}, v) {
			return bad("one of 'lb_cookie', 'app_cookie', 'source_ip'")
		}
	case "stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.duration_seconds":
		if !intIn(v, 1, 604800) {
			return bad("an integer from 1 to 604800")
		}
	case "load_balancing.cross_zone.enabled":
		if v != "true" && v != "false" && v != "use_load_balancer_configuration" {
			return bad("'true', 'false' or 'use_load_balancer_configuration'")
		}
	case "target_health_state.unhealthy.draining_interval_seconds":
		if !intIn(v, 0, 360000) {
			return bad("an integer from 0 to 360000")
		}
	case "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
		"target_group_health.dns_failover.minimum_healthy_targets.count":
		if v != "off" && !intIn(v, 1, 1<<30) {
			return bad("'off' or a positive integer")
		}
	case "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
		"target_group_health.dns_failover.minimum_healthy_targets.percentage":
		if v != "off" && !intIn(v, 1, 100) {
			return bad("'off' or an integer from 1 to 100")
		}
	}
	return nil
}

// ModifyTargetGroupAttributes sets attributes of a group, all or none: a
// key the group does not have or a value out of its range is a
// ValidationError and changes nothing. Slow start cannot be combined with
// the least outstanding requests algorithm. A new deregistration delay
// applies to targets that start draining afterwards.
// [ELBAPI:ModifyTargetGroupAttributes] [ALB:load-balancer-target-groups#slow-start-mode]
func (m *ELB) ModifyTargetGroupAttributes(in *ModifyTargetGroupAttributesInput) (*TargetGroupAttributesOutput, error) {
	if in.TargetGroupArn == nil {
		return nil, missing("TargetGroupArn")
	}
	if in.Attributes == nil {
		return nil, missing("Attributes")
	}
	tg, ok := m.tgByArn[*in.TargetGroupArn]
	if !ok {
		return nil, tgNotFound()
	}
	next := map[string]string{}
	for _, a := range in.Attributes {
		if a.Key == nil {
			return nil, missing("Attributes.member.Key")
		}
		k, v := *a.Key, api.Deref(a.Value)
		if len(k) > 256 {
			return nil, constraint("Attributes.member.Key", k, "Member must have length less than or equal to 256")
		}
		if _, ok := tg.attrs.vals[k]; !ok {
			return nil, validation("Attributes", "Target group attribute key '%s' is not recognized", k)
		}
		if err := checkAttribute(k, v); err != nil {
			return nil, err
		}
		next[k] = v
	}
	get := func(k string) string {
		if v, ok := next[k]; ok {
			return v
		}
		return tg.attrs.get(k)
	}
	if tg.isHTTP() && get(AttrSlowStart) != "0" && get(AttrAlgorithm) == AlgorithmLeastOutstandingRequests {
		return nil, api.Errorf(CodeInvalidConfigurationRequest, "Slow start mode cannot be enabled with the least outstanding requests algorithm")
	}
	for k, v := range next {
		tg.attrs.vals[k] = v
	}
	m.groupChanged(tg) // the algorithm and slow start shape the spread
	return &TargetGroupAttributesOutput{Attributes: tg.attrs.shape()}, nil
}

// DescribeTargetGroupAttributes lists every attribute of a group.
// [ELBAPI:DescribeTargetGroupAttributes]
func (m *ELB) DescribeTargetGroupAttributes(in *DescribeTargetGroupAttributesInput) (*TargetGroupAttributesOutput, error) {
	if in.TargetGroupArn == nil {
		return nil, missing("TargetGroupArn")
	}
	tg, ok := m.tgByArn[*in.TargetGroupArn]
	if !ok {
		return nil, tgNotFound()
	}
	return &TargetGroupAttributesOutput{Attributes: tg.attrs.shape()}, nil
}
