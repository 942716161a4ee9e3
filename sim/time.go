package sim

import (
	"fmt"
	"time"
)

// Epoch is the instant that [Time] zero stands for: 2000-01-01T00:00:00Z,
// the same fixed origin that testing/synctest uses. Keeping it fixed makes
// virtual times comparable across runs and printable without context.
var Epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Time is a virtual instant: nanoseconds since [Epoch]. An int64 covers
// about 292 years either side of the epoch.
type Time int64

// Never is a Time later than any event can be scheduled for.
const Never Time = 1<<63 - 1

// FromTime converts a wall-clock instant to virtual time.
func FromTime(t time.Time) Time { return Time(t.Sub(Epoch)) }

// Time converts t back to a wall-clock instant in UTC.
func (t Time) Time() time.Time { return Epoch.Add(time.Duration(t)).UTC() }

// Add returns t+d.
func (t Time) Add(d time.Duration) Time { return t + Time(d) }

// Sub returns the duration t-u.
func (t Time) Sub(u Time) time.Duration { return time.Duration(t - u) }

// Before reports whether t is earlier than u.
func (t Time) Before(u Time) bool { return t < u }

// After reports whether t is later than u.
func (t Time) After(u Time) bool { return t > u }

// String formats t as RFC 3339 with milliseconds, in UTC.
func (t Time) String() string {
	if t == Never {
		return "never"
	}
	var b [24]byte
	return string(AppendTime(b[:0], t))
}

// Clock formats the span since start as h:mm:ss, the way timelines print it.
func (t Time) Clock(start Time) string {
	d := t.Sub(start)
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	h := d / time.Hour
	m := (d % time.Hour) / time.Minute
	s := (d % time.Minute) / time.Second
	return fmt.Sprintf("%s%d:%02d:%02d", sign, h, m, s)
}
