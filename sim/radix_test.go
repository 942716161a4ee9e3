package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Tests of the radix heap behind the engine: the peeks that must not move
// its pivot past the clock, keys far apart and either side of Epoch, long
// runs of ties, and memory that follows the live events.

// TestPeekKeepsPivot schedules below the earliest pending time after every
// kind of peek: NextAt, a RunUntil that stops short of the next event, and a
// Step or RunUntil whose pivot was a cancelled event.
func TestPeekKeepsPivot(t *testing.T) {
	t.Run("NextAt and RunUntil", func(t *testing.T) {
		e := New(1, 0)
		r := &recorder{}
		for _, ev := range []struct {
			label string
			at    Time
		}{{"A", sec(10)}, {"B", sec(10) + 5}, {"far", sec(3600)}, {"A2", sec(10)}} {
			_, err := e.Schedule(ev.at, r.fn(ev.label))
			require.NoError(t, err)
		}
		require.Equal(t, sec(10), e.NextAt())
		_, err := e.Schedule(sec(5), r.fn("C"))
		require.NoError(t, err)
		require.Equal(t, sec(5), e.NextAt())
		require.NoError(t, e.RunUntil(sec(3)))
		require.Equal(t, sec(5), e.NextAt())
		_, err = e.Schedule(sec(4), r.fn("D"))
		require.NoError(t, err)
		_, err = e.Schedule(sec(3), r.fn("E"))
		require.NoError(t, err)
		drain(t, e)
		require.Equal(t, []string{"E", "D", "C", "A", "A2", "B", "far"}, r.got)
	})
	t.Run("cancelled pivot under RunUntil", func(t *testing.T) {
		e := New(1, 0)
		r := &recorder{}
		x, err := e.Schedule(sec(10), r.fn("X"))
		require.NoError(t, err)
		_, err = e.Schedule(sec(20), r.fn("Y"))
		require.NoError(t, err)
		_, err = e.Schedule(sec(20)+1, r.fn("Y2"))
		require.NoError(t, err)
		require.True(t, x.Cancel())
		require.NoError(t, e.RunUntil(sec(15)))
		require.Empty(t, r.got)
		_, err = e.Schedule(sec(16), r.fn("Z"))
		require.NoError(t, err)
		require.Equal(t, sec(16), e.NextAt())
		drain(t, e)
		require.Equal(t, []string{"Z", "Y", "Y2"}, r.got)
	})
	t.Run("cancelled pivot under Step with an earlier lane event", func(t *testing.T) {
		e := New(1, 0)
		lane, err := e.Lane(12 * time.Second)
		require.NoError(t, err)
		r := &recorder{}
		x, err := e.Schedule(sec(10), r.fn("X"))
		require.NoError(t, err)
		_, err = e.Schedule(sec(20), r.fn("Y"))
		require.NoError(t, err)
		_, err = e.Schedule(sec(30), r.fn("Y2"))
		require.NoError(t, err)
		lane.AddFunc(r.fn("L"))
		require.True(t, x.Cancel())
		ok, err := e.Step()
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, sec(12), e.Now())
		_, err = e.Schedule(sec(13), r.fn("Z"))
		require.NoError(t, err)
		drain(t, e)
		require.Equal(t, []string{"L", "Z", "Y", "Y2"}, r.got)
	})
	// When every event is cancelled, a peek finds stale pivots only and
	// must not keep any of them.
	for name, peek := range map[string]func(t *testing.T, e *Engine){
		"NextAt": func(t *testing.T, e *Engine) { require.Equal(t, Never, e.NextAt()) },
		"RunUntil": func(t *testing.T, e *Engine) {
			require.NoError(t, e.RunUntil(sec(12)))
			require.Equal(t, sec(12), e.Now())
		},
		"Step": func(t *testing.T, e *Engine) {
			ok, err := e.Step()
			require.NoError(t, err)
			require.False(t, ok)
		},
	} {
		t.Run("everything cancelled, "+name, func(t *testing.T) {
			e := New(1, 0)
			r := &recorder{}
			var timers []Timer
			for i := range 100 {
				at, label := sec(100)+Time(i)*Time(time.Millisecond), "cancelled"
				if i == 0 {
					at, label = sec(10), "ran"
				}
				tm, err := e.Schedule(at, r.fn(label))
				require.NoError(t, err)
				timers = append(timers, tm)
			}
			ok, err := e.Step() // moves everything into the radix heap
			require.NoError(t, err)
			require.True(t, ok)
			require.Equal(t, sec(10), e.Now())
			for _, tm := range timers[1:] {
				require.True(t, tm.Cancel())
			}
			peek(t, e)
			for _, ev := range []struct {
				label string
				at    Time
			}{{"A", sec(12) + 2}, {"B", sec(100)}, {"C", sec(12) + 1}} {
				_, err = e.Schedule(ev.at, r.fn(ev.label))
				require.NoError(t, err)
			}
			drain(t, e)
			require.Equal(t, []string{"ran", "C", "A", "B"}, r.got)
		})
	}
}

// TestExtremeTimes runs events either side of Epoch and far apart, down to
// one nanosecond, up to the last instant before Never.
func TestExtremeTimes(t *testing.T) {
	start := Time(-1 << 62)
	times := []Time{
		start, start + 1, -1 << 40, -2, -1, 0, 1, 2, 1 << 20, 1<<20 + 1,
		1 << 40, 1 << 62, Never - 2, Never - 1, 0, -1, Never - 1, start,
	}
	e := New(1, start)
	var got []int
	act := func(arg any) error { got = append(got, *arg.(*int)); return nil }
	ids := make([]int, len(times))
	for i, at := range times {
		ids[i] = i
		_, err := e.ScheduleArg(at, act, &ids[i])
		require.NoError(t, err)
		if i == len(times)/2 {
			// Half go into the radix heap before the others are scheduled.
			require.Equal(t, start, e.NextAt())
		}
	}
	want := slices.Clone(ids)
	sortByKey(want, times)
	for i := range want {
		require.Equal(t, times[want[i]], e.NextAt(), "event %d", i)
		ok, err := e.Step()
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, times[want[i]], e.Now())
	}
	require.Equal(t, want, got)
	require.Equal(t, Never, e.NextAt())
}

// TestLongTies keeps thousands of events due at one instant, scheduled
// before the first step (so they wait unsorted in heap), between steps and
// by handlers running at that instant, and checks that they run in
// scheduling order.
func TestLongTies(t *testing.T) {
	e := New(1, 0)
	const at = Time(time.Hour)
	var got []int
	next := 0
	var act Action
	act = func(arg any) error {
		id := *arg.(*int)
		got = append(got, id)
		if id%3 == 0 && next < 20_000 {
			// Due now, behind everything already due now.
			n := next
			next++
			if _, err := e.ScheduleArg(at, act, &n); err != nil {
				return err
			}
		}
		return nil
	}
	schedule := func(k int) {
		for range k {
			n := next
			next++
			_, err := e.ScheduleArg(at, act, &n)
			require.NoError(t, err)
		}
	}
	schedule(5000)
	_, err := e.Schedule(at-1, func() error { return nil })
	require.NoError(t, err)
	ok, err := e.Step()
	require.NoError(t, err)
	require.True(t, ok)
	schedule(5000)
	require.NoError(t, e.RunUntil(at))
	require.Len(t, got, next)
	for i, id := range got {
		require.Equal(t, i, id)
	}
}

// TestCompactionInRadixHeap is TestCompaction with the events moved into
// radix buckets first, so that compaction works across chunks.
func TestCompactionInRadixHeap(t *testing.T) {
	const n, keep = 20_000, 2_000
	e := New(1, 0)
	rng := rand.New(rand.NewPCG(3, 4))
	var fired []int
	ids := make([]int, n)
	act := func(arg any) error { fired = append(fired, *arg.(*int)); return nil }
	timers := make([]Timer, n)
	at := make([]Time, n)
	for i := range n {
		ids[i] = i
		at[i] = sec(60) + Time(rng.IntN(2000))*Time(time.Millisecond)
		var err error
		timers[i], err = e.ScheduleArg(at[i], act, &ids[i])
		require.NoError(t, err)
	}
	require.Equal(t, sec(60), min(e.NextAt(), sec(60))) // moves heap into the radix heap
	require.Empty(t, e.heap)

	perm := rng.Perm(n)
	cancel, kept := perm[:n-keep], perm[n-keep:]
	for _, i := range cancel {
		require.True(t, timers[i].Cancel())
	}
	require.Equal(t, keep, e.Pending())
	require.Less(t, e.rq.n, 2*keep+compactMin, "radix heap was compacted")
	drain(t, e)
	want := slices.Clone(kept)
	sortByKey(want, at)
	require.Equal(t, want, fired)
	require.Zero(t, e.rq.n)
}

// chunks returns the chunks the radix heap holds, in buckets and in its
// pool.
func (r *radix) chunks() int {
	k := 0
	for c := r.pool; c != nil; c = c.next {
		k++
	}
	r.each(func(i int) {
		for c := r.buckets[i].head; c != nil; c = c.next {
			k++
		}
	})
	return k
}

// TestQueueMemoryFollowsLiveEvents runs long churns and checks that queued
// entries and chunks stay within a constant factor of the live events.
func TestQueueMemoryFollowsLiveEvents(t *testing.T) {
	t.Run("zero-delay chain", func(t *testing.T) {
		// One event at a time, each scheduling the next at the same
		// instant: the level-0 bucket must give back its chunks as it goes.
		e := New(1, 0)
		count := 0
		var act Action
		act = func(any) error {
			count++
			if count < 100_000 {
				_, err := e.AfterArg(0, act, nil)
				return err
			}
			return nil
		}
		_, err := e.AfterArg(time.Second, act, nil)
		require.NoError(t, err)
		require.NoError(t, e.RunFor(time.Minute))
		require.Equal(t, 100_000, count)
		require.LessOrEqual(t, e.rq.chunks(), 2)
	})
	t.Run("cancel churn", func(t *testing.T) {
		// Keep 1,000 live events, cancel most of what is scheduled, and let
		// time run on.
		const live = 1000
		e := New(1, 0)
		rng := rand.New(rand.NewPCG(5, 6))
		noop := func(any) error { return nil }
		var timers []Timer
		maxChunks := 0
		for round := range 2000 {
			for len(timers) < 4*live {
				d := time.Duration(rng.Int64N(int64(time.Hour)))
				tm, err := e.AfterArg(d, noop, nil)
				require.NoError(t, err)
				timers = append(timers, tm)
			}
			for len(timers) > live {
				k := rng.IntN(len(timers))
				timers[k].Cancel()
				timers[k] = timers[len(timers)-1]
				timers = timers[:len(timers)-1]
			}
			require.NoError(t, e.RunFor(time.Duration(round%7)*time.Second))
			timers = slices.DeleteFunc(timers, func(tm Timer) bool { return !tm.Pending() })
			require.Equal(t, len(timers), e.Pending())
			require.LessOrEqual(t, e.rq.n+len(e.heap), 2*e.Pending()+compactMin)
			maxChunks = max(maxChunks, e.rq.chunks())
		}
		// Entries fill whole chunks but for the tail of each non-empty
		// bucket; allow for the peak of entries and a tail per bucket.
		require.LessOrEqual(t, maxChunks, (8*live+compactMin)/chunkLen+2*live)
	})
}

// TestRandomScales drives the engine and the reference model with delays
// from nothing to hours, spread evenly over their logarithm, and peeks
// often, so that buckets at every level fill, empty and hold stale entries.
func TestRandomScales(t *testing.T) {
	rng := rand.New(rand.NewPCG(0xecc, 0x51))
	for seq := range 40 {
		e := New(1, Time(rng.Int64N(int64(time.Hour)))-Time(30*time.Minute))
		ref := refQueue{now: e.Now(), byID: map[int]refEvent{}}
		lane, err := e.Lane(time.Duration(1 + rng.Int64N(int64(time.Minute))))
		require.NoError(t, err)
		var fired []int
		var live []int // ids of pending events, in no particular order
		timers := map[int]Timer{}
		act := func(arg any) error {
			id := *arg.(*int)
			fired = append(fired, id)
			delete(timers, id)
			live = slices.DeleteFunc(live, func(x int) bool { return x == id })
			return nil
		}
		delay := func() time.Duration {
			if rng.IntN(10) == 0 {
				return 0
			}
			return time.Duration(1) << rng.IntN(44) * time.Duration(1+rng.IntN(4))
		}
		var refFired []int
		refPop := func() { refFired = append(refFired, ref.pop().id) }
		nextID := 0
		for op := range 3000 {
			switch k := rng.IntN(10); {
			case k < 4:
				nextID++
				id := nextID
				var tm Timer
				at := e.Now()
				if rng.IntN(8) == 0 {
					at = at.Add(lane.Period())
					tm = lane.Add(act, &id)
				} else {
					at = at.Add(delay())
					tm, err = e.ScheduleArg(at, act, &id)
					require.NoError(t, err)
				}
				timers[id] = tm
				live = append(live, id)
				ref.push(at, id)
			case k < 6:
				if len(live) > 0 {
					j := rng.IntN(len(live))
					id := live[j]
					live = slices.Delete(live, j, j+1)
					require.True(t, timers[id].Cancel())
					delete(timers, id)
					require.True(t, ref.cancel(id))
				}
			case k < 8:
				ok, err := e.Step()
				require.NoError(t, err)
				require.Equal(t, len(ref.evs) > 0, ok)
				if ok {
					refPop()
				}
			default:
				until := e.Now().Add(delay())
				require.NoError(t, e.RunUntil(until))
				for len(ref.evs) > 0 && ref.evs[0].at <= until {
					refPop()
				}
				ref.now = until
			}
			want := Never
			if len(ref.evs) > 0 {
				want = ref.evs[0].at
			}
			require.Equal(t, want, e.NextAt(), "seq %d op %d", seq, op)
			require.Equal(t, len(ref.evs), e.Pending(), "seq %d op %d", seq, op)
			require.Equal(t, ref.now, e.Now(), "seq %d op %d", seq, op)
		}
		for len(ref.evs) > 0 {
			ok, err := e.Step()
			require.NoError(t, err)
			require.True(t, ok)
			refPop()
		}
		require.Equal(t, refFired, fired, "seq %d", seq)
	}
}

// TestLaneTimers checks lane Timers, which find their entry by position,
// across ring growth and wrap-around, and after the ring reuses their place.
func TestLaneTimers(t *testing.T) {
	e := New(1, 0)
	lane, err := e.Lane(time.Second)
	require.NoError(t, err)
	var got []int
	act := func(arg any) error { got = append(got, *arg.(*int)); return nil }
	ids := make([]int, 1000)
	timers := make([]Timer, len(ids))
	var want []int
	for i := range ids {
		ids[i] = i
		timers[i] = lane.Add(act, &ids[i])
		require.Equal(t, e.Now().Add(time.Second), timers[i].At())
		if i%3 == 1 {
			// Cancel an older one, which may sit anywhere in the ring.
			j := i / 2
			if timers[j].Pending() {
				require.True(t, timers[j].Cancel())
				require.False(t, timers[j].Pending())
				require.False(t, timers[j].Cancel())
				require.Equal(t, Never, timers[j].At())
			}
		}
		// Keep between roughly 10 and 200 entries, so the ring wraps
		// and grows.
		require.NoError(t, e.RunFor(time.Duration(1+(i/100)%5)*time.Millisecond))
	}
	for i, tm := range timers {
		if tm.Pending() {
			require.Greater(t, tm.At(), e.Now()-1)
			want = append(want, i)
		}
	}
	got = got[:0]
	require.Equal(t, len(want), e.Pending())
	drain(t, e)
	require.Equal(t, want, got)
	for _, tm := range timers {
		require.False(t, tm.Pending())
		require.False(t, tm.Cancel())
	}
	// A new event that takes an old one's place in the ring is not reached
	// through the old Timer.
	fresh := lane.Add(act, &ids[0])
	require.True(t, fresh.Pending())
	for _, tm := range timers {
		require.False(t, tm.Pending())
	}
	require.True(t, fresh.Pending())
}
