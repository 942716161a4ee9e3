package sim

import (
	"fmt"
	"testing"
	"time"
)

// engineHoldCancel is the hold model of BenchmarkEngineHold in which every
// event also restarts a timeout, the way a health check or an RPC deadline
// does: it cancels the previous timeout and schedules a new one 30 s out.
// The queue thus always holds cancelled entries, which the engine must
// check for and compact away, and one operation is a pop, two schedules
// and a cancellation.
type engineHoldCancel struct {
	engineHold
	timeout Timer
}

func (h *engineHoldCancel) fire(arg any) error {
	h.timeout.Cancel()
	var err error
	if h.timeout, err = h.e.AfterArg(30*time.Second, h.act, arg); err != nil {
		return err
	}
	return h.engineHold.fire(arg)
}

func BenchmarkEngineHoldCancel(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			prefill, ring := holdDelays(n)
			h := &engineHoldCancel{engineHold: engineHold{e: New(holdSeed, 0), ring: ring}}
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
			if h.e.Pending() != n+1 {
				b.Fatalf("pending %d, want %d", h.e.Pending(), n+1)
			}
		})
	}
}
