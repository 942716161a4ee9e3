package jsonpos

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Seg is one step of a JSON path: an object member or a list index.
type Seg struct {
	// Key is the member name of an object step.
	Key string
	// Index is the position of a list step.
	Index int
	// IsIndex tells a list step from an object step.
	IsIndex bool
}

// ParsePath splits a path of the form a.b[2].c into steps.
func ParsePath(p string) []Seg {
	var out []Seg
	for _, part := range strings.Split(p, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			out = append(out, Seg{Key: name})
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			if !ok {
				break
			}
			if n, err := strconv.Atoi(num); err == nil {
				out = append(out, Seg{Index: n, IsIndex: true})
			}
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return out
}

// Locate returns the 1-based line and column of the value at path in doc,
// or of its deepest enclosing value that exists (a missing member is
// reported at the object that lacks it). It returns 0, 0 when the text on
// the way to the path is not JSON.
func Locate(doc []byte, path string) (line, col int) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	best := ValueStart(doc, 0)
	if !descend(dec, doc, ParsePath(path), &best) {
		return 0, 0
	}
	return LineCol(doc, best)
}

// descend reads the value that starts at the decoder's position, following
// segs; best is updated to the start of each value on the path. It reports
// false when the document cannot be read.
func descend(dec *json.Decoder, doc []byte, segs []Seg, best *int) bool {
	*best = ValueStart(doc, int(dec.InputOffset()))
	if len(segs) == 0 {
		return true
	}
	tok, err := dec.Token()
	if err != nil {
		return false
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return true // a scalar: the path goes no deeper
	}
	seg := segs[0]
	switch d {
	case '{':
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return false
			}
			if k, _ := kt.(string); !seg.IsIndex && k == seg.Key {
				return descend(dec, doc, segs[1:], best)
			}
			if !skipValue(dec) {
				return false
			}
		}
	case '[':
		for i := 0; dec.More(); i++ {
			if seg.IsIndex && i == seg.Index {
				return descend(dec, doc, segs[1:], best)
			}
			if !skipValue(dec) {
				return false
			}
		}
	}
	return true
}

// skipValue reads one whole value.
func skipValue(dec *json.Decoder) bool {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return true
		}
	}
}

// ValueStart returns the offset of the next value at or after off,
// skipping white space and the separators ':' and ','.
func ValueStart(doc []byte, off int) int {
	for off < len(doc) {
		switch doc[off] {
		case ' ', '\t', '\n', '\r', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// LineCol converts a byte offset to a 1-based line and column (columns
// count bytes, as compilers do).
func LineCol(doc []byte, off int) (line, col int) {
	off = min(max(off, 0), len(doc))
	line = 1 + bytes.Count(doc[:off], []byte("\n"))
	col = off - (bytes.LastIndexByte(doc[:off], '\n') + 1) + 1
	return line, col
}
