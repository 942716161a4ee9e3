// Package conformance locates the shared ECS conformance corpus for tests.
//
// The corpus (real task definitions, services and scaling requests, plus
// requests AWS rejects), when present, sits beside the repository at
// ../shared/conformance/ from the module root. A plain clone does not have
// it, so tests that need it call [Dir], which
// skips the test with a clear message when the corpus is absent. Never copy
// corpus files into the repository: testdata/ holds documents the project
// writes itself.
package conformance
