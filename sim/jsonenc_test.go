package sim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
		"<html> & </html>", "line\u2028sep\u2029", "bad \xff utf8 \xc3", "日本語 ✓", "(service web) has reached a steady state."} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(AppendJSONString(nil, s)), "%q", s)
	}
}

// FuzzAppendJSONString: the hand-written encoder agrees with
// encoding/json on every string, since trace hashes depend on it.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\u2028", "\xff", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(AppendJSONString(nil, s)))
		require.Equal(t, string(want) == `"`+s+`"` && ascii(s), JSONPlain(s))
		require.Equal(t, `,"k":`+string(want), string(AppendJSONMember(nil, `,"k":`, s)))
		if JSONPlain(s) {
			require.Equal(t, `,"k":`+string(want), string(AppendJSONPlain(nil, `,"k":`, s)))
		}
	})
}

// ascii reports whether s is all ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// TestAppendTime: the fast formatter writes what package time writes,
// over random instants from the epoch to the year 9999 and edge cases.
func TestAppendTime(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := []Time{0, 1, 999_999, 1_000_000, Time(24*time.Hour) - 1, FromTime(time.Date(2000, 2, 29, 23, 59, 59, 999_999_999, time.UTC)),
		FromTime(time.Date(2100, 3, 1, 0, 0, 0, 0, time.UTC)), FromTime(time.Date(2400, 12, 31, 12, 0, 0, 0, time.UTC)), -1, Never}
	for range 100_000 {
		cases = append(cases, Time(r.Int64N(int64(FromTime(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))))))
	}
	var w TimeWriter
	for i, c := range cases {
		want := c.Time().Format("2006-01-02T15:04:05.000Z07:00")
		require.Equal(t, want, string(AppendTime(nil, c)), "%d", int64(c))
		require.Equal(t, want, string(w.Append(nil, c)), "%d", int64(c))
		// A later time of the same day, through the kept date.
		if c >= 0 && i%2 == 0 {
			later := c + Time(r.Int64N(int64(time.Hour)))
			require.Equal(t, later.Time().Format("2006-01-02T15:04:05.000Z07:00"), string(w.Append(nil, later)), "%d", int64(later))
		}
	}
}

// TestAppendJSONStringRandom: strings of every byte value and length,
// so the eight-bytes-at-a-time path meets each escape at each offset.
func TestAppendJSONStringRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("abcXYZ019-/:._ \"\\<>&\x00\x1f\x7f\x80\xe2\x80\xa8\xc3\xa9\xff")
	for range 50_000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if r.IntN(4) == 0 {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
		}
		want, err := json.Marshal(string(b))
		require.NoError(t, err)
		require.Equal(t, string(want), string(AppendJSONString(nil, string(b))), "%q", b)
	}
}

// TestAppendJSONStringEveryByte: each byte value alone at each offset of
// plain strings of 1 to 17 bytes, so the word tests (pairs of characters
// folded into one comparison, the overlapping last word) meet every byte
// in every lane.
func TestAppendJSONStringEveryByte(t *testing.T) {
	for n := 1; n <= 17; n++ {
		for at := range n {
			for c := range 256 {
				b := []byte("abcdefghijklmnopq"[:n])
				b[at] = byte(c)
				want, err := json.Marshal(string(b))
				require.NoError(t, err)
				require.Equal(t, string(want), string(AppendJSONString(nil, string(b))), "%q", b)
				require.Equal(t, string(want) == `"`+string(b)+`"` && ascii(string(b)), JSONPlain(string(b)), "%q", b)
			}
		}
	}
}

// TestJSONPlainLengths: a string of each length up to 40 with one byte to
// escape at each offset, so each of JSONPlain's paths (bytes, pairs of
// words, a single word, the overlapping last word) meets it.
func TestJSONPlainLengths(t *testing.T) {
	for n := range 41 {
		plain := strings.Repeat("a", n)
		require.True(t, JSONPlain(plain), n)
		for at := range n {
			for _, c := range []byte{'"', '\\', '<', '\n', 0x80} {
				b := []byte(plain)
				b[at] = c
				require.False(t, JSONPlain(string(b)), "%q", b)
			}
		}
	}
}

// BenchmarkAppendJSONString encodes the kinds of string a task event
// carries: a task ARN, a status and a time, all plain, and a message
// with quotes to escape.
func BenchmarkAppendJSONString(b *testing.B) {
	for _, s := range []string{
		"arn:aws:ecs:us-east-1:123456789012:task/fleet/0123456789abcdef0123456789abcdef",
		"RUNNING", "2026-01-01T00:00:07.251Z", `(service "web") has reached a steady state.`,
	} {
		b.Run(fmt.Sprintf("len=%d", len(s)), func(b *testing.B) {
			buf := make([]byte, 0, 256)
			for b.Loop() {
				buf = AppendJSONString(buf[:0], s)
			}
		})
	}
}

// BenchmarkAppendTime formats the instants of a simulated day.
func BenchmarkAppendTime(b *testing.B) {
	buf := make([]byte, 0, 64)
	at := Time(0)
	for b.Loop() {
		buf = AppendTime(buf[:0], at)
		at += Time(7*time.Second + 251*time.Millisecond)
	}
}
