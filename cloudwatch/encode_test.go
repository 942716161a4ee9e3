package cloudwatch

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// stateChange builds an event whose strings are all s.
func stateChange(s string, dims map[string]string, metrics bool) AlarmStateChange {
	e := AlarmStateChange{AlarmName: s,
		State:         AlarmState{Value: s, Reason: s, ReasonData: s, Timestamp: s},
		PreviousState: AlarmState{Value: "OK", Reason: s + s, Timestamp: "t"},
		Configuration: AlarmConfiguration{Description: s}}
	if metrics {
		m := EventMetric{ID: s, ReturnData: len(s)%2 == 0, MetricStat: &EventMetricStat{}}
		m.MetricStat.Metric.Namespace, m.MetricStat.Metric.Name, m.MetricStat.Metric.Dimensions = s, s, dims
		m.MetricStat.Period, m.MetricStat.Stat = int32(len(s)*60), s
		e.Configuration.Metrics = []EventMetric{m, {ID: s, Expression: s, Label: s}}
	}
	return e
}

// requireSameJSON checks that AppendJSON gives what encoding/json gives.
func requireSameJSON(t *testing.T, e AlarmStateChange) {
	t.Helper()
	want, err := json.Marshal(e)
	require.NoError(t, err)
	require.Equal(t, string(want), string(e.AppendJSON([]byte("x"))[1:]))
}

func TestAlarmStateChangeAppendJSON(t *testing.T) {
	for _, s := range []string{"", "a", "ALARM", `quote " back \ <tag> & amp`, "tab\tnl\n\x01", "é ü \u2028 \u2029", "bad \xff utf8"} {
		requireSameJSON(t, stateChange(s, nil, false))
		requireSameJSON(t, stateChange(s, nil, true))
		requireSameJSON(t, stateChange(s, map[string]string{}, true))
		requireSameJSON(t, stateChange(s, map[string]string{"z": s, s: "v", "ServiceName": "web", "ClusterName": s + "<"}, true))
	}
}

func FuzzAlarmStateChangeAppendJSON(f *testing.F) {
	f.Add("ALARM", "ClusterName", "svc")
	f.Add("<&>", "\xff", "\u2028")
	f.Fuzz(func(t *testing.T, s, k, v string) {
		requireSameJSON(t, stateChange(s, map[string]string{k: v, v: s}, true))
	})
}

// TestTextAppenders checks the appenders against the layouts and
// formats they replace.
func TestTextAppenders(t *testing.T) {
	for _, at := range []time.Time{start, start.Add(25*time.Hour + 3*time.Minute + 7*time.Second + 123456789), sim.Epoch,
		time.Date(2099, 12, 31, 23, 59, 59, 999e6, time.UTC), time.Date(1999, 12, 31, 23, 59, 0, 0, time.UTC), time.Date(2250, 6, 1, 0, 0, 0, 0, time.UTC)} {
		st := sim.FromTime(at)
		require.Equal(t, at.Format("2006-01-02T15:04:05.000+0000"), eventTime(st), at)
		require.Equal(t, at.Format("02/01/06 15:04:05"), string(appendReasonTime(nil, st)), at)
	}
	for _, v := range []float64{0, 1, -1, 70, 63.00000000000001, 1e21, 1e-7, 123456.5} {
		want := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.ContainsAny(want, ".eE") {
			want += ".0"
		}
		require.Equal(t, want, formatValue(v))
	}
}

// TestAlarmStateChangeCachedConfiguration checks that the configuration an
// alarm encodes once is used only while the event still holds it.
func TestAlarmStateChangeCachedConfiguration(t *testing.T) {
	e := stateChange("a", map[string]string{"ServiceName": "web"}, true)
	e.Configuration.Metrics = e.Configuration.Metrics[:1]
	e.config = &configJSON{metrics: &e.Configuration.Metrics[0], desc: e.Configuration.Description, json: e.Configuration.appendJSON(nil)}
	requireSameJSON(t, e)
	changed := e
	changed.Configuration.Description = "another"
	requireSameJSON(t, changed)
	changed = e
	changed.Configuration.Metrics = []EventMetric{e.Configuration.Metrics[0]}
	changed.Configuration.Metrics[0].ID = "m2"
	requireSameJSON(t, changed)
	changed = e
	changed.Configuration.Metrics = append(e.Configuration.Metrics[:1:1], e.Configuration.Metrics[0])
	requireSameJSON(t, changed)
}

// TestAppendDataValue: an alarm's cached formatting of datapoint values
// writes what strconv does, for values met again (hits), values sharing
// a cache slot (evictions) and odd ones.
func TestAppendDataValue(t *testing.T) {
	a := &alarm{}
	r := rand.New(rand.NewPCG(7, 8))
	pool := []float64{0, math.Copysign(0, -1), 1, 60, 59.999999, 1e21, 1e-7, -3.5, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.NaN()}
	for range 300 {
		pool = append(pool, r.NormFloat64()*100, float64(r.IntN(1000))/7)
	}
	for range 20_000 {
		v := pool[r.IntN(len(pool))]
		require.Equal(t, string(strconv.AppendFloat([]byte("x"), v, 'g', -1, 64)), string(a.appendDataValue([]byte("x"), v)))
	}
}
