package ecs

import "github.com/ecssim/ecssim/api"

// RegisterTaskDefinition calls ecs:RegisterTaskDefinition.
func (c Client) RegisterTaskDefinition(in *RegisterTaskDefinitionInput) (*RegisterTaskDefinitionOutput, error) {
	return api.Call[RegisterTaskDefinitionInput, RegisterTaskDefinitionOutput](c.t, "ecs:RegisterTaskDefinition", in)
}

// DescribeTaskDefinition calls ecs:DescribeTaskDefinition.
func (c Client) DescribeTaskDefinition(in *DescribeTaskDefinitionInput) (*DescribeTaskDefinitionOutput, error) {
	return api.Call[DescribeTaskDefinitionInput, DescribeTaskDefinitionOutput](c.t, "ecs:DescribeTaskDefinition", in)
}

// DeregisterTaskDefinition calls ecs:DeregisterTaskDefinition.
func (c Client) DeregisterTaskDefinition(in *DeregisterTaskDefinitionInput) (*DeregisterTaskDefinitionOutput, error) {
	return api.Call[DeregisterTaskDefinitionInput, DeregisterTaskDefinitionOutput](c.t, "ecs:DeregisterTaskDefinition", in)
}

// DeleteTaskDefinitions calls ecs:DeleteTaskDefinitions.
func (c Client) DeleteTaskDefinitions(in *DeleteTaskDefinitionsInput) (*DeleteTaskDefinitionsOutput, error) {
	return api.Call[DeleteTaskDefinitionsInput, DeleteTaskDefinitionsOutput](c.t, "ecs:DeleteTaskDefinitions", in)
}

// ListTaskDefinitions calls ecs:ListTaskDefinitions.
func (c Client) ListTaskDefinitions(in *ListTaskDefinitionsInput) (*ListTaskDefinitionsOutput, error) {
	return api.Call[ListTaskDefinitionsInput, ListTaskDefinitionsOutput](c.t, "ecs:ListTaskDefinitions", in)
}

// ListTaskDefinitionFamilies calls ecs:ListTaskDefinitionFamilies.
func (c Client) ListTaskDefinitionFamilies(in *ListTaskDefinitionFamiliesInput) (*ListTaskDefinitionFamiliesOutput, error) {
	return api.Call[ListTaskDefinitionFamiliesInput, ListTaskDefinitionFamiliesOutput](c.t, "ecs:ListTaskDefinitionFamilies", in)
}

// TagResource calls ecs:TagResource.
func (c Client) TagResource(in *TagResourceInput) (*TagResourceOutput, error) {
	return api.Call[TagResourceInput, TagResourceOutput](c.t, "ecs:TagResource", in)
}

// UntagResource calls ecs:UntagResource.
func (c Client) UntagResource(in *UntagResourceInput) (*UntagResourceOutput, error) {
	return api.Call[UntagResourceInput, UntagResourceOutput](c.t, "ecs:UntagResource", in)
}

// ListTagsForResource calls ecs:ListTagsForResource.
func (c Client) ListTagsForResource(in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	return api.Call[ListTagsForResourceInput, ListTagsForResourceOutput](c.t, "ecs:ListTagsForResource", in)
}
