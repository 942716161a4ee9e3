package scenario

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParamType is the type of a scenario parameter: what values it takes and
// what a reference to it becomes in the document.
type ParamType string

// The parameter types.
const (
	// ParamInt is a whole number; `${n}` alone in a value is a YAML
	// integer (a JSON number in an input).
	ParamInt ParamType = "int"
	// ParamNumber is any finite number; `${x}` alone is a number.
	ParamNumber ParamType = "number"
	// ParamBool is true or false; `${b}` alone is a boolean.
	ParamBool ParamType = "bool"
	// ParamString is any text; `${s}` is a string.
	ParamString ParamType = "string"
	// ParamDuration is a duration as the scenario writes one (90s, 1h30m,
	// 2d); `${d}` is its text, a string.
	ParamDuration ParamType = "duration"
)

// paramTypes lists the types, for messages.
var paramTypes = []string{string(ParamInt), string(ParamNumber), string(ParamBool), string(ParamString), string(ParamDuration)}

// Param is a parameter declared in a scenario's params block.
type Param struct {
	// Pos is where the parameter is declared.
	Pos Pos
	// Name is how `${Name}` refers to it.
	Name string
	// Type is its type.
	Type ParamType
	// Default is its default value in canonical form, "" with HasDefault
	// false when it has none (then it must be set).
	Default    string
	HasDefault bool
	// Value is the value the scenario was parsed with, in canonical form:
	// the one set by the caller, else the default.
	Value string
}

// Settings are parameter values given by the caller (`ecssim run --set
// name=value`), by name, as text; they replace the defaults.
type Settings map[string]string

// paramNameRE is the form of a parameter name: a letter, then letters,
// digits and underscores.
var paramNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// paramKeys are the keys of a parameter's long form.
var paramKeys = []string{"type", "default", "description"}

// ParseSetting splits a `--set` argument "name=value".
func ParseSetting(arg string) (name, value string, err error) {
	name, value, ok := strings.Cut(arg, "=")
	if !ok || name == "" {
		return "", "", fmt.Errorf("%q must be name=value, e.g. desired=6", arg)
	}
	return name, value, nil
}

// canonical checks text against a type and returns its canonical form.
func (t ParamType) canonical(text string) (string, error) {
	switch t {
	case ParamInt:
		n, err := strconv.ParseInt(text, 0, 64)
		if err != nil {
			return "", fmt.Errorf("want a whole number, not %q", text)
		}
		return strconv.FormatInt(n, 10), nil
	case ParamNumber:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return "", fmt.Errorf("want a number, not %q", text)
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	case ParamBool:
		if text != "true" && text != "false" {
			return "", fmt.Errorf("want true or false, not %q", text)
		}
		return text, nil
	case ParamDuration:
		if _, err := ParseDuration(text); err != nil {
			return "", err
		}
		return text, nil
	}
	return text, nil
}

// yamlTag is the tag a whole-value reference takes.
func (t ParamType) yamlTag() string {
	switch t {
	case ParamInt:
		return "!!int"
	case ParamNumber:
		return "!!float"
	case ParamBool:
		return "!!bool"
	}
	return "!!str"
}

// typeOfNode infers a parameter's type from a default written alone.
func typeOfNode(n *yaml.Node) ParamType {
	switch n.ShortTag() {
	case "!!int":
		return ParamInt
	case "!!float":
		return ParamNumber
	case "!!bool":
		return ParamBool
	}
	return ParamString
}

// params parses the params block: each entry is `name: default` (the type
// is the default's YAML type) or `name: {type: T, default: V, description: D}`.
func (p *parser) params(v *yaml.Node) (params []Param, bad map[string]bool) {
	bad = map[string]bool{}
	p.fields(v, "params", nil, func(name string, k, v *yaml.Node) {
		before := len(p.errs)
		defer func() {
			if len(p.errs) > before {
				bad[name] = true
			}
		}()
		if !paramNameRE.MatchString(name) {
			p.errorf(k, "parameter name %q must be a letter followed by letters, digits or underscores", name)
			return
		}
		prm := Param{Pos: p.pos(k), Name: name}
		r := resolve(v)
		var def *yaml.Node
		switch {
		case r != nil && r.Kind == yaml.MappingNode:
			var typeNode *yaml.Node
			errs := len(p.errs)
			ok := p.fields(r, "parameter "+strconv.Quote(name), paramKeys, func(key string, _, fv *yaml.Node) {
				switch key {
				case "type":
					typeNode = fv
				case "default":
					def = fv
				case "description":
					p.scalar(fv, "description")
				}
			})
			if !ok || len(p.errs) > errs {
				return
			}
			switch {
			case typeNode != nil:
				t, ok := p.scalar(typeNode, "type")
				if !ok {
					return
				}
				if !slices.Contains(paramTypes, t) {
					p.errorf(typeNode, "parameter %q: unknown type %q%s; types: %s", name, t, p.suggest(t, paramTypes), strings.Join(paramTypes, ", "))
					return
				}
				prm.Type = ParamType(t)
			case def != nil && resolve(def) != nil:
				prm.Type = typeOfNode(resolve(def))
			default:
				p.errorf(k, "parameter %q needs a type or a default, e.g. {type: int, default: 3}", name)
				return
			}
		case r != nil && r.Kind == yaml.ScalarNode && r.ShortTag() != "!!null":
			def = r
			prm.Type = typeOfNode(r)
		default:
			p.errorf(v, "parameter %q must be a default value or a mapping {type, default, description}, not %s", name, describeNode(v))
			return
		}
		if def != nil {
			text, ok := p.scalar(def, "the default of "+name)
			if !ok {
				return
			}
			d := resolve(def)
			typed := prm.Type == ParamString || prm.Type == ParamDuration || typeOfNode(d) == prm.Type ||
				(prm.Type == ParamNumber && d.ShortTag() == "!!int")
			c, err := prm.Type.canonical(text)
			if err == nil && !typed {
				err = fmt.Errorf("want a value of type %s, not %s", prm.Type, describeNode(d))
			}
			if err != nil {
				p.errorf(def, "parameter %q: default: %v", name, err)
				return
			}
			prm.Default, prm.HasDefault, prm.Value = c, true, c
		}
		params = append(params, prm)
	})
	return params, bad
}

// applySettings replaces defaults with the caller's values; a setting for
// no parameter, or of the wrong type, is an error.
func (p *parser) applySettings(params []Param, set Settings, bad map[string]bool) {
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	slices.Sort(names)
	known := make([]string, len(params))
	for i, prm := range params {
		known[i] = prm.Name
	}
	for _, name := range names {
		i := slices.IndexFunc(params, func(prm Param) bool { return prm.Name == name })
		if i < 0 {
			if bad[name] {
				continue // declared, but its declaration has an error of its own
			}
			list := "the scenario declares no parameters"
			if len(known) > 0 {
				list = "parameters: " + strings.Join(known, ", ")
			}
			p.add(&Error{Pos: Pos{File: p.file}, Msg: fmt.Sprintf("--set %s: no parameter %q%s; %s", name, name, p.suggest(name, known), list)})
			continue
		}
		c, err := params[i].Type.canonical(set[name])
		if err != nil {
			p.add(&Error{Pos: Pos{File: p.file}, Msg: fmt.Sprintf("--set %s=%s: parameter %q is of type %s: %v", name, set[name], name, params[i].Type, err)})
			continue
		}
		params[i].Value = c
	}
	for _, prm := range params {
		if _, given := set[prm.Name]; !prm.HasDefault && !given {
			p.add(&Error{Pos: prm.Pos, Msg: fmt.Sprintf("parameter %q has no default; give it a value with --set %s=VALUE", prm.Name, prm.Name)})
		}
	}
}

// substitute replaces every `${name}` in the document's scalars (keys and
// values) outside the nodes of skip (the params and sweep blocks). A scalar that is one reference
// and nothing else takes the parameter's type; a reference inside other
// text is spliced into it, and the scalar is a string. `$${` writes a
// literal `${`.
func (p *parser) substitute(root *yaml.Node, skip []*yaml.Node, params []Param, bad map[string]bool) {
	values := map[string]Param{}
	known := make([]string, 0, len(params))
	for _, prm := range params {
		values[prm.Name] = prm
		known = append(known, prm.Name)
	}
	seen := map[*yaml.Node]bool{}
	for _, n := range skip {
		seen[n] = true
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || seen[n] || depth > 10000 {
			return
		}
		seen[n] = true
		switch n.Kind {
		case yaml.ScalarNode:
			if strings.Contains(n.Value, "${") {
				p.substituteScalar(n, values, known, bad)
			}
		case yaml.AliasNode:
			// The anchored node is walked where it is written.
		default:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
	}
	walk(root, 0)
}

// substituteScalar replaces the references of one scalar.
func (p *parser) substituteScalar(n *yaml.Node, values map[string]Param, known []string, bad map[string]bool) {
	s := n.Value
	var b strings.Builder
	whole := ParamType("")
	refs := 0
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		if i > 0 && s[i-1] == '$' {
			// "$${" is a literal "${".
			b.WriteString(s[:i-1] + "${")
			s = s[i+2:]
			refs = 2 // never a whole-value reference
			continue
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			p.errorf(n, "unterminated reference in %q: write ${name}, or $${ for a literal ${", n.Value)
			return
		}
		name := s[i+2 : i+j]
		prm, ok := values[name]
		switch {
		case ok:
		case bad[name]:
			return // reported at its declaration
		case !paramNameRE.MatchString(name):
			p.errorf(n, "invalid reference ${%s} in %q: a parameter name is a letter followed by letters, digits or underscores", name, n.Value)
			return
		default:
			list := "the scenario declares no parameters (add a params block)"
			if len(known) > 0 {
				list = "parameters: " + strings.Join(known, ", ")
			}
			p.errorf(n, "unknown parameter ${%s}%s; %s", name, p.suggest(name, known), list)
			return
		}
		b.WriteString(s[:i] + prm.Value)
		if i == 0 && j == len(s)-1 && refs == 0 {
			whole = prm.Type
		}
		refs++
		s = s[i+j+1:]
	}
	n.Value = b.String()
	n.Style = 0
	n.Tag = "!!str"
	if refs == 1 && whole != "" {
		n.Tag = whole.yamlTag()
	}
}
