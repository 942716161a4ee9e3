package jsonpos

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLocate(t *testing.T) {
	doc := []byte("{\n  \"a\": {\"b\": [1, {\"c\": true}]},\n  \"d\": \"x\"\n}")
	for path, want := range map[string][2]int{
		"":          {1, 1},
		"a":         {2, 8},
		"a.b":       {2, 14},
		"a.b[0]":    {2, 15},
		"a.b[1]":    {2, 18},
		"a.b[1].c":  {2, 24},
		"a.b[1].zz": {2, 18}, // missing: the object that lacks it
		"a.b[7]":    {2, 14},
		"d":         {3, 8},
		"nope":      {1, 1},
	} {
		line, col := Locate(doc, path)
		require.Equal(t, want, [2]int{line, col}, path)
	}
	line, col := Locate([]byte(`{"a": [1, 2`), "a[5]")
	require.Equal(t, [2]int{1, 7}, [2]int{line, col}, "truncated JSON: as deep as it goes")
	line, col = Locate([]byte(`{"a": }`), "a.b")
	require.Zero(t, line+col, "unreadable JSON locates nothing")
	require.Equal(t, []Seg{{Key: "a"}, {Index: 2, IsIndex: true}, {Key: "b"}, {Index: 0, IsIndex: true}, {Index: 1, IsIndex: true}}, ParsePath("a[2].b[0][1]"))
}

// FuzzLocate: no document or path makes Locate panic, and a position it
// returns is inside the document.
func FuzzLocate(f *testing.F) {
	f.Add([]byte(`{"a": {"b": [1, {"c": true}]}}`), "a.b[1].c")
	f.Add([]byte(`[`), "[0]")
	f.Fuzz(func(t *testing.T, doc []byte, path string) {
		line, col := Locate(doc, path)
		if line == 0 {
			return
		}
		require.GreaterOrEqual(t, col, 1)
		require.LessOrEqual(t, line, 1+len(doc))
	})
}
