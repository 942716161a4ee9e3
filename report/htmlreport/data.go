package htmlreport

import "time"

// Data is what a report shows. [Collector.Build] fills it from a run;
// [Write] draws it. Times are durations since the start of the run.
type Data struct {
	// Title heads the page.
	Title string
	// Subtitle is a line under the title, such as the scenario's
	// description.
	Subtitle string
	// End is the simulated time the run covered: the width of the time
	// axis.
	End time.Duration
	// Services are drawn in order.
	Services []*Service
	// Alarms are the CloudWatch alarms that changed state.
	Alarms []*Alarm
	// Clusters are the clusters with EC2 container instances.
	Clusters []*Cluster
	// Costs are what DescribeCosts returned: one row per cluster and per
	// service.
	Costs []Cost
	// Expectations are the checks made, in order.
	Expectations []Expectation
	// Events are the service events in ECS's words, in time order.
	Events []Event
}

// Service is one ECS service.
type Service struct {
	// Name is "cluster/service".
	Name string
	// Revisions are the task definitions ("family:revision") its tasks
	// ran, in the order first seen; they pick the colours.
	Revisions []string
	// Tasks are the service's tasks, in the order they were created.
	Tasks []*Task
	// Desired is the desired count over time, a step function.
	Desired []Step
	// Deployments are the deployment markers.
	Deployments []Marker
	// Scaling are the scaling activities.
	Scaling []Marker
	// CPU and Memory are the service's utilization datapoints (AWS/ECS,
	// one a minute, Average), in percent.
	CPU, Memory []Sample
	// CPUTarget and MemoryTarget are the target tracking targets; 0 when
	// no policy tracks the metric.
	CPUTarget, MemoryTarget float64
	// RequestsTarget is the target of an ALBRequestCountPerTarget target
	// tracking policy; 0 when there is none.
	RequestsTarget float64
	// Traffic is the request rate sim:SetTraffic gave the service, in
	// requests per second, one sample a minute; empty when it was given
	// no load.
	Traffic []Sample
	// TargetGroups are the target groups the service registers with.
	TargetGroups []*TargetGroup
	// Cost is what the service's Fargate tasks have cost so far, in USD,
	// at each start and stop of a task and at the end (linear in between).
	Cost []Sample
}

// Task is one task's life.
type Task struct {
	// ID is the task's ID; TaskDefinition its "family:revision".
	ID, TaskDefinition string
	// Segments are the task's states, in order; the task stops at Stopped.
	Segments []Segment
	// Stopped is when the task reached STOPPED; 0 if it did not.
	Stopped time.Duration
	// StopCode and StopReason say why it stopped.
	StopCode, StopReason string
	// CPU and Memory are the task's CPU units and MiB.
	CPU, Memory int
	// Billed is when billing began (the image pull, PENDING) for a
	// Fargate task; -1 for a task that is not billed by itself.
	Billed time.Duration
	// Spot reports a task on FARGATE_SPOT.
	Spot bool
}

// The states of a task bar.
const (
	StatePending   = "pending"   // PROVISIONING, PENDING, ACTIVATING
	StateRunning   = "running"   // RUNNING, health unknown
	StateHealthy   = "healthy"   // RUNNING and HEALTHY
	StateUnhealthy = "unhealthy" // RUNNING and UNHEALTHY
	StateStopping  = "stopping"  // DEACTIVATING, STOPPING, DEPROVISIONING
)

// Segment is the start of one state of a task.
type Segment struct {
	At    time.Duration
	State string
}

// Step is one change of a step function: Value from At on.
type Step struct {
	At    time.Duration
	Value float64
}

// Sample is one datapoint of a metric.
type Sample struct {
	At    time.Duration
	Value float64
}

// Marker kinds.
const (
	MarkDeploymentStart = "start"
	MarkCompleted       = "completed"
	MarkFailed          = "failed"
	MarkRollback        = "rollback"
	MarkScaleOut        = "scale-out"
	MarkScaleIn         = "scale-in"
)

// Marker is an instant worth a vertical line.
type Marker struct {
	At   time.Duration
	Kind string
	Text string
}

// TargetGroup is one target group's targets over time.
type TargetGroup struct {
	// Name is the target group's name.
	Name string
	// Healthy, Unhealthy and Other (initial, draining, unused) count the
	// targets in each state, step functions.
	Healthy, Unhealthy, Other []Step
	// RequestsPerTarget are the AWS/ApplicationELB RequestCountPerTarget
	// datapoints (Sum, per minute).
	RequestsPerTarget []Sample
}

// Alarm is one alarm's states over time.
type Alarm struct {
	Name string
	// States are the alarm's states (OK, ALARM, INSUFFICIENT_DATA) from
	// each At on.
	States []AlarmState
}

// AlarmState is an alarm's state from At on.
type AlarmState struct {
	At     time.Duration
	State  string
	Reason string
}

// Cluster is one cluster's EC2 container instances.
type Cluster struct {
	Name string
	// Instances counts the ACTIVE and DRAINING instances over time.
	Instances []Step
	// CPUReserved and MemoryReserved are, in percent of what the
	// instances registered, what their tasks reserve, over time.
	CPUReserved, MemoryReserved []Step
}

// Cost is one row of DescribeCosts.
type Cost struct {
	// Name is "cluster" or "cluster/service".
	Name          string
	TaskHours     float64
	InstanceHours float64
	USD           float64
}

// Expectation is one check of a scenario.
type Expectation struct {
	At   time.Duration
	Text string
	OK   bool
}

// Event is one service event.
type Event struct {
	At time.Duration
	// Service is "cluster/service".
	Service string
	Message string
}
