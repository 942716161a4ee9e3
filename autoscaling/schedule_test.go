package autoscaling

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

// schedTime parses "2006-01-02T15:04:05" (optionally with ".999") as UTC.
func schedTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	require.NoError(t, err)
	return v
}

// schedFirings returns the first n firings of s strictly after from (fewer
// if it stops), in UTC, formatted like schedTime's input.
func schedFirings(t testing.TB, s Schedule, from time.Time, n int) []string {
	t.Helper()
	var out []string
	for range n {
		next, ok := s.Next(from)
		if !ok {
			break
		}
		require.True(t, next.After(from), "Next(%v) = %v is not after it", from, next)
		out = append(out, next.UTC().Format("2006-01-02T15:04:05"))
		from = next
	}
	return out
}

// Weekdays used below (checked with date(1)): 2026-03-01 Sun, 2026-03-06 Fri,
// 2026-03-08 Sun (US DST starts), 2026-11-01 Sun (US DST ends), 2026-01-31
// Sat, 2026-02-15 Sun, 2026-05-01 Fri, 2026-05-31 Sun, 2026-08-01 Sat,
// 2026-08-15 Sat, 2024-02-29 Thu, 2028-02-29 Tue, 2100-02-28 Sun,
// 2104-02-29 Fri.
func TestScheduleCronNext(t *testing.T) {
	tests := []struct {
		name string
		expr string
		tz   string
		from string
		want []string // the next firings in UTC; fewer than asked means none after
		n    int      // how many to ask for; 0 means len(want)
	}{
		// The examples of the AAS guide.
		{"10:00 every day", "cron(0 10 * * ? *)", "", "2026-03-01T09:59:59",
			[]string{"2026-03-01T10:00:00", "2026-03-02T10:00:00"}, 0},
		{"strictly after", "cron(0 10 * * ? *)", "", "2026-03-01T10:00:00",
			[]string{"2026-03-02T10:00:00"}, 0},
		{"sub-second after a firing", "cron(15 12 * * ? *)", "", "2026-03-01T12:15:00.5",
			[]string{"2026-03-02T12:15:00"}, 0},
		{"weekdays at 18:00", "cron(0 18 ? * MON-FRI *)", "", "2026-03-06T18:00:00",
			[]string{"2026-03-09T18:00:00", "2026-03-10T18:00:00"}, 0},
		{"first of the month", "cron(0 8 1 * ? *)", "", "2026-03-01T08:00:00",
			[]string{"2026-04-01T08:00:00", "2026-05-01T08:00:00"}, 0},
		{"every 15 minutes", "cron(0/15 * * * ? *)", "", "2026-03-01T10:07:00",
			[]string{"2026-03-01T10:15:00", "2026-03-01T10:30:00", "2026-03-01T10:45:00", "2026-03-01T11:00:00"}, 0},
		{"every 5 minutes in office hours", "cron(0/5 8-17 ? * MON-FRI *)", "", "2026-03-06T17:50:00",
			[]string{"2026-03-06T17:55:00", "2026-03-09T08:00:00", "2026-03-09T08:05:00"}, 0},
		// Increments, lists, ranges.
		{"1/10 starts at minute 1", "cron(1/10 * * * ? *)", "", "2026-03-01T10:51:00",
			[]string{"2026-03-01T11:01:00", "2026-03-01T11:11:00"}, 0},
		{"*/20", "cron(*/20 * * * ? *)", "", "2026-03-01T10:41:00",
			[]string{"2026-03-01T11:00:00", "2026-03-01T11:20:00"}, 0},
		{"range with increment", "cron(10-30/10 9 * * ? *)", "", "2026-03-01T09:00:00",
			[]string{"2026-03-01T09:10:00", "2026-03-01T09:20:00", "2026-03-01T09:30:00", "2026-03-02T09:10:00"}, 0},
		{"hour list", "cron(0 6,18 * * ? *)", "", "2026-03-01T12:00:00",
			[]string{"2026-03-01T18:00:00", "2026-03-02T06:00:00"}, 0},
		{"numeric days of week", "cron(0 9 ? * 2,4,6 *)", "", "2026-03-10T09:00:00",
			[]string{"2026-03-11T09:00:00", "2026-03-13T09:00:00", "2026-03-16T09:00:00"}, 0},
		// Names.
		{"month names", "cron(0 0 1 JAN,JUL ? *)", "", "2026-02-01T00:00:00",
			[]string{"2026-07-01T00:00:00", "2027-01-01T00:00:00"}, 0},
		{"lower-case names", "cron(0 0 1 jan,jul ? *)", "", "2026-02-01T00:00:00",
			[]string{"2026-07-01T00:00:00", "2027-01-01T00:00:00"}, 0},
		{"month name range", "cron(0 0 1 MAR-MAY ? *)", "", "2026-05-01T00:00:00",
			[]string{"2027-03-01T00:00:00"}, 0},
		{"day names", "cron(0 9 ? * SAT,SUN *)", "", "2026-03-02T00:00:00",
			[]string{"2026-03-07T09:00:00", "2026-03-08T09:00:00", "2026-03-14T09:00:00"}, 0},
		{"lower-case L, W and #", "cron(0 9 lw * ? *)", "", "2026-01-01T00:00:00",
			[]string{"2026-01-30T09:00:00"}, 0},
		{"lower-case day#n", "cron(0 9 ? * fri#5 *)", "", "2026-01-01T00:00:00",
			[]string{"2026-01-30T09:00:00"}, 0},
		{"lower-case nL", "cron(0 9 ? * fril *)", "", "2026-03-01T00:00:00",
			[]string{"2026-03-27T09:00:00"}, 0},
		// L: last day of the month, leap years included.
		{"L in leap February", "cron(0 0 L * ? *)", "", "2024-02-01T00:00:00",
			[]string{"2024-02-29T00:00:00", "2024-03-31T00:00:00"}, 0},
		{"L in common February", "cron(0 0 L * ? *)", "", "2025-02-01T00:00:00",
			[]string{"2025-02-28T00:00:00"}, 0},
		{"L in 30- and 31-day months", "cron(0 0 L * ? *)", "", "2026-04-30T00:00:00",
			[]string{"2026-05-31T00:00:00", "2026-06-30T00:00:00"}, 0},
		// W: nearest weekday, never leaving the month.
		{"15W on a Sunday moves to Monday", "cron(0 9 15W * ? *)", "", "2026-02-01T00:00:00",
			[]string{"2026-02-16T09:00:00"}, 0},
		{"15W on a Saturday moves to Friday", "cron(0 9 15W * ? *)", "", "2026-08-01T00:00:00",
			[]string{"2026-08-14T09:00:00"}, 0},
		{"1W on a Saturday moves to Monday the 3rd", "cron(0 9 1W * ? *)", "", "2026-07-31T10:00:00",
			[]string{"2026-08-03T09:00:00"}, 0},
		{"31W on a Sunday moves to Friday the 29th; 30-day months skipped", "cron(0 9 31W * ? *)", "", "2026-03-31T09:00:00",
			[]string{"2026-05-29T09:00:00"}, 0},
		{"LW last weekday", "cron(0 9 LW * ? *)", "", "2026-01-01T00:00:00",
			[]string{"2026-01-30T09:00:00", "2026-02-27T09:00:00"}, 0},
		// #: n-th day of the week.
		{"second Tuesday", "cron(0 9 ? * 3#2 *)", "", "2026-03-01T00:00:00",
			[]string{"2026-03-10T09:00:00", "2026-04-14T09:00:00"}, 0},
		{"fifth Friday skips months without one", "cron(0 9 ? * FRI#5 *)", "", "2026-01-01T00:00:00",
			[]string{"2026-01-30T09:00:00", "2026-05-29T09:00:00"}, 0},
		// L in Day-of-week.
		{"last Friday", "cron(0 9 ? * 6L *)", "", "2026-03-01T00:00:00",
			[]string{"2026-03-27T09:00:00", "2026-04-24T09:00:00", "2026-05-29T09:00:00"}, 0},
		{"L alone is Saturday", "cron(0 9 ? * L *)", "", "2026-03-06T10:00:00",
			[]string{"2026-03-07T09:00:00", "2026-03-14T09:00:00"}, 0},
		// Year field.
		{"year range runs out", "cron(0 0 1 1 ? 2027-2028)", "", "2026-06-01T00:00:00",
			[]string{"2027-01-01T00:00:00", "2028-01-01T00:00:00"}, 3},
		{"year increment", "cron(0 0 1 1 ? 1970/4)", "", "2026-06-01T00:00:00",
			[]string{"2030-01-01T00:00:00", "2034-01-01T00:00:00"}, 0},
		{"last year", "cron(0 0 1 1 ? 2199)", "", "2198-01-01T00:00:00",
			[]string{"2199-01-01T00:00:00"}, 2},
		{"29 February waits for a leap year", "cron(0 12 29 FEB ? *)", "", "2026-01-01T00:00:00",
			[]string{"2028-02-29T12:00:00", "2032-02-29T12:00:00"}, 0},
		{"2100 is not a leap year", "cron(0 12 29 FEB ? *)", "", "2096-03-01T00:00:00",
			[]string{"2104-02-29T12:00:00"}, 0},
		{"never: 30 February", "cron(0 0 30 FEB ? *)", "", "2026-01-01T00:00:00", nil, 1},
		{"never: 29 February 2100", "cron(0 0 29 2 ? 2100)", "", "2026-01-01T00:00:00", nil, 1},
		{"before 1970 starts in 1970", "cron(0 0 1 1 ? *)", "", "1900-06-01T00:00:00",
			[]string{"1970-01-01T00:00:00"}, 0},
		{"after 2199 never", "cron(0 0 1 1 ? *)", "", "2200-06-01T00:00:00", nil, 1},
		// Seven fields: seconds first.
		{"seconds field", "cron(30 0 10 * * ? *)", "", "2026-03-01T10:00:00",
			[]string{"2026-03-01T10:00:30", "2026-03-02T10:00:30"}, 0},
		// Time zones.
		{"New York winter", "cron(0 9 * * ? *)", "America/New_York", "2026-01-15T00:00:00",
			[]string{"2026-01-15T14:00:00"}, 0},
		{"New York summer", "cron(0 9 * * ? *)", "America/New_York", "2026-07-15T00:00:00",
			[]string{"2026-07-15T13:00:00"}, 0},
		{"skipped local time fires when the clocks jump", "cron(30 2 * * ? *)", "America/New_York", "2026-03-07T08:00:00",
			[]string{"2026-03-08T07:00:00", "2026-03-09T06:30:00"}, 0},
		{"skipped times collapse into one firing", "cron(0/15 * * * ? *)", "America/New_York", "2026-03-08T06:40:00",
			[]string{"2026-03-08T06:45:00", "2026-03-08T07:00:00", "2026-03-08T07:15:00"}, 0},
		{"repeated local time fires once, first occurrence", "cron(30 1 * * ? *)", "America/New_York", "2026-10-31T12:00:00",
			[]string{"2026-11-01T05:30:00", "2026-11-02T06:30:00"}, 0},
		{"from inside the repeated hour", "cron(30 1 * * ? *)", "America/New_York", "2026-11-01T06:15:00",
			[]string{"2026-11-02T06:30:00"}, 0},
		{"the second pass of a repeated hour has no firings", "cron(0/30 * * * ? *)", "America/New_York", "2026-11-01T05:00:00",
			[]string{"2026-11-01T05:30:00", "2026-11-01T07:00:00", "2026-11-01T07:30:00"}, 0},
		{"Etc zone", "cron(0 9 * * ? *)", "Etc/GMT+9", "2026-01-15T00:00:00",
			[]string{"2026-01-15T18:00:00"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSchedule(tc.expr, tc.tz)
			require.NoError(t, err)
			n := tc.n
			if n == 0 {
				n = len(tc.want)
			}
			got := schedFirings(t, s, schedTime(t, tc.from), n)
			if len(tc.want) == 0 {
				require.Empty(t, got)
				return
			}
			require.Equal(t, tc.want, got)
		})
	}
}

// TestScheduleCronLocation checks that cron and at results are in the
// schedule's location.
func TestScheduleCronLocation(t *testing.T) {
	s, err := ParseSchedule("cron(0 9 * * ? *)", "Asia/Tokyo")
	require.NoError(t, err)
	next, ok := s.Next(schedTime(t, "2026-01-14T12:00:00")) // 21:00 JST
	require.True(t, ok)
	require.Equal(t, "2026-01-15T09:00:00+09:00", next.Format(time.RFC3339))
	require.Equal(t, "Asia/Tokyo", next.Location().String())
}

func TestScheduleAt(t *testing.T) {
	s, err := ParseSchedule("at(2026-06-01T09:00:00)", "Europe/Paris")
	require.NoError(t, err)
	want := schedTime(t, "2026-06-01T07:00:00") // CEST, UTC+2

	next, ok := s.Next(schedTime(t, "2026-01-01T00:00:00"))
	require.True(t, ok)
	require.True(t, next.Equal(want), "got %v", next)

	next, ok = s.Next(want.Add(-time.Nanosecond))
	require.True(t, ok)
	require.True(t, next.Equal(want))

	_, ok = s.Next(want)
	require.False(t, ok, "at() fires once")
	_, ok = s.Next(want.Add(time.Hour))
	require.False(t, ok)

	utc, err := ParseSchedule("at(2026-06-01T09:00:00)", "")
	require.NoError(t, err)
	next, ok = utc.Next(time.Time{})
	require.True(t, ok)
	require.Equal(t, "2026-06-01T09:00:00Z", next.Format(time.RFC3339))

	// A local time skipped by DST fires when the clocks jump.
	gap, err := ParseSchedule("at(2026-03-08T02:30:00)", "America/New_York")
	require.NoError(t, err)
	next, ok = gap.Next(time.Time{})
	require.True(t, ok)
	require.Equal(t, "2026-03-08T07:00:00Z", next.UTC().Format(time.RFC3339))

	// A repeated local time is its first occurrence.
	rep, err := ParseSchedule("at(2026-11-01T01:30:00)", "America/New_York")
	require.NoError(t, err)
	next, ok = rep.Next(time.Time{})
	require.True(t, ok)
	require.Equal(t, "2026-11-01T05:30:00Z", next.UTC().Format(time.RFC3339))

	// Leap day.
	_, err = ParseSchedule("at(2028-02-29T00:00:00)", "")
	require.NoError(t, err)
}

func TestScheduleRate(t *testing.T) {
	anchor := schedTime(t, "2026-03-01T10:00:00")
	tests := []struct {
		expr string
		from string
		want []string
	}{
		{"rate(1 minute)", "2026-03-01T10:00:00", []string{"2026-03-01T10:01:00", "2026-03-01T10:02:00"}},
		{"rate(5 minutes)", "2026-03-01T10:00:00", []string{"2026-03-01T10:05:00", "2026-03-01T10:10:00"}},
		{"rate(5 minutes)", "2026-03-01T10:03:00", []string{"2026-03-01T10:05:00"}},
		{"rate(5 minutes)", "2026-03-01T10:04:59.999", []string{"2026-03-01T10:05:00"}},
		{"rate(5 minutes)", "2026-03-01T10:05:00", []string{"2026-03-01T10:10:00"}},
		{"rate(5 minutes)", "2026-03-01T09:00:00", []string{"2026-03-01T10:00:00", "2026-03-01T10:05:00"}},
		{"rate(1 hour)", "2026-03-01T10:30:00", []string{"2026-03-01T11:00:00"}},
		{"rate(2 hours)", "2026-03-01T13:59:59", []string{"2026-03-01T14:00:00", "2026-03-01T16:00:00"}},
		{"rate(1 day)", "2026-03-01T10:00:00", []string{"2026-03-02T10:00:00"}},
		{"rate(3 days)", "2026-03-05T00:00:00", []string{"2026-03-07T10:00:00"}},
		{"rate( 3 days )", "2026-03-05T00:00:00", []string{"2026-03-07T10:00:00"}},
		{"rate(1440 minutes)", "2027-03-01T10:00:00", []string{"2027-03-02T10:00:00"}}, // far from the anchor
	}
	for _, tc := range tests {
		t.Run(tc.expr+" from "+tc.from, func(t *testing.T) {
			// A time zone is accepted but does not apply to rate().
			s, err := ParseSchedule(tc.expr, "Asia/Tokyo")
			require.NoError(t, err)
			require.Equal(t, tc.want, schedFirings(t, s.WithAnchor(anchor), schedTime(t, tc.from), len(tc.want)))
		})
	}

	t.Run("unanchored never fires", func(t *testing.T) {
		s, err := ParseSchedule("rate(5 minutes)", "")
		require.NoError(t, err)
		_, ok := s.Next(anchor)
		require.False(t, ok)
	})
	t.Run("sub-second anchor keeps its phase", func(t *testing.T) {
		s, err := ParseSchedule("rate(1 minute)", "")
		require.NoError(t, err)
		s = s.WithAnchor(schedTime(t, "2026-03-01T10:00:00.5"))
		next, ok := s.Next(schedTime(t, "2026-03-01T10:01:00.2"))
		require.True(t, ok)
		require.Equal(t, "2026-03-01T10:01:00.5", next.UTC().Format("2006-01-02T15:04:05.9"))
		next, ok = s.Next(next)
		require.True(t, ok)
		require.Equal(t, "2026-03-01T10:02:00.5", next.UTC().Format("2006-01-02T15:04:05.9"))
	})
	t.Run("anchor is harmless on at and cron", func(t *testing.T) {
		s, err := ParseSchedule("cron(0 10 * * ? *)", "")
		require.NoError(t, err)
		require.Equal(t, []string{"2026-03-02T10:00:00"}, schedFirings(t, s.WithAnchor(anchor), anchor, 1))
	})
}

func TestScheduleZeroAndString(t *testing.T) {
	var zero Schedule
	_, ok := zero.Next(time.Time{})
	require.False(t, ok)
	require.Equal(t, "", zero.String())

	for _, expr := range []string{"cron(0 10 * * ? *)", "cron(0  10 * * ? *)", "rate(5 minutes)", "at(2026-06-01T09:00:00)"} {
		s, err := ParseSchedule(expr, "")
		require.NoError(t, err)
		require.Equal(t, expr, s.String())
	}
}

func TestParseScheduleErrors(t *testing.T) {
	tests := []struct{ expr, tz, want string }{
		// Shape.
		{"", "", `Invalid schedule expression "": expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)`},
		{"0 10 * * ? *", "", `expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)`},
		{"cron(0 10 * * ? *", "", `expected at(`},
		{"CRON(0 10 * * ? *)", "", `expected at(`},
		{" cron(0 10 * * ? *)", "", `expected at(`},
		// at().
		{"at(2026-06-01 09:00:00)", "", `at() takes a date and time as yyyy-mm-ddThh:mm:ss, got "2026-06-01 09:00:00"`},
		{"at(2026-06-01T09:00)", "", `at() takes a date and time as yyyy-mm-ddThh:mm:ss`},
		{"at(2026-06-01T09:00:00Z)", "", `at() takes a date and time as yyyy-mm-ddThh:mm:ss`},
		{"at(2026-06-01T09:00:0x)", "", `at() takes a date and time as yyyy-mm-ddThh:mm:ss`},
		{"at(2026-13-01T09:00:00)", "", `month 13 is out of range 01-12`},
		{"at(2026-02-29T09:00:00)", "", `day 29 does not exist in 2026-02`},
		{"at(2026-04-31T09:00:00)", "", `day 31 does not exist in 2026-04`},
		{"at(2026-06-01T24:00:00)", "", `hour 24 is out of range 00-23`},
		{"at(2026-06-01T09:60:00)", "", `minute 60 is out of range 00-59`},
		{"at(2026-06-01T09:00:60)", "", `second 60 is out of range 00-59`},
		// rate().
		{"rate(1 minutes)", "", `rate unit must be singular when the value is 1: use rate(1 minute)`},
		{"rate(5 minute)", "", `rate unit must be plural when the value is greater than 1: use rate(5 minutes)`},
		{"rate(1 days)", "", `use rate(1 day)`},
		{"rate(2 hour)", "", `use rate(2 hours)`},
		{"rate(0 minutes)", "", `rate value "0" must be a positive integer`},
		{"rate(-5 minutes)", "", `rate value "-5" must be a positive integer`},
		{"rate(1.5 hours)", "", `rate value "1.5" must be a positive integer`},
		{"rate(99999999999999999999 days)", "", `rate value "99999999999999999999" must be a positive integer`},
		{"rate(999999999999 days)", "", `rate value 999999999999 days is too large`},
		{"rate(5 weeks)", "", `rate unit "weeks" must be minute, minutes, hour, hours, day or days`},
		{"rate(5 Minutes)", "", `rate unit "Minutes" must be minute`},
		{"rate(5 seconds)", "", `rate unit "seconds" must be minute`},
		{"rate(5)", "", `rate() takes a value and a unit, such as rate(5 minutes)`},
		{"rate(5minutes)", "", `rate() takes a value and a unit`},
		{"rate(5 minutes extra)", "", `rate() takes a value and a unit`},
		// cron(): field count and '?'.
		{"cron(0 10 * * ?)", "", `cron() takes 6 fields (Minutes Hours Day-of-month Month Day-of-week Year) separated by spaces, got 5`},
		{"cron(0 0 10 * * ? * *)", "", `got 8`},
		{"cron()", "", `got 0`},
		{"cron(0 10 * * * *)", "", `you can't specify both Day-of-month (*) and Day-of-week (*); use '?' in one of them, as in cron(0 10 * * ? *)`},
		{"cron(0 10 1 * MON *)", "", `you can't specify both Day-of-month (1) and Day-of-week (MON)`},
		{"cron(0 10 ? * ? *)", "", `Day-of-month and Day-of-week are both '?'; use '?' in exactly one of them`},
		{"cron(? 10 * * ? *)", "", `'?' is only allowed in the Day-of-month and Day-of-week fields, not in Minutes`},
		// Ranges of values.
		{"cron(60 10 * * ? *)", "", `Minutes value 60 is out of range 0-59`},
		{"cron(0 24 * * ? *)", "", `Hours value 24 is out of range 0-23`},
		{"cron(0 10 0 * ? *)", "", `Day-of-month value 0 is out of range 1-31`},
		{"cron(0 10 32 * ? *)", "", `Day-of-month value 32 is out of range 1-31`},
		{"cron(0 10 * 13 ? *)", "", `Month value 13 is out of range 1-12`},
		{"cron(0 10 ? * 0 *)", "", `Day-of-week value 0 is out of range 1-7`},
		{"cron(0 10 ? * 8 *)", "", `Day-of-week value 8 is out of range 1-7`},
		{"cron(0 10 * * ? 1969)", "", `Year value 1969 is out of range 1970-2199`},
		{"cron(0 10 * * ? 2200)", "", `Year value 2200 is out of range 1970-2199`},
		{"cron(60 0 10 * * ? *)", "", `Seconds value 60 is out of range 0-59`},
		// Names.
		{"cron(0 10 * JANUARY ? *)", "", `Month value "JANUARY" is not a number or a name (JAN-DEC)`},
		{"cron(0 10 ? * MON-FRY *)", "", `Day-of-week value "FRY" is not a number or a name (SUN-SAT)`},
		{"cron(0 10 ? * JAN *)", "", `Day-of-week value "JAN" is not a number or a name (SUN-SAT)`},
		{"cron(0 10 * * MON ?)", "", `'?' is only allowed in the Day-of-month and Day-of-week fields, not in Year`},
		{"cron(0 MON * * ? *)", "", `Hours value "MON" is not a number`},
		// Lists, ranges, increments.
		{"cron(0 10-8 * * ? *)", "", `Hours range 10-8 starts after it ends (ranges can't wrap around)`},
		{"cron(0 10 ? * FRI-MON *)", "", `Day-of-week range FRI-MON starts after it ends`},
		{"cron(0/0 * * * ? *)", "", `Minutes increment "0" must be an integer from 1 to 60`},
		{"cron(*/61 * * * ? *)", "", `Minutes increment "61" must be an integer from 1 to 60`},
		{"cron(0/x * * * ? *)", "", `Minutes increment "x" must be an integer from 1 to 60`},
		{"cron(0/ * * * ? *)", "", `Minutes increment "" must be an integer from 1 to 60`},
		{"cron(0/+5 * * * ? *)", "", `Minutes increment "+5" must be an integer from 1 to 60`},
		{"cron(1,,2 * * * ? *)", "", `Minutes field "1,,2" has an empty list element`},
		{"cron(-5 * * * ? *)", "", `Minutes field has an empty value; expected a number`},
		{"cron(1-2-3 * * * ? *)", "", `Minutes value "2-3" is not a number`},
		{"cron(*-5 * * * ? *)", "", `Minutes value "*" is not a number`},
		{"cron(+5 * * * ? *)", "", `Minutes value "+5" is not a number`},
		// L, W, #.
		{"cron(0 10 L-3 * ? *)", "", `Day-of-month "L-3": L and W are used alone, as L (last day), LW (last weekday) or nW (weekday nearest day n, such as 15W)`},
		{"cron(0 10 1,L * ? *)", "", `Day-of-month "1,L": L and W are used alone`},
		{"cron(0 10 W * ? *)", "", `Day-of-month "W": L and W are used alone`},
		{"cron(0 10 1-15W * ? *)", "", `Day-of-month "1-15W": L and W are used alone`},
		{"cron(0 10 0W * ? *)", "", `Day-of-month value 0 is out of range 1-31`},
		{"cron(0 10 32W * ? *)", "", `Day-of-month value 32 is out of range 1-31`},
		{"cron(0 10 ? * 3#6 *)", "", `Day-of-week "3#6": the n in day#n must be 1-5`},
		{"cron(0 10 ? * 3#0 *)", "", `Day-of-week "3#0": the n in day#n must be 1-5`},
		{"cron(0 10 ? * 3# *)", "", `Day-of-week "3#": the n in day#n must be 1-5`},
		{"cron(0 10 ? * 8#1 *)", "", `Day-of-week value 8 is out of range 1-7`},
		{"cron(0 10 ? * 3#1,6#3 *)", "", `Day-of-week "3#1,6#3": '#' takes a single expression day#n, such as 3#2 (second Tuesday); it can't be combined with lists, ranges or other wildcards`},
		{"cron(0 10 ? * 3#1#2 *)", "", `'#' takes a single expression`},
		{"cron(0 10 ? * 1-5L *)", "", `Day-of-week "1-5L": L is used alone (Saturday, the last day of the week) or after one day as nL (last day n of the month, such as 6L)`},
		{"cron(0 10 ? * L,2 *)", "", `Day-of-week "L,2": L is used alone`},
		{"cron(0 10 ? * 8L *)", "", `Day-of-week value 8 is out of range 1-7`},
		{"cron(0 10 L * L *)", "", `you can't specify both Day-of-month (L) and Day-of-week (L)`},
		{"cron(0 10 * * ? L)", "", `Year value "L" is not a number`},
		// Time zones.
		{"cron(0 10 * * ? *)", "Mars/Olympus_Mons", `Invalid timezone "Mars/Olympus_Mons": not a known IANA time zone name (such as America/New_York or Etc/GMT+9)`},
		{"cron(0 10 * * ? *)", "Local", `Invalid timezone "Local": use an IANA time zone name such as America/New_York`},
		{"rate(5 minutes)", "../../etc/passwd", `Invalid timezone "../../etc/passwd"`},
	}
	for _, tc := range tests {
		t.Run(tc.expr+"|"+tc.tz, func(t *testing.T) {
			_, err := ParseSchedule(tc.expr, tc.tz)
			require.Error(t, err)
			var e *api.Error
			require.True(t, errors.As(err, &e), "want *api.Error, got %T", err)
			require.Equal(t, "ValidationException", e.ErrorCode())
			require.Contains(t, e.ErrorMessage(), tc.want)
			if tc.tz == "" {
				require.Equal(t, "Schedule", e.Path)
				require.Contains(t, e.ErrorMessage(), fmt.Sprintf("Invalid schedule expression %q: ", tc.expr))
			} else {
				require.Equal(t, "Timezone", e.Path)
			}
		})
	}
}

// TestScheduleCronAgainstBruteForce checks the field-skipping search against
// a minute-by-minute scan over a few days, for a handful of expressions.
func TestScheduleCronAgainstBruteForce(t *testing.T) {
	from := schedTime(t, "2026-02-26T21:37:00")
	for _, expr := range []string{
		"cron(0/7 */5 * * ? *)",
		"cron(13 3,9 L * ? *)",
		"cron(0 0 1W * ? *)",
		"cron(45 23 ? * 1#1 *)",
		"cron(5 1 ? * 7L *)",
		"cron(* 22 ? * TUE-THU 2026)",
		"cron(0 0 29 FEB ? 2028)",
	} {
		t.Run(expr, func(t *testing.T) {
			s, err := ParseSchedule(expr, "")
			require.NoError(t, err)
			checkAgainstBruteForce(t, s, from, 40*24*time.Hour)
		})
	}
}

// checkAgainstBruteForce requires that the first instant after from (UTC
// schedules only) at which s.cron matches, found by scanning every minute (or
// every second for seven-field expressions) for at most window, is what Next
// returns.
func checkAgainstBruteForce(t testing.TB, s Schedule, from time.Time, window time.Duration) {
	t.Helper()
	step := time.Minute
	if s.cron.second != (valueSet{bits: [4]uint64{1}}) {
		step = time.Second
		window = min(window, 2*time.Hour)
	}
	next, ok := s.Next(from)
	w := from.UTC().Truncate(step).Add(step)
	end := from.Add(window)
	for ; w.Before(end) && (!ok || w.Before(next)); w = w.Add(step) {
		require.False(t, s.cron.matches(w), "%s: Next(%v) = %v, %v but %v matches", s, from, next, ok, w)
	}
	if ok && next.Before(end) {
		require.True(t, s.cron.matches(next.UTC()), "%s: Next(%v) = %v does not match", s, from, next)
	}
}

// FuzzParseSchedule checks that parsing never panics, that errors are
// ValidationExceptions, and that for whatever parses, Next terminates and
// moves strictly forward (and, in UTC, agrees with a brute-force scan).
func FuzzParseSchedule(f *testing.F) {
	for _, seed := range []string{
		"cron(0 10 * * ? *)", "cron(0/15 * * * ? *)", "cron(0/5 8-17 ? * MON-FRI *)",
		"cron(0 0 L * ? *)", "cron(0 9 15W * ? *)", "cron(0 9 LW * ? *)", "cron(0 9 ? * 3#2 *)",
		"cron(0 9 ? * 6L *)", "cron(0 9 ? * L *)", "cron(0 12 29 FEB ? *)", "cron(0 0 30 FEB ? *)",
		"cron(0 0 1 1 ? 2027-2028)", "cron(0 0 1 1 ? 1970/4)", "cron(30 0 10 * * ? *)",
		"cron(* * * * * ? *)", "cron(1-59/2 0-23/3 1-31/2 JAN-DEC/5 ? 2026-2199/7)",
		"rate(1 minute)", "rate(5 minutes)", "rate(2 hours)", "rate(3 days)",
		"at(2026-06-01T09:00:00)", "at(2026-03-08T02:30:00)", "at(1969-12-31T23:59:59)",
		"cron(0 10 * * * *)", "rate(1 minutes)", "at(2026-02-29T00:00:00)", "",
	} {
		for tz := range uint8(4) {
			f.Add(seed, tz)
		}
	}
	zones := []string{"", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia"}
	from := time.Date(2026, 2, 26, 21, 37, 12, 345, time.UTC)
	anchor := time.Date(2026, 1, 1, 0, 0, 30, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string, tzi uint8) {
		tz := zones[int(tzi)%len(zones)]
		s, err := ParseSchedule(expr, tz)
		if err != nil {
			var e *api.Error
			require.True(t, errors.As(err, &e), "want *api.Error, got %T", err)
			require.Equal(t, "ValidationException", e.ErrorCode())
			return
		}
		s = s.WithAnchor(anchor)
		prev := from
		for range 4 {
			next, ok := s.Next(prev)
			if !ok {
				break
			}
			require.True(t, next.After(prev), "%s in %q: Next(%v) = %v", expr, tz, prev, next)
			prev = next
		}
		if s.cron != nil && tz == "" {
			checkAgainstBruteForce(t, s, from, 3*24*time.Hour)
		}
	})
}

func ExampleParseSchedule() {
	s, err := ParseSchedule("cron(0 18 ? * MON-FRI *)", "America/New_York")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC) // a Friday
	for range 3 {
		t, _ = s.Next(t)
		fmt.Println(t.Format(time.RFC3339))
	}

	_, err = ParseSchedule("rate(1 minutes)", "")
	fmt.Println(err)
	// Output:
	// 2026-03-06T18:00:00-05:00
	// 2026-03-09T18:00:00-04:00
	// 2026-03-10T18:00:00-04:00
	// ValidationException: Invalid schedule expression "rate(1 minutes)": rate unit must be singular when the value is 1: use rate(1 minute)
}
