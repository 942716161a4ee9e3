package scheduler

import "strings"

// Reason is why a container instance cannot take a task. Its String is the
// value ECS puts in RunTask's failures[].reason for that container
// instance. [DG:api_failures_messages]
//
// The reasons are listed in the order the pipeline checks them (see
// README.md): resources first, then placement constraints (in the order
// they are given), then the agent's connection.
type Reason uint8

const (
	// Fits means the instance passes every check.
	Fits Reason = iota
	// ReasonCPU: too few CPU units left. [DG:api_failures_messages]
	ReasonCPU
	// ReasonMemory: too little memory left. [DG:api_failures_messages]
	ReasonMemory
	// ReasonGPU: too few GPUs left. [DG:api_failures_messages]
	ReasonGPU
	// ReasonPorts: a static host port is taken, the dynamic range is
	// exhausted, or the instance would hold more than [MaxHostPorts] static
	// ports. [DG:api_failures_messages] [DG:service-event-messages]
	ReasonPorts
	// ReasonENI: an awsvpc task needs an ENI attachment point and the
	// instance has none left. [DG:api_failures_messages]
	ReasonENI
	// ReasonDistinctInstance: a task of the same group is already there.
	// The text, with its trailing period, is what RunTask returns (observed
	// in captured RunTask output).
	ReasonDistinctInstance
	// ReasonMemberOf: the instance does not satisfy a memberOf expression.
	// [DG:api_failures_messages]; trailing period as observed in service
	// events ("encountered error \"MemberOf placement constraint
	// unsatisfied.\".").
	ReasonMemberOf
	// ReasonAgent: the container agent on the instance is disconnected.
	// [DG:api_failures_messages]
	ReasonAgent

	numReasons
)

var reasonText = [numReasons]string{
	Fits:                   "",
	ReasonCPU:              "RESOURCE:CPU",
	ReasonMemory:           "RESOURCE:MEMORY",
	ReasonGPU:              "RESOURCE:GPU",
	ReasonPorts:            "RESOURCE:PORTS",
	ReasonENI:              "RESOURCE:ENI",
	ReasonDistinctInstance: "DistinctInstance placement constraint unsatisfied.",
	ReasonMemberOf:         "MemberOf placement constraint unsatisfied.",
	ReasonAgent:            "AGENT",
}

// String returns the ECS failure reason, e.g. "RESOURCE:MEMORY"; "" for
// [Fits].
func (r Reason) String() string {
	if r < numReasons {
		return reasonText[r]
	}
	return "UNKNOWN"
}

// GoString returns the constant's name, for test failure output.
func (r Reason) GoString() string {
	names := [numReasons]string{"Fits", "ReasonCPU", "ReasonMemory", "ReasonGPU", "ReasonPorts",
		"ReasonENI", "ReasonDistinctInstance", "ReasonMemberOf", "ReasonAgent"}
	if r < numReasons {
		return "scheduler." + names[r]
	}
	return "scheduler.Reason(?)"
}

// ClosestMatchPhrase returns what a service event says about the closest
// matching container instance that failed for this reason, without the
// instance ID before it or the period after it:
//
//	ReasonCPU    has insufficient CPU units available       [DG:service-event-messages]
//	ReasonMemory has insufficient memory available          (observed)
//	ReasonPorts  is already using a port required by your task [DG:service-event-messages]
//	ReasonAgent  encountered error "AGENT"                  [DG:service-event-messages]
//	ReasonMemberOf encountered error "MemberOf placement constraint unsatisfied." (observed)
//
// For the reasons whose wording AWS does not publish (GPU, ENI,
// distinctInstance) it uses the documented `encountered error "<reason>"`
// form, as the AGENT event does.
func (r Reason) ClosestMatchPhrase() string {
	switch r {
	case Fits:
		return ""
	case ReasonCPU:
		return "has insufficient CPU units available"
	case ReasonMemory:
		return "has insufficient memory available"
	case ReasonPorts:
		return "is already using a port required by your task"
	}
	return `encountered error "` + r.String() + `"`
}

// troubleshooting ends the "closest matching container-instance" service
// events, as ECS writes them (captured DescribeServices output quoted in
// public reports, e.g. "... has insufficient memory available. For more
// information, see the Troubleshooting section of the Amazon ECS
// Developer Guide.").
const troubleshooting = "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."

// UnableToPlaceMessage returns the service event ECS writes when the
// service scheduler cannot place a task, for a [Result] that did not place:
//
//	(service web) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 1f2e... has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.
//
// With no ACTIVE container instance in the cluster the reason is instead
// "No Container Instances were found in your cluster." [DG:service-event-messages]
func UnableToPlaceMessage(service string, res Result) string {
	var b strings.Builder
	b.WriteString("(service ")
	b.WriteString(service)
	b.WriteString(") was unable to place a task because no container instance met all of its requirements.")
	switch {
	case res.Candidates == 0:
		b.WriteString(" Reason: No Container Instances were found in your cluster.")
	case res.Closest != "":
		b.WriteString(" The closest matching container-instance ")
		b.WriteString(res.Closest)
		b.WriteByte(' ')
		b.WriteString(res.ClosestReason.ClosestMatchPhrase())
		b.WriteString(". " + troubleshooting)
	}
	return b.String()
}
