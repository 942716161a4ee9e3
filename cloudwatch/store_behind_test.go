package cloudwatch

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/sim"
)

// fillMinutes publishes, for each of minutes minutes, a sample to each
// of n series (a tenth with raw values, for percentiles), visible a
// minute later, flushing at each minute with flush; a sample visible at
// once goes to the second series every fourth minute.
func fillMinutes(st *Store, n, minutes int, flush func(now sim.Time)) []*Series {
	series := make([]*Series, n)
	for i := range series {
		series[i] = st.Series("Test", "M", []Dimension{{Name: ptr("Id"), Value: ptr(fmt.Sprint(i))}})
	}
	for m := 1; m <= minutes; m++ {
		now := sim.Time(time.Duration(m) * time.Minute)
		flush(now)
		minute := now - sim.Time(time.Minute)
		for i, s := range series {
			v := float64((i*7 + m*3) % 100)
			if i%10 == 0 {
				st.PublishValues(s, minute, "Seconds", Stats{SampleCount: 3, Sum: 3 * v, Minimum: v - 1, Maximum: v + 1},
					[]float64{v - 1, v, v + 1}, nil, now.Add(time.Minute), now)
				continue
			}
			// Half of them a second later, for a second flush.
			st.Publish(s, minute, "Percent", One(v), now.Add(time.Minute+time.Duration(i%2)*time.Second), now)
		}
		if m%4 == 0 {
			st.Publish(series[1], minute, "Percent", One(1), now, now)
		}
	}
	flush(sim.Time(time.Duration(minutes+2) * time.Minute))
	return series
}

// waitIdle waits until every batch's goroutine is done, however slowly
// the machine runs them.
func waitIdle(st *Store) {
	for _, b := range st.behind.batches {
		for !b.idle.Load() {
			runtime.Gosched()
		}
	}
}

// storeWorkers reports whether a goroutine of FlushBehind is there.
func storeWorkers() bool {
	stacks := make([]byte, 1<<20)
	s := string(stacks[:runtime.Stack(stacks, true)])
	return strings.Contains(s, "cloudwatch.(*behindBatch).work") || strings.Contains(s, "cloudwatch.(*Store).FlushBehind")
}

// TestFlushBehindStoresAsFlush: samples stored on a second goroutine by
// FlushBehind (or taken back by the next flush or sample visible at
// once) end as Flush stores them, every series, minute and percentile,
// also when a second flush comes while the goroutine stores; Settle
// leaves no goroutine.
func TestFlushBehindStoresAsFlush(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const n, minutes = 3000, 12
	ref := NewStore()
	want := fillMinutes(ref, n, minutes, func(now sim.Time) {
		ref.Flush(now)
		ref.Flush(now.Add(time.Second))
	})

	st := NewStore()
	handed, owed := 0, 0
	got := fillMinutes(st, n, minutes, func(now sim.Time) {
		st.FlushBehind(now)
		if b := st.behind.cur; b != nil {
			handed++
			for b.claim.Load() == 0 {
				runtime.Gosched() // until the goroutine has begun
			}
		}
		// As a second feed at the same instant: the first one's
		// goroutine may still be storing, and these are then owed.
		st.FlushBehind(now.Add(time.Second))
		if st.behind.owing {
			owed++
		}
		waitIdle(st) // so that the next minute finds a batch
	})
	st.Settle()
	// A goroutine signals the end of its work just before it returns.
	require.Eventually(t, func() bool { return !storeWorkers() }, time.Second, time.Millisecond, "the goroutines end once Settle returns")
	require.Greater(t, handed, minutes/2, "most minutes went to a second goroutine")
	t.Logf("%d of %d second flushes came while the goroutine stored", owed, minutes)

	end := sim.Time(time.Duration(minutes+2) * time.Minute)
	for i := range want {
		require.Equal(t, want[i].Periods(0, end, time.Minute, ""), got[i].Periods(0, end, time.Minute, ""), "series %d", i)
		require.Equal(t, want[i].late, got[i].late)
		if i%10 == 0 {
			for m := 0; m < minutes; m++ {
				from := sim.Time(time.Duration(m) * time.Minute)
				w, wok := want[i].percentileOf(from, from+sim.Time(time.Minute), "Seconds", 50)
				g, gok := got[i].percentileOf(from, from+sim.Time(time.Minute), "Seconds", 50)
				require.Equal(t, wok, gok)
				require.Equal(t, w, g)
			}
		}
	}
}

// TestFlushBehindFewOrOneProcessor: a small flush, or one with a single
// processor, is stored at once.
func TestFlushBehindFewOrOneProcessor(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	st := NewStore()
	s := st.Series("Test", "M", nil)
	st.Publish(s, 0, "Percent", One(5), sim.Time(time.Minute), 0)
	st.FlushBehind(sim.Time(time.Minute))
	require.Nil(t, st.behind.cur)
	require.Equal(t, sim.Time(0), s.newest())

	runtime.GOMAXPROCS(1)
	st = NewStore()
	fillMinutes(st, behindMin*2, 2, func(now sim.Time) {
		st.FlushBehind(now)
		require.Nil(t, st.behind.cur)
	})
}

// TestFlushForStoresWatchedAtOnce: an alarm's flush (FlushFor) stores the
// samples of the series alarms read at once, so each read sees what it
// would after Flush, and hands the others to a second goroutine; the
// store ends as Flush leaves it.
func TestFlushForStoresWatchedAtOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const n, minutes = 3000, 12
	watch := func(st *Store) *Series {
		return st.lookup("Test", "M", []Dimension{{Name: ptr("Id"), Value: ptr("3")}})
	}
	seen := map[sim.Time][]periodStats{}
	ref := NewStore()
	want := fillMinutes(ref, n, minutes, func(now sim.Time) {
		ref.Flush(now)
		if s := watch(ref); s != nil {
			seen[now] = s.Periods(0, now, time.Minute, "")
		}
		ref.Flush(now.Add(time.Second))
	})

	st := NewStore()
	handed := 0
	got := fillMinutes(st, n, minutes, func(now sim.Time) {
		st.FlushFor(watch(st), now)
		if st.behind.cur != nil {
			handed++
		}
		if s := watch(st); s != nil {
			require.True(t, s.watched)
			require.Equal(t, seen[now], s.Periods(0, now, time.Minute, ""), "the watched series at %s", now)
		}
		st.FlushFor(watch(st), now.Add(time.Second))
		waitIdle(st)
	})
	st.Settle()
	require.Greater(t, handed, minutes/2, "most minutes' other samples went to a second goroutine")

	end := sim.Time(time.Duration(minutes+2) * time.Minute)
	for i := range want {
		require.Equal(t, want[i].Periods(0, end, time.Minute, ""), got[i].Periods(0, end, time.Minute, ""), "series %d", i)
		require.Equal(t, want[i].late, got[i].late, "series %d", i)
	}
}

// TestFlushBehindWithNothingDueLeavesTheBatch: a feed's flush that finds
// nothing due does not settle the batch an alarm's flush handed off (it
// would take the samples back if the goroutine had not begun yet), and
// the store still ends as Flush leaves it.
func TestFlushBehindWithNothingDueLeavesTheBatch(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	ref, st := NewStore(), NewStore()
	var want, got []*Series
	for _, x := range []struct {
		st     *Store
		series *[]*Series
	}{{ref, &want}, {st, &got}} {
		for i := range behindMin * 2 {
			s := x.st.Series("Test", "M", []Dimension{{Name: ptr("Id"), Value: ptr(fmt.Sprint(i))}})
			x.st.Publish(s, 0, "Percent", One(float64(i)), sim.Time(time.Minute), 0)
			*x.series = append(*x.series, s)
		}
	}
	ref.Flush(sim.Time(time.Minute))

	b := &behindBatch{}
	b.idle.Store(true)
	st.behind.batches = []*behindBatch{b}
	st.FlushFor(nil, sim.Time(time.Minute))
	require.Same(t, b, st.behind.cur, "handed off")
	st.FlushBehind(sim.Time(2 * time.Minute))
	require.Same(t, b, st.behind.cur, "nothing was due: the batch goes on")

	st.Settle()
	for i := range want {
		require.Equal(t, want[i].Periods(0, sim.Time(2*time.Minute), time.Minute, ""), got[i].Periods(0, sim.Time(2*time.Minute), time.Minute, ""), "series %d", i)
	}
}

// TestFlushWhileStoringStoresWatchedAtOnce: a series an alarm begins to
// read has its pending samples moved to the watched lists when their
// cohort is next flushed, and while a goroutine still stores an earlier
// batch, a flush stores the watched series' due samples at once and
// leaves the others owed; the store ends as Flush leaves it.
func TestFlushWhileStoringStoresWatchedAtOnce(t *testing.T) {
	const n = 50
	now := sim.Time(2 * time.Minute)
	later := now + sim.Time(time.Minute)
	fill := func(st *Store) []*Series {
		var series []*Series
		for i := range n {
			s := st.Series("Test", "M", []Dimension{{Name: ptr("Id"), Value: ptr(fmt.Sprint(i))}})
			st.Publish(s, sim.Time(time.Minute), "Percent", One(float64(i)), now, now-1)
			st.PublishValues(s, now, "Seconds", Stats{SampleCount: 2, Sum: 2, Minimum: 0, Maximum: 2}, []float64{0, 2}, nil, later, now-1)
			series = append(series, s)
		}
		return series
	}
	ref := NewStore()
	want := fill(ref)
	ref.Flush(later)

	st := NewStore()
	got := fill(st)
	st.FlushFor(got[7], now-1) // an alarm's first read: nothing due yet
	require.True(t, got[7].watched)
	require.Len(t, st.cohorts, 2)
	for _, c := range st.cohorts {
		require.Empty(t, c.watched, "sorted when flushed, not at the read")
		require.Len(t, c.others, n)
	}

	b := &behindBatch{now: now - 1, done: make(chan struct{})}
	b.claim.Store(claimWorker) // a goroutine storing an earlier batch
	st.behind.cur, st.behind.batches = b, []*behindBatch{b}
	st.FlushFor(got[7], now)
	require.Equal(t, want[7].Periods(0, now, time.Minute, ""), got[7].Periods(0, now, time.Minute, ""), "a watched series is stored at once")
	require.Empty(t, got[8].Periods(0, now, time.Minute, ""), "the others wait for the batch")
	require.True(t, st.behind.owing)
	require.Len(t, st.cohorts[0].others, n-1, "the due cohort was sorted")
	require.Len(t, st.cohorts[1].others, n, "the other not yet")
	st.FlushBehind(now) // a second flush at the instant: nothing more to do
	require.Len(t, st.cohorts, 2)

	b.idle.Store(true)
	close(b.done) // the earlier batch is stored
	st.FlushBehind(later)
	st.Settle()
	require.Empty(t, st.cohorts)
	for i := range want {
		require.Equal(t, want[i].Periods(0, later+1, time.Minute, ""), got[i].Periods(0, later+1, time.Minute, ""), "series %d", i)
		w, wok := want[i].percentileOf(now, later, "Seconds", 50)
		g, gok := got[i].percentileOf(now, later, "Seconds", 50)
		require.Equal(t, wok, gok)
		require.Equal(t, w, g)
	}
}

// TestHandleFollowsWatching: a feed's handle made before an alarm first
// reads its series publishes to the watched list once it does, as
// Publish would; a sample published through it before then is moved
// there by the read.
func TestHandleFollowsWatching(t *testing.T) {
	st := NewStore()
	s := st.Series("Test", "M", nil)
	other := st.Series("Test", "Other", nil)
	h, ho := st.Handle(s), st.Handle(other)
	require.Same(t, s, h.Series())
	st.PublishTo(&h, 0, "Percent", One(1), sim.Time(2*time.Minute), 0)
	st.PublishTo(&ho, 0, "Percent", One(1), sim.Time(2*time.Minute), 0)
	require.Len(t, st.cohorts[0].others, 2)

	st.FlushFor(s, sim.Time(time.Minute)) // an alarm's first read of s
	st.PublishTo(&h, sim.Time(time.Minute), "Percent", One(2), sim.Time(3*time.Minute), sim.Time(time.Minute))
	st.PublishTo(&ho, sim.Time(time.Minute), "Percent", One(2), sim.Time(3*time.Minute), sim.Time(time.Minute))
	require.Len(t, st.cohorts[1].watched, 1, "the handle saw the read")
	require.Same(t, s, st.cohorts[1].watched[0].s)
	require.Len(t, st.cohorts[1].others, 1)
	st.FlushBehind(sim.Time(2 * time.Minute))
	require.Len(t, st.cohorts, 1)
	require.NotEmpty(t, s.Periods(0, sim.Time(3*time.Minute), time.Minute, ""), "sorted and stored")

	st.Flush(sim.Time(3 * time.Minute))
	require.Equal(t, []periodStats{{start: 0, units: []unitStats{{unit: "Percent", stats: One(1)}}}, {start: sim.Time(time.Minute), units: []unitStats{{unit: "Percent", stats: One(2)}}}},
		s.Periods(0, sim.Time(3*time.Minute), time.Minute, ""))
}

// TestFreeCohortsBounded: samples pending until many different instants
// make as many cohorts; once flushed, the store keeps only a few for
// reuse.
func TestFreeCohortsBounded(t *testing.T) {
	st := NewStore()
	s := st.Series("Test", "M", nil)
	for i := range 100 {
		st.Publish(s, 0, "Count", One(float64(i)), sim.Time(time.Minute)+sim.Time(i), 0)
	}
	require.Len(t, st.cohorts, 100)
	st.Flush(sim.Time(2 * time.Minute))
	require.Empty(t, st.cohorts)
	require.Len(t, st.free, freeCohorts)
	require.Equal(t, 100.0, s.Periods(0, sim.Time(time.Minute), time.Minute, "")[0].units[0].stats.SampleCount)
}

// TestMinuteAsPublishTo: a Minute writer's samples end as PublishTo's,
// pending or visible at once, watched or not.
func TestMinuteAsPublishTo(t *testing.T) {
	for _, visible := range []sim.Time{sim.Time(2 * time.Minute), sim.Time(time.Minute)} {
		now := sim.Time(time.Minute)
		ref, st := NewStore(), NewStore()
		var want, got []*Series
		var hw, hg []Handle
		for i := range 6 {
			d := []Dimension{{Name: ptr("Id"), Value: ptr(fmt.Sprint(i))}}
			want, got = append(want, ref.Series("Test", "M", d)), append(got, st.Series("Test", "M", d))
			hw, hg = append(hw, ref.Handle(want[i])), append(hg, st.Handle(got[i]))
		}
		ref.FlushFor(want[2], 0)
		st.FlushFor(got[2], 0) // watched
		w := st.Minute(now-1, visible, now)
		for i := range 6 {
			ref.PublishTo(&hw[i], now-1, "Percent", One(float64(i)), visible, now)
			w.One(&hg[i], "Percent", float64(i))
		}
		if visible > now {
			require.Len(t, st.cohorts, 1)
			require.Len(t, st.cohorts[0].watched, 1)
			require.Len(t, st.cohorts[0].others, 5)
		}
		ref.Flush(visible)
		st.Flush(visible)
		for i := range want {
			require.Equal(t, want[i].Periods(0, visible, time.Minute, ""), got[i].Periods(0, visible, time.Minute, ""), "series %d", i)
			require.NotEmpty(t, got[i].Periods(0, visible, time.Minute, ""))
		}
	}
}

// TestWatchKeepsASeriesOrder: samples of one series pending until the
// same instant, some published before an alarm first reads it and some
// after, are stored in the order they came, as without the read: the
// older ones are sorted in front of the newer.
func TestWatchKeepsASeriesOrder(t *testing.T) {
	at := sim.Time(2 * time.Minute)
	publish := func(st *Store, s *Series, m int) {
		st.Publish(s, sim.Time(time.Duration(m)*time.Minute), "Count", One(float64(m)), at, sim.Time(time.Minute))
	}
	for _, flush := range []func(st *Store){
		func(st *Store) { st.Flush(at) },
		func(st *Store) { st.FlushBehind(at) },
	} {
		ref, st := NewStore(), NewStore()
		r, s := ref.Series("Test", "M", nil), st.Series("Test", "M", nil)
		publish(ref, r, 0)
		publish(st, s, 0)
		st.FlushFor(s, sim.Time(time.Minute)) // read by an alarm from now on
		publish(ref, r, 1)
		publish(st, s, 1)
		require.Len(t, st.cohorts[0].watched, 1)
		require.Len(t, st.cohorts[0].others, 1)
		ref.Flush(at)
		flush(st)
		require.Empty(t, st.cohorts)
		require.Equal(t, r.Periods(0, at, time.Minute, ""), s.Periods(0, at, time.Minute, ""))
		require.Zero(t, s.late, "minute 0 was stored before minute 1")
		require.Equal(t, r.late, s.late)
	}
}
