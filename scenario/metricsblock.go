package scenario

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
)

// MetricKind says what a user-defined metric measures.
type MetricKind int

const (
	// MetricField is a numeric field of a service (DescribeServices) at a
	// time of the run.
	MetricField MetricKind = iota + 1
	// MetricCount is the number of trace events of a type, or of ECS
	// service events of a name, over the run.
	MetricCount
)

// Metric is a metric the scenario defines in its metrics block, measured
// by `ecssim run --figures` and `ecssim sweep` after the built-in ones:
//
//	metrics:
//	  - {name: running_at_30m, service: demo/web, field: runningCount, at: 30m}
//	  - {name: placement_failures, count: SERVICE_TASK_PLACEMENT_FAILURE}
//	  - {name: target_changes, count: ELB Target Health Change}
type Metric struct {
	// Pos is where the metric is written.
	Pos  Pos
	Name string
	Kind MetricKind
	// Cluster and Service name the service: the one a MetricField reads,
	// the one whose events a MetricCount counts (empty: every event).
	Cluster, Service string
	// Field is the service's field a MetricField reads ("runningCount"),
	// "deployments" (how many it has) or "failedTasks" (of its PRIMARY
	// deployment).
	Field string
	// At is when a MetricField is read, after the start of the run.
	At time.Duration
	// Count is what a MetricCount counts: a trace event type ("ECS Task
	// State Change") or an ECS service event name
	// ("SERVICE_TASK_PLACEMENT_FAILURE").
	Count string
}

// EventNames are the names of the ECS service events ("ECS Service
// Action" and "ECS Deployment State Change") a count metric may count.
var EventNames = []string{
	"SERVICE_DEPLOYMENT_COMPLETED", "SERVICE_DEPLOYMENT_FAILED", "SERVICE_DEPLOYMENT_IN_PROGRESS",
	"SERVICE_DESIRED_COUNT_UPDATED", "SERVICE_STEADY_STATE", "SERVICE_TASK_PLACEMENT_FAILURE",
	"SERVICE_TASK_START_IMPAIRED",
}

// EventTypes are the trace event types a count metric may count; the
// first four can be counted for one service.
var EventTypes = []string{
	ecs.EventTaskStateChange, ecs.EventServiceAction, ecs.EventDeploymentStateChange, ServiceEventType,
	ecs.EventInstanceStateChange, ecs.EventZoneChange, ecs.EventAutoScaling,
	elb.EventTargetHealthChange, elb.EventLoadBalancerStateChange,
	autoscaling.EventScalingActivity, cloudwatch.EventAlarmStateChange,
}

// ServiceEventType is the trace type of a service's event messages (the
// service's events list).
const ServiceEventType = "ECS Service Event"

// PerService reports whether a count metric of the given type or event
// name can be counted for one service.
func PerService(count string) bool {
	return slices.Contains(EventNames, count) || slices.Contains(EventTypes[:4], count)
}

// BuiltinMetricNames are the names of the metrics every run has (package
// metrics defines them); a scenario's metric may not take one.
var BuiltinMetricNames = []string{
	"time_to_steady", "deploy_time", "min_running", "min_healthy", "failed_tasks", "cb_trips",
	"scaling_activities", "peak_tasks", "cost_usd", "expect_failed", "passed",
}

// metricFieldNames are what a field metric may read: the service's whole
// number fields, and two of its deployments.
var metricFieldNames = sync.OnceValue(func() []string {
	var out []string
	for name, t := range serviceFields() {
		switch t.Kind() {
		case reflect.Int, reflect.Int32, reflect.Int64:
			out = append(out, name)
		}
	}
	out = append(out, "deployments", "failedTasks")
	slices.Sort(out)
	return out
})

var metricKeys = []string{"name", "service", "field", "at", "count"}

var metricNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// metricService is a service a metric names, checked once the steps are
// known.
type metricService struct {
	node             *yaml.Node
	cluster, service string
}

// metrics parses the metrics block.
func (p *parser) metrics(v *yaml.Node, s *Scenario) []metricService {
	var named []metricService
	names := map[string]bool{}
	for i, n := range p.seq(v, "metrics") {
		what := fmt.Sprintf("metrics[%d]", i)
		m := Metric{Pos: p.pos(n)}
		var serviceNode, atNode, fieldNode *yaml.Node
		before := len(p.errs)
		ok := p.fields(n, what, metricKeys, func(key string, k, v *yaml.Node) {
			switch key {
			case "name":
				x, ok := p.scalar(v, what+".name")
				switch {
				case !ok:
				case !metricNameRE.MatchString(x):
					p.errorf(v, "%s.name %q must be lower case letters, digits and _, starting with a letter", what, x)
				case slices.Contains(BuiltinMetricNames, x):
					p.errorf(v, "%s.name %q is a built-in metric; choose another name", what, x)
				case names[x]:
					p.errorf(v, "%s.name %q is taken by an earlier metric", what, x)
				default:
					m.Name, names[x] = x, true
				}
			case "service":
				serviceNode = v
				if x, ok := p.scalar(v, what+".service"); ok {
					cl, svc, found := strings.Cut(x, "/")
					if !found {
						cl, svc = "default", x
					}
					if cl == "" || svc == "" || strings.Contains(svc, "/") {
						p.errorf(v, "%s.service %q must be cluster/service, e.g. demo/web", what, x)
						return
					}
					m.Cluster, m.Service = cl, svc
				}
			case "field":
				fieldNode = v
				if x, ok := p.scalar(v, what+".field"); ok {
					if !slices.Contains(metricFieldNames(), x) {
						p.errorf(v, "%s.field: unknown service field %q%s; fields: %s", what, x, p.suggest(x, metricFieldNames()), strings.Join(metricFieldNames(), ", "))
						return
					}
					m.Kind, m.Field = MetricField, x
				}
			case "at":
				atNode = v
				m.At, _ = p.duration(v, what+".at")
			case "count":
				if x, ok := p.scalar(v, what+".count"); ok {
					known := append(slices.Clone(EventNames), EventTypes...)
					if !slices.Contains(known, x) {
						p.errorf(v, "%s.count: unknown event %q%s; count an event name (%s) or a trace event type (%s)", what, x, p.suggest(x, known),
							strings.Join(EventNames, ", "), strings.Join(EventTypes, ", "))
						return
					}
					m.Kind, m.Count = MetricCount, x
				}
			}
		})
		if !ok {
			continue
		}
		switch {
		case m.Name == "" && !p.hasKey(n, "name"):
			p.errorf(n, "%s has no name; write e.g. name: running_at_30m", what)
		case p.hasKey(n, "field") == p.hasKey(n, "count"):
			p.errorf(n, "%s must have either field (a service's field at a time) or count (events of a type)", what)
		case p.hasKey(n, "field"):
			if serviceNode == nil {
				p.errorf(fieldNode, "%s reads field %s of no service; write e.g. service: demo/web", what, m.Field)
			}
			if atNode == nil {
				p.errorf(fieldNode, "%s reads field %s at no time; write e.g. at: 30m", what, m.Field)
			}
		default:
			if atNode != nil {
				p.errorf(atNode, "%s counts events over the whole run; at applies to field metrics", what)
			}
			if serviceNode != nil && m.Count != "" && !PerService(m.Count) {
				p.errorf(serviceNode, "%s: %q events are not counted per service; leave service out", what, m.Count)
			}
		}
		if len(p.errs) > before {
			continue
		}
		if serviceNode != nil {
			named = append(named, metricService{node: serviceNode, cluster: m.Cluster, service: m.Service})
		}
		s.Metrics = append(s.Metrics, m)
	}
	return named
}

// checkMetricServices reports the metrics that name a service no step
// creates.
func (p *parser) checkMetricServices(s *Scenario, named []metricService) {
	var known []string
	for _, st := range s.Steps {
		if st.Call != "ecs:CreateService" {
			continue
		}
		var in ecs.CreateServiceInput
		if json.Unmarshal(st.Input, &in) != nil {
			continue
		}
		cluster := cmp.Or(api.Deref(in.Cluster), "default")
		cluster = cluster[strings.LastIndexByte(cluster, '/')+1:]
		known = append(known, cluster+"/"+api.Deref(in.ServiceName))
	}
	for _, n := range named {
		name := n.cluster + "/" + n.service
		if slices.Contains(known, name) {
			continue
		}
		list := "the scenario creates no service"
		if len(known) > 0 {
			list = "services: " + strings.Join(known, ", ")
		}
		p.errorf(n.node, "no ecs:CreateService step creates service %s%s; %s", name, p.suggest(name, known), list)
	}
}

// metricTimes reports field metrics read after the end of the run.
func (p *parser) metricTimes(s *Scenario) {
	for _, m := range s.Metrics {
		if m.Kind == MetricField && m.At > s.Duration {
			p.add(&Error{Pos: m.Pos, Msg: fmt.Sprintf("metric %s is read at %s, after the end of the run (duration %s)", m.Name, FormatDuration(m.At), FormatDuration(s.Duration))})
		}
	}
}
