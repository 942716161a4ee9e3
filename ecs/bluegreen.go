package ecs

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Lifecycle stages of a blue/green, linear or canary deployment, in
// order. [API enum ServiceDeploymentLifecycleStage]
const (
	StageReconcileService           = "RECONCILE_SERVICE"
	StagePreScaleUp                 = "PRE_SCALE_UP"
	StageScaleUp                    = "SCALE_UP"
	StagePostScaleUp                = "POST_SCALE_UP"
	StageTestTrafficShift           = "TEST_TRAFFIC_SHIFT"
	StagePostTestTrafficShift       = "POST_TEST_TRAFFIC_SHIFT"
	StageProductionTrafficShift     = "PRODUCTION_TRAFFIC_SHIFT"
	StagePostProductionTrafficShift = "POST_PRODUCTION_TRAFFIC_SHIFT"
	StageBakeTime                   = "BAKE_TIME"
	StageCleanUp                    = "CLEAN_UP"
)

// EventDeploymentLifecycle is the trace type of a blue/green deployment
// entering a lifecycle stage or shifting production traffic. ecssim's
// own: ECS publishes no EventBridge event for a stage.
const EventDeploymentLifecycle = "ECS Deployment Lifecycle Stage"

// DeploymentLifecycle is the trace detail of EventDeploymentLifecycle.
type DeploymentLifecycle struct {
	DeploymentId string `json:"deploymentId"`
	Stage        string `json:"lifecycleStage"`
	// GreenPercent is the share of production traffic the green revision
	// receives from this instant on.
	GreenPercent int `json:"greenPercent"`
}

// Weight is a target group's weight in a listener rule's forward action.
type Weight struct {
	TargetGroupArn string
	Weight         int32
}

// bgLB is one load balancer of a blue/green deployment: the group blue
// serves from, the group green scales up in, and the rules to shift.
type bgLB struct {
	configured  string // the loadBalancers entry's targetGroupArn
	blue, green string
	prod, test  string // listener rule (or listener) ARNs; test may be ""
}

// bgRun is the execution of a BLUE_GREEN, LINEAR or CANARY deployment:
// the green deployment scales up beside blue, traffic shifts by the
// production rule's weights, and blue scales down after the bake time.
// [DG:deployment-type-blue-green] [DG:deployment-type-linear] [DG:deployment-type-canary]
type bgRun struct {
	strategy string
	stage    string
	blue     *deployment
	lbs      []bgLB
	green    int      // production percent green receives
	next     sim.Time // the end of the current wait; 0 when none
	bake     time.Duration
	stepPct  float64
	stepWait time.Duration

	hooks      []DeploymentLifecycleHook // as configured when it began
	hookDone   map[string]bool           // hooks done, by stage and index
	cur        *hookRun                  // the hook running or last run
	stageHooks []*hookRun                // the hooks of cur's stage
}

// targetGroupOf returns the target group a task of d registers in for a
// loadBalancers entry naming configured: the group the deployment was
// given when it began (a blue/green deployment's green group, or the
// group live at the time), else configured.
func (d *deployment) targetGroupOf(configured string) string {
	if g, ok := d.x.tgs[configured]; ok {
		return g
	}
	return configured
}

// liveGroups returns, for each loadBalancers entry of s with a target
// group, the group serving production now: after a completed blue/green
// deployment, the alternate and primary groups have swapped roles. It is
// nil (each group is its own) until a blue/green deployment swaps them.
func (s *service) liveGroups() map[string]string {
	if len(s.live) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, lb := range s.lbs {
		if lb.TargetGroupArn == nil {
			continue
		}
		g := *lb.TargetGroupArn
		if l, ok := s.live[g]; ok {
			g = l
		}
		out[*lb.TargetGroupArn] = g
	}
	return out
}

// bgStart begins the blue/green execution of a new deployment d of s
// (not a rollback): with a strategy other than ROLLING, a load balancer
// with an advancedConfiguration and an earlier deployment still running
// tasks (blue). The first deployment of a service has no blue: it starts
// in the live groups like a rolling one.
func (m *ECS) bgStart(s *service, d *deployment) {
	live := s.liveGroups()
	d.x.tgs = live
	strategy := api.Deref(s.deployCfg.Strategy)
	if strategy == "" || strategy == StrategyRolling {
		return
	}
	if strategy == "" || strategy == StrategyRolling || m.cfg.LoadBalancing == nil || len(s.deployments) < 2 {
		return
	}
	blue := s.deployments[1]
	if prev := blue.x.bg; prev != nil && prev.stage != StageCleanUp && m.hasActiveTasks(s, prev.blue) {
		// A deployment replaces one still shifting: production goes back
		// to the revision that served it before, and the replaced green
		// scales in. See docs/fidelity.md.
		blue = prev.blue
	}
	if !m.hasActiveTasks(s, blue) {
		return
	}
	run := &bgRun{strategy: strategy, blue: blue, stage: StageReconcileService,
		hooks: append([]DeploymentLifecycleHook(nil), s.deployCfg.LifecycleHooks...), hookDone: map[string]bool{}}
	run.bake = time.Duration(api.Deref(s.deployCfg.BakeTimeInMinutes)) * time.Minute
	switch strategy {
	case StrategyLinear:
		lc := s.deployCfg.LinearConfiguration
		run.stepPct, run.stepWait = DefaultStepPercent, DefaultStepBakeTimeInMinutes*time.Minute
		if lc != nil && lc.StepPercent != nil {
			run.stepPct = *lc.StepPercent
		}
		if lc != nil && lc.StepBakeTimeInMinutes != nil {
			run.stepWait = time.Duration(*lc.StepBakeTimeInMinutes) * time.Minute
		}
	case StrategyCanary:
		cc := s.deployCfg.CanaryConfiguration
		run.stepPct, run.stepWait = DefaultCanaryPercent, DefaultCanaryBakeMinutes*time.Minute
		if cc != nil && cc.CanaryPercent != nil {
			run.stepPct = *cc.CanaryPercent
		}
		if cc != nil && cc.CanaryBakeTimeInMinutes != nil {
			run.stepWait = time.Duration(*cc.CanaryBakeTimeInMinutes) * time.Minute
		}
	}
	tgs := map[string]string{}
	for configured, g := range live {
		tgs[configured] = g
	}
	for _, lb := range s.lbs {
		ac := lb.AdvancedConfiguration
		if ac == nil || lb.TargetGroupArn == nil {
			continue
		}
		conf := *lb.TargetGroupArn
		x := bgLB{configured: conf, blue: blue.targetGroupOf(conf), prod: api.Deref(ac.ProductionListenerRule), test: api.Deref(ac.TestListenerRule)}
		// The alternate and the primary group swap roles after each
		// blue/green deployment: green takes the one blue is not in.
		x.green = api.Deref(ac.AlternateTargetGroupArn)
		if x.blue == x.green {
			x.green = conf
		}
		tgs[conf] = x.green
		run.lbs = append(run.lbs, x)
	}
	if len(run.lbs) == 0 {
		return
	}
	d.x.tgs = tgs
	d.x.bg = run
	m.bgStage(s, d, StageReconcileService)
	// Production and test traffic stay on blue; naming green's group at
	// weight 0 lets its load balancer check green's targets.
	m.bgWeights(run, 0, true)
}

// hasActiveTasks reports whether d has a task that is not stopping.
func (m *ECS) hasActiveTasks(s *service, d *deployment) bool {
	for _, t := range s.tasks {
		if t.dep == d && t.active() {
			return true
		}
	}
	return false
}

// bgWeights sets the production rules' weights to green percent of the
// traffic (blue the rest), and the test rules' too when test.
func (m *ECS) bgWeights(run *bgRun, green int, test bool) {
	lbs := m.cfg.LoadBalancing
	for _, x := range run.lbs {
		ws := []Weight{{TargetGroupArn: x.blue, Weight: int32(100 - green)}, {TargetGroupArn: x.green, Weight: int32(green)}}
		_ = lbs.SetForwardWeights(x.prod, ws) // a rule deleted since: nothing to shift
		if test && x.test != "" {
			_ = lbs.SetForwardWeights(x.test, ws)
		}
	}
}

// bgStage records that d entered a lifecycle stage.
func (m *ECS) bgStage(s *service, d *deployment, stage string) {
	run := d.x.bg
	run.stage = stage
	if sd := d.x.sd; sd != nil {
		sd.updatedAt = m.eng.Now()
	}
	m.eng.Record(sim.Event{Type: EventDeploymentLifecycle, Source: SourceECS, Resources: []string{s.arn},
		Detail: DeploymentLifecycle{DeploymentId: d.id, Stage: stage, GreenPercent: run.green}})
}

// bgShift moves production traffic to green percent, recorded.
func (m *ECS) bgShift(s *service, d *deployment, green int) {
	run := d.x.bg
	run.green = green
	m.bgWeights(run, green, false)
	m.eng.Record(sim.Event{Type: EventDeploymentLifecycle, Source: SourceECS, Resources: []string{s.arn},
		Detail: DeploymentLifecycle{DeploymentId: d.id, Stage: run.stage, GreenPercent: green}})
}

// stepWeight is a production percentage as a whole-number weight: ELB
// weights are integers, so a step of 2.5 % shifts 3 % (at least 1 %
// for a non-zero step). See docs/fidelity.md.
func stepWeight(p float64) int {
	w := int(math.Round(p))
	if w < 1 && p > 0 {
		w = 1
	}
	return min(w, 100)
}

// bgKeeps reports whether the scheduler keeps the tasks of an older
// deployment old while d runs blue/green: only blue's stay until CLEAN_UP.
func (d *deployment) bgKeeps(old *deployment) bool {
	return d.bgRunning() && d.x.bg.blue == old
}

// bgHoldsScaleUp reports whether d's green may not start yet: before
// SCALE_UP (its RECONCILE_SERVICE and PRE_SCALE_UP hooks run first).
func (d *deployment) bgHoldsScaleUp() bool {
	return d.bgRunning() && (d.x.bg.stage == StageReconcileService || d.x.bg.stage == StagePreScaleUp)
}

// bgRunning reports whether d's blue/green execution holds blue's tasks:
// from the start until the bake time is over.
func (d *deployment) bgRunning() bool {
	return d.x.bg != nil && d.rollout == RolloutInProgress && d.x.bg.stage != StageCleanUp
}

// bgAdvance moves a blue/green deployment through its stages as far as
// it can go now, and asks to be woken when a wait ends. The service
// scheduler calls it at the start of every pass.
func (m *ECS) bgAdvance(s *service, d *deployment) {
	run := d.x.bg
	if run == nil || d.rollout != RolloutInProgress {
		return
	}
	now := m.eng.Now()
	for {
		switch run.stage {
		case StageReconcileService, StagePreScaleUp:
			if !m.bgHooksDone(s, d, run.stage) {
				return
			}
			next := StagePreScaleUp
			if run.stage == StagePreScaleUp {
				next = StageScaleUp
				m.kick(s) // green may start now
			}
			m.bgStage(s, d, next)
		case StageScaleUp:
			// Green scales up to the desired count and every task must
			// be healthy (running, checks and targets) before traffic
			// moves. [API:ServiceDeployment.lifecycleStage]
			if m.greenHealthy(s, d) < s.desired {
				return
			}
			m.bgStage(s, d, StagePostScaleUp)
		case StagePostScaleUp:
			if !m.bgHooksDone(s, d, run.stage) {
				return
			}
			m.bgStage(s, d, StageTestTrafficShift)
			for _, x := range run.lbs {
				if x.test != "" {
					_ = m.cfg.LoadBalancing.SetForwardWeights(x.test, []Weight{{TargetGroupArn: x.blue, Weight: 0}, {TargetGroupArn: x.green, Weight: 100}})
				}
			}
		case StageTestTrafficShift:
			if !m.bgHooksDone(s, d, run.stage) {
				return
			}
			m.bgStage(s, d, StagePostTestTrafficShift)
		case StagePostTestTrafficShift:
			if !m.bgHooksDone(s, d, run.stage) || !m.bgHooksDone(s, d, StagePreProductionTrafficShift) {
				return
			}
			m.bgStage(s, d, StageProductionTrafficShift)
			run.next = 0
		case StageProductionTrafficShift:
			if run.green == 100 {
				// Shifted: the stage's hooks, then on.
				if !m.bgHooksDone(s, d, run.stage) {
					return
				}
				m.bgStage(s, d, StagePostProductionTrafficShift)
				continue
			}
			if run.next != 0 && now < run.next {
				m.wakeAt(s, run.next)
				return
			}
			green := 100
			switch run.strategy {
			case StrategyLinear:
				green = min(100, run.green+stepWeight(run.stepPct))
				if run.green == 0 {
					green = min(100, stepWeight(run.stepPct))
				}
			case StrategyCanary:
				if run.green == 0 {
					green = stepWeight(run.stepPct)
				}
			}
			m.bgShift(s, d, green)
			if green < 100 {
				run.next = now.Add(run.stepWait)
				if run.stepWait == 0 {
					run.next = 0
					continue
				}
				m.wakeAt(s, run.next)
				return
			}
			// Green serves production: the groups swap roles.
			if s.live == nil {
				s.live = map[string]string{}
			}
			for _, x := range run.lbs {
				s.live[x.configured] = x.green
			}
		case StagePostProductionTrafficShift:
			if !m.bgHooksDone(s, d, run.stage) {
				return
			}
			m.bgStage(s, d, StageBakeTime)
			run.next = now.Add(run.bake)
		case StageBakeTime:
			// Both revisions run through the bake time, so that a
			// rollback can shift traffic back at once. [API:DeploymentConfiguration.bakeTimeInMinutes]
			if now < run.next {
				m.wakeAt(s, run.next)
				return
			}
			m.bgStage(s, d, StageCleanUp)
			if w := d.x.alarms; w != nil && w.bakeEnd == 0 {
				w.bakeEnd = now // the bake time was BAKE_TIME: complete at steady state
			}
			m.kick(s)
			return
		default:
			return
		}
	}
}

// greenHealthy counts d's tasks that are healthy.
func (m *ECS) greenHealthy(s *service, d *deployment) int {
	n := 0
	for _, t := range s.tasks {
		if t.dep == d && t.active() && m.taskHealthy(t) {
			n++
		}
	}
	return n
}

// bgRollback rolls a blue/green deployment back at once: the rollback
// deployment d takes over blue's tasks, which still run, production and
// test traffic shift back to blue, and the scheduler then stops green's
// tasks as an older deployment's. It reports whether failed had a
// blue/green execution whose blue could be taken over.
// [DG:deployment-type-blue-green] ("roll back ... by shifting traffic back")
func (m *ECS) bgRollback(s *service, d, failed *deployment) bool {
	run := failed.x.bg
	if run == nil || run.blue != s.lastCompleted || !m.hasActiveTasks(s, run.blue) {
		return false
	}
	blue := run.blue
	for _, t := range s.tasks {
		if t.dep == blue {
			t.dep = d
			if t.startedBy == blue.id {
				t.startedBy = d.id // the deployment that owns it now; see docs/fidelity.md
			}
		}
	}
	d.activeByProvider, blue.activeByProvider = blue.activeByProvider, nil
	d.live, d.active, d.settled = d.live+blue.live, d.active+blue.active, d.settled+blue.settled
	blue.live, blue.active, blue.settled = 0, 0, 0
	d.anyRunning = true
	d.x.tgs = blue.x.tgs
	m.bgWeights(run, 0, true)
	if s.live == nil {
		s.live = map[string]string{}
	}
	for _, x := range run.lbs {
		s.live[x.configured] = x.blue
	}
	run.green = 0
	m.eng.Record(sim.Event{Type: EventDeploymentLifecycle, Source: SourceECS, Resources: []string{s.arn},
		Detail: DeploymentLifecycle{DeploymentId: failed.id, Stage: run.stage, GreenPercent: 0}})
	return true
}

// String renders a lifecycle detail for a trace line.
func (l DeploymentLifecycle) String() string {
	return fmt.Sprintf("deployment %s %s green=%d%%", l.DeploymentId, strings.ToLower(l.Stage), l.GreenPercent)
}
