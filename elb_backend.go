package ecssim

import (
	"time"

	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

// elbBackend answers the load balancer's health checks with the ECS
// model's containers and the HTTP behaviour of their images
// (workload.HTTP).
type elbBackend struct{ w *World }

// InstanceZone implements elb.Backend.
func (b elbBackend) InstanceZone(id string) (string, bool) { return b.w.ecs.InstanceZone(id) }

// Probe implements elb.Backend: a container answers once its process has
// run for the image's ReadyAfter (connections are refused before, and
// while no container listens), with the status of the checked path, until
// the image's FailsAfter, and with its FailingStatus from then on; its
// ErrorRate share of traffic requests gets its ErrorStatus. A
// container that started at this very instant is not yet listening, so
// that the order of a check and a start due at the same instant cannot
// matter; for the same reason a container that exited at this very instant
// still answers.
func (b elbBackend) Probe(p elb.Probe) elb.Answer {
	ep, ok := b.w.ecs.TargetEndpoint(p.TargetType, p.ID, p.Port)
	if !ok || ep.RunningSince == sim.Never {
		return elb.Answer{Until: sim.Never}
	}
	stopped := ep.StoppedAt != sim.Never
	if stopped && p.At > ep.StoppedAt {
		return elb.Answer{Until: sim.Never}
	}
	cpu := float64(ep.TaskCPU) / 1024
	h := ep.Behaviour.HTTP
	// Draws are per container, from a stream that starts over at every
	// call: the same whenever they are made.
	r := b.w.eng.Fresh("workload/http/" + ep.ContainerArn)
	ready := ep.RunningSince + 1
	var latency time.Duration
	failAt := sim.Never
	if h != nil {
		ready = ready.Add(h.ReadyAfter.Sample(r))
		latency = h.ResponseTime.Sample(r)
		if h.FailsAfter != nil {
			failAt = ep.RunningSince.Add(h.FailsAfter.Sample(r))
		}
	}
	// A stopped container answered until the instant it exited.
	end := sim.Never
	if stopped {
		end = ep.StoppedAt + 1
	}
	switch {
	case p.At < ready:
		return elb.Answer{Until: min(ready, end), CPU: cpu}
	case p.At >= failAt:
		return elb.Answer{Status: h.Failing(), Latency: latency, Until: end, CPU: cpu}
	}
	status := h.StatusOf(p.Path)
	if p.Protocol == elb.ProtocolTCP {
		status = 1 // connected
	}
	a := elb.Answer{Status: status, Latency: latency, Until: min(failAt, end), CPU: cpu}
	if h != nil && h.ErrorRate > 0 {
		a.ErrorRate, a.ErrorStatus = h.ErrorRate, h.Error()
	}
	return a
}

// ecsLoadBalancing gives ECS the World's load balancers.
type ecsLoadBalancing struct {
	m *elb.ELB
}

// ecsTarget gives ECS a target's handle, with its load in ECS's type.
type ecsTarget struct{ *elb.TargetRef }

// Load implements ecs.TargetRef.
func (x ecsTarget) Load() ecs.TargetLoad {
	l := x.TargetRef.Load()
	return ecs.TargetLoad{CPU: l.CPU, MemoryMiB: l.MemoryMiB}
}

// TargetGroup implements ecs.LoadBalancing.
func (l ecsLoadBalancing) TargetGroup(arn string) (ecs.TargetGroupInfo, bool) {
	typ, lbs, ok := l.m.TargetGroupType(arn)
	return ecs.TargetGroupInfo{TargetType: typ, LoadBalancerArns: lbs}, ok
}

// RegisterTarget implements ecs.LoadBalancing.
func (l ecsLoadBalancing) RegisterTarget(tg, id string, port int32) (ecs.TargetRef, error) {
	if err := l.m.RegisterTarget(tg, id, port); err != nil {
		return nil, err
	}
	return ecsTarget{l.m.Ref(tg, id, port)}, nil
}

// DeregisterTarget implements ecs.LoadBalancing.
func (l ecsLoadBalancing) DeregisterTarget(tg, id string, port int32) (time.Duration, error) {
	return l.m.DeregisterTarget(tg, id, port)
}

// EndpointChanged implements ecs.LoadBalancing.
func (l ecsLoadBalancing) EndpointChanged(id string) { l.m.TargetChanged(id) }

// SetForwardWeights implements ecs.LoadBalancing.
func (l ecsLoadBalancing) SetForwardWeights(rule string, ws []ecs.Weight) error {
	tuples := make([]elb.TargetGroupTuple, len(ws))
	for i, w := range ws {
		tuples[i] = elb.TargetGroupTuple{TargetGroupArn: &w.TargetGroupArn, Weight: &w.Weight}
	}
	return l.m.SetForwardWeights(rule, tuples)
}

// TargetLoads implements ecs.LoadBalancing.
func (l ecsLoadBalancing) TargetLoads(tg string) bool {
	return l.m.GroupLoads(tg)
}
