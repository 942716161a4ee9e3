package scenario

import (
	"errors"
	"fmt"
	"strings"
)

// Pos is a place in a file: the file name as it was given, and a 1-based
// line and column. A zero Line means the whole file.
type Pos struct {
	File string
	Line int
	Col  int
}

// String returns "file:line", or the file alone when the line is unknown.
func (p Pos) String() string {
	if p.Line <= 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Error is one problem with a scenario file, at a position in it (or in
// an input file that it names).
type Error struct {
	Pos Pos
	Msg string
	// Err is the underlying error, when there is one (an [*api.Error] from
	// decoding an input, an I/O error).
	Err error

	anchor int // the scenario line the problem sorts at
}

// Error returns "file:line: message".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every problem found in a scenario file, in file order. Load
// and Parse return one (as an error) so that a user sees all problems at
// once.
type ErrorList []*Error

// Error returns the problems, one per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Errors returns the problems as a slice of errors.
func (l ErrorList) Errors() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Unwrap returns the problems, so that errors.As finds an [*Error].
func (l ErrorList) Unwrap() []error { return l.Errors() }

// errorsOf flattens err into a list of errors: an ErrorList into its
// entries, anything else into itself.
func errorsOf(err error) []error {
	if err == nil {
		return nil
	}
	var l ErrorList
	if errors.As(err, &l) {
		return l.Errors()
	}
	return []error{err}
}
