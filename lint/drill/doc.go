// Package drill runs a scenario through what-ifs that only a simulation
// can answer, each a simulated run of its own, and reports what happened
// with evidence from the run.
//
// The zone-loss drill takes down the Availability Zone of a service's
// first subnet for 15 minutes, during the service's first deployment after
// its creation when the scenario makes one (an ecs:UpdateService step),
// or 10 minutes after it is created otherwise, and watches the service's
// running count. It passes when the service is back to its desired count
// before the zone returns: a service in one subnet fails it, the same
// service in three subnets of three zones passes.
//
// The bad-rollout drill deploys, 10 minutes after the service is created,
// a revision of its task definition whose essential containers' image
// cannot be pulled, and watches the rollout for 30 minutes. It passes when
// the deployment was stopped and the service runs its previous revision
// with its desired count: the deployment circuit breaker with rollback
// does that; without it the deployment never ends.
//
// A drill is deterministic: the same scenario and seed give the same
// result, and each result names the seed and the command that replays it.
package drill
