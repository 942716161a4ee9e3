package cloudwatch

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Limits of the metric actions. [CWAPI:PutMetricData] [CWAPI:GetMetricStatistics] [CWAPI:GetMetricData]
const (
	maxMetricsPerPut    = 1000
	maxValuesPerDatum   = 150
	maxDatapoints       = 1440
	maxQueries          = 500
	defaultMaxDatapoint = 100800
	listMetricsPage     = 500
	pastLimit           = 14 * 24 * time.Hour
	futureLimit         = 2 * time.Hour
	recentlyActive      = 3 * time.Hour
)

// valueLimit is the magnitude CloudWatch accepts for a value: 2^360.
// [CWAPI:MetricDatum.Value]
var valueLimit = math.Pow(2, 360)

// PutMetricData publishes datapoints. The whole request is checked before
// anything is stored. Namespaces starting with "AWS/" are reserved for
// AWS's own metrics. [CWAPI:PutMetricData]
func (c *CloudWatch) PutMetricData(in *PutMetricDataInput) (*Empty, error) {
	if err := checkNamespace("Namespace", in.Namespace, true); err != nil {
		return nil, err
	}
	if strings.HasPrefix(*in.Namespace, "AWS/") {
		return nil, invalidValue("Namespace", "The value %s for parameter Namespace is invalid.", *in.Namespace)
	}
	type put struct {
		dims  []Dimension
		name  string
		at    sim.Time
		unit  string
		stats Stats
		vals  []valueCount
	}
	var puts []put
	now := c.now()
	check := func(field string, data []MetricDatum) error {
		for i, d := range data {
			f := fmt.Sprintf("%s.member.%d", field, i+1)
			p, vals, err := c.checkDatum(f, d, now)
			if err != nil {
				return err
			}
			if p.SampleCount == 0 {
				continue // only zero counts: nothing to store
			}
			at := now
			if d.Timestamp != nil {
				at = sim.FromTime(d.Timestamp.Time)
			}
			puts = append(puts, put{dims: d.Dimensions, name: *d.MetricName, at: at, unit: api.Deref(d.Unit), stats: p, vals: vals})
		}
		return nil
	}
	total := len(in.MetricData)
	for _, e := range in.EntityMetricData {
		total += len(e.MetricData)
	}
	if total > maxMetricsPerPut {
		return nil, invalidValue("MetricData", "The collection MetricData must not have a size greater than %d.", maxMetricsPerPut)
	}
	if err := check("MetricData", in.MetricData); err != nil {
		return nil, err
	}
	for i, e := range in.EntityMetricData {
		if err := check(fmt.Sprintf("EntityMetricData.member.%d.MetricData", i+1), e.MetricData); err != nil {
			return nil, err
		}
	}
	for _, p := range puts {
		s := c.store.Series(*in.Namespace, p.name, p.dims)
		c.store.publish(s, s.watched, p.at, p.unit, p.stats, p.vals, now.Add(c.cfg.PutDelay), now)
	}
	return &Empty{}, nil
}

// checkDatum validates one datum and returns its samples aggregated, and
// for Values the values themselves, which percentiles need.
// [CWAPI:MetricDatum.Values]
func (c *CloudWatch) checkDatum(f string, d MetricDatum, now sim.Time) (Stats, []valueCount, error) {
	s, err := c.checkDatumStats(f, d, now)
	if err != nil || d.Values == nil || s.SampleCount == 0 {
		return s, nil, err
	}
	var vals []valueCount
	for i, v := range d.Values {
		n := 1.0
		if d.Counts != nil {
			n = d.Counts[i]
		}
		if n > 0 {
			vals = append(vals, valueCount{v, n})
		}
	}
	return s, vals, nil
}

// checkDatumStats validates one datum and returns its samples aggregated.
func (c *CloudWatch) checkDatumStats(f string, d MetricDatum, now sim.Time) (Stats, error) {
	if err := checkLen(f+".MetricName", d.MetricName, 1, 255, true); err != nil {
		return Stats{}, err
	}
	if err := checkDimensions(f+".Dimensions", d.Dimensions); err != nil {
		return Stats{}, err
	}
	if err := checkEnum(f+".Unit", d.Unit, units); err != nil {
		return Stats{}, err
	}
	if r := d.StorageResolution; r != nil && *r != 1 && *r != 60 {
		return Stats{}, invalidValue(f+".StorageResolution", "The value %d for parameter %s.StorageResolution is invalid: valid values are 1 and 60.", *r, f)
	}
	if t := d.Timestamp; t != nil {
		at := sim.FromTime(t.Time)
		if t.Time.Before(now.Add(-pastLimit).Time()) {
			return Stats{}, invalidValue(f+".Timestamp", "The parameter %s.Timestamp must specify a time no more than two weeks in the past.", f)
		}
		if at > now.Add(futureLimit) {
			return Stats{}, invalidValue(f+".Timestamp", "The parameter %s.Timestamp must specify a time no more than two hours in the future.", f)
		}
	}
	finite := func(field string, v float64) error {
		if math.IsNaN(v) || math.Abs(v) > valueLimit {
			return invalidValue(field, "The value %g for parameter %s is invalid.", v, field)
		}
		return nil
	}
	kinds := 0
	if d.Value != nil {
		kinds++
	}
	if d.StatisticValues != nil {
		kinds++
	}
	if d.Values != nil {
		kinds++
	}
	if kinds > 1 {
		return Stats{}, combination(f, "The parameters %s.Value, %s.StatisticValues and %s.Values are mutually exclusive and you have specified more than one.", f, f, f)
	}
	switch {
	case d.Value != nil:
		if d.Counts != nil {
			return Stats{}, combination(f+".Counts", "The parameter %s.Counts may only be given with %s.Values.", f, f)
		}
		if err := finite(f+".Value", *d.Value); err != nil {
			return Stats{}, err
		}
		return One(*d.Value), nil
	case d.StatisticValues != nil:
		sv := d.StatisticValues
		for _, m := range []struct {
			name string
			p    *float64
		}{{"SampleCount", sv.SampleCount}, {"Sum", sv.Sum}, {"Minimum", sv.Minimum}, {"Maximum", sv.Maximum}} {
			if m.p == nil {
				return Stats{}, missing(f + ".StatisticValues." + m.name)
			}
			if err := finite(f+".StatisticValues."+m.name, *m.p); err != nil {
				return Stats{}, err
			}
		}
		if *sv.SampleCount <= 0 {
			return Stats{}, invalidValue(f+".StatisticValues.SampleCount", "The parameter %s.StatisticValues.SampleCount must be greater than 0.", f)
		}
		if *sv.Minimum > *sv.Maximum {
			return Stats{}, invalidValue(f+".StatisticValues.Minimum", "The parameter %s.StatisticValues.Minimum must not be greater than %s.StatisticValues.Maximum.", f, f)
		}
		return Stats{SampleCount: *sv.SampleCount, Sum: *sv.Sum, Minimum: *sv.Minimum, Maximum: *sv.Maximum}, nil
	case d.Values != nil:
		if len(d.Values) > maxValuesPerDatum {
			return Stats{}, invalidValue(f+".Values", "The collection %s.Values must not have a size greater than %d.", f, maxValuesPerDatum)
		}
		if d.Counts != nil && len(d.Counts) != len(d.Values) {
			return Stats{}, combination(f+".Counts", "The parameters %s.Values and %s.Counts must be of the same size.", f, f)
		}
		var s Stats
		for i, v := range d.Values {
			if err := finite(fmt.Sprintf("%s.Values.member.%d", f, i+1), v); err != nil {
				return Stats{}, err
			}
			n := 1.0
			if d.Counts != nil {
				n = d.Counts[i]
				if math.IsNaN(n) || n < 0 || n > valueLimit {
					return Stats{}, invalidValue(fmt.Sprintf("%s.Counts.member.%d", f, i+1), "The value %g for parameter %s.Counts.member.%d is invalid.", n, f, i+1)
				}
			}
			if n == 0 {
				continue
			}
			s.merge(Stats{SampleCount: n, Sum: v * n, Minimum: v, Maximum: v})
		}
		return s, nil
	}
	return Stats{}, combination(f, "At least one of the parameters %s.Value, %s.StatisticValues or %s.Values must be specified.", f, f, f)
}

// window checks a StartTime/EndTime pair and rounds the start down to the
// minute. [CWAPI:GetMetricStatisticsInput.StartTime]
func window(start, end *api.Timestamp) (sim.Time, sim.Time, error) {
	if start == nil {
		return 0, 0, missing("StartTime")
	}
	if end == nil {
		return 0, 0, missing("EndTime")
	}
	if !start.Time.Before(end.Time) {
		return 0, 0, invalidValue("StartTime", "The parameter StartTime must be less than the parameter EndTime.")
	}
	if start.Time.Before(sim.Epoch) || end.Time.After(sim.Epoch.AddDate(250, 0, 0)) {
		return 0, 0, invalidValue("StartTime", "The parameters StartTime and EndTime must lie between %d and %d.", sim.Epoch.Year(), sim.Epoch.Year()+250)
	}
	from, to := sim.FromTime(start.Time), sim.FromTime(end.Time)
	from -= from % sim.Time(Resolution)
	return from, to, nil
}

// checkPeriod checks a period in seconds: 1, 5, 10, 20, 30 or a multiple
// of 60. [CWAPI:GetMetricStatisticsInput.Period]
func checkPeriod(field string, p *int32) error {
	if p == nil {
		return missing(field)
	}
	if *p < 1 {
		return constraint(field, *p, "Member must have value greater than or equal to 1")
	}
	switch {
	case *p%60 == 0, *p == 1, *p == 5, *p == 10, *p == 20, *p == 30:
		return nil
	}
	return invalidValue(field, "The parameter %s must be 1, 5, 10, 20, 30, or a multiple of 60.", field)
}

// GetMetricStatistics returns the statistics of one metric, one datapoint
// per period that has data, in time order (and unit order within a
// period). Without Unit, each unit the metric was published with gets its
// own datapoints. Sub-minute periods find no data: the store keeps
// minutes. [CWAPI:GetMetricStatistics]
func (c *CloudWatch) GetMetricStatistics(in *GetMetricStatisticsInput) (*GetMetricStatisticsOutput, error) {
	if err := checkNamespace("Namespace", in.Namespace, true); err != nil {
		return nil, err
	}
	if err := checkLen("MetricName", in.MetricName, 1, 255, true); err != nil {
		return nil, err
	}
	if err := checkDimensions("Dimensions", in.Dimensions); err != nil {
		return nil, err
	}
	from, to, err := window(in.StartTime, in.EndTime)
	if err != nil {
		return nil, err
	}
	if err := checkPeriod("Period", in.Period); err != nil {
		return nil, err
	}
	if (len(in.Statistics) == 0) == (len(in.ExtendedStatistics) == 0) {
		return nil, combination("Statistics", "Must specify either Statistics or ExtendedStatistics, but not both.")
	}
	if len(in.Statistics) > 5 {
		return nil, constraint("Statistics", in.Statistics, "Member must have length less than or equal to 5")
	}
	for i := range in.Statistics {
		if err := checkEnum(fmt.Sprintf("Statistics.member.%d", i+1), &in.Statistics[i], statistics); err != nil {
			return nil, err
		}
	}
	if len(in.ExtendedStatistics) > 10 {
		return nil, constraint("ExtendedStatistics", in.ExtendedStatistics, "Member must have length less than or equal to 10")
	}
	for i, e := range in.ExtendedStatistics {
		if !isPercentile(e) {
			f := fmt.Sprintf("ExtendedStatistics.member.%d", i+1)
			return nil, invalidValue(f, "The value %s for parameter %s is invalid.", e, f)
		}
	}
	if err := checkEnum("Unit", in.Unit, units); err != nil {
		return nil, err
	}
	period := sim.Time(time.Duration(*in.Period) * time.Second)
	if n := (to - from + period - 1) / period; n > maxDatapoints {
		return nil, combination("Period", "You have requested up to %d datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", n, maxDatapoints)
	}
	out := &GetMetricStatisticsOutput{Label: *in.MetricName, Datapoints: []Datapoint{}}
	c.store.Flush(c.now())
	s := c.store.lookup(*in.Namespace, *in.MetricName, in.Dimensions)
	if s == nil || period < sim.Time(Resolution) {
		return out, nil
	}
	for _, ps := range s.Periods(from, to, time.Duration(period), api.Deref(in.Unit)) {
		for _, u := range ps.units {
			dp := Datapoint{Timestamp: c.stamp(ps.start), Unit: u.unit}
			for _, stat := range in.Statistics {
				v := u.stats.Value(stat)
				switch stat {
				case StatSampleCount:
					dp.SampleCount = &v
				case StatAverage:
					dp.Average = &v
				case StatSum:
					dp.Sum = &v
				case StatMinimum:
					dp.Minimum = &v
				case StatMaximum:
					dp.Maximum = &v
				}
			}
			// A percentile the period's data cannot give (data published
			// as statistic sets) is left out of the map.
			// [CWAPI:MetricDatum.StatisticValues]
			for _, e := range in.ExtendedStatistics {
				if dp.ExtendedStatistics == nil {
					dp.ExtendedStatistics = map[string]float64{}
				}
				if v, ok := s.percentileOf(ps.start, min(ps.start+period, to), u.unit, percentileValue(e)); ok {
					dp.ExtendedStatistics[e] = v
				}
			}
			out.Datapoints = append(out.Datapoints, dp)
		}
	}
	return out, nil
}

var queryID = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// checkMetricStat checks a MetricStat of a query or an alarm.
func checkMetricStat(f string, m *MetricStat) error {
	if m.Metric == nil {
		return missing(f + ".Metric")
	}
	if err := checkNamespace(f+".Metric.Namespace", m.Metric.Namespace, true); err != nil {
		return err
	}
	if err := checkLen(f+".Metric.MetricName", m.Metric.MetricName, 1, 255, true); err != nil {
		return err
	}
	if err := checkDimensions(f+".Metric.Dimensions", m.Metric.Dimensions); err != nil {
		return err
	}
	if err := checkPeriod(f+".Period", m.Period); err != nil {
		return err
	}
	if m.Stat == nil {
		return missing(f + ".Stat")
	}
	if !slices.Contains(statistics, *m.Stat) {
		if isPercentile(*m.Stat) {
			return checkEnum(f+".Unit", m.Unit, units)
		}
		return invalidValue(f+".Stat", "The value %s for parameter %s.Stat is invalid.", *m.Stat, f)
	}
	return checkEnum(f+".Unit", m.Unit, units)
}

// GetMetricData returns the values of metric stats, newest first unless
// ScanBy says TimestampAscending, paged by MaxDatapoints over all
// queries in order. Expressions are evaluated as math.go describes, at
// the query's Period, or else the longest period of the metric stats.
// [CWAPI:GetMetricData]
func (c *CloudWatch) GetMetricData(in *GetMetricDataInput) (*GetMetricDataOutput, error) {
	if len(in.MetricDataQueries) == 0 {
		return nil, missing("MetricDataQueries")
	}
	if len(in.MetricDataQueries) > maxQueries {
		return nil, invalidValue("MetricDataQueries", "The collection MetricDataQueries must not have a size greater than %d.", maxQueries)
	}
	from, to, err := window(in.StartTime, in.EndTime)
	if err != nil {
		return nil, err
	}
	if err := checkEnum("ScanBy", in.ScanBy, []string{"TimestampDescending", "TimestampAscending"}); err != nil {
		return nil, err
	}
	limit := defaultMaxDatapoint
	if in.MaxDatapoints != nil {
		if *in.MaxDatapoints < 1 {
			return nil, invalidValue("MaxDatapoints", "The parameter MaxDatapoints must be greater than 0.")
		}
		limit = int(*in.MaxDatapoints)
	}
	ids := map[string]bool{}
	for i, q := range in.MetricDataQueries {
		f := fmt.Sprintf("MetricDataQueries.member.%d", i+1)
		if err := checkLen(f+".Id", q.Id, 1, 255, true); err != nil {
			return nil, err
		}
		if !queryID.MatchString(*q.Id) {
			return nil, invalidValue(f+".Id", "Invalid metric data query id %s: the first character must be a lowercase letter, the rest letters, digits or underscores.", *q.Id)
		}
		if ids[*q.Id] {
			return nil, invalidValue(f+".Id", "The values for parameter id in MetricDataQueries are not unique.")
		}
		ids[*q.Id] = true
		if (q.Expression == nil) == (q.MetricStat == nil) {
			return nil, combination(f, "Exactly one of MetricStat and Expression must be specified in query %s.", *q.Id)
		}
		if q.Expression != nil {
			if err := checkLen(f+".Expression", q.Expression, 1, maxExprLen, true); err != nil {
				return nil, err
			}
			if q.Period != nil {
				if err := checkPeriod(f+".Period", q.Period); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := checkMetricStat(f+".MetricStat", q.MetricStat); err != nil {
			return nil, err
		}
	}
	env, err := newMathEnv("MetricDataQueries", in.MetricDataQueries)
	if err != nil {
		return nil, err
	}
	start := 0
	if tok := api.Deref(in.NextToken); tok != "" {
		var n int
		if _, err := fmt.Sscanf(tok, "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != tok {
			return nil, invalidToken()
		}
		start = n
	}
	asc := api.Deref(in.ScanBy) == "TimestampAscending"
	c.store.Flush(c.now())
	out := &GetMetricDataOutput{MetricDataResults: []MetricDataResult{}, Messages: []MessageData{}}
	pos := 0 // position of the next datapoint in the whole answer
	for _, q := range in.MetricDataQueries {
		if q.ReturnData != nil && !*q.ReturnData {
			continue
		}
		r := MetricDataResult{Id: *q.Id, Timestamps: []api.Timestamp{}, Values: []float64{}, StatusCode: "Complete"}
		var ms mseries
		if q.MetricStat != nil {
			r.Label = *q.MetricStat.Metric.MetricName
			ms = c.statSeries(q.MetricStat, from, to, sim.Time(time.Duration(*q.MetricStat.Period)*time.Second))
		} else {
			// An expression's label defaults to its id. [CW:using-metric-math]
			r.Label = *q.Id
			period := mathPeriod(&q, in.MetricDataQueries)
			ms = env.series(*q.Id, grid(from, to, period), func(mq *MetricDataQuery) mseries {
				return c.statSeries(mq.MetricStat, from, to, period)
			})
		}
		if q.Label != nil {
			r.Label = *q.Label
		}
		ts, vs := slices.Clone(ms.ts), slices.Clone(ms.vs)
		if !asc {
			slices.Reverse(ts)
			slices.Reverse(vs)
		}
		for i := range ts {
			if pos >= start && pos < start+limit {
				r.Timestamps = append(r.Timestamps, c.stamp(ts[i]))
				r.Values = append(r.Values, vs[i])
			}
			pos++
		}
		if pos > start+limit {
			r.StatusCode = "PartialData"
		}
		out.MetricDataResults = append(out.MetricDataResults, r)
	}
	if start > pos {
		return nil, invalidToken()
	}
	if pos > start+limit {
		next := fmt.Sprint(start + limit)
		out.NextToken = &next
	}
	return out, nil
}

// ListMetrics lists the metrics that have data, sorted by namespace, name
// and dimensions, 500 a page. [CWAPI:ListMetrics]
func (c *CloudWatch) ListMetrics(in *ListMetricsInput) (*ListMetricsOutput, error) {
	if err := checkNamespace("Namespace", in.Namespace, false); err != nil {
		return nil, err
	}
	if err := checkLen("MetricName", in.MetricName, 1, 255, false); err != nil {
		return nil, err
	}
	if len(in.Dimensions) > 10 {
		return nil, constraint("Dimensions", len(in.Dimensions), "Member must have length less than or equal to 10")
	}
	for i, d := range in.Dimensions {
		f := fmt.Sprintf("Dimensions.member.%d", i+1)
		if err := checkLen(f+".Name", d.Name, 1, 255, true); err != nil {
			return nil, err
		}
		if err := checkLen(f+".Value", d.Value, 1, 1024, false); err != nil {
			return nil, err
		}
	}
	if err := checkEnum("RecentlyActive", in.RecentlyActive, []string{"PT3H"}); err != nil {
		return nil, err
	}
	now := c.now()
	c.store.Flush(now)
	since := sim.Time(math.MinInt64)
	if in.RecentlyActive != nil {
		since = now.Add(-recentlyActive)
	}
	keep := func(key string) bool {
		s := c.store.series[key]
		if !s.hasData(since) || in.Namespace != nil && s.ns != *in.Namespace || in.MetricName != nil && s.name != *in.MetricName {
			return false
		}
		for _, f := range in.Dimensions {
			i := slices.IndexFunc(s.dims, func(d dim) bool { return d.name == *f.Name })
			if i < 0 || f.Value != nil && s.dims[i].value != *f.Value {
				return false
			}
		}
		return true
	}
	keys, next, err := api.PageSorted(c.store.keys, keep, nil, in.NextToken, listMetricsPage)
	if err != nil {
		return nil, invalidToken()
	}
	out := &ListMetricsOutput{Metrics: []Metric{}, NextToken: next}
	for _, k := range keys {
		out.Metrics = append(out.Metrics, c.store.series[k].metric())
	}
	return out, nil
}
