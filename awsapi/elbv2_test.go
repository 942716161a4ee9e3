package awsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
	"github.com/ecssim/ecssim/workload"
)

// TestELBv2WithSDK drives load balancers, target groups and target
// health through the SDK's elasticloadbalancingv2 client over HTTP: the
// Query protocol in and out, typed errors, and a paginator.
func TestELBv2WithSDK(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Images: map[string]workload.Image{"web:1": {HTTP: &workload.HTTP{Paths: map[string]int{"/health": 200}}}}})
	require.NoError(t, err)
	srv := httptest.NewServer(awsapi.New(w))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	c := elbv2.New(elbv2.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})

	lb, err := c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("shop")}}})
	require.NoError(t, err)
	require.Len(t, lb.LoadBalancers, 1)
	l := lb.LoadBalancers[0]
	require.Equal(t, types.LoadBalancerStateEnumProvisioning, l.State.Code)
	require.Equal(t, types.LoadBalancerTypeEnumApplication, l.Type)
	require.Len(t, l.AvailabilityZones, 2)
	require.Equal(t, "us-east-1a", aws.ToString(l.AvailabilityZones[0].ZoneName))
	require.WithinDuration(t, ecssim.DefaultStart, aws.ToTime(l.CreatedTime), time.Second)

	tg, err := c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		VpcId: aws.String("vpc-00000001"), TargetType: types.TargetTypeEnumIp, HealthCheckPath: aws.String("/health"),
		Matcher: &types.Matcher{HttpCode: aws.String("200-299")}})
	require.NoError(t, err)
	g := tg.TargetGroups[0]
	require.Equal(t, int32(30), aws.ToInt32(g.HealthCheckIntervalSeconds))
	require.Equal(t, int32(5), aws.ToInt32(g.HealthCheckTimeoutSeconds))
	require.Equal(t, "traffic-port", aws.ToString(g.HealthCheckPort))
	require.Equal(t, "200-299", aws.ToString(g.Matcher.HttpCode))
	require.True(t, aws.ToBool(g.HealthCheckEnabled))

	_, err = c.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: l.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
			TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: g.TargetGroupArn, Weight: aws.Int32(10)}}}}}})
	require.NoError(t, err)
	ls, err := c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: l.LoadBalancerArn})
	require.NoError(t, err)
	require.Equal(t, int32(10), aws.ToInt32(ls.Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups[0].Weight))

	rule, err := c.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: ls.Listeners[0].ListenerArn, Priority: aws.Int32(5),
		Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{Values: []string{"/api/*", "/v2/*"}}}},
		Actions:    []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("503")}}}})
	require.NoError(t, err)
	require.Equal(t, "5", aws.ToString(rule.Rules[0].Priority))
	require.Equal(t, []string{"/api/*", "/v2/*"}, rule.Rules[0].Conditions[0].PathPatternConfig.Values)
	rules, err := c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: ls.Listeners[0].ListenerArn})
	require.NoError(t, err)
	require.Len(t, rules.Rules, 2)
	require.True(t, aws.ToBool(rules.Rules[1].IsDefault))

	attrs, err := c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: g.TargetGroupArn,
		Attributes: []types.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")}}})
	require.NoError(t, err)
	require.NotEmpty(t, attrs.Attributes)

	_, err = c.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: g.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String("172.31.0.10")}}})
	require.NoError(t, err)
	h, err := c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: g.TargetGroupArn})
	require.NoError(t, err)
	require.Len(t, h.TargetHealthDescriptions, 1)
	th := h.TargetHealthDescriptions[0]
	require.Equal(t, types.TargetHealthStateEnumInitial, th.TargetHealth.State)
	require.Equal(t, types.TargetHealthReasonEnumRegistrationInProgress, th.TargetHealth.Reason)
	require.Equal(t, int32(80), aws.ToInt32(th.Target.Port))

	tags, err := c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{aws.ToString(l.LoadBalancerArn)}})
	require.NoError(t, err)
	require.Equal(t, "shop", aws.ToString(tags.TagDescriptions[0].Tags[0].Value))

	// Typed errors.
	_, err = c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(g.TargetGroupArn) + "0"}})
	var notFound *types.TargetGroupNotFoundException
	require.True(t, errors.As(err, &notFound), "%v", err)
	_, err = c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String("vpc-00000001")})
	var dup *types.DuplicateTargetGroupNameException
	require.True(t, errors.As(err, &dup), "%v", err)
	_, err = c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("x"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		VpcId: aws.String("vpc-00000001"), HealthCheckIntervalSeconds: aws.Int32(4)})
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, "ValidationError", apiErr.ErrorCode())
	_, err = c.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: g.TargetGroupArn})
	var inUse *types.ResourceInUseException
	require.True(t, errors.As(err, &inUse), "%v", err)

	// A paginator over more groups than a page holds.
	for _, name := range []string{"a", "b", "c", "d"} {
		_, err = c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: types.ProtocolEnumTcp, Port: aws.Int32(80), VpcId: aws.String("vpc-00000001")})
		require.NoError(t, err)
	}
	var names []string
	p := elbv2.NewDescribeTargetGroupsPaginator(c, &elbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, g := range page.TargetGroups {
			names = append(names, aws.ToString(g.TargetGroupName))
		}
	}
	require.Equal(t, []string{"web", "a", "b", "c", "d"}, names)
}

// TestELBv2CLI drives load balancers and target health with the real aws
// command line, as `aws elbv2 ... --endpoint-url` against the endpoint.
func TestELBv2CLI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starting the aws command line takes seconds a call")
	}
	awsBin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the aws command line is not installed")
	}
	srv := newServer(t)
	dir := t.TempDir()
	run := func(args ...string) (string, string, error) {
		cmd := exec.Command(awsBin, append(args, "--endpoint-url", srv.URL, "--region", "us-east-1", "--output", "json")...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE="+filepath.Join(dir, "none"),
			"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"), "AWS_PAGER=", "HOME="+dir)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}
	query := func(args ...string) string {
		t.Helper()
		out, stderr, err := run(args...)
		require.NoError(t, err, stderr)
		var s string
		require.NoError(t, json.Unmarshal([]byte(out), &s), out)
		return s
	}
	lb := query("elbv2", "create-load-balancer", "--name", "web", "--subnets", "subnet-aaaa0001", "subnet-bbbb0002",
		"--query", "LoadBalancers[0].LoadBalancerArn")
	tgFile := filepath.Join(dir, "tg.json")
	require.NoError(t, os.WriteFile(tgFile, []byte(`{"Name":"web","Protocol":"HTTP","Port":80,"VpcId":"vpc-00000001","TargetType":"ip",
		"HealthCheckPath":"/health","HealthCheckIntervalSeconds":10}`), 0o600))
	tg := query("elbv2", "create-target-group", "--cli-input-json", "file://"+tgFile, "--query", "TargetGroups[0].TargetGroupArn")
	_, stderr, err := run("elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "80",
		"--default-actions", "Type=forward,TargetGroupArn="+tg)
	require.NoError(t, err, stderr)
	_, stderr, err = run("elbv2", "register-targets", "--target-group-arn", tg, "--targets", "Id=172.31.0.10,Port=8080")
	require.NoError(t, err, stderr)
	require.Equal(t, "Elb.RegistrationInProgress", query("elbv2", "describe-target-health", "--target-group-arn", tg,
		"--query", "TargetHealthDescriptions[0].TargetHealth.Reason"))

	// Nothing listens at the address: two failed checks, 10 s apart,
	// after the registration.
	advance(t, srv, "40s")
	out, stderr, err := run("elbv2", "describe-target-health", "--target-group-arn", tg)
	require.NoError(t, err, stderr)
	var h struct {
		TargetHealthDescriptions []struct {
			HealthCheckPort string
			TargetHealth    struct{ State, Reason, Description string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &h))
	require.Equal(t, "8080", h.TargetHealthDescriptions[0].HealthCheckPort)
	require.Equal(t, "unhealthy", h.TargetHealthDescriptions[0].TargetHealth.State)
	require.Equal(t, "Target.FailedHealthChecks", h.TargetHealthDescriptions[0].TargetHealth.Reason)

	_, stderr, err = run("elbv2", "delete-target-group", "--target-group-arn", tg)
	require.Error(t, err)
	require.Contains(t, stderr, "ResourceInUse")
	_, stderr, err = run("elbv2", "describe-target-groups", "--names", "nope")
	require.Error(t, err)
	require.Contains(t, stderr, "TargetGroupNotFound")
}
