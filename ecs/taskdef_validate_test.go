package ecs

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

// Base documents of the validation tests. Each case patches one of them
// with an RFC 7386 merge patch (null deletes a member; lists are replaced
// whole).
const (
	ec2Base     = `{"family":"web","containerDefinitions":[{"name":"app","image":"nginx","memory":256}]}`
	fargateBase = `{"family":"web","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512","containerDefinitions":[{"name":"app","image":"nginx"}]}`
	awsvpcBase  = `{"family":"web","networkMode":"awsvpc","containerDefinitions":[{"name":"app","image":"nginx","memory":256}]}`
)

// patchDoc applies a JSON merge patch to base.
func patchDoc(tb testing.TB, base, patch string) string {
	tb.Helper()
	var b, p any
	require.NoError(tb, json.Unmarshal([]byte(base), &b))
	if patch != "" {
		require.NoError(tb, json.Unmarshal([]byte(patch), &p), patch)
		b = mergePatch(b, p)
	}
	out, err := json.Marshal(b)
	require.NoError(tb, err)
	return string(out)
}

func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// containers renders a containerDefinitions patch from container objects.
func containers(cs ...string) string {
	return `{"containerDefinitions":[` + strings.Join(cs, ",") + `]}`
}

var hex64 = strings.Repeat("ab12", 16)

func TestRegisterTaskDefinitionRules(t *testing.T) {
	const (
		client  = api.CodeClientException
		invalid = api.CodeInvalidParameterException
	)
	tags51 := make([]string, 51)
	for i := range tags51 {
		tags51[i] = fmt.Sprintf(`{"key":"k%d","value":"v"}`, i)
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = fmt.Sprintf(`{"name":"c%d","image":"nginx","memory":64}`, i)
	}
	pcs11 := make([]string, 11)
	for i := range pcs11 {
		pcs11[i] = `{"type":"memberOf","expression":"attribute:ecs.instance-type =~ t2.*"}`
	}
	tests := []struct {
		name, base, patch string
		code, msg, path   string // code "" means the document is valid
	}{
		// Family. [API:RegisterTaskDefinitionRequest.family]
		{name: "family missing", base: ec2Base, patch: `{"family":null}`, code: client, msg: "Family can not be blank.", path: "family"},
		{name: "family empty", base: ec2Base, patch: `{"family":""}`, code: client, msg: "Family can not be blank.", path: "family"},
		{name: "family with a space", base: ec2Base, patch: `{"family":"my family"}`, code: client, msg: "Family contains invalid characters.", path: "family"},
		{name: "family with a colon", base: ec2Base, patch: `{"family":"web:1"}`, code: client, msg: "Family contains invalid characters.", path: "family"},
		{name: "family of 255 characters", base: ec2Base, patch: `{"family":"` + strings.Repeat("a", 255) + `"}`},
		{name: "family of 256 characters", base: ec2Base, patch: `{"family":"` + strings.Repeat("a", 256) + `"}`, code: client, msg: "Family must be up to 255", path: "family"},

		// Containers. [API:ContainerDefinition] [DG:welcome-features]
		{name: "no containers", base: ec2Base, patch: `{"containerDefinitions":[]}`, code: client, msg: "Container list cannot be empty.", path: "containerDefinitions"},
		{name: "containers missing", base: ec2Base, patch: `{"containerDefinitions":null}`, code: client, msg: "Container list cannot be empty.", path: "containerDefinitions"},
		{name: "ten containers", base: ec2Base, patch: containers(eleven[:10]...)},
		{name: "eleven containers", base: ec2Base, patch: containers(eleven...), code: client, msg: "at most 10 containers", path: "containerDefinitions"},
		{name: "container name missing", base: ec2Base, patch: containers(`{"image":"nginx","memory":64}`), code: client, msg: "Container.name should not be null or empty.", path: "containerDefinitions[0].name"},
		{name: "container name with a dot", base: ec2Base, patch: containers(`{"name":"a.b","image":"nginx","memory":64}`), code: client, msg: "Container.name contains invalid characters.", path: "containerDefinitions[0].name"},
		{name: "container name of 256 characters", base: ec2Base, patch: containers(`{"name":"` + strings.Repeat("c", 256) + `","image":"nginx","memory":64}`), code: client, msg: "Container.name must be up to 255", path: "containerDefinitions[0].name"},
		{name: "duplicate container names", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64}`, `{"name":"app","image":"nginx","memory":64}`), code: client, msg: "Container names must be unique within a Task Definition.", path: "containerDefinitions[1].name"},
		{name: "image missing", base: ec2Base, patch: containers(`{"name":"app","memory":64}`), code: client, msg: "Container.image should not be null or empty.", path: "containerDefinitions[0].image"},
		{name: "image unrendered", base: ec2Base, patch: containers(`{"name":"app","image":"$IMAGE_NAME","memory":64}`), code: client, msg: "Container.image contains invalid characters.", path: "containerDefinitions[0].image"},
		{name: "image by digest", base: ec2Base, patch: containers(`{"name":"app","image":"nginx@sha256:` + hex64 + `","memory":64}`)},
		{name: "image digest too short", base: ec2Base, patch: containers(`{"name":"app","image":"nginx@sha256:abc","memory":64}`), code: client, msg: "invalid digest", path: "containerDefinitions[0].image"},
		{name: "image digest sha512", base: ec2Base, patch: containers(`{"name":"app","image":"nginx@sha512:` + hex64 + `","memory":64}`), code: client, msg: "invalid digest", path: "containerDefinitions[0].image"},
		{name: "image of 256 characters", base: ec2Base, patch: containers(`{"name":"app","image":"` + strings.Repeat("i", 256) + `","memory":64}`), code: client, msg: "longer than 255", path: "containerDefinitions[0].image"},
		{name: "no essential container", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"essential":false}`), code: client, msg: "at least one essential container", path: "containerDefinitions"},
		{name: "omitted essential is essential", base: ec2Base, patch: containers(`{"name":"a","image":"nginx","memory":64,"essential":false}`, `{"name":"b","image":"nginx","memory":64}`)},

		// Enumerations.
		{name: "unknown network mode", base: ec2Base, patch: `{"networkMode":"nat"}`, code: client, msg: "networkMode should be one of [bridge,host,awsvpc,none]", path: "networkMode"},
		{name: "unknown launch type", base: ec2Base, patch: `{"requiresCompatibilities":["EC2","LAMBDA"]}`, code: client, msg: "Invalid requiresCompatibilities 'LAMBDA'", path: "requiresCompatibilities[1]"},
		{name: "unknown pid mode", base: ec2Base, patch: `{"pidMode":"container"}`, code: client, msg: "pidMode should be one of", path: "pidMode"},
		{name: "unknown os family", base: ec2Base, patch: `{"runtimePlatform":{"operatingSystemFamily":"MACOS"}}`, code: client, msg: "operatingSystemFamily should be one of", path: "runtimePlatform.operatingSystemFamily"},
		{name: "unknown protocol", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80,"protocol":"sctp"}]}`), code: client, msg: "protocol should be one of [tcp,udp]", path: "containerDefinitions[0].portMappings[0].protocol"},

		// Task size. [API:RegisterTaskDefinitionRequest.cpu/.memory] [DG:task-cpu-memory-error]
		{name: "empty cpu string", base: ec2Base, patch: `{"cpu":""}`, code: client, msg: "Invalid 'cpu' setting for task.", path: "cpu"},
		{name: "cpu not a size", base: ec2Base, patch: `{"cpu":"two"}`, code: client, msg: "Invalid 'cpu' setting for task.", path: "cpu"},
		{name: "cpu below 128 units", base: ec2Base, patch: `{"cpu":"64"}`, code: client, msg: "Invalid 'cpu' setting for task.", path: "cpu"},
		{name: "cpu of 0.125 vCPU", base: ec2Base, patch: `{"cpu":"0.125 vCPU"}`},
		{name: "cpu of 192 vCPU", base: ec2Base, patch: `{"cpu":"192 vcpu","containerDefinitions":[{"name":"app","image":"nginx","memory":256}]}`},
		{name: "cpu above 192 vCPU", base: ec2Base, patch: `{"cpu":"196609"}`, code: client, msg: "Invalid 'cpu' setting for task.", path: "cpu"},
		{name: "memory in terabytes", base: ec2Base, patch: `{"memory":"1 TB"}`, code: client, msg: "Invalid 'memory' setting for task.", path: "memory"},
		{name: "memory in GB", base: ec2Base, patch: `{"memory":"2GB"}`},

		// Fargate task level. [DG:AWS_Fargate]
		{name: "fargate without cpu", base: fargateBase, patch: `{"cpu":null}`, code: client, msg: "Fargate requires that 'cpu' be defined at the task level.", path: "cpu"},
		{name: "fargate without memory", base: fargateBase, patch: `{"memory":null}`, code: client, msg: "Fargate requires that 'memory' be defined at the task level.", path: "memory"},
		{name: "fargate in bridge mode", base: fargateBase, patch: `{"networkMode":"bridge"}`, code: client, msg: "Fargate only supports network mode \u2018awsvpc\u2019.", path: "networkMode"},
		{name: "fargate without network mode", base: fargateBase, patch: `{"networkMode":null}`, code: client, msg: "Fargate only supports network mode", path: "networkMode"},
		{name: "fargate 1 vCPU with 1 GB", base: fargateBase, patch: `{"cpu":"1024","memory":"1024"}`, code: client, msg: "No Fargate configuration exists for given values: 1024 CPU, 1024 memory.", path: "cpu"},
		{name: "fargate EC2 and FARGATE validates both", base: fargateBase, patch: `{"requiresCompatibilities":["EC2","FARGATE"],"cpu":"1 vcpu","memory":"1 gb"}`, code: client, msg: "No Fargate configuration exists for given values: 1024 CPU, 1024 memory.", path: "cpu"},
		{name: "fargate windows at 0.5 vCPU", base: fargateBase, patch: `{"cpu":"512","memory":"1024","runtimePlatform":{"operatingSystemFamily":"WINDOWS_SERVER_2019_CORE"}}`, code: client, msg: "No Fargate configuration exists for given values: 512 CPU, 1024 memory.", path: "cpu"},
		{name: "fargate windows at 1 vCPU", base: fargateBase, patch: `{"cpu":"1024","memory":"2048","runtimePlatform":{"operatingSystemFamily":"WINDOWS_SERVER_2022_CORE"}}`},
		{name: "fargate windows at 8 vCPU", base: fargateBase, patch: `{"cpu":"8192","memory":"16384","runtimePlatform":{"operatingSystemFamily":"WINDOWS_SERVER_2022_CORE"}}`, code: client, msg: "No Fargate configuration exists", path: "cpu"},
		{name: "fargate pid mode host", base: fargateBase, patch: `{"pidMode":"host"}`, code: client, msg: "do not support pidMode 'host'", path: "pidMode"},
		{name: "fargate pid mode task", base: fargateBase, patch: `{"pidMode":"task"}`},
		{name: "fargate ipc mode", base: fargateBase, patch: `{"ipcMode":"task"}`, code: client, msg: "Tasks using the Fargate launch type do not support ipcMode.", path: "ipcMode"},
		{name: "fargate placement constraint", base: fargateBase, patch: `{"placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.os-type == linux"}]}`, code: client, msg: "do not support placementConstraints", path: "placementConstraints"},
		{name: "fargate empty placement constraints", base: fargateBase, patch: `{"placementConstraints":[]}`},
		{name: "fargate privileged container", base: fargateBase, patch: containers(`{"name":"app","image":"nginx","privileged":true}`), code: client, msg: "Tasks using the Fargate launch type do not support privileged.", path: "containerDefinitions[0].privileged"},
		{name: "fargate privileged false", base: fargateBase, patch: containers(`{"name":"app","image":"nginx","privileged":false,"links":[],"dnsServers":[]}`)},
		{name: "fargate devices", base: fargateBase, patch: containers(`{"name":"app","image":"nginx","linuxParameters":{"devices":[{"hostPath":"/dev/xvdb"}]}}`), code: client, msg: "do not support devices", path: "containerDefinitions[0].linuxParameters.devices"},
		{name: "fargate GPU", base: fargateBase, patch: containers(`{"name":"app","image":"nginx","resourceRequirements":[{"type":"GPU","value":"1"}]}`), code: client, msg: "do not support GPU", path: "containerDefinitions[0].resourceRequirements[0]"},
		{name: "fargate stop timeout 120", base: fargateBase, patch: containers(`{"name":"app","image":"nginx","stopTimeout":120}`)},
		{name: "fargate stop timeout 121", base: fargateBase, patch: containers(`{"name":"app","image":"nginx","stopTimeout":121}`), code: client, msg: "Valid values for Fargate are 2 to 120 seconds", path: "containerDefinitions[0].stopTimeout"},
		{name: "ec2 stop timeout 300", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"stopTimeout":300}`)},
		{name: "fargate docker volume", base: fargateBase, patch: `{"volumes":[{"name":"v","dockerVolumeConfiguration":{"scope":"task"}}]}`, code: client, msg: "do not support dockerVolumeConfiguration", path: "volumes[0].dockerVolumeConfiguration"},
		{name: "fargate host source path", base: fargateBase, patch: `{"volumes":[{"name":"v","host":{"sourcePath":"/data"}}]}`, code: client, msg: "do not support host.sourcePath", path: "volumes[0].host.sourcePath"},
		{name: "fargate bind mount without path", base: fargateBase, patch: `{"volumes":[{"name":"v","host":{}}]}`},
		{name: "fargate ephemeral storage 21 GiB", base: fargateBase, patch: `{"ephemeralStorage":{"sizeInGiB":21}}`},
		{name: "fargate ephemeral storage 20 GiB", base: fargateBase, patch: `{"ephemeralStorage":{"sizeInGiB":20}}`, code: client, msg: "between 21 and 200 GiB", path: "ephemeralStorage.sizeInGiB"},
		{name: "ec2 ephemeral storage", base: ec2Base, patch: `{"ephemeralStorage":{"sizeInGiB":30}}`, code: client, msg: "Tasks using the EC2 launch type do not support EphemeralStorage.", path: "ephemeralStorage"},
		{name: "external awsvpc", base: awsvpcBase, patch: `{"requiresCompatibilities":["EXTERNAL"]}`, code: client, msg: "EXTERNAL launch type do not support network mode 'awsvpc'", path: "networkMode"},

		// Port mappings. [API:PortMapping]
		{name: "awsvpc host port differs", base: awsvpcBase, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80},{"containerPort":3000,"hostPort":80}]}`), code: client, msg: "When networkMode=awsvpc, the host ports and container ports in port mappings must match.", path: "containerDefinitions[0].portMappings[1].hostPort"},
		{name: "awsvpc host port equal", base: awsvpcBase, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80,"hostPort":80}]}`)},
		{name: "host mode host port differs", base: ec2Base, patch: `{"networkMode":"host","containerDefinitions":[{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80,"hostPort":8080}]}]}`, code: client, msg: "When networkMode=host, the host ports and container ports in port mappings must match.", path: "containerDefinitions[0].portMappings[0].hostPort"},
		{name: "bridge host port differs", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80,"hostPort":8080}]}`)},
		{name: "none mode with a port", base: ec2Base, patch: `{"networkMode":"none","containerDefinitions":[{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80}]}]}`, code: client, msg: "networkMode=none", path: "containerDefinitions[0].portMappings"},
		{name: "mapping without container port", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":3000},{"hostPort":7000}]}`), code: client, msg: "Invalid 'containerPort' setting for container 'app'.", path: "containerDefinitions[0].portMappings[1].containerPort"},
		{name: "container port 65536", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":65536}]}`), code: client, msg: "Invalid 'containerPort' setting for container 'app'.", path: "containerDefinitions[0].portMappings[0].containerPort"},
		{name: "host port negative", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80,"hostPort":-1}]}`), code: client, msg: "Invalid 'hostPort' setting for container 'app'.", path: "containerDefinitions[0].portMappings[0].hostPort"},
		{name: "same port for tcp and udp", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":53,"protocol":"tcp"},{"containerPort":53,"protocol":"udp"}]}`), code: client, msg: "only be included in one port mapping per container", path: "containerDefinitions[0].portMappings[1]"},
		{name: "same port in two containers", base: ec2Base, patch: containers(`{"name":"a","image":"nginx","memory":64,"portMappings":[{"containerPort":80}]}`, `{"name":"b","image":"nginx","memory":64,"portMappings":[{"containerPort":80}]}`)},
		{name: "port range in awsvpc", base: awsvpcBase, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPortRange":"8000-8100"},{"containerPort":9000}]}`)},
		{name: "port range overlapping a port", base: awsvpcBase, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPortRange":"8000-8100"},{"containerPort":8050}]}`), code: client, msg: "Container port 8050 of container 'app' is already mapped by portMappings[0]", path: "containerDefinitions[0].portMappings[1]"},
		{name: "port range reversed", base: awsvpcBase, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPortRange":"8100-8000"}]}`), code: client, msg: "Invalid 'containerPortRange' setting", path: "containerDefinitions[0].portMappings[0].containerPortRange"},
		{name: "port range with host port", base: awsvpcBase, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPortRange":"8000-8100","hostPort":8000}]}`), code: client, msg: "neither containerPort nor hostPort", path: "containerDefinitions[0].portMappings[0].containerPortRange"},
		{name: "port range in host mode", base: ec2Base, patch: `{"networkMode":"host","containerDefinitions":[{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPortRange":"8000-8100"}]}]}`, code: client, msg: "only supported when networkMode=bridge or networkMode=awsvpc", path: "containerDefinitions[0].portMappings[0].containerPortRange"},
		{name: "port name with capitals", base: awsvpcBase, patch: containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80,"name":"Web"}]}`), code: client, msg: "Invalid port mapping name 'Web'", path: "containerDefinitions[0].portMappings[0].name"},
		{name: "links in awsvpc", base: awsvpcBase, patch: containers(`{"name":"a","image":"nginx","memory":64,"links":["b"]}`, `{"name":"b","image":"nginx","memory":64}`), code: client, msg: "Links are not supported when networkMode=awsvpc", path: "containerDefinitions[0].links"},
		{name: "links to a missing container", base: ec2Base, patch: containers(`{"name":"a","image":"nginx","memory":64,"links":["db:database"]}`), code: client, msg: "Unknown container 'db' in links of container 'a'.", path: "containerDefinitions[0].links[0]"},
		{name: "links with alias", base: ec2Base, patch: containers(`{"name":"a","image":"nginx","memory":64,"links":["b:db"]}`, `{"name":"b","image":"nginx","memory":64}`)},
		{name: "hostname in awsvpc", base: awsvpcBase, patch: containers(`{"name":"app","image":"nginx","memory":64,"hostname":"web"}`), code: client, msg: "hostname parameter is not supported when networkMode=awsvpc", path: "containerDefinitions[0].hostname"},

		// Memory and CPU. [API:ContainerDefinition.memory/.memoryReservation/.cpu]
		{name: "no memory anywhere", base: ec2Base, patch: containers(`{"name":"app","image":"nginx"}`), code: client, msg: "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.", path: "containerDefinitions[0].memory"},
		{name: "memory reservation only", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memoryReservation":128}`)},
		{name: "task memory only", base: ec2Base, patch: `{"memory":"512","containerDefinitions":[{"name":"app","image":"nginx"}]}`},
		{name: "memory equal to reservation", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":128,"memoryReservation":128}`), code: client, msg: "'memory' must be greater than 'memoryReservation'", path: "containerDefinitions[0].memoryReservation"},
		{name: "container memory above task memory", base: ec2Base, patch: `{"memory":"512","containerDefinitions":[{"name":"app","image":"nginx","memory":1024}]}`, code: client, msg: "The 'memory' setting for container 'app' is greater than for the task.", path: "containerDefinitions[0].memory"},
		{name: "container memory equal to task memory", base: ec2Base, patch: `{"memory":"512","containerDefinitions":[{"name":"app","image":"nginx","memory":512}]}`},
		{name: "reservations above task memory", base: ec2Base, patch: `{"memory":"512","containerDefinitions":[{"name":"a","image":"nginx","memoryReservation":300},{"name":"b","image":"nginx","memory":300}]}`, code: client, msg: "cannot be greater than the value of the task 'memory'", path: "memory"},
		{name: "container cpu sum above task cpu", base: ec2Base, patch: `{"cpu":"256","containerDefinitions":[{"name":"a","image":"nginx","memory":64,"cpu":200},{"name":"b","image":"nginx","memory":64,"cpu":100}]}`, code: client, msg: "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.", path: "cpu"},
		{name: "negative container cpu", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"cpu":-1}`), code: client, msg: "Invalid 'cpu' setting for container 'app'.", path: "containerDefinitions[0].cpu"},

		// Logging. [API:LogConfiguration]
		{name: "awslogs without region", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"g"}}}`), code: client, msg: "Log driver awslogs requires options: awslogs-region", path: "containerDefinitions[0].logConfiguration.options"},
		{name: "awslogs without options", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"logConfiguration":{"logDriver":"awslogs"}}`), code: client, msg: "Log driver awslogs requires options: awslogs-region, awslogs-group", path: "containerDefinitions[0].logConfiguration.options"},
		{name: "awslogs foreign options", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"g","awslogs-region":"us-east-1","tag":"x","log_key":"log"}}}`), code: client, msg: "Log driver awslogs disallows options: log_key, tag", path: "containerDefinitions[0].logConfiguration.options"},
		{name: "awslogs delivery options", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"g","awslogs-region":"us-east-1","mode":"non-blocking","max-buffer-size":"25m","awslogs-create-group":"true","awslogs-datetime-format":"%Y"}}}`)},
		{name: "fargate awslogs without role", base: fargateBase, patch: containers(`{"name":"app","image":"nginx","logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"g","awslogs-region":"us-east-1","awslogs-stream-prefix":"p"}}}`), code: client, msg: "Fargate requires task definition to have execution role ARN to support log driver awslogs.", path: "executionRoleArn"},
		{name: "fargate awslogs without prefix", base: fargateBase, patch: `{"executionRoleArn":"arn:aws:iam::123456789012:role/x","containerDefinitions":[{"name":"app","image":"nginx","logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"g","awslogs-region":"us-east-1"}}}]}`, code: client, msg: "Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs.", path: "containerDefinitions[0].logConfiguration.options"},
		{name: "ec2 awslogs without prefix", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"g","awslogs-region":"us-east-1"}}}`)},
		{name: "fargate json-file", base: fargateBase, patch: containers(`{"name":"app","image":"nginx","logConfiguration":{"logDriver":"json-file"}}`), code: client, msg: "Fargate only supports log drivers awslogs, splunk and awsfirelens.", path: "containerDefinitions[0].logConfiguration.logDriver"},
		{name: "unknown log driver", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"logConfiguration":{"logDriver":"none"}}`), code: client, msg: "logDriver should be one of", path: "containerDefinitions[0].logConfiguration.logDriver"},
		{name: "firelens without router", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"logConfiguration":{"logDriver":"awsfirelens"}}`), code: client, msg: "Log driver awsfirelens requires a log router container", path: "containerDefinitions[0].logConfiguration.logDriver"},

		// Roles and secrets. [DG:task_execution_IAM_role]
		{name: "secrets without role", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"secrets":[{"name":"PW","valueFrom":"arn:aws:ssm:us-east-1:123456789012:parameter/pw"}]}`), code: client, msg: "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.", path: "executionRoleArn"},
		{name: "empty secrets without role", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"secrets":[]}`), code: client, msg: "you must also specify a value for 'executionRoleArn'", path: "executionRoleArn"},
		{name: "secret without valueFrom", base: ec2Base, patch: `{"executionRoleArn":"r","containerDefinitions":[{"name":"app","image":"nginx","memory":64,"secrets":[{"name":"PW"}]}]}`, code: client, msg: "Missing required parameter in containerDefinitions[0].secrets[0]", path: "containerDefinitions[0].secrets[0]"},
		{name: "fargate ecr image without role", base: fargateBase, patch: containers(`{"name":"app","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"}`), code: client, msg: "Fargate requires task definition to have execution role ARN to support ECR images.", path: "executionRoleArn"},
		{name: "ec2 ecr image without role", base: ec2Base, patch: containers(`{"name":"app","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1","memory":64}`)},

		// Health checks. [API:HealthCheck]
		{name: "health check without command", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"interval":10}}`), code: client, msg: "Missing required parameter in containerDefinitions[0].healthCheck", path: "containerDefinitions[0].healthCheck"},
		{name: "health check without CMD", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["curl","localhost"]}}`), code: client, msg: "must start with CMD or CMD-SHELL", path: "containerDefinitions[0].healthCheck.command"},
		{name: "health check bounds", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD","true"],"interval":5,"timeout":60,"retries":10,"startPeriod":300}}`)},
		{name: "health check lower bounds", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD-SHELL","true"],"interval":300,"timeout":2,"retries":1,"startPeriod":0}}`)},
		{name: "health check interval 4", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD","true"],"interval":4}}`), code: client, msg: "Invalid 'healthCheck.interval' setting for container 'app': 4. Valid values are 5 to 300 seconds.", path: "containerDefinitions[0].healthCheck.interval"},
		{name: "health check interval 301", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD","true"],"interval":301}}`), code: client, msg: "'healthCheck.interval'", path: "containerDefinitions[0].healthCheck.interval"},
		{name: "health check timeout 1", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD","true"],"timeout":1}}`), code: client, msg: "'healthCheck.timeout'", path: "containerDefinitions[0].healthCheck.timeout"},
		{name: "health check timeout 61", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD","true"],"timeout":61}}`), code: client, msg: "Valid values are 2 to 60 seconds", path: "containerDefinitions[0].healthCheck.timeout"},
		{name: "health check retries 0", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD","true"],"retries":0}}`), code: client, msg: "Valid values are 1 to 10.", path: "containerDefinitions[0].healthCheck.retries"},
		{name: "health check retries 11", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD","true"],"retries":11}}`), code: client, msg: "'healthCheck.retries'", path: "containerDefinitions[0].healthCheck.retries"},
		{name: "health check start period 301", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"healthCheck":{"command":["CMD","true"],"startPeriod":301}}`), code: client, msg: "Valid values are 0 to 300 seconds", path: "containerDefinitions[0].healthCheck.startPeriod"},

		// Dependencies. [API:ContainerDependency]
		{name: "depends on a missing container", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"dependsOn":[{"containerName":"init","condition":"START"}]}`), code: client, msg: "Unknown container 'init' in dependsOn of container 'app'.", path: "containerDefinitions[0].dependsOn[0].containerName"},
		{name: "success on an essential container", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"dependsOn":[{"containerName":"init","condition":"SUCCESS"}]}`, `{"name":"init","image":"busybox","memory":64}`), code: client, msg: "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container", path: "containerDefinitions[0].dependsOn[0].condition"},
		{name: "complete on an essential container", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"dependsOn":[{"containerName":"init","condition":"COMPLETE"}]}`, `{"name":"init","image":"busybox","memory":64,"essential":true}`), code: client, msg: "SUCCESS or COMPLETE condition cannot be an essential container", path: "containerDefinitions[0].dependsOn[0].condition"},
		{name: "success on a non-essential container", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"dependsOn":[{"containerName":"init","condition":"SUCCESS"}]}`, `{"name":"init","image":"busybox","memory":64,"essential":false}`)},
		{name: "healthy without a health check", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"dependsOn":[{"containerName":"db","condition":"HEALTHY"}]}`, `{"name":"db","image":"postgres","memory":64}`), code: client, msg: "A dependency container with HEALTHY condition must have a health check", path: "containerDefinitions[0].dependsOn[0].condition"},
		{name: "healthy with a health check", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"dependsOn":[{"containerName":"db","condition":"HEALTHY"}]}`, `{"name":"db","image":"postgres","memory":64,"healthCheck":{"command":["CMD","pg_isready"]}}`)},
		{name: "depends on itself", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"dependsOn":[{"containerName":"app","condition":"START"}]}`), code: client, msg: "cannot depend on itself", path: "containerDefinitions[0].dependsOn[0].containerName"},
		{name: "dependency cycle", base: ec2Base, patch: containers(`{"name":"a","image":"nginx","memory":64,"dependsOn":[{"containerName":"b","condition":"START"}]}`, `{"name":"b","image":"nginx","memory":64,"dependsOn":[{"containerName":"a","condition":"START"}]}`), code: client, msg: "Container dependencies form a cycle: a -> b -> a.", path: "containerDefinitions[0].dependsOn"},
		{name: "unknown condition", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"dependsOn":[{"containerName":"app","condition":"READY"}]}`), code: client, msg: "condition should be one of [START,COMPLETE,SUCCESS,HEALTHY]", path: "containerDefinitions[0].dependsOn[0].condition"},

		// Volumes. [API:Volume] [API:MountPoint]
		{name: "mount of an unknown volume", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"mountPoints":[{"sourceVolume":"data","containerPath":"/data"}]}`), code: client, msg: "Unknown volume 'data'.", path: "containerDefinitions[0].mountPoints[0].sourceVolume"},
		{name: "mount without a volume", base: ec2Base, patch: `{"volumes":[{"name":"data"}],"containerDefinitions":[{"name":"app","image":"nginx","memory":64,"mountPoints":[{"containerPath":"/data"}]}]}`, code: client, msg: "Unknown volume 'null'.", path: "containerDefinitions[0].mountPoints[0].sourceVolume"},
		{name: "mount of a volume", base: ec2Base, patch: `{"volumes":[{"name":"data","host":{"sourcePath":"/srv"}}],"containerDefinitions":[{"name":"app","image":"nginx","memory":64,"mountPoints":[{"sourceVolume":"data","containerPath":"/data"}]}]}`},
		{name: "duplicate volume names", base: ec2Base, patch: `{"volumes":[{"name":"data"},{"name":"data"}]}`, code: client, msg: "Volume names must be unique within a Task Definition.", path: "volumes[1].name"},
		{name: "volume with two kinds", base: ec2Base, patch: `{"volumes":[{"name":"data","host":{},"efsVolumeConfiguration":{"fileSystemId":"fs-1"}}]}`, code: client, msg: "may specify only one of", path: "volumes[0]"},
		{name: "efs iam without encryption", base: ec2Base, patch: `{"volumes":[{"name":"data","efsVolumeConfiguration":{"fileSystemId":"fs-1","authorizationConfig":{"iam":"ENABLED"}}}]}`, code: client, msg: "Transit encryption must be enabled", path: "volumes[0].efsVolumeConfiguration.authorizationConfig.iam"},
		{name: "efs access point with root", base: ec2Base, patch: `{"volumes":[{"name":"data","efsVolumeConfiguration":{"fileSystemId":"fs-1","rootDirectory":"/x","transitEncryption":"ENABLED","authorizationConfig":{"accessPointId":"fsap-1"}}}]}`, code: client, msg: "root directory must be omitted", path: "volumes[0].efsVolumeConfiguration.rootDirectory"},
		{name: "volumes from a missing container", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"volumesFrom":[{"sourceContainer":"data"}]}`), code: client, msg: "Unknown container 'data' in volumesFrom of container 'app'.", path: "containerDefinitions[0].volumesFrom[0].sourceContainer"},

		// Placement constraints. [API:TaskDefinitionPlacementConstraint]
		{name: "memberOf constraint", base: ec2Base, patch: `{"placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.availability-zone in [us-east-1a]"}]}`},
		{name: "distinctInstance in a task definition", base: ec2Base, patch: `{"placementConstraints":[{"type":"distinctInstance"}]}`, code: client, msg: "type should be one of [memberOf]", path: "placementConstraints[0].type"},
		{name: "eleven constraints", base: ec2Base, patch: `{"placementConstraints":[` + strings.Join(pcs11, ",") + `]}`, code: client, msg: "at most 10", path: "placementConstraints"},

		// Tags. [API:RegisterTaskDefinitionRequest.tags]
		{name: "fifty tags", base: ec2Base, patch: `{"tags":[` + strings.Join(tags51[:50], ",") + `]}`},
		{name: "fifty-one tags", base: ec2Base, patch: `{"tags":[` + strings.Join(tags51, ",") + `]}`, code: invalid, msg: "at most 50 tags", path: "tags"},
		{name: "reserved tag prefix", base: ec2Base, patch: `{"tags":[{"key":"AWS:team","value":"x"}]}`, code: invalid, msg: "reserved for AWS use", path: "tags[0].key"},

		// Everything else.
		{name: "proxy of a missing container", base: awsvpcBase, patch: `{"proxyConfiguration":{"type":"APPMESH","containerName":"envoy"}}`, code: client, msg: "Unknown container 'envoy' in proxyConfiguration.", path: "proxyConfiguration.containerName"},
		{name: "inference accelerator not declared", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"resourceRequirements":[{"type":"InferenceAccelerator","value":"dev1"}]}`), code: client, msg: "Unknown inference accelerator 'dev1'.", path: "containerDefinitions[0].resourceRequirements[0].value"},
		{name: "GPU count not a number", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"resourceRequirements":[{"type":"GPU","value":"two"}]}`), code: client, msg: "positive whole number of GPUs", path: "containerDefinitions[0].resourceRequirements[0].value"},
		{name: "restart period 30 s", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"restartPolicy":{"enabled":true,"restartAttemptPeriod":30}}`), code: client, msg: "Valid values are 60 to 1800 seconds", path: "containerDefinitions[0].restartPolicy.restartAttemptPeriod"},
		{name: "environment file not .env", base: ec2Base, patch: `{"executionRoleArn":"r","containerDefinitions":[{"name":"app","image":"nginx","memory":64,"environmentFiles":[{"value":"arn:aws:s3:::b/app.txt","type":"s3"}]}]}`, code: client, msg: "must have a .env file extension", path: "containerDefinitions[0].environmentFiles[0].value"},
		{name: "ulimit unknown", base: ec2Base, patch: containers(`{"name":"app","image":"nginx","memory":64,"ulimits":[{"name":"files","softLimit":1,"hardLimit":2}]}`), code: client, msg: "ulimit name should be one of", path: "containerDefinitions[0].ulimits[0].name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := patchDoc(t, tc.base, tc.patch)
			m, table, _ := newTDModel(t)
			_, err := table.Invoke("ecs:RegisterTaskDefinition", []byte(doc))
			if tc.code == "" {
				require.NoError(t, err, doc)
				return
			}
			require.Error(t, err, doc)
			var ae *api.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.code, ae.Code, ae.Message)
			require.Contains(t, ae.Message, tc.msg)
			require.Equal(t, tc.path, ae.Path, ae.Message)
			require.Empty(t, m.defs.families, "a rejected definition changes nothing")
		})
	}
}

// TestFargateTaskSizes walks the whole Fargate table: every valid pair is
// accepted, given in units or in vCPU/GB strings, and the memory values
// just outside each row (one step below the minimum, one step above the
// maximum, and between steps) are rejected.
// [API:RegisterTaskDefinitionRequest.memory] [DG:AWS_Fargate]
func TestFargateTaskSizes(t *testing.T) {
	type pair struct{ cpu, memory int }
	var valid, invalidPairs []pair
	for _, row := range fargateSizes {
		for mem := row.minMiB; mem <= row.maxMiB; mem += row.stepMiB {
			if row.cpu == 256 && mem == 1536 {
				invalidPairs = append(invalidPairs, pair{row.cpu, mem}) // the hole in the 0.25 vCPU row
				continue
			}
			valid = append(valid, pair{row.cpu, mem})
		}
		invalidPairs = append(invalidPairs,
			pair{row.cpu, row.minMiB - row.stepMiB},
			pair{row.cpu, row.minMiB - 1},
			pair{row.cpu, row.maxMiB + row.stepMiB},
			pair{row.cpu, row.maxMiB + 1},
			pair{row.cpu, row.minMiB + row.stepMiB/2},
		)
	}
	// CPU values between and beyond the rows.
	invalidPairs = append(invalidPairs, pair{128, 512}, pair{384, 1024}, pair{768, 2048}, pair{3072, 8192}, pair{32768, 65536})
	require.Len(t, valid, 3+4+7+13+23+12+12, "every row of the table") // 74 pairs
	require.Equal(t, len(valid), len(FargateTaskSizes()))

	register := func(t *testing.T, cpu, memory string) error {
		_, table, _ := newTDModel(t)
		doc := patchDoc(t, fargateBase, fmt.Sprintf(`{"cpu":%q,"memory":%q}`, cpu, memory))
		_, err := table.Invoke("ecs:RegisterTaskDefinition", []byte(doc))
		return err
	}
	for _, p := range valid {
		t.Run(fmt.Sprintf("valid %d/%d", p.cpu, p.memory), func(t *testing.T) {
			require.NoError(t, register(t, fmt.Sprint(p.cpu), fmt.Sprint(p.memory)))
			require.True(t, validFargatePair(p.cpu, p.memory, false))
		})
	}
	for _, p := range invalidPairs {
		t.Run(fmt.Sprintf("invalid %d/%d", p.cpu, p.memory), func(t *testing.T) {
			err := register(t, fmt.Sprint(p.cpu), fmt.Sprint(p.memory))
			require.Error(t, err)
			var ae *api.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, api.CodeClientException, ae.Code)
			if p.cpu >= minTaskCPU && p.memory > 0 {
				require.Equal(t, fmt.Sprintf("No Fargate configuration exists for given values: %d CPU, %d memory. See the Amazon ECS documentation for the valid values.", p.cpu, p.memory), ae.Message)
			}
		})
	}
	// The unit string forms of AWS's documentation.
	for _, s := range []struct{ cpu, memory string }{
		{"1 vCPU", "2 GB"}, {"1 vcpu", "2 gb"}, {".25 vcpu", ".5 GB"}, {"0.5 vCPU", "1GB"}, {"2 vCPU", "16 GB"},
		{"4 vCPU", "30 GB"}, {"8 vCPU", "60 GB"}, {"16 vCPU", "120 GB"}, {"16vcpu", "32gb"},
	} {
		t.Run(s.cpu+"/"+s.memory, func(t *testing.T) {
			require.NoError(t, register(t, s.cpu, s.memory))
		})
	}
}

// TestParseTaskSize pins the task size string forms and their
// normalisation. [API:RegisterTaskDefinitionRequest.cpu/.memory]
func TestParseTaskSize(t *testing.T) {
	cpu := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1024", 1024, true}, {"1 vCPU", 1024, true}, {"1 vcpu", 1024, true}, {"1vCPU", 1024, true},
		{".25 vcpu", 256, true}, {"0.25 VCPU", 256, true}, {"0.125 vcpu", 128, true}, {"192 vCPU", 196608, true},
		{"", 0, false}, {"0", 0, false}, {"-1", 0, false}, {"1.5", 0, false}, {" 1024", 0, false},
		{"1 cpu", 0, false}, {"vcpu", 0, false}, {". vcpu", 0, false}, {"0.3 vcpu", 0, false}, {"1e3", 0, false},
		{"99999999999999999999", 0, false}, {"1 GB", 0, false},
	}
	for _, c := range cpu {
		n, ok := parseTaskCPU(c.in)
		require.Equal(t, c.ok, ok, "cpu %q", c.in)
		require.Equal(t, c.want, n, "cpu %q", c.in)
	}
	mem := []struct {
		in   string
		want int
		ok   bool
	}{
		{"512", 512, true}, {"1GB", 1024, true}, {"1 GB", 1024, true}, {"2 gb", 2048, true}, {".5 GB", 512, true},
		{"0.5 gb", 512, true}, {"120 GB", 122880, true}, {"1.5GB", 1536, true},
		{"", 0, false}, {"1 MB", 0, false}, {"1 TB", 0, false}, {"0 GB", 0, false}, {"GB", 0, false}, {"0.0001 GB", 0, false},
	}
	for _, c := range mem {
		n, ok := parseTaskMemory(c.in)
		require.Equal(t, c.ok, ok, "memory %q", c.in)
		require.Equal(t, c.want, n, "memory %q", c.in)
	}
}
