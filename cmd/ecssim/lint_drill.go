package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ecssim/ecssim/lint/drill"
	"github.com/ecssim/ecssim/scenario"
)

// drillReport is one drill result as --drill --format json prints it.
type drillReport struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Drill    string   `json:"drill"`
	Service  string   `json:"service"`
	Passed   bool     `json:"passed"`
	Summary  string   `json:"summary"`
	Evidence []string `json:"evidence"`
	Seed     uint64   `json:"seed"`
	Replay   string   `json:"replay"`
}

// runDrills runs the named drill ("all" for every one) on each scenario
// file; seed, when not nil, replaces the scenarios' seeds.
func runDrills(name string, files []string, seed *uint64, format string, stdin io.Reader, out io.Writer) error {
	var ds []*drill.Drill
	if name == "all" {
		ds = drill.Drills()
	} else if d := drill.Lookup(name); d != nil {
		ds = []*drill.Drill{d}
	} else {
		var names []string
		for _, d := range drill.Drills() {
			names = append(names, d.Name)
		}
		return &exitError{code: 2, err: fmt.Errorf("unknown drill %q: use %s or all", name, strings.Join(names, ", "))}
	}
	if format == "sarif" {
		return &exitError{code: 2, err: errors.New("--drill prints text or json")}
	}
	reports := []drillReport{}
	for _, file := range files {
		data, err := readInput(file, stdin)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%s: %s", file, readError(err))}
		}
		if !scenario.Sniff(data) {
			return &exitError{code: 2, err: fmt.Errorf("%s: a drill runs a scenario file (with steps:)", file)}
		}
		sc, err := scenario.Parse(file, data)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		for _, d := range ds {
			res, err := d.Run(sc, seed)
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("drill %s: %v", d.Name, err)}
			}
			for _, r := range res {
				reports = append(reports, drillReport{File: file, Line: r.Pos.Line, Drill: r.Drill, Service: r.Service, Passed: r.Passed,
					Summary: r.Summary, Evidence: r.Evidence, Seed: r.Seed, Replay: r.Replay(file)})
			}
		}
	}
	if format == "json" {
		if err := writeJSON(out, reports); err != nil {
			return &exitError{code: 2, err: err}
		}
	} else {
		for _, r := range reports {
			verdict := "FAILED"
			if r.Passed {
				verdict = "passed"
			}
			where := r.File
			if r.Line > 0 {
				where = fmt.Sprintf("%s:%d", r.File, r.Line)
			}
			fmt.Fprintf(out, "%s: drill %s %s: %s: %s\n", where, r.Drill, r.Service, verdict, r.Summary)
			for _, e := range r.Evidence {
				fmt.Fprintf(out, "    %s\n", e)
			}
			fmt.Fprintf(out, "    seed %d; replay: %s\n", r.Seed, r.Replay)
		}
	}
	for _, r := range reports {
		if !r.Passed {
			return &exitError{code: 1}
		}
	}
	return nil
}
