package drill

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// The traffic-spike drill's size and timing.
const (
	// spikeFactor is how many times the scenario's own traffic the spike
	// brings.
	spikeFactor = 3
	// spikeLength is how long the spike lasts.
	spikeLength = 30 * time.Minute
	// absorbWithin is how soon after the spike starts the service must
	// keep up with it: from then to the end of the spike, no minute of
	// its CPU may be saturated.
	absorbWithin = 15 * time.Minute
	// saturated is the service's CPUUtilization at which it no longer
	// keeps up: a task cannot use more than its CPU, and the load beyond
	// it is throttled.
	saturated = 100.0
)

// trafficSpike triples the service's traffic (its last sim:SetTraffic
// before the spike, every rate ×3) for 30 minutes, from 10 minutes after
// the later of the service's creation and its first sim:SetTraffic step,
// and watches its scaling and its CPU (the AWS/ECS CPUUtilization
// CloudWatch gets each minute). It passes when, from 15 minutes into the
// spike to its end, no minute's average CPU reached 100%.
func trafficSpike(sc *scenario.Scenario, t target, seed uint64) (Result, error) {
	var first *scenario.Step
	var traffic []*scenario.Step
	for i := range sc.Steps {
		st := &sc.Steps[i]
		if st.Call != "sim:SetTraffic" {
			continue
		}
		var in ecs.SetTrafficInput
		if json.Unmarshal(st.Input, &in) != nil || in.Traffic == nil ||
			serviceName(api.Deref(in.Service)) != t.service || serviceName(defaultCluster(api.Deref(in.Cluster))) != t.cluster {
			continue
		}
		if first == nil {
			first = st
		}
		traffic = append(traffic, st)
	}
	if first == nil {
		return Result{Passed: true, Lowest: t.desired, LowestAt: t.step.At,
			Summary: "the scenario gives the service no traffic (sim:SetTraffic), so the drill has nothing to triple"}, nil
	}
	at := max(t.step.At, first.At) + settleTime
	var base ecs.SetTrafficInput
	for _, st := range traffic {
		if st.At <= at {
			_ = json.Unmarshal(st.Input, &base)
		}
	}
	spiked := *base.Traffic
	spiked.Shape = base.Traffic.Shape.Scale(spikeFactor)
	up, err := json.Marshal(ecs.SetTrafficInput{Cluster: api.String(t.cluster), Service: api.String(t.service), Traffic: &spiked})
	if err != nil {
		return Result{}, fmt.Errorf("%s: the drill cannot triple the service's traffic: %v", first.Pos, err)
	}
	down, _ := json.Marshal(ecs.SetTrafficInput{Cluster: api.String(t.cluster), Service: api.String(t.service), Traffic: base.Traffic})
	end := at + spikeLength

	run := *sc
	run.Steps = append(slices.Clone(sc.Steps),
		scenario.Step{Pos: t.step.Pos, At: at, Call: "sim:SetTraffic", Input: up},
		scenario.Step{Pos: t.step.Pos, At: end, Call: "sim:SetTraffic", Input: down})
	run.Expect = nil
	run.Duration = end

	resource := "service/" + t.cluster + "/" + t.service
	var w *ecssim.World
	var start sim.Time
	var outs []autoscaling.ActivityDetail
	var outAt []time.Duration
	observe := func(rec sim.Record) {
		if rec.Type != autoscaling.EventScalingActivity {
			return
		}
		d, ok := rec.Detail.(autoscaling.ActivityDetail)
		if p, isPtr := rec.Detail.(*autoscaling.ActivityDetail); isPtr && p != nil {
			d, ok = *p, true
		}
		if ok && d.ResourceId == resource && rec.Time.Sub(start) >= at {
			outs, outAt = append(outs, d), append(outAt, rec.Time.Sub(start))
		}
	}
	opts := scenario.Options{Seed: &seed, OnWorld: func(world *ecssim.World) {
		w, start = world, world.Engine().Now()
		world.Trace().Observe(observe)
	}}
	if _, err := scenario.Run(&run, opts); err != nil {
		return Result{}, err
	}
	cpu, err := minuteCPU(w, start.Time(), t, at, end)
	if err != nil {
		return Result{}, err
	}
	svc, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(t.cluster), Services: []string{t.service}})
	if err != nil || len(svc.Services) == 0 {
		return Result{}, fmt.Errorf("%s: the service %s/%s is gone at the end of the run", t.step.Pos, t.cluster, t.service)
	}
	running := int(svc.Services[0].RunningCount)

	rate := func(tr *workload.Traffic) string { return fmt.Sprintf("%g", tr.Shape.Rate(at)) }
	res := Result{Lowest: running, LowestAt: end}
	type line struct {
		at   time.Duration
		text string
	}
	lines := []line{{at, fmt.Sprintf("traffic ×%d for %s: %s requests per second instead of %s (%s); %s",
		spikeFactor, scenario.FormatDuration(spikeLength), rate(&spiked), rate(base.Traffic), spiked.Shape, scalingText(sc, resource))}}
	lag := time.Duration(-1)
	for i, d := range outs {
		switch {
		case d.To > d.From:
			if lag < 0 {
				lag = outAt[i] - at
			}
			lines = append(lines, line{outAt[i], fmt.Sprintf("scaled out from %d to %d tasks", d.From, d.To)})
		case d.To < d.From:
			lines = append(lines, line{outAt[i], fmt.Sprintf("scaled in from %d to %d tasks", d.From, d.To)})
		}
	}
	peak, peakAt, lastSaturated := -1.0, time.Duration(0), time.Duration(-1)
	for _, p := range cpu {
		if p.v > peak {
			peak, peakAt = p.v, p.at
		}
		if p.v >= saturated {
			lastSaturated = p.at
		}
	}
	if peak >= 0 {
		lines = append(lines, line{peakAt, fmt.Sprintf("CPU at its peak: %.0f%% (minute average)", peak)})
	}
	if lastSaturated >= 0 {
		lines = append(lines, line{lastSaturated, "CPU saturated for the last time in the spike"})
	}
	last := "no CPU datapoint"
	if len(cpu) > 0 {
		last = fmt.Sprintf("CPU %.0f%% in its last minute", cpu[len(cpu)-1].v)
	}
	if lag < 0 {
		last = "no scale-out, " + last
	}
	lines = append(lines, line{end, fmt.Sprintf("spike over: %s, running %d tasks", last, running)})
	slices.SortStableFunc(lines, func(a, b line) int { return int(a.at - b.at) })
	for _, l := range lines {
		res.Evidence = append(res.Evidence, scenario.Clock(l.at)+" "+l.text)
	}

	res.Passed = len(cpu) > 0 && lastSaturated < at+absorbWithin
	lagText := "it never scaled out"
	if lag >= 0 {
		lagText = "it first scaled out " + scenario.FormatDuration(lag) + " after the spike began"
	}
	if res.Passed {
		res.Summary = fmt.Sprintf("with %d× traffic for %s, %s, CPU peaked at %.0f%%, and no minute was saturated after the first %s",
			spikeFactor, scenario.FormatDuration(spikeLength), lagText, peak, scenario.FormatDuration(absorbWithin))
	} else {
		res.Summary = fmt.Sprintf("with %d× traffic for %s, %s and CPU was still saturated (%.0f%%) %s into the spike: the service did not keep up",
			spikeFactor, scenario.FormatDuration(spikeLength), lagText, max(peak, 0), scenario.FormatDuration(max(lastSaturated-at, 0)))
	}
	return res, nil
}

// defaultCluster names the cluster "default" when name is empty.
func defaultCluster(name string) string {
	if name == "" {
		return "default"
	}
	return name
}

// scalingText describes the service's scaling from the scenario's steps:
// its target tracking CPU target and its scalable target's maximum.
func scalingText(sc *scenario.Scenario, resource string) string {
	var parts []string
	for _, st := range sc.Steps {
		var in struct {
			ResourceId                               string
			MaxCapacity                              *int
			TargetTrackingScalingPolicyConfiguration *struct {
				TargetValue                   float64
				PredefinedMetricSpecification *struct{ PredefinedMetricType string }
			}
			StepScalingPolicyConfiguration *json.RawMessage
		}
		if json.Unmarshal(st.Input, &in) != nil || in.ResourceId != resource {
			continue
		}
		switch st.Call {
		case "application-autoscaling:RegisterScalableTarget":
			if in.MaxCapacity != nil {
				parts = append(parts, fmt.Sprintf("at most %d tasks", *in.MaxCapacity))
			}
		case "application-autoscaling:PutScalingPolicy":
			switch tt := in.TargetTrackingScalingPolicyConfiguration; {
			case tt != nil && tt.PredefinedMetricSpecification != nil:
				parts = append(parts, fmt.Sprintf("target tracking at %g (%s)", tt.TargetValue, tt.PredefinedMetricSpecification.PredefinedMetricType))
			case tt != nil:
				parts = append(parts, fmt.Sprintf("target tracking at %g", tt.TargetValue))
			case in.StepScalingPolicyConfiguration != nil:
				parts = append(parts, "step scaling")
			}
		}
	}
	if len(parts) == 0 {
		return "no scaling policy"
	}
	return strings.Join(parts, ", ")
}

type cpuPoint struct {
	at time.Duration
	v  float64
}

// minuteCPU reads the service's AWS/ECS CPUUtilization, a minute's
// average each, from CloudWatch over [from, to) of the run.
func minuteCPU(w *ecssim.World, start time.Time, t target, from, to time.Duration) ([]cpuPoint, error) {
	s, e := api.NewTimestamp(start.Add(from)), api.NewTimestamp(start.Add(to))
	out, err := w.CloudWatch().GetMetricStatistics(&cloudwatch.GetMetricStatisticsInput{
		Namespace: api.String("AWS/ECS"), MetricName: api.String("CPUUtilization"),
		Dimensions: []cloudwatch.Dimension{{Name: api.String("ClusterName"), Value: api.String(t.cluster)}, {Name: api.String("ServiceName"), Value: api.String(t.service)}},
		StartTime:  &s, EndTime: &e, Period: api.Int32(60), Statistics: []string{"Average"},
	})
	if err != nil {
		return nil, fmt.Errorf("%s: reading the service's CPU: %v", t.step.Pos, err)
	}
	var pts []cpuPoint
	for _, d := range out.Datapoints {
		if d.Average != nil {
			pts = append(pts, cpuPoint{at: d.Timestamp.Sub(start), v: *d.Average})
		}
	}
	slices.SortFunc(pts, func(a, b cpuPoint) int { return int(a.at - b.at) })
	return pts, nil
}
