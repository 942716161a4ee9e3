package sim

import "math/bits"

// A radix heap orders the events that are not on a lane. It relies on the
// one property of a simulation clock that a general priority queue cannot:
// nothing is ever scheduled before the clock, and the clock only moves to
// the earliest pending event or past it. Keys (times, as unsigned integers)
// are compared with last, the key of the pivot, which is never above any
// queued key: an entry's bucket is given by the highest radixBits-bit
// digit in which its key differs from last (its level) and the value of
// that digit, so buckets in index order are in key order. Level 0 holds
// keys that differ from last in the lowest digit only: each of its buckets
// holds a single time and is popped first in, first out.
//
// Each bucket knows its earliest time. To find the minimum when level 0 is
// empty, the engine takes the lowest non-empty bucket. If it holds a single
// entry, that entry is the minimum. Otherwise its earliest time becomes the
// pivot and all its entries move to lower levels, those due at the pivot
// to level 0. An entry moves at most once per level, in practice two or
// three times for delays of seconds at nanosecond resolution, each time by
// a sequential copy; buckets are found with two TrailingZeros64 over an
// occupancy bitmap. Moving the pivot up to a time is only safe once the
// clock is sure to reach that time before anything else is scheduled,
// which the engine arranges (see Engine.next).
//
// Entries with equal times are always in the same bucket; buckets are
// appended to in scheduling order and redistributed in order, so equal
// times stay in scheduling order and leave level 0 by sequence number.
//
// Buckets are FIFOs of fixed-size chunks taken from a pool that all buckets
// share, so memory follows the number of entries, not the number of buckets
// that were ever large.

const (
	radixBits    = 8
	radixDigits  = 1 << radixBits
	radixLevels  = (64 + radixBits - 1) / radixBits
	radixBuckets = radixLevels * radixDigits
	radixWords   = radixBuckets / 64

	chunkLen = 64 // entries per chunk: 3 KiB
)

type chunk struct {
	e    [chunkLen]entry
	next *chunk
}

// bucket is a FIFO of entries: head.e[hpos:] up to tail.e[:tpos]. An empty
// bucket has no chunks. min is the earliest time ever appended since the
// bucket was last empty or filtered, which is its earliest time unless
// entries were popped from the front (done only where all times are equal,
// or to empty the bucket).
type bucket struct {
	head, tail *chunk
	hpos, tpos int32
	min        Time
}

type radix struct {
	last    uint64
	n       int    // entries, stale ones included
	sum     uint64 // bit w set when occ[w] != 0
	occ     [radixWords]uint64
	buckets [radixBuckets]bucket
	pool    *chunk // free chunks
	pooled  int    // chunks in pool
}

// key maps a time to an unsigned radix key of the same order.
func key(t Time) uint64 { return uint64(t) ^ 1<<63 }

// bucketOf returns the bucket for key k, which must not be below last.
func (r *radix) bucketOf(k uint64) int {
	l := (bits.Len64((k^r.last)|1) - 1) / radixBits
	return l*radixDigits + int(k>>(l*radixBits))&(radixDigits-1)
}

// lowest returns the lowest non-empty bucket; the radix heap must not be
// empty.
func (r *radix) lowest() int {
	w := bits.TrailingZeros64(r.sum)
	return w*64 + bits.TrailingZeros64(r.occ[w])
}

func (r *radix) newChunk() *chunk {
	c := r.pool
	if c == nil {
		return new(chunk)
	}
	r.pool, c.next = c.next, nil
	r.pooled--
	return c
}

// freeChunk returns c to the pool; its entries must already be cleared.
func (r *radix) freeChunk(c *chunk) {
	c.next = r.pool
	r.pool = c
	r.pooled++
}

// reserve makes sure that the pool holds at least k chunks.
func (r *radix) reserve(k int) {
	for r.pooled < k {
		r.freeChunk(new(chunk))
	}
}

// place appends a place for an entry due at t to its bucket and returns it.
// t must not be below last.
func (r *radix) place(t Time) *entry {
	i := r.bucketOf(key(t))
	b := &r.buckets[i]
	if b.tail == nil {
		c := r.newChunk()
		b.head, b.tail, b.hpos, b.tpos, b.min = c, c, 0, 0, t
		r.occ[i/64] |= 1 << (i % 64)
		r.sum |= 1 << (i / 64)
	} else {
		if b.tpos == chunkLen {
			c := r.newChunk()
			b.tail.next = c
			b.tail, b.tpos = c, 0
		}
		b.min = min(b.min, t)
	}
	b.tpos++
	return &b.tail.e[b.tpos-1]
}

// push is place for a new entry.
func (r *radix) push(t Time) *entry {
	r.n++
	return r.place(t)
}

// single reports whether bucket i holds exactly one entry.
func (r *radix) single(i int) bool {
	b := &r.buckets[i]
	return b.head == b.tail && b.tpos-b.hpos == 1
}

// empty marks bucket i empty; its chunks must already be in the pool.
func (r *radix) empty(i int) {
	r.buckets[i] = bucket{}
	r.occ[i/64] &^= 1 << (i % 64)
	if r.occ[i/64] == 0 {
		r.sum &^= 1 << (i / 64)
	}
}

// front returns the first entry of bucket i, which must not be empty.
func (r *radix) front(i int) *entry {
	b := &r.buckets[i]
	return &b.head.e[b.hpos]
}

// popFront removes the first entry of bucket i.
func (r *radix) popFront(i int) {
	b := &r.buckets[i]
	b.head.e[b.hpos] = entry{}
	b.hpos++
	r.n--
	switch {
	case b.head == b.tail && b.hpos == b.tpos:
		r.freeChunk(b.head)
		r.empty(i)
	case b.hpos == chunkLen:
		c := b.head
		b.head, b.hpos = c.next, 0
		r.freeChunk(c)
	}
}

// first returns the first entry of bucket i due at its earliest time,
// which is also the earliest by sequence.
func (r *radix) first(i int) *entry {
	b := &r.buckets[i]
	for c, lo := b.head, b.hpos; c != nil; c, lo = c.next, 0 {
		hi := int32(chunkLen)
		if c == b.tail {
			hi = b.tpos
		}
		for k := lo; k < hi; k++ {
			if c.e[k].at == b.min {
				return &c.e[k]
			}
		}
	}
	panic("sim: radix bucket lost its minimum")
}

// redistribute empties bucket i into lower levels around its earliest
// time as the new pivot; the entries due then land in a level-0 bucket, in
// the order they had. The caller must make sure that the clock reaches the
// pivot before anything can be scheduled again.
func (r *radix) redistribute(i int) {
	b := r.buckets[i]
	r.empty(i)
	r.last = key(b.min)
	for c, lo := b.head, b.hpos; c != nil; {
		hi := int32(chunkLen)
		if c == b.tail {
			hi = b.tpos
		}
		for k := lo; k < hi; k++ {
			*r.place(c.e[k].at) = c.e[k]
		}
		clear(c.e[lo:hi])
		next := c.next
		r.freeChunk(c)
		c, lo = next, 0
	}
}

// filter drops the stale entries of bucket i, keeping the order of the
// others, and returns how many it dropped.
func (r *radix) filter(i int, slots []slot) int {
	b := &r.buckets[i]
	if b.head == nil {
		return 0
	}
	w, wpos, dropped, m := b.head, b.hpos, 0, Never
	for c, lo := b.head, b.hpos; c != nil; c, lo = c.next, 0 {
		hi := int32(chunkLen)
		if c == b.tail {
			hi = b.tpos
		}
		for k := lo; k < hi; k++ {
			if x := &c.e[k]; slots[x.slot].gen != x.gen {
				dropped++
				continue
			}
			if wpos == chunkLen {
				w, wpos = w.next, 0
			}
			if w != c || wpos != k {
				w.e[wpos] = c.e[k]
			}
			wpos++
			m = min(m, c.e[k].at)
		}
	}
	if dropped == 0 {
		return 0
	}
	b.min = m
	r.n -= dropped
	if w == b.head && wpos == b.hpos {
		// Nothing kept.
		r.release(b.head, b.hpos, b.tail, b.tpos)
		r.empty(i)
		return dropped
	}
	// Clear what follows the new tail and give back the chunks after it.
	end := int32(chunkLen)
	if w == b.tail {
		end = b.tpos
	}
	clear(w.e[wpos:end])
	if w != b.tail {
		r.release(w.next, 0, b.tail, b.tpos)
		w.next = nil
	}
	b.tail, b.tpos = w, wpos
	return dropped
}

// release clears the entries from c.e[lo] to tail.e[tpos] and returns their
// chunks to the pool.
func (r *radix) release(c *chunk, lo int32, tail *chunk, tpos int32) {
	for c != nil {
		hi := int32(chunkLen)
		if c == tail {
			hi = tpos
		}
		clear(c.e[lo:hi])
		next := c.next
		r.freeChunk(c)
		if c == tail {
			break
		}
		c, lo = next, 0
	}
}

// reset empties the radix heap and moves the pivot to t.
func (r *radix) reset(t Time) {
	for w := r.sum; w != 0; w &= w - 1 {
		wi := bits.TrailingZeros64(w)
		for o := r.occ[wi]; o != 0; o &= o - 1 {
			i := wi*64 + bits.TrailingZeros64(o)
			b := &r.buckets[i]
			r.release(b.head, b.hpos, b.tail, b.tpos)
			r.buckets[i] = bucket{}
		}
		r.occ[wi] = 0
	}
	r.sum, r.n = 0, 0
	r.last = key(t)
}

// each calls fn with every bucket index that is not empty, lowest first.
func (r *radix) each(fn func(i int)) {
	for w := r.sum; w != 0; w &= w - 1 {
		wi := bits.TrailingZeros64(w)
		for o := r.occ[wi]; o != 0; o &= o - 1 {
			fn(wi*64 + bits.TrailingZeros64(o))
		}
	}
}
