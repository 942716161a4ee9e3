package ecs

// A quiet pass: most reconcile passes of a large service change nothing.
// While 5,000 tasks start, each of their state changes (PROVISIONING,
// PENDING, ACTIVATING, RUNNING, healthy) asks for a pass, and a full pass
// looks at every task: quadratic work for a linear number of events. The
// counts below, kept up to date as tasks change, tell in O(1) when a pass
// can have no effect, so reconcile can skip it without changing the trace.

// Facts about a task that decide whether a pass is quiet; a task's
// quietCat is the set it was last counted with.
const (
	catLive             uint8 = 1 << iota // not STOPPED
	catActive                             // desired status not STOPPED
	catSettled                            // active, RUNNING and healthy
	catUnhealthyRunning                   // active, RUNNING and UNHEALTHY
	catRunning                            // active and RUNNING
	catRunningEC2                         // active and RUNNING on a container instance
	catPending                            // active, on its way to RUNNING
)

// quietCounts counts a service's tasks by the facts above. A STOPPED task
// counts for nothing, so tasks need not be uncounted when reconcile drops
// them from the service's list.
type quietCounts struct {
	live, active, settled, unhealthyRunning int
	// running, onEC2 and pending are the task counts of the service's
	// metrics (see countTasks).
	running, onEC2, pending int
}

// zoneCount is how many of a service's tasks are active (and not
// STOPPED) in each Availability Zone, kept with the counts above so that
// placing a Fargate task needs no pass over the service's tasks.
type zoneCount map[string]int

// quietCat returns the facts that hold for t now.
func (m *ECS) quietCat(t *task) uint8 {
	var c uint8
	if t.last != StatusStopped {
		c |= catLive
	}
	if t.active() {
		c |= catActive
		if !t.pendingLike() && m.taskHealthy(t) {
			c |= catSettled
		}
		if t.last == StatusRunning && (t.health == HealthUnhealthy || m.hasUnhealthyTarget(t)) {
			c |= catUnhealthyRunning
		}
		switch {
		case t.last == StatusRunning && t.inst != nil:
			c |= catRunning | catRunningEC2
		case t.last == StatusRunning:
			c |= catRunning
		case t.pendingLike():
			c |= catPending
		}
	}
	return c
}

// catCount is 1 when the facts c include bit, else 0.
func catCount(c, bit uint8) int {
	if c&bit != 0 {
		return 1
	}
	return 0
}

// recount updates s's counts for a task that was added or changed.
func (m *ECS) recount(s *service, t *task) {
	c := m.quietCat(t)
	if c == t.quietCat {
		return
	}
	s.changed() // the task counts of its metrics may move
	if d := t.dep; d != nil {
		d.live += catCount(c, catLive) - catCount(t.quietCat, catLive)
		d.active += catCount(c, catActive) - catCount(t.quietCat, catActive)
		d.settled += catCount(c, catSettled) - catCount(t.quietCat, catSettled)
	}
	if d := t.dep; d != nil && t.provider != "" && (c^t.quietCat)&catActive != 0 {
		if d.activeByProvider == nil {
			d.activeByProvider = map[string]int{}
		}
		if c&catActive != 0 {
			d.activeByProvider[t.provider]++
		} else {
			d.activeByProvider[t.provider]--
		}
	}
	const inZone = catLive | catActive
	switch was, is := t.quietCat&inZone == inZone, c&inZone == inZone; {
	case is && !was:
		if s.zones == nil {
			s.zones = zoneCount{}
		}
		s.zones[t.az()]++
	case was && !is:
		s.zones[t.az()]--
	}
	q := &s.quiet
	for _, f := range []struct {
		bit uint8
		n   *int
	}{{catLive, &q.live}, {catActive, &q.active}, {catSettled, &q.settled}, {catUnhealthyRunning, &q.unhealthyRunning},
		{catRunning, &q.running}, {catRunningEC2, &q.onEC2}, {catPending, &q.pending}} {
		switch {
		case c&f.bit != 0 && t.quietCat&f.bit == 0:
			*f.n++
		case c&f.bit == 0 && t.quietCat&f.bit != 0:
			*f.n--
		}
	}
	t.quietCat = c
}

// quietPass reports whether a reconcile pass of s would change nothing,
// so that reconcile may skip it. It holds for a REPLICA service on Fargate
// with a single deployment that is not failed, no zone rebalancing under
// way, not steady, exactly desiredCount active tasks (or fewer, while the
// launch rate holds back the next start) and no more than maximumPercent
// allows, none of them unhealthy, and at
// least one task not yet RUNNING and healthy. Then every
// step of reconcile is idle: no unhealthy task to replace (1), no room to
// start (2), no older deployment, no surplus and nothing above
// maximumPercent to stop (3, 3b), nothing
// stuck (4), not steady (5), no rebalancing (6). Its only effects would be
// to cancel the wake-up timer (set again for the end of a launch window,
// as the pass would) and to drop STOPPED tasks from the list, which no
// outcome depends on.
//
// A change to reconcile must keep this in step: any new action a pass can
// take under these conditions must either fail one of them or be checked
// here.
func (m *ECS) quietPass(s *service) bool {
	if !quietPasses || s.status != ServiceActive || s.scheduling != "REPLICA" || len(s.deployments) != 1 || s.steady || s.rebalanceTask != nil {
		return false
	}
	d := s.deployments[0]
	if d.launchType == LaunchEC2 || d.rollout == RolloutFailed {
		return false
	}
	q := s.quiet
	if verifyQuietCounts {
		m.checkQuietCounts(s)
	}
	maxTasks, _ := bounds(s.desired, s.maxPct, s.minPct)
	if q.unhealthyRunning != 0 || q.settled >= q.live || q.active > maxTasks {
		return false
	}
	if q.active == s.desired {
		return true
	}
	// Fewer tasks than desired, but the launch rate holds the next start
	// back: the pass would only ask to be woken when the window ends.
	if limited, end := m.launchLimited(s); limited && q.active < s.desired && q.active < maxTasks && m.eng.Now() >= s.throttleUntil {
		m.wakeAt(s, end)
		return true
	}
	return false
}

// passCounts reports whether a reconcile pass of s may take its counts of
// active, healthy and primary tasks from the kept counts (s.quiet and the
// primary's) instead of a walk over the service's tasks: no task is
// RUNNING and unhealthy, and the cluster has no container instance, so
// no task is on a draining one.
func (m *ECS) passCounts(s *service) bool {
	if !incrementalPasses || s.quiet.unhealthyRunning != 0 || len(s.cl.instances) != 0 {
		return false
	}
	if verifyQuietCounts {
		m.checkQuietCounts(s)
	}
	return true
}

// incrementalPasses lets reconcile, checkSteady and pruneDeployments
// read the kept counts where they would walk the service's tasks; the
// package's tests turn it off to compare traces both ways.
var incrementalPasses = true

// quietPasses lets reconcile skip quiet passes; the package's tests turn
// it off to compare traces with and without.
var quietPasses = true

// verifyQuietCounts makes quietPass recount a service's tasks from
// scratch and panic when the kept counts differ; the package's tests set
// it.
var verifyQuietCounts = false

func (m *ECS) checkQuietCounts(s *service) {
	var q quietCounts
	for _, t := range s.tasks {
		c := m.quietCat(t)
		if c != t.quietCat {
			panic("ecs: task " + t.id + " changed without its service being told")
		}
		if c&catLive != 0 {
			q.live++
		}
		if c&catActive != 0 {
			q.active++
		}
		if c&catSettled != 0 {
			q.settled++
		}
		if c&catRunning != 0 {
			q.running++
		}
		if c&catRunningEC2 != 0 {
			q.onEC2++
		}
		if c&catPending != 0 {
			q.pending++
		}
		if c&catUnhealthyRunning != 0 {
			q.unhealthyRunning++
		}
	}
	if q != s.quiet {
		panic("ecs: quiet counts out of step with the service's tasks")
	}
	m.checkZoneCounts(s)
	for _, d := range s.deployments {
		live, active, settled := 0, 0, 0
		for _, t := range s.tasks {
			if t.dep == d {
				live++
				if t.active() {
					active++
				}
				if t.quietCat&catSettled != 0 {
					settled++
				}
			}
		}
		if live != d.live || active != d.active || settled != d.settled {
			panic("ecs: live or active counts out of step with the deployment's tasks")
		}
		byProvider := map[string]int{}
		for _, t := range s.tasks {
			if t.dep == d && t.active() && t.provider != "" {
				byProvider[t.provider]++
			}
		}
		if !sameCounts(byProvider, d.activeByProvider) {
			panic("ecs: provider counts out of step with the deployment's tasks")
		}
	}
}

// checkZoneCounts panics when s.zones differs from a count of the
// service's active tasks per zone.
func (m *ECS) checkZoneCounts(s *service) {
	zones := zoneCount{}
	for _, t := range s.tasks {
		if t.last == StatusStopped {
			panic("ecs: STOPPED task " + t.id + " left in its service's list")
		}
		if t.active() {
			zones[t.az()]++
		}
	}
	if !sameCounts(zones, s.zones) {
		panic("ecs: zone counts out of step with the service's tasks")
	}
}

// sameCounts reports whether two tallies agree, a key missing from one
// counting as zero there.
func sameCounts[M ~map[string]int](a, b M) bool {
	for k, n := range a {
		if b[k] != n {
			return false
		}
	}
	for k, n := range b {
		if a[k] != n {
			return false
		}
	}
	return true
}
