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

// jsonEscape tells which bytes a JSON string does not hold as they are,
// as encoding/json writes strings: control characters, '"', '\\', the
// HTML-sensitive '<', '>' and '&', and every byte from 0x80 up (UTF-8,
// checked a rune at a time).
var jsonEscape = func() (esc [256]bool) {
	for c := range 256 {
		esc[c] = c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&'
	}
	return esc
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

// JSONPlain reports whether s is ASCII that goes into a JSON string as it
// is, with no byte escaped: true of most strings of a trace (ARNs, IDs,
// states, names, times). Other UTF-8 may go in unchanged too, but only a
// rune at a time can tell. Strings of eight bytes or more are tested a
// word at a time, two words per step, the last word overlapping those
// before; shorter ones a byte at a time from a table.
func JSONPlain(s string) bool {
	n := len(s)
	if n < 8 {
		for i := 0; i < n; i++ {
			if jsonEscape[s[i]] {
				return false
			}
		}
		return true
	}
	i := 0
	for ; i+16 <= n; i += 16 {
		if escapes(word(s[i:]))|escapes(word(s[i+8:])) != 0 {
			return false
		}
	}
	if i+8 <= n {
		if escapes(word(s[i:])) != 0 {
			return false
		}
		i += 8
	}
	return i == n || escapes(word(s[n-8:])) == 0
}

// AppendTime appends t in UTC as "2006-01-02T15:04:05.000Z", exactly what
// t.Time().AppendFormat with that layout gives, without going through
// package time for the years 2000 to 9999 that simulations use.
func AppendTime(b []byte, t Time) []byte {
	var w TimeWriter
	return w.Append(b, t)
}

// TimeWriter appends times as [AppendTime] does, and keeps the date of the
// last one: the next time of the same day, as most times of one record
// are, copies it instead of working the date out again. The zero value is
// ready to use.
type TimeWriter struct {
	day  int64    // day since Epoch of date, plus one; 0 while none
	date [10]byte // "2006-01-02"
}

// Append appends t in UTC as "2006-01-02T15:04:05.000Z".
func (w *TimeWriter) Append(b []byte, t Time) []byte {
	const day = int64(24 * time.Hour)
	ns := int64(t)
	if ns < 0 || ns/day > 2900000 {
		return t.Time().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	}
	days, rem := ns/day, ns%day
	if w.day != days+1 {
		w.setDate(days)
	}
	ms := rem / int64(time.Millisecond)
	sec := ms / 1000
	hh, mm, ss, frac := sec/3600, sec/60%60, sec%60, ms%1000
	n := len(b)
	b = append(b, "0000-00-00T00:00:00.000Z"...)
	out := b[n : n+24]
	copy(out, w.date[:])
	put2(out[11:], int(hh))
	put2(out[14:], int(mm))
	put2(out[17:], int(ss))
	out[20] = byte('0' + frac/100)
	put2(out[21:], int(frac%100))
	return b
}

// setDate works out the civil date of days since Epoch (H. Hinnant's
// algorithm; Epoch is day 10957 from 1970-01-01) into w.date.
func (w *TimeWriter) setDate(days int64) {
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
	out := w.date[:]
	put2(out[0:], int(y/100))
	put2(out[2:], int(y%100))
	out[4] = '-'
	put2(out[5:], int(m))
	out[7] = '-'
	put2(out[8:], int(d))
	w.day = days + 1
}

// twoDigits holds "00" to "99" in turn.
const twoDigits = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// put2 writes v, from 0 to 99, as two digits at the start of b.
func put2(b []byte, v int) {
	_ = b[1]
	b[0], b[1] = twoDigits[2*v], twoDigits[2*v+1]
}

// AppendJSONString appends s as a JSON string exactly as encoding/json
// encodes it: quotes, backslashes and control characters escaped (\n, \r,
// \t, \b, \f by name, the rest as \u00XX), HTML-sensitive <, > and & as \u003c,
// \u003e and \u0026, U+2028 and U+2029 escaped, and invalid UTF-8 replaced
// by U+FFFD.
func AppendJSONString(b []byte, s string) []byte {
	if JSONPlain(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return appendEscaped(b, s)
}

// appendEscaped is AppendJSONString for a string with something to
// escape or check.
func appendEscaped(b []byte, s string) []byte {
	b = append(b, '"')
	start, i := 0, 0
	for i < len(s) {
		// Eight bytes at a time while none needs escaping.
		for i+8 <= len(s) && escapes(word(s[i:])) == 0 {
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if !jsonEscape[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
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

// AppendJSONMember appends member, an object member's name already
// encoded with its colon and any comma before it (`,"name":`), and then
// value as a JSON string. Writing the name as one constant saves the
// separate appends of AppendJSONField on hot encoders.
func AppendJSONMember(b []byte, member, value string) []byte {
	b = append(b, member...)
	return AppendJSONString(b, value)
}

// AppendJSONPlain is AppendJSONMember for a value the caller knows to be
// plain ([JSONPlain] true, checked once where the value was made): it
// copies the value between quotes without looking at it. A value that is
// not plain would be written wrongly.
func AppendJSONPlain(b []byte, member, value string) []byte {
	b = append(b, member...)
	b = append(b, '"')
	b = append(b, value...)
	return append(b, '"')
}
