package ecssim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// serviceTaskArns returns the ARNs of the service's running tasks, in
// ListTasks order.
func (f *fleet) serviceTaskArns(service string) []string {
	f.t.Helper()
	out, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), ServiceName: &service})
	require.NoError(f.t, err)
	return out.TaskArns
}

// protect turns scale-in protection on for tasks, for minutes.
func (f *fleet) protect(tasks []string, minutes int32) ecs.UpdateTaskProtectionOutput {
	f.t.Helper()
	out, err := f.w.ECS().UpdateTaskProtection(&ecs.UpdateTaskProtectionInput{Cluster: api.String("demo"), Tasks: tasks, ProtectionEnabled: api.Bool(true), ExpiresInMinutes: &minutes})
	require.NoError(f.t, err)
	return *out
}

// TestTaskProtectionScaleIn: scaling 3 tasks in to 1 with two of them
// protected for 10 minutes stops only the unprotected one; the protected
// ones go when their protection lapses.
func TestTaskProtectionScaleIn(t *testing.T) {
	f := newFleet(t, 1, nil)
	f.register("web", "nginx:1", false)
	f.createService("web", "web:1", 3, 200, 100, nil)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	arns := f.serviceTaskArns("web")
	require.Len(t, arns, 3)
	out := f.protect(arns[:2], 10)
	require.Len(t, out.ProtectedTasks, 2)
	require.Equal(t, f.w.Now().Add(10*time.Minute), out.ProtectedTasks[0].ExpirationDate.Time)

	f.scale("web", 1)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	require.ElementsMatch(t, arns[:2], f.serviceTaskArns("web"), "only the unprotected task was stopped")
	require.NoError(t, f.w.RunFor(6*time.Minute))
	require.Len(t, f.serviceTaskArns("web"), 1, "protection lapsed: the service scales in")
	got, err := f.w.ECS().GetTaskProtection(&ecs.GetTaskProtectionInput{Cluster: api.String("demo"), Tasks: f.serviceTaskArns("web")})
	require.NoError(t, err)
	require.False(t, got.ProtectedTasks[0].ProtectionEnabled)
	require.Nil(t, got.ProtectedTasks[0].ExpirationDate)
}

// TestTaskProtectionDeploymentWaits: a deployment does not stop a
// protected task of the old revision; it completes once protection is
// turned off.
func TestTaskProtectionDeploymentWaits(t *testing.T) {
	f := newFleet(t, 1, nil)
	f.register("web", "nginx:1", false)
	f.register("web", "nginx:2", false)
	f.createService("web", "web:1", 2, 200, 100, nil)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	old := f.serviceTaskArns("web")
	f.protect(old[:1], 60)
	f.update("web", "web:2")
	require.NoError(t, f.w.RunFor(20*time.Minute))
	s := f.service("web")
	require.Len(t, s.Deployments, 2, "the old deployment keeps its protected task")
	require.Equal(t, ecs.RolloutInProgress, s.Deployments[0].RolloutState)
	require.Contains(t, f.serviceTaskArns("web"), old[0])

	_, err := f.w.ECS().UpdateTaskProtection(&ecs.UpdateTaskProtectionInput{Cluster: api.String("demo"), Tasks: old[:1], ProtectionEnabled: api.Bool(false)})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	s = f.service("web")
	require.Len(t, s.Deployments, 1)
	require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
	require.NotContains(t, f.serviceTaskArns("web"), old[0])
}

// TestTaskProtectionValidation: ECS's bounds and failures: 1 to 2880
// minutes (default 120), at most 10 tasks, service tasks only.
func TestTaskProtectionValidation(t *testing.T) {
	f := newFleet(t, 1, nil)
	f.register("web", "nginx:1", false)
	f.createService("web", "web:1", 1, 200, 100, nil)
	_, err := f.w.ECS().RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("web:1"), LaunchType: api.String("FARGATE"),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}}})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(2*time.Minute))
	svcTask := f.serviceTaskArns("web")[0]
	all, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo")})
	require.NoError(t, err)
	var standalone string
	for _, a := range all.TaskArns {
		if a != svcTask {
			standalone = a
		}
	}
	for _, tc := range []struct {
		name string
		in   ecs.UpdateTaskProtectionInput
		code string
	}{
		{"0 minutes", ecs.UpdateTaskProtectionInput{Tasks: []string{svcTask}, ProtectionEnabled: api.Bool(true), ExpiresInMinutes: api.Int32(0)}, "InvalidParameterException"},
		{"2881 minutes", ecs.UpdateTaskProtectionInput{Tasks: []string{svcTask}, ProtectionEnabled: api.Bool(true), ExpiresInMinutes: api.Int32(2881)}, "InvalidParameterException"},
		{"11 tasks", ecs.UpdateTaskProtectionInput{Tasks: make([]string, 11), ProtectionEnabled: api.Bool(true)}, "InvalidParameterException"},
		{"no tasks", ecs.UpdateTaskProtectionInput{ProtectionEnabled: api.Bool(true)}, "InvalidParameterException"},
		{"no protectionEnabled", ecs.UpdateTaskProtectionInput{Tasks: []string{svcTask}}, "InvalidParameterException"},
		{"unknown cluster", ecs.UpdateTaskProtectionInput{Cluster: api.String("nope"), Tasks: []string{svcTask}, ProtectionEnabled: api.Bool(true)}, "ClusterNotFoundException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			if in.Cluster == nil {
				in.Cluster = api.String("demo")
			}
			_, err := f.w.ECS().UpdateTaskProtection(&in)
			require.Equal(t, tc.code, api.ErrorCode(err))
		})
	}
	got, err := f.w.ECS().GetTaskProtection(&ecs.GetTaskProtectionInput{Cluster: api.String("demo"), Tasks: []string{svcTask}})
	require.NoError(t, err)
	require.False(t, got.ProtectedTasks[0].ProtectionEnabled, "no failed call changed anything")

	out, err := f.w.ECS().UpdateTaskProtection(&ecs.UpdateTaskProtectionInput{Cluster: api.String("demo"), Tasks: []string{svcTask, standalone, "0123456789abcdef"}, ProtectionEnabled: api.Bool(true)})
	require.NoError(t, err)
	require.Len(t, out.ProtectedTasks, 1)
	require.Equal(t, f.w.Now().Add(120*time.Minute), out.ProtectedTasks[0].ExpirationDate.Time, "120 minutes by default")
	require.Len(t, out.Failures, 2)
	require.Equal(t, "TASK_NOT_VALID", *out.Failures[0].Reason)
	require.Equal(t, "MISSING", *out.Failures[1].Reason)
}
