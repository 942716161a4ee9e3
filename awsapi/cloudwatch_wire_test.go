package awsapi_test

import (
	"bytes"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// cloudWatchPost sends body to srv signed for CloudWatch, with headers.
func cloudWatchPost(t *testing.T, srv *httptest.Server, path string, body []byte, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// TestCloudWatchQuery: CloudWatch's Query protocol, as older SDKs speak
// it: a form in, XML out in the service's namespace, timestamps in ISO
// 8601, and errors in the Query shape with the model's status.
func TestCloudWatchQuery(t *testing.T) {
	srv := newServer(t)
	form := func(v url.Values) (*http.Response, string) {
		t.Helper()
		v.Set("Version", "2010-08-01")
		resp, b := cloudWatchPost(t, srv, "/", []byte(v.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
		return resp, string(b)
	}
	resp, body := form(url.Values{"Action": {"PutMetricData"}, "Namespace": {"App"},
		"MetricData.member.1.MetricName": {"Backlog"}, "MetricData.member.1.Value": {"5"}, "MetricData.member.1.Unit": {"Count"},
		"MetricData.member.1.Timestamp":                {"2026-01-01T00:00:10.000Z"},
		"MetricData.member.1.Dimensions.member.1.Name": {"Queue"}, "MetricData.member.1.Dimensions.member.1.Value": {"jobs"}})
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Contains(t, body, `<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">`)

	resp, body = form(url.Values{"Action": {"GetMetricStatistics"}, "Namespace": {"App"}, "MetricName": {"Backlog"},
		"Dimensions.member.1.Name": {"Queue"}, "Dimensions.member.1.Value": {"jobs"},
		"StartTime": {"2025-12-31T23:00:00Z"}, "EndTime": {"2026-01-01T01:00:00Z"}, "Period": {"60"}, "Statistics.member.1": {"Sum"}})
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Equal(t, "text/xml", resp.Header.Get("Content-Type"))
	require.Contains(t, body, `<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult>`)
	require.Contains(t, body, "<Label>Backlog</Label>")
	require.Contains(t, body, "<Datapoints><member><Timestamp>2026-01-01T00:00:00.000Z</Timestamp><Sum>5</Sum><Unit>Count</Unit></member></Datapoints>")

	resp, body = form(url.Values{"Action": {"SetAlarmState"}, "AlarmName": {"nope"}, "StateValue": {"OK"}, "StateReason": {"x"}})
	require.Equal(t, http.StatusNotFound, resp.StatusCode, body)
	require.Contains(t, body, `<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type><Code>ResourceNotFound</Code>`)

	resp, body = form(url.Values{"Action": {"PutMetricData"}, "Namespace": {"App"}, "MetricData.member.1.Value": {"x"}})
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
	require.Contains(t, body, "<Code>ValidationError</Code>")

	resp, body = form(url.Values{"Action": {"PutDashboard"}})
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
	require.Contains(t, body, "<Code>InvalidAction</Code>")
}

// TestCloudWatchJSON10: JSON 1.0 as the aws CLI sends it, and errors with
// the error shape's name, the model's status and the Query code in
// X-Amzn-Query-Error (the service is awsQueryCompatible).
func TestCloudWatchJSON10(t *testing.T) {
	srv := newServer(t)
	call := func(op, body string) (*http.Response, string) {
		t.Helper()
		resp, b := cloudWatchPost(t, srv, "/", []byte(body), map[string]string{
			"X-Amz-Target": "GraniteServiceVersion20100801." + op, "Content-Type": "application/x-amz-json-1.0", "X-Amzn-Query-Mode": "true"})
		return resp, string(b)
	}
	resp, body := call("PutMetricAlarm", `{"AlarmName":"a","Namespace":"App","MetricName":"Backlog","Statistic":"Sum","Period":60,
		"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Equal(t, "application/x-amz-json-1.0", resp.Header.Get("Content-Type"))
	resp, body = call("DescribeAlarms", `{}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Contains(t, body, `"AlarmConfigurationUpdatedTimestamp":1767225600`, "timestamps are epoch seconds")

	for _, c := range []struct {
		op, body, typ, query string
		status               int
	}{
		{"SetAlarmState", `{"AlarmName":"nope","StateValue":"OK","StateReason":"x"}`, "ResourceNotFound", "ResourceNotFound;Sender", 404},
		{"GetMetricStatistics", `{"Namespace":"App","MetricName":"Backlog","StartTime":1767225000,"EndTime":1767225600,"Period":7,"Statistics":["Sum"]}`,
			"InvalidParameterValueException", "InvalidParameterValue;Sender", 400},
		{"PutMetricData", `{"MetricData":[]}`, "MissingRequiredParameterException", "MissingParameter;Sender", 400},
		{"SetAlarmState", `{"AlarmName":"a","StateValue":"BAD","StateReason":"x"}`, "ValidationException", "ValidationError;Sender", 400},
	} {
		resp, body := call(c.op, c.body)
		require.Equal(t, c.status, resp.StatusCode, body)
		require.Equal(t, c.typ, resp.Header.Get("X-Amzn-ErrorType"))
		require.Equal(t, c.query, resp.Header.Get("X-Amzn-Query-Error"))
		require.Contains(t, body, `"__type":"`+c.typ+`"`)
	}
}

// TestCloudWatchCBOR: RPC v2 CBOR by hand: a tag-1 timestamp in, integers
// and floats and tag-1 timestamps out, and a CBOR error with the model's
// status and the Query code.
func TestCloudWatchCBOR(t *testing.T) {
	srv := newServer(t)
	cbor := map[string]string{"Smithy-Protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"}
	op := func(name string) string { return "/service/GraniteServiceVersion20100801/operation/" + name }
	hexBytes := func(s string) []byte {
		b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
		require.NoError(t, err)
		return b
	}
	// {"Namespace": "App", "MetricData": [{"MetricName": "Q", "Value": 2.5,
	//  "Timestamp": 1(1767225610)}]}, the map of the datum of indefinite length.
	put := hexBytes("a2 69 4e616d657370616365 63 417070 6a 4d657472696344617461 81" +
		"bf 6a 4d65747269634e616d65 61 51 65 56616c7565 f9 4100 69 54696d657374616d70 c1 1a 6955b90a ff")
	resp, body := cloudWatchPost(t, srv, op("PutMetricData"), put, cbor)
	require.Equal(t, http.StatusOK, resp.StatusCode, hex.EncodeToString(body))
	require.Equal(t, "rpc-v2-cbor", resp.Header.Get("Smithy-Protocol"))

	// {"Namespace": "App"}
	resp, body = cloudWatchPost(t, srv, op("ListMetrics"), hexBytes("a1 69 4e616d657370616365 63 417070"), cbor)
	require.Equal(t, http.StatusOK, resp.StatusCode, hex.EncodeToString(body))
	require.Equal(t, "application/cbor", resp.Header.Get("Content-Type"))
	// {"Metrics": [{"MetricName": "Q", "Namespace": "App"}]}
	require.Equal(t, "a1 67 4d657472696373 81 a2 6a 4d65747269634e616d65 61 51 69 4e616d657370616365 63 417070",
		spaced(body, "a1 67 4d657472696373 81 a2 6a 4d65747269634e616d65 61 51 69 4e616d657370616365 63 417070"))

	// GetMetricStatistics: the datapoint's Timestamp is tag 1, its Sum a float64.
	// {"Namespace":"App","MetricName":"Q","StartTime":1(1767225000),"EndTime":1(1767226200),"Period":60,"Statistics":["Sum"]}
	get := hexBytes("a6 69 4e616d657370616365 63 417070 6a 4d65747269634e616d65 61 51" +
		"69 537461727454696d65 c1 1a 6955b6a8 67 456e6454696d65 c1 1a 6955bb58 66 506572696f64 18 3c" +
		"6a 53746174697374696373 81 63 53756d")
	resp, body = cloudWatchPost(t, srv, op("GetMetricStatistics"), get, cbor)
	require.Equal(t, http.StatusOK, resp.StatusCode, hex.EncodeToString(body))
	require.Contains(t, hex.EncodeToString(body), "54696d657374616d70"+"c1"+"fb41da556e40000000", "Timestamp: tag 1, 1767225600.0")
	require.Contains(t, hex.EncodeToString(body), "53756d"+"fb4004000000000000", "Sum: 2.5 as a float64")

	// An unknown alarm: 404, ResourceNotFound in the body and the Query header.
	set := hexBytes("a3 69 416c61726d4e616d65 64 6e6f7065 6a 537461746556616c7565 62 4f4b 6b 537461746552656173 6f6e 61 78")
	resp, body = cloudWatchPost(t, srv, op("SetAlarmState"), set, cbor)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Equal(t, "ResourceNotFound;Sender", resp.Header.Get("X-Amzn-Query-Error"))
	require.Contains(t, string(body), "__type")
	require.Contains(t, string(body), "ResourceNotFound")

	for name, bad := range map[string]string{
		"trailing bytes":  "a0 00",
		"not a map":       "80",
		"other tag":       "a1 69 4e616d657370616365 c2 40",
		"truncated":       "a1 69 4e616d6573",
		"huge length":     "9b 00ffffffffffffff",
		"duplicate key":   "a2 61 41 01 61 41 02",
		"non-text key":    "a1 01 02",
		"invalid utf-8":   "a1 61 ff 01",
		"NaN":             "a1 61 41 f9 7e00",
		"break outside":   "ff",
		"indefinite tag":  "df",
		"gzip but plain":  "",
		"unknown op body": "a0",
	} {
		path, h := op("ListMetrics"), cbor
		switch name {
		case "gzip but plain":
			h = map[string]string{"Smithy-Protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Content-Encoding": "gzip"}
			bad = "a0"
		case "unknown op body":
			path = op("PutDashboard")
		}
		resp, body := cloudWatchPost(t, srv, path, hexBytes(bad), h)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s: %x", name, body)
		require.Equal(t, "application/cbor", resp.Header.Get("Content-Type"), name)
	}
}

// spaced writes b in hex, spaced as like is, so that a failure shows the
// CBOR items apart.
func spaced(b []byte, like string) string {
	var out strings.Builder
	h := hex.EncodeToString(b)
	for _, f := range strings.Fields(like) {
		if len(h) < len(f) {
			break
		}
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(h[:len(f)])
		h = h[len(f):]
	}
	if h != "" {
		out.WriteString(" " + h)
	}
	return out.String()
}
