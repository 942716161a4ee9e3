package ecs

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// reuseRun runs a task with the given containers to the end of its life, stops it, waits past the hour a STOPPED task stays
// describable, then runs a second task. It returns both records, the
// trace hash and the second task as DescribeTasks shows it.
func reuseRun(t *testing.T, reuse bool, containers string) (first, second *task, firstContainers []*container, hash string, described []byte) {
	was := reuseTaskRecords
	reuseTaskRecords = reuse
	defer func() { reuseTaskRecords = was }()

	eng := sim.New(1, 0)
	m := New(eng, Config{})
	_, err := m.CreateCluster(&CreateClusterInput{ClusterName: api.String("c")})
	require.NoError(t, err)
	var td RegisterTaskDefinitionInput
	require.NoError(t, json.Unmarshal([]byte(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[`+containers+`]}`), &td))
	_, err = m.RegisterTaskDefinition(&td)
	require.NoError(t, err)
	subnet := m.net.Subnets()[0].ID
	run := func(startedBy string, ov *TaskOverride, tags []api.Tag) *task {
		out, err := m.RunTask(&RunTaskInput{Cluster: api.String("c"), TaskDefinition: api.String("app"), LaunchType: api.String(LaunchFargate),
			StartedBy: api.String(startedBy), Overrides: ov, Tags: tags,
			NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{subnet}}}})
		require.NoError(t, err)
		require.Len(t, out.Tasks, 1)
		return m.tasks[out.Tasks[0].TaskArn[len(out.Tasks[0].TaskArn)-32:]]
	}
	first = run("old", &TaskOverride{Cpu: api.String("512"), Memory: api.String("1024")}, []api.Tag{{Key: api.String("k"), Value: api.String("v")}})
	require.NoError(t, eng.RunFor(10*time.Minute))
	require.Equal(t, StatusRunning, first.last)
	firstContainers = slices.Clone(first.containers)
	_, err = m.StopTask(&StopTaskInput{Cluster: api.String("c"), Task: api.String(first.arn), Reason: api.String("done")})
	require.NoError(t, err)
	require.NoError(t, eng.RunFor(2*time.Hour))
	second = run("new", nil, nil)
	require.NoError(t, eng.RunFor(5*time.Minute))
	out, err := m.DescribeTasks(&DescribeTasksInput{Cluster: api.String("c"), Tasks: []string{second.arn}})
	require.NoError(t, err)
	described, err = json.Marshal(out)
	require.NoError(t, err)
	return first, second, firstContainers, eng.Trace().Hash(), described
}

// modelFields returns a copy of a task's record, and of its containers',
// without what points into the rest of the model (cluster, definition,
// service, timers, list links), for comparing records of two worlds.
func modelFields(t *task) (task, []container) {
	c := *t
	c.cl, c.def, c.spec, c.svc, c.dep, c.inst, c.prev, c.next = nil, nil, nil, nil, nil, nil, nil, nil
	c.timer, c.spotTimer, c.healthyTimer = sim.Timer{}, sim.Timer{}, sim.Timer{}
	c.containers, c.oneContainer = nil, [1]*container{}
	var cs []container
	for _, x := range t.containers {
		y := *x
		y.t, y.spec, y.behaviour = nil, nil, nil
		y.timer, y.hc.timer = sim.Timer{}, sim.Timer{}
		if y.exitCode != nil {
			y.exitCode = &y.exitValue
		}
		cs = append(cs, y)
	}
	return c, cs
}

// TestReusedTaskRecordIsFresh: the record of an expired task is reused
// for the next task, and the new task is exactly what a fresh record
// gives (record, containers, DescribeTasks, trace): nothing of the
// stopped task's life (stop code, times, overrides, tags, container exit
// codes, health) carries over.
func TestReusedTaskRecordIsFresh(t *testing.T) {
	const app = `{"name":"app","image":"app:1","healthCheck":{"command":["CMD-SHELL","true"],"interval":10}}`
	const side = `{"name":"side","image":"side:1","essential":false,"healthCheck":{"command":["CMD-SHELL","true"],"interval":10}}`
	t.Run("one container", func(t *testing.T) { testReusedRecord(t, app, 1) })
	t.Run("two containers", func(t *testing.T) { testReusedRecord(t, app+","+side, 2) })
}

func testReusedRecord(t *testing.T, containers string, n int) {
	first, second, firstContainers, hash, described := reuseRun(t, true, containers)
	require.Same(t, first, second, "the expired task's record is reused")
	require.Equal(t, firstContainers, second.containers, "and its container records")
	fresh1, fresh2, _, freshHash, freshDescribed := reuseRun(t, false, containers)
	require.NotSame(t, fresh1, fresh2)

	require.Equal(t, freshHash, hash)
	require.JSONEq(t, string(freshDescribed), string(described))
	wantTask, wantContainers := modelFields(fresh2)
	gotTask, gotContainers := modelFields(second)
	require.Equal(t, wantTask, gotTask)
	require.Equal(t, wantContainers, gotContainers)
	require.Len(t, gotContainers, n)
	require.Same(t, second, second.containers[0].t)
}

// TestTaskRecordSize: a task record fits the 704-byte size class; a large
// fleet holds one per task alive or stopped within the hour.
func TestTaskRecordSize(t *testing.T) {
	require.LessOrEqual(t, unsafe.Sizeof(task{}), uintptr(704))
}
