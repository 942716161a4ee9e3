package ecs

import (
	"encoding/json"

	"github.com/ecssim/ecssim/api"
)

// Service statuses. [API:Service.status]
const (
	ServiceActive   = "ACTIVE"
	ServiceDraining = "DRAINING"
	ServiceInactive = "INACTIVE"
)

// Deployment statuses and rollout states. [API:Deployment.status] [API enum DeploymentRolloutState]
const (
	DeploymentPrimary  = "PRIMARY"
	DeploymentActive   = "ACTIVE"
	DeploymentInactive = "INACTIVE"

	RolloutInProgress = "IN_PROGRESS"
	RolloutCompleted  = "COMPLETED"
	RolloutFailed     = "FAILED"
)

// ThresholdConfiguration sets how the circuit breaker's failure threshold
// is computed. [API:ThresholdConfiguration]
type ThresholdConfiguration struct {
	Type  *string `json:"type,omitempty"`
	Value *int32  `json:"value,omitempty"`
}

// DeploymentCircuitBreaker configures the deployment circuit breaker.
type DeploymentCircuitBreaker struct {
	Enable                 bool                    `json:"enable"`
	Rollback               bool                    `json:"rollback"`
	ResetOnHealthyTask     *bool                   `json:"resetOnHealthyTask,omitempty"`
	ThresholdConfiguration *ThresholdConfiguration `json:"thresholdConfiguration,omitempty"`
}

// DeploymentConfiguration bounds a rolling deployment.
type DeploymentConfiguration struct {
	DeploymentCircuitBreaker *DeploymentCircuitBreaker `json:"deploymentCircuitBreaker,omitempty"`
	MaximumPercent           *int32                    `json:"maximumPercent,omitempty"`
	MinimumHealthyPercent    *int32                    `json:"minimumHealthyPercent,omitempty"`
	Alarms                   *DeploymentAlarms         `json:"alarms,omitempty"`
	Strategy                 *string                   `json:"strategy,omitempty"`
	BakeTimeInMinutes        *int32                    `json:"bakeTimeInMinutes,omitempty"`
	LifecycleHooks           []DeploymentLifecycleHook `json:"lifecycleHooks,omitempty"`
	LinearConfiguration      *LinearConfiguration      `json:"linearConfiguration,omitempty"`
	CanaryConfiguration      *CanaryConfiguration      `json:"canaryConfiguration,omitempty"`
}

// DeploymentController names who deploys the service.
type DeploymentController struct {
	Type *string `json:"type,omitempty"`
}

// LoadBalancer attaches a service to a target group.
type LoadBalancer struct {
	TargetGroupArn   *string `json:"targetGroupArn,omitempty"`
	LoadBalancerName *string `json:"loadBalancerName,omitempty"`
	ContainerName    *string `json:"containerName,omitempty"`
	ContainerPort    *int32  `json:"containerPort,omitempty"`
	// AdvancedConfiguration is stored for blue/green, linear and canary
	// deployments, which are not executed yet.
	AdvancedConfiguration *AdvancedConfiguration `json:"advancedConfiguration,omitempty"`
}

// ServiceEvent is one entry of a service's events list.
type ServiceEvent struct {
	Id        string        `json:"id"`
	CreatedAt api.Timestamp `json:"createdAt"`
	Message   string        `json:"message"`
}

// Deployment is the API shape of a service deployment.
type Deployment struct {
	Id                       string                         `json:"id"`
	Status                   string                         `json:"status"`
	TaskDefinition           string                         `json:"taskDefinition"`
	DesiredCount             int32                          `json:"desiredCount"`
	PendingCount             int32                          `json:"pendingCount"`
	RunningCount             int32                          `json:"runningCount"`
	FailedTasks              int32                          `json:"failedTasks"`
	CreatedAt                api.Timestamp                  `json:"createdAt"`
	UpdatedAt                api.Timestamp                  `json:"updatedAt"`
	CapacityProviderStrategy []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	LaunchType               string                         `json:"launchType,omitempty"`
	PlatformVersion          string                         `json:"platformVersion,omitempty"`
	PlatformFamily           string                         `json:"platformFamily,omitempty"`
	NetworkConfiguration     *NetworkConfiguration          `json:"networkConfiguration,omitempty"`
	RolloutState             string                         `json:"rolloutState,omitempty"`
	RolloutStateReason       string                         `json:"rolloutStateReason,omitempty"`
}

// Service is the API shape of a service.
type Service struct {
	ServiceArn                    string                         `json:"serviceArn"`
	ServiceName                   string                         `json:"serviceName"`
	ClusterArn                    string                         `json:"clusterArn"`
	LoadBalancers                 []LoadBalancer                 `json:"loadBalancers"`
	ServiceRegistries             json.RawMessage                `json:"serviceRegistries,omitempty"`
	Status                        string                         `json:"status"`
	DesiredCount                  int32                          `json:"desiredCount"`
	RunningCount                  int32                          `json:"runningCount"`
	PendingCount                  int32                          `json:"pendingCount"`
	LaunchType                    string                         `json:"launchType,omitempty"`
	CapacityProviderStrategy      []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion               string                         `json:"platformVersion,omitempty"`
	PlatformFamily                string                         `json:"platformFamily,omitempty"`
	TaskDefinition                string                         `json:"taskDefinition,omitempty"`
	DeploymentConfiguration       DeploymentConfiguration        `json:"deploymentConfiguration"`
	Deployments                   []Deployment                   `json:"deployments"`
	RoleArn                       string                         `json:"roleArn,omitempty"`
	Events                        []ServiceEvent                 `json:"events"`
	CreatedAt                     api.Timestamp                  `json:"createdAt"`
	PlacementConstraints          []PlacementConstraint          `json:"placementConstraints"`
	PlacementStrategy             []PlacementStrategy            `json:"placementStrategy"`
	NetworkConfiguration          *NetworkConfiguration          `json:"networkConfiguration,omitempty"`
	HealthCheckGracePeriodSeconds *int32                         `json:"healthCheckGracePeriodSeconds,omitempty"`
	SchedulingStrategy            string                         `json:"schedulingStrategy"`
	DeploymentController          DeploymentController           `json:"deploymentController"`
	Tags                          []api.Tag                      `json:"tags,omitempty"`
	CreatedBy                     string                         `json:"createdBy,omitempty"`
	EnableECSManagedTags          bool                           `json:"enableECSManagedTags"`
	PropagateTags                 string                         `json:"propagateTags,omitempty"`
	EnableExecuteCommand          bool                           `json:"enableExecuteCommand"`
	AvailabilityZoneRebalancing   string                         `json:"availabilityZoneRebalancing,omitempty"`
}

// CreateServiceInput is the input of CreateService.
type CreateServiceInput struct {
	Cluster                       *string                        `json:"cluster,omitempty"`
	ServiceName                   *string                        `json:"serviceName,omitempty"`
	TaskDefinition                *string                        `json:"taskDefinition,omitempty"`
	AvailabilityZoneRebalancing   *string                        `json:"availabilityZoneRebalancing,omitempty"`
	LoadBalancers                 []LoadBalancer                 `json:"loadBalancers,omitempty"`
	ServiceRegistries             json.RawMessage                `json:"serviceRegistries,omitempty"`
	DesiredCount                  *int32                         `json:"desiredCount,omitempty"`
	ClientToken                   *string                        `json:"clientToken,omitempty"`
	LaunchType                    *string                        `json:"launchType,omitempty"`
	CapacityProviderStrategy      []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion               *string                        `json:"platformVersion,omitempty"`
	Role                          *string                        `json:"role,omitempty"`
	DeploymentConfiguration       *DeploymentConfiguration       `json:"deploymentConfiguration,omitempty"`
	PlacementConstraints          []PlacementConstraint          `json:"placementConstraints,omitempty"`
	PlacementStrategy             []PlacementStrategy            `json:"placementStrategy,omitempty"`
	NetworkConfiguration          *NetworkConfiguration          `json:"networkConfiguration,omitempty"`
	HealthCheckGracePeriodSeconds *int32                         `json:"healthCheckGracePeriodSeconds,omitempty"`
	SchedulingStrategy            *string                        `json:"schedulingStrategy,omitempty"`
	DeploymentController          *DeploymentController          `json:"deploymentController,omitempty"`
	Tags                          []api.Tag                      `json:"tags,omitempty"`
	EnableECSManagedTags          *bool                          `json:"enableECSManagedTags,omitempty"`
	PropagateTags                 *string                        `json:"propagateTags,omitempty"`
	EnableExecuteCommand          *bool                          `json:"enableExecuteCommand,omitempty"`
	ServiceConnectConfiguration   json.RawMessage                `json:"serviceConnectConfiguration,omitempty"`
	VolumeConfigurations          json.RawMessage                `json:"volumeConfigurations,omitempty"`
	VpcLatticeConfigurations      json.RawMessage                `json:"vpcLatticeConfigurations,omitempty"`
}

// CreateServiceOutput is the output of CreateService.
type CreateServiceOutput struct {
	Service Service `json:"service"`
}

// UpdateServiceInput is the input of UpdateService.
type UpdateServiceInput struct {
	Cluster                       *string                        `json:"cluster,omitempty"`
	Service                       *string                        `json:"service,omitempty"`
	DesiredCount                  *int32                         `json:"desiredCount,omitempty"`
	TaskDefinition                *string                        `json:"taskDefinition,omitempty"`
	CapacityProviderStrategy      []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	DeploymentConfiguration       *DeploymentConfiguration       `json:"deploymentConfiguration,omitempty"`
	AvailabilityZoneRebalancing   *string                        `json:"availabilityZoneRebalancing,omitempty"`
	NetworkConfiguration          *NetworkConfiguration          `json:"networkConfiguration,omitempty"`
	PlacementConstraints          []PlacementConstraint          `json:"placementConstraints,omitempty"`
	PlacementStrategy             []PlacementStrategy            `json:"placementStrategy,omitempty"`
	PlatformVersion               *string                        `json:"platformVersion,omitempty"`
	ForceNewDeployment            *bool                          `json:"forceNewDeployment,omitempty"`
	HealthCheckGracePeriodSeconds *int32                         `json:"healthCheckGracePeriodSeconds,omitempty"`
	DeploymentController          *DeploymentController          `json:"deploymentController,omitempty"`
	EnableExecuteCommand          *bool                          `json:"enableExecuteCommand,omitempty"`
	EnableECSManagedTags          *bool                          `json:"enableECSManagedTags,omitempty"`
	LoadBalancers                 []LoadBalancer                 `json:"loadBalancers,omitempty"`
	PropagateTags                 *string                        `json:"propagateTags,omitempty"`
	ServiceRegistries             json.RawMessage                `json:"serviceRegistries,omitempty"`
	ServiceConnectConfiguration   json.RawMessage                `json:"serviceConnectConfiguration,omitempty"`
	VolumeConfigurations          json.RawMessage                `json:"volumeConfigurations,omitempty"`
	VpcLatticeConfigurations      json.RawMessage                `json:"vpcLatticeConfigurations,omitempty"`
}

// UpdateServiceOutput is the output of UpdateService.
type UpdateServiceOutput struct {
	Service Service `json:"service"`
}

// DeleteServiceInput is the input of DeleteService.
type DeleteServiceInput struct {
	Cluster *string `json:"cluster,omitempty"`
	Service *string `json:"service,omitempty"`
	Force   *bool   `json:"force,omitempty"`
}

// DeleteServiceOutput is the output of DeleteService.
type DeleteServiceOutput struct {
	Service Service `json:"service"`
}

// DescribeServicesInput is the input of DescribeServices.
type DescribeServicesInput struct {
	Cluster  *string  `json:"cluster,omitempty"`
	Services []string `json:"services,omitempty"`
	Include  []string `json:"include,omitempty"`
}

// DescribeServicesOutput is the output of DescribeServices.
type DescribeServicesOutput struct {
	Services []Service `json:"services"`
	Failures []Failure `json:"failures"`
}

// ListServicesInput is the input of ListServices.
type ListServicesInput struct {
	Cluster                *string `json:"cluster,omitempty"`
	NextToken              *string `json:"nextToken,omitempty"`
	MaxResults             *int32  `json:"maxResults,omitempty"`
	LaunchType             *string `json:"launchType,omitempty"`
	SchedulingStrategy     *string `json:"schedulingStrategy,omitempty"`
	ResourceManagementType *string `json:"resourceManagementType,omitempty"`
}

// ListServicesOutput is the output of ListServices.
type ListServicesOutput struct {
	ServiceArns []string `json:"serviceArns"`
	NextToken   *string  `json:"nextToken,omitempty"`
}
