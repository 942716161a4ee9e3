package sim

import (
	"fmt"
	"runtime"

	"github.com/cespare/xxhash/v2"
)

// Deferred encoding.
//
// Writing every record's line and hashing it is a large part of a long
// run: a task event carries the whole task, about 2 KB of JSON. When
// nothing reads lines (records are not kept and every observer came
// through [Trace.ObserveEvents]) and the engine is running, the trace
// hands records to an encoder goroutine in batches instead: events marked
// [Event.Deferred] as they are, any other as its line, encoded at once so
// that the model may reuse its detail. The encoder writes and hashes them
// in the records' order, so the hash is the one the trace computes
// alone. The encoder lives only while a run is under way: the run waits
// until it has done its work and is leaving before returning, so nothing
// is left running between runs, and what is read outside a run is whole.
// Anything that needs the lines or the hash during a run (Hash, Err,
// Keep, a new observer) first waits for it.

const (
	// batchRecords is how many records a batch carries: enough that
	// handing one over is rare, few enough that the models' deferred
	// details stay in cache until the encoder reads them.
	batchRecords = 128
	// batchesQueued is how many batches may wait for the encoder before
	// Record waits for it in turn.
	batchesQueued = 4
	// maxBatches is how many batches a trace has at most: those queued,
	// the one being encoded and the one being filled.
	maxBatches = batchesQueued + 2
)

// batch is records on their way to the encoder.
type batch struct {
	recs  []pendingRecord
	lines []byte // the lines encoded at once, back to back, newlines included
	last  int    // the sequence number of the last record
}

// pendingRecord is a deferred event, or a line in its batch's lines.
type pendingRecord struct {
	ev       Event // a deferred event; its Detail is nil for a line
	from, to int32
}

// encoder is the goroutine that encodes and hashes batches.
type encoder struct {
	work   chan *batch
	done   chan *batch // batches encoded, for reuse
	exited chan struct{}
	failed any // what an encoding panicked with
}

// Defers reports whether a record made now may be encoded later: an
// event marked [Event.Deferred] would reach the encoder as it is, so its
// detail must stay unchanged until [Trace.Encoded] reaches its Seq.
func (t *Trace) Defers() bool { return t.runs > 0 && t.lineless && t.twoCores }

// Concurrent sets whether the trace may write and hash its lines on a
// second goroutine while a run goes on, when nothing reads them (see
// [Trace.ObserveEvents]). It may by default, when GOMAXPROCS is above 1.
// A caller that already keeps every core busy, such as a sweep running a
// world per core, turns it off: the second goroutine would only compete.
func (t *Trace) Concurrent(on bool) {
	t.finish()
	t.serial = !on
}

// beginRun tells the trace that the engine is running events. Every
// beginRun is followed by an endRun.
func (t *Trace) beginRun() {
	if t.runs == 0 {
		// With one processor the encoder could only take turns with
		// the run.
		t.twoCores = !t.serial && runtime.GOMAXPROCS(0) > 1
	}
	t.runs++
}

// endRun ends what beginRun began. The last one waits until every record
// is encoded and hashed.
func (t *Trace) endRun() {
	t.runs--
	if t.runs == 0 {
		t.finish()
	}
}

// Encoded returns the sequence number of the last record whose line is
// written and hashed: a model may change the detail of a deferred event
// once Encoded reaches its record's Seq.
func (t *Trace) Encoded() int {
	if t.cur == nil && t.pipe == nil {
		return t.n
	}
	return int(t.encoded.Load())
}

// WaitEncoded returns once every record so far is written and hashed.
func (t *Trace) WaitEncoded() { t.finish() }

// recordLater records ev for the encoder, and hands it to the observers.
func (t *Trace) recordLater(ev *Event) {
	t.n++
	b := t.cur
	if b == nil {
		b = t.newBatch()
		t.cur = b
	}
	d, ok := ev.Detail.(JSONAppender)
	if ev.Deferred && ok {
		b.recs = append(b.recs, pendingRecord{ev: *ev})
	} else {
		from := len(b.lines)
		if ok {
			b.lines = appendLine(b.lines, &t.tw, ev, d)
		} else {
			b.lines = append(append(b.lines, t.marshal(ev)...), '\n')
		}
		b.recs = append(b.recs, pendingRecord{from: int32(from), to: int32(len(b.lines))})
	}
	b.last = t.n
	for _, o := range t.observers {
		// Every observer is lineless, or the trace would not defer.
		o.fn(Record{Seq: t.n, Event: *ev})
	}
	// An observer may have made the trace finish, and the batch gone.
	if t.cur != nil && len(t.cur.recs) >= batchRecords {
		t.send()
	}
}

// newBatch returns an empty batch: one the encoder is done with, or a
// new one while the trace has fewer than maxBatches; past that it waits
// for the encoder to finish one, so a long run allocates no more.
func (t *Trace) newBatch() *batch {
	if n := len(t.spare); n > 0 {
		b := t.spare[n-1]
		t.spare = t.spare[:n-1]
		return b
	}
	if t.pipe != nil {
		select {
		case b := <-t.pipe.done:
			return b
		default:
		}
		if t.batches == maxBatches {
			return <-t.pipe.done
		}
	}
	t.batches++
	return &batch{recs: make([]pendingRecord, 0, batchRecords)}
}

// send hands the current batch to the encoder, starting it if needed.
func (t *Trace) send() {
	b := t.cur
	t.cur = nil
	if t.pipe == nil {
		p := &encoder{
			work:   make(chan *batch, batchesQueued),
			done:   make(chan *batch, maxBatches),
			exited: make(chan struct{}),
		}
		t.pipe = p
		go p.run(t.h, t)
	}
	t.pipe.work <- b
}

// run encodes and hashes batches in order until work is closed.
func (p *encoder) run(h *xxhash.Digest, t *Trace) {
	defer close(p.exited)
	var buf []byte
	var tw TimeWriter
	for b := range p.work {
		buf = p.encode(b, h, buf, &tw)
		t.encoded.Store(int64(b.last))
		b.reset()
		select {
		case p.done <- b:
		default:
		}
	}
}

// encode writes and hashes b's records, keeping the first panic (a bug
// in a detail's AppendJSON) for Err rather than losing the process.
func (p *encoder) encode(b *batch, h *xxhash.Digest, buf []byte, tw *TimeWriter) []byte {
	defer func() {
		if r := recover(); r != nil && p.failed == nil {
			p.failed = r
		}
	}()
	for i := range b.recs {
		r := &b.recs[i]
		if r.ev.Detail == nil {
			_, _ = h.Write(b.lines[r.from:r.to])
			continue
		}
		buf = appendLine(buf[:0], tw, &r.ev, r.ev.Detail.(JSONAppender))
		_, _ = h.Write(buf)
	}
	return buf
}

// reset empties b, dropping its hold on the events' details.
func (b *batch) reset() {
	clear(b.recs)
	b.recs = b.recs[:0]
	b.lines = b.lines[:0]
}

// finish waits until every record so far is encoded and hashed, and the
// encoder, if one ran, is gone.
func (t *Trace) finish() {
	if t.pipe == nil {
		if b := t.cur; b != nil {
			// Too few records to start the encoder: encode them here.
			t.cur = nil
			p := encoder{}
			t.buf = p.encode(b, t.h, t.buf, &t.tw)
			t.fail(p.failed)
			b.reset()
			t.spare = append(t.spare, b)
		}
		t.encoded.Store(int64(t.n))
		return
	}
	if t.cur != nil {
		t.send()
	}
	p := t.pipe
	close(p.work)
	<-p.exited
	t.pipe = nil
	for len(p.done) > 0 {
		t.spare = append(t.spare, <-p.done)
	}
	t.fail(p.failed)
	t.encoded.Store(int64(t.n))
}

// fail keeps what an encoding panicked with as the trace's error.
func (t *Trace) fail(r any) {
	if r != nil && t.err == nil {
		t.err = fmt.Errorf("sim: encoding a trace line panicked: %v", r)
	}
}
