package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestTime(t *testing.T) {
	require.Equal(t, "2000-01-01T00:00:00.000Z", Time(0).String())
	require.Equal(t, "2000-01-01T00:00:01.500Z", Time(1500*time.Millisecond).String())
	require.Equal(t, "never", Never.String())

	wall := time.Date(2024, 3, 5, 6, 7, 8, 9, time.UTC)
	require.True(t, wall.Equal(FromTime(wall).Time()))
	require.Equal(t, Time(0), FromTime(Epoch))
	require.Equal(t, time.UTC, Time(5).Time().Location())

	a := sec(10)
	b := a.Add(90 * time.Second)
	require.Equal(t, sec(100), b)
	require.Equal(t, 90*time.Second, b.Sub(a))
	require.True(t, a.Before(b))
	require.False(t, b.Before(a))
	require.True(t, b.After(a))
	require.False(t, a.After(a))
}

func TestClock(t *testing.T) {
	start := sec(100)
	tests := []struct {
		at   Time
		want string
	}{
		{start, "0:00:00"},
		{start.Add(59 * time.Second), "0:00:59"},
		{start.Add(61*time.Minute + 5*time.Second + 999*time.Millisecond), "1:01:05"},
		{start.Add(100 * time.Hour), "100:00:00"},
		{start.Add(-90 * time.Second), "-0:01:30"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, tc.at.Clock(start))
	}
}
