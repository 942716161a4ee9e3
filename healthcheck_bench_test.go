package ecssim_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// BenchmarkHealthCheckTick: BenchmarkFargateFleet's 10,000 tasks (1,000
// services × 10, a container health check every 30 s) without the
// deployments, settled for 30 minutes so that every container is
// HEALTHY; one op is one more simulated hour, whose events are the
// 1.2 M health checks and the services' metric samples. It reports the
// events per op and the process's CPU time (user + system) per op and
// per event, which is steadier than the wall time on a loaded machine.
// A check costs the tick hour's CPU time less the analytic hour's (no
// checks at all, the same metric samples) over the 1.2 M checks.
func BenchmarkHealthCheckTick(b *testing.B) {
	for _, mode := range []struct {
		name string
		tick bool
	}{{"healthchecks=tick", true}, {"healthchecks=analytic", false}} {
		b.Run(mode.name, func(b *testing.B) {
			w, err := ecssim.New(ecssim.Config{Seed: 1, TickHealthChecks: mode.tick})
			require.NoError(b, err)
			w.Trace().Keep(false)
			client := w.ECS()
			_, err = client.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("fleet")})
			require.NoError(b, err)
			_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1","healthCheck":{"command":["CMD-SHELL","curl -f http://localhost/health"],"interval":30}}]}`))
			require.NoError(b, err)
			for i := range 1000 {
				_, err := client.CreateService(&ecs.CreateServiceInput{
					Cluster: api.String("fleet"), ServiceName: api.String(fmt.Sprintf("svc-%04d", i)), TaskDefinition: api.String("app"),
					DesiredCount: api.Int32(10), LaunchType: api.String("FARGATE"),
					NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}},
				})
				require.NoError(b, err)
			}
			require.NoError(b, w.RunFor(30*time.Minute))
			eng := w.Engine()
			before := eng.Processed()
			cpu0 := cpuTime()
			for b.Loop() {
				require.NoError(b, w.RunFor(time.Hour))
			}
			cpu := float64(cpuTime()-cpu0) / float64(b.N)
			events := float64(eng.Processed()-before) / float64(b.N)
			b.ReportMetric(events, "events/op")
			b.ReportMetric(cpu, "cpu-ns/op")
			b.ReportMetric(cpu/events, "cpu-ns/event")
		})
	}
}

// cpuTime returns the CPU time (user + system) the process has used, in
// nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
