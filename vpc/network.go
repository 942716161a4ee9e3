package vpc

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/ecssim/ecssim/api"
)

// DefaultVpcID is the VPC that subnets and security groups belong to when
// they name none, and the id of the VPC that [Default] builds.
const DefaultVpcID = "vpc-00000001"

// Subnet limits from EC2: an IPv4 subnet is between a /16 (65,536
// addresses) and a /28 (16 addresses).
const (
	minSubnetBits = 16
	maxSubnetBits = 28
)

// maxIDSuffix is the longest suffix accepted after "subnet-", "sg-" or
// "vpc-". Real ids have 8 or 17 hex digits; documentation uses names such
// as "subnet-EXAMPLE", so any letters, digits and dashes up to this length
// are accepted.
const maxIDSuffix = 64

// Subnet is a subnet of a VPC, as the EC2 API describes one. It is a plain
// value: copying it is free and changing a copy changes nothing.
type Subnet struct {
	// ID is the subnet id, e.g. "subnet-aaaa0001".
	ID string
	// AvailabilityZone is the zone the subnet lives in, e.g. "us-east-1a".
	AvailabilityZone string
	// CIDR is the subnet's IPv4 block in canonical form, e.g.
	// "172.31.0.0/20".
	CIDR string
	// VpcID is the VPC the subnet belongs to; [Network.AddSubnet] fills
	// [DefaultVpcID] when it is empty.
	VpcID string
}

// SecurityGroup is a security group, by id and name. ecssim records security
// groups so that task network configurations can be validated; it does not
// model their rules.
type SecurityGroup struct {
	// ID is the group id, e.g. "sg-00000001".
	ID string
	// Name is the group name, e.g. "default".
	Name string
	// VpcID is the VPC the group belongs to; [Network.AddSecurityGroup]
	// fills [DefaultVpcID] when it is empty.
	VpcID string
}

// ErrNoFreeAddress is wrapped by the error that [Network.AllocateIP]
// returns when every usable address of the subnet is taken: the case EC2
// reports as InsufficientFreeAddressesInSubnet ("The specified subnet does
// not have enough free addresses to satisfy the request.").
var ErrNoFreeAddress = errors.New("insufficient free addresses in subnet")

// Network is a set of subnets and security groups, the addresses taken in
// each subnet, and the availability zones that are down. The zero value is
// not usable; call [New] or [Default].
type Network struct {
	subnets map[string]*subnet
	ids     []string // subnet ids, sorted
	zones   []string // distinct availability zones of the subnets, sorted
	groups  map[string]SecurityGroup
	down    map[string]bool
}

// subnet is a Subnet with its parsed prefix and its address pool.
type subnet struct {
	Subnet
	prefix netip.Prefix
	pool   pool
}

// New returns an empty Network: no subnets, no security groups, every zone
// up.
func New() *Network {
	return &Network{
		subnets: make(map[string]*subnet),
		groups:  make(map[string]SecurityGroup),
		down:    make(map[string]bool),
	}
}

// Default returns a Network shaped like an AWS account's default VPC in
// region: VPC [DefaultVpcID] (172.31.0.0/16) with one /20 subnet in each of
// the zones <region>a, <region>b and <region>c, and the security group
// "sg-00000001" named "default".
//
//	subnet-aaaa0001  <region>a  172.31.0.0/20
//	subnet-bbbb0002  <region>b  172.31.16.0/20
//	subnet-cccc0003  <region>c  172.31.32.0/20
func Default(region string) *Network {
	n := New()
	for _, s := range []Subnet{
		{ID: "subnet-aaaa0001", AvailabilityZone: region + "a", CIDR: "172.31.0.0/20"},
		{ID: "subnet-bbbb0002", AvailabilityZone: region + "b", CIDR: "172.31.16.0/20"},
		{ID: "subnet-cccc0003", AvailabilityZone: region + "c", CIDR: "172.31.32.0/20"},
	} {
		must(n.AddSubnet(s))
	}
	must(n.AddSecurityGroup(SecurityGroup{ID: "sg-00000001", Name: "default"}))
	return n
}

// must panics on err. It is only used on the constant input of Default,
// which cannot fail whatever the region is; TestDefault covers it.
func must(err error) {
	if err != nil {
		panic("vpc: " + err.Error())
	}
}

// AddSubnet adds s to the network. It returns an [*api.Error] and changes
// nothing when:
//   - the id is not "subnet-" followed by 1 to 64 letters, digits or
//     dashes (EC2 ids are 8 or 17 hex digits; documentation examples such as
//     "subnet-EXAMPLE" are accepted too);
//   - the availability zone is empty (any other name is accepted);
//   - the CIDR is not a canonical IPv4 prefix between /16 and /28;
//   - VpcID, when given, is not "vpc-" followed by 1 to 64 letters, digits
//     or dashes;
//   - a subnet with the same id exists;
//   - the CIDR overlaps another subnet of the same VPC.
//
// An empty VpcID means [DefaultVpcID]. The CIDR is stored in canonical form.
func (n *Network) AddSubnet(s Subnet) error {
	if !validID(s.ID, "subnet-") {
		// EC2: InvalidSubnetID.Malformed.
		return api.Validation("Invalid id: %q (expecting \"subnet-...\")", s.ID).At("SubnetId")
	}
	if s.AvailabilityZone == "" {
		// EC2: InvalidParameterValue.
		return api.Validation("Value () for parameter availabilityZone is invalid. The availability zone of subnet '%s' must not be empty.", s.ID).At("AvailabilityZone")
	}
	if s.VpcID == "" {
		s.VpcID = DefaultVpcID
	} else if !validID(s.VpcID, "vpc-") {
		// EC2: InvalidVpcID.Malformed.
		return api.Validation("Invalid id: %q (expecting \"vpc-...\")", s.VpcID).At("VpcId")
	}
	p, ok := parseSubnetCIDR(s.CIDR)
	if !ok {
		// EC2: InvalidSubnet.Range.
		return api.Validation("The CIDR '%s' is invalid.", s.CIDR).At("CidrBlock")
	}
	if _, dup := n.subnets[s.ID]; dup {
		// EC2 chooses subnet ids itself, so it has no message for this.
		return api.Validation("The subnet ID '%s' already exists.", s.ID).At("SubnetId")
	}
	for _, id := range n.ids {
		o := n.subnets[id]
		if o.VpcID == s.VpcID && o.prefix.Overlaps(p) {
			// EC2: InvalidSubnet.Conflict.
			return api.Validation("The CIDR '%s' conflicts with another subnet", s.CIDR).At("CidrBlock")
		}
	}
	s.CIDR = p.String()
	n.subnets[s.ID] = &subnet{Subnet: s, prefix: p, pool: newPool(p)}
	n.ids = insertSorted(n.ids, s.ID)
	n.zones = insertSorted(n.zones, s.AvailabilityZone)
	return nil
}

// parseSubnetCIDR parses an IPv4 prefix that EC2 would accept for a subnet:
// canonical (no host bits set), between /16 and /28.
func parseSubnetCIDR(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Bits() < minSubnetBits || p.Bits() > maxSubnetBits || p.Masked() != p {
		return netip.Prefix{}, false
	}
	return p, true
}

// AddSecurityGroup adds g to the network. It returns an [*api.Error] and
// changes nothing when the id is not "sg-" followed by 1 to 64 letters,
// digits or dashes, when VpcID is given and malformed, or when a group
// with the same id exists. An empty VpcID means [DefaultVpcID].
func (n *Network) AddSecurityGroup(g SecurityGroup) error {
	if !validID(g.ID, "sg-") {
		// EC2: InvalidGroupId.Malformed.
		return api.Validation("Invalid id: %q (expecting \"sg-...\")", g.ID).At("GroupId")
	}
	if g.VpcID == "" {
		g.VpcID = DefaultVpcID
	} else if !validID(g.VpcID, "vpc-") {
		return api.Validation("Invalid id: %q (expecting \"vpc-...\")", g.VpcID).At("VpcId")
	}
	if _, dup := n.groups[g.ID]; dup {
		return api.Validation("The security group ID '%s' already exists.", g.ID).At("GroupId")
	}
	n.groups[g.ID] = g
	return nil
}

// Subnet returns the subnet with the given id, and whether it exists.
func (n *Network) Subnet(id string) (Subnet, bool) {
	s, ok := n.subnets[id]
	if !ok {
		return Subnet{}, false
	}
	return s.Subnet, true
}

// SecurityGroup returns the security group with the given id, and whether
// it exists.
func (n *Network) SecurityGroup(id string) (SecurityGroup, bool) {
	g, ok := n.groups[id]
	return g, ok
}

// groupIDs returns the security group ids, sorted.
func (n *Network) groupIDs() []string {
	ids := make([]string, 0, len(n.groups))
	for id := range n.groups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Subnets returns every subnet, sorted by id. The slice is the caller's.
func (n *Network) Subnets() []Subnet {
	out := make([]Subnet, len(n.ids))
	for i, id := range n.ids {
		out[i] = n.subnets[id].Subnet
	}
	return out
}

// AvailabilityZones returns the distinct zones of the subnets, sorted,
// whether up or down. The slice is the caller's.
func (n *Network) AvailabilityZones() []string {
	return slices.Clone(n.zones)
}

// AllocateIP takes the lowest free usable address of the subnet and returns
// it. It returns an [*api.Error] when the subnet does not exist, and an
// error wrapping [ErrNoFreeAddress] when every usable address is taken.
// The zone being down does not stop allocation; that is the caller's rule.
func (n *Network) AllocateIP(subnetID string) (netip.Addr, error) {
	s, ok := n.subnets[subnetID]
	if !ok {
		// EC2: InvalidSubnetID.NotFound.
		return netip.Addr{}, api.Validation("The subnet ID '%s' does not exist", subnetID).At("SubnetId")
	}
	a, ok := s.pool.allocate()
	if !ok {
		// EC2: InsufficientFreeAddressesInSubnet.
		return netip.Addr{}, fmt.Errorf("subnet %s (%s): %w", s.ID, s.CIDR, ErrNoFreeAddress)
	}
	return a, nil
}

// ReleaseIP returns address a of the subnet to the free pool. Releasing an
// address that is not allocated, is reserved, lies outside the subnet, or
// belongs to a subnet that does not exist does nothing.
func (n *Network) ReleaseIP(subnetID string, a netip.Addr) {
	if s, ok := n.subnets[subnetID]; ok {
		s.pool.release(a)
	}
}

// FreeIPs returns how many usable addresses of the subnet are free: the
// subnet's size, less the five AWS reserves, less those allocated. It
// returns 0 for a subnet that does not exist.
func (n *Network) FreeIPs(subnetID string) int {
	if s, ok := n.subnets[subnetID]; ok {
		return s.pool.free
	}
	return 0
}

// SetZoneDown marks the availability zone az as failed (down true) or
// restored (down false). Any name may be marked, whether or not a subnet
// uses it yet.
func (n *Network) SetZoneDown(az string, down bool) {
	if down {
		n.down[az] = true
	} else {
		delete(n.down, az)
	}
}

// ZoneDown reports whether the availability zone az is marked as failed.
func (n *Network) ZoneDown(az string) bool {
	return n.down[az]
}

// validID reports whether id is prefix followed by 1 to maxIDSuffix ASCII
// letters, digits or dashes.
func validID(id, prefix string) bool {
	if len(id) <= len(prefix) || len(id) > len(prefix)+maxIDSuffix || id[:len(prefix)] != prefix {
		return false
	}
	for i := len(prefix); i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// insertSorted inserts v into the sorted slice s unless it is there.
func insertSorted(s []string, v string) []string {
	i, found := slices.BinarySearch(s, v)
	if found {
		return s
	}
	return slices.Insert(s, i, v)
}
