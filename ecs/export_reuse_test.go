package ecs

// SetTaskRecordReuse turns the reuse of expired tasks' records on or
// off, for tests that compare traces both ways.
func SetTaskRecordReuse(on bool) { reuseTaskRecords = on }
