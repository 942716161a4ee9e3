package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ecssim/ecssim/scenario"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/vpc"
)

func init() { extraCommands = append(extraCommands, newValidateCommand) }

// Document kinds the validate command knows, with the action whose input
// they are.
const (
	kindTaskDef       = "task-definition"
	kindService       = "service"
	kindScalable      = "scalable-target"
	kindScalingPolicy = "scaling-policy"
	kindTargetGroup   = "target-group"
	kindScenario      = "scenario"
)

var kindActions = map[string]string{
	kindTaskDef:       "ecs:RegisterTaskDefinition",
	kindService:       "ecs:CreateService",
	kindScalable:      "application-autoscaling:RegisterScalableTarget",
	kindScalingPolicy: "application-autoscaling:PutScalingPolicy",
	kindTargetGroup:   "elbv2:CreateTargetGroup",
}

var kindNames = map[string]string{
	kindTaskDef:       "task definition",
	kindService:       "service",
	kindScalable:      "scalable target",
	kindScalingPolicy: "scaling policy",
	kindTargetGroup:   "target group",
}

// kindAliases maps the --kind spellings to kinds.
var kindAliases = map[string]string{
	"task-definition": kindTaskDef, "taskdef": kindTaskDef, "td": kindTaskDef,
	"service": kindService, "svc": kindService,
	"scalable-target": kindScalable, "target": kindScalable,
	"scaling-policy": kindScalingPolicy, "policy": kindScalingPolicy,
	"target-group": kindTargetGroup, "tg": kindTargetGroup,
	"scenario": kindScenario,
}

// validation is the result for one file. It is also the --json shape.
type validation struct {
	File   string `json:"file"`
	Kind   string `json:"kind,omitempty"`
	Status string `json:"status"` // ok, invalid or unreadable
	// Summary describes a valid document in one phrase.
	Summary string `json:"summary,omitempty"`
	// ErrorCode and Message are AWS's error; Path is the JSON path of the
	// offending field; Line and Column locate it in the file (1-based).
	ErrorCode string `json:"errorCode,omitempty"`
	Message   string `json:"message,omitempty"`
	Path      string `json:"path,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	// Note tells what was and was not checked, or how to fix the file.
	Note string `json:"note,omitempty"`
}

const (
	statusOK         = "ok"
	statusInvalid    = "invalid"
	statusUnreadable = "unreadable"
)

func newValidateCommand() *cobra.Command {
	var kind string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check ECS documents against AWS's rules, offline",
		Long: `Validate checks each FILE the way AWS would: a task definition (the
document you pass to "aws ecs register-task-definition --cli-input-json") is
decoded as strictly as the AWS CLI does and registered in a fresh simulated
account, so every rule ecssim models applies (Fargate sizes, network modes,
port mappings, memory, logging, dependencies, ...). A target group (the
document of "aws elbv2 create-target-group --cli-input-json") is created in
a simulated account with the VPC it names. Service and Application Auto
Scaling documents are checked as far as ecssim models them, and the output
says how far that is.

The kind of each document is detected from its fields; --kind forces it.
Use - to read standard input. At most 16 MiB is read from each file or from
standard input; a longer input is unreadable (exit status 2).

Each file gets one line: "ok" with a summary, or AWS's error code and message
with the file position and JSON path of the offending field. Exit status: 0
when every file is valid, 1 when one is not, 2 when a file cannot be read.`,
		Example: `  ecssim validate taskdef.json
  ecssim validate --json deploy/*.json
  aws ecs describe-task-definition --task-definition web --query taskDefinition | ecssim validate -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			forced := ""
			if kind != "" {
				k, ok := kindAliases[strings.ToLower(kind)]
				if !ok {
					return &exitError{code: 2, err: fmt.Errorf("unknown --kind %q: use task-definition, service, scalable-target, scaling-policy or target-group", kind)}
				}
				forced = k
			}
			results := make([]validation, 0, len(args))
			for _, file := range args {
				results = append(results, validateFile(file, forced, cmd.InOrStdin()))
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(results); err != nil {
					return &exitError{code: 2, err: err}
				}
			} else {
				for _, r := range results {
					fmt.Fprintln(out, r.line())
				}
			}
			return validateExit(results, cmd.ErrOrStderr(), asJSON)
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "document kind: task-definition, service, scalable-target, scaling-policy or target-group (default: detected)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as a JSON array")
	return cmd
}

// validateExit returns the exit status of a run and, for more than one
// file, prints a tally on stderr (stdout keeps one line per file).
func validateExit(results []validation, stderr io.Writer, asJSON bool) error {
	var ok, invalid, unreadable int
	for _, r := range results {
		switch r.Status {
		case statusOK:
			ok++
		case statusInvalid:
			invalid++
		default:
			unreadable++
		}
	}
	if len(results) > 1 && !asJSON {
		tally := fmt.Sprintf("%d files: %d ok, %d invalid", len(results), ok, invalid)
		if unreadable > 0 {
			tally += fmt.Sprintf(", %d unreadable", unreadable)
		}
		fmt.Fprintln(stderr, tally)
	}
	switch {
	case unreadable > 0:
		return &exitError{code: 2}
	case invalid > 0:
		return &exitError{code: 1}
	}
	return nil
}

// line renders a result as one line: "FILE: ok: ..." or
// "FILE:LINE:COL: Code: message (at path)".
func (r validation) line() string {
	var b strings.Builder
	b.WriteString(r.File)
	if r.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", r.Line, r.Column)
	}
	b.WriteString(": ")
	switch r.Status {
	case statusOK:
		b.WriteString("ok")
		if r.Summary != "" {
			b.WriteString(": " + r.Summary)
		}
	case statusUnreadable:
		b.WriteString("cannot read: " + r.Message)
	default:
		if r.ErrorCode != "" {
			b.WriteString(r.ErrorCode + ": ")
		}
		b.WriteString(r.Message)
		if r.Path != "" {
			fmt.Fprintf(&b, " (at %s)", r.Path)
		}
	}
	if r.Note != "" {
		b.WriteString(" [" + r.Note + "]")
	}
	return b.String()
}

// validateFile checks one file.
func validateFile(file, forced string, stdin io.Reader) validation {
	r := validation{File: file}
	if file == "-" {
		r.File = "<stdin>"
	}
	data, err := readInput(file, stdin)
	if err != nil {
		r.Status, r.Message = statusUnreadable, readError(err)
		return r
	}
	return validateData(r, file, forced, data)
}

// validateData checks the content of one file; r names the file.
func validateData(r validation, file, forced string, data []byte) validation {
	r.Status = statusInvalid
	if forced == kindScenario || (forced == "" && scenario.Sniff(data)) {
		return validateScenario(r, file, data)
	}
	var top any
	if err := json.Unmarshal(data, &top); err != nil {
		r.ErrorCode, r.Message = api.CodeSerializationException, "invalid JSON: "+jsonErrorText(err)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			r.Line, r.Column = lineCol(data, int(se.Offset))
		}
		return r
	}
	obj, ok := top.(map[string]any)
	if !ok {
		r.ErrorCode, r.Message = api.CodeSerializationException, "the document must be a JSON object"
		r.Line, r.Column = lineCol(data, valueStart(data, 0))
		return r
	}
	doc := data
	// loc finds a path of the checked document in the file's text.
	loc := func(path string) (int, int) { return locate(data, path) }
	kind := forced
	// A corpus case {"operation", "input", ...}: check its input.
	if op, ok := obj["operation"].(string); ok && kind == "" {
		if in, ok := obj["input"].(map[string]any); ok {
			for k, action := range kindActions {
				if strings.HasSuffix(action, ":"+op) {
					kind = k
				}
			}
			raw, _ := json.Marshal(in)
			doc, obj = raw, in
			loc = func(path string) (int, int) { return locate(data, "input."+path) }
			r.Note = "checked the input of a " + op + " request case"
		}
	}
	if kind == "" {
		kind = detectKind(obj)
	}
	if kind == "" {
		r.Message = "cannot tell what kind of document this is (no containerDefinitions, serviceName, ScalableDimension, PolicyName or TargetType)"
		r.Note = "use --kind"
		return r
	}
	r.Kind = kind
	switch kind {
	case kindTaskDef:
		return validateTaskDefinition(r, doc, obj, loc)
	default:
		return validateOther(r, doc, obj, loc)
	}
}

// detectKind guesses a document's kind from its fields.
func detectKind(obj map[string]any) string {
	has := func(k string) bool { _, ok := obj[k]; return ok }
	switch {
	case has("containerDefinitions") || has("family"):
		return kindTaskDef
	case has("taskDefinition") && len(obj) <= 2:
		// describe-task-definition output: {"taskDefinition": {...}, "tags": [...]}.
		if _, ok := obj["taskDefinition"].(map[string]any); ok {
			return kindTaskDef
		}
		return kindService
	case has("serviceName") || has("service"):
		return kindService
	case has("PolicyName"):
		return kindScalingPolicy
	case has("ScalableDimension") || has("MinCapacity") || has("MaxCapacity"):
		return kindScalable
	case has("TargetType") || has("HealthCheckPath") || has("HealthCheckIntervalSeconds") || (has("Name") && (has("Protocol") || has("VpcId"))):
		return kindTargetGroup
	}
	return ""
}

// describeOnlyFields are the members describe-task-definition returns that
// register-task-definition does not take.
var describeOnlyFields = []string{"taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
	"registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt"}

func validateTaskDefinition(r validation, doc []byte, obj map[string]any, loc func(string) (int, int)) validation {
	world, err := ecssim.New(ecssim.Config{})
	if err != nil {
		r.Message = err.Error()
		return r
	}
	typ, _ := world.Table().InputType(kindActions[kindTaskDef])
	if inner, ok := obj["taskDefinition"].(map[string]any); ok && obj["containerDefinitions"] == nil {
		r.ErrorCode = "ParamValidationError"
		r.Message = `Unknown parameter in input: "taskDefinition", must be one of: ` + strings.Join(memberNames(typ), ", ")
		r.Path = "taskDefinition"
		r.Line, r.Column = loc(r.Path)
		r.Note = "this is describe-task-definition output: pass its .taskDefinition object instead, without " + presentFields(inner, describeOnlyFields)
		return r
	}
	if e := checkKeys(obj, typ, ""); e != nil {
		r.ErrorCode, r.Message, r.Path = "ParamValidationError", e.msg, e.path
		r.Line, r.Column = loc(e.path)
		if slices.Contains(describeOnlyFields, e.field) {
			r.Note = "describe-task-definition sets this field; register-task-definition does not take " + presentFields(obj, describeOnlyFields)
		}
		return r
	}
	// The same path as a JSON API call: strict decoding, then every rule.
	raw, err := world.Call(kindActions[kindTaskDef], doc)
	if err != nil {
		return errorResult(r, err, loc)
	}
	var out ecs.RegisterTaskDefinitionOutput
	if err := json.Unmarshal(raw, &out); err != nil {
		r.Message = "cannot read the registered definition: " + err.Error()
		return r
	}
	r.Status = statusOK
	r.Summary = summarizeTaskDefinition(&out)
	return r
}

// validateOther checks a service or scaling document as far as ecssim
// models it: strict decoding against the action's input when the action
// exists, JSON syntax only when it does not; scaling documents then run
// against the service they name. The note says how far it went.
func validateOther(r validation, doc []byte, obj map[string]any, loc func(string) (int, int)) validation {
	world, err := ecssim.New(ecssim.Config{})
	if err != nil {
		r.Message = err.Error()
		return r
	}
	action := kindActions[r.Kind]
	name := kindNames[r.Kind]
	typ, ok := world.Table().InputType(action)
	if !ok {
		r.Status = statusOK
		r.Summary = name + describeName(obj)
		r.Note = "only JSON syntax checked: " + action + " is not modelled by ecssim yet"
		return r
	}
	if e := checkKeys(obj, typ, ""); e != nil {
		r.ErrorCode, r.Message, r.Path = "ParamValidationError", e.msg, e.path
		r.Line, r.Column = loc(e.path)
		return r
	}
	if _, err := api.DecodeStrict(doc, typ); err != nil {
		return errorResult(r, err, loc)
	}
	if strings.HasPrefix(action, "application-autoscaling:") {
		return validateScaling(r, world, action, doc, obj, loc)
	}
	if r.Kind == kindTargetGroup {
		return validateTargetGroup(r, doc, obj, loc)
	}
	r.Status = statusOK
	r.Summary = name + describeName(obj)
	r.Note = "fields and types checked against " + action + "; service rules need the cluster and task definition it names and are not checked here"
	return r
}

// validateScaling runs an Application Auto Scaling document in world, where
// the ECS service its ResourceId names exists (and, for a policy, is
// registered as a scalable target), so that every rule ecssim models
// applies: capacities, policy types, metrics, step adjustments.
func validateScaling(r validation, world *ecssim.World, action string, doc []byte, obj map[string]any, loc func(string) (int, int)) validation {
	rid, _ := obj["ResourceId"].(string)
	if cluster, service, ok := serviceResource(rid); ok && obj["ServiceNamespace"] == "ecs" {
		if err := prepareService(world, cluster, service, action == kindActions[kindScalingPolicy]); err != nil {
			r.Message = "cannot prepare the service: " + err.Error()
			return r
		}
	}
	doc = prepareLoadBalancer(world, doc)
	if _, err := world.Call(action, doc); err != nil {
		r = errorResult(r, err, loc)
		r.Note = "checked against " + action + " with the service it names existing"
		return r
	}
	r.Status = statusOK
	r.Summary = kindNames[r.Kind] + describeName(obj)
	r.Note = "checked against " + action + " with the service it names existing; whether it exists in your account is not checked"
	return r
}

// resourceLabelRE is a well-formed ALBRequestCountPerTarget ResourceLabel:
// app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>.
var resourceLabelRE = regexp.MustCompile(`"app/([A-Za-z0-9-]{1,32})/[0-9a-f]+/targetgroup/([A-Za-z0-9-]{1,32})/[0-9a-f]+"`)

// prepareLoadBalancer creates in world the load balancer and target group
// a well-formed ResourceLabel of doc names, the one forwarding to the
// other, and returns doc naming them by their IDs in world: like the
// service, they are taken to exist. A malformed label is left for the
// action to refuse.
func prepareLoadBalancer(world *ecssim.World, doc []byte) []byte {
	m := resourceLabelRE.FindSubmatch(doc)
	if m == nil {
		return doc
	}
	c := world.ELB()
	lbName, tgName := string(m[1]), string(m[2])
	subnets := world.Network().Subnets()
	if len(subnets) == 0 {
		return doc
	}
	var ids []string
	for _, sn := range subnets {
		ids = append(ids, sn.ID)
	}
	lb, err := c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: &lbName, Subnets: ids})
	if err != nil {
		return doc
	}
	tg, err := c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: &tgName, Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: &subnets[0].VpcID, TargetType: api.String("ip")})
	if err != nil {
		return doc
	}
	lbArn, tgArn := lb.LoadBalancers[0].LoadBalancerArn, tg.TargetGroups[0].TargetGroupArn
	if _, err := c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lbArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &tgArn}}}); err != nil {
		return doc
	}
	_, lbDim, _ := strings.Cut(lbArn, ":loadbalancer/")
	label := `"` + lbDim + "/" + tgArn[strings.LastIndexByte(tgArn, ':')+1:] + `"`
	return bytes.Replace(doc, m[0], []byte(label), 1)
}

// validateTargetGroup runs a target group document in a World whose VPC
// is the one the document names, so that every rule ecssim models
// applies: protocols, ranges, health-check defaults and their consistency.
func validateTargetGroup(r validation, doc []byte, obj map[string]any, loc func(string) (int, int)) validation {
	cfg := ecssim.Config{}
	if id, ok := obj["VpcId"].(string); ok && strings.HasPrefix(id, "vpc-") {
		cfg.Subnets = []vpc.Subnet{{ID: "subnet-validate", AvailabilityZone: ecssim.DefaultRegion + "a", CIDR: "10.0.0.0/24", VpcID: id}}
	}
	world, err := ecssim.New(cfg)
	if err != nil {
		r.Message = err.Error()
		return r
	}
	action := kindActions[kindTargetGroup]
	if _, err := world.Call(action, doc); err != nil {
		r = errorResult(r, err, loc)
		r.Note = "checked against " + action
		return r
	}
	r.Status = statusOK
	r.Summary = kindNames[r.Kind] + describeName(obj)
	r.Note = "checked against " + action + " with the VPC it names existing"
	return r
}

// serviceResource splits an ECS resource ID, service/<cluster>/<service>.
func serviceResource(rid string) (cluster, service string, ok bool) {
	rest, ok := strings.CutPrefix(rid, "service/")
	if !ok {
		return "", "", false
	}
	cluster, service, ok = strings.Cut(rest, "/")
	return cluster, service, ok && cluster != "" && service != "" && !strings.Contains(service, "/")
}

// prepareService creates cluster and service in world, and registers the
// service as a scalable target when target is set.
func prepareService(world *ecssim.World, cluster, service string, target bool) error {
	c := world.ECS()
	if _, err := c.CreateCluster(&ecs.CreateClusterInput{ClusterName: &cluster}); err != nil {
		return err
	}
	if _, err := world.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"validate","containerDefinitions":[{"name":"app","image":"app","memory":128}]}`)); err != nil {
		return err
	}
	if _, err := c.CreateService(&ecs.CreateServiceInput{Cluster: &cluster, ServiceName: &service, TaskDefinition: api.String("validate"), DesiredCount: api.Int32(1)}); err != nil {
		return err
	}
	if !target {
		return nil
	}
	_, err := world.Autoscaling().RegisterScalableTarget(&autoscaling.RegisterScalableTargetInput{
		ServiceNamespace: api.String(autoscaling.NamespaceECS), ResourceId: api.String("service/" + cluster + "/" + service),
		ScalableDimension: api.String(autoscaling.DimensionECS), MinCapacity: api.Int32(0), MaxCapacity: api.Int32(1000)})
	return err
}

func describeName(obj map[string]any) string {
	for _, k := range []string{"serviceName", "service", "PolicyName", "ResourceId", "Name"} {
		if s, ok := obj[k].(string); ok && s != "" {
			return fmt.Sprintf(" %q", s)
		}
	}
	return ""
}

func errorResult(r validation, err error, loc func(string) (int, int)) validation {
	var ae *api.Error
	if !errors.As(err, &ae) {
		r.Message = err.Error()
		return r
	}
	r.ErrorCode, r.Message, r.Path = ae.Code, ae.Message, ae.Path
	if ae.Path != "" {
		r.Line, r.Column = loc(ae.Path)
	}
	return r
}

// summarizeTaskDefinition describes a registered definition in one phrase:
// family, size, network mode, containers and the launch types it is
// compatible with.
func summarizeTaskDefinition(out *ecs.RegisterTaskDefinitionOutput) string {
	td := out.TaskDefinition
	var parts []string
	if c := td.TaskCPU(); c > 0 {
		parts = append(parts, trimFloat(float64(c)/1024)+" vCPU")
	}
	if m := td.TaskMemory(); m > 0 {
		parts = append(parts, fmt.Sprintf("%d MiB", m))
	}
	if mode := api.Deref(td.NetworkMode); mode != "" {
		parts = append(parts, mode)
	} else {
		parts = append(parts, "default network mode")
	}
	names := make([]string, 0, len(td.ContainerDefinitions))
	for i := range td.ContainerDefinitions {
		c := &td.ContainerDefinitions[i]
		n := api.Deref(c.Name)
		if !td.IsEssential(c) {
			n += " (non-essential)"
		}
		names = append(names, n)
	}
	label := "containers: "
	if len(names) == 1 {
		label = "container: "
	}
	parts = append(parts, label+strings.Join(names, ", "))
	return fmt.Sprintf("task definition %q (%s; compatible with %s)", td.Family, strings.Join(parts, ", "), strings.Join(td.Compatibilities, ", "))
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.3f", f)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// presentFields lists the fields of names that obj has, quoted.
func presentFields(obj map[string]any, names []string) string {
	var out []string
	for _, n := range names {
		if _, ok := obj[n]; ok {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return "the fields ECS sets"
	}
	return strings.Join(out, ", ")
}

// readInput reads FILE, or standard input for "-", but never more than
// scenario.MaxFileSize bytes: a longer input (such as /dev/zero) is an
// error that names the limit, found before the whole input is in memory.
func readInput(file string, stdin io.Reader) ([]byte, error) {
	if file == "-" {
		return scenario.ReadLimited(stdin, "standard input", scenario.MaxFileSize)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return scenario.ReadLimited(f, "the file", scenario.MaxFileSize)
}

func readError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return err.Error()
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// keyError is an unknown member of a document.
type keyError struct {
	path, field, msg string
}

// checkKeys walks a decoded document against the Go input type of an
// action and reports the first member the type does not have, comparing
// names exactly as the AWS CLI does ("Unknown parameter in
// containerDefinitions[0]: \"Name\", must be one of: name, image, ...").
// Go's JSON decoder would match "Name" to "name"; AWS does not.
func checkKeys(v any, t reflect.Type, path string) *keyError {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[json.RawMessage]() {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // a type error; the decoder reports it
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.IsExported() && name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			ft, ok := fields[k]
			if !ok {
				where := path
				if where == "" {
					where = "input"
				}
				return &keyError{path: p, field: k, msg: fmt.Sprintf("Unknown parameter in %s: %q, must be one of: %s", where, k, strings.Join(memberNames(t), ", "))}
			}
			if e := checkKeys(obj[k], ft, p); e != nil {
				return e
			}
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return nil
		}
		for i, e := range list {
			if ke := checkKeys(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); ke != nil {
				return ke
			}
		}
	}
	return nil
}

// memberNames lists the JSON member names of a struct type in order.
func memberNames(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// validateScenario checks a scenario file: every problem at once, each
// with its file:line; problems that repeat are summarised.
func validateScenario(r validation, file string, data []byte) validation {
	r.Kind = kindScenario
	name := file
	if file == "-" {
		name = "<stdin>"
	}
	sc, err := scenario.Parse(name, data)
	if err != nil {
		var list scenario.ErrorList
		if !errors.As(err, &list) {
			r.Message = err.Error()
			return r
		}
		r.Message = list[0].Error()
		if len(list) > 1 {
			r.Message = fmt.Sprintf("%s problems:\n  %s", scenario.FormatCount(len(list)), strings.Join(list.Summary(), "\n  "))
		}
		return r
	}
	r.Status, r.Summary = statusOK, fmt.Sprintf("scenario %q (%d steps, %d expectations)", sc.Name, len(sc.Steps), len(sc.Expect))
	return r
}
