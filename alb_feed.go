package ecssim

import (
	"slices"
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
	// The series written, by dimension values, looked up once.
	lbSeries map[string]*albSeries
	// lbOrder are the load balancers' series in the order the last tick
	// met them: the traffic summary lists the load balancers in the same
	// order every minute, so a tick finds each one at its place without
	// hashing (see lbSeriesAt).
	lbOrder     []*albSeries
	groupSeries map[[2]string]*albSeries
	// The host counts with the AvailabilityZone dimension, by load
	// balancer, group and zone.
	groupZoneSeries map[[3]string]*albSeries
	// Scratch space for TargetResponseTime's values and counts.
	vals, counts []float64
}

// albSeries are the series of one dimension set: a load balancer's, or a
// load balancer's and a group's (with, in perTG, the group's own
// RequestCountPerTarget).
type albSeries struct {
	// Handles, so that a tick does not touch every series' memory.
	requests, elb5xx, target5xx, responseTime cloudwatch.Handle
	// target4xx is looked up at its first datapoint (few targets answer
	// 4XX), with dims.
	target4xx                            *cloudwatch.Series
	dims                                 []cloudwatch.Dimension
	healthy, unhealthy, perTarget, perTG cloudwatch.Handle
	// A group's host counts by zone: the series of each of zones, the
	// load balancer's zones when last published, so that a minute finds
	// them without hashing while the zones stay the same.
	zones      []string
	zoneSeries []*albSeries
	// key is the dimension value the series are found by: the load
	// balancer's, or the group's among its load balancer's groups.
	key string
	// groups are a load balancer's groups' series in the order the last
	// tick met them.
	groups []*albSeries
}

// seriesAt returns the series of key if they are the i-th of order, as
// in the last tick, or nil.
func seriesAt(order []*albSeries, i int, key string) *albSeries {
	if i < len(order) && order[i].key == key {
		return order[i]
	}
	return nil
}

// place puts s, the series of key, at place i of order.
func place(order []*albSeries, i int, key string, s *albSeries) []*albSeries {
	s.key = key
	if i < len(order) {
		order[i] = s
		return order
	}
	return append(order, s)
}

// lbSeriesAt returns the series of the load balancer dim, the i-th of
// this tick: at their place when it is where the last tick met it, else
// found by name (and made at their first datapoint) and put there.
func (f *albFeed) lbSeriesAt(i int, dim string) *albSeries {
	if ls := seriesAt(f.lbOrder, i, dim); ls != nil {
		return ls
	}
	ls := f.lbSeries[dim]
	if ls == nil {
		ls = f.newSeries(dims("LoadBalancer", dim), "")
		f.lbSeries[dim] = ls
	}
	f.lbOrder = place(f.lbOrder, i, dim, ls)
	return ls
}

// groupSeriesAt is lbSeriesAt for the j-th group of the load balancer
// whose series are ls.
func (f *albFeed) groupSeriesAt(ls *albSeries, j int, tg string) *albSeries {
	if gs := seriesAt(ls.groups, j, tg); gs != nil {
		return gs
	}
	key := [2]string{ls.key, tg}
	gs := f.groupSeries[key]
	if gs == nil {
		gs = f.newSeries(dims("LoadBalancer", ls.key, "TargetGroup", tg), tg)
		f.groupSeries[key] = gs
	}
	ls.groups = place(ls.groups, j, tg, gs)
	return gs
}

func newALBFeed(eng *sim.Engine, m *elb.ELB, store *cloudwatch.Store) *albFeed {
	f := &albFeed{eng: eng, elb: m, store: store, lbSeries: map[string]*albSeries{}, groupSeries: map[[2]string]*albSeries{},
		groupZoneSeries: map[[3]string]*albSeries{}}
	f.act = func(any) error { f.tick(); return nil }
	return f
}

// addLatencies notes targets' response times, each counted by the
// requests it answered in the minute.
func (f *albFeed) addLatencies(ls []elb.TargetLatency) {
	for _, l := range ls {
		f.vals = append(f.vals, l.Seconds)
		f.counts = append(f.counts, l.RPS*60)
	}
}

// publishResponseTime publishes a minute's TargetResponseTime: its mean
// (the Average, as before: one sample of the mean) and its minimum and
// maximum over the targets that answered, with the targets' response
// times weighted by their requests as the values behind its percentiles
// (p50, p99, … as the ALB guide offers for TargetResponseTime).
// [ALB:load-balancer-cloudwatch-metrics]
func (f *albFeed) publishResponseTime(h *cloudwatch.Handle, minute sim.Time, mean float64, visible, now sim.Time) {
	v := cloudwatch.One(mean)
	for i, x := range f.vals {
		if f.counts[i] <= 0 {
			continue
		}
		v.Minimum, v.Maximum = min(v.Minimum, x), max(v.Maximum, x)
	}
	f.store.PublishValuesTo(h, minute, "Seconds", v, f.vals, f.counts, visible, now)
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
	// Nothing reads what this stores before the next flush or read,
	// which settles it (see ecsFeed.tick).
	f.store.FlushBehind(now)
	samples := f.store.Minute(minute, visible, now)
	pub := func(h *cloudwatch.Handle, unit string, v float64) {
		samples.One(h, unit, v)
	}
	count := func(h *cloudwatch.Handle, perSecond float64) {
		if n := perSecond * 60; n > 0 {
			pub(h, "Count", n)
		}
	}
	for i, lt := range f.elb.TrafficSummary() {
		ls := f.lbSeriesAt(i, lt.Dimension)
		count(&ls.requests, lt.Requests)
		count(&ls.elb5xx, lt.ELB5XX)
		count(&ls.target5xx, lt.Target5XX)
		f.count4xx(ls, lt.Target4XX)
		if lt.TargetRequests > 0 {
			f.vals, f.counts = f.vals[:0], f.counts[:0]
			for _, g := range lt.Groups {
				f.addLatencies(g.Latencies)
			}
			f.publishResponseTime(&ls.responseTime, minute, lt.ResponseTime, visible, now)
		}
		for j, g := range lt.Groups {
			gs := f.groupSeriesAt(ls, j, g.Dimension)
			count(&gs.requests, g.Requests)
			count(&gs.target5xx, g.Target5XX)
			f.count4xx(gs, g.Target4XX)
			if g.TargetRequests > 0 {
				f.vals, f.counts = f.vals[:0], f.counts[:0]
				f.addLatencies(g.Latencies)
				f.publishResponseTime(&gs.responseTime, minute, g.ResponseTime, visible, now)
			}
			pub(&gs.healthy, "Count", float64(g.Healthy))
			pub(&gs.unhealthy, "Count", float64(g.Unhealthy))
			// By zone: the targets in each zone the load balancer is
			// enabled in (0 where it has none).
			if !slices.Equal(gs.zones, lt.Zones) {
				f.zoneSeries(gs, lt.Dimension, g.Dimension, lt.Zones)
			}
			for i, z := range lt.Zones {
				zs := gs.zoneSeries[i]
				var h elb.ZoneHosts
				for _, x := range g.Zones {
					if x.Zone == z {
						h = x
					}
				}
				pub(&zs.healthy, "Count", float64(h.Healthy))
				pub(&zs.unhealthy, "Count", float64(h.Unhealthy))
			}
			// RequestCountPerTarget: the group's requests over its healthy
			// targets (all its targets when none is healthy, as then it
			// fails open). [ALB:load-balancer-cloudwatch-metrics]
			if n := g.Healthy; g.Requests > 0 {
				if n == 0 {
					n = g.Unhealthy
				}
				if n > 0 {
					per := g.Requests * 60 / float64(n)
					pub(&gs.perTarget, "Count", per)
					pub(&gs.perTG, "Count", per)
				}
			}
		}
	}
	if f.elb.HasTraffic() {
		f.arm()
	}
}

// zoneSeries sets the zones of a group's series gs and looks up their
// series.
func (f *albFeed) zoneSeries(gs *albSeries, lb, tg string, zones []string) {
	gs.zones, gs.zoneSeries = append(gs.zones[:0], zones...), gs.zoneSeries[:0]
	for _, z := range zones {
		key := [3]string{lb, tg, z}
		zs := f.groupZoneSeries[key]
		if zs == nil {
			zs = f.newSeries(dims("LoadBalancer", lb, "TargetGroup", tg, "AvailabilityZone", z), "zone")
			f.groupZoneSeries[key] = zs
		}
		gs.zoneSeries = append(gs.zoneSeries, zs)
	}
}

// count4xx publishes the minute's HTTPCode_Target_4XX_Count of s, when
// not zero. [ALB:load-balancer-cloudwatch-metrics]
func (f *albFeed) count4xx(s *albSeries, perSecond float64) {
	n := perSecond * 60
	if n <= 0 {
		return
	}
	if s.target4xx == nil {
		s.target4xx = f.store.Series(namespaceALB, "HTTPCode_Target_4XX_Count", s.dims)
	}
	now := f.eng.Now()
	minute := now - now%sim.Time(time.Minute)
	f.store.Publish(s.target4xx, minute, "Count", cloudwatch.One(n), minute.Add(time.Minute+ALBMetricsDelay), now)
}

// newSeries looks up the series of one dimension set: a load balancer's
// (tg empty) or a load balancer's and a group's, whose perTG is the
// group's RequestCountPerTarget with the TargetGroup dimension alone; tg
// "zone" is a load balancer's, group's and zone's: the host counts only.
func (f *albFeed) newSeries(d []cloudwatch.Dimension, tg string) *albSeries {
	series := func(name string) cloudwatch.Handle { return f.store.Handle(f.store.Series(namespaceALB, name, d)) }
	if tg == "zone" {
		return &albSeries{healthy: series("HealthyHostCount"), unhealthy: series("UnHealthyHostCount")}
	}
	s := &albSeries{requests: series("RequestCount"), target5xx: series("HTTPCode_Target_5XX_Count"), responseTime: series("TargetResponseTime"), dims: d}
	if tg == "" {
		s.elb5xx = series("HTTPCode_ELB_5XX_Count")
		return s
	}
	s.healthy, s.unhealthy = series("HealthyHostCount"), series("UnHealthyHostCount")
	s.perTarget = series("RequestCountPerTarget")
	s.perTG = f.store.Handle(f.store.Series(namespaceALB, "RequestCountPerTarget", dims("TargetGroup", tg)))
	return s
}
