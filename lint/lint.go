package lint

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Kind is the kind of a document: the action whose input it is.
type Kind string

// The kinds of document lint checks.
const (
	TaskDefinition Kind = "task-definition" // ecs:RegisterTaskDefinition
	Service        Kind = "service"         // ecs:CreateService
	ScalableTarget Kind = "scalable-target" // application-autoscaling:RegisterScalableTarget
	ScalingPolicy  Kind = "scaling-policy"  // application-autoscaling:PutScalingPolicy
)

// KindOfAction returns the kind whose input the action takes
// ("ecs:RegisterTaskDefinition" is a task definition), or false.
func KindOfAction(action string) (Kind, bool) {
	switch action {
	case "ecs:RegisterTaskDefinition":
		return TaskDefinition, true
	case "ecs:CreateService":
		return Service, true
	case "application-autoscaling:RegisterScalableTarget":
		return ScalableTarget, true
	case "application-autoscaling:PutScalingPolicy":
		return ScalingPolicy, true
	}
	return "", false
}

// Severity ranks findings. The zero value is not a severity.
type Severity int

// Severities, from the least to the most serious.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText writes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q: use info, warning or error", s)
}

// Document is one document to check.
type Document struct {
	Kind Kind
	// Input is the JSON input of the kind's action.
	Input []byte
	// Zones maps subnet IDs to their Availability Zones, when the caller
	// knows them (a scenario declares its VPC); nil otherwise.
	Zones map[string]string
}

// Finding is one rule's complaint about one place in a document.
type Finding struct {
	Rule *Rule
	// Path is the JSON path of the field the finding is about, in the
	// notation AWS errors use ("containerDefinitions[0].image"); empty for
	// the whole document.
	Path string
	// Message says what is wrong in this document.
	Message string
}

// Options tune a check.
type Options struct {
	// Disable lists rule IDs not to run.
	Disable []string
}

// DisableTag is the tag key whose value lists rule IDs not to run on the
// document that carries it, separated by spaces (AWS tag values may not
// hold commas): {"key": "ecssim:lint:disable", "value": "ECS001 ECS009"}.
// A tag is part of the request's own shape, so the document still works
// with the AWS CLI's --cli-input-json, which rejects unknown top-level
// keys; the tag is registered with the resource like any other.
const DisableTag = "ecssim:lint:disable"

// Check runs the rules that apply to doc's kind and returns their
// findings, rule by rule in ID order, each rule's in document order. It
// fails only when doc.Input is not a JSON object of the kind's shape.
func Check(doc Document, opts Options) ([]Finding, error) {
	d, err := decode(doc)
	if err != nil {
		return nil, err
	}
	off := map[string]bool{}
	for _, id := range opts.Disable {
		off[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	for _, id := range d.disabledByTag() {
		off[strings.ToUpper(id)] = true
	}
	var out []Finding
	for _, r := range rules {
		if off[r.ID] || !slices.Contains(r.Kinds, doc.Kind) {
			continue
		}
		c := &checker{doc: d, rule: r}
		r.check(c)
		out = append(out, c.found...)
	}
	return out, nil
}

// ParseDisable splits a list of rule IDs ("ECS001,ECS004" or "ECS001
// ECS004") and checks that each names a rule.
func ParseDisable(list string) ([]string, error) {
	var ids []string
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		id := strings.ToUpper(f)
		if Lookup(id) == nil {
			return nil, fmt.Errorf("unknown rule %q", f)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// checker is what a rule's check function sees.
type checker struct {
	doc   *document
	rule  *Rule
	found []Finding
}

func (c *checker) report(path, format string, args ...any) {
	c.found = append(c.found, Finding{Rule: c.rule, Path: path, Message: fmt.Sprintf(format, args...)})
}

func decodeInto(input []byte, v any) error {
	if err := json.Unmarshal(input, v); err != nil {
		return fmt.Errorf("the document does not have the shape of its kind: %v", err)
	}
	return nil
}
