package scenario

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/vpc"
)

// writeScenario writes files into a temporary directory and returns the
// path of the first one.
func writeScenario(t *testing.T, files ...string) string {
	t.Helper()
	require.Zero(t, len(files)%2, "files are name, content pairs")
	dir := t.TempDir()
	for i := 0; i < len(files); i += 2 {
		p := filepath.Join(dir, files[i])
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(files[i+1]), 0o644))
	}
	return filepath.Join(dir, files[0])
}

const taskdefJSON = `{
  "family": "web",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [{"name": "web", "image": "nginx:1.25", "essential": true}]
}
`

func TestLoadFull(t *testing.T) {
	path := writeScenario(t, "s.yaml", `name: full
description: every key
seed: 42
start: 2026-02-03T04:05:06Z
duration: 1d2h
region: eu-west-1
accountId: "111122223333"
network:
  subnets:
    - {subnetId: subnet-a, availabilityZone: eu-west-1a, cidrBlock: 10.0.0.0/24}
  securityGroups:
    - {groupId: sg-1, groupName: web}
images:
  "nginx:1.25": {pullTime: 8s, startTime: "uniform(1s,2s)"}
  "myapp:*": {exitAfter: 20s, exitCode: 1}
steps:
  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: demo}}
  - {at: 0, call: ecs:RegisterTaskDefinition, inputFile: td/web.json}
  - {at: 1h30m, call: ecs:UpdateService, input: {cluster: demo, service: web, desiredCount: 2}, expectError: ServiceNotFoundException}
expect:
  - at: 26h
    service: demo/web
    runningCount: 3
    rolloutState: COMPLETED
    deployments: 1
    tasks: {RUNNING: 3, STOPPED: 0}
    deploymentConfiguration: {maximumPercent: 200}
  - {at: 2h, service: web, desiredCount: 0}
`, "td/web.json", taskdefJSON)
	s, err := Load(path)
	require.NoError(t, err)
	require.Equal(t, "full", s.Name)
	require.Equal(t, "every key", s.Description)
	require.Equal(t, uint64(42), s.Seed)
	require.Equal(t, time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC), s.Start)
	require.Equal(t, 26*time.Hour, s.Duration)
	require.Equal(t, "eu-west-1", s.Region)
	require.Equal(t, "111122223333", s.AccountID)
	require.Equal(t, []vpc.Subnet{{ID: "subnet-a", AvailabilityZone: "eu-west-1a", CIDR: "10.0.0.0/24"}}, s.Subnets)
	require.Equal(t, []vpc.SecurityGroup{{ID: "sg-1", Name: "web"}}, s.SecurityGroups)
	require.Len(t, s.Images, 2)
	require.Equal(t, "8s", s.Images["nginx:1.25"].PullTime.String())
	require.Equal(t, 1, s.Images["myapp:*"].ExitCode)

	require.Len(t, s.Steps, 3)
	require.Equal(t, "ecs:CreateCluster", s.Steps[0].Call)
	require.JSONEq(t, `{"clusterName":"demo"}`, string(s.Steps[0].Input))
	require.Equal(t, Pos{File: path, Line: 17, Col: 5}, s.Steps[0].Pos)
	require.Equal(t, "td/web.json", s.Steps[1].InputFile)
	require.JSONEq(t, taskdefJSON, string(s.Steps[1].Input))
	require.Equal(t, 90*time.Minute, s.Steps[2].At)
	require.Equal(t, "ServiceNotFoundException", s.Steps[2].ExpectError)

	require.Len(t, s.Expect, 2)
	e := s.Expect[0]
	require.Equal(t, "demo", e.Cluster)
	require.Equal(t, "web", e.Service)
	var fields []string
	for _, c := range e.Checks {
		fields = append(fields, c.Field)
	}
	require.Equal(t, []string{"runningCount", "rolloutState", "deployments", "tasks.RUNNING", "tasks.STOPPED", "deploymentConfiguration"}, fields)
	require.Equal(t, CheckField, e.Checks[0].Kind)
	require.Equal(t, CheckDeployment, e.Checks[1].Kind)
	require.Equal(t, CheckDeployments, e.Checks[2].Kind)
	require.Equal(t, CheckTasks, e.Checks[3].Kind)
	require.Equal(t, "RUNNING", e.Checks[3].Status)
	require.Equal(t, "default", s.Expect[1].Cluster)

	cfg := s.Config()
	require.Equal(t, uint64(42), cfg.Seed)
	_, err = ecssim.New(cfg)
	require.NoError(t, err)
}

func TestDefaults(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		duration time.Duration
	}{
		{"no duration, early steps", "steps:\n  - {at: 0s, call: ecs:ListClusters}\n", DefaultDuration},
		{"no duration, a late expectation", "steps: []\nexpect:\n  - {at: 3h, service: a/b, desiredCount: 1}\n", 3 * time.Hour},
		{"explicit duration", "duration: 90s\nsteps: []\n", 90 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("my-scenario.yaml", []byte(tc.src))
			require.NoError(t, err)
			require.Equal(t, "my-scenario", s.Name, "the name defaults to the file name")
			require.Equal(t, DefaultSeed, s.Seed)
			require.Equal(t, ecssim.DefaultStart, s.Start)
			require.Equal(t, tc.duration, s.Duration)
		})
	}
}

func TestJSONScenario(t *testing.T) {
	src := "{\n\t\"name\": \"j\",\n\t\"steps\": [\n\t\t{\"at\": \"5s\", \"call\": \"ecs:CreateCluster\", \"input\": {\"clusterName\": \"x\"}}\n\t]\n}\n"
	s, err := Parse("j.json", []byte(src))
	require.NoError(t, err)
	require.Equal(t, 5*time.Second, s.Steps[0].At)
	require.Equal(t, 4, s.Steps[0].Pos.Line)
}

func TestYAMLInputConversion(t *testing.T) {
	s, err := Parse("s.yaml", []byte(`steps:
  - at: 0s
    call: ecs:CreateService
    input:
      cluster: demo
      serviceName: "007"
      desiredCount: 0x3
      enableExecuteCommand: true
      tags: [{key: k, value: "1"}]
      healthCheckGracePeriodSeconds: 1_0
`))
	require.NoError(t, err)
	require.JSONEq(t, `{"cluster":"demo","serviceName":"007","desiredCount":3,"enableExecuteCommand":true,
		"tags":[{"key":"k","value":"1"}],"healthCheckGracePeriodSeconds":10}`, string(s.Steps[0].Input))
}

func TestInputFileYAMLAndPrefix(t *testing.T) {
	path := writeScenario(t, "s.yaml", `steps:
  - {at: 0s, call: ecs:RegisterTaskDefinition, inputFile: "file://td.yaml"}
`, "td.yaml", "family: web\ncontainerDefinitions:\n  - {name: web, image: nginx}\n")
	s, err := Load(path)
	require.NoError(t, err)
	require.JSONEq(t, `{"family":"web","containerDefinitions":[{"name":"web","image":"nginx"}]}`, string(s.Steps[0].Input))
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		files []string // extra name, content pairs next to the scenario
		want  []string // substrings of the problems, in order
	}{
		{"bad yaml", "steps:\n  - {at: 0s, call: [\n", nil,
			[]string{"s.yaml:2: invalid YAML: did not find expected node content"}},
		{"tab indentation", "steps:\n\t- at: 0s\n", nil,
			[]string{"s.yaml:2: invalid YAML: found character that cannot start any token"}},
		{"empty", "", nil, []string{"s.yaml: the scenario is empty"}},
		{"not a mapping", "- a\n- b\n", nil, []string{"s.yaml:1: the scenario must be a mapping (key: value), not a list"}},
		{"two documents", "steps: []\n---\nsteps: []\n", nil, []string{"s.yaml:2: a scenario file holds one YAML document"}},
		{"no steps", "name: x\n", nil, []string{"s.yaml:1: the scenario has no steps list"}},
		{"unknown top key", "sed: 1\nsteps: []\n", nil,
			[]string{`s.yaml:1: unknown key "sed" in the scenario (did you mean "seed"?); known keys: name, description, seed`}},
		{"duplicate key", "steps: []\nsteps: []\n", nil, []string{`s.yaml:2: duplicate key "steps" in the scenario`}},
		{"bad seed", "seed: -1\nsteps: []\n", nil, []string{`s.yaml:1: seed "-1" must be a whole number`}},
		{"bad start", "start: yesterday\nsteps: []\n", nil, []string{`s.yaml:1: start "yesterday" must be an RFC 3339 time`}},
		{"start out of range", "start: 1999-12-31T00:00:00Z\nsteps: []\n", nil, []string{"s.yaml:1: start 1999-12-31T00:00:00Z must lie between the years 2000 and 2200"}},
		{"bad duration", "duration: 2 hours\nsteps: []\n", nil, []string{`s.yaml:1: duration: duration "2 hours": want a Go duration`}},
		{"negative duration", "duration: -5m\nsteps: []\n", nil, []string{`s.yaml:1: duration: duration "-5m" is negative`}},
		{"bad region", "region: moon\nsteps: []\n", nil, []string{`s.yaml:1: region "moon" is not a region name`}},
		{"bad account", "accountId: 12\nsteps: []\n", nil, []string{`s.yaml:1: accountId "12" is not 12 digits`}},
		{"bad subnet", "network:\n  subnets:\n    - {subnetId: nope, availabilityZone: us-east-1a, cidrBlock: 10.0.0.0/24}\nsteps: []\n", nil,
			[]string{"s.yaml:3: subnet: "}},
		{"unknown subnet key", "network:\n  subnets:\n    - {id: subnet-a}\nsteps: []\n", nil,
			[]string{`s.yaml:3: unknown key "id" in a subnet`}},
		{"unknown image field", "images:\n  nginx:\n    pullTme: 8s\nsteps: []\n", nil,
			[]string{`s.yaml:3: image "nginx": unknown field "pullTme"`}},
		{"bad image value", "images:\n  nginx: {healthCheck: sometimes}\nsteps: []\n", nil,
			[]string{`s.yaml:2: image "nginx": healthCheck "sometimes" is not valid`}},
		{"bad error rate", "images:\n  nginx: {http: {errorRate: 1.2}}\nsteps: []\n", nil,
			[]string{`s.yaml:2: image "nginx": http: http.errorRate 1.2 is not a fraction; want 0 to 1`}},
		{"bad distribution", "images:\n  nginx: {pullTime: \"gauss(1s)\"}\nsteps: []\n", nil,
			[]string{`s.yaml:2: image "nginx": pullTime:`}},
		{"unknown step key", "steps:\n  - {at: 0s, call: ecs:ListClusters, inptu: {}}\n", nil,
			[]string{`s.yaml:2: unknown key "inptu" in a step (did you mean "input"?)`}},
		{"unknown call", "steps:\n  - {at: 0s, call: ecs:CreateClustr, input: {clusterName: x}}\n", nil,
			[]string{`s.yaml:2: unknown call "ecs:CreateClustr" (did you mean "ecs:CreateCluster"?)`}},
		{"call without service prefix", "steps:\n  - {at: 0s, call: CreateCluster}\n", nil,
			[]string{`s.yaml:2: unknown call "CreateCluster" (did you mean "ecs:CreateCluster"?)`}},
		{"no call", "steps:\n  - {at: 0s}\n", nil, []string{"s.yaml:2: the step has no call"}},
		{"no at", "steps:\n  - {call: ecs:ListClusters}\n", nil, []string{"s.yaml:2: the step has no at"}},
		{"bad at", "steps:\n  - {at: soon, call: ecs:ListClusters}\n", nil, []string{`s.yaml:2: at: duration "soon"`}},
		{"input and inputFile", "steps:\n  - {at: 0s, call: ecs:ListClusters, input: {}, inputFile: x.json}\n", nil,
			[]string{"s.yaml:2: a step takes input or inputFile, not both"}},
		{"input not a mapping", "steps:\n  - {at: 0s, call: ecs:ListClusters, input: [1]}\n", nil,
			[]string{"s.yaml:2: input must be a mapping (a JSON object), not a list"}},
		{"unknown input parameter", "steps:\n  - at: 0s\n    call: ecs:CreateCluster\n    input:\n      clusterName: x\n      clustrName: y\n", nil,
			[]string{`s.yaml:6: ecs:CreateCluster input: SerializationException: Unknown parameter in input: "clustrName"`}},
		{"input of the wrong type", "steps:\n  - at: 0s\n    call: ecs:CreateService\n    input:\n      desiredCount: three\n", nil,
			[]string{`s.yaml:5: ecs:CreateService input: SerializationException: Invalid type for parameter desiredCount`}},
		{"missing inputFile", "steps:\n  - {at: 0s, call: ecs:RegisterTaskDefinition, inputFile: missing.json}\n", nil,
			[]string{"s.yaml:2: inputFile missing.json: cannot read missing.json: no such file or directory"}},
		{"bad inputFile", "steps:\n  - {at: 0s, call: ecs:RegisterTaskDefinition, inputFile: td.json}\n",
			[]string{"td.json", "{\"family\": [\n"},
			[]string{"s.yaml:2: inputFile td.json is neither JSON nor YAML: "}},
		{"unknown parameter in inputFile", "steps:\n  - {at: 0s, call: ecs:RegisterTaskDefinition, inputFile: td.json}\n",
			[]string{"td.json", "{\n  \"family\": \"web\",\n  \"famly\": \"x\"\n}\n"},
			[]string{`td.json:3: ecs:RegisterTaskDefinition input: SerializationException: Unknown parameter in input: "famly"`}},
		{"step after duration", "duration: 10m\nsteps:\n  - {at: 11m, call: ecs:ListClusters}\n", nil,
			[]string{"s.yaml:3: the step at 11m is after the end of the run (duration 10m)"}},
		{"expect without service", "steps: []\nexpect:\n  - {at: 1m, runningCount: 1}\n", nil,
			[]string{"s.yaml:3: the expectation has no service"}},
		{"expect unknown key", "steps: []\nexpect:\n  - {at: 1m, service: a/b, runingCount: 1}\n", nil,
			[]string{`s.yaml:3: unknown key "runingCount" in an expectation (did you mean "runningCount"?)`}},
		{"expect wrong type", "steps: []\nexpect:\n  - {at: 1m, service: a/b, runningCount: three}\n", nil,
			[]string{"s.yaml:3: runningCount: want a whole number, not string"}},
		{"expect bad rollout state", "steps: []\nexpect:\n  - {at: 1m, service: a/b, rolloutState: DONE}\n", nil,
			[]string{`s.yaml:3: rolloutState "DONE" is not one of IN_PROGRESS, COMPLETED, FAILED`}},
		{"expect deployments not a count", "steps: []\nexpect:\n  - {at: 1m, service: a/b, deployments: [1]}\n", nil,
			[]string{"s.yaml:3: deployments must be a whole number, not a list"}},
		{"expect bad task status", "steps: []\nexpect:\n  - {at: 1m, service: a/b, tasks: {RUNING: 1}}\n", nil,
			[]string{`s.yaml:3: unknown task status "RUNING" (did you mean "RUNNING"?)`}},
		{"expect checks nothing", "steps: []\nexpect:\n  - {at: 1m, service: a/b}\n", nil,
			[]string{"s.yaml:3: the expectation checks nothing"}},
		{"expect bad service", "steps: []\nexpect:\n  - {at: 1m, service: a/b/c, desiredCount: 1}\n", nil,
			[]string{`s.yaml:3: service "a/b/c" must be cluster/service`}},
		{"merge key", "base: &b {clusterName: x}\nsteps: []\n", nil, []string{`s.yaml:1: unknown key "base" in the scenario`}},
		{"non-JSON number", "steps:\n  - at: 0s\n    call: ecs:CreateService\n    input: {desiredCount: .inf}\n", nil,
			[]string{"s.yaml:4: input: .inf is not a JSON number"}},
		{"every problem at once",
			"sed: 1\nsteps:\n  - {at: 0s, call: ecs:Nope}\n  - {at: 0s, call: ecs:RegisterTaskDefinition, inputFile: gone.json}\nexpect:\n  - {at: 1m, service: a/b, runingCount: 1}\n",
			nil,
			[]string{`s.yaml:1: unknown key "sed"`, `s.yaml:3: unknown call "ecs:Nope"`, "s.yaml:4: inputFile gone.json: cannot read", `s.yaml:6: unknown key "runingCount"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := append([]string{"s.yaml", tc.src}, tc.files...)
			path := writeScenario(t, files...)
			dir := filepath.Dir(path) + string(filepath.Separator)
			s, err := Load(path)
			require.Nil(t, s)
			require.Error(t, err)
			var list ErrorList
			require.ErrorAs(t, err, &list)
			var got []string
			for _, e := range list {
				got = append(got, strings.ReplaceAll(e.Error(), dir, ""))
			}
			require.Len(t, got, len(tc.want), "problems: %q", got)
			for i, w := range tc.want {
				require.Contains(t, got[i], w)
			}
			// Validate reports the same problems.
			require.Len(t, Validate(path), len(tc.want))
		})
	}
}

func TestValidateMissingFile(t *testing.T) {
	errs := Validate(filepath.Join(t.TempDir(), "nope.yaml"))
	require.Len(t, errs, 1)
	require.Contains(t, errs[0].Error(), "nope.yaml: cannot read")
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{"yaml scenario", "name: x\nsteps: []\n", true},
		{"json scenario", `{"expect": []}`, true},
		{"task definition", `{"family": "web", "containerDefinitions": []}`, false},
		{"not yaml", "{[", false},
		{"empty", "", false},
		{"list", "- steps\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Sniff([]byte(tc.src)))
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"0s", 0, false},
		{"0", 0, false},
		{"30", 30 * time.Second, false},
		{"1.5", 1500 * time.Millisecond, false},
		{"1h30m", 90 * time.Minute, false},
		{"250ms", 250 * time.Millisecond, false},
		{"2d", 48 * time.Hour, false},
		{"1d12h", 36 * time.Hour, false},
		{"", 0, true},
		{"-1s", 0, true},
		{"-3", 0, true},
		{"1.5d", 0, true},
		{"NaN", 0, true},
		{"Inf", 0, true},
		{"1000000d", 0, true},
		{"36500d", 36500 * 24 * time.Hour, false},
		{"36501d", 0, true},
		{"36499d24h", 36500 * 24 * time.Hour, false},
		{"36499d24h1ns", 0, true},
		// Each part fits an int64 of nanoseconds; their sum does not.
		{"1d2562047h47m16s", 0, true},
		{"65535d2562047h47m16.854775807s", 0, true},
		{"2562047h47m16s", 0, true},
		{"soon", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDuration(tc.in)
			if tc.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestFormatDuration(t *testing.T) {
	for in, want := range map[time.Duration]string{
		0: "0s", 45 * time.Minute: "45m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h",
		90 * time.Second: "1m30s", 1500 * time.Millisecond: "1.5s",
		480 * time.Hour: "20d", 36 * time.Hour: "1d12h", 24*time.Hour + 90*time.Second: "1d1m30s",
	} {
		require.Equal(t, want, FormatDuration(in))
		back, err := ParseDuration(want)
		require.NoError(t, err)
		require.Equal(t, in, back)
	}
}

func TestAliasBomb(t *testing.T) {
	// Each level multiplies the expansion by nine: 9^9 nodes.
	src := "steps:\n  - at: 0s\n    call: ecs:CreateCluster\n    input:\n      clusterName: x\n      tags: &a0 [{key: k, value: v}]\n"
	for i := 1; i < 10; i++ {
		src += "      t" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat("*a"+string(rune('0'+i-1))+",", 8) + "*a" + string(rune('0'+i-1)) + "]\n"
	}
	_, err := Parse("bomb.yaml", []byte(src))
	require.ErrorContains(t, err, "aliases (*name) in the document expand to more than 1,048,576 nodes")
}

// TestLargeDocumentWithoutAliases: nodes written out in a file do not
// count against the alias budget, however many there are.
func TestLargeDocumentWithoutAliases(t *testing.T) {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for range maxNodes + 10 {
		seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"})
	}
	var b budget
	js, err := toJSON(seq, &b)
	require.NoError(t, err)
	require.Len(t, js, 2*(maxNodes+10)+1)
	require.Zero(t, b.n)
}

func TestCheckJSONIsValid(t *testing.T) {
	s, err := LoadExample(DefaultExample)
	require.NoError(t, err)
	for _, e := range s.Expect {
		for _, c := range e.Checks {
			require.True(t, json.Valid(c.Want), "%s", c.Want)
		}
	}
}

// TestStepLocate: a step's Locate follows list indices, for inline inputs
// and input files alike.
func TestStepLocate(t *testing.T) {
	src := `name: locate
steps:
  - at: 0s
    call: ecs:RegisterTaskDefinition
    input:
      family: web
      containerDefinitions:
        - {name: a, image: "nginx:1", memory: 64}
        - name: b
          image: "envoy:1"
          memory: 64
`
	s, err := Parse("locate.yaml", []byte(src))
	require.NoError(t, err)
	loc := s.Steps[0].Locate
	require.NotNil(t, loc)
	require.Equal(t, Pos{File: "locate.yaml", Line: 10, Col: 11}, loc("containerDefinitions[1].image"))
	require.Equal(t, 8, loc("containerDefinitions[0].image").Line)
	require.Equal(t, 9, loc("containerDefinitions[1]").Line)
	require.Equal(t, 9, loc("containerDefinitions[1].healthCheck").Line, "a missing member: the object that lacks it")
	require.Equal(t, 7, loc("containerDefinitions[5].image").Line, "a missing element: the list")
	require.Equal(t, 6, loc("nope").Line, "nothing found: the input mapping")
}
