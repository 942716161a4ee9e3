package ecs

import (
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Task scale-in protection bounds. [API:UpdateTaskProtectionRequest.expiresInMinutes]
const (
	// DefaultProtectionMinutes is how long protection lasts when
	// expiresInMinutes is not given: "If you don't specify the time, then
	// the task is automatically protected for 120 minutes (2 hours)."
	DefaultProtectionMinutes = 120
	// MaxProtectionMinutes is the longest protection: "from 1 minute to
	// up to 2,880 minutes (48 hours)".
	MaxProtectionMinutes = 2880
	// maxProtectTasks and maxGetProtectionTasks bound the tasks of one
	// call. [API:UpdateTaskProtectionRequest.tasks] [API:GetTaskProtectionRequest.tasks]
	maxProtectTasks       = 10
	maxGetProtectionTasks = 100
)

// protection is a task's scale-in protection: until when, and the timer
// that lets the service scale in once it lapses.
type protection struct {
	until sim.Time
	timer sim.Timer
}

// ProtectedTask is the API shape of a task's protection.
type ProtectedTask struct {
	TaskArn           string         `json:"taskArn"`
	ProtectionEnabled bool           `json:"protectionEnabled"`
	ExpirationDate    *api.Timestamp `json:"expirationDate,omitempty"`
}

// UpdateTaskProtectionInput is the input of UpdateTaskProtection.
type UpdateTaskProtectionInput struct {
	Cluster           *string  `json:"cluster,omitempty"`
	Tasks             []string `json:"tasks,omitempty"`
	ProtectionEnabled *bool    `json:"protectionEnabled,omitempty"`
	ExpiresInMinutes  *int32   `json:"expiresInMinutes,omitempty"`
}

// UpdateTaskProtectionOutput is the output of UpdateTaskProtection.
type UpdateTaskProtectionOutput struct {
	ProtectedTasks []ProtectedTask `json:"protectedTasks"`
	Failures       []Failure       `json:"failures"`
}

// GetTaskProtectionInput is the input of GetTaskProtection.
type GetTaskProtectionInput struct {
	Cluster *string  `json:"cluster,omitempty"`
	Tasks   []string `json:"tasks,omitempty"`
}

// GetTaskProtectionOutput is the output of GetTaskProtection.
type GetTaskProtectionOutput struct {
	ProtectedTasks []ProtectedTask `json:"protectedTasks"`
	Failures       []Failure       `json:"failures"`
}

// isProtected reports whether t is protected from scale-in now.
func (m *ECS) isProtected(t *task) bool {
	p, ok := m.protected[t]
	return ok && m.eng.Now() < p.until
}

// unprotected drops the protected tasks from cands, in place: "protected
// tasks are not terminated during scale-in events from Service Auto
// Scaling or deployments". [API:UpdateTaskProtection] [DG:task-scale-in-protection]
func (m *ECS) unprotected(cands []*task) []*task {
	if len(m.protected) == 0 {
		return cands
	}
	kept := cands[:0]
	for _, t := range cands {
		if !m.isProtected(t) {
			kept = append(kept, t)
		}
	}
	return kept
}

// protectedShape returns the API shape of t's protection.
func (m *ECS) protectedShape(t *task) ProtectedTask {
	out := ProtectedTask{TaskArn: t.arn}
	if p, ok := m.protected[t]; ok && m.eng.Now() < p.until {
		out.ProtectionEnabled = true
		out.ExpirationDate = stamp(p.until)
	}
	return out
}

// protectionTask finds a task of cl for the protection API, or the
// failure to report: MISSING when there is no such task, TASK_NOT_VALID
// for a task that no service runs ("Invoking this operation for a
// standalone task will result in an TASK_NOT_VALID failure").
// [API:UpdateTaskProtection] [DG:api_failures_messages]
func (m *ECS) protectionTask(cl *cluster, ref string) (*task, *Failure) {
	t, ok := m.findTask(cl, ref)
	if !ok || t.last == StatusStopped {
		return nil, &Failure{Arn: api.String(ref), Reason: api.String("MISSING")}
	}
	if t.svc == nil {
		return nil, &Failure{Arn: api.String(t.arn), Reason: api.String("TASK_NOT_VALID"), Detail: api.String("The task is not part of a service.")}
	}
	return t, nil
}

// UpdateTaskProtection turns scale-in protection of service tasks on
// (for expiresInMinutes, default 120, reset at every call) or off.
// [API:UpdateTaskProtection]
func (m *ECS) UpdateTaskProtection(in *UpdateTaskProtectionInput) (*UpdateTaskProtectionOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.Tasks) == 0 {
		return nil, api.InvalidParameter("tasks can not be empty.").At("tasks")
	}
	if len(in.Tasks) > maxProtectTasks {
		return nil, api.InvalidParameter("tasks can have at most %d items.", maxProtectTasks).At("tasks")
	}
	if in.ProtectionEnabled == nil {
		return nil, api.InvalidParameter("protectionEnabled must be specified.").At("protectionEnabled")
	}
	minutes := int32(DefaultProtectionMinutes)
	if in.ExpiresInMinutes != nil {
		minutes = *in.ExpiresInMinutes
		if minutes < 1 || minutes > MaxProtectionMinutes {
			return nil, api.InvalidParameter("expiresInMinutes must be between 1 and %d.", MaxProtectionMinutes).At("expiresInMinutes")
		}
	}
	out := &UpdateTaskProtectionOutput{ProtectedTasks: []ProtectedTask{}, Failures: []Failure{}}
	for _, ref := range in.Tasks {
		t, f := m.protectionTask(cl, ref)
		if f != nil {
			out.Failures = append(out.Failures, *f)
			continue
		}
		if old, ok := m.protected[t]; ok {
			old.timer.Cancel()
			delete(m.protected, t)
		}
		if *in.ProtectionEnabled {
			if m.protected == nil {
				m.protected = map[*task]protection{}
			}
			until := m.eng.Now().Add(time.Duration(minutes) * time.Minute)
			s := t.svc
			// When protection lapses the service may scale the task in.
			timer, _ := m.eng.Schedule(until, func() error {
				delete(m.protected, t)
				m.kick(s)
				return nil
			})
			m.protected[t] = protection{until: until, timer: timer}
		} else {
			// Protection off: the service may now stop the task.
			m.kick(t.svc)
		}
		out.ProtectedTasks = append(out.ProtectedTasks, m.protectedShape(t))
	}
	return out, nil
}

// GetTaskProtection returns the protection of service tasks.
// [API:GetTaskProtection]
func (m *ECS) GetTaskProtection(in *GetTaskProtectionInput) (*GetTaskProtectionOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.Tasks) > maxGetProtectionTasks {
		return nil, api.InvalidParameter("tasks can have at most %d items.", maxGetProtectionTasks).At("tasks")
	}
	out := &GetTaskProtectionOutput{ProtectedTasks: []ProtectedTask{}, Failures: []Failure{}}
	for _, ref := range in.Tasks {
		t, f := m.protectionTask(cl, ref)
		if f != nil {
			out.Failures = append(out.Failures, *f)
			continue
		}
		out.ProtectedTasks = append(out.ProtectedTasks, m.protectedShape(t))
	}
	return out, nil
}

// forgetProtection drops the protection of a task that stopped.
func (m *ECS) forgetProtection(t *task) {
	if p, ok := m.protected[t]; ok {
		p.timer.Cancel()
		delete(m.protected, t)
	}
}
