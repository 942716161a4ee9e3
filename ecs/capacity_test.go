package ecs

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

func item(name string, base, weight int32) CapacityProviderStrategyItem {
	return CapacityProviderStrategyItem{CapacityProvider: api.String(name), Base: api.Int32(base), Weight: api.Int32(weight)}
}

// TestStrategySplit pins the documented worked example and the
// incremental choice agreeing with the split at every count.
func TestStrategySplit(t *testing.T) {
	strategy := []CapacityProviderStrategyItem{item("A", 2, 1), item("B", 0, 3)}
	require.Equal(t, []int{4, 6}, splitStrategy(strategy, 10), "base 2 on A, then 1:3")
	require.Equal(t, []int{1, 0}, splitStrategy(strategy, 1))
	require.Equal(t, []int{2, 0}, splitStrategy(strategy, 2))
	require.Equal(t, []int{2, 1}, splitStrategy(strategy, 3))

	for _, st := range [][]CapacityProviderStrategyItem{
		strategy,
		{item("FARGATE", 1, 1), item("FARGATE_SPOT", 0, 2)},
		{item("X", 0, 1), item("Y", 0, 1), item("Z", 5, 0)},
		{item("P", 0, 7), item("Q", 0, 3)},
	} {
		counts := map[string]int{}
		for n := 1; n <= 50; n++ {
			counts[pickProvider(st, counts)]++
			want := splitStrategy(st, n)
			for i, it := range st {
				require.Equal(t, want[i], counts[*it.CapacityProvider], "n=%d strategy %v", n, strategyKey(st))
			}
		}
	}
}
