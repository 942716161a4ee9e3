package sweep

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/ecssim/ecssim/metrics"
)

// Formats are the output formats of [Result.Write].
var Formats = []string{"table", "csv", "json"}

// Write writes the aggregate of every metric in a format of [Formats].
func (r *Result) Write(w io.Writer, format string) error {
	return r.WriteMetrics(w, format, nil)
}

// WriteMetrics writes the aggregate of the given metrics, in that order
// (every metric when ids is empty), in a format of [Formats].
func (r *Result) WriteMetrics(w io.Writer, format string, ids []metrics.ID) error {
	all := r.metricList()
	var ms []metrics.Metric
	for _, id := range ids {
		if int(id) < 0 || int(id) >= len(all) {
			return fmt.Errorf("no metric %d: the sweep measured %d", id, len(all))
		}
		ms = append(ms, all[id])
	}
	if len(ms) == 0 {
		ms = all
	}
	switch format {
	case "table":
		return r.writeTable(w, ms)
	case "csv":
		return r.writeCSV(w, ms)
	case "json":
		return r.writeJSON(w, ms)
	}
	return fmt.Errorf("unknown format %q; formats: table, csv, json", format)
}

// SeedsText describes the seeds: "seed 7" for one, "seeds 1-200" for a
// range, else "200 seeds".
func SeedsText(seeds []uint64) string {
	contiguous := len(seeds) > 1
	for i := 1; i < len(seeds); i++ {
		contiguous = contiguous && seeds[i] == seeds[i-1]+1
	}
	switch {
	case len(seeds) == 1:
		return "seed " + strconv.FormatUint(seeds[0], 10)
	case contiguous:
		return fmt.Sprintf("seeds %d-%d", seeds[0], seeds[len(seeds)-1])
	}
	return fmt.Sprintf("%d seeds", len(seeds))
}

// WriteTable writes one table per grid point: a row per metric with its
// minimum, p50, p90, p99 and maximum over the seeds, and the seeds that
// gave the minimum and the maximum.
//
//	desired=3: 200 runs, 200 passed
//	METRIC              N    MIN    P50    P90    P99    MAX    MIN SEED  MAX SEED
//	time_to_steady      200  1m31s  1m50s  2m4s   2m15s  2m19s  17        121
func (r *Result) WriteTable(w io.Writer) error { return r.writeTable(w, r.metricList()) }

func (r *Result) writeTable(w io.Writer, ms []metrics.Metric) error {
	points := r.Aggregate()
	bw := &errWriter{w: w}
	fmt.Fprintf(bw, "Sweep of %s: %d grid point%s × %s = %d runs.\n", r.Name, len(points), plural(len(points)), SeedsText(r.Seeds), len(points)*len(r.Seeds))
	for _, p := range points {
		title := describe(r.Grid, p.Settings)
		if title == "" {
			title = "defaults"
		}
		fmt.Fprintf(bw, "\n%s: %d runs, %d passed\n", title, p.Runs, p.Passed)
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "METRIC\tN\tMIN\tP50\tP90\tP99\tMAX\tMIN SEED\tMAX SEED")
		for _, m := range ms {
			if m.ID == metrics.Passed {
				continue // in the title
			}
			st := p.Stats[m.ID]
			minSeed, maxSeed := "-", "-"
			if st.N > 0 {
				minSeed, maxSeed = strconv.FormatUint(st.MinSeed, 10), strconv.FormatUint(st.MaxSeed, 10)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Name, st.N,
				m.Format(st.Min), m.Format(st.P50), m.Format(st.P90), m.Format(st.P99), m.Format(st.Max), minSeed, maxSeed)
		}
		_ = tw.Flush()
	}
	return bw.err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// number prints a value for CSV and JSON: the shortest text that reads
// back as the same float64, "inf" for +Inf and "" for NaN.
func number(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteCSV writes a header and one row per grid point and metric: the
// parameters, the metric and its unit, the number of runs where it
// applies, min, p50, p90, p99, max, and the seeds of min and max.
// Durations are in seconds; +Inf is "inf", and a metric that never
// applied has empty cells. A parameter named like one of the fixed
// columns is headed param_NAME.
func (r *Result) WriteCSV(w io.Writer) error { return r.writeCSV(w, r.metricList()) }

func (r *Result) writeCSV(w io.Writer, ms []metrics.Metric) error {
	cw := csv.NewWriter(w)
	fixed := []string{"metric", "unit", "n", "min", "p50", "p90", "p99", "max", "min_seed", "max_seed"}
	header := []string{}
	for _, ax := range r.Grid {
		name := ax.Name
		if slices.Contains(fixed, name) {
			name = "param_" + name // a parameter named like a column
		}
		header = append(header, name)
	}
	header = append(header, fixed...)
	_ = cw.Write(header)
	for _, p := range r.Aggregate() {
		for _, m := range ms {
			st := p.Stats[m.ID]
			row := []string{}
			for _, ax := range r.Grid {
				row = append(row, p.Settings[ax.Name])
			}
			minSeed, maxSeed := "", ""
			if st.N > 0 {
				minSeed, maxSeed = strconv.FormatUint(st.MinSeed, 10), strconv.FormatUint(st.MaxSeed, 10)
			}
			row = append(row, m.Name, m.Unit, strconv.Itoa(st.N),
				number(st.Min), number(st.P50), number(st.P90), number(st.P99), number(st.Max), minSeed, maxSeed)
			_ = cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes JSON Lines, one object per grid point:
//
//	{"params":{"desired":"3"},"runs":200,"passed":200,"metrics":{"time_to_steady":{"n":200,"min":91.2,"p50":...,"max_seed":121},...}}
//
// Keys are in grid and metric order. Durations are in seconds; +Inf is
// the string "inf", and a metric that never applied has null values.
func (r *Result) WriteJSON(w io.Writer) error { return r.writeJSON(w, r.metricList()) }

func (r *Result) writeJSON(w io.Writer, ms []metrics.Metric) error {
	var b bytes.Buffer
	for _, p := range r.Aggregate() {
		b.WriteString(`{"params":{`)
		for i, ax := range r.Grid {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(ax.Name) + ":" + strconv.Quote(p.Settings[ax.Name]))
		}
		fmt.Fprintf(&b, `},"runs":%d,"passed":%d,"metrics":{`, p.Runs, p.Passed)
		for i, m := range ms {
			if i > 0 {
				b.WriteByte(',')
			}
			st := p.Stats[m.ID]
			fmt.Fprintf(&b, `%q:{"n":%d,"min":%s,"p50":%s,"p90":%s,"p99":%s,"max":%s`, m.Name, st.N,
				jsonNumber(st.Min), jsonNumber(st.P50), jsonNumber(st.P90), jsonNumber(st.P99), jsonNumber(st.Max))
			if st.N > 0 {
				fmt.Fprintf(&b, `,"min_seed":%d,"max_seed":%d`, st.MinSeed, st.MaxSeed)
			}
			b.WriteByte('}')
		}
		b.WriteString("}}\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func jsonNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "null"
	case math.IsInf(v, 1):
		return `"inf"`
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// errWriter keeps the first write error and drops later writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}
