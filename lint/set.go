package lint

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// Set is the kind of the rules that read several documents together: the
// calls of a scenario file, in order. [Check] never runs them; [CheckSet]
// does.
const Set Kind = "scenario"

// Call is one call of a set: an action ("elbv2:CreateTargetGroup") and
// its JSON input.
type Call struct {
	Action string
	Input  []byte
}

// SetFinding is a finding about one call of a set.
type SetFinding struct {
	Finding
	// Call is the index of the call the finding is about; Path is in its
	// input.
	Call int
}

// CheckSet runs the rules that read several documents together on calls,
// which must be valid (as [Check] assumes its document is); a call whose
// input does not decode is skipped. Findings come rule by rule in ID
// order, each rule's in call order.
func CheckSet(calls []Call, opts Options) []SetFinding {
	off := map[string]bool{}
	for _, id := range opts.Disable {
		off[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	var out []SetFinding
	for _, r := range rules {
		if off[r.ID] || r.checkSet == nil {
			continue
		}
		c := &setChecker{calls: calls, rule: r}
		r.checkSet(c)
		out = append(out, c.found...)
	}
	return out
}

// setChecker is what a set rule's check function sees.
type setChecker struct {
	calls []Call
	rule  *Rule
	found []SetFinding
}

func (c *setChecker) report(call int, path, format string, args ...any) {
	c.found = append(c.found, SetFinding{Finding: Finding{Rule: c.rule, Path: path, Message: fmt.Sprintf(format, args...)}, Call: call})
}

// The deregistration delay of a target group: its default, and the
// longest that leaves an interrupted Fargate Spot task time to drain.
const (
	// defaultDeregistrationDelay is deregistration_delay.timeout_seconds
	// when a target group does not set it. [ELBAPI:TargetGroupAttribute.Key]
	defaultDeregistrationDelay = 300
	// spotWarning is the notice, in seconds, a Fargate Spot task gets
	// before it is stopped: its deregistration must finish within it.
	// [https://repost.aws/knowledge-center/fargate-spot-termination-notice]
	spotWarning = 120
)

// checkSpotDeregistrationDelay finds services that may run on
// FARGATE_SPOT behind a target group whose deregistration delay is two
// minutes or more. For an ordinary stop ECS waits for the target to
// drain before it sends the stop signal, so the delay only lengthens the
// stop; an interrupted Fargate Spot task gets its stop signal with a
// two-minute notice instead, and is gone before a longer delay ends.
func checkSpotDeregistrationDelay(c *setChecker) {
	delays := map[string]int{}          // target group name: deregistration delay in seconds
	strategies := map[string][]string{} // cluster name: providers of its default strategy
	for i, call := range c.calls {
		switch call.Action {
		case "elbv2:CreateTargetGroup":
			var in struct{ Name string }
			if json.Unmarshal(call.Input, &in) == nil && in.Name != "" {
				delays[in.Name] = defaultDeregistrationDelay
			}
		case "elbv2:ModifyTargetGroupAttributes":
			var in struct {
				TargetGroupArn string
				Attributes     []struct{ Key, Value string }
			}
			if json.Unmarshal(call.Input, &in) != nil {
				continue
			}
			for _, a := range in.Attributes {
				if n, err := strconv.Atoi(a.Value); err == nil && a.Key == "deregistration_delay.timeout_seconds" {
					delays[targetGroupName(in.TargetGroupArn)] = n
				}
			}
		case "ecs:CreateCluster":
			var in ecs.CreateClusterInput
			if json.Unmarshal(call.Input, &in) == nil {
				strategies[cmp.Or(api.Deref(in.ClusterName), "default")] = providers(in.DefaultCapacityProviderStrategy)
			}
		case "ecs:PutClusterCapacityProviders":
			var in ecs.PutClusterCapacityProvidersInput
			if json.Unmarshal(call.Input, &in) == nil {
				strategies[lastPart(cmp.Or(api.Deref(in.Cluster), "default"))] = providers(in.DefaultCapacityProviderStrategy)
			}
		case "ecs:CreateService":
			var in ecs.CreateServiceInput
			if json.Unmarshal(call.Input, &in) != nil || len(in.LoadBalancers) == 0 || disabledIn(tagValue(in.Tags), c.rule.ID) {
				continue
			}
			var on []string
			switch {
			case len(in.CapacityProviderStrategy) > 0:
				on = providers(in.CapacityProviderStrategy)
			case in.LaunchType == nil:
				on = strategies[lastPart(cmp.Or(api.Deref(in.Cluster), "default"))]
			}
			if !slices.Contains(on, "FARGATE_SPOT") {
				continue
			}
			for j, lb := range in.LoadBalancers {
				name := targetGroupName(api.Deref(lb.TargetGroupArn))
				delay, ok := delays[name]
				if !ok || delay < spotWarning {
					continue
				}
				c.report(i, fmt.Sprintf("loadBalancers[%d].targetGroupArn", j),
					"service %q can run on FARGATE_SPOT behind target group %q, whose deregistration delay is %d s: an interrupted Spot task is stopped two minutes after its notice, before its target has drained",
					api.Deref(in.ServiceName), name, delay)
			}
		}
	}
}

// disabledIn reports whether a disable tag's value names the rule.
func disabledIn(tag, id string) bool {
	for _, f := range strings.FieldsFunc(tag, func(r rune) bool { return r == ',' || r == ' ' }) {
		if strings.EqualFold(f, id) {
			return true
		}
	}
	return false
}

// providers returns the capacity providers of a strategy that get tasks:
// a weight or a base above 0.
func providers(strategy []ecs.CapacityProviderStrategyItem) []string {
	var out []string
	for _, s := range strategy {
		if api.Deref(s.Weight) > 0 || api.Deref(s.Base) > 0 {
			out = append(out, api.Deref(s.CapacityProvider))
		}
	}
	return out
}

// targetGroupName returns the name of a target group from its ARN
// (".../targetgroup/<name>/<id>") or a scenario's reference
// ("elbv2:targetgroup/<name>").
func targetGroupName(arn string) string {
	_, rest, ok := strings.Cut(arn, "targetgroup/")
	if !ok {
		return arn
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// lastPart returns what follows the last '/' of a name or ARN.
func lastPart(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }
