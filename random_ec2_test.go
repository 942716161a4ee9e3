package ecssim_test

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
)

// randomEC2Scenario drives EC2 services with random placement through
// random scaling, deployments, draining, terminations and zone failures,
// checking the invariants (capacity per instance among them) after every
// event.
func randomEC2Scenario(t *testing.T, seed uint64) (running int) {
	r := rand.New(rand.NewPCG(seed, 7))
	w, err := ecssim.New(ecssim.Config{Seed: seed})
	require.NoError(t, err)
	c := w.ECS()
	_, err = c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("c")})
	require.NoError(t, err)
	types := []string{"t3.medium", "m5.large", "c5.large", "r5.large"}
	_, err = c.LaunchInstances(&ecs.LaunchInstancesInput{Cluster: api.String("c"), InstanceType: api.String(types[r.IntN(len(types))]),
		Count: api.Int32(int32(1 + r.IntN(6))), AwsvpcTrunking: api.Bool(r.IntN(2) == 0)})
	require.NoError(t, err)
	modes := []string{`"networkMode":"bridge"`, `"networkMode":"host"`, `"networkMode":"awsvpc"`}
	register := func(family string) {
		mode := modes[r.IntN(len(modes))]
		port := `"hostPort":0`
		if r.IntN(2) == 0 {
			port = `"hostPort":8080`
		}
		if mode != `"networkMode":"bridge"` {
			port = `"hostPort":8080`
		}
		_, err := w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":%q,%s,"requiresCompatibilities":["EC2"],
			"containerDefinitions":[{"name":"c","image":"app:1","cpu":%d,"memoryReservation":%d,"portMappings":[{"containerPort":8080,%s}]}]}`,
			family, mode, 128*(1+r.IntN(8)), 256*(1+r.IntN(8)), port))
		require.NoError(t, err)
	}
	strategies := [][]ecs.PlacementStrategy{nil, {strategy("binpack", "memory")}, {strategy("spread", "instanceId")},
		{strategy("spread", "attribute:ecs.availability-zone"), strategy("binpack", "cpu")}, {strategy("random", "")}}
	for i := range 2 {
		name := fmt.Sprintf("s%d", i)
		register(name)
		var cons []ecs.PlacementConstraint
		if r.IntN(3) == 0 {
			cons = []ecs.PlacementConstraint{{Type: api.String("distinctInstance")}}
		}
		nc := &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}}
		_, err := c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("c"), ServiceName: &name, TaskDefinition: &name,
			DesiredCount: api.Int32(int32(r.IntN(8))), LaunchType: api.String("EC2"), PlacementStrategy: strategies[r.IntN(len(strategies))],
			PlacementConstraints: cons, NetworkConfiguration: nc,
			DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: api.Int32(int32(100 + 50*r.IntN(3))), MinimumHealthyPercent: api.Int32(int32(25 * r.IntN(5)))}})
		if err != nil {
			// A bridge or host task definition with a network
			// configuration is rejected, as on AWS: create it without.
			_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("c"), ServiceName: &name, TaskDefinition: &name,
				DesiredCount: api.Int32(int32(r.IntN(8))), LaunchType: api.String("EC2"), PlacementStrategy: strategies[r.IntN(len(strategies))],
				PlacementConstraints: cons})
		}
		require.NoError(t, err)
	}
	check := ecssimtest.NewChecker(w)
	defer check.Close()
	for range 6 {
		require.NoError(t, ecssimtest.RunChecked(w, check, time.Duration(1+r.IntN(8))*time.Minute), "seed %d", seed)
		svc := fmt.Sprintf("s%d", r.IntN(2))
		list, err := c.ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("c")})
		require.NoError(t, err)
		switch r.IntN(6) {
		case 0:
			_, err = c.UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("c"), Service: &svc, DesiredCount: api.Int32(int32(r.IntN(10)))})
		case 1:
			_, err = c.UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("c"), Service: &svc, ForceNewDeployment: api.Bool(true)})
		case 2:
			if len(list.ContainerInstanceArns) > 0 {
				_, err = c.UpdateContainerInstancesState(&ecs.UpdateContainerInstancesStateInput{Cluster: api.String("c"),
					ContainerInstances: list.ContainerInstanceArns[r.IntN(len(list.ContainerInstanceArns)):][:1], Status: api.String("DRAINING")})
			}
		case 3:
			if len(list.ContainerInstanceArns) > 0 {
				_, err = c.TerminateInstance(&ecs.TerminateInstanceInput{Cluster: api.String("c"), ContainerInstance: &list.ContainerInstanceArns[r.IntN(len(list.ContainerInstanceArns))]})
			}
		case 4:
			_, err = c.FailAvailabilityZone(&ecs.FailAvailabilityZoneInput{AvailabilityZone: api.String([]string{"us-east-1a", "us-east-1b", "us-east-1c"}[r.IntN(3)]), For: api.String("4m")})
		case 5:
			_, err = c.LaunchInstances(&ecs.LaunchInstancesInput{Cluster: api.String("c"), InstanceType: api.String(types[r.IntN(len(types))]), Count: api.Int32(2)})
		}
		require.NoError(t, err)
	}
	require.NoError(t, ecssimtest.RunChecked(w, check, 15*time.Minute), "seed %d", seed)
	require.NoError(t, w.Trace().Err())
	for _, rec := range w.Trace().Records() {
		if d, ok := rec.Detail.(*ecs.TaskStateChange); ok && d.LastStatus == ecs.StatusRunning && d.Version > 0 {
			running++
		}
	}
	return running
}

// TestRandomEC2Scenarios runs 60 random EC2 scenarios under the
// invariant checker (seeds 0-59, or those ECSSIM_SEEDS names).
func TestRandomEC2Scenarios(t *testing.T) {
	n := uint64(60)
	if testing.Short() {
		n = 10
	}
	seeds := ecssimtest.Seeds(t, n)
	var running atomic.Int64
	t.Run("seeds", func(t *testing.T) {
		for _, seed := range seeds {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				running.Add(int64(randomEC2Scenario(t, seed)))
			})
		}
	})
	t.Logf("%d task RUNNING records over %d scenarios", running.Load(), len(seeds))
	// The scenarios mean something only if tasks ran.
	require.Greater(t, running.Load(), int64(len(seeds)), "tasks reached RUNNING")
}
