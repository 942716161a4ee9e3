package ecssim

import (
	"time"

	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/sim"
)

// ECSMetricsDelay is how long after the end of its minute an ECS metric
// datapoint becomes visible in CloudWatch: to reads, and to alarms. ECS
// sends one aggregated datapoint per minute [DG:cloudwatch-metrics]; the
// delay until CloudWatch shows it is not documented (see
// docs/fidelity.md).
const ECSMetricsDelay = time.Minute

// CloudWatch namespaces and dimensions of the ECS feed.
// [DG:cloudwatch-metrics] [CW:Container-Insights-metrics-ECS]
const (
	namespaceECS               = "AWS/ECS"
	namespaceContainerInsights = "ECS/ContainerInsights"
)

// ecsFeed publishes the ECS model's metrics into the CloudWatch store at
// the end of every minute: AWS/ECS CPUUtilization and MemoryUtilization
// per service and per cluster, and, for clusters with Container Insights
// on, ECS/ContainerInsights RunningTaskCount, DesiredTaskCount and
// PendingTaskCount per service. It runs while an ECS service exists, so
// an idle World still has no pending event.
type ecsFeed struct {
	eng      *sim.Engine
	ecs      *ecs.ECS
	store    *cloudwatch.Store
	timer    sim.Timer
	act      sim.Action
	services map[serviceKey]*serviceSeries
	clusters map[string]*clusterSeries
	// order is the services' series in the order the last tick met
	// them: the model reports its services in the same order every
	// minute, so a tick finds each one at its place without hashing
	// (see seriesOf).
	order []*serviceSeries

	// per tick
	now, minute, visible sim.Time
	samples              cloudwatch.Minute // the services' utilization
	cur                  *clusterSeries
	curCI                bool
	next                 int // the service's place in order
	cpuUsed, memUsed     float64
	reported             bool
}

type serviceKey struct{ cluster, service string }

type serviceSeries struct {
	key serviceKey
	// Handles, so that a tick does not touch every series' memory.
	cpu, mem               cloudwatch.Handle
	running, desired, pend *cloudwatch.Series // nil until Container Insights is on
}

type clusterSeries struct {
	cpu, mem       *cloudwatch.Series
	cpuReg, memReg float64
}

func newECSFeed(eng *sim.Engine, m *ecs.ECS, store *cloudwatch.Store) *ecsFeed {
	f := &ecsFeed{eng: eng, ecs: m, store: store, services: map[serviceKey]*serviceSeries{}, clusters: map[string]*clusterSeries{}}
	f.act = func(any) error { f.tick(); return nil }
	return f
}

// arm schedules the next tick at the last instant of the current minute,
// unless one is pending.
func (f *ecsFeed) arm() {
	if f.timer.Pending() {
		return
	}
	f.timer, _ = f.eng.ScheduleArg(minuteEnd(f.eng.Now()), f.act, nil)
}

// minuteEnd is the last instant (one nanosecond before the next whole
// minute) of the minute that holds now, or of the next minute when now is
// that instant. A feed samples there so that its datapoint holds what the
// minute ended with: a change at the next whole minute (a traffic step, a
// scale-out) has a timestamp in the next minute and belongs to it, as
// CloudWatch assigns a sample to the minute that holds its timestamp.
func minuteEnd(now sim.Time) sim.Time {
	next := now - now%sim.Time(time.Minute) + sim.Time(time.Minute)
	if now == next-1 {
		next += sim.Time(time.Minute)
	}
	return next - 1
}

func dims(kv ...string) []cloudwatch.Dimension {
	out := make([]cloudwatch.Dimension, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		out = append(out, cloudwatch.Dimension{Name: &kv[i], Value: &kv[i+1]})
	}
	return out
}

// tick publishes the datapoints of the minute that just ended.
func (f *ecsFeed) tick() {
	f.now = f.eng.Now()
	f.minute = f.now - f.now%sim.Time(time.Minute)
	f.visible = f.minute.Add(time.Minute + ECSMetricsDelay)
	// Nothing reads the samples this stores before the next flush or
	// read, which settles it: it may go on beside the run.
	f.store.FlushBehind(f.now)
	f.samples = f.store.Minute(f.minute, f.visible, f.now)
	f.reported = false
	f.cur = nil
	f.next = 0
	f.ecs.Metrics(f.cluster, f.service)
	f.endCluster()
	if f.reported {
		f.arm()
	}
}

func (f *ecsFeed) cluster(cm ecs.ClusterMetrics) {
	f.endCluster()
	cs, ok := f.clusters[cm.Cluster]
	if !ok {
		cs = &clusterSeries{
			cpu: f.store.Series(namespaceECS, "CPUUtilization", dims("ClusterName", cm.Cluster)),
			mem: f.store.Series(namespaceECS, "MemoryUtilization", dims("ClusterName", cm.Cluster)),
		}
		f.clusters[cm.Cluster] = cs
	}
	cs.cpuReg, cs.memReg = cm.CPURegistered, cm.MemoryRegistered
	f.cur, f.curCI = cs, cm.ContainerInsights
	f.cpuUsed, f.memUsed = 0, 0
}

// endCluster publishes the current cluster's utilization: CPU and memory
// used by tasks over what its container instances registered. A cluster
// without container instances has none. [DG:cloudwatch-metrics#cluster_utilization]
func (f *ecsFeed) endCluster() {
	cs := f.cur
	if cs == nil {
		return
	}
	f.cur = nil
	if cs.cpuReg > 0 {
		f.store.Publish(cs.cpu, f.minute, "Percent", cloudwatch.One(f.cpuUsed*100/cs.cpuReg), f.visible, f.now)
	}
	if cs.memReg > 0 {
		f.store.Publish(cs.mem, f.minute, "Percent", cloudwatch.One(f.memUsed*100/cs.memReg), f.visible, f.now)
	}
}

// seriesOf returns the series of the service k, the next one of the
// tick: at its place in order when the services are those of the last
// tick, else found by name (and made at its first datapoint).
func (f *ecsFeed) seriesOf(k serviceKey) *serviceSeries {
	i := f.next
	f.next++
	if i < len(f.order) && f.order[i].key == k {
		return f.order[i]
	}
	ss, ok := f.services[k]
	if !ok {
		d := dims("ClusterName", k.cluster, "ServiceName", k.service)
		ss = &serviceSeries{
			key: k,
			cpu: f.store.Handle(f.store.Series(namespaceECS, "CPUUtilization", d)),
			mem: f.store.Handle(f.store.Series(namespaceECS, "MemoryUtilization", d)),
		}
		f.services[k] = ss
	}
	if i < len(f.order) {
		f.order[i] = ss
	} else {
		f.order = append(f.order, ss)
	}
	return ss
}

func (f *ecsFeed) service(sm ecs.ServiceMetrics) {
	f.reported = true
	ss := f.seriesOf(serviceKey{sm.Cluster, sm.Service})
	if sm.Utilization {
		f.samples.One(&ss.cpu, "Percent", sm.CPU)
		f.samples.One(&ss.mem, "Percent", sm.Memory)
		f.cpuUsed += sm.CPUUsed
		f.memUsed += sm.MemoryUsed
	}
	if !f.curCI {
		return
	}
	if ss.running == nil {
		d := dims("ClusterName", sm.Cluster, "ServiceName", sm.Service)
		ss.running = f.store.Series(namespaceContainerInsights, "RunningTaskCount", d)
		ss.desired = f.store.Series(namespaceContainerInsights, "DesiredTaskCount", d)
		ss.pend = f.store.Series(namespaceContainerInsights, "PendingTaskCount", d)
	}
	f.store.Publish(ss.running, f.minute, "Count", cloudwatch.One(float64(sm.Running)), f.visible, f.now)
	f.store.Publish(ss.desired, f.minute, "Count", cloudwatch.One(float64(sm.Desired)), f.visible, f.now)
	f.store.Publish(ss.pend, f.minute, "Count", cloudwatch.One(float64(sm.Pending)), f.visible, f.now)
}
