package ecs

import "github.com/ecssim/ecssim/api"

// ListServiceDeployments calls ecs:ListServiceDeployments.
func (c Client) ListServiceDeployments(in *ListServiceDeploymentsInput) (*ListServiceDeploymentsOutput, error) {
	return api.Call[ListServiceDeploymentsInput, ListServiceDeploymentsOutput](c.t, "ecs:ListServiceDeployments", in)
}

// DescribeServiceDeployments calls ecs:DescribeServiceDeployments.
func (c Client) DescribeServiceDeployments(in *DescribeServiceDeploymentsInput) (*DescribeServiceDeploymentsOutput, error) {
	return api.Call[DescribeServiceDeploymentsInput, DescribeServiceDeploymentsOutput](c.t, "ecs:DescribeServiceDeployments", in)
}

// DescribeServiceRevisions calls ecs:DescribeServiceRevisions.
func (c Client) DescribeServiceRevisions(in *DescribeServiceRevisionsInput) (*DescribeServiceRevisionsOutput, error) {
	return api.Call[DescribeServiceRevisionsInput, DescribeServiceRevisionsOutput](c.t, "ecs:DescribeServiceRevisions", in)
}

// StopServiceDeployment calls ecs:StopServiceDeployment.
func (c Client) StopServiceDeployment(in *StopServiceDeploymentInput) (*StopServiceDeploymentOutput, error) {
	return api.Call[StopServiceDeploymentInput, StopServiceDeploymentOutput](c.t, "ecs:StopServiceDeployment", in)
}

// ContinueServiceDeployment calls ecs:ContinueServiceDeployment.
func (c Client) ContinueServiceDeployment(in *ContinueServiceDeploymentInput) (*ContinueServiceDeploymentOutput, error) {
	return api.Call[ContinueServiceDeploymentInput, ContinueServiceDeploymentOutput](c.t, "ecs:ContinueServiceDeployment", in)
}

// UpdateTaskProtection calls ecs:UpdateTaskProtection.
func (c Client) UpdateTaskProtection(in *UpdateTaskProtectionInput) (*UpdateTaskProtectionOutput, error) {
	return api.Call[UpdateTaskProtectionInput, UpdateTaskProtectionOutput](c.t, "ecs:UpdateTaskProtection", in)
}

// GetTaskProtection calls ecs:GetTaskProtection.
func (c Client) GetTaskProtection(in *GetTaskProtectionInput) (*GetTaskProtectionOutput, error) {
	return api.Call[GetTaskProtectionInput, GetTaskProtectionOutput](c.t, "ecs:GetTaskProtection", in)
}
