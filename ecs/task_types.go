package ecs

import (
	"encoding/json"

	"github.com/ecssim/ecssim/api"
)

// Task statuses, the lastStatus ladder of a task. [DG:task-lifecycle]
const (
	StatusProvisioning   = "PROVISIONING"
	StatusPending        = "PENDING"
	StatusActivating     = "ACTIVATING"
	StatusRunning        = "RUNNING"
	StatusDeactivating   = "DEACTIVATING"
	StatusStopping       = "STOPPING"
	StatusDeprovisioning = "DEPROVISIONING"
	StatusStopped        = "STOPPED"
)

// Health statuses of tasks and containers. [API:HealthCheck]
const (
	HealthHealthy   = "HEALTHY"
	HealthUnhealthy = "UNHEALTHY"
	HealthUnknown   = "UNKNOWN"
)

// Stop codes. [API enum TaskStopCode]
const (
	StopTaskFailedToStart         = "TaskFailedToStart"
	StopEssentialContainerExited  = "EssentialContainerExited"
	StopUserInitiated             = "UserInitiated"
	StopServiceSchedulerInitiated = "ServiceSchedulerInitiated"
	StopSpotInterruption          = "SpotInterruption"
	StopTerminationNotice         = "TerminationNotice"
)

// Launch types. [API enum LaunchType]
const (
	LaunchFargate = "FARGATE"
	LaunchEC2     = "EC2"
)

// AwsVpcConfiguration is the awsvpc part of a network configuration.
type AwsVpcConfiguration struct {
	Subnets        []string `json:"subnets"`
	SecurityGroups []string `json:"securityGroups,omitempty"`
	AssignPublicIp *string  `json:"assignPublicIp,omitempty"`
}

// NetworkConfiguration is the network configuration of a task or service.
type NetworkConfiguration struct {
	AwsvpcConfiguration *AwsVpcConfiguration `json:"awsvpcConfiguration,omitempty"`
}

// ContainerOverride overrides parts of one container at RunTask.
type ContainerOverride struct {
	Name                 *string         `json:"name,omitempty"`
	Command              []string        `json:"command,omitempty"`
	Environment          []KeyValuePair  `json:"environment,omitempty"`
	EnvironmentFiles     json.RawMessage `json:"environmentFiles,omitempty"`
	Cpu                  *int32          `json:"cpu,omitempty"`
	Memory               *int32          `json:"memory,omitempty"`
	MemoryReservation    *int32          `json:"memoryReservation,omitempty"`
	ResourceRequirements json.RawMessage `json:"resourceRequirements,omitempty"`
}

// TaskOverride overrides parts of a task definition at RunTask.
type TaskOverride struct {
	ContainerOverrides            []ContainerOverride `json:"containerOverrides,omitempty"`
	Cpu                           *string             `json:"cpu,omitempty"`
	Memory                        *string             `json:"memory,omitempty"`
	InferenceAcceleratorOverrides json.RawMessage     `json:"inferenceAcceleratorOverrides,omitempty"`
	ExecutionRoleArn              *string             `json:"executionRoleArn,omitempty"`
	TaskRoleArn                   *string             `json:"taskRoleArn,omitempty"`
	EphemeralStorage              json.RawMessage     `json:"ephemeralStorage,omitempty"`
}

// NetworkBinding is a host port a bridge or host task's container
// listens on.
type NetworkBinding struct {
	BindIP        string `json:"bindIP"`
	ContainerPort int32  `json:"containerPort"`
	HostPort      int32  `json:"hostPort"`
	Protocol      string `json:"protocol"`
}

// NetworkInterface is a container's view of the task ENI.
type NetworkInterface struct {
	AttachmentId       *string `json:"attachmentId,omitempty"`
	PrivateIpv4Address *string `json:"privateIpv4Address,omitempty"`
}

// Container is the API shape of a container of a task.
type Container struct {
	ContainerArn      string             `json:"containerArn"`
	TaskArn           string             `json:"taskArn"`
	Name              string             `json:"name"`
	Image             string             `json:"image"`
	RuntimeId         string             `json:"runtimeId,omitempty"`
	LastStatus        string             `json:"lastStatus"`
	ExitCode          *int32             `json:"exitCode,omitempty"`
	Reason            string             `json:"reason,omitempty"`
	NetworkBindings   []NetworkBinding   `json:"networkBindings"`
	NetworkInterfaces []NetworkInterface `json:"networkInterfaces"`
	HealthStatus      string             `json:"healthStatus"`
	Cpu               string             `json:"cpu,omitempty"`
	Memory            string             `json:"memory,omitempty"`
	MemoryReservation string             `json:"memoryReservation,omitempty"`
}

// Attachment is an ENI attachment of an awsvpc task.
type Attachment struct {
	Id      string         `json:"id"`
	Type    string         `json:"type"`
	Status  string         `json:"status"`
	Details []KeyValuePair `json:"details"`
}

// Task is the API shape of a task.
type Task struct {
	Attachments          []Attachment    `json:"attachments"`
	Attributes           []KeyValuePair  `json:"attributes,omitempty"`
	AvailabilityZone     string          `json:"availabilityZone,omitempty"`
	CapacityProviderName string          `json:"capacityProviderName,omitempty"`
	ClusterArn           string          `json:"clusterArn"`
	Connectivity         string          `json:"connectivity,omitempty"`
	ContainerInstanceArn string          `json:"containerInstanceArn,omitempty"`
	ConnectivityAt       api.Timestamp   `json:"connectivityAt,omitzero"`
	Containers           []Container     `json:"containers"`
	Cpu                  string          `json:"cpu,omitempty"`
	CreatedAt            api.Timestamp   `json:"createdAt,omitzero"`
	DesiredStatus        string          `json:"desiredStatus"`
	EnableExecuteCommand bool            `json:"enableExecuteCommand"`
	ExecutionStoppedAt   api.Timestamp   `json:"executionStoppedAt,omitzero"`
	Group                string          `json:"group,omitempty"`
	HealthStatus         string          `json:"healthStatus"`
	LastStatus           string          `json:"lastStatus"`
	LaunchType           string          `json:"launchType,omitempty"`
	Memory               string          `json:"memory,omitempty"`
	Overrides            TaskOverride    `json:"overrides"`
	PlatformVersion      string          `json:"platformVersion,omitempty"`
	PlatformFamily       string          `json:"platformFamily,omitempty"`
	PullStartedAt        api.Timestamp   `json:"pullStartedAt,omitzero"`
	PullStoppedAt        api.Timestamp   `json:"pullStoppedAt,omitzero"`
	StartedAt            api.Timestamp   `json:"startedAt,omitzero"`
	StartedBy            string          `json:"startedBy,omitempty"`
	StopCode             string          `json:"stopCode,omitempty"`
	StoppedAt            api.Timestamp   `json:"stoppedAt,omitzero"`
	StoppedReason        string          `json:"stoppedReason,omitempty"`
	StoppingAt           api.Timestamp   `json:"stoppingAt,omitzero"`
	Tags                 []api.Tag       `json:"tags,omitempty"`
	TaskArn              string          `json:"taskArn"`
	TaskDefinitionArn    string          `json:"taskDefinitionArn"`
	Version              int64           `json:"version"`
	EphemeralStorage     json.RawMessage `json:"ephemeralStorage,omitempty"`
}
