package ecs

// SetQuietPasses turns the skipping of quiet reconcile passes on or off,
// for tests that compare traces both ways.
func SetQuietPasses(on bool) { quietPasses = on }

// SetIncrementalPasses turns reading the kept task counts in reconcile
// passes on or off, for tests that compare traces both ways.
func SetIncrementalPasses(on bool) { incrementalPasses = on }
