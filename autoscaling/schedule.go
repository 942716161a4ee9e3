package autoscaling

// Schedule expressions of scheduled actions: at(), rate() and cron(). Pure:
// parsing and Next take every time they need from the caller; nothing here
// reads the clock.
//
// Sources (besides the legend in calc.go):
//   [AASAPI:PutScheduledActionRequest.Schedule/.Timezone]
//   [AAS:scheduled-scaling-using-cron-expressions] (2023 guide: six fields,
//     and "you can also create a cron expression with ... seven fields"
//     whose first is Seconds)
//   [EB-CRON] https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
//     — the cron dialect the AAS guide refers to: field ranges, wildcards,
//     '?' rules, L, W, #.
//   [EB-RATE] https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html
//     — singular unit with 1, plural above.
//   [QUARTZ] Quartz CronExpression (the dialect EventBridge's follows):
//     exact meaning of nW near month edges, LW, nL, and L alone in
//     Day-of-week. Derived: AWS does not spell these out.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
)

// Cron year range. [EB-CRON]
const (
	cronMinYear = 1970
	cronMaxYear = 2199
)

type scheduleKind uint8

const (
	scheduleNone scheduleKind = iota
	scheduleAt
	scheduleRate
	scheduleCron
)

// Schedule is a parsed schedule expression of an Application Auto Scaling
// scheduled action. The zero Schedule never fires.
//
// Times are interpreted in the schedule's time zone (UTC unless
// ParseSchedule was given one), with these rules where the local clock is
// not one-to-one. AWS does not document them; these are what Vixie cron
// does for jobs at fixed times, so that a daily action neither vanishes nor
// runs twice on DST days:
//
//   - a local time that does not exist (skipped when clocks go forward)
//     fires at the instant the clocks jump: cron(30 2 * * ? *) in
//     America/New_York fires at 03:00 EDT on 2026-03-08, and every skipped
//     time collapses into that one firing;
//   - a local time that occurs twice (clocks go back) fires once, at its
//     first occurrence: cron(30 1 * * ? *) fires at 01:30 EDT on 2026-11-01,
//     not again at 01:30 EST.
//
// Results depend on the system's time zone database (time.LoadLocation).
type Schedule struct {
	expr   string
	kind   scheduleKind
	loc    *time.Location
	at     time.Time // scheduleAt: the instant
	period int64     // scheduleRate: seconds
	anchor time.Time // scheduleRate: from WithAnchor
	cron   *cronSpec // scheduleCron; shared, never mutated after parsing
}

// ParseSchedule parses a schedule expression [AASAPI:PutScheduledActionRequest.Schedule]:
//
//   - at(yyyy-mm-ddThh:mm:ss): once, at that local time.
//
//   - rate(value unit): every value units; value is a positive integer, unit
//     is minute, hour or day — singular when value is 1, plural (minutes,
//     hours, days) otherwise, as EventBridge requires [EB-RATE]. See
//     [Schedule.WithAnchor] for when it fires.
//
//   - cron(Minutes Hours Day-of-month Month Day-of-week Year): six fields
//     separated by white space [AAS:scheduled-scaling-using-cron-expressions];
//     seven fields put Seconds first, which the 2023 guide also allows.
//
// Cron fields and the wildcards each allows [EB-CRON]:
//
//	Seconds       0-59              , - * /
//	Minutes       0-59              , - * /
//	Hours         0-23              , - * /
//	Day-of-month  1-31              , - * ? / L W
//	Month         1-12 or JAN-DEC   , - * /
//	Day-of-week   1-7 or SUN-SAT    , - * ? L #
//	Year          1970-2199         , - * /
//
// a,b lists; a-b ranges (a ≤ b: ranges that wrap, like FRI-MON, are
// rejected — AWS is silent); a/b, */b and a-b/b increments; names and
// L, W are case-insensitive. Exactly one of Day-of-month and Day-of-week
// must be '?'. In Day-of-month, L is the last day, nW the weekday nearest
// day n within the month (1W on a Saturday → Monday the 3rd; 31W on a Sunday
// → Friday the 29th; 31W never fires in 30-day months), LW the last weekday.
// In Day-of-week (1 = SUN), L alone is SAT, nL the last day n of the month
// (6L: last Friday), n#k the k-th day n (3#2: second Tuesday; k is 1-5, a
// month without a fifth is skipped). L, W and # can't be combined with
// lists, ranges or increments, and '#' allows only one expression [EB-CRON].
//
// timezone is an IANA name such as "America/New_York" ("" means UTC); it
// applies to at and cron, not to rate [AASAPI:PutScheduledActionRequest.Timezone],
// but is validated for all three. "Local" is rejected: it would make a run
// depend on the machine.
//
// Errors are [*api.Error] ValidationExceptions whose message starts with
// "Invalid schedule expression" or "Invalid timezone" and says what is
// wrong. AWS's own texts for these were not found (an AWS CDK report quotes
// only "Invalid schedule expression", https://github.com/aws/aws-cdk/issues/6053).
func ParseSchedule(expr, timezone string) (Schedule, error) {
	loc, err := loadScheduleLocation(timezone)
	if err != nil {
		return Schedule{}, err
	}
	s := Schedule{expr: expr, loc: loc}
	bad := func(format string, args ...any) (Schedule, error) {
		return Schedule{}, api.Validation("Invalid schedule expression %q: %s", expr, fmt.Sprintf(format, args...)).At("Schedule")
	}
	var body string
	switch {
	case cutWrapped(expr, "at(", &body):
		civil, err := parseAtBody(body)
		if err != nil {
			return bad("%v", err)
		}
		s.kind = scheduleAt
		s.at = civilToInstant(civil, loc)
	case cutWrapped(expr, "rate(", &body):
		p, err := parseRateBody(body)
		if err != nil {
			return bad("%v", err)
		}
		s.kind = scheduleRate
		s.period = p
	case cutWrapped(expr, "cron(", &body):
		c, err := parseCronBody(body)
		if err != nil {
			return bad("%v", err)
		}
		s.kind = scheduleCron
		s.cron = c
	default:
		return bad("expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)")
	}
	return s, nil
}

// WithAnchor returns s with its rate anchor set to t. A rate schedule fires
// at t + k × period for k = 0, 1, 2, …: anchor it at the moment the scheduled
// action was created (or at its StartTime, which AWS runs first and then
// recurs from [AAS:scheduled-scaling-using-cron-expressions]). Since Next is
// strictly after its argument, Next(anchor) is anchor + period; a caller
// that wants the anchor itself asks Next(anchor.Add(-time.Nanosecond)).
//
// An unanchored rate schedule never fires. at and cron schedules ignore the
// anchor, so callers can anchor every schedule without looking at its kind.
func (s Schedule) WithAnchor(t time.Time) Schedule {
	s.anchor = t
	return s
}

// Next returns the first time strictly after t at which s fires, and
// ok=false when it never fires again: an at() already past, a cron whose
// Year field is exhausted (the search ends with 2199, the last year a cron
// expression can name), an unanchored rate, or the zero Schedule. StartTime
// and EndTime of the scheduled action are the caller's concern.
//
// Times returned for at and cron are in the schedule's location, for rate in
// the anchor's. The search for cron jumps field by field (a year, a month, a
// day, an hour at a time when that field does not match), so even a schedule
// that never matches (cron(0 0 30 FEB ? *)) gives up after a few thousand
// steps.
func (s Schedule) Next(t time.Time) (time.Time, bool) {
	switch s.kind {
	case scheduleAt:
		if s.at.After(t) {
			return s.at, true
		}
		return time.Time{}, false
	case scheduleRate:
		return s.nextRate(t)
	case scheduleCron:
		return s.cron.next(t, s.loc)
	}
	return time.Time{}, false
}

// String returns the expression as given to ParseSchedule.
func (s Schedule) String() string { return s.expr }

func (s Schedule) nextRate(t time.Time) (time.Time, bool) {
	if s.anchor.IsZero() || s.period <= 0 {
		return time.Time{}, false
	}
	if t.Before(s.anchor) {
		return s.anchor, true
	}
	// Whole seconds since the anchor, rounded down; the sub-second part of
	// t − anchor never reaches the next second, so k+1 periods is the first
	// firing strictly after t.
	secs := t.Unix() - s.anchor.Unix()
	if t.Nanosecond() < s.anchor.Nanosecond() {
		secs--
	}
	k := secs/s.period + 1
	if k > (1<<62)/s.period {
		return time.Time{}, false // centuries beyond any simulation
	}
	return time.Unix(s.anchor.Unix()+k*s.period, int64(s.anchor.Nanosecond())).In(s.anchor.Location()), true
}

// cutWrapped reports whether expr is prefix + body + ")" and sets *body.
func cutWrapped(expr, prefix string, body *string) bool {
	if !strings.HasPrefix(expr, prefix) || !strings.HasSuffix(expr, ")") || len(expr) < len(prefix)+1 {
		return false
	}
	*body = expr[len(prefix) : len(expr)-1]
	return true
}

func loadScheduleLocation(name string) (*time.Location, error) {
	switch name {
	case "", "UTC":
		return time.UTC, nil
	case "Local":
		return nil, api.Validation("Invalid timezone %q: use an IANA time zone name such as America/New_York", name).At("Timezone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, api.Validation("Invalid timezone %q: not a known IANA time zone name (such as America/New_York or Etc/GMT+9)", name).At("Timezone")
	}
	return loc, nil
}

// --- at() ---

// parseAtBody parses yyyy-mm-ddThh:mm:ss strictly (no fractions, no zone)
// into a civil time (a time.Time in UTC standing for wall-clock fields).
func parseAtBody(b string) (time.Time, error) {
	const layout = "yyyy-mm-ddThh:mm:ss"
	if len(b) != len(layout) || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, fmt.Errorf("at() takes a date and time as %s, got %q", layout, b)
	}
	num := func(i, j int) int {
		n := 0
		for _, c := range b[i:j] {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19)
	switch {
	case y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0:
		return time.Time{}, fmt.Errorf("at() takes a date and time as %s, got %q", layout, b)
	case mo < 1 || mo > 12:
		return time.Time{}, fmt.Errorf("month %02d is out of range 01-12", mo)
	case d < 1 || d > daysIn(y, time.Month(mo)):
		return time.Time{}, fmt.Errorf("day %02d does not exist in %04d-%02d", d, y, mo)
	case h > 23:
		return time.Time{}, fmt.Errorf("hour %02d is out of range 00-23", h)
	case mi > 59:
		return time.Time{}, fmt.Errorf("minute %02d is out of range 00-59", mi)
	case sec > 59:
		return time.Time{}, fmt.Errorf("second %02d is out of range 00-59", sec)
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC), nil
}

// --- rate() ---

// parseRateBody returns the period in seconds.
func parseRateBody(b string) (int64, error) {
	f := strings.Fields(b)
	if len(f) != 2 {
		return 0, fmt.Errorf("rate() takes a value and a unit, such as rate(5 minutes)")
	}
	v, unit := f[0], f[1]
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("rate value %q must be a positive integer", v)
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("rate value %q must be a positive integer", v)
	}
	var secs int64
	switch strings.TrimSuffix(unit, "s") {
	case "minute":
		secs = 60
	case "hour":
		secs = 3600
	case "day":
		secs = 86400
	default:
		return 0, fmt.Errorf("rate unit %q must be minute, minutes, hour, hours, day or days", unit)
	}
	plural := strings.HasSuffix(unit, "s")
	if n == 1 && plural {
		return 0, fmt.Errorf("rate unit must be singular when the value is 1: use rate(1 %s)", strings.TrimSuffix(unit, "s"))
	}
	if n > 1 && !plural {
		return 0, fmt.Errorf("rate unit must be plural when the value is greater than 1: use rate(%s %ss)", v, unit)
	}
	const maxSecs = 1 << 40 // ≈ 35,000 years; keeps period arithmetic far from overflow
	if n > maxSecs/secs {
		return 0, fmt.Errorf("rate value %s %s is too large", v, unit)
	}
	return n * secs, nil
}

// --- cron() ---

// valueSet is a set of field values, bit v−base of bits.
type valueSet struct {
	base int
	bits [4]uint64 // up to 256 values: enough for 1970-2199
}

func (s *valueSet) add(v int) {
	i := v - s.base
	s.bits[i/64] |= 1 << (i % 64)
}

func (s *valueSet) has(v int) bool {
	i := v - s.base
	if i < 0 || i >= 256 {
		return false
	}
	return s.bits[i/64]>>(i%64)&1 == 1
}

type domKind uint8

const (
	domAny         domKind = iota // '?'
	domSet                        // values, ranges, lists, increments
	domLast                       // L
	domLastWeekday                // LW
	domNearest                    // nW
)

type dowKind uint8

const (
	dowAny  dowKind = iota // '?'
	dowSet                 // values (1 = SUN … 7 = SAT); L alone is {7}
	dowLast                // nL: last day n of the month
	dowNth                 // n#k: k-th day n of the month
)

// cronSpec is a parsed cron expression.
type cronSpec struct {
	second, minute, hour, month, year valueSet
	dom                               domKind
	domSet                            valueSet
	domN                              int // domNearest: the day
	dow                               dowKind
	dowSet                            valueSet
	dowDay, dowNth                    int // dowLast, dowNth: day 1-7; dowNth: k
}

// cronField describes one field for parsing and messages.
type cronField struct {
	name     string
	min, max int
	names    []string // names[i] is value min+i (JAN=1 …, SUN=1 …)
}

var (
	cronSeconds    = cronField{name: "Seconds", min: 0, max: 59}
	cronMinutes    = cronField{name: "Minutes", min: 0, max: 59}
	cronHours      = cronField{name: "Hours", min: 0, max: 23}
	cronDayOfMonth = cronField{name: "Day-of-month", min: 1, max: 31}
	cronMonth      = cronField{name: "Month", min: 1, max: 12,
		names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}}
	cronDayOfWeek = cronField{name: "Day-of-week", min: 1, max: 7,
		names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}}
	cronYear = cronField{name: "Year", min: cronMinYear, max: cronMaxYear}
)

func parseCronBody(b string) (*cronSpec, error) {
	f := strings.Fields(b)
	switch len(f) {
	case 6:
		f = append([]string{"0"}, f...)
	case 7:
	default:
		return nil, fmt.Errorf("cron() takes 6 fields (Minutes Hours Day-of-month Month Day-of-week Year) separated by spaces, got %d", len(f))
	}
	c := &cronSpec{}
	var err error
	for _, p := range []struct {
		field *cronField
		text  string
		set   *valueSet
	}{
		{&cronSeconds, f[0], &c.second},
		{&cronMinutes, f[1], &c.minute},
		{&cronHours, f[2], &c.hour},
		{&cronMonth, f[4], &c.month},
		{&cronYear, f[6], &c.year},
	} {
		if *p.set, err = p.field.parseSet(p.text); err != nil {
			return nil, err
		}
	}
	if err := c.parseDayOfMonth(f[3]); err != nil {
		return nil, err
	}
	if err := c.parseDayOfWeek(f[5]); err != nil {
		return nil, err
	}
	switch {
	case c.dom == domAny && c.dow == dowAny:
		return nil, fmt.Errorf("%s and %s are both '?'; use '?' in exactly one of them", cronDayOfMonth.name, cronDayOfWeek.name)
	case c.dom != domAny && c.dow != dowAny:
		return nil, fmt.Errorf("you can't specify both Day-of-month (%s) and Day-of-week (%s); use '?' in one of them, as in cron(0 10 * * ? *)", f[3], f[5])
	}
	return c, nil
}

// parseSet parses lists of values, ranges and increments.
func (fd *cronField) parseSet(text string) (valueSet, error) {
	s := valueSet{base: fd.min}
	if text == "?" {
		return s, fmt.Errorf("'?' is only allowed in the Day-of-month and Day-of-week fields, not in %s", fd.name)
	}
	for _, item := range strings.Split(text, ",") {
		if item == "" {
			return s, fmt.Errorf("%s field %q has an empty list element", fd.name, text)
		}
		rng, stepText, hasStep := strings.Cut(item, "/")
		var lo, hi int
		if rng == "*" {
			lo, hi = fd.min, fd.max
		} else if a, b, isRange := strings.Cut(rng, "-"); isRange {
			var err error
			if lo, err = fd.value(a); err != nil {
				return s, err
			}
			if hi, err = fd.value(b); err != nil {
				return s, err
			}
			if lo > hi {
				return s, fmt.Errorf("%s range %s-%s starts after it ends (ranges can't wrap around)", fd.name, a, b)
			}
		} else {
			var err error
			if lo, err = fd.value(rng); err != nil {
				return s, err
			}
			hi = lo
			if hasStep {
				hi = fd.max // a/b: from a to the end of the field
			}
		}
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || !isDigits(stepText) || n < 1 || n > fd.max-fd.min+1 {
				return s, fmt.Errorf("%s increment %q must be an integer from 1 to %d", fd.name, stepText, fd.max-fd.min+1)
			}
			step = n
		}
		for v := lo; v <= hi; v += step {
			s.add(v)
		}
	}
	return s, nil
}

// value parses one number or name of the field.
func (fd *cronField) value(s string) (int, error) {
	for i, n := range fd.names {
		if asciiUpper(s) == n {
			return fd.min + i, nil
		}
	}
	if s == "" || !isDigits(s) || len(s) > 9 {
		what := "a number"
		if fd.names != nil {
			what = fmt.Sprintf("a number or a name (%s-%s)", fd.names[0], fd.names[len(fd.names)-1])
		}
		if s == "" {
			return 0, fmt.Errorf("%s field has an empty value; expected %s", fd.name, what)
		}
		return 0, fmt.Errorf("%s value %q is not %s", fd.name, s, what)
	}
	n, _ := strconv.Atoi(s)
	if n < fd.min || n > fd.max {
		return 0, fmt.Errorf("%s value %d is out of range %d-%d", fd.name, n, fd.min, fd.max)
	}
	return n, nil
}

func (c *cronSpec) parseDayOfMonth(text string) error {
	u := asciiUpper(text) // same length as text: indexes agree
	switch {
	case u == "?":
		c.dom = domAny
	case u == "L":
		c.dom = domLast
	case u == "LW":
		c.dom = domLastWeekday
	case len(u) > 1 && strings.HasSuffix(u, "W") && isDigits(u[:len(u)-1]):
		n, err := cronDayOfMonth.value(text[:len(text)-1])
		if err != nil {
			return err
		}
		c.dom, c.domN = domNearest, n
	case strings.ContainsAny(u, "LW"):
		return fmt.Errorf("%s %q: L and W are used alone, as L (last day), LW (last weekday) or nW (weekday nearest day n, such as 15W)", cronDayOfMonth.name, text)
	default:
		s, err := cronDayOfMonth.parseSet(text)
		if err != nil {
			return err
		}
		c.dom, c.domSet = domSet, s
	}
	return nil
}

func (c *cronSpec) parseDayOfWeek(text string) error {
	u := asciiUpper(text) // same length as text: indexes agree
	switch {
	case u == "?":
		c.dow = dowAny
	case u == "L":
		c.dow = dowSet
		c.dowSet = valueSet{base: cronDayOfWeek.min}
		c.dowSet.add(7) // the last day of the week [EB-CRON], SAT [QUARTZ]
	case strings.Contains(u, "#"):
		i := strings.Index(text, "#")
		day, nth := text[:i], text[i+1:]
		if strings.ContainsAny(u, ",-/*L") || strings.Contains(nth, "#") {
			return fmt.Errorf("%s %q: '#' takes a single expression day#n, such as 3#2 (second Tuesday); it can't be combined with lists, ranges or other wildcards", cronDayOfWeek.name, text)
		}
		d, err := cronDayOfWeek.value(day)
		if err != nil {
			return err
		}
		k, err := strconv.Atoi(nth)
		if err != nil || !isDigits(nth) || k < 1 || k > 5 {
			return fmt.Errorf("%s %q: the n in day#n must be 1-5", cronDayOfWeek.name, text)
		}
		c.dow, c.dowDay, c.dowNth = dowNth, d, k
	case strings.HasSuffix(u, "L") && !strings.ContainsAny(u[:len(u)-1], ",-/*L"):
		d, err := cronDayOfWeek.value(text[:len(text)-1])
		if err != nil {
			return err
		}
		c.dow, c.dowDay = dowLast, d
	case strings.Contains(u, "L"):
		return fmt.Errorf("%s %q: L is used alone (Saturday, the last day of the week) or after one day as nL (last day n of the month, such as 6L)", cronDayOfWeek.name, text)
	default:
		s, err := cronDayOfWeek.parseSet(text)
		if err != nil {
			return err
		}
		c.dow, c.dowSet = dowSet, s
	}
	return nil
}

// dayMatches reports whether civil date y-m-d (a valid date) is a firing day.
func (c *cronSpec) dayMatches(y int, m time.Month, d int) bool {
	last := daysIn(y, m)
	switch c.dom {
	case domSet:
		return c.domSet.has(d)
	case domLast:
		return d == last
	case domLastWeekday:
		return d == nearestWeekday(y, m, last)
	case domNearest:
		return c.domN <= last && d == nearestWeekday(y, m, c.domN)
	}
	wd := int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()) + 1 // SUN = 1
	switch c.dow {
	case dowSet:
		return c.dowSet.has(wd)
	case dowLast:
		return wd == c.dowDay && d+7 > last
	case dowNth:
		return wd == c.dowDay && (d-1)/7+1 == c.dowNth
	}
	return false
}

// matches reports whether civil time w (UTC standing for wall clock) fires.
func (c *cronSpec) matches(w time.Time) bool {
	return c.year.has(w.Year()) && c.month.has(int(w.Month())) && c.dayMatches(w.Year(), w.Month(), w.Day()) &&
		c.hour.has(w.Hour()) && c.minute.has(w.Minute()) && c.second.has(w.Second())
}

// nextCivil returns the first civil time ≥ w that matches, jumping over whole
// years, months, days, hours and minutes that don't. ok=false after 2199.
func (c *cronSpec) nextCivil(w time.Time) (time.Time, bool) {
	if w.Year() < cronMinYear {
		w = time.Date(cronMinYear, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	for {
		y, mo, d := w.Date()
		h, mi, s := w.Clock()
		switch {
		case y > cronMaxYear:
			return time.Time{}, false
		case !c.year.has(y):
			w = time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
		case !c.month.has(int(mo)):
			w = time.Date(y, mo+1, 1, 0, 0, 0, 0, time.UTC)
		case !c.dayMatches(y, mo, d):
			w = time.Date(y, mo, d+1, 0, 0, 0, 0, time.UTC)
		case !c.hour.has(h):
			w = time.Date(y, mo, d, h+1, 0, 0, 0, time.UTC)
		case !c.minute.has(mi):
			w = time.Date(y, mo, d, h, mi+1, 0, 0, time.UTC)
		case !c.second.has(s):
			w = time.Date(y, mo, d, h, mi, s+1, 0, time.UTC)
		default:
			return w, true
		}
	}
}

// next returns the first instant strictly after t whose wall clock in loc
// matches. Wall times map to instants monotonically (civilToInstant), so the
// first match at or after the wall clock of t that lands after t is the
// answer; matches that land at or before t only occur inside a repeated
// (fall-back) hour and are skipped.
func (c *cronSpec) next(t time.Time, loc *time.Location) (time.Time, bool) {
	lt := t.In(loc)
	y, mo, d := lt.Date()
	h, mi, s := lt.Clock()
	w := time.Date(y, mo, d, h, mi, s+1, 0, time.UTC)
	for {
		var ok bool
		if w, ok = c.nextCivil(w); !ok {
			return time.Time{}, false
		}
		if at := civilToInstant(w, loc); at.After(t) {
			return at, true
		}
		w = w.Add(time.Second)
	}
}

// civilToInstant returns the instant at which wall-clock time w (fields of a
// UTC time) occurs in loc: the first occurrence when it occurs twice, and the
// end of the skipped interval when it does not occur at all (see Schedule).
// The mapping is non-decreasing in w, which Next relies on.
func civilToInstant(w time.Time, loc *time.Location) time.Time {
	if loc == time.UTC {
		return w
	}
	y, mo, d := w.Date()
	h, mi, s := w.Clock()
	c := time.Date(y, mo, d, h, mi, s, 0, loc)
	want := w.Unix()
	_, off := c.Zone()
	got := c.Unix() + int64(off) // c's wall clock, as UTC seconds
	if got != want {
		// w was skipped. time.Date moved it by the size of the gap, to one
		// side or the other of the transition; return the transition.
		start, end := c.ZoneBounds()
		if got > want && !start.IsZero() {
			return start.In(loc)
		}
		if got < want && !end.IsZero() {
			return end.In(loc)
		}
		return c
	}
	// w may also occur earlier, in the zone before c's (clocks went back).
	start, _ := c.ZoneBounds()
	if start.IsZero() {
		return c
	}
	_, prevOff := start.Add(-time.Second).Zone()
	if prevOff == off {
		return c
	}
	e := time.Unix(want-int64(prevOff), 0).In(loc)
	if _, eOff := e.Zone(); e.Before(start) && eOff == prevOff {
		return e
	}
	return c
}

// nearestWeekday is the Monday-Friday day closest to day n of the month
// without leaving it [QUARTZ]: a Saturday moves to Friday (the 1st to Monday
// the 3rd), a Sunday to Monday (the last day to Friday, two days before).
func nearestWeekday(y int, m time.Month, n int) int {
	last := daysIn(y, m)
	switch time.Date(y, m, n, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// asciiUpper upper-cases ASCII letters only, so the result has the same
// length as s (strings.ToUpper may not, for some non-ASCII runes).
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
