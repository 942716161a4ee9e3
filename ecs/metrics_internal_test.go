package ecs

// Every test of the package checks the task counts that the CloudWatch
// feed and target tracking remember against a recount, and the metrics
// the feed keeps against a computation.
func init() { verifyTaskCounts, verifyMetrics = true, true }
