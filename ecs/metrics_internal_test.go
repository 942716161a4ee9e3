package ecs

// Every test of the package checks the task counts that the CloudWatch
// feed and target tracking remember against a recount.
func init() { verifyTaskCounts = true }
