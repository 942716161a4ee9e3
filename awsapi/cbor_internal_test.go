package awsapi

import (
	"encoding/hex"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCBORDecode: items of each major type, definite and indefinite, as
// the JSON the action table takes.
func TestCBORDecode(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a0", `{}`},
		{"a1 61 61 00", `{"a":0}`},
		{"a1 61 61 20", `{"a":-1}`},
		{"a1 61 61 3b 7fffffffffffffff", `{"a":-9223372036854775808}`},
		{"a1 61 61 1b ffffffffffffffff", `{"a":18446744073709551615}`},
		{"a1 61 61 f9 3e00", `{"a":1.5}`},
		{"a1 61 61 fa 3fc00000", `{"a":1.5}`},
		{"a1 61 61 fb 3ff8000000000000", `{"a":1.5}`},
		{"a1 61 61 f9 0001", `{"a":5.960464477539063e-8}`},
		{"a1 61 61 c1 1a 6955b900", `{"a":1767225600}`},
		{"a1 61 61 c1 fb 41da556e40200000", `{"a":1767225600.5}`},
		{"a1 61 61 43 010203", `{"a":"AQID"}`},
		{"a1 61 61 5f 41 01 42 0203 ff", `{"a":"AQID"}`},
		{"a1 61 61 7f 61 68 62 6921 ff", `{"a":"hi!"}`},
		{"a1 61 61 9f 01 f5 f4 f6 ff", `{"a":[1,true,false,null]}`},
		{"bf 61 61 f6 61 62 f7 ff", `{}`},
		{"a1 61 61 a1 61 62 82 01 02", `{"a":{"b":[1,2]}}`},
	} {
		b, err := hex.DecodeString(spaceless(c.in))
		require.NoError(t, err)
		got, err := cborToJSON(b)
		require.NoError(t, err, c.in)
		require.JSONEq(t, c.want, string(got), c.in)
	}
}

// TestCBORDepth: nesting past maxCBORDepth is refused, not recursed into.
func TestCBORDepth(t *testing.T) {
	deep := []byte{0xa1, 0x61, 'a'}
	for range 1 << 20 {
		deep = append(deep, 0x81)
	}
	deep = append(deep, 0x00)
	_, err := cborToJSON(deep)
	require.ErrorContains(t, err, "nests deeper")
}

func spaceless(s string) string {
	out := make([]byte, 0, len(s))
	for i := range len(s) {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// FuzzCBORToJSON: any body decodes to valid JSON or to an error, never a
// panic; what decodes survives encoding back to CBOR and decoding again.
func FuzzCBORToJSON(f *testing.F) {
	for _, s := range []string{"a0", "a1 61 61 c1 1a 6955b900", "bf 61 61 9f 01 f9 3e00 ff ff", "a1 61 61 5f 41 01 ff",
		"a1 61 61 7f 61 68 ff", "a1 61 61 1b ffffffffffffffff", "a1 61 61 3b ffffffffffffffff", "9b 00ffffffffffffff"} {
		b, _ := hex.DecodeString(spaceless(s))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		j, err := cborToJSON(body)
		if err != nil {
			return
		}
		require.True(t, json.Valid(j), "%x gave %s", body, j)
		again, err := jsonToCBOR(j, nil)
		require.NoError(t, err)
		j2, err := cborToJSON(again)
		require.NoError(t, err, "%x re-encoded as %x", body, again)
		var a, b any
		require.NoError(t, json.Unmarshal(j, &a))
		require.NoError(t, json.Unmarshal(j2, &b))
		require.True(t, reflect.DeepEqual(a, b), "%s != %s", j, j2)
	})
}
