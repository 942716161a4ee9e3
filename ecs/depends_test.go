package ecs_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/workload"
)

// TestDependsOn runs two-container tasks whose second container waits for
// the first under each condition. [API:ContainerDependency.condition]
func TestDependsOn(t *testing.T) {
	exitAfter := func(d time.Duration, code int) workload.Image {
		w := workload.Fixed(d)
		return workload.Image{ExitAfter: &w, ExitCode: code}
	}
	cases := []struct {
		name       string
		condition  string
		first      workload.Image
		firstHC    bool
		wantStatus string // task lastStatus after 5 minutes
		stopCode   string
	}{
		{"START", "START", workload.Image{}, false, ecs.StatusRunning, ""},
		{"COMPLETE after an init container", "COMPLETE", exitAfter(5*time.Second, 3), false, ecs.StatusRunning, ""},
		{"SUCCESS after exit 0", "SUCCESS", exitAfter(5*time.Second, 0), false, ecs.StatusRunning, ""},
		{"SUCCESS never comes after exit 1", "SUCCESS", exitAfter(5*time.Second, 1), false, ecs.StatusStopped, ecs.StopTaskFailedToStart},
		{"HEALTHY", "HEALTHY", workload.Image{}, true, ecs.StatusRunning, ""},
		{"HEALTHY never comes", "HEALTHY", workload.Image{HealthCheck: workload.HealthFailing}, true, ecs.StatusStopped, ecs.StopTaskFailedToStart},
		{"COMPLETE never comes: startTimeout", "COMPLETE", workload.Image{}, false, ecs.StatusStopped, ecs.StopTaskFailedToStart},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, err := ecssim.New(ecssim.Config{Seed: 9, Images: map[string]workload.Image{"first:1": tc.first}})
			require.NoError(t, err)
			_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
			require.NoError(t, err)
			hc := ""
			if tc.firstHC {
				hc = `,"healthCheck":{"command":["CMD","true"],"interval":5,"retries":1}`
			}
			_, err = w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"d","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
				"containerDefinitions":[{"name":"first","image":"first:1","essential":false%s},
				{"name":"app","image":"app:1","startTimeout":60,"dependsOn":[{"containerName":"first","condition":%q}]}]}`, hc, tc.condition))
			require.NoError(t, err)
			out, err := w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("d"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
			require.NoError(t, err)
			require.NoError(t, w.RunFor(5*time.Minute))
			d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Tasks: []string{out.Tasks[0].TaskArn}})
			require.NoError(t, err)
			task := d.Tasks[0]
			require.Equal(t, tc.wantStatus, task.LastStatus, task.StoppedReason)
			require.Equal(t, tc.stopCode, task.StopCode)
			if tc.wantStatus == ecs.StatusRunning {
				require.Equal(t, ecs.StatusRunning, task.Containers[1].LastStatus)
			} else {
				require.NotEqual(t, ecs.StatusRunning, task.Containers[1].LastStatus, "the dependent container never ran")
				require.Nil(t, task.Containers[1].ExitCode)
			}
		})
	}
}

// TestDependsOnWaitsForTheDependencysStartTimeout: a container waits on a
// dependency for the dependency's startTimeout, not its own; a HEALTHY
// dependency that reports UNHEALTHY keeps it waiting until then rather
// than failing the task at once. [API:ContainerDefinition.startTimeout]
func TestDependsOnWaitsForTheDependencysStartTimeout(t *testing.T) {
	for _, tc := range []struct {
		name                string
		firstTimeout        int
		appTimeout          int
		wantWait            time.Duration
		firstBecomesHealthy bool
	}{
		{"dependency's timeout is shorter", 30, 120, 30 * time.Second, false},
		{"dependency's timeout is longer", 90, 10, 90 * time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := ecssim.New(ecssim.Config{Seed: 9, Images: map[string]workload.Image{"first:1": {HealthCheck: workload.HealthFailing}}})
			require.NoError(t, err)
			_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
			require.NoError(t, err)
			_, err = w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"d","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
				"containerDefinitions":[{"name":"first","image":"first:1","essential":false,"startTimeout":%d,"healthCheck":{"command":["CMD","true"],"interval":5,"retries":1}},
				{"name":"app","image":"app:1","startTimeout":%d,"dependsOn":[{"containerName":"first","condition":"HEALTHY"}]}]}`, tc.firstTimeout, tc.appTimeout))
			require.NoError(t, err)
			out, err := w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("d"), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc})
			require.NoError(t, err)
			require.NoError(t, w.RunFor(5*time.Minute))
			d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Tasks: []string{out.Tasks[0].TaskArn}})
			require.NoError(t, err)
			task := d.Tasks[0]
			require.Equal(t, ecs.StatusStopped, task.LastStatus)
			require.Equal(t, ecs.StopTaskFailedToStart, task.StopCode)
			var first ecs.Container
			for _, c := range task.Containers {
				if c.Name == "first" {
					first = c
				}
			}
			require.Equal(t, ecs.HealthUnhealthy, first.HealthStatus, "the dependency went UNHEALTHY well before the timeout")
			require.Equal(t, tc.wantWait, task.StoppingAt.Sub(task.PullStoppedAt.Time), "the dependent waited the dependency's startTimeout from the end of the pulls")
			require.Contains(t, task.StoppedReason, fmt.Sprintf("timed out after waiting %s", tc.wantWait))
		})
	}
}
