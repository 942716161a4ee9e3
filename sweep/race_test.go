//go:build race

package sweep_test

// raceEnabled reports a build with the race detector, which makes each
// run some ten times slower: the acceptance sweep then uses fewer seeds.
const raceEnabled = true
