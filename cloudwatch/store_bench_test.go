package cloudwatch

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// BenchmarkStoreDay: a day of the metrics an ALB fleet of 100 load
// balancers publishes, as the simulation's feeds do: at the end of each
// minute, with a delay, into series found once. Per load balancer, 5
// TargetResponseTime series with the raw values of 20 targets (a few
// distinct response times, weighted by requests), 10 series that change
// every minute (request counts, utilization), 5 that hold one value with
// a change every few hours (host and task counts); and 2 alarms on a
// changing series, evaluated every minute as target tracking's are (3
// of 3 and 15 of 15 one-minute datapoints). One op is the whole day,
// alarms included. It reports the heap the store and alarms keep at the
// end of the day.
func BenchmarkStoreDay(b *testing.B) {
	const lbs, targets = 100, 20
	b.ReportAllocs()
	var kept uint64
	for b.Loop() {
		h := newHarness(b)
		st := h.cw.Store()
		var values, counts []*Series
		var steady []*Series
		for i := range lbs {
			lb := fmt.Sprintf("app/lb-%03d/%016x", i, i)
			for z := range 5 {
				values = append(values, st.Series("AWS/ApplicationELB", "TargetResponseTime", []Dimension{{Name: api.String("LoadBalancer"), Value: &lb}, {Name: api.String("Zone"), Value: api.String(fmt.Sprint(z))}}))
			}
			for k := range 10 {
				counts = append(counts, st.Series("AWS/ApplicationELB", fmt.Sprintf("Count%d", k), []Dimension{{Name: api.String("LoadBalancer"), Value: &lb}}))
			}
			for k := range 5 {
				steady = append(steady, st.Series("AWS/ApplicationELB", fmt.Sprintf("Hosts%d", k), []Dimension{{Name: api.String("LoadBalancer"), Value: &lb}}))
			}
			for k, n := range []int{3, 15} {
				h.must(b, "PutMetricAlarm", fmt.Sprintf(`{"AlarmName":"lb-%03d-%d","Namespace":"AWS/ApplicationELB","MetricName":"Count0","Dimensions":[{"Name":"LoadBalancer","Value":%q}],
					"Statistic":"Sum","Period":60,"EvaluationPeriods":%d,"Threshold":%d,"ComparisonOperator":"GreaterThanThreshold"}`, i, k, lb, n, 6000+k*3000))
			}
		}
		vals := make([]float64, targets)
		cnts := make([]float64, targets)
		var tick func() error
		tick = func() error {
			now := h.eng.Now()
			minute := now - now%sim.Time(time.Minute)
			m := float64(minute / sim.Time(time.Minute))
			visible := minute.Add(time.Minute + 90*time.Second)
			st.Flush(now)
			load := 1 + math.Sin(m/1440*2*math.Pi)/2
			for i, s := range values {
				lo, hi := math.Inf(1), math.Inf(-1)
				for t := range targets {
					vals[t] = 0.05 * load * float64(1+(t+i)%3)
					cnts[t] = math.Round(6000 * load * float64(1+t%2))
					lo, hi = min(lo, vals[t]), max(hi, vals[t])
				}
				st.PublishValues(s, minute, "Seconds", Stats{SampleCount: 1, Sum: 0.1 * load, Minimum: lo, Maximum: hi}, vals, cnts, visible, now)
			}
			for i, s := range counts {
				st.Publish(s, minute, "Count", One(math.Round(120000*load)+float64(i%7)), visible, now)
			}
			for i, s := range steady {
				st.Publish(s, minute, "Count", One(float64(20+(int(m)+i)/360%4)), visible, now)
			}
			_, err := h.eng.Schedule(minute.Add(2*time.Minute-time.Nanosecond), tick)
			return err
		}
		_, err := h.eng.Schedule(sim.FromTime(start).Add(time.Minute-time.Nanosecond), tick)
		require.NoError(b, err)
		h.run(b, 24*time.Hour)
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		h, st, tick, values, counts, steady = nil, nil, nil, nil, nil, nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		kept = after.HeapAlloc - before.HeapAlloc
		b.StartTimer()
	}
	b.ReportMetric(float64(kept)/(1<<20), "kept-MiB")
}
