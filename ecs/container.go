package ecs

import (
	"fmt"
	"strconv"

	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
	"time"
)

// containerStep names what a container's timer will do.
type containerStep uint8

const (
	cstepNone containerStep = iota
	cstepStarted
	cstepExit
	cstepStartTimeout
)

// noBehaviour is the behaviour of a container whose image was not pulled
// yet: the zero Image. Shared and never modified.
var noBehaviour workload.Image

// container is the model's record of one container of a task.
type container struct {
	// hc, spec and health come first, in the record's first 128 bytes:
	// a health check in tick mode reads only them, and touching a
	// container is a cache miss (one check per container every interval,
	// over the whole fleet).
	hc     hcState
	spec   *containerSpec
	health string

	t         *task
	arn       string
	runtimeID string
	behaviour *workload.Image // shared: never modified; see behaviourOf

	last      string // PENDING, RUNNING, STOPPED
	everRan   bool
	exitCode  *int32 // nil until it exits, then &exitValue
	exitValue int32
	reason    string
	startedAt sim.Time
	stoppedAt sim.Time // when the process exited; 0 before

	pullFailed bool
	starting   bool     // start scheduled
	waiting    bool     // start timeout scheduled
	waitSince  sim.Time // when it began waiting on its dependencies
	stopping   bool     // stop signal sent
	killed     bool     // will be SIGKILLed

	step  containerStep
	timer sim.Timer
}

func (m *ECS) scheduleContainer(c *container, d time.Duration, s containerStep) {
	c.timer.Cancel()
	c.step = s
	c.timer, _ = m.eng.AfterArg(d, m.actContainer, c)
}

func (m *ECS) onContainerTimer(arg any) error {
	c := arg.(*container)
	step := c.step
	c.step = cstepNone
	switch step {
	case cstepStarted:
		m.containerStarted(c)
	case cstepExit:
		m.containerExited(c)
	case cstepStartTimeout:
		if c.last == StatusPending && !c.starting && c.t.active() {
			m.dependencyDeadline(c)
		}
	}
	return nil
}

// depTimeout returns how long a container waits on dependency d before it
// gives up: the startTimeout of the container it depends on, as the
// container definition reference reads it ("If a startTimeout value is
// specified for containerB and it doesn't reach the desired status within
// that time then containerA gives up and not start").
// [API:ContainerDefinition.startTimeout]
func (t *task) depTimeout(d depSpec) time.Duration {
	return t.containers[d.container].spec.startTimeout
}

// nextDependencyDeadline returns when c gives up waiting on its
// earliest unmet dependency, and that dependency; ok is false when every
// dependency is met.
func (t *task) nextDependencyDeadline(c *container) (at sim.Time, dep *container, ok bool) {
	for _, d := range c.spec.deps {
		if t.depMet(d) {
			continue
		}
		if end := c.waitSince.Add(t.depTimeout(d)); !ok || end < at {
			at, dep, ok = end, t.containers[d.container], true
		}
	}
	return at, dep, ok
}

// dependencyDeadline runs when a waiting container's earliest dependency
// deadline comes: the task fails if that dependency is still unmet, or
// the container waits on for the next one.
func (m *ECS) dependencyDeadline(c *container) {
	at, dep, ok := c.t.nextDependencyDeadline(c)
	if !ok {
		return
	}
	if now := m.eng.Now(); at > now {
		m.scheduleContainer(c, at.Sub(now), cstepStartTimeout)
		return
	}
	m.failTask(c.t, StopTaskFailedToStart, fmt.Sprintf(
		"ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting %s: container %s dependencies not met",
		dep.spec.startTimeout, c.spec.name))
}

// depMet reports whether dependency d is met now.
func (t *task) depMet(d depSpec) bool {
	dep := t.containers[d.container]
	switch d.condition {
	case condStart:
		return dep.everRan
	case condHealthy:
		return dep.health == HealthHealthy
	case condComplete:
		return dep.last == StatusStopped && dep.everRan
	case condSuccess:
		return dep.last == StatusStopped && dep.exitCode != nil && *dep.exitCode == 0
	}
	return true
}

// depState reports whether c's dependencies allow it to start now, and
// whether they never will. [API:ContainerDependency.condition]
func (t *task) depState(c *container) (ready, impossible bool) {
	ready = true
	for _, d := range c.spec.deps {
		dep := t.containers[d.container]
		switch d.condition {
		case condStart:
			if dep.last == StatusStopped && !dep.everRan {
				return false, true
			}
			ready = ready && dep.everRan
		case condHealthy:
			// An UNHEALTHY dependency may still turn HEALTHY: the
			// dependent keeps waiting until the dependency's
			// startTimeout. Only a dependency that stopped without
			// having been HEALTHY can no longer satisfy it.
			if dep.last == StatusStopped && dep.health != HealthHealthy {
				return false, true
			}
			ready = ready && dep.health == HealthHealthy
		case condComplete:
			ready = ready && dep.last == StatusStopped && dep.everRan
		case condSuccess:
			if dep.last == StatusStopped && dep.exitCode != nil && *dep.exitCode != 0 {
				return false, true
			}
			ready = ready && dep.last == StatusStopped && dep.exitCode != nil && *dep.exitCode == 0
		}
	}
	return ready, false
}

// startReadyContainers starts every container whose dependencies are met,
// arms start timeouts for those that must wait, and moves the task to
// ACTIVATING once every container has started (or, for containers others
// wait on to complete, run to completion).
func (m *ECS) startReadyContainers(t *task) {
	if t.last != StatusPending || !t.active() {
		return
	}
	r := m.eng.Rand("workload/start")
	for _, c := range t.containers {
		if c.last != StatusPending || c.starting {
			continue
		}
		ready, impossible := t.depState(c)
		switch {
		case impossible:
			m.failTask(t, StopTaskFailedToStart, fmt.Sprintf(
				"CannotStartContainerError: dependency of container %s can no longer be satisfied", c.spec.name))
			return
		case ready:
			c.starting, c.waiting = true, false
			m.scheduleContainer(c, c.behaviour.StartTime.Sample(r), cstepStarted)
		case !c.waiting:
			c.waiting = true
			c.waitSince = m.eng.Now()
			if at, _, ok := t.nextDependencyDeadline(c); ok {
				m.scheduleContainer(c, at.Sub(c.waitSince), cstepStartTimeout)
			}
		}
	}
	for _, c := range t.containers {
		if c.last == StatusPending || (c.last == StatusStopped && !c.everRan) {
			return
		}
	}
	for _, c := range t.containers {
		if c.spec.essential && c.last != StatusRunning {
			return
		}
	}
	t.last = StatusActivating
	m.recordTask(t)
	m.registerTargets(t)
	m.taskChanged(t)
	m.scheduleTask(t, m.platform.Activating.Sample(m.eng.Rand("workload/platform")), stepActivated)
}

func (m *ECS) containerStarted(c *container) {
	t := c.t
	c.starting = false
	if !t.active() {
		return
	}
	c.last = StatusRunning
	c.everRan = true
	c.startedAt = m.eng.Now()
	var buf [64]byte
	rid := append(buf[:0], t.id...)
	rid = append(rid, '-')
	c.runtimeID = string(strconv.AppendUint(rid, m.eng.Rand("ecs/ids").Uint64()%1e10, 10))
	if c.behaviour.ExitAfter != nil {
		m.scheduleContainer(c, c.behaviour.ExitAfter.Sample(m.eng.Rand("workload/exit")), cstepExit)
	}
	m.startHealthChecks(c)
	if t.last == StatusPending {
		// A container changing state sends a task state change event,
		// also while the task is still PENDING. [DG:ecs_cwe_events]
		m.recordTask(t)
	}
	m.endpointChanged(t)
	m.startReadyContainers(t)
}

func (m *ECS) containerExited(c *container) {
	t := c.t
	c.stopHealthChecks()
	c.last = StatusStopped
	c.stoppedAt = m.eng.Now()
	m.endpointChanged(t)
	if c.stopping {
		c.exitValue = 0
		if c.killed {
			c.exitValue = 137 // SIGKILL after stopTimeout
		}
		c.exitCode = &c.exitValue
		m.maybeStopped(t)
		return
	}
	c.exitValue = int32(c.behaviour.ExitCode)
	c.exitCode = &c.exitValue
	if c.spec.essential {
		// An essential container's exit stops the whole task.
		// [API:ContainerDefinition.essential]
		m.stopTask(t, StopEssentialContainerExited, "Essential container in task exited")
		return
	}
	m.recordTask(t)
	m.startReadyContainers(t)
}
