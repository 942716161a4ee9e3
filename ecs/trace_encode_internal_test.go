package ecs

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// runTasks starts n Fargate tasks of a two-container definition in group
// and runs the model for a simulated while, so the tasks have their
// addresses and have run.
func runTasks(tb testing.TB, n int, group string) (*ECS, *sim.Engine) {
	tb.Helper()
	m, table, eng := newTDModel(tb)
	mustInvoke(tb, table, "ecs:CreateCluster", `{"clusterName":"demo"}`)
	mustInvoke(tb, table, "ecs:RegisterTaskDefinition", `{"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1"},{"name":"side","image":"registry.example.com/side:2","essential":false}]}`)
	for range n {
		_, err := m.RunTask(&RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("web"), LaunchType: api.String(LaunchFargate),
			Group: api.String(group), NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{"subnet-aaaa0001"}}}})
		require.NoError(tb, err)
	}
	require.NoError(tb, eng.RunFor(5*time.Minute))
	return m, eng
}

// TestTaskRecordsEncodeAsJSON: every task event of a run, as the trace
// wrote it while the change knew its task (names copied unscanned where
// checked plain), is what encoding/json writes for the detail: for
// plain names, and for a group that needs escaping.
func TestTaskRecordsEncodeAsJSON(t *testing.T) {
	for _, group := range []string{"family:web", `odd "group" <&>`} {
		m, eng := runTasks(t, 3, group)
		for tk := range m.eachTask {
			_, err := m.StopTask(&StopTaskInput{Cluster: api.String("demo"), Task: api.String(tk.arn)})
			require.NoError(t, err)
		}
		require.NoError(t, eng.RunFor(5*time.Minute))
		require.Greater(t, requireTaskEventsAsJSON(t, eng), 20)
		require.Equal(t, group == "family:web", m.taskHead.plain)
		require.True(t, m.taskHead.eniPlain)
	}
}

// BenchmarkRecordTask: one "ECS Task State Change" of a running Fargate
// task with two containers, built, encoded and hashed, with nothing
// keeping the trace (as in long runs).
func BenchmarkRecordTask(b *testing.B) {
	m, eng := runTasks(b, 1, "family:web")
	eng.Trace().Keep(false)
	tk := m.taskHead
	require.Equal(b, StatusRunning, tk.last)
	b.ReportAllocs()
	for b.Loop() {
		m.recordTask(tk)
	}
}

// TestTaskContainersEncodeAsJSON: containers whose spec sets cpu and
// memory, neither, or memory alone are written in task events, through
// their spec's encoded parts, as encoding/json writes them.
func TestTaskContainersEncodeAsJSON(t *testing.T) {
	m, table, eng := newTDModel(t)
	mustInvoke(t, table, "ecs:CreateCluster", `{"clusterName":"demo"}`)
	mustInvoke(t, table, "ecs:RegisterTaskDefinition", `{"family":"mixed","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024",
		"containerDefinitions":[{"name":"app","image":"app:1","cpu":128,"memory":256},{"name":"side","image":"registry.example.com/side:2","essential":false},
		{"name":"log","image":"log:3","memory":64,"essential":false}]}`)
	for range 2 {
		_, err := m.RunTask(&RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("mixed"), LaunchType: api.String(LaunchFargate),
			NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{"subnet-aaaa0001"}}}})
		require.NoError(t, err)
	}
	require.NoError(t, eng.RunFor(5*time.Minute))
	for tk := range m.eachTask {
		require.True(t, tk.plain)
		for _, c := range tk.containers {
			require.True(t, c.spec.plain)
		}
		_, err := m.StopTask(&StopTaskInput{Cluster: api.String("demo"), Task: api.String(tk.arn)})
		require.NoError(t, err)
	}
	require.NoError(t, eng.RunFor(5*time.Minute))
	n := requireTaskEventsAsJSON(t, eng)
	require.Greater(t, n, 10)
}

// requireTaskEventsAsJSON checks that every task event the trace kept is
// written as encoding/json writes its detail, and that none holds its
// task any more; it returns how many there were.
func requireTaskEventsAsJSON(t *testing.T, eng *sim.Engine) int {
	t.Helper()
	n := 0
	for _, r := range eng.Trace().Records() {
		d, ok := r.Detail.(*TaskStateChange)
		if !ok {
			continue
		}
		require.Zero(t, d.names, "a kept change does not hold its task's names")
		want, err := json.Marshal(d)
		require.NoError(t, err)
		require.Contains(t, string(r.Line), `,"detail":`+string(want)+`}`)
		n++
	}
	return n
}
