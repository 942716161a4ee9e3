package ecssim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	scen "github.com/ecssim/ecssim/scenario"
)

// manyServices returns a world with clusters × perCluster Fargate services
// of desired count 0 (created, never started).
func manyServices(tb testing.TB, clusters, perCluster int) *ecssim.World {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(tb, err)
	w.Trace().Keep(false)
	client := w.ECS()
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"app:1"}]}`))
	require.NoError(tb, err)
	for c := range clusters {
		cl := fmt.Sprintf("c%d", c)
		_, err := client.CreateCluster(&ecs.CreateClusterInput{ClusterName: &cl})
		require.NoError(tb, err)
		for i := range perCluster {
			_, err := client.CreateService(&ecs.CreateServiceInput{
				Cluster: &cl, ServiceName: api.String(fmt.Sprintf("svc-%05d", i)), TaskDefinition: api.String("app"),
				DesiredCount: api.Int32(0), LaunchType: api.String("FARGATE"),
				NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}},
			})
			require.NoError(tb, err)
		}
	}
	return w
}

// BenchmarkRunSummary10000Services: the services table at the end of a
// run (scenario.Services: ListClusters, ListServices 10 at a time, then
// DescribeServices 10 at a time) over 10,000 services, two clusters at
// the services-per-cluster quota. One op is one summary; building the
// world is not timed.
func BenchmarkRunSummary10000Services(b *testing.B) {
	w := manyServices(b, 2, ecs.MaxServicesPerCluster)
	b.ReportAllocs()
	for b.Loop() {
		svcs, err := scen.Services(w)
		require.NoError(b, err)
		require.Len(b, svcs, 2*ecs.MaxServicesPerCluster)
	}
}

// BenchmarkServiceStart5000Tasks: one Fargate service of 5,000 tasks (the
// tasks-per-service quota), from CreateService to its steady state. One
// op is the whole run, world included.
func BenchmarkServiceStart5000Tasks(b *testing.B) {
	b.ReportAllocs()
	var simulated time.Duration
	for b.Loop() {
		w, err := ecssim.New(ecssim.Config{Seed: 1})
		require.NoError(b, err)
		w.Trace().Keep(false)
		client := w.ECS()
		_, err = client.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("big")})
		require.NoError(b, err)
		_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
			"containerDefinitions":[{"name":"app","image":"app:1"}]}`))
		require.NoError(b, err)
		_, err = client.CreateService(&ecs.CreateServiceInput{
			Cluster: api.String("big"), ServiceName: api.String("web"), TaskDefinition: api.String("app"),
			DesiredCount: api.Int32(ecs.MaxTasksPerService), LaunchType: api.String("FARGATE"),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}},
		})
		require.NoError(b, err)
		start := w.Engine().Now()
		require.NoError(b, w.WaitServicesStable("big", []string{"web"}, ecssim.WaiterOptions{MaxAttempts: 400}))
		simulated = time.Duration(w.Engine().Now() - start)
	}
	b.ReportMetric(simulated.Seconds(), "sim-s/op")
}
