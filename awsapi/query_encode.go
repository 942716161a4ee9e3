package awsapi

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
)

// Query-protocol response encoding.
//
// An action's JSON output becomes XML: each member an element named after
// the member, lists as <member> elements (<item> in the EC2 dialect), maps
// as <entry><key/><value/></entry>, timestamps in ISO 8601, booleans as
// true or false. A struct tag `xml:"name"` gives an element a name that
// differs from the JSON member name, as EC2's lower-camel names do.
// [https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#response-serialization]

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// isoTime is the timestamp format of XML answers: ISO 8601 with
// milliseconds, as AWS writes them ("2026-01-01T00:00:00.000Z").
const isoTime = "2006-01-02T15:04:05.000Z"

// xmlEncoder writes one response document.
type xmlEncoder struct {
	buf *bytes.Buffer
	ec2 bool
}

// encodeOutput writes the members of an action's JSON output, whose Go type
// is t, as XML elements into buf.
func encodeOutput(buf *bytes.Buffer, out []byte, t reflect.Type, ec2 bool) error {
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return api.ServerException("cannot read the action's output: %v", err)
	}
	e := xmlEncoder{buf: buf, ec2: ec2}
	m, _ := v.(map[string]any)
	e.members(m, derefType(t))
	return nil
}

func derefType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// members writes the members of a JSON object: in the struct's declaration
// order when t is a struct type, then any others sorted by name.
func (e xmlEncoder) members(m map[string]any, t reflect.Type) {
	done := map[string]bool{}
	if t != nil && t.Kind() == reflect.Struct {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			v, ok := m[name]
			done[name] = true
			if !ok || v == nil {
				continue
			}
			elem := name
			if x, _, _ := strings.Cut(f.Tag.Get("xml"), ","); x != "" {
				elem = x
			} else if e.ec2 {
				elem = lowerFirst(name)
			}
			e.element(elem, v, f.Type)
		}
	}
	for _, name := range sortedKeys(m) {
		if done[name] || m[name] == nil {
			continue
		}
		elem := name
		if e.ec2 {
			elem = lowerFirst(name)
		}
		e.element(elem, m[name], nil)
	}
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// element writes <name>v</name>; t is v's Go type when known.
func (e xmlEncoder) element(name string, v any, t reflect.Type) {
	t = derefType(t)
	e.buf.WriteString("<" + name + ">")
	switch val := v.(type) {
	case map[string]any:
		if t != nil && t.Kind() == reflect.Map {
			for _, k := range sortedKeys(val) {
				e.buf.WriteString("<entry><key>")
				_ = xml.EscapeText(e.buf, []byte(k))
				e.buf.WriteString("</key>")
				e.element("value", val[k], t.Elem())
				e.buf.WriteString("</entry>")
			}
		} else {
			e.members(val, t)
		}
	case []any:
		item := "member"
		if e.ec2 {
			item = "item"
		}
		var et reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			et = t.Elem()
		}
		for _, x := range val {
			if x == nil {
				continue
			}
			e.element(item, x, et)
		}
	default:
		_ = xml.EscapeText(e.buf, []byte(scalarText(val, t)))
	}
	e.buf.WriteString("</" + name + ">")
}

// scalarText writes a JSON scalar as XML text: timestamps (epoch seconds in
// JSON) in ISO 8601.
func scalarText(v any, t reflect.Type) string {
	isTime := t == timestampType || t == timeType
	switch val := v.(type) {
	case json.Number:
		if isTime {
			var ts api.Timestamp
			if err := ts.UnmarshalJSON([]byte(val)); err == nil {
				return ts.UTC().Format(isoTime)
			}
		}
		return val.String()
	case string:
		if isTime {
			if tm, err := time.Parse(time.RFC3339Nano, val); err == nil {
				return tm.UTC().Format(isoTime)
			}
		}
		return val
	case bool:
		return strconv.FormatBool(val)
	}
	return ""
}

// xmlText writes s as escaped XML character data.
func xmlText(buf *bytes.Buffer, s string) { _ = xml.EscapeText(buf, []byte(s)) }
