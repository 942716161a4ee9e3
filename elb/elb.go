package elb

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/vpc"
)

// Config is what the model needs to know about its account and world.
type Config struct {
	Region, AccountID string
	// Network is the VPC whose subnets load balancers are placed in and
	// whose addresses ip targets have.
	Network *vpc.Network
	// Backend answers health checks; nil means nothing answers (every
	// check fails as a refused connection).
	Backend Backend
	// TickHealthChecks runs every target health check as an event
	// instead of jumping to the next change of health. The trace is the
	// same either way.
	TickHealthChecks bool
	// ProvisioningTime is how long a new load balancer stays
	// "provisioning" before it is "active". Zero means
	// DefaultProvisioningTime; a negative value means none.
	ProvisioningTime time.Duration
	// RegistrationTime is how long a newly registered target stays in
	// Elb.RegistrationInProgress before its first health check. Zero means
	// DefaultRegistrationTime; a negative value means none.
	RegistrationTime time.Duration
}

// Defaults where AWS gives no number (docs/fidelity.md).
const (
	// DefaultProvisioningTime is how long a load balancer provisions.
	// AWS says only that a new load balancer starts "provisioning".
	DefaultProvisioningTime = 2 * time.Minute
	// DefaultRegistrationTime is how long target registration takes
	// before the first health check is sent.
	DefaultRegistrationTime = 10 * time.Second
)

// ELB is the simulated Elastic Load Balancing v2 of one account and region.
type ELB struct {
	eng       *sim.Engine
	cfg       Config
	lbs       []*loadBalancer // creation order
	tgs       []*targetGroup
	listeners []*listener
	lbByArn   map[string]*loadBalancer
	tgByArn   map[string]*targetGroup
	lsByArn   map[string]*listener
	ruleByArn map[string]*rule
	health    healthClock
	observers []func(TargetHealthChange)
	tgSeq     uint64
	start     sim.Time // when the model was made: traffic shapes run from here
	// routesOK says that the routing index (routing.go) is built; false
	// after a listener or rule changed, built again when next read.
	routesOK bool
	// byID holds every registered target by ID (IP address or instance),
	// for TargetChanged: a container starting or exiting touches only its
	// own targets.
	byID map[string][]*target
	// changes counts what can change the routing kept between calls (a
	// listener's flows): a target's registration, removal or health
	// state, a backend's answers, a group's creation, deletion, health
	// check or attributes, a listener, rule, forward weight or listener
	// traffic. What is kept is computed again once this count moves (and,
	// when it depends on time, at a new instant). A group's spread and
	// host counts follow the group's own count (targetGroup.changes).
	changes uint64
	// Scratch space of spread, reused from call to call.
	ramps   []float64
	summary []LoadBalancerTraffic // TrafficSummary's, reused
	// Stored handlers, so that scheduling does not allocate a closure.
	actDrained sim.Action
}

// groupChanged counts a change to what a group's spread and host counts
// are computed from (see targetGroup.changes), which is a change to the
// routing too.
func (m *ELB) groupChanged(tg *targetGroup) {
	m.changes++
	tg.changes++
}

// New returns an empty model running on eng.
func New(eng *sim.Engine, cfg Config) *ELB {
	if cfg.ProvisioningTime == 0 {
		cfg.ProvisioningTime = DefaultProvisioningTime
	}
	if cfg.RegistrationTime == 0 {
		cfg.RegistrationTime = DefaultRegistrationTime
	}
	cfg.ProvisioningTime = max(cfg.ProvisioningTime, 0)
	cfg.RegistrationTime = max(cfg.RegistrationTime, 0)
	if cfg.Network == nil {
		cfg.Network = vpc.Default(cfg.Region)
	}
	if cfg.Backend == nil {
		cfg.Backend = noBackend{}
	}
	m := &ELB{eng: eng, cfg: cfg,
		lbByArn: map[string]*loadBalancer{}, tgByArn: map[string]*targetGroup{},
		lsByArn: map[string]*listener{}, ruleByArn: map[string]*rule{}, byID: map[string][]*target{}}
	m.start = eng.Now()
	m.health.init(m)
	m.actDrained = m.onDrained
	return m
}

// Register adds the actions to t as "elbv2:<Action>", and ecssim's own
// faults as "sim:<Action>".
func (m *ELB) Register(t *api.Table) {
	api.Register(t, "elbv2:CreateLoadBalancer", m.CreateLoadBalancer)
	api.Register(t, "elbv2:DescribeLoadBalancers", m.DescribeLoadBalancers)
	api.Register(t, "elbv2:DeleteLoadBalancer", m.DeleteLoadBalancer)
	api.Register(t, "elbv2:CreateTargetGroup", m.CreateTargetGroup)
	api.Register(t, "elbv2:ModifyTargetGroup", m.ModifyTargetGroup)
	api.Register(t, "elbv2:DescribeTargetGroups", m.DescribeTargetGroups)
	api.Register(t, "elbv2:DeleteTargetGroup", m.DeleteTargetGroup)
	api.Register(t, "elbv2:ModifyTargetGroupAttributes", m.ModifyTargetGroupAttributes)
	api.Register(t, "elbv2:DescribeTargetGroupAttributes", m.DescribeTargetGroupAttributes)
	api.Register(t, "elbv2:CreateListener", m.CreateListener)
	api.Register(t, "elbv2:ModifyListener", m.ModifyListener)
	api.Register(t, "elbv2:DescribeListeners", m.DescribeListeners)
	api.Register(t, "elbv2:DeleteListener", m.DeleteListener)
	api.Register(t, "elbv2:CreateRule", m.CreateRule)
	api.Register(t, "elbv2:ModifyRule", m.ModifyRule)
	api.Register(t, "elbv2:DescribeRules", m.DescribeRules)
	api.Register(t, "elbv2:DeleteRule", m.DeleteRule)
	api.Register(t, "elbv2:RegisterTargets", m.RegisterTargets)
	api.Register(t, "elbv2:DeregisterTargets", m.DeregisterTargets)
	api.Register(t, "elbv2:DescribeTargetHealth", m.DescribeTargetHealth)
	api.Register(t, "elbv2:AddTags", m.AddTags)
	api.Register(t, "elbv2:RemoveTags", m.RemoveTags)
	api.Register(t, "elbv2:DescribeTags", m.DescribeTags)
	api.Register(t, "sim:FailTargetGroupHealthChecks", m.FailTargetGroupHealthChecks)
	api.Register(t, "sim:SetListenerTraffic", m.SetListenerTraffic)
}

// arnPrefix is "arn:aws:elasticloadbalancing:<region>:<account>:".
func (m *ELB) arnPrefix() string {
	return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:", m.cfg.Region, m.cfg.AccountID)
}

// resourceID returns the 16 hex digits that end every ELB ARN.
// [ELBAPI examples: targetgroup/my-targets/73e2d6bc24d8a067]
func (m *ELB) resourceID() string { return sim.HexID(m.eng.Rand("elb/ids"), 16) }

// nameRE is the rule for load balancer and target group names: up to 32
// alphanumerics or hyphens, not beginning or ending with a hyphen.
// [ELBAPI:CreateTargetGroupInput.Name] [ELBAPI:CreateLoadBalancerInput.Name]
var nameRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)

// pageSizeMax is the PageSize range's upper end. [ELBAPI:PageSize]
const pageSizeMax = 400

// page returns one page of a Describe call: Marker and PageSize as
// the model has them; without PageSize every item fits one page of 400.
func page[T any](items []T, pageSize *int32, marker *string) ([]T, *string, error) {
	if err := checkRange("PageSize", pageSize, 1, pageSizeMax); err != nil {
		return nil, nil, err
	}
	start := 0
	if marker != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*marker)
		off, perr := strconv.Atoi(string(raw))
		if err != nil || perr != nil || off < 0 || off > len(items) {
			return nil, nil, validation("Marker", "Invalid Marker: '%s'", *marker)
		}
		start = off
	}
	n := pageSizeMax
	if pageSize != nil {
		n = int(*pageSize)
	}
	end := min(start+n, len(items))
	var next *string
	if end < len(items) {
		s := base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
		next = &s
	}
	out := slices.Clone(items[start:end])
	if out == nil {
		out = []T{}
	}
	return out, next, nil
}

// maxArns is how many ARNs or names one Describe call may name.
// [ELBAPI:DescribeLoadBalancersInput.LoadBalancerArns] ("up to 20")
const maxArns = 20
