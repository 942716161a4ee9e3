package cloudwatch

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Metric math: the subset of CloudWatch's expressions that alarms and
// scaling policies use. Numbers, query ids, + - * / with the usual
// precedence and parentheses, unary minus, comparisons (< <= > >= == !=)
// and AND/OR (&&, ||) giving 1 or 0, IF(condition, a[, b]), ABS,
// FILL(x, value), and SUM,
// AVG, MIN and MAX of a list [a, b, …] (pointwise across the series) or
// of one series (a number: the reduction over time).
// [CW:using-metric-math "Metric math syntax and functions"]

// maxExprDepth bounds the nesting of an expression, so that no input
// can exhaust the stack. CloudWatch's limit is the expression's length
// (2,048 characters); ecssim adds this one. [CWAPI:MetricDataQuery.Expression]
const maxExprDepth = 64

// maxExprLen is the longest expression. [CWAPI:MetricDataQuery.Expression]
const maxExprLen = 2048

// exprNode is a parsed expression.
type exprNode struct {
	op   byte // 'n' number, 'i' id, 'f' function, 'l' list, 'u' unary minus, 'c' comparison (name), '&' and, '|' or, or + - * /
	num  float64
	name string // id or function name
	args []*exprNode
}

// mseries is a time series: period starts in ascending order and values.
type mseries struct {
	ts []sim.Time
	vs []float64
}

// mvalue is the value of an expression: a number, a series or a list of
// series.
type mvalue struct {
	kind byte // 'n', 's', 'l'
	num  float64
	s    mseries
	list []mseries
}

// exprError is CloudWatch's complaint about an expression.
func exprError(field, id, format string, args ...any) *api.Error {
	return api.Errorf(CodeValidationError, "Error in expression '%s': %s", id, fmt.Sprintf(format, args...)).At(field)
}

type exprParser struct {
	src   string
	pos   int
	depth int
}

// parseExpr parses an expression.
func parseExpr(src string) (*exprNode, error) {
	if len(src) > maxExprLen {
		return nil, fmt.Errorf("the expression is longer than %d characters", maxExprLen)
	}
	p := &exprParser{src: src}
	n, err := p.logic()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, messagef("Syntax error at position %d: unexpected %q", p.pos+1, p.src[p.pos])
	}
	return n, nil
}

func (p *exprParser) space() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *exprParser) peek() byte {
	p.space()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// logicOps and compareOps are the operators of IF's conditions, by
// precedence: AND/&& and OR/|| below the comparisons, which are below + and -.
var compareOps = []string{"<=", ">=", "==", "!=", "<", ">"}

// logic parses "c AND c", "c OR c" (also && and ||), left to right.
func (p *exprParser) logic() (*exprNode, error) {
	l, err := p.compare()
	for err == nil {
		p.space()
		rest := p.src[p.pos:]
		var op byte
		switch {
		case strings.HasPrefix(rest, "&&"):
			op, p.pos = '&', p.pos+2
		case strings.HasPrefix(rest, "||"):
			op, p.pos = '|', p.pos+2
		case strings.HasPrefix(rest, "AND") && (len(rest) == 3 || !isIdent(rest[3])):
			op, p.pos = '&', p.pos+3
		case strings.HasPrefix(rest, "OR") && (len(rest) == 2 || !isIdent(rest[2])):
			op, p.pos = '|', p.pos+2
		default:
			return l, nil
		}
		var r *exprNode
		if r, err = p.compare(); err == nil {
			l = &exprNode{op: op, args: []*exprNode{l, r}}
		}
	}
	return nil, err
}

// compare parses "a OP b" with one comparison operator at most.
func (p *exprParser) compare() (*exprNode, error) {
	l, err := p.sum()
	if err != nil {
		return nil, err
	}
	p.space()
	for _, op := range compareOps {
		if strings.HasPrefix(p.src[p.pos:], op) {
			p.pos += len(op)
			r, err := p.sum()
			if err != nil {
				return nil, err
			}
			return &exprNode{op: 'c', name: op, args: []*exprNode{l, r}}, nil
		}
	}
	return l, nil
}

func (p *exprParser) sum() (*exprNode, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxExprDepth {
		return nil, fmt.Errorf("the expression is nested more than %d levels deep", maxExprDepth)
	}
	l, err := p.product()
	for err == nil {
		c := p.peek()
		if c != '+' && c != '-' {
			return l, nil
		}
		p.pos++
		var r *exprNode
		if r, err = p.product(); err == nil {
			l = &exprNode{op: c, args: []*exprNode{l, r}}
		}
	}
	return nil, err
}

func (p *exprParser) product() (*exprNode, error) {
	l, err := p.unary()
	for err == nil {
		c := p.peek()
		if c != '*' && c != '/' {
			return l, nil
		}
		p.pos++
		var r *exprNode
		if r, err = p.unary(); err == nil {
			l = &exprNode{op: c, args: []*exprNode{l, r}}
		}
	}
	return nil, err
}

func (p *exprParser) unary() (*exprNode, error) {
	if p.peek() == '-' {
		p.pos++
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxExprDepth {
			return nil, fmt.Errorf("the expression is nested more than %d levels deep", maxExprDepth)
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &exprNode{op: 'u', args: []*exprNode{x}}, nil
	}
	return p.primary()
}

func isIdent(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// list parses "x, y, …" up to the closing byte.
func (p *exprParser) list(close byte) ([]*exprNode, error) {
	var out []*exprNode
	if p.peek() == close {
		p.pos++
		return out, nil
	}
	for {
		x, err := p.logic()
		if err != nil {
			return nil, err
		}
		out = append(out, x)
		switch p.peek() {
		case ',':
			p.pos++
		case close:
			p.pos++
			return out, nil
		default:
			return nil, messagef("Syntax error at position %d: expected ',' or '%c'", p.pos+1, close)
		}
	}
}

func (p *exprParser) primary() (*exprNode, error) {
	c := p.peek()
	start := p.pos
	switch {
	case c == '(':
		p.pos++
		x, err := p.logic()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, messagef("Syntax error at position %d: expected ')'", p.pos+1)
		}
		p.pos++
		return x, nil
	case c == '[':
		p.pos++
		xs, err := p.list(']')
		if err != nil {
			return nil, err
		}
		return &exprNode{op: 'l', args: xs}, nil
	case c >= '0' && c <= '9' || c == '.':
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
			p.pos++
		}
		v, err := strconv.ParseFloat(p.src[start:p.pos], 64)
		if err != nil {
			return nil, messagef("Syntax error at position %d: invalid number %q", start+1, p.src[start:p.pos])
		}
		return &exprNode{op: 'n', num: v}, nil
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		for p.pos < len(p.src) && isIdent(p.src[p.pos]) {
			p.pos++
		}
		name := p.src[start:p.pos]
		if p.peek() == '(' {
			p.pos++
			xs, err := p.list(')')
			if err != nil {
				return nil, err
			}
			return &exprNode{op: 'f', name: name, args: xs}, nil
		}
		return &exprNode{op: 'i', name: name}, nil
	case c == 0:
		return nil, messagef("Syntax error: unexpected end of expression")
	}
	return nil, messagef("Syntax error at position %d: unexpected %q", p.pos+1, c)
}

// mathEnv evaluates the queries of one request or alarm over one grid of
// periods.
type mathEnv struct {
	grid    []sim.Time // every period start of the range, ascending
	queries map[string]*MetricDataQuery
	parsed  map[string]*exprNode
	fetch   func(q *MetricDataQuery) mseries
	done    map[string]mvalue
	active  map[string]bool
}

// newMathEnv parses the expressions of qs; field names the list for
// errors ("MetricDataQueries" or "Metrics").
func newMathEnv(field string, qs []MetricDataQuery) (*mathEnv, error) {
	e := &mathEnv{queries: map[string]*MetricDataQuery{}, parsed: map[string]*exprNode{}, done: map[string]mvalue{}, active: map[string]bool{}}
	for i := range qs {
		q := &qs[i]
		e.queries[*q.Id] = q
	}
	for i := range qs {
		q := &qs[i]
		if q.Expression == nil {
			continue
		}
		f := fmt.Sprintf("%s.member.%d.Expression", field, i+1)
		n, err := parseExpr(*q.Expression)
		if err != nil {
			return nil, exprError(f, *q.Id, "%s", err.Error())
		}
		e.parsed[*q.Id] = n
	}
	// A dry run on an empty range finds unknown ids, cycles, unknown
	// functions and misused arguments before any data is read.
	e.fetch = func(*MetricDataQuery) mseries { return mseries{} }
	for i := range qs {
		if qs[i].Expression != nil {
			if _, err := e.value(*qs[i].Id); err != nil {
				return nil, exprError(fmt.Sprintf("%s.member.%d.Expression", field, i+1), *qs[i].Id, "%s", err.Error())
			}
		}
	}
	clear(e.done)
	return e, nil
}

// series evaluates query id over grid and returns its series; a number is
// the same value at every period.
func (e *mathEnv) series(id string, grid []sim.Time, fetch func(q *MetricDataQuery) mseries) mseries {
	e.grid, e.fetch = grid, fetch
	clear(e.done)
	clear(e.active)
	v, err := e.value(id)
	if err != nil {
		return mseries{}
	}
	return e.toSeries(v)
}

func (e *mathEnv) toSeries(v mvalue) mseries {
	switch v.kind {
	case 'n':
		if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
			return mseries{}
		}
		s := mseries{ts: slices.Clone(e.grid), vs: make([]float64, len(e.grid))}
		for i := range s.vs {
			s.vs[i] = v.num
		}
		return s
	case 'l':
		if len(v.list) == 1 {
			return v.list[0]
		}
		return mseries{}
	}
	return v.s
}

// value returns query id's value.
func (e *mathEnv) value(id string) (mvalue, error) {
	if v, ok := e.done[id]; ok {
		return v, nil
	}
	q, ok := e.queries[id]
	if !ok {
		return mvalue{}, messagef("Unrecognized metric or expression id: %s", id)
	}
	if e.active[id] {
		return mvalue{}, messagef("Circular dependency on id %s", id)
	}
	var v mvalue
	if q.Expression == nil {
		v = mvalue{kind: 's', s: e.fetch(q)}
	} else {
		e.active[id] = true
		var err error
		v, err = e.eval(e.parsed[id])
		delete(e.active, id)
		if err != nil {
			return mvalue{}, err
		}
	}
	e.done[id] = v
	return v, nil
}

func (e *mathEnv) eval(n *exprNode) (mvalue, error) {
	switch n.op {
	case 'n':
		return mvalue{kind: 'n', num: n.num}, nil
	case 'i':
		return e.value(n.name)
	case 'l':
		out := mvalue{kind: 'l'}
		for _, a := range n.args {
			v, err := e.eval(a)
			if err != nil {
				return mvalue{}, err
			}
			switch v.kind {
			case 'n':
				return mvalue{}, messagef("An array may hold only time series")
			case 's':
				out.list = append(out.list, v.s)
			default:
				out.list = append(out.list, v.list...)
			}
		}
		return out, nil
	case 'u':
		x, err := e.eval(n.args[0])
		if err != nil {
			return mvalue{}, err
		}
		return mapValue(x, func(v float64) float64 { return -v }), nil
	case 'f':
		return e.call(n)
	}
	return e.binary(n) // + - * /
}

// mapValue applies f to every value of x.
func mapValue(x mvalue, f func(float64) float64) mvalue {
	switch x.kind {
	case 'n':
		return mvalue{kind: 'n', num: f(x.num)}
	case 's':
		return mvalue{kind: 's', s: mapSeries(x.s, f)}
	}
	out := mvalue{kind: 'l'}
	for _, s := range x.list {
		out.list = append(out.list, mapSeries(s, f))
	}
	return out
}

func mapSeries(s mseries, f func(float64) float64) mseries {
	out := mseries{}
	for i, t := range s.ts {
		if v := f(s.vs[i]); !math.IsNaN(v) && !math.IsInf(v, 0) {
			out.ts, out.vs = append(out.ts, t), append(out.vs, v)
		}
	}
	return out
}

// truth is a comparison's or a condition's value: 1 or 0.
func truth(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// arith is one arithmetic, comparison or logical operation; cmp is the
// comparison operator for op 'c'. A result that is not a finite number
// (division by zero) is no datapoint. [CW:using-metric-math]
func arith(op byte, cmp string, a, b float64) float64 {
	switch op {
	case 'c':
		switch cmp {
		case "<":
			return truth(a < b)
		case "<=":
			return truth(a <= b)
		case ">":
			return truth(a > b)
		case ">=":
			return truth(a >= b)
		case "==":
			return truth(a == b)
		}
		return truth(a != b)
	case '&':
		return truth(a != 0 && b != 0)
	case '|':
		return truth(a != 0 || b != 0)
	case '+':
		return a + b
	case '-':
		return a - b
	case '*':
		return a * b
	}
	return a / b
}

// binary applies an arithmetic operator. Two series are aligned by
// timestamp: a period missing from either is missing from the result.
func (e *mathEnv) binary(n *exprNode) (mvalue, error) {
	a, err := e.eval(n.args[0])
	if err != nil {
		return mvalue{}, err
	}
	b, err := e.eval(n.args[1])
	if err != nil {
		return mvalue{}, err
	}
	if a.kind == 'l' || b.kind == 'l' {
		return mvalue{}, messagef("An operator cannot be applied to an array of time series")
	}
	switch {
	case a.kind == 'n' && b.kind == 'n':
		return mvalue{kind: 'n', num: arith(n.op, n.name, a.num, b.num)}, nil
	case a.kind == 'n':
		return mvalue{kind: 's', s: mapSeries(b.s, func(v float64) float64 { return arith(n.op, n.name, a.num, v) })}, nil
	case b.kind == 'n':
		return mvalue{kind: 's', s: mapSeries(a.s, func(v float64) float64 { return arith(n.op, n.name, v, b.num) })}, nil
	}
	out := mseries{}
	i, j := 0, 0
	for i < len(a.s.ts) && j < len(b.s.ts) {
		switch {
		case a.s.ts[i] < b.s.ts[j]:
			i++
		case a.s.ts[i] > b.s.ts[j]:
			j++
		default:
			if v := arith(n.op, n.name, a.s.vs[i], b.s.vs[j]); !math.IsNaN(v) && !math.IsInf(v, 0) {
				out.ts, out.vs = append(out.ts, a.s.ts[i]), append(out.vs, v)
			}
			i++
			j++
		}
	}
	return mvalue{kind: 's', s: out}, nil
}

// reducers are the functions that reduce a list pointwise, or one series
// over time.
var reducers = map[string]func([]float64) float64{
	"SUM": func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s
	},
	"AVG": func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	},
	"MIN": func(xs []float64) float64 { return slices.Min(xs) },
	"MAX": func(xs []float64) float64 { return slices.Max(xs) },
}

func (e *mathEnv) call(n *exprNode) (mvalue, error) {
	args := make([]mvalue, len(n.args))
	for i, a := range n.args {
		v, err := e.eval(a)
		if err != nil {
			return mvalue{}, err
		}
		args[i] = v
	}
	want := func(k int) error {
		if len(args) != k {
			return messagef("Invalid number of arguments for function %s: expected %d, got %d", n.name, k, len(args))
		}
		return nil
	}
	switch n.name {
	case "IF":
		return e.ifValue(args)
	case "ABS":
		if err := want(1); err != nil {
			return mvalue{}, err
		}
		return mapValue(args[0], math.Abs), nil
	case "FILL":
		if err := want(2); err != nil {
			return mvalue{}, err
		}
		if args[1].kind != 'n' {
			return mvalue{}, messagef("The second argument of FILL must be a number; REPEAT, LINEAR and series are not simulated")
		}
		switch args[0].kind {
		case 's':
			return mvalue{kind: 's', s: e.fill(args[0].s, args[1].num)}, nil
		case 'l':
			out := mvalue{kind: 'l'}
			for _, s := range args[0].list {
				out.list = append(out.list, e.fill(s, args[1].num))
			}
			return out, nil
		}
		return mvalue{}, messagef("The first argument of FILL must be a time series or an array of time series")
	}
	red, ok := reducers[n.name]
	if !ok {
		return mvalue{}, messagef("Unrecognized function: %s", n.name)
	}
	if err := want(1); err != nil {
		return mvalue{}, err
	}
	switch a := args[0]; a.kind {
	case 'n':
		return mvalue{}, messagef("The argument of %s must be a time series or an array of time series", n.name)
	case 's':
		if len(a.s.vs) == 0 {
			return mvalue{kind: 'n', num: math.NaN()}, nil
		}
		return mvalue{kind: 'n', num: red(a.s.vs)}, nil
	default:
		return mvalue{kind: 's', s: pointwise(a.list, red)}, nil
	}
}

// ifValue is IF(condition, trueValue[, falseValue]): at each timestamp
// of the condition, the value of trueValue where the condition is not 0,
// else of falseValue; a missing value, or no falseValue, is no
// datapoint. [CW:using-metric-math IF]
func (e *mathEnv) ifValue(args []mvalue) (mvalue, error) {
	if len(args) != 2 && len(args) != 3 {
		return mvalue{}, messagef("Invalid number of arguments for function IF: expected 2 or 3, got %d", len(args))
	}
	for _, a := range args {
		if a.kind == 'l' {
			return mvalue{}, messagef("The arguments of IF must be time series or numbers")
		}
	}
	cond := args[0]
	if cond.kind == 'n' {
		switch {
		case cond.num != 0:
			return args[1], nil
		case len(args) == 3:
			return args[2], nil
		}
		return mvalue{kind: 's'}, nil
	}
	at := func(v mvalue, t sim.Time) (float64, bool) {
		if v.kind == 'n' {
			return v.num, true
		}
		i, ok := slices.BinarySearch(v.s.ts, t)
		if !ok {
			return 0, false
		}
		return v.s.vs[i], true
	}
	out := mseries{}
	for i, t := range cond.s.ts {
		pick := 1
		if cond.s.vs[i] == 0 {
			pick = 2
		}
		if pick >= len(args) {
			continue
		}
		if v, ok := at(args[pick], t); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			out.ts, out.vs = append(out.ts, t), append(out.vs, v)
		}
	}
	return mvalue{kind: 's', s: out}, nil
}

// pointwise reduces a list of series at each timestamp over the series
// that have a value there.
func pointwise(list []mseries, red func([]float64) float64) mseries {
	var ts []sim.Time
	for _, s := range list {
		ts = append(ts, s.ts...)
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	out := mseries{}
	idx := make([]int, len(list))
	var xs []float64
	for _, t := range ts {
		xs = xs[:0]
		for k, s := range list {
			for idx[k] < len(s.ts) && s.ts[idx[k]] < t {
				idx[k]++
			}
			if idx[k] < len(s.ts) && s.ts[idx[k]] == t {
				xs = append(xs, s.vs[idx[k]])
			}
		}
		if v := red(xs); !math.IsNaN(v) && !math.IsInf(v, 0) {
			out.ts, out.vs = append(out.ts, t), append(out.vs, v)
		}
	}
	return out
}

// fill gives every period of the grid without a value the value v.
func (e *mathEnv) fill(s mseries, v float64) mseries {
	out := mseries{}
	j := 0
	for _, t := range e.grid {
		for j < len(s.ts) && s.ts[j] < t {
			j++
		}
		x := v
		if j < len(s.ts) && s.ts[j] == t {
			x = s.vs[j]
		}
		out.ts, out.vs = append(out.ts, t), append(out.vs, x)
	}
	return out
}

// statSeries returns a MetricStat's values over [from, to) by period, in
// time order, periods starting at from.
func (c *CloudWatch) statSeries(ms *MetricStat, from, to, period sim.Time) mseries {
	var out mseries
	s := c.store.lookup(*ms.Metric.Namespace, *ms.Metric.MetricName, ms.Metric.Dimensions)
	if s == nil || period < sim.Time(Resolution) {
		return out
	}
	for _, ps := range s.Periods(from, to, time.Duration(period), api.Deref(ms.Unit)) {
		if v, ok := s.periodValue(ps, min(ps.start+period, to), api.Deref(ms.Unit), *ms.Stat); ok {
			out.ts, out.vs = append(out.ts, ps.start), append(out.vs, v)
		}
	}
	return out
}

// maxGrid bounds the periods an expression is evaluated over: the most
// datapoints GetMetricData returns in one call. [CWAPI:GetMetricData]
const maxGrid = 100800

// grid returns the period starts of [from, to).
func grid(from, to, period sim.Time) []sim.Time {
	var g []sim.Time
	if period <= 0 {
		return g
	}
	for t := from; t < to && len(g) < maxGrid; t += period {
		g = append(g, t)
	}
	return g
}

// mathPeriod is the period of an expression's result: the query's own
// Period, or else the longest period of the metric stats of the request.
// [CWAPI:MetricDataQuery.Period]
func mathPeriod(q *MetricDataQuery, qs []MetricDataQuery) sim.Time {
	p := int32(0)
	if q.Period != nil {
		p = *q.Period
	} else {
		for _, o := range qs {
			if o.MetricStat != nil && o.MetricStat.Period != nil {
				p = max(p, *o.MetricStat.Period)
			}
		}
	}
	if p == 0 {
		p = 60
	}
	return sim.Time(time.Duration(p) * time.Second)
}

// message is an error whose text is a message in AWS's words, which
// begin with a capital letter as AWS's messages do.
type message string

func (m message) Error() string { return string(m) }

// messagef formats a message.
func messagef(format string, a ...any) error { return message(fmt.Sprintf(format, a...)) }
