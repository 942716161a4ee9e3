package cloudwatch

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

func TestPutAndGetMetricStatistics(t *testing.T) {
	h := newHarness(t)
	h.run(t, time.Hour)
	// Three samples in minute 0:10, one in 0:11 with another unit, one
	// in 0:14; dimensions given in another order name the same metric.
	h.must(t, "PutMetricData", `{"Namespace":"App","MetricData":[
		{"MetricName":"Latency","Dimensions":[{"Name":"a","Value":"1"},{"Name":"b","Value":"2"}],"Timestamp":"2026-01-01T00:10:05Z","Value":10,"Unit":"Milliseconds"},
		{"MetricName":"Latency","Dimensions":[{"Name":"b","Value":"2"},{"Name":"a","Value":"1"}],"Timestamp":"2026-01-01T00:10:59Z","Values":[20,40],"Counts":[1,2],"Unit":"Milliseconds"},
		{"MetricName":"Latency","Dimensions":[{"Name":"a","Value":"1"},{"Name":"b","Value":"2"}],"Timestamp":"2026-01-01T00:11:00Z","StatisticValues":{"SampleCount":2,"Sum":3,"Minimum":1,"Maximum":2},"Unit":"Seconds"},
		{"MetricName":"Latency","Dimensions":[{"Name":"a","Value":"1"},{"Name":"b","Value":"2"}],"Timestamp":"2026-01-01T00:14:30Z","Value":5,"Unit":"Milliseconds"}]}`)
	dims := []Dimension{{Name: api.String("b"), Value: api.String("2")}, {Name: api.String("a"), Value: api.String("1")}}
	out, err := h.c.GetMetricStatistics(&GetMetricStatisticsInput{Namespace: api.String("App"), MetricName: api.String("Latency"), Dimensions: dims,
		StartTime: ts(10*time.Minute + 30*time.Second), EndTime: ts(20 * time.Minute), Period: api.Int32(300),
		Statistics: []string{"SampleCount", "Sum", "Average", "Minimum", "Maximum"}})
	require.NoError(t, err)
	require.Equal(t, "Latency", out.Label)
	// The start rounds down to 0:10; periods 0:10-0:15 and 0:15-0:20;
	// each unit has its own datapoint.
	require.Len(t, out.Datapoints, 2)
	ms := out.Datapoints[0]
	require.Equal(t, start.Add(10*time.Minute), ms.Timestamp.Time)
	require.Equal(t, "Milliseconds", ms.Unit)
	require.Equal(t, 5.0, *ms.SampleCount)
	require.Equal(t, 115.0, *ms.Sum)
	require.Equal(t, 23.0, *ms.Average)
	require.Equal(t, 5.0, *ms.Minimum)
	require.Equal(t, 40.0, *ms.Maximum)
	require.Equal(t, "Seconds", out.Datapoints[1].Unit)
	require.Equal(t, 1.5, *out.Datapoints[1].Average)

	// With a Unit, only that unit; one-minute periods.
	out, err = h.c.GetMetricStatistics(&GetMetricStatisticsInput{Namespace: api.String("App"), MetricName: api.String("Latency"), Dimensions: dims,
		StartTime: ts(0), EndTime: ts(time.Hour), Period: api.Int32(60), Statistics: []string{"Maximum"}, Unit: api.String("Milliseconds")})
	require.NoError(t, err)
	require.Len(t, out.Datapoints, 2)
	require.Equal(t, 40.0, *out.Datapoints[0].Maximum)
	require.Nil(t, out.Datapoints[0].Sum)
	require.Equal(t, start.Add(14*time.Minute), out.Datapoints[1].Timestamp.Time)

	// Other dimensions are another metric: no data.
	out, err = h.c.GetMetricStatistics(&GetMetricStatisticsInput{Namespace: api.String("App"), MetricName: api.String("Latency"), Dimensions: dims[:1],
		StartTime: ts(0), EndTime: ts(time.Hour), Period: api.Int32(60), Statistics: []string{"Maximum"}})
	require.NoError(t, err)
	require.Empty(t, out.Datapoints)
}

func TestPutDelayHidesRecentData(t *testing.T) {
	h := newHarness(t)
	h.cw.cfg.PutDelay = 90 * time.Second
	h.run(t, time.Hour)
	h.must(t, "PutMetricData", `{"Namespace":"App","MetricData":[{"MetricName":"Q","Value":7}]}`)
	get := func() int {
		out, err := h.c.GetMetricStatistics(&GetMetricStatisticsInput{Namespace: api.String("App"), MetricName: api.String("Q"),
			StartTime: ts(0), EndTime: ts(2 * time.Hour), Period: api.Int32(60), Statistics: []string{"Sum"}})
		require.NoError(t, err)
		return len(out.Datapoints)
	}
	require.Equal(t, 0, get())
	h.run(t, 89*time.Second)
	require.Equal(t, 0, get())
	h.run(t, time.Second)
	require.Equal(t, 1, get())
}

func TestMetricValidation(t *testing.T) {
	const window = `"StartTime":"2026-01-01T00:00:00Z","EndTime":"2026-01-01T01:00:00Z"`
	tests := []struct {
		name, action, input, code, contains string
	}{
		{"namespace required", "PutMetricData", `{"MetricData":[{"MetricName":"m","Value":1}]}`, CodeMissingParameter, "The parameter Namespace is required."},
		{"namespace AWS/ reserved", "PutMetricData", `{"Namespace":"AWS/ECS","MetricData":[{"MetricName":"m","Value":1}]}`, CodeInvalidParameterValue, "The value AWS/ECS for parameter Namespace is invalid."},
		{"namespace starts with colon", "PutMetricData", `{"Namespace":":x","MetricData":[{"MetricName":"m","Value":1}]}`, CodeValidationError, "pattern"},
		{"namespace too long", "PutMetricData", `{"Namespace":"` + strings.Repeat("n", 256) + `","MetricData":[{"MetricName":"m","Value":1}]}`, CodeValidationError, "length less than or equal to 255"},
		{"metric name required", "PutMetricData", `{"Namespace":"A","MetricData":[{"Value":1}]}`, CodeMissingParameter, "MetricData.member.1.MetricName"},
		{"value and statistic values", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1,"StatisticValues":{"SampleCount":1,"Sum":1,"Minimum":1,"Maximum":1}}]}`, CodeInvalidParameterCombination, "mutually exclusive"},
		{"no value", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m"}]}`, CodeInvalidParameterCombination, "At least one of"},
		{"values and counts differ", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Values":[1,2],"Counts":[1]}]}`, CodeInvalidParameterCombination, "same size"},
		{"value too large", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1e300}]}`, CodeInvalidParameterValue, "MetricData.member.1.Value"},
		{"incomplete statistic set", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","StatisticValues":{"SampleCount":1,"Sum":1,"Minimum":1}}]}`, CodeMissingParameter, "StatisticValues.Maximum"},
		{"zero sample count", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","StatisticValues":{"SampleCount":0,"Sum":1,"Minimum":1,"Maximum":1}}]}`, CodeInvalidParameterValue, "greater than 0"},
		{"bad unit", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1,"Unit":"Furlongs"}]}`, CodeValidationError, "enum"},
		{"bad resolution", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1,"StorageResolution":5}]}`, CodeInvalidParameterValue, "StorageResolution"},
		{"too old", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1,"Timestamp":"2025-12-01T00:00:00Z"}]}`, CodeInvalidParameterValue, "two weeks in the past"},
		{"too far ahead", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1,"Timestamp":"2026-01-01T03:00:00Z"}]}`, CodeInvalidParameterValue, "two hours in the future"},
		{"duplicate dimension", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1,"Dimensions":[{"Name":"a","Value":"1"},{"Name":"a","Value":"2"}]}]}`, CodeInvalidParameterValue, "more than once"},
		{"empty dimension value", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1,"Dimensions":[{"Name":"a","Value":""}]}]}`, CodeValidationError, "length greater than or equal to 1"},
		{"second datum bad", "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"m","Value":1},{"MetricName":"m"}]}`, CodeInvalidParameterCombination, "MetricData.member.2"},
		{"stats period missing", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Statistics":["Sum"]}`, CodeMissingParameter, "Period"},
		{"stats period 45", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Period":45,"Statistics":["Sum"]}`, CodeInvalidParameterValue, "multiple of 60"},
		{"stats period 0", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Period":0,"Statistics":["Sum"]}`, CodeValidationError, "greater than or equal to 1"},
		{"stats no statistic", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Period":60}`, CodeInvalidParameterCombination, "Statistics or ExtendedStatistics"},
		{"stats both kinds", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Period":60,"Statistics":["Sum"],"ExtendedStatistics":["p99"]}`, CodeInvalidParameterCombination, "not both"},
		{"stats bad statistic", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Period":60,"Statistics":["Median"]}`, CodeValidationError, "enum"},
		{"stats bad percentile", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Period":60,"ExtendedStatistics":["p99","p101"]}`, CodeInvalidParameterValue, "The value p101 for parameter ExtendedStatistics.member.2 is invalid."},
		{"stats percentile too precise", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Period":60,"ExtendedStatistics":["p99.12345678901"]}`, CodeInvalidParameterValue, "ExtendedStatistics.member.1"},
		{"stats percentile not a number", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m",` + window + `,"Period":60,"ExtendedStatistics":["P99"]}`, CodeInvalidParameterValue, "ExtendedStatistics.member.1"},
		{"data bad percentile", "GetMetricData", `{` + window + `,"MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"p100.5"}}]}`, CodeInvalidParameterValue, "Stat is invalid"},
		{"stats start after end", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m","StartTime":"2026-01-01T02:00:00Z","EndTime":"2026-01-01T01:00:00Z","Period":60,"Statistics":["Sum"]}`, CodeInvalidParameterValue, "StartTime must be less than the parameter EndTime"},
		{"stats too many datapoints", "GetMetricStatistics", `{"Namespace":"A","MetricName":"m","StartTime":"2026-01-01T00:00:00Z","EndTime":"2026-01-02T00:01:00Z","Period":60,"Statistics":["Sum"]}`, CodeInvalidParameterCombination, "You have requested up to 1441 datapoints, which exceeds the limit of 1440."},
		{"data no queries", "GetMetricData", `{` + window + `}`, CodeMissingParameter, "MetricDataQueries"},
		{"data bad id", "GetMetricData", `{` + window + `,"MetricDataQueries":[{"Id":"Q1","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}}]}`, CodeInvalidParameterValue, "lowercase"},
		{"data duplicate id", "GetMetricData", `{` + window + `,"MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}},{"Id":"q","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}}]}`, CodeInvalidParameterValue, "not unique"},
		{"data expression unknown id", "GetMetricData", `{` + window + `,"MetricDataQueries":[{"Id":"e","Expression":"m1*2"}]}`, CodeValidationError, "Unrecognized metric or expression id: m1"},
		{"data expression syntax", "GetMetricData", `{` + window + `,"MetricDataQueries":[{"Id":"e","Expression":"(2*"}]}`, CodeValidationError, "Syntax error"},
		{"data expression both", "GetMetricData", `{` + window + `,"MetricDataQueries":[{"Id":"e","Expression":"2","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}}]}`, CodeInvalidParameterCombination, "Exactly one"},
		{"data bad stat", "GetMetricData", `{` + window + `,"MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Mean"}}]}`, CodeInvalidParameterValue, "Stat is invalid"},
		{"data bad token", "GetMetricData", `{` + window + `,"NextToken":"x","MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}}]}`, CodeInvalidNextToken, ""},
		{"data bad scan", "GetMetricData", `{` + window + `,"ScanBy":"Sideways","MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"A","MetricName":"m"},"Period":60,"Stat":"Sum"}}]}`, CodeValidationError, "enum"},
		{"list bad recently active", "ListMetrics", `{"RecentlyActive":"PT1H"}`, CodeValidationError, "enum"},
		{"list filter without name", "ListMetrics", `{"Dimensions":[{"Value":"x"}]}`, CodeMissingParameter, "Dimensions.member.1.Name"},
		{"list bad token", "ListMetrics", `{"NextToken":"!!"}`, CodeInvalidNextToken, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			_, err := h.call(t, tc.action, tc.input)
			require.Error(t, err)
			require.Equal(t, tc.code, api.ErrorCode(err), err.Error())
			require.Contains(t, err.Error(), tc.contains)
			// Bad input changes nothing.
			require.Empty(t, h.cw.store.keys)
		})
	}
}

func TestGetMetricDataOrderAndPages(t *testing.T) {
	h := newHarness(t)
	h.run(t, time.Hour)
	for i := range 5 {
		h.must(t, "PutMetricData", fmt.Sprintf(`{"Namespace":"App","MetricData":[{"MetricName":"Q","Timestamp":"2026-01-01T00:%02d:10Z","Value":%d}]}`, 10+i, i))
	}
	q := `"MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":60,"Stat":"Sum"}},
		{"Id":"hidden","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":60,"Stat":"Sum"}},
		{"Id":"r","Label":"max 2m","MetricStat":{"Metric":{"Namespace":"App","MetricName":"Q"},"Period":120,"Stat":"Maximum"}}]`
	out := h.must(t, "GetMetricData", `{"StartTime":"2026-01-01T00:00:00Z","EndTime":"2026-01-01T01:00:00Z",`+q+`}`)
	res := out["MetricDataResults"].([]any)
	require.Len(t, res, 2)
	first := res[0].(map[string]any)
	require.Equal(t, "q", first["Id"])
	require.Equal(t, "Q", first["Label"])
	require.Equal(t, []any{4.0, 3.0, 2.0, 1.0, 0.0}, first["Values"]) // newest first by default
	require.Equal(t, "Complete", first["StatusCode"])
	second := res[1].(map[string]any)
	require.Equal(t, "max 2m", second["Label"])
	require.Equal(t, []any{4.0, 3.0, 1.0}, second["Values"]) // 0:14, 0:12-13, 0:10-11

	// Ascending, three datapoints a page.
	in := `{"StartTime":"2026-01-01T00:00:00Z","EndTime":"2026-01-01T01:00:00Z","ScanBy":"TimestampAscending","MaxDatapoints":3,` + q
	out = h.must(t, "GetMetricData", in+`}`)
	res = out["MetricDataResults"].([]any)
	require.Equal(t, []any{0.0, 1.0, 2.0}, res[0].(map[string]any)["Values"])
	require.Equal(t, "PartialData", res[0].(map[string]any)["StatusCode"])
	tok := out["NextToken"].(string)
	out = h.must(t, "GetMetricData", in+`,"NextToken":"`+tok+`"}`)
	res = out["MetricDataResults"].([]any)
	require.Equal(t, []any{3.0, 4.0}, res[0].(map[string]any)["Values"])
	require.Equal(t, []any{1.0}, res[1].(map[string]any)["Values"])
	tok = out["NextToken"].(string)
	out = h.must(t, "GetMetricData", in+`,"NextToken":"`+tok+`"}`)
	require.Nil(t, out["NextToken"])
	require.Equal(t, []any{3.0, 4.0}, out["MetricDataResults"].([]any)[1].(map[string]any)["Values"])
}

func TestListMetrics(t *testing.T) {
	h := newHarness(t)
	h.run(t, 5*time.Hour)
	h.must(t, "PutMetricData", `{"Namespace":"B","MetricData":[{"MetricName":"m","Value":1,"Timestamp":"2026-01-01T01:00:00Z","Dimensions":[{"Name":"svc","Value":"web"}]}]}`)
	h.must(t, "PutMetricData", `{"Namespace":"A","MetricData":[{"MetricName":"z","Value":1},{"MetricName":"y","Value":1,"Dimensions":[{"Name":"svc","Value":"api"},{"Name":"az","Value":"a"}]}]}`)
	names := func(input string) []string {
		out := h.must(t, "ListMetrics", input)
		var got []string
		for _, m := range out["Metrics"].([]any) {
			mm := m.(map[string]any)
			got = append(got, mm["Namespace"].(string)+"/"+mm["MetricName"].(string))
		}
		return got
	}
	require.Equal(t, []string{"A/y", "A/z", "B/m"}, names(`{}`))
	require.Equal(t, []string{"A/y", "A/z"}, names(`{"Namespace":"A"}`))
	require.Equal(t, []string{"A/y", "B/m"}, names(`{"Dimensions":[{"Name":"svc"}]}`))
	require.Equal(t, []string{"B/m"}, names(`{"Dimensions":[{"Name":"svc","Value":"web"}]}`))
	require.Equal(t, []string{"A/y", "A/z"}, names(`{"RecentlyActive":"PT3H"}`))
	out := h.must(t, "ListMetrics", `{"MetricName":"y"}`)
	require.Equal(t, []any{map[string]any{"Name": "az", "Value": "a"}, map[string]any{"Name": "svc", "Value": "api"}},
		out["Metrics"].([]any)[0].(map[string]any)["Dimensions"])
}

func TestStoreRetention(t *testing.T) {
	st := NewStore()
	s := st.Series("A", "m", nil)
	st.Publish(s, 0, "", One(1), 0, 0)
	now := sim.Time(Retention + time.Minute)
	st.Publish(s, now, "", One(2), now, now)
	got := s.Periods(0, now+sim.Time(time.Minute), time.Minute, "")
	require.Len(t, got, 1)
	require.Equal(t, 2.0, got[0].all().Sum)
}

// TestStoreMatchesNaive publishes samples in and out of order over many
// chunks and checks every period against a plain sum of the samples.
func TestStoreMatchesNaive(t *testing.T) {
	st := NewStore()
	s := st.Series("A", "m", nil)
	type sample struct {
		minute int
		unit   string
		v      float64
	}
	var all []sample
	r := rand.New(rand.NewPCG(1, 2))
	units := []string{"", "Count", "Percent"}
	for i := range 3000 {
		m := i / 2
		if r.IntN(10) == 0 {
			m = max(0, m-r.IntN(50)) // late
		}
		u := units[r.IntN(len(units))]
		v := float64(r.IntN(100))
		all = append(all, sample{m, u, v})
		at := sim.Time(time.Duration(m) * time.Minute)
		st.Publish(s, at+sim.Time(time.Second), u, One(v), 0, sim.Time(time.Duration(i/2)*time.Minute))
	}
	for _, period := range []int{1, 5, 60} {
		for _, unit := range []string{"", "Count", "None"} {
			from, to := 7, 1500
			got := map[int]Stats{}
			for _, ps := range s.Periods(sim.Time(time.Duration(from)*time.Minute), sim.Time(time.Duration(to)*time.Minute), time.Duration(period)*time.Minute, unit) {
				st := Stats{}
				for _, u := range ps.units {
					st.merge(u.stats)
				}
				got[int(time.Duration(ps.start)/time.Minute)] = st
			}
			want := map[int]Stats{}
			for _, x := range all {
				name := x.unit
				if name == "" {
					name = "None"
				}
				if x.minute < from || x.minute >= to || unit != "" && name != unit {
					continue
				}
				k := from + (x.minute-from)/period*period
				st := want[k]
				st.merge(One(x.v))
				want[k] = st
			}
			require.Equal(t, want, got, "period %d unit %q", period, unit)
		}
	}
}
