package sim

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"
)

// The property test drives the engine and a naive reference model with the
// same random operations and checks that they agree on everything
// observable: which events fire, in what order, the clock, Pending and
// NextAt.

// refEvent is an event in the reference model.
type refEvent struct {
	at  Time
	seq uint64
	id  int
}

func (a refEvent) less(b refEvent) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// refQueue is the reference: a slice kept sorted by (at, seq).
type refQueue struct {
	now  Time
	seq  uint64
	evs  []refEvent
	byID map[int]refEvent
}

func (q *refQueue) push(at Time, id int) {
	q.seq++
	ev := refEvent{at: at, seq: q.seq, id: id}
	i := sort.Search(len(q.evs), func(i int) bool { return ev.less(q.evs[i]) })
	q.evs = slices.Insert(q.evs, i, ev)
	q.byID[id] = ev
}

func (q *refQueue) cancel(id int) bool {
	ev, ok := q.byID[id]
	if !ok {
		return false
	}
	i := sort.Search(len(q.evs), func(i int) bool { return !q.evs[i].less(ev) })
	if i == len(q.evs) || q.evs[i].id != id {
		panic("reference queue out of order")
	}
	q.evs = slices.Delete(q.evs, i, i+1)
	delete(q.byID, id)
	return true
}

func (q *refQueue) pop() refEvent {
	ev := q.evs[0]
	q.evs = q.evs[1:]
	delete(q.byID, ev.id)
	q.now = ev.at
	return ev
}

// spawn is what an event's handler does besides recording itself: schedule
// a child on the heap (lane < 0) or a lane, and/or cancel another event.
// Decided when the parent is scheduled, so both models know it.
type spawn struct {
	child  int // 0: none
	lane   int
	delay  time.Duration
	cancel bool // cancel a random live event; the victim is chosen at run time
}

type propEvent struct{ id int }

// propRun is one random sequence.
type propRun struct {
	t     *testing.T
	seq   int // sequence number, for failure messages
	op    int
	rng   *rand.Rand
	e     *Engine
	lanes []*Lane
	ref   refQueue

	act     Action
	nextID  int
	spawns  map[int]spawn
	victims map[int]int // parent id -> id it cancelled (engine side)

	// The engine side's view of live events, for picking cancellations.
	timers  map[int]Timer
	liveIDs []int
	livePos map[int]int
	dead    []Timer // timers of events that ran or were cancelled

	fired    []int // engine order
	refFired []int // reference order

	heapBias    bool // schedule mostly on the heap
	compactions int
}

var lanePeriods = []time.Duration{time.Second, 2 * time.Second, 5 * time.Second}

// delays are drawn from a small set, so that equal times are common,
// including collisions between lanes and the heap.
func (p *propRun) delay() time.Duration {
	switch p.rng.IntN(8) {
	case 0:
		return 0
	case 1:
		return time.Millisecond
	case 2:
		return lanePeriods[p.rng.IntN(len(lanePeriods))]
	case 3:
		return time.Duration(p.rng.IntN(4)) * time.Second
	case 4:
		return time.Duration(p.rng.IntN(3000)) * time.Millisecond
	default:
		return time.Duration(p.rng.Int64N(int64(10 * time.Second)))
	}
}

func (p *propRun) addLive(id int, tm Timer) {
	p.timers[id] = tm
	p.livePos[id] = len(p.liveIDs)
	p.liveIDs = append(p.liveIDs, id)
}

func (p *propRun) dropLive(id int) {
	i, ok := p.livePos[id]
	if !ok {
		p.t.Fatalf("seq %d op %d: event %d is not live", p.seq, p.op, id)
	}
	last := p.liveIDs[len(p.liveIDs)-1]
	p.liveIDs[i] = last
	p.livePos[last] = i
	p.liveIDs = p.liveIDs[:len(p.liveIDs)-1]
	delete(p.livePos, id)
	if len(p.dead) < 64 {
		p.dead = append(p.dead, p.timers[id])
	} else {
		p.dead[p.rng.IntN(len(p.dead))] = p.timers[id]
	}
	delete(p.timers, id)
}

// newSpawn decides what the handler of a new event will do.
func (p *propRun) newSpawn(id int) {
	var s spawn
	if p.rng.IntN(6) == 0 {
		p.nextID++
		s.child = p.nextID
		s.lane = -1
		if p.rng.IntN(3) == 0 {
			s.lane = p.rng.IntN(len(p.lanes))
		}
		s.delay = []time.Duration{0, 0, time.Millisecond, time.Second}[p.rng.IntN(4)]
	}
	if p.rng.IntN(10) == 0 {
		s.cancel = true
	}
	if s != (spawn{}) {
		p.spawns[id] = s
	}
}

// handle is the engine-side handler of event id.
func (p *propRun) handle(id int) error {
	p.fired = append(p.fired, id)
	p.dropLive(id)
	s, ok := p.spawns[id]
	if !ok {
		return nil
	}
	if s.child != 0 {
		ev := &propEvent{id: s.child}
		var tm Timer
		var err error
		if s.lane >= 0 {
			tm = p.lanes[s.lane].Add(p.act, ev)
		} else {
			tm, err = p.e.AfterArg(s.delay, p.act, ev)
		}
		if err != nil {
			return err
		}
		p.addLive(s.child, tm)
	}
	if s.cancel && len(p.liveIDs) > 0 {
		victim := p.liveIDs[p.rng.IntN(len(p.liveIDs))]
		if !p.timers[victim].Cancel() {
			p.t.Fatalf("seq %d op %d: handler %d could not cancel live %d", p.seq, p.op, id, victim)
		}
		p.dropLive(victim)
		p.victims[id] = victim
	}
	return nil
}

func (p *propRun) actFn(arg any) error { return p.handle(arg.(*propEvent).id) }

// refFire runs the reference side of the handler of ev.
func (p *propRun) refFire(ev refEvent) {
	p.refFired = append(p.refFired, ev.id)
	s, ok := p.spawns[ev.id]
	if !ok {
		return
	}
	if s.child != 0 {
		d := s.delay
		if s.lane >= 0 {
			d = lanePeriods[s.lane]
		}
		p.ref.push(p.ref.now.Add(d), s.child)
	}
	if victim, ok := p.victims[ev.id]; ok {
		if !p.ref.cancel(victim) {
			p.t.Fatalf("seq %d op %d: reference: %d cancelled %d, which is not pending", p.seq, p.op, ev.id, victim)
		}
	}
}

func (p *propRun) schedule() {
	p.nextID++
	id := p.nextID
	p.newSpawn(id)
	ev := &propEvent{id: id}
	var (
		tm  Timer
		at  Time
		err error
	)
	k := p.rng.IntN(7)
	if p.heapBias && k < 3 && p.rng.IntN(8) != 0 {
		k = 3 + p.rng.IntN(4)
	}
	switch k {
	case 0, 1, 2: // a lane
		l := p.lanes[k]
		at = p.e.Now().Add(l.Period())
		if p.rng.IntN(2) == 0 {
			tm = l.Add(p.act, ev)
		} else {
			tm = l.AddFunc(func() error { return p.handle(id) })
		}
	case 3:
		at = p.e.Now().Add(p.delay())
		tm, err = p.e.Schedule(at, func() error { return p.handle(id) })
	case 4:
		at = p.e.Now().Add(p.delay())
		tm, err = p.e.ScheduleArg(at, p.act, ev)
	case 5:
		d := p.delay()
		at = p.e.Now().Add(d)
		tm, err = p.e.After(d, func() error { return p.handle(id) })
	default:
		d := p.delay()
		at = p.e.Now().Add(d)
		tm, err = p.e.AfterArg(d, p.act, ev)
	}
	if err != nil {
		p.t.Fatalf("seq %d op %d: schedule: %v", p.seq, p.op, err)
	}
	if tm.At() != at {
		p.t.Fatalf("seq %d op %d: timer at %d, want %d", p.seq, p.op, tm.At(), at)
	}
	p.addLive(id, tm)
	p.ref.push(at, id)
}

func (p *propRun) cancel() {
	if len(p.dead) > 0 && p.rng.IntN(4) == 0 {
		tm := p.dead[p.rng.IntN(len(p.dead))]
		if tm.Cancel() || tm.Pending() {
			p.t.Fatalf("seq %d op %d: dead timer still pending", p.seq, p.op)
		}
		return
	}
	if len(p.liveIDs) == 0 {
		return
	}
	id := p.liveIDs[p.rng.IntN(len(p.liveIDs))]
	tm := p.timers[id]
	before := len(p.e.heap)
	if !tm.Cancel() {
		p.t.Fatalf("seq %d op %d: Cancel of live event %d returned false", p.seq, p.op, id)
	}
	if len(p.e.heap) < before-1 {
		p.compactions++
	}
	if tm.Cancel() {
		p.t.Fatalf("seq %d op %d: second Cancel of %d returned true", p.seq, p.op, id)
	}
	p.dropLive(id)
	if !p.ref.cancel(id) {
		p.t.Fatalf("seq %d op %d: reference does not hold %d", p.seq, p.op, id)
	}
}

func (p *propRun) step() {
	ok, err := p.e.Step()
	if err != nil {
		p.t.Fatalf("seq %d op %d: step: %v", p.seq, p.op, err)
	}
	if ok != (len(p.ref.evs) > 0) {
		p.t.Fatalf("seq %d op %d: Step ran=%v, reference has %d pending", p.seq, p.op, ok, len(p.ref.evs))
	}
	if ok {
		p.refFire(p.ref.pop())
	}
}

func (p *propRun) runUntil() {
	var d time.Duration
	switch p.rng.IntN(4) {
	case 0:
		d = 0
	case 1:
		d = time.Millisecond
	case 2:
		d = time.Duration(1+p.rng.IntN(3)) * time.Second
	default:
		d = time.Duration(p.rng.Int64N(int64(3 * time.Second)))
	}
	until := p.e.Now().Add(d)
	if err := p.e.RunUntil(until); err != nil {
		p.t.Fatalf("seq %d op %d: RunUntil: %v", p.seq, p.op, err)
	}
	for len(p.ref.evs) > 0 && p.ref.evs[0].at <= until {
		p.refFire(p.ref.pop())
	}
	p.ref.now = until
}

func (p *propRun) check() {
	if len(p.fired) != len(p.refFired) {
		p.t.Fatalf("seq %d op %d: engine fired %d events, reference %d", p.seq, p.op, len(p.fired), len(p.refFired))
	}
	if n := len(p.fired); n > 0 && p.fired[n-1] != p.refFired[n-1] {
		i := 0
		for p.fired[i] == p.refFired[i] {
			i++
		}
		p.t.Fatalf("seq %d op %d: fired[%d] = %d, reference %d", p.seq, p.op, i, p.fired[i], p.refFired[i])
	}
	if got, want := p.e.Pending(), len(p.ref.evs); got != want {
		p.t.Fatalf("seq %d op %d: Pending() = %d, reference %d", p.seq, p.op, got, want)
	}
	if got, want := p.e.Now(), p.ref.now; got != want {
		p.t.Fatalf("seq %d op %d: Now() = %d, reference %d", p.seq, p.op, got, want)
	}
	want := Never
	if len(p.ref.evs) > 0 {
		want = p.ref.evs[0].at
	}
	if got := p.e.NextAt(); got != want {
		p.t.Fatalf("seq %d op %d: NextAt() = %d, reference %d", p.seq, p.op, got, want)
	}
}

// mixes are operation weights: schedule, cancel, step, runUntil.
var mixes = [][4]int{
	{4, 1, 3, 1}, // balanced
	{9, 1, 1, 0}, // build up
	{1, 8, 1, 0}, // cancel-heavy: drives compaction
	{1, 1, 6, 2}, // drain
	{3, 3, 0, 1}, // churn without steps
}

func TestPropertyAgainstReference(t *testing.T) {
	sequences, ops := 300, 2000
	if testing.Short() {
		sequences = 50
	}
	rng := rand.New(rand.NewPCG(0x5eed, 0xecc5))
	totalFired, compactions := 0, 0
	for s := 0; s < sequences; s++ {
		n, block, long := ops, 250, s%25 == 0
		if long {
			// Long phases, mostly on the heap, build up enough stale
			// entries to compact it: build, cancel, balanced, drain.
			n, block = 10000, 2500
		}
		p := &propRun{
			t:        t,
			seq:      s,
			rng:      rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64())),
			ref:      refQueue{byID: map[int]refEvent{}},
			spawns:   map[int]spawn{},
			victims:  map[int]int{},
			timers:   map[int]Timer{},
			livePos:  map[int]int{},
			heapBias: long,
		}
		start := Time(p.rng.Int64N(int64(time.Hour)))
		p.e = New(p.rng.Uint64(), start)
		p.ref.now = start
		p.act = p.actFn
		for _, d := range lanePeriods {
			l, err := p.e.Lane(d)
			if err != nil {
				t.Fatal(err)
			}
			p.lanes = append(p.lanes, l)
		}
		var mix [4]int
		for p.op = 0; p.op < n; p.op++ {
			if p.op%block == 0 {
				mix = mixes[p.rng.IntN(len(mixes))]
				if long {
					mix = mixes[[]int{1, 2, 0, 3}[p.op/block%4]]
				}
			}
			r := p.rng.IntN(mix[0] + mix[1] + mix[2] + mix[3])
			switch {
			case r < mix[0]:
				p.schedule()
			case r < mix[0]+mix[1]:
				p.cancel()
			case r < mix[0]+mix[1]+mix[2]:
				p.step()
			default:
				p.runUntil()
			}
			p.check()
		}
		// Drain both and compare the full order.
		for len(p.ref.evs) > 0 {
			p.step()
			p.check()
		}
		if ok, _ := p.e.Step(); ok {
			t.Fatalf("seq %d: engine has events the reference does not", s)
		}
		if !slices.Equal(p.fired, p.refFired) {
			t.Fatalf("seq %d: fired order differs", s)
		}
		if len(p.liveIDs) != 0 {
			t.Fatalf("seq %d: %d events neither ran nor were cancelled", s, len(p.liveIDs))
		}
		totalFired += len(p.fired)
		compactions += p.compactions
	}
	if compactions == 0 {
		t.Fatalf("no sequence compacted the heap; the test lost coverage")
	}
	t.Logf("%d sequences, %d events fired, %d compactions", sequences, totalFired, compactions)
}
