package sim

import (
	"container/heap"
	"fmt"
	"testing"
	"time"
)

// The hold model is the classic benchmark for event queues: the queue holds
// N pending events; each operation removes the earliest one, whose handler
// schedules one new event a random delay later, so N stays constant. Delays
// are exponential with a mean of one second. They come from a seeded stream
// and are pre-drawn into a ring, so that the random number generator does
// not dominate the figures, and every queue sees the same delays.

const (
	holdSeed = 20000101
	holdRing = 1 << 16 // pre-drawn delays, a power of two
)

var holdSizes = []int{1_000, 100_000, 1_000_000}

// holdDelays returns n delays for pre-filling the queue and a ring of
// holdRing delays for the steady state, all in nanoseconds.
func holdDelays(n int) (prefill, ring []float64) {
	r := New(holdSeed, 0).Rand("bench/hold")
	exp := func() float64 { return r.ExpFloat64() * float64(time.Second) }
	prefill = make([]float64, n)
	for i := range prefill {
		prefill[i] = exp()
	}
	ring = make([]float64, holdRing)
	for i := range ring {
		ring[i] = exp()
	}
	return prefill, ring
}

// engineHold is the hold model on the Engine's heap. Its handler is an
// Action stored once, with a pointer argument: scheduling allocates nothing.
type engineHold struct {
	e    *Engine
	ring []float64
	next int
	act  Action
}

func (h *engineHold) fire(arg any) error {
	d := time.Duration(h.ring[h.next&(holdRing-1)])
	h.next++
	_, err := h.e.AfterArg(d, h.act, arg)
	return err
}

func BenchmarkEngineHold(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			prefill, ring := holdDelays(n)
			h := &engineHold{e: New(holdSeed, 0), ring: ring}
			h.act = h.fire
			for _, d := range prefill {
				if _, err := h.e.AfterArg(time.Duration(d), h.act, h); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if ok, err := h.e.Step(); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
			if h.e.Pending() != n {
				b.Fatalf("pending %d, want %d", h.e.Pending(), n)
			}
		})
	}
}

// The baseline: container/heap over pointers to events that carry an
// interface-typed handler, allocating an event per schedule. This is the
// queue one writes first.

type naiveHandler interface{ Fire() error }

type naiveEvent struct {
	at  Time
	seq uint64
	h   naiveHandler
}

type naiveHeap []*naiveEvent

func (q naiveHeap) Len() int { return len(q) }
func (q naiveHeap) Less(i, j int) bool {
	return q[i].at < q[j].at || (q[i].at == q[j].at && q[i].seq < q[j].seq)
}
func (q naiveHeap) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *naiveHeap) Push(x any)   { *q = append(*q, x.(*naiveEvent)) }
func (q *naiveHeap) Pop() any {
	old := *q
	n := len(old) - 1
	ev := old[n]
	old[n] = nil
	*q = old[:n]
	return ev
}

type naiveQueue struct {
	now  Time
	seq  uint64
	heap naiveHeap
}

func (q *naiveQueue) after(d time.Duration, h naiveHandler) {
	q.seq++
	heap.Push(&q.heap, &naiveEvent{at: q.now.Add(d), seq: q.seq, h: h})
}

func (q *naiveQueue) step() (bool, error) {
	if len(q.heap) == 0 {
		return false, nil
	}
	ev := heap.Pop(&q.heap).(*naiveEvent)
	q.now = ev.at
	return true, ev.h.Fire()
}

type naiveHold struct {
	q    *naiveQueue
	ring []float64
	next int
}

func (h *naiveHold) Fire() error {
	d := time.Duration(h.ring[h.next&(holdRing-1)])
	h.next++
	h.q.after(d, h)
	return nil
}

func BenchmarkHoldContainerHeap(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			prefill, ring := holdDelays(n)
			h := &naiveHold{q: &naiveQueue{}, ring: ring}
			for _, d := range prefill {
				h.q.after(time.Duration(d), h)
			}
			b.ReportAllocs()
			for b.Loop() {
				if ok, err := h.q.step(); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
			if len(h.q.heap) != n {
				b.Fatalf("pending %d, want %d", len(h.q.heap), n)
			}
		})
	}
}

// laneHold is the hold model on a single Lane: every delay is the lane's
// period, so the queue is a FIFO.
type laneHold struct {
	lane *Lane
	act  Action
}

func (h *laneHold) fire(arg any) error {
	h.lane.Add(h.act, arg)
	return nil
}

func BenchmarkLaneHold(b *testing.B) {
	const n, period = 100_000, 30 * time.Second
	b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
		e := New(holdSeed, 0)
		lane, err := e.Lane(period)
		if err != nil {
			b.Fatal(err)
		}
		h := &laneHold{lane: lane}
		h.act = h.fire
		// Spread the pre-filled events over one period, at random instants,
		// so that the steady state pops them at the same spacing.
		r := e.Rand("bench/lane")
		gaps := make([]time.Duration, n)
		var total time.Duration
		for i := range gaps {
			gaps[i] = time.Duration(r.ExpFloat64() * float64(period) / n)
			total += gaps[i]
		}
		for i := range n {
			lane.Add(h.act, h)
			if err := e.RunFor(gaps[i] * period / total); err != nil {
				b.Fatal(err)
			}
		}
		if e.Pending() != n {
			b.Fatalf("pending %d after pre-fill, want %d", e.Pending(), n)
		}
		b.ReportAllocs()
		for b.Loop() {
			if ok, err := e.Step(); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
		if e.Pending() != n {
			b.Fatalf("pending %d, want %d", e.Pending(), n)
		}
	})
}

// TestHoldModelsAgree checks that the engine and the baseline process the
// same events, so that the benchmarks compare like with like.
func TestHoldModelsAgree(t *testing.T) {
	const n, steps = 1000, 20_000
	prefill, ring := holdDelays(n)

	eh := &engineHold{e: New(holdSeed, 0), ring: ring}
	eh.act = eh.fire
	nh := &naiveHold{q: &naiveQueue{}, ring: ring}
	for _, d := range prefill {
		if _, err := eh.e.AfterArg(time.Duration(d), eh.act, eh); err != nil {
			t.Fatal(err)
		}
		nh.q.after(time.Duration(d), nh)
	}
	for i := range steps {
		eok, eerr := eh.e.Step()
		nok, nerr := nh.q.step()
		if !eok || !nok || eerr != nil || nerr != nil {
			t.Fatalf("step %d: engine %v %v, baseline %v %v", i, eok, eerr, nok, nerr)
		}
		if eh.e.Now() != nh.q.now {
			t.Fatalf("step %d: engine at %d, baseline at %d", i, eh.e.Now(), nh.q.now)
		}
	}
	if eh.e.Pending() != n || len(nh.q.heap) != n {
		t.Fatalf("pending: engine %d, baseline %d, want %d", eh.e.Pending(), len(nh.q.heap), n)
	}

	// The steady state of the engine allocates nothing.
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := eh.e.Step(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("engine hold step allocates %.1f times", allocs)
	}
}
