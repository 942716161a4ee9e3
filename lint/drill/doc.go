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
// A drill is deterministic: the same scenario and seed give the same
// result, and each result names the seed and the command that replays it.
package drill
