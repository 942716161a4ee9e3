package ecs

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ecssim/ecssim/api"
)

// This file holds AWS's rules for RegisterTaskDefinition. Each rule names
// its source next to it, in the notation docs/fidelity.md explains:
// [API:Shape.member] for the ECS API model, [DG:page] for the Developer
// Guide, a URL for an error text observed in a public report. Rules whose
// wording or limit AWS does not publish say "(ecssim wording)" and are
// listed in docs/fidelity.md.
//
// The order of the checks matters where a document breaks several rules:
// AWS reports the first it finds, and the conformance corpus pins some of
// that order (a dependsOn error is reported before a memory sum error,
// invalid/001).

// Limits of task definitions.
const (
	// maxContainers is the most containers a task definition may have.
	// [DG:welcome-features]
	maxContainers = 10
	// maxNameLen bounds family, container and volume names.
	// [API:RegisterTaskDefinitionRequest.family] [API:ContainerDefinition.name]
	maxNameLen = 255
	// maxImageLen bounds an image reference (the part before '@' for a
	// digest). [API:ContainerDefinition.image]
	maxImageLen = 255
	// maxPlacementConstraints is the most constraints per task.
	// [API:RegisterTaskDefinitionRequest.placementConstraints]
	maxPlacementConstraints = 10
	// maxPortRanges is the most containerPortRange mappings per container.
	// [API:PortMapping.containerPortRange]
	maxPortRanges = 100
	// maxPortNameLen bounds a port mapping name. [API:PortMapping.name]
	maxPortNameLen = 64
	// maxEnvironmentFiles is the most environment files per container.
	// [API:ContainerDefinition.environmentFiles]
	maxEnvironmentFiles = 10
	// maxIgnoredExitCodes bounds restartPolicy.ignoredExitCodes.
	// [API:ContainerRestartPolicy.ignoredExitCodes]
	maxIgnoredExitCodes = 50
	// maxCredentialSpecs bounds credentialSpecs. [API:ContainerDefinition.credentialSpecs]
	maxCredentialSpecs = 1
)

// Health check ranges and defaults, in seconds (retries: a count).
// [API:HealthCheck]
const (
	healthIntervalMin, healthIntervalMax, healthIntervalDefault = 5, 300, 30
	healthTimeoutMin, healthTimeoutMax, healthTimeoutDefault    = 2, 60, 5
	healthRetriesMin, healthRetriesMax, healthRetriesDefault    = 1, 10, 3
	healthStartPeriodMin, healthStartPeriodMax                  = 0, 300
)

// Fargate container timeouts, in seconds. [API:ContainerDefinition.startTimeout/.stopTimeout]
const (
	fargateTimeoutMin, fargateTimeoutMax = 2, 120
)

// restartPolicy.restartAttemptPeriod range, in seconds.
// [API:ContainerRestartPolicy.restartAttemptPeriod]
const (
	restartPeriodMin, restartPeriodMax = 60, 1800
)

// ephemeralStorage.sizeInGiB range. [API:EphemeralStorage.sizeInGiB]
const (
	ephemeralMinGiB, ephemeralMaxGiB = 21, 200
)

// Enumerations of the API model. Botocore does not check enums before
// sending, so a wrong value reaches ECS and is rejected there.
var (
	// [API enum NetworkMode]
	networkModes = []string{NetworkModeBridge, NetworkModeHost, NetworkModeAwsvpc, NetworkModeNone}
	// [API enum Compatibility]
	compatibilities = []string{CompatibilityEC2, CompatibilityFargate, CompatibilityExternal, CompatibilityManagedInstances}
	// [API enum PidMode]
	pidModes = []string{"host", "task"}
	// [API enum IpcMode]
	ipcModes = []string{"host", "task", "none"}
	// [API enum CPUArchitecture]
	cpuArchitectures = []string{"X86_64", "ARM64"}
	// [API enum OSFamily]
	osFamilies = []string{
		"WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2016_FULL",
		"WINDOWS_SERVER_2004_CORE", "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2022_FULL",
		"WINDOWS_SERVER_2025_CORE", "WINDOWS_SERVER_2025_FULL", "WINDOWS_SERVER_20H2_CORE",
		"LINUX",
	}
	// [API enum TransportProtocol]
	protocols = []string{"tcp", "udp"}
	// [API enum ApplicationProtocol]
	appProtocols = []string{"http", "http2", "grpc"}
	// [API enum ContainerCondition]
	conditions = []string{ConditionStart, ConditionComplete, ConditionSuccess, ConditionHealthy}
	// [API enum LogDriver]
	logDrivers = []string{"json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"}
	// [API:LogConfiguration.logDriver]
	fargateLogs = []string{"awslogs", "splunk", "awsfirelens"}
	// [API enum UlimitName]
	ulimitNames = []string{
		"core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
		"nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
	}
	// [API enum FirelensConfigurationType]
	firelensTypes = []string{"fluentd", "fluentbit"}
	// [API enum ResourceType]
	resourceTypes = []string{"GPU", "InferenceAccelerator"}
	// [API enum EnvironmentFileType]
	envFileTypes = []string{"s3"}
	// [API enum VersionConsistency]
	versionConsist = []string{"enabled", "disabled"}
	// [API enum Scope]
	scopes = []string{"task", "shared"}
	// [API enum EFSTransitEncryption] [API enum EFSAuthorizationConfigIAM]
	enabledDisabled = []string{"ENABLED", "DISABLED"}
	// [API enum DeviceCgroupPermission]
	devicePerms = []string{"read", "write", "mknod"}
)

// awslogsRequired are the options the awslogs driver needs everywhere, in
// the order ECS lists them. [https://github.com/klothoplatform/klotho/issues/892]
var awslogsRequired = []string{"awslogs-region", "awslogs-group"}

// awslogsAllowed are the options ECS accepts for the awslogs driver: the
// documented awslogs options plus Docker's generic delivery options. Any
// other option is "disallowed" (invalid/010; awslogs-endpoint is reported
// as disallowed too). [API:LogConfiguration.options]
// [https://github.com/aws-samples/amazon-ecs-firelens-examples/issues/83]
var awslogsAllowed = []string{
	"awslogs-create-group", "awslogs-datetime-format", "awslogs-group",
	"awslogs-multiline-pattern", "awslogs-region", "awslogs-stream-prefix",
	"max-buffer-size", "mode",
}

var (
	// digestRE is the only digest form ECS accepts. [API:ContainerDefinition.image]
	digestRE = regexp.MustCompile(`^sha256:[A-Fa-f0-9]{64}$`)
	// ecrImageRE matches an image in a private Amazon ECR registry; use
	// isECRImage. [API:ContainerDefinition.image]
	ecrImageRE = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/`)
	// portNameRE is the charset of a port mapping name. [API:PortMapping.name]
	portNameRE = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]*$`)
	// portRangeRE is the form of containerPortRange. [API:PortMapping.containerPortRange]
	portRangeRE = regexp.MustCompile(`^([0-9]{1,5})-([0-9]{1,5})$`)
)

// isECRImage reports whether img is in a private Amazon ECR registry.
func isECRImage(img string) bool {
	return strings.Contains(img, ".dkr.ecr") && ecrImageRE.MatchString(img)
}

// isNameChars reports whether s holds only the characters of family,
// container and volume names: letters, digits, hyphens and underscores.
// [API:RegisterTaskDefinitionRequest.family] [API:ContainerDefinition.name]
func isNameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// isImageChars reports whether s is a non-empty run of the characters of
// an image reference: letters, digits, hyphens, underscores, colons,
// periods, slashes and number signs. [API:ContainerDefinition.image]
func isImageChars(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == ':' || c == '.' || c == '/' || c == '#') {
			return false
		}
	}
	return true
}

// tdCheck is the state of one validation of a RegisterTaskDefinition
// input against a set of launch types.
type tdCheck struct {
	in          *RegisterTaskDefinitionInput
	launchTypes []string
	fargate     bool
	windows     bool
	netMode     string // as given; "" when unset
	cpu, memory int    // task-level size, 0 when unset
	names       map[string]int
}

// taskDefSize is what validation learns about a task definition that
// registration keeps: its normalised size.
type taskDefSize struct {
	cpu, memory int
}

// validateTaskDefinition applies every modelled AWS rule to in, for each
// launch type of requiresCompatibilities (EC2 when none is listed), and
// returns the first violation as an *api.Error carrying the JSON path of
// the offending field.
func validateTaskDefinition(in *RegisterTaskDefinitionInput) (taskDefSize, error) {
	lts := in.RequiresCompatibilities
	if len(lts) == 0 {
		// ECS validates an unqualified definition as an EC2 one.
		// [API:RegisterTaskDefinitionRequest.requiresCompatibilities]
		lts = []string{CompatibilityEC2}
	}
	return checkTaskDefinition(in, lts)
}

// validForLaunchType reports whether a definition that registered also
// satisfies the rules of launch type lt; it decides compatibilities.
func validForLaunchType(in *RegisterTaskDefinitionInput, lt string) bool {
	_, err := checkTaskDefinition(in, []string{lt})
	return err == nil
}

func checkTaskDefinition(in *RegisterTaskDefinitionInput, lts []string) (taskDefSize, error) {
	v := &tdCheck{in: in, launchTypes: lts, netMode: api.Deref(in.NetworkMode)}
	v.fargate = slices.Contains(lts, CompatibilityFargate)
	if rp := in.RuntimePlatform; rp != nil {
		v.windows = strings.HasPrefix(api.Deref(rp.OperatingSystemFamily), "WINDOWS")
	}
	err := v.run()
	return taskDefSize{cpu: v.cpu, memory: v.memory}, err
}

func clientErr(path, format string, args ...any) *api.Error {
	return api.ClientException(format, args...).At(path)
}

// enumErr reports a value outside an API enumeration. (ecssim wording,
// after the "<field> should be one of [...]" form ECS uses for launchType.)
func enumErr(path, field, value string, allowed []string) *api.Error {
	return clientErr(path, "Invalid %s '%s'. %s should be one of [%s].", field, value, field, strings.Join(allowed, ","))
}

func cpath(i int, field string) string { return indexPath("containerDefinitions", i, field) }

func (v *tdCheck) run() error {
	// The order is the order of the checks; see the file comment.
	for step := 0; ; step++ {
		var err error
		switch step {
		case 0:
			err = v.family()
		case 1:
			err = v.containerCount()
		case 2:
			err = v.taskEnums()
		case 3:
			err = v.taskSize()
		case 4:
			err = v.launchTypeRules()
		case 5:
			err = v.containers()
		case 6:
			err = v.essential()
		case 7:
			err = v.references()
		case 8:
			err = v.memoryRules()
		case 9:
			err = v.cpuRules()
		case 10:
			err = v.volumes()
		case 11:
			err = v.placement()
		case 12:
			err = v.misc()
		default:
			return validateTags(v.in.Tags, "tags")
		}
		if err != nil {
			return err
		}
	}
}

// family: required, up to 255 letters, digits, hyphens, underscores.
func (v *tdCheck) family() error {
	f := v.in.Family
	switch {
	case f == nil || *f == "":
		// [https://github.com/aws-actions/amazon-ecs-deploy-task-definition/issues/630]
		return clientErr("family", "Family can not be blank.")
	case !isNameChars(*f):
		// [API:RegisterTaskDefinitionRequest.family] wording: [civitaspo/digdag-operator-ecs_task CHANGELOG.md] (observed)
		return clientErr("family", "Family contains invalid characters.")
	case len(*f) > maxNameLen:
		// (ecssim wording) [API:RegisterTaskDefinitionRequest.family]
		return clientErr("family", "Family must be up to %d letters (uppercase and lowercase), numbers, underscores, and hyphens.", maxNameLen)
	}
	return nil
}

func (v *tdCheck) containerCount() error {
	n := len(v.in.ContainerDefinitions)
	if n == 0 {
		// [https://github.com/awsdocs/aws-cloudformation-user-guide/pull/454]
		return clientErr("containerDefinitions", "Container list cannot be empty.")
	}
	if n > maxContainers {
		// (ecssim wording) [DG:welcome-features]
		return clientErr("containerDefinitions", "Too many containers: %d. A task definition can have at most %d containers.", n, maxContainers)
	}
	return nil
}

func (v *tdCheck) taskEnums() error {
	in := v.in
	if in.NetworkMode != nil && !slices.Contains(networkModes, *in.NetworkMode) {
		return enumErr("networkMode", "networkMode", *in.NetworkMode, networkModes)
	}
	for i, c := range in.RequiresCompatibilities {
		if !slices.Contains(compatibilities, c) {
			return enumErr(indexPath("requiresCompatibilities", i, ""), "requiresCompatibilities", c, compatibilities)
		}
	}
	if in.PidMode != nil && !slices.Contains(pidModes, *in.PidMode) {
		return enumErr("pidMode", "pidMode", *in.PidMode, pidModes)
	}
	if in.IpcMode != nil && !slices.Contains(ipcModes, *in.IpcMode) {
		return enumErr("ipcMode", "ipcMode", *in.IpcMode, ipcModes)
	}
	if rp := in.RuntimePlatform; rp != nil {
		if rp.CpuArchitecture != nil && !slices.Contains(cpuArchitectures, *rp.CpuArchitecture) {
			return enumErr("runtimePlatform.cpuArchitecture", "cpuArchitecture", *rp.CpuArchitecture, cpuArchitectures)
		}
		if rp.OperatingSystemFamily != nil && !slices.Contains(osFamilies, *rp.OperatingSystemFamily) {
			return enumErr("runtimePlatform.operatingSystemFamily", "operatingSystemFamily", *rp.OperatingSystemFamily, osFamilies)
		}
	}
	return nil
}

// taskSize parses the task-level cpu and memory. Any value that is not a
// size in one of the documented forms is an invalid setting (invalid/011:
// an empty string). [API:RegisterTaskDefinitionRequest.cpu/.memory]
// [DG:task-cpu-memory-error]
func (v *tdCheck) taskSize() error {
	if s := v.in.Cpu; s != nil {
		n, ok := parseTaskCPU(*s)
		if !ok || n < minTaskCPU || n > maxTaskCPU {
			return clientErr("cpu", "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.")
		}
		v.cpu = n
	}
	if s := v.in.Memory; s != nil {
		n, ok := parseTaskMemory(*s)
		if !ok {
			// The same wording for memory. (derived from the cpu message)
			return clientErr("memory", "Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.")
		}
		v.memory = n
	}
	return nil
}

// fargateUnsupported is the message for a parameter Fargate does not take.
// The form is ECS's for ipcMode
// [https://github.com/cn-terraform/terraform-aws-ecs-fargate/issues/2];
// the list of parameters is [DG:AWS_Fargate#fargate-task-defs] and the API
// model's member documentation.
func fargateUnsupported(path, param string) *api.Error {
	return clientErr(path, "Tasks using the Fargate launch type do not support %s.", param)
}

// launchTypeRules applies the task-level rules of each launch type the
// definition is validated against.
// [API:RegisterTaskDefinitionRequest.requiresCompatibilities]
func (v *tdCheck) launchTypeRules() error {
	in := v.in
	for _, lt := range v.launchTypes {
		switch lt {
		case CompatibilityFargate:
			if v.netMode != NetworkModeAwsvpc {
				// Typographic quotes as ECS prints them.
				// [https://github.com/aws/amazon-ecs-cli/issues/1145]
				return clientErr("networkMode", "Fargate only supports network mode \u2018awsvpc\u2019.")
			}
			// [https://github.com/klothoplatform/klotho/issues/892]
			if in.Cpu == nil {
				return clientErr("cpu", "Fargate requires that 'cpu' be defined at the task level.")
			}
			if in.Memory == nil {
				return clientErr("memory", "Fargate requires that 'memory' be defined at the task level.")
			}
			// [API:RegisterTaskDefinitionRequest.memory] [DG:AWS_Fargate]
			// wording: [https://github.com/aws-games/cloud-game-development-toolkit/issues/737]
			if !validFargatePair(v.cpu, v.memory, v.windows) {
				return clientErr("cpu", "No Fargate configuration exists for given values: %d CPU, %d memory. See the Amazon ECS documentation for the valid values.", v.cpu, v.memory)
			}
			if api.Deref(in.PidMode) == "host" {
				// [API:RegisterTaskDefinitionRequest.pidMode]; wording as
				// moto reproduces it (getmoto/moto tests/test_ecs).
				return clientErr("pidMode", "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.")
			}
			if in.IpcMode != nil {
				// [API:RegisterTaskDefinitionRequest.ipcMode]
				return fargateUnsupported("ipcMode", "ipcMode")
			}
			if len(in.PlacementConstraints) > 0 {
				// [API:TaskDefinitionPlacementConstraint]
				return fargateUnsupported("placementConstraints", "placementConstraints")
			}
			if len(in.InferenceAccelerators) > 0 {
				return fargateUnsupported("inferenceAccelerators", "inferenceAccelerators")
			}
		case CompatibilityExternal:
			if v.netMode == NetworkModeAwsvpc {
				// ECS Anywhere runs bridge, host and none only.
				// (ecssim wording) [DG:ecs-anywhere]
				return clientErr("networkMode", "Tasks using the EXTERNAL launch type do not support network mode 'awsvpc'.")
			}
		case CompatibilityEC2:
			if in.EphemeralStorage != nil {
				// [API:EphemeralStorage] wording as quoted by a CloudFormation
				// linter rule (observed second-hand).
				return clientErr("ephemeralStorage", "Tasks using the EC2 launch type do not support EphemeralStorage.")
			}
		}
	}
	if es := in.EphemeralStorage; es != nil {
		n := api.Deref(es.SizeInGiB)
		if es.SizeInGiB == nil || n < ephemeralMinGiB || n > ephemeralMaxGiB {
			// (ecssim wording) [API:EphemeralStorage.sizeInGiB]
			return clientErr("ephemeralStorage.sizeInGiB", "Invalid 'ephemeralStorage.sizeInGiB' setting for task: the size must be between %d and %d GiB.", ephemeralMinGiB, ephemeralMaxGiB)
		}
	}
	return nil
}

// containers checks each container on its own, in order.
func (v *tdCheck) containers() error {
	v.names = make(map[string]int, len(v.in.ContainerDefinitions))
	for i := range v.in.ContainerDefinitions {
		if err := v.container(i, &v.in.ContainerDefinitions[i]); err != nil {
			return err
		}
	}
	return nil
}

func (v *tdCheck) container(i int, c *ContainerDefinition) error {
	// Name. [API:ContainerDefinition.name]
	switch name := api.Deref(c.Name); {
	case name == "":
		// [https://github.com/hashicorp/terraform/issues/2888]
		return clientErr(cpath(i, "name"), "Container.name should not be null or empty.")
	case !isNameChars(name):
		// [https://github.com/ansible/ansible/issues/22860]
		return clientErr(cpath(i, "name"), "Container.name contains invalid characters.")
	case len(name) > maxNameLen:
		// (ecssim wording)
		return clientErr(cpath(i, "name"), "Container.name must be up to %d letters (uppercase and lowercase), numbers, underscores, and hyphens.", maxNameLen)
	default:
		if _, dup := v.names[name]; dup {
			// [https://github.com/Shippable/support/issues/2946]
			return clientErr(cpath(i, "name"), "Container names must be unique within a Task Definition.")
		}
		v.names[name] = i
	}
	name := *c.Name
	if err := v.image(i, c); err != nil {
		return err
	}
	if err := v.containerResources(i, c, name); err != nil {
		return err
	}
	if err := v.portMappings(i, c, name); err != nil {
		return err
	}
	if err := v.containerNetworking(i, c); err != nil {
		return err
	}
	if err := v.logConfiguration(i, c); err != nil {
		return err
	}
	if err := v.healthCheck(i, c, name); err != nil {
		return err
	}
	if err := v.secrets(i, c); err != nil {
		return err
	}
	if err := v.containerMisc(i, c, name); err != nil {
		return err
	}
	return v.fargateContainer(i, c)
}

func (v *tdCheck) image(i int, c *ContainerDefinition) error {
	img := api.Deref(c.Image)
	if img == "" {
		// [https://github.com/aws-actions/amazon-ecs-render-task-definition/issues/87]
		return clientErr(cpath(i, "image"), "Container.image should not be null or empty.")
	}
	repo, digest, hasDigest := strings.Cut(img, "@")
	if !isImageChars(repo) || (hasDigest && strings.Contains(digest, "@")) {
		// [API:ContainerDefinition.image] wording observed in a CI report
		// ("Container.image contains invalid characters", image "$IMAGE_NAME").
		return clientErr(cpath(i, "image"), "Container.image contains invalid characters.")
	}
	if utf8.RuneCountInString(repo) > maxImageLen {
		// (ecssim wording) [API:ContainerDefinition.image]
		return clientErr(cpath(i, "image"), "Container.image should not be longer than %d characters.", maxImageLen)
	}
	if hasDigest && !digestRE.MatchString(digest) {
		// (ecssim wording) [API:ContainerDefinition.image]
		return clientErr(cpath(i, "image"), "Container.image has an invalid digest: the only supported hash function is sha256, followed by exactly 64 hexadecimal characters.")
	}
	if v.fargate && isECRImage(img) && api.Deref(v.in.ExecutionRoleArn) == "" {
		// [DG:task_execution_IAM_role]
		// [https://github.com/virtual-kubelet/virtual-kubelet/issues/193]
		return clientErr("executionRoleArn", "Fargate requires task definition to have execution role ARN to support ECR images.")
	}
	return nil
}

// invalidSetting is ECS's form for a bad container field, as reported for
// containerPort (invalid/002) [https://github.com/aws/aws-cli/issues/7288].
func invalidSetting(path, field, container string) *api.Error {
	return clientErr(path, "Invalid '%s' setting for container '%s'.", field, container)
}

// containerResources checks the container's own cpu and memory values; the
// rules that relate them to the task come later (memoryRules, cpuRules).
func (v *tdCheck) containerResources(i int, c *ContainerDefinition, name string) error {
	// [API:ContainerDefinition.cpu]: any value may be given; negative
	// numbers are not CPU shares. (ecssim: rejects negatives)
	if c.Cpu != nil && *c.Cpu < 0 {
		return invalidSetting(cpath(i, "cpu"), "cpu", name)
	}
	if c.Memory != nil && *c.Memory < 0 {
		return invalidSetting(cpath(i, "memory"), "memory", name)
	}
	if c.MemoryReservation != nil && *c.MemoryReservation < 0 {
		return invalidSetting(cpath(i, "memoryReservation"), "memoryReservation", name)
	}
	m, r := api.Deref(c.Memory), api.Deref(c.MemoryReservation)
	if m > 0 && r > 0 && m <= r {
		// "If you specify both, memory must be greater than
		// memoryReservation." [API:ContainerDefinition.memoryReservation]
		// (ecssim wording, in the form of the observed memory message)
		return clientErr(cpath(i, "memoryReservation"), "Invalid setting for container '%s'. 'memory' must be greater than 'memoryReservation'.", name)
	}
	return nil
}

// effectiveNetworkMode is the mode the port rules apply: bridge when none
// is given (Linux EC2's default; Windows "default" behaves alike for port
// mappings). [API:RegisterTaskDefinitionRequest.networkMode]
func (v *tdCheck) effectiveNetworkMode() string {
	if v.netMode == "" {
		return NetworkModeBridge
	}
	return v.netMode
}

func (v *tdCheck) portMappings(i int, c *ContainerDefinition, name string) error {
	mode := v.effectiveNetworkMode()
	if len(c.PortMappings) > 0 && mode == NetworkModeNone {
		// [API:ContainerDefinition.portMappings] (ecssim wording)
		return clientErr(cpath(i, "portMappings"), "Port mappings are not supported when networkMode=none.")
	}
	type span struct{ lo, hi, j int }
	var used []span
	ranges := 0
	for j, pm := range c.PortMappings {
		p := fmt.Sprintf("%s[%d]", cpath(i, "portMappings"), j)
		if pm.Protocol != nil && !slices.Contains(protocols, *pm.Protocol) {
			return enumErr(p+".protocol", "protocol", *pm.Protocol, protocols)
		}
		if pm.AppProtocol != nil && !slices.Contains(appProtocols, *pm.AppProtocol) {
			return enumErr(p+".appProtocol", "appProtocol", *pm.AppProtocol, appProtocols)
		}
		if pm.Name != nil {
			// [API:PortMapping.name] (ecssim wording)
			n := *pm.Name
			if len(n) > maxPortNameLen || !portNameRE.MatchString(n) {
				return clientErr(p+".name", "Invalid port mapping name '%s' in container '%s': up to %d lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.", n, name, maxPortNameLen)
			}
		}
		var lo, hi int
		if pm.ContainerPortRange != nil {
			// [API:PortMapping.containerPortRange] (ecssim wording)
			if pm.ContainerPort != nil || pm.HostPort != nil {
				return clientErr(p+".containerPortRange", "Invalid port mapping in container '%s': a containerPortRange takes neither containerPort nor hostPort.", name)
			}
			if mode != NetworkModeBridge && mode != NetworkModeAwsvpc {
				return clientErr(p+".containerPortRange", "containerPortRange is only supported when networkMode=bridge or networkMode=awsvpc.")
			}
			m := portRangeRE.FindStringSubmatch(*pm.ContainerPortRange)
			if m == nil {
				return invalidSetting(p+".containerPortRange", "containerPortRange", name)
			}
			lo, _ = strconv.Atoi(m[1])
			hi, _ = strconv.Atoi(m[2])
			if lo < 1 || hi > 65535 || lo >= hi {
				return invalidSetting(p+".containerPortRange", "containerPortRange", name)
			}
			if ranges++; ranges > maxPortRanges {
				return clientErr(p+".containerPortRange", "Too many containerPortRange mappings in container '%s': at most %d.", name, maxPortRanges)
			}
		} else {
			// A mapping needs a container port (invalid/002).
			// [https://github.com/aws/aws-cli/issues/7288]
			cp := api.Deref(pm.ContainerPort)
			if pm.ContainerPort == nil || cp < 1 || cp > 65535 {
				return invalidSetting(p+".containerPort", "containerPort", name)
			}
			if pm.HostPort != nil {
				hp := *pm.HostPort
				if hp < 0 || hp > 65535 {
					return invalidSetting(p+".hostPort", "hostPort", name)
				}
				// awsvpc and host: hostPort omitted or equal to containerPort.
				// [API:ContainerDefinition.portMappings] [API:PortMapping]
				// wording: [https://github.com/aws/amazon-ecs-cli/issues/1014]
				if (mode == NetworkModeAwsvpc || mode == NetworkModeHost) && hp != cp {
					return clientErr(p+".hostPort", "When networkMode=%s, the host ports and container ports in port mappings must match.", mode)
				}
			}
			lo, hi = int(cp), int(cp)
		}
		// "A port can only be included in one port mapping per container";
		// "You can't expose the same container port for multiple protocols."
		// [API:PortMapping] [API:PortMapping.containerPortRange] (ecssim wording)
		for _, u := range used {
			if lo <= u.hi && u.lo <= hi {
				return clientErr(p, "Container port %d of container '%s' is already mapped by portMappings[%d]; a port can only be included in one port mapping per container.", max(lo, u.lo), name, u.j)
			}
		}
		used = append(used, span{lo, hi, j})
	}
	return nil
}

// containerNetworking applies the network-mode restrictions of links,
// hostname and extraHosts. [API:ContainerDefinition.links/.hostname/.extraHosts]
func (v *tdCheck) containerNetworking(i int, c *ContainerDefinition) error {
	mode := v.effectiveNetworkMode()
	if len(c.Links) > 0 && mode != NetworkModeBridge {
		// (ecssim wording)
		return clientErr(cpath(i, "links"), "Links are not supported when networkMode=%s. Links require networkMode=bridge.", mode)
	}
	if c.Hostname != nil && mode == NetworkModeAwsvpc {
		return clientErr(cpath(i, "hostname"), "The hostname parameter is not supported when networkMode=awsvpc.")
	}
	if len(c.ExtraHosts) > 0 && mode == NetworkModeAwsvpc {
		return clientErr(cpath(i, "extraHosts"), "The extraHosts parameter is not supported when networkMode=awsvpc.")
	}
	for j, h := range c.ExtraHosts {
		if h.Hostname == nil || h.IpAddress == nil {
			return requiredErr(fmt.Sprintf("%s[%d]", cpath(i, "extraHosts"), j), "hostname", "ipAddress")
		}
	}
	return nil
}

// requiredErr reports a required member left out; the AWS CLI reports it
// before sending ("Missing required parameter in <path>: \"<member>\""),
// and ecssim uses that wording. [API model "required" lists]
func requiredErr(path string, members ...string) *api.Error {
	return clientErr(path, "Missing required parameter in %s: %q", path, strings.Join(members, "\", \""))
}

func (v *tdCheck) logConfiguration(i int, c *ContainerDefinition) error {
	lc := c.LogConfiguration
	if lc == nil {
		return nil
	}
	p := cpath(i, "logConfiguration")
	if lc.LogDriver == nil {
		return requiredErr(p, "logDriver")
	}
	driver := *lc.LogDriver
	if !slices.Contains(logDrivers, driver) {
		return enumErr(p+".logDriver", "logDriver", driver, logDrivers)
	}
	if v.fargate && !slices.Contains(fargateLogs, driver) {
		// [API:LogConfiguration.logDriver] (ecssim wording, after the
		// network mode message)
		return clientErr(p+".logDriver", "Fargate only supports log drivers awslogs, splunk and awsfirelens.")
	}
	for j, s := range lc.SecretOptions {
		if s.Name == nil || s.ValueFrom == nil {
			return requiredErr(fmt.Sprintf("%s.secretOptions[%d]", p, j), "name", "valueFrom")
		}
	}
	if len(lc.SecretOptions) > 0 && api.Deref(v.in.ExecutionRoleArn) == "" {
		// Log secrets are fetched with the execution role like container
		// secrets. [DG:task_execution_IAM_role] (derived; wording as for
		// container secrets)
		return clientErr("executionRoleArn", "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.")
	}
	if driver != "awslogs" {
		return nil
	}
	// awslogs. [API:LogConfiguration.options]
	var missing []string
	for _, k := range awslogsRequired {
		if _, ok := lc.Options[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		// [https://github.com/klothoplatform/klotho/issues/892]
		return clientErr(p+".options", "Log driver awslogs requires options: %s", strings.Join(missing, ", "))
	}
	var bad []string
	for k := range lc.Options {
		if !slices.Contains(awslogsAllowed, k) {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		// invalid/010 [https://github.com/aws-samples/amazon-ecs-firelens-examples/issues/83]
		return clientErr(p+".options", "Log driver awslogs disallows options: %s", strings.Join(bad, ", "))
	}
	if v.fargate {
		if api.Deref(v.in.ExecutionRoleArn) == "" {
			// invalid/005 [https://github.com/virtual-kubelet/virtual-kubelet/issues/193]
			return clientErr("executionRoleArn", "Fargate requires task definition to have execution role ARN to support log driver awslogs.")
		}
		if _, ok := lc.Options["awslogs-stream-prefix"]; !ok {
			// "Required: Yes, when using Fargate." [API:LogConfiguration.options]
			// [https://github.com/aws/aws-cdk/issues/1422]
			return clientErr(p+".options", "Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs.")
		}
	}
	return nil
}

// healthCheck: a command starting CMD or CMD-SHELL and values within the
// documented ranges. [API:HealthCheck] (ecssim wording for every message)
func (v *tdCheck) healthCheck(i int, c *ContainerDefinition, name string) error {
	hc := c.HealthCheck
	if hc == nil {
		return nil
	}
	p := cpath(i, "healthCheck")
	if len(hc.Command) == 0 {
		return requiredErr(p, "command")
	}
	if hc.Command[0] != "CMD" && hc.Command[0] != "CMD-SHELL" {
		return clientErr(p+".command", "Invalid health check command for container '%s': the command must start with CMD or CMD-SHELL.", name)
	}
	bounds := []struct {
		field    string
		val      *int32
		min, max int32
		unit     string
	}{
		{"interval", hc.Interval, healthIntervalMin, healthIntervalMax, " seconds"},
		{"timeout", hc.Timeout, healthTimeoutMin, healthTimeoutMax, " seconds"},
		{"retries", hc.Retries, healthRetriesMin, healthRetriesMax, ""},
		{"startPeriod", hc.StartPeriod, healthStartPeriodMin, healthStartPeriodMax, " seconds"},
	}
	for _, b := range bounds {
		if b.val != nil && (*b.val < b.min || *b.val > b.max) {
			return clientErr(p+"."+b.field, "Invalid 'healthCheck.%s' setting for container '%s': %d. Valid values are %d to %d%s.", b.field, name, *b.val, b.min, b.max, b.unit)
		}
	}
	return nil
}

// secrets need the task execution role; so does an empty secrets list,
// which ECS treats as secrets being specified.
// [DG:task_execution_IAM_role] wording and the empty-list behaviour:
// hashicorp terraform module comment ("empty lists in the container
// definition cause: ClientException: When you are specifying container
// secrets, you must also specify a value for 'executionRoleArn'.")
func (v *tdCheck) secrets(i int, c *ContainerDefinition) error {
	for j, s := range c.Secrets {
		if s.Name == nil || s.ValueFrom == nil {
			return requiredErr(fmt.Sprintf("%s[%d]", cpath(i, "secrets"), j), "name", "valueFrom")
		}
	}
	if c.Secrets != nil && api.Deref(v.in.ExecutionRoleArn) == "" {
		return clientErr("executionRoleArn", "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.")
	}
	return nil
}

// containerMisc checks the remaining container members against their
// enumerations, required members and documented limits.
func (v *tdCheck) containerMisc(i int, c *ContainerDefinition, name string) error {
	if rc := c.RepositoryCredentials; rc != nil && rc.CredentialsParameter == nil {
		return requiredErr(cpath(i, "repositoryCredentials"), "credentialsParameter")
	}
	if rp := c.RestartPolicy; rp != nil {
		p := cpath(i, "restartPolicy")
		if rp.Enabled == nil {
			return requiredErr(p, "enabled")
		}
		if n := rp.RestartAttemptPeriod; n != nil && (*n < restartPeriodMin || *n > restartPeriodMax) {
			// [API:ContainerRestartPolicy.restartAttemptPeriod] (ecssim wording)
			return clientErr(p+".restartAttemptPeriod", "Invalid 'restartPolicy.restartAttemptPeriod' setting for container '%s': %d. Valid values are %d to %d seconds.", name, *n, restartPeriodMin, restartPeriodMax)
		}
		if len(rp.IgnoredExitCodes) > maxIgnoredExitCodes {
			return clientErr(p+".ignoredExitCodes", "Too many ignoredExitCodes for container '%s': at most %d.", name, maxIgnoredExitCodes)
		}
	}
	if len(c.EnvironmentFiles) > maxEnvironmentFiles {
		// [API:ContainerDefinition.environmentFiles] (ecssim wording)
		return clientErr(cpath(i, "environmentFiles"), "Too many environment files for container '%s': at most %d.", name, maxEnvironmentFiles)
	}
	for j, ef := range c.EnvironmentFiles {
		p := fmt.Sprintf("%s[%d]", cpath(i, "environmentFiles"), j)
		if ef.Value == nil || ef.Type == nil {
			return requiredErr(p, "value", "type")
		}
		if !slices.Contains(envFileTypes, *ef.Type) {
			return enumErr(p+".type", "type", *ef.Type, envFileTypes)
		}
		if !strings.HasSuffix(*ef.Value, ".env") {
			// "The file must have a .env file extension." (ecssim wording)
			return clientErr(p+".value", "Invalid environment file '%s' for container '%s': the file must have a .env file extension.", *ef.Value, name)
		}
	}
	if c.VersionConsistency != nil && !slices.Contains(versionConsist, *c.VersionConsistency) {
		return enumErr(cpath(i, "versionConsistency"), "versionConsistency", *c.VersionConsistency, versionConsist)
	}
	for j, d := range c.DependsOn {
		p := fmt.Sprintf("%s[%d]", cpath(i, "dependsOn"), j)
		if d.ContainerName == nil || d.Condition == nil {
			return requiredErr(p, "containerName", "condition")
		}
		if !slices.Contains(conditions, *d.Condition) {
			return enumErr(p+".condition", "condition", *d.Condition, conditions)
		}
	}
	for j, u := range c.Ulimits {
		p := fmt.Sprintf("%s[%d]", cpath(i, "ulimits"), j)
		if u.Name == nil || u.SoftLimit == nil || u.HardLimit == nil {
			return requiredErr(p, "name", "softLimit", "hardLimit")
		}
		if !slices.Contains(ulimitNames, *u.Name) {
			return enumErr(p+".name", "ulimit name", *u.Name, ulimitNames)
		}
	}
	for j, r := range c.ResourceRequirements {
		p := fmt.Sprintf("%s[%d]", cpath(i, "resourceRequirements"), j)
		if r.Value == nil || r.Type == nil {
			return requiredErr(p, "value", "type")
		}
		if !slices.Contains(resourceTypes, *r.Type) {
			return enumErr(p+".type", "type", *r.Type, resourceTypes)
		}
		if *r.Type == "GPU" {
			// "the number of physical GPUs" [API:ResourceRequirement.value] (ecssim wording)
			if n, ok := parseUint(*r.Value); !ok || n == 0 {
				return clientErr(p+".value", "Invalid GPU resource requirement '%s' for container '%s': the value must be a positive whole number of GPUs.", *r.Value, name)
			}
		}
	}
	if fc := c.FirelensConfiguration; fc != nil {
		p := cpath(i, "firelensConfiguration")
		if fc.Type == nil {
			return requiredErr(p, "type")
		}
		if !slices.Contains(firelensTypes, *fc.Type) {
			return enumErr(p+".type", "type", *fc.Type, firelensTypes)
		}
		if v.fargate {
			if t, ok := fc.Options["config-file-type"]; ok && t != "file" {
				// "Tasks hosted on Fargate only support the file
				// configuration file type." [API:FirelensConfiguration.options]
				return clientErr(p+".options", "Tasks using the Fargate launch type only support the config-file-type 'file' for FireLens.")
			}
		}
	}
	if len(c.CredentialSpecs) > maxCredentialSpecs {
		// [API:ContainerDefinition.credentialSpecs] (ecssim wording)
		return clientErr(cpath(i, "credentialSpecs"), "Too many credentialSpecs for container '%s': at most %d.", name, maxCredentialSpecs)
	}
	if lp := c.LinuxParameters; lp != nil {
		p := cpath(i, "linuxParameters")
		for j, d := range lp.Devices {
			if d.HostPath == nil {
				return requiredErr(fmt.Sprintf("%s.devices[%d]", p, j), "hostPath")
			}
			for k, perm := range d.Permissions {
				if !slices.Contains(devicePerms, perm) {
					return enumErr(fmt.Sprintf("%s.devices[%d].permissions[%d]", p, j, k), "permission", perm, devicePerms)
				}
			}
		}
		for j, t := range lp.Tmpfs {
			if t.ContainerPath == nil || t.Size == nil {
				return requiredErr(fmt.Sprintf("%s.tmpfs[%d]", p, j), "containerPath", "size")
			}
		}
		if s := lp.Swappiness; s != nil && (*s < 0 || *s > 100) {
			// "Accepted values are whole numbers between 0 and 100."
			// [API:LinuxParameters.swappiness]
			return clientErr(p+".swappiness", "Invalid 'linuxParameters.swappiness' setting for container '%s': %d. Valid values are 0 to 100.", name, *s)
		}
		if s := lp.MaxSwap; s != nil && *s < 0 {
			// "Accepted values are 0 or any positive integer." [API:LinuxParameters.maxSwap]
			return clientErr(p+".maxSwap", "Invalid 'linuxParameters.maxSwap' setting for container '%s': %d. Valid values are 0 or any positive integer.", name, *s)
		}
	}
	for _, f := range []struct {
		field string
		val   *int32
	}{{"startTimeout", c.StartTimeout}, {"stopTimeout", c.StopTimeout}} {
		if f.val == nil {
			continue
		}
		if v.fargate && (*f.val < fargateTimeoutMin || *f.val > fargateTimeoutMax) {
			// "The valid values for Fargate are 2-120 seconds."
			// [API:ContainerDefinition.startTimeout/.stopTimeout] (ecssim wording)
			return clientErr(cpath(i, f.field), "Invalid '%s' setting for container '%s': %d. Valid values for Fargate are %d to %d seconds.", f.field, name, *f.val, fargateTimeoutMin, fargateTimeoutMax)
		}
		if *f.val < 0 {
			return invalidSetting(cpath(i, f.field), f.field, name)
		}
	}
	return nil
}

// fargateContainer applies the container parameters Fargate does not
// support. Only a value that asks for the feature counts (true, a non-empty
// list), since exported definitions carry false and [] for unset members.
// [DG:AWS_Fargate#fargate-task-defs] [API:ContainerDefinition]
func (v *tdCheck) fargateContainer(i int, c *ContainerDefinition) error {
	if !v.fargate {
		return nil
	}
	switch {
	case api.Deref(c.Privileged):
		return fargateUnsupported(cpath(i, "privileged"), "privileged")
	case api.Deref(c.DisableNetworking):
		return fargateUnsupported(cpath(i, "disableNetworking"), "disableNetworking")
	case len(c.Links) > 0:
		return fargateUnsupported(cpath(i, "links"), "links")
	case len(c.DnsServers) > 0:
		return fargateUnsupported(cpath(i, "dnsServers"), "dnsServers")
	case len(c.DnsSearchDomains) > 0:
		return fargateUnsupported(cpath(i, "dnsSearchDomains"), "dnsSearchDomains")
	case len(c.ExtraHosts) > 0:
		return fargateUnsupported(cpath(i, "extraHosts"), "extraHosts")
	case len(c.DockerSecurityOptions) > 0:
		return fargateUnsupported(cpath(i, "dockerSecurityOptions"), "dockerSecurityOptions")
	}
	if lp := c.LinuxParameters; lp != nil {
		switch {
		case len(lp.Devices) > 0:
			return fargateUnsupported(cpath(i, "linuxParameters.devices"), "devices")
		case lp.SharedMemorySize != nil:
			return fargateUnsupported(cpath(i, "linuxParameters.sharedMemorySize"), "sharedMemorySize")
		case lp.MaxSwap != nil:
			return fargateUnsupported(cpath(i, "linuxParameters.maxSwap"), "maxSwap")
		case lp.Swappiness != nil:
			return fargateUnsupported(cpath(i, "linuxParameters.swappiness"), "swappiness")
		}
	}
	for j, r := range c.ResourceRequirements {
		if api.Deref(r.Type) == "GPU" {
			return fargateUnsupported(fmt.Sprintf("%s[%d]", cpath(i, "resourceRequirements"), j), "GPU resource requirements")
		}
	}
	return nil
}

// essential: every task needs at least one essential container; omitted
// means essential. [API:ContainerDefinition.essential] (ecssim wording)
func (v *tdCheck) essential() error {
	for i := range v.in.ContainerDefinitions {
		if isEssential(&v.in.ContainerDefinitions[i]) {
			return nil
		}
	}
	return clientErr("containerDefinitions", "A task definition must have at least one essential container. A container is essential unless it sets \"essential\": false.")
}

func isEssential(c *ContainerDefinition) bool { return c.Essential == nil || *c.Essential }

// references checks what containers say about each other: dependsOn,
// links, volumesFrom, the proxy container and the FireLens router.
func (v *tdCheck) references() error {
	defs := v.in.ContainerDefinitions
	hasRouter := false
	for i := range defs {
		if defs[i].FirelensConfiguration != nil {
			hasRouter = true
		}
	}
	for i := range defs {
		c := &defs[i]
		name := *c.Name
		for j, d := range c.DependsOn {
			p := fmt.Sprintf("%s[%d]", cpath(i, "dependsOn"), j)
			k, ok := v.names[*d.ContainerName]
			if !ok {
				// (ecssim wording, after "Unknown volume 'x'.")
				return clientErr(p+".containerName", "Unknown container '%s' in dependsOn of container '%s'.", *d.ContainerName, name)
			}
			if k == i {
				return clientErr(p+".containerName", "Container '%s' cannot depend on itself.", name)
			}
			target := &defs[k]
			switch *d.Condition {
			case ConditionSuccess, ConditionComplete:
				if isEssential(target) {
					// invalid/001 [https://github.com/boto/boto3/issues/2436]
					// [API:ContainerDependency.condition]
					return clientErr(p+".condition", "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container")
				}
			case ConditionHealthy:
				if target.HealthCheck == nil {
					// "This requires that the dependent container has health
					// checks configured." [API:ContainerDependency.condition]
					// (ecssim wording)
					return clientErr(p+".condition", "A dependency container with HEALTHY condition must have a health check: container '%s' has no healthCheck", *d.ContainerName)
				}
			}
		}
		for j, l := range c.Links {
			target, _, _ := strings.Cut(l, ":")
			if _, ok := v.names[target]; !ok || target == name {
				// [API:ContainerDefinition.links] (ecssim wording)
				return clientErr(fmt.Sprintf("%s[%d]", cpath(i, "links"), j), "Unknown container '%s' in links of container '%s'.", target, name)
			}
		}
		for j, vf := range c.VolumesFrom {
			src := api.Deref(vf.SourceContainer)
			if _, ok := v.names[src]; !ok || src == name {
				// [API:VolumeFrom.sourceContainer] (ecssim wording)
				return clientErr(fmt.Sprintf("%s[%d].sourceContainer", cpath(i, "volumesFrom"), j), "Unknown container '%s' in volumesFrom of container '%s'.", src, name)
			}
		}
		if lc := c.LogConfiguration; lc != nil && *lc.LogDriver == "awsfirelens" && !hasRouter {
			// The awsfirelens driver routes to the task's FireLens
			// container. [DG:using_firelens] (ecssim wording)
			return clientErr(cpath(i, "logConfiguration.logDriver"), "Log driver awsfirelens requires a log router container: no container in the task definition has a firelensConfiguration.")
		}
	}
	if cycle := dependencyCycle(defs, v.names); cycle != nil {
		// Shutdown reverses the startup order, which a cycle does not have.
		// [API:ContainerDefinition.dependsOn] (ecssim wording)
		return clientErr(cpath(v.names[cycle[0]], "dependsOn"), "Container dependencies form a cycle: %s.", strings.Join(cycle, " -> "))
	}
	if pc := v.in.ProxyConfiguration; pc != nil {
		if pc.ContainerName == nil {
			return requiredErr("proxyConfiguration", "containerName")
		}
		if pc.Type != nil && *pc.Type != "APPMESH" {
			return enumErr("proxyConfiguration.type", "type", *pc.Type, []string{"APPMESH"})
		}
		if _, ok := v.names[*pc.ContainerName]; !ok {
			// [API:ProxyConfiguration.containerName] (ecssim wording)
			return clientErr("proxyConfiguration.containerName", "Unknown container '%s' in proxyConfiguration.", *pc.ContainerName)
		}
	}
	return nil
}

// dependencyCycle returns a dependency cycle as container names, first
// name repeated at the end, or nil. The search runs in container order, so
// the reported cycle is deterministic.
func dependencyCycle(defs []ContainerDefinition, names map[string]int) []string {
	const (
		unseen = iota
		onStack
		done
	)
	state := make([]int, len(defs))
	var stack []int
	var found []string
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = onStack
		stack = append(stack, i)
		for _, d := range defs[i].DependsOn {
			k := names[*d.ContainerName]
			switch state[k] {
			case onStack:
				start := slices.Index(stack, k)
				for _, s := range stack[start:] {
					found = append(found, *defs[s].Name)
				}
				found = append(found, *defs[k].Name)
				return true
			case unseen:
				if visit(k) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[i] = done
		return false
	}
	for i := range defs {
		if state[i] == unseen && visit(i) {
			return found
		}
	}
	return nil
}

// memoryRules relate container memory to the task's.
// [API:ContainerDefinition.memory/.memoryReservation] [API:TaskDefinition.memory]
// Task-level sizes are ignored for Windows containers, so these rules are
// too. [API:RegisterTaskDefinitionRequest.memory]
func (v *tdCheck) memoryRules() error {
	defs := v.in.ContainerDefinitions
	if v.memory == 0 {
		for i := range defs {
			c := &defs[i]
			if api.Deref(c.Memory) <= 0 && api.Deref(c.MemoryReservation) <= 0 {
				// invalid/006 [https://github.com/getmoto/moto/issues/7280]
				return clientErr(cpath(i, "memory"), "Invalid setting for container '%s'. At least one of 'memory' or 'memoryReservation' must be specified.", *c.Name)
			}
		}
		return nil
	}
	if v.windows {
		return nil
	}
	sum := 0
	for i := range defs {
		c := &defs[i]
		if m := int(api.Deref(c.Memory)); m > v.memory {
			// (observed in a linter rule, medium confidence; see
			// docs/fidelity.md)
			return clientErr(cpath(i, "memory"), "The 'memory' setting for container '%s' is greater than for the task.", *c.Name)
		}
		if r := int(api.Deref(c.MemoryReservation)); r > 0 {
			sum += r
		} else {
			sum += int(max(api.Deref(c.Memory), 0))
		}
	}
	if sum > v.memory {
		// "The total amount of memory reserved for all containers within a
		// task must be lower than the task memory value." [API:ContainerDefinition.memory]
		// (ecssim wording, after the cpu message)
		return clientErr("memory", "The sum of all container memory reservations ('memoryReservation', or 'memory' where no reservation is set) cannot be greater than the value of the task 'memory'.")
	}
	return nil
}

// cpuRules: the container cpu values must fit in the task cpu.
// [API:ContainerDefinition.cpu] invalid/009
// [https://github.com/klothoplatform/klotho/issues/892]
func (v *tdCheck) cpuRules() error {
	if v.cpu == 0 || v.windows {
		return nil
	}
	sum := 0
	for i := range v.in.ContainerDefinitions {
		sum += int(api.Deref(v.in.ContainerDefinitions[i].Cpu))
	}
	if sum > v.cpu {
		return clientErr("cpu", "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.")
	}
	return nil
}

// volumes checks the task volumes and the containers' mount points.
// [API:Volume] [API:MountPoint]
func (v *tdCheck) volumes() error {
	names := make(map[string]bool, len(v.in.Volumes))
	atLaunch := 0
	for i, vol := range v.in.Volumes {
		p := indexPath("volumes", i, "")
		kinds := 0
		for _, set := range []bool{vol.Host != nil, vol.DockerVolumeConfiguration != nil, vol.EfsVolumeConfiguration != nil,
			vol.S3filesVolumeConfiguration != nil, vol.FsxWindowsFileServerVolumeConfiguration != nil, api.Deref(vol.ConfiguredAtLaunch)} {
			if set {
				kinds++
			}
		}
		if kinds > 1 {
			// "Each volume ... may only specify a name and one of ..." [API:Volume] (ecssim wording)
			return clientErr(p, "Invalid volume '%s': a volume may specify only one of configuredAtLaunch, dockerVolumeConfiguration, efsVolumeConfiguration, s3filesVolumeConfiguration, fsxWindowsFileServerVolumeConfiguration or host.", api.Deref(vol.Name))
		}
		if vol.Name != nil {
			n := *vol.Name
			switch {
			case n == "" || len(n) > maxNameLen || !isNameChars(n):
				// [API:Volume.name] (ecssim wording, after Container.name)
				return clientErr(p+".name", "Volume.name must be up to %d letters (uppercase and lowercase), numbers, underscores, and hyphens.", maxNameLen)
			case names[n]:
				return clientErr(p+".name", "Volume names must be unique within a Task Definition.")
			}
			names[n] = true
		} else if vol.EfsVolumeConfiguration != nil || vol.S3filesVolumeConfiguration != nil || api.Deref(vol.ConfiguredAtLaunch) {
			// [API:Volume.name]
			return requiredErr(p, "name")
		}
		if api.Deref(vol.ConfiguredAtLaunch) {
			if atLaunch++; atLaunch > 1 {
				// [API:Volume.configuredAtLaunch] (ecssim wording)
				return clientErr(p+".configuredAtLaunch", "A task definition may have only one volume configured at launch.")
			}
		}
		if err := v.volumeConfig(p, vol); err != nil {
			return err
		}
	}
	for i := range v.in.ContainerDefinitions {
		c := &v.in.ContainerDefinitions[i]
		for j, mp := range c.MountPoints {
			src := api.Deref(mp.SourceVolume)
			if mp.SourceVolume == nil {
				src = "null"
			}
			if !names[src] {
				// [https://github.com/ansible/ansible/issues/35777]
				// [https://github.com/blinkist/terraform-aws-airship-ecs-service/issues/46]
				return clientErr(fmt.Sprintf("%s[%d].sourceVolume", cpath(i, "mountPoints"), j), "Unknown volume '%s'.", src)
			}
		}
	}
	return nil
}

func (v *tdCheck) volumeConfig(p string, vol Volume) error {
	if v.fargate {
		if vol.DockerVolumeConfiguration != nil {
			// "Docker volumes aren't supported by tasks run on Fargate."
			// [API:Volume.dockerVolumeConfiguration]
			return fargateUnsupported(p+".dockerVolumeConfiguration", "dockerVolumeConfiguration")
		}
		if vol.Host != nil && vol.Host.SourcePath != nil {
			// "The host and sourcePath parameters aren't supported for
			// tasks run on Fargate." [API:TaskDefinition.volumes]
			return fargateUnsupported(p+".host.sourcePath", "host.sourcePath")
		}
	}
	if d := vol.DockerVolumeConfiguration; d != nil && d.Scope != nil && !slices.Contains(scopes, *d.Scope) {
		return enumErr(p+".dockerVolumeConfiguration.scope", "scope", *d.Scope, scopes)
	}
	if e := vol.EfsVolumeConfiguration; e != nil {
		ep := p + ".efsVolumeConfiguration"
		if e.FileSystemId == nil {
			return requiredErr(ep, "fileSystemId")
		}
		if e.TransitEncryption != nil && !slices.Contains(enabledDisabled, *e.TransitEncryption) {
			return enumErr(ep+".transitEncryption", "transitEncryption", *e.TransitEncryption, enabledDisabled)
		}
		te := api.Deref(e.TransitEncryption) == "ENABLED"
		if a := e.AuthorizationConfig; a != nil {
			if a.Iam != nil && !slices.Contains(enabledDisabled, *a.Iam) {
				return enumErr(ep+".authorizationConfig.iam", "iam", *a.Iam, enabledDisabled)
			}
			// [API:EFSAuthorizationConfig.iam/.accessPointId] (ecssim wording)
			if api.Deref(a.Iam) == "ENABLED" && !te {
				return clientErr(ep+".authorizationConfig.iam", "Transit encryption must be enabled in the volume configuration when using EFS IAM authorization.")
			}
			if a.AccessPointId != nil {
				if !te {
					return clientErr(ep+".authorizationConfig.accessPointId", "Transit encryption must be enabled in the volume configuration when using an EFS access point.")
				}
				if rd := api.Deref(e.RootDirectory); rd != "" && rd != "/" {
					return clientErr(ep+".rootDirectory", "The root directory must be omitted or set to '/' when using an EFS access point.")
				}
			}
		}
	}
	if s := vol.S3filesVolumeConfiguration; s != nil && s.FileSystemArn == nil {
		return requiredErr(p+".s3filesVolumeConfiguration", "fileSystemArn")
	}
	if f := vol.FsxWindowsFileServerVolumeConfiguration; f != nil {
		fp := p + ".fsxWindowsFileServerVolumeConfiguration"
		if f.FileSystemId == nil || f.RootDirectory == nil || f.AuthorizationConfig == nil {
			return requiredErr(fp, "fileSystemId", "rootDirectory", "authorizationConfig")
		}
		if a := f.AuthorizationConfig; a.CredentialsParameter == nil || a.Domain == nil {
			return requiredErr(fp+".authorizationConfig", "credentialsParameter", "domain")
		}
	}
	return nil
}

// placement: at most 10 constraints, each memberOf with an expression.
// [API:RegisterTaskDefinitionRequest.placementConstraints]
// [API enum TaskDefinitionPlacementConstraintType] (ecssim wording)
func (v *tdCheck) placement() error {
	pcs := v.in.PlacementConstraints
	if len(pcs) > maxPlacementConstraints {
		return clientErr("placementConstraints", "Too many placement constraints: %d. A task can have at most %d.", len(pcs), maxPlacementConstraints)
	}
	for i, pc := range pcs {
		p := indexPath("placementConstraints", i, "")
		if api.Deref(pc.Type) != "memberOf" {
			return enumErr(p+".type", "type", api.Deref(pc.Type), []string{"memberOf"})
		}
		if api.Deref(pc.Expression) == "" {
			return clientErr(p+".expression", "A memberOf placement constraint requires an expression.")
		}
	}
	return nil
}

// misc checks the task-level members that stand alone.
func (v *tdCheck) misc() error {
	in := v.in
	devices := make(map[string]bool, len(in.InferenceAccelerators))
	for i, ia := range in.InferenceAccelerators {
		if ia.DeviceName == nil || ia.DeviceType == nil {
			return requiredErr(indexPath("inferenceAccelerators", i, ""), "deviceName", "deviceType")
		}
		devices[*ia.DeviceName] = true
	}
	for i := range in.ContainerDefinitions {
		for j, r := range in.ContainerDefinitions[i].ResourceRequirements {
			if *r.Type == "InferenceAccelerator" && !devices[*r.Value] {
				// "the value matches the deviceName for an
				// InferenceAccelerator specified in a task definition."
				// [API:ResourceRequirement.value] (ecssim wording)
				return clientErr(fmt.Sprintf("%s[%d].value", cpath(i, "resourceRequirements"), j), "Unknown inference accelerator '%s'.", *r.Value)
			}
		}
	}
	return nil
}
