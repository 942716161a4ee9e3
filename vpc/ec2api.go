package vpc

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/api"
)

// The EC2 describe calls that deploy tools make before they deploy
// ("which subnets does the default VPC have?"), answered from the Network.
// Input and output structs carry EC2's member names as JSON tags (the
// document `aws ec2 describe-subnets --cli-input-json` takes), the EC2
// query parameter names as `query` tags where they differ, and EC2's XML
// element names as `xml` tags where they are not the member name in
// lower camel case. [API:ec2/2016-11-15]

// Filter is an EC2 filter: an item matches when its attribute Name has one
// of Values; values may use the wildcards * and ?. [API:ec2/Filter]
type Filter struct {
	Name   *string  `json:"Name,omitempty"`
	Values []string `json:"Values,omitempty" query:"Value"`
}

// Tag is an EC2 tag. Nothing in the simulated network is tagged; the type
// gives tagSet its shape.
type Tag struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// DescribeSubnetsInput is [API:ec2/DescribeSubnetsRequest].
type DescribeSubnetsInput struct {
	Filters    []Filter `json:"Filters,omitempty" query:"Filter"`
	SubnetIds  []string `json:"SubnetIds,omitempty" query:"SubnetId"`
	NextToken  *string  `json:"NextToken,omitempty"`
	MaxResults *int32   `json:"MaxResults,omitempty"`
	DryRun     *bool    `json:"DryRun,omitempty"`
}

// EC2Subnet is a subnet as EC2 describes it. [API:ec2/Subnet]
type EC2Subnet struct {
	SubnetId                *string `json:"SubnetId,omitempty"`
	SubnetArn               *string `json:"SubnetArn,omitempty"`
	State                   *string `json:"State,omitempty"`
	VpcId                   *string `json:"VpcId,omitempty"`
	CidrBlock               *string `json:"CidrBlock,omitempty"`
	AvailableIpAddressCount *int32  `json:"AvailableIpAddressCount,omitempty"`
	AvailabilityZone        *string `json:"AvailabilityZone,omitempty"`
	AvailabilityZoneId      *string `json:"AvailabilityZoneId,omitempty"`
	DefaultForAz            *bool   `json:"DefaultForAz,omitempty"`
	MapPublicIpOnLaunch     *bool   `json:"MapPublicIpOnLaunch,omitempty"`
	OwnerId                 *string `json:"OwnerId,omitempty"`
	Tags                    []Tag   `json:"Tags,omitempty" xml:"tagSet"`
}

// DescribeSubnetsOutput is [API:ec2/DescribeSubnetsResult].
type DescribeSubnetsOutput struct {
	Subnets   []EC2Subnet `json:"Subnets" xml:"subnetSet"`
	NextToken *string     `json:"NextToken,omitempty"`
}

// DescribeVpcsInput is [API:ec2/DescribeVpcsRequest].
type DescribeVpcsInput struct {
	Filters    []Filter `json:"Filters,omitempty" query:"Filter"`
	VpcIds     []string `json:"VpcIds,omitempty" query:"VpcId"`
	NextToken  *string  `json:"NextToken,omitempty"`
	MaxResults *int32   `json:"MaxResults,omitempty"`
	DryRun     *bool    `json:"DryRun,omitempty"`
}

// CidrBlockState is [API:ec2/VpcCidrBlockState].
type CidrBlockState struct {
	State *string `json:"State,omitempty"`
}

// CidrBlockAssociation is [API:ec2/VpcCidrBlockAssociation].
type CidrBlockAssociation struct {
	AssociationId  *string         `json:"AssociationId,omitempty"`
	CidrBlock      *string         `json:"CidrBlock,omitempty"`
	CidrBlockState *CidrBlockState `json:"CidrBlockState,omitempty"`
}

// EC2Vpc is a VPC as EC2 describes it. [API:ec2/Vpc]
type EC2Vpc struct {
	VpcId                   *string                `json:"VpcId,omitempty"`
	State                   *string                `json:"State,omitempty"`
	CidrBlock               *string                `json:"CidrBlock,omitempty"`
	DhcpOptionsId           *string                `json:"DhcpOptionsId,omitempty"`
	InstanceTenancy         *string                `json:"InstanceTenancy,omitempty"`
	IsDefault               *bool                  `json:"IsDefault,omitempty"`
	OwnerId                 *string                `json:"OwnerId,omitempty"`
	CidrBlockAssociationSet []CidrBlockAssociation `json:"CidrBlockAssociationSet,omitempty"`
	Tags                    []Tag                  `json:"Tags,omitempty" xml:"tagSet"`
}

// DescribeVpcsOutput is [API:ec2/DescribeVpcsResult].
type DescribeVpcsOutput struct {
	Vpcs      []EC2Vpc `json:"Vpcs" xml:"vpcSet"`
	NextToken *string  `json:"NextToken,omitempty"`
}

// DescribeSecurityGroupsInput is [API:ec2/DescribeSecurityGroupsRequest].
type DescribeSecurityGroupsInput struct {
	Filters    []Filter `json:"Filters,omitempty" query:"Filter"`
	GroupIds   []string `json:"GroupIds,omitempty" query:"GroupId"`
	GroupNames []string `json:"GroupNames,omitempty" query:"GroupName"`
	NextToken  *string  `json:"NextToken,omitempty"`
	MaxResults *int32   `json:"MaxResults,omitempty"`
	DryRun     *bool    `json:"DryRun,omitempty"`
}

// IPRange is [API:ec2/IpRange].
type IPRange struct {
	CidrIp *string `json:"CidrIp,omitempty"`
}

// IPPermission is [API:ec2/IpPermission], as far as a default rule needs.
type IPPermission struct {
	IpProtocol *string   `json:"IpProtocol,omitempty"`
	IpRanges   []IPRange `json:"IpRanges,omitempty" xml:"ipRanges"`
}

// EC2SecurityGroup is a security group as EC2 describes it.
// [API:ec2/SecurityGroup]
type EC2SecurityGroup struct {
	GroupId             *string        `json:"GroupId,omitempty"`
	GroupName           *string        `json:"GroupName,omitempty"`
	Description         *string        `json:"Description,omitempty" xml:"groupDescription"`
	VpcId               *string        `json:"VpcId,omitempty"`
	OwnerId             *string        `json:"OwnerId,omitempty"`
	SecurityGroupArn    *string        `json:"SecurityGroupArn,omitempty"`
	IpPermissions       []IPPermission `json:"IpPermissions"`
	IpPermissionsEgress []IPPermission `json:"IpPermissionsEgress"`
	Tags                []Tag          `json:"Tags,omitempty" xml:"tagSet"`
}

// DescribeSecurityGroupsOutput is [API:ec2/DescribeSecurityGroupsResult].
type DescribeSecurityGroupsOutput struct {
	SecurityGroups []EC2SecurityGroup `json:"SecurityGroups" xml:"securityGroupInfo"`
	NextToken      *string            `json:"NextToken,omitempty"`
}

// DescribeAvailabilityZonesInput is
// [API:ec2/DescribeAvailabilityZonesRequest].
type DescribeAvailabilityZonesInput struct {
	Filters              []Filter `json:"Filters,omitempty" query:"Filter"`
	ZoneNames            []string `json:"ZoneNames,omitempty" query:"ZoneName"`
	ZoneIds              []string `json:"ZoneIds,omitempty" query:"ZoneId"`
	AllAvailabilityZones *bool    `json:"AllAvailabilityZones,omitempty"`
	DryRun               *bool    `json:"DryRun,omitempty"`
}

// EC2AvailabilityZone is an availability zone as EC2 describes it.
// [API:ec2/AvailabilityZone]
type EC2AvailabilityZone struct {
	ZoneName           *string `json:"ZoneName,omitempty"`
	ZoneId             *string `json:"ZoneId,omitempty"`
	State              *string `json:"State,omitempty" xml:"zoneState"`
	RegionName         *string `json:"RegionName,omitempty"`
	ZoneType           *string `json:"ZoneType,omitempty"`
	OptInStatus        *string `json:"OptInStatus,omitempty"`
	GroupName          *string `json:"GroupName,omitempty"`
	NetworkBorderGroup *string `json:"NetworkBorderGroup,omitempty"`
}

// DescribeAvailabilityZonesOutput is
// [API:ec2/DescribeAvailabilityZonesResult].
type DescribeAvailabilityZonesOutput struct {
	AvailabilityZones []EC2AvailabilityZone `json:"AvailabilityZones" xml:"availabilityZoneInfo"`
}

// EC2 answers the EC2 describe calls for one Network in one account and
// region.
type EC2 struct {
	Net       *Network
	Region    string
	AccountID string
}

// Register adds ec2:DescribeVpcs, ec2:DescribeSubnets,
// ec2:DescribeSecurityGroups and ec2:DescribeAvailabilityZones to t.
func (e EC2) Register(t *api.Table) {
	api.Register(t, "ec2:DescribeVpcs", e.DescribeVpcs)
	api.Register(t, "ec2:DescribeSubnets", e.DescribeSubnets)
	api.Register(t, "ec2:DescribeSecurityGroups", e.DescribeSecurityGroups)
	api.Register(t, "ec2:DescribeAvailabilityZones", e.DescribeAvailabilityZones)
}

// EC2's page bounds for DescribeVpcs, DescribeSubnets and
// DescribeSecurityGroups. [API:ec2/DescribeSubnetsMaxResults]
const (
	minEC2Page = 5
	maxEC2Page = 1000
)

// dryRun is EC2's answer to DryRun=true on a call that would succeed.
// [https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html]
func dryRun(p *bool) error {
	if api.Deref(p) {
		return api.Errorf("DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
	}
	return nil
}

func page[T any](items []T, maxResults *int32, token *string) ([]T, *string, error) {
	if maxResults != nil && (*maxResults < minEC2Page || *maxResults > maxEC2Page) {
		return nil, nil, api.Errorf("InvalidParameterValue",
			"Value ( %d ) for parameter maxResults is invalid. Parameter must be between %d and %d.", *maxResults, minEC2Page, maxEC2Page)
	}
	out, next, err := api.Page(items, maxResults, token, maxEC2Page)
	if err != nil {
		return nil, nil, api.Errorf("InvalidParameterValue", "The token '%.100s' is invalid.", api.Deref(token))
	}
	return out, next, nil
}

// filterSet is a request's filters, checked against the names a call
// knows.
type filterSet []Filter

// check rejects a filter that names no attribute of the call, as EC2 does.
func (fs filterSet) check(known []string) error {
	for _, f := range fs {
		name := api.Deref(f.Name)
		if strings.HasPrefix(name, "tag:") || slices.Contains(known, name) || name == "tag-key" || name == "tag-value" {
			continue
		}
		return api.Errorf("InvalidParameterValue", "The filter '%.100s' is invalid", name)
	}
	return nil
}

// match reports whether an item whose attributes are attr passes every
// filter. Tag filters match nothing: nothing is tagged.
func (fs filterSet) match(attr func(name string) []string) bool {
	for _, f := range fs {
		have := attr(api.Deref(f.Name))
		ok := false
		for _, want := range f.Values {
			for _, h := range have {
				if wildcard(want, h) {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// wildcard matches s against an EC2 filter value, in which * matches any
// run of characters and ? any one.
// [https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-filter.html]
func wildcard(pattern, s string) bool {
	// The classic greedy match: on a mismatch, let the last * take one
	// more character. O(len(pattern)*len(s)) at worst.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// maxFilterValues bounds the values of all filters of one request, so that
// the wildcard matching stays cheap. EC2 documents 200 values per filter
// for some calls; ecssim applies one bound to all of them.
const maxFilterValues = 200

func checkFilterValues(fs []Filter) error {
	n := 0
	for _, f := range fs {
		n += len(f.Values)
	}
	if n > maxFilterValues {
		return api.Errorf("FilterLimitExceeded", "The filters have %d values; at most %d are allowed", n, maxFilterValues)
	}
	return nil
}

func bstr(b bool) string { return strconv.FormatBool(b) }

// zoneDefaults returns, for each zone, its default subnet: in the default
// VPC, the first subnet of the zone by id.
func zoneDefaults(subnets []Subnet) map[string]string {
	defaults := map[string]string{}
	for _, s := range subnets { // sorted by id
		if _, ok := defaults[s.AvailabilityZone]; !ok && s.VpcID == DefaultVpcID {
			defaults[s.AvailabilityZone] = s.ID
		}
	}
	return defaults
}

// DescribeSubnets describes the subnets. Filters: availability-zone,
// availability-zone-id, available-ip-address-count, cidr-block,
// default-for-az, map-public-ip-on-launch, owner-id, state, subnet-arn,
// subnet-id, vpc-id (and EC2's older camel-case aliases).
func (e EC2) DescribeSubnets(in *DescribeSubnetsInput) (*DescribeSubnetsOutput, error) {
	fs := filterSet(in.Filters)
	if err := fs.check([]string{"availability-zone", "availabilityZone", "availability-zone-id", "availabilityZoneId",
		"available-ip-address-count", "availableIpAddressCount", "cidr-block", "cidr", "cidrBlock", "default-for-az",
		"defaultForAz", "map-public-ip-on-launch", "owner-id", "state", "subnet-arn", "subnet-id", "vpc-id"}); err != nil {
		return nil, err
	}
	if err := checkFilterValues(in.Filters); err != nil {
		return nil, err
	}
	for _, id := range in.SubnetIds {
		if _, ok := e.Net.Subnet(id); !ok {
			return nil, api.Errorf("InvalidSubnetID.NotFound", "The subnet ID '%.100s' does not exist", id)
		}
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	var out []EC2Subnet
	subnets := e.Net.Subnets()
	defaults := zoneDefaults(subnets)
	zones := e.Net.AvailabilityZones()
	alias := map[string]string{"availabilityZone": "availability-zone", "availabilityZoneId": "availability-zone-id",
		"availableIpAddressCount": "available-ip-address-count", "cidr": "cidr-block", "cidrBlock": "cidr-block",
		"defaultForAz": "default-for-az"}
	for _, s := range subnets {
		if len(in.SubnetIds) > 0 && !slices.Contains(in.SubnetIds, s.ID) {
			continue
		}
		arn := fmt.Sprintf("arn:aws:ec2:%s:%s:subnet/%s", e.Region, e.AccountID, s.ID)
		def := defaults[s.AvailabilityZone] == s.ID
		free := e.Net.FreeIPs(s.ID)
		zoneID := zoneID(e.Region, zones, s.AvailabilityZone)
		attrs := map[string][]string{
			"availability-zone": {s.AvailabilityZone}, "availability-zone-id": {zoneID},
			"available-ip-address-count": {strconv.Itoa(free)}, "cidr-block": {s.CIDR},
			"default-for-az": {bstr(def)}, "map-public-ip-on-launch": {bstr(def)}, "owner-id": {e.AccountID},
			"state": {"available"}, "subnet-arn": {arn}, "subnet-id": {s.ID}, "vpc-id": {s.VpcID},
		}
		if !fs.match(func(n string) []string {
			if a, ok := alias[n]; ok {
				n = a
			}
			return attrs[n]
		}) {
			continue
		}
		out = append(out, EC2Subnet{
			SubnetId: api.String(s.ID), SubnetArn: api.String(arn), State: api.String("available"),
			VpcId: api.String(s.VpcID), CidrBlock: api.String(s.CIDR), AvailableIpAddressCount: api.Int32(int32(free)),
			AvailabilityZone: api.String(s.AvailabilityZone), AvailabilityZoneId: api.String(zoneID),
			DefaultForAz: api.Bool(def), MapPublicIpOnLaunch: api.Bool(def), OwnerId: api.String(e.AccountID),
		})
	}
	items, next, err := page(out, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &DescribeSubnetsOutput{Subnets: nonNil(items), NextToken: next}, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// vpcIDs returns the ids of the VPCs that subnets or security groups name,
// sorted.
func (e EC2) vpcIDs() []string {
	var ids []string
	for _, s := range e.Net.Subnets() {
		ids = insertSorted(ids, s.VpcID)
	}
	for _, id := range e.Net.groupIDs() {
		g, _ := e.Net.SecurityGroup(id)
		ids = insertSorted(ids, g.VpcID)
	}
	return ids
}

// vpcCIDR returns a VPC's CIDR block. The Network does not record one: the
// default VPC has AWS's 172.31.0.0/16, and any other VPC the smallest block
// of at least a /16 that holds all of its subnets (a VPC is at most a /16).
// [https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html]
func (e EC2) vpcCIDR(id string) string {
	var p netip.Prefix
	for _, s := range e.Net.Subnets() {
		if s.VpcID != id {
			continue
		}
		sp := netip.MustParsePrefix(s.CIDR)
		if !p.IsValid() {
			p = sp
			continue
		}
		for bits := min(p.Bits(), sp.Bits()); bits >= 0; bits-- {
			c := netip.PrefixFrom(p.Addr(), bits).Masked()
			if c.Contains(sp.Addr()) {
				p = c
				break
			}
		}
	}
	if !p.IsValid() {
		if id == DefaultVpcID {
			return "172.31.0.0/16"
		}
		return "10.0.0.0/16"
	}
	if p.Bits() > minSubnetBits {
		p = netip.PrefixFrom(p.Addr(), minSubnetBits).Masked()
	}
	return p.String()
}

// DescribeVpcs describes the VPCs that the subnets and security groups
// belong to. Filters: cidr, cidr-block-association.cidr-block,
// dhcp-options-id, is-default, owner-id, state, vpc-id.
func (e EC2) DescribeVpcs(in *DescribeVpcsInput) (*DescribeVpcsOutput, error) {
	fs := filterSet(in.Filters)
	if err := fs.check([]string{"cidr", "cidr-block-association.cidr-block", "cidr-block-association.state",
		"dhcp-options-id", "is-default", "owner-id", "state", "vpc-id"}); err != nil {
		return nil, err
	}
	if err := checkFilterValues(in.Filters); err != nil {
		return nil, err
	}
	ids := e.vpcIDs()
	for _, id := range in.VpcIds {
		if !slices.Contains(ids, id) {
			return nil, api.Errorf("InvalidVpcID.NotFound", "The vpc ID '%.100s' does not exist", id)
		}
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	var out []EC2Vpc
	for _, id := range ids {
		if len(in.VpcIds) > 0 && !slices.Contains(in.VpcIds, id) {
			continue
		}
		cidr := e.vpcCIDR(id)
		def := id == DefaultVpcID
		attrs := map[string][]string{"cidr": {cidr}, "cidr-block-association.cidr-block": {cidr},
			"cidr-block-association.state": {"associated"}, "dhcp-options-id": {"dopt-00000001"},
			"is-default": {bstr(def)}, "owner-id": {e.AccountID}, "state": {"available"}, "vpc-id": {id}}
		if !fs.match(func(n string) []string { return attrs[n] }) {
			continue
		}
		out = append(out, EC2Vpc{
			VpcId: api.String(id), State: api.String("available"), CidrBlock: api.String(cidr),
			DhcpOptionsId: api.String("dopt-00000001"), InstanceTenancy: api.String("default"),
			IsDefault: api.Bool(def), OwnerId: api.String(e.AccountID),
			CidrBlockAssociationSet: []CidrBlockAssociation{{AssociationId: api.String("vpc-cidr-assoc-" + strings.TrimPrefix(id, "vpc-")),
				CidrBlock: api.String(cidr), CidrBlockState: &CidrBlockState{State: api.String("associated")}}},
		})
	}
	items, next, err := page(out, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &DescribeVpcsOutput{Vpcs: nonNil(items), NextToken: next}, nil
}

// DescribeSecurityGroups describes the security groups. Filters:
// description, group-id, group-name, owner-id, vpc-id.
func (e EC2) DescribeSecurityGroups(in *DescribeSecurityGroupsInput) (*DescribeSecurityGroupsOutput, error) {
	fs := filterSet(in.Filters)
	if err := fs.check([]string{"description", "group-id", "group-name", "owner-id", "vpc-id"}); err != nil {
		return nil, err
	}
	if err := checkFilterValues(in.Filters); err != nil {
		return nil, err
	}
	for _, id := range in.GroupIds {
		if _, ok := e.Net.SecurityGroup(id); !ok {
			return nil, api.Errorf("InvalidGroup.NotFound", "The security group '%.100s' does not exist", id)
		}
	}
	var groups []SecurityGroup
	for _, id := range e.Net.groupIDs() {
		g, _ := e.Net.SecurityGroup(id)
		groups = append(groups, g)
	}
	for _, name := range in.GroupNames {
		if !slices.ContainsFunc(groups, func(g SecurityGroup) bool { return g.Name == name }) {
			return nil, api.Errorf("InvalidGroup.NotFound", "The security group '%.100s' does not exist in default VPC '%s'", name, DefaultVpcID)
		}
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	var out []EC2SecurityGroup
	for _, g := range groups {
		if len(in.GroupIds) > 0 && !slices.Contains(in.GroupIds, g.ID) || len(in.GroupNames) > 0 && !slices.Contains(in.GroupNames, g.Name) {
			continue
		}
		desc := "ecssim security group " + g.Name
		if g.Name == "default" {
			desc = "default VPC security group"
		}
		attrs := map[string][]string{"description": {desc}, "group-id": {g.ID}, "group-name": {g.Name},
			"owner-id": {e.AccountID}, "vpc-id": {g.VpcID}}
		if !fs.match(func(n string) []string { return attrs[n] }) {
			continue
		}
		out = append(out, EC2SecurityGroup{
			GroupId: api.String(g.ID), GroupName: api.String(g.Name), Description: api.String(desc),
			VpcId: api.String(g.VpcID), OwnerId: api.String(e.AccountID),
			SecurityGroupArn: api.String(fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", e.Region, e.AccountID, g.ID)),
			IpPermissions:    []IPPermission{},
			// A new group allows all outbound traffic.
			// [https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html]
			IpPermissionsEgress: []IPPermission{{IpProtocol: api.String("-1"), IpRanges: []IPRange{{CidrIp: api.String("0.0.0.0/0")}}}},
		})
	}
	items, next, err := page(out, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &DescribeSecurityGroupsOutput{SecurityGroups: nonNil(items), NextToken: next}, nil
}

// zoneID returns a zone's id, such as "use1-az1": the region's short form
// and the zone's position among zones, the Network's sorted zones. AWS maps zone names
// to ids per account; any stable mapping will do here.
// [https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html]
func zoneID(region string, zones []string, zone string) string {
	i := slices.Index(zones, zone)
	return regionShort(region) + "-az" + strconv.Itoa(i+1)
}

// regionShort abbreviates a region as zone ids do: "us-east-1" is
// "use1", "ap-northeast-1" "apne1".
func regionShort(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return region
	}
	dirs := map[string]string{"north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
		"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
	var b strings.Builder
	b.WriteString(parts[0])
	for _, p := range parts[1 : len(parts)-1] {
		if d, ok := dirs[p]; ok {
			b.WriteString(d)
		} else if p != "" {
			b.WriteString(p[:1])
		}
	}
	b.WriteString(parts[len(parts)-1])
	return b.String()
}

// DescribeAvailabilityZones describes the zones that the subnets lie in;
// a zone failed with sim:FailAvailabilityZone is "impaired". Filters:
// group-name, network-border-group, opt-in-status, region-name, state,
// zone-id, zone-name, zone-type.
func (e EC2) DescribeAvailabilityZones(in *DescribeAvailabilityZonesInput) (*DescribeAvailabilityZonesOutput, error) {
	fs := filterSet(in.Filters)
	if err := fs.check([]string{"group-name", "network-border-group", "opt-in-status", "region-name", "state",
		"zone-id", "zone-name", "zone-type"}); err != nil {
		return nil, err
	}
	if err := checkFilterValues(in.Filters); err != nil {
		return nil, err
	}
	zones := e.Net.AvailabilityZones()
	for _, z := range in.ZoneNames {
		if !slices.Contains(zones, z) {
			return nil, api.Errorf("InvalidParameterValue", "Invalid availability zone: [%.100s]", z)
		}
	}
	ids := make([]string, len(zones))
	for i, z := range zones {
		ids[i] = zoneID(e.Region, zones, z)
	}
	for _, id := range in.ZoneIds {
		if !slices.Contains(ids, id) {
			return nil, api.Errorf("InvalidParameterValue", "Invalid availability zone ID: [%.100s]", id)
		}
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	out := []EC2AvailabilityZone{}
	for i, z := range zones {
		if len(in.ZoneNames) > 0 && !slices.Contains(in.ZoneNames, z) || len(in.ZoneIds) > 0 && !slices.Contains(in.ZoneIds, ids[i]) {
			continue
		}
		state := "available"
		if e.Net.ZoneDown(z) {
			state = "impaired"
		}
		attrs := map[string][]string{"group-name": {e.Region}, "network-border-group": {e.Region},
			"opt-in-status": {"opt-in-not-required"}, "region-name": {e.Region}, "state": {state},
			"zone-id": {ids[i]}, "zone-name": {z}, "zone-type": {"availability-zone"}}
		if !fs.match(func(n string) []string { return attrs[n] }) {
			continue
		}
		out = append(out, EC2AvailabilityZone{
			ZoneName: api.String(z), ZoneId: api.String(ids[i]), State: api.String(state),
			RegionName: api.String(e.Region), ZoneType: api.String("availability-zone"),
			OptInStatus: api.String("opt-in-not-required"), GroupName: api.String(e.Region),
			NetworkBorderGroup: api.String(e.Region),
		})
	}
	return &DescribeAvailabilityZonesOutput{AvailabilityZones: out}, nil
}
