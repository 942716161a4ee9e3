package sim

import (
	"strconv"
	"unicode/utf8"
)

// JSONAppender is implemented by event details that encode themselves.
// AppendJSON must append exactly what encoding/json's Marshal would produce
// for the value, so that the trace (and its hash) is the same whichever
// path encodes it; the trace uses it to skip reflection on hot events.
type JSONAppender interface {
	AppendJSON(b []byte) []byte
}

const hexChars = "0123456789abcdef"

// AppendJSONString appends s as a JSON string exactly as encoding/json
// encodes it: quotes, backslashes and control characters escaped (\n, \r,
// \t, \b, \f by name, the rest as \u00XX), HTML-sensitive <, > and & as \u003c,
// \u003e and \u0026, U+2028 and U+2029 escaped, and invalid UTF-8 replaced
// by U+FFFD.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexChars[c>>4], hexChars[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexChars[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendJSONField appends `"name":` and the string value, preceded by a
// comma unless it is the first member.
func AppendJSONField(b []byte, first bool, name, value string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return AppendJSONString(b, value)
}

// AppendJSONInt appends `"name":` and an integer, preceded by a comma.
func AppendJSONInt(b []byte, name string, v int64) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, v, 10)
}
