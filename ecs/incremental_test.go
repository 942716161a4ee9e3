package ecs_test

import (
	"testing"

	"github.com/ecssim/ecssim/ecs"
)

// requireCountsKeepTrace runs each seed with reconcile passes that walk
// the service's tasks for every count (and no pass skipped as quiet)
// and with passes that read the kept counts, and requires the same
// trace. The package's tests also recount the tasks on every pass that
// reads the counts and panic on any difference.
func requireCountsKeepTrace(t *testing.T, seeds uint64, run func(*testing.T, uint64) string) {
	t.Helper()
	requireSwitchKeepsTrace(t, seeds, func(on bool) { ecs.SetIncrementalPasses(on); ecs.SetQuietPasses(on) }, run)
}

// TestIncrementalPassesKeepTheTrace: random services (slow pulls,
// crashes, failing and flaky health checks, deployments, scaling, the
// circuit breaker) give the same trace whether reconcile counts their
// tasks by walking them or reads the counts kept as tasks change.
func TestIncrementalPassesKeepTheTrace(t *testing.T) {
	requireCountsKeepTrace(t, 40, quietRun)
}

// TestIncrementalPassesKeepTheTraceBehindALB: the same with load
// balancer health in play.
func TestIncrementalPassesKeepTheTraceBehindALB(t *testing.T) {
	requireCountsKeepTrace(t, 25, albQuietRun)
}
