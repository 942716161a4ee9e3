package vpc

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

// refPool is the reference for the bitset pool: a set of taken offsets and
// a linear scan for the lowest free usable one.
type refPool struct {
	prefix netip.Prefix
	size   int
	taken  map[int]bool
}

func newRefPool(cidr string) *refPool {
	p := netip.MustParsePrefix(cidr)
	return &refPool{prefix: p, size: 1 << (32 - p.Bits()), taken: make(map[int]bool)}
}

func (r *refPool) addr(i int) netip.Addr {
	a := r.prefix.Addr()
	for ; i > 0; i-- {
		a = a.Next()
	}
	return a
}

func (r *refPool) allocate() (netip.Addr, bool) {
	for i := reservedLow; i < r.size-1; i++ {
		if !r.taken[i] {
			r.taken[i] = true
			return r.addr(i), true
		}
	}
	return netip.Addr{}, false
}

func (r *refPool) release(i int) {
	delete(r.taken, i)
}

func (r *refPool) free() int { return r.size - reservedLow - 1 - len(r.taken) }

// TestPoolMatchesReference drives the pool and the reference with the same
// random allocations and releases (including bogus releases) and requires
// them to agree on every address and count.
func TestPoolMatchesReference(t *testing.T) {
	for _, cidr := range []string{"10.0.0.0/28", "10.0.0.0/27", "10.0.0.0/26", "10.0.0.0/25", "10.0.0.0/23"} {
		t.Run(cidr, func(t *testing.T) {
			for seed := uint64(1); seed <= 20; seed++ {
				rng := rand.New(rand.NewPCG(seed, 7))
				n := New()
				require.NoError(t, n.AddSubnet(Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: cidr}))
				ref := newRefPool(cidr)
				for step := 0; step < 2000; step++ {
					if rng.IntN(100) < 55 {
						got, err := n.AllocateIP("subnet-1")
						want, ok := ref.allocate()
						require.Equal(t, ok, err == nil, "seed %d step %d", seed, step)
						require.Equal(t, want, got, "seed %d step %d", seed, step)
					} else {
						// Any offset, including reserved ones and one past the end.
						i := rng.IntN(ref.size + 1)
						n.ReleaseIP("subnet-1", ref.addr(i))
						if i >= reservedLow && i < ref.size-1 {
							ref.release(i)
						}
					}
					require.Equal(t, ref.free(), n.FreeIPs("subnet-1"), "seed %d step %d", seed, step)
				}
			}
		})
	}
}

func FuzzAddSubnet(f *testing.F) {
	f.Add("subnet-1", "us-east-1a", "10.0.0.0/24", "", "10.0.0.0/28")
	f.Add("subnet-EXAMPLE", "a", "172.31.0.0/16", "vpc-1", "172.31.0.0/20")
	f.Add("subnet-", "", "10.0.0.0/33", "x", "")
	f.Add("subnet-a", "a", "::ffff:10.0.0.0/120", "", "1.2.3.4/28")
	f.Add("subnet-a", "a", "010.0.0.0/24", "vpc-", "0.0.0.0/16")
	f.Fuzz(func(t *testing.T, id, az, cidr, vpcID, cidr2 string) {
		n := New()
		err := n.AddSubnet(Subnet{ID: id, AvailabilityZone: az, CIDR: cidr, VpcID: vpcID})
		if err != nil {
			require.Empty(t, n.Subnets())
			return
		}
		s, ok := n.Subnet(id)
		require.True(t, ok)
		p := netip.MustParsePrefix(s.CIDR)
		require.True(t, p.Addr().Is4())
		require.GreaterOrEqual(t, p.Bits(), 16)
		require.LessOrEqual(t, p.Bits(), 28)
		require.Equal(t, (1<<(32-p.Bits()))-5, n.FreeIPs(id))

		// A second subnet in the same VPC must not overlap the first.
		err = n.AddSubnet(Subnet{ID: "subnet-second", AvailabilityZone: az, CIDR: cidr2, VpcID: vpcID})
		if err == nil {
			q := netip.MustParsePrefix(cidr2)
			require.False(t, p.Overlaps(q))
		}

		a, err := n.AllocateIP(id)
		require.NoError(t, err)
		require.True(t, p.Contains(a))
		require.Equal(t, p.Addr().Next().Next().Next().Next(), a)
	})
}

func BenchmarkAllocateRelease(b *testing.B) {
	// Sequential: fill a /16 from empty, release everything, repeat. Each
	// op is one allocation and (amortised) one release.
	b.Run("sequential-/16", func(b *testing.B) {
		n := New()
		if err := n.AddSubnet(Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/16"}); err != nil {
			b.Fatal(err)
		}
		addrs := make([]netip.Addr, 0, 65531)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			a, err := n.AllocateIP("subnet-1")
			if err != nil {
				for _, a := range addrs {
					n.ReleaseIP("subnet-1", a)
				}
				addrs = addrs[:0]
				a, _ = n.AllocateIP("subnet-1")
			}
			addrs = append(addrs, a)
		}
	})
	// Churn: a /16 kept 90% full; each op releases a random address and
	// takes the lowest free one, the pattern of tasks being replaced.
	b.Run("churn-/16-90%", func(b *testing.B) {
		n := New()
		if err := n.AddSubnet(Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/16"}); err != nil {
			b.Fatal(err)
		}
		addrs := make([]netip.Addr, 58978)
		for i := range addrs {
			addrs[i], _ = n.AllocateIP("subnet-1")
		}
		rng := rand.New(rand.NewPCG(1, 2))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			j := rng.IntN(len(addrs))
			n.ReleaseIP("subnet-1", addrs[j])
			a, err := n.AllocateIP("subnet-1")
			if err != nil {
				b.Fatal(err)
			}
			addrs[j] = a
		}
	})
	// Full: a full /16 with one hole at the very end, the worst case for
	// the scan (every word is visited once per allocation).
	b.Run("worst-case-/16", func(b *testing.B) {
		n := New()
		if err := n.AddSubnet(Subnet{ID: "subnet-1", AvailabilityZone: "a", CIDR: "10.0.0.0/16"}); err != nil {
			b.Fatal(err)
		}
		var last netip.Addr
		for {
			a, err := n.AllocateIP("subnet-1")
			if err != nil {
				break
			}
			last = a
		}
		first := netip.MustParseAddr("10.0.0.4")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			// Release the first (hint drops to word 0), then the last:
			// the allocation of the last scans every word.
			n.ReleaseIP("subnet-1", first)
			n.ReleaseIP("subnet-1", last)
			if _, err := n.AllocateIP("subnet-1"); err != nil {
				b.Fatal(err)
			}
			if _, err := n.AllocateIP("subnet-1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
