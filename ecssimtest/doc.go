// Package ecssimtest holds test helpers for ecssim worlds: an invariant
// checker that inspects a World only through its public API after every
// event, and a compact timeline rendering for golden-trace tests.
package ecssimtest
