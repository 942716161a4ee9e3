package ecs

import (
	"strconv"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Defaults the task runtime applies where a task definition is silent.
const (
	// defaultStopTimeout is how long the agent waits after the stop
	// signal before SIGKILL. [API:ContainerDefinition.stopTimeout] [AGENT]
	defaultStopTimeout = 30 * time.Second
	// defaultStartTimeout bounds how long a container waits for its
	// dependencies; the agent's ECS_CONTAINER_START_TIMEOUT default on
	// Linux. [AGENT] (AWS does not say which default Fargate applies; see
	// docs/fidelity.md.)
	defaultStartTimeout = 3 * time.Minute

	// Health check defaults. [API:HealthCheck]
	defaultHCInterval = 30 * time.Second
	defaultHCTimeout  = 5 * time.Second
	defaultHCRetries  = 3
)

// Dependency conditions. [API:ContainerDependency.condition]
const (
	condStart    = "START"
	condComplete = "COMPLETE"
	condSuccess  = "SUCCESS"
	condHealthy  = "HEALTHY"
)

// hcSpec is a container health check with defaults applied.
type hcSpec struct {
	interval, timeout, startPeriod time.Duration
	retries                        int
}

type depSpec struct {
	container int // index into taskSpec.containers
	condition string
}

// containerSpec is what the runtime needs of a container definition.
type containerSpec struct {
	name         string
	image        string
	essential    bool
	cpu          int32
	memory       *int32
	memoryRes    *int32
	hc           *hcSpec
	deps         []depSpec
	stopTimeout  time.Duration
	startTimeout time.Duration
	// cpuText and memoryText are cpu and memory as the API writes them
	// ("" when unset).
	cpuText, memoryText string
	// plain is set when name and image need no escaping in JSON.
	plain bool
	// cpuJSON, imageJSON and nameJSON are, for a plain spec, the parts of
	// a container's state in a task event that come from the spec, with
	// the text around them (see appendOwnContainer): `","cpu":"256"` (or
	// the closing quote of the container's ARN alone), `","image":"app:1",
	// "lastStatus":"` and `","memory":"512","name":"app"`.
	cpuJSON, imageJSON, nameJSON string
}

// taskSpec is the runtime view of a task definition, built once per
// definition and shared by its tasks.
type taskSpec struct {
	containers []containerSpec
	anyHC      bool // some essential container has a health check
	// essentialHC is how many essential containers have a health check:
	// a new task's count of checks not yet HEALTHY (see task.hcWaiting).
	essentialHC uint8

	// noOverridesJSON is the overrides object of its tasks that have no
	// overrides, built by the first event of one.
	noOverridesJSON []byte
}

func seconds(p *int32, def time.Duration) time.Duration {
	if p == nil {
		return def
	}
	return time.Duration(*p) * time.Second
}

// buildSpec derives the runtime view of td.
func buildSpec(td *TaskDefinition) *taskSpec {
	s := &taskSpec{containers: make([]containerSpec, len(td.ContainerDefinitions))}
	index := make(map[string]int, len(td.ContainerDefinitions))
	for i := range td.ContainerDefinitions {
		index[api.Deref(td.ContainerDefinitions[i].Name)] = i
	}
	for i := range td.ContainerDefinitions {
		cd := &td.ContainerDefinitions[i]
		cs := containerSpec{
			name:         api.Deref(cd.Name),
			image:        api.Deref(cd.Image),
			essential:    td.IsEssential(cd),
			cpu:          api.Deref(cd.Cpu),
			memory:       cd.Memory,
			memoryRes:    cd.MemoryReservation,
			stopTimeout:  seconds(cd.StopTimeout, defaultStopTimeout),
			startTimeout: seconds(cd.StartTimeout, defaultStartTimeout),
		}
		if cs.cpu > 0 {
			cs.cpuText = strconv.Itoa(int(cs.cpu))
		}
		if cs.memory != nil {
			cs.memoryText = strconv.Itoa(int(*cs.memory))
		}
		cs.plain = sim.JSONPlain(cs.name) && sim.JSONPlain(cs.image) &&
			sim.JSONPlain(cs.cpuText) && sim.JSONPlain(cs.memoryText)
		if cs.plain {
			cs.cpuJSON = `"`
			if cs.cpuText != "" {
				cs.cpuJSON = `","cpu":"` + cs.cpuText + `"`
			}
			cs.imageJSON = `","image":"` + cs.image + `","lastStatus":"`
			cs.nameJSON = `","name":"` + cs.name + `"`
			if cs.memoryText != "" {
				cs.nameJSON = `","memory":"` + cs.memoryText + cs.nameJSON
			}
		}
		if hc := cd.HealthCheck; hc != nil && len(hc.Command) > 0 {
			cs.hc = &hcSpec{
				interval:    seconds(hc.Interval, defaultHCInterval),
				timeout:     seconds(hc.Timeout, defaultHCTimeout),
				startPeriod: seconds(hc.StartPeriod, 0),
				retries:     int(api.Deref(hc.Retries)),
			}
			if hc.Retries == nil {
				cs.hc.retries = defaultHCRetries
			}
			if cs.essential {
				s.anyHC = true
				s.essentialHC++
			}
		}
		for _, d := range cd.DependsOn {
			if j, ok := index[api.Deref(d.ContainerName)]; ok {
				cs.deps = append(cs.deps, depSpec{container: j, condition: api.Deref(d.Condition)})
			}
		}
		s.containers[i] = cs
	}
	return s
}
