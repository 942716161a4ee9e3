package scheduler

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchCluster registers n instances of 2 vCPU / 7,680 MiB across three
// Availability Zones, with a few other attributes.
func benchCluster(tb testing.TB, n int) *Cluster {
	tb.Helper()
	c := NewCluster()
	azs := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
	for k := range n {
		err := c.AddInstance(Instance{
			ID:            fmt.Sprintf("%032x", uint64(k)*0x9e3779b97f4a7c15),
			EC2InstanceID: fmt.Sprintf("i-%017x", k),
			CPU:           2048,
			Memory:        7680,
			ENIs:          2,
			AgentVersion:  "1.80.0",
			Attributes: map[string]string{
				AttributeAvailabilityZone: azs[k%3],
				"ecs.instance-type":       []string{"m5.large", "c5.large", "t3.large"}[k%3],
				"ecs.os-type":             "linux",
				"stack":                   []string{"prod", "staging"}[k%2],
			},
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return c
}

// BenchmarkPlace places one task per op into a cluster that fills as it
// goes: Place, then Reserve the result; when nothing fits, Release every
// task and go on (the releases are part of the measured time). Every op
// considers every instance. The headline case is
// "spread-az+binpack-memory/instances=1000": a service with
// spread(attribute:ecs.availability-zone) then binpack(memory) on 1,000
// instances across 3 AZs. The other cases show the other paths:
// service-default (the AZ-balancing default), runtask-random (draws once per
// placement), memberOf (a constraint: the generic path) and bridge-ports (a
// static and a dynamic host port: the generic path).
func BenchmarkPlace(b *testing.B) {
	az := Strategy{Type: StrategySpread, Field: "attribute:" + AttributeAvailabilityZone}
	cases := []struct {
		name string
		spec Spec
		task Task
		ns   []int
	}{
		{"spread-az+binpack-memory", Spec{Service: true, Strategies: []Strategy{az, {Type: StrategyBinpack, Field: FieldMemory}}},
			Task{Group: "service:web", CPU: 256, Memory: 512}, []int{1000, 5000}},
		{"service-default", Spec{Service: true}, Task{Group: "service:web", CPU: 256, Memory: 512}, []int{1000}},
		{"runtask-random", Spec{}, Task{Group: "family:batch", CPU: 256, Memory: 512}, []int{1000}},
		{"memberOf", Spec{Service: true, Strategies: []Strategy{az, {Type: StrategyBinpack, Field: FieldMemory}},
			Constraints: []Constraint{{Type: ConstraintMemberOf, Expression: "attribute:ecs.instance-type =~ (m5|c5)\\..* and attribute:stack != staging"}}},
			Task{Group: "service:web", CPU: 256, Memory: 512}, []int{1000}},
		{"bridge-ports", Spec{Service: true, Strategies: []Strategy{az, {Type: StrategyBinpack, Field: FieldMemory}}},
			Task{Group: "service:web", CPU: 128, Memory: 256, HostPorts: []Port{{Number: 8080}}, DynamicTCPPorts: 1}, []int{1000}},
	}
	for _, bc := range cases {
		for _, n := range bc.ns {
			b.Run(fmt.Sprintf("%s/instances=%d", bc.name, n), func(b *testing.B) {
				c := benchCluster(b, n)
				p, err := c.Compile(bc.spec)
				if err != nil {
					b.Fatal(err)
				}
				task := &bc.task
				live := make([]Lease, 0, n*16)
				rng := rand.New(rand.NewPCG(1, 2))
				b.ReportAllocs()
				for b.Loop() {
					res := c.Place(p, task, rng)
					if !res.Placed() {
						for k := range live {
							if err := c.Release(&live[k]); err != nil {
								b.Fatal(err)
							}
						}
						live = live[:0]
						res = c.Place(p, task, rng)
					}
					l, err := c.Reserve(res.Instance, task)
					if err != nil {
						b.Fatal(err)
					}
					live = append(live, l)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/instance")
			})
		}
	}
}
