package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	serveContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	addrs := make(chan string, 1)
	serveListening = func(a string) { addrs <- a }
	defer func() { serveContext, serveListening = nil, nil }()
	done := make(chan int, 1)
	var out strings.Builder
	go func() {
		done <- execute([]string{"serve", "--addr", "127.0.0.1:0", "--speed", "600"}, &out, io.Discard)
	}()
	addr := <-addrs
	req, err := http.NewRequest(http.MethodPost, "http://"+addr, strings.NewReader(`{"clusterName":"demo"}`))
	require.NoError(t, err)
	req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Contains(t, string(body), `"clusterName":"demo"`)
	// With --speed, virtual time moves by itself.
	require.Eventually(t, func() bool {
		r, err := http.Get("http://" + addr + "/_ecssim/now")
		if err != nil {
			return false
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return !strings.Contains(string(b), `"elapsedSeconds":0,`)
	}, 5*time.Second, 50*time.Millisecond)
	cancel()
	require.Equal(t, 0, <-done)
	require.Contains(t, out.String(), "serving ECS, Application Auto Scaling, CloudWatch, STS and EC2 on http://127.0.0.1:")
}

// startServe runs ecssim serve with args on a free loopback port and
// returns its address; the server stops when the test ends.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	serveContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	addrs := make(chan string, 1)
	serveListening = func(a string) { addrs <- a }
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		done <- execute(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), io.Discard, &stderr)
	}()
	select {
	case addr := <-addrs:
		t.Cleanup(func() {
			cancel()
			require.Equal(t, 0, <-done)
			serveContext, serveListening = nil, nil
		})
		return addr
	case code := <-done:
		serveContext, serveListening = nil, nil
		t.Fatalf("serve exited with %d: %s", code, stderr.String())
		return ""
	}
}

func postJSON(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeScenarioSteps: a scenario's steps are made before serving and
// again after each reset.
func TestServeScenarioSteps(t *testing.T) {
	addr := startServe(t, "example:circuit-breaker-rollback", "--run-steps")
	for range 2 {
		req, err := http.NewRequest(http.MethodPost, "http://"+addr, strings.NewReader(`{"cluster":"demo","services":["web"]}`))
		require.NoError(t, err)
		req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeServices")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Contains(t, string(b), `"taskDefinition":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"`, "the last step was made")
		r, err := http.Get("http://" + addr + "/_ecssim/now")
		require.NoError(t, err)
		b, _ = io.ReadAll(r.Body)
		r.Body.Close()
		require.Contains(t, string(b), `"now":"2026-01-01T00:10:00Z"`, "the clock stands at the last step")
		status, body := postJSON(t, "http://"+addr+"/_ecssim/reset", ``)
		require.Equal(t, http.StatusOK, status, body)
	}
}

// TestServeUserSubnets: subnets with real ids from a user's own files are
// the VPC that tasks are placed in and that EC2 describes.
func TestServeUserSubnets(t *testing.T) {
	addr := startServe(t, "--region", "eu-west-1", "--account", "111122223333",
		"--subnet", "subnet-0a1b2c3d4e5f60718,eu-west-1a,10.0.1.0/24,vpc-0f1e2d3c4b5a69788",
		"--subnet", "subnet-0a1b2c3d4e5f60719,eu-west-1b,10.0.2.0/24,vpc-0f1e2d3c4b5a69788",
		"--security-group", "sg-0123456789abcdef0,web,vpc-0f1e2d3c4b5a69788")
	status, body := postJSON(t, "http://"+addr+"/_ecssim/call/ecs:CreateCluster", `{"clusterName":"demo"}`)
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, "arn:aws:ecs:eu-west-1:111122223333:cluster/demo")
	status, body = postJSON(t, "http://"+addr+"/_ecssim/call/ecs:RegisterTaskDefinition",
		`{"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"web","image":"nginx"}]}`)
	require.Equal(t, http.StatusOK, status, body)
	status, body = postJSON(t, "http://"+addr+"/_ecssim/call/ecs:CreateService",
		`{"cluster":"demo","serviceName":"web","taskDefinition":"web","desiredCount":2,"launchType":"FARGATE",
		  "networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-0a1b2c3d4e5f60718","subnet-0a1b2c3d4e5f60719"],"securityGroups":["sg-0123456789abcdef0"]}}}`)
	require.Equal(t, http.StatusOK, status, body)
	status, body = postJSON(t, "http://"+addr+"/_ecssim/call/ec2:DescribeSubnets", `{"Filters":[{"Name":"availability-zone","Values":["eu-west-1b"]}]}`)
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, `"SubnetId":"subnet-0a1b2c3d4e5f60719"`)
}

// TestServeRefusesBadFlags: bad flags exit with 2 and say why.
func TestServeRefusesBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--speed", "-1"}, "--speed"},
		{[]string{"--speed", "1e12"}, "--speed"},
		{[]string{"--run-steps"}, "needs a SCENARIO"},
		{[]string{"--region", "mars"}, "Region"},
		{[]string{"--account", "12"}, "AccountID"},
		{[]string{"--subnet", "subnet-1,us-east-1a"}, "SUBNET-ID,ZONE,CIDR"},
		{[]string{"--subnet", "subnet-1,us-east-1a,10.0.0.0/8"}, "CIDR"},
		{[]string{"--security-group", "sg-1,a,vpc-1,x"}, "SG-ID"},
		{[]string{"--advance-per-poll", "200h"}, "advance"},
		{[]string{"example:nothing"}, "nothing"},
	} {
		var stderr strings.Builder
		code := execute(append([]string{"serve", "--addr", "127.0.0.1:0"}, c.args...), io.Discard, &stderr)
		require.Equal(t, 2, code, "%v: %s", c.args, stderr.String())
		require.Contains(t, stderr.String(), c.want, c.args)
	}
}

// TestServeTimeouts: every timeout of the http.Server is set, so slow or
// idle clients cannot hold connections for ever.
func TestServeTimeouts(t *testing.T) {
	hs := newHTTPServer(http.NotFoundHandler())
	require.Positive(t, hs.ReadHeaderTimeout)
	require.Positive(t, hs.ReadTimeout)
	require.Positive(t, hs.WriteTimeout)
	require.Positive(t, hs.IdleTimeout)
	require.Positive(t, hs.MaxHeaderBytes)
	require.LessOrEqual(t, hs.ReadHeaderTimeout, hs.ReadTimeout)
}

// TestServeOtherRegions: a region other than --region's is a World of its
// own, with that region's default VPC.
func TestServeOtherRegions(t *testing.T) {
	addr := startServe(t, "--region", "eu-west-1", "--subnet", "subnet-0a1b2c3d4e5f60718,eu-west-1a,10.0.1.0/24")
	status, body := postJSON(t, "http://"+addr+"/_ecssim/call/ecs:CreateCluster?region=ap-south-1", `{"clusterName":"demo"}`)
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, "arn:aws:ecs:ap-south-1:123456789012:cluster/demo")
	status, body = postJSON(t, "http://"+addr+"/_ecssim/call/ec2:DescribeSubnets?region=ap-south-1", `{}`)
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, `"AvailabilityZone":"ap-south-1a"`)
	status, body = postJSON(t, "http://"+addr+"/_ecssim/call/ecs:ListClusters", `{}`)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, `{"clusterArns":[]}`, strings.TrimSpace(body), "eu-west-1 has no cluster")
}
