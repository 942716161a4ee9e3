package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/internal/jsonpos"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

// Load reads, parses and checks the scenario file at path. Input files are
// read relative to the scenario's directory. On failure the error is an
// [ErrorList] with every problem found, each with its file:line.
func Load(path string) (*Scenario, error) { return LoadWith(path, nil) }

// LoadWith is [Load] with parameter values that replace the defaults of
// the file's params block.
func LoadWith(path string, set Settings) (*Scenario, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: err.Error(), Err: err}}
	}
	return ParseWith(path, data, set)
}

// LoadFS is [Load] for a file system, such as the embedded examples: name
// and the input files it names are read from fsys.
func LoadFS(fsys fs.FS, name string) (*Scenario, error) { return LoadFSWith(fsys, name, nil) }

// LoadFSWith is [LoadFS] with parameter values that replace the defaults
// of the file's params block.
func LoadFSWith(fsys fs.FS, name string, set Settings) (*Scenario, error) {
	data, err := readFSFile(fsys, name)
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: name}, Msg: err.Error(), Err: err}}
	}
	return parse(name, data, func(rel string) (string, []byte, error) {
		p := path.Join(path.Dir(name), rel)
		b, err := readFSFile(fsys, p)
		return p, b, err
	}, set)
}

// Parse parses and checks a scenario from data; name is the file name
// that positions show, and input files are read from the operating
// system relative to its directory. On failure the error is an
// [ErrorList]. Parse never panics, whatever data holds.
func Parse(name string, data []byte) (*Scenario, error) { return ParseWith(name, data, nil) }

// ParseWith is [Parse] with parameter values that replace the defaults of
// the file's params block (see [Settings]).
func ParseWith(name string, data []byte, set Settings) (*Scenario, error) {
	return parse(name, data, func(rel string) (string, []byte, error) {
		p := rel
		if !filepath.IsAbs(rel) {
			p = filepath.Join(filepath.Dir(name), filepath.FromSlash(rel))
		}
		b, err := readFile(p)
		return p, b, err
	}, set)
}

// Validate checks the scenario file at path without running it and
// returns every problem found, each an [*Error] whose message starts with
// file:line, or nil when the file is a valid scenario. (The validate
// command, which has read the file already, calls [Parse] on its bytes.)
func Validate(path string) []error {
	_, err := Load(path)
	return errorsOf(err)
}

// Sniff reports whether data looks like a scenario file rather than
// another document (a task definition, a service definition): a YAML or
// JSON mapping with a top-level "steps" or "expect" key.
func Sniff(data []byte) bool {
	root, err := decodeYAML(data)
	if err != nil || root == nil {
		return false
	}
	top := resolve(root)
	if top == nil || top.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		if k := top.Content[i]; k.Kind == yaml.ScalarNode && (k.Value == "steps" || k.Value == "expect") {
			return true
		}
	}
	return false
}

// readFunc reads an input file named relative to the scenario; it returns
// the name to show in positions.
type readFunc func(rel string) (display string, data []byte, err error)

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// decodeYAML parses exactly one YAML document (JSON is YAML too) and
// returns its content node, or nil for an empty document. The YAML
// library is not ours; a panic in it is turned into an error.
func decodeYAML(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: cannot parse the document: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &nodeError{&extra, "a scenario file holds one YAML document; found a second one (---)"}
	} else if !errors.Is(err, io.EOF) {
		return nil, err
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil, nil
		}
		return doc.Content[0], nil
	}
	return &doc, nil
}

// parser collects the problems of one scenario file.
type parser struct {
	file   string
	anchor int // line of the step being parsed
	read   readFunc
	errs   ErrorList
	b      budget
	table  *api.Table

	actionNames []string              // the table's actions, sorted; see actions
	suggested   map[suggestKey]string // suggestions made so far; see suggest
}

func (p *parser) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: p.file}
	}
	return Pos{File: p.file, Line: n.Line, Col: n.Column}
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.add(&Error{Pos: p.pos(n), Msg: fmt.Sprintf(format, args...)})
}

// add records a problem. Problems outside the scenario file (in input
// files) are anchored at the line of the step being parsed.
func (p *parser) add(e *Error) {
	e.anchor = e.Pos.Line
	if e.Pos.File != p.file {
		e.anchor = p.anchor
	}
	p.errs = append(p.errs, e)
}

// nodeErr reports err at its node when it is a *nodeError, else at n.
func (p *parser) nodeErr(n *yaml.Node, prefix string, err error) {
	var ne *nodeError
	if errors.As(err, &ne) && ne.node != nil {
		n = ne.node
	}
	p.add(&Error{Pos: p.pos(n), Msg: prefix + err.Error(), Err: err})
}

// yamlErr reports a syntax error of the YAML library at its line.
func yamlErr(file string, err error) *Error {
	var ne *nodeError
	if errors.As(err, &ne) && ne.node != nil {
		return &Error{Pos: Pos{File: file, Line: ne.node.Line, Col: ne.node.Column}, Msg: ne.msg, Err: err}
	}
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Pos: Pos{File: file, Line: line}, Msg: "invalid YAML: " + m[2], Err: err}
	}
	return &Error{Pos: Pos{File: file}, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: "), Err: err}
}

// fields walks a mapping's keys in file order, rejecting non-string,
// duplicate and unknown keys (when known is not nil). It returns false
// when n is not a mapping.
func (p *parser) fields(n *yaml.Node, what string, known []string, fn func(key string, k, v *yaml.Node)) bool {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping (key: value), not %s", what, describeNode(n))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			p.errorf(n.Content[i], "a key of %s must be a plain string", what)
			continue
		}
		if k.Tag == "!!merge" {
			p.errorf(k, "merge keys (<<) are not supported in %s; write the keys out", what)
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "duplicate key %q in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		if known != nil && !slices.Contains(known, k.Value) {
			p.errorf(k, "unknown key %q in %s%s; %s", k.Value, what, p.suggest(k.Value, known), knownKeys(what, known))
			continue
		}
		fn(k.Value, k, v)
	}
	return true
}

// knownKeys lists the keys a mapping takes, for messages.
func knownKeys(what string, known []string) string {
	if what == expectWhat {
		return "an expectation takes at, service, deployments, tasks, " + strings.Join(deploymentKeys, ", ") +
			" and any field of the DescribeServices service shape (runningCount, desiredCount, taskDefinition, status, …)," +
			" or at, alarm and state"
	}
	return "known keys: " + strings.Join(known, ", ")
}

// describeNode names a node's kind for messages.
func describeNode(n *yaml.Node) string {
	n = resolve(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "an unsupported node"
}

// scalar returns the text of a non-null scalar.
func (p *parser) scalar(n *yaml.Node, what string) (string, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.errorf(n, "%s must be a value, not %s", what, describeNode(n))
		return "", false
	}
	return n.Value, true
}

func (p *parser) duration(n *yaml.Node, what string) (time.Duration, bool) {
	s, ok := p.scalar(n, what)
	if !ok {
		return 0, false
	}
	d, err := ParseDuration(s)
	if err != nil {
		p.errorf(n, "%s: %v", what, err)
		return 0, false
	}
	return d, true
}

func (p *parser) seq(n *yaml.Node, what string) []*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list, not %s", what, describeNode(n))
		return nil
	}
	return n.Content
}

var (
	topKeys    = []string{"name", "description", "seed", "start", "duration", "region", "accountId", "network", "images", "steps", "expect", "params", "sweep", "metrics"}
	netKeys    = []string{"subnets", "securityGroups"}
	subnetKeys = []string{"subnetId", "availabilityZone", "cidrBlock", "vpcId"}
	groupKeys  = []string{"groupId", "groupName", "vpcId"}
	stepKeys   = []string{"at", "call", "input", "inputFile", "expectError"}
)

// parse is Parse with a way to read input files.
func parse(file string, data []byte, read readFunc, set Settings) (*Scenario, error) {
	root, err := decodeYAML(data)
	if err != nil {
		return nil, ErrorList{yamlErr(file, err)}
	}
	if root == nil {
		return nil, ErrorList{{Pos: Pos{File: file}, Msg: "the scenario is empty; it needs at least a steps list"}}
	}
	w, err := ecssim.New(ecssim.Config{})
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: file}, Msg: err.Error(), Err: err}}
	}
	p := &parser{file: file, read: read, table: w.Table()}
	s := &Scenario{File: file, Seed: DefaultSeed, Start: ecssim.DefaultStart}
	base := filepath.Base(file)
	s.Name = strings.TrimSuffix(base, filepath.Ext(base))

	// Parameters first: their references are replaced throughout the
	// document before anything else reads it.
	if top := resolve(root); top != nil && top.Kind == yaml.MappingNode {
		var paramsNode, sweepNode *yaml.Node
		for i := 0; i+1 < len(top.Content); i += 2 {
			k := top.Content[i]
			switch {
			case k.Kind != yaml.ScalarNode:
			case k.Value == "params" && paramsNode == nil:
				paramsNode = top.Content[i+1]
			case k.Value == "sweep" && sweepNode == nil:
				sweepNode = top.Content[i+1]
			}
		}
		var bad map[string]bool
		if paramsNode != nil {
			s.Params, bad = p.params(paramsNode)
		}
		p.applySettings(s.Params, set, bad)
		p.substitute(root, []*yaml.Node{paramsNode, sweepNode}, s.Params, bad)
		if sweepNode != nil {
			s.Sweep = p.sweep(sweepNode, s.Params, bad)
		}
	}

	var durationNode *yaml.Node
	var stepsNode *yaml.Node
	var metricServices []metricService
	p.fields(root, "the scenario", topKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "params", "sweep":
			// Read above.
		case "name":
			if x, ok := p.scalar(v, "name"); ok {
				s.Name = x
			}
		case "description":
			if x, ok := p.scalar(v, "description"); ok {
				s.Description = x
			}
		case "seed":
			p.seed(v, s)
		case "start":
			p.start(v, s)
		case "duration":
			if d, ok := p.duration(v, "duration"); ok {
				s.Duration, durationNode = d, v
			}
		case "region":
			if x, ok := p.scalar(v, "region"); ok {
				if _, err := ecssim.New(ecssim.Config{Region: x}); err != nil {
					p.errorf(v, "region %q is not a region name such as us-east-1", x)
				} else {
					s.Region = x
				}
			}
		case "accountId":
			if x, ok := p.scalar(v, "accountId"); ok {
				if _, err := ecssim.New(ecssim.Config{AccountID: x}); err != nil {
					p.errorf(v, "accountId %q is not 12 digits", x)
				} else {
					s.AccountID = x
				}
			}
		case "network":
			p.network(v, s)
		case "images":
			p.images(v, s)
		case "steps":
			stepsNode = v
			for _, n := range p.seq(v, "steps") {
				p.step(n, s)
			}
		case "expect":
			for _, n := range p.seq(v, "expect") {
				p.expectation(n, s)
			}
		case "metrics":
			metricServices = p.metrics(v, s)
		}
	})
	p.checkMetricServices(s, metricServices)
	if resolve(root).Kind == yaml.MappingNode && stepsNode == nil {
		p.errorf(root, "the scenario has no steps list")
	}
	p.checkTimes(s, durationNode)
	if len(p.errs) > 0 {
		// Report in file order; problems in input files sort at the line
		// of the step that names them.
		slices.SortStableFunc(p.errs, func(a, b *Error) int { return a.anchor - b.anchor })
		return nil, p.errs
	}
	return s, nil
}

func (p *parser) seed(v *yaml.Node, s *Scenario) {
	x, ok := p.scalar(v, "seed")
	if !ok {
		return
	}
	n, err := strconv.ParseUint(x, 0, 64)
	if err != nil || resolve(v).ShortTag() != "!!int" {
		p.errorf(v, "seed %q must be a whole number from 0 to %d", x, uint64(1<<64-1))
		return
	}
	s.Seed = n
}

func (p *parser) start(v *yaml.Node, s *Scenario) {
	x, ok := p.scalar(v, "start")
	if !ok {
		return
	}
	var t time.Time
	var err error
	if len(x) == len("2006-01-02") {
		t, err = time.Parse("2006-01-02", x)
	} else {
		t, err = time.Parse(time.RFC3339Nano, x)
	}
	if err != nil {
		p.errorf(v, "start %q must be an RFC 3339 time such as 2026-01-01T00:00:00Z", x)
		return
	}
	if t.Before(sim.Epoch) || !t.Before(time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)) {
		p.errorf(v, "start %s must lie between the years 2000 and 2200", x)
		return
	}
	s.Start = t.UTC()
}

func (p *parser) network(v *yaml.Node, s *Scenario) {
	net := vpc.New()
	p.fields(v, "network", netKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "subnets":
			for _, n := range p.seq(v, "network.subnets") {
				var sub vpc.Subnet
				before := len(p.errs)
				ok := p.fields(n, "a subnet", subnetKeys, func(key string, k, v *yaml.Node) {
					x, _ := p.scalar(v, key)
					switch key {
					case "subnetId":
						sub.ID = x
					case "availabilityZone":
						sub.AvailabilityZone = x
					case "cidrBlock":
						sub.CIDR = x
					case "vpcId":
						sub.VpcID = x
					}
				})
				if !ok || len(p.errs) > before {
					continue
				}
				if err := net.AddSubnet(sub); err != nil {
					p.errorf(n, "subnet: %s", apiMessage(err))
					continue
				}
				s.Subnets = append(s.Subnets, sub)
			}
		case "securityGroups":
			for _, n := range p.seq(v, "network.securityGroups") {
				var g vpc.SecurityGroup
				before := len(p.errs)
				ok := p.fields(n, "a security group", groupKeys, func(key string, k, v *yaml.Node) {
					x, _ := p.scalar(v, key)
					switch key {
					case "groupId":
						g.ID = x
					case "groupName":
						g.Name = x
					case "vpcId":
						g.VpcID = x
					}
				})
				if !ok || len(p.errs) > before {
					continue
				}
				if err := net.AddSecurityGroup(g); err != nil {
					p.errorf(n, "security group: %s", apiMessage(err))
					continue
				}
				s.SecurityGroups = append(s.SecurityGroups, g)
			}
		}
	})
}

// apiMessage returns an API error's message without its code.
func apiMessage(err error) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

func (p *parser) images(v *yaml.Node, s *Scenario) {
	behav := workload.NewBehaviours()
	p.fields(v, "images", nil, func(name string, k, v *yaml.Node) {
		if name == "" {
			p.errorf(k, "an image name is empty")
			return
		}
		// Decode field by field first, so that each problem is reported
		// at its own line, in workload's own words.
		bad := false
		p.fields(v, "image "+strconv.Quote(name), nil, func(field string, fk, fv *yaml.Node) {
			js, err := toJSON(fv, &p.b)
			if err != nil {
				p.nodeErr(fv, "", err)
				bad = true
				return
			}
			key, _ := json.Marshal(field)
			var img workload.Image
			if err := json.Unmarshal([]byte("{"+string(key)+":"+string(js)+"}"), &img); err != nil {
				p.errorf(fk, "image %q: %s", name, strings.TrimPrefix(err.Error(), "image behaviour: "))
				bad = true
			}
		})
		if bad || resolve(v) == nil || resolve(v).Kind != yaml.MappingNode {
			return
		}
		js, err := toJSON(v, &p.b)
		if err != nil {
			p.nodeErr(v, "", err)
			return
		}
		var img workload.Image
		if err := json.Unmarshal(js, &img); err != nil {
			p.errorf(v, "image %q: %s", name, strings.TrimPrefix(err.Error(), "image behaviour: "))
			return
		}
		if err := behav.Set(name, img); err != nil {
			p.errorf(k, "%v", err)
			return
		}
		if s.Images == nil {
			s.Images = map[string]workload.Image{}
		}
		s.Images[name] = img
	})
}

func (p *parser) step(n *yaml.Node, s *Scenario) {
	st := Step{Pos: p.pos(n)}
	p.anchor = st.Pos.Line
	var atOK, callOK bool
	var inputNode, fileNode, callNode *yaml.Node
	ok := p.fields(n, "a step", stepKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "at":
			st.At, atOK = p.duration(v, "at")
		case "call":
			st.Call, callOK = p.scalar(v, "call")
			callNode = v
		case "input":
			inputNode = v
		case "inputFile":
			fileNode = v
		case "expectError":
			if x, ok := p.scalar(v, "expectError"); ok {
				st.ExpectError = x
			}
		}
	})
	if !ok {
		return
	}
	switch {
	case callNode == nil:
		p.errorf(n, "the step has no call; write e.g. call: ecs:CreateCluster")
	case callOK && !p.table.Has(st.Call):
		p.errorf(callNode, "unknown call %q%s", st.Call, p.suggest(st.Call, p.actions()))
		callOK = false
	}
	if !atOK && !p.hasKey(n, "at") {
		p.errorf(n, "the step has no at; write e.g. at: 0s")
	}
	if inputNode != nil && fileNode != nil {
		p.errorf(fileNode, "a step takes input or inputFile, not both")
		return
	}
	var input []byte
	var locate func(path string) Pos
	switch {
	case inputNode != nil:
		r := resolve(inputNode)
		if r != nil && r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
			input = []byte("{}")
			break
		}
		if r == nil || r.Kind != yaml.MappingNode {
			p.errorf(inputNode, "input must be a mapping (a JSON object), not %s", describeNode(inputNode))
			return
		}
		js, err := toJSON(inputNode, &p.b)
		if err != nil {
			p.nodeErr(inputNode, "input: ", err)
			return
		}
		input = js
		locate = func(path string) Pos { return p.pos(find(inputNode, path)) }
		st.Locate = locate
	case fileNode != nil:
		name, ok := p.scalar(fileNode, "inputFile")
		if !ok {
			return
		}
		st.InputFile = name
		js, loc, err := p.inputFile(name)
		if err != nil {
			p.add(&Error{Pos: p.pos(fileNode), Msg: err.Error(), Err: err})
			return
		}
		input, locate = js, loc
		st.Locate = locate
	}
	if input == nil {
		input = []byte("{}")
	}
	st.Input = input
	if callOK {
		typ, _ := p.table.InputType(st.Call)
		if _, err := api.DecodeStrict(input, typ); err != nil {
			at := st.Pos
			var ae *api.Error
			if errors.As(err, &ae) && locate != nil {
				at = locate(ae.Path)
			} else if inputNode != nil {
				at = p.pos(inputNode)
			} else if fileNode != nil {
				at = p.pos(fileNode)
			}
			p.add(&Error{Pos: at, Msg: fmt.Sprintf("%s input: %v", st.Call, err), Err: err})
		}
	}
	s.Steps = append(s.Steps, st)
}

func (p *parser) hasKey(n *yaml.Node, key string) bool {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// inputFile reads an input file: JSON as the aws CLI's --cli-input-json
// takes it (used byte for byte), or YAML as --cli-input-yaml takes it. A
// leading "file://" is dropped, so the argument given to the CLI works
// too. locate maps a JSON path to a position in the file.
func (p *parser) inputFile(name string) (json.RawMessage, func(string) Pos, error) {
	rel := strings.TrimPrefix(name, "file://")
	if rel == "" {
		return nil, nil, errors.New("inputFile is empty")
	}
	display, data, err := p.read(rel)
	if err != nil {
		return nil, nil, fmt.Errorf("inputFile %s: %v", name, err)
	}
	root, yerr := decodeYAML(data)
	locate := func(string) Pos { return Pos{File: display} }
	if yerr == nil && root != nil {
		locate = func(path string) Pos {
			n := find(root, path)
			return Pos{File: display, Line: n.Line, Col: n.Column}
		}
	}
	trimmed := bytes.TrimSpace(data)
	if json.Valid(trimmed) {
		if len(trimmed) == 0 || trimmed[0] != '{' {
			return nil, nil, fmt.Errorf("inputFile %s: the input must be a JSON object", name)
		}
		return json.RawMessage(trimmed), locate, nil
	}
	if yerr != nil {
		e := yamlErr(display, yerr)
		return nil, nil, fmt.Errorf("inputFile %s is neither JSON nor YAML: %s: %s", name, e.Pos, e.Msg)
	}
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("inputFile %s: the input must be a JSON object", name)
	}
	var b budget
	js, err := toJSON(root, &b)
	if err != nil {
		var ne *nodeError
		if errors.As(err, &ne) {
			return nil, nil, fmt.Errorf("inputFile %s: %s:%d: %s", name, display, ne.node.Line, ne.msg)
		}
		return nil, nil, fmt.Errorf("inputFile %s: %v", name, err)
	}
	return js, locate, nil
}

// find returns the node that a JSON path of an input names, as best it
// can: path is dotted with [i] indices ("a.b[1].c"). It returns the key
// node of the deepest member found (or the list element, for a path that
// ends in an index), or root when not even the first step is there.
func find(root *yaml.Node, path string) *yaml.Node {
	best, n := root, root
	for _, seg := range jsonpos.ParsePath(path) {
		n = resolve(n)
		if n == nil {
			break
		}
		if seg.IsIndex {
			if n.Kind != yaml.SequenceNode || seg.Index < 0 || seg.Index >= len(n.Content) {
				break
			}
			n = n.Content[seg.Index]
			best = n
			continue
		}
		if n.Kind != yaml.MappingNode {
			break
		}
		next := (*yaml.Node)(nil)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg.Key {
				best, next = n.Content[i], n.Content[i+1]
				break
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return best
}

// Expectation keys beyond the fields of the service shape.
const (
	keyAt          = "at"
	keyService     = "service"
	keyDeployments = "deployments"
	keyTasks       = "tasks"
	keyAlarm       = "alarm"
	keyState       = "state"
)

// alarmStates are the states an alarm expectation may expect.
// [API:cloudwatch/2010-08-01 StateValue]
var alarmStates = []string{cloudwatch.StateOK, cloudwatch.StateAlarm, cloudwatch.StateInsufficientData}

// expectWhat names an expectation in messages.
const expectWhat = "an expectation"

// deploymentKeys are expectation keys that check the PRIMARY deployment.
var deploymentKeys = []string{"rolloutState", "rolloutStateReason", "failedTasks"}

// taskStatuses are the lastStatus values a tasks expectation may count.
var taskStatuses = []string{
	ecs.StatusProvisioning, ecs.StatusPending, ecs.StatusActivating, ecs.StatusRunning,
	ecs.StatusDeactivating, ecs.StatusStopping, ecs.StatusDeprovisioning, ecs.StatusStopped,
}

// serviceFields maps the JSON names of ecs.Service to their Go types.
var serviceFields = sync.OnceValue(func() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	t := reflect.TypeFor[ecs.Service]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" && f.IsExported() {
			out[name] = f.Type
		}
	}
	return out
})

// expectKeys lists every key an expectation takes, sorted.
func expectKeys() []string {
	keys := []string{keyAt, keyService, keyTasks, keyAlarm, keyState}
	keys = append(keys, deploymentKeys...)
	for k := range serviceFields() {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func (p *parser) expectation(n *yaml.Node, s *Scenario) {
	e := Expectation{Pos: p.pos(n)}
	before := len(p.errs)
	var atOK bool
	var serviceNode, alarmNode, stateKey *yaml.Node
	var serviceKeys []*yaml.Node // keys that only a service expectation takes
	known := expectKeys()
	ok := p.fields(n, expectWhat, known, func(key string, k, v *yaml.Node) {
		c := Check{Pos: p.pos(k), Field: key}
		if key != keyAt && key != keyAlarm && key != keyState {
			serviceKeys = append(serviceKeys, k)
		}
		switch {
		case key == keyAt:
			e.At, atOK = p.duration(v, "at")
			return
		case key == keyAlarm:
			alarmNode = k
			if x, ok := p.scalar(v, "alarm"); ok {
				if x == "" || len([]rune(x)) > 255 {
					p.errorf(v, "alarm must be an alarm name of 1 to 255 characters")
					return
				}
				e.Alarm = x
			}
			return
		case key == keyState:
			stateKey = k
			x, ok := p.scalar(v, "state")
			if !ok {
				return
			}
			if !slices.Contains(alarmStates, x) {
				p.errorf(v, "state %q is not an alarm state%s; known: %s", x, p.suggest(x, alarmStates), strings.Join(alarmStates, ", "))
				return
			}
			want, _ := json.Marshal(x)
			e.Checks = append(e.Checks, Check{Pos: p.pos(k), Kind: CheckAlarmState, Field: keyState, Want: want})
			return
		case key == keyService:
			serviceNode = v
			if x, ok := p.scalar(v, "service"); ok {
				cl, svc, found := strings.Cut(x, "/")
				if !found {
					cl, svc = "default", x
				}
				if cl == "" || svc == "" || strings.Contains(svc, "/") {
					p.errorf(v, "service %q must be cluster/service, e.g. demo/web", x)
					return
				}
				e.Cluster, e.Service = cl, svc
			}
			return
		case key == keyTasks:
			p.fields(v, "tasks", nil, func(status string, sk, sv *yaml.Node) {
				if !slices.Contains(taskStatuses, status) {
					p.errorf(sk, "unknown task status %q%s; known: %s", status, p.suggest(status, taskStatuses), strings.Join(taskStatuses, ", "))
					return
				}
				want, ok := p.count(sv, "tasks."+status)
				if !ok {
					return
				}
				e.Checks = append(e.Checks, Check{Pos: p.pos(sk), Kind: CheckTasks, Field: "tasks." + status, Status: status, Want: want})
			})
			return
		case key == keyDeployments:
			c.Kind = CheckDeployments
			want, ok := p.count(v, key)
			if !ok {
				return
			}
			c.Want = want
		case slices.Contains(deploymentKeys, key):
			c.Kind = CheckDeployment
			typ := reflect.TypeFor[string]()
			if key == "failedTasks" {
				typ = reflect.TypeFor[int32]()
			}
			want, ok := p.value(v, key, typ)
			if !ok {
				return
			}
			if key == "rolloutState" {
				var st string
				_ = json.Unmarshal(want, &st)
				states := []string{ecs.RolloutInProgress, ecs.RolloutCompleted, ecs.RolloutFailed}
				if !slices.Contains(states, st) {
					p.errorf(v, "rolloutState %q is not one of %s", st, strings.Join(states, ", "))
					return
				}
			}
			c.Want = want
		default:
			c.Kind = CheckField
			want, ok := p.value(v, key, serviceFields()[key])
			if !ok {
				return
			}
			c.Want = want
		}
		e.Checks = append(e.Checks, c)
	})
	if !ok {
		return
	}
	if !atOK && !p.hasKey(n, keyAt) {
		p.errorf(n, "the expectation has no at; write e.g. at: 30m")
	}
	switch {
	case alarmNode != nil:
		for _, k := range serviceKeys {
			p.errorf(k, "an alarm expectation takes at, alarm and state, not %s; check the service in an expectation of its own", k.Value)
		}
		if stateKey == nil && len(p.errs) == before {
			p.errorf(n, "the alarm expectation checks nothing; add e.g. state: ALARM")
		}
	case stateKey != nil:
		p.errorf(stateKey, "state checks an alarm; name it with alarm: NAME (a service's state is status)")
	case serviceNode == nil:
		p.errorf(n, "the expectation has no service; write e.g. service: demo/web")
	}
	if len(e.Checks) == 0 && len(p.errs) == before {
		p.errorf(n, "the expectation checks nothing; add e.g. runningCount: 3")
	}
	s.Expect = append(s.Expect, e)
}

// count reads a non-negative whole number.
func (p *parser) count(v *yaml.Node, what string) (json.RawMessage, bool) {
	r := resolve(v)
	if r == nil || r.Kind != yaml.ScalarNode || r.ShortTag() != "!!int" {
		p.errorf(v, "%s must be a whole number, not %s", what, describeNode(v))
		return nil, false
	}
	n, err := strconv.ParseUint(r.Value, 0, 31)
	if err != nil {
		p.errorf(v, "%s must be a whole number from 0 to %d, not %s", what, 1<<31-1, r.Value)
		return nil, false
	}
	return json.RawMessage(strconv.FormatUint(n, 10)), true
}

// value converts an expected value to JSON and checks that it decodes
// into the field's Go type, so that a wrong type is found before the run.
func (p *parser) value(v *yaml.Node, key string, typ reflect.Type) (json.RawMessage, bool) {
	js, err := toJSON(v, &p.b)
	if err != nil {
		p.nodeErr(v, key+": ", err)
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(reflect.New(typ).Interface()); err != nil {
		msg := err.Error()
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			msg = fmt.Sprintf("want %s, not %s", jsonKind(te.Type), te.Value)
		}
		p.errorf(v, "%s: %s", key, strings.TrimPrefix(msg, "json: "))
		return nil, false
	}
	return js, true
}

// yamlKinds words api.JSONKind's names for someone writing YAML.
var yamlKinds = map[string]string{
	"string": "a string", "boolean": "true or false", "integer": "a whole number",
	"number": "a number", "list": "a list", "object": "a mapping",
}

// jsonKind names what a Go type takes, in a scenario file's words.
func jsonKind(t reflect.Type) string {
	if k, ok := yamlKinds[api.JSONKind(t)]; ok {
		return k
	}
	return "a mapping"
}

// checkTimes fills the default duration and rejects steps and
// expectations after an explicit one.
func (p *parser) checkTimes(s *Scenario, durationNode *yaml.Node) {
	var latest time.Duration
	for _, st := range s.Steps {
		latest = max(latest, st.At)
	}
	for _, e := range s.Expect {
		latest = max(latest, e.At)
	}
	for _, m := range s.Metrics {
		latest = max(latest, m.At)
	}
	if durationNode == nil {
		s.Duration = max(DefaultDuration, latest)
		return
	}
	for _, st := range s.Steps {
		if st.At > s.Duration {
			p.add(&Error{Pos: st.Pos, Msg: fmt.Sprintf("the step at %s is after the end of the run (duration %s)", FormatDuration(st.At), FormatDuration(s.Duration))})
		}
	}
	for _, e := range s.Expect {
		if e.At > s.Duration {
			p.add(&Error{Pos: e.Pos, Msg: fmt.Sprintf("the expectation at %s is after the end of the run (duration %s)", FormatDuration(e.At), FormatDuration(s.Duration))})
		}
	}
	p.metricTimes(s)
}

// suggest is the package's suggest, remembered per name and list, so that
// a file that makes one mistake many times pays for one search.
func (p *parser) suggest(name string, known []string) string {
	key := suggestKey{name: name, n: len(known)}
	if len(known) > 0 {
		key.first = known[0]
	}
	if s, ok := p.suggested[key]; ok {
		return s
	}
	s := suggest(name, known)
	if p.suggested == nil {
		p.suggested = map[suggestKey]string{}
	}
	p.suggested[key] = s
	return s
}

// suggestKey names a suggestion: the unknown name and the list searched,
// told apart by its length and first entry (the lists are fixed).
type suggestKey struct {
	name  string
	n     int
	first string
}

// actions returns the action names of the table, sorted, once per parse.
func (p *parser) actions() []string {
	if p.actionNames == nil {
		p.actionNames = p.table.Actions()
	}
	return p.actionNames
}

// suggest returns ` (did you mean "x"?)` for the known name closest to
// name, when one is close enough.
func suggest(name string, known []string) string {
	best, bestD, bestRaw := "", 1<<30, 1<<30
	lname := strings.ToLower(name)
	for _, k := range known {
		lk := strings.ToLower(k)
		raw := editDistance(lname, lk)
		d := raw
		switch _, act, ok := strings.Cut(lk, ":"); {
		case ok && act == lname:
			d = 0 // "CreateCluster" for "ecs:CreateCluster"
		case len(lname) >= 4 && strings.HasPrefix(lk, lname):
			d = min(d, 1) // "rollout" for "rolloutState"
		}
		// Among equals the closest by edit distance wins:
		// "DescribeServices" over "DescribeServiceDeployments" for
		// "DescribeService".
		if d < bestD || d == bestD && raw < bestRaw {
			best, bestD, bestRaw = k, d, raw
		}
	}
	if best == "" || bestD > max(2, len(name)/4) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b, by bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
