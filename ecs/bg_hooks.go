package ecs

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Lifecycle hook target types, statuses and actions.
// [API enum DeploymentLifecycleHookTargetType] [API enum DeploymentLifecycleHookStatus]
// [API enum DeploymentLifecycleHookAction]
const (
	HookLambda         = "AWS_LAMBDA"
	HookPause          = "PAUSE"
	HookAwaitingAction = "AWAITING_ACTION"
	HookInProgress     = "IN_PROGRESS"
	HookSucceeded      = "SUCCEEDED"
	HookFailed         = "FAILED"
	HookTimedOut       = "TIMED_OUT"
	HookContinue       = "CONTINUE"
	HookRollback       = "ROLLBACK"
)

// StagePreProductionTrafficShift is the hook stage between the test and
// the production traffic shifts; it is no lifecycleStage of its own.
// [API enum DeploymentLifecycleHookStage]
const StagePreProductionTrafficShift = "PRE_PRODUCTION_TRAFFIC_SHIFT"

// HookCallbackDelay is how long ECS waits before invoking a Lambda hook
// again after it answered IN_PROGRESS. [DG:lambda-lifecycle-hooks]
// ("By default, the delay is 30 seconds")
const HookCallbackDelay = 30 * time.Second

// DefaultHookTimeout and DefaultHookTimeoutAction apply to a hook without
// a timeoutConfiguration. The API gives no default; see docs/fidelity.md.
const (
	DefaultHookTimeout       = 60 * time.Minute
	DefaultHookTimeoutAction = HookRollback
)

// HookBehaviour is how a simulated Lambda hook function answers: it
// answers IN_PROGRESS for Duration, then Status (SUCCEEDED or FAILED).
// A function without a behaviour succeeds at its first invocation.
type HookBehaviour struct {
	Status   string
	Duration time.Duration
}

// hookRun is one lifecycle hook invoked at one stage.
type hookRun struct {
	key           string // stage and hook index
	stage         string
	id            string
	hook          DeploymentLifecycleHook
	status        string
	expiresAt     sim.Time
	answersAt     sim.Time // a Lambda hook's final answer; Never for PAUSE
	answer        string
	timeoutAction string
	done          bool
}

// bgHooksDone runs the hooks of a stage one at a time, in the order the
// service lists them, and reports whether all have let the deployment
// go on. A hook that fails, or times out with ROLLBACK, fails and rolls
// back the deployment. [DG:deployment-lifecycle-hooks]
func (m *ECS) bgHooksDone(s *service, d *deployment, stage string) bool {
	run := d.x.bg
	now := m.eng.Now()
	for i, h := range run.hooks {
		if !slices.Contains(h.LifecycleStages, stage) {
			continue
		}
		key := fmt.Sprintf("%s/%d", stage, i)
		if run.hookDone[key] {
			continue
		}
		cur := run.cur
		if cur == nil || cur.key != key {
			cur = m.startHook(s, d, stage, key, h)
		}
		switch {
		case cur.done:
		case cur.answersAt <= now && cur.answersAt < cur.expiresAt:
			cur.status = cur.answer
			m.hookEvent(s, d, stage, cur)
			if cur.answer == HookFailed {
				m.bgFail(s, d, "ECS deployment "+d.id+" failed: lifecycle hook "+api.Deref(h.HookTargetArn)+" returned FAILED at "+stage+".")
				return false
			}
		case cur.expiresAt <= now:
			cur.status = HookTimedOut
			m.hookEvent(s, d, stage, cur)
			if cur.timeoutAction == HookRollback {
				m.bgFail(s, d, "ECS deployment "+d.id+" failed: lifecycle hook timed out at "+stage+".")
				return false
			}
		default:
			m.wakeAt(s, min(cur.answersAt, cur.expiresAt))
			return false
		}
		run.hookDone[key] = true
	}
	return true
}

// startHook invokes a hook: a PAUSE hook awaits ContinueServiceDeployment;
// a Lambda hook is invoked every HookCallbackDelay until its simulated
// function stops answering IN_PROGRESS.
func (m *ECS) startHook(s *service, d *deployment, stage, key string, h DeploymentLifecycleHook) *hookRun {
	run := d.x.bg
	now := m.eng.Now()
	timeout, action := DefaultHookTimeout, DefaultHookTimeoutAction
	if tc := h.TimeoutConfiguration; tc != nil {
		if tc.TimeoutInMinutes != nil {
			timeout = time.Duration(*tc.TimeoutInMinutes) * time.Minute
		}
		if tc.Action != nil {
			action = *tc.Action
		}
	}
	hr := &hookRun{key: key, stage: stage, hook: h, id: sim.HexID(m.eng.Rand(sdStream), 16), expiresAt: now.Add(timeout), answersAt: sim.Never, timeoutAction: action}
	if api.Deref(h.TargetType) == HookPause {
		hr.status = HookAwaitingAction
	} else {
		b := m.hookBehaviour[api.Deref(h.HookTargetArn)]
		hr.status, hr.answer = HookInProgress, b.Status
		if hr.answer == "" {
			hr.answer = HookSucceeded
		}
		// The answer is seen at the first invocation after Duration.
		n := (b.Duration + HookCallbackDelay - 1) / HookCallbackDelay
		hr.answersAt = now.Add(n * HookCallbackDelay)
	}
	if run.cur == nil || run.cur.stage != stage {
		run.stageHooks = nil
	}
	run.cur = hr
	run.stageHooks = append(run.stageHooks, hr)
	m.hookEvent(s, d, stage, hr)
	return hr
}

// HookEvent is the trace detail of a lifecycle hook changing status.
type HookEvent struct {
	DeploymentId string `json:"deploymentId"`
	Stage        string `json:"lifecycleStage"`
	HookId       string `json:"hookId"`
	TargetType   string `json:"targetType"`
	Status       string `json:"status"`
}

// EventLifecycleHook is the trace type of HookEvent (ecssim's own).
const EventLifecycleHook = "ECS Deployment Lifecycle Hook"

func (m *ECS) hookEvent(s *service, d *deployment, stage string, hr *hookRun) {
	typ := api.Deref(hr.hook.TargetType)
	if typ == "" {
		typ = HookLambda
	}
	m.eng.Record(sim.Event{Type: EventLifecycleHook, Source: SourceECS, Resources: []string{s.arn},
		Detail: HookEvent{DeploymentId: d.id, Stage: stage, HookId: hr.id, TargetType: typ, Status: hr.status}})
}

// bgFail fails a blue/green deployment and rolls it back to the last
// completed deployment, as StopServiceDeployment with ROLLBACK does.
func (m *ECS) bgFail(s *service, d *deployment, reason string) {
	d.rollout = RolloutFailed
	d.reason = reason
	d.updatedAt = m.eng.Now()
	m.serviceEvent(s, 0, "(service %s) (deployment %s) deployment failed: lifecycle hook.", s.name, d.id)
	m.deploymentEvent(s, d, "ERROR", "SERVICE_DEPLOYMENT_FAILED")
	rollback := s.lastCompleted != nil
	m.deploymentFailed(s, d, rollback)
	if rollback {
		m.rollBack(s, "ECS deployment lifecycle hook failed: rolling back to deploymentId "+s.lastCompleted.id+".")
	}
}

// DeploymentLifecycleHookDetail is the API shape of a lifecycle hook of a
// service deployment. [API:DeploymentLifecycleHookDetail]
type DeploymentLifecycleHookDetail struct {
	HookId        string         `json:"hookId,omitempty"`
	TargetType    string         `json:"targetType,omitempty"`
	TargetArn     string         `json:"targetArn,omitempty"`
	Status        string         `json:"status,omitempty"`
	ExpiresAt     *api.Timestamp `json:"expiresAt,omitempty"`
	TimeoutAction string         `json:"timeoutAction,omitempty"`
}

// hookDetails returns the hooks of the stage the deployment last ran
// hooks at.
func (run *bgRun) hookDetails() []DeploymentLifecycleHookDetail {
	var out []DeploymentLifecycleHookDetail
	for _, hr := range run.stageHooks {
		typ := api.Deref(hr.hook.TargetType)
		if typ == "" {
			typ = HookLambda
		}
		x := DeploymentLifecycleHookDetail{HookId: hr.id, TargetType: typ, Status: hr.status, ExpiresAt: stamp(hr.expiresAt), TimeoutAction: hr.timeoutAction}
		if typ == HookLambda {
			x.TargetArn = api.Deref(hr.hook.HookTargetArn)
		}
		out = append(out, x)
	}
	return out
}

// ContinueServiceDeploymentInput is the input of ContinueServiceDeployment.
type ContinueServiceDeploymentInput struct {
	ServiceDeploymentArn *string `json:"serviceDeploymentArn,omitempty"`
	HookId               *string `json:"hookId,omitempty"`
	Action               *string `json:"action,omitempty"`
}

// ContinueServiceDeploymentOutput is the output of ContinueServiceDeployment.
type ContinueServiceDeploymentOutput struct {
	ServiceDeploymentArn string `json:"serviceDeploymentArn"`
}

// ContinueServiceDeployment continues (the default) or rolls back a
// service deployment paused at a PAUSE hook. [API:ContinueServiceDeployment]
func (m *ECS) ContinueServiceDeployment(in *ContinueServiceDeploymentInput) (*ContinueServiceDeploymentOutput, error) {
	arn := api.Deref(in.ServiceDeploymentArn)
	if arn == "" {
		return nil, api.InvalidParameter("serviceDeploymentArn can not be blank.").At("serviceDeploymentArn")
	}
	if api.Deref(in.HookId) == "" {
		return nil, api.InvalidParameter("hookId can not be blank.").At("hookId")
	}
	action := api.Deref(in.Action)
	if action == "" {
		action = HookContinue
	}
	if action != HookContinue && action != HookRollback {
		return nil, api.InvalidParameter("action must be CONTINUE or ROLLBACK.").At("action")
	}
	sd, ok := m.sds.byArn[arn]
	if !ok {
		return nil, api.Errorf(CodeServiceDeploymentNotFound, "The service deployment %s does not exist.", arn)
	}
	d := sd.dep
	run := d.x.bg
	if run == nil || run.cur == nil || run.cur.id != *in.HookId || run.cur.status != HookAwaitingAction || d.rollout != RolloutInProgress {
		return nil, api.InvalidParameter("The lifecycle hook %s is not awaiting action.", *in.HookId).At("hookId")
	}
	s := sd.svc
	cur := run.cur
	stage := cur.stage
	if action == HookRollback {
		cur.status, cur.done = HookFailed, true
		m.hookEvent(s, d, stage, cur)
		if s.lastCompleted == nil {
			return nil, api.Errorf(CodeConflict, "The service has no completed service deployment to roll back to.")
		}
		m.bgFail(s, d, "ECS deployment "+d.id+" rolled back by ContinueServiceDeployment.")
		return &ContinueServiceDeploymentOutput{ServiceDeploymentArn: sd.arn}, nil
	}
	cur.status, cur.done = HookSucceeded, true
	m.hookEvent(s, d, stage, cur)
	m.kick(s)
	return &ContinueServiceDeploymentOutput{ServiceDeploymentArn: sd.arn}, nil
}

// SetLifecycleHookBehaviourInput is the input of sim:SetLifecycleHookBehaviour.
type SetLifecycleHookBehaviourInput struct {
	// HookTargetArn is the Lambda function's ARN.
	HookTargetArn *string `json:"hookTargetArn,omitempty"`
	// Status is its final answer: SUCCEEDED (the default) or FAILED.
	Status *string `json:"status,omitempty"`
	// DurationSeconds is how long it answers IN_PROGRESS first.
	DurationSeconds *int32 `json:"durationSeconds,omitempty"`
}

// SetLifecycleHookBehaviour says how a simulated Lambda hook function
// answers from its next invocation on.
func (m *ECS) SetLifecycleHookBehaviour(in *SetLifecycleHookBehaviourInput) (*Empty, error) {
	arn := api.Deref(in.HookTargetArn)
	if arn == "" {
		return nil, api.InvalidParameter("hookTargetArn can not be blank.").At("hookTargetArn")
	}
	st := api.Deref(in.Status)
	if st == "" {
		st = HookSucceeded
	}
	if st != HookSucceeded && st != HookFailed {
		return nil, api.InvalidParameter("status must be SUCCEEDED or FAILED.").At("status")
	}
	sec := api.Deref(in.DurationSeconds)
	if sec < 0 || sec > 7*24*3600 {
		return nil, api.InvalidParameter("durationSeconds must be between 0 and 604800.").At("durationSeconds")
	}
	if m.hookBehaviour == nil {
		m.hookBehaviour = map[string]HookBehaviour{}
	}
	m.hookBehaviour[arn] = HookBehaviour{Status: st, Duration: time.Duration(sec) * time.Second}
	return &Empty{}, nil
}
