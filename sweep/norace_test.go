//go:build !race

package sweep_test

// raceEnabled reports a build with the race detector.
const raceEnabled = false
