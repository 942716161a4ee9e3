package cloudwatch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// flushWorld is a CloudWatch whose store receives, every minute, samples
// of many series in every form a series takes (dense, raw values, late
// samples, second samples in a minute, aggregates, other units), with
// two publication delays, and whose alarms read some of them.
func flushWorld(t *testing.T, parallelMin int, minutes int) *harness {
	h := newHarness(t)
	st := h.cw.Store()
	st.parallelMin = parallelMin
	const series = 600
	all := make([]*Series, series)
	for i := range all {
		all[i] = st.Series("Test", fmt.Sprintf("M%d", i%7), []Dimension{{Name: ptr("N"), Value: ptr(fmt.Sprint(i))}})
		if i%10 == 0 {
			h.must(t, "PutMetricAlarm", fmt.Sprintf(`{"AlarmName":"a%d","Namespace":"Test","MetricName":"M%d","Dimensions":[{"Name":"N","Value":"%d"}],
				"Statistic":"Average","Period":60,"EvaluationPeriods":3,"Threshold":50,"ComparisonOperator":"GreaterThanThreshold"}`, i, i%7, i))
		}
		if i%50 == 5 {
			h.must(t, "PutMetricAlarm", fmt.Sprintf(`{"AlarmName":"p%d","Namespace":"Test","MetricName":"M%d","Dimensions":[{"Name":"N","Value":"%d"}],
				"ExtendedStatistic":"p90","Period":60,"EvaluationPeriods":2,"Threshold":60,"ComparisonOperator":"GreaterThanThreshold"}`, i, i%7, i))
		}
	}
	r := rand.New(rand.NewPCG(7, 11))
	var tick func() error
	tick = func() error {
		now := h.eng.Now()
		minute := now - now%sim.Time(time.Minute)
		for i, s := range all {
			v := float64(r.IntN(100))
			delay := time.Minute
			if i%3 == 0 {
				delay = 90 * time.Second
			}
			visible := minute.Add(delay)
			switch k := r.IntN(40); {
			case i%5 == 1: // raw values
				vals := []float64{v, v / 2, float64(r.IntN(10)), v}
				st.PublishValues(s, minute, "Seconds", Stats{SampleCount: 4, Sum: 2.5 * v, Minimum: 0, Maximum: v}, vals, []float64{1, 2, 1}, visible, now)
			case k == 0: // late
				st.Publish(s, minute-sim.Time(r.IntN(5))*sim.Time(time.Minute), "Percent", One(v), visible, now)
			case k == 1: // a second sample
				st.Publish(s, minute, "Percent", One(v), visible, now)
				st.Publish(s, minute, "Percent", One(v+1), visible, now)
			case k == 2:
				st.Publish(s, minute, "Percent", Stats{SampleCount: 2, Sum: 2 * v, Minimum: v - 1, Maximum: v + 1}, visible, now)
			case k == 3:
				st.Publish(s, minute, "Count", One(v), visible, now)
			case k < 6: // a gap
			default:
				st.Publish(s, minute, "Percent", One(v), visible, now)
			}
		}
		_, err := h.eng.Schedule(minute.Add(2*time.Minute-time.Nanosecond), tick)
		return err
	}
	_, err := h.eng.Schedule(sim.FromTime(start).Add(time.Minute-time.Nanosecond), tick)
	require.NoError(t, err)
	h.run(t, time.Duration(minutes)*time.Minute)
	return h
}

// parallelFlushes reports whether the store's last flush ran in parts.
func parallelFlushes(st *Store) bool {
	for _, p := range st.parts {
		if len(p) > 0 {
			return true
		}
	}
	return false
}

// TestParallelFlushMatchesSequential runs the same world with every flush
// stored on two goroutines and with every flush stored on one, and
// checks that the store holds the same series and data, the alarms the
// same states and history, and the trace the same records. With one
// goroutine allowed, a large flush is stored on the calling one.
func TestParallelFlushMatchesSequential(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs two goroutines running at once")
	}
	const minutes = 240
	seq := flushWorld(t, math.MaxInt, minutes)
	par := flushWorld(t, 1, minutes)
	require.False(t, parallelFlushes(seq.cw.Store()))
	require.True(t, parallelFlushes(par.cw.Store()))

	require.Equal(t, seq.cw.Store().series, par.cw.Store().series)
	require.Equal(t, seq.cw.Store().keys, par.cw.Store().keys)
	require.Equal(t, seq.eng.Trace().Len(), par.eng.Trace().Len())
	require.Equal(t, seq.eng.Trace().Hash(), par.eng.Trace().Hash())
	for _, action := range []string{"DescribeAlarms", "DescribeAlarmHistory"} {
		in := `{"MaxRecords":100}`
		require.Equal(t, seq.must(t, action, in), par.must(t, action, in), action)
	}
	states := map[string]int{}
	for _, a := range par.cw.alarms {
		states[a.m.StateValue]++
	}
	require.Greater(t, states[StateAlarm], 0, "some alarm fires: %v", states)
	require.Greater(t, states[StateOK], 0, "some alarm is OK: %v", states)

	t.Run("one goroutine", func(t *testing.T) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		one := flushWorld(t, 1, minutes)
		require.False(t, parallelFlushes(one.cw.Store()))
		require.Equal(t, seq.cw.Store().series, one.cw.Store().series)
		require.Equal(t, seq.eng.Trace().Hash(), one.eng.Trace().Hash())
	})
}
