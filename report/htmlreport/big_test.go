package htmlreport_test

import (
	"fmt"
	"time"

	"github.com/ecssim/ecssim/report/htmlreport"
)

// bigData makes the data of a long run of many services without running
// one: each service replaces a task every 10 minutes, changes its desired
// count as often, has a target group, two alarms that change state every
// half hour and a datapoint of each metric a minute.
func bigData(services int, span time.Duration) *htmlreport.Data {
	d := &htmlreport.Data{Title: fmt.Sprintf("%d services, %s", services, span), End: span}
	const every = 10 * time.Minute
	for i := range services {
		name := fmt.Sprintf("c%d/svc-%03d", i%4, i)
		s := &htmlreport.Service{Name: name, Revisions: []string{"app:1", "app:2"}, CPUTarget: 60}
		g := &htmlreport.TargetGroup{Name: fmt.Sprintf("tg-%03d", i)}
		for k, at := 0, time.Duration(0); at < span; k, at = k+1, at+every {
			rev := "app:1"
			if at > span/2 {
				rev = "app:2"
			}
			task := &htmlreport.Task{
				ID: fmt.Sprintf("%032x", i*100000+k), TaskDefinition: rev,
				Segments: []htmlreport.Segment{
					{At: at, State: htmlreport.StatePending},
					{At: at + 30*time.Second, State: htmlreport.StateRunning},
					{At: at + time.Minute, State: htmlreport.StateHealthy},
					{At: min(at+6*every, span) - 30*time.Second, State: htmlreport.StateStopping},
				},
				Stopped: min(at+6*every, span), StopCode: "ServiceSchedulerInitiated",
				StopReason: fmt.Sprintf("Scaling activity initiated by (deployment ecs-svc/%d)", k),
			}
			s.Tasks = append(s.Tasks, task)
			s.Desired = append(s.Desired, htmlreport.Step{At: at, Value: float64(4 + k%5)})
			g.Healthy = append(g.Healthy, htmlreport.Step{At: at, Value: float64(3 + k%4)})
			g.Unhealthy = append(g.Unhealthy, htmlreport.Step{At: at + time.Minute, Value: float64(k % 2)})
			s.Scaling = append(s.Scaling, htmlreport.Marker{At: at + 5*time.Minute, Kind: htmlreport.MarkScaleOut, Text: "desired count 4 → 5"})
			if k%24 == 0 {
				s.Deployments = append(s.Deployments,
					htmlreport.Marker{At: at, Kind: htmlreport.MarkDeploymentStart, Text: "ecs-svc/1 in progress"},
					htmlreport.Marker{At: at + 8*time.Minute, Kind: htmlreport.MarkCompleted, Text: "ecs-svc/1 completed"})
				d.Events = append(d.Events, htmlreport.Event{At: at, Service: name, Message: "(service " + name + ") has reached a steady state."})
			}
		}
		for at := time.Duration(0); at < span; at += time.Minute {
			v := float64(30 + (int(at/time.Minute)*7+i)%50)
			s.CPU = append(s.CPU, htmlreport.Sample{At: at, Value: v})
			s.Memory = append(s.Memory, htmlreport.Sample{At: at, Value: v / 2})
			g.RequestsPerTarget = append(g.RequestsPerTarget, htmlreport.Sample{At: at, Value: v * 10})
		}
		s.TargetGroups = []*htmlreport.TargetGroup{g}
		d.Services = append(d.Services, s)
		for _, side := range []string{"AlarmHigh", "AlarmLow"} {
			a := &htmlreport.Alarm{Name: "TargetTracking-service/" + name + "-" + side + "-0000"}
			for k, at := 0, time.Duration(0); at < span; k, at = k+1, at+30*time.Minute {
				state := "OK"
				if k%3 == 0 {
					state = "ALARM"
				}
				a.States = append(a.States, htmlreport.AlarmState{At: at, State: state, Reason: "Threshold Crossed"})
			}
			d.Alarms = append(d.Alarms, a)
		}
		d.Costs = append(d.Costs, htmlreport.Cost{Name: name, TaskHours: 144, USD: 7.1})
	}
	return d
}
