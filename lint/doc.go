// Package lint checks Amazon ECS documents against the best practices of
// the ECS guide this project follows and the guidance AWS adds to them:
// pinned image tags, sized tasks, secrets kept out of environment
// variables, logging, health checks with a start period, the deployment
// circuit breaker, several subnets and zones, deployment percentages that
// let a rollout progress, and tuned scaling cooldowns.
//
// A document is the JSON input of one AWS action: a task definition
// (register-task-definition), a service (create-service), a scalable
// target (register-scalable-target) or a scaling policy
// (put-scaling-policy), exactly as the AWS CLI's --cli-input-json takes
// it. [Check] runs every rule that applies to the document's kind and
// returns its findings, each with the rule, a message and the JSON path of
// the field it is about; callers that hold the file's text turn the path
// into a line and column (package jsonpos does that for JSON).
//
// Lint assumes a valid document: it reads the fields it needs and does
// not repeat AWS's validation. Run the validation first (the ecssim lint
// command does) and report an invalid document as such.
//
// Rules are static: they read one document. Every rule has a stable ID
// (ECS001, ...), a severity, the reason in one sentence, the fix and a
// source; [Rules] lists them and docs/lint.md describes them with
// examples.
package lint
