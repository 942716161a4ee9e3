package ecs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/sim"
)

// Default deployment bounds of a REPLICA service. [API:DeploymentConfiguration]
const (
	defaultMaximumPercent        = 200
	defaultMinimumHealthyPercent = 100
)

func (s *service) shape(m *ECS, withTags bool) Service {
	out := Service{
		ServiceArn:                  s.arn,
		ServiceName:                 s.name,
		ClusterArn:                  s.cl.arn,
		LoadBalancers:               slices.Clone(s.lbs),
		ServiceRegistries:           s.registries,
		Status:                      s.status,
		DesiredCount:                int32(s.desired),
		LaunchType:                  s.launchType,
		PlatformVersion:             s.platformVer,
		DeploymentConfiguration:     s.deployCfg,
		RoleArn:                     s.role,
		Events:                      s.events.shape(),
		CreatedAt:                   ts(s.createdAt),
		PlacementConstraints:        slices.Clone(s.constraints),
		PlacementStrategy:           slices.Clone(s.strategies),
		NetworkConfiguration:        s.net,
		SchedulingStrategy:          s.scheduling,
		DeploymentController:        DeploymentController{Type: api.String(s.controller)},
		CreatedBy:                   "arn:aws:iam::" + m.cfg.AccountID + ":root",
		EnableECSManagedTags:        s.managedTags,
		PropagateTags:               s.propagate,
		EnableExecuteCommand:        s.execCmd,
		AvailabilityZoneRebalancing: s.azRebalance,
		CapacityProviderStrategy:    slices.Clone(s.strategy),
	}
	if s.launchType == LaunchFargate {
		out.PlatformFamily = "Linux"
		if out.PlatformVersion == "" {
			out.PlatformVersion = "LATEST"
		}
	}
	if out.LoadBalancers == nil {
		out.LoadBalancers = []LoadBalancer{}
	}
	if out.Events == nil {
		out.Events = []ServiceEvent{}
	}
	if out.PlacementConstraints == nil {
		out.PlacementConstraints = []PlacementConstraint{}
	}
	if out.PlacementStrategy == nil {
		out.PlacementStrategy = []PlacementStrategy{}
	}
	if s.graceSet || len(s.lbs) > 0 {
		g := int32(s.grace / time.Second)
		out.HealthCheckGracePeriodSeconds = &g
	}
	if withTags {
		out.Tags = slices.Clone(s.tags)
	}
	if len(s.deployments) > 0 {
		out.TaskDefinition = s.deployments[0].td.TaskDefinitionArn
	}
	out.Deployments = []Deployment{}
	if s.status == ServiceInactive {
		return out
	}
	for _, d := range s.deployments {
		dd := Deployment{
			Id:                       d.id,
			Status:                   d.status,
			TaskDefinition:           d.td.TaskDefinitionArn,
			CreatedAt:                ts(d.createdAt),
			UpdatedAt:                ts(d.updatedAt),
			LaunchType:               s.launchTypeShown(),
			CapacityProviderStrategy: slices.Clone(d.strategy),
			PlatformVersion:          out.PlatformVersion,
			PlatformFamily:           out.PlatformFamily,
			NetworkConfiguration:     d.net,
			FailedTasks:              int32(d.failed),
			RolloutState:             d.rollout,
			RolloutStateReason:       d.reason,
		}
		n := 0
		for _, t := range s.tasks {
			if t.dep != d || !t.active() {
				continue
			}
			n++
			switch {
			case t.last == StatusRunning:
				dd.RunningCount++
				out.RunningCount++
			case t.pendingLike():
				dd.PendingCount++
				out.PendingCount++
			}
		}
		if d.status == DeploymentPrimary {
			dd.DesiredCount = int32(s.desired)
		} else {
			dd.DesiredCount = int32(n)
		}
		out.Deployments = append(out.Deployments, dd)
	}
	return out
}

// checkDeploymentConfig validates the percent bounds. AWS does not
// publish their ranges; see docs/fidelity.md.
func checkDeploymentConfig(dc *DeploymentConfiguration, path string) error {
	if dc == nil {
		return nil
	}
	if p := dc.MinimumHealthyPercent; p != nil && (*p < 0 || *p > 100) {
		return api.InvalidParameter("minimumHealthyPercent must be between 0 and 100.").At(path + ".minimumHealthyPercent")
	}
	if p := dc.MaximumPercent; p != nil && *p < 100 {
		return api.InvalidParameter("maximumPercent must be at least 100.").At(path + ".maximumPercent")
	}
	if err := checkDeploymentAlarms(dc.Alarms, path+".alarms"); err != nil {
		return err
	}
	if err := checkDeploymentStrategy(dc, path); err != nil {
		return err
	}
	if cb := dc.DeploymentCircuitBreaker; cb != nil && cb.ThresholdConfiguration != nil {
		tc := cb.ThresholdConfiguration
		switch api.Deref(tc.Type) {
		case "", "COUNT", "BOUNDED_PERCENT", "UNBOUNDED_PERCENT":
		default:
			return api.InvalidParameter("thresholdConfiguration.type must be COUNT, BOUNDED_PERCENT or UNBOUNDED_PERCENT.").At(path + ".deploymentCircuitBreaker.thresholdConfiguration.type")
		}
		if tc.Value != nil && *tc.Value < 1 {
			return api.InvalidParameter("thresholdConfiguration.value must be at least 1.").At(path + ".deploymentCircuitBreaker.thresholdConfiguration.value")
		}
	}
	return nil
}

// applyDeploymentConfig merges dc into the service's configuration.
func (s *service) applyDeploymentConfig(dc *DeploymentConfiguration) {
	if dc == nil {
		return
	}
	if dc.MaximumPercent != nil {
		s.maxPct = int(*dc.MaximumPercent)
	}
	if dc.MinimumHealthyPercent != nil {
		s.minPct = int(*dc.MinimumHealthyPercent)
	}
	if dc.DeploymentCircuitBreaker != nil {
		s.cb = *dc.DeploymentCircuitBreaker
	}
	s.deployCfg = *dc
	withStrategyDefaults(&s.deployCfg)
	s.deployCfg.MaximumPercent = api.Int32(int32(s.maxPct))
	s.deployCfg.MinimumHealthyPercent = api.Int32(int32(s.minPct))
	if s.deployCfg.DeploymentCircuitBreaker == nil {
		cb := s.cb
		s.deployCfg.DeploymentCircuitBreaker = &cb
	}
}

// CreateService creates a REPLICA service and starts its first
// deployment. [API:CreateService]
func (m *ECS) CreateService(in *CreateServiceInput) (*CreateServiceOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	name := api.Deref(in.ServiceName)
	if name == "" {
		return nil, api.InvalidParameter("serviceName can not be blank.").At("serviceName")
	}
	if !nameRE.MatchString(name) {
		return nil, api.InvalidParameter("Service name must be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.").At("serviceName")
	}
	if old, ok := cl.services[name]; ok && old.status != ServiceInactive {
		return nil, api.InvalidParameter("Creation of service was not idempotent.").At("serviceName")
	}
	if cl.activeServices >= MaxServicesPerCluster {
		// ecssim's wording; AWS's text for this quota was not found.
		return nil, api.InvalidParameter("The cluster has reached the limit of %d services. Delete services or use another cluster.", MaxServicesPerCluster).At("serviceName")
	}
	sched := api.Deref(in.SchedulingStrategy)
	if sched == "" {
		sched = "REPLICA"
	}
	if sched != "REPLICA" && sched != "DAEMON" {
		return nil, api.InvalidParameter("schedulingStrategy must be REPLICA or DAEMON.").At("schedulingStrategy")
	}
	controller := "ECS"
	if in.DeploymentController != nil && in.DeploymentController.Type != nil {
		controller = *in.DeploymentController.Type
		if controller != "ECS" && controller != "CODE_DEPLOY" && controller != "EXTERNAL" {
			return nil, api.InvalidParameter("deploymentController.type must be ECS, CODE_DEPLOY or EXTERNAL.").At("deploymentController.type")
		}
	}
	desired := 0
	if in.DesiredCount != nil {
		desired = int(*in.DesiredCount)
		if desired < 0 {
			return nil, api.InvalidParameter("desiredCount must be at least 0.").At("desiredCount")
		}
		if err := checkDesiredCount(desired); err != nil {
			return nil, err
		}
	} else if sched == "REPLICA" && controller == "ECS" {
		// [API:CreateServiceRequest.desiredCount]
		return nil, api.InvalidParameter("desiredCount is required for services using the REPLICA scheduling strategy.").At("desiredCount")
	}
	if in.HealthCheckGracePeriodSeconds != nil && *in.HealthCheckGracePeriodSeconds < 0 {
		return nil, api.InvalidParameter("healthCheckGracePeriodSeconds must be between 0 and 2147483647.").At("healthCheckGracePeriodSeconds")
	}
	if err := checkDeploymentConfig(in.DeploymentConfiguration, "deploymentConfiguration"); err != nil {
		return nil, err
	}
	if err := checkDeploymentController(in.DeploymentConfiguration, controller); err != nil {
		return nil, err
	}
	if err := checkAdvancedConfiguration(in.LoadBalancers); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	if len(in.PlacementStrategy) > 5 || len(in.PlacementConstraints) > 10 {
		return nil, api.InvalidParameter("A service can have at most 5 placement strategies and 10 placement constraints.")
	}
	var td *TaskDefinition
	if in.TaskDefinition == nil || *in.TaskDefinition == "" {
		if controller != "EXTERNAL" {
			return nil, api.InvalidParameter("TaskDefinition can not be blank.").At("taskDefinition")
		}
	} else if td, err = m.taskDefinitionForLaunch(*in.TaskDefinition); err != nil {
		return nil, err
	}
	plan, err := m.resolveLaunch(in.LaunchType, in.CapacityProviderStrategy, cl)
	if err != nil {
		return nil, err
	}
	lt := plan.launchType
	if dc := in.DeploymentConfiguration; sched == "DAEMON" && dc != nil && dc.MaximumPercent != nil && *dc.MaximumPercent > 100 {
		// Observed wording. (https://github.com/aws/aws-cdk/issues/2209)
		return nil, api.InvalidParameter("The daemon scheduling strategy does not support values above 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again").At("deploymentConfiguration.maximumPercent")
	}
	if sched == "DAEMON" && lt == LaunchFargate {
		return nil, api.InvalidParameter("The daemon scheduling strategy does not support the FARGATE launch type.").At("schedulingStrategy")
	}
	var placement *awsvpcPlacement
	var placePlan *scheduler.Plan
	var spec scheduler.Spec
	if lt == LaunchEC2 {
		if td != nil && !slices.Contains(td.Compatibilities, LaunchEC2) {
			return nil, api.InvalidParameter("Task definition does not support launch_type EC2.").At("taskDefinition")
		}
		spec = placementSpec(in.PlacementStrategy, in.PlacementConstraints, td, true)
		if placePlan, err = cl.schedOf().Compile(spec); err != nil {
			return nil, err
		}
	}
	if td != nil {
		if lt == LaunchFargate && !supportsFargate(td) {
			return nil, api.InvalidParameter("Task definition does not support launch_type FARGATE.").At("taskDefinition")
		}
		if placement, err = m.resolveAwsvpc(td, in.NetworkConfiguration, "networkConfiguration"); err != nil {
			return nil, err
		}
		if lt == LaunchFargate && placement == nil {
			return nil, api.ClientException("Fargate only supports network mode 'awsvpc'.")
		}
	}
	if err := m.checkLoadBalancers(in.LoadBalancers, td); err != nil {
		return nil, err
	}
	now := m.eng.Now()
	s := &service{
		arn:         m.arn("service/" + cl.name + "/" + name),
		name:        name,
		cl:          cl,
		status:      ServiceActive,
		desired:     desired,
		launchType:  lt,
		strategy:    plan.strategy,
		platformVer: api.Deref(in.PlatformVersion),
		net:         in.NetworkConfiguration,
		placement:   placement,
		maxPct:      defaultMaximumPercent,
		minPct:      defaultMinimumHealthyPercent,
		lbs:         slices.Clone(in.LoadBalancers),
		registries:  in.ServiceRegistries,
		constraints: slices.Clone(in.PlacementConstraints),
		strategies:  slices.Clone(in.PlacementStrategy),
		scheduling:  sched,
		controller:  controller,
		role:        api.Deref(in.Role),
		tags:        slices.Clone(in.Tags),
		propagate:   api.Deref(in.PropagateTags),
		managedTags: api.Deref(in.EnableECSManagedTags),
		execCmd:     api.Deref(in.EnableExecuteCommand),
		azRebalance: api.Deref(in.AvailabilityZoneRebalancing),
		createdAt:   now,
		lastMessage: map[string]sim.Time{},
		plan:        placePlan,
		placeSpec:   spec,
	}
	if s.propagate == "" {
		s.propagate = "NONE"
	}
	if s.azRebalance == "" {
		s.azRebalance = "ENABLED" // [API:CreateServiceRequest.availabilityZoneRebalancing]
	}
	if sched == "DAEMON" {
		// DAEMON defaults: maximumPercent 100, minimumHealthyPercent 0.
		// [DG:ecs_services]
		s.maxPct, s.minPct = 100, 0
	}
	if in.HealthCheckGracePeriodSeconds != nil {
		s.grace = time.Duration(*in.HealthCheckGracePeriodSeconds) * time.Second
		s.graceSet = true
	}
	s.applyDeploymentConfig(in.DeploymentConfiguration)
	if s.deployCfg.MaximumPercent == nil {
		s.applyDeploymentConfig(&DeploymentConfiguration{})
	}
	if cl.services == nil {
		cl.services = map[string]*service{}
	}
	if _, again := cl.services[name]; !again {
		cl.addServiceName(name)
	}
	cl.services[name] = s
	cl.rows = nil
	cl.activeServices++
	s.launchType = lt
	if sched == "DAEMON" && td != nil && plan.launchType == LaunchEC2 {
		s.desired = m.daemonEligible(s, td)
		s.changed()
	}
	if td != nil && controller != "EXTERNAL" {
		m.newDeployment(s, td, "")
		m.kick(s)
	}
	return &CreateServiceOutput{Service: s.shape(m, true)}, nil
}

// findService resolves a service name or ARN in a cluster.
func (m *ECS) findService(cl *cluster, ref *string) (*service, error) {
	if ref == nil || *ref == "" {
		return nil, api.InvalidParameter("service can not be blank.").At("service")
	}
	s, ok := cl.services[serviceName(*ref)]
	if !ok {
		return nil, api.Errorf(CodeServiceNotFound, "Service not found.")
	}
	return s, nil
}

// sameNetwork reports whether two network configurations are equal.
func sameNetwork(a, b *NetworkConfiguration) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	if a == nil {
		return true
	}
	x, y := a.AwsvpcConfiguration, b.AwsvpcConfiguration
	if (x == nil) != (y == nil) {
		return false
	}
	if x == nil {
		return true
	}
	return slices.Equal(x.Subnets, y.Subnets) && slices.Equal(x.SecurityGroups, y.SecurityGroups) && api.Deref(x.AssignPublicIp) == api.Deref(y.AssignPublicIp)
}

// sameList reports whether two lists of API structs are equal, an empty
// list equal to none.
func sameList[T any](a, b []T) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

// sameJSON reports whether two JSON documents are equal once compacted.
func sameJSON(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	if json.Compact(&x, a) != nil || json.Compact(&y, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}

// UpdateService changes a service. A new task definition, network
// configuration, platform version, capacity provider strategy, load
// balancers, service registries, placement constraints or strategy, or
// forceNewDeployment start a new deployment; desiredCount,
// deploymentConfiguration and the grace period alone change the service
// in place. [API:UpdateService]
func (m *ECS) UpdateService(in *UpdateServiceInput) (*UpdateServiceOutput, error) {
	cl, s, err := m.activeService(in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	if in.DesiredCount != nil && *in.DesiredCount < 0 {
		return nil, api.InvalidParameter("desiredCount must be at least 0.").At("desiredCount")
	}
	if in.DesiredCount != nil {
		if err := checkDesiredCount(int(*in.DesiredCount)); err != nil {
			return nil, err
		}
	}
	if in.HealthCheckGracePeriodSeconds != nil && *in.HealthCheckGracePeriodSeconds < 0 {
		return nil, api.InvalidParameter("healthCheckGracePeriodSeconds must be between 0 and 2147483647.").At("healthCheckGracePeriodSeconds")
	}
	if err := checkDeploymentConfig(in.DeploymentConfiguration, "deploymentConfiguration"); err != nil {
		return nil, err
	}
	if err := checkDeploymentController(in.DeploymentConfiguration, s.controller); err != nil {
		return nil, err
	}
	if err := checkAdvancedConfiguration(in.LoadBalancers); err != nil {
		return nil, err
	}
	var primary *deployment
	if len(s.deployments) > 0 {
		primary = s.deployments[0]
	}
	td := (*TaskDefinition)(nil)
	if primary != nil {
		td = primary.td
	}
	if in.TaskDefinition != nil {
		if td, err = m.taskDefinitionForLaunch(*in.TaskDefinition); err != nil {
			return nil, err
		}
	}
	if td == nil {
		return nil, api.InvalidParameter("TaskDefinition can not be blank.").At("taskDefinition")
	}
	lt, strategy := s.launchType, s.strategy
	if in.CapacityProviderStrategy != nil {
		plan, err := m.resolveLaunch(nil, in.CapacityProviderStrategy, cl)
		if err != nil {
			return nil, err
		}
		lt, strategy = plan.launchType, plan.strategy
	}
	if lt == LaunchFargate && !supportsFargate(td) {
		return nil, api.InvalidParameter("Task definition does not support launch_type FARGATE.").At("taskDefinition")
	}
	net := s.net
	if in.NetworkConfiguration != nil {
		net = in.NetworkConfiguration
	}
	placement, err := m.resolveAwsvpc(td, net, "networkConfiguration")
	if err != nil {
		return nil, err
	}
	if placement.same(s.placement) {
		// Placements are never modified: the service's deployments share
		// one while its network configuration stays the same.
		placement = s.placement
	}
	lbs := s.lbs
	if in.LoadBalancers != nil {
		lbs = in.LoadBalancers
	}
	if err := m.checkLoadBalancers(lbs, td); err != nil {
		return nil, err
	}
	constraints, strategies := s.constraints, s.strategies
	if in.PlacementConstraints != nil {
		constraints = in.PlacementConstraints
	}
	if in.PlacementStrategy != nil {
		strategies = in.PlacementStrategy
	}
	if len(strategies) > 5 || len(constraints) > 10 {
		return nil, api.InvalidParameter("A service can have at most 5 placement strategies and 10 placement constraints.")
	}
	placePlan, spec := s.plan, s.placeSpec
	if lt == LaunchEC2 && (in.PlacementConstraints != nil || in.PlacementStrategy != nil || primary == nil || td != primary.td || s.plan == nil) {
		spec = placementSpec(strategies, constraints, td, true)
		if placePlan, err = cl.schedOf().Compile(spec); err != nil {
			return nil, err
		}
	}
	// All checks passed: apply. A new task definition, network
	// configuration, platform version, capacity provider strategy, load
	// balancers, service registries, placement constraints or placement
	// strategy start a new deployment. [API:UpdateService]
	redeploy := api.Deref(in.ForceNewDeployment) ||
		primary == nil || td != primary.td || !sameNetwork(net, s.net) ||
		(in.PlatformVersion != nil && *in.PlatformVersion != s.platformVer) ||
		(in.CapacityProviderStrategy != nil && !slices.Equal(strategyKey(strategy), strategyKey(s.strategy))) ||
		(in.LoadBalancers != nil && !sameList(in.LoadBalancers, s.lbs)) ||
		(in.ServiceRegistries != nil && !sameJSON(in.ServiceRegistries, s.registries)) ||
		(in.PlacementConstraints != nil && !sameList(in.PlacementConstraints, s.constraints)) ||
		(in.PlacementStrategy != nil && !sameList(in.PlacementStrategy, s.strategies)) ||
		// "You can update your volume configurations and trigger a new
		// deployment. If you leave volumeConfigurations null, it doesn't
		// trigger a new deployment." [API:UpdateService]
		(len(in.VolumeConfigurations) > 0 && string(in.VolumeConfigurations) != "null")
	s.constraints, s.strategies = slices.Clone(constraints), slices.Clone(strategies)
	if placePlan != s.plan {
		s.plan, s.placeSpec, s.providerPlans = placePlan, spec, nil
	}
	if in.ServiceRegistries != nil {
		s.registries = in.ServiceRegistries
	}
	if in.DesiredCount != nil && int(*in.DesiredCount) != s.desired {
		// No SERVICE_DESIRED_COUNT_UPDATED here: ECS sends it when the
		// scheduler changes the desired count, not when a user does.
		// [DG:ecs_cwe_events]
		s.desired = int(*in.DesiredCount)
		s.changed()
	}
	s.applyDeploymentConfig(in.DeploymentConfiguration)
	if in.HealthCheckGracePeriodSeconds != nil {
		s.grace = time.Duration(*in.HealthCheckGracePeriodSeconds) * time.Second
		s.graceSet = true
	}
	if in.PlatformVersion != nil {
		s.platformVer = *in.PlatformVersion
	}
	if in.AvailabilityZoneRebalancing != nil {
		s.azRebalance = *in.AvailabilityZoneRebalancing
	}
	if in.EnableExecuteCommand != nil {
		s.execCmd = *in.EnableExecuteCommand
	}
	if in.PropagateTags != nil {
		s.propagate = *in.PropagateTags
	}
	if in.LoadBalancers != nil {
		s.lbs = slices.Clone(in.LoadBalancers)
		s.changed()
	}
	s.net, s.placement, s.launchType = net, placement, lt
	s.strategy = strategy
	if redeploy {
		m.newDeployment(s, td, "")
	} else if primary != nil {
		primary.threshold = circuitBreakerThreshold(s.cb, s.desired)
		primary.updatedAt = m.eng.Now()
	}
	s.steady = false
	m.kick(s)
	return &UpdateServiceOutput{Service: s.shape(m, false)}, nil
}

// DeleteService deletes a service: it must be scaled to zero first unless
// force is set. The service goes DRAINING while its tasks stop, then
// INACTIVE. [API:DeleteService] [API:Service.status]
func (m *ECS) DeleteService(in *DeleteServiceInput) (*DeleteServiceOutput, error) {
	_, s, err := m.activeService(in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	if s.desired > 0 && s.scheduling == "REPLICA" && !api.Deref(in.Force) {
		return nil, api.InvalidParameter("The service cannot be stopped while it is scaled above 0.")
	}
	s.desired = 0
	s.status = ServiceDraining
	s.changed()
	m.kick(s)
	return &DeleteServiceOutput{Service: s.shape(m, false)}, nil
}

// DescribeServices describes up to 10 services by name or ARN; unknown
// ones are failures with reason MISSING. [API:DescribeServices]
func (m *ECS) DescribeServices(in *DescribeServicesInput) (*DescribeServicesOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.Services) == 0 {
		return nil, api.InvalidParameter("Services cannot be empty.").At("services")
	}
	if len(in.Services) > 10 {
		return nil, api.InvalidParameter("Services cannot have more than 10 elements").At("services")
	}
	withTags := false
	for _, inc := range in.Include {
		if inc != "TAGS" {
			return nil, api.InvalidParameter("Invalid include value %q. Valid values: TAGS.", inc).At("include")
		}
		withTags = true
	}
	out := &DescribeServicesOutput{Services: []Service{}, Failures: []Failure{}}
	for _, ref := range in.Services {
		s, ok := cl.services[serviceName(ref)]
		if !ok {
			arn := ref
			if !strings.HasPrefix(ref, "arn:") {
				arn = m.arn("service/" + cl.name + "/" + ref)
			}
			out.Failures = append(out.Failures, Failure{Arn: api.String(arn), Reason: api.String("MISSING")})
			continue
		}
		out.Services = append(out.Services, s.shape(m, withTags))
	}
	return out, nil
}

// ListServices lists the ARNs of a cluster's ACTIVE services, sorted by
// name, 10 per page by default and 100 at most. DRAINING and INACTIVE
// services are not listed. [API:ListServices] [DG:ecs_services]
func (m *ECS) ListServices(in *ListServicesInput) (*ListServicesOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	keep := func(n string) bool {
		s := cl.services[n]
		return s.status == ServiceActive &&
			(in.LaunchType == nil || s.launchType == *in.LaunchType) &&
			(in.SchedulingStrategy == nil || s.scheduling == *in.SchedulingStrategy)
	}
	maxResults := in.MaxResults
	if maxResults == nil {
		maxResults = api.Int32(10)
	}
	page, next, err := paginateSorted(cl.sortedServiceNames(), keep, maxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	arns := make([]string, len(page))
	for i, n := range page {
		arns[i] = cl.services[n].arn
	}
	return &ListServicesOutput{ServiceArns: arns, NextToken: next}, nil
}

// addServiceName records the name of a new service for listings.
func (c *cluster) addServiceName(name string) {
	if k := len(c.serviceNames); k > 0 && c.serviceNames[k-1] > name {
		c.namesUnsorted = true
	}
	c.serviceNames = append(c.serviceNames, name)
}

// metricsRows returns the rows of the cluster's services (every status)
// in name order, kept until a service is added or replaced: the metrics
// feed walks them every minute. New rows are stale.
func (c *cluster) metricsRows() []metricsRow {
	if c.rows == nil && len(c.services) > 0 {
		names := c.sortedServiceNames()
		c.rows = make([]metricsRow, len(names))
		for i, n := range names {
			s := c.services[n]
			c.rows[i] = metricsRow{s: s, name: s.name, stale: true}
			s.row = &c.rows[i]
		}
	}
	return c.rows
}

// sortedServiceNames returns the names of the cluster's services (every
// status), sorted; it sorts only after names were added out of order, so
// paging through a listing sorts at most once.
func (c *cluster) sortedServiceNames() []string {
	if c.namesUnsorted {
		slices.Sort(c.serviceNames)
		c.namesUnsorted = false
	}
	return c.serviceNames
}

// launchTypeShown is the launchType a service reports: none when it uses
// a capacity provider strategy. [API:Service.launchType]
func (s *service) launchTypeShown() string {
	if len(s.strategy) > 0 {
		return ""
	}
	return s.launchType
}

// strategyKey flattens a strategy for comparison.
func strategyKey(st []CapacityProviderStrategyItem) []string {
	out := make([]string, len(st))
	for i, it := range st {
		out[i] = fmt.Sprintf("%s/%d/%d", api.Deref(it.CapacityProvider), api.Deref(it.Base), api.Deref(it.Weight))
	}
	return out
}

// activeService resolves a cluster and one of its ACTIVE services, with
// ClusterNotFoundException, ServiceNotFoundException or
// ServiceNotActiveException.
func (m *ECS) activeService(clusterRef, serviceRef *string) (*cluster, *service, error) {
	cl, err := m.activeCluster(clusterRef)
	if err != nil {
		return nil, nil, err
	}
	s, err := m.findService(cl, serviceRef)
	if err != nil {
		return nil, nil, err
	}
	if s.status != ServiceActive {
		return nil, nil, api.Errorf(CodeServiceNotActive, "Service was not ACTIVE.")
	}
	return cl, s, nil
}
