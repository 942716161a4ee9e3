package awsapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
)

// FuzzHandler sends arbitrary requests (any method, path, target, content
// type, signing service and body) to the endpoint: none may get a 5xx,
// and the server must answer a health check afterwards.
func FuzzHandler(f *testing.F) {
	seeds := []struct{ method, path, target, ctype, svc, body string }{
		{"POST", "/", "AmazonEC2ContainerServiceV20141113.CreateCluster", "application/x-amz-json-1.1", "ecs", `{"clusterName":"a"}`},
		{"POST", "/", "AnyScaleFrontendService.DescribeScalableTargets", "application/x-amz-json-1.1", "application-autoscaling", `{"ServiceNamespace":"ecs"}`},
		{"POST", "/", "", "application/x-www-form-urlencoded", "sts", "Action=GetCallerIdentity&Version=2011-06-15"},
		{"POST", "/", "", "application/x-www-form-urlencoded", "ec2", "Action=DescribeSubnets&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=*"},
		{"POST", "/", "", "application/x-www-form-urlencoded", "elasticloadbalancing", "Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=x"},
		{"GET", "/?Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-00000001", "", "", "ec2", ""},
		{"POST", "/_ecssim/run", "", "application/json", "", `{"for":"1m"}`},
		{"POST", "/_ecssim/run", "", "application/json", "", `{"until":"2500-01-01T00:00:00Z"}`},
		{"POST", "/_ecssim/call/sim:FailAvailabilityZone", "", "application/json", "", `{"availabilityZone":"us-east-1a"}`},
		{"POST", "/_ecssim/reset", "", "application/json", "", ``},
		{"GET", "/_ecssim/trace", "", "", "", ``},
		{"PUT", "/_ecssim/now", "", "", "", ``},
		{"POST", "/", "", "application/cbor", "monitoring", "\xa0"},
		{"POST", "/service/GraniteServiceVersion20100801/operation/ListMetrics", "", "application/cbor", "monitoring", "\xa1\x69Namespace\x63App"},
		{"POST", "/service/GraniteServiceVersion20100801/operation/PutMetricData", "", "application/cbor", "monitoring",
			"\xa2\x69Namespace\x63App\x6aMetricData\x81\xa2\x6aMetricName\x61Q\x65Value\xf9\x41\x00"},
		{"POST", "/", "GraniteServiceVersion20100801.DescribeAlarms", "application/x-amz-json-1.0", "monitoring", `{"StateValue":"ALARM"}`},
		{"POST", "/", "", "application/x-www-form-urlencoded", "monitoring", "Action=ListMetrics&Version=2010-08-01&Dimensions.member.1.Name=x"},
		{"DELETE", "/2015-03-31/functions/x", "", "", "lambda", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.target, s.ctype, s.svc, s.body)
	}
	f.Fuzz(func(t *testing.T, method, path, target, ctype, svc, body string) {
		// A World per input: one input's state cannot slow the next.
		w, err := ecssim.New(ecssim.Config{})
		require.NoError(t, err)
		srv := awsapi.New(w)
		if !validMethod(method) {
			method = "POST"
		}
		req, err := http.NewRequest(method, "http://localhost"+path, strings.NewReader(body))
		if err != nil || !strings.HasPrefix(path, "/") {
			return
		}
		req.Host = "localhost"
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", ctype)
		if svc != "" {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/"+svc+"/aws4_request, SignedHeaders=host, Signature=0")
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		b, _ := io.ReadAll(rec.Body)
		require.Less(t, rec.Code, 500, "%s %s target %q type %q service %q body %q: %d %s", method, path, target, ctype, svc, body, rec.Code, b)

		health := httptest.NewRequest("GET", "http://localhost/_ecssim/health", nil)
		rec = httptest.NewRecorder()
		srv.ServeHTTP(rec, health)
		require.Equal(t, http.StatusOK, rec.Code)
	})
}

func validMethod(m string) bool {
	if m == "" || len(m) > 16 {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
