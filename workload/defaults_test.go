package workload

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDefaults(t *testing.T) {
	d := Defaults()
	require.NoError(t, d.Validate())
	require.Equal(t, "uniform(6s,16s)", d.PullTime.String())
	require.Equal(t, "uniform(1s,3s)", d.StartTime.String())
	require.Equal(t, "uniform(500ms,2s)", d.StopTime.String())
	require.Nil(t, d.ExitAfter, "runs until stopped")
	require.Nil(t, d.HealthCheckFailsAfter)
	require.Equal(t, HealthPassing, d.HealthCheck)
	require.Zero(t, d.ExitCode)
	require.Empty(t, d.PullError)
	require.Equal(t, d, Defaults(), "a fresh value every call, always the same")

	p := FargatePlatform()
	require.Equal(t, "uniform(10s,25s)", p.Provisioning.String())
	require.Equal(t, "uniform(1s,3s)", p.Activating.String())
	require.Equal(t, "1s", p.Deactivating.String())
	require.Equal(t, "uniform(5s,15s)", p.Deprovisioning.String())

	// The stop default fits well inside ECS's default 30 s stopTimeout.
	r := rand.New(rand.NewPCG(1, 1))
	for range 1000 {
		require.Less(t, d.StopTime.Sample(r), 30*time.Second)
	}
}

// TestFargateStartupTime checks the claim in the docs: a default Fargate
// task takes tens of seconds from PROVISIONING to RUNNING, 18–47 s, with a
// mean near the 30–45 s that AWS calls normal.
func TestFargateStartupTime(t *testing.T) {
	p, img := FargatePlatform(), Defaults()
	r := rand.New(rand.NewPCG(7, 7))
	const n = 20000
	var sum time.Duration
	lo, hi := time.Duration(1<<62), time.Duration(0)
	for range n {
		d := p.Provisioning.Sample(r) + img.PullTime.Sample(r) + img.StartTime.Sample(r) + p.Activating.Sample(r)
		sum += d
		lo, hi = min(lo, d), max(hi, d)
	}
	require.GreaterOrEqual(t, lo, 18*time.Second)
	require.LessOrEqual(t, hi, 47*time.Second)
	require.InDelta(t, 32.5, (sum / n).Seconds(), 0.5)
}

func TestPlatformJSON(t *testing.T) {
	b, err := json.Marshal(FargatePlatform())
	require.NoError(t, err)
	require.Equal(t, `{"provisioning":"uniform(10s,25s)","activating":"uniform(1s,3s)","deactivating":"1s","deprovisioning":"uniform(5s,15s)"}`, string(b))
	var p Platform
	require.NoError(t, json.Unmarshal(b, &p))
	require.Equal(t, FargatePlatform(), p)
	b, err = json.Marshal(Platform{})
	require.NoError(t, err)
	require.Equal(t, `{}`, string(b))
}
