package scheduler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// evalFixture is one instance "web" with known attributes and two tasks
// (service:web and family:batch), and a bare instance "bare".
func evalFixture(t *testing.T) *Cluster {
	t.Helper()
	c := NewCluster()
	require.NoError(t, c.AddInstance(Instance{
		ID: "web", EC2InstanceID: "i-abcd1234", CPU: 4096, Memory: 8192,
		AgentVersion: "1.14.5",
		RegisteredAt: time.Date(2018, 2, 13, 22, 28, 28, 0, time.UTC),
		Attributes: map[string]string{
			AttributeAvailabilityZone: "us-east-1a",
			"ecs.instance-type":       "t2.small",
			"ecs.awsvpc-trunk-id":     "",
			"size":                    "10",
		},
	}))
	require.NoError(t, c.AddInstance(Instance{ID: "bare", CPU: 1024, Memory: 1024, AgentDisconnected: true}))
	for _, g := range []string{"service:web", "family:batch"} {
		_, err := c.Reserve("web", &Task{Group: g, CPU: 10, Memory: 10})
		require.NoError(t, err)
	}
	return c
}

// TestQuerySemantics evaluates expressions on the fixture: {web, bare}.
func TestQuerySemantics(t *testing.T) {
	c := evalFixture(t)
	tests := []struct {
		name, expr string
		web, bare  bool
	}{
		// Attributes: a missing attribute satisfies only !exists; "!="
		// selects instances that have another value. [DG:task-placement-constraints#filter-attribute]
		{"attr ==", "attribute:ecs.instance-type == t2.small", true, false},
		{"attr == is case-sensitive", "attribute:ecs.instance-type == T2.small", false, false},
		{"attr != needs the attribute", "attribute:ecs.instance-type != m5.large", true, false},
		{"attr in", "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", true, false},
		{"attr !in needs the attribute", "attribute:ecs.availability-zone !in [us-east-1b]", true, false},
		{"attr exists", "attribute:ecs.instance-type exists", true, false},
		{"attr without value exists", "attribute:ecs.awsvpc-trunk-id exists", true, false},
		{"attr without value == ''", "attribute:ecs.awsvpc-trunk-id == ''", true, false},
		{"attr !exists", "attribute:ecs.instance-type !exists", false, true},
		{"attr matches whole value", "attribute:ecs.instance-type =~ t2.*", true, false},
		{"attr matches is anchored", "attribute:ecs.instance-type =~ small", false, false},
		{"attr !~", "attribute:ecs.instance-type !~ m5.*", true, false},
		{"attr ordered as numbers", "attribute:size > 9", true, false},
		{"attr ordered as numbers, not bytes", "attribute:size < 9.5", false, false},
		{"attr ordered as strings", "attribute:ecs.instance-type > m5.large", true, false},
		// Other subjects.
		{"agentConnected", "agentConnected == true", true, false},
		{"agentConnected false", "agentConnected == false", false, true},
		{"agentConnected in", "agentConnected in [false]", false, true},
		{"agentConnected matches", "agentConnected =~ f.*", false, true},
		{"agentVersion <", "agentVersion < 1.20.0", true, false},
		{"agentVersion numeric components", "agentVersion > 1.9", true, false},
		{"agentVersion missing components are 0", "agentVersion == 1.14.5.0", true, false},
		{"agentVersion unknown satisfies nothing", "agentVersion != 9.9", true, false},
		{"ec2InstanceId in", "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", true, false},
		{"ec2InstanceId unknown satisfies nothing", "ec2InstanceId != i-0", true, false},
		{"registeredAt date: day before", "registeredAt < 2018-02-14", true, false},
		{"registeredAt date: same day", "registeredAt == 2018-02-13", true, false},
		{"registeredAt date: not before the day", "registeredAt < 2018-02-13", false, false},
		{"registeredAt time", "registeredAt > 2018-02-13T22:28:27Z", true, false},
		{"registeredAt time equal to the second", "registeredAt == 2018-02-13T22:28:28", true, false},
		{"registeredAt offset", "registeredAt == 2018-02-14T00:28:28+02:00", true, false},
		{"runningTasksCount", "runningTasksCount == 2", true, false},
		{"runningTasksCount zero", "runningTasksCount == 0", false, true},
		// task:group: some task on the instance has a group that satisfies
		// the comparison.
		{"task:group ==", "task:group == service:web", true, false},
		{"task:group == other", "task:group == databases", false, false},
		{"task:group != (another group is there)", "task:group != service:web", true, false},
		{"task:group anti-affinity", "not(task:group == service:web)", false, true},
		{"task:group in", "task:group in [databases, family:batch]", true, false},
		{"task:group matches", "task:group =~ service:.*", true, false},
		{"task:group exists", "task:group exists", true, false},
		{"task:group !exists", "task:group !exists", false, true},
		// Compounds.
		{"and", "attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d", true, false},
		{"or", "agentConnected == false or runningTasksCount > 1", true, true},
		{"not", "!attribute:ecs.instance-type exists", false, true},
		{"precedence", "agentConnected == false or runningTasksCount > 1 and runningTasksCount < 2", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := c.CompileQuery(tc.expr)
			require.NoError(t, err)
			require.Equal(t, tc.web, c.Matches(q, "web"), "web")
			require.Equal(t, tc.bare, c.Matches(q, "bare"), "bare")
		})
	}
}

// TestQueryFollowsChanges: a bound query sees attributes and groups that
// appear after it was compiled.
func TestQueryFollowsChanges(t *testing.T) {
	c := NewCluster()
	q, err := c.CompileQuery("attribute:stack == prod and task:group == databases")
	require.NoError(t, err)
	require.NoError(t, c.AddInstance(Instance{ID: "a", CPU: 100, Memory: 100}))
	require.Empty(t, c.Select(q))
	require.NoError(t, c.PutAttribute("a", "stack", "prod"))
	require.Empty(t, c.Select(q))
	db := &Task{Group: "databases", CPU: 1}
	l, err := c.Reserve("a", db)
	require.NoError(t, err)
	require.Equal(t, []string{"a"}, c.Select(q))
	require.NoError(t, c.Release(&l))
	require.Empty(t, c.Select(q))
	require.False(t, c.Matches(q, "unknown"))
}

// TestQueryCachesFollowNewValues: patterns and orderings are answered
// from a per-value table built at binding; values and groups that appear
// later are evaluated directly.
func TestQueryCachesFollowNewValues(t *testing.T) {
	c := NewCluster()
	require.NoError(t, c.AddInstance(Instance{ID: "a", CPU: 10, Memory: 10, Attributes: map[string]string{"type": "t2.small", "n": "5"}}))
	qs := map[string]*Query{}
	for _, e := range []string{"attribute:type =~ t3.*", "attribute:type !~ t2.*", "attribute:n > 7", "task:group =~ service:.*", "task:group !~ service:.*"} {
		q, err := c.CompileQuery(e)
		require.NoError(t, err)
		qs[e] = q
	}
	require.NoError(t, c.AddInstance(Instance{ID: "b", CPU: 10, Memory: 10, Attributes: map[string]string{"type": "t3.micro", "n": "10"}}))
	_, err := c.Reserve("b", &Task{Group: "service:new", CPU: 1})
	require.NoError(t, err)
	_, err = c.Reserve("a", &Task{Group: "family:new", CPU: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"b"}, c.Select(qs["attribute:type =~ t3.*"]))
	require.Equal(t, []string{"b"}, c.Select(qs["attribute:type !~ t2.*"]))
	require.Equal(t, []string{"b"}, c.Select(qs["attribute:n > 7"]))
	require.Equal(t, []string{"b"}, c.Select(qs["task:group =~ service:.*"]))
	require.Equal(t, []string{"a"}, c.Select(qs["task:group !~ service:.*"]))
}

func TestCompileQueryError(t *testing.T) {
	c := NewCluster()
	_, err := c.CompileQuery("attribute:a ==")
	require.EqualError(t, err, `InvalidParameterException: Invalid cluster query expression "attribute:a ==": expected a value at position 15 (end of expression).`)
}

// BenchmarkMemberOf evaluates a compiled memberOf expression on one
// instance (per op), for three typical expressions.
func BenchmarkMemberOf(b *testing.B) {
	c := benchCluster(b, 1000)
	for _, bc := range []struct{ name, expr string }{
		{"equals", "attribute:ecs.availability-zone == us-east-1a"},
		{"compound", "attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and not(task:group == service:batch) and agentVersion >= 1.14.5"},
		{"regex", "attribute:ecs.instance-type =~ (m5|c5)\\..*"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q, err := c.CompileQuery(bc.expr)
			if err != nil {
				b.Fatal(err)
			}
			n := c.Len()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c.eval(q.root, i)
				if i++; i == n {
					i = 0
				}
			}
		})
	}
}
