package scheduler

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseOperators parses every operator in each of its spellings and
// checks the canonical form. [DG:cluster-query-language]
func TestParseOperators(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"== symbol", "attribute:ecs.instance-type == t2.small", "attribute:ecs.instance-type == t2.small"},
		{"equals word", "attribute:ecs.instance-type equals t2.small", "attribute:ecs.instance-type == t2.small"},
		{"!= symbol", "attribute:stack != prod", "attribute:stack != prod"},
		{"not_equals word", "attribute:stack not_equals prod", "attribute:stack != prod"},
		{"> symbol", "runningTasksCount > 1", "runningTasksCount > 1"},
		{"greater_than word", "runningTasksCount greater_than 1", "runningTasksCount > 1"},
		{">= symbol", "agentVersion >= 1.14.5", "agentVersion >= 1.14.5"},
		{"greater_than_equal word", "agentVersion greater_than_equal 1.14.5", "agentVersion >= 1.14.5"},
		{"< symbol", "registeredAt < 2018-02-13", "registeredAt < 2018-02-13"},
		{"less_than word", "registeredAt less_than 2018-02-13", "registeredAt < 2018-02-13"},
		{"<= symbol", "runningTasksCount <= 0", "runningTasksCount <= 0"},
		{"less_than_equal word", "runningTasksCount less_than_equal 0", "runningTasksCount <= 0"},
		{"exists", "attribute:ecs.awsvpc-trunk-id exists", "attribute:ecs.awsvpc-trunk-id exists"},
		{"!exists symbol", "attribute:ecs.outpost-arn !exists", "attribute:ecs.outpost-arn !exists"},
		{"not_exists word", "attribute:ecs.outpost-arn not_exists", "attribute:ecs.outpost-arn !exists"},
		{"in", "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"},
		{"!in symbol", "ec2InstanceId !in ['i-abcd1234', 'i-wxyx7890']", "ec2InstanceId !in [i-abcd1234, i-wxyx7890]"},
		{"not_in word", "ec2InstanceId not_in [i-1]", "ec2InstanceId !in [i-1]"},
		{"=~ symbol", "attribute:ecs.instance-type =~ t2.*", "attribute:ecs.instance-type =~ t2.*"},
		{"matches word", "attribute:ecs.instance-type matches g2.*", "attribute:ecs.instance-type =~ g2.*"},
		{"!~ symbol", "attribute:ecs.instance-type !~ t2.*", "attribute:ecs.instance-type !~ t2.*"},
		{"not_matches word", "attribute:ecs.instance-type not_matches t2.*", "attribute:ecs.instance-type !~ t2.*"},
		{"operator words ignore case", "runningTasksCount GREATER_THAN 1", "runningTasksCount > 1"},
		{"no spaces around symbols", "attribute:a==b&&attribute:c!=d||runningTasksCount>=2", "(attribute:a == b and attribute:c != d) or runningTasksCount >= 2"},
		{"task group", "task:group == service:production", "task:group == service:production"},
		{"agentConnected", "agentConnected == TRUE", "agentConnected == true"},
		{"quoted value with space", `attribute:team == "a b"`, `attribute:team == 'a b'`},
		{"quoted value with quote", `attribute:team == "it's"`, `attribute:team == "it's"`},
		{"empty quoted value", `attribute:team == ''`, `attribute:team == ''`},
		{"pattern with group", `attribute:ecs.instance-type =~ (t2|t3)\..*`, `attribute:ecs.instance-type =~ (t2|t3)\..*`},
		{"pattern with class", `attribute:t =~ [a-c)]+`, `attribute:t =~ [a-c)]+`},
		{"quoted pattern with space", `attribute:t =~ 'a b.*'`, `attribute:t =~ 'a b.*'`},
		{"date with offset", "registeredAt >= 2018-06-18T22:28:28+00:00", "registeredAt >= 2018-06-18T22:28:28+00:00"},
		{"date with Z", "registeredAt >= 2018-06-18T22:28:28Z", "registeredAt >= 2018-06-18T22:28:28Z"},
		{"date without zone", "registeredAt >= 2018-06-18T22:28:28", "registeredAt >= 2018-06-18T22:28:28"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseExpression(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, e.String())
			again, err := ParseExpression(e.String())
			require.NoError(t, err)
			require.Equal(t, tc.want, again.String())
		})
	}
}

// TestParsePrecedence: not binds tighter than and, and than or;
// parentheses override; keywords have symbol forms.
func TestParsePrecedence(t *testing.T) {
	const a, b, c = "attribute:a exists", "attribute:b exists", "attribute:c exists"
	tests := []struct {
		name, in, want string
	}{
		{"and before or", a + " or " + b + " and " + c, a + " or (" + b + " and " + c + ")"},
		{"and before or, left", a + " and " + b + " or " + c, "(" + a + " and " + b + ") or " + c},
		{"parentheses override", "(" + a + " or " + b + ") and " + c, "(" + a + " or " + b + ") and " + c},
		{"left associative", a + " or " + b + " or " + c, "(" + a + " or " + b + ") or " + c},
		{"not binds tightest", "not " + a + " and " + b, "not (" + a + ") and " + b},
		{"! symbol", "!" + a + " || " + b, "not (" + a + ") or " + b},
		{"not before parenthesis without space", "not(task:group == database)", "not (task:group == database)"},
		{"double negation", "not not " + a, "not (not (" + a + "))"},
		{"not of a group", "!(" + a + " && " + b + ")", "not (" + a + " and " + b + ")"},
		{"keywords ignore case", a + " AND " + b + " Or NOT " + c, "(" + a + " and " + b + ") or not (" + c + ")"},
		{"redundant parentheses", "((" + a + "))", a},
		{"DG compound example", "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
			"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseExpression(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, e.String())
		})
	}
}

// TestParseErrors: every error names the offending token and its 1-based
// position.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		pos      int
		token    string
		msg      string
	}{
		{"empty", "", 1, "", "expected a subject"},
		{"blank", "   ", 4, "", "expected a subject"},
		{"unknown subject", "instanceType == t2", 1, "instanceType", "unknown subject"},
		{"bad attribute name", "attribute:a$b == c", 1, "attribute:a$b", "invalid attribute name"},
		{"empty attribute name", "attribute: exists", 1, "attribute:", "invalid attribute name"},
		{"missing operator", "attribute:a", 12, "", "expected an operator"},
		{"unknown operator word", "attribute:a like b", 13, "like", "expected an operator"},
		{"single =", "attribute:a = b", 13, "=", "expected an operator"},
		{"operator not valid for subject", "agentVersion =~ 1.*", 14, "=~", "not valid for subject agentVersion"},
		{"ordering a group", "task:group > a", 12, ">", "not valid for subject task:group"},
		{"exists on runningTasksCount", "runningTasksCount exists", 19, "exists", "not valid"},
		{"missing value", "attribute:a ==", 15, "", "expected a value"},
		{"missing value before and", "attribute:a == and", 0, "", ""},
		{"list after ==", "attribute:a == [b]", 16, "[", "only valid after in"},
		{"in without list", "attribute:a in b", 16, "b", "expected an argument list"},
		{"unclosed list", "attribute:a in [b, c", 21, "", "expected \",\" or \"]\""},
		{"empty list", "attribute:a in []", 17, "]", "expected a value"},
		{"unterminated quote", "attribute:a == 'b", 16, "'", "unterminated quoted string"},
		{"bad version", "agentVersion < 1.x", 16, "1.x", "invalid agent version"},
		{"bad date", "registeredAt < yesterday", 16, "yesterday", "invalid date"},
		{"bad count", "runningTasksCount == one", 22, "one", "invalid task count"},
		{"agentConnected not boolean", "agentConnected == yes", 19, "yes", "true or false"},
		{"bad regex", "attribute:a =~ (b", 16, "(b", "invalid regular expression"},
		{"backreference", `attribute:a =~ (a)\1`, 16, `(a)\1`, "invalid regular expression"},
		{"unclosed parenthesis", "(attribute:a exists", 20, "", "expected \")\" to close the \"(\" at position 1"},
		{"stray closing parenthesis", "attribute:a exists)", 19, ")", "unexpected token after the expression"},
		{"trailing value", "attribute:a exists b", 20, "b", "unexpected token after the expression"},
		{"dangling and", "attribute:a exists and", 23, "", "expected a subject"},
		{"dangling not", "not", 4, "", "expected a subject"},
		{"single &", "attribute:a exists & attribute:b exists", 20, "&", "unexpected token"},
		{"too deep", strings.Repeat("(", maxDepth+1) + "attribute:a exists" + strings.Repeat(")", maxDepth+1), maxDepth + 1, "(", "nested more than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseExpression(tc.in)
			if tc.msg == "" {
				// "and" is a fine value: attribute:a == and.
				require.NoError(t, err)
				return
			}
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "want a *SyntaxError, got %v", err)
			require.Equal(t, tc.pos, se.Pos, "position in %q: %v", tc.in, err)
			require.Equal(t, tc.token, se.Token, "token: %v", err)
			require.Contains(t, se.Error(), tc.msg)
		})
	}
}

// FuzzParseExpression: no input panics the parser, and every expression
// that parses prints to a canonical form that parses back to itself.
func FuzzParseExpression(f *testing.F) {
	for _, s := range []string{
		"attribute:ecs.instance-type == t2.small",
		"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
		"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
		"task:group == service:production",
		"not(task:group == database)",
		"runningTasksCount == 1",
		"agentVersion < 1.14.5",
		"registeredAt < 2018-02-13",
		"ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
		`(attribute:a =~ (x|y)\..* || !attribute:b exists) && agentConnected != false`,
		"attribute:a =~ '[(]' or attribute:b == \"it's\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpression(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Pos < 1 || se.Pos > len(s)+1 {
				t.Fatalf("bad error for %q: %v", s, err)
			}
			return
		}
		canon := e.String()
		again, err := ParseExpression(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, s, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form of %q is unstable: %q then %q", s, canon, again.String())
		}
		// Binding and evaluating never panics either.
		c := NewCluster()
		_ = c.AddInstance(Instance{ID: "a", Attributes: map[string]string{"a": "1", "b": "x"}, AgentVersion: "1.2"})
		q := c.Bind(e)
		_ = c.Matches(q, "a")
	})
}

func BenchmarkParseExpression(b *testing.B) {
	const expr = "attribute:ecs.instance-type =~ (m5|c5)\\..* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and not(task:group == service:batch)"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseExpression(expr); err != nil {
			b.Fatal(err)
		}
	}
}
