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
// until an alarm, an API call or a report does. FlushBehind and FlushFor
// store the samples of the series alarms read (watched) at once and hand
// the minute's other due samples, whole cohorts of them, to a second
// goroutine, and return. Whatever next uses the series (Flush, which
// every read begins with, or a sample visible at once) first settles it:
// it waits for the goroutine, or, when the goroutine has not started yet
// (waking a core can take a tenth of a millisecond), takes the samples
// back and stores them itself. Each series' samples are stored in their
// order by one goroutine, so the store ends the same either way.

// behindMin is the fewest due samples handed to a second goroutine;
// fewer are stored at once, as Flush does.
const behindMin = 512

// behindBatch is the cohorts handed to a second goroutine: their other
// samples are its to store (their watched ones are stored).
type behindBatch struct {
	cohorts []*cohort
	now     sim.Time
	// claim tells who stores the samples: 0 nobody yet, then
	// claimWorker or claimCaller.
	claim atomic.Int32
	done  chan struct{} // closed when the worker has stored them
	idle  atomic.Bool   // the worker is gone: the batch may be reused
}

const (
	claimWorker = 1
	claimCaller = 2
)

// behind is a Store's state of flushing behind.
type behind struct {
	cur     *behindBatch // handed off and not settled
	owed    sim.Time     // with owing, what a flush left due
	owing   bool
	batches []*behindBatch // for reuse once idle
	workers sync.WaitGroup
}

// FlushBehind makes visible every pending sample due at or before now,
// like Flush, storing the samples of series no alarm reads on a second
// goroutine when they are many and a second processor is there; the
// store settles that before any other use of its series, and
// [Store.Settle] waits for it.
//
// While an earlier flush's goroutine is storing, or was started at this
// same instant, it stores only the watched series' samples and notes
// that the others due at now are owed: a feed that flushes right after
// another does not take the other's samples back. Settling stores them,
// before anything else can touch a series, so every series gets its
// samples in the order Flush would have given them. With nothing due it
// returns at once and leaves a batch handed off earlier to its
// goroutine: settling it there would mostly take its samples back, as a
// goroutine can take longer to begin than a feed takes to reach its
// next flush.
func (st *Store) FlushBehind(now sim.Time) {
	n := st.due(now)
	if n == 0 {
		return
	}
	for _, d := range st.cohorts[:n] {
		st.sortWatched(d)
	}
	if b := st.behind.cur; b != nil && (b.busy() || b.now == now) {
		storeWatched(st.cohorts[:n], now)
		st.behind.owed = max(st.behind.owed, now)
		st.behind.owing = true
		return
	}
	// What was owed is due now: it goes with the rest.
	st.settleBatch()
	others := 0
	for _, d := range st.cohorts[:n] {
		others += len(d.others)
	}
	var b *behindBatch
	if others >= behindMin && runtime.GOMAXPROCS(0) > 1 {
		b = st.behind.batch()
	}
	if b == nil {
		st.flushDue(now)
		return
	}
	storeWatched(st.cohorts[:n], now)
	b.now = now
	b.cohorts = append(b.cohorts[:0], st.cohorts[:n]...)
	st.popCohorts(n)
	b.claim.Store(0)
	b.idle.Store(false)
	b.done = make(chan struct{})
	st.behind.cur = b
	st.behind.workers.Add(1)
	go b.work(&st.behind.workers)
}

// FlushFor makes visible every pending sample due at or before now of
// the series an alarm is about to read, s (nil when its metric has none
// yet), and of every series alarms have read (watched), as FlushBehind
// does. A series is watched from the first time an alarm reads it;
// before that read everything is settled and flushed, as Flush does.
func (st *Store) FlushFor(s *Series, now sim.Time) {
	if s != nil && !s.watched {
		st.Flush(now)
		st.watch(s)
		return
	}
	st.FlushBehind(now)
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
	for _, d := range b.cohorts {
		d.store(d.others, b.now)
	}
}

// settle makes sure no goroutine is storing samples: the samples handed
// off are stored, by the caller if the worker has not begun, and then
// those left owed.
func (st *Store) settle() {
	owing := st.behind.owing
	st.settleBatch()
	if owing {
		st.flushDue(st.behind.owed)
	}
}

// settleBatch is settle for a caller that stores every due sample next:
// the samples left owed are due then, so it leaves them to it.
func (st *Store) settleBatch() {
	st.behind.owing = false
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
	for _, d := range b.cohorts {
		st.recycle(d)
	}
	clear(b.cohorts)
	b.cohorts = b.cohorts[:0]
}

// Settle stores what FlushBehind handed off and waits until every
// goroutine of the store has done its work and is leaving: at the end of
// a run, so that nothing is left running between runs.
func (st *Store) Settle() {
	st.settle()
	st.behind.workers.Wait()
}
