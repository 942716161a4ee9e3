package elb_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// everyMinute asks for tg's loads at the last instant of every minute,
// as the ECS metrics do, for d.
func (f *fixture) everyMinute(t *testing.T, tg string, d time.Duration) {
	t.Helper()
	f.minuteLoads(t, tg)
	f.run(t, d)
}

// minuteLoads asks for tg's loads at the last instant of every minute
// from now on, as the ECS metrics do.
func (f *fixture) minuteLoads(t *testing.T, tg string) {
	t.Helper()
	var act sim.Action
	act = func(any) error {
		f.m.GroupLoads(tg)
		_, err := f.eng.ScheduleArg(f.eng.Now().Add(time.Minute), act, nil)
		return err
	}
	_, err := f.eng.ScheduleArg(f.eng.Now().Add(time.Minute-1), act, nil)
	require.NoError(t, err)
}

// saturated runs two targets of 1 vCPU behind a listener of 600 requests
// per second of 10 ms each (6 vCPU): A answers in 1 s, B in 400 ms; the
// group times its checks out after 2 s, every 5 s, 2 to change state.
func saturated(t *testing.T, tick, loads bool) *fixture {
	f := newFixture(t, tick)
	f.backend.cpu = 1
	x := f.trafficALB(t, 1)
	tg := x.groups[0]
	f.backend.scripts["172.31.0.10"] = []step{{status: 200, latency: time.Second}}
	f.backend.scripts["172.31.16.11"] = []step{{status: 200, latency: 400 * time.Millisecond}}
	f.register(t, tg, "172.31.0.10", "172.31.16.11")
	if loads {
		f.everyMinute(t, tg, 10*time.Minute)
	} else {
		f.run(t, 10*time.Minute)
	}
	return f
}

// TestSaturatedTargetsTimeOut: each target gets 3 vCPU of requests, 3
// times what it has, so its answers take 3 times as long from the first
// minute's loads on: A's checks (3 s) time out and it turns unhealthy
// with Target.Timeout; its requests move to B, 6 times over capacity
// (2.4 s), which times out in turn while A, idle, recovers; and so on.
// Analytic and tick modes give the same trace. Without the loads,
// nothing slows down and no check times out.
func TestSaturatedTargetsTimeOut(t *testing.T) {
	a := saturated(t, false, true)
	b := saturated(t, true, true)
	got := healthTrace(a.eng)
	require.Equal(t, healthTrace(b.eng), got)
	require.Equal(t, b.eng.Trace().Hash(), a.eng.Trace().Hash())
	require.Greater(t, b.eng.Processed(), a.eng.Processed(), "the analytic mode skips checks")
	// The load balancer is active from 2 minutes: the first loads come
	// at 2m59.999999999s. A fails the checks at 3m0s and 3m5s; then B
	// takes every request (6 times over capacity) and A none: B times out
	// and A recovers, and so on, a minute at a time.
	var lines []string
	for _, line := range got[4:] {
		lines = append(lines, regexp.MustCompile(`targetgroup/tg-a/[0-9a-f]+ `).ReplaceAllString(line, ""))
	}
	require.Equal(t, []string{
		`15s 172.31.0.10:80 healthy  ""`,
		`15s 172.31.16.11:80 healthy  ""`,
		`3m5s 172.31.0.10:80 unhealthy Target.Timeout "Request timed out"`,
		`4m5s 172.31.0.10:80 healthy  ""`,
		`4m5s 172.31.16.11:80 unhealthy Target.Timeout "Request timed out"`,
		`5m5s 172.31.0.10:80 unhealthy Target.Timeout "Request timed out"`,
		`5m5s 172.31.16.11:80 healthy  ""`,
		`6m5s 172.31.0.10:80 healthy  ""`,
		`6m5s 172.31.16.11:80 unhealthy Target.Timeout "Request timed out"`,
		`7m5s 172.31.0.10:80 unhealthy Target.Timeout "Request timed out"`,
		`7m5s 172.31.16.11:80 healthy  ""`,
		`8m5s 172.31.0.10:80 healthy  ""`,
		`8m5s 172.31.16.11:80 unhealthy Target.Timeout "Request timed out"`,
		`9m5s 172.31.0.10:80 unhealthy Target.Timeout "Request timed out"`,
		`9m5s 172.31.16.11:80 healthy  ""`,
	}, lines)

	quiet := healthTrace(saturated(t, false, false).eng)
	require.NotContains(t, fmt.Sprint(quiet), "Target.Timeout")
}

// TestHealthChecksAnalyticEqualsTickSaturated is
// TestHealthChecksAnalyticEqualsTick with traffic that saturates the
// targets by changing amounts every minute, so that their checks slow
// down, time out and recover as their loads move.
func TestHealthChecksAnalyticEqualsTickSaturated(t *testing.T) {
	timeouts := 0
	for seed := range uint64(50) {
		a := randomHealthLoad(t, seed, false, true)
		b := randomHealthLoad(t, seed, true, true)
		require.Equal(t, healthTrace(b.eng), healthTrace(a.eng), "seed %d", seed)
		require.Equal(t, b.eng.Trace().Hash(), a.eng.Trace().Hash(), "seed %d", seed)
		timeouts += strings.Count(strings.Join(healthTrace(a.eng), "\n"), "unhealthy Target.Timeout")
	}
	// Overload, not only the scripts' latencies, times checks out: the
	// same runs without loads time out less.
	quiet := 0
	for seed := range uint64(50) {
		quiet += strings.Count(strings.Join(healthTrace(randomHealthLoad(t, seed, false, false).eng), "\n"), "unhealthy Target.Timeout")
	}
	t.Logf("timeouts %d with loads, %d without", timeouts, quiet)
	require.Greater(t, timeouts, quiet+50)
}
