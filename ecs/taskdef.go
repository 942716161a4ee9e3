package ecs

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/api"
)

// The task definition registry: families of immutable revisions and their
// lifecycle ACTIVE -> INACTIVE -> DELETE_IN_PROGRESS -> removed.
// [DG:task-definition-state] [API:DeregisterTaskDefinition]
// [API:DeleteTaskDefinitions]

// registry holds the task definitions of the account.
type registry struct {
	families map[string]*tdFamily
}

// tdFamily is one family. revs[r-1] is revision r, nil once removed;
// revisions are never reused, even after every one was deleted.
// [API:TaskDefinition.revision] [API:DeleteTaskDefinitions]
type tdFamily struct {
	name string
	revs []*tdRecord
}

// tdRecord is one registered revision. def is never changed after
// registration except for status and the deregistration and deletion
// timestamps; tags change through TagResource and UntagResource.
type tdRecord struct {
	def  *TaskDefinition
	tags []api.Tag
}

func newRegistry() *registry { return &registry{families: make(map[string]*tdFamily)} }

// sortedFamilies returns the families ordered by name.
func (r *registry) sortedFamilies() []*tdFamily {
	out := make([]*tdFamily, 0, len(r.families))
	for _, f := range r.families {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *tdFamily) int { return strings.Compare(a.name, b.name) })
	return out
}

// latestActive returns the highest ACTIVE revision of f, or nil.
func (f *tdFamily) latestActive() *tdRecord {
	for i := len(f.revs) - 1; i >= 0; i-- {
		if rec := f.revs[i]; rec != nil && rec.def.Status == TaskDefinitionActive {
			return rec
		}
	}
	return nil
}

// hasActive and hasAny describe the family for ListTaskDefinitionFamilies.
func (f *tdFamily) hasActive() bool { return f.latestActive() != nil }

func (f *tdFamily) hasAny() bool {
	for _, rec := range f.revs {
		if rec != nil {
			return true
		}
	}
	return false
}

func (m *ECS) registerTaskDefinitionActions(t *api.Table) {
	api.Register(t, "ecs:RegisterTaskDefinition", m.RegisterTaskDefinition)
	api.Register(t, "ecs:DescribeTaskDefinition", m.DescribeTaskDefinition)
	api.Register(t, "ecs:DeregisterTaskDefinition", m.DeregisterTaskDefinition)
	api.Register(t, "ecs:DeleteTaskDefinitions", m.DeleteTaskDefinitions)
	api.Register(t, "ecs:ListTaskDefinitions", m.ListTaskDefinitions)
	api.Register(t, "ecs:ListTaskDefinitionFamilies", m.ListTaskDefinitionFamilies)
	api.Register(t, "ecs:TagResource", m.TagResource)
	api.Register(t, "ecs:UntagResource", m.UntagResource)
	api.Register(t, "ecs:ListTagsForResource", m.ListTagsForResource)
}

// tdRef is a parsed task definition reference: "family", "family:rev" or
// an ARN of either.
type tdRef struct {
	family string
	rev    int32 // 0 when the reference names no revision
}

// errTDNotFound is the error of DescribeTaskDefinition for a definition
// that does not exist. [https://github.com/getmoto/moto/pull/5910] (AWS CLI
// output quoted there)
func errTDNotFound() *api.Error {
	return api.ClientException("Unable to describe task definition.").At("taskDefinition")
}

// parseTDRef parses ref. ok is false when ref cannot name a task definition
// of this account and region (a foreign ARN, a malformed family); err is
// set when the revision part is not a number.
func (m *ECS) parseTDRef(ref string) (r tdRef, ok bool, err error) {
	rest := ref
	if strings.HasPrefix(ref, "arn:") {
		parts := strings.SplitN(ref, ":", 6)
		if len(parts) != 6 || parts[2] != "ecs" || parts[3] != m.cfg.Region || parts[4] != m.cfg.AccountID ||
			!strings.HasPrefix(parts[5], "task-definition/") {
			return tdRef{}, false, nil
		}
		rest = strings.TrimPrefix(parts[5], "task-definition/")
	}
	family, revStr, hasRev := strings.Cut(rest, ":")
	if family == "" || len(family) > maxNameLen || !isNameChars(family) {
		return tdRef{}, false, nil
	}
	r.family = family
	if hasRev {
		n, perr := strconv.ParseInt(revStr, 10, 32)
		if perr != nil || n < 1 {
			// As moto reproduces AWS. [getmoto/moto moto/ecs/models.py]
			return tdRef{}, false, api.InvalidParameter("Invalid revision number. Number: %s", revStr).At("taskDefinition")
		}
		r.rev = int32(n)
	}
	return r, true, nil
}

// lookup finds the record a reference names: the given revision in any
// status, or the latest ACTIVE revision for a bare family.
func (m *ECS) lookup(r tdRef) *tdRecord {
	f := m.defs.families[r.family]
	if f == nil {
		return nil
	}
	if r.rev == 0 {
		return f.latestActive()
	}
	if int(r.rev) > len(f.revs) {
		return nil
	}
	return f.revs[r.rev-1]
}

// taskDefinitionForLaunch resolves the task definition of RunTask,
// CreateService and UpdateService: "family" (its latest ACTIVE revision),
// "family:revision" or a full ARN. It refuses a revision that is not
// ACTIVE, as ECS does for new tasks and services.
// [API:DeregisterTaskDefinition] [API:DeleteTaskDefinitions]
//
// The result is the registry's own record: callers must not modify it.
//
// Errors: an unknown definition gives "ClientException: TaskDefinition not
// found." [https://github.com/Cloud-CV/EvalAI/issues/2419] (CreateService);
// an INACTIVE or DELETE_IN_PROGRESS one gives "InvalidParameterException:
// TaskDefinition is inactive" [https://github.com/DefangLabs/defang/pull/775]
// (RunTask). The error carries the path "taskDefinition".
func (m *ECS) taskDefinitionForLaunch(ref string) (*TaskDefinition, error) {
	r, ok, err := m.parseTDRef(ref)
	if err != nil {
		return nil, err
	}
	var rec *tdRecord
	if ok {
		rec = m.lookup(r)
	}
	if rec == nil {
		return nil, api.ClientException("TaskDefinition not found.").At("taskDefinition")
	}
	if rec.def.Status != TaskDefinitionActive {
		return nil, api.InvalidParameter("TaskDefinition is inactive").At("taskDefinition")
	}
	return rec.def, nil
}

// taskDefinitionByArn returns the task definition with this exact ARN in
// any status, for tasks and services that still run a definition that was
// deregistered or is being deleted. The result must not be modified.
func (m *ECS) taskDefinitionByArn(arn string) (*TaskDefinition, bool) {
	r, ok, err := m.parseTDRef(arn)
	if !ok || err != nil || r.rev == 0 || !strings.HasPrefix(arn, "arn:") {
		return nil, false
	}
	rec := m.lookup(r)
	if rec == nil {
		return nil, false
	}
	return rec.def, true
}

// defTags returns a copy of the tags of the registered revision td, for
// services that propagate task definition tags to their tasks; nil when td
// is not in the registry.
func (m *ECS) defTags(td *TaskDefinition) []api.Tag {
	if td == nil {
		return nil
	}
	r, ok, err := m.parseTDRef(td.TaskDefinitionArn)
	if !ok || err != nil || r.rev == 0 {
		return nil
	}
	if rec := m.lookup(r); rec != nil {
		return deepClone(rec.tags)
	}
	return nil
}

// reapTaskDefinitions removes the DELETE_IN_PROGRESS revisions that inUse
// reports no task or service references any more; ECS removes them once
// "all the associated tasks and services have been terminated".
// [API:DeleteTaskDefinitions] The task and service code calls it; a family
// keeps its revision counter when its last revision goes.
func (m *ECS) reapTaskDefinitions(inUse func(arn string) bool) {
	for _, f := range m.defs.families {
		for i, rec := range f.revs {
			if rec != nil && rec.def.Status == TaskDefinitionDeleteInProgress && !inUse(rec.def.TaskDefinitionArn) {
				f.revs[i] = nil
			}
		}
	}
}

// Container returns the container definition named name, or nil. The
// result points into the task definition and must not be modified.
func (td *TaskDefinition) Container(name string) *ContainerDefinition {
	if td == nil {
		return nil
	}
	for i := range td.ContainerDefinitions {
		if api.Deref(td.ContainerDefinitions[i].Name) == name {
			return &td.ContainerDefinitions[i]
		}
	}
	return nil
}

// IsEssential reports whether c is essential: true unless it sets
// "essential": false. [API:ContainerDefinition.essential]
func (td *TaskDefinition) IsEssential(c *ContainerDefinition) bool {
	return c != nil && isEssential(c)
}

// RegisterTaskDefinition registers a new revision of a family: 1 for a new
// family, else one more than the highest revision ever registered in it.
// The definition is checked against AWS's rules for each launch type of
// requiresCompatibilities (EC2 when none is listed); a definition that
// breaks one is rejected with AWS's error and changes nothing.
func (m *ECS) RegisterTaskDefinition(in *RegisterTaskDefinitionInput) (*RegisterTaskDefinitionOutput, error) {
	if err := checkTaskDefinitionSize(in); err != nil {
		return nil, err
	}
	size, err := validateTaskDefinition(in)
	if err != nil {
		return nil, err
	}
	if f := m.defs.families[*in.Family]; f != nil && len(f.revs) >= MaxRevisionsPerFamily {
		// The quota's error code is in the API model
		// [API:RegisterTaskDefinition errors]; the wording is ecssim's.
		return nil, api.Errorf(CodeLimitExceeded, "The task definition family %s has reached the limit of %d revisions.", *in.Family, MaxRevisionsPerFamily)
	}
	def := m.buildTaskDefinition(in, size)
	f := m.defs.families[def.Family]
	if f == nil {
		f = &tdFamily{name: def.Family}
		m.defs.families[def.Family] = f
	}
	def.Revision = int32(len(f.revs) + 1)
	def.TaskDefinitionArn = m.arn(fmt.Sprintf("task-definition/%s:%d", def.Family, def.Revision))
	rec := &tdRecord{def: def, tags: deepClone(in.Tags)}
	f.revs = append(f.revs, rec)
	return &RegisterTaskDefinitionOutput{TaskDefinition: deepClone(*def), Tags: deepClone(rec.tags)}, nil
}

// registeredBy is the principal ecssim records as registering every task
// definition: the account root, a form AWS prints for root credentials.
func (m *ECS) registeredBy() string { return "arn:aws:iam::" + m.cfg.AccountID + ":root" }

// buildTaskDefinition makes the stored revision from a valid input: a deep
// copy with the task size normalised to integer strings and the defaults
// ECS fills in at registration, as describe-task-definition output shows
// them ("cpu": 0, "essential": true, empty lists, "protocol": "tcp", the
// host port). [API examples-1.json DescribeTaskDefinition] [DG:task_definition_parameters]
func (m *ECS) buildTaskDefinition(in *RegisterTaskDefinitionInput, size taskDefSize) *TaskDefinition {
	now := m.now()
	def := deepClone(TaskDefinition{
		ContainerDefinitions:    in.ContainerDefinitions,
		Family:                  *in.Family,
		TaskRoleArn:             in.TaskRoleArn,
		ExecutionRoleArn:        in.ExecutionRoleArn,
		NetworkMode:             in.NetworkMode,
		Volumes:                 in.Volumes,
		Status:                  TaskDefinitionActive,
		PlacementConstraints:    in.PlacementConstraints,
		RuntimePlatform:         in.RuntimePlatform,
		RequiresCompatibilities: in.RequiresCompatibilities,
		InferenceAccelerators:   in.InferenceAccelerators,
		PidMode:                 in.PidMode,
		IpcMode:                 in.IpcMode,
		ProxyConfiguration:      in.ProxyConfiguration,
		RegisteredAt:            &now,
		RegisteredBy:            api.String(m.registeredBy()),
		EphemeralStorage:        in.EphemeralStorage,
		EnableFaultInjection:    in.EnableFaultInjection,
	})
	if in.Cpu != nil {
		def.Cpu = api.String(strconv.Itoa(size.cpu))
	}
	if in.Memory != nil {
		def.Memory = api.String(strconv.Itoa(size.memory))
	}
	if def.Volumes == nil {
		def.Volumes = []Volume{}
	}
	if def.PlacementConstraints == nil {
		def.PlacementConstraints = []TaskDefinitionPlacementConstraint{}
	}
	mode := api.Deref(def.NetworkMode)
	for i := range def.ContainerDefinitions {
		fillContainerDefaults(&def.ContainerDefinitions[i], mode)
	}
	def.Compatibilities = compatibilitiesOf(in)
	def.RequiresAttributes = requiredAttributes(in)
	return &def
}

func fillContainerDefaults(c *ContainerDefinition, mode string) {
	if c.Cpu == nil {
		c.Cpu = api.Int32(0)
	}
	if c.Essential == nil {
		c.Essential = api.Bool(true)
	}
	if c.PortMappings == nil {
		c.PortMappings = []PortMapping{}
	}
	if c.Environment == nil {
		c.Environment = []KeyValuePair{}
	}
	if c.MountPoints == nil {
		c.MountPoints = []MountPoint{}
	}
	if c.VolumesFrom == nil {
		c.VolumesFrom = []VolumeFrom{}
	}
	if c.SystemControls == nil {
		c.SystemControls = []SystemControl{}
	}
	for j := range c.PortMappings {
		pm := &c.PortMappings[j]
		if pm.Protocol == nil {
			pm.Protocol = api.String("tcp")
		}
		if pm.HostPort == nil && pm.ContainerPort != nil {
			// awsvpc and host map the container port itself; bridge asks
			// for a dynamic port, shown as 0. [API:PortMapping.hostPort]
			if mode == NetworkModeAwsvpc || mode == NetworkModeHost {
				pm.HostPort = api.Int32(*pm.ContainerPort)
			} else {
				pm.HostPort = api.Int32(0)
			}
		}
	}
	if hc := c.HealthCheck; hc != nil {
		// [API:HealthCheck] defaults
		if hc.Interval == nil {
			hc.Interval = api.Int32(healthIntervalDefault)
		}
		if hc.Timeout == nil {
			hc.Timeout = api.Int32(healthTimeoutDefault)
		}
		if hc.Retries == nil {
			hc.Retries = api.Int32(healthRetriesDefault)
		}
	}
}

// compatibilitiesOf lists the launch types the definition validates
// against, in the order AWS prints them: EXTERNAL, EC2, FARGATE (observed
// describe output: ["EXTERNAL", "EC2"] for bridge definitions, ["EC2",
// "FARGATE"] for Fargate ones). MANAGED_INSTANCES is listed when the
// definition asks for it. [API:TaskDefinition.compatibilities]
func compatibilitiesOf(in *RegisterTaskDefinitionInput) []string {
	out := []string{}
	for _, lt := range []string{CompatibilityExternal, CompatibilityEC2, CompatibilityFargate} {
		if validForLaunchType(in, lt) {
			out = append(out, lt)
		}
	}
	if slices.Contains(in.RequiresCompatibilities, CompatibilityManagedInstances) {
		out = append(out, CompatibilityManagedInstances)
	}
	return out
}

// requiredAttributes derives the container instance attributes the
// definition needs, by the capability names the ECS agent registers and
// AWS lists in requiresAttributes (observed describe outputs). The Docker
// remote API version attributes (com.amazonaws.ecs.capability.docker-remote-api.1.x)
// are not derived. Sorted by name; nil when there are none.
// [API:TaskDefinition.requiresAttributes]
func requiredAttributes(in *RegisterTaskDefinitionInput) []Attribute {
	set := map[string]bool{}
	hasExec := api.Deref(in.ExecutionRoleArn) != ""
	if api.Deref(in.TaskRoleArn) != "" {
		set["com.amazonaws.ecs.capability.task-iam-role"] = true
	}
	if api.Deref(in.NetworkMode) == NetworkModeAwsvpc {
		set["ecs.capability.task-eni"] = true
	}
	for _, c := range in.ContainerDefinitions {
		if lc := c.LogConfiguration; lc != nil && lc.LogDriver != nil {
			set["com.amazonaws.ecs.capability.logging-driver."+*lc.LogDriver] = true
			if *lc.LogDriver == "awslogs" && hasExec {
				set["ecs.capability.execution-role-awslogs"] = true
			}
		}
		if isECRImage(api.Deref(c.Image)) {
			set["com.amazonaws.ecs.capability.ecr-auth"] = true
			if hasExec {
				set["ecs.capability.execution-role-ecr-pull"] = true
			}
		}
		if c.HealthCheck != nil {
			set["ecs.capability.container-health-check"] = true
		}
		if len(c.DependsOn) > 0 {
			set["ecs.capability.container-ordering"] = true
		}
		if api.Deref(c.Privileged) {
			set["com.amazonaws.ecs.capability.privileged-container"] = true
		}
		if c.RepositoryCredentials != nil {
			set["ecs.capability.private-registry-authentication.secretsmanager"] = true
		}
		if len(c.EnvironmentFiles) > 0 {
			set["ecs.capability.env-files.s3"] = true
		}
		if fc := c.FirelensConfiguration; fc != nil && fc.Type != nil {
			set["ecs.capability.firelens."+*fc.Type] = true
		}
		for _, s := range c.Secrets {
			if strings.HasPrefix(api.Deref(s.ValueFrom), "arn:aws:secretsmanager:") {
				set["ecs.capability.secrets.asm.environment-variables"] = true
			} else {
				set["ecs.capability.secrets.ssm.environment-variables"] = true
			}
		}
	}
	for _, v := range in.Volumes {
		if e := v.EfsVolumeConfiguration; e != nil {
			set["ecs.capability.efsAuth"] = e.AuthorizationConfig != nil || set["ecs.capability.efsAuth"]
			set["ecs.capability.efs"] = true
		}
	}
	var out []Attribute
	for _, name := range sortedKeys(set) {
		if set[name] {
			out = append(out, Attribute{Name: api.String(name)})
		}
	}
	return out
}

// DescribeTaskDefinition describes a task definition: the latest ACTIVE
// revision of a family, or a given revision in any status (INACTIVE ones
// "remain discoverable", [API:DeregisterTaskDefinition]). With include
// ["TAGS"] the response carries the tags.
func (m *ECS) DescribeTaskDefinition(in *DescribeTaskDefinitionInput) (*DescribeTaskDefinitionOutput, error) {
	if api.Deref(in.TaskDefinition) == "" {
		return nil, api.InvalidParameter("taskDefinition must be specified.").At("taskDefinition")
	}
	withTags := false
	for i, inc := range in.Include {
		if inc != "TAGS" {
			// [API enum TaskDefinitionField] (ecssim wording)
			return nil, api.InvalidParameter("Invalid include value '%s'. Valid values: TAGS.", inc).At(indexPath("include", i, ""))
		}
		withTags = true
	}
	r, ok, err := m.parseTDRef(*in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	var rec *tdRecord
	if ok {
		rec = m.lookup(r)
	}
	if rec == nil {
		return nil, errTDNotFound()
	}
	out := &DescribeTaskDefinitionOutput{TaskDefinition: deepClone(*rec.def)}
	if withTags {
		out.Tags = deepClone(rec.tags)
		if out.Tags == nil {
			out.Tags = []api.Tag{}
		}
	}
	return out, nil
}

// DeregisterTaskDefinition marks a revision INACTIVE. A revision is
// required (family:revision or ARN). Deregistering an INACTIVE revision
// returns it unchanged; one being deleted cannot be deregistered.
// [API:DeregisterTaskDefinition]
func (m *ECS) DeregisterTaskDefinition(in *DeregisterTaskDefinitionInput) (*DeregisterTaskDefinitionOutput, error) {
	if api.Deref(in.TaskDefinition) == "" {
		return nil, api.InvalidParameter("taskDefinition must be specified.").At("taskDefinition")
	}
	r, ok, err := m.parseTDRef(*in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	if ok && r.rev == 0 {
		// "You must specify a revision." [API:DeregisterTaskDefinitionRequest.taskDefinition]
		// wording as moto reproduces it.
		return nil, api.ClientException("Revision is missing.").At("taskDefinition")
	}
	var rec *tdRecord
	if ok {
		rec = m.lookup(r)
	}
	if rec == nil {
		return nil, errTDNotFound()
	}
	switch rec.def.Status {
	case TaskDefinitionActive:
		now := m.now()
		rec.def.Status = TaskDefinitionInactive
		rec.def.DeregisteredAt = &now
	case TaskDefinitionDeleteInProgress:
		// (ecssim wording; deploy scripts match "in the process of being deleted")
		return nil, api.ClientException("The task definition is in the process of being deleted.").At("taskDefinition")
	}
	return &DeregisterTaskDefinitionOutput{TaskDefinition: deepClone(*rec.def)}, nil
}

// maxDeleteTaskDefinitions is the most revisions one DeleteTaskDefinitions
// call takes. [API:DeleteTaskDefinitionsRequest.taskDefinitions]
const maxDeleteTaskDefinitions = 10

// Failure reasons of DeleteTaskDefinitions. (ecssim wording: AWS's are not
// published.)
const (
	reasonTDInvalid  = "The specified task definition identifier is invalid. Specify a valid name or ARN and try again."
	reasonTDNotFound = "The specified task definition does not exist. Specify a valid name or ARN and try again."
	reasonTDActive   = "The specified task definition is still in ACTIVE status. Please deregister the target and try again."
)

// DeleteTaskDefinitions moves up to 10 INACTIVE revisions to
// DELETE_IN_PROGRESS. Each reference needs a revision. A revision that
// cannot be deleted is reported in failures and does not stop the others.
// [API:DeleteTaskDefinitions]
func (m *ECS) DeleteTaskDefinitions(in *DeleteTaskDefinitionsInput) (*DeleteTaskDefinitionsOutput, error) {
	if n := len(in.TaskDefinitions); n == 0 || n > maxDeleteTaskDefinitions {
		return nil, api.InvalidParameter("taskDefinitions must list between 1 and %d task definitions; it lists %d.", maxDeleteTaskDefinitions, n).At("taskDefinitions")
	}
	out := &DeleteTaskDefinitionsOutput{TaskDefinitions: []TaskDefinition{}, Failures: []Failure{}}
	seen := map[*tdRecord]bool{}
	now := m.now()
	for _, ref := range in.TaskDefinitions {
		r, ok, err := m.parseTDRef(ref)
		arn := ref
		if ok && r.rev > 0 {
			arn = m.arn(fmt.Sprintf("task-definition/%s:%d", r.family, r.rev))
		}
		fail := func(reason string) {
			out.Failures = append(out.Failures, Failure{Arn: api.String(arn), Reason: api.String(reason)})
		}
		if err != nil || !ok || r.rev == 0 {
			fail(reasonTDInvalid)
			continue
		}
		rec := m.lookup(r)
		switch {
		case rec == nil:
			fail(reasonTDNotFound)
			continue
		case rec.def.Status == TaskDefinitionActive:
			fail(reasonTDActive)
			continue
		case rec.def.Status == TaskDefinitionInactive:
			rec.def.Status = TaskDefinitionDeleteInProgress
			rec.def.DeleteRequestedAt = &now
		}
		if !seen[rec] {
			seen[rec] = true
			out.TaskDefinitions = append(out.TaskDefinitions, deepClone(*rec.def))
		}
	}
	if len(seen) > 0 {
		// Deletion is asynchronous: the revisions stay DELETE_IN_PROGRESS
		// for a while even when nothing uses them. See docs/fidelity.md.
		m.eng.After(deleteDelay, func() error { m.reapUnused(); return nil })
	}
	return out, nil
}

// listLimit is the page size limit of the List actions.
// [API:ListTaskDefinitionsRequest.maxResults]
const listLimit = 100

// ListTaskDefinitions lists revision ARNs with a status (ACTIVE by
// default), of one family when familyPrefix is given (the full family name,
// despite the member's name [API:ListTaskDefinitionsRequest.familyPrefix]),
// by family name then revision, ascending or, with sort DESC, descending.
func (m *ECS) ListTaskDefinitions(in *ListTaskDefinitionsInput) (*ListTaskDefinitionsOutput, error) {
	status := TaskDefinitionActive
	if in.Status != nil {
		status = *in.Status
		if !slices.Contains([]string{TaskDefinitionActive, TaskDefinitionInactive, TaskDefinitionDeleteInProgress}, status) {
			return nil, enumParamErr("status", status, "ACTIVE, INACTIVE, DELETE_IN_PROGRESS")
		}
	}
	desc := false
	if in.Sort != nil {
		switch *in.Sort {
		case "ASC":
		case "DESC":
			desc = true
		default:
			return nil, enumParamErr("sort", *in.Sort, "ASC, DESC")
		}
	}
	var arns []string
	for _, f := range m.defs.sortedFamilies() {
		if in.FamilyPrefix != nil && f.name != *in.FamilyPrefix {
			continue
		}
		for _, rec := range f.revs {
			if rec != nil && rec.def.Status == status {
				arns = append(arns, rec.def.TaskDefinitionArn)
			}
		}
	}
	if desc {
		slices.Reverse(arns)
	}
	page, next, err := paginate(arns, in.MaxResults, in.NextToken, listLimit)
	if err != nil {
		return nil, err
	}
	return &ListTaskDefinitionsOutput{TaskDefinitionArns: append([]string{}, page...), NextToken: next}, nil
}

// ListTaskDefinitionFamilies lists family names, sorted, that start with
// familyPrefix. status ACTIVE keeps families with an ACTIVE revision,
// INACTIVE those without one, ALL (the default) both. A family whose every
// revision was deleted and removed is not listed.
// [API:ListTaskDefinitionFamiliesRequest] [API:DeleteTaskDefinitions]
func (m *ECS) ListTaskDefinitionFamilies(in *ListTaskDefinitionFamiliesInput) (*ListTaskDefinitionFamiliesOutput, error) {
	status := "ALL"
	if in.Status != nil {
		status = *in.Status
		if status != "ACTIVE" && status != "INACTIVE" && status != "ALL" {
			return nil, enumParamErr("status", status, "ACTIVE, INACTIVE, ALL")
		}
	}
	var names []string
	for _, f := range m.defs.sortedFamilies() {
		if !strings.HasPrefix(f.name, api.Deref(in.FamilyPrefix)) || !f.hasAny() {
			continue
		}
		active := f.hasActive()
		if (status == "ACTIVE" && !active) || (status == "INACTIVE" && active) {
			continue
		}
		names = append(names, f.name)
	}
	page, next, err := paginate(names, in.MaxResults, in.NextToken, listLimit)
	if err != nil {
		return nil, err
	}
	return &ListTaskDefinitionFamiliesOutput{Families: append([]string{}, page...), NextToken: next}, nil
}

// enumParamErr rejects a request parameter outside its enumeration.
// (ecssim wording)
func enumParamErr(field, value, valid string) *api.Error {
	return api.InvalidParameter("Invalid %s '%s'. Valid values: %s.", field, value, valid).At(field)
}

// deepClone returns a copy of v that shares no pointer, slice or map with
// it, so that what the registry stores and what callers hold stay apart.
func deepClone[T any](v T) T {
	var out T
	copyValue(reflect.ValueOf(&out).Elem(), reflect.ValueOf(&v).Elem())
	return out
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			copyValue(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		mp := reflect.MakeMapWithSize(src.Type(), src.Len())
		iter := src.MapRange()
		for iter.Next() {
			val := reflect.New(src.Type().Elem()).Elem()
			copyValue(val, iter.Value())
			mp.SetMapIndex(iter.Key(), val)
		}
		dst.Set(mp)
	case reflect.Struct:
		t := src.Type()
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				// Opaque values such as time.Time: copy whole. They hold no
				// mutable shared state.
				dst.Set(src)
				return
			}
		}
		for i := 0; i < t.NumField(); i++ {
			copyValue(dst.Field(i), src.Field(i))
		}
	default:
		dst.Set(src)
	}
}

// anyDeleting reports whether some revision is DELETE_IN_PROGRESS.
func (r *registry) anyDeleting() bool {
	for _, f := range r.families {
		for _, rec := range f.revs {
			if rec != nil && rec.def.Status == TaskDefinitionDeleteInProgress {
				return true
			}
		}
	}
	return false
}
