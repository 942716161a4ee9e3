package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// Handler is a typed action handler: AWS-shaped input struct in, output
// struct out.
type Handler[In, Out any] func(*In) (*Out, error)

// Hook observes every call that goes through a table, on either path, after
// the handler returned. in is the decoded input struct (nil when decoding
// failed), out the output (nil on error).
type Hook func(action string, in, out any, err error)

type entry struct {
	name    string
	inType  reflect.Type
	outType reflect.Type
	call    func(in any) (any, error)
}

// Table maps action names ("ecs:CreateCluster") to handlers. A Table is not
// safe for concurrent use; surfaces that are concurrent serialise access to
// the World that owns it.
type Table struct {
	entries map[string]*entry
	hooks   []Hook
}

// NewTable returns an empty table.
func NewTable() *Table { return &Table{entries: make(map[string]*entry)} }

// Register adds an action. The name must be "<service>:<Action>" and not yet
// registered; a clash is a programming error and panics at start-up.
func Register[In, Out any](t *Table, name string, h Handler[In, Out]) {
	if svc, act, ok := strings.Cut(name, ":"); !ok || svc == "" || act == "" {
		panic(fmt.Sprintf("api: action name %q is not <service>:<Action>", name))
	}
	if _, dup := t.entries[name]; dup {
		panic(fmt.Sprintf("api: action %q registered twice", name))
	}
	t.entries[name] = &entry{
		name:    name,
		inType:  reflect.TypeFor[In](),
		outType: reflect.TypeFor[Out](),
		call: func(in any) (any, error) {
			out, err := h(in.(*In))
			if err != nil {
				return nil, err
			}
			return out, nil
		},
	}
}

// AddHook registers a hook called after every call, in registration order.
func (t *Table) AddHook(h Hook) { t.hooks = append(t.hooks, h) }

// Actions returns the registered action names, sorted.
func (t *Table) Actions() []string {
	names := make([]string, 0, len(t.entries))
	for n := range t.entries {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Has reports whether the action is registered.
func (t *Table) Has(action string) bool { _, ok := t.entries[action]; return ok }

// InputType returns the Go type of an action's input struct.
func (t *Table) InputType(action string) (reflect.Type, bool) {
	e, ok := t.entries[action]
	if !ok {
		return nil, false
	}
	return e.inType, true
}

// OutputType returns the Go type of an action's output struct. Protocols
// whose wire form is not JSON (the Query and EC2 protocols) need it to
// encode the JSON output: a timestamp and a number look alike in JSON.
func (t *Table) OutputType(action string) (reflect.Type, bool) {
	e, ok := t.entries[action]
	if !ok {
		return nil, false
	}
	return e.outType, true
}

// Call runs an action with a typed input. It fails when the action is not
// registered with exactly these types.
func Call[In, Out any](t *Table, action string, in *In) (*Out, error) {
	e, ok := t.entries[action]
	if !ok {
		return nil, unknownAction(action)
	}
	if e.inType != reflect.TypeFor[In]() || e.outType != reflect.TypeFor[Out]() {
		return nil, fmt.Errorf("api: action %s takes *%s and returns *%s", action, e.inType, e.outType)
	}
	if in == nil {
		in = new(In)
	}
	out, err := t.run(e, in)
	if err != nil {
		return nil, err
	}
	return out.(*Out), nil
}

// Invoke runs an action with its JSON input and returns its JSON output.
// An empty input means "{}". Unknown fields, wrong types and trailing data
// are rejected before the handler runs, so bad input changes nothing.
func (t *Table) Invoke(action string, input []byte) ([]byte, error) {
	e, ok := t.entries[action]
	if !ok {
		return nil, unknownAction(action)
	}
	in, err := DecodeStrict(input, e.inType)
	if err != nil {
		for _, h := range t.hooks {
			h(action, nil, nil, err)
		}
		return nil, err
	}
	out, err := t.run(e, in)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, ServerException("cannot encode the %s response: %v", action, err)
	}
	return b, nil
}

func (t *Table) run(e *entry, in any) (out any, err error) {
	defer func() {
		// A panic in a handler is a bug in ecssim, never the caller's
		// fault; report it as AWS reports its own failures instead of
		// taking the process down.
		if r := recover(); r != nil {
			out, err = nil, ServerException("internal error in %s: %v", e.name, r)
		}
		for _, h := range t.hooks {
			h(e.name, in, out, err)
		}
	}()
	return e.call(in)
}

func unknownAction(action string) *Error {
	return Errorf(CodeUnknownOperation, "unknown action %q", action)
}

// DecodeStrict decodes a JSON document into a new value of type typ (which
// must be a struct type) the way the AWS CLI checks --cli-input-json:
// unknown fields and type mismatches are errors that name the field. It
// returns a pointer to the new value.
func DecodeStrict(input []byte, typ reflect.Type) (any, error) {
	v := reflect.New(typ)
	input = bytes.TrimSpace(input)
	if len(input) == 0 {
		return v.Interface(), nil
	}
	if input[0] != '{' {
		return nil, Errorf(CodeSerializationException, "the input must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v.Interface()); err != nil {
		return nil, decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, Errorf(CodeSerializationException, "unexpected data after the JSON object")
	}
	// encoding/json matches member names regardless of case; AWS does
	// not: "Name" is not "name". Check the names exactly.
	var raw any
	if err := json.Unmarshal(input, &raw); err == nil {
		if err := exactNames(raw, typ, ""); err != nil {
			return nil, err
		}
	}
	return v.Interface(), nil
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// exactNames walks a decoded JSON value along the Go type it decoded into
// and rejects any object member whose name matches a field only when case
// is ignored.
func exactNames(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || t.Implements(reflect.TypeFor[json.Unmarshaler]()) || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil
	}
	switch val := v.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Struct:
			fields := jsonFields(t)
			for _, name := range sortedNames(val) {
				ft, ok := fields[name]
				if !ok {
					p := joinPath(path, name)
					return Errorf(CodeSerializationException, "Unknown parameter in input: %q, must be one of the documented parameters", p).At(p)
				}
				if err := exactNames(val[name], ft, joinPath(path, name)); err != nil {
					return err
				}
			}
		case reflect.Map:
			for _, name := range sortedNames(val) {
				if err := exactNames(val[name], t.Elem(), joinPath(path, name)); err != nil {
					return err
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, x := range val {
				if err := exactNames(x, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// jsonFields maps a struct type's JSON member names to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
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
		out[name] = f.Type
	}
	return out
}

func sortedNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func decodeError(err error) *Error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "input"
		}
		return Errorf(CodeSerializationException,
			"Invalid type for parameter %s, value type: %s, valid types: %s",
			field, typeErr.Value, JSONKind(typeErr.Type)).At(field)
	case errors.As(err, &syntaxErr):
		return Errorf(CodeSerializationException, "invalid JSON at byte %d: %v", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Errorf(CodeSerializationException, "Unknown parameter in input: %q, must be one of the documented parameters", field).At(field)
	default:
		return Errorf(CodeSerializationException, "invalid JSON: %v", err)
	}
}

// JSONKind names the JSON type a Go type decodes from, in the words of
// AWS's serialization errors: string, boolean, integer, number, list or
// object (else the Go type's name).
func JSONKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return t.String()
}
