package cloudwatch

import (
	"encoding/json"

	"github.com/ecssim/ecssim/sim"
)

// historyKind is the kind of an alarm history record.
type historyKind uint8

const (
	historyConfig historyKind = iota // ConfigurationUpdate: s1 summary, s2 data
	historyState                     // StateUpdate: s1 old state, s2 new state, s3 old reason, s4 new reason
	historyAction                    // Action: s1 the action's ARN
)

// historyRecord is one entry of the alarm history, kept compact: state
// updates and actions, which an alarm adds at every state change, are
// worded and encoded only when DescribeAlarmHistory returns them.
type historyRecord struct {
	at             sim.Time
	name           string
	kind           historyKind
	s1, s2, s3, s4 string
}

// addHistory records a configuration update of an alarm. data is encoded
// at once as the entry's HistoryData JSON, since the configuration it
// holds may change later.
func (c *CloudWatch) addHistory(name, summary string, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		b = []byte("{}")
	}
	c.history = append(c.history, historyRecord{at: c.now(), name: name, kind: historyConfig, s1: summary, s2: string(b)})
}

// itemType is the record's HistoryItemType.
func (h *historyRecord) itemType() string {
	switch h.kind {
	case historyState:
		return "StateUpdate"
	case historyAction:
		return "Action"
	}
	return "ConfigurationUpdate"
}

// historyItem returns the record in API shape.
func (c *CloudWatch) historyItem(h *historyRecord) AlarmHistoryItem {
	it := AlarmHistoryItem{AlarmName: h.name, AlarmType: "MetricAlarm", Timestamp: c.stamp(h.at), HistoryItemType: h.itemType()}
	var data any
	switch h.kind {
	case historyConfig:
		it.HistorySummary, it.HistoryData = h.s1, h.s2
		return it
	case historyState:
		it.HistorySummary = "Alarm updated from " + h.s1 + " to " + h.s2
		data = map[string]any{
			"version":  "1.0",
			"oldState": map[string]string{"stateValue": h.s1, "stateReason": h.s3},
			"newState": map[string]string{"stateValue": h.s2, "stateReason": h.s4},
		}
	case historyAction:
		it.HistorySummary = "Successfully executed action " + h.s1
		data = map[string]any{"actionState": "Succeeded", "notificationResource": h.s1}
	}
	b, err := json.Marshal(data)
	if err != nil {
		b = []byte("{}")
	}
	it.HistoryData = string(b)
	return it
}
