package cloudwatch

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ecssim/ecssim/sim"
)

// Flushing behind the run.
//
// A fleet's one-minute metrics are thousands of samples a minute, each
// stored into a series of its own: memory-bound work that nothing reads
// until an alarm, an API call or a report does. FlushBehind hands a
// minute's due samples to a second goroutine and returns. Whatever next
// uses the series (Flush, which every read begins with, or a sample
// visible at once) first settles it: it waits for the goroutine, or,
// when the goroutine has not started yet (waking a core can take a tenth
// of a millisecond), takes the samples back and stores them itself. Each
// series' samples are stored in their order by one goroutine, so the
// store ends the same either way.

// behindMin is the fewest due samples handed to a second goroutine;
// fewer are stored at once, as Flush does.
const behindMin = 512

// behindBatch is the samples handed to a second goroutine: copies of
// their pending entries and of their raw values.
type behindBatch struct {
	pending []pending
	vals    []valueCount
	now     sim.Time
	// claim tells who stores the samples: 0 nobody yet, then
	// claimWorker or claimCaller.
	claim atomic.Int32
	done  chan struct{} // closed when the worker has stored them
	idle  atomic.Bool   // the worker is gone: the batch may be reused
	// unwatched tells that no series of the batch is watched (FlushFor).
	unwatched bool
}

const (
	claimWorker = 1
	claimCaller = 2
)

// behind is a Store's state of flushing behind.
type behind struct {
	cur     *behindBatch // handed off and not settled
	owed    sim.Time     // with owing, what a FlushBehind left due
	owing   bool
	batches []*behindBatch // for reuse once idle
	workers sync.WaitGroup
}

// FlushBehind makes visible every pending sample due at or before now,
// like Flush, storing them on a second goroutine when they are many and
// a second processor is there; the store settles that before any other
// use of its series, and [Store.Settle] waits for it.
//
// While an earlier FlushBehind's goroutine is storing, or was started
// at this same instant, it only notes that the samples due at now are
// owed: a feed that flushes right after another does not take the
// other's samples back. Settling stores them, before anything else can
// touch a series, so every series gets its samples in the order Flush
// would have given them. With nothing due it returns at once and leaves
// a batch handed off earlier (by an alarm's FlushFor, a minute's first
// flush) to its goroutine: settling it there would mostly take its
// samples back, as a goroutine can take longer to begin than a feed
// takes to reach its next flush.
func (st *Store) FlushBehind(now sim.Time) {
	if b := st.behind.cur; b != nil && (b.busy() || b.now == now) {
		st.behind.owed = max(st.behind.owed, now)
		st.behind.owing = true
		return
	}
	n := st.due(now)
	if n == 0 {
		// Nothing to store: a batch handed off earlier may go on.
		return
	}
	st.settle()
	n = st.due(now)
	var b *behindBatch
	if n >= behindMin && runtime.GOMAXPROCS(0) > 1 {
		b = st.behind.batch()
	}
	if b == nil {
		st.flushDue(now)
		return
	}
	b.now = now
	b.pending, b.vals = b.pending[:0], b.vals[:0]
	for i := 0; i < n; i++ {
		b.take(st, &st.pending[i])
	}
	st.pending = st.pending[:copy(st.pending, st.pending[n:])]
	st.compactValues()
	b.unwatched = false
	st.start(b)
}

// start hands b to a new goroutine.
func (st *Store) start(b *behindBatch) {
	b.claim.Store(0)
	b.idle.Store(false)
	b.done = make(chan struct{})
	st.behind.cur = b
	st.behind.workers.Add(1)
	go b.work(&st.behind.workers)
}

// FlushFor makes visible every pending sample due at or before now of
// the series an alarm is about to read, s (nil when its metric has none
// yet), and of every series alarms have read (watched). Those are stored
// at once; the other due samples go to a second goroutine when they are
// many, as FlushBehind's do, or stay owed while one stores: nothing reads
// them before a flush or read settles them. A series is watched from the
// first time an alarm reads it; before that read everything is settled
// and flushed, as Flush does.
func (st *Store) FlushFor(s *Series, now sim.Time) {
	if s != nil && !s.watched {
		st.Flush(now)
		s.watched = true
		return
	}
	b := st.behind.cur
	if b != nil && !(b.unwatched && (b.busy() || b.now == now)) {
		// A batch that may hold watched samples, or one done.
		st.settle()
		b = nil
	}
	n := st.due(now)
	if n == 0 {
		return
	}
	if b != nil {
		// A batch of unwatched samples is being stored: store the
		// watched ones, and leave the others due until it is settled.
		k := 0
		for i := 0; i < n; i++ {
			if p := st.pending[i]; p.s.watched {
				st.storePending(&p, now)
			} else {
				st.pending[k] = p
				k++
			}
		}
		if k < n {
			st.pending = append(st.pending[:k], st.pending[n:]...)
		}
		if k > 0 {
			st.behind.owed = max(st.behind.owed, now)
			st.behind.owing = true
		}
		return
	}
	unwatched := 0
	for i := 0; i < n; i++ {
		if !st.pending[i].s.watched {
			unwatched++
		}
	}
	var nb *behindBatch
	if unwatched >= behindMin && runtime.GOMAXPROCS(0) > 1 {
		nb = st.behind.batch()
	}
	if nb == nil {
		st.flushDue(now)
		return
	}
	nb.now = now
	nb.pending, nb.vals = nb.pending[:0], nb.vals[:0]
	for i := 0; i < n; i++ {
		if p := &st.pending[i]; p.s.watched {
			st.storePending(p, now)
		} else {
			nb.take(st, p)
		}
	}
	st.pending = st.pending[:copy(st.pending, st.pending[n:])]
	st.compactValues()
	nb.unwatched = true
	st.start(nb)
}

// due returns how many pending samples are due at or before now: they
// come first.
func (st *Store) due(now sim.Time) int {
	n := 0
	for n < len(st.pending) && st.pending[n].visibleAt <= now {
		n++
	}
	return n
}

// take moves the pending sample p of st into the batch, with a copy of
// its raw values.
func (b *behindBatch) take(st *Store, p *pending) {
	q := *p
	if p.n >= 0 {
		q.off = int32(len(b.vals))
		b.vals = append(b.vals, st.vals[p.off:p.off+p.n]...)
		st.live -= int(p.n)
	}
	b.pending = append(b.pending, q)
}

// storePending stores a pending sample at once.
func (st *Store) storePending(p *pending, now sim.Time) {
	var vals []valueCount
	if p.n >= 0 {
		vals = st.vals[p.off : p.off+p.n]
		st.live -= int(p.n)
	}
	p.s.add(p.minute, p.unit, p.stats, vals, now)
}

// behindBatches is how many batches a store has at most: a batch's
// goroutine that lost its batch to the caller may not have run yet when
// the next minute comes.
const behindBatches = 3

// batch returns a batch whose worker is gone, a new one while the store
// has fewer than behindBatches, or nil.
func (bh *behind) batch() *behindBatch {
	for _, b := range bh.batches {
		if b.idle.Load() {
			return b
		}
	}
	if len(bh.batches) == behindBatches {
		return nil
	}
	b := &behindBatch{}
	b.idle.Store(true)
	bh.batches = append(bh.batches, b)
	return b
}

// busy reports whether the batch's worker is storing its samples. One
// that has not begun is not busy: the caller takes its samples back
// rather than wait for a processor to run it.
func (b *behindBatch) busy() bool {
	if b.claim.Load() != claimWorker {
		return false
	}
	select {
	case <-b.done:
		return false
	default:
		return true
	}
}

// work stores the batch's samples unless the caller took them back.
func (b *behindBatch) work(wg *sync.WaitGroup) {
	defer wg.Done()
	if b.claim.CompareAndSwap(0, claimWorker) {
		b.store()
		close(b.done)
	}
	b.idle.Store(true)
}

// store stores the batch's samples, in their order.
func (b *behindBatch) store() {
	for i := range b.pending {
		p := &b.pending[i]
		var vals []valueCount
		if p.n >= 0 {
			vals = b.vals[p.off : p.off+p.n]
		}
		p.s.add(p.minute, p.unit, p.stats, vals, b.now)
	}
}

// settle makes sure no goroutine is storing samples: the samples handed
// off are stored, by the caller if the worker has not begun.
func (st *Store) settle() {
	b := st.behind.cur
	if b == nil {
		return
	}
	st.behind.cur = nil
	if b.claim.CompareAndSwap(0, claimCaller) {
		b.store()
	} else {
		<-b.done
	}
	clear(b.pending) // drop the series the copies point to
	if st.behind.owing {
		st.behind.owing = false
		st.flushDue(st.behind.owed)
	}
}

// Settle stores what FlushBehind handed off and waits until every
// goroutine of the store has done its work and is leaving: at the end of
// a run, so that nothing is left running between runs.
func (st *Store) Settle() {
	st.settle()
	st.behind.workers.Wait()
}
