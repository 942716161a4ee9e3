// Package ecs models the Amazon ECS control and data plane: clusters, the
// task definition registry, tasks and their containers, services and their
// deployments.
//
// Its exported methods are named after ECS API actions and take and return
// structs whose JSON field names are the API's, so that a document written
// for `aws ecs <action> --cli-input-json` decodes into the input struct
// unchanged. [ECS.Register] adds every action to an [api.Table] under the
// name "ecs:<Action>"; Go programs usually reach them through the World in
// the root package.
//
// Rolling deployments fail on the deployment circuit breaker and on
// CloudWatch alarms (deploymentConfiguration.alarms), which the model reads
// through the [Alarms] interface its World wires to package cloudwatch; each
// deployment is also a service deployment with a service revision, for
// ListServiceDeployments and its siblings. Tasks protected with
// UpdateTaskProtection are left alone when a service scales in or deploys.
//
// A service whose deploymentConfiguration.strategy is BLUE_GREEN, LINEAR or
// CANARY, behind a load balancer with an advancedConfiguration, deploys
// blue/green: the new revision scales up in the alternate target group, and
// traffic moves by the weights of the production and test listener rules,
// which the model sets through the [LoadBalancing] interface; lifecycle
// hooks pause it (ContinueServiceDeployment) or run simulated Lambda
// functions. A rollback shifts traffic back to the tasks that still run
// the earlier revision.
//
// The model never reads the wall clock or global randomness: time comes
// from the [sim.Engine] and identifiers from its seeded streams.
package ecs
