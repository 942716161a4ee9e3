package scenario

import (
	"errors"
	"fmt"
	"strconv"
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

// Error returns the problems, one per line, summarised as [ErrorList.Summary] does.
func (l ErrorList) Error() string { return strings.Join(l.Summary(), "\n") }

// MaxRepeats is how many problems with the same message [ErrorList.Summary]
// shows before it sums up the rest of them in one line.
const MaxRepeats = 5

// Summary returns the problems as lines, in order, but only the first
// MaxRepeats of those that share a message: after the last one shown, a
// line "… and N more like it (up to file:line)" stands for the rest. A
// file of a million identical mistakes thus reads as six lines, not a
// million.
func (l ErrorList) Summary() []string {
	count := map[string]int{}
	last := map[string]*Error{}
	for _, e := range l {
		count[e.Msg]++
		last[e.Msg] = e
	}
	seen := map[string]int{}
	var out []string
	for _, e := range l {
		seen[e.Msg]++
		n := seen[e.Msg]
		if n > MaxRepeats {
			continue
		}
		out = append(out, e.Error())
		if rest := count[e.Msg] - MaxRepeats; n == MaxRepeats && rest > 0 {
			out = append(out, fmt.Sprintf("… and %s more like it (the last at %s)", FormatCount(rest), last[e.Msg].Pos))
		}
	}
	return out
}

// FormatCount prints n with thousands separators: 475,711.
func FormatCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
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
