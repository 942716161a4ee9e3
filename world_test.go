package ecssim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/catalog"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

func TestConfig(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	cfg := w.Config()
	require.Equal(t, ecssim.DefaultRegion, cfg.Region)
	require.Equal(t, ecssim.DefaultAccountID, cfg.AccountID)
	require.Equal(t, ecssim.DefaultStart, w.Now())

	start := time.Date(2030, 6, 1, 12, 0, 0, 0, time.FixedZone("x", 3600))
	w, err = ecssim.New(ecssim.Config{Start: start, Region: "eu-west-1", AccountID: "000000000001"})
	require.NoError(t, err)
	require.True(t, w.Now().Equal(start))
	out, err := w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("c")})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ecs:eu-west-1:000000000001:cluster/c", out.Cluster.ClusterArn)

	for _, bad := range []ecssim.Config{
		{Region: "Europe"},
		{AccountID: "12345"},
		{Start: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Subnets: []vpc.Subnet{{ID: "subnet-1", AvailabilityZone: "us-east-1a", CIDR: "10.0.0.0/33"}}},
		{Images: map[string]workload.Image{"x": {HealthCheck: "sometimes"}}},
		{InstanceTypes: []catalog.InstanceType{{Name: "tiny"}}},
	} {
		_, err := ecssim.New(bad)
		require.Error(t, err, "%+v", bad)
	}
}

func TestCustomInstanceTypeAndPrices(t *testing.T) {
	prices := catalog.DefaultPrices()
	prices.FargateVCPUHour = 1
	w, err := ecssim.New(ecssim.Config{
		InstanceTypes: []catalog.InstanceType{{Name: "x1.custom", VCPU: 64, MemoryMiB: 262144, MaxENIs: 8, HourlyUSD: 10}},
		Prices:        &prices,
	})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
	require.NoError(t, err)
	_, err = w.ECS().LaunchInstances(&ecs.LaunchInstancesInput{InstanceType: api.String("x1.custom")})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(time.Hour))
	l, err := w.ECS().ListContainerInstances(&ecs.ListContainerInstancesInput{})
	require.NoError(t, err)
	d, err := w.ECS().DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{ContainerInstances: l.ContainerInstanceArns})
	require.NoError(t, err)
	require.Equal(t, int32(65536), d.ContainerInstances[0].RegisteredResources[0].IntegerValue)
}

// TestWorldDeterminism: the same seed and calls give the same trace; a
// different seed gives different IDs.
func TestWorldDeterminism(t *testing.T) {
	run := func(seed uint64) (*ecssim.World, string) {
		w, err := ecssim.New(ecssim.Config{Seed: seed})
		require.NoError(t, err)
		_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
		require.NoError(t, err)
		_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i"}]}`))
		require.NoError(t, err)
		out, err := w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("f"), LaunchType: api.String("FARGATE"),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-aaaa0001"}}}})
		require.NoError(t, err)
		require.NoError(t, w.RunFor(5*time.Minute))
		return w, out.Tasks[0].TaskArn
	}
	a, arnA := run(1)
	b, arnB := run(1)
	c, arnC := run(2)
	require.Equal(t, a.Trace().Hash(), b.Trace().Hash())
	require.Equal(t, arnA, arnB)
	require.NotEqual(t, arnA, arnC)
	require.NotEqual(t, a.Trace().Hash(), c.Trace().Hash())

	// Every state-changing call is in the trace, reads are not.
	calls := 0
	for _, r := range a.Trace().Records() {
		if d, ok := r.Detail.(ecssim.APICall); ok {
			calls++
			require.NotContains(t, d.Action, "Describe")
		}
	}
	require.Equal(t, 3, calls)
}

func TestCallErrors(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	_, err = w.Call("ecs:NoSuchThing", nil)
	require.Equal(t, api.CodeUnknownOperation, api.ErrorCode(err))
	_, err = w.Call("ecs:CreateCluster", []byte(`{"clusterName": 7}`))
	require.Equal(t, api.CodeSerializationException, api.ErrorCode(err))
	require.Contains(t, w.Actions(), "ecs:RunTask")
	require.Contains(t, w.Actions(), "sim:FailAvailabilityZone")
}
