package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/report/sweephtml"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sweep"
)

func init() { extraCommands = append(extraCommands, newSweepCommand) }

// sweepFlags are the flags of `ecssim sweep`.
type sweepFlags struct {
	seeds   string
	grid    []string
	workers int
	format  string
	shard   string
	out     string
	quiet   bool
	metrics string
	report  string
}

func newSweepCommand() *cobra.Command {
	var f sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO",
		Short: "Run a scenario over many seeds and a grid of parameters, and aggregate its metrics",
		Long: `Run a scenario with every seed and every combination of the grid's
parameter values, on every core, and print per grid point the distribution
of each metric over the seeds (min, p50, p90, p99, max) and the seeds that
gave the extremes: "ecssim run SCENARIO --seed N --set ..." replays one.

--grid name=v1,v2 varies a parameter of the scenario's params block; repeat
it for several, and every combination is a grid point. A sweep block in the
scenario gives the seeds and the grid that the flags do not. The result
does not depend on --workers. --shard I/N --out DIR runs only a
deterministic slice of the runs and writes a partial result into DIR;
"ecssim sweep merge DIR..." joins the partials of every shard into what
one machine prints. --report FILE also writes an HTML page with every
seed's value per metric and grid point, and the commands that replay the
extremes.
docs/sweeps.md documents the metrics and the output.`,
		Example: `  ecssim sweep example:circuit-breaker-rollback --seeds 200 --grid desired=3,6,10
  ecssim sweep my.yaml --seeds 1-500 --grid desired=4,6,8 --grid cpu=256,512 --format csv > out.csv
  ecssim sweep my.yaml --seeds 1000 --shard 0/4 --out partial/   # one of four machines
  ecssim sweep merge partial/ --format json
  ecssim sweep example:circuit-breaker-rollback --seeds 200 --grid desired=3,6 --report sweep.html`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.seeds, "seeds", "100", "the seeds: `N` for 1 to N, or a range such as 101-200 (default: the scenario's sweep block, else 100)")
	fl.StringArrayVar(&f.grid, "grid", nil, "vary a parameter: `NAME=V1,V2,...` (repeatable; default: the scenario's sweep block)")
	fl.IntVar(&f.workers, "workers", 0, "runs at once (default: the number of CPUs); the result does not depend on it")
	fl.StringVar(&f.format, "format", "table", "output format: table, csv or json (JSON Lines)")
	fl.StringVar(&f.shard, "shard", "", "run only shard `I/N` of the runs (0 <= I < N); needs --out")
	fl.StringVar(&f.out, "out", "", "write a partial result into `DIR` instead of printing, for ecssim sweep merge")
	fl.StringVar(&f.metrics, "metrics", "", "print only these metrics, e.g. `time_to_steady,cost_usd` (default: all)")
	fl.StringVar(&f.report, "report", "", "also write an HTML page of the distributions to `FILE` (one self-contained file)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar")
	cmd.AddCommand(newSweepMergeCommand())
	return cmd
}

func newSweepMergeCommand() *cobra.Command {
	var format, names, reportPath, scenarioArg string
	cmd := &cobra.Command{
		Use:   "merge DIR...",
		Short: "Join the partial results of a sharded sweep",
		Long: `Read the partial results (shard-I-of-N.json) that "ecssim sweep --shard I/N
--out DIR" wrote, check that every shard of one sweep is there once, and
print what one machine running the whole sweep prints, byte for byte.
--report FILE also writes the HTML page of the distributions, the bytes
that "ecssim sweep SCENARIO --report FILE" writes when --scenario names
the SCENARIO the shards ran.`,
		Example: `  ecssim sweep merge partial/
  ecssim sweep merge host1/ host2/ --format csv
  ecssim sweep merge partial/ --report sweep.html --scenario my.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			if !slices.Contains(sweep.Formats, format) {
				return &exitError{code: 2, err: fmt.Errorf("invalid argument %q for --format: want table, csv or json", format)}
			}
			if scenarioArg != "" && reportPath == "" {
				return &exitError{code: 2, err: errors.New("--scenario names the scenario in the --report page; it needs --report FILE")}
			}
			parts, err := sweep.ReadPartials(dirs...)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			res, err := sweep.Merge(parts...)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			ids, err := parseMetrics(names, res.Metrics)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if reportPath != "" {
				file, err := os.Create(reportPath)
				if err != nil {
					return &exitError{code: 1, err: fmt.Errorf("--report: %v", err)}
				}
				if err := writeSweepReport(file, res, sweephtml.Options{Scenario: scenarioArg, Metrics: ids}); err != nil {
					return &exitError{code: 1, err: err}
				}
			}
			if err := res.WriteMetrics(cmd.OutOrStdout(), format, ids); err != nil {
				return &exitError{code: 1, err: fmt.Errorf("writing the output: %w", err)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json (JSON Lines)")
	cmd.Flags().StringVar(&reportPath, "report", "", "also write an HTML page of the distributions to `FILE` (one self-contained file)")
	cmd.Flags().StringVar(&scenarioArg, "scenario", "", "the scenario the shards ran, a file or example:NAME, as the --report page's replay commands name it (default: the scenario's name)")
	cmd.Flags().StringVar(&names, "metrics", "", "print only these metrics, e.g. `time_to_steady,cost_usd` (default: all)")
	return cmd
}

// parseMetrics reads --metrics: names, separated by commas, of the
// metrics ms (the built-in ones and the scenario's own).
func parseMetrics(s string, ms []metrics.Metric) ([]metrics.ID, error) {
	if s == "" {
		return nil, nil
	}
	var ids []metrics.ID
	for _, name := range strings.Split(s, ",") {
		i := slices.IndexFunc(ms, func(m metrics.Metric) bool { return m.Name == name })
		if i < 0 {
			var known []string
			for _, m := range ms {
				known = append(known, m.Name)
			}
			return nil, fmt.Errorf("invalid argument %q for --metrics: no metric %q; metrics: %s", s, name, strings.Join(known, ", "))
		}
		m := ms[i]
		if slices.Contains(ids, m.ID) {
			return nil, fmt.Errorf("invalid argument %q for --metrics: %s appears twice", s, name)
		}
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// parseSeeds reads --seeds: "N" for 1..N, or "A-B".
func parseSeeds(s string) ([]uint64, error) {
	bad := fmt.Errorf("invalid argument %q for --seeds: want a count such as 200 or a range such as 101-300", s)
	if a, b, ok := strings.Cut(s, "-"); ok {
		first, err1 := strconv.ParseUint(a, 10, 64)
		last, err2 := strconv.ParseUint(b, 10, 64)
		if err1 != nil || err2 != nil || last < first {
			return nil, bad
		}
		if last-first >= maxSeeds {
			return nil, fmt.Errorf("invalid argument %q for --seeds: at most %d seeds", s, maxSeeds)
		}
		return sweep.SeedRange(first, last), nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return nil, bad
	}
	if n > maxSeeds {
		return nil, fmt.Errorf("invalid argument %q for --seeds: at most %d seeds", s, maxSeeds)
	}
	return sweep.SeedRange(1, n), nil
}

// maxSeeds bounds --seeds, against a typo that would run for days.
const maxSeeds = 10_000_000

// parseGrid reads the --grid flags.
func parseGrid(args []string) ([]sweep.Axis, error) {
	var grid []sweep.Axis
	for _, a := range args {
		name, values, ok := strings.Cut(a, "=")
		if !ok || name == "" || values == "" {
			return nil, fmt.Errorf("invalid argument %q for --grid: want NAME=V1,V2,..., e.g. desired=4,6,8", a)
		}
		ax := sweep.Axis{Name: name}
		for _, v := range strings.Split(values, ",") {
			if slices.Contains(ax.Values, v) {
				return nil, fmt.Errorf("invalid argument %q for --grid: %s=%s appears twice", a, name, v)
			}
			ax.Values = append(ax.Values, v)
		}
		if slices.ContainsFunc(grid, func(g sweep.Axis) bool { return g.Name == name }) {
			return nil, fmt.Errorf("invalid argument %q for --grid: %s is already in the grid", a, name)
		}
		grid = append(grid, ax)
	}
	return grid, nil
}

// parseShard reads --shard "I/N".
func parseShard(s string) (shard, shards int, err error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("invalid argument %q for --shard: want I/N with 0 <= I < N, e.g. 0/4", s)
	}
	return i, n, nil
}

func runSweep(cmd *cobra.Command, arg string, f sweepFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	usage := func(err error) error { return &exitError{code: 2, err: err} }
	if !slices.Contains(sweep.Formats, f.format) {
		return usage(fmt.Errorf("invalid argument %q for --format: want table, csv or json", f.format))
	}
	grid, err := parseGrid(f.grid)
	if err != nil {
		return usage(err)
	}
	if f.workers < 0 {
		return usage(fmt.Errorf("invalid argument %d for --workers: want 1 or more (0 for the number of CPUs)", f.workers))
	}
	var opts sweep.Options
	opts.Workers = f.workers
	if f.report != "" && f.out != "" {
		return usage(errors.New("--report needs the whole sweep: with --out, write it with ecssim sweep merge DIR... --report FILE"))
	}
	if f.shard != "" {
		if f.out == "" {
			return usage(errors.New("--shard needs --out DIR: a shard writes a partial result for ecssim sweep merge"))
		}
		if opts.Shard, opts.Shards, err = parseShard(f.shard); err != nil {
			return usage(err)
		}
	}
	load := func(set scenario.Settings) (*scenario.Scenario, error) { return loadScenarioWith(arg, set) }
	// Load the first grid point now: a bad file is reported as by run.
	first, err := load(sweep.Points(grid)[0])
	if err != nil {
		return invalid(stderr, arg, err)
	}
	ids, err := parseMetrics(f.metrics, metrics.For(first))
	if err != nil {
		return usage(err)
	}
	// The file's sweep block says what the flags do not.
	var seeds []uint64
	fileSweep := first.Sweep
	if !cmd.Flags().Changed("grid") && fileSweep != nil {
		for _, ax := range fileSweep.Grid {
			grid = append(grid, sweep.Axis{Name: ax.Name, Values: ax.Values})
		}
	}
	if !cmd.Flags().Changed("seeds") && fileSweep != nil && fileSweep.LastSeed > 0 {
		seeds = sweep.SeedRange(fileSweep.FirstSeed, fileSweep.LastSeed)
	} else if seeds, err = parseSeeds(f.seeds); err != nil {
		return usage(err)
	}
	var reportFile *os.File
	if f.report != "" {
		// Created now, so that a bad path fails before the runs.
		if reportFile, err = os.Create(f.report); err != nil {
			return &exitError{code: 1, err: fmt.Errorf("--report: %v", err)}
		}
		defer reportFile.Close()
	}
	spec := sweep.Spec{Name: first.Name, Load: load, Grid: grid, Seeds: seeds}
	bar := newSweepProgress(stderr, !f.quiet)
	opts.Progress = bar.update
	res, err := sweep.Run(spec, opts)
	bar.finish()
	if err != nil {
		var le *sweep.LoadError
		if errors.As(err, &le) {
			var list scenario.ErrorList
			if errors.As(le.Err, &list) {
				for _, line := range list.Summary() {
					fmt.Fprintln(stderr, line)
				}
				return usage(fmt.Errorf("%s is not a valid scenario at %s; nothing was run", arg, le.Point))
			}
		}
		return &exitError{code: 1, err: err}
	}
	if f.out != "" {
		name, err := res.WritePartial(f.out)
		if err != nil {
			return &exitError{code: 1, err: fmt.Errorf("--out: %v", err)}
		}
		fmt.Fprintf(stderr, "Wrote %d runs (shard %d of %d) to %s.\n", len(res.Runs), res.Shard, res.Shards, name)
		return nil
	}
	if reportFile != nil {
		if err := writeSweepReport(reportFile, res, sweephtml.Options{Scenario: arg, Metrics: ids}); err != nil {
			return &exitError{code: 1, err: err}
		}
	}
	if err := res.WriteMetrics(stdout, f.format, ids); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("writing the output: %w", err)}
	}
	return nil
}

// writeSweepReport writes the HTML page of a sweep's distributions into
// file, and closes file.
func writeSweepReport(file *os.File, res *sweep.Result, opts sweephtml.Options) error {
	err := sweephtml.Write(file, res, opts)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--report: %v", err)
	}
	return nil
}

// sweepProgress draws a bar of runs done, with an estimate of the time
// left, on a terminal. It reads the wall clock, for display only.
type sweepProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
	on  bool
}

func newSweepProgress(stderr io.Writer, want bool) *sweepProgress {
	p := &sweepProgress{w: stderr}
	if f, ok := stderr.(*os.File); ok && want && term.IsTerminal(int(f.Fd())) {
		p.on = true
	}
	return p
}

func (p *sweepProgress) update(done, total int) {
	if !p.on {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("sweeping"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("runs"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true),
		)
	}
	_ = p.bar.Set(done)
}

func (p *sweepProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
