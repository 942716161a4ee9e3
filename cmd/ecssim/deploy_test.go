package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// The deploy tests run one deploy script with three real AWS clients (the
// SDK for Go v2, the aws CLI, boto3) against `ecssim serve` on a free
// loopback port: who am I, which subnets, register, create, wait until
// stable, deploy an image that cannot be pulled and see the circuit
// breaker roll back, fail a zone through the control path, reset, and
// all of it again. The server advances 5 simulated minutes before each
// Describe/List/Get call, so waiters see the world settle at their first
// poll, with no wall-clock waiting.

// deployScenario names the images: web:2.0 cannot be pulled.
const deployScenario = "example:circuit-breaker-rollback"

const (
	goodImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0"
	badImage  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2.0"
	// executionRole lets Fargate pull from ECR.
	executionRole = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
)

func startDeployServer(t *testing.T) string {
	t.Helper()
	return "http://" + startServe(t, deployScenario, "--advance-per-poll", "5m")
}

// controlPost posts to a control route, as a test suite would.
func controlPost(t *testing.T, endpoint, route, body string) {
	t.Helper()
	status, out := postJSON(t, endpoint+"/_ecssim/"+route, body)
	require.Equal(t, http.StatusOK, status, out)
}

func TestDeployWithGoSDK(t *testing.T) {
	endpoint := startDeployServer(t)
	ctx := context.Background()
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
	})
	stsClient := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), Credentials: creds})
	ec2Client := ec2.New(ec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), Credentials: creds})
	ecsClient := ecs.New(ecs.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), Credentials: creds})

	for round := range 2 {
		id, err := stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		require.NoError(t, err)
		require.Equal(t, "123456789012", aws.ToString(id.Account))

		subnets, err := ec2Client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{
			Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
		require.NoError(t, err)
		var ids []string
		for _, s := range subnets.Subnets {
			ids = append(ids, aws.ToString(s.SubnetId))
		}
		require.Len(t, ids, 3)

		_, err = ecsClient.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("demo")})
		require.NoError(t, err)
		register := func(image string) string {
			out, err := ecsClient.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
				Family: aws.String("web"), NetworkMode: types.NetworkModeAwsvpc, ExecutionRoleArn: aws.String(executionRole),
				RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
				ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("web"), Image: aws.String(image), Essential: aws.Bool(true),
					PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}}}},
			})
			require.NoError(t, err)
			return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
		}
		good := register(goodImage)
		_, err = ecsClient.CreateService(ctx, &ecs.CreateServiceInput{
			Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String(good), DesiredCount: aws.Int32(3),
			LaunchType: types.LaunchTypeFargate,
			DeploymentConfiguration: &types.DeploymentConfiguration{
				DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
			NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: ids}},
		})
		require.NoError(t, err)
		waiter := ecs.NewServicesStableWaiter(ecsClient, func(o *ecs.ServicesStableWaiterOptions) {
			o.MinDelay, o.MaxDelay = time.Millisecond, 10*time.Millisecond
		})
		in := &ecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}}
		require.NoError(t, waiter.Wait(ctx, in, 30*time.Second))

		bad := register(badImage)
		_, err = ecsClient.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String(bad)})
		require.NoError(t, err)
		controlPost(t, endpoint, "run", `{"for":"20m"}`)
		require.NoError(t, waiter.Wait(ctx, in, 30*time.Second))
		svc, err := ecsClient.DescribeServices(ctx, in)
		require.NoError(t, err)
		require.Equal(t, good, aws.ToString(svc.Services[0].TaskDefinition), "round %d: the circuit breaker rolled back", round)
		require.Equal(t, types.DeploymentRolloutStateCompleted, svc.Services[0].Deployments[0].RolloutState)

		controlPost(t, endpoint, "call/sim:FailAvailabilityZone", `{"availabilityZone":"us-east-1a"}`)
		zones, err := ec2Client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1a"}})
		require.NoError(t, err)
		require.Equal(t, ec2types.AvailabilityZoneStateImpaired, zones.AvailabilityZones[0].State)

		controlPost(t, endpoint, "reset", ``)
		clusters, err := ecsClient.ListClusters(ctx, &ecs.ListClustersInput{})
		require.NoError(t, err)
		require.Empty(t, clusters.ClusterArns, "a reset starts over")
	}
}

// awsCLI returns a function that runs the aws command line against
// endpoint, or skips the test when it is not installed.
func awsCLI(t *testing.T, endpoint string) func(args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the aws command line is not installed; install it to run this test")
	}
	dir := t.TempDir()
	return func(args ...string) string {
		t.Helper()
		// Global options first, so that a command's own --output wins.
		cmd := exec.Command(bin, append([]string{"--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE="+filepath.Join(dir, "none"),
			"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"), "AWS_PAGER=", "HOME="+dir, "AWS_DEFAULT_REGION=us-east-1")
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		require.NoError(t, cmd.Run(), "aws %s: %s", strings.Join(args, " "), errOut.String())
		return out.String()
	}
}

func TestDeployWithAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the aws command line some thirty times (about 15 s); not in -short")
	}
	endpoint := startDeployServer(t)
	aws := awsCLI(t, endpoint)
	dir := t.TempDir()
	taskdef := func(image string) string {
		p := filepath.Join(dir, strings.ReplaceAll(filepath.Base(image), ":", "-")+".json")
		td := `{"family":"web","networkMode":"awsvpc","executionRoleArn":"` + executionRole + `","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
			"containerDefinitions":[{"name":"web","image":"` + image + `","essential":true,"portMappings":[{"containerPort":8080}]}]}`
		require.NoError(t, os.WriteFile(p, []byte(td), 0o600))
		return "file://" + p
	}
	for range 2 {
		require.Equal(t, "123456789012", strings.TrimSpace(aws("sts", "get-caller-identity", "--query", "Account", "--output", "text")))
		subnets := strings.Fields(aws("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true",
			"--query", "Subnets[].SubnetId", "--output", "text"))
		require.Len(t, subnets, 3)

		aws("ecs", "create-cluster", "--cluster-name", "demo")
		good := strings.TrimSpace(aws("ecs", "register-task-definition", "--cli-input-json", taskdef(goodImage),
			"--query", "taskDefinition.taskDefinitionArn", "--output", "text"))
		aws("ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", good,
			"--desired-count", "3", "--launch-type", "FARGATE",
			"--deployment-configuration", "deploymentCircuitBreaker={enable=true,rollback=true}",
			"--network-configuration", "awsvpcConfiguration={subnets=["+strings.Join(subnets, ",")+"]}")
		aws("ecs", "wait", "services-stable", "--cluster", "demo", "--services", "web")

		bad := strings.TrimSpace(aws("ecs", "register-task-definition", "--cli-input-json", taskdef(badImage),
			"--query", "taskDefinition.taskDefinitionArn", "--output", "text"))
		aws("ecs", "update-service", "--cluster", "demo", "--service", "web", "--task-definition", bad)
		controlPost(t, endpoint, "run", `{"for":"20m"}`)
		aws("ecs", "wait", "services-stable", "--cluster", "demo", "--services", "web")
		var d struct {
			Services []struct {
				TaskDefinition string `json:"taskDefinition"`
				Deployments    []struct {
					RolloutState string `json:"rolloutState"`
				} `json:"deployments"`
			} `json:"services"`
		}
		require.NoError(t, json.Unmarshal([]byte(aws("ecs", "describe-services", "--cluster", "demo", "--services", "web")), &d))
		require.Equal(t, good, d.Services[0].TaskDefinition, "the circuit breaker rolled back")
		require.Equal(t, "COMPLETED", d.Services[0].Deployments[0].RolloutState)

		controlPost(t, endpoint, "call/sim:FailAvailabilityZone", `{"availabilityZone":"us-east-1a"}`)
		require.Equal(t, "impaired", strings.TrimSpace(aws("ec2", "describe-availability-zones", "--zone-names", "us-east-1a",
			"--query", "AvailabilityZones[0].State", "--output", "text")))

		controlPost(t, endpoint, "reset", ``)
		require.Equal(t, "[]", strings.Join(strings.Fields(aws("ecs", "list-clusters", "--query", "clusterArns")), ""))
	}
}

func TestDeployWithBoto3(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed; install it and boto3 to run this test")
	}
	if err := exec.Command(python, "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 is not installed for python3; install it to run this test")
	}
	endpoint := startDeployServer(t)
	dir := t.TempDir()
	cmd := exec.Command(python, filepath.Join("testdata", "deploy.py"), endpoint, goodImage, badImage, executionRole)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "round 2: rolled back, zone impaired, reset")
}
