package ecs

import (
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Faults are ecssim's own actions, named "sim:<Action>": things that
// happen to a simulated world that no AWS API call causes.

// CrashTaskInput is the input of sim:CrashTask.
type CrashTaskInput struct {
	Cluster *string `json:"cluster,omitempty"`
	// Task is the task ID or ARN.
	Task *string `json:"task,omitempty"`
	// Container names the container that crashes; empty means the first
	// essential container.
	Container *string `json:"container,omitempty"`
	// ExitCode is the crashed process's exit code; default 1.
	ExitCode *int32 `json:"exitCode,omitempty"`
}

// CrashTaskOutput is the output of sim:CrashTask.
type CrashTaskOutput struct {
	Task Task `json:"task"`
}

// CrashTask makes a running container exit as if its process crashed. An
// essential container's exit stops the task with EssentialContainerExited,
// and a service replaces it.
func (m *ECS) CrashTask(in *CrashTaskInput) (*CrashTaskOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	t, ok := m.findTask(cl, api.Deref(in.Task))
	if !ok {
		return nil, api.InvalidParameter("The referenced task was not found.").At("task")
	}
	var c *container
	for _, x := range t.containers {
		if (in.Container == nil && x.spec.essential) || (in.Container != nil && x.spec.name == *in.Container) {
			c = x
			break
		}
	}
	if c == nil {
		return nil, api.InvalidParameter("The task has no container named %s.", api.Deref(in.Container)).At("container")
	}
	if c.last != StatusRunning || c.stopping {
		return nil, api.InvalidParameter("Container %s is not running.", c.spec.name).At("container")
	}
	code := int32(1)
	if in.ExitCode != nil {
		code = *in.ExitCode
	}
	b := *c.behaviour // shared with other containers: copy before changing
	b.ExitCode = int(code)
	c.behaviour = &b
	m.scheduleContainer(c, 0, cstepExit)
	return &CrashTaskOutput{Task: t.shape(false)}, nil
}

// FailHealthChecksInput is the input of sim:FailHealthChecks.
type FailHealthChecksInput struct {
	// Image is the exact image name whose containers' health checks fail
	// from now on.
	Image *string `json:"image,omitempty"`
}

// Empty is the output of actions that return nothing.
type Empty struct{}

// FailHealthChecks makes every health check of containers running image
// fail from now on, in running containers and in those started later.
func (m *ECS) FailHealthChecks(in *FailHealthChecksInput) (*Empty, error) {
	if api.Deref(in.Image) == "" {
		return nil, api.InvalidParameter("image can not be blank.").At("image")
	}
	m.failHealthChecks(*in.Image)
	return &Empty{}, nil
}

// FailImagePullsInput is the input of sim:FailImagePulls.
type FailImagePullsInput struct {
	Image *string `json:"image,omitempty"`
	// Error is the stopped reason; default
	// "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref <image>: not found".
	Error *string `json:"error,omitempty"`
}

// FailImagePulls makes every later pull of image fail.
func (m *ECS) FailImagePulls(in *FailImagePullsInput) (*Empty, error) {
	image := api.Deref(in.Image)
	if image == "" {
		return nil, api.InvalidParameter("image can not be blank.").At("image")
	}
	msg := api.Deref(in.Error)
	if msg == "" {
		// [https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html]
		msg = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + image + ": not found"
	}
	f := m.imageFaults[image]
	f.pullError = msg
	m.imageFaults[image] = f
	return &Empty{}, nil
}

// RestoreImagePullsInput is the input of sim:RestoreImagePulls.
type RestoreImagePullsInput struct {
	Image *string `json:"image,omitempty"`
}

// RestoreImagePulls ends a sim:FailImagePulls fault: later pulls of the
// image succeed again (pulls already failing still fail).
func (m *ECS) RestoreImagePulls(in *RestoreImagePullsInput) (*Empty, error) {
	image := api.Deref(in.Image)
	if image == "" {
		return nil, api.InvalidParameter("image can not be blank.").At("image")
	}
	if f, ok := m.imageFaults[image]; ok {
		f.pullError = ""
		m.imageFaults[image] = f
	}
	return &Empty{}, nil
}

// FailAvailabilityZoneInput is the input of sim:FailAvailabilityZone.
type FailAvailabilityZoneInput struct {
	AvailabilityZone *string `json:"availabilityZone,omitempty"`
	// For, when set, restores the zone after this long ("10m").
	For *string `json:"for,omitempty"`
}

// FailAvailabilityZone takes an AZ down: its Fargate tasks stop and new
// tasks avoid it until it is restored.
func (m *ECS) FailAvailabilityZone(in *FailAvailabilityZoneInput) (*Empty, error) {
	az := api.Deref(in.AvailabilityZone)
	if !containsString(m.net.AvailabilityZones(), az) {
		return nil, api.InvalidParameter("Unknown availability zone %q.", az).At("availabilityZone")
	}
	var restore time.Duration
	if in.For != nil {
		d, err := time.ParseDuration(*in.For)
		if err != nil || d <= 0 {
			return nil, api.InvalidParameter("for must be a positive duration such as 10m.").At("for")
		}
		restore = d
	}
	m.net.SetZoneDown(az, true)
	m.recordZone(az, ZoneDown)
	m.setZoneAgents(az, false)
	for t := range m.eachTask {
		if t.az() == az && t.active() && t.last != StatusStopped {
			// AWS has no stop code for a zone outage; a task that never
			// started failed to start, a running one was told to stop by
			// the infrastructure. See docs/fidelity.md.
			code := StopTaskFailedToStart
			if t.startedAt != 0 {
				code = StopTerminationNotice
			}
			m.stopTask(t, code, "Task stopped because its Availability Zone "+az+" became unavailable")
		}
	}
	if restore > 0 {
		m.eng.After(restore, func() error { m.restoreZone(az); return nil })
	}
	return &Empty{}, nil
}

// RestoreAvailabilityZoneInput is the input of sim:RestoreAvailabilityZone.
type RestoreAvailabilityZoneInput struct {
	AvailabilityZone *string `json:"availabilityZone,omitempty"`
}

// RestoreAvailabilityZone brings a failed AZ back.
func (m *ECS) RestoreAvailabilityZone(in *RestoreAvailabilityZoneInput) (*Empty, error) {
	az := api.Deref(in.AvailabilityZone)
	if !containsString(m.net.AvailabilityZones(), az) {
		return nil, api.InvalidParameter("Unknown availability zone %q.", az).At("availabilityZone")
	}
	m.restoreZone(az)
	return &Empty{}, nil
}

func (m *ECS) restoreZone(az string) {
	if !m.net.ZoneDown(az) {
		return
	}
	m.net.SetZoneDown(az, false)
	m.recordZone(az, ZoneUp)
	m.setZoneAgents(az, true)
	m.kickAll()
}

// Availability zone states in the trace.
const (
	ZoneDown = "DOWN"
	ZoneUp   = "UP"
)

// EventZoneChange is the trace type of an availability zone failing or
// coming back.
const EventZoneChange = "ecssim Availability Zone Change"

// ZoneChange is the trace detail of an EventZoneChange.
type ZoneChange struct {
	AvailabilityZone string `json:"availabilityZone"`
	Status           string `json:"status"`
}

func (m *ECS) recordZone(az, status string) {
	m.eng.Record(sim.Event{Type: EventZoneChange, Source: "ecssim", Detail: ZoneChange{AvailabilityZone: az, Status: status}})
}

func (m *ECS) registerFaultActions(t *api.Table) {
	api.Register(t, "sim:CrashTask", m.CrashTask)
	api.Register(t, "sim:FailHealthChecks", m.FailHealthChecks)
	api.Register(t, "sim:FailImagePulls", m.FailImagePulls)
	api.Register(t, "sim:RestoreImagePulls", m.RestoreImagePulls)
	api.Register(t, "sim:FailAvailabilityZone", m.FailAvailabilityZone)
	api.Register(t, "sim:RestoreAvailabilityZone", m.RestoreAvailabilityZone)
}

// setZoneAgents disconnects (or reconnects) the agents of the container
// instances in a zone: while the zone is down its instances fail every
// placement with AGENT. [DG:api_failures_messages]
func (m *ECS) setZoneAgents(az string, connected bool) {
	for _, c := range m.clusters.sorted() {
		for _, in := range c.instances {
			if in.status != InstanceInactive && in.az() == az {
				_ = c.sched.SetAgentConnected(in.id, connected)
				m.recordInstance(in)
			}
		}
	}
}
