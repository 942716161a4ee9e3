package scheduler

import (
	"cmp"
	"slices"

	"github.com/ecssim/ecssim/api"
)

// Query is a cluster query language expression bound to one [Cluster]:
// its attribute names, values and task groups are resolved to the
// cluster's integer ids, so evaluating it on an instance is a few integer
// comparisons and allocates nothing. Binding records names in the cluster's
// symbol tables (which only grow), so a Query stays valid as instances come
// and go; it must only be used with the cluster that bound it.
type Query struct {
	c    *Cluster
	expr *Expr
	root *qnode
}

// qnode is a node of a bound expression.
type qnode struct {
	kind qkind
	l, r *qnode
	cmp  *comparison
	name int32   // attribute name id
	ids  []int32 // attribute value ids, or group ids for task:group
	// known holds the answer for each attribute value id (or, for
	// task:group patterns, whether each group id's name matches), computed
	// when the query was bound, for operators that would otherwise run a
	// regular expression or parse a number per instance. Values and groups
	// interned later are beyond its end and evaluated directly.
	known []bool
}

// CompileQuery parses and binds an expression, e.g. the filter of
// ListContainerInstances. A syntax error is returned as an
// InvalidParameterException whose message names the position and token.
func (c *Cluster) CompileQuery(expr string) (*Query, error) {
	e, err := ParseExpression(expr)
	if err != nil {
		return nil, api.InvalidParameter("Invalid cluster query expression %q: %s.", expr, err)
	}
	return c.Bind(e), nil
}

// Bind binds a parsed expression to c.
func (c *Cluster) Bind(e *Expr) *Query {
	return &Query{c: c, expr: e, root: c.bind(e.root)}
}

// String returns the expression in canonical form.
func (q *Query) String() string { return q.expr.String() }

func (c *Cluster) bind(x *qexpr) *qnode {
	n := &qnode{kind: x.kind, cmp: x.cmp}
	switch x.kind {
	case qAnd, qOr:
		n.l, n.r = c.bind(x.l), c.bind(x.r)
	case qNot:
		n.l = c.bind(x.l)
	case qCmp:
		switch x.cmp.subj {
		case subjAttribute:
			n.name = c.internName(x.cmp.attr)
			an := c.names[n.name]
			switch x.cmp.op {
			case opEq, opNe, opIn, opNotIn:
				for _, a := range x.cmp.args {
					n.ids = append(n.ids, an.intern(a))
				}
			case opMatches, opNotMatches, opGt, opGe, opLt, opLe:
				n.known = make([]bool, len(an.values))
				for v := 1; v < len(an.values); v++ {
					n.known[v] = attributeAnswer(x.cmp, an, int32(v))
				}
			}
		case subjTaskGroup:
			switch x.cmp.op {
			case opEq, opNe, opIn, opNotIn:
				for _, a := range x.cmp.args {
					n.ids = append(n.ids, c.internGroup(a))
				}
			case opMatches, opNotMatches:
				n.known = make([]bool, len(c.groups))
				for g, gs := range c.groups {
					n.known[g] = x.cmp.re.MatchString(gs.name)
				}
			}
		}
	}
	return n
}

// Matches reports whether the instance satisfies the query; false for an
// unknown instance.
func (c *Cluster) Matches(q *Query, id string) bool {
	q.mustBelong(c)
	i, ok := c.index[id]
	return ok && c.eval(q.root, int(i))
}

// Select returns the IDs, in order, of the instances (of any status) that
// satisfy the query.
func (c *Cluster) Select(q *Query) []string {
	q.mustBelong(c)
	var ids []string
	for i := range c.ids {
		if c.eval(q.root, i) {
			ids = append(ids, c.ids[i])
		}
	}
	return ids
}

func (q *Query) mustBelong(c *Cluster) {
	if q.c != c {
		panic("scheduler: query used with a cluster other than the one that compiled it")
	}
}

func (c *Cluster) eval(n *qnode, i int) bool {
	switch n.kind {
	case qAnd:
		return c.eval(n.l, i) && c.eval(n.r, i)
	case qOr:
		return c.eval(n.l, i) || c.eval(n.r, i)
	case qNot:
		return !c.eval(n.l, i)
	}
	x := n.cmp
	switch x.subj {
	case subjAttribute:
		return c.evalAttribute(n, i)
	case subjTaskGroup:
		return c.evalTaskGroup(n, i)
	case subjAgentConnected:
		s := "true"
		if c.agentOff[i] {
			s = "false"
		}
		return evalString(x, s)
	case subjEC2InstanceID:
		// An unknown EC2 ID satisfies nothing, as a missing attribute.
		return c.ec2[i] != "" && evalString(x, c.ec2[i])
	case subjAgentVersion:
		v := c.agentVer[i]
		return v&versionKnown != 0 && ordered(cmp.Compare(v, x.ver), x.op)
	case subjRegisteredAt:
		t := c.regAt[i]
		if t == noTime {
			return false
		}
		if x.day {
			// A date alone compares the day of registration (UTC): "<
			// 2018-02-13" is "registered before February 13, 2018".
			t = floorDiv(t, 86400)
		}
		return ordered(cmp.Compare(t, x.num), x.op)
	case subjRunningTasksCount:
		return ordered(cmp.Compare(int64(c.tasks[i]), x.num), x.op)
	}
	return false
}

// evalAttribute: an instance without the attribute satisfies only
// !exists; "attribute:stack != prod" selects instances that have the
// attribute with another value. [DG:task-placement-constraints#filter-attribute]
func (c *Cluster) evalAttribute(n *qnode, i int) bool {
	x := n.cmp
	an := c.names[n.name]
	v := an.col[i]
	if v == 0 {
		return x.op == opNotExists
	}
	switch x.op {
	case opExists:
		return true
	case opNotExists:
		return false
	case opEq:
		return v == n.ids[0]
	case opNe:
		return v != n.ids[0]
	case opIn:
		return slices.Contains(n.ids, v)
	case opNotIn:
		return !slices.Contains(n.ids, v)
	}
	if int(v) < len(n.known) {
		return n.known[v]
	}
	return attributeAnswer(x, an, v)
}

// attributeAnswer evaluates a pattern or ordering comparison on value v.
func attributeAnswer(x *comparison, an *attrName, v int32) bool {
	switch x.op {
	case opMatches:
		return x.re.MatchString(an.values[v])
	case opNotMatches:
		return !x.re.MatchString(an.values[v])
	}
	// Ordering: numerically when both sides are numbers, else by bytes
	// (AWS does not say).
	if x.isNum && an.isNum[v] {
		return ordered(cmp.Compare(an.nums[v], x.fnum), x.op)
	}
	return ordered(cmp.Compare(an.values[v], x.args[0]), x.op)
}

// evalTaskGroup: an instance satisfies "task:group <op> <arg>" when some
// task on it (still counted: not told to stop) has a group that satisfies
// "<group> <op> <arg>". So
// "task:group == databases" selects instances running a databases task
// (affinity), and anti-affinity is written not(task:group == databases),
// as the DG's example does; "task:group != databases" selects instances
// running some task of another group. exists: any task. ecssim's reading
// of [DG:cluster-query-language].
func (c *Cluster) evalTaskGroup(n *qnode, i int) bool {
	x := n.cmp
	gs := c.groupsOn[i]
	switch x.op {
	case opExists:
		return len(gs) > 0
	case opNotExists:
		return len(gs) == 0
	}
	for _, g := range gs {
		var ok bool
		switch x.op {
		case opEq:
			ok = g == n.ids[0]
		case opNe:
			ok = g != n.ids[0]
		case opIn:
			ok = slices.Contains(n.ids, g)
		case opNotIn:
			ok = !slices.Contains(n.ids, g)
		case opMatches, opNotMatches:
			var m bool
			if int(g) < len(n.known) {
				m = n.known[g]
			} else {
				m = x.re.MatchString(c.groups[g].name)
			}
			ok = m == (x.op == opMatches)
		}
		if ok {
			return true
		}
	}
	return false
}

// evalString applies a string operator (==, !=, in, !in, =~, !~).
func evalString(x *comparison, s string) bool {
	switch x.op {
	case opEq:
		return s == x.args[0]
	case opNe:
		return s != x.args[0]
	case opIn:
		return slices.Contains(x.args, s)
	case opNotIn:
		return !slices.Contains(x.args, s)
	case opMatches:
		return x.re.MatchString(s)
	case opNotMatches:
		return !x.re.MatchString(s)
	}
	return false
}

// ordered turns a three-way comparison into the operator's answer.
func ordered(c int, op operator) bool {
	switch op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	}
	return false
}
