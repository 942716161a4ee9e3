package ecs

import (
	"fmt"
	"math"
	"time"

	"github.com/ecssim/ecssim/sim"
)

// Managed scaling through CloudWatch. ECS publishes each associated
// capacity provider's CapacityProviderReservation once a minute and
// manages a target tracking scaling policy on its Auto Scaling group,
// whose two CloudWatch alarms decide when the group scales: AlarmHigh
// (one datapoint above targetCapacity) scales out, AlarmLow (15 datapoints
// below it) scales in. The alarms live in the World's CloudWatch
// ([ScalingCloudWatch]); their actions come back through
// [ECS.ManagedScalingAction].
// [API:ManagedScaling] [DG:managed-scaling-behavior] [DG:cluster-auto-scaling]

// Namespace, metric and dimensions of CapacityProviderReservation.
// [DG:cluster-auto-scaling]
const (
	NamespaceManagedScaling = "AWS/ECS/ManagedScaling"
	MetricReservation       = "CapacityProviderReservation"
)

// The alarms of managed scaling's target tracking policy: AlarmHigh one
// datapoint of 60 s above targetCapacity, AlarmLow 15 of 60 s below it
// ("CloudWatch scale-in alarms require 15 data points (15 minutes)").
// [DG:managed-scaling-behavior#managed-scaling-scalein]
// [https://github.com/aws/containers-roadmap/issues/638] (AlarmHigh 1 of 1)
const (
	scaleOutDatapoints = 1
	scaleInDatapoints  = 15
	metricPeriod       = time.Minute
)

// fromZeroInstances is how many instances a scale-out launches when the
// group has none: "Amazon ECS always scales-out to two instances
// initially". [DG:managed-scaling-behavior#scale-out-considerations]
const fromZeroInstances = 2

// scaleInHoldoff is how long after a scale-out no scale-in starts: "Amazon
// ECS waits 15 minutes after a scale-out process before starting scale-in
// processes at all times". [DG:managed-scaling-behavior#scale-out-considerations]
const scaleInHoldoff = 15 * time.Minute

// ScalingCloudWatch is the CloudWatch of managed scaling; the World
// implements it with package cloudwatch. Without one, managed scaling
// publishes nothing and never scales.
type ScalingCloudWatch interface {
	// PublishReservation publishes the CapacityProviderReservation of
	// provider in cluster for the minute that starts at minute.
	PublishReservation(provider, cluster string, minute sim.Time, value float64)
	// PutAlarm creates or replaces an alarm of managed scaling's policy.
	PutAlarm(ScalingAlarm) error
	// DeleteAlarms deletes alarms by name; unknown names are skipped.
	DeleteAlarms(names []string)
}

// ScalingAlarm is a CloudWatch alarm of managed scaling's target tracking
// policy: CapacityProviderReservation, Average over 60 s, N of N
// datapoints, TreatMissingData missing, the policy as its action.
type ScalingAlarm struct {
	Name, Description  string
	Provider, Cluster  string // the metric's dimensions
	EvaluationPeriods  int
	Threshold          float64
	ComparisonOperator string
	Action             string // the policy's ARN
}

// SetScalingCloudWatch makes cw the CloudWatch of managed scaling.
func (m *ECS) SetScalingCloudWatch(cw ScalingCloudWatch) { m.scalingCW = cw }

// scalingPolicy is the target tracking policy ECS manages on a group for
// a provider with managed scaling, and its alarms.
type scalingPolicy struct {
	name, arn       string
	alarmHigh, alow string
}

// associate ties a provider to a cluster and starts its managed scaling:
// ECS creates the group's target tracking policy and its alarms, and
// publishes the reservation on every whole minute.
func (m *ECS) associate(p *capacityProvider, cl *cluster) {
	if p.cl == cl {
		return
	}
	p.cl = cl
	if !p.managed {
		return
	}
	if p.policy == nil {
		m.createScalingPolicy(p)
	}
	p.timer.Cancel()
	p.timer, _ = m.eng.ScheduleArg(minuteEnd(m.eng.Now()), m.actScaling, p)
}

// release ends a provider's association with its cluster: no more
// datapoints, and the policy and its alarms are deleted.
func (m *ECS) release(p *capacityProvider) {
	p.cl = nil
	p.timer.Cancel()
	if p.policy != nil && m.scalingCW != nil {
		m.scalingCW.DeleteAlarms([]string{p.policy.alarmHigh, p.policy.alow})
	}
	p.policy = nil
}

// minuteEnd is the last instant (one nanosecond before the next whole
// minute) of the minute that holds t, or of the next minute when t is
// that instant. The reservation is sampled there, so that a minute's
// datapoint is the state the minute ended with: a change at the next whole
// minute (an alarm's scale-out, a scenario step) belongs to the next
// minute, as CloudWatch puts a sample in the minute that holds its
// timestamp.
func minuteEnd(t sim.Time) sim.Time {
	next := t - t%sim.Time(metricPeriod) + sim.Time(metricPeriod)
	if t == next-1 {
		next += sim.Time(metricPeriod)
	}
	return next - 1
}

// createScalingPolicy creates the policy ECSManagedAutoScalingPolicy-<uuid>
// on the provider's group, with alarms named as EC2 Auto Scaling names
// those of a target tracking policy. (Policy name: DescribeClusters
// attachment details in the ECS API reference; alarm names: EC2 Auto
// Scaling's TargetTracking-<group>-AlarmHigh/AlarmLow-<uuid>.)
func (m *ECS) createScalingPolicy(p *capacityProvider) {
	rng := m.eng.Rand("ecs/managed-scaling")
	id := sim.UUID(rng)
	g := p.asg
	pol := &scalingPolicy{name: "ECSManagedAutoScalingPolicy-" + id}
	pol.arn = fmt.Sprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:autoScalingGroupName/%s:policyName/%s",
		m.cfg.Region, m.cfg.AccountID, sim.UUID(rng), g.name, pol.name)
	pol.alarmHigh = fmt.Sprintf("TargetTracking-%s-AlarmHigh-%s", g.name, sim.UUID(rng))
	pol.alow = fmt.Sprintf("TargetTracking-%s-AlarmLow-%s", g.name, sim.UUID(rng))
	p.policy = pol
	if m.scalingCW == nil {
		return
	}
	desc := "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy " + pol.arn + "."
	for _, a := range []ScalingAlarm{
		{Name: pol.alarmHigh, EvaluationPeriods: scaleOutDatapoints, ComparisonOperator: "GreaterThanThreshold"},
		{Name: pol.alow, EvaluationPeriods: scaleInDatapoints, ComparisonOperator: "LessThanThreshold"},
	} {
		a.Description, a.Provider, a.Cluster, a.Threshold, a.Action = desc, p.name, p.cl.name, float64(p.target), pol.arn
		_ = m.scalingCW.PutAlarm(a) // a well-formed alarm: nothing to refuse
	}
}

func (m *ECS) onScalingTick(arg any) error {
	p := arg.(*capacityProvider)
	if p.cl == nil {
		return nil
	}
	m.publishReservation(p)
	p.timer, _ = m.eng.ScheduleArg(minuteEnd(m.eng.Now()), m.actScaling, p)
	return nil
}

// capacityNeeds returns what managed scaling sees of a provider now: the
// instances its group runs (those still launching count: capacity on its
// way) and N, the instances needed: those running at least one non-daemon
// task, plus what the tasks waiting for capacity would need, binpacked
// onto the group's instance type.
func (m *ECS) capacityNeeds(p *capacityProvider) (running, needed int) {
	g := p.asg
	running = len(g.instances) + g.launching
	for _, in := range g.instances {
		if !m.onlyDaemonsLeft(in) {
			needed++
		}
	}
	return running, needed + m.instancesForWaiting(p)
}

// reservationOf is CapacityProviderReservation = N / running × 100. With
// no instance running and tasks waiting it is 200 (the group scales from
// zero to two instances); with neither, 100 (nothing to do).
// [https://docs.amazonaws.cn/AmazonECS/latest/developerguide/cluster-auto-scaling.html] [DG:managed-scaling-behavior]
func reservationOf(running, needed int) float64 {
	switch {
	case running == 0 && needed > 0:
		return 200
	case running == 0:
		return 100
	}
	return float64(needed) / float64(running) * 100
}

// publishReservation publishes the datapoint of the minute that is
// ending: the reservation as it stands at its last instant.
func (m *ECS) publishReservation(p *capacityProvider) {
	running, needed := m.capacityNeeds(p)
	p.reservation = reservationOf(running, needed)
	if m.scalingCW != nil {
		now := m.eng.Now()
		m.scalingCW.PublishReservation(p.name, p.cl.name, now-now%sim.Time(metricPeriod), p.reservation)
	}
}

// ManagedScalingAction executes managed scaling's target tracking policy
// named by policyARN, as its alarm alarmName in ALARM invokes it (at every
// evaluation while the alarm stays in ALARM). It reports whether the ARN
// names such a policy.
//
// The alarm decides when; how far comes from the group as it is now (the
// alarm's datapoint is a minute or two old, and acting on it again while
// launched instances register would overshoot):
//   - AlarmHigh: from no instance, fromZeroInstances; otherwise
//     ceil(N × 100 / targetCapacity) − current, at least
//     minimumScalingStepSize and at most maximumScalingStepSize, and only
//     once every instance launched by the last scale-out is past
//     instanceWarmupPeriod;
//   - AlarmLow: not within scaleInHoldoff of a scale-out nor while
//     instances launch; toward ceil(N × 100 / targetCapacity), at least
//     one instance and fewer than half of the group each minute.
//
// [DG:managed-scaling-behavior]
func (m *ECS) ManagedScalingAction(policyARN, alarmName string) bool {
	var p *capacityProvider
	for _, name := range sortedKeys(m.providers) {
		if x := m.providers[name]; x.policy != nil && x.policy.arn == policyARN {
			p = x
		}
	}
	if p == nil {
		return false
	}
	if p.cl == nil || !p.managed {
		return true
	}
	g := p.asg
	now := m.eng.Now()
	running, needed := m.capacityNeeds(p)
	want := int(math.Ceil(float64(needed) * 100 / float64(p.target)))
	cur := g.desired
	cause := func(to int) string {
		return fmt.Sprintf("At %s a monitor alarm %s in state ALARM triggered policy %s changing the desired capacity from %d to %d.",
			now.Time().UTC().Format("2006-01-02T15:04:05Z"), alarmName, p.policy.name, cur, to)
	}
	switch alarmName {
	case p.policy.alarmHigh:
		if g.lastScaleOutAt != 0 && now.Sub(g.lastScaleOutAt) < p.warmup {
			return true
		}
		to := cur
		switch {
		case running == 0 && needed > 0:
			to = fromZeroInstances
		case want > cur:
			to = cur + min(max(want-cur, p.minS), p.maxS)
		}
		to = min(to, g.max)
		if to > cur {
			g.lastScaleOutAt = now
			m.setGroupDesired(g, to, cause(to))
		}
	case p.policy.alow:
		if (g.lastScaleOutAt != 0 && now.Sub(g.lastScaleOutAt) < scaleInHoldoff) || g.launching > 0 || want >= cur {
			return true
		}
		// "greater than one instance and less than 50% each minute"
		step := min(cur-want, max(1, (cur-1)/2))
		to := max(cur-step, g.min)
		if to < cur {
			m.setGroupDesired(g, to, cause(to))
		}
	}
	return true
}
