package ecssim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// launch starts count instances of a type spread over the default
// subnets and waits for them to register.
func (f *fleet) launch(instanceType string, count int, attrs map[string]string) {
	f.t.Helper()
	_, err := f.w.ECS().LaunchInstances(&ecs.LaunchInstancesInput{Cluster: api.String("demo"), InstanceType: &instanceType,
		Count: api.Int32(int32(count)), Attributes: attrs})
	require.NoError(f.t, err)
}

// registerEC2 registers a bridge-mode task definition of one container
// with a memory reservation and a dynamic host port.
func (f *fleet) registerEC2(family string, cpu, memory int) {
	f.t.Helper()
	_, err := f.w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":%q,"requiresCompatibilities":["EC2"],
		"containerDefinitions":[{"name":"app","image":"app:1","cpu":%d,"memoryReservation":%d,"portMappings":[{"containerPort":8080,"hostPort":0}]}]}`, family, cpu, memory))
	require.NoError(f.t, err)
}

func (f *fleet) createEC2Service(name, td string, desired int32, strategies []ecs.PlacementStrategy, constraints []ecs.PlacementConstraint) {
	f.t.Helper()
	_, err := f.w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: &name, TaskDefinition: &td,
		DesiredCount: &desired, LaunchType: api.String("EC2"), PlacementStrategy: strategies, PlacementConstraints: constraints})
	require.NoError(f.t, err)
}

func strategy(typ, field string) ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: &typ, Field: &field}
}

// placement returns, per instance (by EC2 ID order of registration), how
// many RUNNING tasks of a service it runs, with its AZ.
func (f *fleet) placement(service string) map[string][]int {
	f.t.Helper()
	insts, err := f.w.ECS().ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo")})
	require.NoError(f.t, err)
	d, err := f.w.ECS().DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: api.String("demo"), ContainerInstances: insts.ContainerInstanceArns})
	require.NoError(f.t, err)
	list, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), ServiceName: &service})
	require.NoError(f.t, err)
	perInstance := map[string]int{}
	if len(list.TaskArns) > 0 {
		tasks, err := f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: list.TaskArns})
		require.NoError(f.t, err)
		for _, t := range tasks.Tasks {
			if t.LastStatus == ecs.StatusRunning {
				perInstance[t.ContainerInstanceArn]++
			}
		}
	}
	out := map[string][]int{}
	for _, in := range d.ContainerInstances {
		az := ""
		for _, a := range in.Attributes {
			if *a.Name == "ecs.availability-zone" {
				az = *a.Value
			}
		}
		out[az] = append(out[az], perInstance[in.ContainerInstanceArn])
	}
	for _, counts := range out {
		slices.Sort(counts)
		slices.Reverse(counts)
	}
	return out
}

func init() {
	scenarios = append(scenarios,
		scenario{
			name: "ec2-binpack-vs-spread",
			run: func(f *fleet, run func(time.Duration)) {
				f.launch("m5.large", 6, nil)
				run(2 * time.Minute)
				f.registerEC2("packed", 256, 1024)
				f.registerEC2("spread", 256, 1024)
				f.createEC2Service("packed", "packed", 6, []ecs.PlacementStrategy{strategy("binpack", "memory")}, nil)
				f.createEC2Service("spread", "spread", 6, []ecs.PlacementStrategy{strategy("spread", "instanceId")}, nil)
				run(5 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				// 7,984 MiB registered on an m5.large: binpack fills one
				// instance with 6 tasks of 1 GiB before touching another;
				// spread puts one on each.
				packed := f.placement("packed")
				total, used := 0, 0
				for _, counts := range packed {
					for _, n := range counts {
						total += n
						if n > 0 {
							used++
						}
					}
				}
				require.Equal(t, 6, total)
				require.Equal(t, 1, used, "binpack(memory) uses one instance: %v", packed)
				require.Equal(t, map[string][]int{"us-east-1a": {1, 1}, "us-east-1b": {1, 1}, "us-east-1c": {1, 1}}, f.placement("spread"))
			},
		},
		scenario{
			name: "ec2-spread-az-then-binpack",
			run: func(f *fleet, run func(time.Duration)) {
				f.launch("m5.large", 6, nil)
				run(2 * time.Minute)
				f.registerEC2("web", 256, 1024)
				f.createEC2Service("web", "web", 9, []ecs.PlacementStrategy{strategy("spread", "attribute:ecs.availability-zone"), strategy("binpack", "memory")}, nil)
				run(5 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				// Three per zone, packed on one instance in each.
				require.Equal(t, map[string][]int{"us-east-1a": {3, 0}, "us-east-1b": {3, 0}, "us-east-1c": {3, 0}}, f.placement("web"))
			},
		},
		scenario{
			name: "ec2-distinct-instance-pending",
			run: func(f *fleet, run func(time.Duration)) {
				f.launch("m5.large", 3, nil)
				run(2 * time.Minute)
				f.registerEC2("web", 256, 512)
				typ := "distinctInstance"
				f.createEC2Service("web", "web", 4, nil, []ecs.PlacementConstraint{{Type: &typ}})
				run(5 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				s := f.service("web")
				require.Equal(t, int32(3), s.RunningCount, "one task per instance; the fourth cannot be placed")
				found := false
				for _, e := range s.Events {
					found = found || (strings.Contains(e.Message, "was unable to place a task because no container instance met all of its requirements.") &&
						strings.Contains(e.Message, "DistinctInstance placement constraint unsatisfied."))
				}
				require.True(t, found, "the service says why the fourth task cannot be placed")
			},
		},
		scenario{
			name: "ec2-az-failure",
			run: func(f *fleet, run func(time.Duration)) {
				f.launch("m5.large", 6, nil)
				run(2 * time.Minute)
				f.registerEC2("web", 512, 1024)
				f.createEC2Service("web", "web", 6, nil, nil)
				run(5 * time.Minute)
				require.Equal(f.t, map[string][]int{"us-east-1a": {1, 1}, "us-east-1b": {1, 1}, "us-east-1c": {1, 1}}, f.placement("web"))
				_, err := f.w.ECS().FailAvailabilityZone(&ecs.FailAvailabilityZoneInput{AvailabilityZone: api.String("us-east-1b"), For: api.String("15m")})
				require.NoError(f.t, err)
				run(5 * time.Minute)
				s := f.service("web")
				require.Equal(f.t, int32(6), s.RunningCount)
				require.Equal(f.t, []int{0, 0}, f.placement("web")["us-east-1b"])
				run(30 * time.Minute)
			},
			check: func(t *testing.T, f *fleet) {
				require.Equal(t, map[string][]int{"us-east-1a": {1, 1}, "us-east-1b": {1, 1}, "us-east-1c": {1, 1}}, f.placement("web"),
					"AZ rebalancing moves tasks back once the zone returns")
			},
		},
		scenario{
			name: "ec2-drain-during-deployment",
			run: func(f *fleet, run func(time.Duration)) {
				f.launch("m5.large", 4, nil)
				run(2 * time.Minute)
				f.registerEC2("web", 512, 1024)
				f.registerEC2("web", 512, 1024)
				f.createEC2Service("web", "web:1", 4, nil, nil)
				run(5 * time.Minute)
				insts, err := f.w.ECS().ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo")})
				require.NoError(f.t, err)
				f.update("web", "web:2")
				_, err = f.w.ECS().UpdateContainerInstancesState(&ecs.UpdateContainerInstancesStateInput{Cluster: api.String("demo"),
					ContainerInstances: insts.ContainerInstanceArns[:1], Status: api.String("DRAINING")})
				require.NoError(f.t, err)
				run(15 * time.Minute)
				d, err := f.w.ECS().DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: api.String("demo"), ContainerInstances: insts.ContainerInstanceArns[:1]})
				require.NoError(f.t, err)
				require.Equal(f.t, ecs.InstanceDraining, d.ContainerInstances[0].Status)
				require.Zero(f.t, d.ContainerInstances[0].RunningTasksCount, "the drained instance runs nothing")
			},
			check: completedWith("web:2", 4),
		},
	)
}
