package ecs

import (
	"time"

	"github.com/ecssim/ecssim/scheduler"
)

// reconcileDaemon runs a DAEMON service: exactly one task on every ACTIVE
// container instance that satisfies its placement constraints, placed
// without strategies. Tasks on instances that stop satisfying the
// constraints are stopped; on a DRAINING instance the daemon task stops
// last, once no other task is left there. A deployment replaces the task
// of each instance in place (maximumPercent is 100): the old task stops
// first, within minimumHealthyPercent (default 0), and the new one starts
// once its resources are free. [DG:ecs_services#service_scheduler_daemon]
// [API:CreateServiceRequest.schedulingStrategy]
func (m *ECS) reconcileDaemon(s *service) {
	primary := s.deployments[0]
	cl := s.cl
	byInst := map[*instance][]*task{}
	healthy := 0
	for _, t := range s.tasks {
		if t.active() && t.inst != nil {
			byInst[t.inst] = append(byInst[t.inst], t)
			if m.taskHealthy(t) {
				healthy++
			}
		}
	}
	eligible := 0
	var started, stopped []*task
	need := taskNeeds(primary.td, nil, s.group())
	for _, in := range cl.instances {
		if in.status == InstanceInactive {
			continue
		}
		tasks := byInst[in]
		if in.status == InstanceDraining {
			if len(tasks) > 0 && m.onlyDaemonsLeft(in) {
				for _, t := range tasks {
					m.stopTask(t, StopServiceSchedulerInitiated, "Container instance is being drained")
					stopped = append(stopped, t)
				}
			}
			continue
		}
		reason, err := cl.sched.Check(s.plan, in.id, &need)
		if err != nil {
			continue
		}
		if reason == scheduler.ReasonMemberOf {
			// The instance no longer satisfies the constraints.
			for _, t := range tasks {
				m.stopTask(t, StopServiceSchedulerInitiated, "Container instance no longer satisfies the placement constraints of the service")
				stopped = append(stopped, t)
			}
			continue
		}
		eligible++
		current := false
		for _, t := range tasks {
			if t.dep == primary {
				current = true
				continue
			}
			if m.taskHealthy(t) {
				_, minHealthy := bounds(len(byInst), s.maxPct, s.minPct)
				if healthy-1 < minHealthy {
					continue
				}
				healthy--
			}
			m.stopTask(t, StopServiceSchedulerInitiated, "Scaling activity initiated by (deployment "+t.dep.id+")")
			stopped = append(stopped, t)
		}
		if current || len(tasks) > 0 {
			continue // the new task starts once the old one has released the instance
		}
		switch reason {
		case scheduler.Fits:
			l, err := m.launchOnInstance(cl, in.id, &need)
			if err != nil {
				continue
			}
			t := m.newTask(cl, primary.td, l, s.group(), primary.id, nil, m.propagatedTags(s, primary))
			t.svc, t.dep = s, primary
			s.tasks = append(s.tasks, t)
			m.recount(s, t)
			started = append(started, t)
		case scheduler.ReasonAgent:
			// The agent is away: nothing to do until it reconnects.
		default:
			m.placementFailure(s, time.Hour, scheduler.UnableToPlaceMessage(s.name, scheduler.Result{Candidates: 1, Closest: in.id, ClosestReason: reason}))
		}
	}
	s.desired = eligible
	s.changed()
	if len(started) > 0 {
		m.serviceEventText(s, 0, m.tasksMessage(s, "started", "tasks", started))
	}
	if len(stopped) > 0 {
		m.serviceEventText(s, 0, m.tasksMessage(s, "stopped", "running tasks", stopped))
	}
	m.pruneDeployments(s)
	m.checkSteady(s)
}

// onlyDaemonsLeft reports whether every task still on the instance
// belongs to a DAEMON service.
func (m *ECS) onlyDaemonsLeft(in *instance) bool {
	for _, t := range in.tasks(m) {
		if t.svc == nil || t.svc.scheduling != "DAEMON" {
			return false
		}
	}
	return true
}

// daemonEligible counts the ACTIVE instances whose agent is connected and
// that satisfy the service's constraints: a DAEMON service's desired
// count.
func (m *ECS) daemonEligible(s *service, td *TaskDefinition) int {
	need := taskNeeds(td, nil, s.group())
	n := 0
	for _, in := range s.cl.instances {
		if in.status != InstanceActive {
			continue
		}
		if r, err := s.cl.sched.Check(s.plan, in.id, &need); err == nil && r != scheduler.ReasonMemberOf {
			n++
		}
	}
	return n
}
