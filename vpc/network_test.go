package vpc

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

func TestDefault(t *testing.T) {
	n := Default("us-east-1")
	require.Equal(t, []Subnet{
		{ID: "subnet-aaaa0001", AvailabilityZone: "us-east-1a", CIDR: "172.31.0.0/20", VpcID: "vpc-00000001"},
		{ID: "subnet-bbbb0002", AvailabilityZone: "us-east-1b", CIDR: "172.31.16.0/20", VpcID: "vpc-00000001"},
		{ID: "subnet-cccc0003", AvailabilityZone: "us-east-1c", CIDR: "172.31.32.0/20", VpcID: "vpc-00000001"},
	}, n.Subnets())
	require.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, n.AvailabilityZones())
	g, ok := n.SecurityGroup("sg-00000001")
	require.True(t, ok)
	require.Equal(t, SecurityGroup{ID: "sg-00000001", Name: "default", VpcID: "vpc-00000001"}, g)
	for _, s := range n.Subnets() {
		require.Equal(t, 4096-5, n.FreeIPs(s.ID), s.ID)
	}

	// Any region, even an odd one, gives a valid network.
	for _, region := range []string{"", "eu-west-3", "ap-southeast-2", "x y"} {
		require.Len(t, Default(region).Subnets(), 3, region)
	}
}

func TestAddSubnetValidation(t *testing.T) {
	long := "subnet-" + strings.Repeat("a", 64)
	tests := []struct {
		name    string
		s       Subnet
		wantErr string // "" for success
		path    string
	}{
		{"short hex id", Subnet{ID: "subnet-0123abcd", AvailabilityZone: "us-east-1a", CIDR: "10.0.0.0/24"}, "", ""},
		{"long hex id", Subnet{ID: "subnet-0123456789abcdef0", AvailabilityZone: "us-east-1a", CIDR: "10.0.0.0/24"}, "", ""},
		{"documentation id", Subnet{ID: "subnet-EXAMPLE", AvailabilityZone: "us-east-1a", CIDR: "10.0.0.0/24"}, "", ""},
		{"dashes in id", Subnet{ID: "subnet-my-private-1", AvailabilityZone: "us-east-1a", CIDR: "10.0.0.0/24"}, "", ""},
		{"64-char suffix", Subnet{ID: long, AvailabilityZone: "az", CIDR: "10.0.0.0/24"}, "", ""},
		{"free-form zone", Subnet{ID: "subnet-1", AvailabilityZone: "zone one", CIDR: "10.0.0.0/24"}, "", ""},
		{"largest /16", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/16"}, "", ""},
		{"smallest /28", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.16/28"}, "", ""},
		{"explicit vpc", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/24", VpcID: "vpc-0abc"}, "", ""},

		{"empty id", Subnet{AvailabilityZone: "a", CIDR: "10.0.0.0/24"}, `Invalid id: "" (expecting "subnet-...")`, "SubnetId"},
		{"bare prefix", Subnet{ID: "subnet-", AvailabilityZone: "a", CIDR: "10.0.0.0/24"}, `Invalid id: "subnet-" (expecting "subnet-...")`, "SubnetId"},
		{"65-char suffix", Subnet{ID: long + "a", AvailabilityZone: "a", CIDR: "10.0.0.0/24"}, `(expecting "subnet-...")`, "SubnetId"},
		{"underscore", Subnet{ID: "subnet_1", AvailabilityZone: "a", CIDR: "10.0.0.0/24"}, `Invalid id: "subnet_1" (expecting "subnet-...")`, "SubnetId"},
		{"bad char", Subnet{ID: "subnet-a.b", AvailabilityZone: "a", CIDR: "10.0.0.0/24"}, `Invalid id: "subnet-a.b"`, "SubnetId"},
		{"wrong kind", Subnet{ID: "sg-12345678", AvailabilityZone: "a", CIDR: "10.0.0.0/24"}, `Invalid id: "sg-12345678" (expecting "subnet-...")`, "SubnetId"},
		{"empty zone", Subnet{ID: "subnet-1", CIDR: "10.0.0.0/24"}, "Value () for parameter availabilityZone is invalid.", "AvailabilityZone"},
		{"bad vpc", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/24", VpcID: "default"}, `Invalid id: "default" (expecting "vpc-...")`, "VpcId"},
		{"prefix /33", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/33"}, "The CIDR '10.0.0.0/33' is invalid.", "CidrBlock"},
		{"too big /15", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/15"}, "The CIDR '10.0.0.0/15' is invalid.", "CidrBlock"},
		{"too small /29", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/29"}, "The CIDR '10.0.0.0/29' is invalid.", "CidrBlock"},
		{"host bits set", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.5/24"}, "The CIDR '10.0.0.5/24' is invalid.", "CidrBlock"},
		{"no prefix length", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0"}, "The CIDR '10.0.0.0' is invalid.", "CidrBlock"},
		{"empty CIDR", Subnet{ID: "subnet-1", AvailabilityZone: "a"}, "The CIDR '' is invalid.", "CidrBlock"},
		{"IPv6", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "2001:db8::/64"}, "The CIDR '2001:db8::/64' is invalid.", "CidrBlock"},
		{"IPv4-mapped IPv6", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "::ffff:10.0.0.0/120"}, "is invalid.", "CidrBlock"},
		{"garbage", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "ten/8"}, "The CIDR 'ten/8' is invalid.", "CidrBlock"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := New()
			err := n.AddSubnet(tc.s)
			if tc.wantErr == "" {
				require.NoError(t, err)
				got, ok := n.Subnet(tc.s.ID)
				require.True(t, ok)
				require.Equal(t, tc.s.CIDR, got.CIDR)
				return
			}
			var ae *api.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, api.CodeValidationException, ae.Code)
			require.Contains(t, ae.Message, tc.wantErr)
			require.Equal(t, tc.path, ae.Path)
			require.Empty(t, n.Subnets(), "a rejected subnet changes nothing")
			require.Empty(t, n.AvailabilityZones())
		})
	}
}

func TestAddSubnetConflicts(t *testing.T) {
	base := []Subnet{
		{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/24"},
		{ID: "subnet-2", AvailabilityZone: "b", CIDR: "10.0.4.0/22", VpcID: "vpc-2"},
	}
	tests := []struct {
		name    string
		s       Subnet
		wantErr string
	}{
		{"duplicate id", Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.1.0.0/24"}, "The subnet ID 'subnet-1' already exists."},
		{"same CIDR", Subnet{ID: "subnet-3", AvailabilityZone: "a", CIDR: "10.0.0.0/24"}, "The CIDR '10.0.0.0/24' conflicts with another subnet"},
		{"inside", Subnet{ID: "subnet-3", AvailabilityZone: "a", CIDR: "10.0.0.128/25"}, "The CIDR '10.0.0.128/25' conflicts with another subnet"},
		{"around", Subnet{ID: "subnet-3", AvailabilityZone: "a", CIDR: "10.0.0.0/16"}, "The CIDR '10.0.0.0/16' conflicts with another subnet"},
		{"explicit default vpc", Subnet{ID: "subnet-3", AvailabilityZone: "a", CIDR: "10.0.0.0/28", VpcID: DefaultVpcID}, "The CIDR '10.0.0.0/28' conflicts with another subnet"},
		{"other vpc", Subnet{ID: "subnet-3", AvailabilityZone: "c", CIDR: "10.0.5.0/24", VpcID: "vpc-2"}, "The CIDR '10.0.5.0/24' conflicts with another subnet"},
		{"adjacent is fine", Subnet{ID: "subnet-3", AvailabilityZone: "a", CIDR: "10.0.1.0/24"}, ""},
		{"same CIDR in another vpc is fine", Subnet{ID: "subnet-3", AvailabilityZone: "a", CIDR: "10.0.0.0/24", VpcID: "vpc-3"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := New()
			for _, s := range base {
				require.NoError(t, n.AddSubnet(s))
			}
			err := n.AddSubnet(tc.s)
			if tc.wantErr == "" {
				require.NoError(t, err)
				require.Len(t, n.Subnets(), 3)
				return
			}
			require.EqualError(t, err, "ValidationException: "+tc.wantErr)
			require.Len(t, n.Subnets(), 2)
			s1, _ := n.Subnet("subnet-1")
			require.Equal(t, "10.0.0.0/24", s1.CIDR, "the existing subnet is untouched")
		})
	}
}

func TestSubnetsSortedAndCopied(t *testing.T) {
	n := New()
	for _, s := range []Subnet{
		{ID: "subnet-c", AvailabilityZone: "z-b", CIDR: "10.0.2.0/24"},
		{ID: "subnet-a", AvailabilityZone: "z-c", CIDR: "10.0.0.0/24"},
		{ID: "subnet-b", AvailabilityZone: "z-b", CIDR: "10.0.1.0/24"},
		{ID: "subnet-B", AvailabilityZone: "z-a", CIDR: "10.0.3.0/24"},
	} {
		require.NoError(t, n.AddSubnet(s))
	}
	var ids []string
	for _, s := range n.Subnets() {
		ids = append(ids, s.ID)
	}
	require.Equal(t, []string{"subnet-B", "subnet-a", "subnet-b", "subnet-c"}, ids)
	require.Equal(t, []string{"z-a", "z-b", "z-c"}, n.AvailabilityZones())

	// The returned slices and values are the caller's.
	got := n.Subnets()
	got[0].CIDR = "changed"
	zones := n.AvailabilityZones()
	zones[0] = "changed"
	s, _ := n.Subnet("subnet-B")
	require.Equal(t, "10.0.3.0/24", s.CIDR)
	require.Equal(t, "z-a", n.AvailabilityZones()[0])

	_, ok := n.Subnet("subnet-zzz")
	require.False(t, ok)
}

func TestAddSecurityGroup(t *testing.T) {
	tests := []struct {
		name    string
		g       SecurityGroup
		wantErr string
		wantVpc string
	}{
		{"hex id", SecurityGroup{ID: "sg-0123456789abcdef0", Name: "web"}, "", DefaultVpcID},
		{"documentation id", SecurityGroup{ID: "sg-EXAMPLE"}, "", DefaultVpcID},
		{"explicit vpc", SecurityGroup{ID: "sg-1", VpcID: "vpc-2"}, "", "vpc-2"},
		{"empty id", SecurityGroup{Name: "web"}, `Invalid id: "" (expecting "sg-...")`, ""},
		{"name as id", SecurityGroup{ID: "web"}, `Invalid id: "web" (expecting "sg-...")`, ""},
		{"bare prefix", SecurityGroup{ID: "sg-"}, `Invalid id: "sg-" (expecting "sg-...")`, ""},
		{"too long", SecurityGroup{ID: "sg-" + strings.Repeat("0", 65)}, `(expecting "sg-...")`, ""},
		{"bad vpc", SecurityGroup{ID: "sg-1", VpcID: "vpc_2"}, `Invalid id: "vpc_2" (expecting "vpc-...")`, ""},
		{"duplicate", SecurityGroup{ID: "sg-00000001", Name: "other"}, "The security group ID 'sg-00000001' already exists.", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := Default("us-west-2")
			err := n.AddSecurityGroup(tc.g)
			if tc.wantErr != "" {
				var ae *api.Error
				require.ErrorAs(t, err, &ae)
				require.Equal(t, api.CodeValidationException, ae.Code)
				require.Contains(t, ae.Message, tc.wantErr)
				g, _ := n.SecurityGroup("sg-00000001")
				require.Equal(t, "default", g.Name, "the existing group is untouched")
				return
			}
			require.NoError(t, err)
			g, ok := n.SecurityGroup(tc.g.ID)
			require.True(t, ok)
			require.Equal(t, tc.g.Name, g.Name)
			require.Equal(t, tc.wantVpc, g.VpcID)
		})
	}
	_, ok := New().SecurityGroup("sg-00000001")
	require.False(t, ok)
}

func TestZoneDown(t *testing.T) {
	n := Default("eu-west-1")
	require.False(t, n.ZoneDown("eu-west-1a"))
	n.SetZoneDown("eu-west-1a", true)
	n.SetZoneDown("eu-west-1a", true) // idempotent
	n.SetZoneDown("nowhere-1z", true) // a zone with no subnet yet
	require.True(t, n.ZoneDown("eu-west-1a"))
	require.False(t, n.ZoneDown("eu-west-1b"))
	require.True(t, n.ZoneDown("nowhere-1z"))
	require.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, n.AvailabilityZones(), "down zones are still listed")
	n.SetZoneDown("eu-west-1a", false)
	require.False(t, n.ZoneDown("eu-west-1a"))
	n.SetZoneDown("never-down", false)
	require.False(t, n.ZoneDown("never-down"))
}

func TestAllocateIP(t *testing.T) {
	tests := []struct {
		cidr   string
		usable int
		first  string
		last   string
	}{
		{"10.0.0.0/28", 11, "10.0.0.4", "10.0.0.14"},
		{"10.0.0.32/27", 27, "10.0.0.36", "10.0.0.62"},
		{"10.0.1.0/26", 59, "10.0.1.4", "10.0.1.62"},
		{"192.168.0.0/24", 251, "192.168.0.4", "192.168.0.254"},
		{"172.31.16.0/20", 4091, "172.31.16.4", "172.31.31.254"},
		{"10.1.0.0/16", 65531, "10.1.0.4", "10.1.255.254"},
	}
	for _, tc := range tests {
		t.Run(tc.cidr, func(t *testing.T) {
			n := New()
			require.NoError(t, n.AddSubnet(Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: tc.cidr}))
			require.Equal(t, tc.usable, n.FreeIPs("subnet-1"))
			prefix := netip.MustParsePrefix(tc.cidr)
			seen := make(map[netip.Addr]bool)
			var prev netip.Addr
			for i := 0; i < tc.usable; i++ {
				a, err := n.AllocateIP("subnet-1")
				require.NoError(t, err)
				require.True(t, prefix.Contains(a))
				require.False(t, seen[a])
				if i == 0 {
					require.Equal(t, tc.first, a.String())
				} else {
					require.Equal(t, prev.Next(), a, "sequential")
				}
				seen[a] = true
				prev = a
			}
			require.Equal(t, tc.last, prev.String())
			require.Zero(t, n.FreeIPs("subnet-1"))

			_, err := n.AllocateIP("subnet-1")
			require.ErrorIs(t, err, ErrNoFreeAddress)
			require.Contains(t, err.Error(), "subnet-1")
			_, err = n.AllocateIP("subnet-1")
			require.ErrorIs(t, err, ErrNoFreeAddress, "still full")

			// Freeing one makes exactly that one available again.
			mid := netip.MustParseAddr(tc.first).Next().Next()
			n.ReleaseIP("subnet-1", mid)
			require.Equal(t, 1, n.FreeIPs("subnet-1"))
			a, err := n.AllocateIP("subnet-1")
			require.NoError(t, err)
			require.Equal(t, mid, a)
		})
	}
}

func TestAllocateLowestFree(t *testing.T) {
	n := New()
	require.NoError(t, n.AddSubnet(Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/22"}))
	var addrs []netip.Addr
	for i := 0; i < 300; i++ {
		a, err := n.AllocateIP("subnet-1")
		require.NoError(t, err)
		addrs = append(addrs, a)
	}
	// Free a high one, then a low one, then one in between: the lowest
	// always comes back first, across word boundaries.
	for _, i := range []int{250, 3, 100} {
		n.ReleaseIP("subnet-1", addrs[i])
	}
	for _, i := range []int{3, 100, 250, 300} {
		a, err := n.AllocateIP("subnet-1")
		require.NoError(t, err)
		if i < len(addrs) {
			require.Equal(t, addrs[i], a)
		} else {
			require.Equal(t, addrs[len(addrs)-1].Next(), a)
		}
	}
}

func TestReleaseIPNoOps(t *testing.T) {
	n := New()
	require.NoError(t, n.AddSubnet(Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/24"}))
	require.NoError(t, n.AddSubnet(Subnet{ID: "subnet-2", AvailabilityZone: "a", CIDR: "10.0.1.0/24"}))
	a, err := n.AllocateIP("subnet-1")
	require.NoError(t, err)
	require.Equal(t, "10.0.0.4", a.String())

	tests := []struct {
		name   string
		subnet string
		addr   netip.Addr
	}{
		{"never allocated", "subnet-1", netip.MustParseAddr("10.0.0.9")},
		{"network address", "subnet-1", netip.MustParseAddr("10.0.0.0")},
		{"router", "subnet-1", netip.MustParseAddr("10.0.0.1")},
		{"dns", "subnet-1", netip.MustParseAddr("10.0.0.2")},
		{"reserved", "subnet-1", netip.MustParseAddr("10.0.0.3")},
		{"broadcast", "subnet-1", netip.MustParseAddr("10.0.0.255")},
		{"outside below", "subnet-1", netip.MustParseAddr("9.255.255.255")},
		{"outside above", "subnet-1", netip.MustParseAddr("10.0.1.4")},
		{"other subnet's address", "subnet-2", a},
		{"unknown subnet", "subnet-9", a},
		{"zero addr", "subnet-1", netip.Addr{}},
		{"IPv6", "subnet-1", netip.MustParseAddr("2001:db8::4")},
		{"IPv4-mapped", "subnet-1", netip.MustParseAddr("::ffff:10.0.0.4")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n.ReleaseIP(tc.subnet, tc.addr)
			require.Equal(t, 250, n.FreeIPs("subnet-1"))
			require.Equal(t, 251, n.FreeIPs("subnet-2"))
			next, err := n.AllocateIP("subnet-1")
			require.NoError(t, err)
			require.Equal(t, "10.0.0.5", next.String(), "nothing below was freed")
			n.ReleaseIP("subnet-1", next)
		})
	}

	// Releasing twice frees once.
	n.ReleaseIP("subnet-1", a)
	n.ReleaseIP("subnet-1", a)
	require.Equal(t, 251, n.FreeIPs("subnet-1"))
}

func TestAllocateUnknownSubnet(t *testing.T) {
	n := Default("us-east-1")
	_, err := n.AllocateIP("subnet-nope")
	var ae *api.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "The subnet ID 'subnet-nope' does not exist", ae.Message)
	require.False(t, errors.Is(err, ErrNoFreeAddress))
	require.Zero(t, n.FreeIPs("subnet-nope"))
}

func TestSubnetsAreIndependent(t *testing.T) {
	n := Default("us-east-1")
	a1, err := n.AllocateIP("subnet-aaaa0001")
	require.NoError(t, err)
	b1, err := n.AllocateIP("subnet-bbbb0002")
	require.NoError(t, err)
	a2, err := n.AllocateIP("subnet-aaaa0001")
	require.NoError(t, err)
	require.Equal(t, "172.31.0.4", a1.String())
	require.Equal(t, "172.31.16.4", b1.String())
	require.Equal(t, "172.31.0.5", a2.String())
	require.Equal(t, 4089, n.FreeIPs("subnet-aaaa0001"))
	require.Equal(t, 4090, n.FreeIPs("subnet-bbbb0002"))
	require.Equal(t, 4091, n.FreeIPs("subnet-cccc0003"))
}
