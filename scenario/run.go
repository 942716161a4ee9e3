package scenario

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/sim"
)

// Options changes how [Run] runs a scenario. The zero value runs it as
// the file says.
type Options struct {
	// Seed, when not nil, replaces the scenario's seed.
	Seed *uint64
	// Duration, when positive, replaces the scenario's duration. Steps
	// after it are not made and expectations after it are not checked.
	Duration time.Duration
	// UntilStable stops the run once every step has been made and every
	// service is stable: ACTIVE, one deployment, COMPLETED, running ==
	// desired and nothing pending (see [Stable]). Expectations due after
	// the stop are checked at the stop.
	UntilStable bool
	// OnWorld is called once with the new World, before the first step:
	// the place to attach trace observers.
	OnWorld func(w *ecssim.World)
	// OnStep is called just before each step's call is made.
	OnStep func(st *Step)
	// OnCheck is called as checks are made: with the results of one
	// expectation's assertions, or of one step's expectError.
	OnCheck func(results []CheckResult)
	// Progress, when set, is called as simulated time advances, at least
	// every 1/200 of the run, with the simulated time done and the time
	// the run covers. Advancing in slices changes nothing in the trace.
	Progress func(done, total time.Duration)
}

// Outcome is what a run did.
type Outcome struct {
	// World is the simulated world at the end of the run.
	World *ecssim.World
	// Seed is the seed the run used.
	Seed uint64
	// End is the simulated time the run covered.
	End time.Duration
	// Stable reports whether the run stopped early because every service
	// was stable (Options.UntilStable).
	Stable bool
	// Results are the results of every check made, in the order made.
	Results []CheckResult
	// Unchecked are the expectations after the end of the run.
	Unchecked []*Expectation
	// Skipped are the steps after the end of the run.
	Skipped []*Step
	// Samples are the values the scenario's field metrics read, by index
	// in Scenario.Metrics: NaN for a count metric, for a metric after the
	// end of the run, and when the service did not exist.
	Samples []float64
}

// Failures returns the checks that did not hold.
func (o *Outcome) Failures() []CheckResult {
	var out []CheckResult
	for _, r := range o.Results {
		if !r.OK {
			out = append(out, r)
		}
	}
	return out
}

// StepError is returned by [Run] when a step's call fails and the step
// does not expect the error. It stops the run.
type StepError struct {
	Step *Step
	// At is the simulated time of the call.
	At time.Duration
	// Err is the call's error, an [*api.Error].
	Err error
}

// Error returns "file:line: ecs:CreateService at 0:00:00 failed: <code>: <message>".
func (e *StepError) Error() string {
	return fmt.Sprintf("%s: %s at %s failed: %v", e.Step.Pos, e.Step.Call, Clock(e.At), e.Err)
}

// Unwrap returns the call's error.
func (e *StepError) Unwrap() error { return e.Err }

// Clock formats a time since the start of a run as h:mm:ss.
func Clock(d time.Duration) string { return sim.Time(d).Clock(0) }

// Run runs the scenario: it builds the World, makes each step's call at
// its time and checks each expectation at its time. At one instant T,
// events due up to T run first, then the steps at T in file order, then
// the events those steps caused at T, then the expectations at T in file
// order.
//
// Run returns the outcome even when it fails: a *[StepError] when a step's
// call fails unexpectedly, or the engine's error. Failed expectations are
// not errors; see [Outcome.Failures].
func Run(s *Scenario, opts Options) (*Outcome, error) {
	cfg := s.Config()
	if opts.Seed != nil {
		cfg.Seed = *opts.Seed
	}
	w, err := ecssim.New(cfg)
	if err != nil {
		return nil, err
	}
	end := s.Duration
	if opts.Duration > 0 {
		end = opts.Duration
	}
	r := &runner{s: s, opts: opts, w: w, eng: w.Engine(), start: w.Engine().Now(), end: end,
		out: &Outcome{World: w, Seed: cfg.Seed}}
	if opts.OnWorld != nil {
		opts.OnWorld(w)
	}
	err = r.run()
	r.out.End = w.Elapsed()
	return r.out, err
}

type runner struct {
	s     *Scenario
	opts  Options
	w     *ecssim.World
	eng   *sim.Engine
	start sim.Time
	end   time.Duration
	out   *Outcome
	dirty bool // a record arrived since the last stability check
}

func (r *runner) run() error {
	steps := make([]*Step, len(r.s.Steps))
	for i := range r.s.Steps {
		steps[i] = &r.s.Steps[i]
	}
	expects := make([]*Expectation, len(r.s.Expect))
	for i := range r.s.Expect {
		expects[i] = &r.s.Expect[i]
	}
	var samples []int // field metrics, by index in r.s.Metrics
	r.out.Samples = make([]float64, len(r.s.Metrics))
	for i, m := range r.s.Metrics {
		r.out.Samples[i] = math.NaN()
		if m.Kind == MetricField {
			samples = append(samples, i)
		}
	}
	slices.SortStableFunc(steps, func(a, b *Step) int { return cmpDur(a.At, b.At) })
	slices.SortStableFunc(expects, func(a, b *Expectation) int { return cmpDur(a.At, b.At) })
	slices.SortStableFunc(samples, func(a, b int) int { return cmpDur(r.s.Metrics[a].At, r.s.Metrics[b].At) })
	for len(steps) > 0 && steps[len(steps)-1].At > r.end {
		r.out.Skipped = slices.Insert(r.out.Skipped, 0, steps[len(steps)-1])
		steps = steps[:len(steps)-1]
	}
	if r.opts.UntilStable {
		r.w.Trace().ObserveEvents(func(sim.Record) { r.dirty = true })
	}
	for len(steps) > 0 || len(expects) > 0 || len(samples) > 0 {
		// The next instant with something to do.
		t := time.Duration(math.MaxInt64)
		if len(steps) > 0 {
			t = steps[0].At
		}
		if len(expects) > 0 {
			t = min(t, expects[0].At)
		}
		if len(samples) > 0 {
			t = min(t, r.s.Metrics[samples[0]].At)
		}
		if t > r.end {
			break
		}
		if r.opts.UntilStable && len(steps) == 0 {
			stopped, err := r.advanceUntilStable(t)
			if err != nil {
				return err
			}
			if stopped {
				r.out.Stable = true
				for _, e := range expects {
					r.check(e)
				}
				for _, i := range samples {
					r.sample(i)
				}
				return nil
			}
		} else if err := r.advance(t); err != nil {
			return err
		}
		ran := false
		for len(steps) > 0 && steps[0].At == t {
			st := steps[0]
			steps = steps[1:]
			ran = true
			if err := r.step(st, t); err != nil {
				return err
			}
		}
		if ran {
			// The events the calls caused at this instant.
			if err := r.eng.RunUntil(r.start.Add(t)); err != nil {
				return err
			}
		}
		for len(expects) > 0 && expects[0].At == t {
			r.check(expects[0])
			expects = expects[1:]
		}
		for len(samples) > 0 && r.s.Metrics[samples[0]].At == t {
			r.sample(samples[0])
			samples = samples[1:]
		}
	}
	r.out.Unchecked = expects
	if r.opts.UntilStable {
		stopped, err := r.advanceUntilStable(r.end)
		r.out.Stable = stopped
		return err
	}
	return r.advance(r.end)
}

// sample reads field metric i of the scenario now.
func (r *runner) sample(i int) {
	m := &r.s.Metrics[i]
	out, err := r.w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(m.Cluster), Services: []string{m.Service}})
	if err != nil || len(out.Services) == 0 {
		return
	}
	svc := out.Services[0]
	switch m.Field {
	case "deployments":
		r.out.Samples[i] = float64(len(svc.Deployments))
	case "failedTasks":
		for _, d := range svc.Deployments {
			if d.Status == ecs.DeploymentPrimary {
				r.out.Samples[i] = float64(d.FailedTasks)
			}
		}
	default:
		if n, ok := asMap(svc)[m.Field].(json.Number); ok {
			if v, err := n.Float64(); err == nil {
				r.out.Samples[i] = v
			}
		}
	}
}

func cmpDur(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// slice returns how far one progress slice goes.
func (r *runner) slice() time.Duration {
	if r.opts.Progress == nil {
		return r.end + 1
	}
	return max(r.end/200, time.Second)
}

// advance runs the simulation until t after the start.
func (r *runner) advance(t time.Duration) error {
	for {
		now := r.eng.Now().Sub(r.start)
		next := min(now+r.slice(), t)
		if err := r.eng.RunUntil(r.start.Add(next)); err != nil {
			return err
		}
		if r.opts.Progress != nil {
			r.opts.Progress(next, r.end)
		}
		if next >= t {
			return nil
		}
	}
}

// advanceUntilStable runs until t, or until every service is stable; it
// reports whether it stopped because they were.
func (r *runner) advanceUntilStable(t time.Duration) (bool, error) {
	r.dirty = true
	done := func() bool {
		if !r.dirty {
			return false
		}
		r.dirty = false
		return r.stable()
	}
	for {
		now := r.eng.Now().Sub(r.start)
		next := min(now+r.slice(), t)
		ok, err := r.eng.RunUntilFunc(r.start.Add(next), done)
		if err != nil {
			return false, err
		}
		if ok {
			// Finish the instant, so that nothing due now is left half done.
			if err := r.eng.RunUntil(r.eng.Now()); err != nil {
				return false, err
			}
			now = r.eng.Now().Sub(r.start)
			if r.opts.Progress != nil {
				r.opts.Progress(now, r.end)
			}
			return true, nil
		}
		if r.opts.Progress != nil {
			r.opts.Progress(next, r.end)
		}
		if next >= t {
			return false, nil
		}
	}
}

// stable reports whether every service of the World is stable.
func (r *runner) stable() bool {
	svcs, err := Services(r.w)
	if err != nil {
		return false
	}
	for _, s := range svcs {
		if s.Status != ecs.ServiceInactive && !Stable(s) {
			return false
		}
	}
	return true
}

// Stable reports whether a service is stable: ACTIVE, with one
// deployment whose rollout is COMPLETED, runningCount equal to
// desiredCount and no task pending. It is the ServicesStable waiter's
// condition plus the rollout state.
func Stable(s ecs.Service) bool {
	return s.Status == ecs.ServiceActive && len(s.Deployments) == 1 &&
		s.Deployments[0].RolloutState == ecs.RolloutCompleted &&
		s.RunningCount == s.DesiredCount && s.PendingCount == 0
}

// step makes one step's call.
func (r *runner) step(st *Step, t time.Duration) error {
	if r.opts.OnStep != nil {
		r.opts.OnStep(st)
	}
	input, err := resolveRefs(r.w, st.Input)
	if err == nil {
		_, err = r.w.Call(st.Call, input)
	}
	if st.ExpectError == "" {
		if err != nil {
			return &StepError{Step: st, At: t, Err: err}
		}
		return nil
	}
	res := CheckResult{At: t, Step: st, Want: st.ExpectError}
	switch code := api.ErrorCode(err); {
	case err == nil:
		res.Got = "success"
	case code == st.ExpectError:
		res.OK, res.Got = true, code
	default:
		res.Got = err.Error()
	}
	r.record([]CheckResult{res})
	return nil
}

func (r *runner) record(results []CheckResult) {
	r.out.Results = append(r.out.Results, results...)
	if r.opts.OnCheck != nil && len(results) > 0 {
		r.opts.OnCheck(results)
	}
}

// Services returns every service of every cluster of the World, as
// DescribeServices returns them, sorted by cluster ARN and service name.
func Services(w *ecssim.World) ([]ecs.Service, error) {
	c := w.ECS()
	var clusters []string
	var token *string
	for {
		out, err := c.ListClusters(&ecs.ListClustersInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		clusters = append(clusters, out.ClusterArns...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	slices.Sort(clusters)
	var svcs []ecs.Service
	for _, cl := range clusters {
		var arns []string
		token = nil
		for {
			out, err := c.ListServices(&ecs.ListServicesInput{Cluster: api.String(cl), NextToken: token})
			if err != nil {
				return nil, err
			}
			arns = append(arns, out.ServiceArns...)
			if token = out.NextToken; token == nil {
				break
			}
		}
		for len(arns) > 0 {
			n := min(len(arns), 10)
			out, err := c.DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(cl), Services: arns[:n]})
			if err != nil {
				return nil, err
			}
			svcs = append(svcs, out.Services...)
			arns = arns[n:]
		}
	}
	slices.SortStableFunc(svcs, func(a, b ecs.Service) int {
		if a.ClusterArn != b.ClusterArn {
			if a.ClusterArn < b.ClusterArn {
				return -1
			}
			return 1
		}
		if a.ServiceName < b.ServiceName {
			return -1
		}
		if a.ServiceName > b.ServiceName {
			return 1
		}
		return 0
	})
	return svcs, nil
}
