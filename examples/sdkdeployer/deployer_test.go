package sdkdeployer_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/examples/sdkdeployer"
	"github.com/ecssim/ecssim/workload"
)

var web = sdkdeployer.Service{
	Name: "web", Port: 8080, CPU: "256", Memory: "512", DesiredCount: 3,
	Subnets:  []string{"subnet-aaaa0001", "subnet-bbbb0002", "subnet-cccc0003"},
	MinTasks: 3, MaxTasks: 10, TargetCPU: 60,
}

// TestDeployRollsBackABadImage runs the deployer, unchanged, against a
// simulated account in process: it creates the service and waits for the
// first rollout to complete, deploys an image that cannot be pulled and
// sees the circuit breaker roll it back, then deploys a good image. No
// socket is opened; the simulated minutes take milliseconds.
func TestDeployRollsBackABadImage(t *testing.T) {
	ecssimtest.NoNetwork(t)
	w := ecssimtest.NewWorld(t, ecssim.Config{Seed: 1, Images: map[string]workload.Image{
		"registry.example.com/web:2.0.0-typo": {PullError: "CannotPullContainerError: pull image manifest has been retried 5 time(s): not found"},
	}})
	cfg := awsapi.Config(w)
	d := sdkdeployer.New(cfg, "prod")
	d.Poll = 0 // virtual time passes between polls; the wall clock need not
	d.StableWaiter = append(d.StableWaiter, awsapi.NoWaiterDelay[ecs.ServicesStableWaiterOptions])
	ctx := context.Background()

	res, err := d.Create(ctx, web, "registry.example.com/web:1.0.0")
	require.NoError(t, err)
	require.False(t, res.RolledBack)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", res.TaskDefinition)
	firstRollout := w.Elapsed()
	require.Greater(t, firstRollout, time.Minute, "a rollout takes simulated minutes")
	require.Less(t, firstRollout, 15*time.Minute)

	res, err = d.Deploy(ctx, web, "registry.example.com/web:2.0.0-typo")
	require.NoError(t, err)
	require.True(t, res.RolledBack, "%+v", res)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", res.Deployed)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", res.TaskDefinition)
	require.Equal(t, "ECS deployment circuit breaker: task failed to start.", res.FailureReason)

	// The SDK's own waiter agrees that the service is steady again.
	require.NoError(t, d.WaitStable(ctx, "web", 10*time.Second))
	client := ecs.NewFromConfig(cfg)
	out, err := client.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("prod"), Services: []string{"web"}})
	require.NoError(t, err)
	require.Equal(t, int32(3), out.Services[0].RunningCount)
	require.Len(t, out.Services[0].Deployments, 1)

	res, err = d.Deploy(ctx, web, "registry.example.com/web:2.0.1")
	require.NoError(t, err)
	require.False(t, res.RolledBack)
	require.Empty(t, res.FailureReason)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", res.TaskDefinition)

	// The scaling policy the deployer put is there, through the other client.
	policies, err := applicationautoscaling.NewFromConfig(cfg).DescribeScalingPolicies(ctx, &applicationautoscaling.DescribeScalingPoliciesInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String("service/prod/web")})
	require.NoError(t, err)
	require.Len(t, policies.ScalingPolicies, 1)
	require.Equal(t, "web-cpu", aws.ToString(policies.ScalingPolicies[0].PolicyName))
}

// TestRolloutTimeout: without a circuit breaker's verdict a rollout that
// never ends is reported as such after MaxPolls looks.
func TestRolloutTimeout(t *testing.T) {
	ecssimtest.NoNetwork(t)
	w := ecssimtest.NewWorld(t, ecssim.Config{Seed: 1})
	d := sdkdeployer.New(awsapi.Config(w), "prod")
	d.Poll, d.MaxPolls = 0, 2
	_, err := d.Create(context.Background(), web, "registry.example.com/web:1.0.0")
	require.ErrorIs(t, err, sdkdeployer.ErrRolloutTimeout)
	require.Equal(t, 2*awsapi.DefaultPollInterval, w.Elapsed(), "two looks, one poll interval before each")
}
