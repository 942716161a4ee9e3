package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"time"
)

// Action is an event handler that takes a small argument. A long-lived
// Action (a method value stored once) plus a pointer argument schedules
// without allocating; see [Engine.ScheduleArg] and [Lane.Add].
type Action func(arg any) error

// ErrPast is returned when an event is scheduled before the current time.
var ErrPast = errors.New("sim: cannot schedule an event in the past")

// EventError is the first error returned by an event handler. It stops the
// run and carries the virtual time at which the handler failed.
type EventError struct {
	At  Time
	Err error
}

func (e *EventError) Error() string { return fmt.Sprintf("at %s: %v", e.At, e.Err) }

// Unwrap returns the handler's own error.
func (e *EventError) Unwrap() error { return e.Err }

// entry is one queued event: its key (at, seq), its handler, and the slot
// through which a Timer cancels it. Firing needs nothing but the entry; gen
// must match the slot's generation, else the entry is stale (its timer was
// cancelled and the slot perhaps reused).
type entry struct {
	at   Time
	seq  uint64
	act  Action
	arg  any
	slot uint32
	gen  uint32
}

// before reports whether the event keyed (at, seq) runs before the one
// keyed (at2, seq2).
func before(at Time, seq uint64, at2 Time, seq2 uint64) bool {
	return at < at2 || (at == at2 && seq < seq2)
}

// callFn runs a plain handler, carried as the argument: a func value is
// pointer-shaped, so storing it in an interface does not allocate.
func callFn(arg any) error { return arg.(func() error)() }

// slot is what a Timer and a queued entry share about an event that is not
// on a lane: a generation, bumped when the event runs or is cancelled.
type slot struct {
	gen uint32
}

// compactMin is the number of stale entries below which the engine does not
// bother to compact.
const compactMin = 1024

// Engine is a single-threaded discrete-event engine. The zero value is not
// usable; call [New].
type Engine struct {
	now       Time
	seq       uint64
	live      int // pending events, in every queue
	processed uint64

	// Events not on a lane live in a radix heap (radix.go), except those
	// due after topStart, which wait in heap: unsorted, in scheduling order.
	// heap joins the radix heap whole when the radix heap runs dry or heap
	// outgrows a quarter of it, and topStart then becomes topMax, the
	// latest time queued. So every time in the radix heap is at or before
	// topStart and every time in heap after it. A burst of scheduling far
	// ahead (filling the queue before the first step, say) is thus a plain
	// append, and compaction can drop cancelled far-off events before they
	// reach a bucket. Pivot rule: the radix pivot is never above the clock
	// when anything can be scheduled (see next).
	rq       radix
	heap     []entry
	topStart Time
	topMax   Time
	// stale counts the stale entries in rq and heap. While it is 0 nothing
	// queued can be stale, and popping skips the generation check.
	stale int
	// peekAt is heapNext's answer, valid while peekOK.
	peekAt Time
	peekOK bool

	lanes    []*Lane
	lastLane *Lane // the lane Lane returned last
	slots    []slot
	free     []uint32

	seed    uint64
	streams map[string]*rand.Rand
	trace   *Trace
	// runs is how many runs are under way (they may nest), and runEnd
	// what to call when the last returns: see OnRunEnd.
	runs   int
	runEnd []func()
}

// New returns an engine whose clock reads start, whose random streams derive
// from seed, and whose trace is empty.
func New(seed uint64, start Time) *Engine {
	return &Engine{
		now:      start,
		rq:       radix{last: key(start)},
		topStart: start,
		topMax:   start,
		seed:     seed,
		streams:  make(map[string]*rand.Rand),
		trace:    NewTrace(),
	}
}

// Now returns the current virtual time.
func (e *Engine) Now() Time { return e.now }

// Seed returns the seed the engine's random streams derive from.
func (e *Engine) Seed() uint64 { return e.seed }

// Trace returns the engine's trace recorder.
func (e *Engine) Trace() *Trace { return e.trace }

// Processed returns how many events have run so far.
func (e *Engine) Processed() uint64 { return e.processed }

// Pending returns how many events are waiting to run.
func (e *Engine) Pending() int { return e.live }

// OnRunEnd registers fn to be called when a run ([Engine.RunUntil],
// [Engine.RunFor], [Engine.RunUntilFunc]) returns, the outermost one when
// runs nest. A model that does work on another goroutine during a run
// waits for it in fn, so that nothing is left running between runs and
// what is read between runs is whole.
func (e *Engine) OnRunEnd(fn func()) { e.runEnd = append(e.runEnd, fn) }

// beginRun and endRun bracket a run.
func (e *Engine) beginRun() {
	e.runs++
	e.trace.beginRun()
}

func (e *Engine) endRun() {
	e.trace.endRun()
	e.runs--
	if e.runs == 0 {
		for _, fn := range e.runEnd {
			fn()
		}
	}
}

// Record adds ev to the trace, stamped with the current time.
func (e *Engine) Record(ev Event) {
	ev.Time = e.now
	e.trace.Record(ev)
}

// Schedule runs fn at virtual time at. It fails with [ErrPast] when at is
// before [Engine.Now]. Events due at the same instant run in the order they
// were scheduled.
func (e *Engine) Schedule(at Time, fn func() error) (Timer, error) {
	if at < e.now {
		return Timer{}, fmt.Errorf("%w: %s is before now (%s)", ErrPast, at, e.now)
	}
	return e.push(at, callFn, fn), nil
}

// After runs fn once d has passed. A negative d is an error.
func (e *Engine) After(d time.Duration, fn func() error) (Timer, error) {
	if d < 0 {
		return Timer{}, fmt.Errorf("%w: negative delay %s", ErrPast, d)
	}
	return e.push(e.now.Add(d), callFn, fn), nil
}

// ScheduleArg runs act(arg) at virtual time at, without allocating when act
// is a stored function value and arg is pointer-shaped.
func (e *Engine) ScheduleArg(at Time, act Action, arg any) (Timer, error) {
	if at < e.now {
		return Timer{}, fmt.Errorf("%w: %s is before now (%s)", ErrPast, at, e.now)
	}
	return e.push(at, act, arg), nil
}

// AfterArg runs act(arg) once d has passed. A negative d is an error.
func (e *Engine) AfterArg(d time.Duration, act Action, arg any) (Timer, error) {
	if d < 0 {
		return Timer{}, fmt.Errorf("%w: negative delay %s", ErrPast, d)
	}
	return e.push(e.now.Add(d), act, arg), nil
}

// alloc takes a slot for a new event.
func (e *Engine) alloc() (uint32, uint32) {
	var id uint32
	if n := len(e.free); n > 0 {
		id = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		if len(e.slots) >= laneMark {
			panic("sim: too many pending events")
		}
		id = uint32(len(e.slots))
		e.slots = append(e.slots, slot{})
	}
	e.live++
	return id, e.slots[id].gen
}

// release ends the event in slot id, whose generation is gen: its Timer
// and queue entry become stale, and the slot is free.
func (e *Engine) release(id, gen uint32) {
	e.slots[id].gen = gen + 1
	e.free = append(e.free, id)
	e.live--
}

func (e *Engine) isStale(x *entry) bool { return e.slots[x.slot].gen != x.gen }

func (e *Engine) push(at Time, act Action, arg any) Timer {
	id, gen := e.alloc()
	e.seq++
	var x *entry
	if at > e.topStart {
		if len(e.heap)%chunkLen == 0 {
			// Have the chunks that merging heap will need ready now,
			// rather than allocate them all in the step that merges.
			e.rq.reserve(len(e.heap)/chunkLen + 1)
		}
		e.heap = append(e.heap, entry{})
		x = &e.heap[len(e.heap)-1]
		e.topMax = max(e.topMax, at)
	} else {
		x = e.rq.push(at)
	}
	*x = entry{at: at, seq: e.seq, act: act, arg: arg, slot: id, gen: gen}
	if at < e.peekAt {
		e.peekAt = at
	}
	return Timer{e: e, at: at, slot: id, gen: gen}
}

// merge moves heap into the radix heap and makes topStart the latest time
// queued. Each entry passes through heap at most once.
func (e *Engine) merge() {
	if e.rq.n == 0 {
		e.rq.last = key(e.now)
	}
	for k := range e.heap {
		*e.rq.push(e.heap[k].at) = e.heap[k]
	}
	clear(e.heap)
	e.heap = e.heap[:0]
	e.topStart = e.topMax
}

// resetHeap empties the radix heap and heap, which must hold only stale
// entries, and moves the pivot to the current time.
func (e *Engine) resetHeap() {
	e.rq.reset(e.now)
	e.peekOK = false
	clear(e.heap)
	e.heap = e.heap[:0]
	e.stale = 0
	e.topStart, e.topMax = e.now, e.now
}

// keepLive drops the stale entries of s, keeping the order of the others.
func (e *Engine) keepLive(s []entry) []entry {
	w := 0
	for k := range s {
		if !e.isStale(&s[k]) {
			if w != k {
				s[w] = s[k]
			}
			w++
		}
	}
	clear(s[w:])
	return s[:w]
}

// compact drops every stale entry from the radix heap and heap. It runs
// when stale entries outnumber live ones, so its O(n) cost is amortised over
// the cancellations that made it necessary. Order within each bucket is kept,
// and no entry changes bucket.
func (e *Engine) compact() {
	e.rq.each(func(i int) { e.rq.filter(i, e.slots) })
	e.heap = e.keepLive(e.heap)
	e.stale = 0
}

// next finds the earliest pending event and reports whether it is due at or
// before limit. If so, src says where it is: the head of lane src, or for
// src < 0 the head of radix bucket -1-src. next may move the radix pivot up
// to the earliest time in the radix heap, but only when that time is at
// most limit and no lane event is earlier: then the caller either runs an
// event at or after the pivot or sets the clock to limit, so that nothing
// can be scheduled below the pivot.
func (e *Engine) next(limit Time) (src int, ok bool) {
	if e.live == 0 {
		if e.rq.n+len(e.heap) > 0 {
			e.resetHeap()
		}
		return 0, false
	}
	var lx *laneEntry
	for i, l := range e.lanes {
		if h := l.first(); h != nil && (lx == nil || before(h.at, h.seq, lx.at, lx.seq)) {
			lx, src = h, i
		}
	}
	for {
		if 4*len(e.heap) > e.rq.n {
			e.merge()
		}
		if e.rq.n == 0 {
			break
		}
		i := e.rq.lowest()
		if i < radixDigits || e.rq.single(i) {
			f := e.rq.front(i)
			if e.stale != 0 && e.isStale(f) {
				e.rq.popFront(i)
				e.stale--
				continue
			}
			if lx == nil || before(f.at, f.seq, lx.at, lx.seq) {
				return -1 - i, f.at <= limit
			}
			break
		}
		if p := e.rq.buckets[i].min; p > limit || (lx != nil && p > lx.at) {
			break
		}
		e.rq.redistribute(i)
	}
	if lx == nil || lx.at > limit {
		return 0, false
	}
	return src, true
}

// pop removes the event that next found and runs it.
func (e *Engine) pop(src int) error {
	var (
		at  Time
		act Action
		arg any
	)
	if src < 0 {
		i := -1 - src
		x := *e.rq.front(i)
		e.rq.popFront(i)
		e.peekOK = false
		if i >= radixDigits && e.rq.buckets[i].head == nil {
			// x was alone in the lowest bucket: the clock is about to
			// reach it, and it can be the pivot.
			e.rq.last = key(x.at)
		}
		e.release(x.slot, x.gen)
		at, act, arg = x.at, x.act, x.arg
	} else {
		l := e.lanes[src]
		x := l.buf[l.head]
		l.pop()
		e.live--
		at, act, arg = x.at, x.act, x.arg
	}
	e.now = at
	e.processed++
	if err := act(arg); err != nil {
		return &EventError{At: at, Err: err}
	}
	return nil
}

// ErrHandlerPanic is wrapped by the EventError of a handler that
// panicked. A panic in a handler is a bug in the model; the engine turns it
// into an error so that a simulation embedded in a program stops with a
// message instead of taking the program down.
var ErrHandlerPanic = errors.New("sim: event handler panicked")

// recoverPanic turns a handler's panic into the EventError of the run
// that was executing it (at the clock's time: the failing event's). One
// deferred call per run, not per event, keeps the hot path free of it.
func (e *Engine) recoverPanic(err *error) {
	if r := recover(); r != nil {
		*err = &EventError{At: e.now, Err: fmt.Errorf("%w: %v\n%s", ErrHandlerPanic, r, debug.Stack())}
	}
}

// heapNext returns the time of the earliest live event in the radix heap
// and heap, or Never. Unlike next it leaves the pivot where it is, so it
// may have to look through the lowest bucket; the answer is kept until the
// heap's earliest event may have changed.
func (e *Engine) heapNext() Time {
	if !e.peekOK {
		e.peekAt, e.peekOK = e.heapMin(), true
	}
	return e.peekAt
}

func (e *Engine) heapMin() Time {
	for {
		if 4*len(e.heap) > e.rq.n {
			e.merge()
		}
		if e.rq.n == 0 {
			return Never
		}
		i := e.rq.lowest()
		if i < radixDigits || e.rq.single(i) {
			f := e.rq.front(i)
			if e.stale != 0 && e.isStale(f) {
				e.rq.popFront(i)
				e.stale--
				continue
			}
			return f.at
		}
		// If the bucket's first entry due at its earliest time is stale,
		// clear the bucket of stale entries and look again.
		if e.stale == 0 || !e.isStale(e.rq.first(i)) {
			return e.rq.buckets[i].min
		}
		e.stale -= e.rq.filter(i, e.slots)
	}
}

// NextAt returns the time of the earliest pending event, or [Never].
func (e *Engine) NextAt() Time {
	if e.live == 0 {
		return Never
	}
	t := e.heapNext()
	for _, l := range e.lanes {
		if h := l.first(); h != nil {
			t = min(t, h.at)
		}
	}
	return t
}

// Step runs the earliest pending event, advancing the clock to its time.
// It reports whether an event ran; a handler's error is returned as an
// [*EventError].
func (e *Engine) Step() (ran bool, err error) {
	defer e.recoverPanic(&err)
	lane, ok := e.next(Never)
	if !ok {
		return false, nil
	}
	return true, e.pop(lane)
}

// RunUntil runs every event due at or before t, in order, then sets the
// clock to t. Events due exactly at t run; events after t stay queued. It
// stops at the first handler error, leaving the clock at that event's time.
// A t before now is an error.
func (e *Engine) RunUntil(t Time) (err error) {
	defer e.recoverPanic(&err)
	e.beginRun()
	defer e.endRun()
	if t < e.now {
		return fmt.Errorf("%w: cannot run until %s, now is %s", ErrPast, t, e.now)
	}
	for {
		lane, ok := e.next(t)
		if !ok {
			break
		}
		if err := e.pop(lane); err != nil {
			return err
		}
	}
	e.now = t
	return nil
}

// RunFor runs the simulation for d of virtual time: RunUntil(Now()+d).
func (e *Engine) RunFor(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("%w: negative duration %s", ErrPast, d)
	}
	return e.RunUntil(e.now.Add(d))
}

// RunUntilFunc runs events until done reports true (checked before the first
// event and after each one) or the next event is due after deadline. It
// reports whether done held; when it did not, the clock is left at deadline.
func (e *Engine) RunUntilFunc(deadline Time, done func() bool) (held bool, err error) {
	defer e.recoverPanic(&err)
	e.beginRun()
	defer e.endRun()
	if deadline < e.now {
		return false, fmt.Errorf("%w: deadline %s is before now (%s)", ErrPast, deadline, e.now)
	}
	for {
		if done() {
			return true, nil
		}
		lane, ok := e.next(deadline)
		if !ok {
			e.now = deadline
			return done(), nil
		}
		if err := e.pop(lane); err != nil {
			return false, err
		}
	}
}

// Timer is a handle on a scheduled event. The zero Timer refers to nothing.
type Timer struct {
	e  *Engine
	at Time
	// slot and gen are the event's slot and generation, or for a lane
	// event laneMark|lane index and the entry's position in the lane.
	slot uint32
	gen  uint32
}

// inLane returns the entry of a lane Timer whose event is pending, or nil.
func (t Timer) inLane() *laneEntry {
	return t.e.lanes[t.slot&^laneMark].find(t.gen, t.at)
}

// Pending reports whether the event has yet to run and was not cancelled.
func (t Timer) Pending() bool {
	if t.e == nil {
		return false
	}
	if t.slot&laneMark != 0 {
		return t.inLane() != nil
	}
	return t.e.slots[t.slot].gen == t.gen
}

// At returns when the event is due, or [Never] when it is not pending.
func (t Timer) At() Time {
	if !t.Pending() {
		return Never
	}
	return t.at
}

// Cancel stops the event from running. It reports whether the event was
// still pending; cancelling twice, or after the event ran, does nothing.
func (t Timer) Cancel() bool {
	e := t.e
	if e == nil {
		return false
	}
	if t.slot&laneMark != 0 {
		// The entry stays in the ring, marked, until it reaches the head:
		// within one period.
		x := t.inLane()
		if x == nil {
			return false
		}
		*x = laneEntry{at: x.at}
		e.live--
		return true
	}
	if e.slots[t.slot].gen != t.gen {
		return false
	}
	e.release(t.slot, t.gen)
	// The queue entry is now stale. It is counted, so that the radix heap
	// and heap can be compacted.
	e.peekOK = false
	e.stale++
	if e.stale >= compactMin && 2*e.stale > e.rq.n+len(e.heap) {
		e.compact()
	}
	return true
}
