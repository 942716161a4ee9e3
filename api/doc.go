// Package api holds what every simulated AWS service shares: the action
// table, typed AWS errors, and the JSON conventions of the AWS APIs
// (timestamps as epoch seconds, tags, pagination tokens).
//
// # The action table
//
// Every API action, "ecs:RegisterTaskDefinition" as much as
// "sim:FailAvailabilityZone", is one entry of a [Table]: a typed Go handler
// registered with [Register]. The table reaches it in two ways:
//
//   - [Table.Invoke] takes the action's JSON input (the very document that
//     `aws ecs register-task-definition --cli-input-json` reads), decodes it
//     strictly into the input struct, runs the handler and encodes the output
//     in the shape AWS returns. The scenario runner and the HTTP endpoint use
//     this path.
//   - [Call] takes the typed input struct and returns the typed output. Go
//     programs and tests use this path.
//
// Both go through the same entry and the same hooks, so a behaviour is
// written once and every surface sees it the same way.
//
// # Errors
//
// An API failure is an [*Error] carrying the AWS error code
// ("ClientException", "ClusterNotFoundException", ...), an AWS-like message
// and whether it is the client's or the server's fault. Match it with
// errors.As, or with [ErrorCode].
package api
