package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/vpc"
)

func init() { extraCommands = append(extraCommands, newServeCommand) }

// serveContext, when set, replaces the signal context: tests stop the
// server through it.
var serveContext func() (context.Context, context.CancelFunc)

// serveListening, when set, is told the address once the server listens.
var serveListening func(addr string)

// The http.Server's limits: a client has 10 s to send its headers and 60
// s for its whole request, an answer 60 s to be written (a run request
// extends its own to awsapi's bound), and an idle connection is closed
// after 2 minutes.
const (
	serveReadHeaderTimeout = 10 * time.Second
	serveReadTimeout       = time.Minute
	serveWriteTimeout      = time.Minute
	serveIdleTimeout       = 2 * time.Minute
	serveMaxHeaderBytes    = 64 << 10
)

// followTick is how often --speed moves the clock.
const followTick = 100 * time.Millisecond

// serveFlags are the flags of ecssim serve.
type serveFlags struct {
	addr           string
	seed           uint64
	speed          float64
	pollAdvance    time.Duration
	region         string
	account        string
	subnets        []string
	securityGroups []string
	allowHosts     []string
	runSteps       bool
}

func newServeCommand() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve [SCENARIO]",
		Short: "Serve a simulated AWS (ECS, Application Auto Scaling, CloudWatch, STS, EC2) to the SDKs and the aws CLI",
		Long: `serve answers, on one HTTP address, every simulated service in the protocol
its clients use: ECS and Application Auto Scaling (AWS JSON 1.1), CloudWatch
metrics and alarms (RPC v2 CBOR, JSON 1.0 and Query), STS
GetCallerIdentity (Query), and EC2 DescribeVpcs, DescribeSubnets,
DescribeSecurityGroups and DescribeAvailabilityZones (EC2 query), answering
from the simulated VPC. Point the aws CLI, the AWS SDKs or a deploy tool at
it with any credentials; requests are routed by the service they are signed
for. Each region a request is signed for is a World of its own: --region's
starts from the scenario and the flags, any other from the same account,
seed and images with the region's default VPC.

With a SCENARIO (a file, or example:NAME), the World starts from its
network, images, account, region and seed; --run-steps also makes its steps,
advancing the clock to the last one. Flags override the scenario.

Virtual time moves only when asked: POST /_ecssim/run {"for":"10m"} (at most
168h a request). --speed makes it follow the wall clock (--speed 60: a
simulated minute a second); --advance-per-poll makes each Describe/List/Get
call of ECS, Application Auto Scaling, ELBv2 or CloudWatch first advance it, so that
"aws ecs wait services-stable" sees the world settle with no wall clock.

Control routes (JSON; loopback Host only unless --allow-host):
  GET  /_ecssim/health, /_ecssim/now, /_ecssim/trace
  POST /_ecssim/run, /_ecssim/reset, /_ecssim/call/<action>
See docs/endpoint.md.`,
		Example: `  ecssim serve --addr 127.0.0.1:4599 --advance-per-poll 1m &
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  aws --endpoint-url http://127.0.0.1:4599 ecs create-cluster --cluster-name demo
  curl -s -H 'Content-Type: application/json' http://127.0.0.1:4599/_ecssim/run -d '{"for":"5m"}'
  ecssim serve example:circuit-breaker-rollback --run-steps --speed 60
  ecssim serve --region eu-west-1 --subnet subnet-0a1b2c3d4e5f60718,eu-west-1a,10.0.1.0/24,vpc-0f1e2d3c4b5a69788`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			return serve(cmd, arg, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:4599", "address to listen on")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of every random stream (default: the scenario's, else 1)")
	fl.Float64Var(&f.speed, "speed", 0, "virtual seconds per wall second; 0 moves time only on request")
	fl.DurationVar(&f.pollAdvance, "advance-per-poll", 0, "virtual time each Describe/List/Get call of ECS, Application Auto Scaling or ELBv2 advances first")
	fl.StringVar(&f.region, "region", "", "region whose World starts from the scenario and the flags (default: the scenario's, else us-east-1)")
	fl.StringVar(&f.account, "account", "", "12-digit account to simulate (default: the scenario's, else 123456789012)")
	fl.StringArrayVar(&f.subnets, "subnet", nil, "a subnet SUBNET-ID,ZONE,CIDR[,VPC-ID]; repeat for more (replaces the default VPC)")
	fl.StringArrayVar(&f.securityGroups, "security-group", nil, "a security group SG-ID[,NAME[,VPC-ID]]; repeat for more")
	fl.StringArrayVar(&f.allowHosts, "allow-host", nil, "a Host name the control routes accept besides loopback (e.g. a container name); repeat for more")
	fl.BoolVar(&f.runSteps, "run-steps", false, "make the scenario's steps before serving (and again after each reset)")
	return cmd
}

// serveConfig builds the World configuration from the scenario and the
// flags.
func serveConfig(cmd *cobra.Command, sc *scenario.Scenario, f serveFlags) (ecssim.Config, error) {
	var cfg ecssim.Config
	if sc != nil {
		cfg = sc.Config()
	} else {
		cfg.Seed = 1
	}
	if cmd.Flags().Changed("seed") {
		cfg.Seed = f.seed
	}
	if f.region != "" {
		cfg.Region = f.region
	}
	if f.account != "" {
		cfg.AccountID = f.account
	}
	if len(f.subnets) > 0 {
		cfg.Subnets = nil
		for _, spec := range f.subnets {
			s, err := parseSubnetFlag(spec)
			if err != nil {
				return cfg, err
			}
			cfg.Subnets = append(cfg.Subnets, s)
		}
	}
	if len(f.securityGroups) > 0 {
		cfg.SecurityGroups = nil
		for _, spec := range f.securityGroups {
			parts := strings.Split(spec, ",")
			if len(parts) > 3 {
				return cfg, fmt.Errorf("--security-group %q: want SG-ID[,NAME[,VPC-ID]]", spec)
			}
			g := vpc.SecurityGroup{ID: parts[0]}
			if len(parts) > 1 {
				g.Name = parts[1]
			}
			if len(parts) > 2 {
				g.VpcID = parts[2]
			}
			cfg.SecurityGroups = append(cfg.SecurityGroups, g)
		}
	}
	return cfg, nil
}

// parseSubnetFlag parses SUBNET-ID,ZONE,CIDR[,VPC-ID]. The values are
// checked when the World is built, with EC2's rules (package vpc).
func parseSubnetFlag(spec string) (vpc.Subnet, error) {
	parts := strings.Split(spec, ",")
	if len(parts) < 3 || len(parts) > 4 {
		return vpc.Subnet{}, fmt.Errorf("--subnet %q: want SUBNET-ID,ZONE,CIDR[,VPC-ID], e.g. subnet-0a1b2c3d4e5f60718,us-east-1a,10.0.1.0/24", spec)
	}
	s := vpc.Subnet{ID: parts[0], AvailabilityZone: parts[1], CIDR: parts[2]}
	if len(parts) == 4 {
		s.VpcID = parts[3]
	}
	return s, nil
}

// makeWorld builds a World from cfg and, with steps, makes them: each at
// its time after the start, in time order and file order at one instant.
// A step that fails without expecting to stops it.
func makeWorld(cfg ecssim.Config, steps []scenario.Step) (*ecssim.World, error) {
	w, err := ecssim.New(cfg)
	if err != nil {
		return nil, err
	}
	start := w.Now()
	steps = slices.Clone(steps)
	slices.SortStableFunc(steps, func(a, b scenario.Step) int { return cmp.Compare(a.At, b.At) })
	for _, st := range steps {
		if err := w.RunUntil(start.Add(st.At)); err != nil {
			return nil, err
		}
		if _, err := w.Call(st.Call, st.Input); err != nil && st.ExpectError == "" {
			return nil, fmt.Errorf("%s: %s at %s failed: %w", st.Pos, st.Call, scenario.Clock(st.At), err)
		}
	}
	return w, nil
}

func serve(cmd *cobra.Command, arg string, f serveFlags) error {
	if f.speed < 0 || math.IsNaN(f.speed) || f.speed*followTick.Seconds() > awsapi.MaxRunSpan.Seconds() {
		return &exitError{code: 2, err: fmt.Errorf("--speed must lie between 0 and %g", awsapi.MaxRunSpan.Seconds()/followTick.Seconds())}
	}
	var sc *scenario.Scenario
	if arg != "" {
		var err error
		if sc, err = loadScenario(arg); err != nil {
			return invalid(cmd.ErrOrStderr(), arg, err)
		}
	} else if f.runSteps {
		return &exitError{code: 2, err: errors.New("--run-steps needs a SCENARIO")}
	}
	cfg, err := serveConfig(cmd, sc, f)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	var steps []scenario.Step
	if f.runSteps {
		steps = sc.Steps
	}
	build := func() (*ecssim.World, error) { return makeWorld(cfg, steps) }
	w, err := build()
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	srv := awsapi.New(w)
	srv.SetReset(build)
	srv.ServeRegions(func(region string) (*ecssim.World, error) {
		other := cfg
		other.Region, other.Subnets, other.SecurityGroups = region, nil, nil
		return ecssim.New(other)
	})
	srv.AllowHosts(f.allowHosts...)
	if err := srv.SetPollAdvance(f.pollAdvance); err != nil {
		return &exitError{code: 2, err: fmt.Errorf("--advance-per-poll: %w", err)}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	hs := newHTTPServer(srv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	if serveContext != nil {
		ctx, stop = serveContext()
	}
	defer stop()
	c := w.Config()
	fmt.Fprintf(cmd.OutOrStdout(), "ecssim: serving ECS, Application Auto Scaling, CloudWatch, STS and EC2 on http://%s (region %s, account %s, seed %d, %s)\n",
		ln.Addr(), c.Region, c.AccountID, c.Seed, timeText(f))
	if serveListening != nil {
		serveListening(ln.Addr().String())
	}
	done := make(chan struct{})
	follow := make(chan error, 1)
	if f.speed > 0 {
		go func() { follow <- srv.Follow(f.speed, followTick, done) }()
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	case err = <-follow:
	}
	close(done)
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(shutdown)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return &exitError{code: 1, err: err}
	}
	return nil
}

// newHTTPServer returns the http.Server of ecssim serve, with its limits:
// no connection, slow or idle, is held for ever.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: serveReadHeaderTimeout, ReadTimeout: serveReadTimeout,
		WriteTimeout: serveWriteTimeout, IdleTimeout: serveIdleTimeout, MaxHeaderBytes: serveMaxHeaderBytes}
}

func timeText(f serveFlags) string {
	var parts []string
	if f.speed > 0 {
		parts = append(parts, fmt.Sprintf("%gx the wall clock", f.speed))
	}
	if f.pollAdvance > 0 {
		parts = append(parts, fmt.Sprintf("%s a poll", f.pollAdvance))
	}
	if len(parts) == 0 {
		return "time moves on POST /_ecssim/run"
	}
	return "time moves " + strings.Join(parts, " and ")
}
