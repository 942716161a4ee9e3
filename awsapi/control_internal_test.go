package awsapi

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
)

// TestRunStopsForCancelAndReset: a run in slices stops when its request is
// cancelled (the client went away) and when the World is reset under it.
func TestRunStopsForCancelAndReset(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	s := New(w)
	start := w.Now()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s.runSliced(ctx, s.gen, "", start.Add(time.Hour))
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, start, w.Now(), "a cancelled run does not move the clock")

	_, err = s.runSliced(context.Background(), s.gen+1, "", start.Add(time.Hour))
	require.ErrorIs(t, err, errReset)

	c, err := s.runSliced(context.Background(), s.gen, "", start.Add(90*time.Second+time.Millisecond))
	require.NoError(t, err)
	require.Equal(t, "2026-01-01T00:01:30.001Z", c.Now, "slices never overshoot the end")
}

func TestFollowRefusesNonsense(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	s := New(w)
	stop := make(chan struct{})
	require.Error(t, s.Follow(0, time.Second, stop))
	require.Error(t, s.Follow(1, 0, stop))
	require.Error(t, s.Follow(1e30, time.Second, stop), "a tick may not exceed MaxRunSpan")
}
