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
		{name: "CBOR", method: "POST", path: "/service/GraniteServiceVersion20100801/operation/ListMetrics", svc: "monitoring",
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
