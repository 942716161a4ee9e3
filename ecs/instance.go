package ecs

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/catalog"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

// Container instance statuses. [API enum ContainerInstanceStatus]
const (
	InstanceActive   = "ACTIVE"
	InstanceDraining = "DRAINING"
	InstanceInactive = "INACTIVE"
)

// Built-in container instance attributes. [DG:task-placement-constraints]
const (
	attrAZ       = "ecs.availability-zone"
	attrType     = "ecs.instance-type"
	attrOSType   = "ecs.os-type"
	attrOSFamily = "ecs.os-family"
	attrArch     = "ecs.cpu-architecture"
	attrAMI      = "ecs.ami-id"
	attrSubnet   = "ecs.subnet-id"
	attrVPC      = "ecs.vpc-id"
)

// agentVersion is the container agent version instances report.
const agentVersion = "1.97.1"

// defaultInstanceLaunch is how long an EC2 instance takes from launch to
// its agent registering: boot, then the agent starting. An assumption; see
// docs/fidelity.md.
var defaultInstanceLaunch = workload.Uniform(40*time.Second, 90*time.Second)

// instance is the model's record of a container instance.
type instance struct {
	id, arn, ec2ID string
	cl             *cluster
	itype          catalog.InstanceType
	subnet         vpc.Subnet
	ip             netip.Addr
	status         string
	attrs          map[string]string
	tags           []api.Tag
	registeredAt   sim.Time
	launchedAt     sim.Time
	stoppedAt      sim.Time // deregistered or terminated; 0 while registered
	version        int64
	trunking       bool
	cpu, mem       int // registered
	eniSlots       int
	seq            uint64
	group          *autoScalingGroup // the Auto Scaling group that launched it, if any
	provider       string            // its capacity provider, if any
}

func (i *instance) az() string { return i.subnet.AvailabilityZone }

// registerInstance registers an instance with its cluster's placement
// state and records it.
func (m *ECS) registerInstance(cl *cluster, it catalog.InstanceType, sub vpc.Subnet, ec2ID string, custom map[string]string, tags []api.Tag, trunking bool) (*instance, error) {
	r := m.eng.Rand("ecs/ids")
	id := sim.HexID(r, 32)
	if ec2ID == "" {
		ec2ID = "i-" + sim.HexID(r, 17)
	}
	slots := it.AwsvpcTasks
	if trunking && it.AwsvpcTasksTrunking > 0 {
		slots = it.AwsvpcTasksTrunking
	}
	m.instanceSeq++
	in := &instance{
		id: id, arn: m.arn("container-instance/" + cl.name + "/" + id), ec2ID: ec2ID, cl: cl,
		itype: it, subnet: sub, status: InstanceActive, registeredAt: m.eng.Now(), launchedAt: m.eng.Now(),
		trunking: trunking, cpu: it.CPUUnits(), mem: it.RegisteredMemoryMiB, eniSlots: slots,
		tags: slices.Clone(tags), seq: m.instanceSeq,
		attrs: map[string]string{
			attrAZ: sub.AvailabilityZone, attrType: it.Name, attrOSType: "linux", attrOSFamily: "LINUX",
			attrArch: it.Architecture, attrAMI: "ami-0c5ecs" + strings.Repeat("0", 8), attrSubnet: sub.ID, attrVPC: sub.VpcID,
		},
	}
	if trunking && it.AwsvpcTasksTrunking > 0 {
		// Trunk-enabled instances carry the trunk ENI's ID. [DG:task-placement-constraints]
		in.attrs["ecs.awsvpc-trunk-id"] = "eni-" + sim.HexID(r, 17)
	}
	for k, v := range custom {
		in.attrs[k] = v
	}
	if ip, err := m.net.AllocateIP(sub.ID); err == nil {
		in.ip = ip
	}
	if cl.sched == nil {
		cl.sched = scheduler.NewCluster()
	}
	if err := cl.sched.AddInstance(scheduler.Instance{
		ID: id, EC2InstanceID: ec2ID, CPU: in.cpu, Memory: in.mem, GPUs: it.GPUs, ENIs: slots,
		Attributes: maps(in.attrs), AgentVersion: agentVersion, RegisteredAt: in.registeredAt.Time(),
	}); err != nil {
		return nil, api.ServerException("cannot register container instance: %v", err)
	}
	cl.instances = append(cl.instances, in)
	m.instances[id] = in
	m.recordInstance(in)
	m.kickCluster(cl)
	return in, nil
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// InstanceStateChange is the trace detail of an "ECS Container Instance
// State Change" event: the container instance as DescribeContainerInstances
// shows it, with its cluster and the time of the change, as AWS's example
// events carry it. [DG:ecs_cwe_events]
type InstanceStateChange struct {
	ContainerInstance
	ClusterArn string `json:"clusterArn"`
	// RegisteredAt and UpdatedAt are written as EventBridge writes times.
	RegisteredAt EventTime `json:"registeredAt,omitzero"`
	UpdatedAt    EventTime `json:"updatedAt"`
}

// Attribute returns the value of one of the instance's attributes, such
// as "ecs.instance-type" or "ecs.availability-zone"; "" when absent.
func (d InstanceStateChange) Attribute(name string) string {
	for _, a := range d.Attributes {
		if api.Deref(a.Name) == name {
			return api.Deref(a.Value)
		}
	}
	return ""
}

// EventInstanceStateChange is the trace type of container instance
// changes.
const EventInstanceStateChange = "ECS Container Instance State Change"

// recordInstance bumps the instance's version and records it: at
// registration, on each status change, when its agent connects or
// disconnects, and at deregistration. [DG:ecs_cwe_events]
func (m *ECS) recordInstance(in *instance) {
	in.version++
	m.eng.Record(sim.Event{Type: EventInstanceStateChange, Source: SourceECS, Resources: []string{in.arn}, Detail: InstanceStateChange{
		ContainerInstance: m.instanceShape(in, false),
		ClusterArn:        in.cl.arn,
		RegisteredAt:      EventTime(in.registeredAt),
		UpdatedAt:         EventTime(m.eng.Now()),
	}})
}

func (in *instance) agentConnected(m *ECS) bool {
	return !m.net.ZoneDown(in.az()) && in.status != InstanceInactive
}

// kickCluster asks every active service of the cluster to reconcile:
// capacity changed. Daemon services go first, so that their tasks take an
// instance's resources before replica tasks do. [DG:ecs_services#service_scheduler_daemon]
func (m *ECS) kickCluster(cl *cluster) {
	if len(cl.waiting) > 0 {
		m.placeWaiting(cl)
	}
	names := sortedKeys(cl.services)
	for _, daemonFirst := range []bool{true, false} {
		for _, n := range names {
			if s := cl.services[n]; s.status == ServiceActive && (s.scheduling == "DAEMON") == daemonFirst {
				m.kick(s)
			}
		}
	}
}

// Resource is a registered or remaining resource of a container instance.
type Resource struct {
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	DoubleValue    float64  `json:"doubleValue"`
	LongValue      int64    `json:"longValue"`
	IntegerValue   int32    `json:"integerValue"`
	StringSetValue []string `json:"stringSetValue,omitempty"`
}

// Attribute of a container instance, as the attribute actions take it.
type InstanceAttribute struct {
	Name       *string `json:"name,omitempty"`
	Value      *string `json:"value,omitempty"`
	TargetType *string `json:"targetType,omitempty"`
	TargetId   *string `json:"targetId,omitempty"`
}

// VersionInfo is the agent and Docker version of an instance.
type VersionInfo struct {
	AgentVersion  *string `json:"agentVersion,omitempty"`
	AgentHash     *string `json:"agentHash,omitempty"`
	DockerVersion *string `json:"dockerVersion,omitempty"`
}

// ContainerInstance is the API shape of a container instance.
type ContainerInstance struct {
	ContainerInstanceArn string              `json:"containerInstanceArn"`
	Ec2InstanceId        string              `json:"ec2InstanceId"`
	CapacityProviderName string              `json:"capacityProviderName,omitempty"`
	Version              int64               `json:"version"`
	VersionInfo          VersionInfo         `json:"versionInfo"`
	RemainingResources   []Resource          `json:"remainingResources"`
	RegisteredResources  []Resource          `json:"registeredResources"`
	Status               string              `json:"status"`
	StatusReason         string              `json:"statusReason,omitempty"`
	AgentConnected       bool                `json:"agentConnected"`
	RunningTasksCount    int32               `json:"runningTasksCount"`
	PendingTasksCount    int32               `json:"pendingTasksCount"`
	Attributes           []InstanceAttribute `json:"attributes"`
	RegisteredAt         api.Timestamp       `json:"registeredAt"`
	Attachments          []Attachment        `json:"attachments"`
	Tags                 []api.Tag           `json:"tags,omitempty"`
}

func intResource(name string, v int) Resource {
	return Resource{Name: name, Type: "INTEGER", IntegerValue: int32(v)}
}

func portsResource(name string, ports []string) Resource {
	if ports == nil {
		ports = []string{}
	}
	return Resource{Name: name, Type: "STRINGSET", StringSetValue: ports}
}

// shape returns the API shape of an instance.
func (m *ECS) instanceShape(in *instance, withTags bool) ContainerInstance {
	reserved := []string{"22", "2375", "2376", "51678", "51679"}
	out := ContainerInstance{
		ContainerInstanceArn: in.arn, Ec2InstanceId: in.ec2ID, Version: in.version, Status: in.status, CapacityProviderName: in.provider,
		VersionInfo:    VersionInfo{AgentVersion: api.String(agentVersion), AgentHash: api.String("4f3b2b8c"), DockerVersion: api.String("DockerVersion: 25.0.8")},
		AgentConnected: in.agentConnected(m), RegisteredAt: ts(in.registeredAt), Attachments: []Attachment{},
		RegisteredResources: []Resource{
			intResource("CPU", in.cpu), intResource("MEMORY", in.mem),
			portsResource("PORTS", reserved), portsResource("PORTS_UDP", nil),
		},
	}
	if in.itype.GPUs > 0 {
		out.RegisteredResources = append(out.RegisteredResources, Resource{Name: "GPU", Type: "STRINGSET", StringSetValue: gpuIDs(in.itype.GPUs)})
	}
	rem, ok := in.cl.sched.Remaining(in.id)
	if !ok {
		rem = scheduler.Resources{}
	}
	var tcp, udp []string
	for _, p := range in.cl.sched.UsedPorts(in.id) {
		if p.Protocol == scheduler.UDP {
			udp = append(udp, strconv.Itoa(int(p.Number)))
		} else {
			tcp = append(tcp, strconv.Itoa(int(p.Number)))
		}
	}
	out.RemainingResources = []Resource{intResource("CPU", rem.CPU), intResource("MEMORY", rem.Memory), portsResource("PORTS", tcp), portsResource("PORTS_UDP", udp)}
	if in.itype.GPUs > 0 {
		out.RemainingResources = append(out.RemainingResources, Resource{Name: "GPU", Type: "STRINGSET", StringSetValue: gpuIDs(rem.GPUs)})
	}
	for _, t := range in.tasks(m) {
		switch {
		case t.last == StatusRunning:
			out.RunningTasksCount++
		case t.pendingLike():
			out.PendingTasksCount++
		}
	}
	for _, k := range sortedKeys(in.attrs) {
		a := InstanceAttribute{Name: api.String(k)}
		if v := in.attrs[k]; v != "" {
			a.Value = api.String(v)
		}
		out.Attributes = append(out.Attributes, a)
	}
	if withTags {
		out.Tags = slices.Clone(in.tags)
	}
	return out
}

func gpuIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("GPU-%08d", i)
	}
	return ids
}

// tasks returns the instance's tasks that are not STOPPED.
func (in *instance) tasks(m *ECS) []*task {
	var out []*task
	for t := range m.eachTask {
		if t.inst == in && t.last != StatusStopped {
			out = append(out, t)
		}
	}
	return out
}

// findInstance resolves a container instance ID or ARN in a cluster.
func (m *ECS) findInstance(cl *cluster, ref string) (*instance, bool) {
	id := ref
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		id = ref[i+1:]
	}
	in, ok := m.instances[id]
	if !ok || in.cl != cl {
		return nil, false
	}
	return in, true
}

// LaunchInstancesInput is the input of sim:LaunchInstances.
type LaunchInstancesInput struct {
	Cluster      *string `json:"cluster,omitempty"`
	InstanceType *string `json:"instanceType,omitempty"`
	// Count is how many instances to launch; default 1.
	Count *int32 `json:"count,omitempty"`
	// Subnets to launch into, round robin; default every subnet.
	Subnets []string `json:"subnets,omitempty"`
	// Attributes are custom attributes the agent registers.
	Attributes map[string]string `json:"attributes,omitempty"`
	Tags       []api.Tag         `json:"tags,omitempty"`
	// AwsvpcTrunking registers the instances with ENI trunking on.
	AwsvpcTrunking *bool `json:"awsvpcTrunking,omitempty"`
	// LaunchTime is how long from launch to the agent registering, as a
	// duration or distribution ("60s", "uniform(40s,90s)"); default
	// uniform(40s,90s).
	LaunchTime *workload.Dist `json:"launchTime,omitempty"`
}

// LaunchInstancesOutput is the output of sim:LaunchInstances.
type LaunchInstancesOutput struct {
	// Ec2InstanceIds are the launched instances; each registers with the
	// cluster once it has booted.
	Ec2InstanceIds []string `json:"ec2InstanceIds"`
}

var customAttrName = regexp.MustCompile(`^[A-Za-z0-9\-_/\\.]{1,128}$`)

// LaunchInstances launches EC2 instances of a catalogue type whose agents
// register with the cluster after the launch time.
func (m *ECS) LaunchInstances(in *LaunchInstancesInput) (*LaunchInstancesOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	it, ok := m.types.Get(api.Deref(in.InstanceType))
	if !ok {
		return nil, api.InvalidParameter("Unknown instance type %q; known types: %s.", api.Deref(in.InstanceType), strings.Join(m.types.Names(), ", ")).At("instanceType")
	}
	count := 1
	if in.Count != nil {
		count = int(*in.Count)
	}
	if count < 1 || count > 1000 {
		return nil, api.InvalidParameter("count must be between 1 and 1000.").At("count")
	}
	subs, err := m.launchSubnets(in.Subnets)
	if err != nil {
		return nil, err
	}
	for k, v := range in.Attributes {
		if !customAttrName.MatchString(k) || len(v) > 128 {
			return nil, api.InvalidParameter("Invalid attribute %q: names are 1-128 letters, digits, hyphens, underscores, slashes, backslashes and periods; values up to 128 characters.", k).At("attributes")
		}
	}
	if err := validateTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	launch := defaultInstanceLaunch
	if in.LaunchTime != nil {
		launch = *in.LaunchTime
	}
	r := m.eng.Rand("ecs/ids")
	out := &LaunchInstancesOutput{Ec2InstanceIds: []string{}}
	for i := 0; i < count; i++ {
		ec2ID := "i-" + sim.HexID(r, 17)
		sub := subs[(m.launchSeq+i)%len(subs)]
		out.Ec2InstanceIds = append(out.Ec2InstanceIds, ec2ID)
		attrs, tags, trunk := in.Attributes, in.Tags, api.Deref(in.AwsvpcTrunking)
		m.eng.After(launch.Sample(m.eng.Rand("workload/instance")), func() error {
			if cl.status != ClusterActive {
				return nil
			}
			_, err := m.registerInstance(cl, it, sub, ec2ID, attrs, tags, trunk)
			return err
		})
	}
	m.launchSeq += count
	return out, nil
}

// identityDocument is the part of the EC2 instance identity document that
// RegisterContainerInstance reads.
type identityDocument struct {
	InstanceID       string `json:"instanceId"`
	InstanceType     string `json:"instanceType"`
	AvailabilityZone string `json:"availabilityZone"`
}

// RegisterContainerInstanceInput is the input of RegisterContainerInstance.
type RegisterContainerInstanceInput struct {
	Cluster                           *string             `json:"cluster,omitempty"`
	InstanceIdentityDocument          *string             `json:"instanceIdentityDocument,omitempty"`
	InstanceIdentityDocumentSignature *string             `json:"instanceIdentityDocumentSignature,omitempty"`
	TotalResources                    []Resource          `json:"totalResources,omitempty"`
	VersionInfo                       *VersionInfo        `json:"versionInfo,omitempty"`
	ContainerInstanceArn              *string             `json:"containerInstanceArn,omitempty"`
	Attributes                        []InstanceAttribute `json:"attributes,omitempty"`
	PlatformDevices                   json.RawMessage     `json:"platformDevices,omitempty"`
	Tags                              []api.Tag           `json:"tags,omitempty"`
}

// RegisterContainerInstanceOutput is the output of
// RegisterContainerInstance.
type RegisterContainerInstanceOutput struct {
	ContainerInstance ContainerInstance `json:"containerInstance"`
}

// RegisterContainerInstance registers an instance the way the container
// agent does, from its EC2 instance identity document (instanceId,
// instanceType, availabilityZone). totalResources CPU and MEMORY override
// the catalogue's. [API:RegisterContainerInstance]
func (m *ECS) RegisterContainerInstance(in *RegisterContainerInstanceInput) (*RegisterContainerInstanceOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	var doc identityDocument
	if in.InstanceIdentityDocument == nil || json.Unmarshal([]byte(*in.InstanceIdentityDocument), &doc) != nil {
		return nil, api.ClientException("instanceIdentityDocument must be the EC2 instance identity document (JSON with instanceId, instanceType and availabilityZone).").At("instanceIdentityDocument")
	}
	it, ok := m.types.Get(doc.InstanceType)
	if !ok {
		return nil, api.ClientException("Unknown instance type %q in the instance identity document.", doc.InstanceType).At("instanceIdentityDocument")
	}
	for _, r := range in.TotalResources {
		switch r.Name {
		case "CPU":
			it.VCPU = int(r.IntegerValue) / 1024
		case "MEMORY":
			it.RegisteredMemoryMiB = int(r.IntegerValue)
		}
	}
	var sub vpc.Subnet
	found := false
	for _, s := range m.net.Subnets() {
		if s.AvailabilityZone == doc.AvailabilityZone {
			sub, found = s, true
			break
		}
	}
	if !found {
		return nil, api.ClientException("No subnet of the simulated VPC is in availability zone %q.", doc.AvailabilityZone).At("instanceIdentityDocument")
	}
	for _, other := range m.instances {
		if other.ec2ID == doc.InstanceID && other.status != InstanceInactive && doc.InstanceID != "" {
			return &RegisterContainerInstanceOutput{ContainerInstance: m.instanceShape(other, true)}, nil
		}
	}
	attrs := map[string]string{}
	for _, a := range in.Attributes {
		attrs[api.Deref(a.Name)] = api.Deref(a.Value)
	}
	inst, err := m.registerInstance(cl, it, sub, doc.InstanceID, attrs, in.Tags, false)
	if err != nil {
		return nil, err
	}
	return &RegisterContainerInstanceOutput{ContainerInstance: m.instanceShape(inst, true)}, nil
}

// DescribeContainerInstancesInput is the input of
// DescribeContainerInstances.
type DescribeContainerInstancesInput struct {
	Cluster            *string  `json:"cluster,omitempty"`
	ContainerInstances []string `json:"containerInstances,omitempty"`
	Include            []string `json:"include,omitempty"`
}

// DescribeContainerInstancesOutput is the output of
// DescribeContainerInstances.
type DescribeContainerInstancesOutput struct {
	ContainerInstances []ContainerInstance `json:"containerInstances"`
	Failures           []Failure           `json:"failures"`
}

// DescribeContainerInstances describes up to 100 container instances.
func (m *ECS) DescribeContainerInstances(in *DescribeContainerInstancesInput) (*DescribeContainerInstancesOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.ContainerInstances) == 0 || len(in.ContainerInstances) > 100 {
		return nil, api.InvalidParameter("containerInstances must list between 1 and 100 container instances.").At("containerInstances")
	}
	withTags := slices.Contains(in.Include, "TAGS")
	out := &DescribeContainerInstancesOutput{ContainerInstances: []ContainerInstance{}, Failures: []Failure{}}
	for _, ref := range in.ContainerInstances {
		inst, ok := m.findInstance(cl, ref)
		if !ok {
			out.Failures = append(out.Failures, Failure{Arn: api.String(ref), Reason: api.String("MISSING")})
			continue
		}
		out.ContainerInstances = append(out.ContainerInstances, m.instanceShape(inst, withTags))
	}
	return out, nil
}

// ListContainerInstancesInput is the input of ListContainerInstances.
type ListContainerInstancesInput struct {
	Cluster    *string `json:"cluster,omitempty"`
	Filter     *string `json:"filter,omitempty"`
	NextToken  *string `json:"nextToken,omitempty"`
	MaxResults *int32  `json:"maxResults,omitempty"`
	Status     *string `json:"status,omitempty"`
}

// ListContainerInstancesOutput is the output of ListContainerInstances.
type ListContainerInstancesOutput struct {
	ContainerInstanceArns []string `json:"containerInstanceArns"`
	NextToken             *string  `json:"nextToken,omitempty"`
}

// ListContainerInstances lists a cluster's container instances, optionally
// those matching a cluster query language filter or in one status; by
// default every status but INACTIVE. [API:ListContainerInstances]
func (m *ECS) ListContainerInstances(in *ListContainerInstancesInput) (*ListContainerInstancesOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if s := api.Deref(in.Status); s != "" && s != InstanceActive && s != InstanceDraining && s != "REGISTERING" && s != "DEREGISTERING" && s != "REGISTRATION_FAILED" {
		return nil, api.InvalidParameter("status must be one of ACTIVE, DRAINING, REGISTERING, DEREGISTERING, REGISTRATION_FAILED.").At("status")
	}
	var match map[string]bool
	if f := api.Deref(in.Filter); f != "" {
		if cl.sched == nil {
			cl.sched = scheduler.NewCluster()
		}
		q, err := cl.sched.CompileQuery(f)
		if err != nil {
			if e, ok := err.(*api.Error); ok {
				return nil, e.At("filter")
			}
			return nil, err
		}
		match = map[string]bool{}
		for _, id := range cl.sched.Select(q) {
			match[id] = true
		}
	}
	var arns []string
	for _, inst := range cl.instances {
		if inst.status == InstanceInactive || (in.Status != nil && inst.status != *in.Status) || (match != nil && !match[inst.id]) {
			continue
		}
		arns = append(arns, inst.arn)
	}
	page, next, err := paginate(arns, in.MaxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	return &ListContainerInstancesOutput{ContainerInstanceArns: append([]string{}, page...), NextToken: next}, nil
}

// launchSubnets resolves the subnets that instances launch into, round
// robin: the ones named, or every subnet of the VPC.
func (m *ECS) launchSubnets(ids []string) ([]vpc.Subnet, error) {
	var subs []vpc.Subnet
	for i, id := range ids {
		s, ok := m.net.Subnet(id)
		if !ok {
			// EC2's wording. [https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html]
			return nil, api.Validation("The subnet ID '%s' does not exist", id).At(indexPath("subnets", i, ""))
		}
		subs = append(subs, s)
	}
	if len(subs) == 0 {
		subs = m.net.Subnets()
	}
	return subs, nil
}
