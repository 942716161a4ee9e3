package elb

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Load balancer types, schemes and states. [ELBAPI enum LoadBalancerTypeEnum]
// [ELBAPI enum LoadBalancerSchemeEnum] [ELBAPI enum LoadBalancerStateEnum]
const (
	TypeApplication = "application"
	TypeNetwork     = "network"
	TypeGateway     = "gateway"

	SchemeInternetFacing = "internet-facing"
	SchemeInternal       = "internal"

	StateProvisioning = "provisioning"
	StateActive       = "active"
)

type loadBalancer struct {
	arn, name, id  string
	dim            string // CloudWatch dimension value; see dimension
	typ, scheme    string
	ipType         string
	dns, zoneID    string
	vpc            string
	zones          []AvailabilityZone // sorted by zone
	securityGroups []string
	state          string
	created        sim.Time
	tags           tagSet
	timer          sim.Timer
	listeners      []*listener
	// routesTo are the groups its listeners and rules forward to, in
	// creation order: the routing index (routing.go).
	routesTo []*targetGroup
}

// kind is the ARN's type segment: "app" or "net" (or "gwy").
func (lb *loadBalancer) kind() string {
	switch lb.typ {
	case TypeNetwork:
		return "net"
	case TypeGateway:
		return "gwy"
	}
	return "app"
}

func (lb *loadBalancer) shape() LoadBalancer {
	out := LoadBalancer{
		LoadBalancerArn: lb.arn, DNSName: lb.dns, CanonicalHostedZoneId: lb.zoneID,
		CreatedTime: api.NewTimestamp(lb.created.Time()), LoadBalancerName: lb.name, Scheme: lb.scheme,
		VpcId: lb.vpc, State: LoadBalancerState{Code: lb.state}, Type: lb.typ,
		AvailabilityZones: slices.Clone(lb.zones), IpAddressType: lb.ipType,
	}
	if lb.typ != TypeGateway {
		out.SecurityGroups = slices.Clone(lb.securityGroups)
		if out.SecurityGroups == nil && lb.typ == TypeApplication {
			out.SecurityGroups = []string{}
		}
	}
	return out
}

// hostedZones are the canonical hosted zone IDs of load balancers, by
// region, for application and network load balancers.
// [https://docs.aws.amazon.com/general/latest/gr/elb.html]
var hostedZones = map[string][2]string{
	"us-east-1":      {"Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"},
	"us-east-2":      {"Z3AADJGX6KTTL2", "ZLMOA37VPKANP"},
	"us-west-1":      {"Z368ELLRRE2KJ0", "Z24FKFUX50B4VW"},
	"us-west-2":      {"Z1H1FL5HABSF5", "Z18D5FSROUN65G"},
	"eu-west-1":      {"Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"},
	"eu-central-1":   {"Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90"},
	"ap-southeast-1": {"Z1LMS91P8CMLE5", "ZKVM4W9LS7TM"},
	"ap-northeast-1": {"Z14GRHDCWA56QT", "Z31USIVHYNEOWT"},
}

// unknownZoneID stands for the hosted zone of regions missing from
// hostedZones (docs/fidelity.md).
const unknownZoneID = "Z0000000000000000000"

// CreateLoadBalancer creates an application or network load balancer in
// the subnets given, one per zone; it starts "provisioning" and becomes
// "active" after Config.ProvisioningTime. Its DNS name has AWS's form:
// "<name>-<digits>.<region>.elb.amazonaws.com" for an application load
// balancer ("internal-" in front when internal) and
// "<name>-<hex>.elb.<region>.amazonaws.com" for a network one.
// [ELBAPI:CreateLoadBalancer] [ELBAPI examples CreateLoadBalancer]
func (m *ELB) CreateLoadBalancer(in *CreateLoadBalancerInput) (*CreateLoadBalancerOutput, error) {
	if in.Name == nil {
		return nil, missing("Name")
	}
	if err := checkEnum("Type", in.Type, TypeApplication, TypeNetwork, TypeGateway); err != nil {
		return nil, err
	}
	if err := checkEnum("Scheme", in.Scheme, SchemeInternetFacing, SchemeInternal); err != nil {
		return nil, err
	}
	if err := checkEnum("IpAddressType", in.IpAddressType, "ipv4", "dualstack", "dualstack-without-public-ipv4"); err != nil {
		return nil, err
	}
	name := *in.Name
	if !nameRE.MatchString(name) {
		return nil, validation("Name", "Load balancer name '%s' cannot be longer than '32' characters, must contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen", name)
	}
	if strings.HasPrefix(name, "internal-") {
		return nil, validation("Name", "Load balancer name '%s' cannot begin with 'internal-'", name)
	}
	typ := api.Deref(in.Type)
	if typ == "" {
		typ = TypeApplication
	}
	if typ == TypeGateway {
		return nil, api.Errorf(CodeOperationNotPermitted, "Gateway Load Balancers are not supported by ecssim")
	}
	scheme := api.Deref(in.Scheme)
	if scheme == "" {
		scheme = SchemeInternetFacing
	}
	ipType := api.Deref(in.IpAddressType)
	if ipType == "" {
		ipType = "ipv4"
	}
	if ipType == "dualstack-without-public-ipv4" && typ != TypeApplication {
		return nil, validation("IpAddressType", "IP address type 'dualstack-without-public-ipv4' is only supported by Application Load Balancers")
	}
	if scheme == SchemeInternal && ipType != "ipv4" {
		return nil, validation("IpAddressType", "Internal load balancers must use the 'ipv4' IP address type")
	}
	for _, lb := range m.lbs {
		if lb.name == name {
			return nil, api.Errorf(CodeDuplicateLoadBalancerName, "A load balancer with the same name '%s' exists, but with different settings", name)
		}
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	zones, vpcID, err := m.placeSubnets(typ, in.Subnets, in.SubnetMappings)
	if err != nil {
		return nil, err
	}
	for _, g := range in.SecurityGroups {
		if _, ok := m.cfg.Network.SecurityGroup(g); !ok {
			return nil, api.Errorf(CodeInvalidSecurityGroup, "Security group '%s' does not exist", g)
		}
	}
	lb := &loadBalancer{name: name, id: m.resourceID(), typ: typ, scheme: scheme, ipType: ipType,
		vpc: vpcID, zones: zones, securityGroups: slices.Clone(in.SecurityGroups), state: StateProvisioning,
		created: m.eng.Now(), tags: tags}
	if typ == TypeApplication && len(lb.securityGroups) == 0 {
		// An application load balancer created without security groups
		// gets the VPC's default group. [ELBAPI:CreateLoadBalancerInput.SecurityGroups]
		if g, ok := m.cfg.Network.SecurityGroup("sg-00000001"); ok {
			lb.securityGroups = []string{g.ID}
		}
	}
	lb.arn = m.arnPrefix() + "loadbalancer/" + lb.kind() + "/" + name + "/" + lb.id
	zoneIDs, ok := hostedZones[m.cfg.Region]
	lb.zoneID = unknownZoneID
	prefix := ""
	if scheme == SchemeInternal {
		prefix = "internal-"
	}
	r := m.eng.Rand("elb/dns")
	if typ == TypeNetwork {
		if ok {
			lb.zoneID = zoneIDs[1]
		}
		lb.dns = fmt.Sprintf("%s%s-%s.elb.%s.amazonaws.com", prefix, name, sim.HexID(r, 16), m.cfg.Region)
	} else {
		if ok {
			lb.zoneID = zoneIDs[0]
		}
		lb.dns = fmt.Sprintf("%s%s-%s.%s.elb.amazonaws.com", prefix, name, sim.Digits(r, 10), m.cfg.Region)
	}
	m.lbs = append(m.lbs, lb)
	m.lbByArn[lb.arn] = lb
	if m.cfg.ProvisioningTime == 0 {
		lb.state = StateActive
	} else {
		lb.timer, _ = m.eng.After(m.cfg.ProvisioningTime, func() error {
			lb.state = StateActive
			m.recordLoadBalancer(lb)
			return nil
		})
	}
	m.recordLoadBalancer(lb)
	return &CreateLoadBalancerOutput{LoadBalancers: []LoadBalancer{lb.shape()}}, nil
}

// placeSubnets turns Subnets or SubnetMappings into the load balancer's
// zones: one subnet per zone, all in one VPC, at least two zones for an
// application load balancer. [ELBAPI:CreateLoadBalancerInput.Subnets]
func (m *ELB) placeSubnets(typ string, subnets []string, mappings []SubnetMapping) ([]AvailabilityZone, string, error) {
	if len(subnets) > 0 && len(mappings) > 0 {
		return nil, "", validation("Subnets", "You can specify subnets or subnet mappings, not both")
	}
	ids := slices.Clone(subnets)
	for _, sm := range mappings {
		if sm.SubnetId == nil {
			return nil, "", missing("SubnetMappings.member.SubnetId")
		}
		ids = append(ids, *sm.SubnetId)
	}
	if len(ids) == 0 {
		return nil, "", validation("Subnets", "At least one subnet must be specified")
	}
	var zones []AvailabilityZone
	vpcID := ""
	for _, id := range ids {
		s, ok := m.cfg.Network.Subnet(id)
		if !ok {
			return nil, "", api.Errorf(CodeSubnetNotFound, "The subnet ID '%s' is not valid", id)
		}
		if vpcID == "" {
			vpcID = s.VpcID
		} else if s.VpcID != vpcID {
			return nil, "", api.Errorf(CodeInvalidSubnet, "Subnets must all belong to the same VPC")
		}
		for _, z := range zones {
			if z.ZoneName == s.AvailabilityZone {
				return nil, "", api.Errorf(CodeInvalidConfigurationRequest, "A load balancer cannot be attached to multiple subnets in the same Availability Zone")
			}
		}
		zones = append(zones, AvailabilityZone{ZoneName: s.AvailabilityZone, SubnetId: s.ID})
	}
	if typ == TypeApplication && len(zones) < 2 {
		return nil, "", api.Errorf(CodeInvalidConfigurationRequest, "At least two subnets in two different Availability Zones must be specified")
	}
	slices.SortFunc(zones, func(a, b AvailabilityZone) int { return strings.Compare(a.ZoneName, b.ZoneName) })
	return zones, vpcID, nil
}

// DescribeLoadBalancers lists load balancers by ARN, by name, or all of
// them, in creation order. Naming one that does not exist is
// LoadBalancerNotFound. [ELBAPI:DescribeLoadBalancers]
func (m *ELB) DescribeLoadBalancers(in *DescribeLoadBalancersInput) (*DescribeLoadBalancersOutput, error) {
	if len(in.LoadBalancerArns) > 0 && len(in.Names) > 0 {
		return nil, validation("Names", "Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	if len(in.LoadBalancerArns) > maxArns {
		return nil, validation("LoadBalancerArns", "A maximum of %d load balancers can be described at once", maxArns)
	}
	var all []LoadBalancer
	switch {
	case len(in.LoadBalancerArns) > 0:
		for _, arn := range in.LoadBalancerArns {
			lb, ok := m.lbByArn[arn]
			if !ok {
				return nil, lbNotFound()
			}
			all = append(all, lb.shape())
		}
	case len(in.Names) > 0:
		for _, name := range in.Names {
			i := slices.IndexFunc(m.lbs, func(lb *loadBalancer) bool { return lb.name == name })
			if i < 0 {
				return nil, api.Errorf(CodeLoadBalancerNotFound, "Load balancers '[%s]' not found", name)
			}
			all = append(all, m.lbs[i].shape())
		}
	default:
		for _, lb := range m.lbs {
			all = append(all, lb.shape())
		}
	}
	items, next, err := page(all, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	return &DescribeLoadBalancersOutput{LoadBalancers: items, NextMarker: next}, nil
}

// DeleteLoadBalancer deletes a load balancer with its listeners and
// rules. Its target groups stay, and their targets become unused unless
// another load balancer uses the group. Deleting a load balancer that is
// already gone succeeds, as in AWS. [ELBAPI:DeleteLoadBalancer]
func (m *ELB) DeleteLoadBalancer(in *DeleteLoadBalancerInput) (*Empty, error) {
	if in.LoadBalancerArn == nil {
		return nil, missing("LoadBalancerArn")
	}
	lb, ok := m.lbByArn[*in.LoadBalancerArn]
	if !ok {
		if !strings.HasPrefix(*in.LoadBalancerArn, "arn:") {
			return nil, validation("LoadBalancerArn", "'%s' is not a valid load balancer ARN", *in.LoadBalancerArn)
		}
		return &Empty{}, nil
	}
	for _, ls := range slices.Clone(lb.listeners) {
		m.removeListener(ls)
	}
	lb.timer.Cancel()
	m.lbs = slices.DeleteFunc(m.lbs, func(x *loadBalancer) bool { return x == lb })
	delete(m.lbByArn, lb.arn)
	m.usageChanged()
	return &Empty{}, nil
}

// LoadBalancerStateChange is the trace detail of a load balancer that was
// created or changed state.
type LoadBalancerStateChange struct {
	LoadBalancerArn string `json:"loadBalancerArn"`
	State           string `json:"state"`
}

func (m *ELB) recordLoadBalancer(lb *loadBalancer) {
	m.eng.Record(sim.Event{Type: EventLoadBalancerStateChange, Source: "ecssim", Resources: []string{lb.arn},
		Detail: &LoadBalancerStateChange{LoadBalancerArn: lb.arn, State: lb.state}})
}
