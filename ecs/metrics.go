package ecs

import (
	"fmt"
	"math"
	"slices"

	"github.com/ecssim/ecssim/workload"
)

// The ECS side of CloudWatch: what a service and a cluster report each
// minute. These methods only read the model.

// ServiceMetrics is what a service reports to CloudWatch at an instant.
type ServiceMetrics struct {
	Cluster, Service string
	// CPU and Memory are the service's CPUUtilization and
	// MemoryUtilization in percent, over its RUNNING tasks; Utilization is
	// false when it has none (then CloudWatch gets no datapoint).
	// [DG:cloudwatch-metrics#service_utilization]
	CPU, Memory float64
	Utilization bool
	// CPUUsed and MemoryUsed are the CPU units and MiB that the
	// service's RUNNING tasks on EC2 container instances use, for the
	// cluster's utilization.
	CPUUsed, MemoryUsed float64
	// Running, Desired and Pending are the task counts Container Insights
	// reports: RUNNING tasks, the desired count, and tasks on their way to
	// RUNNING (PROVISIONING, PENDING, ACTIVATING).
	Running, Desired, Pending int
}

// ClusterMetrics is what a cluster reports to CloudWatch at an instant.
type ClusterMetrics struct {
	Cluster string
	// CPURegistered and MemoryRegistered are the CPU units and MiB of its
	// registered (ACTIVE or DRAINING) container instances.
	CPURegistered, MemoryRegistered float64
	// ContainerInsights is whether the cluster's containerInsights
	// setting is enabled (or enhanced).
	ContainerInsights bool
}

// serviceCounts are a service's task counts at an instant.
type serviceCounts struct {
	running, onEC2, pending int
}

// verifyTaskCounts makes countTasks recount every time and panic when the
// kept counts differ; the package's tests turn it on.
var verifyTaskCounts = false

// countTasks returns a service's task counts, kept by recount as its tasks
// change (see service_quiet.go): the CloudWatch feed and target tracking
// ask for them every minute, and most minutes nothing changed.
func (m *ECS) countTasks(s *service) serviceCounts {
	c := serviceCounts{running: s.quiet.running, onEC2: s.quiet.onEC2, pending: s.quiet.pending}
	if verifyTaskCounts {
		if want := countTasks(s); c != want {
			panic(fmt.Sprintf("ecs: kept task counts %+v of service %s differ from a recount %+v", c, s.name, want))
		}
	}
	return c
}

// countTasks counts a service's RUNNING tasks (and those of them on EC2
// container instances) and its tasks on their way to RUNNING, in one pass.
func countTasks(s *service) serviceCounts {
	var c serviceCounts
	for _, t := range s.tasks {
		if !t.active() {
			continue
		}
		switch t.last {
		case StatusRunning:
			c.running++
			if t.inst != nil {
				c.onEC2++
			}
		case StatusProvisioning, StatusPending, StatusActivating:
			c.pending++
		}
	}
	return c
}

// taskSize is the CPU units and MiB a task of td reserves, as placement
// counts them (see taskNeeds), without the rest of what placement needs.
func taskSize(td *TaskDefinition) (cpu, mem int) {
	cpu, mem = td.TaskCPU(), td.TaskMemory()
	sumCPU, sumMem := cpu == 0, mem == 0
	for i := range td.ContainerDefinitions {
		cd := &td.ContainerDefinitions[i]
		if sumCPU && cd.Cpu != nil {
			cpu += int(*cd.Cpu)
		}
		if sumMem {
			switch {
			case cd.MemoryReservation != nil:
				mem += int(*cd.MemoryReservation)
			case cd.Memory != nil:
				mem += int(*cd.Memory)
			}
		}
	}
	return cpu, mem
}

// serviceUtilization computes a service's CPU and memory utilization over
// its RUNNING tasks from its traffic, as CloudWatch's AWS/ECS
// CPUUtilization and MemoryUtilization do: used ÷ reserved. Target
// tracking and the CloudWatch feed both read it.
// [DG:cloudwatch-metrics#service_utilization]
func (m *ECS) serviceUtilization(s *service, c serviceCounts) (cpu, mem float64, taskCPU, taskMem int, ok bool) {
	if len(s.deployments) == 0 {
		return 0, 0, 0, 0, false
	}
	if d := s.deployments[0]; d == s.size.dep {
		taskCPU, taskMem = s.size.cpu, s.size.mem
	} else {
		taskCPU, taskMem = taskSize(d.td)
		s.size.dep, s.size.cpu, s.size.mem = d, taskCPU, taskMem
	}
	if cpu, mem, routed := m.routedUtilization(s, c, taskCPU, taskMem); routed {
		return cpu, mem, taskCPU, taskMem, c.running > 0 && taskCPU > 0 && taskMem > 0
	}
	tr := workload.Traffic{}
	if s.traffic != nil {
		tr = *s.traffic
	}
	cpu, mem, ok = tr.Utilization(m.eng.Now().Sub(m.start), c.running, taskCPU, taskMem)
	return cpu, mem, taskCPU, taskMem, ok
}

// Metrics calls svc for every ACTIVE service and cl for every ACTIVE
// cluster, in name order (a cluster before its services).
func (m *ECS) Metrics(cl func(ClusterMetrics), svc func(ServiceMetrics)) {
	for _, name := range m.clusters.sortedNames() {
		c0 := m.clusters.byName[name]
		if c0.status != ClusterActive {
			continue
		}
		cm := ClusterMetrics{Cluster: c0.name}
		for _, in := range c0.instances {
			if in.status == InstanceActive || in.status == InstanceDraining {
				cm.CPURegistered += float64(in.cpu)
				cm.MemoryRegistered += float64(in.mem)
			}
		}
		for _, st := range c0.settings {
			if st.Name != nil && *st.Name == "containerInsights" && st.Value != nil && (*st.Value == "enabled" || *st.Value == "enhanced") {
				cm.ContainerInsights = true
			}
		}
		cl(cm)
		rows := c0.metricsRows()
		for i := range rows {
			r := &rows[i]
			if r.stale || !r.kept || verifyMetrics {
				m.computeRow(r, c0.name)
			}
			if r.active {
				svc(r.metrics(c0.name))
			}
		}
	}
}

// metricsRow is a service's row of the metrics feed: its ServiceMetrics
// as last computed, without the cluster's name. A cluster keeps its
// services' rows side by side in name order, so that a minute in which
// few services changed reads the rows in sequence and computes only
// those few.
type metricsRow struct {
	s    *service
	name string
	// stale says that something the metrics are computed from changed
	// since (see service.changed). kept says that they hold until then:
	// not when they depend on the time (traffic whose rate varies) or on
	// load balancers (whose target loads are asked for every minute).
	stale, kept bool
	active      bool // the service is ACTIVE: it reports metrics
	utilization bool
	// The counts are within the task quotas.
	running, desired, pending  int32
	cpu, mem, cpuUsed, memUsed float64
}

// verifyMetrics makes Metrics compute every row every minute and panic
// when a row it would have kept differs from the computed one; the
// package's tests turn it on.
var verifyMetrics = false

// changed says that something s's metrics are computed from changed:
// its tasks' states, its desired count, deployments, traffic, load
// balancers or status. Its metrics are computed afresh at the next
// minute; until then they are kept, to the bit, as they are a function of
// those alone (with a constant traffic rate).
func (s *service) changed() {
	if s.row != nil {
		s.row.stale = true
	}
	s.routed.ok = false
}

// computeRow computes the metrics of r's service now.
func (m *ECS) computeRow(r *metricsRow, cluster string) {
	s := r.s
	was := *r
	*r = metricsRow{s: s, name: r.name, kept: true}
	if s.status == ServiceActive {
		c := m.countTasks(s)
		sm := ServiceMetrics{Desired: s.desired, Running: c.running, Pending: c.pending}
		var taskCPU, taskMem int
		sm.CPU, sm.Memory, taskCPU, taskMem, sm.Utilization = m.serviceUtilization(s, c)
		if sm.Utilization {
			sm.CPUUsed = sm.CPU * float64(taskCPU) * float64(c.onEC2) / 100
			sm.MemoryUsed = sm.Memory * float64(taskMem) * float64(c.onEC2) / 100
		}
		*r = metricsRow{
			s: s, name: r.name, kept: !m.metricsVary(s), active: true, utilization: sm.Utilization,
			running: int32(sm.Running), desired: int32(sm.Desired), pending: int32(sm.Pending),
			cpu: sm.CPU, mem: sm.Memory, cpuUsed: sm.CPUUsed, memUsed: sm.MemoryUsed,
		}
	}
	if verifyMetrics && !was.stale && was.kept && !sameRow(&was, r) {
		panic(fmt.Sprintf("ecs: kept metrics %+v of service %s/%s differ from computed ones %+v",
			was.metrics(cluster), cluster, s.name, r.metrics(cluster)))
	}
}

// metricsVary reports whether s's metrics can change while nothing marks
// it changed: with a load balancer (ECS asks it for the target loads
// every minute, routed or not) or traffic whose rate varies with time.
func (m *ECS) metricsVary(s *service) bool {
	return m.cfg.LoadBalancing != nil && len(s.lbs) > 0 || s.traffic != nil && s.traffic.Shape.Varies()
}

// metrics returns the row's metrics with the service's names.
func (r *metricsRow) metrics(cluster string) ServiceMetrics {
	return ServiceMetrics{
		Cluster: cluster, Service: r.name,
		CPU: r.cpu, Memory: r.mem, Utilization: r.utilization, CPUUsed: r.cpuUsed, MemoryUsed: r.memUsed,
		Running: int(r.running), Desired: int(r.desired), Pending: int(r.pending),
	}
}

// sameRow reports whether two rows hold the same metrics, to the bit.
func sameRow(a, b *metricsRow) bool {
	bits := math.Float64bits
	return a.active == b.active && a.utilization == b.utilization &&
		a.running == b.running && a.desired == b.desired && a.pending == b.pending &&
		bits(a.cpu) == bits(b.cpu) && bits(a.mem) == bits(b.mem) &&
		bits(a.cpuUsed) == bits(b.cpuUsed) && bits(a.memUsed) == bits(b.memUsed)
}

// routedUtilization computes a service's utilization from the requests
// its load balancers route to its RUNNING tasks' targets, when a listener
// with traffic forwards to one of its target groups: each task uses what
// its targets' requests cost, so a task the load balancer skips (its
// target initial, unhealthy or draining) is idle. routed is false when no
// listener with traffic reaches the service; then sim:SetTraffic drives
// it. [DG:cloudwatch-metrics#service_utilization]
func (m *ECS) routedUtilization(s *service, c serviceCounts, taskCPU, taskMem int) (cpu, mem float64, routed bool) {
	if m.cfg.LoadBalancing == nil || len(s.lbs) == 0 || c.running == 0 || taskCPU <= 0 || taskMem <= 0 {
		return 0, 0, false
	}
	// A service has at most 5 target groups: a short list, searched in
	// order, spares a map every minute. A group named twice keeps its
	// last loads, as a map would.
	var buf [5]string
	loads := buf[:0] // the groups routed to
	for _, lb := range s.lbs {
		if lb.TargetGroupArn == nil {
			continue
		}
		if m.cfg.LoadBalancing.TargetLoads(*lb.TargetGroupArn) && !slices.Contains(loads, *lb.TargetGroupArn) {
			loads = append(loads, *lb.TargetGroupArn)
		}
	}
	if len(loads) == 0 {
		return 0, 0, false
	}
	var usedCPU, usedMem, units, mib float64
	for _, x := range m.routedTargets(s) {
		if slices.Contains(loads, x.tg) {
			l := x.ref.Load()
			units += l.CPU * 1024
			mib += l.MemoryMiB
		}
		if x.last {
			// The task-level cpu is a hard limit, as in
			// workload.Traffic.Utilization.
			usedCPU += min(units, float64(taskCPU))
			usedMem += mib
			units, mib = 0, 0
		}
	}
	n := float64(c.running)
	return usedCPU * 100 / (float64(taskCPU) * n), usedMem * 100 / (float64(taskMem) * n), true
}

// routedTargets are the targets of a service's RUNNING tasks, in the
// order of its tasks, side by side: what routedUtilization reads every
// minute, without a walk over the task records (one cache miss each)
// and their target lists. They are built again after the service
// changed (see changed): a task's targets are registered before it is
// RUNNING and deregistered after it stops, and a task becoming or
// leaving RUNNING changes its service's counts (recount).
type routedTargets struct {
	ok   bool
	list []routedTarget
}

// routedTarget is one target of a RUNNING task of the service.
type routedTarget struct {
	tg  string
	ref TargetRef
	// last is set on the task's last target, where its CPU is capped.
	// A task without targets has none: it would add nothing.
	last bool
}

// routedTargets returns s's routed targets, built again if s changed
// since. With verifyMetrics on it builds them every time and panics when
// kept ones differ.
func (m *ECS) routedTargets(s *service) []routedTarget {
	if s.routed.ok && !verifyMetrics {
		return s.routed.list
	}
	kept, was := s.routed.list, s.routed.ok
	var list []routedTarget
	if !was {
		list = kept[:0]
	}
	for _, t := range s.tasks {
		if !t.active() || t.last != StatusRunning {
			continue
		}
		xs := t.targets()
		for i, x := range xs {
			list = append(list, routedTarget{tg: x.tg, ref: x.ref, last: i == len(xs)-1})
		}
	}
	if was && !slices.Equal(kept, list) {
		panic(fmt.Sprintf("ecs: kept routed targets of service %s differ from the tasks' (%d, %d targets)", s.name, len(kept), len(list)))
	}
	if !was {
		clear(list[len(list):cap(list)]) // drop the handles of targets gone
		s.routed = routedTargets{ok: true, list: list}
	}
	return s.routed.list
}
