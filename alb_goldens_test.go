package ecssim_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// A routed scenario runs a service behind the ALB of alb() under listener
// traffic and samples the routing as it goes. Its golden file holds the
// samples (what each target got) followed by the trace's timeline and hash.
type routedScenario struct {
	name   string
	images map[string]workload.Image
	run    func(f *fleet, s *sampler)
	check  func(t *testing.T, f *fleet, table string)
}

// sampler runs a fleet under the invariant checker and writes a line per
// sample: the time since the start, the service's desired and running
// counts, the requests per second the load balancer receives and answers
// itself with a 5XX, and each registered target of the first group as
// ip:state=requests per second. The default subnets' addresses are
// 172.31.0.x (zone a), 172.31.16.x (zone b) and 172.31.32.x (zone c).
type sampler struct {
	f *fleet
	c *ecssimtest.Checker
	b strings.Builder
}

// every samples n times, step apart.
func (s *sampler) every(step time.Duration, n int) {
	t := s.f.t
	t.Helper()
	for range n {
		require.NoError(t, ecssimtest.RunChecked(s.f.w, s.c, step))
		sv := s.f.service("web")
		fmt.Fprintf(&s.b, "%s desired=%d running=%d", s.f.w.Elapsed(), sv.DesiredCount, sv.RunningCount)
		for _, lt := range s.f.w.LoadBalancerTraffic() {
			fmt.Fprintf(&s.b, " rps=%.4g elb5xx=%.4g", lt.Requests, lt.ELB5XX)
			for _, x := range lt.Groups[0].Targets {
				fmt.Fprintf(&s.b, " %s:%s=%.4g", x.ID, x.State, x.RPS)
			}
		}
		s.b.WriteString("\n")
	}
}

// playRouted runs sc with seed and returns the fleet and its samples.
func playRouted(t *testing.T, sc routedScenario, seed uint64) (*fleet, string) {
	f := newFleet(t, seed, sc.images)
	s := &sampler{f: f, c: ecssimtest.NewChecker(f.w)}
	defer s.c.Close()
	sc.run(f, s)
	require.NoError(t, f.w.Trace().Err())
	return f, s.b.String()
}

// rpsOf parses the requests per second of target ip in a sample line, and
// whether the line lists it.
func rpsOf(line, ip string) (float64, bool) {
	for _, field := range strings.Fields(line) {
		if id, rest, ok := strings.Cut(field, ":"); ok && id == ip {
			var v float64
			_, err := fmt.Sscanf(rest[strings.IndexByte(rest, '=')+1:], "%g", &v)
			return v, err == nil
		}
	}
	return 0, false
}

// countFields counts the fields of line that end with suffix.
func countFields(line, suffix string) int {
	n := 0
	for _, field := range strings.Fields(line) {
		if strings.HasSuffix(field, suffix) {
			n++
		}
	}
	return n
}

// lbSetup is the load balancer, group and 3-task service every routed
// scenario starts from: checks every 10 s on /health, 2 to turn healthy,
// a 30 s deregistration delay, plus the given group attributes.
func lbSetup(f *fleet, desired int32, shape string, attrs ...elb.TargetGroupAttribute) (tg, lbDim, tgDim string) {
	tg = f.alb(elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}, "30")
	if len(attrs) > 0 {
		_, err := f.w.ELB().ModifyTargetGroupAttributes(&elb.ModifyTargetGroupAttributesInput{TargetGroupArn: &tg, Attributes: attrs})
		require.NoError(f.t, err)
	}
	lbDim, tgDim = f.listenerShape(tg, shape)
	f.register("web", "web:1", false)
	f.createLBService("web", tg, desired, 0, nil)
	return tg, lbDim, tgDim
}

var routedScenarios = []routedScenario{
	{
		// 3 tasks take 300 requests per second; the service scales to 6.
		// The group's 120 s slow start gives each new target a share
		// that grows linearly from 0 to the fair share over 120 s after
		// it turns healthy, so the old targets carry the rest meanwhile.
		name:   "alb-slow-start",
		images: map[string]workload.Image{"web:*": servedApp},
		run: func(f *fleet, s *sampler) {
			lbSetup(f, 3, "constant(300)", elb.TargetGroupAttribute{Key: api.String(elb.AttrSlowStart), Value: api.String("120")})
			s.every(time.Minute, 4)
			f.scale("web", 6)
			s.every(15*time.Second, 16)
			s.every(time.Minute, 2)
		},
		check: func(t *testing.T, f *fleet, table string) {
			require.Equal(t, int32(6), f.service("web").RunningCount)
			lines := strings.Split(strings.TrimSpace(table), "\n")
			// At the end, every target has its fair share, 50 rps.
			last := lines[len(lines)-1]
			require.Equal(t, 6, countFields(last, ":healthy=50"), last)
			// Each new target's share ramps linearly: 50 rps × 15 s / 120 s
			// = 6.25 rps more at every 15 s sample until it reaches 50,
			// while the old targets carry the rest.
			old := strings.Fields(lines[0])
			ramps := 0
			for _, field := range strings.Fields(lines[len(lines)-1])[4:] {
				ip, _, _ := strings.Cut(field, ":")
				if slices.ContainsFunc(old, func(o string) bool { return strings.HasPrefix(o, ip+":") }) {
					continue
				}
				prev := -1.0
				for _, l := range lines {
					v, ok := rpsOf(l, ip)
					if ok && v > 0 && v < 50 {
						if prev > 0 {
							require.InDelta(t, 6.25, v-prev, 0.01, "%s ramps linearly:\n%s", ip, table)
							ramps++
						}
						prev = v
					}
				}
			}
			require.GreaterOrEqual(t, ramps, 3*5, "the samples caught the ramp:\n%s", table)
		},
	},
	{
		// 6 tasks, two per zone, take 300 requests per second. Zone
		// us-east-1a fails at 5 min for 10 min: its tasks stop, their
		// targets leave the routing at once, and the 4 targets in the
		// other zones take 75 rps each until ECS has replaced the lost
		// tasks in zones b and c and their targets turn healthy.
		name:   "alb-az-outage",
		images: map[string]workload.Image{"web:*": servedApp},
		run: func(f *fleet, s *sampler) {
			lbSetup(f, 6, "constant(300)")
			s.every(time.Minute, 5)
			_, err := f.w.Call("sim:FailAvailabilityZone", []byte(`{"availabilityZone":"us-east-1a","for":"10m"}`))
			require.NoError(f.t, err)
			s.every(15*time.Second, 12)
			s.every(time.Minute, 12)
		},
		check: func(t *testing.T, f *fleet, table string) {
			require.Equal(t, int32(6), f.service("web").RunningCount)
			sample := func(at string) string {
				for _, l := range strings.Split(table, "\n") {
					if strings.HasPrefix(l, at+" ") {
						return l
					}
				}
				t.Fatalf("no sample at %s:\n%s", at, table)
				return ""
			}
			// 15 s into the outage: zone a's targets drain and get
			// nothing; the other 4 take 75 rps each; nothing is lost.
			l := sample("5m15s")
			require.Equal(t, 4, countFields(l, ":healthy=75"), l)
			require.Equal(t, 2, strings.Count(l, "172.31.0."), l)
			require.Equal(t, 2, strings.Count(l, ":draining=0"), l)
			require.Contains(t, l, " elb5xx=0 ")
			// Replaced in zones b and c: 6 healthy targets, none in a.
			l = sample("10m0s")
			require.Equal(t, 6, countFields(l, ":healthy=50"), l)
			require.NotContains(t, l, "172.31.0.")
			// Once the zone is back, ECS rebalances a task into it.
			require.Contains(t, sample("20m0s"), "172.31.0.")
			require.Contains(t, table, "\n5m0s ", "sampled just before the outage")
		},
	},
	{
		// 3 tasks take 300 requests per second, 6,000 a minute each,
		// which is the target of a target-tracking policy on
		// ALBRequestCountPerTarget. At 10 min the traffic triples for
		// 40 min. The policy sees it only through its alarm (3 one-minute
		// datapoints above 6,000, each published a minute late), then
		// asks for ceil(3 × 18000 / 6000) = 9 tasks, which serve only once
		// their targets are healthy: minutes during which 3 targets carry
		// 300 rps each. When the spike ends the low alarm (15 datapoints)
		// scales back in.
		name:   "alb-spike-scale-out",
		images: map[string]workload.Image{"web:*": servedApp},
		run: func(f *fleet, s *sampler) {
			_, lbDim, tgDim := lbSetup(f, 3, "spike(300,900,10m,40m)")
			_, err := f.w.Call("application-autoscaling:RegisterScalableTarget", []byte(`{"ServiceNamespace":"ecs","ResourceId":"service/demo/web",
				"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":3,"MaxCapacity":20}`))
			require.NoError(f.t, err)
			_, err = f.w.Call("application-autoscaling:PutScalingPolicy", fmt.Appendf(nil, `{"PolicyName":"requests","ServiceNamespace":"ecs","ResourceId":"service/demo/web",
				"ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling",
				"TargetTrackingScalingPolicyConfiguration":{"TargetValue":6000,
				"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget","ResourceLabel":%q}}}`, lbDim+"/"+tgDim))
			require.NoError(f.t, err)
			s.every(time.Minute, 80)
			fmt.Fprintf(&s.b, "RequestCountPerTarget:%s\n", sums(f.t, f, "RequestCountPerTarget", "Sum", "TargetGroup", tgDim))
		},
		check: func(t *testing.T, f *fleet, table string) {
			var desired []string
			for _, l := range strings.Split(table, "\n") {
				if fields := strings.Fields(l); len(fields) > 2 && strings.HasPrefix(fields[1], "desired=") {
					desired = append(desired, fields[0]+" "+fields[1])
				}
			}
			require.Contains(t, desired, "10m0s desired=3", "the spike starts at 10 min")
			// Minutes 10, 11 and 12 breach; minute 12 is published at 14:00,
			// when the alarm sees its third datapoint and scales out.
			require.Contains(t, desired, "13m0s desired=3", "the alarm has not yet seen 3 datapoints")
			require.Contains(t, desired, "14m0s desired=9", "the third breaching minute is visible at 14:00")
			require.Contains(t, desired, "20m0s desired=9", "scaled out to 9 tasks")
			require.Contains(t, desired, "1h0m0s desired=9", "the spike ended at 50 min; scale-in waits for 15 low datapoints")
			require.Contains(t, desired, "1h20m0s desired=3", "scaled back in after the spike")
		},
	},
}

func TestALBRoutedScenarios(t *testing.T) {
	for _, sc := range routedScenarios {
		t.Run(sc.name, func(t *testing.T) {
			f, table := playRouted(t, sc, 1)
			sc.check(t, f, table)
			start := f.w.Trace().Records()[0].Time
			got := table + "\n" + ecssimtest.Timeline(start, f.w.Trace().Records()) + "hash " + f.w.Trace().Hash() + "\n"
			path := filepath.Join("testdata", "golden", sc.name+".txt")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create the golden file")
			require.Equal(t, string(want), got)
		})
	}
}

// TestALBRoutedScenariosDeterministic: the same seed gives the same trace
// and the same samples; another seed another trace.
func TestALBRoutedScenariosDeterministic(t *testing.T) {
	for _, sc := range routedScenarios {
		t.Run(sc.name, func(t *testing.T) {
			fa, a := playRouted(t, sc, 7)
			fb, b := playRouted(t, sc, 7)
			fc, _ := playRouted(t, sc, 8)
			require.Equal(t, fa.w.Trace().Hash(), fb.w.Trace().Hash(), "same seed, same trace")
			require.Equal(t, a, b, "same seed, same samples")
			require.NotEqual(t, fa.w.Trace().Hash(), fc.w.Trace().Hash(), "another seed draws other IDs and timings")
		})
	}
}
