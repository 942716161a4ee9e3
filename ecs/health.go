package ecs

import (
	"time"

	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// Container health checks run exactly as Docker runs them for ECS
// [API:HealthCheck] [API:HealthCheck.startPeriod]:
//
//   - the first check runs one interval after the container starts, then
//     one every interval;
//   - a passing check makes the container HEALTHY and resets the count of
//     consecutive failures;
//   - a failing check counts toward retries unless it runs within the start
//     period and no check has passed yet;
//   - retries consecutive counted failures make the container UNHEALTHY.
//
// What a check answers comes from the image's behaviour: failing (at once)
// before passAt, while the application starts, then passing until failAt,
// failing from then on. Because that answer is known in advance,
// the model need not run every check as an event: by default it computes
// when the status will next change and schedules only that (the "analytic"
// mode). Config.TickHealthChecks runs every check instead; both give the
// same statuses at the same instants, which a test proves.

// hcState is a container's health-check state. Its fields are ordered so
// that it takes 56 bytes: with the container's spec it fills one cache
// line.
type hcState struct {
	timer  sim.Timer
	start  sim.Time // container start: checks run at start + k*interval
	failAt sim.Time // first instant at which checks fail (sim.Never: never)
	passAt sim.Time // first instant at which checks pass (the start, unless the image starts slowly)

	// tick mode only
	streak int32 // consecutive counted failures
	passed bool

	on bool
}

// checkTime returns the time of check k (k ≥ 1).
func (c *container) checkTime(k int64) sim.Time {
	return c.hc.start.Add(time.Duration(k) * c.spec.hc.interval)
}

// hangs reports whether c's failing health checks hang until their
// timeout instead of exiting non-zero.
func (c *container) hangs() bool {
	return c.behaviour.HealthCheckHangs || c.behaviour.HealthCheck == workload.HealthHanging
}

// nextHealthChange computes, from scratch, the next change of c's health
// status after its current status, and when it happens. ok is false when
// the status will not change again.
func (c *container) nextHealthChange() (at sim.Time, status string, ok bool) {
	hc := c.spec.hc
	iv := int64(hc.interval)
	if c.health == HealthUnhealthy {
		return 0, "", false
	}
	// First check at or after failAt, and at or after passAt.
	kf := firstCheckAt(int64(c.hc.failAt-c.hc.start), iv)
	if c.hc.failAt == sim.Never {
		kf = -1
	}
	kp := firstCheckAt(int64(c.hc.passAt-c.hc.start), iv)
	passes := kf < 0 || kp < kf
	if c.health == HealthUnknown {
		// Checks before kp fail at once while the application starts;
		// inside the start period they do not count.
		ksp := max(1, (int64(hc.startPeriod)+iv-1)/iv)
		if passes {
			if ksp+int64(hc.retries)-1 < kp {
				return c.checkTime(ksp + int64(hc.retries) - 1), HealthUnhealthy, true
			}
			return c.checkTime(kp), HealthHealthy, true
		}
		if c.hangs() {
			counted := max(0, kf-ksp) // the quick failures before kf that count
			if counted >= int64(hc.retries) {
				return c.checkTime(ksp + int64(hc.retries) - 1), HealthUnhealthy, true
			}
			return c.hangingFailure(kf, false, int(counted)), HealthUnhealthy, true
		}
		return c.checkTime(ksp + int64(hc.retries) - 1), HealthUnhealthy, true
	}
	if kf < 0 {
		return 0, "", false
	}
	if c.hangs() {
		return c.hangingFailure(kf, true, 0), HealthUnhealthy, true
	}
	return c.checkTime(kf + int64(hc.retries) - 1), HealthUnhealthy, true
}

// firstCheckAt returns the number k ≥ 1 of the first check at or after d
// past the start, checks running every iv.
func firstCheckAt(d, iv int64) int64 {
	if d <= iv {
		return 1
	}
	return (d + iv - 1) / iv
}

// hangingFailure returns when checks that hang make c UNHEALTHY, the
// first failing check being check kf of the regular schedule. Docker runs
// the next check one interval after the previous one completes, and a
// hanging check completes (as a failure) when its timeout expires; a
// failure completing within the start period does not count until a
// check has passed; counted failures came before. [API:HealthCheck]
// [API:HealthCheck.startPeriod]
func (c *container) hangingFailure(kf int64, passed bool, counted int) sim.Time {
	hc := c.spec.hc
	begin := c.checkTime(kf)
	for {
		done := begin.Add(hc.timeout)
		if passed || done.Sub(c.hc.start) >= hc.startPeriod {
			counted++
			if counted >= hc.retries {
				return done
			}
		}
		begin = done.Add(hc.interval)
	}
}

// startHealthChecks arms the health checks of a container that just
// started.
func (m *ECS) startHealthChecks(c *container) {
	if c.spec.hc == nil {
		return
	}
	now := m.eng.Now()
	c.hc = hcState{on: true, start: now, failAt: sim.Never, passAt: now}
	switch {
	case c.behaviour.HealthCheck == workload.HealthFailing || c.behaviour.HealthCheck == workload.HealthHanging:
		c.hc.failAt = now
	case c.behaviour.HealthCheckFailsAfter != nil:
		c.hc.failAt = now.Add(c.behaviour.HealthCheckFailsAfter.Sample(m.eng.Rand("workload/health")))
	}
	if c.behaviour.HealthyAfter != nil {
		c.hc.passAt = now.Add(c.behaviour.HealthyAfter.Sample(m.eng.Rand("workload/health")))
	}
	if f, ok := m.imageFaults[c.spec.image]; ok && f.healthFailAt != 0 {
		c.hc.failAt = min(c.hc.failAt, max(f.healthFailAt, now))
	}
	m.armHealth(c)
}

// armHealth schedules c's next health event in the current mode.
func (m *ECS) armHealth(c *container) {
	c.hc.timer.Cancel()
	if m.cfg.TickHealthChecks {
		lane, _ := m.eng.Lane(c.spec.hc.interval)
		c.hc.timer = lane.Add(m.actCheck, c)
		return
	}
	if at, _, ok := c.nextHealthChange(); ok {
		c.hc.timer, _ = m.eng.ScheduleArg(at, m.actHealth, c)
	}
}

func (c *container) stopHealthChecks() {
	c.hc.timer.Cancel()
	c.hc.on = false
}

// onHealthChange applies the status change computed by nextHealthChange.
func (m *ECS) onHealthChange(arg any) error {
	c := arg.(*container)
	at, status, ok := c.nextHealthChange()
	if !ok || at != m.eng.Now() {
		return nil
	}
	m.setContainerHealth(c, status)
	if c.hc.on {
		if at, _, ok := c.nextHealthChange(); ok {
			c.hc.timer, _ = m.eng.ScheduleArg(at, m.actHealth, c)
		}
	}
	return nil
}

// onCheck runs one health check (tick mode).
func (m *ECS) onCheck(arg any) error {
	c := arg.(*container)
	if !c.hc.on {
		return nil
	}
	now := m.eng.Now()
	if now >= c.hc.failAt && c.hangs() {
		// The check hangs: it fails when its timeout expires, and the
		// next one runs an interval after that.
		c.hc.timer, _ = m.eng.AfterArg(c.spec.hc.timeout, m.actCheckDone, c)
		return nil
	}
	lane, _ := m.eng.Lane(c.spec.hc.interval)
	c.hc.timer = lane.Add(m.actCheck, c)
	if now < c.hc.failAt && now >= c.hc.passAt {
		c.hc.passed = true
		c.hc.streak = 0
		if c.health != HealthHealthy {
			m.setContainerHealth(c, HealthHealthy)
		}
		return nil
	}
	m.checkFailed(c)
	return nil
}

// onCheckDone completes a hanging check (tick mode): a failure at its
// timeout, then the next check one interval later.
func (m *ECS) onCheckDone(arg any) error {
	c := arg.(*container)
	if !c.hc.on {
		return nil
	}
	c.hc.timer, _ = m.eng.AfterArg(c.spec.hc.interval, m.actCheck, c)
	m.checkFailed(c)
	return nil
}

// checkFailed counts a failed check (tick mode).
func (m *ECS) checkFailed(c *container) {
	now := m.eng.Now()
	if !c.hc.passed && now.Sub(c.hc.start) < c.spec.hc.startPeriod {
		return
	}
	c.hc.streak++
	if int(c.hc.streak) >= c.spec.hc.retries && c.health != HealthUnhealthy {
		m.setContainerHealth(c, HealthUnhealthy)
		c.stopHealthChecks()
	}
}

func (m *ECS) setContainerHealth(c *container, status string) {
	if c.spec.essential && c.spec.hc != nil {
		switch was, is := c.health == HealthHealthy, status == HealthHealthy; {
		case was && !is:
			c.t.hcWaiting++
		case is && !was:
			c.t.hcWaiting--
		}
	}
	c.health = status
	if status == HealthUnhealthy && !m.cfg.TickHealthChecks {
		c.hc.on = false
	}
	m.healthChanged(c.t)
	m.startReadyContainers(c.t) // HEALTHY dependencies
}

// failHealthChecks makes checks of image fail from now on (a fault).
func (m *ECS) failHealthChecks(image string) {
	now := m.eng.Now()
	f := m.imageFaults[image]
	// The fault takes effect for checks strictly after this instant, so
	// that its order against a check due at the same instant cannot
	// matter.
	at := now + 1
	if f.healthFailAt == 0 || at < f.healthFailAt {
		f.healthFailAt = at
	}
	m.imageFaults[image] = f
	for t := range m.eachTask {
		if t.last == StatusStopped {
			continue
		}
		for _, c := range t.containers {
			if c.hc.on && c.spec.image == image && at < c.hc.failAt {
				c.hc.failAt = at
				if !m.cfg.TickHealthChecks {
					m.armHealth(c)
				}
			}
		}
	}
}
