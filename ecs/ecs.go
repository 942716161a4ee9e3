package ecs

import (
	"fmt"
	"regexp"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Config holds what the ECS model needs to know about its account.
type Config struct {
	// Region is the AWS region in ARNs, e.g. "us-east-1".
	Region string
	// AccountID is the 12-digit account in ARNs.
	AccountID string
}

// ECS is the simulated ECS service of one account in one region.
type ECS struct {
	eng *sim.Engine
	cfg Config

	clusters *clusterStore
	defs     *registry
}

// New returns an empty ECS model that runs on eng.
func New(eng *sim.Engine, cfg Config) *ECS {
	return &ECS{
		eng:      eng,
		cfg:      cfg,
		clusters: newClusterStore(),
		defs:     newRegistry(),
	}
}

// Register adds every ECS action to t as "ecs:<Action>".
func (m *ECS) Register(t *api.Table) {
	api.Register(t, "ecs:CreateCluster", m.CreateCluster)
	api.Register(t, "ecs:DescribeClusters", m.DescribeClusters)
	api.Register(t, "ecs:ListClusters", m.ListClusters)
	api.Register(t, "ecs:DeleteCluster", m.DeleteCluster)
	m.registerTaskDefinitionActions(t)
}

// arn returns "arn:aws:ecs:<region>:<account>:<resource>".
func (m *ECS) arn(resource string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:%s", m.cfg.Region, m.cfg.AccountID, resource)
}

// now returns the current virtual time as an API timestamp.
func (m *ECS) now() api.Timestamp { return api.NewTimestamp(m.eng.Now().Time()) }

// nameRE is the charset ECS allows for cluster, service, family and
// container names: up to 255 letters, digits, hyphens and underscores.
// [API:CreateClusterRequest.clusterName] [API:RegisterTaskDefinitionRequest.family]
var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// Failure is one entry of a response's failures list.
type Failure struct {
	Arn    *string `json:"arn,omitempty"`
	Reason *string `json:"reason,omitempty"`
	Detail *string `json:"detail,omitempty"`
}

// Error codes specific to ECS.
const (
	CodeClusterNotFound                  = "ClusterNotFoundException"
	CodeClusterContainsServices          = "ClusterContainsServicesException"
	CodeClusterContainsTasks             = "ClusterContainsTasksException"
	CodeClusterContainsContainerInstance = "ClusterContainsContainerInstancesException"
	CodeServiceNotFound                  = "ServiceNotFoundException"
	CodeServiceNotActive                 = "ServiceNotActiveException"
	CodeResourceNotFound                 = "ResourceNotFoundException"
)

func clusterNotFound() *api.Error {
	return api.Errorf(CodeClusterNotFound, "Cluster not found.")
}
