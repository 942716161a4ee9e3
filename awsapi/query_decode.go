package awsapi

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
)

// Query-protocol request decoding.
//
// A Query request is a form (the POST body, or the URL query of a GET):
// "Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=web". Its
// parameters name members of the action's input shape by dotted paths:
//
//	Name=value                         a scalar member
//	Struct.Member=value                a member of a nested structure
//	List.member.N=value                element N (from 1) of a list
//	List.member.N.Member=value         a member of a list element
//	Map.entry.N.key / Map.entry.N.value one entry of a map
//	List=                              an empty list
//
// The EC2 dialect flattens lists ("SubnetId.1", "Filter.1.Value.1") and
// names members by their serialized name, which for EC2 usually differs
// from the member name ("Filter" for Filters).
// [https://smithy.io/2.0/aws/protocols/aws-query-protocol.html]
// [https://smithy.io/2.0/aws/protocols/aws-ec2-query-protocol.html]
//
// Every value arrives as a string. decodeQuery walks the action's
// registered input type and turns the form into the JSON document the
// action table takes, with each value converted to its member's JSON type,
// so the table's strict decoding and validation apply unchanged.
//
// Struct tags steer the mapping where AWS's serialized names differ from
// the JSON member names: `query:"Filter"` gives a member's parameter name,
// and `query:",flat"` marks a list serialized without ".member".

// formNode is one dotted path segment of a form: the value given for the
// path itself, if any, and the longer paths under it.
type formNode struct {
	value    *string
	children map[string]*formNode
	used     bool
}

// maxFormDepth bounds the nesting of parameter names; no AWS input shape
// nests anywhere near this deep.
const maxFormDepth = 32

// maxListIndex bounds a list index: the request body bound already limits
// how many elements can arrive; this keeps a single huge index from
// meaning anything.
const maxListIndex = 100000

// parseForm builds the parameter tree of a form, leaving out Action and
// Version.
func parseForm(form map[string][]string) (*formNode, error) {
	root := &formNode{}
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "Action" || k == "Version" {
			continue
		}
		vals := form[k]
		if len(vals) != 1 {
			return nil, queryValidation("the parameter %s is given %d times", k, len(vals))
		}
		parts := strings.Split(k, ".")
		if len(parts) > maxFormDepth {
			return nil, queryValidation("the parameter name %.80q nests too deep", k)
		}
		n := root
		for _, p := range parts {
			if p == "" {
				return nil, queryValidation("the parameter name %.80q has an empty segment", k)
			}
			if n.children == nil {
				n.children = map[string]*formNode{}
			}
			c, ok := n.children[p]
			if !ok {
				c = &formNode{}
				n.children[p] = c
			}
			n = c
		}
		v := vals[0]
		n.value = &v
	}
	return root, nil
}

// queryValidation is the error for a form that does not fit the action's
// input: AWS's Query services answer malformed input with ValidationError.
func queryValidation(format string, args ...any) *api.Error {
	return api.Errorf(codeValidationError, format, args...)
}

const codeValidationError = "ValidationError"

// decodeQuery converts a form into the JSON input of an action whose input
// struct has type typ. ec2 selects the EC2 dialect.
func decodeQuery(form map[string][]string, typ reflect.Type, ec2 bool) ([]byte, error) {
	root, err := parseForm(form)
	if err != nil {
		return nil, err
	}
	d := queryDecoder{ec2: ec2}
	v, err := d.value(root, typ, "")
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, api.ServerException("cannot encode the decoded input: %v", err)
	}
	return b, nil
}

type queryDecoder struct{ ec2 bool }

var (
	timestampType   = reflect.TypeFor[api.Timestamp]()
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// value decodes node as a value of type t. path is the parameter name so
// far, for messages.
func (d queryDecoder) value(n *formNode, t reflect.Type, path string) (any, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n.used = true
	if t == rawMessageType || t.Kind() == reflect.Interface {
		return d.scalarOnly(n, path)
	}
	if t == timestampType || t == timeType || reflect.PointerTo(t).Implements(unmarshalerType) {
		// Timestamps arrive in ISO 8601, which api.Timestamp accepts;
		// other custom types take their JSON string form.
		return d.scalarOnly(n, path)
	}
	switch t.Kind() {
	case reflect.Struct:
		return d.structValue(n, t, path)
	case reflect.Slice, reflect.Array:
		return d.listValue(n, t, path, d.ec2)
	case reflect.Map:
		return d.mapValue(n, t, path)
	}
	s, err := d.scalarOnly(n, path)
	if err != nil {
		return nil, err
	}
	return convertScalar(s, t, path)
}

// scalarOnly returns the node's value, which must have no sub-parameters.
func (d queryDecoder) scalarOnly(n *formNode, path string) (string, error) {
	if len(n.children) > 0 {
		return "", queryValidation("the parameter %s takes a single value, not %s", path, firstChild(n, path))
	}
	if n.value == nil {
		return "", nil
	}
	return *n.value, nil
}

func firstChild(n *formNode, path string) string {
	keys := sortedKeys(n.children)
	return joinName(path, keys[0])
}

func convertScalar(s string, t reflect.Type, path string) (any, error) {
	switch t.Kind() {
	case reflect.String:
		return s, nil
	case reflect.Bool:
		switch strings.ToLower(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, queryValidation("Value '%.80s' at '%s' failed to satisfy constraint: Member must be a boolean (true or false)", s, path)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil {
			return nil, queryValidation("Value '%.80s' at '%s' failed to satisfy constraint: Member must be an integer of %d bits", s, path, t.Bits())
		}
		return v, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v, err := strconv.ParseUint(s, 10, t.Bits())
		if err != nil {
			return nil, queryValidation("Value '%.80s' at '%s' failed to satisfy constraint: Member must be a non-negative integer of %d bits", s, path, t.Bits())
		}
		return v, nil
	case reflect.Float32, reflect.Float64:
		v, err := strconv.ParseFloat(s, t.Bits())
		if err != nil || v != v || v > 1e300 || v < -1e300 {
			return nil, queryValidation("Value '%.80s' at '%s' failed to satisfy constraint: Member must be a number", s, path)
		}
		return json.Number(strconv.FormatFloat(v, 'g', -1, t.Bits())), nil
	}
	return nil, api.ServerException("the input member %s has a type (%s) the Query protocol cannot carry", path, t)
}

func (d queryDecoder) structValue(n *formNode, t reflect.Type, path string) (any, error) {
	if n.value != nil && *n.value != "" {
		return nil, queryValidation("the parameter %s is a structure; give its members as %s.<Member>", path, path)
	}
	out := map[string]any{}
	for _, f := range queryFields(t) {
		c, ok := n.children[f.param]
		if !ok {
			continue
		}
		p := joinName(path, f.param)
		var v any
		var err error
		if f.isList {
			v, err = d.listValue(c, f.typ, p, d.ec2 || f.flat)
		} else {
			v, err = d.value(c, f.typ, p)
		}
		if err != nil {
			return nil, err
		}
		out[f.json] = v
	}
	for _, k := range sortedKeys(n.children) {
		if !n.children[k].used {
			p := joinName(path, k)
			if d.ec2 {
				// EC2: UnknownParameter.
				return nil, api.Errorf("UnknownParameter", "The parameter %s is not recognized", p)
			}
			return nil, queryValidation("Unknown parameter in input: %q, must be one of the documented parameters", p)
		}
	}
	return out, nil
}

// listValue decodes a list: "<path>.member.N" or, flat, "<path>.N".
func (d queryDecoder) listValue(n *formNode, t reflect.Type, path string, flat bool) (any, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n.used = true
	if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
		return d.value(n, t, path)
	}
	if t.Elem().Kind() == reflect.Uint8 {
		// []byte is a blob: base64 text, as in JSON.
		return d.scalarOnly(n, path)
	}
	if n.value != nil && *n.value != "" {
		return nil, queryValidation("the parameter %s is a list; give its elements as %s", path, listExample(path, flat))
	}
	items := n.children
	if !flat {
		if len(n.children) == 0 {
			return []any{}, nil
		}
		m, ok := n.children["member"]
		if !ok || len(n.children) != 1 {
			return nil, queryValidation("the parameter %s is a list; give its elements as %s", firstChild(n, path), listExample(path, flat))
		}
		m.used = true
		path += ".member"
		items = m.children
		if m.value != nil && *m.value != "" {
			return nil, queryValidation("the parameter %s needs an index: %s.1", path, path)
		}
	}
	type indexed struct {
		i int
		n *formNode
	}
	elems := make([]indexed, 0, len(items))
	for k, c := range items {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || i > maxListIndex || strconv.Itoa(i) != k {
			return nil, queryValidation("the list parameter %s has the index %.20q; indexes are 1, 2, 3...", path, k)
		}
		elems = append(elems, indexed{i, c})
	}
	slices.SortFunc(elems, func(a, b indexed) int { return a.i - b.i })
	out := make([]any, 0, len(elems))
	for _, e := range elems {
		v, err := d.value(e.n, t.Elem(), path+"."+strconv.Itoa(e.i))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func listExample(path string, flat bool) string {
	if flat {
		return path + ".1, " + path + ".2, ..."
	}
	return path + ".member.1, " + path + ".member.2, ..."
}

// mapValue decodes a map: "<path>.entry.N.key" and "<path>.entry.N.value".
func (d queryDecoder) mapValue(n *formNode, t reflect.Type, path string) (any, error) {
	if t.Key().Kind() != reflect.String {
		return nil, api.ServerException("the input member %s is a map whose keys are not strings", path)
	}
	out := map[string]any{}
	if len(n.children) == 0 {
		return out, nil
	}
	entries, ok := n.children["entry"]
	if !ok || len(n.children) != 1 {
		return nil, queryValidation("the parameter %s is a map; give its entries as %s.entry.1.key and %s.entry.1.value", firstChild(n, path), path, path)
	}
	entries.used = true
	for _, k := range sortedKeys(entries.children) {
		e := entries.children[k]
		e.used = true
		p := path + ".entry." + k
		if i, err := strconv.Atoi(k); err != nil || i < 1 || strconv.Itoa(i) != k {
			return nil, queryValidation("the map parameter %s.entry has the index %.20q; indexes are 1, 2, 3...", path, k)
		}
		kn, vn := e.children["key"], e.children["value"]
		if kn == nil || vn == nil || len(e.children) != 2 {
			return nil, queryValidation("the map entry %s needs exactly a key and a value", p)
		}
		key, err := d.scalarOnly(kn, p+".key")
		if err != nil {
			return nil, err
		}
		kn.used = true
		if _, dup := out[key]; dup {
			return nil, queryValidation("the map parameter %s has the key %.80q twice", path, key)
		}
		v, err := d.value(vn, t.Elem(), p+".value")
		if err != nil {
			return nil, err
		}
		out[key] = v
	}
	return out, nil
}

// queryField is one member of an input struct as the Query protocol names
// it.
type queryField struct {
	json   string // JSON member name
	param  string // parameter name on the wire
	typ    reflect.Type
	isList bool
	flat   bool
}

// queryFields lists the members of struct type t, in declaration order.
func queryFields(t reflect.Type) []queryField {
	var out []queryField
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
		qf := queryField{json: name, param: name, typ: f.Type}
		if tag, ok := f.Tag.Lookup("query"); ok {
			p, opts, _ := strings.Cut(tag, ",")
			if p != "" {
				qf.param = p
			}
			qf.flat = opts == "flat"
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		qf.isList = (ft.Kind() == reflect.Slice || ft.Kind() == reflect.Array) && ft.Elem().Kind() != reflect.Uint8
		out = append(out, qf)
	}
	return out
}

func joinName(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
