package awsapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	sdkecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
	"github.com/ecssim/ecssim/vpc"
)

func ec2Client(t *testing.T, cfg ecssim.Config) *ec2.Client {
	t.Helper()
	w, err := ecssim.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(awsapi.New(w))
	t.Cleanup(srv.Close)
	region := cfg.Region
	if region == "" {
		region = ecssim.DefaultRegion
	}
	return ec2.New(ec2.Options{Region: region, BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
}

// TestEC2WithSDK: the SDK's EC2 client reads the simulated VPC in EC2's
// dialect of the Query protocol.
func TestEC2WithSDK(t *testing.T) {
	ctx := context.Background()
	client := ec2Client(t, ecssim.Config{})

	subnets, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpc.DefaultVpcID}},
		{Name: aws.String("default-for-az"), Values: []string{"true"}},
		{Name: aws.String("availability-zone"), Values: []string{"us-east-1a", "us-east-1c"}},
	}})
	require.NoError(t, err)
	require.Len(t, subnets.Subnets, 2)
	s := subnets.Subnets[0]
	require.Equal(t, "subnet-aaaa0001", aws.ToString(s.SubnetId))
	require.Equal(t, "172.31.0.0/20", aws.ToString(s.CidrBlock))
	require.Equal(t, int32(4091), aws.ToInt32(s.AvailableIpAddressCount))
	require.Equal(t, "use1-az1", aws.ToString(s.AvailabilityZoneId))
	require.True(t, aws.ToBool(s.DefaultForAz))
	require.Equal(t, types.SubnetStateAvailable, s.State)

	byID, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-cccc0003"}})
	require.NoError(t, err)
	require.Equal(t, "us-east-1c", aws.ToString(byID.Subnets[0].AvailabilityZone))

	vpcs, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	require.NoError(t, err)
	require.Len(t, vpcs.Vpcs, 1)
	require.Equal(t, "172.31.0.0/16", aws.ToString(vpcs.Vpcs[0].CidrBlock))
	require.Equal(t, "associated", string(vpcs.Vpcs[0].CidrBlockAssociationSet[0].CidrBlockState.State))

	groups, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"default"}})
	require.NoError(t, err)
	require.Equal(t, "sg-00000001", aws.ToString(groups.SecurityGroups[0].GroupId))
	require.Equal(t, "default VPC security group", aws.ToString(groups.SecurityGroups[0].Description))
	require.Equal(t, "0.0.0.0/0", aws.ToString(groups.SecurityGroups[0].IpPermissionsEgress[0].IpRanges[0].CidrIp))

	zones, err := client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{Filters: []types.Filter{{Name: aws.String("zone-name"), Values: []string{"*b"}}}})
	require.NoError(t, err)
	require.Len(t, zones.AvailabilityZones, 1)
	require.Equal(t, "us-east-1b", aws.ToString(zones.AvailabilityZones[0].ZoneName))
	require.Equal(t, types.AvailabilityZoneStateAvailable, zones.AvailabilityZones[0].State)

	// Paging with the SDK's own paginator.
	var ids []string
	p := ec2.NewDescribeSubnetsPaginator(client, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, s := range page.Subnets {
			ids = append(ids, aws.ToString(s.SubnetId))
		}
	}
	require.Equal(t, []string{"subnet-aaaa0001", "subnet-bbbb0002", "subnet-cccc0003"}, ids)

	for _, c := range []struct {
		name string
		call func() error
		code string
	}{
		{"missing subnet", func() error {
			_, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0123456789abcdef0"}})
			return err
		}, "InvalidSubnetID.NotFound"},
		{"unknown filter", func() error {
			_, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{{Name: aws.String("colour"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue"},
		{"page too small", func() error {
			_, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(2)})
			return err
		}, "InvalidParameterValue"},
		{"dry run", func() error {
			_, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation"},
		{"action not simulated", func() error {
			_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-1"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
			return err
		}, "InvalidAction"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var apiErr smithy.APIError
			err := c.call()
			require.True(t, errors.As(err, &apiErr), "%v", err)
			require.Equal(t, c.code, apiErr.ErrorCode(), apiErr.ErrorMessage())
		})
	}
}

// TestEC2UserSubnets: subnets declared with real-looking ids and CIDRs are
// what EC2 describes.
func TestEC2UserSubnets(t *testing.T) {
	client := ec2Client(t, ecssim.Config{Region: "eu-west-1", Subnets: []vpc.Subnet{
		{ID: "subnet-0a1b2c3d4e5f60718", AvailabilityZone: "eu-west-1a", CIDR: "10.20.1.0/24", VpcID: "vpc-0f1e2d3c4b5a69788"},
		{ID: "subnet-0a1b2c3d4e5f60719", AvailabilityZone: "eu-west-1b", CIDR: "10.20.2.0/24", VpcID: "vpc-0f1e2d3c4b5a69788"},
	}})
	ctx := context.Background()
	vpcs, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	require.NoError(t, err)
	require.Len(t, vpcs.Vpcs, 1)
	require.Equal(t, "vpc-0f1e2d3c4b5a69788", aws.ToString(vpcs.Vpcs[0].VpcId))
	require.Equal(t, "10.20.0.0/16", aws.ToString(vpcs.Vpcs[0].CidrBlock))
	require.False(t, aws.ToBool(vpcs.Vpcs[0].IsDefault))
	subnets, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{{Name: aws.String("cidr-block"), Values: []string{"10.20.2.*"}}}})
	require.NoError(t, err)
	require.Len(t, subnets.Subnets, 1)
	require.Equal(t, "subnet-0a1b2c3d4e5f60719", aws.ToString(subnets.Subnets[0].SubnetId))
	require.Equal(t, "euw1-az2", aws.ToString(subnets.Subnets[0].AvailabilityZoneId))
	require.False(t, aws.ToBool(subnets.Subnets[0].DefaultForAz))
}

// TestWrongRegion: a World simulates one region; a request signed for
// another gets AWS's error for a wrongly scoped credential, in its
// client's protocol. STS, a global service, answers any region.
func TestWrongRegion(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Region: "eu-west-1"})
	require.NoError(t, err)
	srv := httptest.NewServer(awsapi.New(w))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	client := ec2.New(ec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	_, err = client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, "AuthFailure", apiErr.ErrorCode())
	require.Contains(t, apiErr.ErrorMessage(), "simulates the region eu-west-1")

	ecsClient := sdkecs.New(sdkecs.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	_, err = ecsClient.ListClusters(ctx, &sdkecs.ListClustersInput{})
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, "InvalidSignatureException", apiErr.ErrorCode())

	stsClient := sts.New(sts.Options{Region: "ap-south-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	_, err = stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	require.NoError(t, err)
}

// TestServeRegions: with ServeRegions, each signing region has a World of
// its own, reached by the control routes with ?region=, and a reset drops
// them.
func TestServeRegions(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	s := awsapi.New(w)
	s.ServeRegions(func(region string) (*ecssim.World, error) { return ecssim.New(ecssim.Config{Region: region}) })
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	ecsIn := func(region string) *sdkecs.Client {
		return sdkecs.New(sdkecs.Options{Region: region, BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	}
	out, err := ecsIn("eu-west-1").CreateCluster(ctx, &sdkecs.CreateClusterInput{ClusterName: aws.String("demo")})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ecs:eu-west-1:123456789012:cluster/demo", aws.ToString(out.Cluster.ClusterArn))
	home, err := ecsIn("us-east-1").ListClusters(ctx, &sdkecs.ListClustersInput{})
	require.NoError(t, err)
	require.Empty(t, home.ClusterArns, "regions do not share state")

	e := ec2.New(ec2.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), Credentials: testCredentials()})
	zones, err := e.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	require.NoError(t, err)
	require.Equal(t, "eu-west-1a", aws.ToString(zones.AvailabilityZones[0].ZoneName))

	a := control(t, srv.URL, "POST", "/_ecssim/call/ecs:ListClusters?region=eu-west-1", "application/json", `{}`)
	require.Contains(t, a.raw, "cluster/demo")
	a = control(t, srv.URL, "POST", "/_ecssim/run?region=eu-west-1", "application/json", `{"for":"1m"}`)
	require.Equal(t, "2026-01-01T00:01:00Z", a.body["now"])
	require.Equal(t, "2026-01-01T00:00:00Z", now(t, srv.URL), "each region has its own clock")
	a = control(t, srv.URL, "GET", "/_ecssim/now?region=mars", "", ``)
	require.Equal(t, http.StatusBadRequest, a.status)

	_, err = ecsIn("mars").ListClusters(ctx, &sdkecs.ListClustersInput{})
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, "InvalidSignatureException", apiErr.ErrorCode())

	require.Equal(t, http.StatusOK, control(t, srv.URL, "POST", "/_ecssim/reset", "application/json", ``).status)
	again, err := ecsIn("eu-west-1").ListClusters(ctx, &sdkecs.ListClustersInput{})
	require.NoError(t, err)
	require.Empty(t, again.ClusterArns, "a reset starts every region over")

	// us-east-1 and eu-west-1 are served: room for MaxRegions-2 more.
	for i := range awsapi.MaxRegions {
		_, err = ecsIn(fmt.Sprintf("us-test-%d", i+1)).ListClusters(ctx, &sdkecs.ListClustersInput{})
		if i < awsapi.MaxRegions-2 {
			require.NoError(t, err, "region %d", i+1)
		} else {
			require.ErrorContains(t, err, "already simulates 40 regions", "region %d", i+1)
		}
	}
}
