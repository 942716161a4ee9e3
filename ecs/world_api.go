package ecs

import (
	"encoding/json"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

// CreateSubnetInput is the input of sim:CreateSubnet.
type CreateSubnetInput struct {
	SubnetId         *string `json:"subnetId,omitempty"`
	AvailabilityZone *string `json:"availabilityZone,omitempty"`
	CidrBlock        *string `json:"cidrBlock,omitempty"`
	VpcId            *string `json:"vpcId,omitempty"`
}

// CreateSubnet declares a subnet of the simulated VPC.
func (m *ECS) CreateSubnet(in *CreateSubnetInput) (*Empty, error) {
	err := m.net.AddSubnet(vpc.Subnet{
		ID: api.Deref(in.SubnetId), AvailabilityZone: api.Deref(in.AvailabilityZone),
		CIDR: api.Deref(in.CidrBlock), VpcID: api.Deref(in.VpcId),
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// CreateSecurityGroupInput is the input of sim:CreateSecurityGroup.
type CreateSecurityGroupInput struct {
	GroupId   *string `json:"groupId,omitempty"`
	GroupName *string `json:"groupName,omitempty"`
	VpcId     *string `json:"vpcId,omitempty"`
}

// CreateSecurityGroup declares a security group of the simulated VPC.
func (m *ECS) CreateSecurityGroup(in *CreateSecurityGroupInput) (*Empty, error) {
	if err := m.net.AddSecurityGroup(vpc.SecurityGroup{
		ID: api.Deref(in.GroupId), Name: api.Deref(in.GroupName), VpcID: api.Deref(in.VpcId),
	}); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// SetImageBehaviourInput is the input of sim:SetImageBehaviour.
type SetImageBehaviourInput struct {
	// Image is an exact image name or a glob pattern ("myapp:*").
	Image *string `json:"image,omitempty"`
	// Behaviour is how its containers behave (see package workload).
	Behaviour json.RawMessage `json:"behaviour,omitempty"`
}

// SetImageBehaviour says how containers of an image behave from now on.
// Containers already running keep the behaviour they started with.
func (m *ECS) SetImageBehaviour(in *SetImageBehaviourInput) (*Empty, error) {
	var img workload.Image
	if len(in.Behaviour) > 0 {
		if err := json.Unmarshal(in.Behaviour, &img); err != nil {
			return nil, api.InvalidParameter("behaviour: %v", err).At("behaviour")
		}
	}
	if err := m.behav.Set(api.Deref(in.Image), img); err != nil {
		return nil, api.InvalidParameter("image: %v", err).At("image")
	}
	return &Empty{}, nil
}

func (m *ECS) registerWorldActions(t *api.Table) {
	api.Register(t, "sim:CreateSubnet", m.CreateSubnet)
	api.Register(t, "sim:CreateSecurityGroup", m.CreateSecurityGroup)
	api.Register(t, "sim:SetImageBehaviour", m.SetImageBehaviour)
	api.Register(t, "sim:DescribeCosts", m.DescribeCosts)
	api.Register(t, "sim:SetTraffic", m.SetTraffic)
	api.Register(t, "sim:DescribeTraffic", m.DescribeTraffic)
	api.Register(t, "sim:SetLifecycleHookBehaviour", m.SetLifecycleHookBehaviour)
}
