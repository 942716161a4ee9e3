package cloudwatch

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// putLatency publishes the samples behind the percentile tables:
// 0:10 the values 1 to 10; 0:11 the value 100 (sent as one Value);
// 0:12 5 three times and 50 once (Values with Counts), sent in three
// requests so that the minute's raw values are merged late.
func putLatency(t *testing.T, h *harness) {
	h.must(t, "PutMetricData", `{"Namespace":"App","MetricData":[
		{"MetricName":"Lat","Timestamp":"2026-01-01T00:10:00Z","Values":[10,9,8,7,6,5,4,3,2,1]},
		{"MetricName":"Lat","Timestamp":"2026-01-01T00:11:30Z","Value":100},
		{"MetricName":"Lat","Timestamp":"2026-01-01T00:12:10Z","Value":5}]}`)
	h.must(t, "PutMetricData", `{"Namespace":"App","MetricData":[{"MetricName":"Lat","Timestamp":"2026-01-01T00:12:20Z","Values":[5,50],"Counts":[1,1]}]}`)
	h.must(t, "PutMetricData", `{"Namespace":"App","MetricData":[{"MetricName":"Lat","Timestamp":"2026-01-01T00:12:30Z","Values":[5,7],"Counts":[1,0]}]}`)
}

func TestGetMetricStatisticsPercentiles(t *testing.T) {
	// Over 0:10-0:15 the 15 samples sorted are 1 2 3 4 5 5 5 5 6 7 8 9
	// 10 50 100 (cumulative counts 1 2 3 4 8 9 … 13 14 15): pNN is the
	// first value whose cumulative count reaches NN % of 15.
	tests := []struct {
		name   string
		from   time.Duration
		period int32
		stats  []string
		want   []map[string]float64 // per datapoint
	}{
		{"five minutes", 10 * time.Minute, 300, []string{"p0", "p10", "p20", "p50", "p90", "p99", "p100", "p26.6666666667"},
			[]map[string]float64{{"p0": 1, "p10": 2, "p20": 3, "p50": 5, "p90": 50, "p99": 100, "p100": 100, "p26.6666666667": 5}}},
		{"each minute", 10 * time.Minute, 60, []string{"p50", "p90"},
			[]map[string]float64{{"p50": 5, "p90": 9}, {"p50": 100, "p90": 100}, {"p50": 5, "p90": 50}}},
		{"late values in one minute", 12 * time.Minute, 60, []string{"p0", "p74.9", "p75", "p75.1"},
			[]map[string]float64{{"p0": 5, "p74.9": 5, "p75": 5, "p75.1": 50}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.run(t, time.Hour)
			putLatency(t, h)
			out, err := h.c.GetMetricStatistics(&GetMetricStatisticsInput{Namespace: api.String("App"), MetricName: api.String("Lat"),
				StartTime: ts(tc.from), EndTime: ts(15 * time.Minute), Period: api.Int32(tc.period), ExtendedStatistics: tc.stats})
			require.NoError(t, err)
			var got []map[string]float64
			for _, dp := range out.Datapoints {
				require.Nil(t, dp.Average)
				got = append(got, dp.ExtendedStatistics)
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestPercentilesOfStatisticSets(t *testing.T) {
	h := newHarness(t)
	h.run(t, time.Hour)
	// A statistic set of several values has no percentiles, alone or
	// with raw values in its period; one of a single value (Minimum =
	// Maximum, Sum = Minimum × SampleCount) does. Negative values leave
	// their period without percentiles.
	h.must(t, "PutMetricData", `{"Namespace":"App","MetricData":[
		{"MetricName":"Set","Timestamp":"2026-01-01T00:10:00Z","StatisticValues":{"SampleCount":2,"Sum":3,"Minimum":1,"Maximum":2}},
		{"MetricName":"Set","Timestamp":"2026-01-01T00:11:00Z","Value":7},
		{"MetricName":"Set","Timestamp":"2026-01-01T00:15:00Z","StatisticValues":{"SampleCount":4,"Sum":8,"Minimum":2,"Maximum":2}},
		{"MetricName":"Set","Timestamp":"2026-01-01T00:16:00Z","Value":9},
		{"MetricName":"Set","Timestamp":"2026-01-01T00:20:00Z","StatisticValues":{"SampleCount":2,"Sum":5,"Minimum":2,"Maximum":2}},
		{"MetricName":"Set","Timestamp":"2026-01-01T00:25:00Z","Values":[3,-1]}]}`)
	out, err := h.c.GetMetricStatistics(&GetMetricStatisticsInput{Namespace: api.String("App"), MetricName: api.String("Set"),
		StartTime: ts(10 * time.Minute), EndTime: ts(30 * time.Minute), Period: api.Int32(300), ExtendedStatistics: []string{"p50", "p80"}})
	require.NoError(t, err)
	require.Len(t, out.Datapoints, 4)
	// 0:20 Sum is not Minimum times SampleCount; 0:25 a negative value.
	require.Empty(t, out.Datapoints[2].ExtendedStatistics)
	require.Empty(t, out.Datapoints[3].ExtendedStatistics)
	require.Empty(t, out.Datapoints[0].ExtendedStatistics)
	require.Equal(t, start.Add(10*time.Minute), out.Datapoints[0].Timestamp.Time)
	require.Equal(t, map[string]float64{"p50": 2, "p80": 2}, out.Datapoints[1].ExtendedStatistics)

	// GetMetricData leaves out the period without percentiles.
	q := `{"StartTime":"2026-01-01T00:10:00Z","EndTime":"2026-01-01T00:20:00Z","ScanBy":"TimestampAscending","MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"App","MetricName":"Set"},"Period":300,"Stat":"p90"}}]}`
	r := h.must(t, "GetMetricData", q)["MetricDataResults"].([]any)[0].(map[string]any)
	require.Equal(t, []any{9.0}, r["Values"])
}

func TestGetMetricDataPercentile(t *testing.T) {
	h := newHarness(t)
	h.run(t, time.Hour)
	putLatency(t, h)
	out, err := h.c.GetMetricData(&GetMetricDataInput{StartTime: ts(10 * time.Minute), EndTime: ts(15 * time.Minute), ScanBy: api.String("TimestampAscending"),
		MetricDataQueries: []MetricDataQuery{
			{Id: api.String("p"), MetricStat: &MetricStat{Metric: &Metric{Namespace: api.String("App"), MetricName: api.String("Lat")}, Period: api.Int32(300), Stat: api.String("p90")}},
			{Id: api.String("m"), MetricStat: &MetricStat{Metric: &Metric{Namespace: api.String("App"), MetricName: api.String("Lat")}, Period: api.Int32(60), Stat: api.String("p50")}},
		}})
	require.NoError(t, err)
	require.Equal(t, []float64{50}, out.MetricDataResults[0].Values)
	require.Equal(t, []float64{5, 100, 5}, out.MetricDataResults[1].Values)
}

// A series fed one sample a minute, as the simulation's feeds publish,
// keeps its minutes dense; its percentiles are of those samples.
func TestDenseSeriesPercentiles(t *testing.T) {
	st := NewStore()
	s := st.Series("A", "m", nil)
	m := sim.Time(time.Minute)
	for k, v := range []float64{4, 1, 3, 2, 8} {
		st.Publish(s, sim.Time(k)*m, "Percent", One(v), 0, sim.Time(k)*m)
	}
	require.False(t, s.general)
	require.Empty(t, s.dists)
	for _, tc := range []struct {
		p    float64
		want float64
	}{{0, 1}, {20, 1}, {40, 2}, {50, 3}, {60, 3}, {80, 4}, {99, 8}, {100, 8}} {
		v, ok := s.percentileOf(0, 5*m, "", tc.p)
		require.True(t, ok)
		require.Equal(t, tc.want, v, "p%v", tc.p)
	}
	_, ok := s.percentileOf(0, 5*m, "Count", 50)
	require.False(t, ok)
	_, ok = s.percentileOf(5*m, 10*m, "", 50)
	require.False(t, ok)
}

// Raw values beyond the per-minute cap leave the minute without
// percentiles; the other statistics are unaffected.
func TestPercentileCap(t *testing.T) {
	st := NewStore()
	s := st.Series("A", "m", nil)
	vals := make([]valueCount, maxValuesPerMinute+1)
	for i := range vals {
		vals[i] = valueCount{float64(i), 1}
	}
	st.publish(s, false, 0, "", Stats{SampleCount: float64(len(vals)), Sum: 1, Minimum: 0, Maximum: maxValuesPerMinute}, vals[:maxValuesPerMinute], 0, 0)
	v, ok := s.percentileOf(0, sim.Time(time.Minute), "", 100)
	require.True(t, ok)
	require.Equal(t, float64(maxValuesPerMinute-1), v)
	st.publish(s, false, 0, "", One(maxValuesPerMinute), nil, 0, 0)
	_, ok = s.percentileOf(0, sim.Time(time.Minute), "", 100)
	require.False(t, ok)
}

func TestPercentileAlarm(t *testing.T) {
	// Each minute: 1 to 10 and one slow 100. p95 (rank 10.45 of 11) is
	// 100 and breaches 50; the Average (about 14.1) does not.
	for _, tc := range []struct {
		stat string
		want []string
	}{
		{`"ExtendedStatistic":"p95"`, []string{"01:00 ALARM"}},
		{`"ExtendedStatistic":"p90"`, []string{"01:00 OK"}},
		{`"Statistic":"Average"`, []string{"01:00 OK"}},
	} {
		t.Run(tc.stat, func(t *testing.T) {
			h := newHarness(t)
			h.must(t, "PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"Lat",`+tc.stat+`,"Period":60,"EvaluationPeriods":1,"Threshold":50,"ComparisonOperator":"GreaterThanThreshold"}`)
			for k := range 3 {
				_, err := h.eng.Schedule(sim.FromTime(start).Add(time.Duration(k)*time.Minute+30*time.Second), func() error {
					_, err := h.c.PutMetricData(&PutMetricDataInput{Namespace: api.String("App"), MetricData: []MetricDatum{
						{MetricName: api.String("Lat"), Values: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
						{MetricName: api.String("Lat"), Value: ptr(100.0)}}})
					return err
				})
				require.NoError(t, err)
			}
			h.run(t, 4*time.Minute)
			require.Equal(t, tc.want, transitions(h))
			out, err := h.c.DescribeAlarms(&DescribeAlarmsInput{})
			require.NoError(t, err)
			a := out.MetricAlarms[0]
			if tc.stat[1] == 'E' {
				require.Empty(t, a.Statistic)
				require.Equal(t, tc.stat[len(`"ExtendedStatistic":"`):len(tc.stat)-1], a.ExtendedStatistic)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// Publishing a minute's raw values and making them visible takes no
// allocation in the steady state: the pending values share one buffer,
// and each minute's sorted values go into the series' value arena.
func TestPublishValuesAllocationFree(t *testing.T) {
	st := NewStore()
	s := st.Series("A", "Latency", nil)
	m := sim.Time(time.Minute)
	values := make([]float64, 20)
	counts := make([]float64, 20)
	minute := sim.Time(0)
	publish := func() {
		for i := range values {
			values[i] = float64(i%3) / 10
			counts[i] = float64(100 + i)
		}
		st.PublishValues(s, minute, "Seconds", Stats{SampleCount: 1, Sum: 0.1, Minimum: 0, Maximum: 0.2}, values, counts, minute+2*m, minute+m)
		st.Flush(minute + m)
		minute += m
	}
	for range 3 * maxChunk {
		publish()
	}
	require.Zero(t, testing.AllocsPerRun(maxChunk, publish))
	v, ok := s.percentileOf(minute-2*m, minute-m, "", 50) // the last minute is still pending
	require.True(t, ok)
	require.Equal(t, 0.1, v)
}

// A late value for a minute whose values sit in the arena between other
// minutes' changes that minute alone.
func TestLateValuesStayInTheirMinute(t *testing.T) {
	st := NewStore()
	s := st.Series("A", "Latency", nil)
	m := sim.Time(time.Minute)
	put := func(minute sim.Time, vals ...float64) {
		lo, hi := slices.Min(vals), slices.Max(vals)
		st.PublishValues(s, minute, "Seconds", Stats{SampleCount: float64(len(vals)), Sum: lo * float64(len(vals)), Minimum: lo, Maximum: hi}, vals, nil, 0, 3*m)
	}
	put(0, 2, 1)
	put(m, 4, 3)
	put(0, 1.5, 9)
	for _, tc := range []struct {
		from sim.Time
		p    float64
		want float64
	}{{0, 25, 1}, {0, 50, 1.5}, {0, 75, 2}, {0, 100, 9}, {m, 50, 3}, {m, 100, 4}} {
		v, ok := s.percentileOf(tc.from, tc.from+m, "", tc.p)
		require.True(t, ok)
		require.Equal(t, tc.want, v, "minute %v p%v", tc.from/m, tc.p)
	}
}

// Raw values held aside until visible, arriving out of visibility order
// and made visible a few at a time (so that emptied cohorts are reused
// while others are still pending), reach their minutes intact: every
// minute's percentiles are those of the values published for it.
func TestPendingValuesReused(t *testing.T) {
	st := NewStore()
	s := st.Series("A", "Latency", nil)
	m := sim.Time(time.Minute)
	r := rand.New(rand.NewPCG(7, 9))
	sent := map[sim.Time][]float64{}
	now := sim.Time(0)
	reused := false
	for range 3000 {
		now += sim.Time(r.IntN(20)) * sim.Time(time.Second)
		minute := now - now%m - sim.Time(r.IntN(3))*m
		vals := make([]float64, 1+r.IntN(6))
		for i := range vals {
			vals[i] = float64(r.IntN(50))
		}
		sent[minute] = append(sent[minute], vals...)
		lo, hi := slices.Min(vals), slices.Max(vals)
		st.PublishValues(s, minute, "Seconds", Stats{SampleCount: float64(len(vals)), Sum: lo * float64(len(vals)), Minimum: lo, Maximum: hi},
			vals, nil, now+sim.Time(r.IntN(240))*sim.Time(time.Second), now)
		if r.IntN(4) == 0 {
			st.Flush(now)
		}
		reused = reused || len(st.cohorts) > 0 && len(st.free) > 0
	}
	require.True(t, reused)
	st.Flush(now + 5*m)
	require.Empty(t, st.cohorts)
	for minute, vals := range sent {
		slices.Sort(vals)
		for _, p := range []float64{10, 50, 90, 100} {
			v, ok := s.percentileOf(minute, minute+m, "", p)
			require.True(t, ok)
			rank := int(math.Ceil(p * float64(len(vals)) / 100))
			require.Equal(t, vals[max(rank, 1)-1], v, "minute %v p%v", minute/m, p)
		}
	}
}

// Retention drops a series' minutes and their raw values together, with
// samples published every minute (dense and bucket series, with and
// without raw values) and a sample for a minute already past retention:
// after every sample, nothing older than the cut is kept, and a series
// that had data keeps exactly the minutes within retention.
// The minute past retention is published while the series' oldest
// minutes are all within it, so dropping it is up to that sample.
func TestRetentionDropsValues(t *testing.T) {
	st := NewStore()
	m := sim.Time(time.Minute)
	dense := st.Series("A", "Count", nil)
	values := st.Series("A", "Latency", nil)
	keep := int(Retention / time.Minute)
	oldest := func(s *Series) sim.Time {
		out := sim.Time(math.MaxInt64)
		s.each(math.MinInt64, math.MaxInt64, func(b *bucket) { out = min(out, b.minute) })
		for _, c := range s.dists {
			for _, d := range c {
				out = min(out, d.minute)
			}
		}
		return out
	}
	for i := range keep + 300 {
		now := sim.Time(i) * m
		cut := now - sim.Time(Retention)
		st.Publish(dense, now, "Count", One(float64(i/100)), now, now)
		st.PublishValues(values, now, "Seconds", Stats{SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2}, []float64{1, 2}, nil, now, now)
		if i == keep+100 { // a minute already past retention, then dropped
			st.Publish(values, cut-5*m, "Seconds", One(7), now, now)
		}
		if i%97 == 0 || i > keep+90 {
			require.GreaterOrEqual(t, oldest(dense), cut, "minute %d", i)
			require.GreaterOrEqual(t, oldest(values), cut, "minute %d", i)
		}
	}
	// The minutes from the cut to now, both kept.
	now := sim.Time(keep+299) * m
	require.Equal(t, keep+1, len(dense.Periods(math.MinInt64/2, now+m, time.Minute, "")))
	require.Equal(t, keep+1, len(values.Periods(math.MinInt64/2, now+m, time.Minute, "")))
	n := 0
	for _, c := range values.dists {
		n += len(c)
	}
	require.Equal(t, keep+1, n)
}
