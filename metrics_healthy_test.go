package ecssim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/metrics"
)

// TestMinHealthyAgreesWithChecker: the lowest healthy count that package
// metrics reports for each deployment is the lowest the invariant checker
// (its own reading of the scheduler's health rule, after every event)
// saw while the deployment was in progress, in every service scenario,
// with and without load balancers and sidecars.
func TestMinHealthyAgreesWithChecker(t *testing.T) {
	measured := 0
	for _, sc := range append(append([]scenario(nil), scenarios...), albScenarios...) {
		t.Run(sc.name, func(t *testing.T) {
			f := newFleet(t, 1, sc.images)
			rec := metrics.Attach(f.w)
			c := ecssimtest.NewChecker(f.w)
			defer c.Close()
			start := f.w.Engine().Now()
			type sample struct {
				at      time.Duration
				healthy map[string]int // by "cluster/service"
			}
			var samples []sample
			sc.run(f, func(d time.Duration) {
				end := f.w.Engine().Now().Add(d)
				for f.w.Engine().NextAt() <= end {
					_, err := f.w.Step()
					require.NoError(t, err)
					c.Check()
					s := sample{at: f.w.Engine().Now().Sub(start), healthy: map[string]int{}}
					list, err := f.w.ECS().ListServices(&ecs.ListServicesInput{Cluster: api.String("demo")})
					require.NoError(t, err)
					for _, arn := range list.ServiceArns {
						_, name, _ := strings.Cut(arn, ":service/")
						s.healthy[name] = c.Healthy(arn)
					}
					samples = append(samples, s)
				}
				require.NoError(t, f.w.Engine().RunUntil(end))
			})
			require.NoError(t, c.Err())
			res := rec.Result(nil, nil)
			for _, dep := range res.Deployments {
				if dep.MinHealthy < 0 {
					continue
				}
				lowest := -1
				for _, s := range samples {
					if s.at < dep.Start || (dep.End >= 0 && s.at > dep.End) {
						continue
					}
					if h, ok := s.healthy[dep.Service]; ok && (lowest < 0 || h < lowest) {
						lowest = h
					}
				}
				require.Equal(t, lowest, dep.MinHealthy, "%s deployment %s from %s", dep.Service, dep.ID, dep.Start)
				measured++
			}
		})
	}
	require.Positive(t, measured)
}
