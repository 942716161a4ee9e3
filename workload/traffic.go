package workload

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// shapeKind says which family a Shape belongs to. The zero kind is
// constant, so that the zero Shape is Constant(0).
type shapeKind uint8

const (
	shapeConstant shapeKind = iota
	shapeSteps
	shapeDiurnal
	shapeSpike
	shapeReplay
)

// day is the period of a [Diurnal] shape.
const day = 24 * time.Hour

// StepPoint is one point of a [Steps] or [Replay] shape: at At, the time
// since the start of the simulation, the rate is RPS requests per second.
type StepPoint struct {
	At  time.Duration
	RPS float64
}

// Shape is a request rate over time, in requests per second: a pure
// function of the time since the start of the simulation, so the same
// scenario always sees the same load. Build one with [Constant], [Steps],
// [Diurnal], [Spike], [Replay] or [ParseShape]; it is an immutable value
// (the points of Steps and Replay are copied in and never handed out).
//
// The zero Shape is Constant(0): no requests, printed "constant(0)".
//
// Constructors never fail: a negative or non-finite rate is taken as 0, a
// negative time as 0, Diurnal with min > max swaps them, and points out of
// order are sorted. [ParseShape] rejects all of these with an error
// instead.
type Shape struct {
	kind   shapeKind
	a, b   float64       // constant: a; diurnal: min a, max b; spike: base a, peak b
	at     time.Duration // diurnal: time of day of the peak, [0, 24h); spike: start
	length time.Duration // spike only
	points []StepPoint   // steps, replay: At strictly increasing, nil when empty
}

// Constant returns the shape that is always rps.
func Constant(rps float64) Shape { return Shape{kind: shapeConstant, a: nonNegRate(rps)} }

// Steps returns a step function: at time t the rate is that of the last
// point at or before t, and 0 before the first point. Points may be given
// in any order; of several points at the same time the last one given
// counts.
func Steps(points []StepPoint) Shape {
	return Shape{kind: shapeSteps, points: normalisePoints(points)}
}

// Diurnal returns a daily sinusoid between min and max requests per
// second: at max at peak after each midnight of simulated time (the time
// since the start modulo 24 h, the simulation starting at midnight), at
// min 12 h later, and halfway between them 6 h either side of the peak.
// A peak of 24 h or more, or a negative one, is taken modulo 24 h.
func Diurnal(min, max float64, peak time.Duration) Shape {
	lo, hi := nonNegRate(min), nonNegRate(max)
	if lo > hi {
		lo, hi = hi, lo
	}
	return Shape{kind: shapeDiurnal, a: lo, b: hi, at: mod(peak, day)}
}

// Spike returns base requests per second, except peak during [at,
// at+length): from at inclusive to at+length exclusive. A zero length
// means no spike. peak may be below base, for a dip.
func Spike(base, peak float64, at, length time.Duration) Shape {
	return Shape{kind: shapeSpike, a: nonNegRate(base), b: nonNegRate(peak), at: nonNeg(at), length: nonNeg(length)}
}

// Replay returns a recorded trace: like [Steps], 0 before the first point
// and the value of a point at its exact time, but interpolated linearly
// between consecutive points (never leaving the range of the two), and
// holding the last point's value after it. Points usually come from [ParseReplayCSV]. A replay has no text form
// (see [Shape.String]).
func Replay(points []StepPoint) Shape {
	return Shape{kind: shapeReplay, points: normalisePoints(points)}
}

// normalisePoints returns a sorted copy of points with negative times and
// rates taken as 0 and, of points at the same time, only the last given.
func normalisePoints(points []StepPoint) []StepPoint {
	if len(points) == 0 {
		return nil
	}
	ps := make([]StepPoint, len(points))
	for i, p := range points {
		ps[i] = StepPoint{At: nonNeg(p.At), RPS: nonNegRate(p.RPS)}
	}
	slices.SortStableFunc(ps, func(x, y StepPoint) int { return cmp.Compare(x.At, y.At) })
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].At == p.At {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return slices.Clip(out)
}

// nonNegRate returns v, or 0 when v is negative, NaN or infinite. It also
// turns -0 into 0, so that it prints as "0".
func nonNegRate(v float64) float64 {
	if !(v > 0) || math.IsInf(v, 1) {
		return 0
	}
	return v
}

// mod returns d modulo m in [0, m), for m > 0.
func mod(d, m time.Duration) time.Duration {
	r := d % m
	if r < 0 {
		r += m
	}
	return r
}

// Rate returns the request rate at t, the time since the start of the
// simulation, in requests per second. It is never negative and never NaN
// or infinite.
func (s Shape) Rate(t time.Duration) float64 {
	switch s.kind {
	case shapeSteps:
		i := s.after(t)
		if i == 0 {
			return 0
		}
		return s.points[i-1].RPS
	case shapeReplay:
		i := s.after(t)
		switch i {
		case 0:
			return 0
		case len(s.points):
			return s.points[i-1].RPS
		}
		p, q := s.points[i-1], s.points[i]
		// 0 ≤ t-p.At < q.At-p.At, and neither difference overflows as
		// both times are ≥ 0.
		f := float64(t-p.At) / float64(q.At-p.At)
		v := p.RPS + (q.RPS-p.RPS)*f
		// Keep rounding from leaving the segment's range.
		return min(max(v, min(p.RPS, q.RPS)), max(p.RPS, q.RPS))
	case shapeDiurnal:
		// Both terms are in [0, 24h), so the difference cannot overflow
		// whatever t is.
		since := mod(mod(t, day)-s.at, day)
		phase := 2 * math.Pi * float64(since) / float64(day)
		v := s.a + (s.b-s.a)*(1+math.Cos(phase))/2
		return min(max(v, s.a), s.b)
	case shapeSpike:
		// t-s.at cannot overflow: both are ≥ 0 when it is computed.
		if t >= s.at && t-s.at < s.length {
			return s.b
		}
		return s.a
	default:
		return s.a
	}
}

// Varies reports whether the rate may change with time: false only for
// a constant shape, whose [Shape.Rate] is the same at every t. A caller
// that derives values from the rate alone may keep them while it does
// not vary.
func (s Shape) Varies() bool { return s.kind != shapeConstant }

// Scale returns s with every rate multiplied by f: the same shape at f
// times the load, as in a traffic spike. A negative, NaN or infinite f is
// taken as 0.
func (s Shape) Scale(f float64) Shape {
	f = nonNegRate(f)
	s.a, s.b = nonNegRate(s.a*f), nonNegRate(s.b*f)
	if s.points != nil {
		pts := make([]StepPoint, len(s.points))
		for i, p := range s.points {
			pts[i] = StepPoint{At: p.At, RPS: nonNegRate(p.RPS * f)}
		}
		s.points = pts
	}
	return s
}

// after returns the index of the first point after t: the number of
// points at or before t.
func (s Shape) after(t time.Duration) int {
	i, found := slices.BinarySearchFunc(s.points, t, func(p StepPoint, t time.Duration) int { return cmp.Compare(p.At, t) })
	if found {
		i++
	}
	return i
}

// String returns s in the form that [ParseShape] reads back to the same
// Shape: "constant(100)", "steps(0s:10,1h:50)", "diurnal(20,200,14h)",
// "spike(50,500,2h,10m)". Durations are Go durations without trailing
// zero units ("1h30m", not "1h30m0s"); rates are plain decimals, with an
// exponent only below 1e-6 or from 1e21.
//
// A replay, which can hold a day of points a second apart, prints as a
// summary such as "replay(1440 points from 0s to 23h59m)" that ParseShape
// rejects; its [Shape.MarshalText] and [Shape.MarshalJSON] fail.
func (s Shape) String() string {
	switch s.kind {
	case shapeSteps:
		var b strings.Builder
		b.WriteString("steps(")
		for i, p := range s.points {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(shortDuration(p.At))
			b.WriteByte(':')
			b.WriteString(formatRate(p.RPS))
		}
		b.WriteByte(')')
		return b.String()
	case shapeDiurnal:
		return "diurnal(" + formatRate(s.a) + "," + formatRate(s.b) + "," + shortDuration(s.at) + ")"
	case shapeSpike:
		return "spike(" + formatRate(s.a) + "," + formatRate(s.b) + "," + shortDuration(s.at) + "," + shortDuration(s.length) + ")"
	case shapeReplay:
		switch n := len(s.points); n {
		case 0:
			return "replay(0 points)"
		case 1:
			return "replay(1 point at " + shortDuration(s.points[0].At) + ")"
		default:
			return fmt.Sprintf("replay(%d points from %s to %s)", n, shortDuration(s.points[0].At), shortDuration(s.points[n-1].At))
		}
	default:
		return "constant(" + formatRate(s.a) + ")"
	}
}

// shortDuration formats d as a Go duration without trailing zero minutes
// and seconds: "14h", "10m", "1h30m", "90ms", "0s". time.ParseDuration
// reads it back to d.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
		if strings.HasSuffix(s, "h0m") {
			s = s[:len(s)-2]
		}
	}
	return s
}

// formatRate formats a rate as the shortest decimal that parses back to
// it, with an exponent only where encoding/json would use one: "100",
// "0.5", "1000000", but "1e-07" and "1e+21".
func formatRate(v float64) string {
	if v != 0 && (v < 1e-6 || v >= 1e21) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ParseShape parses a traffic shape:
//
//	100                           constant, in requests per second
//	constant(100)                 the same
//	steps(0s:10,1h:50,3h:0)       10 rps from the start, 50 from 1 h, 0 from 3 h
//	diurnal(20,200,14h)           daily sinusoid, 200 rps at 14:00, 20 at 02:00
//	spike(50,500,2h,10m)          50 rps, but 500 from 2 h for 10 minutes
//
// Names are case-insensitive and spaces around names, parentheses, commas,
// colons and arguments are ignored. Durations are Go durations (a bare
// number is seconds, as in [ParseDist]); rates are finite numbers ≥ 0.
// Every duration must be ≥ 0, the times of steps must increase, diurnal's
// min must not exceed its max and its peak must be within a day (under
// 24h). A replay is read from a CSV file ([ParseReplayCSV]), never from
// this form. Anything else is an error that quotes the input and says what
// is wrong.
func ParseShape(s string) (Shape, error) {
	v, err := parseShape(s)
	if err != nil {
		return Shape{}, fmt.Errorf("invalid traffic shape %q: %w", s, err)
	}
	return v, nil
}

func parseShape(s string) (Shape, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Shape{}, errors.New("empty; want a form such as constant(100) or diurnal(20,200,14h)")
	}
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if strings.ContainsRune(s, ')') {
			return Shape{}, errors.New(`")" without "("`)
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil && !errors.Is(err, strconv.ErrRange) {
			return Shape{}, fmt.Errorf("%q is neither a number of requests per second nor a form such as constant(100) or diurnal(20,200,14h)", s)
		}
		v, err := parseRate(s)
		if err != nil {
			return Shape{}, err
		}
		return Constant(v), nil
	}
	name := strings.ToLower(strings.TrimSpace(s[:open]))
	if name == "replay" {
		return Shape{}, errors.New(`a replay is read from a CSV file of "seconds,rps" lines, not written inline; give it as a CSV file`)
	}
	if !strings.HasSuffix(s, ")") {
		return Shape{}, errors.New(`missing ")" at the end`)
	}
	inner := s[open+1 : len(s)-1]
	if strings.ContainsAny(inner, "()") {
		return Shape{}, errors.New("nested parentheses")
	}
	args := strings.Split(inner, ",")
	for i := range args {
		args[i] = strings.TrimSpace(args[i])
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	want := func(params ...string) error {
		if len(args) != len(params) {
			return fmt.Errorf("%s takes %d argument%s (%s), got %d", name, len(params), plural(len(params)), strings.Join(params, ", "), len(args))
		}
		return nil
	}
	rate := func(i int, param string) (float64, error) {
		v, err := parseRate(args[i])
		if err != nil {
			return 0, fmt.Errorf("%s: %w", param, err)
		}
		return v, nil
	}
	duration := func(i int, param string) (time.Duration, error) {
		v, err := parseDuration(args[i])
		if err != nil {
			return 0, fmt.Errorf("%s: %w", param, err)
		}
		return v, nil
	}
	switch name {
	case "constant":
		if err := want("rps"); err != nil {
			return Shape{}, err
		}
		v, err := rate(0, "rps")
		if err != nil {
			return Shape{}, err
		}
		return Constant(v), nil
	case "steps":
		points, err := parsePoints(args)
		if err != nil {
			return Shape{}, err
		}
		return Steps(points), nil
	case "diurnal":
		if err := want("min", "max", "peak"); err != nil {
			return Shape{}, err
		}
		lo, err := rate(0, "min")
		if err != nil {
			return Shape{}, err
		}
		hi, err := rate(1, "max")
		if err != nil {
			return Shape{}, err
		}
		if lo > hi {
			return Shape{}, fmt.Errorf("min %s is greater than max %s", args[0], args[1])
		}
		peak, err := duration(2, "peak")
		if err != nil {
			return Shape{}, err
		}
		if peak >= day {
			return Shape{}, fmt.Errorf("peak: %s is not a time of day; want 0s up to, not including, 24h", args[2])
		}
		return Diurnal(lo, hi, peak), nil
	case "spike":
		if err := want("base", "peak", "at", "length"); err != nil {
			return Shape{}, err
		}
		base, err := rate(0, "base")
		if err != nil {
			return Shape{}, err
		}
		peak, err := rate(1, "peak")
		if err != nil {
			return Shape{}, err
		}
		at, err := duration(2, "at")
		if err != nil {
			return Shape{}, err
		}
		length, err := duration(3, "length")
		if err != nil {
			return Shape{}, err
		}
		return Spike(base, peak, at, length), nil
	case "":
		return Shape{}, errors.New(`missing shape name before "("`)
	default:
		return Shape{}, fmt.Errorf("unknown shape %q; want constant, steps, diurnal or spike (a replay comes from a CSV file)", name)
	}
}

// parsePoints parses the "time:rps" arguments of steps(...), whose times
// must increase.
func parsePoints(args []string) ([]StepPoint, error) {
	points := make([]StepPoint, 0, len(args))
	var prev string // the previous point's time, as written
	for i, arg := range args {
		at, rps, ok := strings.Cut(arg, ":")
		if !ok {
			return nil, fmt.Errorf("point %d: %q is not time:rps, such as 1h:50", i+1, arg)
		}
		at, rps = strings.TrimSpace(at), strings.TrimSpace(rps)
		t, err := parseDuration(at)
		if err != nil {
			return nil, fmt.Errorf("point %d: time: %w", i+1, err)
		}
		v, err := parseRate(rps)
		if err != nil {
			return nil, fmt.Errorf("point %d: rps: %w", i+1, err)
		}
		if i > 0 && t <= points[i-1].At {
			return nil, fmt.Errorf("point %d: time %s is not after %s; times must increase", i+1, at, prev)
		}
		points = append(points, StepPoint{At: t, RPS: v})
		prev = at
	}
	return points, nil
}

// parseRate parses a finite number ≥ 0 of requests per second. A value too
// small to represent is 0.
func parseRate(s string) (float64, error) {
	if s == "" {
		return 0, errors.New("missing rate")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange) || math.IsNaN(v):
		return 0, fmt.Errorf("%q is not a number", s)
	case math.IsInf(v, 0) && err != nil:
		return 0, fmt.Errorf("%s is out of range", s)
	case math.IsInf(v, 0):
		return 0, fmt.Errorf("%q is not a finite number", s)
	case v < 0:
		return 0, fmt.Errorf("%s is negative", s)
	}
	return v + 0, nil // -0 + 0 is 0
}

// ParseReplayCSV reads the points of a [Replay] from CSV lines of
// "seconds,rps": the time since the start of the simulation in seconds (a
// decimal number ≥ 0, such as 0, 60 or 90.5) and the request rate then (a
// finite number ≥ 0). Times must increase from line to line.
//
// A first line whose two fields are both not numbers, such as
// "seconds,rps", is a header and skipped. Blank lines, lines starting
// with '#', a UTF-8 byte order mark and spaces around fields are ignored;
// fields may be quoted as CSV allows. Every error names the line it is
// on, and a file without any point is an error.
func ParseReplayCSV(r io.Reader) ([]StepPoint, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	cr.ReuseRecord = true
	var (
		points   []StepPoint
		prevText string
		prevLine int
	)
	for first := true; ; first = false {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("replay CSV: line %d: %w", pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("replay CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(fields) != 2 {
			return nil, fmt.Errorf("replay CSV: line %d: want 2 fields, seconds,rps; got %d", line, len(fields))
		}
		secText, rpsText := strings.TrimSpace(fields[0]), strings.TrimSpace(fields[1])
		if first && !isNumber(secText) && !isNumber(rpsText) {
			continue // a header
		}
		at, ok, err := parseSeconds(secText)
		switch {
		case secText == "":
			return nil, fmt.Errorf("replay CSV: line %d: seconds: missing", line)
		case !ok:
			return nil, fmt.Errorf("replay CSV: line %d: seconds: %q is not a number of seconds", line, secText)
		case err != nil:
			return nil, fmt.Errorf("replay CSV: line %d: seconds: %w", line, err)
		}
		rps, err := parseRate(rpsText)
		if err != nil {
			return nil, fmt.Errorf("replay CSV: line %d: rps: %w", line, err)
		}
		if n := len(points); n > 0 && at <= points[n-1].At {
			return nil, fmt.Errorf("replay CSV: line %d: seconds %s is not after %s on line %d; times must increase", line, secText, prevText, prevLine)
		}
		points = append(points, StepPoint{At: at, RPS: rps})
		prevText, prevLine = secText, line
	}
	if len(points) == 0 {
		return nil, errors.New(`replay CSV: no points; want lines of "seconds,rps" such as 0,100`)
	}
	return points, nil
}

// isNumber reports whether s reads as a number, in range or not.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// replayTextError is the error of marshalling a replay, which has no text
// form.
func replayTextError(s Shape) error {
	return fmt.Errorf("traffic shape %s has no text form; a replay is read from a CSV file", s)
}

// MarshalText encodes s as its [Shape.String] form, so that a Shape works
// in YAML documents and flags. It fails for a replay.
func (s Shape) MarshalText() ([]byte, error) {
	if s.kind == shapeReplay {
		return nil, replayTextError(s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses the form [ParseShape] reads. On error s is
// unchanged.
func (s *Shape) UnmarshalText(b []byte) error {
	v, err := ParseShape(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalJSON encodes s as a JSON string of its [Shape.String] form. It
// fails for a replay.
func (s Shape) MarshalJSON() ([]byte, error) {
	b, err := s.MarshalText()
	if err != nil {
		return nil, err
	}
	return json.Marshal(string(b))
}

// UnmarshalJSON decodes a string in the form [ParseShape] reads, or a bare
// JSON number of requests per second (100 is constant(100)). JSON null
// leaves s unchanged, as does an error.
func (s *Shape) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		return s.UnmarshalText([]byte(str))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("traffic shape must be a string such as \"diurnal(20,200,14h)\" or a number of requests per second, not %s", b)
		}
		v, err := parseRate(n.String())
		if err != nil {
			return fmt.Errorf("invalid traffic shape: %w", err)
		}
		*s = Constant(v)
		return nil
	}
}

// Traffic is the load on one service: a shape of requests over time and
// what each request costs the service's tasks. Requests are spread evenly
// over the running tasks.
//
// In JSON (and so in scenario files) shape and cpuPerRequest are required
// and the memory fields optional:
//
//	{"shape": "diurnal(20,200,14h)", "cpuPerRequest": "20ms", "memoryBaseMiB": 200, "memoryPerRpsMiB": 2}
type Traffic struct {
	// Shape is the request rate over time, for the whole service.
	Shape Shape `json:"shape"`
	// CPUPerRequest is the CPU time one request costs, e.g. 20ms: at r
	// requests per second spread evenly over n tasks, each task uses
	// r×CPUPerRequest/n of a vCPU, and a vCPU is 1,024 CPU units. In JSON
	// it is a Go duration string, "20ms"; a bare number is refused, as
	// it would read as seconds where milliseconds were likely meant.
	CPUPerRequest time.Duration `json:"cpuPerRequest"`
	// MemoryBaseMiB is the memory each task uses idle, in MiB.
	MemoryBaseMiB float64 `json:"memoryBaseMiB,omitempty"`
	// MemoryPerRPSMiB is the memory each task uses on top of
	// MemoryBaseMiB per request per second it serves (requests in flight
	// grow with the rate), in MiB.
	MemoryPerRPSMiB float64 `json:"memoryPerRpsMiB,omitempty"`
}

// trafficFields are Traffic's JSON field names, in declaration order.
var trafficFields = []string{"shape", "cpuPerRequest", "memoryBaseMiB", "memoryPerRpsMiB"}

// Validate reports whether tr is well formed: CPUPerRequest ≥ 0 and both
// memory figures finite and ≥ 0. Shapes are valid by construction.
func (tr Traffic) Validate() error {
	if tr.CPUPerRequest < 0 {
		return fmt.Errorf("cpuPerRequest %s is negative", tr.CPUPerRequest)
	}
	for i, v := range []float64{tr.MemoryBaseMiB, tr.MemoryPerRPSMiB} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s %v is not a finite number", trafficFields[2+i], v)
		}
		if v < 0 {
			return fmt.Errorf("%s %v is negative", trafficFields[2+i], v)
		}
	}
	return nil
}

// Utilization returns the CPU and memory the tasks of a service use on
// average at time t, with n tasks running, each reserving taskCPU CPU units
// and taskMemoryMiB MiB, as percentages the way CloudWatch computes the
// Average of the ECS service metrics CPUUtilization and MemoryUtilization:
// used × 100 / (reserved per task × tasks) [DG:service_utilization].
//
// Each task serves r/n requests per second, r the rate at t, and so uses
// r/n × CPUPerRequest seconds of CPU per second, ×1,024 CPU units, and
// MemoryBaseMiB + r/n × MemoryPerRPSMiB MiB.
//
// cpuPct is at most 100: taskCPU is taken to be the task-level cpu, which
// is a hard limit (a Fargate task cannot use more; load beyond it is
// throttled, and queueing is not modelled here), so demand above the
// reservation shows as 100. memPct is not capped: above 100 the load needs
// more memory than reserved, which under a hard task-level memory limit
// means the task is killed for running out of memory; deciding that is the
// caller's. Both are finite and ≥ 0; negative or non-finite costs count as
// 0.
//
// With no task running, or a task size that is not positive, there is
// nothing to measure: Utilization returns 0, 0, false, as ECS sends no
// metrics for a service without RUNNING tasks [DG:available-metrics].
func (tr Traffic) Utilization(t time.Duration, n, taskCPU, taskMemoryMiB int) (cpuPct, memPct float64, ok bool) {
	if n <= 0 || taskCPU <= 0 || taskMemoryMiB <= 0 {
		return 0, 0, false
	}
	perTask := tr.Shape.Rate(t) / float64(n) // requests per second on each task
	// Nanoseconds of CPU per second on each task, then CPU units: a vCPU
	// (1e9 ns of CPU per second) is 1,024 units. Multiplying before
	// dividing keeps round figures exact.
	units := perTask * float64(nonNeg(tr.CPUPerRequest)) * 1024 / 1e9
	cpuPct = min(units*100/float64(taskCPU), 100)
	mib := nonNegRate(tr.MemoryBaseMiB) + nonNegRate(tr.MemoryPerRPSMiB)*perTask
	memPct = min(mib*100/float64(taskMemoryMiB), math.MaxFloat64)
	return cpuPct, memPct, true
}

// MarshalJSON encodes tr with CPUPerRequest as a duration string. It fails
// when tr does not [Traffic.Validate] or its shape is a replay, rather than
// write a document that would not decode.
func (tr Traffic) MarshalJSON() ([]byte, error) {
	if err := tr.Validate(); err != nil {
		return nil, fmt.Errorf("traffic: %w", err)
	}
	return json.Marshal(struct {
		Shape           Shape   `json:"shape"`
		CPUPerRequest   string  `json:"cpuPerRequest"`
		MemoryBaseMiB   float64 `json:"memoryBaseMiB,omitempty"`
		MemoryPerRPSMiB float64 `json:"memoryPerRpsMiB,omitempty"`
	}{tr.Shape, shortDuration(tr.CPUPerRequest), tr.MemoryBaseMiB, tr.MemoryPerRPSMiB})
}

// UnmarshalJSON decodes Traffic from a JSON object. It rejects unknown
// fields (matching names exactly), a missing or null shape or
// cpuPerRequest, a cpuPerRequest that is not a Go duration string, negative
// values and invalid shapes, with an error that names the field. JSON null
// leaves tr unchanged, as does an error.
func (tr *Traffic) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("traffic must be a JSON object: %w", err)
	}
	var unknown []string
	for k := range raw {
		if !slices.Contains(trafficFields, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("traffic: unknown field %s; known fields are %s", quoteAll(unknown), strings.Join(trafficFields, ", "))
	}
	for _, name := range trafficFields[:2] {
		if m, ok := raw[name]; !ok || bytes.Equal(bytes.TrimSpace(m), []byte("null")) {
			return fmt.Errorf(`traffic: %s is missing; want, for example, {"shape": "constant(100)", "cpuPerRequest": "20ms"}`, name)
		}
	}
	var v Traffic
	if err := json.Unmarshal(raw["shape"], &v.Shape); err != nil {
		return fmt.Errorf("traffic: shape: %w", err)
	}
	var cpu string
	if err := json.Unmarshal(raw["cpuPerRequest"], &cpu); err != nil {
		return fmt.Errorf(`traffic: cpuPerRequest: want a duration string such as "20ms", not %s`, bytes.TrimSpace(raw["cpuPerRequest"]))
	}
	d, err := time.ParseDuration(strings.TrimSpace(cpu))
	if err != nil {
		return fmt.Errorf(`traffic: cpuPerRequest: %q is not a Go duration such as "20ms"`, cpu)
	}
	v.CPUPerRequest = d
	for i, target := range []*float64{&v.MemoryBaseMiB, &v.MemoryPerRPSMiB} {
		name := trafficFields[2+i]
		m, ok := raw[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(m, target); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				if n, ok := strings.CutPrefix(te.Value, "number "); ok {
					err = fmt.Errorf("%s is out of range", n)
				} else {
					err = fmt.Errorf("want a number, not %s", te.Value)
				}
			}
			return fmt.Errorf("traffic: %s: %w", name, err)
		}
	}
	if err := v.Validate(); err != nil {
		return fmt.Errorf("traffic: %w", err)
	}
	*tr = v
	return nil
}
