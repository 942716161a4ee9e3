package ecs

import (
	"encoding/json"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// AWS's default service quotas for Amazon ECS, where they shape what a
// simulation can do. Each is enforced with the error AWS gives where one
// has been observed, else an AWS-like one; docs/fidelity.md lists them.
// [DG:service-quotas] https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html
// A simulation also stays bounded by them: no desiredCount that AWS
// accepts makes one scheduling pass start more than MaxTasksPerService
// tasks.
const (
	// MaxClusters is the most ACTIVE clusters an account has in a Region
	// ("Clusters per account", adjustable on AWS).
	MaxClusters = 10_000
	// MaxServicesPerCluster is the most services (ACTIVE or DRAINING) a
	// cluster holds ("Services per cluster", adjustable on AWS).
	MaxServicesPerCluster = 5_000
	// MaxTasksPerService is the largest desired count of a service
	// ("Tasks per service (the desired count)", adjustable on AWS).
	MaxTasksPerService = 5_000
	// MaxRevisionsPerFamily is the most revisions a task definition
	// family has; deregistered revisions count ("Revisions per task
	// definition family", fixed).
	MaxRevisionsPerFamily = 1_000_000
	// MaxTaskDefinitionSize is the largest task definition, in bytes of
	// its JSON ("Task definition size limit", 64 KiB, fixed). ecssim
	// measures the request as it re-encodes it: compact JSON.
	MaxTaskDefinitionSize = 64 << 10
	// MaxFargateLaunchesPerMinute is how many tasks the service scheduler
	// starts for one service on Fargate per minute ("Rate of tasks
	// launched by a service on AWS Fargate", 500). ecssim counts them in
	// windows of a minute from the first start after the previous
	// window; the rest wait for the next window, without an event.
	MaxFargateLaunchesPerMinute = 500
)

// launchWindow is the span over which MaxFargateLaunchesPerMinute counts.
const launchWindow = time.Minute

// launchRoom reports whether the service scheduler may start one more
// Fargate task of s now; when it may not, s reconciles again when the
// current window ends.
func (m *ECS) launchRoom(s *service) bool {
	now := m.eng.Now()
	if s.launches == 0 || now >= s.launchStart.Add(launchWindow) {
		return true
	}
	if s.launches < MaxFargateLaunchesPerMinute {
		return true
	}
	m.wakeAt(s, s.launchStart.Add(launchWindow))
	return false
}

// launchLimited reports whether the launch rate keeps s from starting a
// Fargate task now, and when that ends.
func (m *ECS) launchLimited(s *service) (bool, sim.Time) {
	end := s.launchStart.Add(launchWindow)
	return s.launches >= MaxFargateLaunchesPerMinute && m.eng.Now() < end, end
}

// countLaunch counts a Fargate task the service scheduler started.
func (m *ECS) countLaunch(s *service) {
	if now := m.eng.Now(); s.launches == 0 || now >= s.launchStart.Add(launchWindow) {
		s.launchStart, s.launches = now, 0
	}
	s.launches++
}

// checkDesiredCount rejects a desired count above MaxTasksPerService with
// the error AWS gives for it ("InvalidParameterException: Desired count
// exceeds limit.", observed: https://github.com/aws/containers-roadmap/issues/768).
func checkDesiredCount(n int) error {
	if n > MaxTasksPerService {
		return api.InvalidParameter("Desired count exceeds limit.").At("desiredCount")
	}
	return nil
}

// checkTaskDefinitionSize rejects a registration whose JSON is longer than
// MaxTaskDefinitionSize, in AWS's words ("ClientException: Actual length:
// '66420'. Max allowed length is '65536' bytes.", observed:
// https://github.com/awsdocs/amazon-ecs-developer-guide/pull/149).
func checkTaskDefinitionSize(in *RegisterTaskDefinitionInput) error {
	b, err := json.Marshal(in)
	if err != nil {
		return api.ClientException("The task definition cannot be encoded: %v", err)
	}
	if len(b) > MaxTaskDefinitionSize {
		return api.ClientException("Actual length: '%d'. Max allowed length is '%d' bytes.", len(b), MaxTaskDefinitionSize)
	}
	return nil
}
