package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
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

// entry is one queued event: its key (at, seq) and the slot that holds its
// handler. gen must match the slot's generation, else the entry is stale
// (its timer was cancelled and the slot perhaps reused).
type entry struct {
	at   Time
	seq  uint64
	slot uint32
	gen  uint32
}

func (a *entry) less(b *entry) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// slot holds a pending event's handler, so that queue entries stay small
// plain structs and a Timer can find its event in O(1).
type slot struct {
	gen  uint32
	live bool
	lane int32 // index into Engine.lanes, or -1 for the heap
	at   Time
	fn   func() error
	act  Action
	arg  any
}

// compactMin is the number of stale heap entries below which the engine
// does not bother to compact.
const compactMin = 1024

// Engine is a single-threaded discrete-event engine. The zero value is not
// usable; call [New].
type Engine struct {
	now       Time
	seq       uint64
	heap      []entry
	stale     int // stale entries still in heap
	lanes     []*Lane
	slots     []slot
	free      []uint32
	processed uint64

	seed    uint64
	streams map[string]*rand.Rand
	trace   *Trace
}

// New returns an engine whose clock reads start, whose random streams derive
// from seed, and whose trace is empty.
func New(seed uint64, start Time) *Engine {
	return &Engine{
		now:     start,
		seed:    seed,
		streams: make(map[string]*rand.Rand),
		trace:   NewTrace(),
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
func (e *Engine) Pending() int {
	n := len(e.heap) - e.stale
	for _, l := range e.lanes {
		n += l.live
	}
	return n
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
	return e.push(at, fn, nil, nil), nil
}

// After runs fn once d has passed. A negative d is an error.
func (e *Engine) After(d time.Duration, fn func() error) (Timer, error) {
	if d < 0 {
		return Timer{}, fmt.Errorf("%w: negative delay %s", ErrPast, d)
	}
	return e.push(e.now.Add(d), fn, nil, nil), nil
}

// ScheduleArg runs act(arg) at virtual time at, without allocating when act
// is a stored function value and arg is pointer-shaped.
func (e *Engine) ScheduleArg(at Time, act Action, arg any) (Timer, error) {
	if at < e.now {
		return Timer{}, fmt.Errorf("%w: %s is before now (%s)", ErrPast, at, e.now)
	}
	return e.push(at, nil, act, arg), nil
}

// AfterArg runs act(arg) once d has passed. A negative d is an error.
func (e *Engine) AfterArg(d time.Duration, act Action, arg any) (Timer, error) {
	if d < 0 {
		return Timer{}, fmt.Errorf("%w: negative delay %s", ErrPast, d)
	}
	return e.push(e.now.Add(d), nil, act, arg), nil
}

func (e *Engine) alloc(lane int32, at Time, fn func() error, act Action, arg any) (uint32, uint32) {
	var id uint32
	if n := len(e.free); n > 0 {
		id = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		id = uint32(len(e.slots))
		e.slots = append(e.slots, slot{})
	}
	s := &e.slots[id]
	s.live, s.lane, s.at, s.fn, s.act, s.arg = true, lane, at, fn, act, arg
	return id, s.gen
}

func (e *Engine) release(id uint32) {
	s := &e.slots[id]
	s.gen++
	s.live, s.fn, s.act, s.arg = false, nil, nil, nil
	e.free = append(e.free, id)
}

func (e *Engine) push(at Time, fn func() error, act Action, arg any) Timer {
	id, gen := e.alloc(-1, at, fn, act, arg)
	e.seq++
	e.heap = append(e.heap, entry{at: at, seq: e.seq, slot: id, gen: gen})
	e.up(len(e.heap) - 1)
	return Timer{e: e, slot: id, gen: gen}
}

// 4-ary heap: shallower than a binary heap, and the four children of a node
// share a cache line or two.

func (e *Engine) up(i int) {
	h := e.heap
	x := h[i]
	for i > 0 {
		p := (i - 1) / 4
		if !x.less(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}

func (e *Engine) down(i int) {
	h := e.heap
	n := len(h)
	x := h[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if h[j].less(&h[m]) {
				m = j
			}
		}
		if !h[m].less(&x) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = x
}

func (e *Engine) popHeap() {
	n := len(e.heap) - 1
	e.heap[0] = e.heap[n]
	e.heap = e.heap[:n]
	if n > 0 {
		e.down(0)
	}
}

// compact drops stale entries from the heap and restores heap order. It runs
// when stale entries outnumber live ones, so its O(n) cost is amortised over
// the cancellations that made it necessary.
func (e *Engine) compact() {
	live := e.heap[:0]
	for _, x := range e.heap {
		if e.slots[x.slot].gen == x.gen {
			live = append(live, x)
		}
	}
	clear(e.heap[len(live):])
	e.heap = live
	e.stale = 0
	// (n-2)/4 is the last parent; Go's division truncates toward zero, so
	// with n == 0 it would be 0 and down(0) would index an empty heap.
	for i := (len(e.heap) - 2) / 4; i >= 0 && len(e.heap) > 1; i-- {
		e.down(i)
	}
}

// peek returns the earliest live event and where it is: lane index, or -1
// for the heap. ok is false when nothing is pending.
func (e *Engine) peek() (x entry, lane int, ok bool) {
	for len(e.heap) > 0 {
		top := e.heap[0]
		if e.slots[top.slot].gen == top.gen {
			x, lane, ok = top, -1, true
			break
		}
		e.popHeap()
		e.stale--
	}
	for i, l := range e.lanes {
		for l.n > 0 {
			head := l.buf[l.head]
			if e.slots[head.slot].gen == head.gen {
				if !ok || head.less(&x) {
					x, lane, ok = head, i, true
				}
				break
			}
			l.pop()
		}
	}
	return x, lane, ok
}

// NextAt returns the time of the earliest pending event, or [Never].
func (e *Engine) NextAt() Time {
	x, _, ok := e.peek()
	if !ok {
		return Never
	}
	return x.at
}

// Step runs the earliest pending event, advancing the clock to its time.
// It reports whether an event ran; a handler's error is returned as an
// [*EventError].
func (e *Engine) Step() (bool, error) {
	x, lane, ok := e.peek()
	if !ok {
		return false, nil
	}
	if lane < 0 {
		e.popHeap()
	} else {
		l := e.lanes[lane]
		l.pop()
		l.live--
	}
	return true, e.fire(x)
}

func (e *Engine) fire(x entry) error {
	s := &e.slots[x.slot]
	fn, act, arg := s.fn, s.act, s.arg
	e.release(x.slot)
	e.now = x.at
	e.processed++
	var err error
	if fn != nil {
		err = fn()
	} else {
		err = act(arg)
	}
	if err != nil {
		return &EventError{At: x.at, Err: err}
	}
	return nil
}

// RunUntil runs every event due at or before t, in order, then sets the
// clock to t. Events due exactly at t run; events after t stay queued. It
// stops at the first handler error, leaving the clock at that event's time.
// A t before now is an error.
func (e *Engine) RunUntil(t Time) error {
	if t < e.now {
		return fmt.Errorf("%w: cannot run until %s, now is %s", ErrPast, t, e.now)
	}
	for {
		x, _, ok := e.peek()
		if !ok || x.at > t {
			break
		}
		if _, err := e.Step(); err != nil {
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
func (e *Engine) RunUntilFunc(deadline Time, done func() bool) (bool, error) {
	if deadline < e.now {
		return false, fmt.Errorf("%w: deadline %s is before now (%s)", ErrPast, deadline, e.now)
	}
	for {
		if done() {
			return true, nil
		}
		x, _, ok := e.peek()
		if !ok || x.at > deadline {
			e.now = deadline
			return done(), nil
		}
		if _, err := e.Step(); err != nil {
			return false, err
		}
	}
}

// Timer is a handle on a scheduled event. The zero Timer refers to nothing.
type Timer struct {
	e    *Engine
	slot uint32
	gen  uint32
}

// Pending reports whether the event has yet to run and was not cancelled.
func (t Timer) Pending() bool {
	return t.e != nil && t.e.slots[t.slot].gen == t.gen && t.e.slots[t.slot].live
}

// At returns when the event is due, or [Never] when it is not pending.
func (t Timer) At() Time {
	if !t.Pending() {
		return Never
	}
	return t.e.slots[t.slot].at
}

// Cancel stops the event from running. It reports whether the event was
// still pending; cancelling twice, or after the event ran, does nothing.
func (t Timer) Cancel() bool {
	if !t.Pending() {
		return false
	}
	e := t.e
	lane := e.slots[t.slot].lane
	e.release(t.slot)
	// The queue entry is now stale. Heap entries are counted so that the
	// heap can be compacted; lane entries drain within one period anyway.
	if lane >= 0 {
		e.lanes[lane].live--
	} else {
		e.stale++
		if e.stale >= compactMin && 2*e.stale > len(e.heap) {
			e.compact()
		}
	}
	return true
}
