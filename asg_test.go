package ecssim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// groupSize returns the ACTIVE instances of the cluster.
func (f *fleet) groupSize() int {
	f.t.Helper()
	l, err := f.w.ECS().ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo"), Status: api.String("ACTIVE")})
	require.NoError(f.t, err)
	return len(l.ContainerInstanceArns)
}

func (f *fleet) scale(service string, desired int32) {
	f.t.Helper()
	_, err := f.w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: &service, DesiredCount: &desired})
	require.NoError(f.t, err)
}

func init() {
	scenarios = append(scenarios, scenario{
		name: "managed-scaling-daily-load",
		run: func(f *fleet, run func(time.Duration)) {
			c := f.w.ECS()
			asg, err := c.CreateAutoScalingGroup(&ecs.CreateAutoScalingGroupInput{AutoScalingGroupName: api.String("web-asg"), Cluster: api.String("demo"),
				InstanceType: api.String("m5.large"), MinSize: api.Int32(0), MaxSize: api.Int32(10), DesiredCapacity: api.Int32(0)})
			require.NoError(f.t, err)
			_, err = c.CreateCapacityProvider(&ecs.CreateCapacityProviderInput{Name: api.String("web-cp"), AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{
				AutoScalingGroupArn:          &asg.AutoScalingGroupArn,
				ManagedScaling:               &ecs.ManagedScaling{Status: api.String("ENABLED"), TargetCapacity: api.Int32(100), InstanceWarmupPeriod: api.Int32(60)},
				ManagedTerminationProtection: api.String("ENABLED"),
			}})
			require.NoError(f.t, err)
			_, err = c.PutClusterCapacityProviders(&ecs.PutClusterCapacityProvidersInput{Cluster: api.String("demo"), CapacityProviders: []string{"web-cp"},
				DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: api.String("web-cp"), Weight: api.Int32(1)}}})
			require.NoError(f.t, err)
			// 2 GiB tasks: three fit on an m5.large (7,984 MiB registered).
			_, err = f.w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"web","requiresCompatibilities":["EC2"],
				"containerDefinitions":[{"name":"app","image":"app:1","cpu":512,"memoryReservation":2048}]}`))
			require.NoError(f.t, err)
			_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web"),
				DesiredCount: api.Int32(2), PlacementStrategy: []ecs.PlacementStrategy{strategy("binpack", "memory")}})
			require.NoError(f.t, err)
			run(10 * time.Minute) // night: from zero instances to two
			require.Equal(f.t, 2, f.groupSize(), "scale-out from zero always asks for two instances")
			run(20 * time.Minute)
			require.Equal(f.t, 1, f.groupSize(), "both tasks binpack on one instance; the idle one goes after 15 minutes")
			f.scale("web", 15) // the day's peak
			run(2 * time.Hour)
			require.Equal(f.t, 5, f.groupSize(), "15 tasks of 2 GiB need 5 instances")
			require.Equal(f.t, int32(15), f.service("web").RunningCount)
			f.scale("web", 3) // evening
			run(3 * time.Hour)
		},
		check: func(t *testing.T, f *fleet) {
			require.Equal(t, int32(3), f.service("web").RunningCount)
			require.Equal(t, 1, f.groupSize(), "binpacked into one instance, the empty ones scaled in")
			var changes []int
			for _, r := range f.w.Trace().Records() {
				if d, ok := r.Detail.(ecs.AutoScalingActivity); ok {
					changes = append(changes, d.To)
				}
			}
			require.Equal(t, 2, changes[0])
			require.Contains(t, changes, 5)
			require.Equal(t, 1, changes[len(changes)-1])
		},
	})
}
