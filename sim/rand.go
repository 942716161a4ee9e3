package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Rand returns the random stream named stream. Streams are independent PCG
// generators seeded from the engine seed and the name, so drawing more from
// one stream never changes another's sequence. Asking twice for the same
// name returns the same generator, continuing where it left off.
//
// Name streams after the component and purpose ("ecs/task-ids",
// "workload/pull-time") so that a new consumer gets a stream of its own.
func (e *Engine) Rand(stream string) *rand.Rand {
	if r, ok := e.streams[stream]; ok {
		return r
	}
	r := rand.New(rand.NewPCG(e.seed, streamKey(stream)))
	e.streams[stream] = r
	return r
}

// streamKey hashes a stream name with FNV-1a and mixes it with splitmix64's
// finaliser, so that similar names give unrelated PCG increments.
func streamKey(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	z := h.Sum64() + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Fresh returns a new generator for the stream named stream, seeded as
// Rand seeds it but not kept: every call starts the same sequence again.
// It suits draws that must not depend on when they are made, such as a
// property of one entity drawn again whenever it is needed ("workload/http/"
// plus the entity's ARN).
func (e *Engine) Fresh(stream string) *rand.Rand {
	return rand.New(rand.NewPCG(e.seed, streamKey(stream)))
}
