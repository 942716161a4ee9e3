package ecs

import (
	"slices"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Service deployment statuses. [API enum ServiceDeploymentStatus]
const (
	SDPending            = "PENDING"
	SDSuccessful         = "SUCCESSFUL"
	SDStopped            = "STOPPED"
	SDStopRequested      = "STOP_REQUESTED"
	SDInProgress         = "IN_PROGRESS"
	SDRollbackRequested  = "ROLLBACK_REQUESTED"
	SDRollbackInProgress = "ROLLBACK_IN_PROGRESS"
	SDRollbackSuccessful = "ROLLBACK_SUCCESSFUL"
	SDRollbackFailed     = "ROLLBACK_FAILED"
)

// Statuses of a service deployment's failure detection.
// [API enum ServiceDeploymentRollbackMonitorsStatus]
const (
	MonitorTriggered = "TRIGGERED"
	MonitorWatching  = "MONITORING"
	MonitorComplete  = "MONITORING_COMPLETE"
	MonitorDisabled  = "DISABLED"
)

// Error codes of the service deployments API.
const (
	CodeServiceDeploymentNotFound = "ServiceDeploymentNotFoundException"
	CodeConflict                  = "ConflictException"
)

// deployExtra is what a deployment carries for the service deployments
// API and its alarms.
type deployExtra struct {
	sd     *serviceDeployment // the service deployment it belongs to
	rev    *serviceRevision   // the revision it runs
	alarms *alarmWatch        // nil without deployment alarms
	// tgs maps each loadBalancers target group to the group the
	// deployment's tasks register in (see targetGroupOf).
	tgs map[string]string
	bg  *bgRun // a blue/green, linear or canary execution; nil when rolling
}

// serviceRevision is a service revision: the configuration a deployment
// rolls out. A rollback creates none: it reuses the revision of the last
// completed deployment. [DG:service-revision]
type serviceRevision struct {
	arn       string
	svc       *service
	td        *TaskDefinition
	launch    string
	strategy  []CapacityProviderStrategyItem
	platform  string
	lbs       []LoadBalancer
	net       *NetworkConfiguration
	createdAt sim.Time
}

// serviceDeployment is a service deployment: one UpdateService (or
// CreateService) rollout, with its rollback if one happens.
// [DG:service-deployment]
type serviceDeployment struct {
	arn         string
	svc         *service
	dep         *deployment // the deployment of the target revision
	rollbackDep *deployment // the rollback's deployment, if any
	target      *serviceRevision
	sources     []*serviceRevision
	status      string
	reason      string
	cfg         DeploymentConfiguration
	rollback    *Rollback
	createdAt   sim.Time
	startedAt   sim.Time
	finishedAt  sim.Time
	stoppedAt   sim.Time
	updatedAt   sim.Time
}

// serviceDeployments indexes a World's service deployments and
// revisions by ARN.
type serviceDeployments struct {
	byArn map[string]*serviceDeployment
	revs  map[string]*serviceRevision
}

// sdIDChars are the characters of a service deployment ID, as in
// "NCWGC2ZR-taawPAYrIaU5". [API:DescribeServiceDeployments example]
const sdIDChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// sdIDLength is the length of a service deployment ID (observed in AWS's
// examples: 21 characters).
const sdIDLength = 21

// sdStream is the random stream of service deployment and revision IDs,
// apart from the stream of other ECS IDs so that they change none.
const sdStream = "ecs/service-deployments"

// deploymentCreated records a new deployment d of s in the service
// deployments API. A rollback (rollback true) belongs to the service
// deployment that failed; any other deployment is a service deployment
// of its own, with a new revision, and stops the one it replaces.
func (m *ECS) deploymentCreated(s *service, d *deployment, rollback bool) {
	now := m.eng.Now()
	d.x.alarms = newAlarmWatch(s)
	if m.sds.byArn == nil {
		m.sds = serviceDeployments{byArn: map[string]*serviceDeployment{}, revs: map[string]*serviceRevision{}}
	}
	var prior *deployment
	if len(s.deployments) > 1 {
		prior = s.deployments[1]
	}
	switch {
	case !rollback:
		defer m.bgStart(s, d)
	case prior == nil || !m.bgRollback(s, d, prior):
		d.x.tgs = s.liveGroups()
	}
	if rollback && prior != nil && prior.x.sd != nil && s.lastCompleted != nil {
		sd := prior.x.sd
		d.x.sd, d.x.rev = sd, s.lastCompleted.x.rev
		sd.rollbackDep = d
		sd.status = SDRollbackInProgress
		sd.rollback = &Rollback{Reason: d.reason, StartedAt: api.NewTimestamp(now.Time())}
		if d.x.rev != nil {
			sd.rollback.ServiceRevisionArn = d.x.rev.arn
		}
		sd.updatedAt = now
		return
	}
	r := m.eng.Rand(sdStream)
	rev := &serviceRevision{
		arn: m.arn("service-revision/" + s.cl.name + "/" + s.name + "/" + sim.Digits(r, 19)),
		svc: s, td: d.td, launch: s.launchType, strategy: s.strategy, platform: s.platformVer,
		lbs: slices.Clone(s.lbs), net: s.net, createdAt: now,
	}
	id := make([]byte, sdIDLength)
	for i := range id {
		id[i] = sdIDChars[r.IntN(len(sdIDChars))]
	}
	sd := &serviceDeployment{
		arn: m.arn("service-deployment/" + s.cl.name + "/" + s.name + "/" + string(id)),
		svc: s, dep: d, target: rev, status: SDInProgress, cfg: s.deployCfg,
		createdAt: now, startedAt: now, updatedAt: now,
	}
	if s.deployCfg.Alarms != nil {
		a := *s.deployCfg.Alarms
		sd.cfg.Alarms = &a
	}
	for _, old := range s.deployments[1:] {
		if old.x.rev != nil && !slices.Contains(sd.sources, old.x.rev) {
			sd.sources = append(sd.sources, old.x.rev)
		}
	}
	d.x.sd, d.x.rev = sd, rev
	m.sds.byArn[sd.arn] = sd
	m.sds.revs[rev.arn] = rev
	s.sdList = append(s.sdList, sd)
	// The deployment this one replaces stops where it is.
	if prior != nil && prior.x.sd != nil && prior.x.sd != sd {
		m.endAlarmWatch(prior)
		if old := prior.x.sd; old.status == SDInProgress || old.status == SDRollbackInProgress {
			old.status = SDStopped
			old.reason = "Service deployment stopped: a new service deployment started."
			old.stoppedAt, old.updatedAt = now, now
		}
	}
}

// deploymentFailed records that d failed; rollingBack says whether a
// rollback follows. Without one the service deployment stops: "The
// service deployment stops when ... the rollback option is not in use
// for the failure detection mechanism ... and the service fails."
// [API:ServiceDeployment.stoppedAt]
func (m *ECS) deploymentFailed(s *service, d *deployment, rollingBack bool) {
	sd := d.x.sd
	m.endAlarmWatch(d)
	if sd == nil {
		return
	}
	now := m.eng.Now()
	sd.updatedAt = now
	switch {
	case d == sd.rollbackDep:
		sd.status, sd.finishedAt = SDRollbackFailed, now
	case rollingBack:
		sd.status, sd.reason = SDRollbackInProgress, d.reason
	default:
		sd.status, sd.reason, sd.stoppedAt = SDStopped, d.reason, now
	}
}

// deploymentCompleted records that d completed.
func (m *ECS) deploymentCompleted(d *deployment) {
	sd := d.x.sd
	m.endAlarmWatch(d)
	if sd == nil {
		return
	}
	now := m.eng.Now()
	switch d {
	case sd.rollbackDep:
		sd.status = SDRollbackSuccessful
	case sd.dep:
		sd.status = SDSuccessful
	default:
		return
	}
	sd.finishedAt, sd.updatedAt = now, now
}

// Rollback is the API shape of a service deployment's rollback.
type Rollback struct {
	Reason             string        `json:"reason,omitempty"`
	StartedAt          api.Timestamp `json:"startedAt"`
	ServiceRevisionArn string        `json:"serviceRevisionArn,omitempty"`
}

// ServiceRevisionSummary is the API shape of a revision in a service
// deployment.
type ServiceRevisionSummary struct {
	Arn                string `json:"arn"`
	RequestedTaskCount int32  `json:"requestedTaskCount"`
	RunningTaskCount   int32  `json:"runningTaskCount"`
	PendingTaskCount   int32  `json:"pendingTaskCount"`
}

// ServiceDeploymentCircuitBreaker is the circuit breaker of a service
// deployment.
type ServiceDeploymentCircuitBreaker struct {
	Status       string `json:"status"`
	FailureCount int32  `json:"failureCount"`
	Threshold    int32  `json:"threshold"`
}

// ServiceDeploymentAlarms is the alarms check of a service deployment.
type ServiceDeploymentAlarms struct {
	Status              string   `json:"status"`
	AlarmNames          []string `json:"alarmNames,omitempty"`
	TriggeredAlarmNames []string `json:"triggeredAlarmNames,omitempty"`
}

// ServiceDeployment is the API shape of a service deployment.
type ServiceDeployment struct {
	ServiceDeploymentArn     string                           `json:"serviceDeploymentArn"`
	ServiceArn               string                           `json:"serviceArn"`
	ClusterArn               string                           `json:"clusterArn"`
	CreatedAt                api.Timestamp                    `json:"createdAt"`
	StartedAt                *api.Timestamp                   `json:"startedAt,omitempty"`
	FinishedAt               *api.Timestamp                   `json:"finishedAt,omitempty"`
	StoppedAt                *api.Timestamp                   `json:"stoppedAt,omitempty"`
	UpdatedAt                api.Timestamp                    `json:"updatedAt"`
	SourceServiceRevisions   []ServiceRevisionSummary         `json:"sourceServiceRevisions,omitempty"`
	TargetServiceRevision    *ServiceRevisionSummary          `json:"targetServiceRevision,omitempty"`
	Status                   string                           `json:"status"`
	StatusReason             string                           `json:"statusReason,omitempty"`
	DeploymentConfiguration  *DeploymentConfiguration         `json:"deploymentConfiguration,omitempty"`
	Rollback                 *Rollback                        `json:"rollback,omitempty"`
	DeploymentCircuitBreaker *ServiceDeploymentCircuitBreaker `json:"deploymentCircuitBreaker,omitempty"`
	Alarms                   *ServiceDeploymentAlarms         `json:"alarms,omitempty"`
	LifecycleStage           string                           `json:"lifecycleStage,omitempty"`
	LifecycleHookDetails     []DeploymentLifecycleHookDetail  `json:"lifecycleHookDetails,omitempty"`
}

// ServiceDeploymentBrief is the API shape of a service deployment in
// ListServiceDeployments.
type ServiceDeploymentBrief struct {
	ServiceDeploymentArn     string         `json:"serviceDeploymentArn"`
	ServiceArn               string         `json:"serviceArn"`
	ClusterArn               string         `json:"clusterArn"`
	StartedAt                *api.Timestamp `json:"startedAt,omitempty"`
	CreatedAt                api.Timestamp  `json:"createdAt"`
	FinishedAt               *api.Timestamp `json:"finishedAt,omitempty"`
	TargetServiceRevisionArn string         `json:"targetServiceRevisionArn"`
	Status                   string         `json:"status"`
	StatusReason             string         `json:"statusReason,omitempty"`
}

// ContainerImage is a container's image in a service revision.
type ContainerImage struct {
	ContainerName string `json:"containerName,omitempty"`
	Image         string `json:"image,omitempty"`
}

// ServiceRevision is the API shape of a service revision.
type ServiceRevision struct {
	ServiceRevisionArn       string                         `json:"serviceRevisionArn"`
	ServiceArn               string                         `json:"serviceArn"`
	ClusterArn               string                         `json:"clusterArn"`
	TaskDefinition           string                         `json:"taskDefinition"`
	CapacityProviderStrategy []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	LaunchType               string                         `json:"launchType,omitempty"`
	PlatformVersion          string                         `json:"platformVersion,omitempty"`
	LoadBalancers            []LoadBalancer                 `json:"loadBalancers,omitempty"`
	NetworkConfiguration     *NetworkConfiguration          `json:"networkConfiguration,omitempty"`
	ContainerImages          []ContainerImage               `json:"containerImages,omitempty"`
	GuardDutyEnabled         bool                           `json:"guardDutyEnabled"`
	CreatedAt                api.Timestamp                  `json:"createdAt"`
}

// CreatedAtFilter filters service deployments by creation time.
type CreatedAtFilter struct {
	Before *api.Timestamp `json:"before,omitempty"`
	After  *api.Timestamp `json:"after,omitempty"`
}

// ListServiceDeploymentsInput is the input of ListServiceDeployments.
type ListServiceDeploymentsInput struct {
	Service    *string          `json:"service,omitempty"`
	Cluster    *string          `json:"cluster,omitempty"`
	Status     []string         `json:"status,omitempty"`
	CreatedAt  *CreatedAtFilter `json:"createdAt,omitempty"`
	NextToken  *string          `json:"nextToken,omitempty"`
	MaxResults *int32           `json:"maxResults,omitempty"`
}

// ListServiceDeploymentsOutput is the output of ListServiceDeployments.
type ListServiceDeploymentsOutput struct {
	ServiceDeployments []ServiceDeploymentBrief `json:"serviceDeployments"`
	NextToken          *string                  `json:"nextToken,omitempty"`
}

// DescribeServiceDeploymentsInput is the input of DescribeServiceDeployments.
type DescribeServiceDeploymentsInput struct {
	ServiceDeploymentArns []string `json:"serviceDeploymentArns,omitempty"`
}

// DescribeServiceDeploymentsOutput is the output of DescribeServiceDeployments.
type DescribeServiceDeploymentsOutput struct {
	ServiceDeployments []ServiceDeployment `json:"serviceDeployments"`
	Failures           []Failure           `json:"failures"`
}

// DescribeServiceRevisionsInput is the input of DescribeServiceRevisions.
type DescribeServiceRevisionsInput struct {
	ServiceRevisionArns []string `json:"serviceRevisionArns,omitempty"`
}

// DescribeServiceRevisionsOutput is the output of DescribeServiceRevisions.
type DescribeServiceRevisionsOutput struct {
	ServiceRevisions []ServiceRevision `json:"serviceRevisions"`
	Failures         []Failure         `json:"failures"`
}

// StopServiceDeploymentInput is the input of StopServiceDeployment.
type StopServiceDeploymentInput struct {
	ServiceDeploymentArn *string `json:"serviceDeploymentArn,omitempty"`
	StopType             *string `json:"stopType,omitempty"`
}

// StopServiceDeploymentOutput is the output of StopServiceDeployment.
type StopServiceDeploymentOutput struct {
	ServiceDeploymentArn string `json:"serviceDeploymentArn"`
}

// registerDeploymentActions adds the service deployments API and task
// protection to t.
func (m *ECS) registerDeploymentActions(t *api.Table) {
	api.Register(t, "ecs:ListServiceDeployments", m.ListServiceDeployments)
	api.Register(t, "ecs:DescribeServiceDeployments", m.DescribeServiceDeployments)
	api.Register(t, "ecs:DescribeServiceRevisions", m.DescribeServiceRevisions)
	api.Register(t, "ecs:StopServiceDeployment", m.StopServiceDeployment)
	api.Register(t, "ecs:ContinueServiceDeployment", m.ContinueServiceDeployment)
	api.Register(t, "ecs:UpdateTaskProtection", m.UpdateTaskProtection)
	api.Register(t, "ecs:GetTaskProtection", m.GetTaskProtection)
}

// Limits of the service deployments API. [API:ListServiceDeploymentsRequest.maxResults]
// [API:DescribeServiceDeploymentsRequest.serviceDeploymentArns]
// [API:DescribeServiceRevisionsRequest.serviceRevisionArns]
const (
	listSDDefault = 20
	listSDMax     = 100
	describeSDMax = 20
)

func stamp(t sim.Time) *api.Timestamp {
	if t == 0 {
		return nil
	}
	ts := api.NewTimestamp(t.Time())
	return &ts
}

// ListServiceDeployments lists a service's deployments, newest first,
// filtered by status and creation time. [API:ListServiceDeployments]
func (m *ECS) ListServiceDeployments(in *ListServiceDeploymentsInput) (*ListServiceDeploymentsOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	s, err := m.findService(cl, in.Service)
	if err != nil {
		return nil, err
	}
	for _, st := range in.Status {
		switch st {
		case SDPending, SDSuccessful, SDStopped, SDStopRequested, SDInProgress, SDRollbackRequested, SDRollbackInProgress, SDRollbackSuccessful, SDRollbackFailed:
		default:
			return nil, api.InvalidParameter("Invalid status: %s.", st).At("status")
		}
	}
	var out []ServiceDeploymentBrief
	for i := len(s.sdList) - 1; i >= 0; i-- {
		sd := s.sdList[i]
		if len(in.Status) > 0 && !slices.Contains(in.Status, sd.status) {
			continue
		}
		if f := in.CreatedAt; f != nil {
			at := sd.createdAt.Time()
			if f.Before != nil && !at.Before(f.Before.Time) || f.After != nil && !at.After(f.After.Time) {
				continue
			}
		}
		out = append(out, ServiceDeploymentBrief{
			ServiceDeploymentArn: sd.arn, ServiceArn: s.arn, ClusterArn: s.cl.arn,
			StartedAt: stamp(sd.startedAt), CreatedAt: api.NewTimestamp(sd.createdAt.Time()), FinishedAt: stamp(sd.finishedAt),
			TargetServiceRevisionArn: sd.target.arn, Status: sd.status, StatusReason: sd.reason,
		})
	}
	max := in.MaxResults
	if max == nil {
		max = api.Int32(listSDDefault)
	}
	page, next, err := paginate(out, max, in.NextToken, listSDMax)
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = []ServiceDeploymentBrief{}
	}
	return &ListServiceDeploymentsOutput{ServiceDeployments: page, NextToken: next}, nil
}

// revisionCounts returns the tasks of s that run revision rev.
func (m *ECS) revisionCounts(s *service, rev *serviceRevision) (running, pending int32) {
	for _, t := range s.tasks {
		if t.dep == nil || t.dep.x.rev != rev || !t.active() {
			continue
		}
		switch {
		case t.last == StatusRunning:
			running++
		case t.pendingLike():
			pending++
		}
	}
	return running, pending
}

func (m *ECS) sdShape(sd *serviceDeployment) ServiceDeployment {
	s := sd.svc
	out := ServiceDeployment{
		ServiceDeploymentArn: sd.arn, ServiceArn: s.arn, ClusterArn: s.cl.arn,
		CreatedAt: api.NewTimestamp(sd.createdAt.Time()), StartedAt: stamp(sd.startedAt),
		FinishedAt: stamp(sd.finishedAt), StoppedAt: stamp(sd.stoppedAt), UpdatedAt: api.NewTimestamp(sd.updatedAt.Time()),
		Status: sd.status, StatusReason: sd.reason, Rollback: sd.rollback,
	}
	cfg := sd.cfg
	out.DeploymentConfiguration = &cfg
	live := sd.dep
	if sd.rollbackDep != nil {
		live = sd.rollbackDep
	}
	primary := len(s.deployments) > 0 && s.deployments[0] == live
	for _, rev := range sd.sources {
		r, p := m.revisionCounts(s, rev)
		req := int32(0)
		if primary && live.x.rev == rev {
			req = int32(s.desired)
		}
		out.SourceServiceRevisions = append(out.SourceServiceRevisions, ServiceRevisionSummary{Arn: rev.arn, RequestedTaskCount: req, RunningTaskCount: r, PendingTaskCount: p})
	}
	r, p := m.revisionCounts(s, sd.target)
	req := int32(0)
	if primary && live == sd.dep {
		req = int32(s.desired)
	}
	out.TargetServiceRevision = &ServiceRevisionSummary{Arn: sd.target.arn, RequestedTaskCount: req, RunningTaskCount: r, PendingTaskCount: p}
	// Failure detection: the circuit breaker and the alarms, each
	// DISABLED when not configured. [API:ServiceDeploymentCircuitBreaker]
	// [API:ServiceDeploymentAlarms]
	d := sd.dep
	cb := &ServiceDeploymentCircuitBreaker{Status: MonitorDisabled}
	if c := cfg.DeploymentCircuitBreaker; c != nil && c.Enable {
		cb.Status, cb.FailureCount, cb.Threshold = MonitorWatching, int32(d.failed), int32(d.threshold)
		switch {
		case d.rollout == RolloutFailed && (d.x.alarms == nil || len(d.x.alarms.triggered) == 0):
			cb.Status = MonitorTriggered
		case d.rollout != RolloutInProgress:
			cb.Status = MonitorComplete
		}
	}
	out.DeploymentCircuitBreaker = cb
	al := &ServiceDeploymentAlarms{Status: MonitorDisabled}
	if w := d.x.alarms; w != nil {
		al.Status, al.AlarmNames = MonitorWatching, w.cfg.AlarmNames
		switch {
		case len(w.triggered) > 0:
			al.Status, al.TriggeredAlarmNames = MonitorTriggered, w.triggered
		case d.rollout != RolloutInProgress || w.done:
			al.Status = MonitorComplete
		}
	} else if a := cfg.Alarms; a != nil {
		al.AlarmNames = a.AlarmNames
	}
	out.Alarms = al
	if run := d.x.bg; run != nil {
		out.LifecycleStage = run.stage
		out.LifecycleHookDetails = run.hookDetails()
	}
	return out
}

// DescribeServiceDeployments describes service deployments by ARN; an
// unknown ARN is a failure with reason MISSING.
// [API:DescribeServiceDeployments]
func (m *ECS) DescribeServiceDeployments(in *DescribeServiceDeploymentsInput) (*DescribeServiceDeploymentsOutput, error) {
	if len(in.ServiceDeploymentArns) == 0 {
		return nil, api.InvalidParameter("serviceDeploymentArns can not be empty.").At("serviceDeploymentArns")
	}
	if len(in.ServiceDeploymentArns) > describeSDMax {
		return nil, api.InvalidParameter("serviceDeploymentArns can have at most %d items.", describeSDMax).At("serviceDeploymentArns")
	}
	out := &DescribeServiceDeploymentsOutput{ServiceDeployments: []ServiceDeployment{}, Failures: []Failure{}}
	for _, arn := range in.ServiceDeploymentArns {
		sd, ok := m.sds.byArn[arn]
		if !ok {
			out.Failures = append(out.Failures, Failure{Arn: api.String(arn), Reason: api.String("MISSING")})
			continue
		}
		out.ServiceDeployments = append(out.ServiceDeployments, m.sdShape(sd))
	}
	return out, nil
}

// DescribeServiceRevisions describes service revisions by ARN; an
// unknown ARN is a failure with reason MISSING.
// [API:DescribeServiceRevisions]
func (m *ECS) DescribeServiceRevisions(in *DescribeServiceRevisionsInput) (*DescribeServiceRevisionsOutput, error) {
	if len(in.ServiceRevisionArns) == 0 {
		return nil, api.InvalidParameter("serviceRevisionArns can not be empty.").At("serviceRevisionArns")
	}
	if len(in.ServiceRevisionArns) > describeSDMax {
		return nil, api.InvalidParameter("serviceRevisionArns can have at most %d items.", describeSDMax).At("serviceRevisionArns")
	}
	out := &DescribeServiceRevisionsOutput{ServiceRevisions: []ServiceRevision{}, Failures: []Failure{}}
	for _, arn := range in.ServiceRevisionArns {
		rev, ok := m.sds.revs[arn]
		if !ok {
			out.Failures = append(out.Failures, Failure{Arn: api.String(arn), Reason: api.String("MISSING")})
			continue
		}
		sr := ServiceRevision{
			ServiceRevisionArn: rev.arn, ServiceArn: rev.svc.arn, ClusterArn: rev.svc.cl.arn,
			TaskDefinition: rev.td.TaskDefinitionArn, CapacityProviderStrategy: rev.strategy,
			PlatformVersion: rev.platform, LoadBalancers: rev.lbs, NetworkConfiguration: rev.net,
			CreatedAt: api.NewTimestamp(rev.createdAt.Time()),
		}
		if len(rev.strategy) == 0 {
			sr.LaunchType = rev.launch
		}
		for _, c := range rev.td.ContainerDefinitions {
			sr.ContainerImages = append(sr.ContainerImages, ContainerImage{ContainerName: api.Deref(c.Name), Image: api.Deref(c.Image)})
		}
		out.ServiceRevisions = append(out.ServiceRevisions, sr)
	}
	return out, nil
}

// StopServiceDeployment stops a service deployment that is in progress.
// ROLLBACK (the default) "rolls back the service deployment to the
// previous service revision", even without the rollback option; ABORT
// stops it where it is: the deployment launches no more tasks and the
// tasks of earlier revisions stay. [API:StopServiceDeployment]
func (m *ECS) StopServiceDeployment(in *StopServiceDeploymentInput) (*StopServiceDeploymentOutput, error) {
	arn := api.Deref(in.ServiceDeploymentArn)
	if arn == "" {
		return nil, api.InvalidParameter("serviceDeploymentArn can not be blank.").At("serviceDeploymentArn")
	}
	stopType := api.Deref(in.StopType)
	if stopType == "" {
		stopType = "ROLLBACK"
	}
	if stopType != "ROLLBACK" && stopType != "ABORT" {
		return nil, api.InvalidParameter("stopType must be ROLLBACK or ABORT.").At("stopType")
	}
	sd, ok := m.sds.byArn[arn]
	if !ok {
		return nil, api.Errorf(CodeServiceDeploymentNotFound, "The service deployment %s does not exist.", arn)
	}
	s, d := sd.svc, sd.dep
	if sd.status != SDInProgress || d.rollout != RolloutInProgress || len(s.deployments) == 0 || s.deployments[0] != d || s.status != ServiceActive {
		return nil, api.Errorf(CodeConflict, "The service deployment is not in progress and can't be stopped.")
	}
	if stopType == "ROLLBACK" && s.lastCompleted == nil {
		return nil, api.Errorf(CodeConflict, "The service has no completed service deployment to roll back to.")
	}
	now := m.eng.Now()
	d.rollout = RolloutFailed
	d.updatedAt = now
	if stopType == "ABORT" {
		d.reason = "ECS deployment " + d.id + " stopped by StopServiceDeployment."
		m.deploymentFailed(s, d, false)
		sd.reason = "Service deployment stopped by user."
		m.kick(s)
		return &StopServiceDeploymentOutput{ServiceDeploymentArn: sd.arn}, nil
	}
	d.reason = "ECS deployment " + d.id + " rolled back by StopServiceDeployment."
	m.deploymentFailed(s, d, true)
	sd.reason = "Service deployment rollback requested by user."
	m.rollBack(s, "ECS deployment rollback requested: rolling back to deploymentId "+s.lastCompleted.id+".")
	return &StopServiceDeploymentOutput{ServiceDeploymentArn: sd.arn}, nil
}
