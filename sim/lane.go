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
	index  int32
	period time.Duration
	buf    []entry // ring buffer, len is a power of two
	head   int
	n      int // entries in the ring, stale ones included
	live   int // entries not cancelled
}

// Lane returns the engine's lane for period, creating it on first use.
// Lanes are kept in creation order, which is deterministic for a
// deterministic simulation. A period must be positive.
func (e *Engine) Lane(period time.Duration) (*Lane, error) {
	if period <= 0 {
		return nil, fmt.Errorf("sim: lane period must be positive, got %s", period)
	}
	for _, l := range e.lanes {
		if l.period == period {
			return l, nil
		}
	}
	l := &Lane{e: e, index: int32(len(e.lanes)), period: period, buf: make([]entry, 16)}
	e.lanes = append(e.lanes, l)
	return l, nil
}

// Period returns the lane's period.
func (l *Lane) Period() time.Duration { return l.period }

// Add runs act(arg) one period from now.
func (l *Lane) Add(act Action, arg any) Timer { return l.add(nil, act, arg) }

// AddFunc runs fn one period from now.
func (l *Lane) AddFunc(fn func() error) Timer { return l.add(fn, nil, nil) }

func (l *Lane) add(fn func() error, act Action, arg any) Timer {
	e := l.e
	at := e.now.Add(l.period)
	id, gen := e.alloc(l.index, at, fn, act, arg)
	e.seq++
	if l.n == len(l.buf) {
		l.grow()
	}
	l.buf[(l.head+l.n)&(len(l.buf)-1)] = entry{at: at, seq: e.seq, slot: id, gen: gen}
	l.n++
	l.live++
	return Timer{e: e, slot: id, gen: gen}
}

func (l *Lane) grow() {
	nb := make([]entry, 2*len(l.buf))
	for i := 0; i < l.n; i++ {
		nb[i] = l.buf[(l.head+i)&(len(l.buf)-1)]
	}
	l.buf, l.head = nb, 0
}

func (l *Lane) pop() {
	l.buf[l.head] = entry{}
	l.head = (l.head + 1) & (len(l.buf) - 1)
	l.n--
}
