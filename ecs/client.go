package ecs

import "github.com/ecssim/ecssim/api"

// Client calls ECS actions through an action table with typed inputs and
// outputs: the same path, hooks and trace as JSON calls.
type Client struct{ t *api.Table }

// NewClient returns a client over t.
func NewClient(t *api.Table) Client { return Client{t: t} }

// CreateCluster calls ecs:CreateCluster.
func (c Client) CreateCluster(in *CreateClusterInput) (*CreateClusterOutput, error) {
	return api.Call[CreateClusterInput, CreateClusterOutput](c.t, "ecs:CreateCluster", in)
}

// DescribeClusters calls ecs:DescribeClusters.
func (c Client) DescribeClusters(in *DescribeClustersInput) (*DescribeClustersOutput, error) {
	return api.Call[DescribeClustersInput, DescribeClustersOutput](c.t, "ecs:DescribeClusters", in)
}

// ListClusters calls ecs:ListClusters.
func (c Client) ListClusters(in *ListClustersInput) (*ListClustersOutput, error) {
	return api.Call[ListClustersInput, ListClustersOutput](c.t, "ecs:ListClusters", in)
}

// DeleteCluster calls ecs:DeleteCluster.
func (c Client) DeleteCluster(in *DeleteClusterInput) (*DeleteClusterOutput, error) {
	return api.Call[DeleteClusterInput, DeleteClusterOutput](c.t, "ecs:DeleteCluster", in)
}

// RunTask calls ecs:RunTask.
func (c Client) RunTask(in *RunTaskInput) (*RunTaskOutput, error) {
	return api.Call[RunTaskInput, RunTaskOutput](c.t, "ecs:RunTask", in)
}

// StopTask calls ecs:StopTask.
func (c Client) StopTask(in *StopTaskInput) (*StopTaskOutput, error) {
	return api.Call[StopTaskInput, StopTaskOutput](c.t, "ecs:StopTask", in)
}

// DescribeTasks calls ecs:DescribeTasks.
func (c Client) DescribeTasks(in *DescribeTasksInput) (*DescribeTasksOutput, error) {
	return api.Call[DescribeTasksInput, DescribeTasksOutput](c.t, "ecs:DescribeTasks", in)
}

// ListTasks calls ecs:ListTasks.
func (c Client) ListTasks(in *ListTasksInput) (*ListTasksOutput, error) {
	return api.Call[ListTasksInput, ListTasksOutput](c.t, "ecs:ListTasks", in)
}

// CreateService calls ecs:CreateService.
func (c Client) CreateService(in *CreateServiceInput) (*CreateServiceOutput, error) {
	return api.Call[CreateServiceInput, CreateServiceOutput](c.t, "ecs:CreateService", in)
}

// UpdateService calls ecs:UpdateService.
func (c Client) UpdateService(in *UpdateServiceInput) (*UpdateServiceOutput, error) {
	return api.Call[UpdateServiceInput, UpdateServiceOutput](c.t, "ecs:UpdateService", in)
}

// DeleteService calls ecs:DeleteService.
func (c Client) DeleteService(in *DeleteServiceInput) (*DeleteServiceOutput, error) {
	return api.Call[DeleteServiceInput, DeleteServiceOutput](c.t, "ecs:DeleteService", in)
}

// DescribeServices calls ecs:DescribeServices.
func (c Client) DescribeServices(in *DescribeServicesInput) (*DescribeServicesOutput, error) {
	return api.Call[DescribeServicesInput, DescribeServicesOutput](c.t, "ecs:DescribeServices", in)
}

// ListServices calls ecs:ListServices.
func (c Client) ListServices(in *ListServicesInput) (*ListServicesOutput, error) {
	return api.Call[ListServicesInput, ListServicesOutput](c.t, "ecs:ListServices", in)
}

// CrashTask calls sim:CrashTask.
func (c Client) CrashTask(in *CrashTaskInput) (*CrashTaskOutput, error) {
	return api.Call[CrashTaskInput, CrashTaskOutput](c.t, "sim:CrashTask", in)
}

// FailHealthChecks calls sim:FailHealthChecks.
func (c Client) FailHealthChecks(in *FailHealthChecksInput) (*Empty, error) {
	return api.Call[FailHealthChecksInput, Empty](c.t, "sim:FailHealthChecks", in)
}

// RestoreImagePulls calls sim:RestoreImagePulls.
func (c Client) RestoreImagePulls(in *RestoreImagePullsInput) (*Empty, error) {
	return api.Call[RestoreImagePullsInput, Empty](c.t, "sim:RestoreImagePulls", in)
}

// FailImagePulls calls sim:FailImagePulls.
func (c Client) FailImagePulls(in *FailImagePullsInput) (*Empty, error) {
	return api.Call[FailImagePullsInput, Empty](c.t, "sim:FailImagePulls", in)
}

// FailAvailabilityZone calls sim:FailAvailabilityZone.
func (c Client) FailAvailabilityZone(in *FailAvailabilityZoneInput) (*Empty, error) {
	return api.Call[FailAvailabilityZoneInput, Empty](c.t, "sim:FailAvailabilityZone", in)
}

// RestoreAvailabilityZone calls sim:RestoreAvailabilityZone.
func (c Client) RestoreAvailabilityZone(in *RestoreAvailabilityZoneInput) (*Empty, error) {
	return api.Call[RestoreAvailabilityZoneInput, Empty](c.t, "sim:RestoreAvailabilityZone", in)
}

// UpdateCluster calls ecs:UpdateCluster.
func (c Client) UpdateCluster(in *UpdateClusterInput) (*UpdateClusterOutput, error) {
	return api.Call[UpdateClusterInput, UpdateClusterOutput](c.t, "ecs:UpdateCluster", in)
}

// CreateSubnet calls sim:CreateSubnet.
func (c Client) CreateSubnet(in *CreateSubnetInput) (*Empty, error) {
	return api.Call[CreateSubnetInput, Empty](c.t, "sim:CreateSubnet", in)
}

// CreateSecurityGroup calls sim:CreateSecurityGroup.
func (c Client) CreateSecurityGroup(in *CreateSecurityGroupInput) (*Empty, error) {
	return api.Call[CreateSecurityGroupInput, Empty](c.t, "sim:CreateSecurityGroup", in)
}

// PutClusterCapacityProviders calls ecs:PutClusterCapacityProviders.
func (c Client) PutClusterCapacityProviders(in *PutClusterCapacityProvidersInput) (*PutClusterCapacityProvidersOutput, error) {
	return api.Call[PutClusterCapacityProvidersInput, PutClusterCapacityProvidersOutput](c.t, "ecs:PutClusterCapacityProviders", in)
}

// SetSpotMarket calls sim:SetSpotMarket.
func (c Client) SetSpotMarket(in *SetSpotMarketInput) (*Empty, error) {
	return api.Call[SetSpotMarketInput, Empty](c.t, "sim:SetSpotMarket", in)
}

// InterruptSpotTasks calls sim:InterruptSpotTasks.
func (c Client) InterruptSpotTasks(in *InterruptSpotTasksInput) (*InterruptSpotTasksOutput, error) {
	return api.Call[InterruptSpotTasksInput, InterruptSpotTasksOutput](c.t, "sim:InterruptSpotTasks", in)
}

// LaunchInstances calls sim:LaunchInstances.
func (c Client) LaunchInstances(in *LaunchInstancesInput) (*LaunchInstancesOutput, error) {
	return api.Call[LaunchInstancesInput, LaunchInstancesOutput](c.t, "sim:LaunchInstances", in)
}

// TerminateInstance calls sim:TerminateInstance.
func (c Client) TerminateInstance(in *TerminateInstanceInput) (*Empty, error) {
	return api.Call[TerminateInstanceInput, Empty](c.t, "sim:TerminateInstance", in)
}

// RegisterContainerInstance calls ecs:RegisterContainerInstance.
func (c Client) RegisterContainerInstance(in *RegisterContainerInstanceInput) (*RegisterContainerInstanceOutput, error) {
	return api.Call[RegisterContainerInstanceInput, RegisterContainerInstanceOutput](c.t, "ecs:RegisterContainerInstance", in)
}

// DeregisterContainerInstance calls ecs:DeregisterContainerInstance.
func (c Client) DeregisterContainerInstance(in *DeregisterContainerInstanceInput) (*DeregisterContainerInstanceOutput, error) {
	return api.Call[DeregisterContainerInstanceInput, DeregisterContainerInstanceOutput](c.t, "ecs:DeregisterContainerInstance", in)
}

// DescribeContainerInstances calls ecs:DescribeContainerInstances.
func (c Client) DescribeContainerInstances(in *DescribeContainerInstancesInput) (*DescribeContainerInstancesOutput, error) {
	return api.Call[DescribeContainerInstancesInput, DescribeContainerInstancesOutput](c.t, "ecs:DescribeContainerInstances", in)
}

// ListContainerInstances calls ecs:ListContainerInstances.
func (c Client) ListContainerInstances(in *ListContainerInstancesInput) (*ListContainerInstancesOutput, error) {
	return api.Call[ListContainerInstancesInput, ListContainerInstancesOutput](c.t, "ecs:ListContainerInstances", in)
}

// UpdateContainerInstancesState calls ecs:UpdateContainerInstancesState.
func (c Client) UpdateContainerInstancesState(in *UpdateContainerInstancesStateInput) (*UpdateContainerInstancesStateOutput, error) {
	return api.Call[UpdateContainerInstancesStateInput, UpdateContainerInstancesStateOutput](c.t, "ecs:UpdateContainerInstancesState", in)
}

// PutAttributes calls ecs:PutAttributes.
func (c Client) PutAttributes(in *PutAttributesInput) (*AttributesOutput, error) {
	return api.Call[PutAttributesInput, AttributesOutput](c.t, "ecs:PutAttributes", in)
}

// DeleteAttributes calls ecs:DeleteAttributes.
func (c Client) DeleteAttributes(in *PutAttributesInput) (*AttributesOutput, error) {
	return api.Call[PutAttributesInput, AttributesOutput](c.t, "ecs:DeleteAttributes", in)
}

// ListAttributes calls ecs:ListAttributes.
func (c Client) ListAttributes(in *ListAttributesInput) (*ListAttributesOutput, error) {
	return api.Call[ListAttributesInput, ListAttributesOutput](c.t, "ecs:ListAttributes", in)
}

// CreateAutoScalingGroup calls sim:CreateAutoScalingGroup.
func (c Client) CreateAutoScalingGroup(in *CreateAutoScalingGroupInput) (*CreateAutoScalingGroupOutput, error) {
	return api.Call[CreateAutoScalingGroupInput, CreateAutoScalingGroupOutput](c.t, "sim:CreateAutoScalingGroup", in)
}

// CreateCapacityProvider calls ecs:CreateCapacityProvider.
func (c Client) CreateCapacityProvider(in *CreateCapacityProviderInput) (*CreateCapacityProviderOutput, error) {
	return api.Call[CreateCapacityProviderInput, CreateCapacityProviderOutput](c.t, "ecs:CreateCapacityProvider", in)
}

// DescribeCapacityProviders calls ecs:DescribeCapacityProviders.
func (c Client) DescribeCapacityProviders(in *DescribeCapacityProvidersInput) (*DescribeCapacityProvidersOutput, error) {
	return api.Call[DescribeCapacityProvidersInput, DescribeCapacityProvidersOutput](c.t, "ecs:DescribeCapacityProviders", in)
}

// DescribeCosts calls sim:DescribeCosts.
func (c Client) DescribeCosts(in *DescribeCostsInput) (*DescribeCostsOutput, error) {
	return api.Call[DescribeCostsInput, DescribeCostsOutput](c.t, "sim:DescribeCosts", in)
}

// SetTraffic calls sim:SetTraffic.
func (c Client) SetTraffic(in *SetTrafficInput) (*Empty, error) {
	return api.Call[SetTrafficInput, Empty](c.t, "sim:SetTraffic", in)
}

// DescribeTraffic calls sim:DescribeTraffic.
func (c Client) DescribeTraffic(in *DescribeTrafficInput) (*DescribeTrafficOutput, error) {
	return api.Call[DescribeTrafficInput, DescribeTrafficOutput](c.t, "sim:DescribeTraffic", in)
}
