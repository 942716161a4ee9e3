package scenario

import (
	"encoding/json"
	"maps"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

// Defaults of a scenario file that leaves keys out.
const (
	// DefaultSeed seeds a scenario that names no seed (and is run without
	// --seed).
	DefaultSeed uint64 = 1
	// DefaultDuration is how long a scenario without a duration key runs,
	// unless one of its steps or expectations is later: then it runs until
	// the latest of them.
	DefaultDuration = time.Hour
)

// Scenario is a parsed scenario file: the world to build, the API calls
// to make at simulated times, and what should hold at given times. Build
// one with [Load], [LoadFS] or [Parse], which check everything that can be
// checked before the simulation starts; run it with [Run].
type Scenario struct {
	// File is the file name as it was given; positions name it.
	File string
	// Name names the scenario; the file name without extension when the
	// file says none.
	Name string
	// Description is a one-line summary, shown by `ecssim scenarios`.
	Description string
	// Params are the parameters of the params block, in file order, each
	// with the value the scenario was parsed with.
	Params []Param
	// Sweep is the file's sweep block: what `ecssim sweep` runs when its
	// flags do not say; nil when the file has none.
	Sweep *SweepDefaults
	// Seed seeds every random stream; [DefaultSeed] when the file says
	// none.
	Seed uint64
	// Start is the simulated wall-clock time at which the run begins;
	// [ecssim.DefaultStart] when the file says none.
	Start time.Time
	// Duration is how much simulated time the run covers.
	Duration time.Duration
	// Region and AccountID name the simulated account; empty means the
	// World's defaults (us-east-1, 123456789012).
	Region    string
	AccountID string
	// Subnets and SecurityGroups declare the VPC. Empty Subnets means a
	// default VPC with three subnets in three zones.
	Subnets        []vpc.Subnet
	SecurityGroups []vpc.SecurityGroup
	// Images says how containers of each image (exact name or glob
	// pattern) behave.
	Images map[string]workload.Image
	// Steps are the API calls, in file order.
	Steps []Step
	// Expect are the expectations, in file order.
	Expect []Expectation
	// Metrics are the metrics the file defines, in file order; runs
	// measure them after the built-in ones.
	Metrics []Metric
}

// Step is one API call of a scenario.
type Step struct {
	// Pos is where the step is written.
	Pos Pos
	// At is when the call is made, after the start of the run.
	At time.Duration
	// Call is the action name, e.g. "ecs:CreateService".
	Call string
	// Input is the call's JSON input: the inline input converted to JSON,
	// or the content of InputFile.
	Input json.RawMessage
	// InputFile is the input file as written, or "" for an inline input.
	InputFile string
	// Locate returns where a JSON path of Input ("containerDefinitions[1].image")
	// is written: in the scenario file for an inline input, in the input
	// file otherwise. It is nil when the input is empty.
	Locate func(path string) Pos
	// ExpectError, when set, is the AWS error code the call must fail
	// with; the run goes on either way.
	ExpectError string
}

// Expectation is one entry of a scenario's expect list: checks on one
// service at one time.
type Expectation struct {
	// Pos is where the entry is written.
	Pos Pos
	// At is when the checks are made.
	At time.Duration
	// Cluster and Service name the service ("demo/web" in the file;
	// cluster "default" when the file names only the service).
	Cluster, Service string
	// Alarm names the CloudWatch alarm of an alarm expectation
	// ({at: 40m, alarm: NAME, state: ALARM}); Cluster and Service are
	// then empty.
	Alarm string
	// Checks are the assertions, in file order.
	Checks []Check
}

// Subject returns "cluster/service", or "alarm NAME".
func (e *Expectation) Subject() string {
	if e.Alarm != "" {
		return "alarm " + e.Alarm
	}
	return e.Cluster + "/" + e.Service
}

// CheckKind says what a Check compares.
type CheckKind int

const (
	// CheckField compares a field of the DescribeServices service shape.
	CheckField CheckKind = iota
	// CheckDeployment compares a field of the PRIMARY deployment
	// (rolloutState, rolloutStateReason, failedTasks).
	CheckDeployment
	// CheckDeployments compares the number of deployments.
	CheckDeployments
	// CheckTasks compares the number of the service's tasks whose
	// lastStatus is Status.
	CheckTasks
	// CheckAlarmState compares the StateValue of a CloudWatch alarm (OK,
	// ALARM or INSUFFICIENT_DATA), as DescribeAlarms reports it.
	CheckAlarmState
)

// Check is one assertion of an expectation.
type Check struct {
	// Pos is where the assertion is written.
	Pos Pos
	// Kind says what is compared.
	Kind CheckKind
	// Field is the key as written ("runningCount", "deployments"), or
	// "tasks.<STATUS>" for task counts.
	Field string
	// Status is the lastStatus counted by a CheckTasks.
	Status string
	// Want is the expected value as JSON.
	Want json.RawMessage
}

// Config returns the World configuration the scenario describes.
func (s *Scenario) Config() ecssim.Config {
	return ecssim.Config{
		Seed:           s.Seed,
		Start:          s.Start,
		Region:         s.Region,
		AccountID:      s.AccountID,
		Subnets:        append([]vpc.Subnet(nil), s.Subnets...),
		SecurityGroups: append([]vpc.SecurityGroup(nil), s.SecurityGroups...),
		Images:         maps.Clone(s.Images),
	}
}
