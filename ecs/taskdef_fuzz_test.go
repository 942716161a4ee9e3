package ecs

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/internal/conformance"
)

// TestTestdataTaskDefinitionsRegister: the project's own documents register
// and describe back unchanged, with or without the corpus.
func TestTestdataTaskDefinitionsRegister(t *testing.T) {
	_, table, _ := newTDModel(t)
	for _, d := range readDocs(t, filepath.Join("testdata", "taskdefs")) {
		t.Run(d.name, func(t *testing.T) {
			require.Empty(t, roundTrip(t, table, d.data))
		})
	}
}

// roundTrip registers doc and, when AWS's rules accept it, checks that
// describe returns what register returned and that every field of the
// document comes back unchanged (the task size normalised). It returns the
// registration error code, "" when the document registered.
func roundTrip(tb testing.TB, table *api.Table, doc []byte) string {
	tb.Helper()
	out, err := table.Invoke("ecs:RegisterTaskDefinition", doc)
	if err != nil {
		var ae *api.Error
		require.ErrorAs(tb, err, &ae, "every failure is an AWS error")
		require.NotEqual(tb, api.CodeServerException, ae.Code, "a panic or an internal error: %v", err)
		return ae.Code
	}
	var reg struct {
		TaskDefinition map[string]any `json:"taskDefinition"`
	}
	require.NoError(tb, json.Unmarshal(out, &reg))
	arn, _ := json.Marshal(reg.TaskDefinition["taskDefinitionArn"])
	desc, err := table.Invoke("ecs:DescribeTaskDefinition", []byte(`{"taskDefinition":`+string(arn)+`}`))
	require.NoError(tb, err)
	var d struct {
		TaskDefinition map[string]any `json:"taskDefinition"`
	}
	require.NoError(tb, json.Unmarshal(desc, &d))
	require.Equal(tb, reg.TaskDefinition, d.TaskDefinition, "describe returns what register returned")
	want := canonicalInput(tb, doc)
	delete(want, "tags")
	require.Empty(tb, subsetDiff(want, d.TaskDefinition, ""), "the document comes back unchanged")

	// Registering the described definition again gives the same content:
	// the defaults ECS fills in are a fixpoint.
	again := map[string]any{}
	for k, v := range d.TaskDefinition {
		switch k {
		case "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
			"registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt":
		default:
			again[k] = v
		}
	}
	b, err := json.Marshal(again)
	require.NoError(tb, err)
	out2, err := table.Invoke("ecs:RegisterTaskDefinition", b)
	require.NoError(tb, err, "a described definition registers again")
	var reg2 struct {
		TaskDefinition map[string]any `json:"taskDefinition"`
	}
	require.NoError(tb, json.Unmarshal(out2, &reg2))
	for _, k := range []string{"taskDefinitionArn", "revision"} {
		delete(reg.TaskDefinition, k)
		delete(reg2.TaskDefinition, k)
	}
	require.Equal(tb, reg.TaskDefinition, reg2.TaskDefinition)
	return ""
}

// FuzzRegisterTaskDefinition feeds arbitrary bytes to RegisterTaskDefinition
// as its JSON input. No input may panic (the action table would turn a
// panic into a ServerException, which roundTrip rejects), and every
// accepted input must round-trip through describe unchanged.
func FuzzRegisterTaskDefinition(f *testing.F) {
	for _, dir := range []string{filepath.Join("testdata", "taskdefs")} {
		for _, d := range readDocs(f, dir) {
			f.Add(d.data)
		}
	}
	if dir, ok := conformance.Path("taskdefs"); ok {
		for _, d := range readDocs(f, dir) {
			f.Add(d.data)
		}
	}
	if dir, ok := conformance.Path("invalid"); ok {
		for _, d := range readDocs(f, dir) {
			var c invalidCase
			if json.Unmarshal(d.data, &c) == nil && c.Operation == "RegisterTaskDefinition" {
				f.Add([]byte(c.Input))
			}
		}
	}
	for _, s := range []string{ec2Base, fargateBase, awsvpcBase, `{}`, `null`, `[]`, `{"family":"x","containerDefinitions":[{}]}`,
		`{"family":"a","cpu":"0.0000000001 vcpu","containerDefinitions":[{"name":"a","image":"b","memory":1}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, table, _ := newTDModel(t)
		roundTrip(t, table, doc)
	})
}

// benchDocs returns the documents the benchmarks register: the 35 corpus
// task definitions when the corpus is present, else testdata/taskdefs.
func benchDocs(b *testing.B) [][]byte {
	docs, src := taskdefDocs(b)
	b.Logf("documents: %d from %s", len(docs), src)
	out := make([][]byte, len(docs))
	for i, d := range docs {
		out[i] = d.data
	}
	return out
}

// BenchmarkRegisterTaskDefinition registers the corpus documents in a
// loop through the action table: strict JSON decoding, validation against
// every requested launch type, compatibility computation, storage and the
// JSON response. One op is one registration of one document. The registry
// is reset every 3500 registrations so that its growth stays small.
func BenchmarkRegisterTaskDefinition(b *testing.B) {
	docs := benchDocs(b)
	_, table, _ := newTDModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%3500 == 3499 {
			b.StopTimer()
			_, table, _ = newTDModel(b)
			b.StartTimer()
		}
		if _, err := table.Invoke("ecs:RegisterTaskDefinition", docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate runs only the rule check on decoded inputs: one op is
// one validation of one corpus document against its launch types.
func BenchmarkValidate(b *testing.B) {
	docs := benchDocs(b)
	ins := make([]*RegisterTaskDefinitionInput, len(docs))
	for i, d := range docs {
		in, err := api.DecodeStrict(d, reflect.TypeFor[RegisterTaskDefinitionInput]())
		require.NoError(b, err)
		ins[i] = in.(*RegisterTaskDefinitionInput)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := validateTaskDefinition(ins[i%len(ins)]); err != nil {
			b.Fatal(err)
		}
	}
}
