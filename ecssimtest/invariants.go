package ecssimtest

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/catalog"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

// Checker verifies the invariants of ECS services on a World, using only
// the public API, so that it checks the model independently of its
// internals:
//
//   - tasks RUNNING or PENDING (not yet told to stop) never exceed
//     floor(desired × maximumPercent / 100), except while desiredCount was
//     just lowered and the scheduler has not run yet;
//   - the scheduler never stops a healthy task for a deployment or a
//     scale-in when that leaves fewer than ceil(desired ×
//     minimumHealthyPercent / 100) healthy tasks. Healthy may still drop
//     below that bound when tasks fail or stop by themselves, when a zone
//     fails, or while a new service or a scale-out is still starting its
//     tasks: AWS allows all of these too;
//   - every STOPPED task has a stopCode;
//   - runningCount and pendingCount of each service and deployment agree
//     with the service's tasks;
//   - no container instance has more CPU or memory reserved than it
//     registered: what it reports remaining is exactly what it registered
//     less what its tasks (not yet STOPPED) reserve, and never negative;
//     no host port is bound twice on one instance.
type Checker struct {
	w      *ecssim.World
	errs   []error
	remove func()
	// minBound is each service's minimum-healthy bound, by service ARN,
	// as of the last check.
	minBound map[string]int
	maxBound map[string]int
	healthy  map[string]map[string]bool // service ARN → task ARN → healthy
	tasks    map[string]string          // task ARN → service ARN
	checked  map[string]map[string]bool // task definition ARN → essential containers with a health check
	// Checks counts the checks made.
	Checks int
}

// NewChecker attaches a checker to w. It watches the trace for tasks the
// scheduler stops; call Check after every event.
func NewChecker(w *ecssim.World) *Checker {
	c := &Checker{w: w, minBound: map[string]int{}, maxBound: map[string]int{},
		healthy: map[string]map[string]bool{}, tasks: map[string]string{}, checked: map[string]map[string]bool{}}
	c.remove = w.Trace().Observe(c.observe)
	return c
}

// Close detaches the checker from the trace.
func (c *Checker) Close() { c.remove() }

// Err returns every violation found so far, or nil.
func (c *Checker) Err() error {
	if len(c.errs) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(c.errs))
	for i, e := range c.errs {
		if i == 10 {
			msgs = append(msgs, fmt.Sprintf("... and %d more", len(c.errs)-10))
			break
		}
		msgs = append(msgs, e.Error())
	}
	return fmt.Errorf("%d invariant violations:\n%s", len(c.errs), strings.Join(msgs, "\n"))
}

func (c *Checker) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: "+format, append([]any{c.w.Engine().Now()}, args...)...))
}

// observe checks scheduler stops as they happen: a task told to stop for
// a scaling activity that was healthy must leave at least the minimum.
func (c *Checker) observe(r sim.Record) {
	if r.Type != ecs.EventTaskStateChange {
		return
	}
	d, ok := r.Detail.(*ecs.TaskStateChange)
	if !ok || d.StopCode != ecs.StopServiceSchedulerInitiated || !strings.HasPrefix(d.StoppedReason, "Scaling activity") {
		return
	}
	svc := c.tasks[d.TaskArn]
	h := c.healthy[svc]
	if svc == "" || !h[d.TaskArn] {
		return
	}
	delete(h, d.TaskArn)
	minBound := c.currentMinBound(d.ClusterArn, svc)
	n := 0
	for _, ok := range h {
		if ok {
			n++
		}
	}
	if n < minBound {
		c.fail("scheduler stopped healthy task %s of %s leaving %d healthy, below the minimum %d", d.TaskArn, svc, n, minBound)
	}
}

// Healthy returns how many tasks of the service (by ARN) counted as
// healthy, by the documented rule, at the last Check.
func (c *Checker) Healthy(serviceArn string) int {
	n := 0
	for _, ok := range c.healthy[serviceArn] {
		if ok {
			n++
		}
	}
	return n
}

// currentMinBound asks for the service's desired count and minimum
// healthy percent as they are now: an UpdateService may have changed them
// since the last check.
func (c *Checker) currentMinBound(cluster, svc string) int {
	out, err := c.w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: &cluster, Services: []string{svc}})
	if err != nil || len(out.Services) != 1 {
		return c.minBound[svc]
	}
	s := out.Services[0]
	return (int(s.DesiredCount)*int(api.Deref(s.DeploymentConfiguration.MinimumHealthyPercent)) + 99) / 100
}

// Check inspects every cluster, service and task.
func (c *Checker) Check() {
	c.Checks++
	client := c.w.ECS()
	clusters, err := client.ListClusters(&ecs.ListClustersInput{})
	if err != nil {
		c.fail("ListClusters: %v", err)
		return
	}
	for _, cl := range clusters.ClusterArns {
		c.checkCluster(client, cl)
	}
	c.checkRouting()
}

// checkRouting verifies the load balancers' routing: no request goes to a
// target that DescribeTargetHealth does not call healthy, unless none of
// its group's targets is healthy (the group fails open, and then only to
// unhealthy targets), and a group's targets account for every request
// forwarded to it. The states and the fail-open case are asked of the
// public API, not taken from the routing being checked.
func (c *Checker) checkRouting() {
	var arns map[string]string // TargetGroup dimension → ARN, asked once
	for _, lt := range c.w.LoadBalancerTraffic() {
		for _, g := range lt.Groups {
			sum := 0.0
			for _, x := range g.Targets {
				sum += x.RPS
			}
			if sum > 0 && math.Abs(sum-g.Requests) > 1e-6*g.Requests {
				c.fail("target group %s: its targets get %g requests per second of the %g forwarded to it", g.Dimension, sum, g.Requests)
			}
			if sum == 0 {
				continue
			}
			if arns == nil {
				arns = c.targetGroupARNs()
			}
			states, failOpen := c.targetStates(arns[g.Dimension])
			for _, x := range g.Targets {
				if x.RPS == 0 {
					continue
				}
				state := states[x.ID+":"+strconv.Itoa(int(x.Port))]
				if ok := state == elb.HealthHealthy || failOpen && state == elb.HealthUnhealthy; !ok {
					c.fail("load balancer %s routes %g requests per second to %s target %s:%d in %s (fail open: %v)",
						lt.Dimension, x.RPS, state, x.ID, x.Port, g.Dimension, failOpen)
				}
			}
		}
	}
}

// targetGroupARNs maps each target group's CloudWatch dimension value
// (targetgroup/<name>/<id>, the end of its ARN) to its ARN.
func (c *Checker) targetGroupARNs() map[string]string {
	arns := map[string]string{}
	in := &elb.DescribeTargetGroupsInput{}
	for {
		out, err := c.w.ELB().DescribeTargetGroups(in)
		if err != nil {
			c.fail("DescribeTargetGroups: %v", err)
			return arns
		}
		for _, tg := range out.TargetGroups {
			arns[tg.TargetGroupArn[strings.LastIndexByte(tg.TargetGroupArn, ':')+1:]] = tg.TargetGroupArn
		}
		if out.NextMarker == nil {
			return arns
		}
		in.Marker = out.NextMarker
	}
}

// targetStates returns the state of each target of a group by "id:port",
// and whether the group fails open: no target healthy, some unhealthy.
func (c *Checker) targetStates(arn string) (states map[string]string, failOpen bool) {
	out, err := c.w.ELB().DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &arn})
	if err != nil {
		c.fail("DescribeTargetHealth %s: %v", arn, err)
		return nil, false
	}
	states = map[string]string{}
	healthy, unhealthy := 0, 0
	for _, d := range out.TargetHealthDescriptions {
		states[api.Deref(d.Target.Id)+":"+strconv.Itoa(int(api.Deref(d.Target.Port)))] = d.TargetHealth.State
		switch d.TargetHealth.State {
		case elb.HealthHealthy:
			healthy++
		case elb.HealthUnhealthy:
			unhealthy++
		}
	}
	return states, healthy == 0 && unhealthy > 0
}

func (c *Checker) checkCluster(client ecs.Client, cluster string) {
	var arns []string
	for _, status := range []string{ecs.StatusRunning, ecs.StatusStopped} {
		in := &ecs.ListTasksInput{Cluster: &cluster, DesiredStatus: api.String(status)}
		for {
			out, err := client.ListTasks(in)
			if err != nil {
				c.fail("ListTasks: %v", err)
				return
			}
			arns = append(arns, out.TaskArns...)
			if out.NextToken == nil {
				break
			}
			in.NextToken = out.NextToken
		}
	}
	tasks := map[string][]ecs.Task{} // by group
	var all []ecs.Task
	for i := 0; i < len(arns); i += 100 {
		out, err := client.DescribeTasks(&ecs.DescribeTasksInput{Cluster: &cluster, Tasks: arns[i:min(i+100, len(arns))]})
		if err != nil {
			c.fail("DescribeTasks: %v", err)
			return
		}
		for _, t := range out.Tasks {
			if t.LastStatus == ecs.StatusStopped && t.StopCode == "" {
				c.fail("task %s is STOPPED without a stopCode", t.TaskArn)
			}
			tasks[t.Group] = append(tasks[t.Group], t)
			all = append(all, t)
		}
	}
	c.checkInstances(client, cluster, all)
	names := c.serviceNames(client, cluster)
	for i := 0; i < len(names); i += 10 {
		out, err := client.DescribeServices(&ecs.DescribeServicesInput{Cluster: &cluster, Services: names[i:min(i+10, len(names))]})
		if err != nil {
			c.fail("DescribeServices: %v", err)
			return
		}
		for _, s := range out.Services {
			c.checkService(s, tasks["service:"+s.ServiceName])
		}
	}
}

func (c *Checker) serviceNames(client ecs.Client, cluster string) []string {
	var names []string
	in := &ecs.ListServicesInput{Cluster: &cluster, MaxResults: api.Int32(100)}
	for {
		out, err := client.ListServices(in)
		if err != nil {
			c.fail("ListServices: %v", err)
			return nil
		}
		for _, arn := range out.ServiceArns {
			names = append(names, arn[strings.LastIndexByte(arn, '/')+1:])
		}
		if out.NextToken == nil {
			return names
		}
		in.NextToken = out.NextToken
	}
}

// healthyTask applies the documented rule on its own, from what
// DescribeTasks and DescribeTaskDefinition say: RUNNING and not told to
// stop; if some essential container defines a health check, every such
// container reports HEALTHY (essential containers without one, such as a
// log router, do not count); otherwise RUNNING for 40 seconds.
// [API:DeploymentConfiguration.minimumHealthyPercent]
//
// With a load balancer, the task's targets must be healthy too, and the
// 40 seconds do not apply: lb is nil without one, else whether every
// target of the task is healthy.
func healthyTask(t ecs.Task, checked map[string]bool, now time.Time, lb *bool) bool {
	if t.LastStatus != ecs.StatusRunning || t.DesiredStatus != ecs.StatusRunning {
		return false
	}
	if lb != nil && !*lb {
		return false
	}
	if len(checked) > 0 {
		seen := 0
		for _, ct := range t.Containers {
			if checked[ct.Name] {
				if ct.HealthStatus != ecs.HealthHealthy {
					return false
				}
				seen++
			}
		}
		return seen == len(checked)
	}
	return lb != nil || !t.StartedAt.IsZero() && now.Sub(t.StartedAt.Time) >= 40*time.Second
}

// targetsHealthy asks DescribeTargetHealth whether every target of a
// service task is healthy: nil when the service has no target group.
// Targets are the task's address and container port (awsvpc), or its
// instance and the host port bound to the container port.
func (c *Checker) targetsHealthy(s ecs.Service, t ecs.Task) *bool {
	ok, any := true, false
	for _, lb := range s.LoadBalancers {
		if lb.TargetGroupArn == nil || lb.ContainerPort == nil {
			continue
		}
		any = true
		id, port := c.targetOf(t, api.Deref(lb.ContainerName), *lb.ContainerPort)
		if id == "" {
			ok = false
			continue
		}
		state, _ := c.targetState(*lb.TargetGroupArn, id, port)
		if ac := lb.AdvancedConfiguration; ac != nil && ac.AlternateTargetGroupArn != nil && state == "" {
			state, _ = c.targetState(*ac.AlternateTargetGroupArn, id, port) // blue/green: the other group
		}
		if state != elb.HealthHealthy {
			ok = false
		}
	}
	if !any {
		return nil
	}
	return &ok
}

// checkRegistration checks that a service task's targets are registered
// exactly from ACTIVATING to the end of their deregistration delay:
// registered (initial, healthy or unhealthy) in ACTIVATING and RUNNING,
// draining in DEACTIVATING (or gone, at its last instant), gone once the
// task is STOPPING, unless the
// task stopped before RUNNING (then they drain while it stops).
func (c *Checker) checkRegistration(s ecs.Service, t ecs.Task) {
	var want []string
	switch t.LastStatus {
	case ecs.StatusActivating, ecs.StatusRunning:
		if t.DesiredStatus != ecs.StatusRunning {
			return // told to stop, not yet DEACTIVATING
		}
		want = []string{elb.HealthInitial, elb.HealthHealthy, elb.HealthUnhealthy}
	case ecs.StatusDeactivating:
		// Gone already at the instant the delay ends, before the task
		// moves on.
		want = []string{elb.HealthDraining, ""}
	case ecs.StatusStopping, ecs.StatusDeprovisioning:
		want = []string{""}
		if t.StartedAt.IsZero() {
			want = append(want, elb.HealthDraining)
		}
	default:
		return
	}
	for _, lb := range s.LoadBalancers {
		if lb.TargetGroupArn == nil || lb.ContainerPort == nil {
			continue
		}
		id, port := c.targetOf(t, api.Deref(lb.ContainerName), *lb.ContainerPort)
		if id == "" {
			continue
		}
		state, ok := c.targetState(*lb.TargetGroupArn, id, port)
		if !ok {
			continue // the group is gone
		}
		if ac := lb.AdvancedConfiguration; ac != nil && ac.AlternateTargetGroupArn != nil {
			// Blue/green: registered in the primary or the alternate
			// group, never in both.
			alt, ok := c.targetState(*ac.AlternateTargetGroupArn, id, port)
			if ok && state == "" {
				state = alt
			} else if ok && alt != "" {
				c.fail("task %s has its target %s:%d in both %s and %s", t.TaskArn, id, port, *lb.TargetGroupArn, *ac.AlternateTargetGroupArn)
			}
		}
		if !slices.Contains(want, state) {
			c.fail("task %s is %s but its target %s:%d in %s is %q", t.TaskArn, t.LastStatus, id, port, *lb.TargetGroupArn, state)
		}
	}
}

// targetState returns a target's state in a group ("" when it is not
// registered), and false when the group is gone.
func (c *Checker) targetState(tg, id string, port int32) (string, bool) {
	out, err := c.w.ELB().DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &tg,
		Targets: []elb.TargetDescription{{Id: &id, Port: &port}}})
	if err != nil || len(out.TargetHealthDescriptions) != 1 {
		return "", false
	}
	state := out.TargetHealthDescriptions[0].TargetHealth
	if state.Reason == elb.ReasonNotRegistered {
		return "", true
	}
	return state.State, true
}

func (c *Checker) targetOf(t ecs.Task, container string, port int32) (string, int32) {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if api.Deref(d.Name) == "privateIPv4Address" {
				return api.Deref(d.Value), port
			}
		}
	}
	if t.ContainerInstanceArn == "" {
		return "", 0
	}
	out, err := c.w.ECS().DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: &t.ClusterArn, ContainerInstances: []string{t.ContainerInstanceArn}})
	if err != nil || len(out.ContainerInstances) != 1 {
		return "", 0
	}
	for _, ct := range t.Containers {
		if ct.Name != container {
			continue
		}
		for _, b := range ct.NetworkBindings {
			if b.ContainerPort == port {
				return out.ContainerInstances[0].Ec2InstanceId, b.HostPort
			}
		}
	}
	return "", 0
}

func (c *Checker) checkService(s ecs.Service, tasks []ecs.Task) {
	d := int(s.DesiredCount)
	maxPct := int(api.Deref(s.DeploymentConfiguration.MaximumPercent))
	minPct := int(api.Deref(s.DeploymentConfiguration.MinimumHealthyPercent))
	maxBound, minBound := d*maxPct/100, (d*minPct+99)/100
	var active, running, pending int
	byDep := map[string][2]int32{}
	h := map[string]bool{}
	now := c.w.Now()
	for _, t := range tasks {
		c.tasks[t.TaskArn] = s.ServiceArn
		c.checkRegistration(s, t)
		if t.DesiredStatus != ecs.StatusRunning {
			continue
		}
		active++
		counts := byDep[t.StartedBy]
		switch t.LastStatus {
		case ecs.StatusRunning:
			running++
			counts[0]++
		case ecs.StatusProvisioning, ecs.StatusPending, ecs.StatusActivating:
			pending++
			counts[1]++
		}
		byDep[t.StartedBy] = counts
		h[t.TaskArn] = healthyTask(t, c.checkedContainers(t), now, c.targetsHealthy(s, t))
	}
	c.healthy[s.ServiceArn] = h
	c.minBound[s.ServiceArn] = minBound
	prevMax, seen := c.maxBound[s.ServiceArn]
	c.maxBound[s.ServiceArn] = maxBound
	// A blue/green, linear or canary deployment runs green at full size
	// beside blue, whatever maximumPercent says.
	bg := api.Deref(s.DeploymentConfiguration.Strategy) != "" && api.Deref(s.DeploymentConfiguration.Strategy) != ecs.StrategyRolling
	if s.Status == ecs.ServiceActive && !bg && active > maxBound && !(seen && prevMax > maxBound) && !(seen && active <= prevMax) {
		c.fail("service %s has %d tasks RUNNING or PENDING, above floor(%d×%d%%)=%d", s.ServiceName, active, d, maxPct, maxBound)
	}
	if int(s.RunningCount) != running || int(s.PendingCount) != pending {
		c.fail("service %s reports running %d pending %d, its tasks say %d and %d", s.ServiceName, s.RunningCount, s.PendingCount, running, pending)
	}
	for _, dep := range s.Deployments {
		counts := byDep[dep.Id]
		if dep.RunningCount != counts[0] || dep.PendingCount != counts[1] {
			c.fail("deployment %s reports running %d pending %d, its tasks say %d and %d", dep.Id, dep.RunningCount, dep.PendingCount, counts[0], counts[1])
		}
	}
}

// checkedContainers returns the names of the task definition's essential
// containers that define a health check, by asking
// DescribeTaskDefinition.
func (c *Checker) checkedContainers(t ecs.Task) map[string]bool {
	if v, ok := c.checked[t.TaskDefinitionArn]; ok {
		return v // revisions are immutable
	}
	v := c.describeCheckedContainers(t)
	c.checked[t.TaskDefinitionArn] = v
	return v
}

func (c *Checker) describeCheckedContainers(t ecs.Task) map[string]bool {
	out, err := c.w.Call("ecs:DescribeTaskDefinition", []byte(`{"taskDefinition":"`+t.TaskDefinitionArn+`"}`))
	if err != nil {
		c.fail("DescribeTaskDefinition %s: %v", t.TaskDefinitionArn, err)
		return nil
	}
	var td struct {
		TaskDefinition ecs.TaskDefinition `json:"taskDefinition"`
	}
	if err := json.Unmarshal(out, &td); err != nil {
		c.fail("DescribeTaskDefinition output: %v", err)
		return nil
	}
	checked := map[string]bool{}
	for i := range td.TaskDefinition.ContainerDefinitions {
		cd := &td.TaskDefinition.ContainerDefinitions[i]
		if (cd.Essential == nil || *cd.Essential) && cd.HealthCheck != nil && len(cd.HealthCheck.Command) > 0 {
			checked[api.Deref(cd.Name)] = true
		}
	}
	return checked
}

// RunChecked runs w for d, checking the invariants after every
// event, and returns the violations found (nil if none).
func RunChecked(w *ecssim.World, c *Checker, d time.Duration) error {
	end := w.Now().Add(d)
	for {
		ran, err := w.StepUntil(end)
		if err != nil {
			return err
		}
		if !ran {
			return c.Err()
		}
		c.Check()
	}
}

// checkInstances verifies the capacity accounting of every container
// instance of a cluster against its tasks.
func (c *Checker) checkInstances(client ecs.Client, cluster string, tasks []ecs.Task) {
	list, err := client.ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: &cluster, MaxResults: api.Int32(100)})
	if err != nil {
		c.fail("ListContainerInstances: %v", err)
		return
	}
	if len(list.ContainerInstanceArns) == 0 {
		return
	}
	out, err := client.DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: &cluster, ContainerInstances: list.ContainerInstanceArns})
	if err != nil {
		c.fail("DescribeContainerInstances: %v", err)
		return
	}
	for _, in := range out.ContainerInstances {
		var cpu, mem, enis int
		ports := map[string]string{}
		for _, t := range tasks {
			if t.ContainerInstanceArn != in.ContainerInstanceArn || t.LastStatus == ecs.StatusStopped {
				continue
			}
			tc, tm := taskReservation(t)
			cpu += tc
			mem += tm
			if len(t.Attachments) > 0 {
				enis++ // an awsvpc task holds one of the instance's ENIs
			}
			for _, ct := range t.Containers {
				for _, b := range ct.NetworkBindings {
					key := fmt.Sprintf("%d/%s", b.HostPort, b.Protocol)
					if other, dup := ports[key]; dup {
						c.fail("host port %s bound twice on %s: tasks %s and %s", key, in.ContainerInstanceArn, other, t.TaskArn)
					}
					ports[key] = t.TaskArn
				}
			}
		}
		if limit := eniLimit(in); enis > limit {
			c.fail("instance %s runs %d awsvpc tasks, more than its %d ENI attachments allow", in.ContainerInstanceArn, enis, limit)
		}
		reg, rem := resourceMap(in.RegisteredResources), resourceMap(in.RemainingResources)
		if rem["CPU"] < 0 || rem["MEMORY"] < 0 {
			c.fail("instance %s has negative remaining resources: CPU %d, MEMORY %d", in.ContainerInstanceArn, rem["CPU"], rem["MEMORY"])
		}
		if reg["CPU"]-cpu != rem["CPU"] || reg["MEMORY"]-mem != rem["MEMORY"] {
			c.fail("instance %s registered CPU %d MEMORY %d, its tasks reserve %d and %d, but it reports %d and %d remaining",
				in.ContainerInstanceArn, reg["CPU"], reg["MEMORY"], cpu, mem, rem["CPU"], rem["MEMORY"])
		}
	}
}

func resourceMap(rs []ecs.Resource) map[string]int {
	out := map[string]int{}
	for _, r := range rs {
		if r.Type == "INTEGER" {
			out[r.Name] = int(r.IntegerValue)
		}
	}
	return out
}

// taskReservation is what a task reserves on its instance: task-level
// cpu and memory when set, else the sums over its containers, the memory
// reservation before the hard limit.
func taskReservation(t ecs.Task) (cpu, mem int) {
	cpu, _ = strconv.Atoi(t.Cpu)
	mem, _ = strconv.Atoi(t.Memory)
	sumCPU, sumMem := cpu == 0, mem == 0
	for _, ct := range t.Containers {
		if sumCPU {
			n, _ := strconv.Atoi(ct.Cpu)
			cpu += n
		}
		if sumMem {
			r, _ := strconv.Atoi(ct.MemoryReservation)
			if r == 0 {
				r, _ = strconv.Atoi(ct.Memory)
			}
			mem += r
		}
	}
	return cpu, mem
}

// eniLimit is how many awsvpc tasks an instance can hold: its type's ENIs
// less the primary one, or its trunking limit when it carries a trunk ENI.
// [DG:container-instance-eni]
func eniLimit(in ecs.ContainerInstance) int {
	attrs := map[string]string{}
	for _, a := range in.Attributes {
		attrs[api.Deref(a.Name)] = api.Deref(a.Value)
	}
	it, ok := catalog.Default().Get(attrs["ecs.instance-type"])
	if !ok {
		return math.MaxInt
	}
	if _, trunk := attrs["ecs.awsvpc-trunk-id"]; trunk && it.AwsvpcTasksTrunking > 0 {
		return it.AwsvpcTasksTrunking
	}
	return it.AwsvpcTasks
}
