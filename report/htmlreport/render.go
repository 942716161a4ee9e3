package htmlreport

import (
	"bufio"
	_ "embed"
	"fmt"
	"html"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

//go:embed report.css
var css string

//go:embed report.js
var script string

// Chart heights in viewBox units (the width is vbWidth).
const (
	vbHeight = 100 // line and area charts
	rowUnits = 10  // one Gantt row or alarm band
)

// maxBars and maxBarsMany cap the task bars drawn per service: a report
// of up to manyServices services draws at most maxBars, a bigger one
// maxBarsMany. When a service has more tasks, the first and the last
// half of the cap are drawn and a line says how many are left out.
const (
	maxBars      = 120
	maxBarsMany  = 16
	manyServices = 20
)

// maxEvents caps the service events listed.
const maxEvents = 5000

// palette colours the task definition revisions of a service, in the
// order they were first seen; it repeats after its end.
var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7"}

// Write writes the report as one HTML file. It makes no network request
// and has no third-party code; the same data gives the same bytes.
//
// A long run is downsampled so that the file stays small: see the
// package's constants columnBudget, maxBars and maxBarsMany. Counts are
// step functions with a point only where they change, at most one per
// column of the chart; metrics keep the highest datapoint of each column.
func Write(w io.Writer, d *Data) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	r := &renderer{w: bw, d: d, ax: axis{end: d.End, cols: columnsFor(len(d.Services))}}
	r.page()
	if r.err != nil {
		return r.err
	}
	return bw.Flush()
}

type renderer struct {
	w   *bufio.Writer
	d   *Data
	ax  axis
	err error
}

func (r *renderer) s(parts ...string) {
	if r.err != nil {
		return
	}
	for _, p := range parts {
		if _, err := r.w.WriteString(p); err != nil {
			r.err = err
			return
		}
	}
}

// esc escapes text for an element or a quoted attribute.
func esc(s string) string { return html.EscapeString(s) }

// num formats a number with at most one decimal.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	v = math.Round(v*10) / 10
	if v == math.Trunc(v) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// clock formats a time since the start as h:mm:ss.
func clock(d time.Duration) string {
	d = d.Truncate(time.Second)
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	s := int(d % time.Minute / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", h, m, s)
}

// anchor makes an id from a name.
func anchor(prefix, name string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, c := range name {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

func (r *renderer) page() {
	d := r.d
	title := d.Title
	if title == "" {
		title = "ecssim run"
	}
	r.s("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
		"<title>", esc(title), "</title><style>", css, "</style></head>\n",
		"<body data-end=\"", strconv.FormatInt(int64(d.End/time.Millisecond), 10), "\">\n",
		"<header><h1>", esc(title), "</h1>")
	if d.Subtitle != "" {
		r.s("<p class=\"sub\">", esc(d.Subtitle), "</p>")
	}
	r.s("<p class=\"sub\">", strconv.Itoa(len(d.Services)), " services, ", clock(d.End), " of simulated time.")
	if n := len(d.Expectations); n > 0 {
		failed := 0
		for _, e := range d.Expectations {
			if !e.OK {
				failed++
			}
		}
		r.s(" Expectations: ", strconv.Itoa(n-failed), " of ", strconv.Itoa(n), " held.")
	}
	r.s("</p>\n<div class=\"bar\"><span class=\"lab\">Zoom <button id=\"zr\" type=\"button\">reset</button></span>",
		"<div class=\"zoom\"><input id=\"z0\" type=\"range\" min=\"0\" max=\"1000\" value=\"0\" aria-label=\"from\">",
		"<input id=\"z1\" type=\"range\" min=\"0\" max=\"1000\" value=\"1000\" aria-label=\"to\">",
		"<div class=\"axis\"></div></div></div></header>\n<main>\n")
	if len(d.Services) > 1 {
		r.s("<nav><b>Services</b> ")
		for _, s := range d.Services {
			r.s("<a href=\"#", anchor("svc-", s.Name), "\">", esc(s.Name), "</a> ")
		}
		r.s("</nav>\n")
	}
	for _, s := range d.Services {
		r.service(s)
	}
	r.alarms()
	r.clusters()
	r.costs()
	r.expectations()
	r.events()
	r.s("</main>\n<div id=\"tip\" hidden></div>\n<script>", script, "</script>\n</body></html>\n")
}

// chart opens a chart: a figure with a caption, the y labels and an SVG
// plot of height h viewBox units drawn px pixels high.
func (r *renderer) chart(kind, owner, caption string, top string, h, px int) {
	r.s("<figure class=\"chart\" data-chart=\"", kind, "\" data-owner=\"", esc(owner), "\">",
		"<figcaption>", esc(caption), "</figcaption><div class=\"row\"><div class=\"lab\" style=\"height:",
		strconv.Itoa(px), "px\"><span>", esc(top), "</span><span>0</span></div>",
		"<svg class=\"plot\" viewBox=\"0 0 ", strconv.Itoa(vbWidth), " ", strconv.Itoa(h),
		"\" preserveAspectRatio=\"none\" style=\"height:", strconv.Itoa(px), "px\" data-h=\"", strconv.Itoa(h), "\">")
}

func (r *renderer) endChart(legend ...string) {
	r.s("</svg></div>")
	if len(legend) > 0 {
		r.s("<div class=\"legend\">")
		for i := 0; i+1 < len(legend); i += 2 {
			r.s("<span><i style=\"background:", legend[i], "\"></i>", esc(legend[i+1]), "</span>")
		}
		r.s("</div>")
	}
	r.s("</figure>\n")
}

// y maps a value to viewBox y on a chart of top value top.
func y(v, top float64) float64 {
	if top <= 0 {
		return vbHeight
	}
	return vbHeight - v/top*vbHeight
}

// stepPath draws a step function as a line.
func (r *renderer) stepPath(name, color, extra string, pts []pt, top float64) {
	var b strings.Builder
	for i, p := range pts {
		if i == 0 {
			b.WriteString("M" + num(p.x) + " " + num(y(p.v, top)))
			continue
		}
		b.WriteString("H" + num(p.x) + "V" + num(y(p.v, top)))
	}
	if len(pts) > 0 {
		b.WriteString("H" + strconv.Itoa(vbWidth))
	}
	r.s("<path class=\"line", extra, "\" d=\"", b.String(), "\" stroke=\"", color, "\" data-series=\"", esc(name),
		"\" data-points=\"", strconv.Itoa(len(pts)), "\"><title>", esc(name), "</title></path>")
}

// linePath draws metric datapoints as a line.
func (r *renderer) linePath(name, color, extra string, pts []pt, top float64) {
	var b strings.Builder
	for i, p := range pts {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString("L")
		}
		b.WriteString(num(p.x) + " " + num(y(p.v, top)))
	}
	r.s("<path class=\"line", extra, "\" d=\"", b.String(), "\" stroke=\"", color, "\" data-series=\"", esc(name),
		"\" data-points=\"", strconv.Itoa(len(pts)), "\"><title>", esc(name), "</title></path>")
}

// marker draws a vertical line at a time.
func (r *renderer) marker(m Marker, h int) {
	x := num(r.ax.x(m.At))
	r.s("<line class=\"mark mark-", m.Kind, "\" x1=\"", x, "\" x2=\"", x, "\" y2=\"", strconv.Itoa(h),
		"\" data-tip=\"", esc(clock(m.At)+" "+m.Text), "\"/>")
}

// markerSpan is how many columns share one marker of a kind.
const markerSpan = 4

// markers draws markers, at most one of a kind per markerSpan columns:
// the first, its tooltip counting the others.
func (r *renderer) markers(ms []Marker, h int) {
	type key struct {
		col  int
		kind string
	}
	seen := map[key]int{} // index in out
	var out []Marker
	var more []int
	for _, m := range ms {
		k := key{r.ax.col(m.At) / markerSpan, m.Kind}
		if i, ok := seen[k]; ok {
			more[i]++
			continue
		}
		seen[k] = len(out)
		out = append(out, m)
		more = append(more, 0)
	}
	for i, m := range out {
		m.Text = clip(m.Text, maxTip)
		if more[i] > 0 {
			m.Text += fmt.Sprintf(" (and %d more %s here; zoom in)", more[i], m.Kind)
		}
		r.marker(m, h)
	}
}

// maxTip caps the text of a tooltip, in bytes.
const maxTip = 300

// clip shortens s to at most n bytes, at a rune boundary, with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// niceTop returns a round value at or above v, at least min.
func niceTop(v, least float64) float64 {
	v = max(v, least)
	if v <= 10 && least >= 1 {
		return math.Ceil(v)
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return v
}

func (r *renderer) service(s *Service) {
	r.s("<section class=\"service\" id=\"", anchor("svc-", s.Name), "\" data-service=\"", esc(s.Name), "\"><h2>", esc(s.Name), "</h2>\n")
	r.counts(s)
	r.gantt(s)
	r.utilization(s)
	r.traffic(s)
	for _, g := range s.TargetGroups {
		r.targets(s, g)
	}
	r.s("</section>\n")
}

func (r *renderer) revColor(s *Service, rev string) string {
	for i, v := range s.Revisions {
		if v == rev {
			return palette[i%len(palette)]
		}
	}
	return palette[0]
}

// counts draws running tasks stacked by revision, pending and desired.
func (r *renderer) counts(s *Service) {
	revIdx := map[string]int{}
	for i, v := range s.Revisions {
		revIdx[v] = i
	}
	pendingKey := len(s.Revisions)
	var ds []delta
	for _, t := range s.Tasks {
		k := revIdx[t.TaskDefinition]
		var runFrom, runTo, pendFrom, pendTo time.Duration = -1, -1, -1, -1
		for _, seg := range t.Segments {
			switch seg.State {
			case StatePending:
				if pendFrom < 0 {
					pendFrom = seg.At
				}
			case StateRunning, StateHealthy, StateUnhealthy:
				if runFrom < 0 {
					runFrom = seg.At
					if pendFrom >= 0 {
						pendTo = seg.At
					}
				}
			case StateStopping:
				if runFrom >= 0 && runTo < 0 {
					runTo = seg.At
				}
				if pendFrom >= 0 && pendTo < 0 {
					pendTo = seg.At
				}
			}
		}
		end := t.Stopped
		if end == 0 {
			end = -1
		}
		if pendFrom >= 0 {
			if pendTo < 0 {
				pendTo = end
			}
			ds = append(ds, delta{pendFrom, pendingKey, 1})
			if pendTo >= 0 {
				ds = append(ds, delta{pendTo, pendingKey, -1})
			}
		}
		if runFrom >= 0 {
			if runTo < 0 {
				runTo = end
			}
			ds = append(ds, delta{runFrom, k, 1})
			if runTo >= 0 {
				ds = append(ds, delta{runTo, k, -1})
			}
		}
	}
	series := counts(ds, len(s.Revisions)+1)
	running, pending := series[:len(s.Revisions)], series[len(s.Revisions)]
	xs, tops := r.ax.stacked(running)
	pend := r.ax.steps(pending)
	desired := r.ax.steps(s.Desired)
	top := 1.0
	for _, row := range tops {
		if len(row) > 0 {
			top = max(top, row[len(row)-1])
		}
	}
	for _, p := range pend {
		top = max(top, p.v)
	}
	for _, p := range desired {
		top = max(top, p.v)
	}
	top = niceTop(top, 1)
	r.chart("counts", s.Name, "Tasks: running (stacked by task definition), pending and desired", num(top), vbHeight, 140)
	var legend []string
	for k, rev := range s.Revisions {
		color := r.revColor(s, rev)
		legend = append(legend, color, "running "+rev)
		var b strings.Builder
		for i, x := range xs {
			if i == 0 {
				b.WriteString("M" + num(x) + " " + num(y(tops[i][k], top)))
				continue
			}
			b.WriteString("H" + num(x) + "V" + num(y(tops[i][k], top)))
		}
		if len(xs) > 0 {
			b.WriteString("H" + strconv.Itoa(vbWidth))
			for i := len(xs) - 1; i >= 0; i-- {
				lower := 0.0
				if k > 0 {
					lower = tops[i][k-1]
				}
				b.WriteString("V" + num(y(lower, top)) + "H" + num(xs[i]))
			}
			b.WriteString("Z")
		}
		r.s("<path class=\"area\" d=\"", b.String(), "\" fill=\"", color, "\" data-series=\"running ", esc(rev),
			"\" data-points=\"", strconv.Itoa(len(xs)), "\"><title>running ", esc(rev), "</title></path>")
	}
	r.stepPath("pending", "#e15759", " dash", pend, top)
	r.stepPath("desired", "#222", "", desired, top)
	r.markers(s.Deployments, vbHeight)
	legend = append(legend, "#e15759", "pending", "#222", "desired",
		"#4e79a7", "deployment start", "#59a14f", "completed", "#e15759", "failed", "#b07aa1", "rollback")
	r.endChart(legend...)
}

// stateColor colours a task bar's state.
var stateColor = map[string]string{
	StatePending:   "#c9c9c9",
	StateRunning:   "#76b7b2",
	StateHealthy:   "#59a14f",
	StateUnhealthy: "#e15759",
	StateStopping:  "#f28e2b",
}

// failedStop reports whether a task stopped for a reason of its own.
func failedStop(t *Task) bool {
	switch t.StopCode {
	case "", "UserInitiated":
		return false
	case "ServiceSchedulerInitiated":
		return strings.Contains(t.StopReason, "health check")
	}
	return true
}

// gantt draws one bar per task.
func (r *renderer) gantt(s *Service) {
	limit := maxBars
	if len(r.d.Services) > manyServices {
		limit = maxBarsMany
	}
	tasks := s.Tasks
	left := 0
	if len(tasks) > limit {
		left = len(tasks) - limit
		kept := make([]*Task, 0, limit)
		kept = append(kept, tasks[:limit/2]...)
		tasks = append(kept, tasks[len(tasks)-limit+limit/2:]...)
	}
	rows := max(len(tasks), 1)
	h := rows * rowUnits
	px := min(max(rows*7, 30), 420)
	caption := "Task lifecycle (one bar per task; hover for details)"
	if left > 0 {
		caption = fmt.Sprintf("Task lifecycle: %d of %d tasks drawn (the first %d and the last %d); %d left out", len(tasks), len(s.Tasks), limit/2, limit-limit/2, left)
	}
	r.chart("gantt", s.Name, caption, strconv.Itoa(len(tasks))+" tasks", h, px)
	for i, t := range tasks {
		tip := "task " + t.ID + " (" + t.TaskDefinition + ")"
		if len(t.Segments) > 0 {
			tip += "\nstarted " + clock(t.Segments[0].At)
		}
		if t.Stopped > 0 {
			tip += "\nSTOPPED at " + clock(t.Stopped)
			if t.StopCode != "" {
				tip += " (" + t.StopCode + ")"
			}
			if t.StopReason != "" {
				tip += ": " + t.StopReason
			}
		}
		cls := "task"
		if failedStop(t) {
			cls += " failed"
		}
		r.s("<g class=\"", cls, "\" data-tip=\"", esc(clip(tip, maxTip)), "\">")
		yy := strconv.Itoa(i*rowUnits + 1)
		for j, seg := range t.Segments {
			end := t.Stopped
			if j+1 < len(t.Segments) {
				end = t.Segments[j+1].At
			} else if t.Stopped == 0 {
				end = r.d.End
			}
			x0, x1 := r.ax.x(seg.At), r.ax.x(end)
			r.s("<rect class=\"s-", seg.State, "\" x=\"", num(x0), "\" y=\"", yy, "\" width=\"", num(max(x1-x0, 0.3)), "\"/>")
		}
		r.s("</g>")
	}
	r.endChart(stateColor[StatePending], "provisioning / pending", stateColor[StateRunning], "running",
		stateColor[StateHealthy], "running, healthy", stateColor[StateUnhealthy], "running, unhealthy",
		stateColor[StateStopping], "stopping")
}

// utilization draws CPU and memory against their targets, with the
// scaling activities.
func (r *renderer) utilization(s *Service) {
	if len(s.CPU) == 0 && len(s.Memory) == 0 && len(s.Scaling) == 0 {
		return
	}
	cpu, mem := r.ax.samples(s.CPU), r.ax.samples(s.Memory)
	top := 100.0
	for _, p := range append(cpu, mem...) {
		top = max(top, p.v)
	}
	top = niceTop(top, 100)
	r.chart("utilization", s.Name, "CPU and memory utilization (%, AWS/ECS, per minute), target tracking targets and scaling activities", num(top), vbHeight, 120)
	r.linePath("CPUUtilization", "#4e79a7", "", cpu, top)
	r.linePath("MemoryUtilization", "#b07aa1", "", mem, top)
	legend := []string{"#4e79a7", "CPU", "#b07aa1", "memory"}
	if s.CPUTarget > 0 {
		r.stepPath("CPU target", "#4e79a7", " dash", []pt{{0, s.CPUTarget}}, top)
		legend = append(legend, "#4e79a7", "CPU target "+num(s.CPUTarget)+"%")
	}
	if s.MemoryTarget > 0 {
		r.stepPath("memory target", "#b07aa1", " dash", []pt{{0, s.MemoryTarget}}, top)
		legend = append(legend, "#b07aa1", "memory target "+num(s.MemoryTarget)+"%")
	}
	r.markers(s.Scaling, vbHeight)
	legend = append(legend, "#59a14f", "scale out", "#f28e2b", "scale in")
	r.endChart(legend...)
}

// traffic draws the request rate the service was given.
func (r *renderer) traffic(s *Service) {
	if len(s.Traffic) == 0 {
		return
	}
	rps := r.ax.samples(s.Traffic)
	top := 1.0
	for _, p := range rps {
		top = max(top, p.v)
	}
	top = niceTop(top, 1)
	r.chart("traffic", s.Name, "Traffic (requests per second, sim:SetTraffic)", num(top), vbHeight, 80)
	r.linePath("requests per second", "#76b7b2", "", rps, top)
	r.endChart("#76b7b2", "requests per second")
}

// targets draws a target group's targets by health, and the requests
// per target.
func (r *renderer) targets(s *Service, g *TargetGroup) {
	h, u, o := r.ax.steps(g.Healthy), r.ax.steps(g.Unhealthy), r.ax.steps(g.Other)
	top := 1.0
	for _, p := range append(append(h, u...), o...) {
		top = max(top, p.v)
	}
	top = niceTop(top, 1)
	r.chart("targets", s.Name, "Target group "+g.Name+": targets by health", num(top), vbHeight, 100)
	r.stepPath("healthy", "#59a14f", "", h, top)
	r.stepPath("unhealthy", "#e15759", "", u, top)
	r.stepPath("initial, draining or unused", "#999", " dash", o, top)
	r.endChart("#59a14f", "healthy", "#e15759", "unhealthy", "#999", "initial, draining or unused")
	if len(g.RequestsPerTarget) == 0 {
		return
	}
	req := r.ax.samples(g.RequestsPerTarget)
	top = max(1, s.RequestsTarget)
	for _, p := range req {
		top = max(top, p.v)
	}
	top = niceTop(top, 1)
	r.chart("requests", s.Name, "Target group "+g.Name+": requests per target (per minute, AWS/ApplicationELB RequestCountPerTarget)", num(top), vbHeight, 100)
	r.linePath("RequestCountPerTarget", "#f28e2b", "", req, top)
	legend := []string{"#f28e2b", "requests per target"}
	if s.RequestsTarget > 0 {
		r.stepPath("requests target", "#f28e2b", " dash", []pt{{0, s.RequestsTarget}}, top)
		legend = append(legend, "#f28e2b", "target tracking target "+num(s.RequestsTarget))
	}
	r.markers(s.Scaling, vbHeight)
	r.endChart(legend...)
}

// alarmColor colours alarm states.
var alarmColor = map[string]string{"OK": "#59a14f", "ALARM": "#e15759", "INSUFFICIENT_DATA": "#c9c9c9"}

func (r *renderer) alarms() {
	if len(r.d.Alarms) == 0 {
		return
	}
	r.s("<section id=\"alarms\"><h2>Alarms</h2>\n")
	h := len(r.d.Alarms) * rowUnits
	r.s("<figure class=\"chart\" data-chart=\"alarms\" data-owner=\"\"><figcaption>Alarm states</figcaption><div class=\"row\"><div class=\"lab names\">")
	for _, a := range r.d.Alarms {
		r.s("<span title=\"", esc(a.Name), "\">", esc(shortAlarm(a.Name)), "</span>")
	}
	r.s("</div><svg class=\"plot\" viewBox=\"0 0 ", strconv.Itoa(vbWidth), " ", strconv.Itoa(h),
		"\" preserveAspectRatio=\"none\" style=\"height:", strconv.Itoa(len(r.d.Alarms)*16), "px\" data-h=\"", strconv.Itoa(h), "\">")
	for i, a := range r.d.Alarms {
		states := r.alarmStates(a.States)
		r.s("<g class=\"alarm\" data-series=\"", esc(a.Name), "\" data-points=\"", strconv.Itoa(len(states)), "\">")
		for j, st := range states {
			end := r.d.End
			if j+1 < len(states) {
				end = states[j+1].At
			}
			x0, x1 := r.ax.x(st.At), r.ax.x(end)
			r.s("<rect class=\"a-", esc(st.State), "\" x=\"", num(x0), "\" y=\"", strconv.Itoa(i*rowUnits+1), "\" width=\"", num(max(x1-x0, 0.3)),
				"\" data-tip=\"", esc(clip(clock(st.At)+" "+st.State+": "+st.Reason, maxTip)), "\"/>")
		}
		r.s("</g>")
	}
	r.endChart(alarmColor["OK"], "OK", alarmColor["ALARM"], "ALARM", alarmColor["INSUFFICIENT_DATA"], "INSUFFICIENT_DATA")
	r.s("</section>\n")
}

// alarmStates downsamples an alarm's states like a step function: one
// band per column with a change, from the column's first change, in the
// column's last state; bands that change nothing are merged.
func (r *renderer) alarmStates(in []AlarmState) []AlarmState {
	var out []AlarmState
	lastCol := -1
	for _, st := range in {
		c := r.ax.col(st.At)
		if c == lastCol && len(out) > 0 {
			out[len(out)-1].State, out[len(out)-1].Reason = st.State, st.Reason
		} else {
			out = append(out, st)
			lastCol = c
		}
		if n := len(out); n > 1 && out[n-1].State == out[n-2].State {
			out = out[:n-1]
		}
	}
	return out
}

// trackingAlarm matches the name of an alarm target tracking creates.
var trackingAlarm = regexp.MustCompile(`^TargetTracking-(?:.*/)?([^/]+)-(Alarm(?:High|Low))-[0-9a-f-]+$`)

// shortAlarm shortens a target tracking alarm's name to its resource and
// side ("nginx AlarmHigh"); the full name is in the label's title.
func shortAlarm(name string) string {
	if m := trackingAlarm.FindStringSubmatch(name); m != nil {
		return m[1] + " " + m[2]
	}
	return name
}

func (r *renderer) clusters() {
	if len(r.d.Clusters) == 0 {
		return
	}
	r.s("<section id=\"instances\"><h2>Container instances</h2>\n")
	for _, c := range r.d.Clusters {
		inst := r.ax.steps(c.Instances)
		top := 1.0
		for _, p := range inst {
			top = max(top, p.v)
		}
		top = niceTop(top, 1)
		r.chart("instances", c.Name, "Cluster "+c.Name+": ACTIVE and DRAINING container instances", num(top), vbHeight, 100)
		r.stepPath("instances", "#4e79a7", "", inst, top)
		r.endChart("#4e79a7", "instances")
		r.chart("reserved", c.Name, "Cluster "+c.Name+": CPU and memory reserved by tasks (% of registered)", "100", vbHeight, 100)
		r.stepPath("CPU reserved", "#f28e2b", "", r.ax.steps(c.CPUReserved), 100)
		r.stepPath("memory reserved", "#b07aa1", "", r.ax.steps(c.MemoryReserved), 100)
		r.endChart("#f28e2b", "CPU reserved", "#b07aa1", "memory reserved")
	}
	r.s("</section>\n")
}

func (r *renderer) costs() {
	billed := false
	for _, c := range r.d.Costs {
		billed = billed || c.USD > 0 || c.TaskHours > 0 || c.InstanceHours > 0
	}
	if !billed {
		return
	}
	r.s("<section id=\"costs\"><h2>Cost</h2>\n")
	r.costCurves()
	r.s("<table><thead><tr><th>cluster / service</th><th>task-hours</th><th>instance-hours</th><th>USD</th><th></th></tr></thead><tbody>\n")
	top := 0.0
	for _, c := range r.d.Costs {
		top = max(top, c.USD)
	}
	for _, c := range r.d.Costs {
		w := 0.0
		if top > 0 {
			w = c.USD / top * 100
		}
		cls := "cluster"
		if strings.Contains(c.Name, "/") {
			cls = "svc"
		}
		r.s("<tr class=\"", cls, "\"><td>", esc(c.Name), "</td><td>", strconv.FormatFloat(c.TaskHours, 'f', 2, 64),
			"</td><td>", strconv.FormatFloat(c.InstanceHours, 'f', 2, 64), "</td><td>", strconv.FormatFloat(c.USD, 'f', 2, 64),
			"</td><td><span class=\"cost\" style=\"width:", num(w), "%\"></span></td></tr>\n")
	}
	r.s("</tbody></table></section>\n")
}

// maxCostLegend is the most services the cost chart names in its legend;
// beyond, each line's title names its service.
const maxCostLegend = 12

// costCurves draws each service's cost accumulated over time.
func (r *renderer) costCurves() {
	top := 0.0
	n := 0
	for _, s := range r.d.Services {
		if len(s.Cost) > 0 {
			n++
			top = max(top, s.Cost[len(s.Cost)-1].Value)
		}
	}
	if n == 0 {
		return
	}
	top = niceTop(top*1.0001, 0.01)
	r.chart("cost", "", "Fargate cost accumulated per service (USD)", strconv.FormatFloat(top, 'f', 2, 64), vbHeight, 100)
	var legend []string
	i := 0
	for _, s := range r.d.Services {
		if len(s.Cost) == 0 {
			continue
		}
		color := palette[i%len(palette)]
		i++
		r.linePath(s.Name, color, "", r.ax.samples(s.Cost), top)
		if n <= maxCostLegend {
			legend = append(legend, color, s.Name)
		}
	}
	r.endChart(legend...)
}

func (r *renderer) expectations() {
	if len(r.d.Expectations) == 0 {
		return
	}
	r.s("<section id=\"expectations\"><h2>Expectations</h2><table><tbody>\n")
	for _, e := range r.d.Expectations {
		res, cls := "pass", "pass"
		if !e.OK {
			res, cls = "FAIL", "fail"
		}
		r.s("<tr class=\"", cls, "\" data-x=\"", num(r.ax.x(e.At)), "\"><td class=\"t\">", clock(e.At), "</td><td>", res, "</td><td>", esc(e.Text), "</td></tr>\n")
	}
	r.s("</tbody></table></section>\n")
}

func (r *renderer) events() {
	if len(r.d.Events) == 0 {
		return
	}
	evs := r.d.Events
	note := "Click an event to mark its time on every chart."
	if len(evs) > maxEvents {
		note = fmt.Sprintf("The first %d of %d events (the timeline has them all). ", maxEvents, len(evs)) + note
		evs = evs[:maxEvents]
	}
	r.s("<section id=\"events\"><h2>Service events</h2><p class=\"sub\">", esc(note), "</p><ol>\n")
	for _, e := range evs {
		r.s("<li data-x=\"", num(r.ax.x(e.At)), "\"><span class=\"t\">", clock(e.At), "</span> ", esc(e.Message), "</li>\n")
	}
	r.s("</ol></section>\n")
}
