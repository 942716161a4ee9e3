package ecssim

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/catalog"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
	"github.com/ecssim/ecssim/sts"
	"github.com/ecssim/ecssim/vpc"
	"github.com/ecssim/ecssim/workload"
)

// Defaults for the zero Config.
const (
	// DefaultRegion is the region of a World whose Config names none.
	DefaultRegion = "us-east-1"
	// DefaultAccountID is the account of a World whose Config names none;
	// it is the placeholder account of AWS's own documentation.
	DefaultAccountID = "123456789012"
)

// DefaultStart is when a World's clock starts if its Config says nothing:
// 2026-01-01T00:00:00Z. Any fixed instant would do; a fixed one keeps
// traces and timestamps identical from run to run.
var DefaultStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Config describes a World. The zero value is usable: seed 0, the clock at
// DefaultStart, region us-east-1, account 123456789012.
type Config struct {
	// Seed seeds every random stream of the simulation (IDs, durations
	// drawn from distributions, random placement). Same seed and same
	// inputs give the same trace.
	Seed uint64
	// Start is the virtual wall-clock time at which the simulation begins.
	// Zero means DefaultStart. It must lie between the years 2000 and 2200.
	Start time.Time
	// Region is the AWS region that ARNs name, e.g. "eu-west-1". Empty
	// means DefaultRegion.
	Region string
	// AccountID is the 12-digit account that ARNs name. Empty means
	// DefaultAccountID.
	AccountID string
	// Subnets declares the VPC's subnets. Empty means a default VPC like
	// AWS's own: subnet-aaaa0001, subnet-bbbb0002 and subnet-cccc0003 in
	// the region's zones a, b and c, and security group sg-00000001.
	Subnets []vpc.Subnet
	// SecurityGroups declares security groups; with Subnets set, a group
	// "sg-00000001" is added when none is declared.
	SecurityGroups []vpc.SecurityGroup
	// Images says how containers of each image (exact name or glob
	// pattern) behave. Images not listed behave as workload.Defaults().
	Images map[string]workload.Image
	// TickHealthChecks runs every container and load balancer health
	// check as an event instead of jumping to the next change of health. The trace is the
	// same either way; this is slower and exists to prove it.
	TickHealthChecks bool
	// InstanceTypes adds EC2 instance types to the catalogue, or replaces
	// built-in ones of the same name (package catalog).
	InstanceTypes []catalog.InstanceType
	// Prices replaces the built-in price table used for costs. Nil means
	// catalog.DefaultPrices().
	Prices *catalog.Prices
}

var (
	regionRE  = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$`)
	accountRE = regexp.MustCompile(`^\d{12}$`)
	minStart  = sim.Epoch
	maxStart  = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// withDefaults returns c with zero fields filled in, or an error naming
// the first field that makes no sense.
func (c Config) withDefaults() (Config, error) {
	if c.Start.IsZero() {
		c.Start = DefaultStart
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	var errs []error
	if c.Start.Before(minStart) || !c.Start.Before(maxStart) {
		errs = append(errs, fmt.Errorf("ecssim: Config.Start %s is outside 2000-2200", c.Start.Format(time.RFC3339)))
	}
	if !regionRE.MatchString(c.Region) {
		errs = append(errs, fmt.Errorf("ecssim: Config.Region %q is not a region name such as us-east-1", c.Region))
	}
	if !accountRE.MatchString(c.AccountID) {
		errs = append(errs, fmt.Errorf("ecssim: Config.AccountID %q is not 12 digits", c.AccountID))
	}
	c.Start = c.Start.UTC()
	return c, errors.Join(errs...)
}

// World is one simulated AWS account in one region: an engine, the
// simulated services, and the action table that reaches them. A World is
// not safe for concurrent use; the HTTP endpoint serialises access to it.
type World struct {
	cfg    Config
	eng    *sim.Engine
	table  *api.Table
	ecs    *ecs.ECS
	elb    *elb.ELB
	net    *vpc.Network
	start  sim.Time
	record bool
	// hooks run after every event that the World's own methods run.
	hooks   []*hook
	hookSeq int
}

// hook is one function registered with AfterEvent.
type hook struct {
	id int
	fn func() error
}

// New returns a World for cfg, or an error when cfg is invalid.
func New(cfg Config) (*World, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	start := sim.FromTime(cfg.Start)
	w := &World{
		cfg:    cfg,
		eng:    sim.New(cfg.Seed, start),
		table:  api.NewTable(),
		start:  start,
		record: true,
	}
	net, behav, err := buildWorld(cfg)
	if err != nil {
		return nil, err
	}
	w.net = net
	types := catalog.Default()
	for _, it := range cfg.InstanceTypes {
		if err := types.Set(it); err != nil {
			return nil, fmt.Errorf("ecssim: Config.InstanceTypes: %w", err)
		}
	}
	// The load balancers answer health checks with the ECS model's
	// containers, and ECS registers service tasks with them.
	w.elb = elb.New(w.eng, elb.Config{Region: cfg.Region, AccountID: cfg.AccountID, Network: net,
		Backend: elbBackend{w}, TickHealthChecks: cfg.TickHealthChecks})
	// Alarm-gated deployments read the alarms of the World's CloudWatch,
	// made below.
	deployAlarms := &deploymentAlarms{}
	w.ecs = ecs.New(w.eng, ecs.Config{
		Region: cfg.Region, AccountID: cfg.AccountID,
		Network: net, Behaviours: behav, TickHealthChecks: cfg.TickHealthChecks,
		InstanceTypes: types, Prices: cfg.Prices, LoadBalancing: ecsLoadBalancing{m: w.elb},
		Alarms: deployAlarms,
	})
	w.ecs.Register(w.table)
	w.elb.Register(w.table)
	// ECS follows the health of the targets its services registered.
	w.elb.OnTargetHealthChange(func(c elb.TargetHealthChange) { w.ecs.TargetHealthChanged(c.TargetGroupArn, c.TargetId, c.Port) })
	as := autoscaling.New(w.eng, autoscaling.Config{Region: cfg.Region, AccountID: cfg.AccountID,
		ResourceLabels: w.elb.CheckResourceLabel}, w.ecs)
	as.Register(w.table)
	cw := cloudwatch.New(w.eng, cloudwatch.Config{Region: cfg.Region, AccountID: cfg.AccountID})
	cw.Register(w.table)
	deployAlarms.cw = cw
	// Target tracking policies create their alarms in CloudWatch.
	as.SetAlarms(trackingAlarms{cw})
	// ECS managed scaling publishes CapacityProviderReservation and keeps
	// its policies' alarms in CloudWatch.
	w.ecs.SetScalingCloudWatch(&managedScalingCloudWatch{eng: w.eng, cw: cw, series: map[[2]string]*cloudwatch.Series{}})
	// Alarm actions naming a scaling policy execute it at every evaluation
	// while the alarm stays in ALARM, as CloudWatch does: an Auto Scaling
	// group's policy (ECS managed scaling) or an Application Auto Scaling
	// one.
	cw.HandleActions("arn:aws:autoscaling:", true, func(x cloudwatch.Action) {
		if strings.Contains(x.ARN, ":autoScalingGroupName/") {
			if x.State == cloudwatch.StateAlarm {
				w.ecs.ManagedScalingAction(x.ARN, x.AlarmName)
			}
			return
		}
		as.AlarmAction(x.ARN, x.AlarmName, x.State, x.Value, x.Threshold, x.Valid)
	})
	feed := newECSFeed(w.eng, w.ecs, cw.Store())
	albs := newALBFeed(w.eng, w.elb, cw.Store())
	w.table.AddHook(func(action string, _, _ any, err error) {
		switch {
		case err != nil:
		case action == "ecs:CreateService":
			feed.arm()
		case action == "sim:SetListenerTraffic":
			albs.arm()
		}
	})
	sts.Identity{AccountID: cfg.AccountID}.Register(w.table)
	vpc.EC2{Net: net, Region: cfg.Region, AccountID: cfg.AccountID}.Register(w.table)
	w.table.AddHook(w.recordCall)
	return w, nil
}

// buildWorld makes the network and the container behaviours of cfg.
func buildWorld(cfg Config) (*vpc.Network, *workload.Behaviours, error) {
	var net *vpc.Network
	if len(cfg.Subnets) == 0 {
		net = vpc.Default(cfg.Region)
		for _, g := range cfg.SecurityGroups {
			if err := net.AddSecurityGroup(g); err != nil {
				return nil, nil, fmt.Errorf("ecssim: Config.SecurityGroups: %w", err)
			}
		}
	} else {
		net = vpc.New()
		for _, s := range cfg.Subnets {
			if err := net.AddSubnet(s); err != nil {
				return nil, nil, fmt.Errorf("ecssim: Config.Subnets: %w", err)
			}
		}
		groups := cfg.SecurityGroups
		if len(groups) == 0 {
			groups = []vpc.SecurityGroup{{ID: "sg-00000001", Name: "default", VpcID: cfg.Subnets[0].VpcID}}
		}
		for _, g := range groups {
			if err := net.AddSecurityGroup(g); err != nil {
				return nil, nil, fmt.Errorf("ecssim: Config.SecurityGroups: %w", err)
			}
		}
	}
	behav := workload.NewBehaviours()
	names := make([]string, 0, len(cfg.Images))
	for name := range cfg.Images {
		names = append(names, name)
	}
	slices.Sort(names) // patterns match in a stable order
	for _, name := range names {
		if err := behav.Set(name, cfg.Images[name]); err != nil {
			return nil, nil, fmt.Errorf("ecssim: Config.Images: %w", err)
		}
	}
	return net, behav, nil
}

// Config returns the World's configuration with defaults filled in.
func (w *World) Config() Config { return w.cfg }

// Engine returns the World's engine, for components that schedule their
// own events (traffic models, custom faults). The engine speaks sim.Time,
// where the World's own methods speak time.Time, and events run through it
// skip the AfterEvent hooks.
func (w *World) Engine() *sim.Engine { return w.eng }

// Now returns the current virtual time.
func (w *World) Now() time.Time { return w.eng.Now().Time() }

// Start returns the virtual time at which the World began.
func (w *World) Start() time.Time { return w.start.Time() }

// Elapsed returns the virtual time since the World started.
func (w *World) Elapsed() time.Duration { return w.eng.Now().Sub(w.start) }

// Trace returns the World's trace.
func (w *World) Trace() *sim.Trace { return w.eng.Trace() }

// NextEventAt returns when the earliest pending event is due, and false
// when nothing is pending: a World with no pending event stays as it is
// however long it runs.
func (w *World) NextEventAt() (time.Time, bool) {
	next := w.eng.NextAt()
	if next == sim.Never {
		return time.Time{}, false
	}
	return next.Time(), true
}

// AfterEvent registers fn to run after every event that the World's own
// methods run: RunFor, RunUntil, RunUntilFunc, Step, StepUntil, the
// waiters, and requests served through the awsapi package. An error from
// fn stops the run and is returned by the method that was running. The
// returned function removes fn. Events run directly through Engine do not
// call it. Hooks are how test helpers check invariants after each event;
// with none registered, running is not slowed at all.
func (w *World) AfterEvent(fn func() error) (remove func()) {
	w.hookSeq++
	h := &hook{id: w.hookSeq, fn: fn}
	w.hooks = append(w.hooks, h)
	return func() {
		w.hooks = slices.DeleteFunc(w.hooks, func(x *hook) bool { return x.id == h.id })
	}
}

// ErrPast is returned (wrapped) when asked to run to a time before now.
var ErrPast = errors.New("ecssim: time is before now")

// RunFor advances virtual time by d, running every event due on the way;
// the clock ends exactly d later. A negative d is an error.
func (w *World) RunFor(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("%w: cannot run for a negative %s", ErrPast, d)
	}
	_, err := w.advance(w.eng.Now().Add(d), nil)
	return err
}

// RunUntil advances virtual time to t, running every event due at or
// before t; the clock ends exactly at t. A t before now is an error.
func (w *World) RunUntil(t time.Time) error {
	dl, err := w.deadline(t)
	if err != nil {
		return err
	}
	_, err = w.advance(dl, nil)
	return err
}

// RunUntilFunc runs events one at a time until done reports true or the
// next event is due after deadline. done is called before the first event,
// after each event, and once more when the clock has been set to the
// deadline. It reports whether done held. When it did, the clock is at the
// event after which it first held (never beyond deadline); when it did
// not, the clock is at deadline. A deadline before now is an error.
//
//	ok, err := w.RunUntilFunc(w.Now().Add(time.Hour), func() bool {
//		out, _ := w.ECS().DescribeServices(in)
//		return out.Services[0].RunningCount == 3
//	})
func (w *World) RunUntilFunc(deadline time.Time, done func() bool) (held bool, err error) {
	dl, err := w.deadline(deadline)
	if err != nil {
		return false, err
	}
	if done == nil {
		return false, errors.New("ecssim: RunUntilFunc needs a condition")
	}
	return w.advance(dl, done)
}

// Step runs the next pending event, however far ahead it is, and reports
// whether there was one. StepUntil is the form that cannot overshoot.
func (w *World) Step() (bool, error) {
	ran, err := w.eng.Step()
	if err != nil || !ran {
		return ran, err
	}
	return true, w.runHooks()
}

// StepUntil runs the next pending event if it is due at or before
// deadline and reports true; otherwise it sets the clock to deadline and
// reports false. The clock never passes deadline, so a loop of StepUntil
// calls visits every event on the way and then stops exactly there:
//
//	for {
//		ran, err := w.StepUntil(deadline)
//		if err != nil || !ran {
//			break
//		}
//		// look at the World after each event
//	}
//
// A deadline before now is an error.
func (w *World) StepUntil(deadline time.Time) (bool, error) {
	dl, err := w.deadline(deadline)
	if err != nil {
		return false, err
	}
	if w.eng.NextAt() > dl {
		return false, w.eng.RunUntil(dl)
	}
	return w.Step()
}

// deadline converts t to virtual time, refusing a time before now.
func (w *World) deadline(t time.Time) (sim.Time, error) {
	if t.Before(w.Now()) {
		return 0, fmt.Errorf("%w: cannot run until %s, now is %s", ErrPast,
			t.UTC().Format(time.RFC3339Nano), w.Now().Format(time.RFC3339Nano))
	}
	if !t.Before(maxStart) {
		return 0, fmt.Errorf("ecssim: cannot run until %s, past the year 2200", t.UTC().Format(time.RFC3339))
	}
	return sim.FromTime(t), nil
}

// advance runs every event due at or before deadline, calling the hooks
// after each, and stops early when done (if not nil) holds. It reports
// whether done held.
func (w *World) advance(deadline sim.Time, done func() bool) (bool, error) {
	if len(w.hooks) == 0 && done == nil {
		return false, w.eng.RunUntil(deadline)
	}
	for {
		if done != nil && done() {
			return true, nil
		}
		if w.eng.NextAt() > deadline {
			break
		}
		if _, err := w.Step(); err != nil {
			return false, err
		}
	}
	if err := w.eng.RunUntil(deadline); err != nil {
		return false, err
	}
	return done != nil && done(), nil
}

// runHooks calls every AfterEvent hook, in the order they were added.
func (w *World) runHooks() error {
	for _, h := range slices.Clone(w.hooks) {
		if err := h.fn(); err != nil {
			return err
		}
	}
	return nil
}

// Call runs an action by name ("ecs:CreateCluster") with its JSON input,
// the document `aws <service> <action> --cli-input-json` takes, and returns
// the JSON output in the shape AWS returns. Errors are [*api.Error] values.
func (w *World) Call(action string, input []byte) ([]byte, error) {
	return w.table.Invoke(action, input)
}

// Actions lists every action name the World answers, sorted.
func (w *World) Actions() []string { return w.table.Actions() }

// Table returns the World's action table.
func (w *World) Table() *api.Table { return w.table }

// ECS returns a typed client of the World's simulated ECS.
func (w *World) ECS() ecs.Client { return ecs.NewClient(w.table) }

// Network returns the World's VPC: its subnets and security groups.
func (w *World) Network() *vpc.Network { return w.net }

// ELB returns a typed client of the World's simulated Elastic Load
// Balancing v2.
func (w *World) ELB() elb.Client { return elb.NewClient(w.table) }

// LoadBalancerTraffic returns how the load balancers route their
// listeners' traffic (sim:SetListenerTraffic) at the current instant, in
// requests per second, per load balancer, target group and target: what
// the AWS/ApplicationELB metrics count each minute.
func (w *World) LoadBalancerTraffic() []elb.LoadBalancerTraffic { return w.elb.Traffic() }

// Autoscaling returns a typed client for the world's Application Auto
// Scaling actions.
func (w *World) Autoscaling() autoscaling.Client { return autoscaling.NewClient(w.table) }

// CloudWatch returns a typed client for the World's CloudWatch actions.
func (w *World) CloudWatch() cloudwatch.Client { return cloudwatch.NewClient(w.table) }

// readOnly reports whether an action only reads state, by the AWS naming
// convention; such calls are not recorded in the trace.
func readOnly(action string) bool {
	_, name, _ := strings.Cut(action, ":")
	for _, p := range []string{"Describe", "List", "Get"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// APICall is the trace detail of a state-changing API call.
type APICall struct {
	Action    string `json:"action"`
	ErrorCode string `json:"errorCode,omitempty"`
}

// recordCall puts every state-changing call into the trace, failed ones
// with their error code, so that a trace tells what was asked as well as
// what happened.
func (w *World) recordCall(action string, _, _ any, err error) {
	if readOnly(action) {
		return
	}
	detail := APICall{Action: action}
	if err != nil {
		detail.ErrorCode = api.ErrorCode(err)
		if detail.ErrorCode == "" {
			detail.ErrorCode = "InternalError"
		}
	}
	w.eng.Record(sim.Event{Type: "ecssim API Call", Source: "ecssim", Detail: detail})
}
