package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Locating a JSON path ("containerDefinitions[0].portMappings[1].hostPort")
// in the text of a document, so that validate can print file:line:column.

// pathSeg is one step of a JSON path: an object member or a list index.
type pathSeg struct {
	key   string
	index int
	isIdx bool
}

// parsePath splits a path of the form a.b[2].c into steps.
func parsePath(p string) []pathSeg {
	var out []pathSeg
	for _, part := range strings.Split(p, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			out = append(out, pathSeg{key: name})
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			if !ok {
				break
			}
			if n, err := strconv.Atoi(num); err == nil {
				out = append(out, pathSeg{index: n, isIdx: true})
			}
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return out
}

// locate returns the 1-based line and column of the value at path in doc,
// or of its deepest enclosing value that exists (a missing member is
// reported at the object that lacks it). It returns 0, 0 when the text on
// the way to the path is not JSON.
func locate(doc []byte, path string) (line, col int) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	best := valueStart(doc, 0)
	if !descend(dec, doc, parsePath(path), &best) {
		return 0, 0
	}
	return lineCol(doc, best)
}

// descend reads the value that starts at the decoder's position, following
// segs; best is updated to the start of each value on the path. It reports
// false when the document cannot be read.
func descend(dec *json.Decoder, doc []byte, segs []pathSeg, best *int) bool {
	*best = valueStart(doc, int(dec.InputOffset()))
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
			if k, _ := kt.(string); !seg.isIdx && k == seg.key {
				return descend(dec, doc, segs[1:], best)
			}
			if !skipValue(dec) {
				return false
			}
		}
	case '[':
		for i := 0; dec.More(); i++ {
			if seg.isIdx && i == seg.index {
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

// valueStart returns the offset of the next value at or after off,
// skipping white space and the separators ':' and ','.
func valueStart(doc []byte, off int) int {
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

// lineCol converts a byte offset to a 1-based line and column (columns
// count bytes, as compilers do).
func lineCol(doc []byte, off int) (line, col int) {
	off = min(max(off, 0), len(doc))
	line = 1 + bytes.Count(doc[:off], []byte("\n"))
	col = off - (bytes.LastIndexByte(doc[:off], '\n') + 1) + 1
	return line, col
}
