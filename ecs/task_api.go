package ecs

import (
	"encoding/json"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/vpc"
)

// startedByRE: up to 128 letters, digits, hyphens, forward slashes and
// underscores. [API:RunTaskRequest.startedBy]
var startedByRE = regexp.MustCompile(`^[A-Za-z0-9/_-]{1,128}$`)

func ts(t sim.Time) api.Timestamp {
	if t == 0 {
		return api.Timestamp{}
	}
	return api.NewTimestamp(t.Time())
}

// shape returns the API shape of a task.
func (t *task) shape(withTags bool) Task {
	out := Task{
		ClusterArn:           t.cl.arn,
		TaskArn:              t.arn,
		TaskDefinitionArn:    t.def.TaskDefinitionArn,
		AvailabilityZone:     t.az(),
		CapacityProviderName: t.provider,
		Cpu:                  t.cpu,
		Memory:               t.mem,
		CreatedAt:            ts(t.createdAt),
		DesiredStatus:        t.desired,
		LastStatus:           t.last,
		HealthStatus:         t.health,
		Group:                t.group,
		StartedBy:            t.startedBy,
		LaunchType:           t.launchType,
		PlatformVersion:      t.platformVersion(),
		PlatformFamily:       "Linux",
		PullStartedAt:        ts(t.pullStartedAt),
		PullStoppedAt:        ts(t.pullStoppedAt),
		StartedAt:            ts(t.startedAt),
		StoppingAt:           ts(t.stoppingAt),
		StoppedAt:            ts(t.stoppedAt),
		ExecutionStoppedAt:   ts(t.executionStoppedAt),
		StopCode:             t.stopCode,
		StoppedReason:        t.stopReason,
		Version:              t.version,
		Connectivity:         "CONNECTED",
		ConnectivityAt:       ts(t.createdAt),
	}
	if t.overrides != nil {
		out.Overrides = *t.overrides
	}
	if out.Overrides.ContainerOverrides == nil {
		out.Overrides.ContainerOverrides = []ContainerOverride{}
	}
	if withTags {
		out.Tags = slices.Clone(t.tags)
	}
	out.Attachments = []Attachment{}
	awsvpc := api.Deref(t.def.NetworkMode) == "awsvpc"
	status := "ATTACHED"
	switch t.last {
	case StatusProvisioning:
		status = "PRECREATED"
	case StatusDeprovisioning:
		status = "DETACHING"
	case StatusStopped:
		status = "DELETED"
	}
	var details []KeyValuePair
	if t.eniText != "" {
		for _, d := range t.views().details {
			details = append(details, KeyValuePair{Name: api.String(d.Name), Value: api.String(d.Value)})
		}
	}
	if details == nil {
		details = []KeyValuePair{
			{Name: api.String("subnetId"), Value: api.String(t.subnetID)},
			{Name: api.String("networkInterfaceId"), Value: api.String(t.eniID)},
		}
		if t.ip.IsValid() {
			details = append(details, KeyValuePair{Name: api.String("privateIPv4Address"), Value: api.String(t.ip.String())})
		}
	}
	if awsvpc && (t.inst != nil || t.launchType == LaunchFargate) {
		// Only awsvpc tasks have an ENI of their own. [DG:task-networking]
		out.Attachments = []Attachment{{Id: t.attachmentID, Type: "ElasticNetworkInterface", Status: status, Details: details}}
	}
	for _, c := range t.containers {
		cs := Container{
			ContainerArn:    c.arn,
			TaskArn:         t.arn,
			Name:            c.spec.name,
			Image:           c.spec.image,
			RuntimeId:       c.runtimeID,
			LastStatus:      c.last,
			ExitCode:        c.exitCode,
			Reason:          c.reason,
			HealthStatus:    c.health,
			NetworkBindings: []NetworkBinding{},
		}
		if c.spec.cpu > 0 {
			cs.Cpu = fmt.Sprint(c.spec.cpu)
		}
		if c.spec.memory != nil {
			cs.Memory = fmt.Sprint(*c.spec.memory)
		}
		if c.spec.memoryRes != nil {
			cs.MemoryReservation = fmt.Sprint(*c.spec.memoryRes)
		}
		if t.ip.IsValid() && awsvpc {
			cs.NetworkInterfaces = []NetworkInterface{{AttachmentId: api.String(t.attachmentID), PrivateIpv4Address: api.String(t.ip.String())}}
		} else {
			cs.NetworkInterfaces = []NetworkInterface{}
		}
		out.Containers = append(out.Containers, cs)
	}
	if t.inst != nil {
		out.ContainerInstanceArn = t.inst.arn
		t.bindings(out.Containers)
	}
	return out
}

// TaskStateChange is the trace detail of an "ECS Task State Change"
// event: the task as EventBridge carries it, with the fields of the Task
// object that AWS's example events show. [DG:ecs_cwe_events]
type TaskStateChange struct {
	Attachments          []EventAttachment `json:"attachments"`
	AvailabilityZone     string            `json:"availabilityZone,omitempty"`
	CapacityProviderName string            `json:"capacityProviderName,omitempty"`
	ClusterArn           string            `json:"clusterArn"`
	Connectivity         string            `json:"connectivity,omitempty"`
	ConnectivityAt       EventTime         `json:"connectivityAt,omitzero"`
	ContainerInstanceArn string            `json:"containerInstanceArn,omitempty"`
	Containers           []ContainerState  `json:"containers"`
	Cpu                  string            `json:"cpu,omitempty"`
	CreatedAt            EventTime         `json:"createdAt,omitzero"`
	DesiredStatus        string            `json:"desiredStatus"`
	ExecutionStoppedAt   EventTime         `json:"executionStoppedAt,omitzero"`
	Group                string            `json:"group,omitempty"`
	HealthStatus         string            `json:"healthStatus"`
	LastStatus           string            `json:"lastStatus"`
	LaunchType           string            `json:"launchType"`
	Memory               string            `json:"memory,omitempty"`
	// Overrides is the task's overrides object, encoded once per task.
	Overrides         json.RawMessage `json:"overrides,omitempty"`
	PlatformVersion   string          `json:"platformVersion,omitempty"`
	PullStartedAt     EventTime       `json:"pullStartedAt,omitzero"`
	PullStoppedAt     EventTime       `json:"pullStoppedAt,omitzero"`
	StartedAt         EventTime       `json:"startedAt,omitzero"`
	StartedBy         string          `json:"startedBy,omitempty"`
	StopCode          string          `json:"stopCode,omitempty"`
	StoppedAt         EventTime       `json:"stoppedAt,omitzero"`
	StoppedReason     string          `json:"stoppedReason,omitempty"`
	StoppingAt        EventTime       `json:"stoppingAt,omitzero"`
	TaskArn           string          `json:"taskArn"`
	TaskDefinitionArn string          `json:"taskDefinitionArn"`
	UpdatedAt         EventTime       `json:"updatedAt,omitzero"`
	Version           int64           `json:"version"`

	// names are the names of the task recordTask made the change from,
	// while the trace may encode it (zero after), when nothing but
	// recordTask has written the change: see AppendJSON.
	names eventNames
}

// eventNames is what AppendJSON copies into a task's event without a
// scan: the task's names, checked once to need no escaping when the task
// was named, and the text of its ENI. It is a copy, not the task, so that
// a change encoded later, on the trace's encoder, reads nothing that the
// model changes meanwhile (strings are immutable).
type eventNames struct {
	set                                                 bool // the change holds the names of a task whose names are plain
	eniPlain                                            bool // the ENI's text is built and plain
	macEnd                                              uint16
	arn, attachmentID, subnetID, eniID, eniText, ipText string
	// specs are the task's container specs, in the order of its
	// containers, shared by its definition's tasks and never modified.
	specs []containerSpec
}

// namesOf returns the event names of t, or none when its names need
// escaping.
func namesOf(t *task) eventNames {
	if !t.plain {
		return eventNames{}
	}
	return eventNames{set: true, eniPlain: t.eniPlain, macEnd: t.macEnd, arn: t.arn,
		attachmentID: t.attachmentID, subnetID: t.subnetID, eniID: t.eniID, eniText: t.eniText, ipText: t.ipText,
		specs: t.spec.containers}
}

// changeSlot holds a task event that nothing keeps and what its slices
// point into; see recordTask.
type changeSlot struct {
	change     TaskStateChange
	attachment [1]EventAttachment
	details    [5]EventDetail
	netIf      [1]EventNetworkInterface
	resource   [1]string
	exits      []int32 // what the containers' exit codes point to
}

// deferredChanges is how many task events the model can have on their
// way to the trace's encoder before it waits for it: more than a trace
// defers at a time, so that it does not wait. The ring starts with
// firstChanges slots and doubles while the encoder is behind, so a short
// run keeps a few.
const (
	firstChanges    = 16
	deferredChanges = 1024
)

// EventAttachment is a task's ENI in an event: type "eni" and the
// details subnetId, networkInterfaceId, macAddress, privateDnsName and
// privateIPv4Address. [DG:ecs_cwe_events]
type EventAttachment struct {
	Id      string        `json:"id"`
	Type    string        `json:"type"`
	Status  string        `json:"status"`
	Details []EventDetail `json:"details"`
}

// EventDetail is one name and value of an EventAttachment.
type EventDetail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ContainerState is a container inside a TaskStateChange.
type ContainerState struct {
	ContainerArn      string                  `json:"containerArn"`
	Cpu               string                  `json:"cpu,omitempty"`
	ExitCode          *int32                  `json:"exitCode,omitempty"`
	HealthStatus      string                  `json:"healthStatus"`
	Image             string                  `json:"image"`
	LastStatus        string                  `json:"lastStatus"`
	Memory            string                  `json:"memory,omitempty"`
	Name              string                  `json:"name"`
	NetworkBindings   []NetworkBinding        `json:"networkBindings,omitempty"`
	NetworkInterfaces []EventNetworkInterface `json:"networkInterfaces,omitempty"`
	Reason            string                  `json:"reason,omitempty"`
	RuntimeId         string                  `json:"runtimeId,omitempty"`
	TaskArn           string                  `json:"taskArn"`
}

// EventNetworkInterface is a container's view of the task ENI in an
// event.
type EventNetworkInterface struct {
	AttachmentId       string `json:"attachmentId"`
	PrivateIpv4Address string `json:"privateIpv4Address"`
}

// EventTime is an instant in an event detail, written as EventBridge
// writes it: ISO 8601 in UTC with milliseconds, "2026-01-01T00:00:07.251Z".
// The zero value means "not yet" and is left out.
type EventTime sim.Time

// IsZero reports whether t is unset.
func (t EventTime) IsZero() bool { return t == 0 }

// Time returns t as a time.Time.
func (t EventTime) Time() time.Time { return sim.Time(t).Time() }

// MarshalJSON writes t as a JSON string.
func (t EventTime) MarshalJSON() ([]byte, error) { return t.appendJSON(nil), nil }

func (t EventTime) appendJSON(b []byte) []byte {
	b = append(b, '"')
	b = sim.AppendTime(b, sim.Time(t))
	return append(b, '"')
}

// Event types and sources of the trace.
const (
	EventTaskStateChange       = "ECS Task State Change"
	EventServiceAction         = "ECS Service Action"
	EventDeploymentStateChange = "ECS Deployment State Change"
	SourceECS                  = "aws.ecs"
)

// recordTask bumps the task's version and records its state as an "ECS
// Task State Change" event carrying the task. [DG:ecs_cwe_events]
//
// When nothing outlives the call (no kept records, no observer that
// keeps them), the detail and its slices are space the ECS reuses: its
// scratch when the trace encodes at once, or, when the trace encodes on
// its encoder later ([sim.Trace.Defers]), the next slot of a ring that
// the model reuses only once the trace has encoded the slot's event.
// [sim.Trace.Retains]
func (m *ECS) recordTask(t *task) {
	t.version++
	tr := m.eng.Trace()
	retained := tr.Retains()
	var slot *changeSlot // the space the change lives in; nil when kept
	deferred, ring := false, 0
	switch {
	case retained:
	case tr.Defers():
		slot, ring = m.nextChangeSlot(tr)
		deferred = true
	default:
		slot = &m.scratch
	}
	var d *TaskStateChange
	if slot != nil {
		d = &slot.change
	} else {
		d = new(TaskStateChange)
	}
	containers := d.Containers[:0]
	*d = TaskStateChange{
		AvailabilityZone:     t.az(),
		CapacityProviderName: t.provider,
		ClusterArn:           t.cl.arn,
		Connectivity:         "CONNECTED",
		ConnectivityAt:       EventTime(t.createdAt),
		Cpu:                  t.cpu,
		CreatedAt:            EventTime(t.createdAt),
		DesiredStatus:        t.desired,
		ExecutionStoppedAt:   EventTime(t.executionStoppedAt),
		Group:                t.group,
		HealthStatus:         t.health,
		LastStatus:           t.last,
		LaunchType:           t.launchType,
		Memory:               t.mem,
		Overrides:            m.overridesJSON(t),
		PlatformVersion:      t.platformVersion(),
		PullStartedAt:        EventTime(t.pullStartedAt),
		PullStoppedAt:        EventTime(t.pullStoppedAt),
		StartedAt:            EventTime(t.startedAt),
		StartedBy:            t.startedBy,
		StopCode:             t.stopCode,
		StoppedAt:            EventTime(t.stoppedAt),
		StoppedReason:        t.stopReason,
		StoppingAt:           EventTime(t.stoppingAt),
		TaskArn:              t.arn,
		TaskDefinitionArn:    t.def.TaskDefinitionArn,
		UpdatedAt:            EventTime(m.eng.Now()),
		Version:              t.version,
	}
	if t.launchType == LaunchEC2 {
		d.PlatformVersion = "" // EC2 tasks have no platform version
	}
	if t.inst != nil {
		d.ContainerInstanceArn = t.inst.arn
	}
	awsvpc := t.awsvpc()
	switch {
	case !awsvpc:
		d.Attachments = noAttachments
	case slot == nil:
		d.Attachments = []EventAttachment{{Id: t.attachmentID, Type: "eni", Status: t.attachmentStatus(), Details: m.eniDetails(t, nil)}}
	default:
		slot.attachment = [1]EventAttachment{{Id: t.attachmentID, Type: "eni", Status: t.attachmentStatus(), Details: m.eniDetails(t, slot)}}
		d.Attachments = slot.attachment[:]
	}
	if slot == nil || cap(containers) < len(t.containers) {
		containers = make([]ContainerState, len(t.containers))
	}
	d.Containers = containers[:len(t.containers)]
	if slot != nil && cap(slot.exits) < len(t.containers) {
		slot.exits = make([]int32, len(t.containers))
	}
	var bound []Container
	if t.inst != nil && !awsvpc {
		bound = make([]Container, len(t.containers))
		t.bindings(bound)
	}
	for i, c := range t.containers {
		cs := ContainerState{
			ContainerArn: c.arn,
			ExitCode:     c.exitCode,
			HealthStatus: c.health,
			Image:        c.spec.image,
			LastStatus:   c.last,
			Name:         c.spec.name,
			Reason:       c.reason,
			RuntimeId:    c.runtimeID,
			TaskArn:      t.arn,
			Cpu:          c.spec.cpuText,
			Memory:       c.spec.memoryText,
		}
		if c.exitCode != nil && slot != nil {
			// The change's own copy: the container's may change
			// before the trace encodes the change.
			slot.exits[i] = *c.exitCode
			cs.ExitCode = &slot.exits[i]
		}
		if awsvpc && t.ip.IsValid() {
			cs.NetworkInterfaces = m.networkInterfaces(t, slot)
		}
		if bound != nil {
			cs.NetworkBindings = bound[i].NetworkBindings
		}
		d.Containers[i] = cs
	}
	d.names = namesOf(t)
	// The event's type and source are constants and its one resource
	// the task's ARN, checked with the task's names.
	if slot == nil {
		m.eng.Record(sim.Event{Type: EventTaskStateChange, Source: SourceECS, Resources: []string{t.arn}, Detail: d, Plain: t.plain})
		// A kept change must not take a later change of its fields
		// for the task's own strings.
		d.names = eventNames{}
		return
	}
	slot.resource[0] = t.arn
	m.eng.Record(sim.Event{Type: EventTaskStateChange, Source: SourceECS, Resources: slot.resource[:], Detail: d, Plain: t.plain, Deferred: deferred})
	if deferred {
		m.changeSeqs[ring] = tr.Len()
	}
}

// nextChangeSlot returns the ring's next slot for a deferred task event:
// the oldest, once the trace has encoded the event it held, or a new one
// while the ring may still grow, and its place in the ring.
func (m *ECS) nextChangeSlot(tr *sim.Trace) (slot *changeSlot, i int) {
	if len(m.changes) == 0 {
		m.changes, m.changeSeqs = newChangeSlots(firstChanges), make([]int, firstChanges)
	}
	i = m.nextChange
	if seq := m.changeSeqs[i]; seq > m.encodedSeen {
		m.encodedSeen = tr.Encoded()
		if seq > m.encodedSeen {
			if n := len(m.changes); n < deferredChanges {
				// New slots first, then the old ones, oldest first.
				ring := append(newChangeSlots(n), m.changes[i:]...)
				m.changes = append(ring, m.changes[:i]...)
				seqs := append(make([]int, n), m.changeSeqs[i:]...)
				m.changeSeqs = append(seqs, m.changeSeqs[:i]...)
				i = 0
			} else {
				tr.WaitEncoded()
				m.encodedSeen = tr.Encoded()
			}
		}
	}
	m.nextChange = (i + 1) % len(m.changes)
	return m.changes[i], i
}

// newChangeSlots returns n empty slots.
func newChangeSlots(n int) []*changeSlot {
	slots := make([]changeSlot, n)
	ring := make([]*changeSlot, n)
	for i := range slots {
		ring[i] = &slots[i]
	}
	return ring
}

// noAttachments is the attachments of a task without an ENI of its own;
// it is never modified.
var noAttachments = []EventAttachment{}

// networkInterfaces returns a container's view of the ENI of a task that
// has an address: in slot, the space of a change nothing keeps, or when
// slot is nil the task's own, shared by its kept events and never
// modified (see eniDetails).
func (m *ECS) networkInterfaces(t *task, slot *changeSlot) []EventNetworkInterface {
	m.eniText(t)
	if slot != nil {
		slot.netIf = [1]EventNetworkInterface{{AttachmentId: t.attachmentID, PrivateIpv4Address: t.ipText}}
		return slot.netIf[:]
	}
	return t.views().netIf[:]
}

// awsvpc reports whether the task has an ENI of its own. [DG:task-networking]
func (t *task) awsvpc() bool {
	return api.Deref(t.def.NetworkMode) == "awsvpc" && (t.inst != nil || t.launchType == LaunchFargate)
}

// attachmentStatus is the status of the task's ENI attachment at its
// lifecycle state.
func (t *task) attachmentStatus() string {
	switch t.last {
	case StatusProvisioning:
		return "PRECREATED"
	case StatusDeprovisioning:
		return "DETACHING"
	case StatusStopped:
		return "DELETED"
	}
	return "ATTACHED"
}

// overridesJSON returns the task's overrides object, encoded once.
func (m *ECS) overridesJSON(t *task) json.RawMessage {
	if t.overridesJSON == nil && (t.overrides == nil || t.overrides.isZero()) {
		// Without overrides every task of a definition has the same
		// object: build it once per definition.
		if t.spec.noOverridesJSON == nil {
			t.spec.noOverridesJSON = noOverrides(t)
		}
		t.overridesJSON = t.spec.noOverridesJSON
	}
	if t.overridesJSON == nil {
		// Events list every container in containerOverrides, by name,
		// as AWS's example events show. [DG:ecs_cwe_events]
		ov := *t.overrides
		named := map[string]bool{}
		for _, co := range ov.ContainerOverrides {
			named[api.Deref(co.Name)] = true
		}
		ov.ContainerOverrides = slices.Clone(ov.ContainerOverrides)
		for _, c := range t.containers {
			if !named[c.spec.name] {
				ov.ContainerOverrides = append(ov.ContainerOverrides, ContainerOverride{Name: api.String(c.spec.name)})
			}
		}
		b, err := json.Marshal(ov)
		if err != nil {
			b = []byte(`{"containerOverrides":[]}`)
		}
		t.overridesJSON = b
	}
	return t.overridesJSON
}

// isZero reports whether o overrides nothing.
func (o *TaskOverride) isZero() bool {
	return len(o.ContainerOverrides) == 0 && o.Cpu == nil && o.Memory == nil && len(o.InferenceAcceleratorOverrides) == 0 &&
		o.ExecutionRoleArn == nil && o.TaskRoleArn == nil && len(o.EphemeralStorage) == 0
}

// noOverrides encodes the overrides object of a task that has none: its
// containers by name.
func noOverrides(t *task) []byte {
	ov := TaskOverride{ContainerOverrides: make([]ContainerOverride, len(t.containers))}
	for i, c := range t.containers {
		ov.ContainerOverrides[i].Name = api.String(c.spec.name)
	}
	b, err := json.Marshal(ov)
	if err != nil {
		return []byte(`{}`)
	}
	return b
}

// eniDetails returns the details of the task's ENI: subnet and ENI ID,
// and once it has an address its MAC address, private DNS name and IPv4
// address, the names AWS's events and DescribeTasks use. [DG:ecs_cwe_events]
// With slot set the details are in slot, the space of a change nothing
// keeps; otherwise they are the task's own, built once and never
// modified, shared by its kept events.
func (m *ECS) eniDetails(t *task, slot *changeSlot) []EventDetail {
	if !m.eniText(t) {
		if slot != nil {
			slot.details[0] = EventDetail{Name: "subnetId", Value: t.subnetID}
			slot.details[1] = EventDetail{Name: "networkInterfaceId", Value: t.eniID}
			return slot.details[:2]
		}
		return []EventDetail{{Name: "subnetId", Value: t.subnetID}, {Name: "networkInterfaceId", Value: t.eniID}}
	}
	if slot != nil {
		slot.details = t.fullDetails()
		return slot.details[:]
	}
	return t.views().details[:]
}

// fullDetails returns the details of the ENI of a task whose ENI text is
// built.
func (t *task) fullDetails() [5]EventDetail {
	return [5]EventDetail{
		{Name: "subnetId", Value: t.subnetID},
		{Name: "networkInterfaceId", Value: t.eniID},
		{Name: "macAddress", Value: t.eniText[len(t.ipText):t.macEnd]},
		{Name: "privateDnsName", Value: t.eniText[t.macEnd:]},
		{Name: "privateIPv4Address", Value: t.ipText},
	}
}

// views returns the ENI's details and network interface as the task's
// kept events and DescribeTasks share them, built the first time one
// needs them: long runs that keep no trace never do.
func (t *task) views() *taskENI {
	if t.eniViews == nil {
		t.eniViews = &taskENI{
			details: t.fullDetails(),
			netIf:   [1]EventNetworkInterface{{AttachmentId: t.attachmentID, PrivateIpv4Address: t.ipText}},
		}
	}
	return t.eniViews
}

// eniText builds, once the task has an address, the text of its ENI: the
// address, the MAC address and the private DNS name in one string, which
// its events and DescribeTasks point into. It reports whether the task
// has it.
func (m *ECS) eniText(t *task) bool {
	if t.eniText != "" {
		return true
	}
	if !t.ip.IsValid() {
		return false
	}
	var buf [96]byte
	b := t.ip.AppendTo(buf[:0])
	ipEnd := len(b)
	b = appendMACAddress(b, t.eniID)
	macEnd := len(b)
	b = appendPrivateDNSName(b, m.cfg.Region, b[:ipEnd])
	s := string(b)
	t.eniText, t.ipText, t.macEnd = s, s[:ipEnd], uint16(macEnd)
	t.eniPlain = sim.JSONPlain(s) && sim.JSONPlain(t.subnetID) && sim.JSONPlain(t.eniID) && sim.JSONPlain(t.attachmentID)
	return true
}

// appendMACAddress appends a stable, locally administered unicast MAC
// address derived from an ENI ID, in the form AWS shows
// ("0a:98:eb:a7:29:ba").
func appendMACAddress(b []byte, eniID string) []byte {
	h := uint64(14695981039346656037)
	for i := 0; i < len(eniID); i++ {
		h = (h ^ uint64(eniID[i])) * 1099511628211
	}
	const hexDigits = "0123456789abcdef"
	b = append(b, "0a"...)
	for i := 0; i < 5; i++ {
		v := byte(h >> (8 * i))
		b = append(b, ':', hexDigits[v>>4], hexDigits[v&0xf])
	}
	return b
}

// appendPrivateDNSName appends the EC2 private DNS name of an address:
// ip-10-0-0-139.ec2.internal in us-east-1,
// ip-10-0-0-139.<region>.compute.internal elsewhere; ip may be a part of b.
// [https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html]
func appendPrivateDNSName(b []byte, region string, ip []byte) []byte {
	b = append(b, "ip-"...)
	for i := 0; i < len(ip); i++ {
		c := ip[i]
		if c == '.' {
			c = '-'
		}
		b = append(b, c)
	}
	if region == "us-east-1" {
		return append(b, ".ec2.internal"...)
	}
	b = append(b, '.')
	b = append(b, region...)
	return append(b, ".compute.internal"...)
}

// placement is where a Fargate task will run.
type awsvpcPlacement struct {
	subnets []vpc.Subnet
	groups  []string
}

// same reports whether p and q place tasks alike (both nil included).
func (p *awsvpcPlacement) same(q *awsvpcPlacement) bool {
	if p == nil || q == nil {
		return p == q
	}
	return slices.Equal(p.subnets, q.subnets) && slices.Equal(p.groups, q.groups)
}

// resolveAwsvpc checks a network configuration for an awsvpc task
// definition and resolves its subnets, with ECS's errors.
// [API:RunTaskRequest.networkConfiguration]
func (m *ECS) resolveAwsvpc(td *TaskDefinition, nc *NetworkConfiguration, path string) (*awsvpcPlacement, error) {
	mode := api.Deref(td.NetworkMode)
	if mode != "awsvpc" {
		if nc != nil && nc.AwsvpcConfiguration != nil {
			return nil, api.InvalidParameter("Network Configuration is not valid for the given networkMode of this task definition.").At(path)
		}
		return nil, nil
	}
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return nil, api.InvalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.").At(path)
	}
	cfg := nc.AwsvpcConfiguration
	if len(cfg.Subnets) == 0 {
		return nil, api.InvalidParameter("subnets can not be empty.").At(path + ".awsvpcConfiguration.subnets")
	}
	if len(cfg.Subnets) > 16 {
		return nil, api.InvalidParameter("subnets can have at most 16 items.").At(path + ".awsvpcConfiguration.subnets")
	}
	if len(cfg.SecurityGroups) > 5 {
		return nil, api.InvalidParameter("securityGroups can have at most 5 items.").At(path + ".awsvpcConfiguration.securityGroups")
	}
	if p := api.Deref(cfg.AssignPublicIp); p != "" && p != "ENABLED" && p != "DISABLED" {
		return nil, api.InvalidParameter("assignPublicIp must be ENABLED or DISABLED.").At(path + ".awsvpcConfiguration.assignPublicIp")
	}
	out := &awsvpcPlacement{}
	var missing []string
	vpcID := ""
	for _, id := range cfg.Subnets {
		s, ok := m.net.Subnet(id)
		if !ok {
			missing = append(missing, id)
			continue
		}
		if vpcID == "" {
			vpcID = s.VpcID
		} else if s.VpcID != vpcID {
			return nil, api.InvalidParameter("Subnets must belong to the same VPC.").At(path + ".awsvpcConfiguration.subnets")
		}
		if !slices.ContainsFunc(out.subnets, func(x vpc.Subnet) bool { return x.ID == id }) {
			out.subnets = append(out.subnets, s)
		}
	}
	if len(missing) > 0 {
		// Observed wording. (https://github.com/eddmann/serverless-fargate/issues/20)
		return nil, api.InvalidParameter("Error retrieving subnet information for [%s]: The subnet ID '%s' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
			strings.Join(missing, ", "), missing[0]).At(path + ".awsvpcConfiguration.subnets")
	}
	for _, id := range cfg.SecurityGroups {
		g, ok := m.net.SecurityGroup(id)
		if !ok {
			return nil, api.InvalidParameter("Error retrieving security group information for [%s]: The security group '%s' does not exist (ErrorCode: InvalidGroup.NotFound)", id, id).At(path + ".awsvpcConfiguration.securityGroups")
		}
		if g.VpcID != vpcID {
			return nil, api.InvalidParameter("Security group %s and subnets are not in the same VPC.", id).At(path + ".awsvpcConfiguration.securityGroups")
		}
		out.groups = append(out.groups, id)
	}
	return out, nil
}

// pickSubnet chooses the subnet for a new Fargate task: among subnets whose
// AZ is up, the AZ with the fewest active tasks among peers for which
// same() holds, then the subnet listed first. ok is false when every AZ is
// down. [DG:task-placement] (Fargate spreads tasks across AZs)
func (m *ECS) pickSubnet(p *awsvpcPlacement, peers iter.Seq[*task], same func(*task) bool) (vpc.Subnet, bool) {
	counts := map[string]int{}
	for t := range peers {
		if t.active() && t.last != StatusStopped && same(t) {
			counts[t.az()]++
		}
	}
	return m.pickSubnetByCount(p, counts)
}

// pickSubnetByCount is pickSubnet with the peers already counted per
// Availability Zone.
func (m *ECS) pickSubnetByCount(p *awsvpcPlacement, counts map[string]int) (vpc.Subnet, bool) {
	best, bestN, ok := vpc.Subnet{}, 0, false
	for _, s := range p.subnets {
		if m.net.ZoneDown(s.AvailabilityZone) {
			continue
		}
		if n := counts[s.AvailabilityZone]; !ok || n < bestN {
			best, bestN, ok = s, n, true
		}
	}
	return best, ok
}

// RunTaskInput is the input of RunTask.
type RunTaskInput struct {
	CapacityProviderStrategy []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	Cluster                  *string                        `json:"cluster,omitempty"`
	Count                    *int32                         `json:"count,omitempty"`
	EnableECSManagedTags     *bool                          `json:"enableECSManagedTags,omitempty"`
	EnableExecuteCommand     *bool                          `json:"enableExecuteCommand,omitempty"`
	Group                    *string                        `json:"group,omitempty"`
	LaunchType               *string                        `json:"launchType,omitempty"`
	NetworkConfiguration     *NetworkConfiguration          `json:"networkConfiguration,omitempty"`
	Overrides                *TaskOverride                  `json:"overrides,omitempty"`
	PlacementConstraints     []PlacementConstraint          `json:"placementConstraints,omitempty"`
	PlacementStrategy        []PlacementStrategy            `json:"placementStrategy,omitempty"`
	PlatformVersion          *string                        `json:"platformVersion,omitempty"`
	PropagateTags            *string                        `json:"propagateTags,omitempty"`
	ReferenceId              *string                        `json:"referenceId,omitempty"`
	StartedBy                *string                        `json:"startedBy,omitempty"`
	Tags                     []api.Tag                      `json:"tags,omitempty"`
	TaskDefinition           *string                        `json:"taskDefinition,omitempty"`
	ClientToken              *string                        `json:"clientToken,omitempty"`
	VolumeConfigurations     []json.RawMessage              `json:"volumeConfigurations,omitempty"`
}

// PlacementConstraint is a task or service placement constraint.
type PlacementConstraint struct {
	Type       *string `json:"type,omitempty"`
	Expression *string `json:"expression,omitempty"`
}

// PlacementStrategy is a task or service placement strategy.
type PlacementStrategy struct {
	Type  *string `json:"type,omitempty"`
	Field *string `json:"field,omitempty"`
}

// RunTaskOutput is the output of RunTask.
type RunTaskOutput struct {
	Tasks    []Task    `json:"tasks"`
	Failures []Failure `json:"failures"`
}

// supportsFargate reports whether a task definition was validated for
// Fargate.
func supportsFargate(td *TaskDefinition) bool {
	return slices.Contains(td.Compatibilities, LaunchFargate)
}

// RunTask starts 1 to 10 tasks of a task definition on Fargate.
// [API:RunTask]
func (m *ECS) RunTask(in *RunTaskInput) (*RunTaskOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if in.TaskDefinition == nil || *in.TaskDefinition == "" {
		return nil, api.InvalidParameter("TaskDefinition can not be blank.").At("taskDefinition")
	}
	count := int32(1)
	if in.Count != nil {
		count = *in.Count
	}
	if count < 1 || count > 10 {
		return nil, api.InvalidParameter("Count must be between 1 and 10.").At("count")
	}
	td, err := m.taskDefinitionForLaunch(*in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	plan, err := m.resolveLaunch(in.LaunchType, in.CapacityProviderStrategy, cl)
	if err != nil {
		return nil, err
	}
	if in.StartedBy != nil && !startedByRE.MatchString(*in.StartedBy) {
		return nil, api.InvalidParameter("startedBy must be up to 128 letters (uppercase and lowercase), numbers, hyphens, forward slashes, and underscores.").At("startedBy")
	}
	if len(api.Deref(in.Group)) > 255 {
		return nil, api.InvalidParameter("group must be at most 255 characters.").At("group")
	}
	if err := validateTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	if err := m.validateOverrides(td, in.Overrides); err != nil {
		return nil, err
	}
	if plan.launchType == LaunchEC2 {
		if !slices.Contains(td.Compatibilities, LaunchEC2) {
			return nil, api.InvalidParameter("Task definition does not support launch_type EC2.").At("taskDefinition")
		}
		group := api.Deref(in.Group)
		if group == "" {
			group = "family:" + td.Family // [DG:task-groups]
		}
		return m.runTaskEC2(cl, td, in, group, plan.strategy)
	}
	if plan.launchType != LaunchFargate {
		return nil, api.InvalidParameter("Launch type %s is not simulated.", plan.launchType).At("launchType")
	}
	if !supportsFargate(td) {
		return nil, api.InvalidParameter("Task definition does not support launch_type FARGATE.").At("taskDefinition")
	}
	if len(in.PlacementConstraints) > 0 || len(in.PlacementStrategy) > 0 {
		// Fargate does not support placement strategies or constraints.
		// [DG:task-placement]
		return nil, api.InvalidParameter("Task placement constraints and strategies are not supported with launch type FARGATE.")
	}
	p, err := m.resolveAwsvpc(td, in.NetworkConfiguration, "networkConfiguration")
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, api.ClientException("Fargate only supports network mode 'awsvpc'.")
	}
	group := api.Deref(in.Group)
	if group == "" {
		group = "family:" + td.Family // [DG:task-groups]
	}
	out := &RunTaskOutput{Tasks: []Task{}, Failures: []Failure{}}
	perProvider := map[string]int{}
	for i := int32(0); i < count; i++ {
		provider := ""
		if plan.strategy != nil {
			provider = pickProvider(plan.strategy, perProvider)
			perProvider[provider]++
			if provider == ProviderFargateSpot && m.spot.unavailable {
				out.Failures = append(out.Failures, Failure{Arn: api.String(cl.arn), Reason: api.String(capacityUnavailable)})
				continue
			}
		}
		s, ok := m.pickSubnet(p, m.eachTask, func(t *task) bool { return t.group == group })
		if !ok {
			out.Failures = append(out.Failures, Failure{Arn: api.String(cl.arn), Reason: api.String(capacityUnavailable)})
			continue
		}
		t := m.newTask(cl, td, launch{launchType: LaunchFargate, provider: provider, subnet: s}, group, api.Deref(in.StartedBy), in.Overrides, in.Tags)
		out.Tasks = append(out.Tasks, t.shape(false))
	}
	return out, nil
}

// validateOverrides checks RunTask overrides against the task definition.
func (m *ECS) validateOverrides(td *TaskDefinition, ov *TaskOverride) error {
	if ov == nil {
		return nil
	}
	for i, co := range ov.ContainerOverrides {
		if co.Name == nil || td.Container(*co.Name) == nil {
			return api.InvalidParameter("Override for container named %s is not a container in the TaskDefinition.", api.Deref(co.Name)).At(indexPath("overrides.containerOverrides", i, "name"))
		}
	}
	if ov.Cpu != nil || ov.Memory != nil {
		cpu, mem := api.Deref(td.Cpu), api.Deref(td.Memory)
		if ov.Cpu != nil {
			cpu = *ov.Cpu
		}
		if ov.Memory != nil {
			mem = *ov.Memory
		}
		if supportsFargate(td) {
			if err := checkFargateSize(cpu, mem); err != nil {
				return err
			}
		}
	}
	return nil
}

// StopTaskInput is the input of StopTask.
type StopTaskInput struct {
	Cluster *string `json:"cluster,omitempty"`
	Task    *string `json:"task,omitempty"`
	Reason  *string `json:"reason,omitempty"`
}

// StopTaskOutput is the output of StopTask.
type StopTaskOutput struct {
	Task Task `json:"task"`
}

// findTask resolves a task ID or ARN within a cluster.
func (m *ECS) findTask(cl *cluster, ref string) (*task, bool) {
	id := ref
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		id = ref[i+1:]
	}
	t, ok := m.tasks[id]
	if !ok || t.cl != cl {
		return nil, false
	}
	return t, true
}

// StopTask stops a task: the stop signal, then SIGKILL after each
// container's stopTimeout. The default reason is "Task stopped by user".
// [API:StopTask]
func (m *ECS) StopTask(in *StopTaskInput) (*StopTaskOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if in.Task == nil || *in.Task == "" {
		return nil, api.InvalidParameter("Task can not be blank.").At("task")
	}
	if len(api.Deref(in.Reason)) > 255 {
		return nil, api.InvalidParameter("Reason must be at most 255 characters.").At("reason")
	}
	t, ok := m.findTask(cl, *in.Task)
	if !ok {
		return nil, api.InvalidParameter("The referenced task was not found.").At("task")
	}
	reason := api.Deref(in.Reason)
	if reason == "" {
		reason = "Task stopped by user"
	}
	m.stopTask(t, StopUserInitiated, reason)
	return &StopTaskOutput{Task: t.shape(false)}, nil
}

// DescribeTasksInput is the input of DescribeTasks.
type DescribeTasksInput struct {
	Cluster *string  `json:"cluster,omitempty"`
	Tasks   []string `json:"tasks,omitempty"`
	Include []string `json:"include,omitempty"`
}

// DescribeTasksOutput is the output of DescribeTasks.
type DescribeTasksOutput struct {
	Tasks    []Task    `json:"tasks"`
	Failures []Failure `json:"failures"`
}

// DescribeTasks describes up to 100 tasks by ID or ARN. Tasks that are
// unknown, or stopped more than an hour ago, are failures with reason
// MISSING. [API:DescribeTasks]
func (m *ECS) DescribeTasks(in *DescribeTasksInput) (*DescribeTasksOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.Tasks) == 0 {
		return nil, api.InvalidParameter("Tasks cannot be empty.").At("tasks")
	}
	if len(in.Tasks) > 100 {
		return nil, api.InvalidParameter("Tasks cannot have more than 100 elements").At("tasks")
	}
	withTags := false
	for _, inc := range in.Include {
		if inc != "TAGS" {
			return nil, api.InvalidParameter("Invalid include value %q. Valid values: TAGS.", inc).At("include")
		}
		withTags = true
	}
	out := &DescribeTasksOutput{Tasks: []Task{}, Failures: []Failure{}}
	for _, ref := range in.Tasks {
		t, ok := m.findTask(cl, ref)
		if !ok {
			arn := ref
			if !strings.HasPrefix(ref, "arn:") {
				arn = m.arn("task/" + cl.name + "/" + ref)
			}
			out.Failures = append(out.Failures, Failure{Arn: api.String(arn), Reason: api.String("MISSING")})
			continue
		}
		out.Tasks = append(out.Tasks, t.shape(withTags))
	}
	return out, nil
}

// ListTasksInput is the input of ListTasks.
type ListTasksInput struct {
	Cluster           *string `json:"cluster,omitempty"`
	ContainerInstance *string `json:"containerInstance,omitempty"`
	Family            *string `json:"family,omitempty"`
	NextToken         *string `json:"nextToken,omitempty"`
	MaxResults        *int32  `json:"maxResults,omitempty"`
	StartedBy         *string `json:"startedBy,omitempty"`
	ServiceName       *string `json:"serviceName,omitempty"`
	DesiredStatus     *string `json:"desiredStatus,omitempty"`
	LaunchType        *string `json:"launchType,omitempty"`
	DaemonName        *string `json:"daemonName,omitempty"`
}

// ListTasksOutput is the output of ListTasks.
type ListTasksOutput struct {
	TaskArns  []string `json:"taskArns"`
	NextToken *string  `json:"nextToken,omitempty"`
}

// ListTasks lists task ARNs in creation order, 100 per page at most.
// desiredStatus defaults to RUNNING: tasks ECS has not been asked to stop.
// [API:ListTasksRequest.desiredStatus]
func (m *ECS) ListTasks(in *ListTasksInput) (*ListTasksOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	desired := StatusRunning
	if in.DesiredStatus != nil {
		desired = *in.DesiredStatus
		if desired != StatusRunning && desired != StatusPending && desired != StatusStopped {
			return nil, api.InvalidParameter("desiredStatus must be one of RUNNING, PENDING, STOPPED.").At("desiredStatus")
		}
	}
	var svc *service
	if in.ServiceName != nil {
		s, ok := cl.services[serviceName(*in.ServiceName)]
		if !ok {
			return nil, api.Errorf(CodeServiceNotFound, "Service not found.")
		}
		svc = s
	}
	var arns []string
	for t := range m.eachTask {
		if t.cl != cl || t.desired != desired {
			continue
		}
		if svc != nil && t.svc != svc {
			continue
		}
		if in.Family != nil && t.def.Family != *in.Family {
			continue
		}
		if in.StartedBy != nil && t.startedBy != *in.StartedBy {
			continue
		}
		if in.LaunchType != nil && t.launchType != *in.LaunchType {
			continue
		}
		if in.ContainerInstance != nil {
			continue // no container instances yet: Fargate tasks have none
		}
		arns = append(arns, t.arn)
	}
	page, next, err := paginate(arns, in.MaxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	return &ListTasksOutput{TaskArns: append([]string{}, page...), NextToken: next}, nil
}

// checkFargateSize checks a task size (after overrides) against the
// Fargate table. [DG:AWS_Fargate]
func checkFargateSize(cpu, mem string) error {
	c, okc := parseTaskCPU(cpu)
	mm, okm := parseTaskMemory(mem)
	if !okc || !okm || !validFargatePair(c, mm, false) {
		return api.ClientException("No Fargate configuration exists for given values: %s CPU, %s memory. See the Amazon ECS documentation for the valid values.", cpu, mem)
	}
	return nil
}

// bindings fills the network bindings of an EC2 bridge or host task: the
// static host ports, and the dynamic ones the lease chose, taken in
// container and port mapping order (TCP, then UDP, as the scheduler
// assigns them).
func (t *task) bindings(cs []Container) {
	mode := api.Deref(t.def.NetworkMode)
	if mode == "awsvpc" || mode == "none" {
		return
	}
	if t.ec2 == nil {
		return
	}
	var tcp, udp []uint16
	for _, p := range t.ec2.lease.Dynamic {
		if p.Protocol == scheduler.UDP {
			udp = append(udp, p.Number)
		} else {
			tcp = append(tcp, p.Number)
		}
	}
	for i := range t.def.ContainerDefinitions {
		for _, pm := range t.def.ContainerDefinitions[i].PortMappings {
			if pm.ContainerPort == nil || i >= len(cs) {
				continue
			}
			proto := api.Deref(pm.Protocol)
			if proto == "" {
				proto = "tcp"
			}
			host := api.Deref(pm.HostPort)
			if mode == "host" {
				host = *pm.ContainerPort
			}
			if host == 0 {
				list := &tcp
				if proto == "udp" {
					list = &udp
				}
				if len(*list) == 0 {
					continue
				}
				host, *list = int32((*list)[0]), (*list)[1:]
			}
			cs[i].NetworkBindings = append(cs[i].NetworkBindings, NetworkBinding{BindIP: "0.0.0.0", ContainerPort: *pm.ContainerPort, HostPort: host, Protocol: proto})
		}
	}
}

// AppendJSON appends the change as JSON, exactly as encoding/json would
// encode it (the trace hash depends on it: a test holds the two equal).
// Task state changes are most of a trace, and this skips reflection.
//
// While the trace encodes a change that recordTask made, the change knows
// its task (src), and its members hold what recordTask put there: the
// task's names (ARNs, IDs, group, the ENI's details, container runtime
// IDs), checked once to need no escaping when the task was named, the
// statuses, launch type, connectivity and platform version the model
// sets from its constants, and its containers' specs, checked when the
// task definition was registered. Those are copied without a scan.
func (d *TaskStateChange) AppendJSON(b []byte) []byte {
	var t *eventNames
	if d.names.set {
		t = &d.names
	}
	own := t != nil
	var tw sim.TimeWriter // most of a change's times are of one day
	b = append(b, `{"attachments":`...)
	if d.Attachments == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range d.Attachments {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendAttachment(b, &d.Attachments[i], t)
		}
		b = append(b, ']')
	}
	b = appendOptional(b, `,"availabilityZone":`, d.AvailabilityZone)
	b = appendOptional(b, `,"capacityProviderName":`, d.CapacityProviderName)
	b = appendKnown(b, `,"clusterArn":`, d.ClusterArn, own)
	if d.Connectivity != "" {
		b = appendKnown(b, `,"connectivity":`, d.Connectivity, own)
	}
	// A task connects when it is created: createdAt then repeats the
	// quoted time written here, from atFrom to atTo.
	atFrom := len(b) + len(`,"connectivityAt":`)
	b = appendEventTime(b, &tw, `,"connectivityAt":`, d.ConnectivityAt)
	atTo := len(b)
	b = appendOptional(b, `,"containerInstanceArn":`, d.ContainerInstanceArn)
	b = append(b, `,"containers":`...)
	if d.Containers == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		own := own && len(d.Containers) == len(t.specs)
		for i := range d.Containers {
			if i > 0 {
				b = append(b, ',')
			}
			if own && t.specs[i].plain {
				b = appendOwnContainer(b, &d.Containers[i], t, &t.specs[i])
			} else {
				b = appendContainerState(b, &d.Containers[i])
			}
		}
		b = append(b, ']')
	}
	b = appendOptional(b, `,"cpu":`, d.Cpu)
	if d.CreatedAt == d.ConnectivityAt && !d.CreatedAt.IsZero() {
		b = append(b, `,"createdAt":`...)
		b = append(b, b[atFrom:atTo]...)
	} else {
		b = appendEventTime(b, &tw, `,"createdAt":`, d.CreatedAt)
	}
	b = appendKnown(b, `,"desiredStatus":`, d.DesiredStatus, own)
	b = appendEventTime(b, &tw, `,"executionStoppedAt":`, d.ExecutionStoppedAt)
	if d.Group != "" {
		b = appendKnown(b, `,"group":`, d.Group, own)
	}
	b = appendKnown(b, `,"healthStatus":`, d.HealthStatus, own)
	b = appendKnown(b, `,"lastStatus":`, d.LastStatus, own)
	b = appendKnown(b, `,"launchType":`, d.LaunchType, own)
	b = appendOptional(b, `,"memory":`, d.Memory)
	if len(d.Overrides) > 0 {
		b = append(b, `,"overrides":`...)
		b = append(b, d.Overrides...)
	}
	if d.PlatformVersion != "" {
		b = appendKnown(b, `,"platformVersion":`, d.PlatformVersion, own)
	}
	b = appendEventTime(b, &tw, `,"pullStartedAt":`, d.PullStartedAt)
	b = appendEventTime(b, &tw, `,"pullStoppedAt":`, d.PullStoppedAt)
	b = appendEventTime(b, &tw, `,"startedAt":`, d.StartedAt)
	b = appendOptional(b, `,"startedBy":`, d.StartedBy)
	b = appendOptional(b, `,"stopCode":`, d.StopCode)
	b = appendEventTime(b, &tw, `,"stoppedAt":`, d.StoppedAt)
	b = appendOptional(b, `,"stoppedReason":`, d.StoppedReason)
	b = appendEventTime(b, &tw, `,"stoppingAt":`, d.StoppingAt)
	b = appendKnown(b, `,"taskArn":`, d.TaskArn, own)
	b = appendKnown(b, `,"taskDefinitionArn":`, d.TaskDefinitionArn, own)
	b = appendEventTime(b, &tw, `,"updatedAt":`, d.UpdatedAt)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, d.Version, 10)
	return append(b, '}')
}

// appendKnown appends a string member, copied as it is when plain says
// the value is known to need no escaping.
func appendKnown(b []byte, member, value string, plain bool) []byte {
	if plain {
		return sim.AppendJSONPlain(b, member, value)
	}
	return sim.AppendJSONMember(b, member, value)
}

// appendAttachment writes a as encoding/json would; t, when not nil, is
// the names of the task whose change holds it, names that are plain.
func appendAttachment(b []byte, a *EventAttachment, t *eventNames) []byte {
	if t != nil && t.eniPlain && len(a.Details) == 5 {
		// The task's ENI with its text built: its type and status are
		// the model's constants, its details the task's, in the order
		// of fullDetails.
		b = append(b, `{"id":"`...)
		b = append(b, t.attachmentID...)
		b = append(b, `","type":"`...)
		b = append(b, a.Type...)
		b = append(b, `","status":"`...)
		b = append(b, a.Status...)
		b = append(b, `","details":[{"name":"subnetId","value":"`...)
		b = append(b, t.subnetID...)
		b = append(b, `"},{"name":"networkInterfaceId","value":"`...)
		b = append(b, t.eniID...)
		b = append(b, `"},{"name":"macAddress","value":"`...)
		b = append(b, t.eniText[len(t.ipText):t.macEnd]...)
		b = append(b, `"},{"name":"privateDnsName","value":"`...)
		b = append(b, t.eniText[t.macEnd:]...)
		b = append(b, `"},{"name":"privateIPv4Address","value":"`...)
		b = append(b, t.ipText...)
		return append(b, `"}]}`...)
	}
	own := t != nil
	b = appendKnown(b, `{"id":`, a.Id, own)
	b = appendKnown(b, `,"type":`, a.Type, own)
	b = appendKnown(b, `,"status":`, a.Status, own)
	b = append(b, `,"details":`...)
	if a.Details == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i := range a.Details {
		kv := &a.Details[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = sim.AppendJSONMember(b, `{"name":`, kv.Name)
		b = sim.AppendJSONMember(b, `,"value":`, kv.Value)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendOwnContainer writes cs, the state recordTask made of a container
// of the task named t (names that are plain) whose spec sp is plain, as
// encoding/json would: the spec's members are copied as encoded once per
// spec.
func appendOwnContainer(b []byte, cs *ContainerState, t *eventNames, sp *containerSpec) []byte {
	b = append(b, `{"containerArn":"`...)
	b = append(b, cs.ContainerArn...)
	b = append(b, sp.cpuJSON...)
	if cs.ExitCode != nil {
		b = append(b, `,"exitCode":`...)
		b = strconv.AppendInt(b, int64(*cs.ExitCode), 10)
	}
	b = append(b, `,"healthStatus":"`...)
	b = append(b, cs.HealthStatus...)
	b = append(b, sp.imageJSON...)
	b = append(b, cs.LastStatus...)
	b = append(b, sp.nameJSON...)
	if len(cs.NetworkBindings) > 0 {
		b = appendNetworkBindings(b, cs.NetworkBindings)
	}
	if len(cs.NetworkInterfaces) > 0 {
		if !t.eniPlain || len(cs.NetworkInterfaces) != 1 {
			b = appendNetworkInterfaces(b, cs.NetworkInterfaces)
		} else {
			b = append(b, `,"networkInterfaces":[{"attachmentId":"`...)
			b = append(b, t.attachmentID...)
			b = append(b, `","privateIpv4Address":"`...)
			b = append(b, t.ipText...)
			b = append(b, `"}]`...)
		}
	}
	b = appendOptional(b, `,"reason":`, cs.Reason)
	if cs.RuntimeId != "" {
		// The task's ID, a dash and digits.
		b = sim.AppendJSONPlain(b, `,"runtimeId":`, cs.RuntimeId)
	}
	b = append(b, `,"taskArn":"`...)
	b = append(b, t.arn...)
	return append(b, `"}`...)
}

// appendContainerState writes cs as encoding/json would.
func appendContainerState(b []byte, cs *ContainerState) []byte {
	b = sim.AppendJSONMember(b, `{"containerArn":`, cs.ContainerArn)
	b = appendOptional(b, `,"cpu":`, cs.Cpu)
	if cs.ExitCode != nil {
		b = append(b, `,"exitCode":`...)
		b = strconv.AppendInt(b, int64(*cs.ExitCode), 10)
	}
	b = sim.AppendJSONMember(b, `,"healthStatus":`, cs.HealthStatus)
	b = sim.AppendJSONMember(b, `,"image":`, cs.Image)
	b = sim.AppendJSONMember(b, `,"lastStatus":`, cs.LastStatus)
	b = appendOptional(b, `,"memory":`, cs.Memory)
	b = sim.AppendJSONMember(b, `,"name":`, cs.Name)
	if len(cs.NetworkBindings) > 0 {
		b = appendNetworkBindings(b, cs.NetworkBindings)
	}
	if len(cs.NetworkInterfaces) > 0 {
		b = appendNetworkInterfaces(b, cs.NetworkInterfaces)
	}
	b = appendOptional(b, `,"reason":`, cs.Reason)
	b = appendOptional(b, `,"runtimeId":`, cs.RuntimeId)
	b = sim.AppendJSONMember(b, `,"taskArn":`, cs.TaskArn)
	return append(b, '}')
}

// appendNetworkBindings appends a container's networkBindings member.
func appendNetworkBindings(b []byte, nbs []NetworkBinding) []byte {
	b = append(b, `,"networkBindings":`...)
	return appendArray(b, nbs, func(b []byte, nb *NetworkBinding) []byte {
		b = sim.AppendJSONMember(b, `{"bindIP":`, nb.BindIP)
		b = append(b, `,"containerPort":`...)
		b = strconv.AppendInt(b, int64(nb.ContainerPort), 10)
		b = append(b, `,"hostPort":`...)
		b = strconv.AppendInt(b, int64(nb.HostPort), 10)
		return append(sim.AppendJSONMember(b, `,"protocol":`, nb.Protocol), '}')
	})
}

// appendNetworkInterfaces appends a container's networkInterfaces member.
func appendNetworkInterfaces(b []byte, nis []EventNetworkInterface) []byte {
	b = append(b, `,"networkInterfaces":[`...)
	for i := range nis {
		if i > 0 {
			b = append(b, ',')
		}
		b = sim.AppendJSONMember(b, `{"attachmentId":`, nis[i].AttachmentId)
		b = sim.AppendJSONMember(b, `,"privateIpv4Address":`, nis[i].PrivateIpv4Address)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendArray appends items as a JSON array, each written by each, or
// null for a nil slice, as encoding/json does.
func appendArray[T any](b []byte, items []T, each func([]byte, *T) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, &items[i])
	}
	return append(b, ']')
}

// appendOptional appends a string member that is omitted when empty;
// member is its name as AppendJSONMember takes it.
func appendOptional(b []byte, member, value string) []byte {
	if value == "" {
		return b
	}
	return sim.AppendJSONMember(b, member, value)
}

// appendEventTime appends a time member that is omitted when zero,
// through tw, which keeps the date of the record's last time.
func appendEventTime(b []byte, tw *sim.TimeWriter, member string, t EventTime) []byte {
	if t.IsZero() {
		return b
	}
	b = append(b, member...)
	b = append(b, '"')
	b = tw.Append(b, sim.Time(t))
	return append(b, '"')
}
