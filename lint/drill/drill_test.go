package drill

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files of the drills")

func runDrill(t *testing.T, name, file string) []Result {
	t.Helper()
	sc, err := scenario.Load(filepath.Join("testdata", file))
	require.NoError(t, err)
	d := Lookup(name)
	require.NotNil(t, d)
	res, err := d.Run(sc, nil)
	require.NoError(t, err)
	return res
}

// report renders results the way the golden files hold them.
func report(file string, res []Result) string {
	var b strings.Builder
	for _, r := range res {
		verdict := "FAILED"
		if r.Passed {
			verdict = "passed"
		}
		b.WriteString(r.Drill + " " + r.Service + ": " + verdict + ": " + r.Summary + "\n")
		for _, e := range r.Evidence {
			b.WriteString("  " + e + "\n")
		}
		b.WriteString("  replay: " + r.Replay(file) + "\n")
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./lint/drill -run "+t.Name()+" -update to create it")
	require.Equal(t, string(want), got)
}

// TestZoneLoss: a service in one subnet fails the zone-loss drill; the same
// service in three subnets of three zones passes.
func TestZoneLoss(t *testing.T) {
	one := runDrill(t, "zone-loss", "one-subnet.yaml")
	require.Len(t, one, 1)
	require.False(t, one[0].Passed, one[0].Summary)
	require.Zero(t, one[0].Lowest)
	require.Equal(t, uint64(7), one[0].Seed)
	golden(t, "one-subnet.golden", report("one-subnet.yaml", one))

	three := runDrill(t, "zone-loss", "three-subnets.yaml")
	require.Len(t, three, 1)
	require.True(t, three[0].Passed, three[0].Summary)
	require.Less(t, three[0].Lowest, 3, "the zone's task stops")
	golden(t, "three-subnets.golden", report("three-subnets.yaml", three))
}

// TestZoneLossDeterministic: the same scenario and seed give the same
// result; another seed is honoured and named.
func TestZoneLossDeterministic(t *testing.T) {
	a := runDrill(t, "zone-loss", "three-subnets.yaml")
	b := runDrill(t, "zone-loss", "three-subnets.yaml")
	require.Equal(t, report("x", a), report("x", b))

	sc, err := scenario.Load(filepath.Join("testdata", "three-subnets.yaml"))
	require.NoError(t, err)
	seed := uint64(99)
	c, err := Lookup("zone-loss").Run(sc, &seed)
	require.NoError(t, err)
	require.Equal(t, uint64(99), c[0].Seed)
	require.Contains(t, c[0].Replay("three-subnets.yaml"), "--seed 99 ")
}

func TestZoneLossNeedsAService(t *testing.T) {
	sc, err := scenario.Parse("empty.yaml", []byte("name: empty\nsteps:\n  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: demo}}\n"))
	require.NoError(t, err)
	_, err = Lookup("zone-loss").Run(sc, nil)
	require.ErrorContains(t, err, "creates no service")
	require.Nil(t, Lookup("meteor"))
	require.NotEmpty(t, Drills())
}

// TestBadRollout: without the circuit breaker a revision whose image
// cannot be pulled deploys for ever; with it and its rollback, the
// service is back on its previous revision.
func TestBadRollout(t *testing.T) {
	off := runDrill(t, "bad-rollout", "three-subnets.yaml")
	require.Len(t, off, 1)
	require.False(t, off[0].Passed, off[0].Summary)
	golden(t, "bad-rollout-off.golden", report("three-subnets.yaml", off))

	on := runDrill(t, "bad-rollout", "breaker.yaml")
	require.Len(t, on, 1)
	require.True(t, on[0].Passed, on[0].Summary)
	require.Contains(t, on[0].Summary, "runs web:1 again with 3 of 3 tasks")
	golden(t, "bad-rollout-on.golden", report("breaker.yaml", on))
}

// TestSlowStart: an application declared to answer its health check in
// 20 s, started twice as slowly (40 s), is stopped before it turns healthy
// with a startPeriod of 10 s, and turns healthy with one of 60 s.
func TestSlowStart(t *testing.T) {
	short := runDrill(t, "slow-start", "slow-start-short.yaml")
	require.Len(t, short, 1)
	require.False(t, short[0].Passed, short[0].Summary)
	require.Contains(t, short[0].Summary, "raise the startPeriod of web (now 10s)")
	require.Contains(t, short[0].Evidence[0], "passes its health check 40s after it starts instead of 20s")
	golden(t, "slow-start-short.golden", report("slow-start-short.yaml", short))
	again := runDrill(t, "slow-start", "slow-start-short.yaml")
	require.Equal(t, report("x", short), report("x", again), "deterministic")

	long := runDrill(t, "slow-start", "slow-start-long.yaml")
	require.Len(t, long, 1)
	require.True(t, long[0].Passed, long[0].Summary)
	require.Equal(t, 3, long[0].Lowest)
	golden(t, "slow-start-long.golden", report("slow-start-long.yaml", long))

	// Without a declared start time or startPeriod there is nothing to
	// slow down.
	none := runDrill(t, "slow-start", "three-subnets.yaml")
	require.True(t, none[0].Passed)
	require.Contains(t, none[0].Summary, "nothing to slow down")
}

// TestSlowStartScenarioPasses: the failing drill's scenario holds by
// itself, at its declared start time.
func TestSlowStartScenarioPasses(t *testing.T) {
	sc, err := scenario.Load(filepath.Join("testdata", "slow-start-short.yaml"))
	require.NoError(t, err)
	out, err := scenario.Run(sc, scenario.Options{})
	require.NoError(t, err)
	require.Empty(t, out.Failures())
}

// TestTrafficSpike: tripled traffic saturates a service of fixed size,
// and a service with target tracking scales out and keeps up.
func TestTrafficSpike(t *testing.T) {
	fixed := runDrill(t, "traffic-spike", "spike-fixed.yaml")
	require.Len(t, fixed, 1)
	require.False(t, fixed[0].Passed, fixed[0].Summary)
	require.Contains(t, fixed[0].Summary, "it never scaled out")
	golden(t, "spike-fixed.golden", report("spike-fixed.yaml", fixed))

	scaling := runDrill(t, "traffic-spike", "spike-scaling.yaml")
	require.Len(t, scaling, 1)
	require.True(t, scaling[0].Passed, scaling[0].Summary)
	require.Contains(t, scaling[0].Summary, "it first scaled out")
	require.Greater(t, scaling[0].Lowest, 2, "more tasks at the end of the spike")
	golden(t, "spike-scaling.golden", report("spike-scaling.yaml", scaling))
	again := runDrill(t, "traffic-spike", "spike-scaling.yaml")
	require.Equal(t, report("x", scaling), report("x", again), "deterministic")

	none := runDrill(t, "traffic-spike", "three-subnets.yaml")
	require.True(t, none[0].Passed)
	require.Contains(t, none[0].Summary, "no traffic")
}

// TestScenariosDeterministic: each drill scenario run twice with its seed
// gives the same trace.
func TestScenariosDeterministic(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		sc, err := scenario.Load(file)
		require.NoError(t, err)
		var hashes []string
		for range 2 {
			out, err := scenario.Run(sc, scenario.Options{})
			require.NoError(t, err, file)
			hashes = append(hashes, out.World.Trace().Hash())
		}
		require.Equal(t, hashes[0], hashes[1], file)
	}
}

// TestSlowStartBehindALoadBalancer: an application that answers its load
// balancer in 20 s is stopped for failing ELB health checks once it takes
// 40 s, with a 30 s grace period; a 120 s grace period covers it.
func TestSlowStartBehindALoadBalancer(t *testing.T) {
	short := runDrill(t, "slow-start", "slow-start-alb.yaml")
	require.Len(t, short, 1)
	require.False(t, short[0].Passed, short[0].Summary)
	require.Contains(t, short[0].Evidence[0], "answers HTTP 40s after it starts instead of 20s")
	require.Contains(t, short[0].Summary, "healthCheckGracePeriodSeconds")
	golden(t, "slow-start-alb.golden", report("slow-start-alb.yaml", short))

	sc, err := scenario.Load(filepath.Join("testdata", "slow-start-alb.yaml"))
	require.NoError(t, err)
	for i := range sc.Steps {
		if sc.Steps[i].Call == "ecs:CreateService" {
			sc.Steps[i].Input = []byte(strings.Replace(string(sc.Steps[i].Input), `"healthCheckGracePeriodSeconds":30`, `"healthCheckGracePeriodSeconds":120`, 1))
		}
	}
	long, err := Lookup("slow-start").Run(sc, nil)
	require.NoError(t, err)
	require.True(t, long[0].Passed, long[0].Summary)
}
