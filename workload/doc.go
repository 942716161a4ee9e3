// Package workload describes what the simulated world does, as opposed to
// what ECS does with it: how long images take to pull and start, how
// processes react to SIGTERM, whether and when they exit by themselves,
// what their health checks answer, and the task-level timings of Fargate.
//
// # Distributions
//
// Every time is a [Dist], a distribution of durations sampled through a
// seeded stream from the engine (sim.Engine.Rand), never through global
// randomness, so the same seed gives the same timeline. Dists have a text
// form, used in scenario files and JSON:
//
//	8s                      always 8 s (a Go duration; a bare number is seconds)
//	uniform(5s,15s)         uniform between 5 and 15 s
//	normal(10s,2s)          normal, mean 10 s, standard deviation 2 s, truncated at 0
//	exp(30s)                exponential with mean 30 s
//	lognormal(10s,0.5)      log-normal with median 10 s and σ 0.5
//
// # Images
//
// An [Image] is the behaviour of the containers of one image. A
// [Behaviours] maps image names to Images: exact names, then glob patterns
// in the order they were set, then a default. [Behaviours.For] fills the
// pull, start and stop times an Image leaves unset from the default image,
// so a behaviour that only says how a container fails still pulls and
// starts realistically:
//
//	b := workload.NewBehaviours()
//	exit := workload.Fixed(20 * time.Second)
//	b.Set("myapp:*", workload.Image{ExitAfter: &exit, ExitCode: 1})
//	img := b.For("myapp:1.4")          // pulls in 6–16 s, exits 20 s after starting
//	d := img.PullTime.Sample(e.Rand("workload/pull-time"))
//
// # Defaults
//
// [Defaults] and [FargatePlatform] hold ecssim's assumptions about a
// typical Fargate task, with a task taking 18–47 s from PROVISIONING to
// RUNNING. The numbers and their sources are in defaults.go and
// docs/fidelity.md.
package workload
