package ecs

import (
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/scheduler"
)

// UpdateContainerInstancesStateInput is the input of
// UpdateContainerInstancesState.
type UpdateContainerInstancesStateInput struct {
	Cluster            *string  `json:"cluster,omitempty"`
	ContainerInstances []string `json:"containerInstances,omitempty"`
	Status             *string  `json:"status,omitempty"`
}

// UpdateContainerInstancesStateOutput is the output of
// UpdateContainerInstancesState.
type UpdateContainerInstancesStateOutput struct {
	ContainerInstances []ContainerInstance `json:"containerInstances"`
	Failures           []Failure           `json:"failures"`
}

// UpdateContainerInstancesState sets instances ACTIVE or DRAINING. A
// DRAINING instance takes no new task; its PENDING service tasks stop at
// once and its RUNNING service tasks are replaced within the services'
// deployment bounds; standalone tasks are left alone.
// [https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html]
func (m *ECS) UpdateContainerInstancesState(in *UpdateContainerInstancesStateInput) (*UpdateContainerInstancesStateOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	status := api.Deref(in.Status)
	if status != InstanceActive && status != InstanceDraining {
		return nil, api.InvalidParameter("Container instances can only be set to ACTIVE or DRAINING.").At("status")
	}
	if len(in.ContainerInstances) == 0 || len(in.ContainerInstances) > 10 {
		return nil, api.InvalidParameter("containerInstances must list between 1 and 10 container instances.").At("containerInstances")
	}
	out := &UpdateContainerInstancesStateOutput{ContainerInstances: []ContainerInstance{}, Failures: []Failure{}}
	for _, ref := range in.ContainerInstances {
		inst, ok := m.findInstance(cl, ref)
		if !ok || inst.status == InstanceInactive {
			out.Failures = append(out.Failures, Failure{Arn: api.String(ref), Reason: api.String("MISSING")})
			continue
		}
		if inst.status != status {
			inst.status = status
			st := scheduler.Active
			if status == InstanceDraining {
				st = scheduler.Draining
			}
			if err := cl.sched.SetStatus(inst.id, st); err != nil {
				return nil, api.ServerException("%v", err)
			}
			m.recordInstance(inst)
			if status == InstanceDraining {
				// PENDING service tasks on a draining instance stop at once.
				for _, t := range inst.tasks(m) {
					if t.svc != nil && t.active() && t.pendingLike() && t.svc.scheduling != "DAEMON" {
						m.stopTask(t, StopServiceSchedulerInitiated, "Container instance is being drained")
					}
				}
			}
			m.kickCluster(cl)
		}
		out.ContainerInstances = append(out.ContainerInstances, m.instanceShape(inst, false))
	}
	return out, nil
}

// DeregisterContainerInstanceInput is the input of
// DeregisterContainerInstance.
type DeregisterContainerInstanceInput struct {
	Cluster           *string `json:"cluster,omitempty"`
	ContainerInstance *string `json:"containerInstance,omitempty"`
	Force             *bool   `json:"force,omitempty"`
}

// DeregisterContainerInstanceOutput is the output of
// DeregisterContainerInstance.
type DeregisterContainerInstanceOutput struct {
	ContainerInstance ContainerInstance `json:"containerInstance"`
}

// DeregisterContainerInstance removes an instance from its cluster. It is
// refused while tasks run on it unless force is set; forced, its tasks
// stop and services replace them elsewhere. [API:DeregisterContainerInstance]
func (m *ECS) DeregisterContainerInstance(in *DeregisterContainerInstanceInput) (*DeregisterContainerInstanceOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	inst, ok := m.findInstance(cl, api.Deref(in.ContainerInstance))
	if !ok || inst.status == InstanceInactive {
		return nil, api.InvalidParameter("The referenced container instance %s was not found.", api.Deref(in.ContainerInstance)).At("containerInstance")
	}
	if len(inst.tasks(m)) > 0 && !api.Deref(in.Force) {
		return nil, api.InvalidParameter("Found running tasks on the instance.").At("containerInstance")
	}
	m.removeInstance(inst, "Container instance "+inst.id+" was deregistered")
	return &DeregisterContainerInstanceOutput{ContainerInstance: m.instanceShape(inst, false)}, nil
}

// removeInstance takes an instance out of its cluster: INACTIVE, out of
// placement, its tasks stopped.
func (m *ECS) removeInstance(inst *instance, reason string) {
	for _, t := range inst.tasks(m) {
		m.stopTask(t, StopTerminationNotice, reason)
	}
	inst.status = InstanceInactive
	inst.stoppedAt = m.eng.Now()
	if inst.ip.IsValid() {
		m.net.ReleaseIP(inst.subnet.ID, inst.ip)
	}
	_ = inst.cl.sched.RemoveInstance(inst.id)
	m.recordInstance(inst)
	m.forgetInstance(inst)
	m.kickCluster(inst.cl)
}

// TerminateInstanceInput is the input of sim:TerminateInstance.
type TerminateInstanceInput struct {
	Cluster *string `json:"cluster,omitempty"`
	// ContainerInstance is the container instance ID or ARN; or give the
	// Ec2InstanceId.
	ContainerInstance *string `json:"containerInstance,omitempty"`
	Ec2InstanceId     *string `json:"ec2InstanceId,omitempty"`
}

// TerminateInstance terminates an EC2 instance: its tasks stop with
// "Host EC2 (instance <id>) terminated." and it leaves the cluster;
// services replace the tasks elsewhere.
func (m *ECS) TerminateInstance(in *TerminateInstanceInput) (*Empty, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	var inst *instance
	if in.ContainerInstance != nil {
		inst, _ = m.findInstance(cl, *in.ContainerInstance)
	} else {
		for _, x := range cl.instances {
			if x.ec2ID == api.Deref(in.Ec2InstanceId) {
				inst = x
			}
		}
	}
	if inst == nil || inst.status == InstanceInactive {
		return nil, api.InvalidParameter("No such container instance in cluster %s.", cl.name).At("containerInstance")
	}
	// Observed stopped reason of tasks on a terminated instance.
	m.removeInstance(inst, "Host EC2 (instance "+inst.ec2ID+") terminated.")
	return &Empty{}, nil
}

// PutAttributesInput is the input of PutAttributes.
type PutAttributesInput struct {
	Cluster    *string             `json:"cluster,omitempty"`
	Attributes []InstanceAttribute `json:"attributes,omitempty"`
}

// AttributesOutput is the output of PutAttributes and DeleteAttributes.
type AttributesOutput struct {
	Attributes []InstanceAttribute `json:"attributes"`
}

// targetOf resolves an attribute's target container instance.
func (m *ECS) targetOf(cl *cluster, a InstanceAttribute, i int) (*instance, error) {
	if t := api.Deref(a.TargetType); t != "" && t != "container-instance" {
		return nil, api.InvalidParameter("targetType must be container-instance.").At(indexPath("attributes", i, "targetType"))
	}
	inst, ok := m.findInstance(cl, api.Deref(a.TargetId))
	if !ok || inst.status == InstanceInactive {
		return nil, api.Errorf("TargetNotFoundException", "Could not find %s.", api.Deref(a.TargetId)).At(indexPath("attributes", i, "targetId"))
	}
	return inst, nil
}

// PutAttributes sets custom attributes on container instances: names of
// 1-128 letters, digits, hyphens, underscores, slashes, backslashes and
// periods; values of up to 128 characters. [DG:task-placement-constraints]
func (m *ECS) PutAttributes(in *PutAttributesInput) (*AttributesOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.Attributes) == 0 || len(in.Attributes) > 10 {
		return nil, api.InvalidParameter("attributes must list between 1 and 10 attributes.").At("attributes")
	}
	targets := make([]*instance, len(in.Attributes))
	for i, a := range in.Attributes {
		if !customAttrName.MatchString(api.Deref(a.Name)) {
			return nil, api.InvalidParameter("Attribute names must be 1-128 letters, digits, hyphens, underscores, forward slashes, back slashes, or periods.").At(indexPath("attributes", i, "name"))
		}
		if len(api.Deref(a.Value)) > 128 {
			return nil, api.InvalidParameter("Attribute values can be up to 128 characters.").At(indexPath("attributes", i, "value"))
		}
		if targets[i], err = m.targetOf(cl, a, i); err != nil {
			return nil, err
		}
	}
	for i, a := range in.Attributes {
		targets[i].attrs[*a.Name] = api.Deref(a.Value)
		if err := cl.sched.PutAttribute(targets[i].id, *a.Name, api.Deref(a.Value)); err != nil {
			return nil, api.ServerException("%v", err)
		}
	}
	m.kickCluster(cl)
	return &AttributesOutput{Attributes: in.Attributes}, nil
}

// DeleteAttributes removes custom attributes from container instances.
func (m *ECS) DeleteAttributes(in *PutAttributesInput) (*AttributesOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.Attributes) == 0 {
		return nil, api.InvalidParameter("attributes can not be empty.").At("attributes")
	}
	targets := make([]*instance, len(in.Attributes))
	for i, a := range in.Attributes {
		if targets[i], err = m.targetOf(cl, a, i); err != nil {
			return nil, err
		}
	}
	for i, a := range in.Attributes {
		delete(targets[i].attrs, api.Deref(a.Name))
		_ = cl.sched.DeleteAttribute(targets[i].id, api.Deref(a.Name))
	}
	return &AttributesOutput{Attributes: in.Attributes}, nil
}

// ListAttributesInput is the input of ListAttributes.
type ListAttributesInput struct {
	Cluster        *string `json:"cluster,omitempty"`
	TargetType     *string `json:"targetType,omitempty"`
	AttributeName  *string `json:"attributeName,omitempty"`
	AttributeValue *string `json:"attributeValue,omitempty"`
	NextToken      *string `json:"nextToken,omitempty"`
	MaxResults     *int32  `json:"maxResults,omitempty"`
}

// ListAttributesOutput is the output of ListAttributes.
type ListAttributesOutput struct {
	Attributes []InstanceAttribute `json:"attributes"`
	NextToken  *string             `json:"nextToken,omitempty"`
}

// ListAttributes lists the attributes of a cluster's container
// instances, optionally one name (and value). [API:ListAttributes]
func (m *ECS) ListAttributes(in *ListAttributesInput) (*ListAttributesOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if api.Deref(in.TargetType) != "container-instance" {
		return nil, api.InvalidParameter("targetType must be container-instance.").At("targetType")
	}
	if in.AttributeValue != nil && in.AttributeName == nil {
		return nil, api.InvalidParameter("attributeValue requires attributeName.").At("attributeValue")
	}
	var all []InstanceAttribute
	for _, inst := range cl.instances {
		if inst.status == InstanceInactive {
			continue
		}
		for _, k := range sortedKeys(inst.attrs) {
			v := inst.attrs[k]
			if (in.AttributeName != nil && k != *in.AttributeName) || (in.AttributeValue != nil && v != *in.AttributeValue) {
				continue
			}
			a := InstanceAttribute{Name: api.String(k), TargetType: api.String("container-instance"), TargetId: api.String(inst.arn)}
			if v != "" {
				a.Value = api.String(v)
			}
			all = append(all, a)
		}
	}
	page, next, err := paginate(all, in.MaxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	return &ListAttributesOutput{Attributes: append([]InstanceAttribute{}, page...), NextToken: next}, nil
}
