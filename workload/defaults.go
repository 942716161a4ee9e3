package workload

import "time"

// The default timings of Fargate, in one place. Each is a uniform range:
// AWS publishes no distribution, the observations below are ranges, and a
// bounded range keeps every run's timeline within what users report.
// docs/fidelity.md lists the same numbers with their sources.
//
// End to end a default Fargate task goes PROVISIONING → RUNNING in
// provisioning + pull + start + activating = 18–47 s (mean 32.5 s). AWS
// says "It is normal for new AWS Fargate tasks to take 30-45 seconds or
// longer to start" (re:Post answer, repost.aws/questions/QUjZAzJd27SZWxXM7MgyxOZw).
const (
	// Provisioning: from RunTask to the pull starting. Fargate finds
	// capacity for the task's own micro-VM and creates and attaches its
	// ENI. AWS: awsvpc "adds an overhead of several seconds" for the ENI
	// alone (Best Practices, "Optimize Amazon ECS task launch time");
	// observed createdAt → pullStartedAt of 11 s and 44 s in one test run
	// (opensearch-project/opensearch-migrations#2116). 10–25 s covers the
	// common case; the long tail is left to faults.
	defaultProvisioningLo = 10 * time.Second
	defaultProvisioningHi = 25 * time.Second

	// Pull: Fargate caches nothing, every task pulls its whole image
	// (Fargate pull-behaviour page). A 413 MB image took 53–62 s from
	// creation to start through a NAT (elasticscale.com, "Reduce AWS
	// Fargate pull times with SOCI"), so about 35–45 s of pull and
	// extract; a typical 100–250 MB service image in the same region
	// takes roughly a quarter to a half of that. 6–16 s.
	defaultPullLo = 6 * time.Second
	defaultPullHi = 16 * time.Second

	// Start: container create and start after the pull, until the
	// process runs. Runtime work only (no application warm-up, which
	// belongs to health checks): 1–3 s.
	defaultStartLo = 1 * time.Second
	defaultStartHi = 3 * time.Second

	// Stop: a well-behaved process exits within a couple of seconds of
	// SIGTERM, well inside the 30 s default stopTimeout. Images that
	// ignore SIGTERM (a shell as PID 1) should set a StopTime longer
	// than stopTimeout to be SIGKILLed with exit code 137. 0.5–2 s.
	defaultStopLo = 500 * time.Millisecond
	defaultStopHi = 2 * time.Second

	// Activating: after the containers start, before RUNNING (service
	// discovery and per-task registrations). Control-plane work: 1–3 s.
	defaultActivatingLo = 1 * time.Second
	defaultActivatingHi = 3 * time.Second

	// Deactivating: after the stop is decided, before SIGTERM (the
	// deregistrations that mirror activating): 1 s of control-plane work.
	// A load balancer's deregistration delay would be separate; load
	// balancers are not modelled.
	defaultDeactivating = 1 * time.Second

	// Deprovisioning: after the containers exit, the ENI is detached and
	// deleted before the task is STOPPED; an EC2 detach takes seconds.
	// AWS documents no figure; 5–15 s is an assumption.
	defaultDeprovisioningLo = 5 * time.Second
	defaultDeprovisioningHi = 15 * time.Second
)

// Defaults returns the default image behaviour: a container of a typical
// service image on Fargate. It pulls in 6–16 s, starts in 1–3 s, runs
// until stopped with a passing health check, and exits 0.5–2 s after
// SIGTERM. See the constants in defaults.go for the reasoning behind each
// number.
func Defaults() Image {
	return Image{
		PullTime:    Uniform(defaultPullLo, defaultPullHi),
		StartTime:   Uniform(defaultStartLo, defaultStartHi),
		StopTime:    Uniform(defaultStopLo, defaultStopHi),
		HealthCheck: HealthPassing,
	}
}

// Platform is the task-level timing of Fargate that does not depend on the
// image: the task states around the containers' own lifecycle.
//
//	PROVISIONING ─Provisioning→ PENDING (pull, start) → ACTIVATING ─Activating→ RUNNING
//	RUNNING → DEACTIVATING ─Deactivating→ STOPPING (SIGTERM, stop) → DEPROVISIONING ─Deprovisioning→ STOPPED
type Platform struct {
	// Provisioning is the time in PROVISIONING: capacity and ENI.
	Provisioning Dist `json:"provisioning,omitzero"`
	// Activating is the time in ACTIVATING, after the containers run.
	Activating Dist `json:"activating,omitzero"`
	// Deactivating is the time in DEACTIVATING, before SIGTERM is sent.
	Deactivating Dist `json:"deactivating,omitzero"`
	// Deprovisioning is the time in DEPROVISIONING, after the containers
	// exit: ENI detach and delete.
	Deprovisioning Dist `json:"deprovisioning,omitzero"`
}

// FargatePlatform returns the default Fargate task-level timings:
// Provisioning 10–25 s, Activating 1–3 s, Deactivating 1 s and
// Deprovisioning 5–15 s. See the constants in defaults.go.
func FargatePlatform() Platform {
	return Platform{
		Provisioning:   Uniform(defaultProvisioningLo, defaultProvisioningHi),
		Activating:     Uniform(defaultActivatingLo, defaultActivatingHi),
		Deactivating:   Fixed(defaultDeactivating),
		Deprovisioning: Uniform(defaultDeprovisioningLo, defaultDeprovisioningHi),
	}
}
