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
// The slow-start drill makes the application of each essential container
// start twice as slowly as the scenario declares (its image's
// healthyAfter, else the health check's startPeriod; and its
// http.readyAfter for a load balancer) and watches the service for 10
// minutes. It passes when no task was stopped for failing health checks:
// a startPeriod of 10 s with an application that answers in 40 s fails it.
//
// The traffic-spike drill triples the service's traffic (its
// sim:SetTraffic) for 30 minutes and reads when auto scaling acted and
// the service's CPU from CloudWatch. It passes when no minute's CPU is
// saturated from 15 minutes into the spike on.
//
// A drill is deterministic: the same scenario and seed give the same
// result, and each result names the seed and the command that replays it.
package drill
