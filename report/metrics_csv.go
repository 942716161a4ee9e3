package report

import (
	"cmp"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/sim"
)

// MetricsCSVHeader is the header row of MetricsCSV.
var MetricsCSVHeader = []string{"time", "namespace", "metric", "dimensions", "statistic", "value"}

// metricsCSVStats are the statistics of each datapoint, in the order of
// their rows.
var metricsCSVStats = []string{
	cloudwatch.StatSampleCount, cloudwatch.StatSum, cloudwatch.StatAverage, cloudwatch.StatMinimum, cloudwatch.StatMaximum,
}

// Datapoints reach back as far as PutMetricData accepts timestamps (two
// weeks) and forward as far as it accepts them ahead (two hours).
// [API:cloudwatch PutMetricData MetricDatum.Timestamp]
const (
	metricsLookBack  = 14 * 24 * time.Hour
	metricsLookAhead = 2 * time.Hour
	// metricsDay is the span probed at a time: 1,440 one-minute
	// datapoints, GetMetricStatistics's most in one request.
	metricsDay = 24 * time.Hour
)

// MetricsCSV writes every one-minute datapoint that CloudWatch holds for
// readers (published and past its publication delay) around the run from
// start to end, as CSV with the header MetricsCSVHeader: one row per
// datapoint and statistic (SampleCount, Sum, Average, Minimum, Maximum),
// the time as RFC 3339 in UTC (the start of the minute), the dimensions as
// Name=Value pairs sorted by name and joined by ";". Rows are sorted by
// time, namespace, metric and dimensions, then by statistic in that order.
// A minute published in several units has a row set per unit, in unit
// order.
//
// It reads through the public API (ListMetrics, GetMetricStatistics),
// which records nothing in the trace.
func MetricsCSV(w io.Writer, cw cloudwatch.Client, start, end time.Time) error {
	metrics, err := allMetrics(cw)
	if err != nil {
		return err
	}
	type row struct {
		at             time.Time
		ns, name, dims string
		order          int // the datapoint's place in its answer: units
		stat           int // index in metricsCSVStats
		value          float64
	}
	var rows []row
	from := start.UTC().Truncate(time.Minute).Add(-metricsLookBack)
	if from.Before(sim.Epoch) {
		from = sim.Epoch // nothing is stored before the simulation's epoch
	}
	to := end.UTC().Truncate(time.Minute).Add(metricsLookAhead + time.Minute)
	for _, m := range metrics {
		dims := dimensionsText(m.Dimensions)
		for day := from; day.Before(to); day = day.Add(metricsDay) {
			dayEnd := day.Add(metricsDay)
			if dayEnd.After(to) {
				dayEnd = to
			}
			probe, err := metricStats(cw, m, day, dayEnd, int32(dayEnd.Sub(day)/time.Second), cloudwatch.StatSampleCount)
			if err != nil {
				return err
			}
			if len(probe) == 0 {
				continue
			}
			points, err := metricStats(cw, m, day, dayEnd, 60, metricsCSVStats...)
			if err != nil {
				return err
			}
			for i, dp := range points {
				for s, stat := range []*float64{dp.SampleCount, dp.Sum, dp.Average, dp.Minimum, dp.Maximum} {
					if stat == nil {
						continue
					}
					rows = append(rows, row{at: dp.Timestamp.Time, ns: api.Deref(m.Namespace), name: api.Deref(m.MetricName),
						dims: dims, order: i, stat: s, value: *stat})
				}
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(a.at.Compare(b.at), strings.Compare(a.ns, b.ns), strings.Compare(a.name, b.name),
			strings.Compare(a.dims, b.dims), cmp.Compare(a.order, b.order), cmp.Compare(a.stat, b.stat))
	})
	cw2 := csv.NewWriter(w)
	if err := cw2.Write(MetricsCSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.at.UTC().Format(time.RFC3339), r.ns, r.name, r.dims, metricsCSVStats[r.stat],
			strconv.FormatFloat(r.value, 'g', -1, 64)}
		if err := cw2.Write(rec); err != nil {
			return err
		}
	}
	cw2.Flush()
	return cw2.Error()
}

// allMetrics lists every metric with data, page by page.
func allMetrics(cw cloudwatch.Client) ([]cloudwatch.Metric, error) {
	var out []cloudwatch.Metric
	var token *string
	for {
		page, err := cw.ListMetrics(&cloudwatch.ListMetricsInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Metrics...)
		if token = page.NextToken; token == nil {
			return out, nil
		}
	}
}

// metricStats asks GetMetricStatistics for the statistics of m in
// [from, to) by periods of period seconds.
func metricStats(cw cloudwatch.Client, m cloudwatch.Metric, from, to time.Time, period int32, stats ...string) ([]cloudwatch.Datapoint, error) {
	start, end := api.NewTimestamp(from), api.NewTimestamp(to)
	out, err := cw.GetMetricStatistics(&cloudwatch.GetMetricStatisticsInput{
		Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions,
		StartTime: &start, EndTime: &end, Period: &period, Statistics: stats,
	})
	if err != nil {
		return nil, err
	}
	return out.Datapoints, nil
}

// dimensionsText writes dimensions as Name=Value pairs sorted by name and
// joined by ";".
func dimensionsText(ds []cloudwatch.Dimension) string {
	sorted := slices.Clone(ds)
	slices.SortFunc(sorted, func(a, b cloudwatch.Dimension) int { return strings.Compare(api.Deref(a.Name), api.Deref(b.Name)) })
	pairs := make([]string, 0, len(sorted))
	for _, d := range sorted {
		pairs = append(pairs, api.Deref(d.Name)+"="+api.Deref(d.Value))
	}
	return strings.Join(pairs, ";")
}
