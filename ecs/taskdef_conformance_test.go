package ecs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/internal/conformance"
)

// TestConformanceTaskDefinitionsRegister registers every corpus task
// definition and checks that describe returns it: every field given,
// with the task size normalised to integer strings, plus the fields ECS
// sets.
func TestConformanceTaskDefinitionsRegister(t *testing.T) {
	dir := conformance.Dir(t, "taskdefs")
	docs := readDocs(t, dir)
	require.NotEmpty(t, docs)
	_, table, _ := newTDModel(t)
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			reg, err := invoke(t, table, "ecs:RegisterTaskDefinition", string(d.data))
			require.NoError(t, err, "AWS accepts this document")
			td := reg["taskDefinition"].(map[string]any)
			arn := td["taskDefinitionArn"].(string)
			require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:task-definition/[A-Za-z0-9_-]+:[0-9]+$`, arn)
			require.Equal(t, "ACTIVE", td["status"])
			require.NotEmpty(t, td["compatibilities"])
			require.Contains(t, td, "registeredAt")

			desc := mustInvoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"`+arn+`"}`)
			got := desc["taskDefinition"].(map[string]any)
			require.Equal(t, td, got, "describe returns what register returned")
			want := canonicalInput(t, d.data)
			wantTags, hasTags := want["tags"]
			delete(want, "tags") // tags are not part of the definition
			require.Empty(t, subsetDiff(want, got, ""))
			if hasTags {
				withTags := mustInvoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"`+arn+`","include":["TAGS"]}`)
				require.Equal(t, wantTags, withTags["tags"])
			}
			for _, k := range []string{"cpu", "memory"} {
				if v, ok := got[k]; ok {
					require.Regexp(t, `^[1-9][0-9]*$`, v, "%s is normalised to an integer string", k)
				}
			}
		})
	}
}

// TestConformanceTaskDefinitionsNormalisedUnits pins the unit forms of the
// corpus: ".25 vcpu"/".5 gb" and "1 vcpu"/"2 gb".
func TestConformanceTaskDefinitionsNormalisedUnits(t *testing.T) {
	dir := conformance.Dir(t, "taskdefs")
	_, table, _ := newTDModel(t)
	for name, want := range map[string][2]string{
		"015-ec2-fargate-ecs-exec-vcpu-gb-units.json":           {"256", "512"},
		"025-fargate-firelens-secretoptions-vcpu-gb-units.json": {"1024", "2048"},
	} {
		for _, d := range readDocs(t, dir) {
			if d.name != name {
				continue
			}
			td := mustInvoke(t, table, "ecs:RegisterTaskDefinition", string(d.data))["taskDefinition"].(map[string]any)
			require.Equal(t, want[0], td["cpu"], name)
			require.Equal(t, want[1], td["memory"], name)
		}
	}
}

// invalidCase is one document of the corpus invalid/ folder.
type invalidCase struct {
	Operation     string          `json:"operation"`
	Input         json.RawMessage `json:"input"`
	ExpectedError string          `json:"expectedError"`
	ErrorCode     string          `json:"errorCode"`
	AlsoReported  []string        `json:"alsoReportedAs"`
}

// TestConformanceInvalidRejected submits every invalid corpus request whose
// operation is RegisterTaskDefinition and requires AWS's error code and a
// message naming the same problem.
func TestConformanceInvalidRejected(t *testing.T) {
	dir := conformance.Dir(t, "invalid")
	for _, d := range readDocs(t, dir) {
		t.Run(d.name, func(t *testing.T) {
			var c invalidCase
			require.NoError(t, json.Unmarshal(d.data, &c))
			_, table, _ := newTDModel(t)
			if c.Operation != "RegisterTaskDefinition" {
				if !table.Has("ecs:" + c.Operation) {
					t.Skipf("operation %s does not exist in ecssim yet", c.Operation)
				}
				t.Skipf("operation %s: its case needs prerequisites and runs in TestConformanceInvalidStateful (root package)", c.Operation)
			}
			_, err := table.Invoke("ecs:"+c.Operation, c.Input)
			require.Error(t, err, "AWS rejects this document with %s: %s", c.ErrorCode, c.ExpectedError)
			var ae *api.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, c.ErrorCode, ae.Code, ae.Message)
			ok := sameProblem(ae.Message, c.ExpectedError)
			for _, alt := range c.AlsoReported {
				alt, _, _ = strings.Cut(alt, " (")
				ok = ok || sameProblem(ae.Message, alt)
			}
			require.True(t, ok, "got %q, AWS says %q", ae.Message, c.ExpectedError)
			require.NotEmpty(t, ae.Path, "the error names the offending field")
		})
	}
}
