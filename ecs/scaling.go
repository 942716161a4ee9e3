package ecs

import (
	"strings"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/workload"
)

// The ECS side of Application Auto Scaling: a service is a scalable
// target "service/<cluster>/<service>" whose capacity is its desired
// count, and whose CloudWatch metrics come from the traffic the scenario
// gives it. These methods make *ECS an autoscaling.Resources.

// scalableService resolves an Application Auto Scaling resource ID to an
// ACTIVE service.
func (m *ECS) scalableService(resourceID string) (*service, bool) {
	// Cut rather than Split: this runs for every target every minute.
	rest, ok := strings.CutPrefix(resourceID, "service/")
	if !ok {
		return nil, false
	}
	clusterName, serviceName, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(serviceName, "/") {
		return nil, false
	}
	cl, ok := m.clusters.byName[clusterName]
	if !ok || cl.status != ClusterActive {
		return nil, false
	}
	s, ok := cl.services[serviceName]
	if !ok || s.status != ServiceActive {
		return nil, false
	}
	return s, true
}

// ScalableCapacity returns a service's desired count.
func (m *ECS) ScalableCapacity(resourceID string) (int, bool) {
	s, ok := m.scalableService(resourceID)
	if !ok {
		return 0, false
	}
	return s.desired, true
}

// SetScalableCapacity sets a service's desired count, as Application Auto
// Scaling does through UpdateService: no new deployment.
func (m *ECS) SetScalableCapacity(resourceID string, capacity int) error {
	s, ok := m.scalableService(resourceID)
	if !ok {
		return api.Errorf(CodeServiceNotFound, "Service not found.")
	}
	if s.scheduling == "DAEMON" {
		return api.InvalidParameter("The desired count of a DAEMON service cannot be set.")
	}
	if err := checkDesiredCount(capacity); err != nil {
		return err
	}
	if capacity == s.desired {
		return nil
	}
	s.desired = capacity
	s.changed()
	s.deployments[0].threshold = circuitBreakerThreshold(s.cb, s.desired)
	s.steady = false
	m.serviceAction(s, "INFO", "SERVICE_DESIRED_COUNT_UPDATED")
	m.kick(s)
	return nil
}

// ScalableDeploying reports whether the service is in a deployment: more
// than one deployment, or the primary still rolling out.
// [DG:service-auto-scaling#service-auto-scaling-deployments]
func (m *ECS) ScalableDeploying(resourceID string) bool {
	s, ok := m.scalableService(resourceID)
	if !ok || len(s.deployments) == 0 {
		return false
	}
	return len(s.deployments) > 1 || s.deployments[0].rollout == RolloutInProgress
}

// ScalableMetric returns a service's average CPU or memory utilization
// over its RUNNING tasks, as CloudWatch's AWS/ECS CPUUtilization and
// MemoryUtilization compute it, from the service's traffic. There is no
// datapoint when no task runs, or for metrics that need a load balancer.
// [DG:cloudwatch-metrics#service_utilization]
func (m *ECS) ScalableMetric(resourceID, metricType string) (float64, bool) {
	s, ok := m.scalableService(resourceID)
	if !ok {
		return 0, false
	}
	cpu, mem, _, _, ok := m.serviceUtilization(s, m.countTasks(s))
	if !ok {
		return 0, false
	}
	switch metricType {
	case "ECSServiceAverageCPUUtilization", "ECSServiceAverageCPUUtilizationHighResolution":
		return cpu, true
	case "ECSServiceAverageMemoryUtilization", "ECSServiceAverageMemoryUtilizationHighResolution":
		return mem, true
	}
	return 0, false
}

// SetTrafficInput is the input of sim:SetTraffic.
type SetTrafficInput struct {
	Cluster *string `json:"cluster,omitempty"`
	Service *string `json:"service,omitempty"`
	// Traffic is the load: a request-rate shape and what a request costs
	// (package workload).
	Traffic *workload.Traffic `json:"traffic,omitempty"`
}

// SetTraffic gives a service its load, from which its CPU and memory
// utilization (and so target tracking) follow.
func (m *ECS) SetTraffic(in *SetTrafficInput) (*Empty, error) {
	_, s, err := m.activeService(in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	if in.Traffic == nil {
		return nil, api.InvalidParameter("traffic must be specified.").At("traffic")
	}
	tr := *in.Traffic
	if err := tr.Validate(); err != nil {
		return nil, api.InvalidParameter("%s", err).At("traffic")
	}
	s.traffic = &tr
	s.changed()
	return &Empty{}, nil
}

// DescribeTrafficInput is the input of sim:DescribeTraffic.
type DescribeTrafficInput struct {
	Cluster *string `json:"cluster,omitempty"`
	Service *string `json:"service,omitempty"`
}

// DescribeTrafficOutput is the output of sim:DescribeTraffic.
type DescribeTrafficOutput struct {
	// Traffic is the load sim:SetTraffic last gave the service; absent
	// when it was given none.
	Traffic *workload.Traffic `json:"traffic,omitempty"`
}

// DescribeTraffic returns the load sim:SetTraffic gave a service, so that
// a report can draw the traffic shape the run followed.
func (m *ECS) DescribeTraffic(in *DescribeTrafficInput) (*DescribeTrafficOutput, error) {
	_, s, err := m.activeService(in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	out := &DescribeTrafficOutput{}
	if s.traffic != nil {
		tr := *s.traffic
		out.Traffic = &tr
	}
	return out, nil
}
