package ecs

import (
	"fmt"
	"time"

	"github.com/ecssim/ecssim/api"
)

// LoadBalancing is what ECS needs of Elastic Load Balancing to attach
// services to target groups; the World implements it with the elb model.
// Target IDs are IP addresses (ip target groups) or EC2 instance IDs.
type LoadBalancing interface {
	// TargetGroup describes a target group, and whether it exists.
	TargetGroup(arn string) (TargetGroupInfo, bool)
	// RegisterTarget registers a target with a group.
	RegisterTarget(targetGroupArn, id string, port int32) error
	// DeregisterTarget starts a target's deregistration and returns how
	// long it drains (the group's deregistration delay).
	DeregisterTarget(targetGroupArn, id string, port int32) (time.Duration, error)
	// TargetHealth returns a registered target's health state ("initial",
	// "healthy", "unhealthy", "draining", "unused"), its reason code and
	// description; state "" when the target is not registered.
	TargetHealth(targetGroupArn, id string, port int32) (state, reason, description string)
}

// TargetGroupInfo is what ECS checks of a target group.
type TargetGroupInfo struct {
	// TargetType is "instance" or "ip".
	TargetType string
	// LoadBalancerArns are the load balancers that forward to the group.
	LoadBalancerArns []string
}

// maxServiceLoadBalancers is how many target groups a service can have.
// [DG:load-balancer-types] ("up to five target groups")
const maxServiceLoadBalancers = 5

// checkLoadBalancers checks a service's loadBalancers against the task
// definition and the target groups, with ECS's messages (as ECS returns
// them; see docs/fidelity.md for the one AWS gives no wording for).
func (m *ECS) checkLoadBalancers(lbs []LoadBalancer, td *TaskDefinition) error {
	if len(lbs) > maxServiceLoadBalancers {
		return api.InvalidParameter("A service can have at most %d load balancers.", maxServiceLoadBalancers).At("loadBalancers")
	}
	mode := "bridge" // the default network mode on EC2 [API:TaskDefinition.networkMode]
	if td != nil && api.Deref(td.NetworkMode) != "" {
		mode = *td.NetworkMode
	}
	for i, lb := range lbs {
		path := fmt.Sprintf("loadBalancers[%d]", i)
		if lb.TargetGroupArn == nil && lb.LoadBalancerName == nil {
			return api.InvalidParameter("Target Group Arn can not be blank.").At(path + ".targetGroupArn")
		}
		if api.Deref(lb.ContainerName) == "" {
			return api.InvalidParameter("Container Name can not be blank.").At(path + ".containerName")
		}
		if lb.ContainerPort == nil {
			return api.InvalidParameter("Container Port can not be blank.").At(path + ".containerPort")
		}
		if lb.TargetGroupArn == nil {
			// A Classic Load Balancer: accepted and kept, not simulated
			// (docs/fidelity.md).
			continue
		}
		arn := *lb.TargetGroupArn
		var info TargetGroupInfo
		ok := false
		if m.cfg.LoadBalancing != nil {
			info, ok = m.cfg.LoadBalancing.TargetGroup(arn)
		}
		if !ok {
			// What ECS answers when it cannot describe the target group.
			return api.InvalidParameter("Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.").At(path + ".targetGroupArn")
		}
		if len(info.LoadBalancerArns) == 0 {
			return api.InvalidParameter("The target group with targetGroupArn %s does not have an associated load balancer.", arn).At(path + ".targetGroupArn")
		}
		if td == nil {
			continue
		}
		ci := -1
		for j, cd := range td.ContainerDefinitions {
			if api.Deref(cd.Name) == *lb.ContainerName {
				ci = j
			}
		}
		if ci < 0 {
			return api.InvalidParameter("The container %s does not exist in the task definition.", *lb.ContainerName).At(path + ".containerName")
		}
		found := false
		for _, pm := range td.ContainerDefinitions[ci].PortMappings {
			if api.Deref(pm.ContainerPort) == *lb.ContainerPort {
				found = true
			}
		}
		if !found {
			return api.InvalidParameter("The container %s did not have a container port %d defined.", *lb.ContainerName, *lb.ContainerPort).At(path + ".containerPort")
		}
		// awsvpc tasks register by IP address, bridge and host tasks by
		// instance. [DG:load-balancer-types]
		want := TargetTypeFor(mode)
		if info.TargetType != want {
			return api.InvalidParameter("The provided target group %s has target type %s, which is incompatible with the %s network mode specified in the task definition.", arn, info.TargetType, mode).At(path + ".targetGroupArn")
		}
	}
	return nil
}

// TargetTypeFor returns the target type a task of a network mode
// registers as: "ip" for awsvpc, "instance" otherwise.
func TargetTypeFor(networkMode string) string {
	if networkMode == "awsvpc" {
		return "ip"
	}
	return "instance"
}
