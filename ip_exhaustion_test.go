package ecssim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/vpc"
)

// TestFullSubnetThrottlesAtOnce: a service larger than its subnet's free
// addresses fails the way ECS fails. Each task that cannot get an address
// fails in PROVISIONING and counts toward the service's throttle at once,
// so a scheduling pass stops launching after the third failure instead of
// launching a whole batch of doomed tasks. [DG:service-throttle-logic]
func TestFullSubnetThrottlesAtOnce(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Seed: 1, Subnets: []vpc.Subnet{{ID: "subnet-small", AvailabilityZone: "us-east-1a", CIDR: "10.0.0.0/28"}}})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"app","image":"nginx"}]}`))
	require.NoError(t, err)
	_, err = w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web"),
		DesiredCount: api.Int32(100), LaunchType: api.String("FARGATE"),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-small"}}}})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(time.Second))
	// A /28 holds 16 addresses, 5 reserved by AWS: 11 tasks get one; the
	// next three fail and the service waits.
	failed := 0
	for _, r := range w.Trace().Records() {
		if d, ok := r.Detail.(*ecs.TaskStateChange); ok && d.StopCode == ecs.StopTaskFailedToStart && d.LastStatus == ecs.StatusStopping {
			failed++
		}
	}
	require.Equal(t, 3, failed, "three failures start the throttle")
	require.NoError(t, w.RunFor(time.Hour))
	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	require.Equal(t, int32(11), out.Services[0].RunningCount)
	stopped, err := w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), DesiredStatus: api.String("STOPPED"), MaxResults: api.Int32(100)})
	require.NoError(t, err)
	require.Less(t, len(stopped.TaskArns), 30, "throttled retries, at most one every 15 minutes once backed off")
}
