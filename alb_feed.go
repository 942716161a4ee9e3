package ecssim

import (
	"time"

	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

// ALBMetricsDelay is how long after the end of its minute a load
// balancer's datapoint becomes visible in CloudWatch. Elastic Load
// Balancing reports every 60 seconds [ALB:load-balancer-cloudwatch-metrics];
// the delay until CloudWatch shows it is not documented (see
// docs/fidelity.md), so it is the ECS feed's.
const ALBMetricsDelay = ECSMetricsDelay

// namespaceALB is the namespace of Application Load Balancer metrics.
const namespaceALB = "AWS/ApplicationELB"

// albFeed publishes the load balancers' traffic into the CloudWatch store
// at the end of every minute, as AWS/ApplicationELB metrics with AWS's
// dimensions. Each minute is one sample of the routing at the minute's
// end: its request rate × 60 (docs/fidelity.md). It runs while a
// listener has traffic (sim:SetListenerTraffic), so that a World whose
// load balancers carry none stays idle.
type albFeed struct {
	eng   *sim.Engine
	elb   *elb.ELB
	store *cloudwatch.Store
	timer sim.Timer
	act   sim.Action
}

func newALBFeed(eng *sim.Engine, m *elb.ELB, store *cloudwatch.Store) *albFeed {
	f := &albFeed{eng: eng, elb: m, store: store}
	f.act = func(any) error { f.tick(); return nil }
	return f
}

// arm schedules the next tick at the last instant of the minute (see
// minuteEnd), unless one is pending.
func (f *albFeed) arm() {
	if f.timer.Pending() {
		return
	}
	f.timer, _ = f.eng.ScheduleArg(minuteEnd(f.eng.Now()), f.act, nil)
}

// tick publishes the datapoints of the minute that just ended. Counts are
// published only when not zero and TargetResponseTime only when a target
// answered, as Elastic Load Balancing reports a metric only when there
// is data for it; the host counts are published every minute.
// [ALB:load-balancer-cloudwatch-metrics]
func (f *albFeed) tick() {
	now := f.eng.Now()
	minute := now - now%sim.Time(time.Minute)
	visible := minute.Add(time.Minute + ALBMetricsDelay)
	f.store.Flush(now)
	traffic := f.elb.Traffic()
	pub := func(name, unit string, v float64, d []cloudwatch.Dimension) {
		f.store.Publish(f.store.Series(namespaceALB, name, d), minute, unit, cloudwatch.One(v), visible, now)
	}
	count := func(name string, perSecond float64, d []cloudwatch.Dimension) {
		if n := perSecond * 60; n > 0 {
			pub(name, "Count", n, d)
		}
	}
	for _, lt := range traffic {
		lb := dims("LoadBalancer", lt.Dimension)
		count("RequestCount", lt.Requests, lb)
		count("HTTPCode_ELB_5XX_Count", lt.ELB5XX, lb)
		count("HTTPCode_Target_5XX_Count", lt.Target5XX, lb)
		if lt.TargetRequests > 0 {
			pub("TargetResponseTime", "Seconds", lt.ResponseTime, lb)
		}
		for _, g := range lt.Groups {
			both := dims("LoadBalancer", lt.Dimension, "TargetGroup", g.Dimension)
			count("RequestCount", g.Requests, both)
			count("HTTPCode_Target_5XX_Count", g.Target5XX, both)
			if g.TargetRequests > 0 {
				pub("TargetResponseTime", "Seconds", g.ResponseTime, both)
			}
			pub("HealthyHostCount", "Count", float64(g.Healthy), both)
			pub("UnHealthyHostCount", "Count", float64(g.Unhealthy), both)
			// RequestCountPerTarget: the group's requests over its healthy
			// targets (all its targets when none is healthy, as then it
			// fails open). [ALB:load-balancer-cloudwatch-metrics]
			if n := g.Healthy; g.Requests > 0 {
				if n == 0 {
					n = g.Unhealthy
				}
				if n > 0 {
					per := g.Requests * 60 / float64(n)
					pub("RequestCountPerTarget", "Count", per, both)
					pub("RequestCountPerTarget", "Count", per, dims("TargetGroup", g.Dimension))
				}
			}
		}
	}
	if f.elb.HasTraffic() {
		f.arm()
	}
}
