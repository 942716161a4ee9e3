package report

import (
	"encoding/json"
	"fmt"
	"github.com/ecssim/ecssim/internal/records"
	"io"
	"regexp"
	"strings"

	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

// Trace event types the timeline knows, beyond the ones package ecs names.
const (
	// TypeServiceEvent carries a service event message, as DescribeServices
	// lists it, in detail.message.
	TypeServiceEvent = "ECS Service Event"
	// TypeAPICall records a state-changing API call: detail.action and,
	// when it failed, detail.errorCode.
	TypeAPICall = "ecssim API Call"
)

// Timeline writes a run as readable lines: the simulated time since the
// start (h:mm:ss) and a message.
//
// By default it prints the service event messages in ECS's words, task
// lines when a task reaches RUNNING or STOPPED or its health changes,
// and a line when a deployment starts. Long lists of tasks in a message
// show the first five and count the rest:
//
//	0:00:22  task 44bcea29… (nginx:1) RUNNING in us-east-1a
//	0:01:20  (service nginx) has reached a steady state.
//
// Verbose adds every task status, every deployment state change, service
// actions, API calls and any other event of the trace, and lists every
// task. Task IDs are
// shortened to 8 digits everywhere; the events file has them whole.
type Timeline struct {
	w       io.Writer
	start   sim.Time
	verbose bool
	tasks   map[string]taskSeen // by task ARN, until STOPPED
	err     error
}

type taskSeen struct{ status, health string }

// NewTimeline returns a timeline that writes to w, with times counted
// from start.
func NewTimeline(w io.Writer, start sim.Time, verbose bool) *Timeline {
	return &Timeline{w: w, start: start, verbose: verbose, tasks: map[string]taskSeen{}}
}

// Err returns the first write error.
func (t *Timeline) Err() error { return t.err }

// Line writes one line of text at a time.
func (t *Timeline) Line(at sim.Time, text string) {
	if t.err != nil {
		return
	}
	_, t.err = fmt.Fprintf(t.w, "%8s  %s\n", at.Clock(t.start), text)
}

// Record writes the lines of one trace record, if it has any.
func (t *Timeline) Record(r sim.Record) {
	for _, text := range t.render(r) {
		t.Line(r.Time, text)
	}
}

func (t *Timeline) render(r sim.Record) []string {
	switch r.Type {
	case TypeServiceEvent:
		d, ok := records.Detail[ecs.ServiceEventDetail](r)
		if !ok {
			break
		}
		msg := shortenTasks(d.Message)
		if !t.verbose {
			msg = compactTasks(msg)
		}
		return []string{msg}
	case ecs.EventTaskStateChange:
		d, ok := records.Detail[ecs.TaskStateChange](r)
		if !ok {
			break
		}
		return t.task(d)
	case ecs.EventDeploymentStateChange:
		d, ok := records.Detail[ecs.DeploymentStateChange](r)
		if !ok {
			break
		}
		state := strings.TrimPrefix(d.EventName, "SERVICE_DEPLOYMENT_")
		if state != "IN_PROGRESS" && !t.verbose {
			return nil
		}
		line := fmt.Sprintf("(service %s) (deployment %s) deployment %s", svcName(r), d.DeploymentId, strings.ReplaceAll(strings.ToLower(state), "_", " "))
		if d.Reason != "" && !strings.HasPrefix(d.Reason, "ECS deployment "+d.DeploymentId) {
			line += ": " + d.Reason
		} else {
			line += "."
		}
		return []string{line}
	case ecs.EventDeploymentLifecycle:
		d, ok := records.Detail[ecs.DeploymentLifecycle](r)
		if !ok {
			break
		}
		return []string{fmt.Sprintf("(service %s) (deployment %s) %s: production traffic %d%% green, %d%% blue",
			svcName(r), d.DeploymentId, strings.ReplaceAll(strings.ToLower(d.Stage), "_", " "), d.GreenPercent, 100-d.GreenPercent)}
	case ecs.EventLifecycleHook:
		d, ok := records.Detail[ecs.HookEvent](r)
		if !ok {
			break
		}
		return []string{fmt.Sprintf("(service %s) (deployment %s) %s hook %s at %s: %s", svcName(r), d.DeploymentId,
			d.TargetType, d.HookId, d.Stage, strings.ReplaceAll(strings.ToLower(d.Status), "_", " "))}
	case ecs.EventServiceAction:
		if !t.verbose {
			return nil
		}
		d, ok := records.Detail[ecs.ServiceAction](r)
		if !ok {
			break
		}
		return []string{fmt.Sprintf("(service %s) %s %s", svcName(r), d.EventType, d.EventName)}
	case ecs.EventAutoScaling:
		d, ok := records.Detail[ecs.AutoScalingActivity](r)
		if !ok {
			break
		}
		return []string{fmt.Sprintf("auto scaling group %s: desired capacity %d -> %d (%s)", d.AutoScalingGroupName, d.From, d.To, d.Cause)}
	case autoscaling.EventScalingActivity:
		d, ok := records.Detail[autoscaling.ActivityDetail](r)
		if !ok {
			break
		}
		cause := d.Cause
		if m := alarmCause.FindStringSubmatch(cause); m != nil && !t.verbose {
			cause = "policy " + m[2] + ", " + strings.ToLower(m[1]) + " alarm"
		}
		line := fmt.Sprintf("service auto scaling %s: desired count %d -> %d (%s)", d.ResourceId, d.From, d.To, cause)
		if d.StatusCode != "Successful" {
			line += " " + strings.ToLower(d.StatusCode)
		}
		return []string{line}
	case ecs.EventInstanceStateChange:
		if !t.verbose {
			return nil
		}
		d, ok := records.Detail[ecs.InstanceStateChange](r)
		if !ok {
			break
		}
		return []string{fmt.Sprintf("container instance %s (%s, %s) %s", d.Ec2InstanceId, d.Attribute("ecs.instance-type"), d.Attribute("ecs.availability-zone"), d.Status)}
	case ecs.EventZoneChange:
		d, ok := records.Detail[ecs.ZoneChange](r)
		if !ok {
			break
		}
		if d.Status == ecs.ZoneDown {
			return []string{"availability zone " + d.AvailabilityZone + " is down: its tasks stop, new tasks avoid it"}
		}
		return []string{"availability zone " + d.AvailabilityZone + " is back"}
	case elb.EventTargetHealthChange:
		d, ok := records.Detail[elb.TargetHealthChange](r)
		if !ok {
			break
		}
		line := fmt.Sprintf("(target-group %s) target %s:%d is %s", tgName(d.TargetGroupArn), d.TargetId, d.Port, d.State)
		if d.Description != "" {
			line += ": " + d.Description
		}
		return []string{line}
	case TypeAPICall:
		if !t.verbose {
			return nil
		}
		var d struct {
			Action    string `json:"action"`
			ErrorCode string `json:"errorCode"`
		}
		if !records.Decode(r, &d) {
			break
		}
		if d.ErrorCode != "" {
			return []string{fmt.Sprintf("api %s failed: %s", d.Action, d.ErrorCode)}
		}
		return []string{"api " + d.Action}
	}
	if !t.verbose {
		return nil
	}
	var d struct {
		Detail json.RawMessage `json:"detail"`
	}
	_ = json.Unmarshal(r.Line, &d)
	return []string{fmt.Sprintf("%s %s %s", r.Type, strings.Join(r.Resources, " "), d.Detail)}
}

// tgName returns the name in a target group ARN.
func tgName(arn string) string {
	parts := strings.Split(arn, "/")
	if len(parts) < 3 {
		return arn
	}
	return parts[len(parts)-2]
}

// alarmCause matches the cause of a target tracking scaling activity, to
// shorten it to the policy and the alarm (High or Low).
var alarmCause = regexp.MustCompile(`^monitor alarm TargetTracking-.*-Alarm(High|Low)-[0-9a-f-]+ in state ALARM triggered policy (.+)$`)

// task renders a task state change: on a new status (RUNNING and STOPPED
// only, unless verbose) or a new health status.
func (t *Timeline) task(d ecs.TaskStateChange) []string {
	prev := t.tasks[d.TaskArn]
	cur := taskSeen{status: d.LastStatus, health: d.HealthStatus}
	if d.LastStatus == ecs.StatusStopped {
		delete(t.tasks, d.TaskArn)
	} else {
		t.tasks[d.TaskArn] = cur
	}
	name := fmt.Sprintf("task %s (%s)", ShortID(records.LastPart(d.TaskArn)), records.LastPart(d.TaskDefinitionArn))
	var out []string
	if cur.status != prev.status {
		switch {
		case d.LastStatus == ecs.StatusRunning:
			line := name + " RUNNING"
			if d.AvailabilityZone != "" {
				line += " in " + d.AvailabilityZone
			}
			out = append(out, line)
		case d.LastStatus == ecs.StatusStopped:
			out = append(out, name+" STOPPED"+stopDetail(d))
		case t.verbose:
			line := name + " " + d.LastStatus
			if d.LastStatus == ecs.StatusProvisioning && d.AvailabilityZone != "" {
				line += " in " + d.AvailabilityZone
			}
			out = append(out, line)
		}
	}
	if cur.health != prev.health && prev.status != "" && d.LastStatus != ecs.StatusStopped &&
		(d.HealthStatus == ecs.HealthHealthy || d.HealthStatus == ecs.HealthUnhealthy) {
		out = append(out, name+" "+d.HealthStatus)
	}
	return out
}

// stopDetail says why a task stopped: " (stopCode): reason; container
// exit codes".
func stopDetail(d ecs.TaskStateChange) string {
	var b strings.Builder
	if d.StopCode != "" {
		b.WriteString(" (" + d.StopCode + ")")
	}
	if d.StoppedReason != "" {
		b.WriteString(": " + d.StoppedReason)
	}
	var exits []string
	for _, c := range d.Containers {
		if c.ExitCode != nil && *c.ExitCode != 0 {
			exits = append(exits, fmt.Sprintf("%s exited %d", c.Name, *c.ExitCode))
		}
	}
	if len(exits) > 0 {
		b.WriteString("; " + strings.Join(exits, ", "))
	}
	return b.String()
}

// svcName returns the service name of a record about a service.
func svcName(r sim.Record) string {
	if len(r.Resources) == 0 {
		return "?"
	}
	return records.LastPart(r.Resources[0])
}
