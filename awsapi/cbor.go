package awsapi

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ecssim/ecssim/api"
)

// Smithy RPC v2 CBOR.
//
// A request is a POST to /service/<ServiceName>/operation/<Operation> with
// a Smithy-Protocol: rpc-v2-cbor header and the operation's input as a
// CBOR map (RFC 8949); the answer is the output as a CBOR map, or an error
// map {"__type": ..., "message": ...}. Timestamps are tag 1 (epoch
// seconds), blobs are byte strings.
// [https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html]
//
// The endpoint decodes the CBOR input into the JSON document the action
// table takes (a tag-1 timestamp becomes epoch seconds, a byte string
// base64 text), so the table's strict decoding and validation apply
// unchanged, and encodes the JSON output as CBOR, guided by the output's Go
// type: integer members as CBOR integers, floating-point members as
// float64, timestamps as tag 1.

// maxCBORDepth bounds the nesting of a CBOR input; no AWS input shape
// nests anywhere near this deep.
const maxCBORDepth = 64

// rpcOperation returns the service and operation an RPC v2 path names:
// "/service/GraniteServiceVersion20100801/operation/DescribeAlarms". A
// prefix before /service/ (an endpoint URL with a path) is allowed.
func rpcOperation(path string) (svc, op string, ok bool) {
	i := strings.LastIndex(path, "/service/")
	if i < 0 {
		return "", "", false
	}
	svc, op, ok = strings.Cut(path[i+len("/service/"):], "/operation/")
	if !ok || svc == "" || op == "" || strings.Contains(svc, "/") || strings.Contains(op, "/") {
		return "", "", false
	}
	return svc, op, true
}

// cborToJSON decodes a CBOR request body into the JSON document of an
// action's input. An empty body is an empty input.
func cborToJSON(body []byte) ([]byte, error) {
	if len(body) == 0 {
		return []byte("{}"), nil
	}
	d := cborDecoder{p: body}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if d.off != len(d.p) {
		return nil, cborError("%d bytes follow the input's CBOR item", len(d.p)-d.off)
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, cborError("the input must be a CBOR map")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, api.Errorf(api.CodeSerializationException, "the CBOR input has no JSON form: %v", err)
	}
	return b, nil
}

func cborError(format string, args ...any) *api.Error {
	return api.Errorf(api.CodeSerializationException, "cannot decode the CBOR input: "+format, args...)
}

// cborDecoder reads CBOR data items into JSON values: map[string]any,
// []any, string, json.Number, bool and nil.
type cborDecoder struct {
	p   []byte
	off int
}

// head reads an item's initial byte and argument. For minor 31
// (indefinite length, or the break code under major 7) indef is true.
func (d *cborDecoder) head() (major byte, arg uint64, indef bool, err error) {
	if d.off >= len(d.p) {
		return 0, 0, false, cborError("the input ends early")
	}
	b := d.p[d.off]
	d.off++
	major, minor := b>>5, b&0x1f
	switch {
	case minor < 24:
		return major, uint64(minor), false, nil
	case minor == 31:
		return major, 0, true, nil
	case minor > 27:
		return 0, 0, false, cborError("reserved additional information %d", minor)
	}
	n := 1 << (minor - 24) // 1, 2, 4 or 8 bytes
	if len(d.p)-d.off < n {
		return 0, 0, false, cborError("the input ends early")
	}
	for _, c := range d.p[d.off : d.off+n] {
		arg = arg<<8 | uint64(c)
	}
	d.off += n
	return major, arg, false, nil
}

// count checks a declared length against what is left of the input, each
// element taking at least per bytes, so that no length allocates more than
// the input could fill.
func (d *cborDecoder) count(arg uint64, per int) (int, error) {
	if arg > uint64(len(d.p)-d.off)/uint64(per) {
		return 0, cborError("a length of %d exceeds the input", arg)
	}
	return int(arg), nil
}

func (d *cborDecoder) value(depth int) (any, error) {
	if depth > maxCBORDepth {
		return nil, cborError("the input nests deeper than %d", maxCBORDepth)
	}
	start := d.off
	major, arg, indef, err := d.head()
	if err != nil {
		return nil, err
	}
	switch major {
	case 0:
		return json.Number(strconv.FormatUint(arg, 10)), nil
	case 1:
		if arg > math.MaxInt64 {
			return nil, cborError("the integer -1-%d is out of range", arg)
		}
		return json.Number(strconv.FormatInt(-1-int64(arg), 10)), nil
	case 2, 3:
		s, err := d.str(major, arg, indef)
		if err != nil {
			return nil, err
		}
		if major == 2 {
			return base64.StdEncoding.EncodeToString(s), nil
		}
		return string(s), nil
	case 4:
		if !indef {
			if _, err := d.count(arg, 1); err != nil {
				return nil, err
			}
		}
		out := []any{}
		for i := 0; indef || i < int(arg); i++ {
			if indef && d.atBreak() {
				break
			}
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case 5:
		if !indef {
			if _, err := d.count(arg, 2); err != nil {
				return nil, err
			}
		}
		out := map[string]any{}
		seen := map[string]bool{}
		for i := 0; indef || i < int(arg); i++ {
			if indef && d.atBreak() {
				break
			}
			kmajor, karg, kindef, err := d.head()
			if err != nil {
				return nil, err
			}
			if kmajor != 3 {
				return nil, cborError("a map key must be a text string")
			}
			k, err := d.str(3, karg, kindef)
			if err != nil {
				return nil, err
			}
			if _, dup := seen[string(k)]; dup {
				return nil, cborError("the map key %.80q appears twice", k)
			}
			seen[string(k)] = true
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			if v != nil { // a null member is an absent one
				out[string(k)] = v
			}
		}
		return out, nil
	case 6:
		if indef {
			return nil, cborError("a tag cannot have an indefinite length")
		}
		if arg != 1 {
			return nil, cborError("the tag %d is not supported (only tag 1, epoch-seconds timestamps)", arg)
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n, ok := v.(json.Number)
		if !ok {
			return nil, cborError("a tag-1 timestamp must hold a number")
		}
		return n, nil
	}
	// Major type 7: simple values and floats.
	if indef {
		return nil, cborError("an unexpected break code")
	}
	var f float64
	switch d.p[start] & 0x1f {
	case 20:
		return false, nil
	case 21:
		return true, nil
	case 22, 23: // null, undefined
		return nil, nil
	case 25:
		f = float16(uint16(arg))
	case 26:
		f = float64(math.Float32frombits(uint32(arg)))
	case 27:
		f = math.Float64frombits(arg)
	default:
		return nil, cborError("the simple value %d is not supported", arg)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, cborError("the number %v has no JSON form", f)
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// atBreak consumes a break code (0xff) if one is next.
func (d *cborDecoder) atBreak() bool {
	if d.off < len(d.p) && d.p[d.off] == 0xff {
		d.off++
		return true
	}
	return false
}

// str reads a byte (major 2) or text (major 3) string, definite or made
// of definite chunks of its own major type.
func (d *cborDecoder) str(major byte, arg uint64, indef bool) ([]byte, error) {
	if !indef {
		n, err := d.count(arg, 1)
		if err != nil {
			return nil, err
		}
		s := d.p[d.off : d.off+n]
		d.off += n
		if major == 3 && !utf8.Valid(s) {
			return nil, cborError("a text string is not valid UTF-8")
		}
		return s, nil
	}
	var out []byte
	for !d.atBreak() {
		cmajor, carg, cindef, err := d.head()
		if err != nil {
			return nil, err
		}
		if cmajor != major || cindef {
			return nil, cborError("a chunk of an indefinite-length string must be a definite string of the same type")
		}
		c, err := d.str(major, carg, false)
		if err != nil {
			return nil, err
		}
		out = append(out, c...)
	}
	return out, nil
}

// float16 converts an IEEE 754 half-precision number.
func float16(h uint16) float64 {
	exp := int(h>>10) & 0x1f
	mant := float64(h & 0x3ff)
	var v float64
	switch exp {
	case 0:
		v = math.Ldexp(mant, -24)
	case 31:
		if mant == 0 {
			v = math.Inf(1)
		} else {
			v = math.NaN()
		}
	default:
		v = math.Ldexp(mant+1024, exp-25)
	}
	if h&0x8000 != 0 {
		return -v
	}
	return v
}

// jsonToCBOR encodes an action's JSON output, whose Go type is t, as CBOR.
func jsonToCBOR(out []byte, t reflect.Type) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, api.ServerException("cannot read the action's output: %v", err)
	}
	if v == nil {
		v = map[string]any{}
	}
	return cborValue(nil, v, derefType(t)), nil
}

// cborValue appends v, whose Go type is t when known, to b.
func cborValue(b []byte, v any, t reflect.Type) []byte {
	t = derefType(t)
	switch val := v.(type) {
	case map[string]any:
		isMap := t != nil && t.Kind() == reflect.Map
		var fields map[string]reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			fields = memberTypes(t)
		}
		keys := sortedKeys(val)
		n := 0
		for _, k := range keys {
			if val[k] != nil {
				n++
			}
		}
		b = cborHead(b, 5, uint64(n))
		for _, k := range keys {
			if val[k] == nil {
				continue
			}
			b = cborText(b, k)
			ft := fields[k]
			if isMap {
				ft = t.Elem()
			}
			b = cborValue(b, val[k], ft)
		}
		return b
	case []any:
		var et reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			et = t.Elem()
		}
		b = cborHead(b, 4, uint64(len(val)))
		for _, x := range val {
			b = cborValue(b, x, et)
		}
		return b
	case string:
		if t != nil && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			if raw, err := base64.StdEncoding.DecodeString(val); err == nil {
				b = cborHead(b, 2, uint64(len(raw)))
				return append(b, raw...)
			}
		}
		return cborText(b, val)
	case bool:
		if val {
			return append(b, 0xf5)
		}
		return append(b, 0xf4)
	case json.Number:
		if t == timestampType || t == timeType {
			f, _ := val.Float64()
			b = append(b, 0xc1) // tag 1: epoch seconds
			return cborFloat(b, f)
		}
		isFloat := t != nil && (t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64)
		if !isFloat {
			if i, err := val.Int64(); err == nil {
				if i < 0 {
					return cborHead(b, 1, uint64(-1-i))
				}
				return cborHead(b, 0, uint64(i))
			}
		}
		f, _ := val.Float64()
		return cborFloat(b, f)
	}
	return append(b, 0xf6) // null
}

// memberTypesCache maps a struct type to its members' Go types by JSON
// name; output types are few and fixed, so it stays small.
var memberTypesCache sync.Map // reflect.Type → map[string]reflect.Type

// memberTypes returns the Go types of struct type t's members by JSON
// name.
func memberTypes(t reflect.Type) map[string]reflect.Type {
	if m, ok := memberTypesCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for _, f := range queryFields(t) {
		m[f.json] = f.typ
	}
	memberTypesCache.Store(t, m)
	return m
}

// cborHead appends an item head of the given major type and argument.
func cborHead(b []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(b, m|byte(n))
	case n <= math.MaxUint8:
		return append(b, m|24, byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, m|25), uint16(n))
	case n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, m|26), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, m|27), n)
}

// cborFloat appends f as a float64.
func cborFloat(b []byte, f float64) []byte {
	return binary.BigEndian.AppendUint64(append(b, 0xfb), math.Float64bits(f))
}

// cborText appends s as a CBOR text string (major type 3).
func cborText(b []byte, s string) []byte {
	b = cborHead(b, 3, uint64(len(s)))
	return append(b, s...)
}

// writeCBOR sends a successful CBOR answer.
func writeCBOR(rw http.ResponseWriter, body []byte) {
	rw.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	rw.Header().Set("Content-Type", "application/cbor")
	_, _ = rw.Write(body)
}

// writeCBORError sends an error in the Smithy RPC v2 CBOR protocol: a CBOR
// map {"__type": type, "message": message}, with the status and, for a
// service compatible with the Query protocol, the X-Amzn-Query-Error
// header of svc (nil: a request no simulated service answers).
func writeCBORError(rw http.ResponseWriter, svc *service, err error) {
	var e *api.Error
	if !errors.As(err, &e) {
		e = api.ServerException("%v", err)
	}
	typ, status := svc.wireError(e, rw.Header())
	b := []byte{0xa2} // a map of two pairs
	b = cborText(b, "__type")
	b = cborText(b, typ)
	b = cborText(b, "message")
	b = cborText(b, e.Message)
	rw.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	rw.Header().Set("Content-Type", "application/cbor")
	rw.WriteHeader(status)
	_, _ = rw.Write(b)
}
