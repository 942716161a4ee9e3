package htmlreport_test

import (
	"context"
	"flag"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/report/htmlreport"
)

// screenshots makes TestScreenshots write the pictures of docs/report.md.
var screenshots = flag.Bool("screenshots", false, "write the screenshots of docs/report.md into docs/img")

// browserNames are the Chromium commands the browser tests look for.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"}

var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	err    error
	path   string
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// newTab returns a context of a new tab of a headless Chromium shared by
// the tests, or skips the test when there is no Chromium.
func newTab(t *testing.T) context.Context {
	t.Helper()
	browser.once.Do(func() {
		for _, n := range browserNames {
			if p, err := exec.LookPath(n); err == nil {
				browser.path = p
				break
			}
		}
		if browser.path == "" {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(browser.path), chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.WindowSize(1280, 900), chromedp.Flag("allow-file-access-from-files", false))
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		if err := chromedp.Do(bctx); err != nil {
			browser.err = err
		}
		browser.ctx, browser.cancel = bctx, func() { bcancel(); acancel() }
	})
	if browser.path == "" {
		t.Skip("no Chromium (" + strings.Join(browserNames, ", ") + ") on PATH: the browser tests need one; on Debian, apt-get install chromium")
	}
	require.NoError(t, browser.err, "starting %s", browser.path)
	ctx, cancel := chromedp.NewContext(browser.ctx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelT)
	return ctx
}

// writeReport writes a report to a temporary file and returns its URL.
func writeReport(t *testing.T, d *htmlreport.Data) (path, fileURL string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, htmlreport.Write(f, d))
	require.NoError(t, f.Close())
	return path, (&url.URL{Scheme: "file", Path: path}).String()
}

// pageLog is what a page did while loading: console errors and requests.
type pageLog struct {
	mu       sync.Mutex
	errors   []string
	requests []string
}

// watch records the console errors, exceptions and network requests of
// the tab from now on.
func watch(t *testing.T, ctx context.Context) *pageLog {
	t.Helper()
	pl := &pageLog{}
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	_, err = chromedp.Call(ctx, log.Enable, cdp.Empty{})
	require.NoError(t, err)
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		pl.mu.Lock()
		defer pl.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			pl.requests = append(pl.requests, e.Request.URL)
		case *runtime.EventExceptionThrown:
			pl.errors = append(pl.errors, "exception: "+e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == "error" || e.Type == "assert" {
				pl.errors = append(pl.errors, "console."+string(e.Type))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				pl.errors = append(pl.errors, "log: "+e.Entry.Text)
			}
		}
	}))
	return pl
}

func (pl *pageLog) snapshot() (errs, reqs []string) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return append([]string(nil), pl.errors...), append([]string(nil), pl.requests...)
}

// TestBrowserLoads loads each golden report: no console error, no
// exception, and no request but the file itself.
func TestBrowserLoads(t *testing.T) {
	ctx := newTab(t)
	for _, name := range goldenExamples {
		d, _ := runExample(t, name)
		_, u := writeReport(t, d)
		pl := watch(t, ctx)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(u)))
		// Hover and zoom run the script's handlers too.
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS("#z0"), "250"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("z0").dispatchEvent(new Event("input"))`),
			chromedp.MouseEvent(chromedp.MouseMoved, 400, 300),
		))
		errs, reqs := pl.snapshot()
		require.Empty(t, errs, name)
		require.Equal(t, []string{u}, reqs, "%s: the only request is the file", name)
	}
}

// chartSeries is what the page says of one series: its chart, name, the
// number of points it claims and the number of path commands drawn.
type chartSeries struct {
	Chart    string `json:"chart"`
	Owner    string `json:"owner"`
	Series   string `json:"series"`
	Points   int    `json:"points"`
	Commands int    `json:"commands"`
	Tag      string `json:"tag"`
	Class    string `json:"class"`
}

const seriesJS = `Array.from(document.querySelectorAll("figure.chart [data-series]")).map(function (el) {
  var fig = el.closest("figure");
  var d = el.getAttribute("d") || "";
  return {chart: fig.getAttribute("data-chart"), owner: fig.getAttribute("data-owner"),
    series: el.getAttribute("data-series"), points: +el.getAttribute("data-points"),
    commands: el.tagName === "g" ? el.querySelectorAll("rect").length : (d.match(/[MLHV]/g) || []).length,
    tag: el.tagName, class: el.getAttribute("class")};
})`

// TestBrowserSeries checks every chart of the target tracking example
// has the expected series, and that each draws the points it claims.
func TestBrowserSeries(t *testing.T) {
	ctx := newTab(t)
	d, _ := runExample(t, "target-tracking")
	_, u := writeReport(t, d)
	series, err := after(ctx, chromedp.Evaluate[[]chartSeries](seriesJS), chromedp.Navigate(u))
	require.NoError(t, err)
	got := map[string]int{}
	for _, s := range series {
		got[s.Chart+" "+s.Series] = s.Points
		switch {
		case s.Tag == "g": // alarm bands
			require.Equal(t, s.Points, s.Commands, "%+v", s)
		case strings.HasPrefix(s.Class, "area"): // forward and back, two commands a point
			require.Equal(t, 4*s.Points, s.Commands, "%+v", s)
		case s.Points == 0:
			require.Zero(t, s.Commands, "%+v", s)
		case s.Chart == "utilization" && !strings.Contains(s.Series, "target"), s.Chart == "cost", s.Chart == "requests", s.Chart == "traffic": // lines
			require.Equal(t, s.Points, s.Commands, "%+v", s)
		default: // a step line: M, then H and V per point, and H to the end
			require.Equal(t, 2*s.Points, s.Commands, "%+v", s)
		}
	}
	want := map[string]int{
		"counts running nginx:1":        10,
		"counts pending":                13,
		"counts desired":                7,
		"utilization CPUUtilization":    149,
		"utilization MemoryUtilization": 149,
		"utilization CPU target":        1,
		"cost demo/nginx":               14,
		"traffic requests per second":   151, // a sample a minute over the 2h30m run, both ends
		"alarms " + d.Alarms[0].Name:    len(d.Alarms[0].States),
		"alarms " + d.Alarms[1].Name:    len(d.Alarms[1].States),
	}
	require.Equal(t, want, got)
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('figure[data-chart="gantt"] g.task').length`))
	require.NoError(t, err)
	require.Equal(t, len(d.Services[0].Tasks), bars)
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`(function () { var m = {};
		document.querySelectorAll("line.mark").forEach(function (l) { var c = l.getAttribute("class").split(" ")[1]; m[c] = (m[c] || 0) + 1; });
		return m; })()`))
	require.NoError(t, err)
	require.Equal(t, map[string]int{"mark-start": 1, "mark-completed": 1, "mark-scale-out": 4, "mark-scale-in": 2}, marks)
}

// TestBrowserHoverStopReason hovers a failed task's bar: the tooltip
// shows why it stopped.
func TestBrowserHoverStopReason(t *testing.T) {
	ctx := newTab(t)
	d, _ := runExample(t, "circuit-breaker-rollback")
	var reason string
	for _, task := range d.Services[0].Tasks {
		if task.StopCode == "TaskFailedToStart" || task.StopCode == "EssentialContainerExited" {
			reason = task.StopReason
			break
		}
	}
	require.NotEmpty(t, reason)
	_, u := writeReport(t, d)
	type box struct{ X, Y float64 }
	b, err := after(ctx, chromedp.Evaluate[box](`(function () {
		var g = document.querySelector('figure[data-chart="gantt"] g.task.failed');
		g.scrollIntoView({block: "center"});
		var r = g.lastElementChild.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
	})()`), chromedp.Navigate(u))
	require.NoError(t, err)
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("tip").hidden`))
	require.NoError(t, err)
	require.True(t, hidden, "no tooltip before hovering")
	require.NoError(t, chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, b.X, b.Y)))
	type tip struct {
		Hidden bool
		Text   string
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[tip](`({Hidden: document.getElementById("tip").hidden, Text: document.getElementById("tip").textContent})`))
	require.NoError(t, err)
	require.False(t, got.Hidden)
	require.Contains(t, got.Text, reason)
	require.Contains(t, got.Text, "STOPPED")
}

// TestBrowserZoomAndEvents zooms, then clicks a service event: every
// plot shows the same slice, and a cursor marks the event's time.
func TestBrowserZoomAndEvents(t *testing.T) {
	ctx := newTab(t)
	d, _ := runExample(t, "target-tracking")
	_, u := writeReport(t, d)
	type state struct {
		Plots, Zoomed, Cursors int
		X                      string
	}
	got, err := after(ctx, chromedp.Evaluate[state](`(function () {
		var p = document.querySelectorAll("svg.plot"), z = 0, c = 0, x = "";
		p.forEach(function (s) { if (s.getAttribute("viewBox").indexOf("200 0 400 ") === 0) { z++; }
			var l = s.querySelector("line.cursor"); if (l) { c++; x = l.getAttribute("x1"); } });
		return {Plots: p.length, Zoomed: z, Cursors: c, X: x};
	})()`),
		chromedp.Navigate(u),
		chromedp.SetValue(chromedp.CSS("#z0"), "200"),
		chromedp.SetValue(chromedp.CSS("#z1"), "600"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("z1").dispatchEvent(new Event("input"))`),
		chromedp.Click(chromedp.CSS("#events li:nth-child(3)")),
	)
	require.NoError(t, err)
	require.Positive(t, got.Plots)
	require.Equal(t, got.Plots, got.Zoomed)
	require.Equal(t, got.Plots, got.Cursors)
	ev := d.Events[2]
	require.InDelta(t, float64(ev.At)/float64(d.End)*1000, mustFloat(t, got.X), 0.06)
}

// TestBrowserBigReport loads a day of 200 services: under 10 MB, and
// loaded (parsed, laid out, the script run) in under 3 s. With -short it
// loads a day of 50.
func TestBrowserBigReport(t *testing.T) {
	ctx := newTab(t)
	n := 200
	if testing.Short() {
		n = 50
	}
	path, u := writeReport(t, bigData(n, 24*time.Hour))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Less(t, fi.Size(), int64(10<<20), "the report of %d services", n)
	// The best of three loads, each from a blank page: the machine may be
	// busy with other work, which a single load would time too.
	var took []time.Duration
	for range 3 {
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
		start := time.Now()
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(u)))
		// Wait for the layout and a frame to be painted.
		_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(function (ok) { requestAnimationFrame(function () { ok(document.querySelectorAll("svg.plot").length > 0); }); })`, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		took = append(took, time.Since(start))
	}
	best := slices.Min(took)
	t.Logf("%d services, 24 h: %.1f MB, loads in %s (best of %v)", n, float64(fi.Size())/1e6, best.Round(time.Millisecond), took)
	require.Less(t, best, 3*time.Second)
}

// TestScreenshots writes a picture of each chart and of each golden
// example into docs/img, with -screenshots.
func TestScreenshots(t *testing.T) {
	if !*screenshots {
		t.Skip("writes docs/img only with -screenshots")
	}
	ctx := newTab(t)
	dir := filepath.Join("..", "..", "docs", "img")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	shots := []struct{ example, sel, file string }{
		{"circuit-breaker-rollback", `figure[data-chart="counts"]`, "report-counts.png"},
		{"circuit-breaker-rollback", `figure[data-chart="gantt"]`, "report-gantt.png"},
		{"target-tracking", `figure[data-chart="utilization"]`, "report-utilization.png"},
		{"target-tracking", `figure[data-chart="traffic"]`, "report-traffic.png"},
		{"target-tracking", `#alarms`, "report-alarms.png"},
		{"alb-health-check-rollback", `figure[data-chart="targets"]`, "report-targets.png"},
		{"ec2-managed-scaling", `#instances`, "report-instances.png"},
		{"target-tracking", `#costs`, "report-costs.png"},
		{"circuit-breaker-rollback", `#expectations`, "report-expectations.png"},
		{"circuit-breaker-rollback", `#events`, "report-events.png"},
	}
	pages := map[string]string{}
	for _, name := range goldenExamples {
		d, _ := runExample(t, name)
		_, pages[name] = writeReport(t, d)
		png, err := after(ctx, chromedp.CaptureScreenshot(), chromedp.EmulateViewport(1100, 760), chromedp.Navigate(pages[name]))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "report-example-"+name+".png"), png, 0o644))
	}
	for _, s := range shots {
		// Lay out every section, so that the element's box does not move
		// as the screenshot scrolls to it.
		png, err := after(ctx, chromedp.Screenshot(chromedp.CSS(s.sel)), chromedp.EmulateViewport(1100, 760), chromedp.Navigate(pages[s.example]),
			chromedp.Evaluate[chromedp.Void](`document.head.insertAdjacentHTML("beforeend", "<style>section{content-visibility:visible!important}</style>")`))
		require.NoError(t, err, s.file)
		require.NoError(t, os.WriteFile(filepath.Join(dir, s.file), png, 0o644))
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

// after runs the steps, then the action, and returns its value.
func after[T any](ctx context.Context, a chromedp.Action[T], steps ...chromedp.Action[chromedp.Void]) (T, error) {
	if err := chromedp.Do(ctx, steps...); err != nil {
		var zero T
		return zero, err
	}
	return chromedp.Run(ctx, a)
}
