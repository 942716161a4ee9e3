package cloudwatch

import (
	"fmt"

	"github.com/ecssim/ecssim/api"
)

// CloudWatch's error codes. [CWAPI: the error shapes' codes]
const (
	CodeInvalidParameterValue       = "InvalidParameterValue"
	CodeMissingParameter            = "MissingParameter"
	CodeInvalidParameterCombination = "InvalidParameterCombination"
	CodeResourceNotFound            = "ResourceNotFound"
	CodeInvalidFormat               = "InvalidFormat"
	CodeInvalidNextToken            = "InvalidNextToken"
	CodeLimitExceeded               = "LimitExceeded"
	// CodeValidationError is the code of a request that breaks a
	// constraint of the service model (a length, a range, an enum).
	CodeValidationError = "ValidationError"
)

func missing(field string) *api.Error {
	return api.Errorf(CodeMissingParameter, "The parameter %s is required.", field).At(field)
}

func invalidValue(field string, format string, args ...any) *api.Error {
	return api.Errorf(CodeInvalidParameterValue, format, args...).At(field)
}

func combination(field string, format string, args ...any) *api.Error {
	return api.Errorf(CodeInvalidParameterCombination, format, args...).At(field)
}

// constraint is the service model's validation error, in the words of the
// AWS query services: "1 validation error detected: Value 'x' at 'y'
// failed to satisfy constraint: Member must ...".
func constraint(field string, value any, rule string) *api.Error {
	return api.Errorf(CodeValidationError, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s",
		fmt.Sprint(value), lowerFirst(field), rule).At(field)
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

func invalidToken() *api.Error {
	return api.Errorf(CodeInvalidNextToken, "The service returned an invalid next token.").At("NextToken")
}

// checkLen checks a string member's length in runes against the model's
// min and max.
func checkLen(field string, p *string, lo, hi int, required bool) error {
	if p == nil {
		if required {
			return missing(field)
		}
		return nil
	}
	n := len([]rune(*p))
	if n < lo {
		return constraint(field, *p, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	}
	if n > hi {
		return constraint(field, *p, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
	return nil
}

// checkEnum checks an optional enum member.
func checkEnum(field string, p *string, values []string) error {
	if p == nil {
		return nil
	}
	for _, v := range values {
		if *p == v {
			return nil
		}
	}
	return constraint(field, *p, fmt.Sprintf("Member must satisfy enum value set: %v", values))
}

// Units CloudWatch knows. [CWAPI enum StandardUnit]
var units = []string{"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
	"Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
	"Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
	"Gigabits/Second", "Terabits/Second", "Count/Second", "None"}

// checkNamespace checks a namespace: 1 to 255 characters, not starting
// with a colon. [CWAPI:Namespace]
func checkNamespace(field string, p *string, required bool) error {
	if err := checkLen(field, p, 1, 255, required); err != nil || p == nil {
		return err
	}
	if (*p)[0] == ':' {
		return constraint(field, *p, "Member must satisfy regular expression pattern: [^:].*")
	}
	return nil
}

// checkDimensions checks a metric's dimensions: at most 30, each with a
// name of 1 to 255 and a value of 1 to 1024 characters, no name twice.
// [CWAPI:Dimension]
func checkDimensions(field string, ds []Dimension) error {
	if len(ds) > 30 {
		return constraint(field, len(ds), "Member must have length less than or equal to 30")
	}
	seen := map[string]bool{}
	for i, d := range ds {
		f := fmt.Sprintf("%s.member.%d", field, i+1)
		if err := checkLen(f+".Name", d.Name, 1, 255, true); err != nil {
			return err
		}
		if err := checkLen(f+".Value", d.Value, 1, 1024, true); err != nil {
			return err
		}
		if seen[*d.Name] {
			return invalidValue(f+".Name", "No metric may have the dimension %s more than once.", *d.Name)
		}
		seen[*d.Name] = true
	}
	return nil
}
