package awsapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNotSimulatedInTheClientsProtocol: a request for a service ecssim
// does not simulate gets an error its client can parse.
func TestNotSimulatedInTheClientsProtocol(t *testing.T) {
	srv := newServer(t)
	for _, c := range []struct {
		name, method, path, svc string
		header                  map[string]string
		body                    string
		check                   func(t *testing.T, resp *http.Response, body []byte)
	}{
		{name: "JSON 1.1", method: "POST", svc: "logs", body: "{}",
			header: map[string]string{"X-Amz-Target": "Logs_20140328.PutLogEvents", "Content-Type": "application/x-amz-json-1.1"},
			check: func(t *testing.T, resp *http.Response, body []byte) {
				require.Equal(t, "UnknownOperationException", resp.Header.Get("X-Amzn-ErrorType"))
				var e map[string]string
				require.NoError(t, json.Unmarshal(body, &e))
				require.Contains(t, e["message"], `logs (X-Amz-Target "Logs_20140328.PutLogEvents")`)
			}},
		{name: "JSON 1.0 of a simulated signing name but another target", method: "POST", svc: "ecs", body: "{}",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"},
			check: func(t *testing.T, resp *http.Response, body []byte) {
				require.Equal(t, "UnknownOperationException", resp.Header.Get("X-Amzn-ErrorType"))
			}},
		{name: "CBOR", method: "POST", path: "/service/ArcRegionSwitch/operation/ListPlans", svc: "arc-region-switch",
			header: map[string]string{"Smithy-Protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"},
			check: func(t *testing.T, resp *http.Response, body []byte) {
				require.Equal(t, "application/cbor", resp.Header.Get("Content-Type"))
				require.Equal(t, byte(0xa2), body[0], "a CBOR map of two pairs")
				require.Contains(t, string(body), "__type")
				require.Contains(t, string(body), "UnknownOperationException")
			}},
		{name: "REST", method: "GET", path: "/2015-03-31/functions/", svc: "lambda",
			check: func(t *testing.T, resp *http.Response, body []byte) {
				require.Equal(t, "UnknownOperationException", resp.Header.Get("X-Amzn-ErrorType"))
			}},
		{name: "Query GET", method: "GET", path: "/?Action=ListQueues&Version=2012-11-05", svc: "sqs",
			check: func(t *testing.T, resp *http.Response, body []byte) {
				require.True(t, strings.HasPrefix(string(body), "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"), string(body))
			}},
		{name: "unsigned and unnamed", method: "POST",
			check: func(t *testing.T, resp *http.Response, body []byte) {
				require.Contains(t, string(body), "neither signed nor names")
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
			require.NoError(t, err)
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			if c.svc != "" {
				req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/"+c.svc+"/aws4_request, SignedHeaders=host, Signature=0")
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, string(body))
			c.check(t, resp, body)
		})
	}
}

// TestQueryEdges: a presigned GET is routed by the credential in its URL,
// and an oversized Query body gets the dialect's validation error.
func TestQueryEdges(t *testing.T) {
	srv := newServer(t)
	resp, err := http.Get(srv.URL + "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Signature=0")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Contains(t, string(body), "<Account>123456789012</Account>")

	big := "Action=DescribeSubnets&Version=2016-11-15&DryRun=" + strings.Repeat("x", 8<<20)
	for svc, code := range map[string]string{"ec2": "InvalidParameterValue", "sts": "ValidationError"} {
		req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(big))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/"+svc+"/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, string(body), "<Code>"+code+"</Code>")
	}
}
