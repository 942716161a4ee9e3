package ecs

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// maxServiceEvents is how many events DescribeServices returns.
// [API:Service.events]
const maxServiceEvents = 100

// service is the model's record of a service.
type service struct {
	arn, name   string
	taskGroup   string // "service:<name>", its tasks' group; see group
	arnList     []string
	cl          *cluster
	status      string
	desired     int
	launchType  string
	strategy    []CapacityProviderStrategyItem
	platformVer string
	net         *NetworkConfiguration
	placement   *awsvpcPlacement
	maxPct      int
	minPct      int
	cb          DeploymentCircuitBreaker
	deployCfg   DeploymentConfiguration
	grace       time.Duration
	graceSet    bool
	lbs         []LoadBalancer
	registries  json.RawMessage
	constraints []PlacementConstraint
	strategies  []PlacementStrategy
	scheduling  string
	controller  string
	role        string
	tags        []api.Tag
	propagate   string
	managedTags bool
	execCmd     bool
	azRebalance string
	createdAt   sim.Time

	// tasks are the service's tasks not yet STOPPED, in creation order:
	// a task leaves when it stops (dropStopped). A pass that starts tasks
	// while ranging over it sees only the tasks that existed when it began.
	tasks         []*task
	deployments   []*deployment // [0] is PRIMARY
	lastCompleted *deployment   // the last deployment that reached COMPLETED
	events        serviceEvents
	lastMessage   map[string]sim.Time // dedup of repeated messages

	reconcileQueued bool
	wake            sim.Timer
	quiet           quietCounts // see quietPass
	// size is the task size of the primary deployment dep, kept for the
	// metrics feed: a service's minute then reads the deployment list
	// but not the deployment (see serviceUtilization).
	size struct {
		dep      *deployment
		cpu, mem int
	}
	zones zoneCount // active tasks per zone; see recount
	// row is the service's row of the metrics feed in its cluster's
	// rows: its metrics as last computed (see changed).
	row *metricsRow
	// routed are its RUNNING tasks' targets, for its metrics (see
	// routedTargets).
	routed routedTargets

	startFailures int      // consecutive tasks that failed to start
	throttleUntil sim.Time // no new task before this
	launchStart   sim.Time // the window of MaxFargateLaunchesPerMinute
	launches      int      // Fargate tasks started in that window
	steady        bool

	// AZ rebalancing: the extra task started in the emptiest zone, and
	// whether an episode is in progress. [https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html]
	rebalanceTask *task
	rebalancing   bool

	traffic       *workload.Traffic          // the load, for CloudWatch metrics
	plan          *scheduler.Plan            // EC2 placement: strategies and constraints
	placeSpec     scheduler.Spec             // what plan was compiled from
	providerPlans map[string]*scheduler.Plan // plan restricted to each provider's instances

	cost *Cost // the finished tasks' total, its entry in the ECS's costs; see recordCost

	sdList []*serviceDeployment // service deployments, oldest first
	live   map[string]string    // target group swaps of blue/green deployments; see liveGroups
}

// deployment is the model's record of a service deployment.
type deployment struct {
	id         string
	status     string
	td         *TaskDefinition
	createdAt  sim.Time
	updatedAt  sim.Time
	rollout    string
	reason     string
	failed     int
	threshold  int
	anyRunning bool
	hasTasks   bool   // scratch of pruneDeployments: a task not STOPPED runs it
	stopReason string // see scalingReason
	launchType string
	// activeByProvider counts the deployment's active tasks per capacity
	// provider, kept by recount; tasks without one (a launch type) are
	// not counted: only a capacity provider strategy reads the counts.
	activeByProvider map[string]int
	strategy         []CapacityProviderStrategyItem
	net              *NetworkConfiguration
	placement        *awsvpcPlacement
	platform         string
	x                deployExtra // service deployments API and alarms
	// live, active and settled count the deployment's tasks not yet
	// STOPPED, those not told to stop, and those active, RUNNING and
	// healthy, kept by recount with the service's counts (see
	// passCounts).
	live, active, settled int
}

// circuitBreakerThreshold is the failure count at which a deployment
// fails: ceil(0.5 × desired) clamped to [3, 200] by default, or as the
// threshold configuration says. [API:ServiceDeploymentCircuitBreaker.threshold]
// [API:ThresholdConfiguration] [DG:deployment-circuit-breaker]
func circuitBreakerThreshold(cb DeploymentCircuitBreaker, desired int) int {
	typ, value := "BOUNDED_PERCENT", 50
	if tc := cb.ThresholdConfiguration; tc != nil {
		if tc.Type != nil {
			typ = *tc.Type
		}
		if tc.Value != nil {
			value = int(*tc.Value)
		}
	}
	switch typ {
	case "COUNT":
		return max(value, 1)
	case "UNBOUNDED_PERCENT":
		return max(ceilDiv(desired*value, 100), 1)
	default:
		return min(max(ceilDiv(desired*value, 100), 3), 200)
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// bounds returns the rolling-update bounds for desired tasks: at most
// floor(desired × max%) tasks RUNNING or PENDING, at least
// ceil(desired × min%) healthy. [API:DeploymentConfiguration]
func bounds(desired, maxPct, minPct int) (maxTasks, minHealthy int) {
	return desired * maxPct / 100, ceilDiv(desired*minPct, 100)
}

// serviceEventRecord is a service event as the model keeps it; its ID is
// formatted only when DescribeServices shows it.
type serviceEventRecord struct {
	id      sim.UUIDBits
	idText  string // id formatted, once something lists the event
	at      sim.Time
	message string
}

// serviceEvents is a ring of a service's latest maxServiceEvents events:
// adding one moves nothing. The ring grows to its full size as events
// come, so that a service with few events (most of a large fleet's)
// holds no room for a hundred.
type serviceEvents struct {
	ring []serviceEventRecord // at most maxServiceEvents
	next int                  // where the next event goes
}

func (e *serviceEvents) add(r serviceEventRecord) {
	if n := len(e.ring); n < maxServiceEvents {
		if n == cap(e.ring) {
			grown := make([]serviceEventRecord, n, min(max(2*n, 8), maxServiceEvents))
			copy(grown, e.ring)
			e.ring = grown
		}
		e.ring = append(e.ring, r)
		e.next = len(e.ring) % maxServiceEvents
		return
	}
	e.ring[e.next] = r
	e.next = (e.next + 1) % maxServiceEvents
}

// shape returns the events newest first, as DescribeServices lists them.
func (e *serviceEvents) shape() []ServiceEvent {
	out := make([]ServiceEvent, len(e.ring))
	for i := range out {
		r := &e.ring[(e.next-1-i+2*maxServiceEvents)%maxServiceEvents]
		if r.idText == "" {
			r.idText = r.id.String()
		}
		out[i] = ServiceEvent{Id: r.idText, CreatedAt: api.NewTimestamp(r.at.Time()), Message: r.message}
	}
	return out
}

// serviceName extracts a service name from a name or ARN.
func serviceName(ref string) string {
	if i := strings.LastIndexByte(ref, '/'); i >= 0 && strings.HasPrefix(ref, "arn:") {
		return ref[i+1:]
	}
	return ref
}

// group returns the task group of the service's tasks, built once.
func (s *service) group() string {
	if s.taskGroup == "" {
		s.taskGroup = "service:" + s.name
	}
	return s.taskGroup
}

// resources returns the service's ARN as an event's resources, built
// once; records share it and never modify it.
func (s *service) resources() []string {
	if s.arnList == nil {
		s.arnList = []string{s.arn}
	}
	return s.arnList
}

// event adds a service event, newest first, keeping the latest 100. An
// identical message is not repeated within dedup.
// [DG:service-event-messages] ("deduplicated until the cause is resolved or six hours")
// It reports whether the event was added.
func (m *ECS) serviceEvent(s *service, dedup time.Duration, format string, args ...any) bool {
	return m.serviceEventText(s, dedup, fmt.Sprintf(format, args...))
}

// serviceEventText is serviceEvent with its message already formatted.
func (m *ECS) serviceEventText(s *service, dedup time.Duration, msg string) bool {
	now := m.eng.Now()
	if dedup > 0 {
		if at, ok := s.lastMessage[msg]; ok && now.Sub(at) < dedup {
			return false
		}
		s.lastMessage[msg] = now
	}
	s.events.add(serviceEventRecord{id: sim.NewUUID(m.eng.Rand("ecs/ids")), at: now, message: msg})
	var d any
	if m.eng.Trace().Retains() {
		d = ServiceEventDetail{Message: msg}
	} else {
		m.scratchEvent = ServiceEventDetail{Message: msg}
		d = &m.scratchEvent
	}
	m.eng.Record(sim.Event{Type: "ECS Service Event", Source: "ecssim", Resources: s.resources(), Detail: d})
	return true
}

// tasksMessage formats the service event "(service NAME) has started 2
// tasks: (task ID) (task ID)." (verb "started", noun "tasks"; or
// "stopped" and "running tasks") in one allocation.
func (m *ECS) tasksMessage(s *service, verb, noun string, ts []*task) string {
	b := append(m.msgBuf[:0], "(service "...)
	b = append(b, s.name...)
	b = append(b, ") has "...)
	b = append(b, verb...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(ts)), 10)
	b = append(b, ' ')
	b = append(b, noun...)
	b = append(b, ": "...)
	for i, t := range ts {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, "(task "...)
		b = append(b, t.id...)
		b = append(b, ')')
	}
	b = append(b, '.')
	m.msgBuf = b
	return string(b)
}

// placementFailure reports that the scheduler could not place a task:
// the service event (deduplicated) and, with it, the ERROR service action
// SERVICE_TASK_PLACEMENT_FAILURE. [DG:ecs_cwe_events] [DG:service-event-messages]
func (m *ECS) placementFailure(s *service, dedup time.Duration, msg string) {
	if m.serviceEvent(s, dedup, "%s", msg) {
		m.serviceAction(s, "ERROR", "SERVICE_TASK_PLACEMENT_FAILURE")
	}
}

// ServiceEventDetail is the trace detail of a service event message.
type ServiceEventDetail struct {
	Message string `json:"message"`
}

// ServiceAction is the trace detail of an "ECS Service Action" event.
// [DG:ecs_cwe_events]
type ServiceAction struct {
	EventType  string `json:"eventType"`
	EventName  string `json:"eventName"`
	ClusterArn string `json:"clusterArn"`
	CreatedAt  string `json:"createdAt"`
}

// DeploymentStateChange is the trace detail of an "ECS Deployment State
// Change" event. [DG:ecs_cwe_events]
type DeploymentStateChange struct {
	EventType    string `json:"eventType"`
	EventName    string `json:"eventName"`
	DeploymentId string `json:"deploymentId"`
	UpdatedAt    string `json:"updatedAt"`
	Reason       string `json:"reason"`
}

// AppendJSON appends the detail as encoding/json encodes it.
func (d ServiceEventDetail) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = sim.AppendJSONField(b, true, "message", d.Message)
	return append(b, '}')
}

// AppendJSON appends the detail as encoding/json encodes it.
func (d ServiceAction) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = sim.AppendJSONField(b, true, "eventType", d.EventType)
	b = sim.AppendJSONField(b, false, "eventName", d.EventName)
	b = sim.AppendJSONField(b, false, "clusterArn", d.ClusterArn)
	b = sim.AppendJSONField(b, false, "createdAt", d.CreatedAt)
	return append(b, '}')
}

// AppendJSON appends the detail as encoding/json encodes it.
func (d DeploymentStateChange) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = sim.AppendJSONField(b, true, "eventType", d.EventType)
	b = sim.AppendJSONField(b, false, "eventName", d.EventName)
	b = sim.AppendJSONField(b, false, "deploymentId", d.DeploymentId)
	b = sim.AppendJSONField(b, false, "updatedAt", d.UpdatedAt)
	b = sim.AppendJSONField(b, false, "reason", d.Reason)
	return append(b, '}')
}

// When nothing retains the trace, service actions and deployment events
// go to the trace through scratch details that the next event reuses.
func (m *ECS) serviceAction(s *service, typ, name string) {
	a := ServiceAction{EventType: typ, EventName: name, ClusterArn: s.cl.arn, CreatedAt: m.eng.Now().String()}
	var d any
	if m.eng.Trace().Retains() {
		d = a
	} else {
		m.scratchAction = a
		d = &m.scratchAction
	}
	m.eng.Record(sim.Event{Type: EventServiceAction, Source: SourceECS, Resources: s.resources(), Detail: d})
}

func (m *ECS) deploymentEvent(s *service, d *deployment, typ, name string) {
	c := DeploymentStateChange{EventType: typ, EventName: name, DeploymentId: d.id, UpdatedAt: m.eng.Now().String(), Reason: d.reason}
	var detail any
	if m.eng.Trace().Retains() {
		detail = c
	} else {
		m.scratchDeployment = c
		detail = &m.scratchDeployment
	}
	m.eng.Record(sim.Event{Type: EventDeploymentStateChange, Source: SourceECS, Resources: s.resources(), Detail: detail})
}

// newDeployment makes a new PRIMARY deployment; the previous primary
// becomes ACTIVE. [API:Deployment.status]
func (m *ECS) newDeployment(s *service, td *TaskDefinition, reason string) *deployment {
	now := m.eng.Now()
	d := &deployment{
		id:         "ecs-svc/" + sim.Digits(m.eng.Rand("ecs/ids"), 19),
		status:     DeploymentPrimary,
		td:         td,
		createdAt:  now,
		updatedAt:  now,
		rollout:    RolloutInProgress,
		launchType: s.launchType,
		strategy:   s.strategy,
		net:        s.net,
		placement:  s.placement,
		platform:   s.platformVer,
		threshold:  circuitBreakerThreshold(s.cb, s.desired),
	}
	rollback := reason != "" // only rollbacks give their own reason
	if reason == "" {
		reason = "ECS deployment " + d.id + " in progress."
	}
	d.reason = reason
	for _, old := range s.deployments {
		if old.status == DeploymentPrimary {
			old.status = DeploymentActive
			old.updatedAt = now
		}
	}
	s.deployments = slices.Insert(s.deployments, 0, d)
	s.changed()
	m.deploymentCreated(s, d, rollback)
	s.steady = false
	s.startFailures, s.throttleUntil = 0, 0 // an update resets throttling [DG:service-throttle-logic]
	m.deploymentEvent(s, d, "INFO", "SERVICE_DEPLOYMENT_IN_PROGRESS")
	return d
}

// svcTaskChanged is called whenever a task of a service changes.
func (m *ECS) svcTaskChanged(t *task) {
	s, d := t.svc, t.dep
	if t.last == StatusRunning && !d.anyRunning {
		// Stage 2 of the circuit breaker begins: "once a service
		// deployment has one or more successfully running tasks, the
		// failed task count resets to zero". [API:Deployment.failedTasks]
		d.anyRunning = true
		d.failed = 0
		m.startAlarmWatch(s, d)
	}
	if t.last == StatusRunning && t.startedAt == m.eng.Now() {
		s.startFailures = 0
	}
	m.recount(s, t)
	if t.last == StatusStopped {
		s.dropStopped(t)
	}
	if !t.active() && !t.accounted {
		t.accounted = true
		m.forgetProtection(t)
		m.accountStop(s, d, t)
	}
	if t.countsHealthy() && !t.resetDone && s.cb.Enable && (s.cb.ResetOnHealthyTask == nil || *s.cb.ResetOnHealthyTask) {
		// A task that reaches a healthy state resets the failure count.
		// [API:DeploymentCircuitBreaker.resetOnHealthyTask]
		t.resetDone = true
		d.failed = 0
	}
	m.kick(s)
}

// accountStop counts a stopped task against throttling and the circuit
// breaker.
func (m *ECS) accountStop(s *service, d *deployment, t *task) {
	byScheduler := t.stopCode == StopServiceSchedulerInitiated || t.stopCode == StopUserInitiated
	failedStart := t.startedAt == 0 && !byScheduler
	if failedStart {
		// Tasks that fail to reach RUNNING are throttled with a growing
		// delay. [DG:service-throttle-logic]
		s.startFailures++
		if delay := throttleDelay(s.startFailures); delay > 0 {
			s.throttleUntil = m.eng.Now().Add(delay)
			if s.startFailures == throttleAfter {
				m.serviceEvent(s, 0, "(service %s) is unable to consistently start tasks successfully.", s.name)
				m.serviceAction(s, "WARN", "SERVICE_TASK_START_IMPAIRED")
			}
		}
	}
	// Circuit breaker: stage 1 counts tasks that never reached RUNNING
	// while no task of the deployment has; once one has, stage 2 counts
	// only tasks stopped for failing health checks, so a transient start
	// failure during a healthy rollout no longer counts.
	// [DG:deployment-circuit-breaker] [API:Deployment.failedTasks]
	if (failedStart && !d.anyRunning) || t.failedHealth {
		d.failed++
		d.updatedAt = m.eng.Now()
		if s.cb.Enable && d.rollout == RolloutInProgress && d.status == DeploymentPrimary && d.failed >= d.threshold {
			m.tripCircuitBreaker(s, d, t.failedHealth)
		}
	}
}

// throttleAfter is the number of consecutive failed starts after which a
// service starts waiting between launches. AWS documents only the
// 15-minute maximum; see docs/fidelity.md.
const throttleAfter = 3

// throttleDelay returns the delay before the next launch after n
// consecutive failed starts: none for the first two, then 30s doubling to
// at most 15 minutes. [DG:service-throttle-logic]
func throttleDelay(n int) time.Duration {
	if n < throttleAfter {
		return 0
	}
	d := 30 * time.Second
	for i := throttleAfter; i < n && d < 15*time.Minute; i++ {
		d *= 2
	}
	return min(d, 15*time.Minute)
}

// noRollbackTarget ends the rolloutStateReason of a failed deployment
// whose rollback has no completed deployment to go back to.
const noRollbackTarget = "No completed deployment to roll back to."

func (m *ECS) tripCircuitBreaker(s *service, d *deployment, health bool) {
	d.rollout = RolloutFailed
	d.reason = "ECS deployment circuit breaker: task failed to start."
	why := "tasks failed to start"
	if health {
		// AWS has been seen to give the same "failed to start" reason,
		// in the plural, when tasks failed their health checks (a
		// captured rolloutStateReason with failedTasks 3 for tasks
		// killed before passing a check); see docs/fidelity.md.
		d.reason = "ECS deployment circuit breaker: tasks failed to start."
		why = "tasks failed health checks"
	}
	d.updatedAt = m.eng.Now()
	if s.cb.Rollback && s.lastCompleted == nil {
		// Rollback was asked for, but no deployment of this service ever
		// completed: there is nothing to roll back to. The deployment
		// stays FAILED and PRIMARY, launches no new task, and tasks of
		// earlier deployments keep running. AWS does not document this
		// case; see docs/fidelity.md.
		d.reason += " " + noRollbackTarget
	}
	m.serviceEvent(s, 0, "(service %s) (deployment %s) deployment failed: %s.", s.name, d.id, why)
	m.deploymentEvent(s, d, "ERROR", "SERVICE_DEPLOYMENT_FAILED")
	m.deploymentFailed(s, d, s.cb.Rollback && s.lastCompleted != nil)
	if !s.cb.Rollback {
		return
	}
	if s.lastCompleted == nil {
		m.serviceEvent(s, 0, "(service %s) (deployment %s) cannot roll back: no deployment of this service has completed.", s.name, d.id)
		return
	}
	// Roll back to the last deployment that completed.
	// [API:DeploymentCircuitBreaker.rollback]
	prev := s.lastCompleted
	s.launchType, s.strategy, s.net, s.placement, s.platformVer = prev.launchType, prev.strategy, prev.net, prev.placement, prev.platform
	nd := m.newDeployment(s, prev.td, "ECS deployment circuit breaker: rolling back to deploymentId "+prev.id+".")
	m.serviceEvent(s, 0, "(service %s) rolling back to deployment %s.", s.name, prev.id)
	_ = nd
}

// kick schedules a reconcile of the service at the current instant, once.
func (m *ECS) kick(s *service) {
	if s.reconcileQueued {
		return
	}
	s.reconcileQueued = true
	m.eng.ScheduleArg(m.eng.Now(), m.actReconcile, s)
}

func (m *ECS) onReconcile(arg any) error {
	s := arg.(*service)
	s.reconcileQueued = false
	m.reconcile(s)
	return nil
}

// wakeAt makes the service reconcile again at t (the earliest asked for).
func (m *ECS) wakeAt(s *service, t sim.Time) {
	if s.wake.Pending() && s.wake.At() <= t {
		return
	}
	s.wake.Cancel()
	s.wake, _ = m.eng.ScheduleArg(t, m.actReconcile, s)
}

// dropStopped removes a task that has just become STOPPED from its
// service's list, keeping the others in creation order, so that passes
// over the list cost in proportion to the tasks still alive. A task
// becomes STOPPED only in its own timer event, never while a pass ranges
// over the list.
func (s *service) dropStopped(t *task) {
	if i := slices.Index(s.tasks, t); i >= 0 {
		s.tasks = slices.Delete(s.tasks, i, i+1)
	}
}

// unhealthy reports whether a service task failed its container health
// checks and is past the grace period. [API:CreateServiceRequest.healthCheckGracePeriodSeconds]
func (m *ECS) unhealthy(s *service, t *task) (bad bool, graceEnds sim.Time) {
	if !t.active() || t.last != StatusRunning {
		return false, 0
	}
	if _, _, lb := m.unhealthyTarget(t); t.health != HealthUnhealthy && !lb {
		return false, 0
	}
	end := t.startedAt.Add(s.grace)
	if m.eng.Now() < end {
		return false, end
	}
	return true, 0
}

// reconcile is the service scheduler: it keeps desiredCount tasks of the
// primary deployment, replaces unhealthy tasks and rolls deployments
// within the maximumPercent and minimumHealthyPercent bounds.
//
// Each pass (derived from the documented bounds [DG:deployment-type-ecs];
// AWS publishes no algorithm, see docs/fidelity.md):
//  1. stop tasks that failed their health checks, after starting
//     replacements when maximumPercent leaves room;
//  2. start primary tasks while tasks RUNNING or PENDING < floor(d×max%)
//     and the primary has fewer than d;
//  3. stop tasks of older deployments (and primary surplus), non-healthy
//     first, while healthy tasks stay ≥ ceil(d×min%);
//  4. if a deployment is unfinished and nothing could start or stop and
//     nothing is in flight, say so in the service's words;
//  5. at steady state, complete the deployment.
func (m *ECS) reconcile(s *service) {
	s.wake.Cancel()
	if s.status == ServiceInactive || m.quietPass(s) {
		return
	}
	tasks := s.tasks
	if s.status == ServiceDraining {
		for _, t := range tasks {
			m.stopTask(t, StopServiceSchedulerInitiated, "Service is being deleted")
		}
		m.pruneDeployments(s)
		if len(s.tasks) == 0 {
			s.status = ServiceInactive
			s.changed()
			s.cl.activeServices--
			for _, d := range s.deployments {
				d.status = DeploymentInactive
			}
		}
		return
	}
	if len(s.deployments) == 0 {
		return // an EXTERNAL service: its tasks come from task sets
	}
	if s.scheduling == "DAEMON" {
		m.reconcileDaemon(s)
		return
	}
	primary := s.deployments[0]
	desired := s.desired
	maxTasks, minHealthy := bounds(desired, s.maxPct, s.minPct)
	m.bgAdvance(s, primary)
	if primary.bgRunning() {
		maxTasks = math.MaxInt // green scales up to full size beside blue (bluegreen.go)
	}
	now := m.eng.Now()

	var active, healthy, primaryActive int
	sc := m.beginPass()
	defer m.endPass(sc)
	unhealthyTasks := sc.unhealthy[:0]
	var nextGrace sim.Time
	counted := m.passCounts(s)
	if counted {
		// No task is RUNNING and unhealthy (so none to replace and no
		// grace period to wait for) and none is on a container instance
		// (so none on a draining one): the kept counts are the loop's.
		active, healthy, primaryActive = s.quiet.active, s.quiet.settled, primary.active
	}
	for _, t := range walkIf(!counted, tasks) {
		if !t.active() {
			continue
		}
		active++
		if bad, end := m.unhealthy(s, t); bad {
			unhealthyTasks = append(unhealthyTasks, t)
			continue
		} else if end != 0 && (nextGrace == 0 || end < nextGrace) {
			nextGrace = end
		}
		if m.taskHealthy(t) {
			healthy++
		}
		if t.dep == primary && !t.onDrainingInstance() {
			primaryActive++
		}
	}
	acted := false
	started, stopped := sc.started[:0], sc.stopped[:0]

	// 1. Unhealthy tasks: replacements first within maximumPercent, then
	// stop. [API:DeploymentConfiguration.maximumPercent]
	for _, t := range unhealthyTasks {
		if primary.rollout != RolloutFailed && active < maxTasks && primaryActive < desired && now >= s.throttleUntil {
			if nt := m.startServiceTask(s, primary); nt != nil {
				started = append(started, nt)
				active++
				primaryActive++
			}
		}
		t.failedHealth = true
		if x, desc, ok := m.unhealthyTarget(t); ok {
			m.failedTargetHealth(s, t, x, desc)
		} else {
			m.serviceEvent(s, 0, "(service %s) (task %s) failed container health checks.", s.name, t.id)
			m.stopTask(t, StopServiceSchedulerInitiated, "Task failed container health checks")
		}
		active--
		acted = true
	}

	// 2. Start primary tasks.
	if primary.rollout != RolloutFailed && !primary.bgHoldsScaleUp() {
		for active < maxTasks && primaryActive < desired {
			if now < s.throttleUntil {
				m.wakeAt(s, s.throttleUntil)
				break
			}
			nt := m.startServiceTask(s, primary)
			if nt == nil {
				break
			}
			started = append(started, nt)
			active++
			primaryActive++
		}
	}

	// 3. Stop old-deployment tasks, then primary surplus.
	// Tasks on a draining instance are replaced like an older
	// deployment's. [https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html]
	old, prim := sc.old[:0], sc.prim[:0]
	// With the counts, the walk is needed only when some active task
	// is not the primary's (an older deployment's) or the primary has
	// more than desired: otherwise old is empty and prim unused.
	// Nor when every older task is healthy and the minimum leaves no
	// healthy task to stop: pickStops would pick none of them.
	walk := !counted || primary.active != s.quiet.active || primaryActive > desired
	if walk && counted && primaryActive <= desired && s.plan == nil {
		oldActive, oldSettled := s.quiet.active-primary.active, s.quiet.settled-primary.settled
		walk = oldActive != oldSettled || healthy-1 >= minHealthy
	}
	for _, t := range walkIf(walk, tasks) {
		switch {
		case !t.active():
		case t.onDrainingInstance():
			old = append(old, t)
		case t.dep != primary:
			// A FAILED deployment launches no task, so the scheduler
			// keeps the earlier deployments' tasks it would replace.
			// [API:Deployment.rolloutState] ("A deployment in FAILED
			// state doesn't launch any new tasks"); see docs/fidelity.md.
			if primary.rollout != RolloutFailed && !primary.bgKeeps(t.dep) {
				old = append(old, t)
			}
		default:
			prim = append(prim, t)
		}
	}
	stopOne := func(t *task) {
		stopped = append(stopped, t)
		m.stopTask(t, StopServiceSchedulerInitiated, t.dep.scalingReason())
		active--
	}
	for _, t := range m.pickStops(s, old, len(old), &healthy, minHealthy) {
		stopOne(t)
	}
	target := desired
	rt := s.rebalanceTask
	if rt != nil && (!rt.active() || rt.dep != primary) {
		s.rebalanceTask, rt = nil, nil
	}
	if rt != nil && !m.taskHealthy(rt) {
		target++ // keep the rebalancing task until it is healthy
	}
	if surplus := primaryActive - target; surplus > 0 {
		for _, t := range m.pickStops(s, prim, surplus, &healthy, minHealthy) {
			if rt != nil {
				// The zone-rebalancing task is healthy: stop one in the
				// fullest zone.
				s.rebalanceTask, rt = nil, nil
				m.stopTask(t, StopServiceSchedulerInitiated, t.dep.scalingReason())
				active--
				m.serviceEvent(s, 0, "%s has stopped 1 running tasks in %s due to AZ rebalancing: %s.", s.name, t.az(), t.id)
				acted = true
				continue
			}
			stopOne(t)
		}
	}
	// 3b. maximumPercent is an upper bound on tasks RUNNING or PENDING
	// [API:DeploymentConfiguration.maximumPercent]: when the desired
	// count drops during a deployment and the minimum keeps the older
	// tasks, the tasks still starting go, not-healthy first. If every
	// remaining task is healthy the minimum wins and the deployment
	// waits; see docs/fidelity.md.
	if active > maxTasks {
		live := sc.live[:0]
		for _, t := range tasks {
			if t.active() {
				live = append(live, t)
			}
		}
		defer func() { sc.live = live }()
		for _, t := range m.pickStops(s, live, active-maxTasks, &healthy, minHealthy) {
			if t == s.rebalanceTask {
				s.rebalanceTask = nil
			}
			stopOne(t)
		}
	}
	if len(started) > 0 {
		m.serviceEventText(s, 0, m.tasksMessage(s, "started", "tasks", started))
		acted = true
	}
	if len(stopped) > 0 {
		m.serviceEventText(s, 0, m.tasksMessage(s, "stopped", "running tasks", stopped))
		acted = true
	}
	if nextGrace != 0 {
		m.wakeAt(s, nextGrace)
	}
	m.pruneDeployments(s)

	// 4. Stuck: work remains, nothing moved, nothing in flight.
	// With the counts, "remaining" (an active task not the primary's)
	// needs no walk, and without it nothing below can happen; nor can it
	// while a task is not active or pending (in flight), and with every
	// task settled none is in flight. Only what is left needs the walk.
	if !acted && (!counted || primary.active != s.quiet.active) {
		remaining := false
		inFlight := false
		walk := true
		if q := s.quiet; counted {
			remaining = true
			switch {
			case q.live != q.active || q.pending != 0:
				inFlight, walk = true, false
			case q.settled == q.live:
				walk = false
			}
		}
		for _, t := range walkIf(walk, s.tasks) {
			if !t.active() || t.pendingLike() || (t.last == StatusRunning && !m.taskHealthy(t)) {
				inFlight = true
			}
			if t.active() && t.dep != primary {
				remaining = true
			}
		}
		if remaining && !inFlight && primary.rollout != RolloutFailed && !primary.bgRunning() && now >= s.throttleUntil {
			// [DG:service-event-messages]
			m.serviceEvent(s, 6*time.Hour, "(service %s) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.", s.name)
		}
	}

	// 5. Steady state.
	m.checkSteady(s)

	// 6. AZ rebalancing, once steady.
	if s.steady && s.azRebalance == "ENABLED" && s.rebalanceTask == nil {
		m.rebalanceZones(s, primary, active < maxTasks)
	}
	sc.unhealthy, sc.started, sc.stopped, sc.old, sc.prim = unhealthyTasks, started, stopped, old, prim
}

// walkIf returns tasks when a pass must walk them, else none.
func walkIf(walk bool, tasks []*task) []*task {
	if walk {
		return tasks
	}
	return nil
}

// passScratch is the scratch space of a reconcile pass: lists of tasks
// rebuilt on every pass, kept between passes so that a pass allocates
// nothing for them.
type passScratch struct {
	unhealthy, started, stopped, old, prim, live []*task
}

// beginPass returns the ECS's pass scratch space, or fresh space if a
// pass is already using it.
func (m *ECS) beginPass() *passScratch {
	if m.passBusy {
		return &passScratch{}
	}
	m.passBusy = true
	return &m.pass
}

// endPass releases the scratch space, dropping the task pointers it held.
func (m *ECS) endPass(sc *passScratch) {
	for _, l := range []*[]*task{&sc.unhealthy, &sc.started, &sc.stopped, &sc.old, &sc.prim, &sc.live} {
		clear(*l)
		*l = (*l)[:0]
	}
	if sc == &m.pass {
		m.passBusy = false
	}
}

// scalingReason is the stoppedReason of a task the scheduler stops for a
// scaling activity of its deployment, built once per deployment.
func (d *deployment) scalingReason() string {
	if d.stopReason == "" {
		d.stopReason = "Scaling activity initiated by (deployment " + d.id + ")"
	}
	return d.stopReason
}

// rebalanceZones checks that the service's tasks are spread evenly over
// the available zones of its subnets and, if not, starts one task in the
// emptiest zone; once it is healthy, reconcile stops one in the fullest.
// [https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html]
func (m *ECS) rebalanceZones(s *service, primary *deployment, room bool) {
	counts := map[string]int{}
	var zones []string
	addZone := func(az string) {
		if _, seen := counts[az]; !seen && !m.net.ZoneDown(az) {
			counts[az] = 0
			zones = append(zones, az)
		}
	}
	switch {
	case primary.launchType == LaunchEC2 && s.plan != nil:
		// On EC2 rebalancing applies when the first strategy spreads over
		// zones (the default does); the zones are those of the ACTIVE
		// instances. [https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html]
		if st := s.plan.Effective(); len(st) == 0 || st[0].Type != scheduler.StrategySpread || st[0].Field != "attribute:"+attrAZ {
			return
		}
		for _, in := range s.cl.instances {
			if in.status == InstanceActive {
				addZone(in.az())
			}
		}
	case primary.placement != nil:
		for _, sub := range primary.placement.subnets {
			addZone(sub.AvailabilityZone)
		}
	}
	if len(zones) == 0 {
		return
	}
	for _, t := range s.tasks {
		if t.active() {
			if _, ok := counts[t.az()]; ok {
				counts[t.az()]++
			}
		}
	}
	slices.Sort(zones)
	lo, hi := counts[zones[0]], counts[zones[0]]
	for _, z := range zones {
		lo, hi = min(lo, counts[z]), max(hi, counts[z])
	}
	if hi-lo <= 1 {
		if s.rebalancing {
			s.rebalancing = false
			m.serviceEvent(s, 0, "service (%s) is AZ balanced with %s.", s.name, zoneCounts(zones, counts, true))
		}
		return
	}
	if !room {
		return
	}
	if !s.rebalancing {
		s.rebalancing = true
		m.serviceEvent(s, 0, "service (%s) is not AZ balanced with %s. AZ Rebalancing in progress.", s.name, zoneCounts(zones, counts, false))
	}
	if t := m.startServiceTask(s, primary); t != nil {
		s.rebalanceTask = t
		s.steady = false
		m.serviceEvent(s, 0, "%s has started 1 tasks in %s to AZ Rebalance: %s.", s.name, t.az(), t.id)
	}
}

// zoneCounts writes "2 tasks in us-east-1a, 2 in us-east-1b, and 0 in
// us-east-1c" (every item "tasks in" when each is true), the form of the
// rebalancing events.
func zoneCounts(zones []string, counts map[string]int, each bool) string {
	parts := make([]string, len(zones))
	for i, z := range zones {
		unit := ""
		if i == 0 || each {
			unit = " tasks"
		}
		parts[i] = fmt.Sprintf("%d%s in %s", counts[z], unit, z)
	}
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " and " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + ", and " + parts[len(parts)-1]
}

// taskHealthy reports whether a task counts as healthy for the minimum
// healthy bound and the steady state: RUNNING, not told to stop, and
// either 40 seconds past RUNNING (no essential container defines a health
// check) or with every essential container that defines one HEALTHY.
// [API:DeploymentConfiguration.minimumHealthyPercent]
func (m *ECS) taskHealthy(t *task) bool {
	if !t.countsHealthy() {
		return false
	}
	if t.spec.anyHC && !t.checksHealthy() {
		return false
	}
	return m.targetsHealthy(t)
}

// pickStops chooses up to n tasks of cands to stop, one at a time: tasks
// that are not healthy first (stopping them costs no healthy task), then
// healthy ones while at least minHealthy stay healthy. Among equals it
// takes the task in the AZ that holds the most active tasks of the
// service, then the newest, so that stops keep the service balanced
// across zones. [DG:ecs_services#service_scheduler_replica]
//
// Nothing changes a task while it runs, so each candidate's health and
// zone are looked up once; the active tasks per zone start from the
// service's kept counts (s.zones) rather than a pass over its tasks.
func (m *ECS) pickStops(s *service, cands []*task, n int, healthy *int, minHealthy int) []*task {
	if n <= 0 || len(cands) == 0 {
		return nil
	}
	// The candidates are copied into scratch space kept between calls
	// (pickStops calls nothing that calls it again).
	ps := &m.picks
	ps.zones, ps.counts = ps.zones[:0], ps.counts[:0]
	for az, c := range s.zones {
		ps.zones, ps.counts = append(ps.zones, az), append(ps.counts, c)
	}
	if verifyQuietCounts {
		m.checkZoneCounts(s)
	}
	cands = m.unprotected(append(ps.tasks[:0], cands...))
	info := ps.info[:0]
	for _, t := range cands {
		info = append(info, stopInfo{healthy: m.taskHealthy(t), zone: ps.zone(t.az())})
	}
	defer func() {
		clear(cands[:cap(cands)])
		ps.tasks, ps.info = cands[:0], info[:0]
	}()
	var out []*task
	for len(out) < n && len(cands) > 0 {
		best := 0
		for i := 1; i < len(cands); i++ {
			if ps.before(cands[i], info[i], cands[best], info[best]) {
				best = i
			}
		}
		if s.plan != nil && info[best].healthy {
			best = m.chooseStopEC2(s, cands)
		}
		t := cands[best]
		if info[best].healthy {
			if *healthy-1 < minHealthy {
				break // every remaining candidate is healthy
			}
			*healthy--
		}
		out = append(out, t)
		ps.counts[info[best].zone]--
		cands = slices.Delete(cands, best, best+1)
		info = slices.Delete(info, best, best+1)
	}
	return out
}

// pickScratch is pickStops' scratch space: the candidates, what it looks
// up about each once, and the active tasks per zone, a short list
// searched by name (a service spans a few zones).
type pickScratch struct {
	tasks  []*task
	info   []stopInfo
	zones  []string
	counts []int
}

// stopInfo is what pickStops orders a candidate by besides its age.
type stopInfo struct {
	healthy bool
	zone    int // index into pickScratch.zones
}

// zone returns the index of az in the zone list, adding it with no
// active task if it is not there.
func (ps *pickScratch) zone(az string) int {
	for i, z := range ps.zones {
		if z == az {
			return i
		}
	}
	ps.zones, ps.counts = append(ps.zones, az), append(ps.counts, 0)
	return len(ps.zones) - 1
}

// before orders stop candidates; see pickStops.
func (ps *pickScratch) before(a *task, ia stopInfo, b *task, ib stopInfo) bool {
	if ia.healthy != ib.healthy {
		return !ia.healthy
	}
	if ca, cb := ps.counts[ia.zone], ps.counts[ib.zone]; ca != cb {
		return ca > cb
	}
	return a.seq > b.seq
}

// chooseStopEC2 picks among the healthy candidates by the mirror of the
// service's placement strategies (binpack: the instance left with the
// most; spread: the fullest AZ or instance). All candidates are healthy
// here, since unhealthy ones sort first.
func (m *ECS) chooseStopEC2(s *service, cands []*task) int {
	running := make([]scheduler.Running, len(cands))
	for i, t := range cands {
		if t.inst != nil {
			running[i] = scheduler.Running{Instance: t.inst.id, CPU: t.ec2.lease.Task.CPU, Memory: t.ec2.lease.Task.Memory}
		}
	}
	if i := s.cl.sched.ChooseStop(s.plan, s.group(), running, m.eng.Rand("ecs/placement")); i >= 0 {
		return i
	}
	return 0
}

// startServiceTask starts one task of deployment d, in the AZ of the
// service's subnets that has the fewest of its tasks. It returns nil when
// no task can be placed, after saying why in the service's events.
func (m *ECS) startServiceTask(s *service, d *deployment) *task {
	if d.launchType == LaunchEC2 {
		return m.startServiceTaskEC2(s, d)
	}
	if !m.launchRoom(s) {
		return nil
	}
	provider := ""
	if len(d.strategy) > 0 {
		if provider = m.serviceProvider(s, d); provider == "" {
			m.placementFailure(s, 6*time.Hour, "(service "+s.name+") was unable to place a task. Reason: "+capacityUnavailable)
			return nil
		}
	}
	sub, ok := m.pickSubnetByCount(d.placement, s.zones)
	if !ok {
		m.placementFailure(s, 6*time.Hour, "(service "+s.name+") was unable to place a task. Reason: "+capacityUnavailable)
		return nil
	}
	t := m.newTask(s.cl, d.td, launch{launchType: LaunchFargate, provider: provider, subnet: sub, svc: s, dep: d}, s.group(), d.id, nil, m.propagatedTags(s, d))
	t.svc, t.dep = s, d
	s.tasks = append(s.tasks, t)
	m.recount(s, t)
	m.countLaunch(s)
	return t
}

func (m *ECS) propagatedTags(s *service, d *deployment) []api.Tag {
	switch s.propagate {
	case "SERVICE":
		return s.tags
	case "TASK_DEFINITION":
		return m.defTags(d.td)
	}
	return nil
}

// pruneDeployments drops non-primary deployments that have no task left
// (they become INACTIVE). The service's list holds only tasks not yet
// STOPPED, so a deployment with none of them has no task left.
//
// With the kept counts a deployment has tasks when its live count is not
// zero; otherwise the service's tasks are walked.
func (m *ECS) pruneDeployments(s *service) {
	for _, d := range s.deployments {
		d.hasTasks = incrementalPasses && d.live > 0
	}
	if !incrementalPasses {
		for _, t := range s.tasks {
			if t.dep != nil {
				t.dep.hasTasks = true
			}
		}
	}
	out := s.deployments[:0]
	for i, d := range s.deployments {
		if i == 0 || d.hasTasks {
			out = append(out, d)
		} else {
			d.status = DeploymentInactive
		}
	}
	if len(out) != len(s.deployments) {
		s.changed()
	}
	s.deployments = out
}

// checkSteady completes the primary deployment and reports the steady
// state once only the primary has tasks, all desired tasks are RUNNING and
// healthy, and none is pending. [API:TaskSet.stabilityStatus]
//
// With the kept counts that is: every task not STOPPED is settled (active,
// RUNNING and healthy) and the primary's, and there are desiredCount of
// them; otherwise the service's tasks are walked.
func (m *ECS) checkSteady(s *service) {
	primary := s.deployments[0]
	running := 0
	if incrementalPasses {
		if verifyQuietCounts {
			m.checkQuietCounts(s)
		}
		if q := s.quiet; q.settled != q.live || primary.live != q.live {
			s.steady = false
			return
		}
		running = s.quiet.live
	}
	for _, t := range walkIf(!incrementalPasses, s.tasks) {
		if t.dep != primary || !t.active() || t.pendingLike() {
			s.steady = false
			return
		}
		if !m.taskHealthy(t) {
			s.steady = false
			return
		}
		running++
	}
	if running != s.desired || len(s.deployments) != 1 {
		s.steady = false
		return
	}
	if primary.rollout == RolloutInProgress && !m.baked(s, primary) {
		// Baking, or an alarm failed the deployment just now.
		if s.deployments[0] != primary || primary.rollout != RolloutInProgress {
			s.steady = false
			return
		}
	} else if primary.rollout == RolloutInProgress {
		primary.rollout = RolloutCompleted
		primary.reason = "ECS deployment " + primary.id + " completed."
		primary.updatedAt = m.eng.Now()
		s.lastCompleted = primary
		m.serviceEventText(s, 0, "(service "+s.name+") (deployment "+primary.id+") deployment completed.")
		m.deploymentEvent(s, primary, "INFO", "SERVICE_DEPLOYMENT_COMPLETED")
		m.deploymentCompleted(primary)
	}
	if !s.steady {
		s.steady = true
		m.serviceEventText(s, 0, "(service "+s.name+") has reached a steady state.")
		m.serviceAction(s, "INFO", "SERVICE_STEADY_STATE")
	}
}

// serviceProvider picks the capacity provider for the next task of a
// deployment from its strategy, counting the deployment's active tasks per
// provider. A provider without capacity (Fargate Spot when the market has
// none) is skipped while another is still below its share of the desired
// count; "" means nothing can start.
func (m *ECS) serviceProvider(s *service, d *deployment) string {
	counts := d.activeByProvider
	p := pickProvider(d.strategy, counts)
	if p != ProviderFargateSpot || !m.spot.unavailable {
		return p
	}
	target := splitStrategy(d.strategy, max(s.desired, 1))
	for i, it := range d.strategy {
		name := api.Deref(it.CapacityProvider)
		if name != ProviderFargateSpot && counts[name] < target[i] {
			return name
		}
	}
	return ""
}
