package elb_test

import (
	"fmt"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

// app answers health checks with 200 from 45 s after the start of the
// simulation: an application still warming up before that.
type app struct{ readyAt sim.Time }

func (a app) Probe(p elb.Probe) elb.Answer {
	if p.At < a.readyAt {
		return elb.Answer{Until: a.readyAt} // connection refused until then
	}
	return elb.Answer{Status: 200, Until: sim.Never}
}

func (app) InstanceZone(string) (string, bool) { return "", false }

// A target's health over its first minute: registration, initial checks
// that fail while the application warms up, then healthy.
func Example_targetHealth() {
	start := sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	eng := sim.New(1, start)
	m := elb.New(eng, elb.Config{Region: "us-east-1", AccountID: "123456789012", Backend: app{readyAt: start.Add(45 * time.Second)}})
	table := api.NewTable()
	m.Register(table)
	c := elb.NewClient(table)

	lb, _ := c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}})
	tg, _ := c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("web"), Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), TargetType: api.String("ip"), HealthCheckIntervalSeconds: api.Int32(10)})
	arn := tg.TargetGroups[0].TargetGroupArn
	_, _ = c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &arn}}})
	m.OnTargetHealthChange(func(h elb.TargetHealthChange) {
		fmt.Printf("%3.0fs %s %s %s\n", eng.Now().Sub(start).Seconds(), h.TargetId, h.State, h.Description)
	})
	_, _ = c.RegisterTargets(&elb.TargetsInput{TargetGroupArn: &arn, Targets: []elb.TargetDescription{{Id: api.String("172.31.0.10")}}})
	_ = eng.RunFor(2 * time.Minute)
	// Output:
	//   0s 172.31.0.10 initial Target registration is in progress
	//  10s 172.31.0.10 initial Initial health checks in progress
	//  30s 172.31.0.10 unhealthy Health checks failed
	//  90s 172.31.0.10 healthy
}
