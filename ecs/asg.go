package ecs

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/catalog"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

// attrProvider is the placement attribute that ties an instance to its
// capacity provider. It lives only in the placement state, so that a
// provider's tasks are placed on its own instances.
const attrProvider = "ecssim.capacity-provider"

// Managed scaling defaults. [API:ManagedScaling]
const (
	defaultTargetCapacity = 100
	defaultMinStep        = 1
	defaultMaxStep        = 10000
	defaultWarmup         = 300 * time.Second
)

// autoScalingGroup is a simulated EC2 Auto Scaling group whose instances
// register with one ECS cluster.
type autoScalingGroup struct {
	name, arn      string
	it             catalog.InstanceType
	subnets        []vpc.Subnet
	cl             *cluster
	min, max       int
	desired        int
	launching      int // launched, not yet registered
	launch         workload.Dist
	seq            int
	provider       *capacityProvider
	instances      []*instance // registered, still in the cluster
	lastScaleOutAt sim.Time
}

// capacityProvider is an Auto Scaling group capacity provider.
type capacityProvider struct {
	name, arn           string
	asg                 *autoScalingGroup
	managed             bool
	target, minS, maxS  int
	warmup              time.Duration
	termination         bool // managed termination protection
	draining            string
	tags                []api.Tag
	cl                  *cluster // the cluster it is associated with
	reservation         float64  // last CapacityProviderReservation
	timer               sim.Timer
	policy              *scalingPolicy // managed scaling's policy on the group, while associated
	createdAt           sim.Time
	managedScalingInput *ManagedScaling
}

// ManagedScaling is the managed scaling of an Auto Scaling group provider.
type ManagedScaling struct {
	Status                 *string `json:"status,omitempty"`
	TargetCapacity         *int32  `json:"targetCapacity,omitempty"`
	MinimumScalingStepSize *int32  `json:"minimumScalingStepSize,omitempty"`
	MaximumScalingStepSize *int32  `json:"maximumScalingStepSize,omitempty"`
	InstanceWarmupPeriod   *int32  `json:"instanceWarmupPeriod,omitempty"`
}

// AutoScalingGroupProvider is the Auto Scaling group of a capacity
// provider.
type AutoScalingGroupProvider struct {
	AutoScalingGroupArn          *string         `json:"autoScalingGroupArn,omitempty"`
	ManagedScaling               *ManagedScaling `json:"managedScaling,omitempty"`
	ManagedTerminationProtection *string         `json:"managedTerminationProtection,omitempty"`
	ManagedDraining              *string         `json:"managedDraining,omitempty"`
}

// CreateAutoScalingGroupInput is the input of sim:CreateAutoScalingGroup.
type CreateAutoScalingGroupInput struct {
	AutoScalingGroupName *string `json:"autoScalingGroupName,omitempty"`
	// Cluster is the ECS cluster its instances' agents join.
	Cluster         *string  `json:"cluster,omitempty"`
	InstanceType    *string  `json:"instanceType,omitempty"`
	MinSize         *int32   `json:"minSize,omitempty"`
	MaxSize         *int32   `json:"maxSize,omitempty"`
	DesiredCapacity *int32   `json:"desiredCapacity,omitempty"`
	Subnets         []string `json:"subnets,omitempty"`
	// LaunchTime is how long an instance takes from launch to its agent
	// registering; default uniform(40s,90s).
	LaunchTime *workload.Dist `json:"launchTime,omitempty"`
}

// CreateAutoScalingGroupOutput is the output of sim:CreateAutoScalingGroup.
type CreateAutoScalingGroupOutput struct {
	AutoScalingGroupArn string `json:"autoScalingGroupArn"`
}

var asgNameRE = regexp.MustCompile(`^[\x20-\x7e]{1,255}$`)

// CreateAutoScalingGroup creates a simulated Auto Scaling group that keeps
// DesiredCapacity instances of one type running, their agents registered
// with the cluster.
func (m *ECS) CreateAutoScalingGroup(in *CreateAutoScalingGroupInput) (*CreateAutoScalingGroupOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	name := api.Deref(in.AutoScalingGroupName)
	if !asgNameRE.MatchString(name) || strings.Contains(name, ":") {
		return nil, api.Validation("autoScalingGroupName must be 1-255 printable characters without ':'.").At("autoScalingGroupName")
	}
	if _, dup := m.asgs[name]; dup {
		return nil, api.Errorf("AlreadyExists", "AutoScalingGroup by this name already exists").At("autoScalingGroupName")
	}
	it, ok := m.types.Get(api.Deref(in.InstanceType))
	if !ok {
		return nil, api.Validation("Unknown instance type %q.", api.Deref(in.InstanceType)).At("instanceType")
	}
	minSize, maxSize := int(api.Deref(in.MinSize)), int(api.Deref(in.MaxSize))
	desired := minSize
	if in.DesiredCapacity != nil {
		desired = int(*in.DesiredCapacity)
	}
	if minSize < 0 || maxSize < minSize || desired < minSize || desired > maxSize || maxSize > 1000 {
		return nil, api.Validation("Sizes must satisfy 0 <= minSize <= desiredCapacity <= maxSize <= 1000.").At("desiredCapacity")
	}
	subs, err := m.launchSubnets(in.Subnets)
	if err != nil {
		return nil, err
	}
	g := &autoScalingGroup{
		name: name, arn: fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:%s:autoScalingGroupName/%s", m.cfg.Region, m.cfg.AccountID, sim.UUID(m.eng.Rand("ecs/ids")), name),
		it: it, subnets: subs, cl: cl, min: minSize, max: maxSize, desired: desired, launch: defaultInstanceLaunch,
	}
	if in.LaunchTime != nil {
		g.launch = *in.LaunchTime
	}
	m.asgs[name] = g
	m.reconcileGroup(g)
	return &CreateAutoScalingGroupOutput{AutoScalingGroupArn: g.arn}, nil
}

// SetDesiredCapacityInput is the input of sim:SetDesiredCapacity.
type SetDesiredCapacityInput struct {
	AutoScalingGroupName *string `json:"autoScalingGroupName,omitempty"`
	DesiredCapacity      *int32  `json:"desiredCapacity,omitempty"`
}

// SetDesiredCapacity sets an Auto Scaling group's desired capacity, as
// autoscaling:SetDesiredCapacity does.
func (m *ECS) SetDesiredCapacity(in *SetDesiredCapacityInput) (*Empty, error) {
	g, ok := m.asgs[api.Deref(in.AutoScalingGroupName)]
	if !ok {
		return nil, api.Validation("AutoScalingGroup name not found - no such group: %s", api.Deref(in.AutoScalingGroupName)).At("autoScalingGroupName")
	}
	d := int(api.Deref(in.DesiredCapacity))
	if d < g.min || d > g.max {
		return nil, api.Validation("New SetDesiredCapacity value %d is outside the group's bounds [%d, %d].", d, g.min, g.max).At("desiredCapacity")
	}
	m.setGroupDesired(g, d, "a user request")
	return &Empty{}, nil
}

// AutoScalingActivity is the trace detail of a change of an Auto Scaling
// group's desired capacity.
type AutoScalingActivity struct {
	AutoScalingGroupName string `json:"autoScalingGroupName"`
	From                 int    `json:"from"`
	To                   int    `json:"to"`
	Cause                string `json:"cause"`
}

// EventAutoScaling is the trace type of Auto Scaling group activities.
const EventAutoScaling = "ecssim Auto Scaling Activity"

func (m *ECS) setGroupDesired(g *autoScalingGroup, d int, cause string) {
	d = min(max(d, g.min), g.max)
	if d == g.desired {
		return
	}
	m.eng.Record(sim.Event{Type: EventAutoScaling, Source: "ecssim", Resources: []string{g.arn},
		Detail: AutoScalingActivity{AutoScalingGroupName: g.name, From: g.desired, To: d, Cause: cause}})
	g.desired = d
	m.reconcileGroup(g)
}

// reconcileGroup launches or terminates instances until the group runs
// its desired capacity. Scale-in terminates the instances with the fewest
// tasks, newest first; with managed termination protection, never one
// that runs a non-daemon task. [API:AutoScalingGroupProvider.managedTerminationProtection]
func (m *ECS) reconcileGroup(g *autoScalingGroup) {
	live := len(g.instances) + g.launching
	for ; live < g.desired; live++ {
		g.launching++
		sub := g.subnets[g.seq%len(g.subnets)]
		g.seq++
		ec2ID := "i-" + sim.HexID(m.eng.Rand("ecs/ids"), 17)
		m.eng.After(g.launch.Sample(m.eng.Rand("workload/instance")), func() error {
			g.launching--
			if g.cl.status != ClusterActive {
				return nil
			}
			in, err := m.registerInstance(g.cl, g.it, sub, ec2ID, nil, nil, false)
			if err != nil {
				return err
			}
			in.group = g
			g.instances = append(g.instances, in)
			if g.provider != nil {
				in.provider = g.provider.name
				_ = g.cl.sched.PutAttribute(in.id, attrProvider, g.provider.name)
			}
			m.kickCluster(g.cl)
			m.reconcileGroup(g) // the desired capacity may have dropped meanwhile
			return nil
		})
	}
	for live > g.desired && len(g.instances) > 0 {
		victim := -1
		for i, in := range g.instances {
			if g.provider != nil && g.provider.termination && !m.onlyDaemonsLeft(in) {
				continue // protected from scale-in
			}
			if victim < 0 || len(in.tasks(m)) <= len(g.instances[victim].tasks(m)) {
				victim = i
			}
		}
		if victim < 0 {
			return
		}
		in := g.instances[victim]
		g.instances = slices.Delete(g.instances, victim, victim+1)
		m.removeInstance(in, "Host EC2 (instance "+in.ec2ID+") terminated.")
		live--
	}
}

// forgetInstance drops an instance that left its cluster from its group.
func (m *ECS) forgetInstance(in *instance) {
	if g := in.group; g != nil {
		if i := slices.Index(g.instances, in); i >= 0 {
			g.instances = slices.Delete(g.instances, i, i+1)
			m.reconcileGroup(g) // a terminated instance is replaced
		}
	}
}

// CreateCapacityProviderInput is the input of CreateCapacityProvider.
type CreateCapacityProviderInput struct {
	Name                     *string                   `json:"name,omitempty"`
	Cluster                  *string                   `json:"cluster,omitempty"`
	AutoScalingGroupProvider *AutoScalingGroupProvider `json:"autoScalingGroupProvider,omitempty"`
	ManagedInstancesProvider map[string]any            `json:"managedInstancesProvider,omitempty"`
	Tags                     []api.Tag                 `json:"tags,omitempty"`
}

// CreateCapacityProviderOutput is the output of CreateCapacityProvider.
type CreateCapacityProviderOutput struct {
	CapacityProvider CapacityProvider `json:"capacityProvider"`
}

var providerNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// CreateCapacityProvider creates an Auto Scaling group capacity provider.
// Names are up to 255 letters, digits, underscores and hyphens and cannot
// start with "aws", "ecs" or "fargate"; managed termination protection
// needs managed scaling. [API:CreateCapacityProvider] [API:ManagedScaling]
func (m *ECS) CreateCapacityProvider(in *CreateCapacityProviderInput) (*CreateCapacityProviderOutput, error) {
	name := api.Deref(in.Name)
	if !providerNameRE.MatchString(name) {
		return nil, api.InvalidParameter("The capacity provider name can only contain letters, numbers, underscores, and hyphens, up to 255 characters.").At("name")
	}
	for _, p := range []string{"aws", "ecs", "fargate"} {
		if strings.HasPrefix(strings.ToLower(name), p) {
			return nil, api.InvalidParameter("The capacity provider name cannot start with 'aws', 'ecs', or 'fargate'.").At("name")
		}
	}
	if _, dup := m.providers[name]; dup {
		return nil, api.InvalidParameter("The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.").At("name")
	}
	if in.ManagedInstancesProvider != nil {
		return nil, api.Errorf("UnsupportedFeatureException", "Managed instances capacity providers are not simulated.").At("managedInstancesProvider")
	}
	ap := in.AutoScalingGroupProvider
	if ap == nil || ap.AutoScalingGroupArn == nil {
		return nil, api.InvalidParameter("autoScalingGroupProvider.autoScalingGroupArn must be specified.").At("autoScalingGroupProvider.autoScalingGroupArn")
	}
	var g *autoScalingGroup
	for _, n := range sortedKeys(m.asgs) {
		if x := m.asgs[n]; x.arn == *ap.AutoScalingGroupArn || x.name == *ap.AutoScalingGroupArn {
			g = x
		}
	}
	if g == nil {
		return nil, api.InvalidParameter("The specified Auto Scaling group ARN %s does not exist.", *ap.AutoScalingGroupArn).At("autoScalingGroupProvider.autoScalingGroupArn")
	}
	if g.provider != nil {
		return nil, api.InvalidParameter("The specified Auto Scaling group is already used by capacity provider %s.", g.provider.name).At("autoScalingGroupProvider.autoScalingGroupArn")
	}
	if err := validateTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	p := &capacityProvider{name: name, arn: m.arn("capacity-provider/" + name), asg: g, target: defaultTargetCapacity,
		minS: defaultMinStep, maxS: defaultMaxStep, warmup: defaultWarmup, tags: slices.Clone(in.Tags), createdAt: m.eng.Now(),
		draining: "ENABLED"}
	if ms := ap.ManagedScaling; ms != nil {
		p.managed = api.Deref(ms.Status) == "ENABLED"
		check := func(v *int32, lo, hi int32, field string, dst *int) error {
			if v == nil {
				return nil
			}
			if *v < lo || *v > hi {
				return api.InvalidParameter("managedScaling.%s must be between %d and %d.", field, lo, hi).At("autoScalingGroupProvider.managedScaling." + field)
			}
			*dst = int(*v)
			return nil
		}
		warm := int(defaultWarmup / time.Second)
		for _, c := range []error{
			check(ms.TargetCapacity, 1, 100, "targetCapacity", &p.target),
			check(ms.MinimumScalingStepSize, 1, 10000, "minimumScalingStepSize", &p.minS),
			check(ms.MaximumScalingStepSize, 1, 10000, "maximumScalingStepSize", &p.maxS),
			check(ms.InstanceWarmupPeriod, 0, 10000, "instanceWarmupPeriod", &warm),
		} {
			if c != nil {
				return nil, c
			}
		}
		p.warmup = time.Duration(warm) * time.Second
		if p.minS > p.maxS {
			return nil, api.InvalidParameter("managedScaling.minimumScalingStepSize cannot be greater than maximumScalingStepSize.").At("autoScalingGroupProvider.managedScaling")
		}
		p.managedScalingInput = ms
	}
	switch api.Deref(ap.ManagedTerminationProtection) {
	case "ENABLED":
		if !p.managed {
			return nil, api.InvalidParameter("The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled and managed scaling must be enabled.").At("autoScalingGroupProvider.managedTerminationProtection")
		}
		p.termination = true
	case "", "DISABLED":
	default:
		return nil, api.InvalidParameter("managedTerminationProtection must be ENABLED or DISABLED.").At("autoScalingGroupProvider.managedTerminationProtection")
	}
	if d := api.Deref(ap.ManagedDraining); d != "" {
		p.draining = d
	}
	g.provider = p
	m.providers[name] = p
	for _, in := range g.instances {
		in.provider = name
		_ = g.cl.sched.PutAttribute(in.id, attrProvider, name)
	}
	return &CreateCapacityProviderOutput{CapacityProvider: p.shape()}, nil
}

func (p *capacityProvider) shape() CapacityProvider {
	term := "DISABLED"
	if p.termination {
		term = "ENABLED"
	}
	status := "DISABLED"
	if p.managed {
		status = "ENABLED"
	}
	return CapacityProvider{
		CapacityProviderArn: p.arn, Name: p.name, Status: "ACTIVE", Type: "EC2_AUTOSCALING", Tags: slices.Clone(p.tags),
		AutoScalingGroupProvider: &AutoScalingGroupProvider{
			AutoScalingGroupArn: api.String(p.asg.arn),
			ManagedScaling: &ManagedScaling{Status: api.String(status), TargetCapacity: api.Int32(int32(p.target)),
				MinimumScalingStepSize: api.Int32(int32(p.minS)), MaximumScalingStepSize: api.Int32(int32(p.maxS)),
				InstanceWarmupPeriod: api.Int32(int32(p.warmup / time.Second))},
			ManagedTerminationProtection: api.String(term), ManagedDraining: api.String(p.draining),
		},
	}
}

// instancesForWaiting binpacks the tasks waiting for this provider's
// capacity onto empty instances of its type, first fit by decreasing
// memory, and returns how many instances that takes. Tasks too big for
// the type are ignored: they stay waiting. [DG:cluster-auto-scaling#managed-scaling-scaleout]
func (m *ECS) instancesForWaiting(p *capacityProvider) int {
	var need []scheduler.Task
	for _, t := range p.cl.waiting {
		if t.provider == p.name && t.active() {
			need = append(need, t.need)
		}
	}
	slices.SortStableFunc(need, func(a, b scheduler.Task) int { return b.Memory - a.Memory })
	type bin struct{ cpu, mem, enis int }
	var bins []bin
	it := p.asg.it
	for _, t := range need {
		if t.CPU > it.CPUUnits() || t.Memory > it.RegisteredMemoryMiB {
			continue
		}
		placed := false
		for i := range bins {
			b := &bins[i]
			if b.cpu >= t.CPU && b.mem >= t.Memory && (!t.ENI || b.enis > 0) {
				b.cpu, b.mem = b.cpu-t.CPU, b.mem-t.Memory
				if t.ENI {
					b.enis--
				}
				placed = true
				break
			}
		}
		if !placed {
			b := bin{cpu: it.CPUUnits() - t.CPU, mem: it.RegisteredMemoryMiB - t.Memory, enis: it.AwsvpcTasks}
			if t.ENI {
				b.enis--
			}
			bins = append(bins, b)
		}
	}
	return len(bins)
}

// placeWaiting tries to place the cluster's tasks that wait for capacity,
// oldest first.
func (m *ECS) placeWaiting(cl *cluster) {
	rng := m.eng.Rand("ecs/placement")
	kept := cl.waiting[:0]
	for _, t := range cl.waiting {
		if !t.active() || t.last != StatusProvisioning {
			continue
		}
		res := cl.sched.Place(t.plan, &t.need, rng)
		if !res.Placed() {
			kept = append(kept, t)
			continue
		}
		l, err := m.launchOnInstance(cl, res.Instance, &t.need)
		if err != nil {
			kept = append(kept, t)
			continue
		}
		m.attach(t, l)
	}
	clear(cl.waiting[len(kept):])
	cl.waiting = kept
}
