package sim

import (
	"strconv"
	"time"
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

// jsonSafe tells which ASCII bytes a JSON string holds as they are.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return safe
}()

// word returns the first eight bytes of s, the first in the low byte.
func word(s string) uint64 {
	_ = s[7] // one bounds check for the eight bytes
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// escapes has the high bit set in some byte of its result if a byte of x
// needs escaping in a JSON string: a control character, a byte from 0x80
// up, or one of " \ < > &. It tests all eight at once (the classic "has
// zero byte" word tricks, exact as to whether any byte matches); " and &
// differ only in bit 2 and < and > only in bit 1, so setting that bit
// tests each pair with one comparison.
func escapes(x uint64) uint64 {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q := x | lo*0x04 ^ lo*'&'    // zero where " or &
	a := x | lo*0x02 ^ lo*'>'    // zero where < or >
	e := x ^ lo*'\\'             // zero where \
	return (x | (x-lo*0x20)&^x | // 0x80 and up, below 0x20
		(q-lo)&^q | (a-lo)&^a | (e-lo)&^e) & hi
}

// plainPrefix returns how many bytes from the start of s, in whole
// words of eight, need no escaping in a JSON string, or len(s) when none
// of s does (the last eight bytes tested overlapping those before): most
// strings of a trace (ARNs, states, names, times) are plain ASCII and are
// then copied as they are.
func plainPrefix(s string) int {
	i := 0
	for i+8 <= len(s) && escapes(word(s[i:])) == 0 {
		i += 8
	}
	if i < len(s) && len(s) >= 8 && i+8 > len(s) && escapes(word(s[len(s)-8:])) == 0 {
		return len(s)
	}
	return i
}

// AppendTime appends t in UTC as "2006-01-02T15:04:05.000Z", exactly what
// t.Time().AppendFormat with that layout gives, without going through
// package time for the years 2000 to 9999 that simulations use.
func AppendTime(b []byte, t Time) []byte {
	const day = int64(24 * time.Hour)
	ns := int64(t)
	if ns < 0 || ns/day > 2900000 {
		return t.Time().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	}
	days, rem := ns/day, ns%day
	// Civil date from days since 1970-01-01 (H. Hinnant's algorithm);
	// Epoch is day 10957.
	z := days + 10957 + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
		y++
	}
	ms := rem / int64(time.Millisecond)
	hh, mm, ss, frac := ms/3600000, ms/60000%60, ms/1000%60, ms%1000
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+hh/10), byte('0'+hh%10), ':', byte('0'+mm/10), byte('0'+mm%10), ':',
		byte('0'+ss/10), byte('0'+ss%10), '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10), 'Z')
}

// AppendJSONString appends s as a JSON string exactly as encoding/json
// encodes it: quotes, backslashes and control characters escaped (\n, \r,
// \t, \b, \f by name, the rest as \u00XX), HTML-sensitive <, > and & as \u003c,
// \u003e and \u0026, U+2028 and U+2029 escaped, and invalid UTF-8 replaced
// by U+FFFD.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	i := plainPrefix(s)
	if i == len(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i < len(s) {
		// Eight bytes at a time while none needs escaping: most strings
		// of a trace (ARNs, states, names) are plain ASCII.
		for i+8 <= len(s) && escapes(word(s[i:])) == 0 {
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
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
