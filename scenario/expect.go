package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
)

// CheckResult is the result of one check: an assertion of an expectation,
// or a step's expectError.
type CheckResult struct {
	// At is when the check was made, after the start of the run.
	At time.Duration
	// Expectation and Check are the assertion; nil for a step's
	// expectError.
	Expectation *Expectation
	Check       *Check
	// Step is the step whose expectError this checks; nil otherwise.
	Step *Step
	// OK reports whether the check held.
	OK bool
	// Want is the expected value and Got the observed one, as text.
	Want, Got string
}

// Pos returns where the check is written.
func (r CheckResult) Pos() Pos {
	if r.Step != nil {
		return r.Step.Pos
	}
	return r.Check.Pos
}

// Subject returns what was checked: "cluster/service", or the step's
// call.
func (r CheckResult) Subject() string {
	if r.Step != nil {
		return r.Step.Call
	}
	return r.Expectation.Subject()
}

// Field returns the key checked: "runningCount", "tasks.RUNNING", or
// "expectError".
func (r CheckResult) Field() string {
	if r.Step != nil {
		return "expectError"
	}
	return r.Check.Field
}

// Message returns "field: expected X, observed Y", or "field is X" when
// the check held.
func (r CheckResult) Message() string {
	if r.OK {
		return fmt.Sprintf("%s is %s", r.Field(), r.Want)
	}
	return fmt.Sprintf("%s: expected %s, observed %s", r.Field(), r.Want, r.Got)
}

// String returns "h:mm:ss subject message (file:line)".
func (r CheckResult) String() string {
	return fmt.Sprintf("%s %s %s (%s)", Clock(r.At), r.Subject(), r.Message(), r.Pos())
}

// check makes every assertion of e against the World now.
func (r *runner) check(e *Expectation) {
	at := r.eng.Now().Sub(r.start)
	o := observe(r, e)
	results := make([]CheckResult, len(e.Checks))
	for i := range e.Checks {
		c := &e.Checks[i]
		res := CheckResult{At: at, Expectation: e, Check: c, Want: show(c.Want)}
		res.OK, res.Got = o.check(c)
		results[i] = res
	}
	r.record(results)
}

// observation is what an expectation sees of its service.
type observation struct {
	r       *runner
	e       *Expectation
	missing string // why the service could not be seen, or ""
	svc     ecs.Service
	fields  map[string]any
	primary map[string]any
	tasks   map[string]int
	taskErr string
}

func observe(r *runner, e *Expectation) *observation {
	o := &observation{r: r, e: e}
	if e.Alarm != "" {
		return o // an alarm expectation reads its alarm in check
	}
	out, err := r.w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(e.Cluster), Services: []string{e.Service}})
	switch {
	case err != nil:
		o.missing = err.Error()
		return o
	case len(out.Services) == 0:
		reason := "MISSING"
		if len(out.Failures) > 0 && out.Failures[0].Reason != nil {
			reason = *out.Failures[0].Reason
		}
		o.missing = "no such service (" + reason + ")"
		return o
	}
	o.svc = out.Services[0]
	o.fields = asMap(o.svc)
	for _, d := range o.svc.Deployments {
		if d.Status == ecs.DeploymentPrimary {
			o.primary = asMap(d)
			break
		}
	}
	return o
}

// asMap returns v as JSON decodes it, numbers kept as json.Number.
func asMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	_ = dec.Decode(&m)
	return m
}

func (o *observation) check(c *Check) (ok bool, got string) {
	if c.Kind == CheckAlarmState {
		return alarmState(o.r, o.e.Alarm, c)
	}
	if o.missing != "" {
		return false, o.missing
	}
	switch c.Kind {
	case CheckDeployments:
		n := len(o.svc.Deployments)
		return jsonEqualInt(c.Want, n), strconv.Itoa(n)
	case CheckTasks:
		if o.tasks == nil && o.taskErr == "" {
			o.tasks, o.taskErr = taskCounts(o.r, o.e)
		}
		if o.taskErr != "" {
			return false, o.taskErr
		}
		n := o.tasks[c.Status]
		return jsonEqualInt(c.Want, n), strconv.Itoa(n)
	case CheckDeployment:
		if o.primary == nil {
			return false, "no PRIMARY deployment"
		}
		v := o.primary[c.Field]
		return match(decode(c.Want), v), showValue(v)
	default:
		v := o.fields[c.Field]
		return match(decode(c.Want), v), showValue(v)
	}
}

// alarmState compares the StateValue DescribeAlarms gives for the alarm
// name with the expected one.
func alarmState(r *runner, name string, c *Check) (ok bool, got string) {
	out, err := r.w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNames: []string{name}})
	switch {
	case err != nil:
		return false, err.Error()
	case len(out.MetricAlarms) == 0:
		return false, "no such alarm"
	}
	v := out.MetricAlarms[0].StateValue
	return match(decode(c.Want), v), v
}

// taskCounts counts the service's tasks by lastStatus: those ECS still
// describes, which includes tasks stopped within the last hour.
func taskCounts(r *runner, e *Expectation) (map[string]int, string) {
	c := r.w.ECS()
	var arns []string
	for _, desired := range []string{ecs.StatusRunning, ecs.StatusStopped} {
		var token *string
		for {
			out, err := c.ListTasks(&ecs.ListTasksInput{Cluster: api.String(e.Cluster), ServiceName: api.String(e.Service),
				DesiredStatus: api.String(desired), NextToken: token})
			if err != nil {
				return nil, err.Error()
			}
			arns = append(arns, out.TaskArns...)
			if token = out.NextToken; token == nil {
				break
			}
		}
	}
	counts := map[string]int{}
	for len(arns) > 0 {
		n := min(len(arns), 100)
		out, err := c.DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String(e.Cluster), Tasks: arns[:n]})
		if err != nil {
			return nil, err.Error()
		}
		for _, t := range out.Tasks {
			counts[t.LastStatus]++
		}
		arns = arns[n:]
	}
	return counts, ""
}

func jsonEqualInt(want json.RawMessage, n int) bool {
	w, err := strconv.Atoi(string(want))
	return err == nil && w == n
}

func decode(raw json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	_ = dec.Decode(&v)
	return v
}

// match reports whether an observed JSON value matches an expected one.
// Numbers compare by value; a string matches an ARN that ends with
// "/"+string (taskDefinition: web:2), and an RFC 3339 string matches the
// epoch seconds of the same instant; a mapping matches when each of its
// keys does (other keys are not compared); a list matches a list of the
// same length whose items match in order.
func match(want, got any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return false
		}
		if g.String() == w.String() {
			return true
		}
		wf, err1 := w.Float64()
		gf, err2 := g.Float64()
		return err1 == nil && err2 == nil && wf == gf
	case string:
		switch g := got.(type) {
		case string:
			return g == w || (strings.HasPrefix(g, "arn:") && !strings.HasPrefix(w, "arn:") && strings.HasSuffix(g, "/"+w))
		case json.Number:
			t, err := time.Parse(time.RFC3339Nano, w)
			gf, err2 := g.Float64()
			return err == nil && err2 == nil && t.UnixMilli() == int64(gf*1000+0.5)
		}
		return false
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			if !match(wv, g[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !match(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// show formats an expected JSON value for messages.
func show(raw json.RawMessage) string { return showValue(decode(raw)) }

// showValue formats a JSON value for messages: strings bare, the rest as
// compact JSON (maps with sorted keys), cut at 200 bytes.
func showValue(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		s = "null (absent)"
	case string:
		s = x
		if x == "" {
			s = `""`
		}
	default:
		b, _ := json.Marshal(x)
		s = string(b)
	}
	if len(s) > 200 {
		cut := 200
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
