package awsapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/awsapi"
)

func testCredentials() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
	})
}

// TestSTSWithSDK: the SDK's STS client reads the Query protocol answer and
// its errors.
func TestSTSWithSDK(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{AccountID: "111122223333"})
	require.NoError(t, err)
	srv := httptest.NewServer(awsapi.New(w))
	t.Cleanup(srv.Close)
	client := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	out, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, "111122223333", aws.ToString(out.Account))
	require.Equal(t, "arn:aws:iam::111122223333:root", aws.ToString(out.Arn))
	require.Equal(t, "111122223333", aws.ToString(out.UserId))

	_, err = client.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/x"), RoleSessionName: aws.String("s")})
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, "InvalidAction", apiErr.ErrorCode())
	require.Contains(t, apiErr.ErrorMessage(), "AssumeRole")
}

type thingsInput struct {
	Names    []string `json:"Names,omitempty"`
	PageSize *int32   `json:"PageSize,omitempty"`
}

type thing struct {
	Name    string        `json:"Name"`
	Created api.Timestamp `json:"Created,omitzero"`
}

type thingsOutput struct {
	Things []thing `json:"Things"`
}

// signedForm posts a Query form signed (in its credential scope only; the
// endpoint checks no signature) for service svc.
func signedForm(t *testing.T, url, svc, form string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(form))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if svc != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/"+svc+"/aws4_request, SignedHeaders=host, Signature=0")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestQueryServiceNeedsOnlyTheTable: an action registered in the table
// under a Query service's prefix is served, its input coerced from the
// form and its output encoded as XML, with no change to the endpoint.
func TestQueryServiceNeedsOnlyTheTable(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	var got *thingsInput
	api.Register(w.Table(), "elbv2:DescribeThings", func(in *thingsInput) (*thingsOutput, error) {
		got = in
		if len(in.Names) == 0 {
			return nil, api.Errorf("ThingNotFound", "One or more things not found")
		}
		return &thingsOutput{Things: []thing{{Name: in.Names[0], Created: api.NewTimestamp(w.Now())}}}, nil
	})
	srv := httptest.NewServer(awsapi.New(w))
	t.Cleanup(srv.Close)

	for _, svc := range []string{"elasticloadbalancing", ""} {
		status, body := signedForm(t, srv.URL, svc, "Action=DescribeThings&Version=2015-12-01&Names.member.1=web&PageSize=5")
		require.Equal(t, http.StatusOK, status, body)
		require.Equal(t, []string{"web"}, got.Names)
		require.Equal(t, int32(5), *got.PageSize)
		require.Regexp(t, `^<DescribeThingsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">`+
			`<DescribeThingsResult><Things><member><Name>web</Name><Created>2026-01-01T00:00:00.000Z</Created></member></Things></DescribeThingsResult>`+
			`<ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></DescribeThingsResponse>$`, body)
	}

	for _, c := range []struct {
		name, svc, form string
		status          int
		want            string
	}{
		{"handler error", "elasticloadbalancing", "Action=DescribeThings&Version=2015-12-01", 400,
			`<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>ThingNotFound</Code><Message>One or more things not found</Message></Error><RequestId>`},
		{"bad type", "elasticloadbalancing", "Action=DescribeThings&Version=2015-12-01&PageSize=x", 400, `<Code>ValidationError</Code>`},
		{"unknown action", "elasticloadbalancing", "Action=DescribeNothing&Version=2015-12-01", 400,
			`<Code>InvalidAction</Code><Message>Could not find operation DescribeNothing for version 2015-12-01</Message>`},
		{"no action", "elasticloadbalancing", "Version=2015-12-01", 400, `<Code>MissingAction</Code>`},
		{"classic load balancing", "elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2012-06-01", 400,
			`<Code>InvalidAction</Code><Message>ecssim does not simulate the service elasticloadbalancing (Action &#34;DescribeLoadBalancers&#34;, Version &#34;2012-06-01&#34;)</Message>`},
		{"unknown query service", "sqs", "Action=ListQueues&Version=2012-11-05", 400, `<Code>InvalidAction</Code>`},
		{"unsigned without version", "", "Action=DescribeThings", 400, `<Code>InvalidAction</Code>`},
		{"bad form", "elasticloadbalancing", "Action=%zz", 400, `<Code>ValidationError</Code>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body := signedForm(t, srv.URL, c.svc, c.form)
			require.Equal(t, c.status, status, body)
			require.Contains(t, body, c.want)
		})
	}
}
