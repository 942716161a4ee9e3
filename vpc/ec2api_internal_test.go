package vpc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

func TestWildcard(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"subnet-*", "subnet-aaaa0001", true},
		{"*0001", "subnet-aaaa0001", true},
		{"us-east-1?", "us-east-1a", true},
		{"us-east-1?", "us-east-1", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
		{"exact", "exact", true},
		{"exact", "exactly", false},
		{"*", "", true},
		{"", "x", false},
		{"**********************************x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay", false},
	} {
		require.Equal(t, c.want, wildcard(c.pattern, c.s), "%q %q", c.pattern, c.s)
	}
}

func TestRegionShort(t *testing.T) {
	for region, want := range map[string]string{"us-east-1": "use1", "eu-west-3": "euw3", "ap-northeast-1": "apne1",
		"ca-central-1": "cac1", "us-gov-west-1": "usgw1", "x": "x"} {
		require.Equal(t, want, regionShort(region))
	}
}

func TestVpcCIDR(t *testing.T) {
	n := New()
	require.NoError(t, n.AddSubnet(Subnet{ID: "subnet-1", AvailabilityZone: "z", CIDR: "10.1.0.0/24", VpcID: "vpc-a"}))
	require.NoError(t, n.AddSubnet(Subnet{ID: "subnet-2", AvailabilityZone: "z", CIDR: "10.3.0.0/24", VpcID: "vpc-a"}))
	require.NoError(t, n.AddSubnet(Subnet{ID: "subnet-3", AvailabilityZone: "z", CIDR: "192.168.4.0/28", VpcID: "vpc-b"}))
	require.NoError(t, n.AddSecurityGroup(SecurityGroup{ID: "sg-1", Name: "x", VpcID: "vpc-c"}))
	e := EC2{Net: n, Region: "us-east-1", AccountID: "123456789012"}
	require.Equal(t, "10.0.0.0/14", e.vpcCIDR("vpc-a"), "the smallest block holding every subnet")
	require.Equal(t, "192.168.0.0/16", e.vpcCIDR("vpc-b"), "at least a /16")
	require.Equal(t, "10.0.0.0/16", e.vpcCIDR("vpc-c"), "a VPC with no subnet")
	require.Equal(t, []string{"vpc-a", "vpc-b", "vpc-c"}, e.vpcIDs())
}

func TestEC2Limits(t *testing.T) {
	e := EC2{Net: Default("us-east-1"), Region: "us-east-1", AccountID: "123456789012"}
	many := make([]string, maxFilterValues+1)
	_, err := e.DescribeSubnets(&DescribeSubnetsInput{Filters: []Filter{{Name: api.String("subnet-id"), Values: many}}})
	require.Equal(t, "FilterLimitExceeded", api.ErrorCode(err))
	_, err = e.DescribeSubnets(&DescribeSubnetsInput{NextToken: api.String("nonsense!")})
	require.Equal(t, "InvalidParameterValue", api.ErrorCode(err))
	_, err = e.DescribeAvailabilityZones(&DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1z"}})
	require.Equal(t, "InvalidParameterValue", api.ErrorCode(err))
	e.Net.SetZoneDown("us-east-1b", true)
	out, err := e.DescribeAvailabilityZones(&DescribeAvailabilityZonesInput{Filters: []Filter{{Name: api.String("state"), Values: []string{"impaired"}}}})
	require.NoError(t, err)
	require.Len(t, out.AvailabilityZones, 1)
	require.Equal(t, "us-east-1b", *out.AvailabilityZones[0].ZoneName)
	tagged, err := e.DescribeSecurityGroups(&DescribeSecurityGroupsInput{Filters: []Filter{{Name: api.String("tag:team"), Values: []string{"x"}}}})
	require.NoError(t, err)
	require.Empty(t, tagged.SecurityGroups, "nothing is tagged")
}
