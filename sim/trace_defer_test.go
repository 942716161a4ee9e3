package sim

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// counterDetail encodes itself; a model reuses one per slot of a ring,
// as ecs does with its task events.
type counterDetail struct {
	N     int    `json:"n"`
	Name  string `json:"name"`
	panic bool
}

func (d *counterDetail) AppendJSON(b []byte) []byte {
	if d.panic {
		panic("broken detail")
	}
	b = append(b, `{"n":`...)
	b = strconv.AppendInt(b, int64(d.N), 10)
	b = AppendJSONMember(b, `,"name":`, d.Name)
	return append(b, '}')
}

// deferModel records n events from handlers: every third a map detail
// (encoded at once), the others a deferred counterDetail from a ring of
// slots that it reuses only once the trace has encoded the slot's event.
type deferModel struct {
	e      *Engine
	ring   [1000]counterDetail
	seqs   [1000]int
	next   int
	behind int // records seen not yet encoded when made
	panicN int // the event whose detail panics, if any
}

func (m *deferModel) record(i int) {
	tr := m.e.Trace()
	if i%3 == 0 {
		m.e.Record(Event{Type: "Map", Source: "test", Detail: map[string]int{"i": i}})
		return
	}
	k := m.next
	m.next = (m.next + 1) % len(m.ring)
	if m.seqs[k] > tr.Encoded() {
		tr.WaitEncoded()
	}
	d := &m.ring[k]
	*d = counterDetail{N: i, Name: "task-" + strconv.Itoa(i), panic: i == m.panicN}
	m.e.Record(Event{Type: "Counter", Source: "test", Resources: []string{"r/" + d.Name}, Detail: d, Deferred: tr.Defers()})
	m.seqs[k] = tr.Len()
	if tr.Encoded() < tr.Len() {
		m.behind++
	}
}

// runDeferModel records n events over n seconds of a run, with setup
// choosing how the trace is read.
func runDeferModel(t *testing.T, n int, setup func(*Trace), during func(i int, tr *Trace)) (*Trace, *deferModel) {
	t.Helper()
	// The trace defers only with a processor to spare.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	e := New(1, 0)
	m := &deferModel{e: e, panicN: -1}
	setup(e.Trace())
	for i := range n {
		_, err := e.After(time.Duration(i+1)*time.Second, func() error {
			m.record(i)
			if during != nil {
				during(i, e.Trace())
			}
			return nil
		})
		require.NoError(t, err)
	}
	require.NoError(t, e.RunFor(time.Duration(n+1)*time.Second))
	return e.Trace(), m
}

// TestDeferredTraceHashIsTheSame: a run whose records are encoded on the
// encoder (nothing keeps them, the observer reads events only) hashes to
// what a run that keeps its records hashes to; the observer sees every
// record, without a line; the encoder is gone once the run returns.
func TestDeferredTraceHashIsTheSame(t *testing.T) {
	const n = 5000
	kept, _ := runDeferModel(t, n, func(*Trace) {}, nil)
	require.Len(t, kept.Records(), n)

	var seen []int
	var types [2]int
	encoding := 0 // records made while the encoder ran
	deferred, m := runDeferModel(t, n, func(tr *Trace) {
		tr.Keep(false)
		tr.ObserveEvents(func(r Record) {
			require.Nil(t, r.Line)
			seen = append(seen, r.Seq)
			if r.Type == "Counter" {
				types[0]++
			} else {
				types[1]++
			}
		})
	}, func(i int, tr *Trace) {
		if tr.pipe != nil {
			if encoding == 0 {
				require.True(t, encoderRunning(), "the stacks show the encoder")
			}
			encoding++
		}
	})
	// The encoder signals the end of its work just before it returns.
	require.Eventually(t, func() bool { return !encoderRunning() }, time.Second, time.Millisecond, "the encoder ends once the run returns")
	require.Equal(t, n, deferred.Len())
	require.Equal(t, n, deferred.Encoded())
	require.NoError(t, deferred.Err())
	require.Equal(t, kept.Hash(), deferred.Hash())
	require.Len(t, seen, n)
	require.Equal(t, [2]int{n - (n+2)/3, (n + 2) / 3}, types)
	require.Greater(t, m.behind, n/2, "most records were encoded after Record returned")
	require.Greater(t, encoding, n/2, "most records were made while the encoder ran")
}

// TestDeferredTraceSwitchesMidRun: an observer that reads lines,
// registered in the middle of a run, makes the trace wait for its encoder
// and encode at once from then on; the hash stays the one of a kept run,
// and the new observer's lines are whole.
func TestDeferredTraceSwitchesMidRun(t *testing.T) {
	const n = 3000
	kept, _ := runDeferModel(t, n, func(*Trace) {}, nil)
	var lines int
	tr, m := runDeferModel(t, n, func(tr *Trace) { tr.Keep(false) }, func(i int, tr *Trace) {
		if i == n/2 {
			tr.ObserveTransient(func(r Record) {
				require.Contains(t, string(r.Line), `"source":"test"`)
				lines++
			})
		}
	})
	require.Equal(t, kept.Hash(), tr.Hash())
	require.Equal(t, n-n/2-1, lines)
	require.Greater(t, m.behind, n/4)
}

// TestDeferredTraceHashMidRun: reading the hash during a run waits for
// the encoder and gives the hash of the records so far.
func TestDeferredTraceHashMidRun(t *testing.T) {
	const n = 2000
	var mid string
	_, _ = runDeferModel(t, n, func(tr *Trace) { tr.Keep(false) }, func(i int, tr *Trace) {
		if i == n/2 {
			mid = tr.Hash()
			require.Equal(t, tr.Len(), tr.Encoded())
		}
	})
	prefix, _ := runDeferModel(t, n/2+1, func(*Trace) {}, nil)
	require.Equal(t, prefix.Hash(), mid)
}

// TestDeferredTracePanicIsAnError: a detail whose encoding panics on the
// encoder does not bring the process down: the trace reports it as its
// error once the run is over.
func TestDeferredTracePanicIsAnError(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	e := New(1, 0)
	m := &deferModel{e: e, panicN: 700}
	e.Trace().Keep(false)
	for i := range 1000 {
		_, err := e.After(time.Duration(i+1)*time.Second, func() error { m.record(i); return nil })
		require.NoError(t, err)
	}
	require.NoError(t, e.RunFor(time.Hour))
	require.ErrorContains(t, e.Trace().Err(), "broken detail")
	require.Equal(t, 1000, e.Trace().Len())
}

// TestDeferredOnlyWhileRunning: outside a run the trace encodes at once,
// deferred events included, and starts no goroutine.
func TestDeferredOnlyWhileRunning(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	e := New(1, 0)
	tr := e.Trace()
	tr.Keep(false)
	require.False(t, tr.Defers())
	d := &counterDetail{N: 1, Name: "a"}
	e.Record(Event{Type: "Counter", Source: "test", Detail: d, Deferred: true})
	require.Equal(t, 1, tr.Encoded())
	_, err := e.After(time.Second, func() error {
		require.True(t, tr.Defers())
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, e.RunFor(time.Minute))
	require.False(t, tr.Defers())
}

// TestDeferredNeedsASpareProcessor: with one processor, or with the
// trace told not to be concurrent, every record is encoded at once, and
// the hash is the same.
func TestDeferredNeedsASpareProcessor(t *testing.T) {
	const n = 2000
	kept, _ := runDeferModel(t, n, func(*Trace) {}, nil)
	serial, m := runDeferModel(t, n, func(tr *Trace) {
		tr.Keep(false)
		tr.Concurrent(false)
	}, nil)
	require.Zero(t, m.behind)
	require.Equal(t, kept.Hash(), serial.Hash())

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	e := New(1, 0)
	e.Trace().Keep(false)
	_, err := e.After(time.Second, func() error {
		require.False(t, e.Trace().Defers())
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, e.RunFor(time.Minute))
}

// encoderRunning reports whether some goroutine is an encoder: in its
// run, or made to run it and not started yet (then its stack shows only
// where it was made).
func encoderRunning() bool {
	stacks := make([]byte, 1<<20)
	s := string(stacks[:runtime.Stack(stacks, true)])
	return strings.Contains(s, "sim.(*encoder).run") || strings.Contains(s, "sim.(*Trace).send")
}
