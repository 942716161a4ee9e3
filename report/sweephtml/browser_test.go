package sweephtml_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
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

	"github.com/ecssim/ecssim/report/sweephtml"
	"github.com/ecssim/ecssim/sweep"
)

// browserNames are the Chromium commands the browser test looks for.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"}

// newTab starts a headless Chromium for the test and returns a tab, or
// skips the test when there is no Chromium.
func newTab(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, n := range browserNames {
		if p, err := exec.LookPath(n); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no Chromium (" + strings.Join(browserNames, ", ") + ") on PATH: the browser test needs one; on Debian, apt-get install chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(acancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelT)
	require.NoError(t, chromedp.Do(ctx), "starting %s", path)
	return ctx
}

// TestBrowser loads the page of a small sweep in Chromium: no console
// error, no request but the file itself, and per plot as many seed ticks
// as the plot claims and the aggregate counts.
func TestBrowser(t *testing.T) {
	ctx := newTab(t)
	r, err := sweep.Run(circuitBreaker(), sweep.Options{Workers: 2})
	require.NoError(t, err)
	res := userResult() // with a metric of the scenario's own named like markup
	file := filepath.Join(t.TempDir(), "sweep.html")
	for _, tc := range []struct {
		name string
		r    *sweep.Result
	}{{"circuit-breaker", r}, {"user metrics", res}} {
		f, err := os.Create(file)
		require.NoError(t, err)
		require.NoError(t, sweephtml.Write(f, tc.r, opts))
		require.NoError(t, f.Close())
		u := (&url.URL{Scheme: "file", Path: file}).String()

		var mu sync.Mutex
		var errs, reqs []string
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
		_, err = chromedp.Call(ctx, network.Enable, network.EnableParams{})
		require.NoError(t, err)
		_, err = chromedp.Call(ctx, log.Enable, cdp.Empty{})
		require.NoError(t, err)
		lctx, stop := context.WithCancel(ctx)
		require.NoError(t, chromedp.Listen(lctx, func(ev any) {
			mu.Lock()
			defer mu.Unlock()
			switch e := ev.(type) {
			case *network.EventRequestWillBeSent:
				reqs = append(reqs, e.Request.URL)
			case *runtime.EventExceptionThrown:
				errs = append(errs, "exception: "+e.ExceptionDetails.Text)
			case *runtime.EventConsoleAPICalled:
				if e.Type == "error" || e.Type == "assert" {
					errs = append(errs, "console."+string(e.Type))
				}
			case *log.EventEntryAdded:
				if e.Entry.Level == log.EntryLevelError {
					errs = append(errs, "log: "+e.Entry.Text)
				}
			}
		}))
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(u)))
		type plot struct {
			Metric        string
			Point         string
			Claimed, Seen int
			Marks         int
		}
		plots, err := chromedp.Run(ctx, chromedp.Evaluate[[]plot](`Array.from(document.querySelectorAll('figure[data-chart="distribution"] .row')).map(function (row) {
			var g = row.querySelector("g[data-points]");
			return {Metric: row.closest("figure").getAttribute("data-metric"), Point: row.getAttribute("data-point"),
				Claimed: +g.getAttribute("data-points"), Seen: g.querySelectorAll("line[data-seed]").length,
				Marks: row.querySelectorAll("line[data-mark]").length};
		})`))
		require.NoError(t, err)
		mu.Lock()
		require.Empty(t, errs, tc.name)
		require.Equal(t, []string{u}, reqs, "%s: the only request is the file", tc.name)
		mu.Unlock()
		stop()

		agg := tc.r.Aggregate()
		ms := tc.r.Metrics
		want := 0
		for _, m := range ms {
			if m.Name != "passed" {
				want += len(agg)
			}
		}
		require.Len(t, plots, want, tc.name)
		for _, p := range plots {
			require.Equal(t, p.Claimed, p.Seen, "%+v", p)
			var n int
			for _, m := range ms {
				if m.Name == p.Metric {
					n = agg[mustAtoi(t, p.Point)].Stats[m.ID].N
				}
			}
			require.Equal(t, n, p.Seen, "%s: %+v", tc.name, p)
			if n > 0 {
				require.Equal(t, 4, p.Marks, "%+v", p)
			}
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		require.True(t, c >= '0' && c <= '9', s)
		n = n*10 + int(c-'0')
	}
	return n
}
