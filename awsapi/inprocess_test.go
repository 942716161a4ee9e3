package awsapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	sdkecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
	"github.com/ecssim/ecssim/ecssimtest"
)

func sdkService(t testing.TB, ctx context.Context, client *sdkecs.Client) {
	t.Helper()
	_, err := client.CreateCluster(ctx, &sdkecs.CreateClusterInput{ClusterName: aws.String("demo")})
	require.NoError(t, err)
	_, err = client.RegisterTaskDefinition(ctx, &sdkecs.RegisterTaskDefinitionInput{
		Family: aws.String("nginx"), NetworkMode: types.NetworkModeAwsvpc, RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("nginx"), Image: aws.String("nginx:1.25")}},
	})
	require.NoError(t, err)
	_, err = client.CreateService(ctx, &sdkecs.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String("nginx"), DesiredCount: aws.Int32(3),
		LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}},
	})
	require.NoError(t, err)
}

// TestInProcess drives a World with the SDK's clients, waiters, paginators
// and typed errors, in process, and proves that nothing touched the
// network.
func TestInProcess(t *testing.T) {
	ecssimtest.NoNetwork(t)
	w, err := ecssim.New(ecssim.Config{Seed: 1, Region: "eu-west-1"})
	require.NoError(t, err)
	cfg := awsapi.Config(w)
	require.Equal(t, "eu-west-1", cfg.Region)
	ctx := context.Background()
	client := sdkecs.NewFromConfig(cfg)
	goroutines := runtime.NumGoroutine()

	sdkService(t, ctx, client)
	require.Equal(t, w.Start(), w.Now(), "creating resources takes no virtual time")
	events := 0
	defer w.AfterEvent(func() error { events++; return nil })()

	waiter := sdkecs.NewServicesStableWaiter(client, awsapi.NoWaiterDelay)
	start := time.Now()
	require.NoError(t, waiter.Wait(ctx, &sdkecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}}, time.Minute))
	require.Less(t, time.Since(start), 10*time.Second, "the waiter does not sleep its 15 s delays")
	require.Positive(t, w.Elapsed())
	require.Zero(t, w.Elapsed()%awsapi.DefaultPollInterval, "each poll is one poll interval of virtual time")
	require.Positive(t, events, "time passed through the World's own methods, hooks and all")

	// A paginator pages with the World's tokens.
	pages := sdkecs.NewListTasksPaginator(client, &sdkecs.ListTasksInput{Cluster: aws.String("demo"), MaxResults: aws.Int32(1)})
	var arns []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.TaskArns), 1)
		arns = append(arns, page.TaskArns...)
	}
	require.Len(t, arns, 3)
	for _, arn := range arns {
		require.True(t, strings.HasPrefix(arn, "arn:aws:ecs:eu-west-1:123456789012:task/demo/"), arn)
	}

	// Errors are the SDK's typed exceptions.
	_, err = client.DeleteCluster(ctx, &sdkecs.DeleteClusterInput{Cluster: aws.String("nope")})
	var notFound *types.ClusterNotFoundException
	require.ErrorAs(t, err, &notFound)
	require.Equal(t, "Cluster not found.", notFound.ErrorMessage())

	// Application Auto Scaling through its own client.
	scaling := aas.NewFromConfig(cfg)
	_, err = scaling.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount,
		ResourceId: aws.String("service/demo/web"), MinCapacity: aws.Int32(2), MaxCapacity: aws.Int32(6),
	})
	require.NoError(t, err)
	targets, err := scaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	require.NoError(t, err)
	require.Len(t, targets.ScalableTargets, 1)
	require.Equal(t, int32(6), aws.ToInt32(targets.ScalableTargets[0].MaxCapacity))
	_, err = scaling.DeregisterScalableTarget(ctx, &aas.DeregisterScalableTargetInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ScalableDimension: aastypes.ScalableDimensionECSServiceDesiredCount,
		ResourceId: aws.String("service/demo/nope")})
	var missing *aastypes.ObjectNotFoundException
	require.ErrorAs(t, err, &missing)

	// STS (Query protocol, XML) and EC2 (its own Query dialect) too.
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
	require.Equal(t, "123456789012", aws.ToString(id.Account))
	subnets, err := ec2.NewFromConfig(cfg).DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	require.NoError(t, err)
	require.Len(t, subnets.Subnets, 3)
	require.Equal(t, "eu-west-1a", aws.ToString(subnets.Subnets[0].AvailabilityZone))

	require.LessOrEqual(t, runtime.NumGoroutine(), goroutines, "no goroutine left behind")
}

// TestPollInterval shows when virtual time passes: before each read, by
// the poll interval, and never for a call that changes something.
func TestPollInterval(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []awsapi.Option
		want time.Duration
	}{
		{"default", nil, awsapi.DefaultPollInterval},
		{"5s", []awsapi.Option{awsapi.WithPollInterval(5 * time.Second)}, 5 * time.Second},
		{"none", []awsapi.Option{awsapi.WithPollInterval(0)}, 0},
		{"negative is none", []awsapi.Option{awsapi.WithPollInterval(-time.Second)}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := ecssim.New(ecssim.Config{})
			require.NoError(t, err)
			ctx := context.Background()
			client := sdkecs.NewFromConfig(awsapi.Config(w, tc.opts...))
			_, err = client.CreateCluster(ctx, &sdkecs.CreateClusterInput{ClusterName: aws.String("c")})
			require.NoError(t, err)
			require.Zero(t, w.Elapsed())
			_, err = client.DescribeClusters(ctx, &sdkecs.DescribeClustersInput{Clusters: []string{"c"}})
			require.NoError(t, err)
			_, err = client.ListClusters(ctx, &sdkecs.ListClustersInput{})
			require.NoError(t, err)
			require.Equal(t, 2*tc.want, w.Elapsed())
			// A failed read still waited: the poller slept before it.
			_, err = client.DescribeTaskDefinition(ctx, &sdkecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("x:1")})
			require.Error(t, err)
			require.Equal(t, 3*tc.want, w.Elapsed())
		})
	}
}

func TestInProcessRegionAndCancel(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	cfg := awsapi.Config(w, awsapi.WithRegion("ap-south-1"))
	require.Equal(t, "ap-south-1", cfg.Region)
	require.Equal(t, awsapi.InProcessEndpoint, aws.ToString(cfg.BaseEndpoint))
	creds, err := cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, creds.AccessKeyID)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = sdkecs.NewFromConfig(cfg).CreateCluster(ctx, &sdkecs.CreateClusterInput{ClusterName: aws.String("c")})
	require.ErrorIs(t, err, context.Canceled)
	clusters, err := w.ECS().ListClusters(nil)
	require.NoError(t, err)
	require.Empty(t, clusters.ClusterArns, "a cancelled request is not served")
}

// TestTransportReadOnly checks how the transport tells a read from a
// change in each protocol the endpoint speaks.
func TestTransportReadOnly(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	rt := awsapi.New(w).Transport(awsapi.WithPollInterval(time.Second))
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		passes bool
	}{
		{"json target read", func() *http.Request {
			return post("/", "AmazonEC2ContainerServiceV20141113.ListClusters", "application/x-amz-json-1.1", "{}")
		}, true},
		{"json target change", func() *http.Request {
			return post("/", "AmazonEC2ContainerServiceV20141113.CreateCluster", "application/x-amz-json-1.1", "{}")
		}, false},
		{"query form read", func() *http.Request {
			return post("/", "", "application/x-www-form-urlencoded", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}.Encode())
		}, true},
		{"query form change", func() *http.Request {
			return post("/", "", "application/x-www-form-urlencoded", "Action=CreateLoadBalancer")
		}, false},
		{"query string read", func() *http.Request {
			return post("/?Action=DescribeSubnets", "", "", "")
		}, true},
		{"rpc v2 path read", func() *http.Request {
			return post("/service/GraniteServiceVersion20100801/operation/GetMetricData", "", "application/cbor", "")
		}, true},
		{"control path", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, awsapi.InProcessEndpoint+"/_ecssim/now", nil)
			return r
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.Elapsed()
			resp, err := rt.RoundTrip(tc.req())
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			require.NotZero(t, resp.StatusCode)
			if tc.passes {
				require.Equal(t, before+time.Second, w.Elapsed())
			} else {
				require.Equal(t, before, w.Elapsed())
			}
		})
	}
}

func post(path, target, contentType, body string) *http.Request {
	r, err := http.NewRequest(http.MethodPost, awsapi.InProcessEndpoint+path, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func TestTransportResponse(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	rt := awsapi.New(w).Transport()
	resp, err := rt.RoundTrip(post("/", "AmazonEC2ContainerServiceV20141113.DeleteCluster", "application/x-amz-json-1.1", `{"cluster":"x"}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Equal(t, "400 Bad Request", resp.Status)
	require.Equal(t, "ClusterNotFoundException", resp.Header.Get("X-Amzn-ErrorType"))
	require.Positive(t, resp.ContentLength)

	// A body larger than any AWS input is refused, not buffered without end.
	resp, err = rt.RoundTrip(post("/", "AmazonEC2ContainerServiceV20141113.CreateCluster", "application/x-amz-json-1.1", strings.Repeat(" ", 9<<20)))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestNoWaiterDelay(t *testing.T) {
	var o sdkecs.ServicesStableWaiterOptions
	awsapi.NoWaiterDelay(&o)
	require.Equal(t, time.Nanosecond, o.MinDelay)
	require.Equal(t, time.Nanosecond, o.MaxDelay)
	var tr sdkecs.TasksRunningWaiterOptions
	awsapi.NoWaiterDelay(&tr)
	require.Equal(t, time.Nanosecond, tr.MaxDelay)
	n := 3
	awsapi.NoWaiterDelay(&n) // not a waiter's options: left alone
	require.Equal(t, 3, n)
	var other struct{ MinDelay int }
	awsapi.NoWaiterDelay(&other)
	require.Zero(t, other.MinDelay)
}

// FuzzTransport: whatever a request carries, the transport answers it,
// and outside the control path changes the clock only by the poll
// interval or not at all.
func FuzzTransport(f *testing.F) {
	f.Add("AmazonEC2ContainerServiceV20141113.ListClusters", "application/x-amz-json-1.1", "/", "{}")
	f.Add("", "application/x-www-form-urlencoded", "/", "Action=GetCallerIdentity&Version=2011-06-15")
	f.Add("", "application/cbor", "/service/X/operation/GetMetricData", "\xbf\xff")
	f.Add("x.", "", "/?Action=%zz", "%%%")
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(f, err)
	rt := awsapi.New(w).Transport(awsapi.WithPollInterval(time.Second))
	f.Fuzz(func(t *testing.T, target, contentType, path, body string) {
		u, err := url.Parse(awsapi.InProcessEndpoint + "/" + strings.TrimPrefix(path, "/"))
		if err != nil {
			return
		}
		req, err := http.NewRequest(http.MethodPost, u.String(), strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", contentType)
		before := w.Elapsed()
		resp, err := rt.RoundTrip(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.NotZero(t, resp.StatusCode)
		if !strings.HasPrefix(u.Path, "/_ecssim/") { // the control path runs the clock as asked
			require.Contains(t, []time.Duration{before, before + time.Second}, w.Elapsed())
		}
	})
}

// TestRunError: when running the World fails before a read, the SDK gets
// an error it does not retry, and the read is not served.
func TestRunError(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	client := sdkecs.NewFromConfig(awsapi.Config(w))
	ctx := context.Background()
	sdkService(t, ctx, client)
	stop := errors.New("invariant violated")
	calls := 0
	w.AfterEvent(func() error { calls++; return stop })
	_, err = client.ListClusters(ctx, &sdkecs.ListClustersInput{})
	var runErr *awsapi.RunError
	require.ErrorAs(t, err, &runErr)
	require.ErrorIs(t, err, stop)
	require.Equal(t, 1, calls, "not retried")
}
