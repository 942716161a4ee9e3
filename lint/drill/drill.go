package drill

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/vpc"
)

// Drill is one what-if.
type Drill struct {
	// Name names the drill on the command line ("zone-loss").
	Name string
	// Description says in one sentence what the drill does.
	Description string

	run func(sc *scenario.Scenario, t target, seed uint64) (Result, error)
}

// Drills returns every drill, by name.
func Drills() []*Drill { return slices.Clone(drills) }

// Lookup returns the drill with the given name, or nil.
func Lookup(name string) *Drill {
	for _, d := range drills {
		if d.Name == name {
			return d
		}
	}
	return nil
}

var drills = []*Drill{
	{
		Name:        "zone-loss",
		Description: "The Availability Zone of the service's first subnet fails for 15 minutes, during a deployment when the scenario makes one; the service must be back to its desired count before the zone returns.",
		run:         zoneLoss,
	},
	{
		Name:        "bad-rollout",
		Description: "A revision whose essential containers' image cannot be pulled is deployed 10 minutes after the service is created; the deployment must be stopped and the service back on its previous revision within 30 minutes.",
		run:         badRollout,
	},
	{
		Name:        "slow-start",
		Description: "The applications of the service's essential containers start twice as slowly as declared (their image's healthyAfter or http.readyAfter, else the health check's startPeriod); no task may be stopped for failing health checks in the 10 minutes after the service is created.",
		run:         slowStart,
	},
	{
		Name:        "traffic-spike",
		Description: "The service's traffic (its sim:SetTraffic) triples for 30 minutes, 10 minutes after it starts; from 15 minutes into the spike to its end, no minute of the service's CPU may be saturated.",
		run:         trafficSpike,
	},
}

// Result is what one drill found for one service.
type Result struct {
	Drill string
	// Service is "cluster/service".
	Service string
	// Pos is the step that creates the service.
	Pos scenario.Pos
	// Passed reports whether the service came through.
	Passed bool
	// Seed is the seed of the run; with the scenario it replays the run.
	Seed uint64
	// Summary says what happened in one sentence.
	Summary string
	// Evidence is the run's timeline of what the drill watched, one line
	// per change ("0:10:15 running 2 of 3").
	Evidence []string
	// Lowest is the lowest running count seen, first at LowestAt.
	Lowest   int
	LowestAt time.Duration
}

// Replay returns the command that replays the drill on file.
func (r Result) Replay(file string) string {
	return fmt.Sprintf("ecssim lint --drill %s --seed %d %s", r.Drill, r.Seed, file)
}

// Run runs the drill on every service the scenario creates, one simulated
// run per service, with the scenario's seed or seed when it is not nil.
func (d *Drill) Run(sc *scenario.Scenario, seed *uint64) ([]Result, error) {
	s := sc.Seed
	if seed != nil {
		s = *seed
	}
	targets, err := targets(sc)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("%s: the scenario creates no service (an ecs:CreateService step with a desiredCount of 1 or more)", sc.File)
	}
	var out []Result
	for _, t := range targets {
		r, err := d.run(sc, t, s)
		if err != nil {
			return out, err
		}
		r.Drill, r.Service, r.Pos, r.Seed = d.Name, t.cluster+"/"+t.service, t.step.Pos, s
		out = append(out, r)
	}
	return out, nil
}

// target is a service a scenario creates.
type target struct {
	step             *scenario.Step
	cluster, service string
	desired          int
	subnets          []string
	// update is when the scenario first updates the service, or -1.
	update time.Duration
}

func targets(sc *scenario.Scenario) ([]target, error) {
	var out []target
	for i := range sc.Steps {
		st := &sc.Steps[i]
		if st.Call != "ecs:CreateService" {
			continue
		}
		var in ecs.CreateServiceInput
		if err := json.Unmarshal(st.Input, &in); err != nil {
			return nil, fmt.Errorf("%s: %v", st.Pos, err)
		}
		if api.Deref(in.DesiredCount) < 1 || strings.EqualFold(api.Deref(in.SchedulingStrategy), "DAEMON") {
			continue
		}
		t := target{step: st, cluster: cmp.Or(api.Deref(in.Cluster), "default"), service: api.Deref(in.ServiceName),
			desired: int(api.Deref(in.DesiredCount)), update: -1}
		if strings.HasPrefix(t.cluster, "arn:") {
			t.cluster = t.cluster[strings.LastIndexByte(t.cluster, '/')+1:]
		}
		if nc := in.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
			t.subnets = nc.AwsvpcConfiguration.Subnets
		}
		for j := range sc.Steps {
			u := &sc.Steps[j]
			if u.Call != "ecs:UpdateService" || u.At < st.At {
				continue
			}
			var up ecs.UpdateServiceInput
			if json.Unmarshal(u.Input, &up) == nil && serviceName(api.Deref(up.Service)) == t.service && (t.update < 0 || u.At < t.update) {
				t.update = u.At
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// serviceName returns the name of a service named by name or ARN.
func serviceName(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }

// Zones maps the subnets of a scenario's VPC to their Availability Zones:
// the subnets it declares, or the default VPC's.
func Zones(sc *scenario.Scenario) map[string]string {
	subnets := sc.Subnets
	if len(subnets) == 0 {
		subnets = vpc.Default(cmp.Or(sc.Region, ecssim.DefaultRegion)).Subnets()
	}
	zones := make(map[string]string, len(subnets))
	for _, s := range subnets {
		zones[s.ID] = s.AvailabilityZone
	}
	return zones
}

// The zone-loss drill's timing.
const (
	// zoneOutage is how long the zone stays down.
	zoneOutage = 15 * time.Minute
	// settleTime is when the zone fails after the service is created, when
	// the scenario does not update the service: its first rollout is over.
	settleTime = 10 * time.Minute
	// intoDeployment is when the zone fails after the scenario's first
	// update of the service: the deployment is under way.
	intoDeployment = time.Minute
	// sampleEvery is how often the drill reads the running count.
	sampleEvery = 15 * time.Second
	// afterOutage is how long the run goes on after the zone returns.
	afterOutage = 5 * time.Minute
)

func zoneLoss(sc *scenario.Scenario, t target, seed uint64) (Result, error) {
	zones := Zones(sc)
	var zone string
	switch {
	case len(t.subnets) > 0:
		z, ok := zones[t.subnets[0]]
		if !ok {
			return Result{}, fmt.Errorf("%s: subnet %s is not in the scenario's network", t.step.Pos, t.subnets[0])
		}
		zone = z
	default:
		all := make([]string, 0, len(zones))
		for _, z := range zones {
			all = append(all, z)
		}
		slices.Sort(all)
		zone = all[0]
	}
	at := t.step.At + settleTime
	when := "10 minutes after the service is created"
	if t.update >= 0 {
		at, when = t.update+intoDeployment, "1 minute into the deployment that starts at "+scenario.Clock(t.update)
	}

	run := *sc
	input, _ := json.Marshal(map[string]string{"availabilityZone": zone, "for": zoneOutage.String()})
	run.Steps = append(slices.Clone(sc.Steps), scenario.Step{Pos: t.step.Pos, At: at, Call: "sim:FailAvailabilityZone", Input: input})
	run.Expect = nil
	want, _ := json.Marshal(t.desired)
	for s := at; s <= at+zoneOutage; s += sampleEvery {
		run.Expect = append(run.Expect, scenario.Expectation{Pos: t.step.Pos, At: s, Cluster: t.cluster, Service: t.service,
			Checks: []scenario.Check{{Pos: t.step.Pos, Kind: scenario.CheckField, Field: "runningCount", Want: want}}})
	}
	run.Duration = at + zoneOutage + afterOutage

	type sample struct {
		at      time.Duration
		running int
	}
	var samples []sample
	opts := scenario.Options{Seed: &seed, OnCheck: func(results []scenario.CheckResult) {
		for _, r := range results {
			if r.Expectation == nil {
				continue
			}
			n, err := strconv.Atoi(r.Got)
			if err != nil {
				n = 0 // the service is not there: nothing runs
			}
			samples = append(samples, sample{at: r.At, running: n})
		}
	}}
	if _, err := scenario.Run(&run, opts); err != nil {
		return Result{}, err
	}
	if len(samples) == 0 {
		return Result{}, fmt.Errorf("%s: the run ended before the drill's zone failure at %s", t.step.Pos, scenario.Clock(at))
	}

	res := Result{Lowest: samples[0].running, LowestAt: samples[0].at}
	res.Evidence = append(res.Evidence, fmt.Sprintf("%s %s fails for %s (%s); running %d of %d",
		scenario.Clock(at), zone, scenario.FormatDuration(zoneOutage), when, samples[0].running, t.desired))
	prev := samples[0].running
	for _, s := range samples[1:] {
		if s.running < res.Lowest {
			res.Lowest, res.LowestAt = s.running, s.at
		}
		if s.running != prev {
			res.Evidence = append(res.Evidence, fmt.Sprintf("%s running %d of %d", scenario.Clock(s.at), s.running, t.desired))
			prev = s.running
		}
	}
	back := at + zoneOutage
	res.Evidence = append(res.Evidence, fmt.Sprintf("%s %s returns", scenario.Clock(back), zone))
	// The last sample before the zone returns decides.
	last := samples[len(samples)-1]
	if last.at >= back && len(samples) > 1 {
		last = samples[len(samples)-2]
	}
	res.Passed = last.running >= t.desired
	if res.Passed {
		res.Summary = fmt.Sprintf("losing %s for %s, the service fell to %d of %d running tasks at %s and was back to %d before the zone returned",
			zone, scenario.FormatDuration(zoneOutage), res.Lowest, t.desired, scenario.Clock(res.LowestAt), t.desired)
	} else {
		res.Summary = fmt.Sprintf("losing %s for %s, the service fell to %d of %d running tasks at %s and had %d when the zone returned",
			zone, scenario.FormatDuration(zoneOutage), res.Lowest, t.desired, scenario.Clock(res.LowestAt), last.running)
	}
	return res, nil
}
