package awsapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
)

// BenchmarkEndpoint measures one API request through the handler, without
// a socket: routing, decoding, the action, encoding. JSON is ECS's
// DescribeClusters; Query is STS's GetCallerIdentity; EC2 is a filtered
// DescribeSubnets, whose form is decoded by walking the input type and
// whose output is encoded as XML.
func BenchmarkEndpoint(b *testing.B) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(b, err)
	_, err = w.Call("ecs:CreateCluster", []byte(`{"clusterName":"demo"}`))
	require.NoError(b, err)
	srv := awsapi.New(w)
	for _, c := range []struct {
		name, svc, ctype, target, body string
	}{
		{"JSON", "ecs", "application/x-amz-json-1.1", "AmazonEC2ContainerServiceV20141113.DescribeClusters", `{"clusters":["demo"]}`},
		{"Query", "sts", "application/x-www-form-urlencoded", "", "Action=GetCallerIdentity&Version=2011-06-15"},
		{"EC2", "ec2", "application/x-www-form-urlencoded", "",
			"Action=DescribeSubnets&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-00000001&Filter.2.Name=availability-zone&Filter.2.Value.1=us-east-1*"},
	} {
		b.Run(c.name, func(b *testing.B) {
			auth := "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/" + c.svc + "/aws4_request, SignedHeaders=host, Signature=0"
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "http://localhost/", strings.NewReader(c.body))
				req.Header.Set("Content-Type", c.ctype)
				req.Header.Set("Authorization", auth)
				if c.target != "" {
					req.Header.Set("X-Amz-Target", c.target)
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkCloudWatchProtocols measures one CloudWatch DescribeAlarms (two
// alarms) through the handler in each of CloudWatch's protocols: the CBOR
// input decoded into JSON and the output encoded as CBOR, JSON 1.0 as
// is, and Query's form and XML.
func BenchmarkCloudWatchProtocols(b *testing.B) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(b, err)
	for _, name := range []string{"backlog-high", "latency-high"} {
		_, err = w.Call("cloudwatch:PutMetricAlarm", []byte(`{"AlarmName":"`+name+`","Namespace":"App","MetricName":"M",
			"Statistic":"Sum","Period":60,"EvaluationPeriods":3,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold"}`))
		require.NoError(b, err)
	}
	srv := awsapi.New(w)
	auth := "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0"
	for _, c := range []struct {
		name, path, ctype, target, body string
	}{
		// {"MaxRecords": 10}
		{"CBOR", "/service/GraniteServiceVersion20100801/operation/DescribeAlarms", "application/cbor", "", "\xa1\x6aMaxRecords\x0a"},
		{"JSON", "/", "application/x-amz-json-1.0", "GraniteServiceVersion20100801.DescribeAlarms", `{"MaxRecords":10}`},
		{"Query", "/", "application/x-www-form-urlencoded", "", "Action=DescribeAlarms&Version=2010-08-01&MaxRecords=10"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "http://localhost"+c.path, strings.NewReader(c.body))
				req.Header.Set("Content-Type", c.ctype)
				req.Header.Set("Authorization", auth)
				if c.target != "" {
					req.Header.Set("X-Amz-Target", c.target)
				}
				if c.name == "CBOR" {
					req.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
