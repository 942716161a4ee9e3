package htmlreport_test

import (
	"io"
	"testing"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/report"
	"github.com/ecssim/ecssim/report/htmlreport"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sim"
)

// FuzzRecord feeds recorded trace lines of every type the report reads,
// decoded from their JSON as for a recorded trace: whatever the lines
// say, collecting and writing do not panic.
func FuzzRecord(f *testing.F) {
	for _, line := range exampleLines(f, "circuit-breaker-rollback") {
		f.Add(line, uint8(0), int64(1e9))
	}
	for _, line := range []string{"", "{}", `{"detail":null}`, `{"detail":{"lastStatus":"STOPPED"}}`,
		`{"detail":{"taskArn":"arn:aws:ecs:r:a:task/c/t","clusterArn":"arn:aws:ecs:r:a:cluster/c","group":"service:s","lastStatus":"RUNNING","cpu":"-5"}}`,
		`{"detail":{"resourceId":"service/c/s","from":3,"to":-1,"statusCode":"Successful"}}`,
		`{"detail":{"alarmName":"a","state":{"value":"ALARM"},"previousState":{"value":"OK"}}}`} {
		f.Add(line, uint8(1), int64(0))
	}
	types := []string{ecs.EventTaskStateChange, ecs.EventDeploymentStateChange, ecs.EventInstanceStateChange,
		report.TypeServiceEvent, report.TypeAPICall, autoscaling.EventScalingActivity,
		elb.EventTargetHealthChange, cloudwatch.EventAlarmStateChange}
	f.Fuzz(func(t *testing.T, line string, typ uint8, at int64) {
		w, err := ecssim.New(ecssim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		c := htmlreport.Attach(w)
		start := w.Engine().Now()
		for i, tp := range types {
			if int(typ)%len(types) != i && typ != 0 {
				continue
			}
			c.Record(sim.Record{Seq: i + 1, Line: []byte(line), Event: sim.Event{
				Time: start + sim.Time(at%int64(48*time.Hour)), Type: tp,
				Resources: []string{"arn:aws:ecs:us-east-1:123456789012:service/c/s"},
			}})
		}
		d, err := c.Build(htmlreport.Options{})
		if err != nil {
			return
		}
		if err := htmlreport.Write(io.Discard, d); err != nil {
			t.Fatal(err)
		}
	})
}

// exampleLines runs an example and returns its canonical trace lines.
func exampleLines(tb testing.TB, name string) []string {
	sc, err := scenario.LoadExample(name)
	if err != nil {
		tb.Fatal(err)
	}
	o, err := scenario.Run(sc, scenario.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	for _, r := range o.World.Trace().Records() {
		lines = append(lines, string(r.Line))
	}
	return lines
}
