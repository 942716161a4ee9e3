package awsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
)

const nginx = `{"family":"nginx","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
	"containerDefinitions":[{"name":"nginx","image":"nginx:1.25","portMappings":[{"containerPort":80}]}]}`

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(t, err)
	srv := httptest.NewServer(awsapi.New(w))
	t.Cleanup(srv.Close)
	return srv
}

func advance(t *testing.T, srv *httptest.Server, d string) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/_ecssim/run", "application/json", strings.NewReader(`{"for":"`+d+`"}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestSDK drives a simulated ECS with the AWS SDK for Go v2, unchanged
// but for its endpoint.
func TestSDK(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()
	client := sdkecs.New(sdkecs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
	})
	_, err := client.CreateCluster(ctx, &sdkecs.CreateClusterInput{ClusterName: aws.String("demo")})
	require.NoError(t, err)
	var td sdkecs.RegisterTaskDefinitionInput
	require.NoError(t, json.Unmarshal([]byte(`{"Family":"nginx"}`), &td))
	td = sdkecs.RegisterTaskDefinitionInput{
		Family: aws.String("nginx"), NetworkMode: types.NetworkModeAwsvpc, RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("nginx"), Image: aws.String("nginx:1.25"),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80)}}}},
	}
	reg, err := client.RegisterTaskDefinition(ctx, &td)
	require.NoError(t, err)
	require.Equal(t, int32(1), reg.TaskDefinition.Revision)
	_, err = client.CreateService(ctx, &sdkecs.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("nginx"), DesiredCount: aws.Int32(3),
		LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}},
	})
	require.NoError(t, err)
	advance(t, srv, "5m")
	out, err := client.DescribeServices(ctx, &sdkecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	s := out.Services[0]
	require.Equal(t, int32(3), s.RunningCount)
	require.Equal(t, types.DeploymentRolloutStateCompleted, s.Deployments[0].RolloutState)
	require.NotNil(t, s.CreatedAt, "timestamps decode")

	tasks, err := client.ListTasks(ctx, &sdkecs.ListTasksInput{Cluster: aws.String("demo")})
	require.NoError(t, err)
	require.Len(t, tasks.TaskArns, 3)
	dt, err := client.DescribeTasks(ctx, &sdkecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: tasks.TaskArns})
	require.NoError(t, err)
	require.Equal(t, "RUNNING", aws.ToString(dt.Tasks[0].LastStatus))
	require.NotNil(t, dt.Tasks[0].StartedAt)

	// Errors arrive as the SDK's typed exceptions.
	_, err = client.DescribeServices(ctx, &sdkecs.DescribeServicesInput{Cluster: aws.String("nope"), Services: []string{"web"}})
	var notFound *types.ClusterNotFoundException
	require.True(t, errors.As(err, &notFound), "%v", err)
	_, err = client.DescribeTaskDefinition(ctx, &sdkecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("nginx:9")})
	var client400 *types.ClientException
	require.True(t, errors.As(err, &client400), "%v", err)
	require.Equal(t, "Unable to describe task definition.", client400.ErrorMessage())
}

func TestWireErrors(t *testing.T) {
	srv := newServer(t)
	post := func(target, body string) (*http.Response, map[string]any) {
		req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		return resp, m
	}
	resp, m := post("AmazonEC2ContainerServiceV20141113.DescribeClusters", `{"clusters":["x"]}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, m["failures"], 1)
	resp, m = post("AmazonEC2ContainerServiceV20141113.DeleteCluster", `{"cluster":"x"}`)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Equal(t, "ClusterNotFoundException", m["__type"])
	require.Equal(t, "ClusterNotFoundException", resp.Header.Get("X-Amzn-ErrorType"))
	require.Equal(t, "Cluster not found.", m["message"])
	resp, m = post("AmazonEC2ContainerServiceV20141113.NoSuchOp", `{}`)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Equal(t, "UnknownOperationException", m["__type"])
	_, m = post("Bogus.Op", `{}`)
	require.Equal(t, "UnknownOperationException", m["__type"])
	_, m = post("AmazonEC2ContainerServiceV20141113.CreateCluster", `{"clusterName":`)
	require.Equal(t, "SerializationException", m["__type"])

	r, err := http.Post(srv.URL+"/_ecssim/run", "application/json", strings.NewReader(`{"for":"-1m"}`))
	require.NoError(t, err)
	r.Body.Close()
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	r, err = http.Get(srv.URL + "/_ecssim/now")
	require.NoError(t, err)
	var c struct {
		Now string `json:"now"`
	}
	require.NoError(t, json.NewDecoder(r.Body).Decode(&c))
	r.Body.Close()
	require.Equal(t, "2026-01-01T00:00:00Z", c.Now)
}

// TestAWSCLI drives the endpoint with the real aws command line.
func TestAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starting the aws command line takes seconds a call")
	}
	awsBin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the aws command line is not installed")
	}
	srv := newServer(t)
	dir := t.TempDir()
	td := filepath.Join(dir, "taskdef.json")
	require.NoError(t, os.WriteFile(td, []byte(nginx), 0o600))
	run := func(args ...string) (string, string, error) {
		cmd := exec.Command(awsBin, append(args, "--endpoint-url", srv.URL, "--region", "us-east-1", "--output", "json")...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE="+filepath.Join(dir, "none"),
			"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"), "AWS_PAGER=", "HOME="+dir)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}
	_, stderr, err := run("ecs", "create-cluster", "--cluster-name", "demo")
	require.NoError(t, err, stderr)
	out, stderr, err := run("ecs", "register-task-definition", "--cli-input-json", "file://"+td)
	require.NoError(t, err, stderr)
	require.Contains(t, out, `"revision": 1`)
	_, stderr, err = run("ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", "nginx",
		"--desired-count", "2", "--launch-type", "FARGATE",
		"--network-configuration", "awsvpcConfiguration={subnets=[subnet-aaaa0001,subnet-bbbb0002]}")
	require.NoError(t, err, stderr)
	advance(t, srv, "5m")
	out, stderr, err = run("ecs", "describe-services", "--cluster", "demo", "--services", "web")
	require.NoError(t, err, stderr)
	var d struct {
		Services []struct {
			RunningCount int `json:"runningCount"`
		} `json:"services"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	require.Equal(t, 2, d.Services[0].RunningCount)

	// Application Auto Scaling on the same endpoint: a raised minimum
	// raises the desired count.
	_, stderr, err = run("application-autoscaling", "register-scalable-target", "--service-namespace", "ecs",
		"--scalable-dimension", "ecs:service:DesiredCount", "--resource-id", "service/demo/web", "--min-capacity", "3", "--max-capacity", "6")
	require.NoError(t, err, stderr)
	out, stderr, err = run("application-autoscaling", "describe-scalable-targets", "--service-namespace", "ecs")
	require.NoError(t, err, stderr)
	require.Contains(t, out, `"MinCapacity": 3`)
	out, stderr, err = run("ecs", "describe-services", "--cluster", "demo", "--services", "web", "--query", "services[0].desiredCount")
	require.NoError(t, err, stderr)
	require.Equal(t, "3", strings.TrimSpace(out))
	_, stderr, err = run("application-autoscaling", "put-scaling-policy", "--service-namespace", "ecs",
		"--scalable-dimension", "ecs:service:DesiredCount", "--resource-id", "service/demo/nope", "--policy-name", "cpu",
		"--policy-type", "TargetTrackingScaling", "--target-tracking-scaling-policy-configuration",
		`{"TargetValue":60,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}`)
	require.Error(t, err)
	require.Contains(t, stderr, "ObjectNotFoundException")

	_, stderr, err = run("ecs", "delete-cluster", "--cluster", "demo")
	require.Error(t, err)
	require.Contains(t, stderr, "ClusterContainsServicesException")
}
