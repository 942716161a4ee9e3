package elb

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// wildcardRE is the regular expression a wildcard pattern stands for.
func wildcardRE(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, c := range []byte(p) {
		switch c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

func TestWildcard(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"", "", true}, {"*", "", true}, {"?", "", false}, {"/api/*", "/api/", true}, {"/api/*", "/api", false},
		{"*.example.com", "a.b.example.com", true}, {"a*b*c", "aXbYbZc", true}, {"a*b*c", "aXbYbZ", false}, {"??", "ab", true},
	} {
		require.Equal(t, tc.want, wildcard(tc.p, tc.s), "%q %q", tc.p, tc.s)
	}
}

// FuzzWildcard: the matcher agrees with the regular expression of the
// pattern, on ASCII input (a ? is one byte).
func FuzzWildcard(f *testing.F) {
	f.Add("/api/*", "/api/users")
	f.Add("a*?b", "axxb")
	f.Fuzz(func(t *testing.T, p, s string) {
		for _, x := range []string{p, s} {
			for i := 0; i < len(x); i++ {
				if x[i] >= 0x80 || x[i] == '\n' {
					return
				}
			}
		}
		require.Equal(t, wildcardRE(p).MatchString(s), wildcard(p, s), "%q %q", p, s)
	})
}
