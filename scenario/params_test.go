package scenario

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// paramsScenario is a scenario whose inputs, images and expectations use
// parameters of every type.
const paramsScenario = `params:
  desired: 3
  cpu: {type: string, default: "256", description: CPU units of the task}
  ratio: {type: number, default: 0.5}
  enable: {type: bool, default: true}
  pull: {type: duration, default: 8s}
  tag: {type: string}
images:
  "web:${tag}": {pullTime: "${pull}"}
steps:
  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: "demo-${desired}", tags: [{key: k, value: "r=${ratio}"}]}}
  - at: 0s
    call: ecs:RegisterTaskDefinition
    input:
      family: web
      networkMode: awsvpc
      requiresCompatibilities: [FARGATE]
      cpu: ${cpu}
      memory: "512"
      containerDefinitions: [{name: web, image: "web:${tag}", essential: "${enable}"}]
  - {at: 0s, call: ecs:CreateService, input: {cluster: "demo-${desired}", serviceName: web, taskDefinition: web, desiredCount: "${desired}", launchType: FARGATE,
      networkConfiguration: {awsvpcConfiguration: {subnets: [subnet-aaaa0001]}}}}
  - {at: 1m, call: ecs:CreateCluster, input: {clusterName: "literal-$${desired}"}, expectError: InvalidParameterException}
expect:
  - {at: 5m, service: "demo-${desired}/web", runningCount: "${desired}"}
`

// inputOf returns one top-level field of a step's input.
func inputOf(t *testing.T, st Step, field string) any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(st.Input, &m))
	return m[field]
}

func TestParamsSubstitution(t *testing.T) {
	tests := []struct {
		name    string
		set     Settings
		cluster string
		desired float64
		cpu     string
		image   string
	}{
		{"defaults", Settings{"tag": "1.0"}, "demo-3", 3, "256", "web:1.0"},
		{"set", Settings{"tag": "2.0", "desired": "6", "cpu": "512"}, "demo-6", 6, "512", "web:2.0"},
		{"hex int is canonical", Settings{"tag": "x", "desired": "0x10"}, "demo-16", 16, "256", "web:x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseWith("p.yaml", []byte(paramsScenario), tc.set)
			require.NoError(t, err)
			require.Equal(t, tc.cluster, inputOf(t, s.Steps[0], "clusterName"))
			require.Equal(t, []any{map[string]any{"key": "k", "value": "r=0.5"}}, inputOf(t, s.Steps[0], "tags"))
			require.Equal(t, tc.cpu, inputOf(t, s.Steps[1], "cpu"), "a string parameter stays a string")
			cd := inputOf(t, s.Steps[1], "containerDefinitions").([]any)[0].(map[string]any)
			require.Equal(t, tc.image, cd["image"])
			require.Equal(t, true, cd["essential"], "a bool parameter is a boolean")
			require.Equal(t, tc.desired, inputOf(t, s.Steps[2], "desiredCount"), "an int parameter is a number")
			require.Equal(t, "literal-${desired}", inputOf(t, s.Steps[3], "clusterName"))
			require.Contains(t, s.Images, tc.image)
			require.Equal(t, tc.cluster, s.Expect[0].Cluster)
			require.JSONEq(t, strings.TrimSuffix(tc.cluster, "")[len("demo-"):], string(s.Expect[0].Checks[0].Want))
			require.Len(t, s.Params, 6)
			require.Equal(t, Param{Pos: Pos{File: "p.yaml", Line: 2, Col: 3}, Name: "desired", Type: ParamInt,
				Default: "3", HasDefault: true, Value: s.Params[0].Value}, s.Params[0])
			require.Equal(t, ParamDuration, s.Params[4].Type)
			require.False(t, s.Params[5].HasDefault)
		})
	}
}

// TestParamsRun checks that a parameter reaches the simulation: the
// service runs as many tasks as desired says.
func TestParamsRun(t *testing.T) {
	for _, desired := range []string{"2", "5"} {
		s, err := ParseWith("p.yaml", []byte(paramsScenario), Settings{"tag": "1", "desired": desired, "cpu": "256"})
		require.NoError(t, err)
		o, err := Run(s, Options{})
		require.NoError(t, err)
		require.Empty(t, o.Failures(), "runningCount: ${desired} holds with desired=%s", desired)
	}
}

func TestParamsErrors(t *testing.T) {
	const steps = "steps: []\n"
	tests := []struct {
		name string
		src  string
		set  Settings
		want []string
	}{
		{"params not a mapping", "params: [a]\n" + steps, nil,
			[]string{"p.yaml:1: params must be a mapping (key: value), not a list"}},
		{"bad name", "params: {9lives: 1}\n" + steps, nil,
			[]string{`p.yaml:1: parameter name "9lives" must be a letter followed by`}},
		{"unknown type", "params: {n: {type: innt, default: 1}}\n" + steps, nil,
			[]string{`p.yaml:1: parameter "n": unknown type "innt" (did you mean "int"?); types: int, number, bool, string, duration`}},
		{"unknown key", "params: {n: {tpye: int}}\n" + steps, nil,
			[]string{`p.yaml:1: unknown key "tpye" in parameter "n" (did you mean "type"?)`}},
		{"no type nor default", "params: {n: {description: x}}\n" + steps, nil,
			[]string{`p.yaml:1: parameter "n" needs a type or a default`}},
		{"null", "params:\n  n:\n" + steps, nil,
			[]string{`parameter "n" must be a default value or a mapping`}},
		{"default of wrong type", "params:\n  n: {type: int, default: three}\n" + steps, nil,
			[]string{`p.yaml:2: parameter "n": default: want a whole number, not "three"`}},
		{"quoted int default", "params:\n  n: {type: int, default: \"3\"}\n" + steps, nil,
			[]string{`p.yaml:2: parameter "n": default: want a value of type int, not "3"`}},
		{"bad duration default", "params:\n  d: {type: duration, default: soon}\n" + steps, nil,
			[]string{`p.yaml:2: parameter "d": default: duration "soon": want a Go duration`}},
		{"bool default", "params:\n  b: {type: bool, default: 1}\n" + steps, nil,
			[]string{`p.yaml:2: parameter "b": default: want true or false, not "1"`}},
		{"unknown reference", "params: {desired: 3}\nsteps:\n  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: \"${desird}\"}}\n", nil,
			[]string{`p.yaml:3: unknown parameter ${desird} (did you mean "desired"?); parameters: desired`}},
		{"reference without params", "steps:\n  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: \"${x}\"}}\n", nil,
			[]string{`p.yaml:2: unknown parameter ${x}; the scenario declares no parameters (add a params block)`}},
		{"unterminated", "params: {x: 1}\nsteps:\n  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: \"a${x\"}}\n", nil,
			[]string{`p.yaml:3: unterminated reference in "a${x"`}},
		{"invalid reference", "params: {x: 1}\nsteps:\n  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: \"${x y}\"}}\n", nil,
			[]string{`p.yaml:3: invalid reference ${x y}`}},
		{"substituted value of the wrong type", "params: {n: abc}\nsteps:\n  - {at: 0s, call: ecs:CreateService, input: {serviceName: s, desiredCount: \"${n}\"}}\n", nil,
			[]string{`p.yaml:3: ecs:CreateService input: SerializationException`}},
		{"substituted duration", "params: {t: soon}\nsteps:\n  - {at: \"${t}\", call: ecs:CreateCluster}\n", nil,
			[]string{`p.yaml:3: at: duration "soon"`}},
		{"set unknown", "params: {desired: 3}\n" + steps, Settings{"desire": "4"},
			[]string{`p.yaml: --set desire: no parameter "desire" (did you mean "desired"?); parameters: desired`}},
		{"set without params", steps, Settings{"x": "4"},
			[]string{`p.yaml: --set x: no parameter "x"; the scenario declares no parameters`}},
		{"set of the wrong type", "params: {desired: 3}\n" + steps, Settings{"desired": "six"},
			[]string{`p.yaml: --set desired=six: parameter "desired" is of type int: want a whole number, not "six"`}},
		{"set a bad number", "params: {r: 0.5}\n" + steps, Settings{"r": "NaN"},
			[]string{`p.yaml: --set r=NaN: parameter "r" is of type number: want a number, not "NaN"`}},
		{"required not set", "params:\n  tag: {type: string}\n" + steps, nil,
			[]string{`p.yaml:2: parameter "tag" has no default; give it a value with --set tag=VALUE`}},
		{"bad declaration is reported once", "params:\n  n: {type: nope}\nsteps:\n  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: \"${n}\"}}\n", Settings{"n": "1"},
			[]string{`p.yaml:2: parameter "n": unknown type "nope"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseWith("p.yaml", []byte(tc.src), tc.set)
			require.Nil(t, s)
			var list ErrorList
			require.ErrorAs(t, err, &list)
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			require.Len(t, got, len(tc.want), "problems: %q", got)
			for i, w := range tc.want {
				require.Contains(t, got[i], w)
			}
		})
	}
}

func TestParseSetting(t *testing.T) {
	name, value, err := ParseSetting("desired=6")
	require.NoError(t, err)
	require.Equal(t, []string{"desired", "6"}, []string{name, value})
	name, value, err = ParseSetting("tag=a=b")
	require.NoError(t, err)
	require.Equal(t, []string{"tag", "a=b"}, []string{name, value})
	for _, bad := range []string{"desired", "=6", ""} {
		_, _, err := ParseSetting(bad)
		require.ErrorContains(t, err, "must be name=value")
	}
}

func TestSweepBlock(t *testing.T) {
	const head = "params:\n  desired: 3\n  cpu: {type: string, default: \"256\"}\n  r: 0.5\nsteps: []\n"
	s, err := Parse("p.yaml", []byte(head+"sweep:\n  seeds: 101-300\n  grid:\n    desired: [2, 0x4]\n    cpu: [\"256\", 512]\n    r: [1, 2.5]\n"))
	require.NoError(t, err)
	require.Equal(t, &SweepDefaults{Pos: Pos{File: "p.yaml", Line: 7, Col: 3}, FirstSeed: 101, LastSeed: 300, Grid: []GridAxis{
		{Name: "desired", Values: []string{"2", "4"}},
		{Name: "cpu", Values: []string{"256", "512"}},
		{Name: "r", Values: []string{"1", "2.5"}},
	}}, s.Sweep)
	s, err = Parse("p.yaml", []byte(head+"sweep: {seeds: 50}\n"))
	require.NoError(t, err)
	require.Equal(t, []uint64{1, 50}, []uint64{s.Sweep.FirstSeed, s.Sweep.LastSeed})
	require.Empty(t, s.Sweep.Grid)
	s, err = Parse("p.yaml", []byte(head))
	require.NoError(t, err)
	require.Nil(t, s.Sweep)
	s, err = Parse("p.yaml", []byte(head+"sweep: {grid: {cpu: [\"${x}\"]}}\n"))
	require.NoError(t, err, "references are not substituted in the sweep block")
	require.Equal(t, []string{"${x}"}, s.Sweep.Grid[0].Values)

	tests := []struct {
		block string
		want  []string
	}{
		{"sweep: [1]\n", []string{"p.yaml:6: sweep must be a mapping"}},
		{"sweep: {seed: 3}\n", []string{`p.yaml:6: unknown key "seed" in sweep (did you mean "seeds"?); known keys: seeds, grid`}},
		{"sweep: {seeds: 0}\n", []string{`p.yaml:6: sweep.seeds: want a count such as 200 or a range such as 101-300, not "0"`}},
		{"sweep: {seeds: 9-3}\n", []string{`sweep.seeds: want a count`}},
		{"sweep: {seeds: 1-20000000}\n", []string{`sweep.seeds: at most 10000000 seeds`}},
		{"sweep: {grid: {desird: [1]}}\n", []string{`p.yaml:6: sweep.grid: no parameter "desird" (did you mean "desired"?); parameters: desired, cpu, r`}},
		{"sweep: {grid: {desired: 3}}\n", []string{`p.yaml:6: sweep.grid.desired must be a list`}},
		{"sweep: {grid: {desired: []}}\n", []string{`p.yaml:6: sweep.grid.desired has no values`}},
		{"sweep:\n  grid:\n    desired: [1, two]\n", []string{`p.yaml:8: sweep.grid.desired: parameter "desired" is of type int: want a whole number, not "two"`}},
		{"sweep:\n  grid:\n    desired: [1, 0x1]\n", []string{`p.yaml:8: sweep.grid.desired: 0x1 appears twice`}},
		{"sweep:\n  grid:\n    desired: [[1]]\n", []string{`p.yaml:8: a value of sweep.grid.desired must be a value, not a list`}},
	}
	for _, tc := range tests {
		t.Run(tc.block, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(head+tc.block))
			var list ErrorList
			require.ErrorAs(t, err, &list)
			require.Len(t, list, len(tc.want), "%v", list)
			for i, w := range tc.want {
				require.Contains(t, list[i].Error(), w)
			}
		})
	}
}
