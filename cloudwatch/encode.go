package cloudwatch

import (
	"slices"
	"strconv"

	"github.com/ecssim/ecssim/sim"
)

// The texts of an alarm state change (reasons, reason data, timestamps)
// are built by appending into one buffer and become one string each, as
// an alarm may change state tens of thousands of times in a simulated
// day. Each appender gives byte for byte what the fmt or time layout
// named in its comment gives.

// appendEventTime appends t as "2006-01-02T15:04:05.000+0000", the
// layout of CloudWatch's event and reason data timestamps.
func appendEventTime(b []byte, t sim.Time) []byte {
	b = sim.AppendTime(b, t) // ends in Z
	return append(b[:len(b)-1], "+0000"...)
}

// eventTime is appendEventTime as a string.
func eventTime(t sim.Time) string {
	var buf [32]byte
	return string(appendEventTime(buf[:0], t))
}

// appendReasonTime appends t as "02/01/06 15:04:05", the layout of the
// datapoint times in a state reason.
func appendReasonTime(b []byte, t sim.Time) []byte {
	var buf [32]byte
	s := sim.AppendTime(buf[:0], t) // 2006-01-02T15:04:05.000Z
	if len(s) != len("2006-01-02T15:04:05.000Z") {
		return t.Time().AppendFormat(b, "02/01/06 15:04:05")
	}
	return append(b, s[8], s[9], '/', s[5], s[6], '/', s[2], s[3], ' ',
		s[11], s[12], ':', s[14], s[15], ':', s[17], s[18])
}

// appendValue appends v as formatValue words it.
func appendValue(b []byte, v float64) []byte {
	n := len(b)
	b = strconv.AppendFloat(b, v, 'f', -1, 64)
	if !slices.Contains(b[n:], '.') {
		b = append(b, ".0"...)
	}
	return b
}

// AppendJSON appends the event as encoding/json encodes it, so that the
// trace needs no reflection for the most frequent CloudWatch event.
func (e AlarmStateChange) AppendJSON(b []byte) []byte {
	b = sim.AppendJSONField(append(b, '{'), true, "alarmName", e.AlarmName)
	b = e.State.appendJSON(append(b, `,"state":`...))
	b = e.PreviousState.appendJSON(append(b, `,"previousState":`...))
	b = append(b, `,"configuration":`...)
	if c, ms := e.config, e.Configuration.Metrics; c != nil && len(ms) == 1 && &ms[0] == c.metrics && e.Configuration.Description == c.desc {
		b = append(b, c.json...)
	} else {
		b = e.Configuration.appendJSON(b)
	}
	return append(b, '}')
}

func (c AlarmConfiguration) appendJSON(b []byte) []byte {
	b = append(b, '{')
	if c.Description != "" {
		b = sim.AppendJSONField(b, true, "description", c.Description)
		b = append(b, ',')
	}
	b = append(b, `"metrics":`...)
	if c.Metrics == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, m := range c.Metrics {
			if i > 0 {
				b = append(b, ',')
			}
			b = m.appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (s AlarmState) appendJSON(b []byte) []byte {
	b = sim.AppendJSONField(append(b, '{'), true, "value", s.Value)
	b = sim.AppendJSONField(b, false, "reason", s.Reason)
	if s.ReasonData != "" {
		b = sim.AppendJSONField(b, false, "reasonData", s.ReasonData)
	}
	b = sim.AppendJSONField(b, false, "timestamp", s.Timestamp)
	return append(b, '}')
}

func (m EventMetric) appendJSON(b []byte) []byte {
	b = sim.AppendJSONField(append(b, '{'), true, "id", m.ID)
	if ms := m.MetricStat; ms != nil {
		b = append(b, `,"metricStat":{"metric":{`...)
		b = sim.AppendJSONField(b, true, "namespace", ms.Metric.Namespace)
		b = sim.AppendJSONField(b, false, "name", ms.Metric.Name)
		b = append(b, `,"dimensions":`...)
		if d := ms.Metric.Dimensions; d == nil {
			b = append(b, "null"...)
		} else {
			// encoding/json writes a map's members sorted by key.
			keys := make([]string, 0, len(d))
			for k := range d {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			b = append(b, '{')
			for i, k := range keys {
				if i > 0 {
					b = append(b, ',')
				}
				b = sim.AppendJSONString(b, k)
				b = sim.AppendJSONString(append(b, ':'), d[k])
			}
			b = append(b, '}')
		}
		b = append(b, '}')
		b = sim.AppendJSONInt(b, "period", int64(ms.Period))
		b = sim.AppendJSONField(b, false, "stat", ms.Stat)
		b = append(b, '}')
	}
	if m.Expression != "" {
		b = sim.AppendJSONField(b, false, "expression", m.Expression)
	}
	if m.Label != "" {
		b = sim.AppendJSONField(b, false, "label", m.Label)
	}
	b = append(b, `,"returnData":`...)
	b = strconv.AppendBool(b, m.ReturnData)
	return append(b, '}')
}
