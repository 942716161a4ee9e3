package ecs

import (
	"net/netip"
	"slices"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// stoppedRetention is how long a STOPPED task stays describable.
// [DG:stopped-task-errors] ("at least 1 hour")
const stoppedRetention = time.Hour

// taskStep names the lifecycle step a task's timer will take.
type taskStep uint8

const (
	stepNone taskStep = iota
	stepProvisioned
	stepPulled
	stepActivated
	stepDeactivated
	stepDeprovisioned
	stepExpire
)

// taskEC2 is what only a task on EC2 has, kept apart so that Fargate
// task records stay small.
type taskEC2 struct {
	lease scheduler.Lease // what the task holds on its container instance
	plan  *scheduler.Plan // waiting for capacity: where it may go
	need  scheduler.Task  // waiting for capacity: what it needs
}

// task is the model's record of one task.
//
// Its fields are ordered and typed to keep it within a 704-byte size
// class: a large fleet holds one per task alive or stopped within the
// hour.
type task struct {
	quietCat uint8    // the facts its service last counted it with; see quietPass
	step     taskStep // what timer will do
	// failedHealth is set when the scheduler stopped the task for failing
	// its health checks.
	failedHealth bool
	// accounted is set once the service has counted the task's stop
	// against throttling and the circuit breaker; resetDone once its
	// becoming healthy has reset the circuit breaker.
	accounted, resetDone bool
	// hcWaiting is how many essential containers with a health check
	// are not HEALTHY, kept by setContainerHealth so that checksHealthy
	// reads no container record.
	hcWaiting uint8

	id, arn string
	cl      *cluster
	def     *TaskDefinition
	spec    *taskSpec
	svc     *service
	dep     *deployment
	// lbTargets are the load balancer targets the task registered in
	// ACTIVATING, until it deregisters them in DEACTIVATING (see
	// targets); nil for the many tasks without. A pointer, not a slice,
	// keeps the record within its allocation size class.
	lbTargets  *taskTargets
	group      string
	startedBy  string
	launchType string
	provider   string // capacity provider: FARGATE, FARGATE_SPOT or "" (launch type)
	cpu, mem   string
	overrides  *TaskOverride // nil without overrides
	tags       []api.Tag

	subnetID     string
	zone         string    // the subnet's Availability Zone
	inst         *instance // EC2: the container instance
	ec2          *taskEC2  // EC2 only; nil for Fargate tasks
	ip           netip.Addr
	eniID        string
	attachmentID string

	last, desired string
	health        string
	containers    []*container
	version       int64
	stopCode      string
	stopReason    string

	createdAt, pullStartedAt, pullStoppedAt, startedAt sim.Time
	stoppingAt, executionStoppedAt, stoppedAt          sim.Time

	timer     sim.Timer
	spotTimer sim.Timer // the next random Spot interruption

	// healthyAt is when the task first counted as healthy for the
	// service scheduler (0 until then). [API:DeploymentConfiguration.minimumHealthyPercent]
	healthyAt    sim.Time
	healthyTimer sim.Timer
	// plain is set when the task's names need no escaping in JSON
	// (checked once, so that its events copy them as they are): its
	// ARNs and IDs, cluster and task definition ARNs and group; eniPlain
	// when the ENI's details and address are plain too. See
	// TaskStateChange.AppendJSON.
	plain, eniPlain bool
	macEnd          uint16
	pullFailure     string // the pull error, when a pull failed

	// What events repeat about the task, built once: the overrides
	// object; the ENI's text, its address, MAC address and DNS name in
	// one string (ipText its start, the MAC address up to macEnd), and
	// the details and network interface that kept events and
	// DescribeTasks share, built from it when first needed.
	overridesJSON []byte
	ipText        string
	eniText       string
	eniViews      *taskENI
	seq           uint64 // creation order, for stable listings

	// oneContainer backs containers for the usual single container.
	oneContainer [1]*container

	prev, next *task // the ECS's list of tasks, creation order
}

// taskENI is a task's ENI as its kept events and DescribeTasks share it:
// never modified after it is built.
type taskENI struct {
	details [5]EventDetail
	netIf   [1]EventNetworkInterface
}

// active reports whether the task is meant to run: not yet told to stop.
func (t *task) active() bool { return t.desired != StatusStopped }

// pendingLike reports whether the task is on its way to RUNNING.
func (t *task) pendingLike() bool {
	switch t.last {
	case StatusProvisioning, StatusPending, StatusActivating:
		return true
	}
	return false
}

// countsHealthy reports whether the task counts toward the minimum healthy
// bound of its service.
func (t *task) countsHealthy() bool {
	return t.active() && t.last == StatusRunning && t.healthyAt != 0
}

func (t *task) az() string { return t.zone }

// fargatePlatform is the platform version the model gives every task.
const fargatePlatform = "1.4.0"

// platformVersion returns the task's platform version, the same for
// every task, so the record holds none.
func (t *task) platformVersion() string { return fargatePlatform }

// ipString returns the task's address as text, formatted once.
func (t *task) ipString() string {
	if t.ipText == "" {
		t.ipText = t.ip.String()
	}
	return t.ipText
}

// newTask creates a task in PROVISIONING and starts its lifecycle. The
// subnet must have been chosen and validated by the caller.
func (m *ECS) newTask(cl *cluster, td *TaskDefinition, l launch, group, startedBy string, ov *TaskOverride, tags []api.Tag) *task {
	m.taskSeq++
	t := m.taskRecord()
	spec := m.specOf(td)
	*t = task{
		cl:         cl,
		def:        td,
		spec:       spec,
		hcWaiting:  spec.essentialHC,
		group:      group,
		startedBy:  startedBy,
		launchType: l.launchType,
		provider:   l.provider,
		inst:       l.inst,
		cpu:        api.Deref(td.Cpu),
		mem:        api.Deref(td.Memory),
		tags:       slices.Clone(tags),
		svc:        l.svc,
		dep:        l.dep,
		subnetID:   l.subnet.ID,
		zone:       l.subnet.AvailabilityZone,
		last:       StatusProvisioning,
		desired:    StatusRunning,
		health:     HealthUnknown,
		createdAt:  m.eng.Now(),
		seq:        m.taskSeq,
	}
	if l.inst != nil || l.launchType == LaunchEC2 {
		t.ec2 = &taskEC2{lease: l.lease}
	}
	if ov != nil {
		o := *ov
		t.overrides = &o
		if ov.Cpu != nil {
			t.cpu = *ov.Cpu
		}
		if ov.Memory != nil {
			t.mem = *ov.Memory
		}
	}
	m.nameTask(t)
	m.tasks[t.id] = t
	m.linkTask(t)
	if l.launchType == LaunchEC2 && l.inst == nil {
		// No capacity yet: the task waits in PROVISIONING until its
		// capacity provider has an instance for it. [DG:cluster-auto-scaling]
		t.ec2.plan, t.ec2.need = l.plan, l.need
		cl.waiting = append(cl.waiting, t)
		m.recordTask(t)
		return t
	}
	m.startTask(t)
	return t
}

// nameTask draws a new task's identifiers (task ID, ENI attachment ID,
// ENI ID, one UUID per container, in that order from the "ecs/ids"
// stream) and builds its ARNs, all in one string that the identifiers
// are slices of: a task costs one allocation for all its names, however
// many containers it has. Its containers are made here too.
func (m *ECS) nameTask(t *task) {
	r := m.eng.Rand("ecs/ids")
	n := len(t.spec.containers)
	b := m.idBuf[:0]
	b = append(b, m.arnPrefix...)
	b = append(b, "task/"...)
	b = append(b, t.cl.name...)
	b = append(b, '/')
	idAt := len(b)
	b = sim.AppendHexID(b, r, 32)
	arnEnd := len(b)
	b = sim.NewUUID(r).Append(b)
	attEnd := len(b)
	b = append(b, "eni-"...)
	b = sim.AppendHexID(b, r, 17)
	eniEnd := len(b)
	var ends [8]int
	cends := ends[:0]
	for range n {
		b = append(b, m.arnPrefix...)
		b = append(b, "container/"...)
		b = append(b, t.cl.name...)
		b = append(b, '/')
		b = append(b, b[idAt:arnEnd]...)
		b = append(b, '/')
		b = sim.NewUUID(r).Append(b)
		cends = append(cends, len(b))
	}
	m.idBuf = b
	s := string(b)
	t.plain = sim.JSONPlain(s) && sim.JSONPlain(t.cl.arn) && sim.JSONPlain(t.def.TaskDefinitionArn) && sim.JSONPlain(t.group)
	t.arn, t.id = s[:arnEnd], s[idAt:arnEnd]
	t.attachmentID, t.eniID = s[arnEnd:attEnd], s[attEnd:eniEnd]
	// The containers are one allocation of their own, not part of the
	// task record: health checks touch every container every interval,
	// and packed apart from the larger task records they stay in fewer
	// cache lines and pages.
	// A reused task record comes with its container records (see
	// taskRecord); they are overwritten whole below.
	reuse := m.reuseContainers
	m.reuseContainers = nil
	switch {
	case n == 1:
		t.containers = t.oneContainer[:]
	case len(reuse) == n:
		t.containers = reuse
	default:
		t.containers = make([]*container, n)
	}
	if len(reuse) == n {
		copy(t.containers, reuse)
	} else {
		cs := make([]container, n)
		for i := range cs {
			t.containers[i] = &cs[i]
		}
	}
	from := eniEnd
	for i, c := range t.containers {
		*c = container{
			t:         t,
			spec:      &t.spec.containers[i],
			arn:       s[from:cends[i]],
			behaviour: &noBehaviour,
			last:      StatusPending,
			health:    HealthUnknown,
		}
		from = cends[i]
	}
}

// attach gives a task waiting for capacity the instance it was placed on
// and lets its lifecycle go on.
func (m *ECS) attach(t *task, l launch) {
	t.inst, t.ec2.lease = l.inst, l.lease
	t.subnetID, t.zone = l.subnet.ID, l.subnet.AvailabilityZone
	t.ec2.plan = nil
	m.startTask(t)
}

// startTask begins the lifecycle of a task that has where to run: straight to
// PENDING for bridge and host tasks on EC2, PROVISIONING (ENI) otherwise.
func (m *ECS) startTask(t *task) {
	awsvpc := api.Deref(t.def.NetworkMode) == "awsvpc"
	if t.inst != nil && !awsvpc {
		// Bridge and host tasks share the instance's address and start
		// pulling at once: no ENI to provision. [DG:task-lifecycle]
		t.ip = t.inst.ip
		t.last = StatusPending
		m.recordTask(t)
		m.provisioned(t)
		return
	}
	if ip, err := m.net.AllocateIP(t.subnetID); err == nil {
		t.ip = ip
	} else {
		// The ENI cannot get an address: the task fails in PROVISIONING
		// as Fargate reports it. [DG:stopped-task-error-codes]
		m.recordTask(t)
		m.failTask(t, StopTaskFailedToStart,
			"ResourceInitializationError: failed to configure ENI: insufficient free IP addresses in subnet "+t.subnetID)
		return
	}
	m.recordTask(t)
	provisioning := m.platform.Provisioning
	if t.inst != nil {
		provisioning = ec2AwsvpcProvisioning
	}
	m.scheduleTask(t, provisioning.Sample(m.eng.Rand("workload/platform")), stepProvisioned)
	m.armSpotInterruption(t)
}

func (m *ECS) specOf(td *TaskDefinition) *taskSpec {
	if s, ok := m.specs[td]; ok {
		return s
	}
	s := buildSpec(td)
	m.specs[td] = s
	return s
}

func (m *ECS) scheduleTask(t *task, d time.Duration, s taskStep) {
	t.timer.Cancel()
	t.step = s
	t.timer, _ = m.eng.AfterArg(d, m.actTask, t)
}

// onTaskTimer runs the step the task's timer was set for.
func (m *ECS) onTaskTimer(arg any) error {
	t := arg.(*task)
	step := t.step
	t.step = stepNone
	switch step {
	case stepProvisioned:
		m.provisioned(t)
	case stepPulled:
		m.pulled(t)
	case stepActivated:
		m.activated(t)
	case stepDeactivated:
		m.beginStopping(t)
	case stepDeprovisioned:
		m.deprovisioned(t)
	case stepExpire:
		m.expire(t)
	}
	return nil
}

// provisioned: the ENI is attached; the task goes PENDING and pulls its
// images, all containers in parallel.
func (m *ECS) provisioned(t *task) {
	if !t.active() {
		m.beginStopping(t)
		return
	}
	now := m.eng.Now()
	t.pullStartedAt = now
	r := m.eng.Rand("workload/pull")
	var longest time.Duration
	failure := ""
	var failDelay time.Duration
	for _, c := range t.containers {
		c.behaviour = m.behaviourOf(c.spec.image)
		d := c.behaviour.PullTime.Sample(r)
		if c.behaviour.PullError != "" {
			if failure == "" || d < failDelay {
				failure, failDelay = c.behaviour.PullError, d
			}
			c.pullFailed = true
		}
		longest = max(longest, d)
	}
	if t.last != StatusPending {
		t.last = StatusPending
		m.recordTask(t)
	}
	m.taskChanged(t)
	if failure != "" {
		t.pullFailure = failure
		m.scheduleTask(t, failDelay, stepPulled)
		return
	}
	m.scheduleTask(t, longest, stepPulled)
}

// pulled: every image is present (or one pull failed); containers start in
// dependency order.
func (m *ECS) pulled(t *task) {
	t.pullStoppedAt = m.eng.Now()
	if t.pullFailure != "" {
		for _, c := range t.containers {
			if c.pullFailed {
				c.reason = t.pullFailure
			}
		}
		m.failTask(t, StopTaskFailedToStart, t.pullFailure)
		return
	}
	if !t.active() {
		m.beginStopping(t)
		return
	}
	m.startReadyContainers(t)
}

// activated: post-launch work is done; the task is RUNNING.
func (m *ECS) activated(t *task) {
	if !t.active() {
		m.beginStopping(t)
		return
	}
	t.startedAt = m.eng.Now()
	t.last = StatusRunning
	t.health = t.aggregateHealth()
	m.recordTask(t)
	m.taskRunning(t)
	m.taskChanged(t)
}

// stopTask asks a task to stop: desiredStatus STOPPED with the code and
// reason, then the DEACTIVATING, STOPPING, DEPROVISIONING ladder. Stopping
// a task that is already stopping does nothing.
func (m *ECS) stopTask(t *task, code, reason string) {
	if !t.active() {
		return
	}
	t.desired = StatusStopped
	t.stopCode, t.stopReason = code, reason
	t.healthyTimer.Cancel()
	t.spotTimer.Cancel()
	m.leave(t)
	m.recordTask(t)
	switch t.last {
	case StatusRunning:
		t.last = StatusDeactivating
		m.recordTask(t)
		// DEACTIVATING deregisters the task from its target groups and
		// lasts until they have drained (the deregistration delay):
		// only then is the stop signal sent. [DG:task-lifecycle]
		// [DG:load-balancer-connection-draining]
		d := m.platform.Deactivating.Sample(m.eng.Rand("workload/platform"))
		d = max(d, m.deregisterTargets(t))
		m.taskChanged(t)
		m.scheduleTask(t, d, stepDeactivated)
	case StatusActivating, StatusPending:
		m.beginStopping(t)
	case StatusProvisioning:
		// The provisioning timer is still pending; when it fires it sees
		// the task is no longer wanted. Stop now rather than wait for it.
		m.beginStopping(t)
	default:
		m.taskChanged(t)
	}
}

// failTask stops a task that could not start.
func (m *ECS) failTask(t *task, code, reason string) {
	if t.active() {
		t.desired = StatusStopped
		t.stopCode, t.stopReason = code, reason
		t.healthyTimer.Cancel()
		t.spotTimer.Cancel()
		m.leave(t)
	}
	m.beginStopping(t)
}

// beginStopping sends the stop signal to every running container. A
// container exits by itself after its image's stop time, or is killed with
// SIGKILL (exit code 137) when that exceeds its stopTimeout.
// [API:StopTask] [API:ContainerDefinition.stopTimeout]
func (m *ECS) beginStopping(t *task) {
	if t.last == StatusStopping || t.last == StatusDeprovisioning || t.last == StatusStopped {
		return
	}
	t.timer.Cancel()
	t.step = stepNone
	t.stoppingAt = m.eng.Now()
	// A task stopped before RUNNING skips DEACTIVATING: targets it
	// registered in ACTIVATING go at once.
	m.deregisterTargets(t)
	t.last = StatusStopping
	r := m.eng.Rand("workload/stop")
	for _, c := range t.containers {
		c.stopHealthChecks()
		switch c.last {
		case StatusRunning:
			stop := c.behaviour.StopTime.Sample(r)
			c.stopping = true
			if stop > c.spec.stopTimeout {
				c.killed = true
				m.scheduleContainer(c, c.spec.stopTimeout, cstepExit)
			} else {
				m.scheduleContainer(c, stop, cstepExit)
			}
		default:
			c.timer.Cancel()
			if c.last != StatusStopped {
				c.last = StatusStopped
			}
		}
	}
	m.recordTask(t)
	m.taskChanged(t)
	m.maybeStopped(t)
}

// maybeStopped moves a STOPPING task on once all its containers stopped.
func (m *ECS) maybeStopped(t *task) {
	if t.last != StatusStopping {
		return
	}
	for _, c := range t.containers {
		if c.last != StatusStopped {
			return
		}
	}
	t.executionStoppedAt = m.eng.Now()
	t.last = StatusDeprovisioning
	m.recordTask(t)
	m.taskChanged(t)
	m.scheduleTask(t, m.platform.Deprovisioning.Sample(m.eng.Rand("workload/platform")), stepDeprovisioned)
}

// deprovisioned: the ENI is gone; the task is STOPPED.
func (m *ECS) deprovisioned(t *task) {
	if t.ip.IsValid() && (t.inst == nil || t.ip != t.inst.ip) {
		m.net.ReleaseIP(t.subnetID, t.ip)
	}
	if t.inst != nil && t.ec2.lease.Held() {
		// The instance may be gone already (terminated); its resources went
		// with it.
		_ = t.inst.cl.sched.Release(&t.ec2.lease)
		m.kickCluster(t.inst.cl)
	}
	t.stoppedAt = m.eng.Now()
	t.last = StatusStopped
	t.health = HealthUnknown
	m.recordCost(t)
	m.recordTask(t)
	m.taskChanged(t)
	m.scheduleTask(t, stoppedRetention, stepExpire)
	m.reapUnused()
}

// expire forgets a task an hour after it stopped: DescribeTasks and
// ListTasks no longer see it, and its record goes back for newTask to
// reuse when nothing refers to it any more, so that the memory of a long
// run is in proportion to the tasks alive or recently stopped, not to
// every task it started.
func (m *ECS) expire(t *task) {
	delete(m.tasks, t.id)
	m.unlinkTask(t)
	if m.reusable(t) {
		m.freeTasks = append(m.freeTasks, t)
	}
}

// reuseTaskRecords lets expire hand records back for reuse; the
// package's tests turn it off to compare runs with and without.
var reuseTaskRecords = true

// reusable reports whether the record of an expired task can be reused:
// nothing in the model holds it any more. A STOPPED task has left its
// service's list (dropStopped), its targets (deregisterTargets), its
// protection (forgetProtection) and, after the pass its stop asked for,
// its service's rebalancing slot; its timers have run or were cancelled.
// Tasks on EC2, which placement structures may still list, are left to
// the garbage collector.
func (m *ECS) reusable(t *task) bool {
	if !reuseTaskRecords || t.ec2 != nil || t.inst != nil {
		return false
	}
	if t.svc != nil && t.svc.rebalanceTask == t {
		return false
	}
	if t.lbTargets != nil {
		return false
	}
	if _, ok := m.protected[t]; ok {
		return false
	}
	if t.timer.Pending() || t.healthyTimer.Pending() || t.spotTimer.Pending() {
		return false
	}
	for _, c := range t.containers {
		if c.timer.Pending() || c.hc.timer.Pending() {
			return false
		}
	}
	return true
}

// taskRecord returns a record for a new task, a reused one when expire
// left one. The reused record's container records go to
// m.reuseContainers, for nameTask to overwrite if the new task has as
// many containers.
func (m *ECS) taskRecord() *task {
	n := len(m.freeTasks)
	if n == 0 {
		return new(task)
	}
	t := m.freeTasks[n-1]
	m.freeTasks[n-1] = nil
	m.freeTasks = m.freeTasks[:n-1]
	if len(t.containers) == 1 {
		// The record's own array, about to be reset: keep the pointer.
		m.reuseOne[0] = t.containers[0]
		m.reuseContainers = m.reuseOne[:]
	} else {
		m.reuseContainers = t.containers
	}
	return t
}

// linkTask appends a new task to the list of tasks.
func (m *ECS) linkTask(t *task) {
	t.prev, t.next = m.taskTail, nil
	if m.taskTail != nil {
		m.taskTail.next = t
	} else {
		m.taskHead = t
	}
	m.taskTail = t
}

// unlinkTask removes an expired task from the list of tasks.
func (m *ECS) unlinkTask(t *task) {
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		m.taskHead = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	} else {
		m.taskTail = t.prev
	}
	t.prev, t.next = nil, nil
}

// eachTask ranges over the tasks not yet expired, in creation order, as
// they were when it began: a task created meanwhile is not visited.
func (m *ECS) eachTask(yield func(*task) bool) {
	end := m.taskTail
	for t := m.taskHead; t != nil; t = t.next {
		if !yield(t) || t == end {
			return
		}
	}
}

// behaviourOf returns how containers of image behave now, faults
// included. Containers share it (it is never modified), so a container
// holds a pointer rather than a copy.
func (m *ECS) behaviourOf(image string) *workload.Image {
	b := m.behav.Shared(image)
	if f, ok := m.imageFaults[image]; ok && f.pullError != "" {
		c := *b
		c.PullError = f.pullError
		return &c
	}
	return b
}

// aggregateHealth computes the task health from its essential containers:
// any UNHEALTHY → UNHEALTHY, else any UNKNOWN → UNKNOWN, else HEALTHY.
// [API:HealthCheck]
func (t *task) aggregateHealth() string {
	h := HealthHealthy
	for _, c := range t.containers {
		if !c.spec.essential {
			continue
		}
		switch c.health {
		case HealthUnhealthy:
			return HealthUnhealthy
		case HealthUnknown:
			h = HealthUnknown
		}
	}
	return h
}

// taskRunning is called once when a task reaches RUNNING.
func (m *ECS) taskRunning(t *task) {
	if t.svc == nil {
		return
	}
	if !t.spec.anyHC && !m.hasTargets(t) {
		// Without health checks and without a load balancer a task
		// counts as healthy 40 seconds after it reaches RUNNING.
		// [API:DeploymentConfiguration.minimumHealthyPercent]
		t.healthyAt = 0
		t.healthyTimer, _ = m.eng.AfterArg(runningHealthyDelay, m.actHealthy, t)
	} else if t.checksHealthy() && m.targetsHealthy(t) {
		// With a load balancer, once its targets are healthy too.
		t.healthyAt = m.eng.Now()
	}
}

// checksHealthy reports whether every essential container that defines a
// health check reports HEALTHY. Essential containers without a health
// check (a log router, a proxy) do not hold the task back: the service
// scheduler waits for the containers whose checks are defined.
// [API:DeploymentConfiguration.minimumHealthyPercent] ("If a task has one
// or more essential containers with a health check defined, the service
// scheduler will wait for the task to reach a healthy status"), read with
// the task health rule [API:HealthCheck]; see docs/fidelity.md.
//
// It reads the task's count of such containers not HEALTHY (hcWaiting)
// rather than the container records.
func (t *task) checksHealthy() bool {
	if verifyQuietCounts && (t.hcWaiting == 0) != t.countChecksHealthy() {
		panic("ecs: task " + t.id + " health check count out of step with its containers")
	}
	return t.hcWaiting == 0
}

// countChecksHealthy is checksHealthy from the container records, for
// verifying the kept count.
func (t *task) countChecksHealthy() bool {
	for _, c := range t.containers {
		if c.spec.essential && c.spec.hc != nil && c.health != HealthHealthy {
			return false
		}
	}
	return true
}

// runningHealthyDelay is how long a task without health checks must be
// RUNNING before it counts as healthy. [API:DeploymentConfiguration.minimumHealthyPercent]
const runningHealthyDelay = 40 * time.Second

func (m *ECS) onHealthyTimer(arg any) error {
	t := arg.(*task)
	if t.active() && t.last == StatusRunning && t.healthyAt == 0 {
		t.healthyAt = m.eng.Now()
		m.taskChanged(t)
	}
	return nil
}

// healthChanged recomputes a task's health after a container's changed:
// the task's healthStatus as DescribeTasks reports it, and whether the
// service scheduler now counts the task as healthy.
func (m *ECS) healthChanged(t *task) {
	h := t.aggregateHealth()
	changed := h != t.health
	t.health = h
	if t.last != StatusRunning {
		// The task reports the new health when it reaches RUNNING.
		return
	}
	nowHealthy := t.svc != nil && t.spec.anyHC && t.healthyAt == 0 && t.checksHealthy() && m.targetsHealthy(t)
	if nowHealthy {
		t.healthyAt = m.eng.Now()
	}
	if changed {
		m.recordTask(t)
	}
	if changed || nowHealthy {
		m.taskChanged(t)
	}
}

// taskChanged tells the task's service, if any, to reconcile.
func (m *ECS) taskChanged(t *task) {
	if t.svc != nil {
		m.svcTaskChanged(t)
	}
}

// deleteDelay is how long a DELETE_IN_PROGRESS revision that nothing uses
// stays describable before ECS removes it. AWS says only that deletion
// happens once nothing references the revision; see docs/fidelity.md.
const deleteDelay = time.Minute

// reapUnused removes the DELETE_IN_PROGRESS revisions that no task (not
// yet STOPPED) and no service deployment references.
func (m *ECS) reapUnused() {
	if !m.defs.anyDeleting() {
		return
	}
	used := map[string]bool{}
	for t := range m.eachTask {
		if t.last != StatusStopped {
			used[t.def.TaskDefinitionArn] = true
		}
	}
	for _, c := range m.clusters.sorted() {
		for _, s := range c.services {
			if s.status == ServiceInactive {
				continue
			}
			for _, d := range s.deployments {
				used[d.td.TaskDefinitionArn] = true
			}
		}
	}
	m.reapTaskDefinitions(func(arn string) bool { return used[arn] })
}

// leave stops counting an EC2 task in its group for placement once it is
// told to stop. [DG:task-placement-constraints]
func (m *ECS) leave(t *task) {
	if t.inst != nil && t.ec2.lease.Counted() {
		_ = t.inst.cl.sched.Leave(&t.ec2.lease)
	}
}

// onDrainingInstance reports whether the task runs on a DRAINING
// container instance.
func (t *task) onDrainingInstance() bool {
	return t.inst != nil && t.inst.status == InstanceDraining
}
