package workload

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func BenchmarkSample(b *testing.B) {
	for _, d := range []Dist{
		Fixed(8 * time.Second),
		Uniform(5*time.Second, 15*time.Second),
		Normal(10*time.Second, 2*time.Second),
		Exponential(30 * time.Second),
		LogNormal(10*time.Second, 0.5),
	} {
		b.Run(d.String(), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			var sink time.Duration
			for b.Loop() {
				sink += d.Sample(r)
			}
			_ = sink
		})
	}
}

// BenchmarkFor looks up an image among 20 patterns, as every container
// start does: cached (the usual case) and right after a change.
func BenchmarkFor(b *testing.B) {
	bs := NewBehaviours()
	for i := range 20 {
		if err := bs.Set(fmt.Sprintf("team%d/*:*", i), Image{ExitCode: i}); err != nil {
			b.Fatal(err)
		}
	}
	if err := bs.Set("exact:1", Image{}); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"exact:1", "team19/web:1.0", "unmatched:1"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = bs.For(name)
			}
		})
		// Uncached: the first lookup of a name after a change.
		b.Run("uncached/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bs.SetDefault(Image{})
				_ = bs.For(name)
			}
		})
	}
}
