package metrics

import (
	"github.com/ecssim/ecssim/internal/records"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sim"
)

// ID names one metric; it indexes [Result.Values].
type ID int

// The metrics of a run, in the order they are printed.
const (
	// TimeToSteady is, in seconds, the time from the start of each
	// service's latest deployment (a circuit-breaker rollback counts as
	// part of the deployment it undoes) to its first steady state after
	// it; the longest over the services. +Inf when a service never got
	// there.
	TimeToSteady ID = iota
	// DeployTime is, in seconds, the longest time a deployment took, from
	// SERVICE_DEPLOYMENT_IN_PROGRESS until the service next had a
	// deployment COMPLETED; +Inf when one was still in progress at the
	// end.
	DeployTime
	// MinRunning is the lowest number of RUNNING tasks of a service while
	// a deployment other than its first was in progress; the lowest over
	// the services. NaN when no such deployment happened.
	MinRunning
	// MinHealthy is MinRunning counting only healthy tasks, by the rule
	// the service scheduler applies to minimumHealthyPercent: RUNNING and
	// not told to stop; every essential container that defines a health
	// check HEALTHY (essential containers without one, such as a log
	// router, do not hold a task back), or, when none defines one and the
	// service has no load balancer, 40 s past RUNNING; and with a load
	// balancer, every target of the task healthy. It is re-derived from
	// DescribeTasks, DescribeTaskDefinition and DescribeTargetHealth, not
	// read from the task's healthStatus.
	MinHealthy
	// FailedTasks counts the tasks of services that stopped for a reason
	// of their own: they failed to start, an essential container exited,
	// they failed health checks, or their infrastructure went away.
	FailedTasks
	// CircuitBreakerTrips counts the deployments that failed
	// (SERVICE_DEPLOYMENT_FAILED).
	CircuitBreakerTrips
	// ScalingActivities counts the Application Auto Scaling activities on
	// services.
	ScalingActivities
	// PeakTasks is the largest number of tasks, of any service or none,
	// that existed at once (launched and not yet STOPPED).
	PeakTasks
	// CostUSD is what the run cost, the sum of DescribeCosts' cluster
	// totals.
	CostUSD
	// ExpectFailed counts the checks that did not hold, plus one when a
	// step's call failed and stopped the run.
	ExpectFailed
	// Passed is 1 when every expectation held and no step failed, else 0.
	Passed

	// Count is the number of metrics.
	Count int = iota
)

// Metric describes one metric.
type Metric struct {
	ID ID
	// Name is the metric's name in output: a column, a key.
	Name string
	// Unit is "s" for durations, "USD" for money, "" for counts.
	Unit string
}

// All lists every metric, in ID order.
var All = [Count]Metric{
	{TimeToSteady, "time_to_steady", "s"},
	{DeployTime, "deploy_time", "s"},
	{MinRunning, "min_running", ""},
	{MinHealthy, "min_healthy", ""},
	{FailedTasks, "failed_tasks", ""},
	{CircuitBreakerTrips, "cb_trips", ""},
	{ScalingActivities, "scaling_activities", ""},
	{PeakTasks, "peak_tasks", ""},
	{CostUSD, "cost_usd", "USD"},
	{ExpectFailed, "expect_failed", ""},
	{Passed, "passed", ""},
}

// Lookup returns the metric with the given name.
func Lookup(name string) (Metric, bool) {
	for _, m := range All {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// Format prints a value of metric m: seconds as a duration ("1m24s"),
// money with cents, counts whole; "-" for NaN (does not apply) and
// "never" for +Inf.
func (m Metric) Format(v float64) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case math.IsInf(v, 1):
		return "never"
	}
	switch m.Unit {
	case "s":
		return shortDuration(time.Duration(v * float64(time.Second)))
	case "USD":
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// shortDuration prints d to the millisecond below a minute and to the
// second above: "850ms", "12.5s", "1m24s".
func shortDuration(d time.Duration) string {
	if d >= time.Minute {
		return d.Truncate(time.Second).String()
	}
	return d.Truncate(time.Millisecond).String()
}

// Deployment is what one deployment did.
type Deployment struct {
	// Service is "cluster/service".
	Service string
	// ID is the deployment's ID, "ecs-svc/…".
	ID string
	// Rollback reports whether the circuit breaker started it.
	Rollback bool
	// Start is when it began, since the start of the run.
	Start time.Duration
	// End is when it completed or failed; negative while in progress.
	End time.Duration
	// State is COMPLETED, FAILED or IN_PROGRESS.
	State string
	// MinRunning and MinHealthy are the lowest counts of the service's
	// RUNNING and healthy tasks while it was in progress.
	MinRunning, MinHealthy int
}

// For returns the metrics of a run of s: every built-in metric ([All]),
// then the metrics s defines, in file order, with IDs from [Count] on.
// (The scenario's parser refuses a metric named like a built-in one.)
func For(s *scenario.Scenario) []Metric {
	out := slices.Clone(All[:])
	if s == nil {
		return out
	}
	for i, m := range s.Metrics {
		out = append(out, Metric{ID: ID(Count + i), Name: m.Name})
	}
	return out
}

// Result is the metrics of one run.
type Result struct {
	// Values are the metrics: the built-in ones indexed by [ID], then the
	// scenario's own in file order (see [For]).
	Values []float64
	// Metrics describe Values, in the same order.
	Metrics []Metric
	// Deployments are the run's deployments, in the order they began.
	Deployments []Deployment
}

// Recorder watches a run's trace. Make one with [Attach].
type Recorder struct {
	w        *ecssim.World
	start    sim.Time
	services map[string]*service // by ARN
	order    []*service          // in order of first sight
	tasks    map[string]*task    // live tasks, by ARN
	checked  map[string][]string // task definition ARN: its essential containers with a health check
	deps     []*Deployment
	failed   int
	trips    int
	scaling  int
	peak     int

	defs   []scenario.Metric
	counts []float64        // by index in defs
	byType map[string][]int // trace event type: count metrics of it
	byName map[string][]int // ECS service event name: count metrics of it
	arns   map[int]string   // count metric: its service's ARN suffix ":service/cluster/name"
}

type service struct {
	arn, name      string
	cluster, short string // the two halves of name
	running        int
	// healthy is the set of tasks last found healthy, read during
	// deployments other than the first.
	healthy         map[string]bool
	deployments     int            // deployments seen, the first included
	active          map[string]int // deployments in progress: index in deps
	lastDeployAt    sim.Time       // latest non-rollback deployment
	settledAt       sim.Time       // first steady state after lastDeployAt
	inProgressSince sim.Time       // start of the current span with a deployment in progress; 0 if none
	longest         time.Duration
	open            bool // a deployment is in progress
}

type task struct {
	svc     *service
	running bool
}

// Attach starts measuring w: it observes its trace from now on. Attach
// before the first step (scenario.Options.OnWorld). defs are the
// scenario's own metrics (Scenario.Metrics), measured after the built-in
// ones.
func Attach(w *ecssim.World, defs ...scenario.Metric) *Recorder {
	r := &Recorder{w: w, start: w.Engine().Now(), services: map[string]*service{},
		tasks: map[string]*task{}, checked: map[string][]string{}, defs: defs, counts: make([]float64, len(defs))}
	for i, d := range defs {
		if d.Kind != scenario.MetricCount {
			continue
		}
		if r.byType == nil {
			r.byType, r.byName, r.arns = map[string][]int{}, map[string][]int{}, map[int]string{}
		}
		if slices.Contains(scenario.EventNames, d.Count) {
			r.byName[d.Count] = append(r.byName[d.Count], i)
		} else {
			r.byType[d.Count] = append(r.byType[d.Count], i)
		}
		if d.Service != "" {
			r.arns[i] = ":service/" + d.Cluster + "/" + d.Service
		}
	}
	// The recorder keeps nothing of a record beyond the call (strings
	// only), so the model may keep reusing its event details.
	w.Trace().ObserveEvents(r.record)
	return r
}

func (r *Recorder) service(arn string) *service {
	s := r.services[arn]
	if s == nil {
		name := arn
		if _, rest, ok := strings.Cut(arn, ":service/"); ok {
			name = rest
		}
		s = &service{arn: arn, name: name, active: map[string]int{}}
		s.cluster, s.short, _ = strings.Cut(name, "/")
		r.services[arn] = s
		r.order = append(r.order, s)
	}
	return s
}

func (r *Recorder) record(rec sim.Record) {
	if r.byType != nil {
		r.count(rec)
	}
	switch rec.Type {
	case ecs.EventTaskStateChange:
		d, ok := rec.Detail.(*ecs.TaskStateChange)
		if !ok || d == nil {
			if v, ok := rec.Detail.(ecs.TaskStateChange); ok {
				d = &v
			} else {
				return
			}
		}
		r.task(d)
	case ecs.EventDeploymentStateChange:
		d, ok := detail[ecs.DeploymentStateChange](rec)
		if ok && len(rec.Resources) > 0 {
			r.deployment(rec.Time, r.service(rec.Resources[0]), d)
		}
	case ecs.EventServiceAction:
		d, ok := detail[ecs.ServiceAction](rec)
		if ok && len(rec.Resources) > 0 && d.EventName == "SERVICE_STEADY_STATE" {
			s := r.service(rec.Resources[0])
			if s.lastDeployAt != 0 && s.settledAt == 0 {
				s.settledAt = rec.Time
			}
		}
	case elb.EventTargetHealthChange:
		// A target that turns unhealthy or starts draining lowers its
		// service's healthy count without a task event.
		if d, ok := detail[elb.TargetHealthChange](rec); ok && d.PreviousState == elb.HealthHealthy {
			for _, s := range r.order {
				r.observe(s, true)
			}
		}
	case autoscaling.EventScalingActivity:
		if d, ok := detail[autoscaling.ActivityDetail](rec); ok && strings.HasPrefix(d.ResourceId, "service/") {
			r.scaling++
		}
	}
}

// count counts rec for the count metrics it matches.
func (r *Recorder) count(rec sim.Record) {
	for _, i := range r.byType[rec.Type] {
		if r.ofService(rec, i) {
			r.counts[i]++
		}
	}
	if len(r.byName) == 0 {
		return
	}
	var name string
	switch rec.Type {
	case ecs.EventServiceAction:
		d, _ := detail[ecs.ServiceAction](rec)
		name = d.EventName
	case ecs.EventDeploymentStateChange:
		d, _ := detail[ecs.DeploymentStateChange](rec)
		name = d.EventName
	default:
		return
	}
	for _, i := range r.byName[name] {
		if r.ofService(rec, i) {
			r.counts[i]++
		}
	}
}

// ofService reports whether rec concerns the service of count metric i,
// or whether the metric counts every service's events.
func (r *Recorder) ofService(rec sim.Record, i int) bool {
	suffix, ok := r.arns[i]
	if !ok {
		return true
	}
	if rec.Type == ecs.EventTaskStateChange {
		d, ok := detail[ecs.TaskStateChange](rec)
		return ok && strings.HasSuffix(records.ServiceARN(d.ClusterArn, d.Group), suffix)
	}
	return len(rec.Resources) > 0 && strings.HasSuffix(rec.Resources[0], suffix)
}

// detail returns an event's detail as T, whether stored as T or *T.
func detail[T any](rec sim.Record) (T, bool) {
	switch d := rec.Detail.(type) {
	case T:
		return d, true
	case *T:
		if d != nil {
			return *d, true
		}
	}
	var zero T
	return zero, false
}

func (r *Recorder) task(d *ecs.TaskStateChange) {
	t := r.tasks[d.TaskArn]
	if t == nil {
		if d.LastStatus == ecs.StatusStopped {
			return
		}
		t = &task{}
		if arn := records.ServiceARN(d.ClusterArn, d.Group); arn != "" {
			t.svc = r.service(arn)
		}
		r.tasks[d.TaskArn] = t
		r.peak = max(r.peak, len(r.tasks))
	}
	running := d.LastStatus == ecs.StatusRunning
	if s := t.svc; s != nil {
		s.running += b2i(running) - b2i(t.running)
		// Only a task last found healthy can lower the healthy count
		// (tasks that turn healthy in between only raise it).
		r.observe(s, s.healthy[d.TaskArn])
	}
	t.running = running
	if d.LastStatus == ecs.StatusStopped {
		delete(r.tasks, d.TaskArn)
		if t.svc != nil && failed(d) {
			r.failed++
		}
	}
}

// observe lowers the minimums of the service's deployments in progress,
// reading the healthy count again when recount is set. The healthy count
// falls only at an event the recorder sees (a task that was healthy
// changes state or health, a target's health changes), so reading it at
// those instants finds its minimum.
func (r *Recorder) observe(s *service, recount bool) {
	if len(s.active) == 0 {
		return
	}
	healthy := -1
	if recount {
		healthy = r.healthyCount(s)
	}
	for _, i := range s.active {
		dep := r.deps[i]
		dep.MinRunning = min(dep.MinRunning, s.running)
		if healthy >= 0 {
			dep.MinHealthy = min(dep.MinHealthy, healthy)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// failed reports whether a stopped task stopped for a reason of its own.
func failed(d *ecs.TaskStateChange) bool {
	switch d.StopCode {
	case ecs.StopUserInitiated:
		return false
	case ecs.StopServiceSchedulerInitiated:
		return strings.Contains(d.StoppedReason, "health check")
	}
	return true
}

func (r *Recorder) deployment(at sim.Time, s *service, d ecs.DeploymentStateChange) {
	switch d.EventName {
	case "SERVICE_DEPLOYMENT_IN_PROGRESS":
		rollback := strings.Contains(d.Reason, "circuit breaker")
		s.deployments++
		dep := &Deployment{Service: s.name, ID: d.DeploymentId, Rollback: rollback,
			Start: at.Sub(r.start), End: -1, State: ecs.RolloutInProgress,
			MinRunning: s.running}
		if s.deployments > 1 {
			// The service's first deployment starts from nothing; only
			// later ones show how low a rollout takes the counts.
			s.active[d.DeploymentId] = len(r.deps)
			dep.MinHealthy = r.healthyCount(s)
		} else {
			dep.MinRunning, dep.MinHealthy = -1, -1
		}
		r.deps = append(r.deps, dep)
		if !rollback {
			s.lastDeployAt, s.settledAt = at, 0
		}
		if !s.open {
			s.open, s.inProgressSince = true, at
		}
	case "SERVICE_DEPLOYMENT_COMPLETED", "SERVICE_DEPLOYMENT_FAILED":
		state := ecs.RolloutCompleted
		if d.EventName == "SERVICE_DEPLOYMENT_FAILED" {
			state = ecs.RolloutFailed
			r.trips++
		}
		for i := len(r.deps) - 1; i >= 0; i-- {
			if dep := r.deps[i]; dep.ID == d.DeploymentId && dep.Service == s.name && dep.End < 0 {
				dep.End, dep.State = at.Sub(r.start), state
				break
			}
		}
		delete(s.active, d.DeploymentId)
		if state == ecs.RolloutCompleted && s.open {
			s.longest = max(s.longest, at.Sub(s.inProgressSince))
			s.open = false
		}
	}
}

// Result returns the metrics of the run, from what the trace showed and
// from the World's API at the end. out and runErr are what scenario.Run
// returned.
func (r *Recorder) Result(out *scenario.Outcome, runErr error) Result {
	res := Result{Values: make([]float64, Count+len(r.defs)), Metrics: slices.Clone(All[:])}
	for i, d := range r.defs {
		res.Metrics = append(res.Metrics, Metric{ID: ID(Count + i), Name: d.Name})
	}
	v := res.Values
	v[TimeToSteady], v[DeployTime] = math.NaN(), math.NaN()
	v[MinRunning], v[MinHealthy] = math.NaN(), math.NaN()
	for _, s := range r.order {
		if s.lastDeployAt != 0 {
			tts := math.Inf(1)
			if s.settledAt != 0 {
				tts = s.settledAt.Sub(s.lastDeployAt).Seconds()
			}
			v[TimeToSteady] = nanMax(v[TimeToSteady], tts)
		}
		if s.deployments > 0 {
			longest := s.longest.Seconds()
			if s.open {
				longest = math.Inf(1)
			}
			v[DeployTime] = nanMax(v[DeployTime], longest)
		}
	}
	for _, dep := range r.deps {
		res.Deployments = append(res.Deployments, *dep)
		if dep.MinRunning >= 0 {
			v[MinRunning] = nanMin(v[MinRunning], float64(dep.MinRunning))
			v[MinHealthy] = nanMin(v[MinHealthy], float64(dep.MinHealthy))
		}
	}
	v[FailedTasks] = float64(r.failed)
	v[CircuitBreakerTrips] = float64(r.trips)
	v[ScalingActivities] = float64(r.scaling)
	v[PeakTasks] = float64(r.peak)
	if costs, err := r.w.ECS().DescribeCosts(&ecs.DescribeCostsInput{}); err == nil {
		for _, c := range costs.Costs {
			if c.Service == "" {
				v[CostUSD] += c.USD
			}
		}
	}
	failures := 0
	if out != nil {
		failures = len(out.Failures())
	}
	if runErr != nil {
		failures++
	}
	v[ExpectFailed] = float64(failures)
	v[Passed] = float64(b2i(failures == 0))
	for i, d := range r.defs {
		switch {
		case d.Kind == scenario.MetricCount:
			v[Count+i] = r.counts[i]
		case out != nil && i < len(out.Samples):
			v[Count+i] = out.Samples[i]
		default:
			v[Count+i] = math.NaN()
		}
	}
	return res
}

func nanMax(a, b float64) float64 {
	if math.IsNaN(a) {
		return b
	}
	return math.Max(a, b)
}

func nanMin(a, b float64) float64 {
	if math.IsNaN(a) {
		return b
	}
	return math.Min(a, b)
}
