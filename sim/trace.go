package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"strconv"
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
}

// Record is an Event as the trace kept it: its position, and its canonical
// one-line JSON encoding, which is what the trace hash covers.
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
// SHA-256 over the canonical lines, so two runs can be compared by hash
// alone, and calls its observers in registration order.
type Trace struct {
	h         hash.Hash
	n         int
	keep      bool
	records   []Record
	observers []observer
	nextObs   int
	err       error
	buf       []byte // reused to build lines
}

type observer struct {
	id int
	fn func(Record)
}

// NewTrace returns an empty trace that keeps its records.
func NewTrace() *Trace { return &Trace{h: sha256.New(), keep: true} }

// Keep sets whether records are kept in memory (the default). The hash and
// the observers see every event either way; long runs that only need the
// hash, or stream records to an observer, can turn keeping off.
func (t *Trace) Keep(keep bool) { t.keep = keep }

// Observe registers fn to be called with every record from now on. The
// returned function removes it.
func (t *Trace) Observe(fn func(Record)) (remove func()) {
	t.nextObs++
	id := t.nextObs
	t.observers = append(t.observers, observer{id: id, fn: fn})
	return func() {
		for i, o := range t.observers {
			if o.id == id {
				t.observers = append(t.observers[:i:i], t.observers[i+1:]...)
				return
			}
		}
	}
}

// Record encodes ev canonically, adds it to the hash, keeps it if keeping,
// and hands it to the observers.
func (t *Trace) Record(ev Event) {
	if ev.Resources == nil {
		ev.Resources = []string{}
	}
	var line []byte
	var err error
	if d, ok := ev.Detail.(JSONAppender); ok {
		line = t.appendLine(ev, d)
	} else {
		line, err = json.Marshal(canonical{
			Time:      ev.Time.String(),
			Type:      ev.Type,
			Source:    ev.Source,
			Resources: ev.Resources,
			Detail:    ev.Detail,
		})
	}
	if err != nil {
		// A detail that cannot be encoded is a programming error in a
		// model package; keep the first one so tests can surface it, and
		// record the event without its detail so the trace stays whole.
		if t.err == nil {
			t.err = err
		}
		line = []byte(`{"time":"` + ev.Time.String() + `","detail-type":` + strconv.Quote(ev.Type) + `,"encodeError":true}`)
	}
	t.h.Write(line)
	t.h.Write([]byte{'\n'})
	t.n++
	r := Record{Seq: t.n, Line: line, Event: ev}
	if t.keep {
		t.records = append(t.records, r)
	}
	for _, o := range t.observers {
		o.fn(r)
	}
}

// appendLine builds the canonical line of an event whose detail encodes
// itself, byte for byte what json.Marshal of canonical would give, reusing
// the trace's buffer; the line returned is a copy the record can keep.
func (t *Trace) appendLine(ev Event, d JSONAppender) []byte {
	b := t.buf[:0]
	b = append(b, `{"time":"`...)
	b = ev.Time.Time().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = append(b, '"')
	b = AppendJSONField(b, false, "detail-type", ev.Type)
	b = AppendJSONField(b, false, "source", ev.Source)
	b = append(b, `,"resources":[`...)
	for i, r := range ev.Resources {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, r)
	}
	b = append(b, `],"detail":`...)
	b = d.AppendJSON(b)
	b = append(b, '}')
	t.buf = b
	return append([]byte(nil), b...)
}

// Len returns how many events have been recorded.
func (t *Trace) Len() int { return t.n }

// Records returns the kept records, oldest first. The slice must not be
// modified.
func (t *Trace) Records() []Record { return t.records }

// Err returns the first encoding error, if any event's detail failed to
// encode.
func (t *Trace) Err() error { return t.err }

// Hash returns the hex SHA-256 of every canonical line so far, each
// followed by a newline: equal hashes mean identical traces.
func (t *Trace) Hash() string {
	return hex.EncodeToString(t.h.Sum(nil))
}
