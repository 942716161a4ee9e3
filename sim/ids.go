package sim

import (
	"math/rand/v2"
	"strings"
)

const hexDigits = "0123456789abcdef"

// HexID returns n random lowercase hex digits: ECS task and container
// instance IDs are 32 of them, ENI and subnet suffixes 17.
func HexID(r *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; i++ {
		b.WriteByte(hexDigits[r.IntN(16)])
	}
	return b.String()
}

// AppendHexID appends n random lowercase hex digits to b, drawing from r
// exactly as [HexID] does, for callers that build several identifiers
// into one buffer.
func AppendHexID(b []byte, r *rand.Rand, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, hexDigits[r.IntN(16)])
	}
	return b
}

// Digits returns n random decimal digits, the first one not zero: ECS
// deployment IDs are "ecs-svc/" and 19 of them.
func Digits(r *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; i++ {
		d := r.IntN(10)
		if i == 0 {
			d = 1 + r.IntN(9)
		}
		b.WriteByte(byte('0' + d))
	}
	return b.String()
}

// UUID returns a random version-4 UUID in its canonical 8-4-4-4-12 form, as
// used for event IDs, container runtime IDs and request IDs.
func UUID(r *rand.Rand) string { return NewUUID(r).String() }

// UUIDBits is a version-4 UUID not yet formatted: drawing it takes its
// place in the stream, and formatting can wait until someone reads it.
type UUIDBits [16]byte

// NewUUID draws a version-4 UUID from r, as [UUID] does.
func NewUUID(r *rand.Rand) UUIDBits {
	var u UUIDBits
	a, b := r.Uint64(), r.Uint64()
	for i := 0; i < 8; i++ {
		u[i] = byte(a >> (8 * i))
		u[8+i] = byte(b >> (8 * i))
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

// String formats u as 8-4-4-4-12 lowercase hex digits.
func (u UUIDBits) String() string { return formatUUID(u) }

// Append appends u as [UUIDBits.String] formats it.
func (u UUIDBits) Append(b []byte) []byte {
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

func formatUUID(u [16]byte) string {
	buf := make([]byte, 36)
	j := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf[j] = '-'
			j++
		}
		buf[j] = hexDigits[c>>4]
		buf[j+1] = hexDigits[c&0xf]
		j += 2
	}
	return string(buf)
}
