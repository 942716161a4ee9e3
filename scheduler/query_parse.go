package scheduler

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
)

// This file parses the cluster query language:
//
//	expression := or
//	or         := and { ("or" | "||") and }
//	and        := unary { ("and" | "&&") unary }
//	unary      := ("not" | "!") unary | "(" or ")" | comparison
//	comparison := subject operator [argument]
//	argument   := value | "[" value { "," value } "]" | pattern
//	value      := word | 'quoted' | "quoted"
//
// [DG:cluster-query-language]. "not" binds tighter than "and", which binds
// tighter than "or", as in every Boolean language; parentheses override.
// Keywords and operator words are matched without regard to case (AWS is
// silent; being lenient costs nothing); subjects and values are
// case-sensitive.
//
// A word is a run of bytes other than white space and ( ) [ ] , ' " = ! <
// > & |, so "attribute:a==b&&c==d" needs no spaces. A pattern (after =~ or
// !~) is a quoted string or a run of non-space bytes in which parentheses
// and brackets may appear (a ")" that closes nothing ends it), so
// "(attribute:ecs.instance-type =~ (t2|t3)\..*)" works unquoted; a pattern
// containing spaces must be quoted. Quoted strings have no escapes.

// maxDepth bounds the nesting of parentheses and negations.
const maxDepth = 100

type subject uint8

const (
	subjAgentConnected subject = iota + 1
	subjAgentVersion
	subjAttribute
	subjEC2InstanceID
	subjRegisteredAt
	subjRunningTasksCount
	subjTaskGroup
)

// subjects maps the documented subject names. [DG:cluster-query-language]
var subjects = map[string]subject{
	"agentConnected":    subjAgentConnected,
	"agentVersion":      subjAgentVersion,
	"ec2InstanceId":     subjEC2InstanceID,
	"registeredAt":      subjRegisteredAt,
	"runningTasksCount": subjRunningTasksCount,
	"task:group":        subjTaskGroup,
}

const attributePrefix = "attribute:"

type operator uint8

const (
	opEq operator = iota + 1
	opNe
	opGt
	opGe
	opLt
	opLe
	opExists
	opNotExists
	opIn
	opNotIn
	opMatches
	opNotMatches
)

// opSymbols are the canonical spellings, used by Expr.String.
var opSymbols = [...]string{
	opEq: "==", opNe: "!=", opGt: ">", opGe: ">=", opLt: "<", opLe: "<=",
	opExists: "exists", opNotExists: "!exists", opIn: "in", opNotIn: "!in",
	opMatches: "=~", opNotMatches: "!~",
}

// symbolOps are the two-byte operators.
var symbolOps = map[string]operator{"==": opEq, "!=": opNe, ">=": opGe, "<=": opLe, "=~": opMatches, "!~": opNotMatches}

// opWords are the operators spelled as words. [DG:cluster-query-language]
var opWords = map[string]operator{
	"equals": opEq, "not_equals": opNe,
	"greater_than": opGt, "greater_than_equal": opGe,
	"less_than": opLt, "less_than_equal": opLe,
	"exists": opExists, "not_exists": opNotExists,
	"in": opIn, "not_in": opNotIn,
	"matches": opMatches, "not_matches": opNotMatches,
}

// allows says which operators a subject takes: the DG lists them for
// agentConnected, agentVersion, ec2InstanceId, registeredAt and
// runningTasksCount; attributes take every operator; task:group takes the
// string operators and exists (ordering a group name means nothing).
// [DG:cluster-query-language]
func (s subject) allows(op operator) bool {
	switch s {
	case subjAgentConnected, subjEC2InstanceID:
		return op == opEq || op == opNe || op == opIn || op == opNotIn || op == opMatches || op == opNotMatches
	case subjAgentVersion, subjRegisteredAt, subjRunningTasksCount:
		return op >= opEq && op <= opLe
	case subjTaskGroup:
		return !(op >= opGt && op <= opLe)
	}
	return true
}

func (s subject) String() string {
	switch s {
	case subjAgentConnected:
		return "agentConnected"
	case subjAgentVersion:
		return "agentVersion"
	case subjEC2InstanceID:
		return "ec2InstanceId"
	case subjRegisteredAt:
		return "registeredAt"
	case subjRunningTasksCount:
		return "runningTasksCount"
	case subjTaskGroup:
		return "task:group"
	}
	return "attribute"
}

// SyntaxError is an error in a cluster query language expression. Pos is
// the 1-based byte position of the offending token in the expression and
// Token its text ("" at the end of the expression).
type SyntaxError struct {
	Pos   int
	Token string
	Msg   string
}

func (e *SyntaxError) Error() string {
	if e.Token == "" {
		return fmt.Sprintf("%s at position %d (end of expression)", e.Msg, e.Pos)
	}
	return fmt.Sprintf("%s at position %d near %q", e.Msg, e.Pos, e.Token)
}

// Expr is a parsed cluster query language expression. It is immutable and
// independent of any cluster; [Cluster.CompileQuery] binds one to a cluster
// for evaluation.
type Expr struct {
	root *qexpr
}

type qkind uint8

const (
	qAnd qkind = iota + 1
	qOr
	qNot
	qCmp
)

// qexpr is a node of the syntax tree.
type qexpr struct {
	kind qkind
	l, r *qexpr
	cmp  *comparison
}

// comparison is "subject operator [argument]" with its argument already
// converted to the subject's type.
type comparison struct {
	subj subject
	attr string // the attribute name, for subjAttribute
	op   operator
	args []string // the values; several for in/!in
	list bool     // written as a list

	re    *regexp.Regexp // =~ and !~, anchored at both ends
	num   int64          // runningTasksCount; registeredAt in seconds or days
	day   bool           // registeredAt given as a date only
	ver   uint64         // agentVersion
	fnum  float64        // attribute ordering against a number
	isNum bool
}

// ParseExpression parses a cluster query language expression. The error is
// a *[SyntaxError] naming the position and token at fault.
// [DG:cluster-query-language]
func ParseExpression(s string) (*Expr, error) {
	p := &parser{s: s}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.i < len(p.s) {
		return nil, p.errAt(p.i, "unexpected token after the expression")
	}
	return &Expr{root: root}, nil
}

// String returns the expression in canonical form: symbolic operators,
// explicit parentheses around nested and/or and after not, values quoted
// only where needed. Parsing the result gives the same expression.
func (e *Expr) String() string {
	var b strings.Builder
	e.root.format(&b, true)
	return b.String()
}

type parser struct {
	s     string
	i     int
	depth int
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

func isWordByte(b byte) bool {
	if isSpace(b) {
		return false
	}
	switch b {
	case '(', ')', '[', ']', ',', '\'', '"', '=', '!', '<', '>', '&', '|':
		return false
	}
	return true
}

func (p *parser) skip() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

func (p *parser) word() string {
	start := p.i
	for p.i < len(p.s) && isWordByte(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// keyword consumes the word kw (any case) if it is next.
func (p *parser) keyword(kw string) bool {
	save := p.i
	if strings.EqualFold(p.word(), kw) {
		return true
	}
	p.i = save
	return false
}

// tokenAt returns the token that starts at byte offset i, for messages.
func (p *parser) tokenAt(i int) string {
	if i >= len(p.s) {
		return ""
	}
	if isWordByte(p.s[i]) {
		j := i
		for j < len(p.s) && isWordByte(p.s[j]) {
			j++
		}
		return p.s[i:j]
	}
	if i+1 < len(p.s) {
		switch p.s[i : i+2] {
		case "==", "!=", ">=", "<=", "=~", "!~", "&&", "||":
			return p.s[i : i+2]
		}
	}
	return p.s[i : i+1]
}

func (p *parser) errAt(i int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: i + 1, Token: p.tokenAt(i), Msg: fmt.Sprintf(format, args...)}
}

// errArg reports an argument that is well formed but wrong for its
// subject; the token is the whole argument.
func (p *parser) errArg(i int, arg string, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: i + 1, Token: arg, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) or() (*qexpr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for {
		p.skip()
		if strings.HasPrefix(p.s[p.i:], "||") {
			p.i += 2
		} else if !p.keyword("or") {
			return l, nil
		}
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &qexpr{kind: qOr, l: l, r: r}
	}
}

func (p *parser) and() (*qexpr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		p.skip()
		if strings.HasPrefix(p.s[p.i:], "&&") {
			p.i += 2
		} else if !p.keyword("and") {
			return l, nil
		}
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &qexpr{kind: qAnd, l: l, r: r}
	}
}

func (p *parser) unary() (*qexpr, error) {
	p.depth++
	defer func() { p.depth-- }()
	p.skip()
	if p.depth > maxDepth {
		return nil, p.errAt(p.i, "expression nested more than %d deep", maxDepth)
	}
	if p.i >= len(p.s) {
		return nil, p.errAt(p.i, "expected a subject")
	}
	switch p.s[p.i] {
	case '(':
		open := p.i
		p.i++
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return nil, p.errAt(p.i, "expected \")\" to close the \"(\" at position %d", open+1)
		}
		p.i++
		return x, nil
	case '!':
		p.i++
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &qexpr{kind: qNot, l: x}, nil
	}
	if p.keyword("not") {
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &qexpr{kind: qNot, l: x}, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (*qexpr, error) {
	at := p.i
	w := p.word()
	if w == "" {
		return nil, p.errAt(at, "expected a subject")
	}
	c := &comparison{}
	if name, ok := strings.CutPrefix(w, attributePrefix); ok {
		if !validAttributeName(name) {
			return nil, p.errAt(at, "invalid attribute name %q (1 to 128 letters, digits, '-', '_', '/', '\\' or '.')", name)
		}
		c.subj, c.attr = subjAttribute, name
	} else if s, ok := subjects[w]; ok {
		c.subj = s
	} else {
		return nil, p.errAt(at, "unknown subject %q (expected agentConnected, agentVersion, attribute:<name>, ec2InstanceId, registeredAt, runningTasksCount or task:group)", w)
	}
	p.skip()
	opAt := p.i
	op, ok := p.operator()
	if !ok {
		return nil, p.errAt(opAt, "expected an operator after %q", w)
	}
	if !c.subj.allows(op) {
		return nil, p.errAt(opAt, "operator %s is not valid for subject %s", opSymbols[op], w)
	}
	c.op = op
	var argAt []int
	switch op {
	case opExists, opNotExists:
	case opIn, opNotIn:
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != '[' {
			return nil, p.errAt(p.i, "expected an argument list [value, ...] after %s", opSymbols[op])
		}
		p.i++
		c.list = true
		for {
			p.skip()
			vAt := p.i
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, v)
			argAt = append(argAt, vAt)
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				break
			}
			return nil, p.errAt(p.i, "expected \",\" or \"]\" in the argument list")
		}
	case opMatches, opNotMatches:
		p.skip()
		vAt := p.i
		v, err := p.pattern()
		if err != nil {
			return nil, err
		}
		c.args, argAt = []string{v}, []int{vAt}
	default:
		p.skip()
		vAt := p.i
		if vAt < len(p.s) && p.s[vAt] == '[' {
			return nil, p.errAt(vAt, "an argument list is only valid after in and not_in")
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		c.args, argAt = []string{v}, []int{vAt}
	}
	if err := p.convert(c, argAt); err != nil {
		return nil, err
	}
	return &qexpr{kind: qCmp, cmp: c}, nil
}

func (p *parser) operator() (operator, bool) {
	if p.i >= len(p.s) {
		return 0, false
	}
	if p.i+1 < len(p.s) {
		if op, ok := symbolOps[p.s[p.i:p.i+2]]; ok {
			p.i += 2
			return op, true
		}
	}
	switch p.s[p.i] {
	case '>':
		p.i++
		return opGt, true
	case '<':
		p.i++
		return opLt, true
	case '!':
		save := p.i
		p.i++
		switch w := p.word(); {
		case strings.EqualFold(w, "exists"):
			return opNotExists, true
		case strings.EqualFold(w, "in"):
			return opNotIn, true
		}
		p.i = save
		return 0, false
	}
	save := p.i
	if op, ok := opWords[strings.ToLower(p.word())]; ok {
		return op, true
	}
	p.i = save
	return 0, false
}

// value reads a word or a quoted string.
func (p *parser) value() (string, error) {
	if p.i >= len(p.s) {
		return "", p.errAt(p.i, "expected a value")
	}
	if q := p.s[p.i]; q == '\'' || q == '"' {
		return p.quoted()
	}
	at := p.i
	w := p.word()
	if w == "" {
		return "", p.errAt(at, "expected a value")
	}
	return w, nil
}

func (p *parser) quoted() (string, error) {
	q, at := p.s[p.i], p.i
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", p.errAt(at, "unterminated quoted string")
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v, nil
}

// pattern reads the argument of =~ or !~.
func (p *parser) pattern() (string, error) {
	if p.i >= len(p.s) {
		return "", p.errAt(p.i, "expected a pattern")
	}
	if q := p.s[p.i]; q == '\'' || q == '"' {
		return p.quoted()
	}
	at := p.i
	p.i = scanPattern(p.s, p.i)
	if p.i == at {
		return "", p.errAt(at, "expected a pattern")
	}
	return p.s[at:p.i], nil
}

// scanPattern returns the end of the unquoted pattern starting at i: the
// first white space, quote, or ")" that closes no "(" of the pattern, not
// counting escaped bytes or bytes inside a [character class].
func scanPattern(s string, i int) int {
	depth, class := 0, false
	for i < len(s) {
		b := s[i]
		switch {
		case b == '\\':
			i = min(i+2, len(s))
			continue
		case class:
			if b == ']' {
				class = false
			}
		case isSpace(b) || b == '\'' || b == '"':
			return i
		case b == '[':
			class = true
		case b == '(':
			depth++
		case b == ')':
			if depth == 0 {
				return i
			}
			depth--
		}
		i++
	}
	return i
}

// convert checks the arguments against the subject and keeps them in the
// form evaluation compares.
func (p *parser) convert(c *comparison, argAt []int) error {
	if c.op == opMatches || c.op == opNotMatches {
		// Java's Pattern.matches, which the DG points to, matches the whole
		// value; RE2 (Go's regexp) has no backreferences, lookaround or
		// possessive quantifiers, which are rejected here.
		wrapped := `^(?:` + c.args[0] + `)$`
		re, err := regexp.Compile(wrapped)
		if err != nil {
			msg := err.Error()
			var e *syntax.Error
			if errors.As(err, &e) {
				msg = string(e.Code)
				if e.Expr != wrapped {
					msg += ": " + e.Expr
				}
			}
			return p.errArg(argAt[0], c.args[0], "invalid regular expression (%s)", msg)
		}
		c.re = re
		return nil
	}
	if c.op == opExists || c.op == opNotExists {
		return nil
	}
	for k, a := range c.args {
		switch c.subj {
		case subjAgentConnected:
			l := strings.ToLower(a)
			if l != "true" && l != "false" {
				return p.errArg(argAt[k], a, "agentConnected compares with true or false, not %q", a)
			}
			c.args[k] = l
		case subjAgentVersion:
			v, ok := parseVersion(a)
			if !ok {
				return p.errArg(argAt[k], a, "invalid agent version %q (expected digits separated by dots, e.g. 1.14.5)", a)
			}
			c.ver = v
		case subjRegisteredAt:
			n, day, ok := parseDate(a)
			if !ok {
				return p.errArg(argAt[k], a, "invalid date %q (expected 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18)", a)
			}
			c.num, c.day = n, day
		case subjRunningTasksCount:
			n, err := strconv.ParseInt(a, 10, 32)
			if err != nil {
				return p.errArg(argAt[k], a, "invalid task count %q (expected an integer)", a)
			}
			c.num = n
		case subjAttribute:
			if c.op >= opGt && c.op <= opLe {
				c.fnum, c.isNum = parseNumber(a)
			}
		}
	}
	return nil
}

// validAttributeName applies the rule for attribute names: 1 to 128
// letters, digits, hyphens, underscores, forward or back slashes and
// periods. [DG:task-placement-constraints#ecs-custom-attributes]
func validAttributeName(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' ||
			b == '-' || b == '_' || b == '/' || b == '\\' || b == '.') {
			return false
		}
	}
	return true
}

// versionKnown marks a packed version as present.
const versionKnown = 1 << 63

// parseVersion packs a dotted version of one to four components, each
// below 32768, into an integer that orders like the version (missing
// components are 0, so 1.14 == 1.14.0).
func parseVersion(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, false
	}
	var v uint64
	for k := range 4 {
		var n uint64
		if k < len(parts) {
			x, err := strconv.ParseUint(parts[k], 10, 15)
			if err != nil || parts[k][0] == '+' {
				return 0, false
			}
			n = x
		}
		v = v<<15 | n
	}
	return v | versionKnown, true
}

// parseDate reads the registeredAt argument formats; it returns Unix
// seconds, or the day number (days since 1970-01-01 UTC) for a date alone.
// A time without an offset is UTC. [DG:cluster-query-language]
func parseDate(s string) (int64, bool, bool) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return floorDiv(t.Unix(), 86400), true, true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Unix(), false, true
		}
	}
	return 0, false, false
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// parseNumber reads a decimal number for ordering attribute values.
func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "xXpP_") || strings.EqualFold(s, "nan") ||
		strings.Contains(strings.ToLower(s), "inf") {
		return 0, false
	}
	return f, true
}

func (x *qexpr) format(b *strings.Builder, top bool) {
	switch x.kind {
	case qAnd, qOr:
		if !top {
			b.WriteByte('(')
		}
		x.l.format(b, false)
		if x.kind == qAnd {
			b.WriteString(" and ")
		} else {
			b.WriteString(" or ")
		}
		x.r.format(b, false)
		if !top {
			b.WriteByte(')')
		}
	case qNot:
		b.WriteString("not ")
		if x.l.kind == qAnd || x.l.kind == qOr {
			x.l.format(b, false)
		} else {
			b.WriteByte('(')
			x.l.format(b, true)
			b.WriteByte(')')
		}
	case qCmp:
		c := x.cmp
		if c.subj == subjAttribute {
			b.WriteString(attributePrefix + c.attr)
		} else {
			b.WriteString(c.subj.String())
		}
		b.WriteByte(' ')
		b.WriteString(opSymbols[c.op])
		switch {
		case c.op == opExists || c.op == opNotExists:
		case c.list:
			b.WriteString(" [")
			for k, a := range c.args {
				if k > 0 {
					b.WriteString(", ")
				}
				b.WriteString(quoteValue(a))
			}
			b.WriteByte(']')
		case c.op == opMatches || c.op == opNotMatches:
			b.WriteByte(' ')
			a := c.args[0]
			if a != "" && scanPattern(a, 0) == len(a) {
				b.WriteString(a)
			} else {
				b.WriteString(quote(a))
			}
		default:
			b.WriteByte(' ')
			b.WriteString(quoteValue(c.args[0]))
		}
	}
}

func quoteValue(s string) string {
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return quote(s)
		}
	}
	if s == "" {
		return quote(s)
	}
	return s
}

// quote quotes s with whichever quote it does not contain; a parsed value
// never contains both.
func quote(s string) string {
	if strings.IndexByte(s, '\'') < 0 {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}
