package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sec returns n seconds after Epoch.
func sec(n int) Time { return Time(time.Duration(n) * time.Second) }

// recorder collects the labels of events in the order they run.
type recorder struct{ got []string }

func (r *recorder) fn(label string) func() error {
	return func() error { r.got = append(r.got, label); return nil }
}

// act is an Action whose argument is a *string label.
func (r *recorder) act(arg any) error {
	r.got = append(r.got, *arg.(*string))
	return nil
}

// drain steps until nothing is pending.
func drain(t *testing.T, e *Engine) {
	t.Helper()
	for {
		ok, err := e.Step()
		require.NoError(t, err)
		if !ok {
			return
		}
	}
}

func TestEventOrder(t *testing.T) {
	// op is one scheduling step of a case. kind is one of:
	// heap (Schedule at), arg (ScheduleArg at), after (After d),
	// afterArg (AfterArg d), lane (Lane(d).Add), laneFn (Lane(d).AddFunc),
	// advance (RunUntil at, which must run nothing).
	type op struct {
		kind  string
		label string
		at    Time
		d     time.Duration
	}
	tests := []struct {
		name string
		ops  []op
		want []string
	}{
		{
			name: "by time whatever the scheduling order",
			ops: []op{
				{kind: "heap", label: "c", at: sec(3)},
				{kind: "heap", label: "a", at: sec(1)},
				{kind: "arg", label: "d", at: sec(4)},
				{kind: "after", label: "b", d: 2 * time.Second},
			},
			want: []string{"a", "b", "c", "d"},
		},
		{
			name: "one nanosecond apart",
			ops: []op{
				{kind: "heap", label: "late", at: sec(1) + 1},
				{kind: "heap", label: "early", at: sec(1)},
			},
			want: []string{"early", "late"},
		},
		{
			name: "same instant on the heap runs in scheduling order",
			ops: []op{
				{kind: "heap", label: "0", at: sec(5)},
				{kind: "arg", label: "1", at: sec(5)},
				{kind: "after", label: "2", d: 5 * time.Second},
				{kind: "afterArg", label: "3", d: 5 * time.Second},
				{kind: "heap", label: "4", at: sec(5)},
				{kind: "heap", label: "first", at: sec(4)},
			},
			want: []string{"first", "0", "1", "2", "3", "4"},
		},
		{
			name: "lane scheduled before heap at the same instant",
			ops: []op{
				{kind: "lane", label: "L", d: 10 * time.Second},
				{kind: "heap", label: "H", at: sec(10)},
			},
			want: []string{"L", "H"},
		},
		{
			name: "heap scheduled before lane at the same instant",
			ops: []op{
				{kind: "heap", label: "H", at: sec(10)},
				{kind: "laneFn", label: "L", d: 10 * time.Second},
			},
			want: []string{"H", "L"},
		},
		{
			name: "two lanes and the heap interleaved at one instant",
			ops: []op{
				{kind: "lane", label: "a", d: 10 * time.Second}, // due 10s
				{kind: "heap", label: "b", at: sec(10)},
				{kind: "advance", at: sec(5)},
				{kind: "lane", label: "c", d: 5 * time.Second}, // due 10s
				{kind: "afterArg", label: "d", d: 5 * time.Second},
				{kind: "laneFn", label: "e", d: 10 * time.Second}, // due 15s
				{kind: "heap", label: "early", at: sec(9)},
				{kind: "laneFn", label: "f", d: 5 * time.Second}, // due 10s
			},
			want: []string{"early", "a", "b", "c", "d", "f", "e"},
		},
		{
			name: "lane events by time across lanes",
			ops: []op{
				{kind: "lane", label: "slow", d: 30 * time.Second},
				{kind: "lane", label: "fast", d: time.Second},
				{kind: "lane", label: "mid", d: 10 * time.Second},
				{kind: "laneFn", label: "fast2", d: time.Second},
			},
			want: []string{"fast", "fast2", "mid", "slow"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(1, 0)
			r := &recorder{}
			for _, o := range tc.ops {
				label := o.label
				var err error
				switch o.kind {
				case "heap":
					_, err = e.Schedule(o.at, r.fn(label))
				case "arg":
					_, err = e.ScheduleArg(o.at, r.act, &label)
				case "after":
					_, err = e.After(o.d, r.fn(label))
				case "afterArg":
					_, err = e.AfterArg(o.d, r.act, &label)
				case "lane", "laneFn":
					var l *Lane
					l, err = e.Lane(o.d)
					require.NoError(t, err)
					if o.kind == "lane" {
						l.Add(r.act, &label)
					} else {
						l.AddFunc(r.fn(label))
					}
				case "advance":
					err = e.RunUntil(o.at)
					require.Empty(t, r.got, "advance must not run events")
				default:
					t.Fatalf("unknown op %q", o.kind)
				}
				require.NoError(t, err)
			}
			require.Equal(t, len(tc.want), e.Pending())
			drain(t, e)
			require.Equal(t, tc.want, r.got)
			require.Equal(t, 0, e.Pending())
			require.Equal(t, uint64(len(tc.want)), e.Processed())
		})
	}
}

func TestHandlersSchedulingAtNowRunInSameRunUntil(t *testing.T) {
	e := New(1, 0)
	lane, err := e.Lane(time.Second)
	require.NoError(t, err)
	r := &recorder{}
	_, err = e.Schedule(sec(1), func() error {
		r.got = append(r.got, "A")
		// Both are due now, behind B which was scheduled earlier.
		_, err := e.Schedule(e.Now(), func() error {
			r.got = append(r.got, "C")
			// A chain: C schedules D, also due now.
			_, err := e.After(0, r.fn("D"))
			return err
		})
		if err != nil {
			return err
		}
		label := "C2"
		_, err = e.AfterArg(0, r.act, &label)
		return err
	})
	require.NoError(t, err)
	_, err = e.Schedule(sec(1), r.fn("B"))
	require.NoError(t, err)
	// Lane event due at 1s, scheduled after A and B.
	lane.AddFunc(r.fn("L"))

	require.NoError(t, e.RunUntil(sec(1)))
	require.Equal(t, []string{"A", "B", "L", "C", "C2", "D"}, r.got)
	require.Equal(t, sec(1), e.Now())
	require.Equal(t, 0, e.Pending())
}

func TestCancel(t *testing.T) {
	e := New(1, 0)
	r := &recorder{}
	a, err := e.Schedule(sec(1), r.fn("a"))
	require.NoError(t, err)
	b, err := e.Schedule(sec(2), r.fn("b"))
	require.NoError(t, err)
	label := "c"
	c, err := e.AfterArg(3*time.Second, r.act, &label)
	require.NoError(t, err)

	require.True(t, b.Pending())
	require.Equal(t, sec(2), b.At())
	require.Equal(t, 3, e.Pending())

	require.True(t, b.Cancel())
	require.False(t, b.Cancel(), "second cancel")
	require.False(t, b.Pending())
	require.Equal(t, Never, b.At())
	require.Equal(t, 2, e.Pending())

	require.NoError(t, e.RunUntil(sec(10)))
	require.Equal(t, []string{"a", "c"}, r.got)
	require.False(t, a.Pending(), "ran")
	require.Equal(t, Never, a.At())
	require.False(t, a.Cancel(), "cancel after run")
	require.False(t, c.Cancel(), "cancel after run")
	require.Equal(t, 0, e.Pending())
}

func TestZeroTimer(t *testing.T) {
	var tm Timer
	require.False(t, tm.Pending())
	require.Equal(t, Never, tm.At())
	require.False(t, tm.Cancel())
}

func TestCancelledSlotReuse(t *testing.T) {
	// A cancelled event's slot is reused at once; the old Timer must not
	// reach the new event, and the stale heap entry must not run it.
	e := New(1, 0)
	r := &recorder{}
	old, err := e.Schedule(sec(1), r.fn("old"))
	require.NoError(t, err)
	require.True(t, old.Cancel())
	nw, err := e.Schedule(sec(2), r.fn("new"))
	require.NoError(t, err)
	require.Equal(t, old.slot, nw.slot, "slot reused")

	require.False(t, old.Pending())
	require.False(t, old.Cancel())
	require.Equal(t, Never, old.At())
	require.True(t, nw.Pending())
	require.Equal(t, sec(2), nw.At())
	require.Equal(t, 1, e.Pending())
	require.Equal(t, sec(2), e.NextAt())

	drain(t, e)
	require.Equal(t, []string{"new"}, r.got)
	require.Equal(t, sec(2), e.Now())
}

func TestCancelSelfInsideHandler(t *testing.T) {
	e := New(1, 0)
	var self Timer
	var pending, cancelled bool
	self, err := e.Schedule(sec(1), func() error {
		pending = self.Pending()
		cancelled = self.Cancel()
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, e.RunFor(time.Minute))
	require.False(t, pending, "a running event is no longer pending")
	require.False(t, cancelled)
	require.Equal(t, 0, e.Pending())
}

func TestCancelInsideHandlerAtSameInstant(t *testing.T) {
	for _, victimOnLane := range []bool{false, true} {
		name := "heap victim"
		if victimOnLane {
			name = "lane victim"
		}
		t.Run(name, func(t *testing.T) {
			e := New(1, 0)
			lane, err := e.Lane(time.Second)
			require.NoError(t, err)
			r := &recorder{}
			var victim Timer
			var cancelled bool
			_, err = e.Schedule(sec(1), func() error {
				r.got = append(r.got, "killer")
				cancelled = victim.Cancel()
				return nil
			})
			require.NoError(t, err)
			if victimOnLane {
				victim = lane.AddFunc(r.fn("victim"))
			} else {
				victim, err = e.Schedule(sec(1), r.fn("victim"))
				require.NoError(t, err)
			}
			_, err = e.Schedule(sec(1), r.fn("bystander"))
			require.NoError(t, err)
			require.Equal(t, 3, e.Pending())

			require.NoError(t, e.RunUntil(sec(1)))
			require.True(t, cancelled)
			require.Equal(t, []string{"killer", "bystander"}, r.got)
			require.Equal(t, 0, e.Pending())
			require.Equal(t, uint64(2), e.Processed())
		})
	}
}

func TestCancelLaneEvents(t *testing.T) {
	e := New(1, 0)
	lane, err := e.Lane(10 * time.Second)
	require.NoError(t, err)
	r := &recorder{}
	var timers []Timer
	for i, label := range []string{"0", "1", "2", "3", "4"} {
		timers = append(timers, lane.AddFunc(r.fn(label)))
		require.Equal(t, sec(10+i), timers[i].At())
		require.NoError(t, e.RunFor(time.Second))
	}
	require.Equal(t, 5, e.Pending())

	require.True(t, timers[0].Cancel(), "head")
	require.True(t, timers[2].Cancel(), "middle")
	require.True(t, timers[4].Cancel(), "tail")
	require.False(t, timers[2].Cancel())
	require.Equal(t, 2, e.Pending())
	require.Equal(t, sec(11), e.NextAt(), "cancelled head is skipped")

	drain(t, e)
	require.Equal(t, []string{"1", "3"}, r.got)
	require.Equal(t, sec(13), e.Now())
	require.Equal(t, 0, e.Pending())
	require.Equal(t, Never, e.NextAt())
}

func TestLane(t *testing.T) {
	e := New(1, 0)
	_, err := e.Lane(0)
	require.Error(t, err)
	_, err = e.Lane(-time.Second)
	require.Error(t, err)

	a, err := e.Lane(30 * time.Second)
	require.NoError(t, err)
	b, err := e.Lane(30 * time.Second)
	require.NoError(t, err)
	require.Same(t, a, b, "one lane per period")
	require.Equal(t, 30*time.Second, a.Period())
	c, err := e.Lane(time.Second)
	require.NoError(t, err)
	require.NotSame(t, a, c)
}

func TestLaneGrowsAcrossWrap(t *testing.T) {
	// Keep the ring's head away from index 0, then overfill it so that grow
	// has to unwrap it; order must survive.
	e := New(1, 0)
	lane, err := e.Lane(100 * time.Millisecond)
	require.NoError(t, err)
	var got []int
	act := func(arg any) error { got = append(got, *arg.(*int)); return nil }
	ids := make([]int, 200)
	next := 0
	add := func() {
		ids[next] = next
		lane.Add(act, &ids[next])
		next++
	}
	for i := 0; i < 10; i++ {
		add()
		require.NoError(t, e.RunFor(10*time.Millisecond))
	}
	for i := 0; i < 190; i++ { // every Add lands within the period
		add()
		require.NoError(t, e.RunFor(time.Millisecond/4))
	}
	drain(t, e)
	require.Len(t, got, 200)
	for i, id := range got {
		require.Equal(t, i, id)
	}
}

func TestCompaction(t *testing.T) {
	const n, keep = 10_000, 1_000
	e := New(1, 0)
	rng := rand.New(rand.NewPCG(1, 2))
	var fired []int
	ids := make([]int, n)
	act := func(arg any) error { fired = append(fired, *arg.(*int)); return nil }
	timers := make([]Timer, n)
	at := make([]Time, n)
	for i := range n {
		ids[i] = i
		at[i] = sec(3600) + Time(rng.IntN(500))*Time(time.Millisecond) // many equal times
		var err error
		timers[i], err = e.ScheduleArg(at[i], act, &ids[i])
		require.NoError(t, err)
	}
	require.Len(t, e.heap, n)

	perm := rng.Perm(n)
	cancel, kept := perm[:n-keep], perm[n-keep:]
	for _, i := range cancel {
		require.True(t, timers[i].Cancel())
	}
	require.Equal(t, keep, e.Pending())
	// Compaction keeps stale entries below max(compactMin, live).
	require.Less(t, len(e.heap), 2*keep+compactMin, "heap was compacted")
	require.Equal(t, keep, len(e.heap)-e.stale)
	// Every stale entry in the heap is counted, and vice versa.
	stale := 0
	for _, x := range e.heap {
		if e.slots[x.slot].gen != x.gen {
			stale++
		}
	}
	require.Equal(t, e.stale, stale)

	drain(t, e)
	// The survivors run in (time, scheduling order).
	want := append([]int(nil), kept...)
	sortByKey(want, at)
	require.Equal(t, want, fired)
	require.Equal(t, 0, e.Pending())
	require.Empty(t, e.heap)
}

// sortByKey sorts event indices by (at, index), index being scheduling order.
func sortByKey(idx []int, at []Time) {
	for i := 1; i < len(idx); i++ { // insertion sort: small, and obviously right
		for j := i; j > 0; j-- {
			a, b := idx[j-1], idx[j]
			if at[a] < at[b] || (at[a] == at[b] && a < b) {
				break
			}
			idx[j-1], idx[j] = b, a
		}
	}
}

func TestCancelEverything(t *testing.T) {
	// Cancelling every event must leave a usable, empty engine, whatever
	// the count: at exactly compactMin, compaction runs on an all-stale heap.
	for _, n := range []int{1, compactMin - 1, compactMin, compactMin + 1, 2 * compactMin, 10_000} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			e := New(1, 0)
			ran := false
			timers := make([]Timer, n)
			for i := range n {
				var err error
				timers[i], err = e.Schedule(sec(1+i%7), func() error { ran = true; return nil })
				require.NoError(t, err)
			}
			for i := range n {
				require.True(t, timers[i].Cancel(), "n=%d i=%d", n, i)
			}
			require.Equal(t, 0, e.Pending())
			require.Equal(t, Never, e.NextAt())
			ok, err := e.Step()
			require.NoError(t, err)
			require.False(t, ok)
			require.False(t, ran)
			require.Empty(t, e.heap)

			// Still usable.
			r := &recorder{}
			_, err = e.Schedule(sec(2), r.fn("after"))
			require.NoError(t, err)
			require.NoError(t, e.RunUntil(sec(3)))
			require.Equal(t, []string{"after"}, r.got)
		})
	}
}

func TestCancelManyInsideHandler(t *testing.T) {
	// A handler that cancels enough to trigger compaction mid-run.
	e := New(1, 0)
	const n = 5000
	timers := make([]Timer, n)
	var fired []int
	ids := make([]int, n)
	act := func(arg any) error { fired = append(fired, *arg.(*int)); return nil }
	for i := range n {
		ids[i] = i
		var err error
		timers[i], err = e.ScheduleArg(sec(2), act, &ids[i])
		require.NoError(t, err)
	}
	_, err := e.Schedule(sec(1), func() error {
		for i := 0; i < n; i++ {
			if i%10 != 0 {
				timers[i].Cancel()
			}
		}
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, e.RunUntil(sec(2)))
	require.Len(t, fired, n/10)
	for k, id := range fired {
		require.Equal(t, 10*k, id)
	}
}

func TestSchedulingInThePast(t *testing.T) {
	noop := func() error { return nil }
	noopAct := func(any) error { return nil }
	tests := []struct {
		name string
		call func(e *Engine) error
	}{
		{"Schedule", func(e *Engine) error { _, err := e.Schedule(e.Now()-1, noop); return err }},
		{"ScheduleArg", func(e *Engine) error { _, err := e.ScheduleArg(e.Now()-1, noopAct, nil); return err }},
		{"After", func(e *Engine) error { _, err := e.After(-time.Nanosecond, noop); return err }},
		{"AfterArg", func(e *Engine) error { _, err := e.AfterArg(-time.Second, noopAct, nil); return err }},
		{"RunUntil", func(e *Engine) error { return e.RunUntil(e.Now() - 1) }},
		{"RunFor", func(e *Engine) error { return e.RunFor(-time.Nanosecond) }},
		{"RunUntilFunc", func(e *Engine) error {
			_, err := e.RunUntilFunc(sec(1), func() bool { return false })
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(1, sec(5))
			ran := false
			_, err := e.Schedule(sec(20), func() error { ran = true; return nil })
			require.NoError(t, err)
			require.NoError(t, e.RunUntil(sec(10)))

			err = tc.call(e)
			require.ErrorIs(t, err, ErrPast)
			require.Equal(t, sec(10), e.Now(), "clock unchanged")
			require.Equal(t, 1, e.Pending(), "nothing scheduled, nothing run")
			require.False(t, ran)
		})
	}
}

func TestSchedulingAtNowIsAllowed(t *testing.T) {
	e := New(1, sec(5))
	r := &recorder{}
	_, err := e.Schedule(sec(5), r.fn("a"))
	require.NoError(t, err)
	_, err = e.After(0, r.fn("b"))
	require.NoError(t, err)
	require.NoError(t, e.RunUntil(sec(5)))
	require.NoError(t, e.RunFor(0))
	require.Equal(t, []string{"a", "b"}, r.got)
	require.Equal(t, sec(5), e.Now())
}

func TestRunUntilBoundaries(t *testing.T) {
	t.Run("event at t runs, t+1ns does not", func(t *testing.T) {
		e := New(1, 0)
		r := &recorder{}
		_, err := e.Schedule(sec(10), r.fn("at"))
		require.NoError(t, err)
		_, err = e.Schedule(sec(10)+1, r.fn("after"))
		require.NoError(t, err)
		require.NoError(t, e.RunUntil(sec(10)))
		require.Equal(t, []string{"at"}, r.got)
		require.Equal(t, sec(10), e.Now())
		require.Equal(t, 1, e.Pending())
		require.Equal(t, sec(10)+1, e.NextAt())

		require.NoError(t, e.RunUntil(sec(10)+1))
		require.Equal(t, []string{"at", "after"}, r.got)
	})
	t.Run("clock reaches t without events", func(t *testing.T) {
		e := New(1, sec(1))
		require.NoError(t, e.RunUntil(sec(42)))
		require.Equal(t, sec(42), e.Now())
		require.NoError(t, e.RunFor(3*time.Second))
		require.Equal(t, sec(45), e.Now())
		require.Equal(t, uint64(0), e.Processed())
	})
	t.Run("clock reaches t past the last event", func(t *testing.T) {
		e := New(1, 0)
		_, err := e.Schedule(sec(3), func() error { return nil })
		require.NoError(t, err)
		require.NoError(t, e.RunUntil(sec(7)))
		require.Equal(t, sec(7), e.Now())
	})
}

func TestHandlerErrorStopsRun(t *testing.T) {
	boom := errors.New("boom")
	e := New(1, 0)
	r := &recorder{}
	_, err := e.Schedule(sec(1), r.fn("one"))
	require.NoError(t, err)
	_, err = e.Schedule(sec(2), func() error { r.got = append(r.got, "bad"); return boom })
	require.NoError(t, err)
	_, err = e.Schedule(sec(2), r.fn("same instant, later"))
	require.NoError(t, err)
	later, err := e.Schedule(sec(3), r.fn("three"))
	require.NoError(t, err)

	err = e.RunUntil(sec(10))
	require.ErrorIs(t, err, boom)
	var ee *EventError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, sec(2), ee.At)
	require.Same(t, boom, ee.Err)
	require.Contains(t, err.Error(), "boom")
	require.Contains(t, err.Error(), sec(2).String())

	require.Equal(t, sec(2), e.Now(), "clock stays at the failing event")
	require.Equal(t, []string{"one", "bad"}, r.got)
	require.Equal(t, 2, e.Pending())
	require.True(t, later.Pending())
	require.Equal(t, uint64(2), e.Processed())

	// The run can resume.
	require.NoError(t, e.RunUntil(sec(10)))
	require.Equal(t, []string{"one", "bad", "same instant, later", "three"}, r.got)
	require.Equal(t, sec(10), e.Now())
}

func TestStepError(t *testing.T) {
	boom := errors.New("boom")
	e := New(1, 0)
	_, err := e.AfterArg(time.Second, func(any) error { return boom }, nil)
	require.NoError(t, err)
	ok, err := e.Step()
	require.True(t, ok)
	var ee *EventError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, sec(1), ee.At)
	require.ErrorIs(t, err, boom)
}

func TestRunUntilFunc(t *testing.T) {
	// Ten events at 1s..10s, each counting.
	setup := func(t *testing.T) (*Engine, *int) {
		e := New(1, 0)
		count := new(int)
		for i := 1; i <= 10; i++ {
			_, err := e.Schedule(sec(i), func() error { *count++; return nil })
			require.NoError(t, err)
		}
		return e, count
	}
	t.Run("stops as soon as done holds", func(t *testing.T) {
		e, count := setup(t)
		ok, err := e.RunUntilFunc(sec(100), func() bool { return *count >= 3 })
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, 3, *count)
		require.Equal(t, sec(3), e.Now())
		require.Equal(t, 7, e.Pending())
	})
	t.Run("done before any event", func(t *testing.T) {
		e, count := setup(t)
		ok, err := e.RunUntilFunc(sec(100), func() bool { return true })
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, 0, *count)
		require.Equal(t, Time(0), e.Now())
	})
	t.Run("deadline reached", func(t *testing.T) {
		e, count := setup(t)
		ok, err := e.RunUntilFunc(sec(5), func() bool { return *count >= 8 })
		require.NoError(t, err)
		require.False(t, ok)
		require.Equal(t, 5, *count, "event at the deadline runs")
		require.Equal(t, sec(5), e.Now())
	})
	t.Run("deadline between events leaves clock at deadline", func(t *testing.T) {
		e, count := setup(t)
		ok, err := e.RunUntilFunc(sec(5)+Time(time.Millisecond), func() bool { return false })
		require.NoError(t, err)
		require.False(t, ok)
		require.Equal(t, 5, *count)
		require.Equal(t, sec(5)+Time(time.Millisecond), e.Now())
	})
	t.Run("queue drained before deadline", func(t *testing.T) {
		e, count := setup(t)
		ok, err := e.RunUntilFunc(sec(60), func() bool { return false })
		require.NoError(t, err)
		require.False(t, ok)
		require.Equal(t, 10, *count)
		require.Equal(t, sec(60), e.Now())
	})
	t.Run("handler error", func(t *testing.T) {
		e, count := setup(t)
		boom := errors.New("boom")
		_, err := e.Schedule(sec(4), func() error { return boom })
		require.NoError(t, err)
		ok, err := e.RunUntilFunc(sec(60), func() bool { return false })
		require.False(t, ok)
		var ee *EventError
		require.ErrorAs(t, err, &ee)
		require.Equal(t, sec(4), ee.At)
		require.Equal(t, sec(4), e.Now())
		require.Equal(t, 4, *count)
	})
}

func TestEngineAccessors(t *testing.T) {
	e := New(77, sec(3))
	require.Equal(t, uint64(77), e.Seed())
	require.Equal(t, sec(3), e.Now())
	require.Equal(t, 0, e.Pending())
	require.Equal(t, Never, e.NextAt())
	require.NotNil(t, e.Trace())

	ok, err := e.Step()
	require.NoError(t, err)
	require.False(t, ok, "nothing to step")

	// Record stamps events with the current time, whatever they carry.
	_, err = e.After(2*time.Second, func() error {
		e.Record(Event{Time: 12345, Type: "Tick", Source: "ecssim"})
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, e.RunFor(time.Minute))
	recs := e.Trace().Records()
	require.Len(t, recs, 1)
	require.Equal(t, sec(5), recs[0].Time)
	require.Equal(t, 1, recs[0].Seq)
}

func TestHandlerPanicBecomesError(t *testing.T) {
	e := New(1, 0)
	_, err := e.After(time.Second, func() error { panic("boom") })
	require.NoError(t, err)
	ran := false
	_, err = e.After(2*time.Second, func() error { ran = true; return nil })
	require.NoError(t, err)
	err = e.RunFor(time.Minute)
	var ee *EventError
	require.ErrorAs(t, err, &ee)
	require.ErrorIs(t, err, ErrHandlerPanic)
	require.Equal(t, Time(time.Second), ee.At)
	require.Contains(t, err.Error(), "boom")
	require.NoError(t, e.RunFor(time.Minute), "the engine goes on after the failed event")
	require.True(t, ran)
}
