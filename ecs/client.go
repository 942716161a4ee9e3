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
