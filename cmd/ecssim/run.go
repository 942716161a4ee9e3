package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ecssim/ecssim/ecs"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/report"
	"github.com/ecssim/ecssim/report/htmlreport"
	"github.com/ecssim/ecssim/scenario"
)

// runFlags are the flags of `ecssim run`.
type runFlags struct {
	seed        uint64
	duration    string
	events      string
	quiet       bool
	verbose     bool
	untilStable bool
	set         []string
	figures     bool
	metrics     string
	report      reportFlags
}

func newRunCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [SCENARIO]",
		Short: "Run a scenario and print its timeline",
		Long: `Run a scenario file (YAML or JSON): make its API calls at their simulated
times, print a timeline in the words of the ECS console's Events tab and a
summary per service, and check its expectations.

With no argument, run the embedded example "` + scenario.DefaultExample + `": the getting-started
nginx service on Fargate and a rolling update. "example:NAME" runs another
embedded example; "ecssim scenarios" lists them. docs/scenarios.md
documents the file format.

Exit status: 0 when every expectation holds, 1 when one fails or a step's
call fails, 2 when the scenario or the flags are invalid.`,
		Example: `  ecssim run
  ecssim run example:circuit-breaker-rollback
  ecssim run my-scenario.yaml --seed 7 --duration 2h
  ecssim run my-scenario.yaml --set desired=6 --set cpu=512
  ecssim run my-scenario.yaml --quiet --events events.jsonl
  ecssim run example:target-tracking --report report.html --open
  ecssim run example:target-tracking --metrics metrics.csv
  ecssim run my-scenario.yaml --until-stable --events - | jq -r '."detail-type"'`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			return runScenario(cmd, arg, f)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&f.seed, "seed", 0, "seed of every random stream (default: the scenario's seed)")
	fl.StringVar(&f.duration, "duration", "", "simulated time to run, e.g. 30m, 2h, 1d12h (default: the scenario's duration)")
	fl.StringVar(&f.events, "events", "", "write every event as a JSON line (EventBridge shape) to `FILE`; - for stdout")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only failures and errors")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print every event of the trace in the timeline")
	fl.BoolVar(&f.untilStable, "until-stable", false, "stop once every step is made and every service is stable")
	fl.BoolVar(&f.figures, "figures", false, "print the run's figures after the summary (the metrics ecssim sweep aggregates)")
	fl.StringVar(&f.metrics, "metrics", "", "write every CloudWatch datapoint of the run as CSV (time,namespace,metric,dimensions,statistic,value) to `FILE`; - for stdout")
	f.report.add(cmd)
	fl.StringArrayVar(&f.set, "set", nil, "set the scenario parameter `NAME=VALUE` (repeatable)")
	return cmd
}

// completeScenario completes "example:NAME" and scenario files.
func completeScenario(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, ex := range scenario.Examples() {
		out = append(out, scenario.ExamplePrefix+ex.Name+"\t"+ex.Description)
	}
	if strings.HasPrefix(toComplete, scenario.ExamplePrefix) {
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	return out, cobra.ShellCompDirectiveDefault
}

// loadScenario loads a file, an "example:NAME", or the default example.
func loadScenario(arg string) (*scenario.Scenario, error) { return loadScenarioWith(arg, nil) }

// loadScenarioWith is loadScenario with parameter values.
func loadScenarioWith(arg string, set scenario.Settings) (*scenario.Scenario, error) {
	switch {
	case arg == "":
		return scenario.LoadExampleWith(scenario.DefaultExample, set)
	case strings.HasPrefix(arg, scenario.ExamplePrefix):
		if _, err := os.Stat(arg); err != nil {
			return scenario.LoadExampleWith(arg, set)
		}
	}
	return scenario.LoadWith(arg, set)
}

// parseSettings reads --set flags; a parameter set twice is an error.
func parseSettings(args []string) (scenario.Settings, error) {
	if len(args) == 0 {
		return nil, nil
	}
	set := scenario.Settings{}
	for _, a := range args {
		name, value, err := scenario.ParseSetting(a)
		if err != nil {
			return nil, fmt.Errorf("invalid argument for --set: %v", err)
		}
		if _, dup := set[name]; dup {
			return nil, fmt.Errorf("invalid argument for --set: %s is set twice", name)
		}
		set[name] = value
	}
	return set, nil
}

// invalid reports an invalid scenario: every problem on stderr, exit 2.
func invalid(stderr io.Writer, arg string, err error) error {
	var list scenario.ErrorList
	if !errors.As(err, &list) {
		return &exitError{code: 2, err: err}
	}
	for _, line := range list.Summary() {
		fmt.Fprintln(stderr, line)
	}
	what := arg
	if what == "" {
		what = scenario.ExamplePrefix + scenario.DefaultExample
	}
	n := "1 problem"
	if len(list) > 1 {
		n = scenario.FormatCount(len(list)) + " problems"
	}
	return &exitError{code: 2, err: fmt.Errorf("%s is not a valid scenario (%s); nothing was run", what, n)}
}

func runScenario(cmd *cobra.Command, arg string, f runFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	set, err := parseSettings(f.set)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	s, err := loadScenarioWith(arg, set)
	if err != nil {
		return invalid(stderr, arg, err)
	}
	var opts scenario.Options
	if cmd.Flags().Changed("seed") {
		opts.Seed = &f.seed
	}
	if cmd.Flags().Changed("duration") {
		d, err := scenario.ParseDuration(f.duration)
		if err != nil || d == 0 {
			if err == nil {
				err = errors.New("duration must be positive")
			}
			return &exitError{code: 2, err: fmt.Errorf("invalid argument %q for --duration: %v", f.duration, err)}
		}
		opts.Duration = d
	}
	opts.UntilStable = f.untilStable

	// Where things go: the report (header, timeline, summary) to stdout,
	// unless quiet or stdout carries the events.
	out := stdout
	if f.quiet || f.events == "-" || f.metrics == "-" {
		out = io.Discard
	}
	if f.events == "-" && f.metrics == "-" {
		return &exitError{code: 2, err: errors.New("--events and --metrics cannot both write to stdout")}
	}
	var metricsOut io.Writer
	var closeMetrics func() error
	switch f.metrics {
	case "":
	case "-":
		metricsOut = stdout
	default:
		file, err := os.Create(f.metrics)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("--metrics: %v", err)}
		}
		metricsOut, closeMetrics = file, file.Close
	}
	var events io.Writer
	var closeEvents func() error
	switch f.events {
	case "":
	case "-":
		events = stdout
	default:
		file, err := os.Create(f.events)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("--events: %v", err)}
		}
		events, closeEvents = file, file.Close
	}
	if err := f.report.create(); err != nil {
		return &exitError{code: 2, err: err}
	}
	bar := newProgress(stderr, !f.quiet)
	out = bar.writer(out)

	seed := s.Seed
	if opts.Seed != nil {
		seed = *opts.Seed
	}
	end := s.Duration
	if opts.Duration > 0 {
		end = opts.Duration
	}
	header(out, s, seed, end)

	var w *ecssim.World
	var tl *report.Timeline
	var stats *report.Stats
	var ew *report.EventWriter
	var rec *metrics.Recorder
	var html *htmlreport.Collector
	opts.OnWorld = func(world *ecssim.World) {
		w = world
		if f.figures {
			rec = metrics.Attach(w, s.Metrics...)
		}
		if f.report.path != "" {
			html = htmlreport.Attach(w)
		}
		tr := w.Trace()
		tr.Keep(false) // the observers below see everything; nothing needs the records kept
		start := w.Engine().Now()
		tl = report.NewTimeline(out, start, f.verbose)
		stats = report.NewStats(start)
		tr.Observe(stats.Record)
		tr.Observe(tl.Record)
		if events != nil {
			ew = report.NewEventWriter(events, w.Config().AccountID, w.Config().Region)
			tr.Observe(ew.Record)
		}
	}
	opts.OnStep = func(st *scenario.Step) { tl.Line(w.Engine().Now(), "> "+describeStep(st)) }
	opts.OnCheck = func(results []scenario.CheckResult) {
		for _, line := range checkLines(results) {
			tl.Line(w.Engine().Now(), line)
		}
	}
	opts.Progress = bar.update

	o, runErr := scenario.Run(s, opts)
	bar.finish()
	if o == nil {
		return &exitError{code: 2, err: runErr}
	}
	var flushErr error
	if ew != nil {
		flushErr = ew.Flush()
	}
	if closeEvents != nil {
		if err := closeEvents(); err != nil && flushErr == nil {
			flushErr = err
		}
	}
	if err := tl.Err(); err != nil && flushErr == nil {
		flushErr = err
	}

	fmt.Fprintln(out)
	svcs, err := scenario.Services(o.World)
	if err == nil {
		err = stats.Summary(out, svcs)
	}
	if err == nil {
		var costs *ecs.DescribeCostsOutput
		if costs, err = o.World.ECS().DescribeCosts(&ecs.DescribeCostsInput{}); err == nil {
			err = report.Costs(out, costs.Costs)
		}
	}
	if err == nil && rec != nil {
		err = printMetrics(out, rec.Result(o, runErr))
	}
	if err == nil && html != nil {
		if err = f.report.write(html, s, o); err == nil && f.report.open {
			if oerr := openBrowser(f.report.path); oerr != nil {
				fmt.Fprintf(stderr, "--open: %v; the report is %s\n", oerr, f.report.path)
			}
		}
	}
	if err != nil && flushErr == nil {
		flushErr = err
	}
	failures := o.Failures()
	expectations(out, stderr, o, failures, f.quiet || f.events == "-" || f.metrics == "-")
	footer(out, o)
	if metricsOut != nil {
		// After the footer: reading the metrics records nothing, but the
		// trace hash shown is the run's own either way.
		err := report.MetricsCSV(metricsOut, o.World.CloudWatch(), o.World.Start(), o.World.Now())
		if closeMetrics != nil {
			if cerr := closeMetrics(); err == nil {
				err = cerr
			}
		}
		if err != nil && flushErr == nil {
			flushErr = fmt.Errorf("--metrics: %w", err)
		}
	}

	switch {
	case runErr != nil:
		var se *scenario.StepError
		if errors.As(runErr, &se) {
			return &exitError{code: 1, err: runErr}
		}
		return &exitError{code: 1, err: fmt.Errorf("the simulation failed: %w", runErr)}
	case flushErr != nil:
		return &exitError{code: 1, err: fmt.Errorf("writing the output: %w", flushErr)}
	case len(failures) > 0:
		return &exitError{code: 1, err: fmt.Errorf("%d of %d expectations failed", len(failures), len(o.Results))}
	}
	return nil
}

// printMetrics writes the run's metrics, one per line, after a blank line.
func printMetrics(w io.Writer, res metrics.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nMETRIC\tVALUE")
	for _, m := range res.Metrics {
		fmt.Fprintf(tw, "%s\t%s\n", m.Name, m.Format(res.Values[m.ID]))
	}
	return tw.Flush()
}

// header introduces the run.
func header(w io.Writer, s *scenario.Scenario, seed uint64, end time.Duration) {
	fmt.Fprintf(w, "Scenario %s (seed %d)", s.Name, seed)
	if s.Description != "" {
		fmt.Fprintf(w, ": %s", s.Description)
	}
	region := s.Region
	if region == "" {
		region = ecssim.DefaultRegion
	}
	fmt.Fprintf(w, "\nSimulating %s from %s in %s.\n\n", scenario.FormatDuration(end), s.Start.Format(time.RFC3339), region)
	fmt.Fprintf(w, "%8s  %s\n", "TIME", "EVENT")
}

// describeStep prints a step as the timeline shows it: the call, then
// its input file or the top-level values of its inline input.
func describeStep(st *scenario.Step) string {
	var b strings.Builder
	b.WriteString(st.Call)
	if st.InputFile != "" {
		b.WriteString(" " + st.InputFile)
	} else if in := inputSummary(st.Input, 90); in != "" {
		b.WriteString(" " + in)
	}
	if st.ExpectError != "" {
		b.WriteString("  (expecting " + st.ExpectError + ")")
	}
	return b.String()
}

// inputSummary returns "key=value ..." for the top-level scalar fields of
// a JSON object, in order, with "…" for nested values and for what does
// not fit in width bytes.
func inputSummary(input []byte, width int) string {
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	var parts []string
	more, size := false, 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		var part string
		switch x := v.(type) {
		case string:
			part = key + "=" + x
		case json.Number:
			part = key + "=" + x.String()
		case bool:
			part = fmt.Sprintf("%s=%t", key, x)
		default:
			more = true
			continue
		}
		if size+len(part) > width {
			more = true
			break
		}
		parts = append(parts, part)
		size += len(part) + 1
	}
	if more {
		parts = append(parts, "…")
	}
	return strings.Join(parts, " ")
}

// checkLines prints the results of one expectation: a single line when
// every check holds, else one line per failed check.
func checkLines(results []scenario.CheckResult) []string {
	if len(results) == 0 {
		return nil
	}
	var lines, held []string
	for _, r := range results {
		if r.OK {
			held = append(held, r.Field()+" "+r.Want)
			continue
		}
		lines = append(lines, fmt.Sprintf("expect FAILED: %s %s (%s)", r.Subject(), r.Message(), r.Pos()))
	}
	if len(lines) == 0 {
		return []string{fmt.Sprintf("expect ok: %s %s", results[0].Subject(), strings.Join(held, ", "))}
	}
	return lines
}

// expectations closes the report with the expectations' tally, and the
// failures; those go to stderr when the report is not shown.
func expectations(out, stderr io.Writer, o *scenario.Outcome, failures []scenario.CheckResult, hidden bool) {
	n := len(o.Results)
	if n > 0 || len(o.Unchecked) > 0 {
		fmt.Fprintln(out)
	}
	if n > 0 {
		fmt.Fprintf(out, "Expectations: %d of %d held.\n", n-len(failures), n)
	}
	fw := out
	if hidden {
		fw = stderr
	}
	for _, r := range failures {
		fmt.Fprintf(fw, "FAILED %s\n", r)
	}
	for _, e := range o.Unchecked {
		fmt.Fprintf(out, "Not checked: the expectation at %s (%s); the run ended at %s.\n", scenario.Clock(e.At), e.Pos, scenario.Clock(o.End))
	}
	for _, st := range o.Skipped {
		fmt.Fprintf(out, "Not made: the step at %s (%s); the run ended at %s.\n", scenario.Clock(st.At), st.Pos, scenario.Clock(o.End))
	}
}

// footer says how the run ended, with the trace's size and hash.
func footer(w io.Writer, o *scenario.Outcome) {
	tr := o.World.Trace()
	how := "Ran"
	if o.Stable {
		how = "Stopped once every service was stable, after"
	}
	fmt.Fprintf(w, "\n%s %s of simulated time: %d events, trace hash %s.\n", how, scenario.FormatDuration(o.End), tr.Len(), tr.Hash())
}

// progress draws a progress bar on a terminal once a run has taken more
// than a moment. It reads the wall clock, for display only: nothing it
// does reaches the simulation.
type progress struct {
	w       io.Writer
	enabled bool
	began   time.Time
	bar     *progressbar.ProgressBar
}

// progressDelay is how long a run goes before the bar appears.
const progressDelay = 300 * time.Millisecond

func newProgress(stderr io.Writer, want bool) *progress {
	p := &progress{w: stderr}
	if f, ok := stderr.(*os.File); ok && want && term.IsTerminal(int(f.Fd())) {
		p.enabled, p.began = true, time.Now()
	}
	return p
}

func (p *progress) update(done, total time.Duration) {
	if !p.enabled {
		return
	}
	if p.bar == nil {
		if time.Since(p.began) < progressDelay {
			return
		}
		p.bar = progressbar.NewOptions64(int64(total/time.Second),
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("simulating"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true),
		)
	}
	_ = p.bar.Set64(int64(done / time.Second))
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}

// writer returns w wrapped so that the bar is cleared before each write
// and redrawn on the next update, when both share a terminal.
func (p *progress) writer(w io.Writer) io.Writer {
	if !p.enabled || w == io.Discard {
		return w
	}
	return clearingWriter{w: w, p: p}
}

type clearingWriter struct {
	w io.Writer
	p *progress
}

func (c clearingWriter) Write(b []byte) (int, error) {
	if c.p.bar != nil {
		_ = c.p.bar.Clear()
	}
	return c.w.Write(b)
}
