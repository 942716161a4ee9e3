package ecs_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

func TestFargateCosts(t *testing.T) {
	w := newWorld(t)
	createWeb(t, w, 2)
	out, err := w.ECS().RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(30*time.Second)) // past provisioning
	d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{out.Tasks[0].TaskArn}})
	require.NoError(t, err)
	require.False(t, d.Tasks[0].PullStartedAt.IsZero(), "the pull started: billing has")
	_, err = w.ECS().StopTask(&ecs.StopTaskInput{Cluster: api.String("demo"), Task: &out.Tasks[0].TaskArn})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(10*time.Hour))

	raw, err := w.Call("sim:DescribeCosts", nil)
	require.NoError(t, err)
	var costs ecs.DescribeCostsOutput
	require.NoError(t, json.Unmarshal(raw, &costs))
	require.Len(t, costs.Costs, 2)
	cluster, svc := costs.Costs[0], costs.Costs[1]
	require.Equal(t, "demo", cluster.Cluster)
	require.Empty(t, cluster.Service)
	require.Equal(t, "web", svc.Service)
	// Two service tasks billed from their pulls, ~10 hours each, at
	// 0.25 vCPU and 0.5 GB.
	require.InDelta(t, 20, svc.TaskHours, 0.05)
	require.InDelta(t, svc.TaskHours*0.25, svc.VCPUHours, 1e-9)
	require.InDelta(t, svc.TaskHours*(0.25*0.04048+0.5*0.004445), svc.USD, 1e-9)
	// The standalone task ran a few seconds but bills its one-minute
	// minimum, on the cluster's total.
	require.InDelta(t, svc.TaskHours+1.0/60, cluster.TaskHours, 1e-9)
	require.InDelta(t, 36030, costs.Elapsed, 1e-9)
}
