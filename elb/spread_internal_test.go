package elb

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// spreadGroup creates a target group with n ip targets, all healthy.
func spreadGroup(t *testing.T, m *ELB, name string, n int) *targetGroup {
	t.Helper()
	out, err := m.CreateTargetGroup(&CreateTargetGroupInput{Name: &name, Protocol: api.String(ProtocolHTTP), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), TargetType: api.String(TargetTypeIP)})
	require.NoError(t, err)
	tg := m.tgByArn[out.TargetGroups[0].TargetGroupArn]
	var ds []TargetDescription
	for i := range n {
		ds = append(ds, TargetDescription{Id: api.String(fmt.Sprintf("172.31.0.%d", 10+i))})
	}
	_, err = m.RegisterTargets(&TargetsInput{TargetGroupArn: &tg.arn, Targets: ds})
	require.NoError(t, err)
	for _, x := range tg.targets {
		m.setTargetHealth(x, HealthHealthy, "", 0)
	}
	return tg
}

// TestSpreadKeptPerGroup: a group's shares stay valid while other groups
// are routed at the same instant, and are computed afresh once a target
// changes health at that instant.
func TestSpreadKeptPerGroup(t *testing.T) {
	eng := sim.New(1, sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	m := New(eng, Config{Region: "us-east-1", AccountID: "123456789012"})
	a, b := spreadGroup(t, m, "a", 2), spreadGroup(t, m, "b", 4)
	at := eng.Now()

	sa, _ := m.spread(a, at)
	require.Equal(t, []float64{0.5, 0.5}, sa)
	sb, _ := m.spread(b, at)
	require.Equal(t, []float64{0.25, 0.25, 0.25, 0.25}, sb)
	require.Equal(t, []float64{0.5, 0.5}, sa, "routing group b leaves group a's shares alone")
	again, _ := m.spread(a, at)
	require.Same(t, &sa[0], &again[0], "the same instant reads the kept shares")

	m.setTargetHealth(a.targets[0], HealthUnhealthy, ReasonFailedHealthChecks, 0)
	sa, failOpen := m.spread(a, at)
	require.Equal(t, []float64{0, 1}, sa, "a change of health at the same instant is seen")
	require.False(t, failOpen)
	m.setTargetHealth(a.targets[1], HealthUnhealthy, ReasonFailedHealthChecks, 0)
	sa, failOpen = m.spread(a, at)
	require.Equal(t, []float64{0.5, 0.5}, sa)
	require.True(t, failOpen)
}

// TestSpreadTimeless: shares that do not depend on the instant are kept
// across instants until something changes; shares with a target in slow
// start are computed again at the next instant.
func TestSpreadTimeless(t *testing.T) {
	eng := sim.New(1, sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	m := New(eng, Config{Region: "us-east-1", AccountID: "123456789012"})
	a := spreadGroup(t, m, "a", 2)
	at := eng.Now()
	sa, _ := m.spread(a, at)
	require.Equal(t, []float64{0.5, 0.5}, sa)
	later := at.Add(time.Minute)
	sa, _ = m.spread(a, later)
	require.Equal(t, []float64{0.5, 0.5}, sa)
	require.Equal(t, at, a.spreadAt, "round robin without slow start: kept")

	// A third target turns healthy at `at`, with 60 s of slow start.
	_, err := m.ModifyTargetGroupAttributes(&ModifyTargetGroupAttributesInput{TargetGroupArn: &a.arn,
		Attributes: []TargetGroupAttribute{{Key: api.String(AttrSlowStart), Value: api.String("60")}}})
	require.NoError(t, err)
	_, err = m.RegisterTargets(&TargetsInput{TargetGroupArn: &a.arn, Targets: []TargetDescription{{Id: api.String("172.31.0.20")}}})
	require.NoError(t, err)
	m.setTargetHealth(a.targets[2], HealthHealthy, "", 0)
	for _, x := range a.targets[:2] {
		x.healthySince = at.Add(-10 * time.Minute) // long out of slow start
	}
	sa, _ = m.spread(a, at.Add(15*time.Second)) // a quarter of its fair third
	require.InDeltaSlice(t, []float64{1./3 + 1./8, 1./3 + 1./8, 1. / 12}, sa, 1e-12)
	sa, _ = m.spread(a, at.Add(30*time.Second)) // half
	require.InDeltaSlice(t, []float64{1./3 + 1./12, 1./3 + 1./12, 1. / 6}, sa, 1e-12, "in slow start: computed at every instant")
	sa, _ = m.spread(a, at.Add(90*time.Second))
	require.InDeltaSlice(t, []float64{1. / 3, 1. / 3, 1. / 3}, sa, 1e-12)
	sa, _ = m.spread(a, at.Add(150*time.Second))
	require.InDeltaSlice(t, []float64{1. / 3, 1. / 3, 1. / 3}, sa, 1e-12)
	require.Equal(t, at.Add(90*time.Second), a.spreadAt, "out of slow start: kept again")
}

// TestSpreadKeptWhileOtherGroupsChange: a change of health, a new target
// or a removed one in group b leaves group a's kept shares and host
// counts in place at later instants; a change in group a itself (here a
// new target) has them computed again.
func TestSpreadKeptWhileOtherGroupsChange(t *testing.T) {
	eng := sim.New(1, sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	m := New(eng, Config{Region: "us-east-1", AccountID: "123456789012"})
	a, b := spreadGroup(t, m, "a", 2), spreadGroup(t, m, "b", 4)
	at := eng.Now()
	m.spread(a, at)
	m.hostCounts(a)
	kept := func() bool { return a.spreadAt == at && a.hostsChanges == a.changes }

	m.setTargetHealth(b.targets[0], HealthUnhealthy, ReasonFailedHealthChecks, 0)
	_, err := m.RegisterTargets(&TargetsInput{TargetGroupArn: &b.arn, Targets: []TargetDescription{{Id: api.String("172.31.0.30")}}})
	require.NoError(t, err)
	m.removeTarget(b.targets[1])
	later := at.Add(time.Minute)
	sa, _ := m.spread(a, later)
	require.Equal(t, []float64{0.5, 0.5}, sa)
	require.Equal(t, 2, m.hostCounts(a).healthy)
	require.True(t, kept(), "group b's changes leave group a's kept routing")

	_, err = m.RegisterTargets(&TargetsInput{TargetGroupArn: &a.arn, Targets: []TargetDescription{{Id: api.String("172.31.0.31")}}})
	require.NoError(t, err)
	require.False(t, kept(), "a new target in group a")
	sa, _ = m.spread(a, later)
	require.Equal(t, []float64{0.5, 0.5, 0}, sa, "the new target is initial")
	require.Equal(t, later, a.spreadAt)
}
