package ecs

// Every test of the package checks the counts that quietPass relies on
// against a recount of the service's tasks.
func init() { verifyQuietCounts = true }
