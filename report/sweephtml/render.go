package sweephtml

import (
	"bufio"
	"cmp"
	"fmt"
	"html"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/report/htmlreport"
	"github.com/ecssim/ecssim/sweep"
)

// Options changes what the page says; none of it changes the numbers.
type Options struct {
	// Scenario is the scenario as the replay commands name it, a file or
	// example:NAME; empty means the sweep's name.
	Scenario string
	// Metrics are the metrics to show, in this order (indexes into
	// Result.Metrics); empty means every one.
	Metrics []metrics.ID
}

// extra is the page's own style, after the run report's sheet.
const extra = `
.dist svg.plot{height:56px}
.dist .row{margin-bottom:4px}
.seed{stroke:#4e79a7;stroke-width:2;opacity:.7}
.seed.never{stroke:#e15759}
.q{stroke-width:1.5}.q-p50{stroke:#59a14f}.q-p90{stroke:#f28e2b}.q-p99{stroke:#e15759}.q-max{stroke:#222;stroke-dasharray:4 3}
.i-p50{background:#59a14f}.i-p90{background:#f28e2b}.i-p99{background:#e15759}.i-max{background:#222}.i-seed{background:#4e79a7}
.gap{stroke:#bbb;stroke-dasharray:2 2}
.xaxis{margin-left:140px}
.stats{margin-left:140px;font-size:12px;color:#333}
code{font-family:ui-monospace,monospace;font-size:12px;background:#f4f4f4;padding:0 3px}
td.n,th.n{text-align:right}
`

// Plot geometry, in viewBox units: finite values span [left, right]; the
// runs that never reached the state ("never", +Inf) are drawn at never.
const (
	width   = 1000
	height  = 56
	left    = 10.0
	right   = 920.0
	never   = 975.0
	tickLen = 8.0
)

// Write writes the page of the result's distributions. The result must
// hold every run (a whole sweep, or the shards merged by [sweep.Merge]).
func Write(w io.Writer, r *sweep.Result, opts Options) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	p := &page{w: bw, r: r, opts: opts, points: r.Aggregate(), ms: r.Metrics}
	if len(p.ms) == 0 {
		p.ms = metrics.All[:]
	}
	if len(opts.Metrics) > 0 {
		var chosen []metrics.Metric
		for _, id := range opts.Metrics {
			if int(id) < 0 || int(id) >= len(p.ms) {
				return fmt.Errorf("no metric %d: the sweep measured %d", id, len(p.ms))
			}
			chosen = append(chosen, p.ms[id])
		}
		p.ms = chosen
	}
	if p.opts.Scenario == "" {
		p.opts.Scenario = r.Name
	}
	p.values = make([][]sample, len(p.points))
	for _, run := range r.Runs {
		if run.Point >= 0 && run.Point < len(p.points) {
			p.values[run.Point] = append(p.values[run.Point], sample{seed: run.Seed, values: run.Values})
		}
	}
	for _, vs := range p.values {
		slices.SortFunc(vs, func(a, b sample) int { return cmp.Compare(a.seed, b.seed) })
	}
	p.render()
	if p.err != nil {
		return p.err
	}
	return bw.Flush()
}

type sample struct {
	seed   uint64
	values []float64
}

type page struct {
	w      *bufio.Writer
	r      *sweep.Result
	opts   Options
	points []sweep.Point
	ms     []metrics.Metric
	values [][]sample // per point, by seed
	err    error
}

func (p *page) s(parts ...string) {
	for _, s := range parts {
		if p.err != nil {
			return
		}
		_, p.err = p.w.WriteString(s)
	}
}

func esc(s string) string { return html.EscapeString(s) }

// pointName prints a grid point as "desired=3 cpu=256", or "defaults".
func (p *page) pointName(pt sweep.Point) string {
	parts := make([]string, len(p.r.Grid))
	for i, ax := range p.r.Grid {
		parts[i] = ax.Name + "=" + pt.Settings[ax.Name]
	}
	if len(parts) == 0 {
		return "defaults"
	}
	return strings.Join(parts, " ")
}

// safeArg matches a shell word that needs no quotes.
var safeArg = regexp.MustCompile(`^[A-Za-z0-9_./:=,+@%-]+$`)

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if safeArg.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// replay is the command that reruns one seed of a grid point.
func (p *page) replay(pt sweep.Point, seed uint64) string {
	parts := []string{"ecssim", "run", shellQuote(p.opts.Scenario), "--seed", strconv.FormatUint(seed, 10)}
	for _, ax := range p.r.Grid {
		parts = append(parts, "--set", shellQuote(ax.Name+"="+pt.Settings[ax.Name]))
	}
	return strings.Join(parts, " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// anchor is the id of a metric's section: by ID, since two names of the
// scenario's own metrics may differ only in characters an id cannot hold.
func anchor(m metrics.Metric) string { return "m-" + strconv.Itoa(int(m.ID)) }

// plotted are the metrics drawn: every one but passed, which each grid
// point's title counts, as in the table.
func (p *page) plotted() []metrics.Metric {
	var out []metrics.Metric
	for _, m := range p.ms {
		if m.ID != metrics.Passed {
			out = append(out, m)
		}
	}
	return out
}

func (p *page) render() {
	title := "Sweep of " + p.r.Name
	p.s("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
		"<title>", esc(title), "</title><style>", htmlreport.CSS(), extra, "</style></head>\n<body>\n",
		"<header><h1>", esc(title), "</h1><p class=\"sub\">",
		strconv.Itoa(len(p.points)), " grid point", plural(len(p.points), "", "s"), " × ", sweep.SeedsText(p.r.Seeds),
		" = ", strconv.Itoa(len(p.points)*len(p.r.Seeds)), " runs. Replay a seed with <code>",
		esc("ecssim run "+shellQuote(p.opts.Scenario)+" --seed N"), "</code> and the grid point's <code>--set</code>.</p>\n",
		"<nav><b>Metrics</b> ")
	for _, m := range p.plotted() {
		p.s("<a href=\"#", anchor(m), "\">", esc(m.Name), "</a> ")
	}
	p.s("<a href=\"#summary\">summary</a></nav></header>\n<main>\n")
	for _, m := range p.plotted() {
		p.metric(m)
	}
	p.summary()
	p.s("</main>\n</body></html>\n")
}

// scale maps the values of one metric, over every grid point, to x.
type scale struct {
	lo, span float64
	never    bool // some run never reached the state
	empty    bool // no finite value
}

func (p *page) scaleFor(id metrics.ID) scale {
	lo, hi := math.Inf(1), math.Inf(-1)
	sc := scale{}
	for _, vs := range p.values {
		for _, s := range vs {
			if int(id) >= len(s.values) {
				continue
			}
			v := s.values[id]
			switch {
			case math.IsNaN(v):
			case math.IsInf(v, 1):
				sc.never = true
			default:
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if lo > hi {
		sc.empty, lo, hi = true, 0, 1
	}
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
		if lo < 0 && hi-0.5 >= 0 {
			lo, hi = 0, 2*hi
		}
	}
	sc.lo, sc.span = lo, hi-lo
	return sc
}

func (sc scale) x(v float64) float64 {
	if math.IsInf(v, 1) {
		return never
	}
	return left + (v-sc.lo)/sc.span*(right-left)
}

// f formats a coordinate with at most one decimal.
func f(v float64) string {
	v = math.Round(v*10) / 10
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// jitter spreads the seeds' ticks over the plot's height, by seed, so
// that equal values stay visible and the page depends only on the seeds.
func jitter(seed uint64) float64 {
	h := seed*0x9E3779B97F4A7C15 + 0x7F4A7C15
	h ^= h >> 31
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 29
	return 3 + float64(h%1000)/1000*(height-6-tickLen)
}

func (p *page) metric(m metrics.Metric) {
	sc := p.scaleFor(m.ID)
	unit := ""
	if m.Unit != "" {
		unit = " (" + m.Unit + ")"
	}
	p.s("<section class=\"dist\" id=\"", anchor(m), "\"><h2>", esc(m.Name), esc(unit), "</h2>\n",
		"<figure class=\"chart\" data-chart=\"distribution\" data-metric=\"", esc(m.Name), "\">",
		"<figcaption>Every seed's value per grid point, on one axis; the marks are p50, p90, p99 and the maximum.</figcaption>\n")
	for i, pt := range p.points {
		p.row(m, sc, pt, p.values[i])
	}
	// The axis under the plots.
	p.s("<div class=\"axis xaxis\">")
	if sc.empty {
		p.s("<span style=\"left:0%\">no value</span>")
	} else {
		for k := 0; k <= 4; k++ {
			v := sc.lo + sc.span*float64(k)/4
			p.s("<span style=\"left:", f(sc.x(v)/width*100), "%\">", esc(m.Format(v)), "</span>")
		}
	}
	if sc.never {
		p.s("<span style=\"left:", f(never/width*100), "%\">never</span>")
	}
	p.s("</div>\n<p class=\"legend\"><span><i class=\"i-seed\"></i>a seed</span><span><i class=\"i-p50\"></i>p50</span>",
		"<span><i class=\"i-p90\"></i>p90</span><span><i class=\"i-p99\"></i>p99</span><span><i class=\"i-max\"></i>max</span></p>\n",
		"</figure>\n</section>\n")
}

// row draws one grid point's strip plot and lists its extremes.
func (p *page) row(m metrics.Metric, sc scale, pt sweep.Point, vs []sample) {
	st := pt.Stats[m.ID]
	name := p.pointName(pt)
	p.s("<div class=\"row\" data-point=\"", strconv.Itoa(pt.Index), "\"><div class=\"lab names\"><span title=\"", esc(name), "\">", esc(name), "</span>",
		"<span>", strconv.Itoa(st.N), " of ", strconv.Itoa(pt.Runs), " runs</span></div>",
		"<svg class=\"plot\" viewBox=\"0 0 ", strconv.Itoa(width), " ", strconv.Itoa(height), "\" preserveAspectRatio=\"none\" data-h=\"", strconv.Itoa(height), "\">")
	if sc.never {
		x := f((right + never) / 2)
		p.s("<line class=\"gap\" x1=\"", x, "\" x2=\"", x, "\" y1=\"0\" y2=\"", strconv.Itoa(height), "\"/>")
	}
	p.s("<g class=\"seeds\" data-series=\"seeds\" data-points=\"", strconv.Itoa(st.N), "\">")
	for _, s := range vs {
		if int(m.ID) >= len(s.values) || math.IsNaN(s.values[m.ID]) {
			continue
		}
		v := s.values[m.ID]
		x, y := f(sc.x(v)), jitter(s.seed)
		cls := "seed"
		if math.IsInf(v, 1) {
			cls = "seed never"
		}
		p.s("<line class=\"", cls, "\" data-seed=\"", strconv.FormatUint(s.seed, 10), "\" x1=\"", x, "\" x2=\"", x,
			"\" y1=\"", f(y), "\" y2=\"", f(y+tickLen), "\"><title>seed ", strconv.FormatUint(s.seed, 10), ": ", esc(m.Format(v)), "</title></line>")
	}
	p.s("</g>")
	if st.N > 0 {
		for _, q := range []struct {
			name string
			v    float64
		}{{"p50", st.P50}, {"p90", st.P90}, {"p99", st.P99}, {"max", st.Max}} {
			x := f(sc.x(q.v))
			p.s("<line class=\"q q-", q.name, "\" data-mark=\"", q.name, "\" x1=\"", x, "\" x2=\"", x, "\" y1=\"0\" y2=\"", strconv.Itoa(height),
				"\"><title>", q.name, " ", esc(m.Format(q.v)), "</title></line>")
		}
	}
	p.s("</svg></div>\n<p class=\"stats\">")
	if st.N == 0 {
		p.s("No run measured it.</p>\n")
		return
	}
	p.s("p50 ", esc(m.Format(st.P50)), " · p90 ", esc(m.Format(st.P90)), " · p99 ", esc(m.Format(st.P99)), "<br>",
		"min ", esc(m.Format(st.Min)), ", seed ", strconv.FormatUint(st.MinSeed, 10), ": <code data-replay=\"min\">", esc(p.replay(pt, st.MinSeed)), "</code><br>",
		"max ", esc(m.Format(st.Max)), ", seed ", strconv.FormatUint(st.MaxSeed, 10), ": <code data-replay=\"max\">", esc(p.replay(pt, st.MaxSeed)), "</code></p>\n")
}

// summary writes the table format's numbers: a table per grid point.
func (p *page) summary() {
	p.s("<section id=\"summary\"><h2>Summary</h2>\n")
	for _, pt := range p.points {
		p.s("<h3>", esc(p.pointName(pt)), ": ", strconv.Itoa(pt.Runs), " runs, ", strconv.Itoa(pt.Passed), " passed</h3>\n",
			"<table data-point=\"", strconv.Itoa(pt.Index), "\"><tr><th>metric</th><th class=\"n\">n</th><th class=\"n\">min</th><th class=\"n\">p50</th><th class=\"n\">p90</th>",
			"<th class=\"n\">p99</th><th class=\"n\">max</th><th class=\"n\">min seed</th><th class=\"n\">max seed</th></tr>\n")
		for _, m := range p.plotted() {
			st := pt.Stats[m.ID]
			minSeed, maxSeed := "-", "-"
			if st.N > 0 {
				minSeed, maxSeed = strconv.FormatUint(st.MinSeed, 10), strconv.FormatUint(st.MaxSeed, 10)
			}
			p.s("<tr><td><a href=\"#", anchor(m), "\">", esc(m.Name), "</a></td><td class=\"n\">", strconv.Itoa(st.N), "</td>")
			for _, v := range []float64{st.Min, st.P50, st.P90, st.P99, st.Max} {
				p.s("<td class=\"n\">", esc(m.Format(v)), "</td>")
			}
			p.s("<td class=\"n\">", minSeed, "</td><td class=\"n\">", maxSeed, "</td></tr>\n")
		}
		p.s("</table>\n")
	}
	p.s("</section>\n")
}
