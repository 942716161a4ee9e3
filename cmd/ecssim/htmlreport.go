package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/report/htmlreport"
	"github.com/ecssim/ecssim/scenario"
)

// reportFlags are the flags of `ecssim run` for the HTML report.
type reportFlags struct {
	path string
	open bool
	file *os.File // created before the run, so that a bad path fails at once
}

func (f *reportFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.path, "report", "", "write an HTML report with charts of the run to `FILE` (one self-contained file)")
	fl.BoolVar(&f.open, "open", false, "open the --report file in the browser")
}

// create creates the report's file, when there is one to write.
func (f *reportFlags) create() error {
	if f.path == "" {
		if f.open {
			return errors.New("--open needs --report FILE")
		}
		return nil
	}
	file, err := os.Create(f.path)
	if err != nil {
		return fmt.Errorf("--report: %v", err)
	}
	f.file = file
	return nil
}

// writeReport writes the HTML report of a finished run into the file
// create made, and closes it.
func (f *reportFlags) write(c *htmlreport.Collector, s *scenario.Scenario, o *scenario.Outcome) error {
	opts := htmlreport.Options{Title: "Scenario " + s.Name, Subtitle: s.Description}
	for _, r := range o.Results {
		opts.Expectations = append(opts.Expectations, htmlreport.Expectation{At: r.At, Text: r.Subject() + " " + r.Message(), OK: r.OK})
	}
	data, err := c.Build(opts)
	if err == nil {
		err = htmlreport.Write(f.file, data)
	}
	if cerr := f.file.Close(); err == nil {
		err = cerr
	}
	return err
}

// openBrowser opens a file in the user's browser, through xdg-open or
// open, when one of them is there.
func openBrowser(path string) error {
	for _, cmd := range browserCommands() {
		if p, err := exec.LookPath(cmd); err == nil {
			c := exec.Command(p, path)
			if err := c.Start(); err != nil {
				return err
			}
			go func() { _ = c.Wait() }()
			return nil
		}
	}
	return errors.New("no xdg-open or open to open it with")
}

func browserCommands() []string {
	if runtime.GOOS == "darwin" {
		return []string{"open"}
	}
	return []string{"xdg-open", "open"}
}
