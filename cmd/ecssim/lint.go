package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/lint"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/vpc"
)

func init() { extraCommands = append(extraCommands, newLintCommand) }

// lintFinding is one finding as the lint command prints it; it is also
// an element of the JSON output's findings.
type lintFinding struct {
	RuleID   string `json:"ruleId"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Path     string `json:"path,omitempty"`
	Message  string `json:"message"`
	Reason   string `json:"reason"`
	Fix      string `json:"fix"`
	Source   string `json:"source"`

	severity lint.Severity
	arg      int // the position of its FILE argument
}

// lintedFile is the outcome for one FILE argument; the JSON output lists
// them under files.
type lintedFile struct {
	File string `json:"file"`
	Kind string `json:"kind,omitempty"`
	// Status is linted, invalid (linted as far as the document decodes,
	// with an ECS000 finding) or unreadable.
	Status string `json:"status"`
	// Message says why an unreadable file could not be read.
	Message string `json:"message,omitempty"`
}

const statusLinted = "linted"

// lintReport is the whole run: the JSON output's shape.
type lintReport struct {
	Files    []lintedFile  `json:"files"`
	Findings []lintFinding `json:"findings"`
}

func newLintCommand() *cobra.Command {
	var format, failOn, disable, drillName string
	var seed uint64
	cmd := &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check ECS documents against the ECS best practices",
		Long: `Lint checks each FILE against the best practices of the ECS guide ecssim
follows and the guidance AWS adds to them: pinned image tags, CPU and memory,
secrets kept out of environment variables, logging, health checks with a
start period, the deployment circuit breaker, several subnets and zones,
deployment percentages that let a rollout progress, scaling cooldowns.
docs/lint.md lists every rule.

FILE is what validate takes: a task definition, service, scalable target or
scaling policy (the --cli-input-json document of its aws command), or a
scenario file, whose register-task-definition, create-service and scaling
steps are linted. Lint assumes valid documents: it runs validate's checks
first and reports an invalid document as finding ECS000.

Each finding names the rule, its severity, the file, line and JSON path,
the reason and the fix. Rules are turned off for a run with --disable, and
for one document with the tag "ecssim:lint:disable" (value: rule IDs
separated by spaces), which the AWS CLI accepts as it accepts any tag.

With --drill, each scenario FILE is run through a what-if instead, one
simulated run per service it creates: zone-loss takes down the zone of the
service's first subnet for 15 minutes and checks that the service is back
to its desired count before the zone returns; bad-rollout deploys a
revision whose image cannot be pulled and checks that the deployment is
stopped and rolled back; slow-start makes the application start twice as
slowly as declared and checks that no task is stopped for failing health
checks; traffic-spike triples the service's traffic for 30 minutes and
checks that its CPU is no longer saturated after 15. Each result names its
seed and the command that replays it.

Exit status: 0 when no finding is at or above --fail-on (and every drill
passes), 1 when one is (or a drill fails), 2 when a file cannot be read or
a flag is wrong.`,
		Example: `  ecssim lint taskdef.json service.json
  ecssim lint --format sarif deploy/*.json > lint.sarif
  ecssim lint --disable ECS009,ECS014 --fail-on error scenario.yaml
  ecssim lint --drill zone-loss scenario.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			threshold, err := parseFailOn(failOn)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			off, err := lint.ParseDisable(disable)
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("--disable: %v", err)}
			}
			if format != "text" && format != "json" && format != "sarif" {
				return &exitError{code: 2, err: fmt.Errorf("unknown --format %q: use text, json or sarif", format)}
			}
			if drillName != "" {
				var s *uint64
				if cmd.Flags().Changed("seed") {
					s = &seed
				}
				return runDrills(drillName, args, s, format, cmd.InOrStdin(), cmd.OutOrStdout())
			}
			rep := lintFiles(args, cmd.InOrStdin(), lint.Options{Disable: off})
			out := cmd.OutOrStdout()
			switch format {
			case "json":
				err = writeJSON(out, rep)
			case "sarif":
				err = writeJSON(out, sarifLog(rep))
			default:
				writeLintText(out, cmd.ErrOrStderr(), rep)
			}
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			return lintExit(rep, threshold)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or sarif (SARIF 2.1.0)")
	cmd.Flags().StringVar(&failOn, "fail-on", "warning", "lowest severity that makes the exit status 1: info, warning, error or none")
	cmd.Flags().StringVar(&disable, "disable", "", "rule IDs not to run, separated by commas (ECS001,ECS009)")
	cmd.Flags().StringVar(&drillName, "drill", "", "run a drill on each scenario FILE instead of the rules: zone-loss, bad-rollout, slow-start, traffic-spike, or all")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "with --drill: the seed of the runs (default: the scenario's)")
	return cmd
}

// parseFailOn reads --fail-on; "none" is a threshold no finding reaches.
func parseFailOn(s string) (lint.Severity, error) {
	if strings.EqualFold(s, "none") {
		return lint.Error + 1, nil
	}
	sev, err := lint.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %v, or none", err)
	}
	return sev, nil
}

func lintExit(rep lintReport, threshold lint.Severity) error {
	for _, f := range rep.Files {
		if f.Status == statusUnreadable {
			return &exitError{code: 2}
		}
	}
	for _, f := range rep.Findings {
		if f.severity >= threshold {
			return &exitError{code: 1}
		}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// lintFiles lints every file; findings are sorted by argument, then file
// name (a scenario's input files), line, column and rule.
func lintFiles(args []string, stdin io.Reader, opts lint.Options) lintReport {
	rep := lintReport{Files: []lintedFile{}, Findings: []lintFinding{}}
	for i, file := range args {
		lf, fs := lintFile(file, stdin, opts)
		for j := range fs {
			fs[j].arg = i
		}
		rep.Files = append(rep.Files, lf)
		rep.Findings = append(rep.Findings, fs...)
	}
	slices.SortStableFunc(rep.Findings, func(a, b lintFinding) int {
		return cmp.Or(cmp.Compare(a.arg, b.arg), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column), cmp.Compare(a.RuleID, b.RuleID))
	})
	// An input file that several scenario steps (or scenarios) share is
	// reported once.
	seen := map[lintFinding]bool{}
	rep.Findings = slices.DeleteFunc(rep.Findings, func(f lintFinding) bool {
		f.arg = 0
		if seen[f] {
			return true
		}
		seen[f] = true
		return false
	})
	return rep
}

// lintFile lints one FILE argument.
func lintFile(file string, stdin io.Reader, opts lint.Options) (lintedFile, []lintFinding) {
	name := file
	if file == "-" {
		name = "<stdin>"
	}
	lf := lintedFile{File: name, Status: statusLinted}
	data, err := readInput(file, stdin)
	if err != nil {
		lf.Status, lf.Message = statusUnreadable, readError(err)
		return lf, nil
	}
	if scenario.Sniff(data) {
		lf.Kind = kindScenario
		return lintScenario(lf, data, opts)
	}
	v := validateData(validation{File: name}, file, "", data)
	lf.Kind = v.Kind
	var out []lintFinding
	if v.Status != statusOK {
		lf.Status = statusInvalid
		msg := v.Message
		if v.ErrorCode != "" {
			msg = v.ErrorCode + ": " + msg
		}
		out = append(out, newFinding(lint.InvalidInput, name, v.Line, v.Column, v.Path, "the document is not valid: "+msg))
	}
	kind := lint.Kind(v.Kind)
	if v.Kind == "" || v.Kind == kindTargetGroup || v.Kind == kindScenario {
		return lf, out
	}
	doc, prefix := data, ""
	if in, ok := corpusCaseInput(data); ok {
		doc, prefix = in, "input."
	}
	fs, err := lint.Check(lint.Document{Kind: kind, Input: doc}, opts)
	if err != nil {
		return lf, out // the ECS000 finding says why
	}
	for _, f := range fs {
		line, col := locate(data, prefix+f.Path)
		out = append(out, newFinding(f.Rule, name, line, col, prefix+f.Path, f.Message))
	}
	return lf, out
}

// corpusCaseInput returns the input of a request case {"operation",
// "input", ...}, which validate checks in place of the whole document.
func corpusCaseInput(data []byte) ([]byte, bool) {
	var c struct {
		Operation string          `json:"operation"`
		Input     json.RawMessage `json:"input"`
	}
	if json.Unmarshal(data, &c) != nil || c.Operation == "" || len(c.Input) == 0 || c.Input[0] != '{' {
		return nil, false
	}
	return c.Input, true
}

// lintScenario lints the steps of a scenario file whose call takes a
// lintable document. The subnets' zones come from the scenario's VPC.
func lintScenario(lf lintedFile, data []byte, opts lint.Options) (lintedFile, []lintFinding) {
	sc, err := scenario.Parse(lf.File, data)
	if err != nil {
		lf.Status = statusInvalid
		pos, msg := scenario.Pos{File: lf.File}, err.Error()
		var list scenario.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			pos, msg = list[0].Pos, list[0].Msg
			if len(list) > 1 {
				msg = fmt.Sprintf("%s (and %s more)", msg, scenario.FormatCount(len(list)-1))
			}
		}
		return lf, []lintFinding{newFinding(lint.InvalidInput, pos.File, pos.Line, pos.Col, "", "the scenario is not valid: "+msg)}
	}
	zones := scenarioZones(sc)
	var out []lintFinding
	calls := make([]lint.Call, len(sc.Steps))
	for i, st := range sc.Steps {
		calls[i] = lint.Call{Action: st.Call, Input: st.Input}
	}
	for _, f := range lint.CheckSet(calls, opts) {
		st := sc.Steps[f.Call]
		pos := st.Pos
		if st.Locate != nil {
			pos = st.Locate(f.Path)
		}
		out = append(out, newFinding(f.Rule, pos.File, pos.Line, pos.Col, f.Path, f.Message))
	}
	for _, st := range sc.Steps {
		kind, ok := lint.KindOfAction(st.Call)
		if !ok {
			continue
		}
		fs, err := lint.Check(lint.Document{Kind: kind, Input: st.Input, Zones: zones}, opts)
		if err != nil {
			continue // Parse decoded the input strictly: not reached
		}
		for _, f := range fs {
			pos := st.Pos
			if st.Locate != nil {
				pos = st.Locate(f.Path)
			}
			out = append(out, newFinding(f.Rule, pos.File, pos.Line, pos.Col, f.Path, f.Message))
		}
	}
	return lf, out
}

// scenarioZones maps the subnets of a scenario's VPC to their zones: the
// declared subnets, or the default VPC's.
func scenarioZones(sc *scenario.Scenario) map[string]string {
	subnets := sc.Subnets
	if len(subnets) == 0 {
		subnets = vpc.Default(cmp.Or(sc.Region, ecssim.DefaultRegion)).Subnets()
	}
	zones := make(map[string]string, len(subnets))
	for _, s := range subnets {
		zones[s.ID] = s.AvailabilityZone
	}
	return zones
}

func newFinding(r *lint.Rule, file string, line, col int, path, msg string) lintFinding {
	return lintFinding{RuleID: r.ID, Rule: r.Name, Severity: r.Severity.String(), File: file, Line: line, Column: col,
		Path: path, Message: msg, Reason: r.Reason, Fix: r.Fix, Source: r.Source, severity: r.Severity}
}

// writeLintText prints each finding as "file:line:col: severity ID name:
// message (at path)" with its reason and fix indented below, and a tally
// on stderr.
func writeLintText(out, stderr io.Writer, rep lintReport) {
	for _, f := range rep.Files {
		if f.Status == statusUnreadable {
			fmt.Fprintf(out, "%s: cannot read: %s\n", f.File, f.Message)
		}
	}
	count := map[string]int{}
	for _, f := range rep.Findings {
		where := f.File
		if f.Line > 0 {
			where = fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
		}
		at := ""
		if f.Path != "" {
			at = " (at " + f.Path + ")"
		}
		fmt.Fprintf(out, "%s: %s %s %s: %s%s\n    why: %s\n    fix: %s\n", where, f.Severity, f.RuleID, f.Rule, f.Message, at, f.Reason, f.Fix)
		count[f.Severity]++
	}
	files := "1 file"
	if len(rep.Files) != 1 {
		files = fmt.Sprintf("%d files", len(rep.Files))
	}
	if len(rep.Findings) == 0 {
		fmt.Fprintf(stderr, "%s: no findings\n", files)
		return
	}
	var parts []string
	for _, s := range []string{"error", "warning", "info"} {
		if n := count[s]; n > 0 && s == "info" {
			parts = append(parts, fmt.Sprintf("%d info", n))
		} else if n > 0 {
			parts = append(parts, plural(n, s))
		}
	}
	fmt.Fprintf(stderr, "%s: %s (%s)\n", files, plural(len(rep.Findings), "finding"), strings.Join(parts, ", "))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
