package ecs

import (
	"slices"
	"strconv"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

// ec2AwsvpcProvisioning is how long an awsvpc task on EC2 spends in
// PROVISIONING while its ENI is attached to the instance: "several
// seconds" [DG:task-recommendations]; the range is an assumption.
var ec2AwsvpcProvisioning = workload.Uniform(3*time.Second, 8*time.Second)

// taskNeeds computes what a task of td (with overrides) needs from a
// container instance: task-level cpu and memory when set, else the sums
// over containers, memoryReservation before memory; host ports by network
// mode; an ENI for awsvpc; GPUs from resource requirements.
// [DG:task_definition_parameters] [API:ContainerDefinition.memoryReservation]
func taskNeeds(td *TaskDefinition, ov *TaskOverride, group string) scheduler.Task {
	st := scheduler.Task{Group: group, CPU: td.TaskCPU(), Memory: td.TaskMemory()}
	if ov != nil {
		if c, ok := parseTaskCPU(api.Deref(ov.Cpu)); ok {
			st.CPU = c
		}
		if mm, ok := parseTaskMemory(api.Deref(ov.Memory)); ok {
			st.Memory = mm
		}
	}
	sumCPU, sumMem := st.CPU == 0, st.Memory == 0
	mode := api.Deref(td.NetworkMode)
	if mode == "" {
		mode = "bridge" // the Linux default [DG:task_definition_parameters#network_mode]
	}
	st.ENI = mode == "awsvpc"
	for i := range td.ContainerDefinitions {
		cd := &td.ContainerDefinitions[i]
		if sumCPU {
			st.CPU += int(api.Deref(cd.Cpu))
		}
		if sumMem {
			switch {
			case cd.MemoryReservation != nil:
				st.Memory += int(*cd.MemoryReservation)
			case cd.Memory != nil:
				st.Memory += int(*cd.Memory)
			}
		}
		for _, r := range cd.ResourceRequirements {
			if api.Deref(r.Type) == "GPU" {
				n, _ := strconv.Atoi(api.Deref(r.Value))
				st.GPUs += n
			}
		}
		if mode != "bridge" && mode != "host" {
			continue
		}
		for _, pm := range cd.PortMappings {
			if pm.ContainerPort == nil {
				continue // port ranges take no host port of their own here
			}
			proto := scheduler.TCP
			if api.Deref(pm.Protocol) == "udp" {
				proto = scheduler.UDP
			}
			host := int(api.Deref(pm.HostPort))
			if mode == "host" {
				host = int(*pm.ContainerPort)
			}
			switch {
			case host > 0:
				st.HostPorts = append(st.HostPorts, scheduler.Port{Number: uint16(host), Protocol: proto})
			case proto == scheduler.UDP:
				st.DynamicUDPPorts++
			default:
				st.DynamicTCPPorts++
			}
		}
	}
	return st
}

// placementSpec converts API strategies and constraints (the request's
// and the task definition's) for the scheduler.
func placementSpec(strategies []PlacementStrategy, constraints []PlacementConstraint, td *TaskDefinition, service bool) scheduler.Spec {
	spec := scheduler.Spec{Service: service}
	for _, s := range strategies {
		spec.Strategies = append(spec.Strategies, scheduler.Strategy{Type: api.Deref(s.Type), Field: api.Deref(s.Field)})
	}
	for _, c := range constraints {
		spec.Constraints = append(spec.Constraints, scheduler.Constraint{Type: api.Deref(c.Type), Expression: api.Deref(c.Expression)})
	}
	if td != nil {
		for _, c := range td.PlacementConstraints {
			spec.Constraints = append(spec.Constraints, scheduler.Constraint{Type: api.Deref(c.Type), Expression: api.Deref(c.Expression)})
		}
	}
	return spec
}

// schedOf returns the cluster's placement state, creating it on first use.
func (cl *cluster) schedOf() *scheduler.Cluster {
	if cl.sched == nil {
		cl.sched = scheduler.NewCluster()
	}
	return cl.sched
}

// hasInstances reports whether any container instance is registered.
func (cl *cluster) hasInstances() bool {
	for _, in := range cl.instances {
		if in.status != InstanceInactive {
			return true
		}
	}
	return false
}

// launch says where and how a new task runs.
type launch struct {
	launchType string
	provider   string
	subnet     vpc.Subnet
	inst       *instance // EC2 only; nil while waiting for capacity
	lease      scheduler.Lease
	plan       *scheduler.Plan // EC2 waiting for capacity
	need       scheduler.Task  // EC2 waiting for capacity
	// svc and dep are the service and deployment a service task belongs
	// to, set on the task before its lifecycle starts, so that a task
	// failing at once (no free address in its subnet) counts toward the
	// service's throttle and circuit breaker at once.
	svc *service
	dep *deployment
}

// launchOnInstance reserves a task on an instance the scheduler chose.
func (m *ECS) launchOnInstance(cl *cluster, id string, st *scheduler.Task) (launch, error) {
	inst := m.instances[id]
	lease, err := cl.sched.Reserve(id, st)
	if err != nil {
		return launch{}, api.ServerException("placement: %v", err)
	}
	return launch{launchType: LaunchEC2, subnet: inst.subnet, inst: inst, lease: lease}, nil
}

// runTaskEC2 places RunTask's tasks on container instances. Tasks that do
// not fit are reported in failures with each instance's reason, as ECS
// does; nothing is an error but invalid input. [DG:task-placement]
func (m *ECS) runTaskEC2(cl *cluster, td *TaskDefinition, in *RunTaskInput, group string, strategy []CapacityProviderStrategyItem) (*RunTaskOutput, error) {
	out := &RunTaskOutput{Tasks: []Task{}, Failures: []Failure{}}
	if !cl.hasInstances() && len(strategy) == 0 {
		out.Failures = append(out.Failures, Failure{Arn: api.String(cl.arn), Reason: api.String("No Container Instances were found in your cluster.")})
		return out, nil
	}
	if api.Deref(td.NetworkMode) == "awsvpc" {
		if _, err := m.resolveAwsvpc(td, in.NetworkConfiguration, "networkConfiguration"); err != nil {
			return nil, err
		}
	} else if in.NetworkConfiguration != nil && in.NetworkConfiguration.AwsvpcConfiguration != nil {
		return nil, api.InvalidParameter("Network Configuration is not valid for the given networkMode of this task definition.").At("networkConfiguration")
	}
	spec := placementSpec(in.PlacementStrategy, in.PlacementConstraints, td, false)
	plan, err := cl.schedOf().Compile(spec)
	if err != nil {
		return nil, err
	}
	if len(strategy) > 0 {
		return m.runTaskOnProviders(cl, td, in, group, strategy, spec)
	}
	count := int(api.Deref(in.Count))
	if count == 0 {
		count = 1
	}
	st := taskNeeds(td, in.Overrides, group)
	rng := m.eng.Rand("ecs/placement")
	for range count {
		res := cl.sched.Place(plan, &st, rng)
		if !res.Placed() {
			seen := map[string]bool{}
			for _, rj := range cl.sched.Rejections(plan, &st) {
				arn := m.instances[rj.Instance].arn
				if !seen[arn] {
					seen[arn] = true
					out.Failures = append(out.Failures, Failure{Arn: api.String(arn), Reason: api.String(rj.Reason.String())})
				}
			}
			break
		}
		l, err := m.launchOnInstance(cl, res.Instance, &st)
		if err != nil {
			return nil, err
		}
		t := m.newTask(cl, td, l, group, api.Deref(in.StartedBy), in.Overrides, in.Tags)
		out.Tasks = append(out.Tasks, t.shape(false))
	}
	return out, nil
}

// startServiceTaskEC2 places one task of a service deployment on the
// cluster's instances, or says in the service's events why it cannot.
func (m *ECS) startServiceTaskEC2(s *service, d *deployment) *task {
	cl := s.cl
	st := taskNeeds(d.td, nil, s.group())
	if len(d.strategy) > 0 {
		provider := m.serviceProvider(s, d)
		plan := m.providerPlan(s, provider)
		l := launch{launchType: LaunchEC2, provider: provider, plan: plan, need: st}
		if res := cl.sched.Place(plan, &st, m.eng.Rand("ecs/placement")); res.Placed() {
			var err error
			if l, err = m.launchOnInstance(cl, res.Instance, &st); err != nil {
				return nil
			}
			l.provider = provider
		}
		l.svc, l.dep = s, d
		t := m.newTask(cl, d.td, l, s.group(), d.id, nil, m.propagatedTags(s, d))
		t.svc, t.dep = s, d
		s.tasks = append(s.tasks, t)
		m.recount(s, t)
		return t
	}
	if !cl.hasInstances() || s.plan == nil {
		m.placementFailure(s, 6*time.Hour, scheduler.UnableToPlaceMessage(s.name, scheduler.Result{}))
		return nil
	}
	res := cl.sched.Place(s.plan, &st, m.eng.Rand("ecs/placement"))
	if !res.Placed() {
		m.placementFailure(s, time.Hour, scheduler.UnableToPlaceMessage(s.name, res))
		return nil
	}
	l, err := m.launchOnInstance(cl, res.Instance, &st)
	if err != nil {
		return nil
	}
	l.svc, l.dep = s, d
	t := m.newTask(cl, d.td, l, s.group(), d.id, nil, m.propagatedTags(s, d))
	t.svc, t.dep = s, d
	s.tasks = append(s.tasks, t)
	m.recount(s, t)
	return t
}

// providerSpec adds to a placement spec the constraint that keeps tasks
// on the instances of one capacity provider.
func providerSpec(spec scheduler.Spec, provider string) scheduler.Spec {
	spec.Constraints = append(slices.Clone(spec.Constraints), scheduler.Constraint{
		Type: scheduler.ConstraintMemberOf, Expression: "attribute:" + attrProvider + " == " + provider})
	return spec
}

// runTaskOnProviders runs RunTask's tasks through a strategy of Auto
// Scaling group providers: each task goes to the provider the strategy
// chooses, on one of its instances, or waits in PROVISIONING until the
// provider has capacity. [DG:cluster-auto-scaling]
func (m *ECS) runTaskOnProviders(cl *cluster, td *TaskDefinition, in *RunTaskInput, group string, strategy []CapacityProviderStrategyItem, spec scheduler.Spec) (*RunTaskOutput, error) {
	out := &RunTaskOutput{Tasks: []Task{}, Failures: []Failure{}}
	plans := map[string]*scheduler.Plan{}
	counts := map[string]int{}
	st := taskNeeds(td, in.Overrides, group)
	rng := m.eng.Rand("ecs/placement")
	for range max(int(api.Deref(in.Count)), 1) {
		provider := pickProvider(strategy, counts)
		counts[provider]++
		plan, ok := plans[provider]
		if !ok {
			var err error
			if plan, err = cl.sched.Compile(providerSpec(spec, provider)); err != nil {
				return nil, err
			}
			plans[provider] = plan
		}
		l := launch{launchType: LaunchEC2, provider: provider, plan: plan, need: st}
		if res := cl.sched.Place(plan, &st, rng); res.Placed() {
			var err error
			if l, err = m.launchOnInstance(cl, res.Instance, &st); err != nil {
				return nil, err
			}
			l.provider = provider
		}
		t := m.newTask(cl, td, l, group, api.Deref(in.StartedBy), in.Overrides, in.Tags)
		out.Tasks = append(out.Tasks, t.shape(false))
	}
	return out, nil
}

// providerPlan returns the service's placement plan restricted to one
// capacity provider's instances, compiling it on first use.
func (m *ECS) providerPlan(s *service, provider string) *scheduler.Plan {
	if p, ok := s.providerPlans[provider]; ok {
		return p
	}
	p, err := s.cl.schedOf().Compile(providerSpec(s.placeSpec, provider))
	if err != nil {
		return nil // the base spec compiled, so this cannot fail
	}
	if s.providerPlans == nil {
		s.providerPlans = map[string]*scheduler.Plan{}
	}
	s.providerPlans[provider] = p
	return p
}
