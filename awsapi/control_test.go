package awsapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	sdkecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
	"github.com/ecssim/ecssim/sim"
)

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// control sends a control request; contentType "" sends none.
func control(t *testing.T, url, method, path, contentType, body string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url+path, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// now reads the virtual clock, failing unless the server answers within a
// second.
func now(t *testing.T, url string) string {
	t.Helper()
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(url + "/_ecssim/now")
	require.NoError(t, err, "the server must answer within a second")
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var v struct {
		Now string `json:"now"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&v))
	return v.Now
}

// TestControlRefusesBadRequests: each bad control request gets a clear
// 4xx, changes nothing, and the server answers at once afterwards.
func TestControlRefusesBadRequests(t *testing.T) {
	srv := newServer(t)
	const start = "2026-01-01T00:00:00Z"
	for _, c := range []struct {
		name, method, path, contentType, body string
		header                                []string
		status                                int
		code                                  string
	}{
		{"far-future until", "POST", "/_ecssim/run", "application/json", `{"until":"2500-01-01T00:00:00Z"}`, nil, 413, "RunTooLong"},
		{"huge for", "POST", "/_ecssim/run", "application/json", `{"for":"200000h"}`, nil, 413, "RunTooLong"},
		{"just over the bound", "POST", "/_ecssim/run", "application/json", `{"for":"168h0m0.000000001s"}`, nil, 413, "RunTooLong"},
		{"until in the past", "POST", "/_ecssim/run", "application/json", `{"until":"2025-01-01T00:00:00Z"}`, nil, 400, "BadRequest"},
		{"negative for", "POST", "/_ecssim/run", "application/json", `{"for":"-1m"}`, nil, 400, "BadRequest"},
		{"both", "POST", "/_ecssim/run", "application/json", `{"for":"1m","until":"2026-01-01T00:01:00Z"}`, nil, 400, "BadRequest"},
		{"neither", "POST", "/_ecssim/run", "application/json", `{}`, nil, 400, "BadRequest"},
		{"unknown member", "POST", "/_ecssim/run", "application/json", `{"fro":"1m"}`, nil, 400, "BadRequest"},
		{"not JSON", "POST", "/_ecssim/run", "application/json", `for=1m`, nil, 400, "BadRequest"},
		{"a simple cross-site POST", "POST", "/_ecssim/run", "text/plain", `{"for":"1m"}`, nil, 415, "UnsupportedMediaType"},
		{"a form POST", "POST", "/_ecssim/reset", "application/x-www-form-urlencoded", `a=b`, nil, 415, "UnsupportedMediaType"},
		{"no content type", "POST", "/_ecssim/call/sim:FailAvailabilityZone", "", `{"availabilityZone":"us-east-1a"}`, nil, 415, "UnsupportedMediaType"},
		{"rebound host name", "POST", "/_ecssim/run", "application/json", `{"for":"1m"}`, []string{"Host", "attacker.example:4599"}, 403, "ForbiddenHost"},
		{"rebound host reading", "GET", "/_ecssim/trace", "", ``, []string{"Host", "attacker.example"}, 403, "ForbiddenHost"},
		{"GET of a POST route", "GET", "/_ecssim/run", "", ``, nil, 405, "MethodNotAllowed"},
		{"POST of a GET route", "POST", "/_ecssim/now", "application/json", `{}`, nil, 405, "MethodNotAllowed"},
		{"unknown route", "GET", "/_ecssim/nothing", "", ``, nil, 404, "NotFound"},
		{"unknown action", "POST", "/_ecssim/call/sim:Nothing", "application/json", `{}`, nil, 400, "UnknownOperationException"},
		{"bad action input", "POST", "/_ecssim/call/sim:FailAvailabilityZone", "application/json", `{"zone":1}`, nil, 400, "SerializationException"},
		{"too large", "POST", "/_ecssim/call/ecs:CreateCluster", "application/json", strings.Repeat(" ", 8<<20+1), nil, 413, "RequestTooLarge"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := control(t, srv.URL, c.method, c.path, c.contentType, c.body, c.header...)
			require.Equal(t, c.status, a.status, a.raw)
			require.Equal(t, c.code, a.body["__type"], a.raw)
			require.NotEmpty(t, a.body["message"])
			require.Equal(t, start, now(t, srv.URL), "nothing changed")
		})
	}
}

// TestControlAcceptsItsOwnClients: loopback names, the custom header
// instead of a JSON content type, and hosts allowed by name.
func TestControlAcceptsItsOwnClients(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	s := awsapi.New(w)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	for _, host := range []string{"localhost:4599", "LOCALHOST", "api.localhost", "[::1]:80", "127.0.0.2", srv.Listener.Addr().String()} {
		a := control(t, srv.URL, "POST", "/_ecssim/run", "", `{"for":"1m"}`, "Host", host, "X-Ecssim-Control", "1")
		require.Equal(t, http.StatusOK, a.status, "%s: %s", host, a.raw)
	}
	require.Equal(t, http.StatusForbidden, control(t, srv.URL, "GET", "/_ecssim/health", "", "", "Host", "ecssim:4599").status)
	s.AllowHosts("ecssim")
	a := control(t, srv.URL, "GET", "/_ecssim/health", "", "", "Host", "ecssim:4599")
	require.Equal(t, http.StatusOK, a.status)
	require.Equal(t, map[string]any{"status": "ok", "region": "us-east-1", "accountId": "123456789012"}, a.body)
	require.Equal(t, "2026-01-01T00:06:00Z", now(t, srv.URL))
}

// TestControlCallAndReset: sim: actions over HTTP, and a reset that
// starts over.
func TestControlCallAndReset(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()
	ecsClient := sdkecs.New(sdkecs.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	ec2Client := ec2.New(ec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	_, err := ecsClient.CreateCluster(ctx, &sdkecs.CreateClusterInput{ClusterName: aws.String("demo")})
	require.NoError(t, err)

	a := control(t, srv.URL, "POST", "/_ecssim/call/sim:FailAvailabilityZone", "application/json", `{"availabilityZone":"us-east-1b"}`)
	require.Equal(t, http.StatusOK, a.status, a.raw)
	zones, err := ec2Client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1b"}})
	require.NoError(t, err)
	require.Equal(t, "impaired", string(zones.AvailabilityZones[0].State))
	require.Equal(t, http.StatusOK, control(t, srv.URL, "POST", "/_ecssim/run", "application/json", `{"for":"1h"}`).status)

	a = control(t, srv.URL, "POST", "/_ecssim/reset", "application/json", ``)
	require.Equal(t, http.StatusOK, a.status, a.raw)
	require.Equal(t, "2026-01-01T00:00:00Z", a.body["now"])
	clusters, err := ecsClient.ListClusters(ctx, &sdkecs.ListClustersInput{})
	require.NoError(t, err)
	require.Empty(t, clusters.ClusterArns)
	zones, err = ec2Client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1b"}})
	require.NoError(t, err)
	require.Equal(t, "available", string(zones.AvailabilityZones[0].State))
}

// TestPollAdvance: with an advance per poll, each Describe call moves the
// clock, so a waiter sees the service settle with no wall clock.
func TestPollAdvance(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	s := awsapi.New(w)
	require.Error(t, s.SetPollAdvance(-time.Second))
	require.Error(t, s.SetPollAdvance(awsapi.MaxRunSpan+1))
	require.NoError(t, s.SetPollAdvance(time.Minute))
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	client := sdkecs.New(sdkecs.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	_, err = client.CreateCluster(ctx, &sdkecs.CreateClusterInput{ClusterName: aws.String("demo")})
	require.NoError(t, err)
	require.Equal(t, "2026-01-01T00:00:00Z", now(t, srv.URL), "a change moves no time")
	_, err = client.DescribeClusters(ctx, &sdkecs.DescribeClustersInput{Clusters: []string{"demo"}})
	require.NoError(t, err)
	require.Equal(t, "2026-01-01T00:01:00Z", now(t, srv.URL))
	e := ec2.New(ec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	_, err = e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	require.NoError(t, err)
	require.Equal(t, "2026-01-01T00:01:00Z", now(t, srv.URL), "EC2 is not polled for progress")
}

// TestSlowTraceReaderBlocksNobody: a client that asks for the trace and
// never reads it holds no lock.
func TestSlowTraceReaderBlocksNobody(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	// A trace of some 16 MB, far beyond what socket buffers hold.
	detail := strings.Repeat("x", 1000)
	for i := range 16000 {
		w.Engine().Record(sim.Event{Type: "filler", Source: "test", Detail: map[string]any{"i": i, "pad": detail}})
	}
	srv := httptest.NewServer(awsapi.New(w))
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = fmt.Fprintf(conn, "GET /_ecssim/trace HTTP/1.1\r\nHost: localhost\r\n\r\n")
	require.NoError(t, err)
	status, err := bufio.NewReader(conn).ReadString('\n') // read the status line only, then stop reading
	require.NoError(t, err)
	require.Contains(t, status, "200")
	for range 3 {
		require.Equal(t, "2026-01-01T00:00:00Z", now(t, srv.URL))
		require.Equal(t, http.StatusOK, control(t, srv.URL, "POST", "/_ecssim/run", "application/json", `{"for":"0s"}`).status)
	}
}
