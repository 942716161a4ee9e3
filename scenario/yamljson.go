package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// maxNodes bounds how many YAML nodes the aliases of one file may expand
// to, counting each node every time an alias repeats it: a few aliased
// lists nest into billions of nodes ("billion laughs"). Nodes written out
// in the file are not counted: MaxFileSize already bounds them.
const maxNodes = 1 << 20

// budget counts the nodes that aliases expand to, across one file.
type budget struct{ n int }

func (b *budget) take(n *yaml.Node) error {
	b.n++
	if b.n > maxNodes {
		return &nodeError{n, fmt.Sprintf("aliases (*name) in the document expand to more than %s nodes; write the repeated parts out or alias less deeply", FormatCount(maxNodes))}
	}
	return nil
}

// nodeError is a problem at a YAML node.
type nodeError struct {
	node *yaml.Node
	msg  string
}

func (e *nodeError) Error() string { return e.msg }

// resolve follows aliases to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// toJSON encodes a YAML node as JSON: mappings become objects (keys in
// file order), sequences arrays, and scalars what their YAML tag says. It
// rejects what JSON cannot say: non-string keys, duplicate keys, merge
// keys, NaN and infinities, and tags other than YAML's core schema.
func toJSON(n *yaml.Node, b *budget) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeJSON(&buf, n, b, 0, false); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeJSON writes n as JSON; aliased is set below an alias, where every
// node counts against the budget.
func writeJSON(buf *bytes.Buffer, n *yaml.Node, b *budget, depth int, aliased bool) error {
	if depth > 200 {
		return &nodeError{n, "the document nests deeper than 200 levels"}
	}
	if n.Kind == yaml.AliasNode {
		if err := b.take(n); err != nil {
			return err
		}
		r := resolve(n)
		if r == nil || r.Kind == yaml.AliasNode {
			return &nodeError{n, "alias " + strconv.Quote(n.Value) + " does not resolve"}
		}
		return writeJSON(buf, r, b, depth+1, true)
	}
	if aliased {
		if err := b.take(n); err != nil {
			return err
		}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			buf.WriteString("null")
			return nil
		}
		return writeJSON(buf, n.Content[0], b, depth+1, aliased)
	case yaml.MappingNode:
		buf.WriteByte('{')
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolve(n.Content[i])
			if k == nil || k.Kind != yaml.ScalarNode {
				return &nodeError{n.Content[i], "a mapping key must be a plain string"}
			}
			if k.Tag == "!!merge" {
				return &nodeError{k, "merge keys (<<) are not supported; write the fields out"}
			}
			if seen[k.Value] {
				return &nodeError{k, "duplicate key " + strconv.Quote(k.Value)}
			}
			seen[k.Value] = true
			if i > 0 {
				buf.WriteByte(',')
			}
			key, _ := json.Marshal(k.Value)
			buf.Write(key)
			buf.WriteByte(':')
			if err := writeJSON(buf, n.Content[i+1], b, depth+1, aliased); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, c, b, depth+1, aliased); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	case yaml.ScalarNode:
		v, err := scalarJSON(n)
		if err != nil {
			return err
		}
		buf.Write(v)
		return nil
	}
	return &nodeError{n, "unsupported YAML node"}
}

// scalarJSON encodes one scalar by its resolved tag.
func scalarJSON(n *yaml.Node) ([]byte, error) {
	switch n.ShortTag() {
	case "!!str", "!!timestamp", "!!binary":
		return json.Marshal(n.Value)
	case "!!null":
		return []byte("null"), nil
	case "!!bool":
		var v bool
		if err := n.Decode(&v); err != nil {
			return nil, &nodeError{n, "not a boolean: " + strconv.Quote(n.Value)}
		}
		return strconv.AppendBool(nil, v), nil
	case "!!int":
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, &nodeError{n, "integer " + n.Value + " is out of range"}
		}
		switch x := v.(type) {
		case int:
			return strconv.AppendInt(nil, int64(x), 10), nil
		case int64:
			return strconv.AppendInt(nil, x, 10), nil
		case uint64:
			return strconv.AppendUint(nil, x, 10), nil
		}
		return nil, &nodeError{n, "integer " + n.Value + " is out of range"}
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, &nodeError{n, "not a number: " + strconv.Quote(n.Value)}
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, &nodeError{n, n.Value + " is not a JSON number"}
		}
		return json.Marshal(f)
	}
	return nil, &nodeError{n, "unsupported YAML tag " + n.Tag}
}
