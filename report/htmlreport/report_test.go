package htmlreport_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/report/htmlreport"
	"github.com/ecssim/ecssim/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata")

// runExample runs an embedded example with a report collector, and
// returns the report's data and the run's trace hash.
func runExample(t testing.TB, name string) (*htmlreport.Data, string) {
	t.Helper()
	s, err := scenario.LoadExample(name)
	require.NoError(t, err)
	var c *htmlreport.Collector
	o, err := scenario.Run(s, scenario.Options{OnWorld: func(w *ecssim.World) { c = htmlreport.Attach(w) }})
	require.NoError(t, err)
	opts := htmlreport.Options{Title: "Scenario " + s.Name, Subtitle: s.Description}
	for _, r := range o.Results {
		opts.Expectations = append(opts.Expectations, htmlreport.Expectation{At: r.At, Text: r.Subject() + " " + r.Message(), OK: r.OK})
	}
	d, err := c.Build(opts)
	require.NoError(t, err)
	return d, o.World.Trace().Hash()
}

func render(t testing.TB, d *htmlreport.Data) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, htmlreport.Write(&b, d))
	return b.Bytes()
}

// goldenExamples are the examples whose reports are kept in testdata:
// a rollback, target tracking with alarms, load balancer targets and an
// EC2 cluster.
var goldenExamples = []string{"circuit-breaker-rollback", "target-tracking", "alb-health-check-rollback", "ec2-managed-scaling"}

// TestGolden compares each example's report with its golden file, byte
// for byte. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	for _, name := range goldenExamples {
		t.Run(name, func(t *testing.T) {
			d, _ := runExample(t, name)
			got := render(t, d)
			path := filepath.Join("testdata", name+".html")
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			require.True(t, bytes.Equal(want, got), "the report of %s differs from %s; run go test -update if the change is intended", name, path)
		})
	}
}

// TestDeterministic runs each golden example twice: the reports are
// identical, and collecting changes nothing in the run.
func TestDeterministic(t *testing.T) {
	for _, name := range goldenExamples {
		d1, h1 := runExample(t, name)
		d2, h2 := runExample(t, name)
		require.Equal(t, h1, h2)
		require.Equal(t, render(t, d1), render(t, d2), name)

		s, err := scenario.LoadExample(name)
		require.NoError(t, err)
		o, err := scenario.Run(s, scenario.Options{})
		require.NoError(t, err)
		require.Equal(t, o.World.Trace().Hash(), h1, "collecting a report changed the run of %s", name)
	}
}

// TestSelfContained checks the file refers to nothing outside it: no
// script or style source, no link, no image, no URL but the SVG namespace
// the script names.
func TestSelfContained(t *testing.T) {
	for _, name := range goldenExamples {
		d, _ := runExample(t, name)
		page := string(render(t, d))
		require.NotRegexp(t, `(?i)<(script|link|img|iframe|object|embed)[^>]*\s(src|href)=`, page)
		require.NotRegexp(t, `(?i)url\(`, page)
		urls := regexp.MustCompile(`(?i)(https?|ftp|wss?)://[^\s"'<>]*`).FindAllString(page, -1)
		for _, u := range urls {
			require.Equal(t, "http://www.w3.org/2000/svg", u, name)
		}
	}
}

// TestContent checks what the golden scenarios show, from the data.
func TestContent(t *testing.T) {
	d, _ := runExample(t, "circuit-breaker-rollback")
	require.Len(t, d.Services, 1)
	s := d.Services[0]
	kinds := map[string]int{}
	for _, m := range s.Deployments {
		kinds[m.Kind]++
	}
	require.Equal(t, 2, kinds[htmlreport.MarkDeploymentStart], "the first deployment and the update")
	require.Equal(t, 1, kinds[htmlreport.MarkRollback])
	require.Equal(t, 1, kinds[htmlreport.MarkFailed])
	require.GreaterOrEqual(t, kinds[htmlreport.MarkCompleted], 1)
	require.Len(t, s.Revisions, 2)
	failed := 0
	for _, task := range s.Tasks {
		if task.StopReason != "" && task.StopCode != "ServiceSchedulerInitiated" {
			failed++
		}
	}
	require.Positive(t, failed, "the new revision's tasks fail")

	d, _ = runExample(t, "target-tracking")
	s = d.Services[0]
	require.Equal(t, 60.0, s.CPUTarget)
	require.NotEmpty(t, s.CPU)
	require.NotEmpty(t, s.Scaling)
	require.NotEmpty(t, d.Alarms)
	// The example's load is spike(20,200,30m,1h): 20 requests per second,
	// 200 from 30 min to 1 h 30 min, then 20 again.
	traffic := map[time.Duration]float64{}
	for _, p := range s.Traffic {
		traffic[p.At] = p.Value
	}
	require.Equal(t, map[time.Duration]float64{0: 20, 29 * time.Minute: 20, 30 * time.Minute: 200, 89 * time.Minute: 200, 90 * time.Minute: 20, 150 * time.Minute: 20},
		map[time.Duration]float64{0: traffic[0], 29 * time.Minute: traffic[29*time.Minute], 30 * time.Minute: traffic[30*time.Minute],
			89 * time.Minute: traffic[89*time.Minute], 90 * time.Minute: traffic[90*time.Minute], 150 * time.Minute: traffic[150*time.Minute]})
	last := s.Desired[len(s.Desired)-1]
	require.Equal(t, 2.0, last.Value)
	peak := 0.0
	for _, st := range s.Desired {
		peak = max(peak, st.Value)
	}
	require.Equal(t, 20.0, peak, "the overshoot to 20 tasks")

	d, _ = runExample(t, "alb-health-check-rollback")
	require.Len(t, d.Services[0].TargetGroups, 1)
	require.NotEmpty(t, d.Services[0].TargetGroups[0].Unhealthy)

	d, _ = runExample(t, "ec2-managed-scaling")
	require.NotEmpty(t, d.Clusters)
	require.NotEmpty(t, d.Clusters[0].Instances)
	require.NotEmpty(t, d.Clusters[0].CPUReserved)
}

// TestEscaping checks that text from the run cannot become markup.
func TestEscaping(t *testing.T) {
	d := &htmlreport.Data{
		Title: `<b>"t"</b>`, End: time.Minute,
		Services: []*htmlreport.Service{{Name: "c/<svc>", Tasks: []*htmlreport.Task{{
			ID: "x", TaskDefinition: "a:1", Segments: []htmlreport.Segment{{At: 0, State: htmlreport.StatePending}},
			Stopped: time.Second, StopReason: `"><script>alert(1)</script>`,
		}}}},
		Events: []htmlreport.Event{{At: time.Second, Message: "<script>alert(2)</script>"}},
	}
	page := string(render(t, d))
	require.Equal(t, 1, strings.Count(page, "<script"), "only the report's own script")
	require.Contains(t, page, "&lt;script&gt;alert(2)")
}

// TestDownsampling checks the limits a big report keeps: points per
// series, task bars per service.
func TestDownsampling(t *testing.T) {
	d := bigData(200, 24*time.Hour)
	page := string(render(t, d))
	points := regexp.MustCompile(`data-points="(\d+)"`).FindAllStringSubmatch(page, -1)
	require.NotEmpty(t, points)
	for _, p := range points {
		var n int
		fmt.Sscan(p[1], &n)
		require.LessOrEqual(t, n, 200, "a series keeps at most one point per column")
	}
	bars := strings.Count(page, `<g class="task`)
	require.Equal(t, 200*16, bars, "16 bars per service")
	require.Contains(t, page, "16 of 144 tasks drawn")
	require.Less(t, len(page), 10<<20)
}

// BenchmarkWriteDay renders a day of 200 services.
func BenchmarkWriteDay(b *testing.B) {
	d := bigData(200, 24*time.Hour)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := htmlreport.Write(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB")
}
