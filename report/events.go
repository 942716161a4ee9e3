package report

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/ecssim/ecssim/sim"
)

// Event is one trace record in the shape EventBridge delivers events:
//
//	{"version":"0","id":"…","detail-type":"ECS Task State Change","source":"aws.ecs",
//	 "account":"123456789012","time":"2026-01-01T00:00:22.862Z","region":"us-east-1",
//	 "resources":["arn:aws:ecs:…:task/demo/…"],"detail":{…}}
//
// Time is RFC 3339 in UTC with milliseconds, the resolution of the trace.
type Event struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// NewEvent returns the EventBridge shape of r. The detail is taken from
// the record's canonical line, byte for byte what the trace hash covers.
func NewEvent(r sim.Record, account, region string) Event {
	var line struct {
		Detail json.RawMessage `json:"detail"`
	}
	if err := json.Unmarshal(r.Line, &line); err != nil || len(line.Detail) == 0 {
		line.Detail = json.RawMessage("null")
	}
	res := r.Resources
	if res == nil {
		res = []string{}
	}
	return Event{
		Version:    "0",
		ID:         EventID(r),
		DetailType: r.Type,
		Source:     r.Source,
		Account:    account,
		Time:       r.Time.Time().Format("2006-01-02T15:04:05.000Z"),
		Region:     region,
		Resources:  res,
		Detail:     line.Detail,
	}
}

// EventWriter writes records as JSON lines of [Event]s. Register its
// Record method with (*sim.Trace).Observe, and call Flush at the end.
type EventWriter struct {
	w       *bufio.Writer
	account string
	region  string
	err     error
}

// NewEventWriter returns a writer of events for the account and region.
func NewEventWriter(w io.Writer, account, region string) *EventWriter {
	return &EventWriter{w: bufio.NewWriterSize(w, 64<<10), account: account, region: region}
}

// Record writes one record as a line. After the first write error it
// does nothing; Flush returns that error.
func (e *EventWriter) Record(r sim.Record) {
	if e.err != nil {
		return
	}
	b, err := json.Marshal(NewEvent(r, e.account, e.region))
	if err != nil {
		e.err = err
		return
	}
	b = append(b, '\n')
	_, e.err = e.w.Write(b)
}

// Flush writes what is buffered and returns the first error.
func (e *EventWriter) Flush() error {
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}
