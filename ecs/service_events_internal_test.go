package ecs

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// TestServiceEventsRing: a service keeps its latest 100 events, and
// DescribeServices lists them newest first, before and after the ring
// wraps. [API:Service.events]
func TestServiceEventsRing(t *testing.T) {
	var e serviceEvents
	require.Empty(t, e.shape())
	for i := range 250 {
		e.add(serviceEventRecord{at: sim.Time(i), message: strconv.Itoa(i)})
		got := e.shape()
		require.Len(t, got, min(i+1, maxServiceEvents))
		require.LessOrEqual(t, cap(e.ring), max(8, 2*(i+1)), "the ring grows with the events")
		require.LessOrEqual(t, cap(e.ring), maxServiceEvents)
		for j, ev := range got {
			require.Equal(t, strconv.Itoa(i-j), ev.Message)
		}
	}
}
