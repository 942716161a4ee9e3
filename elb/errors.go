package elb

import (
	"fmt"

	"github.com/ecssim/ecssim/api"
)

// Error codes of Elastic Load Balancing v2, as its Query protocol returns
// them (the error shapes' "code", not their names).
// [ELBAPI:TargetGroupNotFoundException] and the other exception shapes.
const (
	CodeValidationError             = "ValidationError"
	CodeLoadBalancerNotFound        = "LoadBalancerNotFound"
	CodeTargetGroupNotFound         = "TargetGroupNotFound"
	CodeListenerNotFound            = "ListenerNotFound"
	CodeRuleNotFound                = "RuleNotFound"
	CodeDuplicateLoadBalancerName   = "DuplicateLoadBalancerName"
	CodeDuplicateTargetGroupName    = "DuplicateTargetGroupName"
	CodeDuplicateListener           = "DuplicateListener"
	CodeDuplicateTagKeys            = "DuplicateTagKeys"
	CodeInvalidTarget               = "InvalidTarget"
	CodeInvalidConfigurationRequest = "InvalidConfigurationRequest"
	CodeInvalidSubnet               = "InvalidSubnet"
	CodeSubnetNotFound              = "SubnetNotFound"
	CodeInvalidSecurityGroup        = "InvalidSecurityGroup"
	CodeResourceInUse               = "ResourceInUse"
	CodePriorityInUse               = "PriorityInUse"
	CodeOperationNotPermitted       = "OperationNotPermitted"
	CodeIncompatibleProtocols       = "IncompatibleProtocols"
	CodeInvalidLoadBalancerAction   = "InvalidLoadBalancerAction"
	CodeTooManyTags                 = "TooManyTags"
	CodeTooManyTargetGroups         = "TooManyTargetGroups"
	CodeTooManyActions              = "TooManyActions"
	CodeUnsupportedProtocol         = "UnsupportedProtocol"
)

func validation(path, format string, args ...any) *api.Error {
	return api.Errorf(CodeValidationError, format, args...).At(path)
}

// constraint is AWS's message for a value that breaks a model constraint:
// "1 validation error detected: Value '1' at 'healthCheckIntervalSeconds'
// failed to satisfy constraint: Member must have value greater than or
// equal to 5". member is the API member name; the message uses it with a
// lower-case first letter, as AWS does.
func constraint(member string, value any, rule string) *api.Error {
	return validation(member, "1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s",
		value, lowerFirst(member), rule)
}

func missing(member string) *api.Error {
	return validation(member, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(member))
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// checkRange checks an optional integer member against its model range.
func checkRange(member string, v *int32, lo, hi int32) error {
	if v == nil {
		return nil
	}
	if *v < lo {
		return constraint(member, *v, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	}
	if *v > hi {
		return constraint(member, *v, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
	return nil
}

// checkEnum checks an optional string member against its model enum.
func checkEnum(member string, v *string, values ...string) error {
	if v == nil {
		return nil
	}
	for _, x := range values {
		if *v == x {
			return nil
		}
	}
	return constraint(member, *v, fmt.Sprintf("Member must satisfy enum value set: [%s]", joinQuoted(values)))
}

func joinQuoted(values []string) string {
	s := ""
	for i, v := range values {
		if i > 0 {
			s += ", "
		}
		s += v
	}
	return s
}

func lbNotFound() *api.Error {
	return api.Errorf(CodeLoadBalancerNotFound, "One or more load balancers not found")
}

func tgNotFound() *api.Error {
	return api.Errorf(CodeTargetGroupNotFound, "One or more target groups not found")
}

func listenerNotFound() *api.Error {
	return api.Errorf(CodeListenerNotFound, "One or more listeners not found")
}

func ruleNotFound() *api.Error {
	return api.Errorf(CodeRuleNotFound, "One or more rules not found")
}
