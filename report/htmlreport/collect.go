package htmlreport

import (
	"github.com/ecssim/ecssim/internal/records"
	"github.com/ecssim/ecssim/workload"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/catalog"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/report"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sim"
)

// Collector gathers what a report shows while a World runs: it observes
// the trace, and reads the services' desired counts after each ECS call
// that may change them (scaling activities say theirs). Make one with
// [Attach].
type Collector struct {
	w     *ecssim.World
	start sim.Time

	services map[string]*Service // by "cluster/service"
	tasks    map[string]*openTask
	tgs      map[string]*tgState
	alarms   map[string]*Alarm
	alarmSeq []*Alarm
	clusters map[string]*clusterState
	events   []Event
	sizes    map[string][2]int        // task definition ARN -> CPU units, MiB of its containers
	traffic  map[string][]trafficSpan // by service: the loads sim:SetTraffic gave, in order

	err       error
	removeObs func()
}

// trafficSpan is a load a service follows from a time on.
type trafficSpan struct {
	from  time.Duration
	shape workload.Shape
}

type openTask struct {
	t       *Task
	service string
	state   string // current bar state
	cluster string // EC2: the cluster whose instance holds it
}

type tgState struct {
	tg      *TargetGroup
	targets map[string]string // "id:port" -> state
	arn     string
}

type clusterState struct {
	c         *Cluster
	instances map[string]instanceState // by container instance ARN
	cpu, mem  float64                  // reserved by tasks
}

type instanceState struct{ cpu, mem float64 }

// Attach starts collecting from w: it observes w's trace. Call it before
// the World runs; it reads only, so the run is the same with or without
// it.
func Attach(w *ecssim.World) *Collector {
	c := &Collector{
		w:        w,
		start:    w.Engine().Now(),
		services: map[string]*Service{},
		tasks:    map[string]*openTask{},
		tgs:      map[string]*tgState{},
		alarms:   map[string]*Alarm{},
		clusters: map[string]*clusterState{},
		sizes:    map[string][2]int{},
		traffic:  map[string][]trafficSpan{},
	}
	c.removeObs = w.Trace().Observe(c.Record)
	return c
}

func (c *Collector) at(t sim.Time) time.Duration { return t.Sub(c.start) }

func (c *Collector) service(name string) *Service {
	s := c.services[name]
	if s == nil {
		s = &Service{Name: name}
		c.services[name] = s
	}
	return s
}

// Record takes one trace record into account.
func (c *Collector) Record(r sim.Record) {
	at := c.at(r.Time)
	switch r.Type {
	case report.TypeAPICall:
		// A call is recorded once it has returned: the World can be read.
		var d struct {
			Action    string `json:"action"`
			ErrorCode string `json:"errorCode"`
		}
		if a, ok := r.Detail.(ecssim.APICall); ok {
			d.Action, d.ErrorCode = a.Action, a.ErrorCode
		} else if !records.Decode(r, &d) {
			return
		}
		if strings.HasPrefix(d.Action, "ecs:") && d.ErrorCode == "" {
			c.sampleDesired(at)
		}
		if d.Action == "sim:SetTraffic" && d.ErrorCode == "" {
			c.sampleTraffic(at)
		}
	case report.TypeServiceEvent:
		d, ok := records.Detail[ecs.ServiceEventDetail](r)
		if !ok {
			return
		}
		name := ""
		if len(r.Resources) > 0 {
			name = records.ServiceName(r.Resources[0])
		}
		c.events = append(c.events, Event{At: at, Service: name, Message: d.Message})
	case ecs.EventTaskStateChange:
		d, ok := records.Detail[ecs.TaskStateChange](r)
		if ok {
			c.task(at, d)
		}
	case ecs.EventDeploymentStateChange:
		d, ok := records.Detail[ecs.DeploymentStateChange](r)
		if !ok || len(r.Resources) == 0 {
			return
		}
		s := c.service(records.ServiceName(r.Resources[0]))
		m := Marker{At: at, Text: d.DeploymentId + " " + strings.ToLower(strings.TrimPrefix(d.EventName, "SERVICE_DEPLOYMENT_"))}
		if d.Reason != "" {
			m.Text += ": " + d.Reason
		}
		switch d.EventName {
		case "SERVICE_DEPLOYMENT_IN_PROGRESS":
			m.Kind = MarkDeploymentStart
			if strings.Contains(d.Reason, "rolling back") {
				m.Kind = MarkRollback
			}
		case "SERVICE_DEPLOYMENT_COMPLETED":
			m.Kind = MarkCompleted
		case "SERVICE_DEPLOYMENT_FAILED":
			m.Kind = MarkFailed
		default:
			return
		}
		s.Deployments = append(s.Deployments, m)
	case autoscaling.EventScalingActivity:
		d, ok := records.Detail[autoscaling.ActivityDetail](r)
		if !ok {
			return
		}
		name, isSvc := strings.CutPrefix(d.ResourceId, "service/")
		if !isSvc {
			return
		}
		s := c.service(name)
		kind := MarkScaleOut
		if d.To < d.From {
			kind = MarkScaleIn
		}
		text := "desired count " + strconv.Itoa(d.From) + " → " + strconv.Itoa(d.To) + ": " + d.Cause
		if d.StatusCode != "Successful" {
			text += " (" + d.StatusCode + ")"
		}
		s.Scaling = append(s.Scaling, Marker{At: at, Kind: kind, Text: text})
		if d.StatusCode == "Successful" {
			s.Desired = addStep(s.Desired, at, float64(d.To))
		}
	case elb.EventTargetHealthChange:
		d, ok := records.Detail[elb.TargetHealthChange](r)
		if ok {
			c.target(at, d)
		}
	case cloudwatch.EventAlarmStateChange:
		d, ok := records.Detail[cloudwatch.AlarmStateChange](r)
		if !ok {
			return
		}
		a := c.alarms[d.AlarmName]
		if a == nil {
			a = &Alarm{Name: d.AlarmName}
			c.alarms[d.AlarmName] = a
			c.alarmSeq = append(c.alarmSeq, a)
			if d.PreviousState.Value != "" {
				a.States = append(a.States, AlarmState{At: 0, State: d.PreviousState.Value})
			}
		}
		a.States = append(a.States, AlarmState{At: at, State: d.State.Value, Reason: d.State.Reason})
	case ecs.EventInstanceStateChange:
		d, ok := records.Detail[ecs.InstanceStateChange](r)
		if ok {
			c.instance(at, d)
		}
	}
}

// sampleDesired reads every service's desired count.
func (c *Collector) sampleDesired(at time.Duration) {
	svcs, err := scenario.Services(c.w)
	if err != nil {
		if c.err == nil {
			c.err = err
		}
		return
	}
	for _, sv := range svcs {
		s := c.service(records.ServiceName(sv.ServiceArn))
		v := float64(sv.DesiredCount)
		if sv.Status == "INACTIVE" {
			v = 0
		}
		s.Desired = addStep(s.Desired, at, v)
	}
}

// sampleTraffic reads the load of every service seen so far and notes
// the ones that changed (a call names one service, but the trace's record
// of the call does not say which).
func (c *Collector) sampleTraffic(at time.Duration) {
	for name := range c.services {
		cluster, svc, _ := strings.Cut(name, "/")
		out, err := c.w.ECS().DescribeTraffic(&ecs.DescribeTrafficInput{Cluster: api.String(cluster), Service: api.String(svc)})
		if err != nil || out.Traffic == nil {
			continue // gone, or given no load
		}
		spans := c.traffic[name]
		if n := len(spans); n > 0 && spans[n-1].shape.String() == out.Traffic.Shape.String() {
			continue
		}
		c.traffic[name] = append(spans, trafficSpan{from: at, shape: out.Traffic.Shape})
	}
}

// trafficSamples returns a service's request rate once a minute from its
// first load to end. A shape's time is the time since the start of the
// simulation, which is when the collector was attached.
func trafficSamples(spans []trafficSpan, end time.Duration) []Sample {
	if len(spans) == 0 {
		return nil
	}
	var out []Sample
	i := 0
	for t := spans[0].from.Truncate(time.Minute); t <= end; t += time.Minute {
		for i+1 < len(spans) && spans[i+1].from <= t {
			i++
		}
		if t < spans[i].from {
			continue
		}
		out = append(out, Sample{At: t, Value: spans[i].shape.Rate(t)})
	}
	return out
}

// barState is the bar state of a task status and health.
func barState(status, health string) string {
	switch status {
	case ecs.StatusRunning:
		switch health {
		case ecs.HealthHealthy:
			return StateHealthy
		case ecs.HealthUnhealthy:
			return StateUnhealthy
		}
		return StateRunning
	case ecs.StatusDeactivating, ecs.StatusStopping, ecs.StatusDeprovisioning:
		return StateStopping
	}
	return StatePending
}

func (c *Collector) task(at time.Duration, d ecs.TaskStateChange) {
	ot := c.tasks[d.TaskArn]
	if ot == nil {
		name := records.ServiceName(records.ServiceARN(d.ClusterArn, d.Group))
		if name == "" || d.LastStatus == ecs.StatusStopped {
			return
		}
		cpu, mem := c.taskSize(d)
		ot = &openTask{service: name, t: &Task{
			ID: records.LastPart(d.TaskArn), TaskDefinition: records.LastPart(d.TaskDefinitionArn), CPU: cpu, Memory: mem,
			Billed: -1, Spot: d.CapacityProviderName == "FARGATE_SPOT",
		}}
		c.tasks[d.TaskArn] = ot
		s := c.service(name)
		s.Tasks = append(s.Tasks, ot.t)
		if !slices.Contains(s.Revisions, ot.t.TaskDefinition) {
			s.Revisions = append(s.Revisions, ot.t.TaskDefinition)
		}
	}
	if ot.cluster == "" && d.ContainerInstanceArn != "" && d.LastStatus != ecs.StatusStopped {
		ot.cluster = clusterOfInstance(d.ContainerInstanceArn)
		c.reserve(at, ot.cluster, float64(ot.t.CPU), float64(ot.t.Memory))
	}
	// Fargate bills from the start of the image pull. [https://aws.amazon.com/fargate/pricing/]
	if ot.t.Billed < 0 && d.LaunchType == "FARGATE" && d.LastStatus != ecs.StatusProvisioning && d.LastStatus != ecs.StatusStopped {
		ot.t.Billed = at
	}
	if d.LastStatus == ecs.StatusStopped {
		ot.t.Stopped = at
		ot.t.StopCode, ot.t.StopReason = d.StopCode, d.StoppedReason
		if ot.cluster != "" {
			c.reserve(at, ot.cluster, -float64(ot.t.CPU), -float64(ot.t.Memory))
		}
		delete(c.tasks, d.TaskArn)
		return
	}
	if st := barState(d.LastStatus, d.HealthStatus); st != ot.state {
		ot.state = st
		ot.t.Segments = append(ot.t.Segments, Segment{At: at, State: st})
	}
}

// taskSize returns the CPU units and MiB a task reserves: the task's
// size, or, when the task has none (tasks on EC2 may size only their
// containers), the sum of its containers' cpu and memory (or
// memoryReservation), from its task definition.
func (c *Collector) taskSize(d ecs.TaskStateChange) (cpu, mem int) {
	cpu, _ = strconv.Atoi(d.Cpu)
	mem, _ = strconv.Atoi(d.Memory)
	if d.Cpu != "" && d.Memory != "" {
		return cpu, mem
	}
	sz, ok := c.sizes[d.TaskDefinitionArn]
	if !ok {
		out, err := c.w.ECS().DescribeTaskDefinition(&ecs.DescribeTaskDefinitionInput{TaskDefinition: api.String(d.TaskDefinitionArn)})
		if err == nil {
			for _, ct := range out.TaskDefinition.ContainerDefinitions {
				sz[0] += int(api.Deref(ct.Cpu))
				m := api.Deref(ct.Memory)
				if m == 0 {
					m = api.Deref(ct.MemoryReservation)
				}
				sz[1] += int(m)
			}
		}
		c.sizes[d.TaskDefinitionArn] = sz
	}
	if d.Cpu == "" {
		cpu = sz[0]
	}
	if d.Memory == "" {
		mem = sz[1]
	}
	return cpu, mem
}

func (c *Collector) target(at time.Duration, d elb.TargetHealthChange) {
	ts := c.tgs[d.TargetGroupArn]
	if ts == nil {
		ts = &tgState{tg: &TargetGroup{Name: tgName(d.TargetGroupArn)}, targets: map[string]string{}, arn: d.TargetGroupArn}
		c.tgs[d.TargetGroupArn] = ts
	}
	key := d.TargetId + ":" + strconv.Itoa(int(d.Port))
	if d.State == "" || d.State == "unused" && d.PreviousState != "" && d.Reason == "Target.NotRegistered" {
		delete(ts.targets, key)
	} else {
		ts.targets[key] = d.State
	}
	var h, u, o float64
	for _, st := range ts.targets {
		switch st {
		case "healthy":
			h++
		case "unhealthy":
			u++
		default:
			o++
		}
	}
	g := ts.tg
	g.Healthy = addStep(g.Healthy, at, h)
	g.Unhealthy = addStep(g.Unhealthy, at, u)
	g.Other = addStep(g.Other, at, o)
}

// addStep appends a change to a step function, replacing a change at the
// same instant and skipping one that changes nothing.
func addStep(s []Step, at time.Duration, v float64) []Step {
	n := len(s)
	if n > 0 && s[n-1].At == at {
		s[n-1].Value = v
		if n > 1 && s[n-2].Value == v {
			return s[:n-1]
		}
		return s
	}
	if n > 0 && s[n-1].Value == v {
		return s
	}
	if n == 0 && v == 0 && at > 0 {
		return append(s, Step{At: 0, Value: 0})
	}
	return append(s, Step{At: at, Value: v})
}

func (c *Collector) cluster(name string) *clusterState {
	cs := c.clusters[name]
	if cs == nil {
		cs = &clusterState{c: &Cluster{Name: name}, instances: map[string]instanceState{}}
		c.clusters[name] = cs
	}
	return cs
}

func (c *Collector) instance(at time.Duration, d ecs.InstanceStateChange) {
	cs := c.cluster(records.LastPart(d.ClusterArn))
	switch d.Status {
	case "ACTIVE", "DRAINING":
		var is instanceState
		for _, r := range d.RegisteredResources {
			switch r.Name {
			case "CPU":
				is.cpu = float64(r.IntegerValue)
			case "MEMORY":
				is.mem = float64(r.IntegerValue)
			}
		}
		cs.instances[d.ContainerInstanceArn] = is
	default:
		delete(cs.instances, d.ContainerInstanceArn)
	}
	c.clusterSteps(at, cs)
}

func (c *Collector) reserve(at time.Duration, cluster string, cpu, mem float64) {
	cs := c.cluster(cluster)
	cs.cpu += cpu
	cs.mem += mem
	c.clusterSteps(at, cs)
}

func (c *Collector) clusterSteps(at time.Duration, cs *clusterState) {
	var cpu, mem float64
	for _, is := range cs.instances {
		cpu += is.cpu
		mem += is.mem
	}
	cs.c.Instances = addStep(cs.c.Instances, at, float64(len(cs.instances)))
	pct := func(used, total float64) float64 {
		if total <= 0 {
			return 0
		}
		return float64(int(used/total*1000+0.5)) / 10
	}
	cs.c.CPUReserved = addStep(cs.c.CPUReserved, at, pct(cs.cpu, cpu))
	cs.c.MemoryReserved = addStep(cs.c.MemoryReserved, at, pct(cs.mem, mem))
}

// Options are what a report shows beyond the run itself.
type Options struct {
	Title, Subtitle string
	// Expectations are the scenario's checks, if any.
	Expectations []Expectation
}

// Build stops collecting and returns the report's data: what the trace
// told, the desired counts, and what the World holds at the end (the
// utilization metrics, the target tracking targets, the requests per
// target and the costs).
func (c *Collector) Build(opts Options) (*Data, error) {
	c.removeObs()
	c.sampleDesired(c.at(c.w.Engine().Now()))
	if c.err != nil {
		return nil, c.err
	}
	end := c.at(c.w.Engine().Now())
	d := &Data{Title: opts.Title, Subtitle: opts.Subtitle, End: end, Expectations: opts.Expectations, Events: c.events}

	names := make([]string, 0, len(c.services))
	for n := range c.services {
		names = append(names, n)
	}
	slices.Sort(names)
	svcs, err := scenario.Services(c.w)
	if err != nil {
		return nil, err
	}
	tgOf := map[string]string{} // target group ARN -> service name
	for _, sv := range svcs {
		for _, lb := range sv.LoadBalancers {
			if arn := api.Deref(lb.TargetGroupArn); arn != "" {
				if _, ok := tgOf[arn]; !ok {
					tgOf[arn] = records.ServiceName(sv.ServiceArn)
				}
			}
		}
	}
	targets, err := c.targets()
	if err != nil {
		return nil, err
	}
	cw := c.w.CloudWatch()
	for _, n := range names {
		s := c.services[n]
		cluster, name, _ := strings.Cut(n, "/")
		dims := []cloudwatch.Dimension{{Name: api.String("ClusterName"), Value: api.String(cluster)}, {Name: api.String("ServiceName"), Value: api.String(name)}}
		if s.CPU, err = c.metric(cw, "AWS/ECS", "CPUUtilization", "Average", dims); err != nil {
			return nil, err
		}
		if s.Memory, err = c.metric(cw, "AWS/ECS", "MemoryUtilization", "Average", dims); err != nil {
			return nil, err
		}
		t := targets[n]
		s.CPUTarget, s.MemoryTarget, s.RequestsTarget = t.cpu, t.mem, t.requests
		s.Traffic = trafficSamples(c.traffic[n], end)
		d.Services = append(d.Services, s)
	}
	tgARNs := make([]string, 0, len(c.tgs))
	for arn := range c.tgs {
		tgARNs = append(tgARNs, arn)
	}
	slices.Sort(tgARNs)
	for _, arn := range tgARNs {
		ts := c.tgs[arn]
		s := c.services[tgOf[arn]]
		if s == nil {
			continue
		}
		dim := arn[strings.LastIndexByte(arn, ':')+1:]
		if ts.tg.RequestsPerTarget, err = c.metric(cw, "AWS/ApplicationELB", "RequestCountPerTarget", "Sum",
			[]cloudwatch.Dimension{{Name: api.String("TargetGroup"), Value: api.String(dim)}}); err != nil {
			return nil, err
		}
		s.TargetGroups = append(s.TargetGroups, ts.tg)
	}
	d.Alarms = c.alarmSeq
	cl := make([]string, 0, len(c.clusters))
	for n, cs := range c.clusters {
		if len(cs.c.Instances) > 0 {
			cl = append(cl, n)
		}
	}
	slices.Sort(cl)
	for _, n := range cl {
		d.Clusters = append(d.Clusters, c.clusters[n].c)
	}
	costs, err := c.w.ECS().DescribeCosts(&ecs.DescribeCostsInput{})
	if err != nil {
		return nil, err
	}
	for _, e := range costs.Costs {
		name := e.Cluster
		if e.Service != "" {
			name += "/" + e.Service
			if s := c.services[name]; s != nil {
				s.Cost = c.costCurve(s, end, e.USD)
			}
		}
		d.Costs = append(d.Costs, Cost{Name: name, TaskHours: e.TaskHours, InstanceHours: e.InstanceHours, USD: e.USD})
	}
	return d, nil
}

// costCurve returns a service's cost over time: each Fargate task adds
// its hourly price from its billing start to its stop. The curve is then
// scaled to end at total, what DescribeCosts says, which also counts
// what the curve leaves out (the one-minute minimum, ARM prices).
func (c *Collector) costCurve(s *Service, end time.Duration, total float64) []Sample {
	if total <= 0 {
		return nil
	}
	prices := catalog.DefaultPrices()
	if p := c.w.Config().Prices; p != nil {
		prices = *p
	}
	type change struct {
		at   time.Duration
		rate float64 // USD per hour
	}
	var ch []change
	for _, t := range s.Tasks {
		if t.Billed < 0 {
			continue
		}
		rate := prices.FargateHourly(t.CPU, t.Memory, false)
		if t.Spot {
			rate *= 1 - prices.FargateSpotDiscount
		}
		stop := t.Stopped
		if stop == 0 {
			stop = end
		}
		ch = append(ch, change{t.Billed, rate}, change{stop, -rate})
	}
	slices.SortStableFunc(ch, func(a, b change) int { return cmpDuration(a.at, b.at) })
	ch = append(ch, change{end, 0})
	var out []Sample
	var rate, usd float64
	last := time.Duration(0)
	for _, x := range ch {
		usd += rate * (x.at - last).Hours()
		rate += x.rate
		last = x.at
		if n := len(out); n > 0 && out[n-1].At == x.at {
			out[n-1].Value = usd
		} else {
			out = append(out, Sample{At: x.at, Value: usd})
		}
	}
	if usd <= 0 {
		return nil
	}
	for i := range out {
		out[i].Value *= total / usd
	}
	return out
}

func cmpDuration(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type tracked struct{ cpu, mem, requests float64 }

// targets returns the target tracking targets per service.
func (c *Collector) targets() (map[string]tracked, error) {
	out := map[string]tracked{}
	as := c.w.Autoscaling()
	var token *string
	for {
		page, err := as.DescribeScalingPolicies(&autoscaling.DescribeScalingPoliciesInput{ServiceNamespace: api.String("ecs"), NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, p := range page.ScalingPolicies {
			tt := p.TargetTrackingScalingPolicyConfiguration
			name, ok := strings.CutPrefix(p.ResourceId, "service/")
			if tt == nil || tt.PredefinedMetricSpecification == nil || tt.TargetValue == nil || !ok {
				continue
			}
			t := out[name]
			switch api.Deref(tt.PredefinedMetricSpecification.PredefinedMetricType) {
			case "ECSServiceAverageCPUUtilization":
				t.cpu = *tt.TargetValue
			case "ECSServiceAverageMemoryUtilization":
				t.mem = *tt.TargetValue
			case "ALBRequestCountPerTarget":
				t.requests = *tt.TargetValue
			}
			out[name] = t
		}
		if token = page.NextToken; token == nil {
			return out, nil
		}
	}
}

// metricPeriod is the period the report reads metrics at: ECS and
// Application Load Balancers publish one datapoint a minute.
const metricPeriod = 60

// metric reads one statistic of a metric over the run, a minute at a
// time, in pages of at most the 1,440 datapoints GetMetricStatistics
// returns.
func (c *Collector) metric(cw cloudwatch.Client, ns, name, stat string, dims []cloudwatch.Dimension) ([]Sample, error) {
	const page = 1440 * metricPeriod * time.Second
	var out []Sample
	from := c.start.Time().Truncate(time.Minute)
	end := c.w.Now()
	for t := from; t.Before(end); t = t.Add(page) {
		to := t.Add(page)
		res, err := cw.GetMetricStatistics(&cloudwatch.GetMetricStatisticsInput{
			Namespace: api.String(ns), MetricName: api.String(name), Dimensions: dims,
			StartTime: new(api.NewTimestamp(t)), EndTime: new(api.NewTimestamp(to)), Period: api.Int32(metricPeriod), Statistics: []string{stat},
		})
		if err != nil {
			return nil, err
		}
		for _, p := range res.Datapoints {
			v := p.Average
			if stat == "Sum" {
				v = p.Sum
			}
			if v == nil {
				continue
			}
			out = append(out, Sample{At: p.Timestamp.Sub(c.start.Time()), Value: *v})
		}
	}
	slices.SortFunc(out, func(a, b Sample) int { return int(a.At - b.At) })
	return out, nil
}

// clusterOfInstance returns the cluster of a container instance ARN
// ("arn:aws:ecs:r:a:container-instance/demo/id").
func clusterOfInstance(arn string) string {
	_, rest, _ := strings.Cut(arn, ":container-instance/")
	cluster, _, _ := strings.Cut(rest, "/")
	return cluster
}

// tgName returns the name in a target group ARN.
func tgName(arn string) string {
	parts := strings.Split(arn, "/")
	if len(parts) < 3 {
		return arn
	}
	return parts[len(parts)-2]
}
