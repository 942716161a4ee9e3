package vpc

import (
	"math/bits"
	"net/netip"
)

// reservedLow is how many addresses at the start of every subnet AWS keeps
// for itself: the network address, the VPC router, the DNS server and one
// for future use. The last address (broadcast) is reserved too.
const reservedLow = 4

// pool is the address bookkeeping of one subnet: a bitset over the
// subnet's addresses, where a set bit means taken (allocated, reserved,
// or padding past the end of the subnet in the last word).
//
// hint is the index of the first word that may have a clear bit: every
// word before it is full. allocate scans from hint, so allocating in
// sequence touches each word once (O(1) amortised); release lowers hint
// when it frees a bit below it, which keeps "lowest free address first"
// exact.
type pool struct {
	base  uint32   // network address
	size  uint32   // addresses in the subnet, 16 to 65,536
	words []uint64 // bit i of words[i/64] is address base+i
	hint  int      // words[:hint] are all full
	free  int      // usable addresses not allocated
}

// newPool returns the pool of prefix p, which must be a canonical IPv4
// prefix of /16 to /28, with the reserved addresses taken.
func newPool(p netip.Prefix) pool {
	b := p.Addr().As4()
	size := uint32(1) << (32 - p.Bits())
	words := make([]uint64, (size+63)/64)
	pl := pool{
		base:  uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]),
		size:  size,
		words: words,
		free:  int(size) - reservedLow - 1,
	}
	for i := uint32(0); i < reservedLow; i++ {
		pl.set(i)
	}
	pl.set(size - 1)
	// A /27 or /28 does not fill its only word: mark the rest taken so
	// that allocate never looks past the end of the subnet.
	if tail := size % 64; tail != 0 {
		words[len(words)-1] |= ^uint64(0) << tail
	}
	return pl
}

func (p *pool) set(i uint32)        { p.words[i/64] |= 1 << (i % 64) }
func (p *pool) clear(i uint32)      { p.words[i/64] &^= 1 << (i % 64) }
func (p *pool) isSet(i uint32) bool { return p.words[i/64]&(1<<(i%64)) != 0 }

// allocate takes the lowest free address, or reports false when none is.
func (p *pool) allocate() (netip.Addr, bool) {
	for w := p.hint; w < len(p.words); w++ {
		if free := ^p.words[w]; free != 0 {
			i := uint32(w)*64 + uint32(bits.TrailingZeros64(free))
			p.set(i)
			p.hint = w
			p.free--
			return p.addr(i), true
		}
	}
	p.hint = len(p.words)
	return netip.Addr{}, false
}

// release frees address a when it is an allocated, usable address of the
// subnet, and does nothing otherwise.
func (p *pool) release(a netip.Addr) {
	if !a.Is4() {
		return
	}
	b := a.As4()
	off := (uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])) - p.base
	if off >= p.size || off < reservedLow || off == p.size-1 || !p.isSet(off) {
		return
	}
	p.clear(off)
	p.free++
	if w := int(off / 64); w < p.hint {
		p.hint = w
	}
}

// addr returns the address at offset i of the subnet.
func (p *pool) addr(i uint32) netip.Addr {
	v := p.base + i
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
