package ecs

import "github.com/ecssim/ecssim/api"

// registry holds the task definitions of the account.
type registry struct{}

func newRegistry() *registry { return &registry{} }

func (m *ECS) registerTaskDefinitionActions(t *api.Table) {}
