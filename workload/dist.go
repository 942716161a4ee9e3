package workload

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// distKind says which family a Dist belongs to. The zero kind is the zero
// Dist: never configured, sampling 0.
type distKind uint8

const (
	kindUnset distKind = iota
	kindFixed
	kindUniform
	kindNormal
	kindExp
	kindLogNormal
)

// Dist is a distribution of durations, drawn through a seeded random
// stream. Build one with [Fixed], [Uniform], [Normal], [Exponential],
// [LogNormal] or [ParseDist]; it is an immutable, comparable value.
//
// The zero Dist is "not configured": it samples 0 and prints as "0s", and
// [Dist.IsZero] reports true for it, which lets [Image.WithDefaults] fill
// it in. Fixed(0) samples the same but counts as configured, so an explicit
// "0s" in a file survives defaulting.
//
// Constructors never fail: a negative duration is taken as 0, Uniform with
// lo > hi swaps them, and a negative or non-finite sigma is made
// non-negative (0 when not finite). [ParseDist] rejects all of these with
// an error instead.
type Dist struct {
	kind  distKind
	a, b  time.Duration // fixed: a; uniform: [a, b]; normal: mean a, stddev b; exp: mean a; lognormal: median a
	sigma float64       // lognormal only
}

// Fixed returns the distribution that is always d.
func Fixed(d time.Duration) Dist { return Dist{kind: kindFixed, a: nonNeg(d)} }

// Uniform returns the uniform distribution over [lo, hi], to the
// nanosecond.
func Uniform(lo, hi time.Duration) Dist {
	lo, hi = nonNeg(lo), nonNeg(hi)
	if lo > hi {
		lo, hi = hi, lo
	}
	return Dist{kind: kindUniform, a: lo, b: hi}
}

// Normal returns the normal distribution with the given mean and standard
// deviation, truncated at 0: draws below 0 are redrawn, so the result is
// the conditional distribution on [0, ∞), not one with a spike at 0.
func Normal(mean, stddev time.Duration) Dist {
	return Dist{kind: kindNormal, a: nonNeg(mean), b: nonNeg(stddev)}
}

// Exponential returns the exponential distribution with the given mean.
func Exponential(mean time.Duration) Dist { return Dist{kind: kindExp, a: nonNeg(mean)} }

// LogNormal returns the log-normal distribution with the given median
// (e^μ) and shape sigma (σ of the underlying normal): half the draws are
// below median, and about 95% lie within median·e^(±2σ).
func LogNormal(median time.Duration, sigma float64) Dist {
	if math.IsNaN(sigma) || math.IsInf(sigma, 0) {
		sigma = 0
	}
	sigma = math.Abs(sigma) // exp(-σZ) has the same law as exp(σZ); also turns -0 into 0
	return Dist{kind: kindLogNormal, a: nonNeg(median), sigma: sigma}
}

func nonNeg(d time.Duration) time.Duration { return max(d, 0) }

// maxNormalTries bounds the redraws of a truncated normal. With mean ≥ 0 a
// draw is kept with probability ≥ 1/2, so 64 misses in a row has
// probability ≤ 2⁻⁶⁴; should it happen, the draw is 0.
const maxNormalTries = 64

// Sample draws one duration from r. The result is never negative. Fixed
// and the zero Dist return at once without drawing from r; Uniform and
// Exponential draw one value; Normal and LogNormal draw through
// r.NormFloat64, which may consume a varying number of values.
func (d Dist) Sample(r *rand.Rand) time.Duration {
	switch d.kind {
	case kindUniform:
		return d.a + time.Duration(r.Uint64N(uint64(d.b-d.a)+1))
	case kindNormal:
		for range maxNormalTries {
			if v := float64(d.a) + float64(d.b)*r.NormFloat64(); v >= 0 {
				return fromNanos(v)
			}
		}
		return 0
	case kindExp:
		return fromNanos(float64(d.a) * r.ExpFloat64())
	case kindLogNormal:
		return fromNanos(float64(d.a) * math.Exp(d.sigma*r.NormFloat64()))
	default: // kindUnset, kindFixed
		return d.a
	}
}

// fromNanos rounds a float number of nanoseconds to a Duration, clamped
// to [0, the largest Duration].
func fromNanos(v float64) time.Duration {
	switch {
	case !(v > 0): // also NaN
		return 0
	case v >= math.MaxInt64:
		return math.MaxInt64
	default:
		return time.Duration(math.Round(v))
	}
}

// IsZero reports whether d is the zero Dist: not configured. Fixed(0) is
// not zero.
func (d Dist) IsZero() bool { return d == Dist{} }

// String returns d in the form that [ParseDist] reads back to the same
// Dist: "8s", "uniform(5s,15s)", "normal(10s,2s)", "exp(30s)",
// "lognormal(10s,0.5)". The zero Dist prints as "0s", which parses as
// Fixed(0).
func (d Dist) String() string {
	switch d.kind {
	case kindUniform:
		return "uniform(" + d.a.String() + "," + d.b.String() + ")"
	case kindNormal:
		return "normal(" + d.a.String() + "," + d.b.String() + ")"
	case kindExp:
		return "exp(" + d.a.String() + ")"
	case kindLogNormal:
		return "lognormal(" + d.a.String() + "," + strconv.FormatFloat(d.sigma, 'g', -1, 64) + ")"
	default:
		return d.a.String()
	}
}

// ParseDist parses a distribution:
//
//	8s  1m30s  250ms  0        fixed (a Go duration; a bare number is seconds)
//	fixed(8s)                  the same
//	uniform(lo,hi)             uniform over [lo, hi], e.g. uniform(5s,15s)
//	normal(mean,stddev)        normal truncated at 0, e.g. normal(10s,2s)
//	exp(mean)                  exponential, e.g. exp(30s); also exponential(...)
//	lognormal(median,sigma)    log-normal, e.g. lognormal(10s,0.5)
//
// Names are case-insensitive and spaces around names, parentheses, commas
// and arguments are ignored. Every duration must be ≥ 0, lo ≤ hi, and
// sigma a finite number ≥ 0; anything else is an error that quotes the
// input and says what is wrong.
func ParseDist(s string) (Dist, error) {
	d, err := parseDist(s)
	if err != nil {
		return Dist{}, fmt.Errorf("invalid distribution %q: %w", s, err)
	}
	return d, nil
}

func parseDist(s string) (Dist, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Dist{}, errors.New("empty; want a duration such as 8s or a form such as uniform(5s,15s)")
	}
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if strings.ContainsRune(s, ')') {
			return Dist{}, errors.New(`")" without "("`)
		}
		v, err := parseDuration(s)
		if err != nil {
			return Dist{}, err
		}
		return Fixed(v), nil
	}
	if !strings.HasSuffix(s, ")") {
		return Dist{}, errors.New(`missing ")" at the end`)
	}
	name := strings.ToLower(strings.TrimSpace(s[:open]))
	inner := s[open+1 : len(s)-1]
	if strings.ContainsAny(inner, "()") {
		return Dist{}, errors.New("nested parentheses")
	}
	args := strings.Split(inner, ",")
	for i := range args {
		args[i] = strings.TrimSpace(args[i])
	}
	want := func(params ...string) error {
		if len(args) == 1 && args[0] == "" {
			args = nil
		}
		if len(args) != len(params) {
			return fmt.Errorf("%s takes %d argument%s (%s), got %d", name, len(params), plural(len(params)), strings.Join(params, ", "), len(args))
		}
		return nil
	}
	durations := func(params ...string) ([]time.Duration, error) {
		if err := want(params...); err != nil {
			return nil, err
		}
		out := make([]time.Duration, len(args))
		for i, a := range args {
			v, err := parseDuration(a)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", params[i], err)
			}
			out[i] = v
		}
		return out, nil
	}
	switch name {
	case "fixed":
		v, err := durations("duration")
		if err != nil {
			return Dist{}, err
		}
		return Fixed(v[0]), nil
	case "uniform":
		v, err := durations("lo", "hi")
		if err != nil {
			return Dist{}, err
		}
		if v[0] > v[1] {
			return Dist{}, fmt.Errorf("lo %s is greater than hi %s", v[0], v[1])
		}
		return Uniform(v[0], v[1]), nil
	case "normal":
		v, err := durations("mean", "stddev")
		if err != nil {
			return Dist{}, err
		}
		return Normal(v[0], v[1]), nil
	case "exp", "exponential":
		v, err := durations("mean")
		if err != nil {
			return Dist{}, err
		}
		return Exponential(v[0]), nil
	case "lognormal":
		if err := want("median", "sigma"); err != nil {
			return Dist{}, err
		}
		median, err := parseDuration(args[0])
		if err != nil {
			return Dist{}, fmt.Errorf("median: %w", err)
		}
		sigma, err := strconv.ParseFloat(args[1], 64)
		if err != nil || math.IsNaN(sigma) || math.IsInf(sigma, 0) {
			return Dist{}, fmt.Errorf("sigma: %q is not a finite number", args[1])
		}
		if sigma < 0 {
			return Dist{}, fmt.Errorf("sigma: %s is negative", args[1])
		}
		return LogNormal(median, sigma), nil
	case "":
		return Dist{}, errors.New(`missing distribution name before "("`)
	default:
		return Dist{}, fmt.Errorf("unknown distribution %q; want fixed, uniform, normal, exp or lognormal", name)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// parseDuration parses a non-negative Go duration ("1m30s") or a bare
// number of seconds ("1.5").
func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("missing duration")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		var ok bool
		v, ok, err = parseSeconds(s)
		if !ok {
			return 0, fmt.Errorf("%q is not a duration such as 8s, 1m30s or 250ms", s)
		}
		if err != nil {
			return 0, err
		}
	}
	if v < 0 {
		return 0, fmt.Errorf("%s is negative", s)
	}
	return v, nil
}

// parseSeconds converts a decimal number of seconds to a Duration. ok is
// false when s is not a finite number at all; err is set when it is one but
// is negative or too large. Plain decimals are exact ("0.1" is 100ms to the
// nanosecond, as with time.ParseDuration); exponent forms ("1e3") go
// through float64 and are rounded to the nanosecond.
func parseSeconds(s string) (d time.Duration, ok bool, err error) {
	f, ferr := strconv.ParseFloat(s, 64)
	overflow := errors.Is(ferr, strconv.ErrRange) && math.IsInf(f, 0)
	if ferr != nil && !errors.Is(ferr, strconv.ErrRange) || math.IsNaN(f) || math.IsInf(f, 0) && !overflow {
		return 0, false, nil // not a number, or a literal "inf"
	}
	switch {
	case f < 0:
		return 0, true, fmt.Errorf("%s is negative", s)
	case f*1e9 >= math.MaxInt64:
		return 0, true, fmt.Errorf("%s seconds is out of range", s)
	}
	if v, err := time.ParseDuration(s + "s"); err == nil {
		return v, true, nil
	}
	return time.Duration(math.Round(f * 1e9)), true, nil
}

// MarshalJSON encodes d as its [Dist.String] form.
func (d Dist) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON decodes a string in the form [ParseDist] reads, or a bare
// JSON number of seconds (1.5 is 1.5s). JSON null leaves d unchanged.
func (d *Dist) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := ParseDist(s)
		if err != nil {
			return err
		}
		*d = v
		return nil
	default:
		v, err := secondsFromJSON(b)
		if err != nil {
			return err
		}
		*d = Fixed(v)
		return nil
	}
}

// secondsFromJSON converts a JSON number of seconds to a Duration.
func secondsFromJSON(b []byte) (time.Duration, error) {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return 0, fmt.Errorf("distribution must be a string such as \"uniform(5s,15s)\" or a number of seconds, not %s", b)
	}
	v, ok, err := parseSeconds(n.String())
	if !ok {
		return 0, fmt.Errorf("distribution must be a string such as \"uniform(5s,15s)\" or a number of seconds, not %s", b)
	}
	if err != nil {
		return 0, fmt.Errorf("invalid distribution: %w", err)
	}
	return v, nil
}

// MarshalText encodes d as its [Dist.String] form, so that a Dist works in
// YAML documents, flags and map keys.
func (d Dist) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses the form [ParseDist] reads.
func (d *Dist) UnmarshalText(b []byte) error {
	v, err := ParseDist(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Scale returns d with every duration multiplied by f (f ≥ 0): the same
// shape, stretched, as when an application starts f times slower. A
// log-normal keeps its sigma. The zero Dist stays zero.
func (d Dist) Scale(f float64) Dist {
	if d.kind == kindUnset {
		return d
	}
	f = max(f, 0)
	d.a = fromNanos(float64(d.a) * f)
	d.b = fromNanos(float64(d.b) * f)
	return d
}
