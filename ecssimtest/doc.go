// Package ecssimtest holds test helpers for ecssim worlds.
//
// [NewWorld] makes a World for a test with the invariant checker switched
// on and checked when the test ends; [WaitRollout],
// [RequireRolloutCompleted], [RequireSteady], [RequireRunningCount] and
// [RequireEventually] run virtual time until a condition holds and fail
// the test, require-style, when it does not:
//
//	w := ecssimtest.NewWorld(t, ecssim.Config{Seed: 1})
//	// ... create a service, with w.ECS() or an AWS SDK client from awsapi.Config(w)
//	ecssimtest.RequireRolloutCompleted(t, w, "demo", "web", "web:1")
//
// The [Checker] inspects a World only through its public API, so that it
// checks the model independently of its internals; [Timeline] renders a
// trace compactly for golden-trace tests.
package ecssimtest
