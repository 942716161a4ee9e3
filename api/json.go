package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Timestamp is a point in time as the AWS JSON protocols carry it: a number
// of seconds since the Unix epoch, with millisecond precision. It decodes
// from that form or from an RFC 3339 string, which the AWS CLI also accepts
// in --cli-input-json. Use it with the `omitzero` JSON option.
type Timestamp struct{ time.Time }

// NewTimestamp wraps t, truncated to milliseconds.
func NewTimestamp(t time.Time) Timestamp { return Timestamp{t.UTC().Truncate(time.Millisecond)} }

// MarshalJSON encodes the timestamp as epoch seconds.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON accepts epoch seconds or an RFC 3339 string.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("timestamp %q is neither epoch seconds nor RFC 3339", s)
		}
		*t = NewTimestamp(v)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e11 {
		return fmt.Errorf("timestamp %s is not a number of epoch seconds", b)
	}
	sec, frac := math.Modf(f)
	*t = NewTimestamp(time.Unix(int64(sec), int64(math.Round(frac*1e3))*int64(time.Millisecond)))
	return nil
}

// Tag is a key-value pair attached to a resource, in ECS's field names.
type Tag struct {
	Key   *string `json:"key,omitempty"`
	Value *string `json:"value,omitempty"`
}

// String returns a pointer to s, for filling optional input fields.
func String(s string) *string { return &s }

// Int32 returns a pointer to v.
func Int32(v int32) *int32 { return &v }

// Bool returns a pointer to v.
func Bool(v bool) *bool { return &v }

// Deref returns *p, or the zero value when p is nil.
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
