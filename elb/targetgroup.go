package elb

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Protocols and target types. [ELBAPI enum ProtocolEnum] [ELBAPI enum TargetTypeEnum]
const (
	ProtocolHTTP  = "HTTP"
	ProtocolHTTPS = "HTTPS"
	ProtocolTCP   = "TCP"

	TargetTypeInstance = "instance"
	TargetTypeIP       = "ip"

	// TrafficPort is the health-check port that means "the port the
	// target receives traffic on". [ELBAPI:CreateTargetGroupInput.HealthCheckPort]
	TrafficPort = "traffic-port"
)

var protocols = []string{"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"}

// healthCheck is a target group's health-check configuration, with AWS's
// defaults filled in.
type healthCheck struct {
	enabled           bool
	protocol, port    string
	path              string
	interval, timeout time.Duration
	healthy           int // HealthyThresholdCount
	unhealthy         int // UnhealthyThresholdCount
	matcher           *Matcher
	codes             codeSet
}

type targetGroup struct {
	arn, name, id   string
	protocol        string
	protocolVersion string
	port            int32
	vpc             string
	targetType      string
	ipType          string
	hc              healthCheck
	attrs           attributes
	targets         []*target // registration order
	byKey           map[targetKey]*target
	tags            tagSet
	// routedBy are the listeners that forward to it, in creation order:
	// the routing index (routing.go).
	routedBy  []*listener
	fault     hcFault
	inUse     bool    // a listener or rule forwards here
	order     uint64  // creation order, for ties between groups
	routed    float64 // scratch of traffic: requests per second forwarded here
	routedCPU float64 // and the vCPU seconds per second they cost
	// changes counts what its spread and host counts are computed from:
	// its targets' registration, removal, health state and answers, its
	// health check and attributes (see groupChanged). A group's count
	// moves far less often than the model's, which any group's targets
	// move: the kept spread and host counts hold while it stays.
	changes uint64
	// The last spread, at spreadAt with the group's changes count at
	// spreadChanges: GroupLoads (ECS's CPU) and traffic (the ALB feed)
	// route the same group at the same instant.
	spreadShares   []float64
	spreadFailOpen bool
	spreadTimeless bool // see computeSpread
	spreadOK       bool
	spreadAt       sim.Time
	spreadChanges  uint64
	// The host counts (hostCounts) with the changes count they are for.
	hosts        hostCounts
	hostsOK      bool
	hostsChanges uint64
}

// hostCounts are a group's healthy and unhealthy targets, in all and by
// zone in name order.
type hostCounts struct {
	healthy, unhealthy int
	zones              []ZoneHosts
}

// isHTTP reports whether the group is an Application Load Balancer's
// (HTTP or HTTPS); the others are a Network Load Balancer's.
func (tg *targetGroup) isHTTP() bool {
	return tg.protocol == ProtocolHTTP || tg.protocol == ProtocolHTTPS
}

func (m *ELB) tgShape(tg *targetGroup) TargetGroup {
	out := TargetGroup{
		TargetGroupArn: tg.arn, TargetGroupName: tg.name, Protocol: tg.protocol, Port: tg.port, VpcId: tg.vpc,
		HealthCheckProtocol: tg.hc.protocol, HealthCheckPort: tg.hc.port, HealthCheckEnabled: tg.hc.enabled,
		HealthCheckIntervalSeconds: int32(tg.hc.interval / time.Second), HealthCheckTimeoutSeconds: int32(tg.hc.timeout / time.Second),
		HealthyThresholdCount: int32(tg.hc.healthy), UnhealthyThresholdCount: int32(tg.hc.unhealthy),
		HealthCheckPath: tg.hc.path, LoadBalancerArns: m.lbsOf(tg), TargetType: tg.targetType,
		ProtocolVersion: tg.protocolVersion, IpAddressType: tg.ipType,
	}
	if tg.hc.matcher != nil {
		mt := *tg.hc.matcher
		out.Matcher = &mt
	}
	return out
}

// lbsOf returns the ARNs of the load balancers whose listeners or rules
// forward to tg, in creation order.
func (m *ELB) lbsOf(tg *targetGroup) []string {
	out := []string{}
	for _, lb := range m.lbs {
		if slices.ContainsFunc(lb.listeners, func(ls *listener) bool { return ls.uses(tg) }) {
			out = append(out, lb.arn)
		}
	}
	return out
}

// CreateTargetGroup creates a target group for instance or ip targets.
// Health-check settings left out take AWS's defaults, which depend on the
// protocol: HTTP and HTTPS groups check "/" over HTTP(S) every 30 s with a
// 5 s timeout and expect 200; TCP-family groups open a TCP connection
// every 30 s with a 10 s timeout; both need 5 successes and 2 failures.
// Creating a group again with the same name and settings returns it.
// [ELBAPI:CreateTargetGroupInput] [ALB:target-group-health-checks]
// [ELBAPI examples CreateTargetGroup]
func (m *ELB) CreateTargetGroup(in *CreateTargetGroupInput) (*CreateTargetGroupOutput, error) {
	if in.Name == nil {
		return nil, missing("Name")
	}
	if err := m.checkCreateTargetGroup(in); err != nil {
		return nil, err
	}
	name := *in.Name
	if !nameRE.MatchString(name) {
		return nil, validation("Name", "Target group name '%s' cannot be longer than '32' characters, must contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen", name)
	}
	tt := api.Deref(in.TargetType)
	if tt == "" {
		tt = TargetTypeInstance
	}
	if tt != TargetTypeInstance && tt != TargetTypeIP {
		return nil, api.Errorf(CodeInvalidConfigurationRequest, "Target type '%s' is not supported by ecssim; use 'instance' or 'ip'", tt)
	}
	if in.Protocol == nil {
		return nil, validation("Protocol", "A protocol must be specified")
	}
	if in.Port == nil {
		return nil, validation("Port", "A port must be specified")
	}
	if in.VpcId == nil {
		return nil, validation("VpcId", "A VPC ID must be specified")
	}
	proto := *in.Protocol
	switch proto {
	case "GENEVE", "QUIC", "TCP_QUIC":
		return nil, api.Errorf(CodeInvalidConfigurationRequest, "Protocol '%s' is not supported by ecssim", proto)
	}
	if !m.vpcExists(*in.VpcId) {
		return nil, validation("VpcId", "The VPC ID '%s' is not found", *in.VpcId)
	}
	m.changes++ // a group that routing may name
	tg := &targetGroup{name: name, protocol: proto, port: *in.Port, vpc: *in.VpcId, targetType: tt, ipType: "ipv4"}
	if in.IpAddressType != nil {
		tg.ipType = *in.IpAddressType
	}
	if tg.isHTTP() {
		tg.protocolVersion = "HTTP1"
		if in.ProtocolVersion != nil {
			v := strings.ToUpper(*in.ProtocolVersion)
			if v != "HTTP1" && v != "HTTP2" && v != "GRPC" {
				return nil, validation("ProtocolVersion", "Protocol version '%s' is not valid; valid values are 'HTTP1', 'HTTP2' and 'GRPC'", *in.ProtocolVersion)
			}
			tg.protocolVersion = v
		}
	} else if in.ProtocolVersion != nil {
		return nil, validation("ProtocolVersion", "A protocol version can only be specified for target groups with the 'HTTP' or 'HTTPS' protocol")
	}
	tg.hc = defaultHealthCheck(tg)
	if err := applyHealthCheck(tg, &tg.hc, healthCheckFields{
		Protocol: in.HealthCheckProtocol, Port: in.HealthCheckPort, Path: in.HealthCheckPath, Enabled: in.HealthCheckEnabled,
		Interval: in.HealthCheckIntervalSeconds, Timeout: in.HealthCheckTimeoutSeconds,
		Healthy: in.HealthyThresholdCount, Unhealthy: in.UnhealthyThresholdCount, Matcher: in.Matcher,
	}); err != nil {
		return nil, err
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	tg.attrs = defaultAttributes(tg)
	for _, old := range m.tgs {
		if old.name != name {
			continue
		}
		a, b := m.tgShape(old), m.tgShape(tg)
		a.TargetGroupArn, a.LoadBalancerArns, b.LoadBalancerArns = "", nil, nil
		if a.Matcher != nil && b.Matcher != nil && *a.Matcher.HttpCode == *b.Matcher.HttpCode {
			a.Matcher = b.Matcher
		}
		if fmt.Sprint(a) == fmt.Sprint(b) {
			return &CreateTargetGroupOutput{TargetGroups: []TargetGroup{m.tgShape(old)}}, nil
		}
		return nil, api.Errorf(CodeDuplicateTargetGroupName, "A target group with the same name '%s' exists, but with different settings", name)
	}
	tg.tags = tags
	m.tgSeq++
	tg.order = m.tgSeq
	tg.id = m.resourceID()
	tg.arn = m.arnPrefix() + "targetgroup/" + name + "/" + tg.id
	m.tgs = append(m.tgs, tg)
	m.tgByArn[tg.arn] = tg
	return &CreateTargetGroupOutput{TargetGroups: []TargetGroup{m.tgShape(tg)}}, nil
}

// checkCreateTargetGroup checks the model's enums and ranges.
func (m *ELB) checkCreateTargetGroup(in *CreateTargetGroupInput) error {
	for _, err := range []error{
		checkEnum("Protocol", in.Protocol, protocols...),
		checkEnum("HealthCheckProtocol", in.HealthCheckProtocol, protocols...),
		checkEnum("TargetType", in.TargetType, "instance", "ip", "lambda", "alb"),
		checkEnum("IpAddressType", in.IpAddressType, "ipv4", "ipv6"),
		checkRange("Port", in.Port, 1, 65535),
		checkRange("TargetControlPort", in.TargetControlPort, 1, 65535),
	} {
		if err != nil {
			return err
		}
	}
	if in.IpAddressType != nil && *in.IpAddressType == "ipv6" {
		return api.Errorf(CodeInvalidConfigurationRequest, "IPv6 target groups are not supported by ecssim")
	}
	return nil
}

func (m *ELB) vpcExists(id string) bool {
	for _, s := range m.cfg.Network.Subnets() {
		if s.VpcID == id {
			return true
		}
	}
	return false
}

// defaultHealthCheck returns AWS's health-check defaults for tg's
// protocol. [ELBAPI:CreateTargetGroupInput.HealthCheckProtocol]
// [ELBAPI:CreateTargetGroupInput.HealthCheckTimeoutSeconds]
// [ALB:target-group-health-checks] [NLB:target-group-health-checks]
func defaultHealthCheck(tg *targetGroup) healthCheck {
	hc := healthCheck{enabled: true, port: TrafficPort, interval: 30 * time.Second, healthy: 5, unhealthy: 2}
	if tg.isHTTP() {
		// The ALB guide and the API's own example say 5 s for HTTP
		// (the API reference's prose says 6; docs/fidelity.md).
		hc.protocol, hc.timeout = tg.protocol, 5*time.Second
		hc.path = "/"
		code := "200"
		if tg.protocolVersion == "GRPC" {
			hc.path = "/AWS.ALB/healthcheck"
			hc.matcher = &Matcher{GrpcCode: api.String("12")}
		} else {
			hc.matcher = &Matcher{HttpCode: &code}
			hc.codes, _ = parseCodes(code, 200, 499)
		}
		return hc
	}
	hc.protocol, hc.timeout = ProtocolTCP, 10*time.Second
	return hc
}

// healthCheckFields are the health-check members of CreateTargetGroup and
// ModifyTargetGroup.
type healthCheckFields struct {
	Protocol, Port, Path *string
	Enabled              *bool
	Interval, Timeout    *int32
	Healthy, Unhealthy   *int32
	Matcher              *Matcher
}

// applyHealthCheck checks f and applies it to hc.
func applyHealthCheck(tg *targetGroup, hc *healthCheck, f healthCheckFields) error {
	for _, err := range []error{
		checkEnum("HealthCheckProtocol", f.Protocol, protocols...),
		checkRange("HealthCheckIntervalSeconds", f.Interval, 5, 300),
		checkRange("HealthCheckTimeoutSeconds", f.Timeout, 2, 120),
		checkRange("HealthyThresholdCount", f.Healthy, 2, 10),
		checkRange("UnhealthyThresholdCount", f.Unhealthy, 2, 10),
	} {
		if err != nil {
			return err
		}
	}
	if f.Path != nil && (len(*f.Path) < 1 || len(*f.Path) > 1024) {
		return constraint("HealthCheckPath", *f.Path, "Member must have length between 1 and 1024")
	}
	next := *hc
	if f.Enabled != nil {
		if !*f.Enabled {
			// Health checks of instance and ip targets cannot be
			// turned off. [ELBAPI:CreateTargetGroupInput.HealthCheckEnabled]
			return validation("HealthCheckEnabled", "Health checks cannot be disabled for target groups with target type '%s'", tg.targetType)
		}
	}
	if f.Protocol != nil {
		p := *f.Protocol
		switch {
		case p != ProtocolHTTP && p != ProtocolHTTPS && p != ProtocolTCP:
			return validation("HealthCheckProtocol", "Health check protocol '%s' is not supported", p)
		case tg.isHTTP() && p == ProtocolTCP:
			return validation("HealthCheckProtocol", "Health check protocol 'TCP' is not supported for target groups with the '%s' protocol", tg.protocol)
		}
		if p != next.protocol {
			wasHTTP := next.protocol != ProtocolTCP
			next.protocol = p
			switch {
			case p == ProtocolTCP:
				next.path, next.matcher, next.codes = "", nil, nil
			case !wasHTTP:
				// An NLB group checked over HTTP(S) expects 200-399 on "/".
				// [NLB:target-group-health-checks]
				next.path = "/"
				code := "200-399"
				next.matcher = &Matcher{HttpCode: &code}
				next.codes, _ = parseCodes(code, 200, 599)
			}
		}
	}
	if f.Port != nil {
		if *f.Port != TrafficPort {
			n, err := strconv.Atoi(*f.Port)
			if err != nil || n < 1 || n > 65535 {
				return validation("HealthCheckPort", "Health check port '%s' must be 'traffic-port' or a number from 1 to 65535", *f.Port)
			}
		}
		next.port = *f.Port
	}
	if f.Path != nil {
		if next.protocol == ProtocolTCP {
			return validation("HealthCheckPath", "A health check path cannot be specified with the 'TCP' health check protocol")
		}
		if !strings.HasPrefix(*f.Path, "/") {
			return validation("HealthCheckPath", "Health check path '%s' must begin with a '/' character", *f.Path)
		}
		next.path = *f.Path
	}
	if f.Interval != nil {
		next.interval = time.Duration(*f.Interval) * time.Second
	}
	if f.Timeout != nil {
		next.timeout = time.Duration(*f.Timeout) * time.Second
	}
	if f.Healthy != nil {
		next.healthy = int(*f.Healthy)
	}
	if f.Unhealthy != nil {
		next.unhealthy = int(*f.Unhealthy)
	}
	if f.Matcher != nil {
		if next.protocol == ProtocolTCP {
			return validation("Matcher", "A matcher cannot be specified with the 'TCP' health check protocol")
		}
		switch {
		case f.Matcher.GrpcCode != nil:
			if tg.protocolVersion != "GRPC" {
				return validation("Matcher.GrpcCode", "A gRPC matcher can only be specified for target groups with the 'GRPC' protocol version")
			}
			if _, err := parseCodes(*f.Matcher.GrpcCode, 0, 99); err != nil {
				return validation("Matcher.GrpcCode", "Health check matcher gRPC code '%s' %v", *f.Matcher.GrpcCode, err)
			}
			next.matcher = &Matcher{GrpcCode: f.Matcher.GrpcCode}
		case f.Matcher.HttpCode != nil:
			lo, hi := 200, 499 // [ELBAPI:CreateTargetGroupInput.Matcher]
			if !tg.isHTTP() {
				lo, hi = 200, 599
			}
			codes, err := parseCodes(*f.Matcher.HttpCode, lo, hi)
			if err != nil {
				return validation("Matcher.HttpCode", "Health check matcher HTTP code '%s' %v", *f.Matcher.HttpCode, err)
			}
			next.matcher, next.codes = &Matcher{HttpCode: f.Matcher.HttpCode}, codes
		default:
			return validation("Matcher", "A matcher must have an HTTP code or a gRPC code")
		}
	}
	// The timeout must be shorter than the interval.
	// [ALB:target-group-health-checks] (HealthCheckTimeoutSeconds)
	if next.timeout >= next.interval {
		return validation("HealthCheckTimeoutSeconds", "Health check interval must be greater than the timeout.")
	}
	*hc = next
	return nil
}

// codeSet is the status codes a matcher accepts, as inclusive ranges.
type codeSet [][2]int

func (c codeSet) has(code int) bool {
	for _, r := range c {
		if code >= r[0] && code <= r[1] {
			return true
		}
	}
	return false
}

// parseCodes reads a matcher: "200", "200,202" or "200-299", each code in
// [lo, hi]. [ALB:target-group-health-checks] (Matcher)
func parseCodes(s string, lo, hi int) (codeSet, error) {
	var out codeSet
	for _, part := range strings.Split(s, ",") {
		a, b, isRange := strings.Cut(strings.TrimSpace(part), "-")
		x, err1 := strconv.Atoi(a)
		y := x
		var err2 error
		if isRange {
			y, err2 = strconv.Atoi(b)
		}
		if err1 != nil || err2 != nil || x > y {
			return nil, fmt.Errorf("is not a code, a list of codes or a range of codes")
		}
		if x < lo || y > hi {
			return nil, fmt.Errorf("must be within '%d-%d' inclusive", lo, hi)
		}
		out = append(out, [2]int{x, y})
	}
	return out, nil
}

// ModifyTargetGroup changes a group's health-check settings. Targets keep
// their state and their counts of consecutive results; their next check
// runs one new interval from now. [ELBAPI:ModifyTargetGroup]
func (m *ELB) ModifyTargetGroup(in *ModifyTargetGroupInput) (*ModifyTargetGroupOutput, error) {
	if in.TargetGroupArn == nil {
		return nil, missing("TargetGroupArn")
	}
	tg, ok := m.tgByArn[*in.TargetGroupArn]
	if !ok {
		return nil, tgNotFound()
	}
	hc := tg.hc
	if err := applyHealthCheck(tg, &hc, healthCheckFields{
		Protocol: in.HealthCheckProtocol, Port: in.HealthCheckPort, Path: in.HealthCheckPath, Enabled: in.HealthCheckEnabled,
		Interval: in.HealthCheckIntervalSeconds, Timeout: in.HealthCheckTimeoutSeconds,
		Healthy: in.HealthyThresholdCount, Unhealthy: in.UnhealthyThresholdCount, Matcher: in.Matcher,
	}); err != nil {
		return nil, err
	}
	if hc.path != tg.hc.path {
		for _, t := range tg.targets {
			t.answerOK = false // a request is answered as the checked path is
		}
	}
	tg.hc = hc
	m.groupChanged(tg)
	m.health.settingsChanged(tg)
	return &ModifyTargetGroupOutput{TargetGroups: []TargetGroup{m.tgShape(tg)}}, nil
}

// DescribeTargetGroups lists target groups: those of a load balancer, by
// ARN, by name, or all, in creation order. [ELBAPI:DescribeTargetGroups]
func (m *ELB) DescribeTargetGroups(in *DescribeTargetGroupsInput) (*DescribeTargetGroupsOutput, error) {
	n := 0
	for _, set := range []bool{in.LoadBalancerArn != nil, len(in.TargetGroupArns) > 0, len(in.Names) > 0} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, validation("TargetGroupArns", "A load balancer ARN, target group ARNs or target group names can be specified, but only one of them")
	}
	var all []TargetGroup
	switch {
	case in.LoadBalancerArn != nil:
		lb, ok := m.lbByArn[*in.LoadBalancerArn]
		if !ok {
			return nil, lbNotFound()
		}
		for _, tg := range m.tgs {
			if slices.Contains(m.lbsOf(tg), lb.arn) {
				all = append(all, m.tgShape(tg))
			}
		}
	case len(in.TargetGroupArns) > 0:
		for _, arn := range in.TargetGroupArns {
			tg, ok := m.tgByArn[arn]
			if !ok {
				return nil, tgNotFound()
			}
			all = append(all, m.tgShape(tg))
		}
	case len(in.Names) > 0:
		for _, name := range in.Names {
			i := slices.IndexFunc(m.tgs, func(tg *targetGroup) bool { return tg.name == name })
			if i < 0 {
				return nil, api.Errorf(CodeTargetGroupNotFound, "Target groups '[%s]' not found", name)
			}
			all = append(all, m.tgShape(m.tgs[i]))
		}
	default:
		for _, tg := range m.tgs {
			all = append(all, m.tgShape(tg))
		}
	}
	items, next, err := page(all, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	return &DescribeTargetGroupsOutput{TargetGroups: items, NextMarker: next}, nil
}

// DeleteTargetGroup deletes a target group that no listener or rule
// forwards to; its targets go with it at once, without draining. Deleting
// a group that does not exist succeeds. [ELBAPI:DeleteTargetGroup]
func (m *ELB) DeleteTargetGroup(in *DeleteTargetGroupInput) (*Empty, error) {
	if in.TargetGroupArn == nil {
		return nil, missing("TargetGroupArn")
	}
	tg, ok := m.tgByArn[*in.TargetGroupArn]
	if !ok {
		return &Empty{}, nil
	}
	if m.used(tg) {
		return nil, api.Errorf(CodeResourceInUse, "Target group '%s' is currently in use by a listener or a rule", tg.arn)
	}
	for _, t := range tg.targets {
		m.health.forget(t)
		t.drainTimer.Cancel()
		m.unindex(t)
		t.gone = true
	}
	tg.targets, tg.byKey = nil, nil
	m.groupChanged(tg)
	m.tgs = slices.DeleteFunc(m.tgs, func(x *targetGroup) bool { return x == tg })
	delete(m.tgByArn, tg.arn)
	return &Empty{}, nil
}
