package sim

import (
	"encoding/json"
	"strconv"
	"sync/atomic"

	"github.com/cespare/xxhash/v2"
)

// Event is one entry of the trace: something that happened in the simulated
// world. Type and Source follow EventBridge where AWS emits such an event
// ("ECS Task State Change" from "aws.ecs"); ecssim's own events use the
// source "ecssim". Detail must encode to JSON deterministically: structs, or
// maps (encoding/json sorts map keys).
type Event struct {
	Time      Time
	Type      string
	Source    string
	Resources []string
	Detail    any
	// Plain tells the trace that Type, Source and every resource need no
	// escaping in JSON ([JSONPlain] true of each), as the model checked
	// once where it made them, so they are copied without a scan. A
	// string that is not plain would be written wrongly: leave it false
	// when in doubt.
	Plain bool
	// Deferred tells the trace that Detail, a [JSONAppender], and
	// Resources stay unchanged until [Trace.Encoded] reaches the record's
	// sequence number, so that while a run is under way the trace may
	// encode and hash the line later, on another goroutine (see
	// [Trace.ObserveEvents]). A model sets it only for details it does not
	// touch again before then; the trace ignores it when it encodes at
	// once.
	Deferred bool
}

// Record is an Event as the trace kept it: its position, and its canonical
// one-line JSON encoding, which is what the trace hash covers.
//
// When the trace does not keep records ([Trace.Keep] false), the Line an
// observer receives is valid only during the call: copy it to keep it.
// Kept records own their lines.
type Record struct {
	Seq  int
	Line []byte
	Event
}

// canonical is the fixed field order of a trace line.
type canonical struct {
	Time      string   `json:"time"`
	Type      string   `json:"detail-type"`
	Source    string   `json:"source"`
	Resources []string `json:"resources"`
	Detail    any      `json:"detail"`
}

// Trace is the one recorder every event goes through. It keeps a running
// 64-bit xxHash over the canonical lines, so two runs can be compared by
// hash alone, and calls its observers in registration order. The hash is
// a determinism check, not a security boundary: a fast non-cryptographic
// hash is the right tool.
type Trace struct {
	h         *xxhash.Digest
	n         int
	keep      bool
	records   []Record
	observers []observer
	nextObs   int
	err       error
	buf       []byte     // reused to build lines
	tw        TimeWriter // writes the lines' times; most follow one of the same day

	// Deferred encoding, while a run is under way and nothing reads
	// lines: see defers.
	runs     int          // how many engine runs are under way (they may nest)
	lineless bool         // no kept records, and every observer takes events only
	serial   bool         // never defer: see Concurrent
	twoCores bool         // the run began with a processor to spare, and serial unset
	cur      *batch       // records not yet handed to the encoder
	pipe     *encoder     // the encoding goroutine, while one runs
	spare    []*batch     // batches the encoder is done with, for reuse
	batches  int          // how many batches the trace made
	encoded  atomic.Int64 // the sequence number through which the encoder has hashed
}

type observer struct {
	id        int
	fn        func(Record)
	transient bool // keeps nothing of the record; see ObserveTransient
	lineless  bool // reads no line; see ObserveEvents
}

// NewTrace returns an empty trace that keeps its records.
func NewTrace() *Trace { return &Trace{h: xxhash.New(), keep: true} }

// Keep sets whether records are kept in memory (the default). The hash and
// the observers see every event either way; long runs that only need the
// hash, or stream records to an observer, can turn keeping off.
func (t *Trace) Keep(keep bool) {
	t.finish()
	t.keep = keep
	t.modeChanged()
}

// Retains reports whether anything outlives a call to Record: kept records
// or observers other than transient ones. When it is false a model may pass a detail it reuses for
// the next event, since the trace only encodes it.
func (t *Trace) Retains() bool {
	if t.keep {
		return true
	}
	for _, o := range t.observers {
		if !o.transient {
			return true
		}
	}
	return false
}

// Observe registers fn to be called with every record from now on. The
// returned function removes it.
func (t *Trace) Observe(fn func(Record)) (remove func()) {
	return t.observe(fn, false)
}

// ObserveTransient registers fn like [Trace.Observe], for an observer
// that keeps nothing of a record (its line, detail or resources) beyond
// the call, such as one that only looks at the record's type. It does not
// make the trace retain records ([Trace.Retains]), so models may keep
// reusing their details.
func (t *Trace) ObserveTransient(fn func(Record)) (remove func()) {
	return t.observe(fn, true)
}

// ObserveEvents registers fn like [Trace.ObserveTransient], for an
// observer that reads a record's Seq and Event but never its line: the
// Line fn receives is always nil. When every observer is of this kind and
// records are not kept, the trace encodes and hashes lines on a second
// goroutine while the engine runs, so a long run uses a second core for
// its trace; the hash is the same either way.
func (t *Trace) ObserveEvents(fn func(Record)) (remove func()) {
	return t.observeKind(observer{fn: fn, transient: true, lineless: true})
}

func (t *Trace) observe(fn func(Record), transient bool) (remove func()) {
	return t.observeKind(observer{fn: fn, transient: transient})
}

func (t *Trace) observeKind(o observer) (remove func()) {
	t.finish()
	t.nextObs++
	id := t.nextObs
	o.id = id
	t.observers = append(t.observers, o)
	t.modeChanged()
	return func() {
		for i, o := range t.observers {
			if o.id == id {
				t.finish()
				t.observers = append(t.observers[:i:i], t.observers[i+1:]...)
				t.modeChanged()
				return
			}
		}
	}
}

// modeChanged notes whether anything reads lines, after the records'
// keeping or the observers changed.
func (t *Trace) modeChanged() {
	t.lineless = !t.keep
	for _, o := range t.observers {
		if !o.lineless {
			t.lineless = false
		}
	}
}

// Record encodes ev canonically, adds it to the hash, keeps it if keeping,
// and hands it to the observers.
func (t *Trace) Record(ev Event) {
	if ev.Resources == nil {
		ev.Resources = []string{}
	}
	if t.Defers() {
		t.recordLater(&ev)
		return
	}
	var line []byte
	owned := true // line is not t.buf, which the next Record reuses
	if d, ok := ev.Detail.(JSONAppender); ok {
		// The line and its newline are hashed in one write, from the
		// buffer they were encoded into.
		b := t.appendLine(&ev, d)
		_, _ = t.h.Write(b)
		line, owned = b[:len(b)-1], false
	} else {
		line = t.marshal(&ev)
		_, _ = t.h.Write(line)
		_, _ = t.h.Write(newline)
	}
	t.n++
	r := Record{Seq: t.n, Line: line, Event: ev}
	if t.keep {
		if !owned {
			r.Line = append([]byte(nil), line...)
		}
		t.records = append(t.records, r)
	}
	for _, o := range t.observers {
		if o.lineless {
			o.fn(Record{Seq: r.Seq, Event: r.Event})
			continue
		}
		o.fn(r)
	}
}

// marshal returns the canonical line of an event whose detail does not
// encode itself, through encoding/json, in a slice of its own.
func (t *Trace) marshal(ev *Event) []byte {
	line, err := json.Marshal(canonical{
		Time:      ev.Time.String(),
		Type:      ev.Type,
		Source:    ev.Source,
		Resources: ev.Resources,
		Detail:    ev.Detail,
	})
	if err != nil {
		// A detail that cannot be encoded is a programming error in a
		// model package; keep the first one so tests can surface it, and
		// record the event without its detail so the trace stays whole.
		if t.err == nil {
			t.err = err
		}
		line = []byte(`{"time":"` + ev.Time.String() + `","detail-type":` + strconv.Quote(ev.Type) + `,"encodeError":true}`)
	}
	return line
}

// newline ends each line in the hash.
var newline = []byte{'\n'}

// appendLine builds the canonical line of an event whose detail encodes
// itself, byte for byte what json.Marshal of canonical would give, and the
// newline the hash covers after it, in the trace's buffer, which the next
// call reuses.
func (t *Trace) appendLine(ev *Event, d JSONAppender) []byte {
	t.buf = appendLine(t.buf[:0], &t.tw, ev, d)
	return t.buf
}

// appendLine appends the canonical line of an event whose detail encodes
// itself, and a newline, to b, writing times with tw.
func appendLine(b []byte, tw *TimeWriter, ev *Event, d JSONAppender) []byte {
	b = append(b, `{"time":"`...)
	b = tw.Append(b, ev.Time)
	if ev.Plain {
		b = append(b, `","detail-type":"`...)
		b = append(b, ev.Type...)
		b = append(b, `","source":"`...)
		b = append(b, ev.Source...)
		b = append(b, `","resources":[`...)
		for i, r := range ev.Resources {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, r...)
			b = append(b, '"')
		}
	} else {
		b = append(b, '"')
		b = AppendJSONMember(b, `,"detail-type":`, ev.Type)
		b = AppendJSONMember(b, `,"source":`, ev.Source)
		b = append(b, `,"resources":[`...)
		for i, r := range ev.Resources {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSONString(b, r)
		}
	}
	b = append(b, `],"detail":`...)
	b = d.AppendJSON(b)
	return append(b, '}', '\n')
}

// Len returns how many events have been recorded.
func (t *Trace) Len() int { return t.n }

// Records returns the kept records, oldest first. The slice must not be
// modified.
func (t *Trace) Records() []Record { return t.records }

// Err returns the first encoding error, if any event's detail failed to
// encode.
func (t *Trace) Err() error {
	t.finish()
	return t.err
}

// Hash returns the 64-bit xxHash of every canonical line so far, each
// followed by a newline, as 16 hex digits: equal hashes mean identical
// traces.
func (t *Trace) Hash() string {
	t.finish()
	var b [16]byte
	v := t.h.Sum64()
	for i := 15; i >= 0; i-- {
		b[i] = hexChars[v&0xf]
		v >>= 4
	}
	return string(b[:])
}
