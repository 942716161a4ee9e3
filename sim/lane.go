package sim

import (
	"fmt"
	"time"
)

// Lane is a FIFO of events that are all due one fixed period after they
// were added. Since the clock never goes back, a lane is sorted by
// construction: adding and popping are O(1), with no heap at all. Use one
// for periodic work such as health checks and metric samples; see
// [Engine.Lane].
type Lane struct {
	e      *Engine
	index  uint32 // in Engine.lanes
	period time.Duration
	buf    []laneEntry // ring buffer, len is a power of two
	head   int
	n      int    // entries in the ring, cancelled ones included
	popped uint32 // entries ever removed from the ring, mod 2^32
}

// laneEntry is one event in a lane. It stays where it is until it leaves
// the ring (growing the ring keeps its offset from the head), so a Timer
// finds it by position, without a slot. seq is 0 once it is cancelled.
type laneEntry struct {
	at  Time
	seq uint64
	act Action
	arg any
}

// laneMark tells a lane Timer's slot, which holds laneMark|lane index, from
// a heap Timer's. A lane Timer's gen is the entry's position: entries ever
// added to the lane before it, mod 2^32.
const laneMark = 1 << 31

// Lane returns the engine's lane for period, creating it on first use.
// Lanes are kept in creation order, which is deterministic for a
// deterministic simulation. A period must be positive.
func (e *Engine) Lane(period time.Duration) (*Lane, error) {
	// Periodic work asks for its lane again each time it runs: answer
	// the last question without the search.
	if l := e.lastLane; l != nil && l.period == period {
		return l, nil
	}
	l, err := e.findLane(period)
	if err == nil {
		e.lastLane = l
	}
	return l, err
}

func (e *Engine) findLane(period time.Duration) (*Lane, error) {
	if period <= 0 {
		return nil, fmt.Errorf("sim: lane period must be positive, got %s", period)
	}
	for _, l := range e.lanes {
		if l.period == period {
			return l, nil
		}
	}
	l := &Lane{e: e, index: uint32(len(e.lanes)), period: period, buf: make([]laneEntry, 16)}
	e.lanes = append(e.lanes, l)
	return l, nil
}

// Period returns the lane's period.
func (l *Lane) Period() time.Duration { return l.period }

// Add runs act(arg) one period from now.
func (l *Lane) Add(act Action, arg any) Timer { return l.add(act, arg) }

// AddFunc runs fn one period from now.
func (l *Lane) AddFunc(fn func() error) Timer { return l.add(callFn, fn) }

func (l *Lane) add(act Action, arg any) Timer {
	e := l.e
	at := e.now.Add(l.period)
	e.seq++
	e.live++
	if l.n == len(l.buf) {
		l.grow()
	}
	l.buf[(l.head+l.n)&(len(l.buf)-1)] = laneEntry{at: at, seq: e.seq, act: act, arg: arg}
	pos := l.popped + uint32(l.n)
	l.n++
	return Timer{e: e, at: at, slot: laneMark | l.index, gen: pos}
}

func (l *Lane) grow() {
	nb := make([]laneEntry, 2*len(l.buf))
	for i := 0; i < l.n; i++ {
		nb[i] = l.buf[(l.head+i)&(len(l.buf)-1)]
	}
	l.buf, l.head = nb, 0
}

func (l *Lane) pop() {
	l.buf[l.head] = laneEntry{}
	l.head = (l.head + 1) & (len(l.buf) - 1)
	l.n--
	l.popped++
}

// first returns the lane's first pending entry, dropping cancelled ones,
// or nil.
func (l *Lane) first() *laneEntry {
	for l.n > 0 {
		if h := &l.buf[l.head]; h.seq != 0 {
			return h
		}
		l.pop()
	}
	return nil
}

// find returns the pending entry at position pos, due at at, or nil.
func (l *Lane) find(pos uint32, at Time) *laneEntry {
	off := pos - l.popped
	if off >= uint32(l.n) {
		return nil
	}
	x := &l.buf[(l.head+int(off))&(len(l.buf)-1)]
	if x.seq == 0 || x.at != at {
		return nil
	}
	return x
}
