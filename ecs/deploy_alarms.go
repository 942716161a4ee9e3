package ecs

import (
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// DeploymentAlarms names the CloudWatch alarms that fail a rolling
// deployment when one goes to ALARM, and whether the failure rolls back.
// [API:DeploymentAlarms]
type DeploymentAlarms struct {
	AlarmNames []string `json:"alarmNames"`
	Enable     bool     `json:"enable"`
	Rollback   bool     `json:"rollback"`
}

// AlarmState is what ECS reads of one CloudWatch alarm.
type AlarmState struct {
	// Name is the alarm's name.
	Name string
	// State is OK, ALARM or INSUFFICIENT_DATA.
	State string
	// Window is the time the alarm looks back over: its period times its
	// evaluation periods.
	Window time.Duration
}

// Alarms gives ECS the states of CloudWatch alarms.
type Alarms interface {
	// AlarmStates returns the state of each named alarm that exists, in
	// the order of names; an alarm that does not exist is left out.
	AlarmStates(names []string) []AlarmState
}

// Alarm states as ECS reads them. [API:cloudwatch MetricAlarm.StateValue]
const alarmStateAlarm = "ALARM"

// AlarmPollDelay is how long after each whole minute ECS reads the
// deployment's alarms. CloudWatch evaluates alarms on the minute; ECS
// documents only that it "detects" an alarm going to ALARM, not how
// often it looks. Reading a second after each evaluation makes the
// reaction independent of the order of events at the same instant; see
// docs/fidelity.md. [DG:deployment-alarm-failure]
const AlarmPollDelay = time.Second

// maxDeploymentAlarmNames bounds alarmNames: CloudWatch's DescribeAlarms,
// which reads them, takes at most 100 names. AWS documents no limit for
// ECS; see docs/fidelity.md. [API:cloudwatch DescribeAlarms.AlarmNames]
const maxDeploymentAlarmNames = 100

// checkDeploymentAlarms validates deploymentConfiguration.alarms: the
// names are required and each is a CloudWatch alarm name (1 to 255
// characters). [API:DeploymentAlarms] [API:cloudwatch PutMetricAlarm.AlarmName]
func checkDeploymentAlarms(a *DeploymentAlarms, path string) error {
	if a == nil {
		return nil
	}
	if a.AlarmNames == nil {
		return api.InvalidParameter("alarmNames must be specified.").At(path + ".alarmNames")
	}
	if len(a.AlarmNames) > maxDeploymentAlarmNames {
		return api.InvalidParameter("alarmNames can have at most %d alarms.", maxDeploymentAlarmNames).At(path + ".alarmNames")
	}
	if a.Enable && len(a.AlarmNames) == 0 {
		return api.InvalidParameter("At least one alarm name must be specified when alarms are enabled.").At(path + ".alarmNames")
	}
	for _, n := range a.AlarmNames {
		if n == "" || len(n) > 255 {
			return api.InvalidParameter("Alarm names must be between 1 and 255 characters.").At(path + ".alarmNames")
		}
	}
	return nil
}

// checkDeploymentController rejects deployment alarms and strategies
// other than ROLLING on a service that ECS does not deploy: "You can only
// use the DeploymentAlarms method to detect failures when the
// DeploymentController is set to ECS" [API:DeploymentAlarms]; the
// strategies are ECS's own deployments [API:DeploymentConfiguration.strategy].
func checkDeploymentController(dc *DeploymentConfiguration, controller string) error {
	if dc == nil || controller == "" || controller == "ECS" {
		return nil
	}
	if dc.Alarms != nil && dc.Alarms.Enable {
		return api.InvalidParameter("Deployment alarms are only supported for services that use the ECS deployment controller.").At("deploymentConfiguration.alarms")
	}
	if st := api.Deref(dc.Strategy); st != "" && st != StrategyRolling {
		return api.InvalidParameter("The %s deployment strategy is only supported for services that use the ECS deployment controller.", st).At("deploymentConfiguration.strategy")
	}
	return nil
}

// alarmWatch is a deployment's watch over its alarms.
type alarmWatch struct {
	cfg        DeploymentAlarms // as configured when the deployment began
	monitoring bool             // watching since a task of the deployment ran
	armed      map[string]bool  // alarms seen out of ALARM while watched
	triggered  []string         // alarms that failed the deployment
	bakeEnd    sim.Time         // end of the bake time; 0 until steady
	done       bool             // the watch ended (completed, failed, replaced)
	poll       sim.Timer
}

// newAlarmWatch returns the watch of a deployment of s, or nil when the
// service's deployment alarms are not enabled.
func newAlarmWatch(s *service) *alarmWatch {
	a := s.deployCfg.Alarms
	if a == nil || !a.Enable || len(a.AlarmNames) == 0 {
		return nil
	}
	cfg := *a
	cfg.AlarmNames = append([]string(nil), a.AlarmNames...)
	return &alarmWatch{cfg: cfg, armed: map[string]bool{}}
}

// alarmStates reads the named alarms through the configured CloudWatch.
func (m *ECS) alarmStates(names []string) []AlarmState {
	if m.cfg.Alarms == nil {
		return nil
	}
	return m.cfg.Alarms.AlarmStates(names)
}

// startAlarmWatch begins watching d's alarms: "Amazon ECS starts
// monitoring the list of configured CloudWatch alarms as soon as one or
// more tasks of the updated service are running." [DG:deployment-alarm-failure]
// (AWS What's New, Dec 2022). The alarms' states now arm them: an alarm
// already in ALARM fails the deployment only after it has been seen out
// of ALARM, as AWS ignores alarms that are in ALARM when the deployment
// starts (https://github.com/aws/copilot-cli/pull/4512); see
// docs/fidelity.md.
func (m *ECS) startAlarmWatch(s *service, d *deployment) {
	w := d.x.alarms
	if w == nil || w.monitoring || w.done {
		return
	}
	w.monitoring = true
	for _, st := range m.alarmStates(w.cfg.AlarmNames) {
		if st.State != alarmStateAlarm {
			w.armed[st.Name] = true
		}
	}
	m.scheduleAlarmPoll(s, d)
}

// scheduleAlarmPoll arms the next read of d's alarms, AlarmPollDelay
// after the next whole minute.
func (m *ECS) scheduleAlarmPoll(s *service, d *deployment) {
	w := d.x.alarms
	now := m.eng.Now()
	minute := sim.Time(time.Minute)
	next := now - now%minute + sim.Time(AlarmPollDelay)
	if next <= now {
		next += minute
	}
	w.poll, _ = m.eng.Schedule(next, func() error {
		m.pollAlarms(s, d)
		if !w.done {
			m.scheduleAlarmPoll(s, d)
		}
		return nil
	})
}

// pollAlarms reads d's alarms and fails d when an armed alarm is in ALARM.
// It reports whether d failed.
func (m *ECS) pollAlarms(s *service, d *deployment) bool {
	w := d.x.alarms
	if w.done || d.rollout != RolloutInProgress || d.status != DeploymentPrimary || s.status != ServiceActive {
		m.endAlarmWatch(d)
		return false
	}
	var firing []string
	for _, st := range m.alarmStates(w.cfg.AlarmNames) {
		switch {
		case st.State != alarmStateAlarm:
			w.armed[st.Name] = true
		case w.armed[st.Name]:
			firing = append(firing, st.Name)
		}
	}
	if len(firing) == 0 {
		if w.bakeEnd != 0 && m.eng.Now() >= w.bakeEnd {
			m.kick(s)
		}
		return false
	}
	w.triggered = firing
	m.failByAlarms(s, d, firing)
	return true
}

// endAlarmWatch stops watching d's alarms.
func (m *ECS) endAlarmWatch(d *deployment) {
	if w := d.x.alarms; w != nil && !w.done {
		w.done = true
		w.poll.Cancel()
	}
}

// bakeTime is how long ECS keeps watching the alarms once the deployment
// has reached a steady state. AWS: "Amazon ECS computes this time period
// based on the alarm configuration associated with the deployment"
// without the formula [DG:deployment-alarm-failure]; ecssim waits the
// longest window (period × evaluation periods) of the named alarms that
// exist, so that every alarm has judged datapoints of the new revision
// alone; see docs/fidelity.md.
func (m *ECS) bakeTime(w *alarmWatch) time.Duration {
	var bake time.Duration
	for _, st := range m.alarmStates(w.cfg.AlarmNames) {
		bake = max(bake, st.Window)
	}
	return bake
}

// baked reports whether primary, now at steady state, may complete: at
// once without alarms; with alarms, once the bake time has passed with no
// alarm failing it. "When the service reaches a steady state and the bake
// time is complete, the rollout state transitions to COMPLETED."
// [DG:deployment-alarm-failure]
func (m *ECS) baked(s *service, d *deployment) bool {
	w := d.x.alarms
	if w == nil || w.done {
		return true
	}
	now := m.eng.Now()
	if w.bakeEnd == 0 {
		m.startAlarmWatch(s, d)
		w.bakeEnd = now.Add(m.bakeTime(w))
	}
	if now < w.bakeEnd {
		m.wakeAt(s, w.bakeEnd)
		return false
	}
	// A last look at the alarms before completing.
	return !m.pollAlarms(s, d)
}

// failByAlarms fails d because alarms went to ALARM, and rolls back to
// the last completed deployment when the alarms ask for it.
// [API:DeploymentAlarms] [DG:deployment-alarm-failure]
func (m *ECS) failByAlarms(s *service, d *deployment, firing []string) {
	names := strings.Join(firing, ", ")
	d.rollout = RolloutFailed
	d.reason = "ECS deployment " + d.id + " failed: alarm(s) " + names + " in ALARM state."
	d.updatedAt = m.eng.Now()
	w := d.x.alarms
	m.endAlarmWatch(d)
	rollback := w.cfg.Rollback
	if rollback && s.lastCompleted == nil {
		d.reason += " " + noRollbackTarget
	}
	m.serviceEvent(s, 0, "(service %s) (deployment %s) deployment failed: alarm(s) %s in ALARM state.", s.name, d.id, names)
	m.deploymentEvent(s, d, "ERROR", "SERVICE_DEPLOYMENT_FAILED")
	m.deploymentFailed(s, d, rollback && s.lastCompleted != nil)
	if !rollback || s.lastCompleted == nil {
		m.kick(s)
		return
	}
	m.rollBack(s, "ECS deployment alarms: rolling back to deploymentId "+s.lastCompleted.id+".")
}

// rollBack starts a deployment of the last completed deployment's
// revision, with reason as its rolloutStateReason.
// [API:DeploymentAlarms.rollback] [DG:deployment-failure-detection]
func (m *ECS) rollBack(s *service, reason string) {
	prev := s.lastCompleted
	s.launchType, s.strategy, s.net, s.placement, s.platformVer = prev.launchType, prev.strategy, prev.net, prev.placement, prev.platform
	m.newDeployment(s, prev.td, reason)
	m.serviceEvent(s, 0, "(service %s) rolling back to deployment %s.", s.name, prev.id)
	m.kick(s)
}
