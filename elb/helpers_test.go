package elb_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

// fakeBackend answers health checks from a per-target script: the status
// each target returns, changing at given instants.
type fakeBackend struct {
	instances map[string]string // instance ID → zone
	scripts   map[string][]step // target ID → answers by time
	cpu       float64           // the vCPUs every target has for requests
}

// step is an answer that starts at `from`.
type step struct {
	from    sim.Time
	status  int
	latency time.Duration
	// errorRate of traffic requests answer errorStatus.
	errorRate   float64
	errorStatus int
}

func (b *fakeBackend) InstanceZone(id string) (string, bool) {
	az, ok := b.instances[id]
	return az, ok
}

func (b *fakeBackend) Probe(p elb.Probe) elb.Answer {
	s := b.scripts[p.ID]
	a := elb.Answer{Status: 200, Until: sim.Never, CPU: b.cpu}
	for i, st := range s {
		if st.from <= p.At {
			a.Status, a.Latency, a.ErrorRate, a.ErrorStatus = st.status, st.latency, st.errorRate, st.errorStatus
			if i+1 < len(s) {
				a.Until = s[i+1].from
			} else {
				a.Until = sim.Never
			}
		} else if a.Until == sim.Never || st.from < a.Until {
			a.Until = st.from
			break
		}
	}
	return a
}

type fixture struct {
	eng     *sim.Engine
	m       *elb.ELB
	c       elb.Client
	backend *fakeBackend
}

func newFixture(t testing.TB, tick bool) *fixture {
	eng := sim.New(1, sim.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	b := &fakeBackend{instances: map[string]string{"i-0123456789abcdef0": "us-east-1a"}, scripts: map[string][]step{}}
	m := elb.New(eng, elb.Config{Region: "us-east-1", AccountID: "123456789012", Backend: b, TickHealthChecks: tick})
	table := api.NewTable()
	m.Register(table)
	return &fixture{eng: eng, m: m, c: elb.NewClient(table), backend: b}
}

// alb creates an application load balancer with an HTTP:80 listener
// forwarding to a new ip target group, and returns the group's ARN.
func (f *fixture) alb(t testing.TB, name string) string {
	lb, err := f.c.CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String(name), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}})
	require.NoError(t, err)
	tg, err := f.c.CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String(name + "-tg"), Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
	require.NoError(t, err)
	arn := tg.TargetGroups[0].TargetGroupArn
	_, err = f.c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &arn}}})
	require.NoError(t, err)
	return arn
}

func (f *fixture) health(t testing.TB, tg string) []elb.TargetHealthDescription {
	out, err := f.c.DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &tg})
	require.NoError(t, err)
	return out.TargetHealthDescriptions
}

func (f *fixture) run(t testing.TB, d time.Duration) {
	require.NoError(t, f.eng.RunFor(d))
}
