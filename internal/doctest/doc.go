// Package doctest checks the code samples in the project's Markdown files
// (README.md, docs/*.md and the README.md of every package). Its test,
// TestSamples, finds every fenced block and checks it by its language:
//
//   - go: a complete program (it begins with a package clause) is built in
//     a temporary module that requires this one; a fragment must say which
//     compiled file it comes from (see below), and its lines must appear
//     there, in order.
//   - yaml: a block whose top-level keys are scenario keys is parsed and
//     checked as a scenario (a missing name, duration or steps list is
//     filled in; input files are looked up beside the built-in examples,
//     so samples name those, e.g. inputs/nginx-taskdef.json); any other
//     YAML must at least parse.
//   - json: must parse.
//   - sh: every ecssim command line ("ecssim run x.yaml", "go run
//     ./cmd/ecssim scenarios") is checked against the command, built for
//     the test: its subcommand must exist and every --flag it uses must be
//     one the subcommand's --help lists. Other commands (go, aws, curl)
//     are not run.
//   - text and blocks without a language are program output; they are not
//     checked.
//
// A block may be preceded, on the line just before its opening fence, by
// an HTML comment that GitHub does not render:
//
//	<!-- sample: from PATH -->    the block's lines are an excerpt of PATH,
//	                              a file of this repository that the build
//	                              or the tests compile or run (an Example
//	                              function, a scenario under scenario/examples)
//	<!-- sample: skip REASON -->  the block is not checked; REASON says why
//
// Fragments of Go must use one of the two: a fragment that is neither a
// program nor marked fails the test. With -short, programs are not built
// and command lines are not checked (both build with the go command); the
// full suite, which CI runs, does both.
package doctest
