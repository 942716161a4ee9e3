package ecssim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/sim"
)

// cpuMinutes returns the visible AWS/ECS CPUUtilization datapoints of web
// as "minute=value", minutes from the start.
func (f *fleet) cpuMinutes() []string {
	f.t.Helper()
	start := f.w.Start()
	out, err := f.w.CloudWatch().GetMetricStatistics(&cloudwatch.GetMetricStatisticsInput{
		Namespace: api.String("AWS/ECS"), MetricName: api.String("CPUUtilization"),
		Dimensions: []cloudwatch.Dimension{{Name: api.String("ClusterName"), Value: api.String("demo")}, {Name: api.String("ServiceName"), Value: api.String("web")}},
		StartTime:  ptrStamp(start), EndTime: ptrStamp(start.Add(time.Hour)), Period: api.Int32(60), Statistics: []string{"Average"},
	})
	require.NoError(f.t, err)
	var got []string
	for _, d := range out.Datapoints {
		got = append(got, fmt.Sprintf("%d=%g", int(d.Timestamp.Sub(start).Minutes()), *d.Average))
	}
	return got
}

func ptrStamp(t time.Time) *api.Timestamp { s := api.NewTimestamp(t); return &s }

// TestMetricMinuteBoundary: a change at a whole minute belongs to the
// minute it starts, as CloudWatch puts a sample in the minute that holds
// its timestamp. Traffic that jumps at 0:10:00 leaves the datapoint of
// 0:09-0:10 at its old value; the datapoint of 0:10-0:11 is the first with
// the new one, visible one minute after its minute ends (0:12:00).
func TestMetricMinuteBoundary(t *testing.T) {
	f := newFleet(t, 1, nil)
	f.register("web", "myapp:1", false)
	f.createService("web", "web", 2, 200, 100, nil)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	f.setTraffic(20) // 40% each at 2 tasks
	// 100% from 0:10:00: an event of its own at that instant, as a
	// scenario step or a traffic shape makes it.
	_, err := f.w.Engine().Schedule(sim.FromTime(f.w.Start()).Add(10*time.Minute), func() error {
		_, err := f.w.Call("sim:SetTraffic", []byte(`{"cluster":"demo","service":"web","traffic":{"shape":"constant(50)","cpuPerRequest":"10ms"}}`))
		return err
	})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(6*time.Minute+time.Second))
	require.Equal(t, []string{"5=40", "6=40", "7=40", "8=40", "9=40"}, f.cpuMinutes()[len(f.cpuMinutes())-5:],
		"at 0:11 the newest visible minute is 0:09, at its old value")
	require.NoError(t, f.w.RunFor(time.Minute))
	got := f.cpuMinutes()
	require.Equal(t, []string{"9=40", "10=100"}, got[len(got)-2:], "0:10-0:11 is the first minute at 100%, visible at 0:12")
}
