package drill

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/workload"
)

// The slow-start drill's slow-down and timing.
const (
	// slowFactor is how many times slower than declared the application
	// starts.
	slowFactor = 2
	// slowWatch is how long after the service is created the drill
	// watches it.
	slowWatch = 10 * time.Minute
)

// The health check parameters' defaults. [API:HealthCheck]
const (
	defaultInterval = 30 * time.Second
	defaultRetries  = 3
)

// slowed is a container the slow-start drill slows down.
type slowed struct {
	name, image string
	// declared is what the scenario says the application needs before it
	// answers: the image's healthyAfter, else the check's startPeriod.
	declared, slow workload.Dist
	// startPeriod, interval and retries are the container's health check.
	startPeriod, interval time.Duration
	retries               int
}

// slowStart runs the scenario with the applications of the service's
// essential containers starting twice as slowly as declared: the
// health check first passes after twice the image's healthyAfter (or,
// when the image declares none, twice the check's startPeriod), and a
// load balancer's checks get answers after twice its http.readyAfter. It
// watches the service for 10 minutes from its creation and passes when
// no task was stopped for failing health checks and the service runs its
// desired count.
func slowStart(sc *scenario.Scenario, t target, seed uint64) (Result, error) {
	_, input, err := serviceTaskDefinition(sc, t)
	if err != nil {
		return Result{}, err
	}
	var td ecs.RegisterTaskDefinitionInput
	if err := json.Unmarshal(input, &td); err != nil {
		return Result{}, fmt.Errorf("%s: %v", t.step.Pos, err)
	}
	behav := workload.NewBehaviours()
	for _, name := range slices.Sorted(maps.Keys(sc.Images)) {
		if err := behav.Set(name, sc.Images[name]); err != nil {
			return Result{}, fmt.Errorf("%s: %v", sc.File, err)
		}
	}
	run := *sc
	run.Images = maps.Clone(sc.Images)
	if run.Images == nil {
		run.Images = map[string]workload.Image{}
	}
	var slow []slowed
	var http []string
	for _, c := range td.ContainerDefinitions {
		if c.Essential != nil && !*c.Essential {
			continue
		}
		image := api.Deref(c.Image)
		img := behav.For(image)
		changed := false
		if hc := c.HealthCheck; hc != nil {
			s := slowed{name: api.Deref(c.Name), image: image,
				startPeriod: time.Duration(api.Deref(hc.StartPeriod)) * time.Second,
				interval:    cmp.Or(time.Duration(api.Deref(hc.Interval))*time.Second, defaultInterval),
				retries:     cmp.Or(int(api.Deref(hc.Retries)), defaultRetries)}
			switch {
			case img.HealthyAfter != nil:
				s.declared = *img.HealthyAfter
			case s.startPeriod > 0:
				s.declared = workload.Fixed(s.startPeriod)
			}
			if !s.declared.IsZero() {
				s.slow = s.declared.Scale(slowFactor)
				img.HealthyAfter = &s.slow
				slow = append(slow, s)
				changed = true
			}
		}
		if img.HTTP != nil && !img.HTTP.ReadyAfter.IsZero() {
			h := *img.HTTP
			http = append(http, fmt.Sprintf("%s (image %s) answers HTTP %s after it starts instead of %s",
				api.Deref(c.Name), image, h.ReadyAfter.Scale(slowFactor), h.ReadyAfter))
			h.ReadyAfter = h.ReadyAfter.Scale(slowFactor)
			img.HTTP = &h
			changed = true
		}
		if changed {
			run.Images[image] = img
		}
	}
	res := Result{Lowest: t.desired, LowestAt: t.step.At}
	if len(slow) == 0 && len(http) == 0 {
		res.Passed = true
		res.Summary = "nothing declares how long the application takes to start (no healthyAfter or http.readyAfter for its images, no health check startPeriod), so the drill has nothing to slow down"
		return res, nil
	}
	for _, s := range slow {
		res.Evidence = append(res.Evidence, fmt.Sprintf("%s %s (image %s) passes its health check %s after it starts instead of %s; startPeriod %s, interval %s, retries %d",
			scenario.Clock(t.step.At), s.name, s.image, s.slow, s.declared, scenario.FormatDuration(s.startPeriod), scenario.FormatDuration(s.interval), s.retries))
	}
	for _, h := range http {
		res.Evidence = append(res.Evidence, scenario.Clock(t.step.At)+" "+h)
	}

	end := t.step.At + slowWatch
	run.Steps = slices.Clone(sc.Steps)
	run.Expect = nil
	run.Duration = end

	var w *ecssim.World
	var start sim.Time
	group := "service:" + t.service
	killed := 0
	var firstKill []string
	running := map[string]time.Duration{}
	observe := func(rec sim.Record) {
		d, ok := rec.Detail.(*ecs.TaskStateChange)
		if !ok || d.Group != group || !strings.HasSuffix(d.ClusterArn, ":cluster/"+t.cluster) {
			return
		}
		at := rec.Time.Sub(start)
		id := d.TaskArn[strings.LastIndexByte(d.TaskArn, '/')+1:]
		if d.LastStatus == ecs.StatusRunning {
			if _, seen := running[id]; !seen {
				running[id] = at
			}
		}
		if d.LastStatus == ecs.StatusStopped && strings.Contains(d.StoppedReason, "failed") && strings.Contains(d.StoppedReason, "health checks") {
			killed++
			if firstKill == nil {
				if r, ok := running[id]; ok {
					firstKill = append(firstKill, fmt.Sprintf("%s task %s RUNNING", scenario.Clock(r), id))
				}
				firstKill = append(firstKill, fmt.Sprintf("%s task %s stopped: %s", scenario.Clock(at), id, d.StoppedReason))
			}
		}
	}
	opts := scenario.Options{Seed: &seed, OnWorld: func(world *ecssim.World) {
		w, start = world, world.Engine().Now()
		world.Trace().Observe(observe)
	}}
	if _, err := scenario.Run(&run, opts); err != nil {
		return Result{}, err
	}
	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(t.cluster), Services: []string{t.service}})
	if err != nil || len(out.Services) == 0 {
		return Result{}, fmt.Errorf("%s: the service %s/%s is gone at the end of the run", t.step.Pos, t.cluster, t.service)
	}
	now := int(out.Services[0].RunningCount)
	res.Lowest, res.LowestAt = now, end
	res.Evidence = append(res.Evidence, firstKill...)
	res.Evidence = append(res.Evidence, fmt.Sprintf("%s %d tasks stopped for failing health checks; running %d of %d",
		scenario.Clock(end), killed, now, t.desired))
	res.Passed = killed == 0 && now >= t.desired
	what := "its application starting " + fmt.Sprint(slowFactor) + "× slower than declared"
	switch {
	case killed > 0:
		res.Summary = fmt.Sprintf("with %s, %d tasks were stopped for failing health checks before they turned healthy in the %s after the service was created; %s",
			what, killed, scenario.FormatDuration(slowWatch), advice(slow))
	case !res.Passed:
		res.Summary = fmt.Sprintf("with %s, no task was stopped by health checks but the service ran %d of %d tasks %s after it was created",
			what, now, t.desired, scenario.FormatDuration(slowWatch))
	default:
		res.Summary = fmt.Sprintf("with %s, every task turned healthy without being stopped, and the service runs %d of %d tasks", what, now, t.desired)
	}
	return res, nil
}

// advice says which setting to raise.
func advice(slow []slowed) string {
	if len(slow) == 0 {
		return "raise the service's healthCheckGracePeriodSeconds to cover the application's start"
	}
	s := slow[0]
	return fmt.Sprintf("raise the startPeriod of %s (now %s) to cover the application's start", s.name, scenario.FormatDuration(s.startPeriod))
}
