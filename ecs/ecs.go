package ecs

import (
	"regexp"
	"slices"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/catalog"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

// Config holds what the ECS model needs to know about its account.
type Config struct {
	// Region is the AWS region in ARNs, e.g. "us-east-1".
	Region string
	// AccountID is the 12-digit account in ARNs.
	AccountID string
	// Network is the VPC that awsvpc tasks attach to. Nil means
	// vpc.Default(Region): three subnets in three AZs.
	Network *vpc.Network
	// Behaviours says how containers of each image behave. Nil means
	// workload.NewBehaviours(): every image pulls, starts and passes its
	// health checks with realistic Fargate timings.
	Behaviours *workload.Behaviours
	// Platform holds the task-level Fargate timings (provisioning,
	// activating, deactivating, deprovisioning). The zero value means
	// workload.FargatePlatform().
	Platform *workload.Platform
	// TickHealthChecks runs every container health check as an event of
	// its own. By default the model computes when a container's health
	// will next change and schedules only that; both give the same trace.
	TickHealthChecks bool
	// Prices are the rates costs are computed with. Nil means
	// catalog.DefaultPrices().
	Prices *catalog.Prices
	// InstanceTypes is the EC2 instance type catalogue. Nil means
	// catalog.Default().
	InstanceTypes *catalog.Types
	// LoadBalancing is the Elastic Load Balancing that services with
	// loadBalancers use. Nil: no target group exists.
	LoadBalancing LoadBalancing
	// Alarms is the CloudWatch that alarm-gated deployments
	// (deploymentConfiguration.alarms) read alarm states from. Nil: no
	// alarm exists.
	Alarms Alarms
}

// ECS is the simulated ECS service of one account in one region.
type ECS struct {
	eng *sim.Engine
	cfg Config

	clusters *clusterStore
	defs     *registry

	net         *vpc.Network
	behav       *workload.Behaviours
	platform    workload.Platform
	imageFaults map[string]imageFault

	tasks map[string]*task // by task ID, until an hour after STOPPED
	// The same tasks in creation order, linked through their records:
	// a task leaves the list when it expires. See eachTask.
	taskHead, taskTail *task
	taskSeq            uint64
	// Records of expired tasks that nothing refers to any more, for
	// newTask to reuse; see expire.
	freeTasks []*task
	// The container records of the task record taskRecord just handed
	// out, for nameTask; reuseOne holds the usual single one.
	reuseContainers []*container
	reuseOne        [1]*container
	specs           map[*TaskDefinition]*taskSpec

	prices catalog.Prices
	types  *catalog.Types

	instances   map[string]*instance // by container instance ID
	asgs        map[string]*autoScalingGroup
	providers   map[string]*capacityProvider // Auto Scaling group providers by name
	instanceSeq uint64
	launchSeq   int
	costs       map[costKey]*Cost // finished tasks
	start       sim.Time

	// Stored handlers, so that scheduling does not allocate a closure.
	// Scratch space of reconcile passes; see beginPass.
	pass     passScratch
	passBusy bool
	// How simulated Lambda lifecycle hooks answer, by function ARN.
	hookBehaviour map[string]HookBehaviour
	// Scratch space of pickStops.
	picks pickScratch

	// Space for task events that nothing retains, see recordTask: the
	// scratch reused when the trace encodes at once, and a ring of slots
	// for the events it encodes later, on another goroutine.
	scratch    changeSlot
	changes    []*changeSlot
	nextChange int
	// changeSeqs are the sequence numbers of the slots' events, apart
	// from the slots (whose memory the encoder reads on the other core),
	// and encodedSeen the trace's Encoded when last asked: a slot whose
	// event is older needs no look at the encoder's progress, which the
	// other core keeps writing.
	changeSeqs  []int
	encodedSeen int

	scratchEvent      ServiceEventDetail
	scratchAction     ServiceAction
	scratchDeployment DeploymentStateChange
	// msgBuf builds service event messages; see tasksMessage.
	msgBuf []byte
	// idBuf builds a new task's identifiers; see nameTask.
	idBuf []byte
	// arnPrefix is "arn:aws:ecs:<region>:<account>:".
	arnPrefix string

	actTask, actContainer, actHealth, actCheck, actCheckDone, actHealthy, actReconcile, actSpot, actScaling sim.Action

	spot spotState

	scalingCW ScalingCloudWatch // managed scaling's CloudWatch; nil: none

	// The task behind each load balancer target that a service task
	// registered (for lookups only: never ranged over); each task keeps
	// its own targets (task.lbTargets).
	targetTask map[targetKey]*task

	sds       serviceDeployments   // service deployments and revisions by ARN
	protected map[*task]protection // scale-in protection of service tasks
}

// imageFault is a fault injected on an image: pulls failing, health
// checks failing from an instant on.
type imageFault struct {
	pullError    string
	healthFailAt sim.Time
}

// New returns an empty ECS model that runs on eng.
func New(eng *sim.Engine, cfg Config) *ECS {
	m := &ECS{
		eng:         eng,
		cfg:         cfg,
		clusters:    newClusterStore(),
		defs:        newRegistry(),
		net:         cfg.Network,
		behav:       cfg.Behaviours,
		imageFaults: map[string]imageFault{},
		tasks:       map[string]*task{},
		specs:       map[*TaskDefinition]*taskSpec{},
		costs:       map[costKey]*Cost{},
		start:       eng.Now(),
		prices:      catalog.DefaultPrices(),
		types:       cfg.InstanceTypes,
		instances:   map[string]*instance{},
		asgs:        map[string]*autoScalingGroup{},
		providers:   map[string]*capacityProvider{},
		targetTask:  map[targetKey]*task{},
	}
	if m.types == nil {
		m.types = catalog.Default()
	}
	if cfg.Prices != nil {
		m.prices = *cfg.Prices
	}
	if m.net == nil {
		m.net = vpc.Default(cfg.Region)
	}
	if m.behav == nil {
		m.behav = workload.NewBehaviours()
	}
	if cfg.Platform != nil {
		m.platform = *cfg.Platform
	} else {
		m.platform = workload.FargatePlatform()
	}
	m.arnPrefix = "arn:aws:ecs:" + cfg.Region + ":" + cfg.AccountID + ":"
	m.actTask = m.onTaskTimer
	m.actContainer = m.onContainerTimer
	m.actHealth = m.onHealthChange
	m.actCheck = m.onCheck
	m.actCheckDone = m.onCheckDone
	m.actHealthy = m.onHealthyTimer
	m.actReconcile = m.onReconcile
	m.actSpot = m.onSpotInterruption
	m.actScaling = m.onScalingTick
	return m
}

// Network returns the VPC model the tasks attach to.
func (m *ECS) Network() *vpc.Network { return m.net }

// Behaviours returns the container behaviours by image.
func (m *ECS) Behaviours() *workload.Behaviours { return m.behav }

// Register adds every ECS action to t as "ecs:<Action>".
func (m *ECS) Register(t *api.Table) {
	api.Register(t, "ecs:CreateCluster", m.CreateCluster)
	api.Register(t, "ecs:DescribeClusters", m.DescribeClusters)
	api.Register(t, "ecs:ListClusters", m.ListClusters)
	api.Register(t, "ecs:DeleteCluster", m.DeleteCluster)
	api.Register(t, "ecs:UpdateCluster", m.UpdateCluster)
	api.Register(t, "ecs:UpdateClusterSettings", m.UpdateClusterSettings)
	api.Register(t, "ecs:RunTask", m.RunTask)
	api.Register(t, "ecs:StopTask", m.StopTask)
	api.Register(t, "ecs:DescribeTasks", m.DescribeTasks)
	api.Register(t, "ecs:ListTasks", m.ListTasks)
	api.Register(t, "ecs:CreateService", m.CreateService)
	api.Register(t, "ecs:UpdateService", m.UpdateService)
	api.Register(t, "ecs:DeleteService", m.DeleteService)
	api.Register(t, "ecs:DescribeServices", m.DescribeServices)
	api.Register(t, "ecs:ListServices", m.ListServices)
	api.Register(t, "ecs:PutClusterCapacityProviders", m.PutClusterCapacityProviders)
	api.Register(t, "ecs:DescribeCapacityProviders", m.DescribeCapacityProviders)
	api.Register(t, "sim:SetSpotMarket", m.SetSpotMarket)
	api.Register(t, "sim:LaunchInstances", m.LaunchInstances)
	api.Register(t, "sim:CreateAutoScalingGroup", m.CreateAutoScalingGroup)
	api.Register(t, "sim:SetDesiredCapacity", m.SetDesiredCapacity)
	api.Register(t, "ecs:CreateCapacityProvider", m.CreateCapacityProvider)
	api.Register(t, "sim:TerminateInstance", m.TerminateInstance)
	api.Register(t, "ecs:RegisterContainerInstance", m.RegisterContainerInstance)
	api.Register(t, "ecs:DeregisterContainerInstance", m.DeregisterContainerInstance)
	api.Register(t, "ecs:DescribeContainerInstances", m.DescribeContainerInstances)
	api.Register(t, "ecs:ListContainerInstances", m.ListContainerInstances)
	api.Register(t, "ecs:UpdateContainerInstancesState", m.UpdateContainerInstancesState)
	api.Register(t, "ecs:PutAttributes", m.PutAttributes)
	api.Register(t, "ecs:DeleteAttributes", m.DeleteAttributes)
	api.Register(t, "ecs:ListAttributes", m.ListAttributes)
	api.Register(t, "sim:InterruptSpotTasks", m.InterruptSpotTasks)
	m.registerTaskDefinitionActions(t)
	m.registerFaultActions(t)
	m.registerWorldActions(t)
	m.registerDeploymentActions(t)
}

// arn returns "arn:aws:ecs:<region>:<account>:<resource>".
func (m *ECS) arn(resource string) string {
	return m.arnPrefix + resource
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
	CodeLimitExceeded                    = "LimitExceededException"
)

func clusterNotFound() *api.Error {
	return api.Errorf(CodeClusterNotFound, "Cluster not found.")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sortedKeys returns a map's keys in order, so iteration order never
// reaches a decision or an output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
