// Package scenario reads scenario files and runs them.
//
// A scenario is a script of AWS API calls at simulated times, using the
// very JSON documents one gives the aws CLI, together with what the world
// does (how container images behave, faults) and what should hold at
// given times. It is YAML or JSON; docs/scenarios.md documents every key.
//
//	name: nginx-rolling-update
//	seed: 42
//	duration: 20m
//	images:
//	  "public.ecr.aws/nginx/nginx:*": {pullTime: 8s, startTime: 1s}
//	steps:
//	  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: demo}}
//	  - {at: 0s, call: ecs:RegisterTaskDefinition, inputFile: taskdef.json}
//	  - {at: 0s, call: ecs:CreateService, inputFile: service.json}
//	expect:
//	  - {at: 20m, service: demo/nginx, runningCount: 3, rolloutState: COMPLETED}
//
// # Loading
//
// [Load], [LoadFS] and [Parse] check everything that can be checked before
// the simulation starts, and report every problem at once as an
// [ErrorList] of [*Error] values, each with its file:line: YAML syntax,
// unknown keys anywhere, bad durations, unknown call names, missing input
// files, inputs that do not decode into the action's input shape, and
// expected values of the wrong type. [Validate] does the same for a path
// and returns the problems as a slice; [Sniff] tells a scenario from other
// documents. Malformed input gives errors, never a panic.
//
// # Parameters
//
// A params block declares named, typed values with defaults; `${name}`
// refers to one anywhere else in the file. [LoadWith], [LoadFSWith],
// [ParseWith] and [LoadExampleWith] take [Settings] that replace the
// defaults (what `ecssim run --set` gives); the parsed [Scenario.Params]
// record the values used, and [Scenario.Sweep] the file's sweep block
// (the seeds and grid that `ecssim sweep` runs by default). Substitution happens on the YAML tree before
// anything else reads it, so every check applies to the substituted file
// and reports the line of the reference.
//
// # Running
//
// [Run] builds a World from the scenario (seed, start, region, network,
// image behaviours), makes each step's call at its time through the
// World's action table, and checks each expectation at its time. Hooks in
// [Options] let the caller watch the trace, the steps and the checks as
// they happen; package report formats them. Same scenario and seed, same
// trace, byte for byte.
//
// The embedded examples ([Examples], [LoadExample]) are the scenarios that
// `ecssim scenarios` lists and `ecssim run example:NAME` runs;
// [ExportExample] writes one and its input files into a directory, which
// is what `ecssim scenarios NAME --export DIR` does.
package scenario
