package ecs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTargetHealthChangedNoAllocation: the World tells ECS of every
// target health change in the simulation; finding the task behind the
// target builds no key.
func TestTargetHealthChangedNoAllocation(t *testing.T) {
	m := &ECS{targetTask: map[targetKey]*task{}}
	tg := "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
	allocs := testing.AllocsPerRun(100, func() { m.TargetHealthChanged(tg, "10.0.0.12", 8080) })
	require.Zero(t, allocs)
}
