package scenario

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxDuration bounds every time and duration of a scenario: a hundred
// years of simulated time is more than anyone plans for, and far from the
// 292 years an int64 of nanoseconds holds.
const maxDuration = 100 * 365 * 24 * time.Hour

// ParseDuration reads a scenario duration: a Go duration ("90s", "1h30m",
// "250ms"), optionally led by whole days ("2d", "1d12h"), or a plain
// number of seconds ("30", "1.5"). Negative durations and durations over
// a hundred years are errors.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	orig := s
	if s == "" {
		return 0, errors.New("empty duration")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 || f*float64(time.Second) > float64(maxDuration) || f != f {
			return 0, fmt.Errorf("duration %q is out of range", s)
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.ParseUint(s[:i], 10, 16)
		if err != nil {
			return 0, fmt.Errorf("duration %q: want a Go duration such as 90s or 1h30m, optionally led by days such as 2d", orig)
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			s = "0s"
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: want a Go duration such as 90s or 1h30m, optionally led by days such as 2d", orig)
	}
	if d < 0 {
		return 0, fmt.Errorf("duration %q is negative", orig)
	}
	// Compare before adding, so that the sum cannot overflow: days is at
	// most 65,535 days (uint16), far below the int64 range, and d is
	// non-negative.
	if days > maxDuration || d > maxDuration-days {
		return 0, fmt.Errorf("duration %q is over a hundred years", orig)
	}
	return d + days, nil
}

// FormatDuration prints d the way scenario files write it, and the way
// [ParseDuration] reads it back: "0s", "45m", "1h30m", "2h", "1m30.5s",
// "20d", "1d12h".
func FormatDuration(d time.Duration) string {
	const day = 24 * time.Hour
	prefix := ""
	if d >= day {
		prefix = strconv.FormatInt(int64(d/day), 10) + "d"
		d %= day
		if d == 0 {
			return prefix
		}
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return prefix + s
}
