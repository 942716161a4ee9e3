package ecs

import (
	"net/netip"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// TargetEndpoint is the container a load balancer target reaches: an ip
// target's task ENI, or an instance target's host port.
type TargetEndpoint struct {
	// ContainerArn identifies the container; it seeds the draws of its
	// behaviour, so that they do not depend on when they are made.
	ContainerArn string
	// Behaviour is the behaviour of the container's image.
	Behaviour workload.Image
	// RunningSince is when the container's process started; sim.Never
	// while it has not (it is not listening then).
	RunningSince sim.Time
	// StoppedAt is when the process exited; sim.Never while it runs.
	StoppedAt sim.Time
	// TaskCPU is the CPU units of the container's task (its task-level
	// cpu, else the sum of its containers'); 0 when none is given.
	TaskCPU int
}

// TargetEndpoint returns the running or starting container that a load
// balancer target reaches: for an ip target, the task that holds the
// address and a container mapping the port; for an instance target, a
// task on that EC2 instance whose container is bound to the port on the
// host. A stopped task reaches nothing.
func (m *ECS) TargetEndpoint(targetType, id string, port int32) (TargetEndpoint, bool) {
	var addr netip.Addr
	if targetType == "ip" {
		a, err := netip.ParseAddr(id)
		if err != nil {
			return TargetEndpoint{}, false
		}
		addr = a
	}
	// Newest first: an address or a port may have served an older task.
	for t := m.taskTail; t != nil; t = t.prev {
		if t.last == StatusStopped {
			continue
		}
		var ci int
		var ok bool
		if targetType == "ip" {
			if !t.ip.IsValid() || t.ip != addr {
				continue
			}
			ci, ok = t.containerOnPort(port, false)
		} else {
			if t.inst == nil || t.inst.ec2ID != id {
				continue
			}
			ci, ok = t.containerOnPort(port, true)
		}
		if !ok || ci >= len(t.containers) {
			continue
		}
		c := t.containers[ci]
		ep := TargetEndpoint{ContainerArn: c.arn, Behaviour: *c.behaviour, RunningSince: sim.Never, StoppedAt: sim.Never}
		ep.TaskCPU, _ = taskSize(t.def)
		if c.everRan {
			ep.RunningSince = c.startedAt
		}
		if c.last == StatusStopped && c.everRan {
			ep.StoppedAt = c.stoppedAt
		}
		return ep, true
	}
	return TargetEndpoint{}, false
}

// containerOnPort returns the index of the container that listens on port:
// its container port (awsvpc), or its host port when onHost.
func (t *task) containerOnPort(port int32, onHost bool) (int, bool) {
	if !onHost {
		for i, cd := range t.def.ContainerDefinitions {
			for _, pm := range cd.PortMappings {
				if api.Deref(pm.ContainerPort) == port {
					return i, true
				}
			}
		}
		return 0, false
	}
	cs := make([]Container, len(t.def.ContainerDefinitions))
	t.bindings(cs)
	for i, c := range cs {
		for _, b := range c.NetworkBindings {
			if b.HostPort == port {
				return i, true
			}
		}
	}
	return 0, false
}

// endpointChanged tells the load balancers that what listens at a task's
// address (or on its instance) changed: a container started or exited.
func (m *ECS) endpointChanged(t *task) {
	if m.cfg.LoadBalancing == nil {
		return
	}
	if t.ip.IsValid() {
		m.cfg.LoadBalancing.EndpointChanged(t.ipString())
	}
	if t.inst != nil {
		m.cfg.LoadBalancing.EndpointChanged(t.inst.ec2ID)
	}
}

// InstanceZone returns the Availability Zone of a registered container
// instance by its EC2 instance ID, and whether there is one.
func (m *ECS) InstanceZone(ec2ID string) (string, bool) {
	for _, in := range m.instances {
		if in.ec2ID == ec2ID && in.status != InstanceInactive && in.stoppedAt == 0 {
			return in.subnet.AvailabilityZone, true
		}
	}
	return "", false
}
