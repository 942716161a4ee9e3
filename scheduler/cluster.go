package scheduler

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// Status is the status of a container instance. Only [Active] instances
// are candidates for placement; the others are skipped without a
// rejection reason. [API enum ContainerInstanceStatus]
type Status uint8

const (
	// Active instances take new tasks.
	Active Status = iota
	// Draining instances take no new tasks.
	// [https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html]
	Draining
	// Registering instances are not yet usable.
	Registering
	// Deregistering instances are leaving the cluster.
	Deregistering
)

func (s Status) String() string {
	switch s {
	case Active:
		return "ACTIVE"
	case Draining:
		return "DRAINING"
	case Registering:
		return "REGISTERING"
	case Deregistering:
		return "DEREGISTERING"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// AttributeAvailabilityZone is the built-in attribute holding an
// instance's Availability Zone, e.g. "us-east-1a". The default service
// strategy spreads on it. [DG:task-placement-constraints#ecs-automatic-attributes]
const AttributeAvailabilityZone = "ecs.availability-zone"

// Instance describes a container instance as it registers with a
// cluster. The zero value of each optional field has a documented default,
// so that fixtures only name what matters to them.
type Instance struct {
	// ID is the container instance ID (the last part of its ARN). IDs are
	// unique in a cluster, and ties between equally good instances go to
	// the lowest ID in byte order.
	ID string
	// EC2InstanceID is the instance's EC2 ID, the subject ec2InstanceId of
	// the cluster query language. Optional.
	EC2InstanceID string
	// CPU is the registered CPU units (1,024 per vCPU). [API:ContainerDefinition.cpu]
	CPU int
	// Memory is the registered memory in MiB (less than installed; see
	// [DG:memory-management]).
	Memory int
	// GPUs is the number of GPUs the instance offers to tasks.
	GPUs int
	// ENIs is how many awsvpc tasks the instance can host at once: its
	// ENI attachment points minus the primary ENI, or the trunking limit.
	// [DG:container-instance-eni]
	ENIs int
	// Attributes are the instance's attributes, built-in
	// (ecs.availability-zone, ecs.instance-type, ...) and custom; "" is an
	// attribute without a value. [DG:task-placement-constraints#attributes]
	Attributes map[string]string
	// ReservedPorts are the host ports the agent keeps for itself. nil
	// means [LinuxReservedPorts]; an empty non-nil slice means none. [AGENT]
	ReservedPorts []Port
	// DynamicPorts is the range host ports for dynamic (hostPort 0) bridge
	// mappings come from. The zero value means [DefaultDynamicPorts].
	DynamicPorts PortRange
	// AgentDisconnected says the container agent is not connected: the
	// instance fails every placement with AGENT. (Named in the negative so
	// that the zero value is a connected agent.)
	AgentDisconnected bool
	// AgentVersion is the agent's version, e.g. "1.80.0", for the
	// agentVersion subject; "" is unknown.
	AgentVersion string
	// RegisteredAt is when the instance registered, for the registeredAt
	// subject; the zero time is unknown.
	RegisteredAt time.Time
	// Status is the instance's status; the zero value is [Active].
	Status Status
}

// Resources are amounts of the resources that placement counts.
type Resources struct {
	CPU, Memory, GPUs, ENIs int
}

// Errors for invalid calls on a [Cluster]. They mean the caller broke an
// invariant (an unknown ID, a double release), never that a task does not
// fit: that is a [Reason].
var (
	// ErrUnknownInstance: no instance with that ID is registered.
	ErrUnknownInstance = errors.New("scheduler: unknown container instance")
	// ErrDuplicateInstance: AddInstance was given an ID already registered.
	ErrDuplicateInstance = errors.New("scheduler: container instance already registered")
	// ErrInvalidInstance: AddInstance was given an impossible instance
	// (negative resources, a bad port range or agent version).
	ErrInvalidInstance = errors.New("scheduler: invalid container instance")
	// ErrInvalidTask: Reserve was given an impossible task (negative
	// amounts, a repeated host port).
	ErrInvalidTask = errors.New("scheduler: invalid task")
	// ErrDoesNotFit: Reserve was asked to put a task where its resources
	// or ports are not free. The message names the [Reason].
	ErrDoesNotFit = errors.New("scheduler: task does not fit on the container instance")
	// ErrNotReserved: Release was given a lease that holds nothing (already
	// released, or the zero Lease).
	ErrNotReserved = errors.New("scheduler: release of a lease that holds nothing")
)

// Task is what one task needs from a container instance. The caller
// computes it from the task definition and the launch request:
//
//   - CPU and Memory: the task-level cpu/memory when set, else the sum
//     over containers of cpu and of memoryReservation (or memory when no
//     reservation is given). [DG:task_definition_parameters]
//   - GPUs: the sum of the containers' GPU resourceRequirements.
//   - ENI: true for networkMode awsvpc, whose task takes an ENI
//     attachment point of the instance. [DG:container-instance-eni]
//   - HostPorts: host and bridge mode mappings with a fixed hostPort (in
//     host mode the hostPort is the containerPort); none for awsvpc.
//   - DynamicTCPPorts/DynamicUDPPorts: bridge mappings with hostPort 0 or
//     omitted, each needing one free port of the instance's dynamic range.
type Task struct {
	// Group is the task group: "service:<name>" for service tasks,
	// "family:<family>" by default for RunTask. spread and distinctInstance
	// count tasks of this group. [DG:task-groups]
	Group string
	// CPU units and Memory MiB the task reserves.
	CPU, Memory int
	// GPUs the task reserves.
	GPUs int
	// ENI says the task uses awsvpc and needs an ENI attachment point.
	ENI bool
	// HostPorts are the static host ports; they must not repeat.
	HostPorts []Port
	// DynamicTCPPorts and DynamicUDPPorts count the mappings that take
	// any free port of the dynamic range.
	DynamicTCPPorts, DynamicUDPPorts int
}

// Cluster is the placement state of one ECS cluster: its container
// instances, what each has left, and how many tasks of each group run
// where. The caller (package ecs) owns it and changes it as instances
// register, drain and leave and as tasks start, are told to stop and stop
// ([Cluster.Reserve], [Cluster.Leave], [Cluster.Release]); [Cluster.Place]
// and the other read methods never change it.
//
// Instances are kept as columns (one slice per property, indexed by the
// instance's position in ID order), so that placement is a single linear
// pass over integers. A Cluster is not safe for concurrent use; the
// simulation engine is single-threaded.
type Cluster struct {
	ids      []string
	index    map[string]int32
	ec2      []string
	status   []Status
	agentOff []bool
	flags    []uint8  // flagInactive | flagAgentOff: 0 means a candidate whose agent is connected
	active   int      // instances whose status is Active
	agentVer []uint64 // packed version, versionKnown bit set when known
	regAt    []int64  // Unix seconds; noTime when unknown
	reg      resCols  // registered
	rem      resCols  // remaining
	tasks    []int32  // tasks holding resources on the instance
	ports    []portSet
	static   []int32 // static host ports held, for MaxHostPorts
	dyn      []PortRange
	dynUsed  [][2]int32 // ports of the dynamic range in use, per protocol
	groupsOn [][]int32  // ids of the groups with tasks on the instance
	attrs    [][]attrPair

	names    []*attrName
	nameIdx  map[string]int32
	groups   []*group
	groupIdx map[string]int32
}

// resources is Resources in the integer width the hot loop uses.
type resources struct{ cpu, mem, gpu, eni int32 }

// resCols holds one resource amount per instance in four columns, so that
// placement reads each as a plain []int32 (binpack keys included).
type resCols struct{ cpu, mem, gpu, eni []int32 }

func (r *resCols) insert(at int, v resources) {
	r.cpu = slices.Insert(r.cpu, at, v.cpu)
	r.mem = slices.Insert(r.mem, at, v.mem)
	r.gpu = slices.Insert(r.gpu, at, v.gpu)
	r.eni = slices.Insert(r.eni, at, v.eni)
}

func (r *resCols) delete(i int) {
	r.cpu = slices.Delete(r.cpu, i, i+1)
	r.mem = slices.Delete(r.mem, i, i+1)
	r.gpu = slices.Delete(r.gpu, i, i+1)
	r.eni = slices.Delete(r.eni, i, i+1)
}

func (r *resCols) at(i int) resources {
	return resources{cpu: r.cpu[i], mem: r.mem[i], gpu: r.gpu[i], eni: r.eni[i]}
}

func (r *resCols) add(i int, d resources) {
	r.cpu[i] += d.cpu
	r.mem[i] += d.mem
	r.gpu[i] += d.gpu
	r.eni[i] += d.eni
}

// attrName is one interned attribute name with its interned values and
// its column: the value id of every instance, 0 when it lacks the
// attribute. Names and values are only ever added, so the ids a compiled
// [Plan] holds stay valid for the life of the Cluster.
type attrName struct {
	name   string
	values []string  // by value id; values[0] is unused (absent)
	nums   []float64 // values read as numbers, for ordering operators
	isNum  []bool
	valIdx map[string]int32
	col    []int32
}

type attrPair struct{ name, value int32 }

// group counts the tasks of one task group: in all, per instance, and per
// value of every attribute (so that spread on any attribute is a lookup).
type group struct {
	name    string
	total   int32
	perInst []int32   // by instance index; nil until the group first has a task
	byAttr  [][]int32 // [name id][value id]
	present []int32   // [name id]: tasks on instances that have the attribute
}

const noTime = math.MinInt64

// Bits of Cluster.flags.
const (
	flagInactive = 1 << iota
	flagAgentOff
)

func makeFlags(s Status, agentOff bool) uint8 {
	var f uint8
	if s != Active {
		f |= flagInactive
	}
	if agentOff {
		f |= flagAgentOff
	}
	return f
}

// NewCluster returns an empty cluster.
func NewCluster() *Cluster {
	return &Cluster{
		index:    make(map[string]int32),
		nameIdx:  make(map[string]int32),
		groupIdx: make(map[string]int32),
	}
}

// Len returns the number of registered instances, whatever their status.
func (c *Cluster) Len() int { return len(c.ids) }

// IDs returns the IDs of the registered instances in ID order.
func (c *Cluster) IDs() []string { return slices.Clone(c.ids) }

func (c *Cluster) lookup(id string) (int, error) {
	i, ok := c.index[id]
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	}
	return int(i), nil
}

// AddInstance registers a container instance. It returns
// [ErrDuplicateInstance] if the ID is taken and [ErrInvalidInstance] for
// negative resources, a bad dynamic port range or an unparsable agent
// version.
func (c *Cluster) AddInstance(in Instance) error {
	if in.ID == "" {
		return fmt.Errorf("%w: empty ID", ErrInvalidInstance)
	}
	if _, ok := c.index[in.ID]; ok {
		return fmt.Errorf("%w: %q", ErrDuplicateInstance, in.ID)
	}
	for _, v := range []int{in.CPU, in.Memory, in.GPUs, in.ENIs} {
		if v < 0 || v > math.MaxInt32 {
			return fmt.Errorf("%w: %q: resources must be between 0 and %d", ErrInvalidInstance, in.ID, math.MaxInt32)
		}
	}
	dyn := in.DynamicPorts
	if dyn == (PortRange{}) {
		dyn = DefaultDynamicPorts
	}
	if dyn.First == 0 || dyn.First > dyn.Last {
		return fmt.Errorf("%w: %q: bad dynamic port range %d-%d", ErrInvalidInstance, in.ID, dyn.First, dyn.Last)
	}
	ver, ok := parseVersion(in.AgentVersion)
	if !ok && in.AgentVersion != "" {
		return fmt.Errorf("%w: %q: bad agent version %q", ErrInvalidInstance, in.ID, in.AgentVersion)
	}
	for name := range in.Attributes {
		if name == "" {
			return fmt.Errorf("%w: %q: empty attribute name", ErrInvalidInstance, in.ID)
		}
	}
	reserved := in.ReservedPorts
	if reserved == nil {
		reserved = LinuxReservedPorts()
	}
	var ps portSet
	var used [2]int32
	for _, p := range reserved {
		if ps.add(p.key()) && dyn.contains(p.Number) {
			used[p.Protocol&1]++
		}
	}
	reg := int64(noTime)
	if !in.RegisteredAt.IsZero() {
		reg = in.RegisteredAt.Unix()
	}
	r := resources{cpu: int32(in.CPU), mem: int32(in.Memory), gpu: int32(in.GPUs), eni: int32(in.ENIs)}

	// Insert at the instance's place in ID order.
	at, _ := slices.BinarySearch(c.ids, in.ID)
	c.ids = slices.Insert(c.ids, at, in.ID)
	c.ec2 = slices.Insert(c.ec2, at, in.EC2InstanceID)
	c.status = slices.Insert(c.status, at, in.Status)
	c.agentOff = slices.Insert(c.agentOff, at, in.AgentDisconnected)
	c.flags = slices.Insert(c.flags, at, makeFlags(in.Status, in.AgentDisconnected))
	if in.Status == Active {
		c.active++
	}
	c.agentVer = slices.Insert(c.agentVer, at, ver)
	c.regAt = slices.Insert(c.regAt, at, reg)
	c.reg.insert(at, r)
	c.rem.insert(at, r)
	c.tasks = slices.Insert(c.tasks, at, 0)
	c.ports = slices.Insert(c.ports, at, ps)
	c.static = slices.Insert(c.static, at, int32(len(ps)))
	c.dyn = slices.Insert(c.dyn, at, dyn)
	c.dynUsed = slices.Insert(c.dynUsed, at, used)
	c.groupsOn = slices.Insert(c.groupsOn, at, nil)
	c.attrs = slices.Insert(c.attrs, at, nil)
	for _, n := range c.names {
		n.col = slices.Insert(n.col, at, 0)
	}
	for _, g := range c.groups {
		if g.perInst != nil {
			g.perInst = slices.Insert(g.perInst, at, 0)
		}
	}
	c.reindex(at)
	// Attributes in name order, so that interning order (and so every id)
	// does not depend on map iteration.
	for _, name := range slices.Sorted(maps.Keys(in.Attributes)) {
		c.setAttr(at, name, in.Attributes[name])
	}
	return nil
}

// reindex refreshes the ID index from position from on.
func (c *Cluster) reindex(from int) {
	for j := from; j < len(c.ids); j++ {
		c.index[c.ids[j]] = int32(j)
	}
}

// RemoveInstance deregisters a container instance. The tasks still
// reserved on it stop counting (for spread, distinctInstance and
// task:group); releasing their leases afterwards returns
// ErrUnknownInstance and changes nothing.
func (c *Cluster) RemoveInstance(id string) error {
	i, err := c.lookup(id)
	if err != nil {
		return err
	}
	for _, gid := range c.groupsOn[i] {
		g := c.groups[gid]
		k := g.perInst[i]
		g.total -= k
		for _, a := range c.attrs[i] {
			g.addAttr(a, -k)
		}
	}
	if c.status[i] == Active {
		c.active--
	}
	c.ids = slices.Delete(c.ids, i, i+1)
	c.ec2 = slices.Delete(c.ec2, i, i+1)
	c.status = slices.Delete(c.status, i, i+1)
	c.agentOff = slices.Delete(c.agentOff, i, i+1)
	c.flags = slices.Delete(c.flags, i, i+1)
	c.agentVer = slices.Delete(c.agentVer, i, i+1)
	c.regAt = slices.Delete(c.regAt, i, i+1)
	c.reg.delete(i)
	c.rem.delete(i)
	c.tasks = slices.Delete(c.tasks, i, i+1)
	c.ports = slices.Delete(c.ports, i, i+1)
	c.static = slices.Delete(c.static, i, i+1)
	c.dyn = slices.Delete(c.dyn, i, i+1)
	c.dynUsed = slices.Delete(c.dynUsed, i, i+1)
	c.groupsOn = slices.Delete(c.groupsOn, i, i+1)
	c.attrs = slices.Delete(c.attrs, i, i+1)
	for _, n := range c.names {
		n.col = slices.Delete(n.col, i, i+1)
	}
	for _, g := range c.groups {
		if g.perInst != nil {
			g.perInst = slices.Delete(g.perInst, i, i+1)
		}
	}
	delete(c.index, id)
	c.reindex(i)
	return nil
}

// SetStatus changes an instance's status (DeregisterContainerInstance,
// UpdateContainerInstancesState). Only ACTIVE instances take tasks.
func (c *Cluster) SetStatus(id string, s Status) error {
	i, err := c.lookup(id)
	if err != nil {
		return err
	}
	if c.status[i] == Active {
		c.active--
	}
	if s == Active {
		c.active++
	}
	c.status[i] = s
	c.flags[i] = makeFlags(s, c.agentOff[i])
	return nil
}

// SetAgentConnected records whether the instance's agent is connected.
func (c *Cluster) SetAgentConnected(id string, connected bool) error {
	i, err := c.lookup(id)
	if err != nil {
		return err
	}
	c.agentOff[i] = !connected
	c.flags[i] = makeFlags(c.status[i], !connected)
	return nil
}

// PutAttribute sets an attribute of an instance (PutAttributes); value ""
// is an attribute without a value. Group counts per attribute value move
// with it, so spread sees the instance's tasks under the new value.
func (c *Cluster) PutAttribute(id, name, value string) error {
	i, err := c.lookup(id)
	if err != nil {
		return err
	}
	if name == "" {
		return fmt.Errorf("%w: empty attribute name", ErrInvalidInstance)
	}
	c.setAttr(i, name, value)
	return nil
}

// DeleteAttribute removes an attribute from an instance (DeleteAttributes).
// Removing an attribute the instance lacks is not an error.
func (c *Cluster) DeleteAttribute(id, name string) error {
	i, err := c.lookup(id)
	if err != nil {
		return err
	}
	n, ok := c.nameIdx[name]
	if !ok || c.names[n].col[i] == 0 {
		return nil
	}
	old := attrPair{n, c.names[n].col[i]}
	c.moveGroups(i, old, -1)
	c.names[n].col[i] = 0
	j := slices.IndexFunc(c.attrs[i], func(a attrPair) bool { return a.name == n })
	c.attrs[i] = slices.Delete(c.attrs[i], j, j+1)
	return nil
}

func (c *Cluster) setAttr(i int, name, value string) {
	n := c.internName(name)
	v := c.names[n].intern(value)
	an := c.names[n]
	if old := an.col[i]; old != 0 {
		if old == v {
			return
		}
		c.moveGroups(i, attrPair{n, old}, -1)
	}
	an.col[i] = v
	c.moveGroups(i, attrPair{n, v}, +1)
	j, found := slices.BinarySearchFunc(c.attrs[i], n, func(a attrPair, n int32) int { return int(a.name - n) })
	if found {
		c.attrs[i][j].value = v
	} else {
		c.attrs[i] = slices.Insert(c.attrs[i], j, attrPair{n, v})
	}
}

// moveGroups adds (sign +1) or removes (-1) the instance's group counts
// under one attribute value.
func (c *Cluster) moveGroups(i int, a attrPair, sign int32) {
	for _, gid := range c.groupsOn[i] {
		g := c.groups[gid]
		g.addAttr(a, sign*g.perInst[i])
	}
}

func (c *Cluster) internName(name string) int32 {
	if n, ok := c.nameIdx[name]; ok {
		return n
	}
	n := int32(len(c.names))
	c.names = append(c.names, &attrName{
		name:   name,
		values: []string{""},
		nums:   []float64{0},
		isNum:  []bool{false},
		valIdx: make(map[string]int32),
		col:    make([]int32, len(c.ids)),
	})
	c.nameIdx[name] = n
	return n
}

func (an *attrName) intern(value string) int32 {
	if v, ok := an.valIdx[value]; ok {
		return v
	}
	v := int32(len(an.values))
	an.values = append(an.values, value)
	f, ok := parseNumber(value)
	an.nums = append(an.nums, f)
	an.isNum = append(an.isNum, ok)
	an.valIdx[value] = v
	return v
}

func (c *Cluster) internGroup(name string) int32 {
	if g, ok := c.groupIdx[name]; ok {
		return g
	}
	g := int32(len(c.groups))
	c.groups = append(c.groups, &group{name: name})
	c.groupIdx[name] = g
	return g
}

// groupOf returns the state of a task group, nil when it has never had a
// task (every count is zero).
func (c *Cluster) groupOf(name string) *group {
	if g, ok := c.groupIdx[name]; ok {
		return c.groups[g]
	}
	return nil
}

func (g *group) addAttr(a attrPair, d int32) {
	if d == 0 {
		return
	}
	if int(a.name) >= len(g.byAttr) {
		g.byAttr = append(g.byAttr, make([][]int32, int(a.name)+1-len(g.byAttr))...)
		g.present = append(g.present, make([]int32, int(a.name)+1-len(g.present))...)
	}
	b := g.byAttr[a.name]
	if int(a.value) >= len(b) {
		b = append(b, make([]int32, int(a.value)+1-len(b))...)
		g.byAttr[a.name] = b
	}
	b[a.value] += d
	g.present[a.name] += d
}

// onInstance returns how many tasks of the group are on instance i.
func (g *group) onInstance(i int) int32 {
	if g == nil || g.perInst == nil {
		return 0
	}
	return g.perInst[i]
}

// underValue returns how many tasks of the group are on instances whose
// attribute n has value v; v == 0 counts the instances lacking it.
func (g *group) underValue(n, v int32) int32 {
	if g == nil {
		return 0
	}
	if v == 0 {
		if int(n) < len(g.present) {
			return g.total - g.present[n]
		}
		return g.total
	}
	if int(n) < len(g.byAttr) && int(v) < len(g.byAttr[n]) {
		return g.byAttr[n][v]
	}
	return 0
}

func checkTask(t *Task) error {
	for _, v := range []int{t.CPU, t.Memory, t.GPUs, t.DynamicTCPPorts, t.DynamicUDPPorts} {
		if v < 0 || v > math.MaxInt32 {
			return fmt.Errorf("%w: amounts must be between 0 and %d", ErrInvalidTask, math.MaxInt32)
		}
	}
	for j, p := range t.HostPorts {
		if p.Protocol > UDP {
			return fmt.Errorf("%w: bad protocol of host port %d", ErrInvalidTask, p.Number)
		}
		for _, q := range t.HostPorts[:j] {
			if p == q {
				return fmt.Errorf("%w: host port %s repeated", ErrInvalidTask, p)
			}
		}
	}
	return nil
}

// Lease is what [Cluster.Reserve] took for one task. The caller keeps it
// with the task and hands it back to [Cluster.Leave] and [Cluster.Release].
type Lease struct {
	// Instance is where the task runs.
	Instance string
	// Task is the task as reserved (its HostPorts slice is shared with the
	// caller's Task and must not change).
	Task Task
	// Dynamic are the host ports chosen for the task's dynamic mappings:
	// TCP first, then UDP, each in increasing order.
	Dynamic []Port

	held    bool // resources still reserved
	counted bool // still counted in its group
}

// Counted reports whether the task still counts in its group (it has not
// left).
func (l *Lease) Counted() bool { return l.counted }

// Held reports whether the lease's resources are still reserved.
func (l *Lease) Held() bool { return l.held }

// Reserve records that a task now holds resources on an instance (its CPU,
// memory, GPUs, ENI and host ports) and counts it in its group there
// (for spread, distinctInstance and task:group). It chooses the task's
// dynamic host ports, the lowest free ports of the instance's dynamic
// range, and returns them in the Lease.
//
// Reserve checks resources and ports only (not status, agent or
// constraints: StartTask and daemon tasks go where they are told). It
// returns [ErrDoesNotFit] when they are not free, [ErrInvalidTask] for an
// impossible task, and [ErrUnknownInstance]; on error nothing changes. It
// allocates only for dynamic ports.
func (c *Cluster) Reserve(id string, t *Task) (Lease, error) {
	i, err := c.lookup(id)
	if err != nil {
		return Lease{}, err
	}
	if err := checkTask(t); err != nil {
		return Lease{}, err
	}
	if r := c.resourceFit(i, t); r != Fits {
		return Lease{}, fmt.Errorf("%w: %s on %s", ErrDoesNotFit, r, id)
	}
	l := Lease{Instance: c.ids[i], Task: *t, held: true, counted: true}
	c.rem.add(i, taskResources(t, -1))
	c.tasks[i]++
	dyn := c.dyn[i]
	for _, p := range t.HostPorts {
		c.ports[i].add(p.key())
		if dyn.contains(p.Number) {
			c.dynUsed[i][p.Protocol]++
		}
	}
	c.static[i] += int32(len(t.HostPorts))
	for proto, need := range [2]int{t.DynamicTCPPorts, t.DynamicUDPPorts} {
		for range need {
			n, _ := c.ports[i].lowestFree(dyn, Protocol(proto)) // resourceFit checked there is room
			p := Port{Number: n, Protocol: Protocol(proto)}
			c.ports[i].add(p.key())
			c.dynUsed[i][proto]++
			l.Dynamic = append(l.Dynamic, p)
		}
	}
	c.addGroupTask(i, t.Group, +1)
	return l, nil
}

// Leave stops counting a task in its group while it keeps its resources:
// call it when the task's desired status becomes STOPPED. ECS "looks at
// the desired status of the tasks" for distinctInstance, so a task on its
// way out does not keep a replacement off its instance
// [DG:task-placement-constraints]; ecssim applies the same rule to spread
// and task:group. Leaving twice is a no-op.
func (c *Cluster) Leave(l *Lease) error {
	if !l.counted {
		return nil
	}
	i, err := c.lookup(l.Instance)
	if err != nil {
		return err
	}
	c.addGroupTask(i, l.Task.Group, -1)
	l.counted = false
	return nil
}

// Release returns what Reserve took for the task (and leaves its group if
// it has not left yet): call it when the task has stopped. It returns
// [ErrNotReserved] for a lease already released (or never reserved) and
// [ErrUnknownInstance] when the instance was removed, whose tasks stopped
// counting then.
func (c *Cluster) Release(l *Lease) error {
	if !l.held {
		return fmt.Errorf("%w: task on %q", ErrNotReserved, l.Instance)
	}
	i, err := c.lookup(l.Instance)
	if err != nil {
		return err
	}
	t := &l.Task
	c.rem.add(i, taskResources(t, 1))
	c.tasks[i]--
	dyn := c.dyn[i]
	for _, p := range t.HostPorts {
		c.ports[i].remove(p.key())
		if dyn.contains(p.Number) {
			c.dynUsed[i][p.Protocol]--
		}
	}
	c.static[i] -= int32(len(t.HostPorts))
	for _, p := range l.Dynamic {
		c.ports[i].remove(p.key())
		c.dynUsed[i][p.Protocol]--
	}
	if l.counted {
		c.addGroupTask(i, t.Group, -1)
		l.counted = false
	}
	l.held = false
	return nil
}

// taskResources returns the task's amounts times sign (checkTask has
// bounded them to int32).
func taskResources(t *Task, sign int32) resources {
	r := resources{cpu: int32(t.CPU), mem: int32(t.Memory), gpu: int32(t.GPUs)}
	if t.ENI {
		r.eni = 1
	}
	return resources{cpu: sign * r.cpu, mem: sign * r.mem, gpu: sign * r.gpu, eni: sign * r.eni}
}

func (c *Cluster) addGroupTask(i int, name string, d int32) {
	gid := c.internGroup(name)
	g := c.groups[gid]
	if g.perInst == nil {
		g.perInst = make([]int32, len(c.ids))
	}
	g.perInst[i] += d
	g.total += d
	switch g.perInst[i] {
	case 1:
		if d > 0 {
			c.groupsOn[i] = append(c.groupsOn[i], gid)
		}
	case 0:
		j := slices.Index(c.groupsOn[i], gid)
		c.groupsOn[i] = slices.Delete(c.groupsOn[i], j, j+1)
	}
	for _, a := range c.attrs[i] {
		g.addAttr(a, d)
	}
}

// Remaining returns what an instance has left for new tasks.
func (c *Cluster) Remaining(id string) (Resources, bool) {
	i, ok := c.index[id]
	if !ok {
		return Resources{}, false
	}
	r := c.rem.at(int(i))
	return Resources{CPU: int(r.cpu), Memory: int(r.mem), GPUs: int(r.gpu), ENIs: int(r.eni)}, true
}

// TaskCount returns how many tasks hold resources on an instance (the
// runningTasksCount that the query language sees), whether or not they
// have left their group.
func (c *Cluster) TaskCount(id string) int {
	i, ok := c.index[id]
	if !ok {
		return 0
	}
	return int(c.tasks[i])
}

// GroupCount returns how many tasks of a group count on an instance
// (reserved and not left).
func (c *Cluster) GroupCount(group, id string) int {
	i, ok := c.index[id]
	if !ok {
		return 0
	}
	return int(c.groupOf(group).onInstance(int(i)))
}

// UsedPorts returns the host ports in use on an instance (the agent's
// reserved ports and every task's static and dynamic ports), in order.
func (c *Cluster) UsedPorts(id string) []Port {
	i, ok := c.index[id]
	if !ok {
		return nil
	}
	ps := make([]Port, len(c.ports[i]))
	for j, k := range c.ports[i] {
		ps[j] = portOfKey(k)
	}
	return ps
}
