// Package elb simulates Elastic Load Balancing v2 for ECS services:
// application and network load balancers, listeners and rules, target
// groups with their attributes, targets and their health checks.
//
// Its actions are named "elbv2:<Action>" in the action table and take the
// API's PascalCase members, so a document that `aws elbv2 <command>
// --cli-input-json` takes works here; errors carry the API's codes
// (TargetGroupNotFound, DuplicateTargetGroupName, InvalidTarget,
// ResourceInUse, ValidationError, ...). Defaults and ranges are the
// API's: an HTTP target group checks "/" every 30 s with a 5 s timeout,
// expects 200, and needs 5 successes or 2 failures; a TCP group connects
// every 30 s with a 10 s timeout; the deregistration delay is 300 s.
//
// Target health follows the load balancer guides: a target registered with
// a group that a listener forwards to is "initial" (registration in
// progress, then initial health checks), "healthy" after one passing
// check, "unhealthy" after UnhealthyThresholdCount consecutive failures
// (with AWS's reason and description, e.g. "Health checks failed with
// these codes: [404]"), healthy again after HealthyThresholdCount
// consecutive passes, "draining" for the deregistration delay once
// deregistered, and "unused" while no listener forwards to its group. What
// a check gets back is data: the [Backend] answers it (the World answers
// with the behaviour of the container's image), and
// sim:FailTargetGroupHealthChecks makes a whole group's checks fail. Each
// change of a target's state is a trace event, "ELB Target Health Change".
//
// ECS services with loadBalancers register their tasks' targets through
// the methods of services.go (RegisterTarget, DeregisterTarget,
// TargetHealth), which the World hands to package ecs behind its
// LoadBalancing interface, and follow their health through
// [ELB.OnTargetHealthChange]; a container starting or exiting calls
// [ELB.TargetChanged] so that the checks of its targets are answered
// afresh.
//
// Health checks are not run one by one: since answers are known until a
// known instant, the model schedules only the check at which a target's
// state changes (see health.go). Config.TickHealthChecks runs every check
// instead, with the same trace.
//
// Traffic (traffic.go): sim:SetListenerTraffic gives a listener a
// workload.Traffic. Its requests are routed as rates at an instant, never
// one event per request: each class of requests (match.go; by default
// all are GET /) to the first rule by priority whose conditions match it,
// else the default action, by that action's forward weights to target
// groups, then across each group's healthy targets (failing open to
// unhealthy ones when none is healthy) by the group's algorithm and slow
// start; with no target to take them they are the load balancer's 503s.
// [ELB.Traffic] reports the routing per load balancer, group and target,
// which the World publishes as AWS/ApplicationELB metrics each minute, and
// [ELB.GroupLoads] gives ECS the load of each target, from which its
// tasks' CPU follows. A target whose load asks for more CPU than its task
// has answers requests and health checks that much more slowly, until
// the next GroupLoads: past the group's health-check timeout its checks
// fail with Target.Timeout, so overload can cascade.
//
// Not simulated: stickiness (its attribute is validated and stored),
// certificates, authentication actions, Gateway Load Balancers, lambda and
// alb targets, IPv6.
package elb
