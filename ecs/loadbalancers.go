package ecs

import (
	"fmt"
	"time"

	"github.com/ecssim/ecssim/api"
)

// LoadBalancing is what ECS needs of Elastic Load Balancing to attach
// services to target groups; the World implements it with the elb model.
// Target IDs are IP addresses (ip target groups) or EC2 instance IDs.
type LoadBalancing interface {
	// TargetGroup describes a target group, and whether it exists.
	TargetGroup(arn string) (TargetGroupInfo, bool)
	// RegisterTarget registers a target with a group and returns a
	// handle on it.
	RegisterTarget(targetGroupArn, id string, port int32) (TargetRef, error)
	// DeregisterTarget starts a target's deregistration and returns how
	// long it drains (the group's deregistration delay).
	DeregisterTarget(targetGroupArn, id string, port int32) (time.Duration, error)
	// EndpointChanged says that what listens at an address or on an
	// instance changed (a container started or exited), so that health
	// checks of targets with that ID are answered afresh.
	EndpointChanged(id string)
	// TargetLoads computes the load each target of a group receives now
	// from the load balancer's traffic, for the targets' TargetRef.Load,
	// and returns false when no listener with traffic forwards to the
	// group.
	TargetLoads(targetGroupArn string) bool
	// SetForwardWeights sets the target groups and weights of the
	// forward action of a listener rule, or of a listener's default
	// rule given the listener's ARN: how a blue/green deployment shifts
	// traffic.
	SetForwardWeights(ruleArn string, weights []Weight) error
}

// TargetRef is a handle on a target that a task registered: what ECS
// asks of it at every scheduler pass and every minute, without looking
// the target up by group, ID and port.
type TargetRef interface {
	// State is the target's health state ("initial", "healthy",
	// "unhealthy", "draining", "unused"); "" when it is not registered.
	State() string
	// Health is its state, reason code and description.
	Health() (state, reason, description string)
	// Load is the load the last TargetLoads of its group computed for
	// it.
	Load() TargetLoad
}

// TargetLoad is the load a target receives from its load balancer.
type TargetLoad struct {
	// CPU is the vCPU seconds per second its requests cost.
	CPU float64
	// MemoryMiB is the memory its requests need.
	MemoryMiB float64
}

// TargetGroupInfo is what ECS checks of a target group.
type TargetGroupInfo struct {
	// TargetType is "instance" or "ip".
	TargetType string
	// LoadBalancerArns are the load balancers that forward to the group.
	LoadBalancerArns []string
}

// maxServiceLoadBalancers is how many target groups a service can have.
// [DG:load-balancer-types] ("up to five target groups")
const maxServiceLoadBalancers = 5

// checkLoadBalancers checks a service's loadBalancers against the task
// definition and the target groups, with ECS's messages (as ECS returns
// them; see docs/fidelity.md for the one AWS gives no wording for).
func (m *ECS) checkLoadBalancers(lbs []LoadBalancer, td *TaskDefinition) error {
	if len(lbs) > maxServiceLoadBalancers {
		return api.InvalidParameter("A service can have at most %d load balancers.", maxServiceLoadBalancers).At("loadBalancers")
	}
	mode := "bridge" // the default network mode on EC2 [API:TaskDefinition.networkMode]
	if td != nil && api.Deref(td.NetworkMode) != "" {
		mode = *td.NetworkMode
	}
	for i, lb := range lbs {
		path := fmt.Sprintf("loadBalancers[%d]", i)
		if lb.TargetGroupArn == nil && lb.LoadBalancerName == nil {
			return api.InvalidParameter("Target Group Arn can not be blank.").At(path + ".targetGroupArn")
		}
		if api.Deref(lb.ContainerName) == "" {
			return api.InvalidParameter("Container Name can not be blank.").At(path + ".containerName")
		}
		if lb.ContainerPort == nil {
			return api.InvalidParameter("Container Port can not be blank.").At(path + ".containerPort")
		}
		if lb.TargetGroupArn == nil {
			// A Classic Load Balancer: accepted and kept, not simulated
			// (docs/fidelity.md).
			continue
		}
		arn := *lb.TargetGroupArn
		var info TargetGroupInfo
		ok := false
		if m.cfg.LoadBalancing != nil {
			info, ok = m.cfg.LoadBalancing.TargetGroup(arn)
		}
		if !ok {
			// What ECS answers when it cannot describe the target group.
			return api.InvalidParameter("Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.").At(path + ".targetGroupArn")
		}
		if len(info.LoadBalancerArns) == 0 {
			return api.InvalidParameter("The target group with targetGroupArn %s does not have an associated load balancer.", arn).At(path + ".targetGroupArn")
		}
		if td == nil {
			continue
		}
		ci := -1
		for j, cd := range td.ContainerDefinitions {
			if api.Deref(cd.Name) == *lb.ContainerName {
				ci = j
			}
		}
		if ci < 0 {
			return api.InvalidParameter("The container %s does not exist in the task definition.", *lb.ContainerName).At(path + ".containerName")
		}
		found := false
		for _, pm := range td.ContainerDefinitions[ci].PortMappings {
			if api.Deref(pm.ContainerPort) == *lb.ContainerPort {
				found = true
			}
		}
		if !found {
			return api.InvalidParameter("The container %s did not have a container port %d defined.", *lb.ContainerName, *lb.ContainerPort).At(path + ".containerPort")
		}
		// awsvpc tasks register by IP address, bridge and host tasks by
		// instance. [DG:load-balancer-types]
		want := TargetTypeFor(mode)
		if info.TargetType != want {
			return api.InvalidParameter("The provided target group %s has target type %s, which is incompatible with the %s network mode specified in the task definition.", arn, info.TargetType, mode).At(path + ".targetGroupArn")
		}
	}
	return nil
}

// TargetTypeFor returns the target type a task of a network mode
// registers as: "ip" for awsvpc, "instance" otherwise.
func TargetTypeFor(networkMode string) string {
	if networkMode == "awsvpc" {
		return "ip"
	}
	return "instance"
}

// taskTarget is one registration of a service task with a target group.
type taskTarget struct {
	tg   string
	id   string // IP address (ip target groups) or EC2 instance ID
	port int32
	ref  TargetRef // set once registered
}

// targetKey identifies a target among every group's, for
// TargetHealthChanged.
type targetKey struct {
	tg, id string
	port   int32
}

func (x taskTarget) key() targetKey { return targetKey{x.tg, x.id, x.port} }

// targetsOf returns the targets a service task registers, one per entry
// of the service's loadBalancers with a target group: its address and
// container port (awsvpc), or its instance and the host port bound to the
// container port (bridge and host). [DG:load-balancer-types]
func (m *ECS) targetsOf(t *task) []taskTarget {
	if t.svc == nil || m.cfg.LoadBalancing == nil {
		return nil
	}
	var out []taskTarget
	for _, lb := range t.svc.lbs {
		if lb.TargetGroupArn == nil || lb.ContainerName == nil || lb.ContainerPort == nil {
			continue
		}
		if api.Deref(t.def.NetworkMode) == "awsvpc" {
			if t.ip.IsValid() {
				out = append(out, taskTarget{tg: t.dep.targetGroupOf(*lb.TargetGroupArn), id: t.ipString(), port: *lb.ContainerPort})
			}
			continue
		}
		if t.inst == nil {
			continue
		}
		cs := make([]Container, len(t.def.ContainerDefinitions))
		t.bindings(cs)
		for i, c := range cs {
			if api.Deref(t.def.ContainerDefinitions[i].Name) != *lb.ContainerName {
				continue
			}
			for _, b := range c.NetworkBindings {
				if b.ContainerPort == *lb.ContainerPort {
					out = append(out, taskTarget{tg: t.dep.targetGroupOf(*lb.TargetGroupArn), id: t.inst.ec2ID, port: b.HostPort})
					break
				}
			}
		}
	}
	return out
}

// registerTargets registers a service task's targets as it enters
// ACTIVATING, with the service event ECS writes for each target group.
// [DG:task-lifecycle] ("ACTIVATING ... registering with load balancers")
func (m *ECS) registerTargets(t *task) {
	targets := m.targetsOf(t)
	if len(targets) == 0 {
		return
	}
	done := &taskTargets{}
	done.list = done.one[:0]
	for _, x := range targets {
		ref, err := m.cfg.LoadBalancing.RegisterTarget(x.tg, x.id, x.port)
		if err != nil {
			continue // a group deleted since: nothing to register with
		}
		x.ref = ref
		done.list = append(done.list, x)
		m.targetTask[x.key()] = t
		m.serviceEvent(t.svc, 0, "(service %s) registered 1 targets in (target-group %s)", t.svc.name, x.tg)
	}
	if len(done.list) > 0 {
		t.lbTargets = done
	}
}

// taskTargets are the targets a task registered: list, in one when the
// task has one target (most tasks), so that they take one allocation and
// the metrics feed's walk over them one memory load less.
type taskTargets struct {
	list []taskTarget
	one  [1]taskTarget
}

// targets returns the load balancer targets a task registered.
func (t *task) targets() []taskTarget {
	if t.lbTargets == nil {
		return nil
	}
	return t.lbTargets.list
}

// deregisterTargets deregisters a task's targets as it enters
// DEACTIVATING and returns how long they drain: the longest
// deregistration delay of their groups. ECS sends the stop signal only
// once draining is over. [DG:load-balancer-connection-draining]
func (m *ECS) deregisterTargets(t *task) time.Duration {
	targets := t.targets()
	if len(targets) == 0 {
		return 0
	}
	t.lbTargets = nil
	var drain time.Duration
	depID := ""
	if t.dep != nil {
		depID = t.dep.id
	}
	m.serviceEvent(t.svc, 0, "(service %s, taskSet %s) has begun draining connections on 1 tasks.", t.svc.name, depID)
	for _, x := range targets {
		delete(m.targetTask, x.key())
		d, err := m.cfg.LoadBalancing.DeregisterTarget(x.tg, x.id, x.port)
		if err != nil {
			continue
		}
		drain = max(drain, d)
		m.serviceEvent(t.svc, 0, "(service %s) deregistered 1 targets in (target-group %s)", t.svc.name, x.tg)
	}
	return drain
}

// hasTargets reports whether a task is registered with a target group.
func (m *ECS) hasTargets(t *task) bool { return len(t.targets()) > 0 }

// targetsHealthy reports whether every target of a task is healthy.
func (m *ECS) targetsHealthy(t *task) bool {
	for _, x := range t.targets() {
		if x.ref.State() != "healthy" {
			return false
		}
	}
	return true
}

// unhealthyTarget returns a target of the task that its load balancer
// holds unhealthy, with the reason's description.
func (m *ECS) unhealthyTarget(t *task) (taskTarget, string, bool) {
	for _, x := range t.targets() {
		if x.ref.State() == "unhealthy" {
			_, _, desc := x.ref.Health()
			return x, desc, true
		}
	}
	return taskTarget{}, "", false
}

// TargetHealthChanged tells ECS that a load balancer target changed
// health; the World calls it for every change. The task behind the target,
// if a service registered it, is looked at again.
func (m *ECS) TargetHealthChanged(targetGroupArn, id string, port int32) {
	t, ok := m.targetTask[targetKey{targetGroupArn, id, port}]
	if !ok {
		return
	}
	m.lbHealthChanged(t)
}

// lbHealthChanged looks at a task again after one of its targets changed
// health: a RUNNING task whose targets are all healthy (and whose
// container health checks pass) now counts as healthy; the service
// reconciles either way, replacing a task whose target turned unhealthy.
// [API:DeploymentConfiguration.minimumHealthyPercent]
func (m *ECS) lbHealthChanged(t *task) {
	if t.active() && t.last == StatusRunning && t.healthyAt == 0 && m.targetsHealthy(t) && t.checksHealthy() {
		t.healthyAt = m.eng.Now()
	}
	m.taskChanged(t)
}

// failedTargetHealth stops a task whose target its load balancer holds
// unhealthy, past the grace period, with ECS's service event and stopped
// reason. [DG:service-event-messages] (observed wording)
func (m *ECS) failedTargetHealth(s *service, t *task, x taskTarget, desc string) {
	inst := ""
	if t.inst != nil && api.Deref(t.def.NetworkMode) != "awsvpc" {
		inst = "(instance " + t.inst.ec2ID + ") "
	}
	m.serviceEvent(s, 0, "(service %s) %s(port %d) is unhealthy in (target-group %s) due to (reason %s).", s.name, inst, x.port, x.tg, desc)
	m.stopTask(t, StopServiceSchedulerInitiated, "Task failed ELB health checks in (target-group "+x.tg+")")
}

// hasUnhealthyTarget reports whether a load balancer holds one of the
// task's targets unhealthy.
func (m *ECS) hasUnhealthyTarget(t *task) bool {
	_, _, bad := m.unhealthyTarget(t)
	return bad
}
