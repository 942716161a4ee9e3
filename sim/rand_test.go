package sim

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func draw(r *rand.Rand, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.Uint64()
	}
	return out
}

func TestStreamIndependence(t *testing.T) {
	const seed = 42
	want := draw(New(seed, 0).Rand("b"), 100)

	tests := []struct {
		name string
		run  func(e *Engine) []uint64
	}{
		{"b alone", func(e *Engine) []uint64 { return draw(e.Rand("b"), 100) }},
		{"a drawn first", func(e *Engine) []uint64 {
			draw(e.Rand("a"), 1000)
			return draw(e.Rand("b"), 100)
		}},
		{"a drawn in between", func(e *Engine) []uint64 {
			var got []uint64
			for i := 0; i < 100; i++ {
				draw(e.Rand("a"), i%7)
				got = append(got, e.Rand("b").Uint64())
				e.Rand("c").Float64()
			}
			return got
		}},
		{"other streams created first", func(e *Engine) []uint64 {
			for _, name := range []string{"z", "a", "bb", "B", "b "} {
				e.Rand(name).IntN(10)
			}
			return draw(e.Rand("b"), 100)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, want, tc.run(New(seed, 0)))
		})
	}
}

func TestStreamIdentity(t *testing.T) {
	e := New(1, 0)
	a := e.Rand("ecs/task-ids")
	require.Same(t, a, e.Rand("ecs/task-ids"))
	first := a.Uint64()
	// Asking again continues where the stream left off.
	fresh := New(1, 0).Rand("ecs/task-ids")
	require.Equal(t, first, fresh.Uint64())
	require.Equal(t, fresh.Uint64(), e.Rand("ecs/task-ids").Uint64())
}

func TestStreamSeeds(t *testing.T) {
	same1 := draw(New(7, 0).Rand("s"), 50)
	same2 := draw(New(7, sec(1000)).Rand("s"), 50)
	require.Equal(t, same1, same2, "same seed and name, whatever the start time")
	require.NotEqual(t, same1, draw(New(8, 0).Rand("s"), 50), "other seed")
	require.NotEqual(t, same1, draw(New(7, 0).Rand("t"), 50), "other name")
	require.NotEqual(t, draw(New(7, 0).Rand("workload/a"), 50), draw(New(7, 0).Rand("workload/b"), 50), "similar names")
}

func TestStreamKeySpread(t *testing.T) {
	// Similar names must not give similar keys.
	seen := map[uint64]string{}
	for _, name := range []string{"", "a", "b", "aa", "ab", "ba", "a/1", "a/2", "ecs/task-ids", "ecs/task-idt"} {
		k := streamKey(name)
		prev, dup := seen[k]
		require.False(t, dup, "%q and %q share a key", name, prev)
		seen[k] = name
	}
}

var hexRE = regexp.MustCompile(`^[0-9a-f]*$`)

func TestHexID(t *testing.T) {
	r := New(1, 0).Rand("ids")
	for _, n := range []int{0, 1, 8, 17, 32} {
		for range 100 {
			id := HexID(r, n)
			require.Len(t, id, n)
			require.Regexp(t, hexRE, id)
		}
	}
	// Every hex digit turns up.
	var all strings.Builder
	for range 50 {
		all.WriteString(HexID(r, 32))
	}
	for _, c := range hexDigits {
		require.Contains(t, all.String(), string(c))
	}
}

func TestDigits(t *testing.T) {
	r := New(1, 0).Rand("ids")
	first := map[byte]bool{}
	rest := map[byte]bool{}
	for range 2000 {
		for _, n := range []int{1, 19} {
			d := Digits(r, n)
			require.Len(t, d, n)
			require.Regexp(t, `^[1-9][0-9]*$`, d)
			first[d[0]] = true
			for i := 1; i < len(d); i++ {
				rest[d[i]] = true
			}
		}
	}
	require.Len(t, first, 9, "first digit covers 1-9")
	require.Len(t, rest, 10, "other digits cover 0-9")
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestUUID(t *testing.T) {
	r := New(1, 0).Rand("ids")
	seen := map[string]bool{}
	variants := map[byte]bool{}
	for range 2000 {
		u := UUID(r)
		require.Regexp(t, uuidRE, u)
		require.False(t, seen[u], "duplicate %s", u)
		seen[u] = true
		variants[u[19]] = true
	}
	require.Len(t, variants, 4, "all four variant digits 8, 9, a, b")
}

func TestIDsAreDeterministic(t *testing.T) {
	gen := func() []string {
		r := New(99, 0).Rand("ids")
		return []string{HexID(r, 32), Digits(r, 19), UUID(r), HexID(r, 17)}
	}
	require.Equal(t, gen(), gen())
}

func TestFormatUUID(t *testing.T) {
	var u [16]byte
	for i := range u {
		u[i] = byte(i * 17)
	}
	require.Equal(t, "00112233-4455-6677-8899-aabbccddeeff", formatUUID(u))
}

func TestFreshStartsOver(t *testing.T) {
	e := New(7, 0)
	a := e.Fresh("x").Uint64()
	require.Equal(t, a, e.Fresh("x").Uint64(), "the same sequence on every call")
	require.Equal(t, a, New(7, 0).Rand("x").Uint64(), "seeded as Rand is")
	require.NotEqual(t, a, New(8, 0).Fresh("x").Uint64())
}

// TestAppendIDsMatchStrings: the append forms draw and format exactly
// as HexID and UUID do.
func TestAppendIDsMatchStrings(t *testing.T) {
	a, b := New(5, 0).Rand("ids"), New(5, 0).Rand("ids")
	for range 200 {
		want := HexID(a, 32) + UUID(a) + HexID(a, 17)
		got := AppendHexID([]byte("x"), b, 32)
		got = NewUUID(b).Append(got)
		got = AppendHexID(got, b, 17)
		require.Equal(t, "x"+want, string(got))
	}
}
