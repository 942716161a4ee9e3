package ecs

import "github.com/ecssim/ecssim/api"

// This file holds the API shapes of task definitions, in the field names and
// nesting of the ECS API model (botocore ecs/2014-11-13 service-2.json), so
// that a `register-task-definition --cli-input-json` document decodes into
// [RegisterTaskDefinitionInput] unchanged and [TaskDefinition] encodes to
// what DescribeTaskDefinition returns.
//
// Conventions: optional scalars are pointers with `omitempty`; lists and
// maps use `omitzero`, so that an absent list stays absent and an empty list
// given as [] comes back as [] (a document round-trips through describe).

// Task definition statuses. [API enum TaskDefinitionStatus]
const (
	TaskDefinitionActive           = "ACTIVE"
	TaskDefinitionInactive         = "INACTIVE"
	TaskDefinitionDeleteInProgress = "DELETE_IN_PROGRESS"
)

// Launch types a task definition can be validated against.
// [API enum Compatibility]
const (
	CompatibilityEC2              = "EC2"
	CompatibilityFargate          = "FARGATE"
	CompatibilityExternal         = "EXTERNAL"
	CompatibilityManagedInstances = "MANAGED_INSTANCES"
)

// Network modes. [API enum NetworkMode]
const (
	NetworkModeBridge = "bridge"
	NetworkModeHost   = "host"
	NetworkModeAwsvpc = "awsvpc"
	NetworkModeNone   = "none"
)

// Container dependency conditions. [API enum ContainerCondition]
const (
	ConditionStart    = "START"
	ConditionComplete = "COMPLETE"
	ConditionSuccess  = "SUCCESS"
	ConditionHealthy  = "HEALTHY"
)

// TaskDefinition is the API shape of a registered task definition, as
// DescribeTaskDefinition returns it. [API:TaskDefinition]
//
// The registry hands its own *TaskDefinition records to the task and
// service code (taskDefinitionForLaunch, taskDefinitionByArn); those are
// read-only: a registered revision never changes, except for its status and
// the deregistration and deletion timestamps. The actions return deep
// copies.
type TaskDefinition struct {
	TaskDefinitionArn       string                              `json:"taskDefinitionArn"`
	ContainerDefinitions    []ContainerDefinition               `json:"containerDefinitions"`
	Family                  string                              `json:"family"`
	TaskRoleArn             *string                             `json:"taskRoleArn,omitempty"`
	ExecutionRoleArn        *string                             `json:"executionRoleArn,omitempty"`
	NetworkMode             *string                             `json:"networkMode,omitempty"`
	Revision                int32                               `json:"revision"`
	Volumes                 []Volume                            `json:"volumes"`
	Status                  string                              `json:"status"`
	RequiresAttributes      []Attribute                         `json:"requiresAttributes,omitempty"`
	PlacementConstraints    []TaskDefinitionPlacementConstraint `json:"placementConstraints"`
	Compatibilities         []string                            `json:"compatibilities"`
	RuntimePlatform         *RuntimePlatform                    `json:"runtimePlatform,omitempty"`
	RequiresCompatibilities []string                            `json:"requiresCompatibilities,omitzero"`
	Cpu                     *string                             `json:"cpu,omitempty"`
	Memory                  *string                             `json:"memory,omitempty"`
	InferenceAccelerators   []InferenceAccelerator              `json:"inferenceAccelerators,omitzero"`
	PidMode                 *string                             `json:"pidMode,omitempty"`
	IpcMode                 *string                             `json:"ipcMode,omitempty"`
	ProxyConfiguration      *ProxyConfiguration                 `json:"proxyConfiguration,omitempty"`
	RegisteredAt            *api.Timestamp                      `json:"registeredAt,omitempty"`
	DeregisteredAt          *api.Timestamp                      `json:"deregisteredAt,omitempty"`
	DeleteRequestedAt       *api.Timestamp                      `json:"deleteRequestedAt,omitempty"`
	RegisteredBy            *string                             `json:"registeredBy,omitempty"`
	EphemeralStorage        *EphemeralStorage                   `json:"ephemeralStorage,omitempty"`
	EnableFaultInjection    *bool                               `json:"enableFaultInjection,omitempty"`
}

// ContainerDefinition describes one container of a task definition.
// [API:ContainerDefinition]
type ContainerDefinition struct {
	Name                   *string                 `json:"name,omitempty"`
	Image                  *string                 `json:"image,omitempty"`
	RepositoryCredentials  *RepositoryCredentials  `json:"repositoryCredentials,omitempty"`
	Cpu                    *int32                  `json:"cpu,omitempty"`
	Memory                 *int32                  `json:"memory,omitempty"`
	MemoryReservation      *int32                  `json:"memoryReservation,omitempty"`
	Links                  []string                `json:"links,omitzero"`
	PortMappings           []PortMapping           `json:"portMappings,omitzero"`
	Essential              *bool                   `json:"essential,omitempty"`
	RestartPolicy          *ContainerRestartPolicy `json:"restartPolicy,omitempty"`
	EntryPoint             []string                `json:"entryPoint,omitzero"`
	Command                []string                `json:"command,omitzero"`
	Environment            []KeyValuePair          `json:"environment,omitzero"`
	EnvironmentFiles       []EnvironmentFile       `json:"environmentFiles,omitzero"`
	MountPoints            []MountPoint            `json:"mountPoints,omitzero"`
	VolumesFrom            []VolumeFrom            `json:"volumesFrom,omitzero"`
	LinuxParameters        *LinuxParameters        `json:"linuxParameters,omitempty"`
	Secrets                []Secret                `json:"secrets,omitzero"`
	DependsOn              []ContainerDependency   `json:"dependsOn,omitzero"`
	StartTimeout           *int32                  `json:"startTimeout,omitempty"`
	StopTimeout            *int32                  `json:"stopTimeout,omitempty"`
	VersionConsistency     *string                 `json:"versionConsistency,omitempty"`
	Hostname               *string                 `json:"hostname,omitempty"`
	User                   *string                 `json:"user,omitempty"`
	WorkingDirectory       *string                 `json:"workingDirectory,omitempty"`
	DisableNetworking      *bool                   `json:"disableNetworking,omitempty"`
	Privileged             *bool                   `json:"privileged,omitempty"`
	ReadonlyRootFilesystem *bool                   `json:"readonlyRootFilesystem,omitempty"`
	DnsServers             []string                `json:"dnsServers,omitzero"`
	DnsSearchDomains       []string                `json:"dnsSearchDomains,omitzero"`
	ExtraHosts             []HostEntry             `json:"extraHosts,omitzero"`
	DockerSecurityOptions  []string                `json:"dockerSecurityOptions,omitzero"`
	Interactive            *bool                   `json:"interactive,omitempty"`
	PseudoTerminal         *bool                   `json:"pseudoTerminal,omitempty"`
	DockerLabels           map[string]string       `json:"dockerLabels,omitzero"`
	Ulimits                []Ulimit                `json:"ulimits,omitzero"`
	LogConfiguration       *LogConfiguration       `json:"logConfiguration,omitempty"`
	HealthCheck            *HealthCheck            `json:"healthCheck,omitempty"`
	SystemControls         []SystemControl         `json:"systemControls,omitzero"`
	ResourceRequirements   []ResourceRequirement   `json:"resourceRequirements,omitzero"`
	FirelensConfiguration  *FirelensConfiguration  `json:"firelensConfiguration,omitempty"`
	CredentialSpecs        []string                `json:"credentialSpecs,omitzero"`
}

// RepositoryCredentials names the secret that holds private registry
// credentials. [API:RepositoryCredentials]
type RepositoryCredentials struct {
	CredentialsParameter *string `json:"credentialsParameter,omitempty"`
}

// PortMapping maps a container port (or port range) to the host or the
// task's network interface. [API:PortMapping]
type PortMapping struct {
	ContainerPort      *int32  `json:"containerPort,omitempty"`
	HostPort           *int32  `json:"hostPort,omitempty"`
	Protocol           *string `json:"protocol,omitempty"`
	Name               *string `json:"name,omitempty"`
	AppProtocol        *string `json:"appProtocol,omitempty"`
	ContainerPortRange *string `json:"containerPortRange,omitempty"`
}

// ContainerRestartPolicy is a container's restart policy.
// [API:ContainerRestartPolicy]
type ContainerRestartPolicy struct {
	Enabled              *bool   `json:"enabled,omitempty"`
	IgnoredExitCodes     []int32 `json:"ignoredExitCodes,omitzero"`
	RestartAttemptPeriod *int32  `json:"restartAttemptPeriod,omitempty"`
}

// EnvironmentFile is an S3 object of VARIABLE=VALUE lines.
// [API:EnvironmentFile]
type EnvironmentFile struct {
	Value *string `json:"value,omitempty"`
	Type  *string `json:"type,omitempty"`
}

// MountPoint mounts a task volume into a container. [API:MountPoint]
type MountPoint struct {
	SourceVolume  *string `json:"sourceVolume,omitempty"`
	ContainerPath *string `json:"containerPath,omitempty"`
	ReadOnly      *bool   `json:"readOnly,omitempty"`
}

// VolumeFrom mounts the volumes of another container. [API:VolumeFrom]
type VolumeFrom struct {
	SourceContainer *string `json:"sourceContainer,omitempty"`
	ReadOnly        *bool   `json:"readOnly,omitempty"`
}

// LinuxParameters holds Linux-specific container settings.
// [API:LinuxParameters]
type LinuxParameters struct {
	Capabilities       *KernelCapabilities `json:"capabilities,omitempty"`
	Devices            []Device            `json:"devices,omitzero"`
	InitProcessEnabled *bool               `json:"initProcessEnabled,omitempty"`
	SharedMemorySize   *int32              `json:"sharedMemorySize,omitempty"`
	Tmpfs              []Tmpfs             `json:"tmpfs,omitzero"`
	MaxSwap            *int32              `json:"maxSwap,omitempty"`
	Swappiness         *int32              `json:"swappiness,omitempty"`
}

// KernelCapabilities adds or drops Linux capabilities.
// [API:KernelCapabilities]
type KernelCapabilities struct {
	Add  []string `json:"add,omitzero"`
	Drop []string `json:"drop,omitzero"`
}

// Device exposes a host device to the container. [API:Device]
type Device struct {
	HostPath      *string  `json:"hostPath,omitempty"`
	ContainerPath *string  `json:"containerPath,omitempty"`
	Permissions   []string `json:"permissions,omitzero"`
}

// Tmpfs is a tmpfs mount. [API:Tmpfs]
type Tmpfs struct {
	ContainerPath *string  `json:"containerPath,omitempty"`
	Size          *int32   `json:"size,omitempty"`
	MountOptions  []string `json:"mountOptions,omitzero"`
}

// Secret injects a Secrets Manager secret or SSM parameter. [API:Secret]
type Secret struct {
	Name      *string `json:"name,omitempty"`
	ValueFrom *string `json:"valueFrom,omitempty"`
}

// ContainerDependency makes a container wait for another to reach a
// condition: START, COMPLETE, SUCCESS or HEALTHY. [API:ContainerDependency]
type ContainerDependency struct {
	ContainerName *string `json:"containerName,omitempty"`
	Condition     *string `json:"condition,omitempty"`
}

// HostEntry is an /etc/hosts line. [API:HostEntry]
type HostEntry struct {
	Hostname  *string `json:"hostname,omitempty"`
	IpAddress *string `json:"ipAddress,omitempty"`
}

// Ulimit is a resource limit. [API:Ulimit]
type Ulimit struct {
	Name      *string `json:"name,omitempty"`
	SoftLimit *int32  `json:"softLimit,omitempty"`
	HardLimit *int32  `json:"hardLimit,omitempty"`
}

// LogConfiguration selects a container's log driver and its options.
// [API:LogConfiguration]
type LogConfiguration struct {
	LogDriver     *string           `json:"logDriver,omitempty"`
	Options       map[string]string `json:"options,omitzero"`
	SecretOptions []Secret          `json:"secretOptions,omitzero"`
}

// HealthCheck is a container health check. Interval, Timeout and Retries
// are filled with their defaults (30, 5, 3) at registration when a check is
// given; StartPeriod stays nil when not set (no grace period).
// [API:HealthCheck]
type HealthCheck struct {
	Command     []string `json:"command,omitzero"`
	Interval    *int32   `json:"interval,omitempty"`
	Timeout     *int32   `json:"timeout,omitempty"`
	Retries     *int32   `json:"retries,omitempty"`
	StartPeriod *int32   `json:"startPeriod,omitempty"`
}

// SystemControl is a namespaced kernel parameter. [API:SystemControl]
type SystemControl struct {
	Namespace *string `json:"namespace,omitempty"`
	Value     *string `json:"value,omitempty"`
}

// ResourceRequirement reserves GPUs or an inference accelerator for a
// container. [API:ResourceRequirement]
type ResourceRequirement struct {
	Value *string `json:"value,omitempty"`
	Type  *string `json:"type,omitempty"`
}

// FirelensConfiguration makes a container the task's FireLens log router.
// [API:FirelensConfiguration]
type FirelensConfiguration struct {
	Type    *string           `json:"type,omitempty"`
	Options map[string]string `json:"options,omitzero"`
}

// Volume is a data volume of a task definition. [API:Volume]
type Volume struct {
	Name                                    *string                                  `json:"name,omitempty"`
	Host                                    *HostVolumeProperties                    `json:"host,omitempty"`
	DockerVolumeConfiguration               *DockerVolumeConfiguration               `json:"dockerVolumeConfiguration,omitempty"`
	EfsVolumeConfiguration                  *EFSVolumeConfiguration                  `json:"efsVolumeConfiguration,omitempty"`
	S3filesVolumeConfiguration              *S3FilesVolumeConfiguration              `json:"s3filesVolumeConfiguration,omitempty"`
	FsxWindowsFileServerVolumeConfiguration *FSxWindowsFileServerVolumeConfiguration `json:"fsxWindowsFileServerVolumeConfiguration,omitempty"`
	ConfiguredAtLaunch                      *bool                                    `json:"configuredAtLaunch,omitempty"`
}

// HostVolumeProperties is a bind mount of a host path. [API:HostVolumeProperties]
type HostVolumeProperties struct {
	SourcePath *string `json:"sourcePath,omitempty"`
}

// DockerVolumeConfiguration is a Docker volume. [API:DockerVolumeConfiguration]
type DockerVolumeConfiguration struct {
	Scope         *string           `json:"scope,omitempty"`
	Autoprovision *bool             `json:"autoprovision,omitempty"`
	Driver        *string           `json:"driver,omitempty"`
	DriverOpts    map[string]string `json:"driverOpts,omitzero"`
	Labels        map[string]string `json:"labels,omitzero"`
}

// EFSVolumeConfiguration is an Amazon EFS volume. [API:EFSVolumeConfiguration]
type EFSVolumeConfiguration struct {
	FileSystemId          *string                 `json:"fileSystemId,omitempty"`
	RootDirectory         *string                 `json:"rootDirectory,omitempty"`
	TransitEncryption     *string                 `json:"transitEncryption,omitempty"`
	TransitEncryptionPort *int32                  `json:"transitEncryptionPort,omitempty"`
	AuthorizationConfig   *EFSAuthorizationConfig `json:"authorizationConfig,omitempty"`
}

// EFSAuthorizationConfig is the access point and IAM setting of an EFS
// volume. [API:EFSAuthorizationConfig]
type EFSAuthorizationConfig struct {
	AccessPointId *string `json:"accessPointId,omitempty"`
	Iam           *string `json:"iam,omitempty"`
}

// S3FilesVolumeConfiguration is an Amazon S3 Files volume.
// [API:S3FilesVolumeConfiguration]
type S3FilesVolumeConfiguration struct {
	FileSystemArn         *string `json:"fileSystemArn,omitempty"`
	RootDirectory         *string `json:"rootDirectory,omitempty"`
	TransitEncryptionPort *int32  `json:"transitEncryptionPort,omitempty"`
	AccessPointArn        *string `json:"accessPointArn,omitempty"`
}

// FSxWindowsFileServerVolumeConfiguration is an FSx for Windows File Server
// volume. [API:FSxWindowsFileServerVolumeConfiguration]
type FSxWindowsFileServerVolumeConfiguration struct {
	FileSystemId        *string                                  `json:"fileSystemId,omitempty"`
	RootDirectory       *string                                  `json:"rootDirectory,omitempty"`
	AuthorizationConfig *FSxWindowsFileServerAuthorizationConfig `json:"authorizationConfig,omitempty"`
}

// FSxWindowsFileServerAuthorizationConfig holds the credentials of an FSx
// for Windows File Server volume.
// [API:FSxWindowsFileServerAuthorizationConfig]
type FSxWindowsFileServerAuthorizationConfig struct {
	CredentialsParameter *string `json:"credentialsParameter,omitempty"`
	Domain               *string `json:"domain,omitempty"`
}

// TaskDefinitionPlacementConstraint is a placement constraint of a task
// definition; its only type is memberOf.
// [API:TaskDefinitionPlacementConstraint]
type TaskDefinitionPlacementConstraint struct {
	Type       *string `json:"type,omitempty"`
	Expression *string `json:"expression,omitempty"`
}

// ProxyConfiguration configures an App Mesh proxy. [API:ProxyConfiguration]
type ProxyConfiguration struct {
	Type          *string        `json:"type,omitempty"`
	ContainerName *string        `json:"containerName,omitempty"`
	Properties    []KeyValuePair `json:"properties,omitzero"`
}

// InferenceAccelerator is an Elastic Inference accelerator.
// [API:InferenceAccelerator]
type InferenceAccelerator struct {
	DeviceName *string `json:"deviceName,omitempty"`
	DeviceType *string `json:"deviceType,omitempty"`
}

// EphemeralStorage is the Fargate ephemeral storage size, 21 to 200 GiB.
// [API:EphemeralStorage]
type EphemeralStorage struct {
	SizeInGiB *int32 `json:"sizeInGiB,omitempty"`
}

// RuntimePlatform is the operating system family and CPU architecture.
// [API:RuntimePlatform]
type RuntimePlatform struct {
	CpuArchitecture       *string `json:"cpuArchitecture,omitempty"`
	OperatingSystemFamily *string `json:"operatingSystemFamily,omitempty"`
}

// Attribute is a container instance attribute; task definitions list the
// ones they require in requiresAttributes. [API:Attribute]
type Attribute struct {
	Name       *string `json:"name,omitempty"`
	Value      *string `json:"value,omitempty"`
	TargetType *string `json:"targetType,omitempty"`
	TargetId   *string `json:"targetId,omitempty"`
}

// RegisterTaskDefinitionInput is the input of RegisterTaskDefinition: the
// document `aws ecs register-task-definition --cli-input-json` reads.
// [API:RegisterTaskDefinitionRequest]
type RegisterTaskDefinitionInput struct {
	Family                  *string                             `json:"family,omitempty"`
	TaskRoleArn             *string                             `json:"taskRoleArn,omitempty"`
	ExecutionRoleArn        *string                             `json:"executionRoleArn,omitempty"`
	NetworkMode             *string                             `json:"networkMode,omitempty"`
	ContainerDefinitions    []ContainerDefinition               `json:"containerDefinitions,omitzero"`
	Volumes                 []Volume                            `json:"volumes,omitzero"`
	PlacementConstraints    []TaskDefinitionPlacementConstraint `json:"placementConstraints,omitzero"`
	RequiresCompatibilities []string                            `json:"requiresCompatibilities,omitzero"`
	Cpu                     *string                             `json:"cpu,omitempty"`
	Memory                  *string                             `json:"memory,omitempty"`
	Tags                    []api.Tag                           `json:"tags,omitzero"`
	PidMode                 *string                             `json:"pidMode,omitempty"`
	IpcMode                 *string                             `json:"ipcMode,omitempty"`
	ProxyConfiguration      *ProxyConfiguration                 `json:"proxyConfiguration,omitempty"`
	InferenceAccelerators   []InferenceAccelerator              `json:"inferenceAccelerators,omitzero"`
	EphemeralStorage        *EphemeralStorage                   `json:"ephemeralStorage,omitempty"`
	RuntimePlatform         *RuntimePlatform                    `json:"runtimePlatform,omitempty"`
	EnableFaultInjection    *bool                               `json:"enableFaultInjection,omitempty"`
}

// RegisterTaskDefinitionOutput is the output of RegisterTaskDefinition.
type RegisterTaskDefinitionOutput struct {
	TaskDefinition TaskDefinition `json:"taskDefinition"`
	Tags           []api.Tag      `json:"tags,omitzero"`
}

// DescribeTaskDefinitionInput is the input of DescribeTaskDefinition.
type DescribeTaskDefinitionInput struct {
	TaskDefinition *string  `json:"taskDefinition,omitempty"`
	Include        []string `json:"include,omitzero"`
}

// DescribeTaskDefinitionOutput is the output of DescribeTaskDefinition.
// Tags is present (possibly empty) only when include lists TAGS.
type DescribeTaskDefinitionOutput struct {
	TaskDefinition TaskDefinition `json:"taskDefinition"`
	Tags           []api.Tag      `json:"tags,omitzero"`
}

// DeregisterTaskDefinitionInput is the input of DeregisterTaskDefinition.
type DeregisterTaskDefinitionInput struct {
	TaskDefinition *string `json:"taskDefinition,omitempty"`
}

// DeregisterTaskDefinitionOutput is the output of DeregisterTaskDefinition.
type DeregisterTaskDefinitionOutput struct {
	TaskDefinition TaskDefinition `json:"taskDefinition"`
}

// DeleteTaskDefinitionsInput is the input of DeleteTaskDefinitions.
type DeleteTaskDefinitionsInput struct {
	TaskDefinitions []string `json:"taskDefinitions,omitzero"`
}

// DeleteTaskDefinitionsOutput is the output of DeleteTaskDefinitions.
type DeleteTaskDefinitionsOutput struct {
	TaskDefinitions []TaskDefinition `json:"taskDefinitions"`
	Failures        []Failure        `json:"failures"`
}

// ListTaskDefinitionsInput is the input of ListTaskDefinitions.
type ListTaskDefinitionsInput struct {
	FamilyPrefix *string `json:"familyPrefix,omitempty"`
	Status       *string `json:"status,omitempty"`
	Sort         *string `json:"sort,omitempty"`
	NextToken    *string `json:"nextToken,omitempty"`
	MaxResults   *int32  `json:"maxResults,omitempty"`
}

// ListTaskDefinitionsOutput is the output of ListTaskDefinitions.
type ListTaskDefinitionsOutput struct {
	TaskDefinitionArns []string `json:"taskDefinitionArns"`
	NextToken          *string  `json:"nextToken,omitempty"`
}

// ListTaskDefinitionFamiliesInput is the input of ListTaskDefinitionFamilies.
type ListTaskDefinitionFamiliesInput struct {
	FamilyPrefix *string `json:"familyPrefix,omitempty"`
	Status       *string `json:"status,omitempty"`
	NextToken    *string `json:"nextToken,omitempty"`
	MaxResults   *int32  `json:"maxResults,omitempty"`
}

// ListTaskDefinitionFamiliesOutput is the output of
// ListTaskDefinitionFamilies.
type ListTaskDefinitionFamiliesOutput struct {
	Families  []string `json:"families"`
	NextToken *string  `json:"nextToken,omitempty"`
}

// TagResourceInput is the input of TagResource.
type TagResourceInput struct {
	ResourceArn *string   `json:"resourceArn,omitempty"`
	Tags        []api.Tag `json:"tags,omitzero"`
}

// TagResourceOutput is the (empty) output of TagResource.
type TagResourceOutput struct{}

// UntagResourceInput is the input of UntagResource.
type UntagResourceInput struct {
	ResourceArn *string  `json:"resourceArn,omitempty"`
	TagKeys     []string `json:"tagKeys,omitzero"`
}

// UntagResourceOutput is the (empty) output of UntagResource.
type UntagResourceOutput struct{}

// ListTagsForResourceInput is the input of ListTagsForResource.
type ListTagsForResourceInput struct {
	ResourceArn *string `json:"resourceArn,omitempty"`
}

// ListTagsForResourceOutput is the output of ListTagsForResource.
type ListTagsForResourceOutput struct {
	Tags []api.Tag `json:"tags"`
}
