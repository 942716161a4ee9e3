package sim

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/stretchr/testify/require"
)

func sampleEvents() []Event {
	return []Event{
		{Time: sec(1), Type: "ECS Task State Change", Source: "aws.ecs",
			Resources: []string{"arn:aws:ecs:us-east-1:123456789012:task/c/abc"},
			Detail:    map[string]any{"lastStatus": "RUNNING", "desiredStatus": "RUNNING"}},
		{Time: sec(2), Type: "Tick", Source: "ecssim"},
		{Time: sec(2), Type: "Sample", Source: "ecssim",
			Detail: struct {
				CPU float64 `json:"cpu"`
				Mem int     `json:"mem"`
			}{0.5, 512}},
	}
}

func hashOf(evs []Event) string {
	tr := NewTrace()
	for _, ev := range evs {
		tr.Record(ev)
	}
	return tr.Hash()
}

func TestTraceHashStable(t *testing.T) {
	evs := sampleEvents()
	h := hashOf(evs)
	require.Equal(t, h, hashOf(sampleEvents()))
	require.Len(t, h, 16)

	// Hash does not disturb the running state.
	tr := NewTrace()
	tr.Record(evs[0])
	_ = tr.Hash()
	tr.Record(evs[1])
	tr.Record(evs[2])
	require.Equal(t, h, tr.Hash())
	require.Equal(t, h, tr.Hash())

	require.Equal(t, fmt.Sprintf("%016x", xxhash.Sum64(nil)), NewTrace().Hash())
	require.Len(t, NewTrace().Hash(), 16)
}

func TestTraceHashCoversLines(t *testing.T) {
	evs := sampleEvents()
	tr := NewTrace()
	want := xxhash.New()
	for _, ev := range evs {
		tr.Record(ev)
	}
	for _, r := range tr.Records() {
		want.Write(r.Line)
		want.Write([]byte{'\n'})
	}
	require.Equal(t, fmt.Sprintf("%016x", want.Sum64()), tr.Hash())
	require.Equal(t,
		`{"time":"2000-01-01T00:00:01.000Z","detail-type":"ECS Task State Change","source":"aws.ecs",`+
			`"resources":["arn:aws:ecs:us-east-1:123456789012:task/c/abc"],`+
			`"detail":{"desiredStatus":"RUNNING","lastStatus":"RUNNING"}}`,
		string(tr.Records()[0].Line))
	require.Equal(t,
		`{"time":"2000-01-01T00:00:02.000Z","detail-type":"Tick","source":"ecssim","resources":[],"detail":null}`,
		string(tr.Records()[1].Line))
	for i, r := range tr.Records() {
		require.Equal(t, i+1, r.Seq)
	}
}

func TestTraceHashDiffers(t *testing.T) {
	base := hashOf(sampleEvents())
	tests := []struct {
		name   string
		mutate func(evs []Event) []Event
	}{
		// Trace lines carry milliseconds, so that is the finest difference.
		{"time", func(evs []Event) []Event { evs[1].Time += Time(time.Millisecond); return evs }},
		{"type", func(evs []Event) []Event { evs[1].Type = "Tock"; return evs }},
		{"source", func(evs []Event) []Event { evs[1].Source = "aws.ecs"; return evs }},
		{"resources", func(evs []Event) []Event { evs[1].Resources = []string{"x"}; return evs }},
		{"detail", func(evs []Event) []Event {
			evs[0].Detail = map[string]any{"lastStatus": "STOPPED", "desiredStatus": "RUNNING"}
			return evs
		}},
		{"order", func(evs []Event) []Event { evs[1], evs[2] = evs[2], evs[1]; return evs }},
		{"missing", func(evs []Event) []Event { return evs[:2] }},
		{"extra", func(evs []Event) []Event { return append(evs, evs[2]) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEqual(t, base, hashOf(tc.mutate(sampleEvents())))
		})
	}
}

func TestTraceKeepFalse(t *testing.T) {
	kept := NewTrace()
	lean := NewTrace()
	lean.Keep(false)
	var seen []int
	lean.Observe(func(r Record) { seen = append(seen, r.Seq) })
	for _, ev := range sampleEvents() {
		kept.Record(ev)
		lean.Record(ev)
	}
	require.Empty(t, lean.Records())
	require.Equal(t, 3, lean.Len())
	require.Equal(t, kept.Hash(), lean.Hash())
	require.Equal(t, []int{1, 2, 3}, seen)

	// Keeping can be switched back on.
	lean.Keep(true)
	lean.Record(Event{Type: "Late"})
	require.Len(t, lean.Records(), 1)
	require.Equal(t, 4, lean.Records()[0].Seq)
}

func TestTraceObserve(t *testing.T) {
	tr := NewTrace()
	var calls []string
	removeA := tr.Observe(func(r Record) { calls = append(calls, "a:"+r.Type) })
	tr.Observe(func(r Record) { calls = append(calls, "b:"+r.Type) })
	var removeC func()
	removeC = tr.Observe(func(r Record) {
		calls = append(calls, "c:"+r.Type)
		removeC() // removing itself while being called
	})

	tr.Record(Event{Type: "1"})
	require.Equal(t, []string{"a:1", "b:1", "c:1"}, calls, "registration order")

	calls = nil
	removeA()
	removeA() // idempotent
	tr.Record(Event{Type: "2"})
	require.Equal(t, []string{"b:2"}, calls)

	calls = nil
	tr.Observe(func(r Record) { calls = append(calls, "d:"+r.Type) })
	tr.Record(Event{Type: "3"})
	require.Equal(t, []string{"b:3", "d:3"}, calls)
}

func TestTraceUnencodableDetail(t *testing.T) {
	tr := NewTrace()
	require.NoError(t, tr.Err())
	var seen int
	tr.Observe(func(Record) { seen++ })
	before := tr.Hash()

	require.NotPanics(t, func() {
		tr.Record(Event{Time: sec(1), Type: "Bad", Source: "ecssim", Detail: make(chan int)})
	})
	err := tr.Err()
	require.Error(t, err)
	require.Equal(t, 1, tr.Len())
	require.Equal(t, 1, seen)
	require.NotEqual(t, before, tr.Hash(), "the event is still hashed")
	require.Contains(t, string(tr.Records()[0].Line), `"encodeError":true`)
	require.Contains(t, string(tr.Records()[0].Line), `"detail-type":"Bad"`)

	// The first error is kept.
	tr.Record(Event{Type: "Worse", Detail: func() {}})
	require.Same(t, err, tr.Err())
	tr.Record(Event{Type: "Fine"})
	require.Same(t, err, tr.Err())
	require.Equal(t, 3, tr.Len())
}

// appended is a detail that encodes itself.
type appended struct{ n int }

func (a *appended) AppendJSON(b []byte) []byte {
	return strconv.AppendInt(append(b, `{"n":`...), int64(a.n), 10)
}

// TestTraceKeptLinesOwned: lines built in the trace's reused buffer are
// copied when kept, so later records do not overwrite them, and the lean
// trace (nothing retained) hashes the same lines.
func TestTraceKeptLinesOwned(t *testing.T) {
	kept, lean := NewTrace(), NewTrace()
	lean.Keep(false)
	require.True(t, kept.Retains())
	require.False(t, lean.Retains())
	remove := lean.Observe(func(Record) {})
	require.True(t, lean.Retains())
	remove()
	removeTransient := lean.ObserveTransient(func(Record) {})
	require.False(t, lean.Retains(), "a transient observer keeps nothing")
	defer removeTransient()
	for i := range 50 {
		kept.Record(Event{Type: "N", Detail: &appended{n: i}})
		lean.Record(Event{Type: "N", Detail: &appended{n: i}})
	}
	for i, r := range kept.Records() {
		require.Contains(t, string(r.Line), `"detail":{"n":`+strconv.Itoa(i)+`}`)
	}
	require.Equal(t, kept.Hash(), lean.Hash())
}

// TestTracePlainEvent: an event whose type, source and resources are
// marked plain is written and hashed as the same event unmarked, and a
// kept line holds no newline; its time is right across a change of day.
func TestTracePlainEvent(t *testing.T) {
	marked, unmarked := NewTrace(), NewTrace()
	for i := range 3 {
		at := Time(i) * Time(13*time.Hour)
		res := []string{"arn:aws:ecs:us-east-1:123456789012:task/c/" + strconv.Itoa(i)}
		if i == 2 {
			res = append(res, "arn:aws:ecs:us-east-1:123456789012:service/c/s")
		}
		marked.Record(Event{Time: at, Type: "ECS Task State Change", Source: "aws.ecs", Resources: res, Detail: &appended{n: i}, Plain: true})
		unmarked.Record(Event{Time: at, Type: "ECS Task State Change", Source: "aws.ecs", Resources: res, Detail: &appended{n: i}})
	}
	for i, r := range marked.Records() {
		require.Equal(t, string(unmarked.Records()[i].Line), string(r.Line))
		require.NotContains(t, string(r.Line), "\n")
		require.Contains(t, string(r.Line), `{"time":"`+r.Time.Time().Format("2006-01-02T15:04:05.000Z07:00")+`"`)
	}
	require.Equal(t, `{"time":"2000-01-01T00:00:00.000Z","detail-type":"ECS Task State Change","source":"aws.ecs",`+
		`"resources":["arn:aws:ecs:us-east-1:123456789012:task/c/0"],"detail":{"n":0}`, string(marked.Records()[0].Line))
	require.Equal(t, unmarked.Hash(), marked.Hash())
	want := xxhash.New()
	for _, r := range marked.Records() {
		want.Write(r.Line)
		want.Write([]byte{'\n'})
	}
	require.Equal(t, fmt.Sprintf("%016x", want.Sum64()), marked.Hash())
}
