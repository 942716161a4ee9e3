package ecssimtest

import (
	"fmt"
	"github.com/ecssim/ecssim"
	"strings"
	"time"

	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

// Timeline renders trace records as one compact line each, for golden
// files that a reviewer can read: the time since start, what changed, and
// on which resource.
func Timeline(start sim.Time, records []sim.Record) string {
	var b strings.Builder
	for _, r := range records {
		fmt.Fprintf(&b, "%s %s\n", clock(r.Time.Sub(start)), describe(r))
	}
	return b.String()
}

func clock(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// tgName returns a target group ARN's name.
func tgName(arn string) string {
	parts := strings.Split(arn, "/")
	if len(parts) < 3 {
		return arn
	}
	return parts[len(parts)-2]
}

func short(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

func describe(r sim.Record) string {
	switch d := r.Detail.(type) {
	case *ecs.TaskStateChange:
		id := short(d.TaskArn)
		if len(id) > 8 {
			id = id[:8]
		}
		s := fmt.Sprintf("task %s %s %s/%s health=%s v%d", id, short(d.TaskDefinitionArn), d.LastStatus, d.DesiredStatus, d.HealthStatus, d.Version)
		if d.AvailabilityZone != "" {
			s += " az=" + d.AvailabilityZone
		}
		if d.StopCode != "" {
			s += " stop=" + d.StopCode + " (" + d.StoppedReason + ")"
		}
		for _, c := range d.Containers {
			if c.ExitCode != nil {
				s += fmt.Sprintf(" %s:exit=%d", c.Name, *c.ExitCode)
			}
		}
		return s
	case ecssim.APICall:
		if d.ErrorCode != "" {
			return "call " + d.Action + " -> " + d.ErrorCode
		}
		return "call " + d.Action
	case ecs.AutoScalingActivity:
		return fmt.Sprintf("asg %s desired %d -> %d (%s)", d.AutoScalingGroupName, d.From, d.To, d.Cause)
	case ecs.InstanceStateChange:
		return fmt.Sprintf("instance %s %s %s agent=%t v%d", d.Ec2InstanceId, d.Attribute("ecs.availability-zone"), d.Status, d.AgentConnected, d.Version)
	case ecs.ZoneChange:
		return "zone " + d.AvailabilityZone + " " + d.Status
	case ecs.ServiceEventDetail:
		return "event " + d.Message
	case ecs.ServiceAction:
		return "service-action " + d.EventType + " " + d.EventName
	case *elb.TargetHealthChange:
		s := fmt.Sprintf("target %s %s:%d %s", tgName(d.TargetGroupArn), d.TargetId, d.Port, d.State)
		if d.Description != "" {
			s += " (" + d.Description + ")"
		}
		return s
	case *elb.LoadBalancerStateChange:
		return "load-balancer " + d.LoadBalancerArn[strings.Index(d.LoadBalancerArn, ":loadbalancer/")+len(":loadbalancer/"):] + " " + d.State
	case ecs.DeploymentLifecycle:
		return d.String()
	case ecs.HookEvent:
		return "hook " + d.HookId + " " + d.TargetType + " " + d.Stage + " " + d.Status
	case ecs.DeploymentStateChange:
		return "deployment " + d.DeploymentId + " " + d.EventName + " (" + d.Reason + ")"
	}
	return fmt.Sprintf("%s %s", r.Type, r.Line)
}
