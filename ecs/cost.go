package ecs

import (
	"slices"
	"strings"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Cost is what a set of tasks cost, in resource-hours and dollars.
type Cost struct {
	// TaskHours is the billed task time.
	TaskHours float64 `json:"taskHours"`
	// VCPUHours and GBHours are the billed Fargate resources.
	VCPUHours float64 `json:"vcpuHours"`
	GBHours   float64 `json:"gbHours"`
	// InstanceHours is the billed EC2 instance time (clusters only:
	// instances are shared by services).
	InstanceHours float64 `json:"instanceHours,omitempty"`
	// USD is the price of the above at the World's prices.
	USD float64 `json:"usd"`
}

func (c *Cost) add(o Cost) {
	c.TaskHours += o.TaskHours
	c.VCPUHours += o.VCPUHours
	c.GBHours += o.GBHours
	c.InstanceHours += o.InstanceHours
	c.USD += o.USD
}

// CostEntry is the cost of one cluster or service.
type CostEntry struct {
	// Cluster is the cluster name.
	Cluster string `json:"cluster"`
	// Service is the service name; empty for the cluster's total.
	Service string `json:"service,omitempty"`
	Cost
}

// taskCost returns what a task has cost up to now. Fargate bills from the
// start of the image pull until the task stops, per second with a
// one-minute minimum. [https://aws.amazon.com/fargate/pricing/]
func (m *ECS) taskCost(t *task, now sim.Time) Cost {
	if t.launchType != LaunchFargate || t.pullStartedAt == 0 {
		return Cost{}
	}
	end := now
	if t.stoppedAt != 0 {
		end = t.stoppedAt
	}
	billed := m.prices.Billed(end.Sub(t.pullStartedAt))
	hours := billed.Hours()
	cpu, _ := parseTaskCPU(t.cpu)
	mem, _ := parseTaskMemory(t.mem)
	arm := t.def.RuntimePlatform != nil && api.Deref(t.def.RuntimePlatform.CpuArchitecture) == "ARM64"
	usd := m.prices.FargateHourly(cpu, mem, arm) * hours
	if t.provider == ProviderFargateSpot {
		usd *= 1 - m.prices.FargateSpotDiscount
	}
	return Cost{
		TaskHours: hours,
		VCPUHours: float64(cpu) / 1024 * hours,
		GBHours:   float64(mem) / 1024 * hours,
		USD:       usd,
	}
}

// recordCost adds a task's final cost to the running totals once it is
// STOPPED, so that costs survive the task being forgotten an hour later.
//
// A service holds a pointer to its entry, found once, so that a stopping
// task of a service costs no lookup by name.
func (m *ECS) recordCost(t *task) {
	c := m.taskCost(t, t.stoppedAt)
	if s := t.svc; s != nil {
		if s.cost == nil {
			s.cost = m.costEntry(costKey{cluster: t.cl.name, service: s.name})
		}
		s.cost.add(c)
		return
	}
	m.costEntry(costKey{cluster: t.cl.name}).add(c)
}

// costEntry returns the running total of key, made on first use.
func (m *ECS) costEntry(key costKey) *Cost {
	total, ok := m.costs[key]
	if !ok {
		total = new(Cost)
		m.costs[key] = total
	}
	return total
}

type costKey struct{ cluster, service string }

// Costs returns what every cluster and service has cost so far: the
// finished tasks' totals plus the running tasks up to now. Entries are
// sorted by cluster then service; each cluster's total (Service empty)
// comes first. Tasks started without a service count toward their
// cluster's total only.
func (m *ECS) Costs() []CostEntry {
	now := m.eng.Now()
	sums := make(map[costKey]Cost, len(m.costs))
	for k, c := range m.costs {
		sums[k] = *c
	}
	for t := range m.eachTask {
		if t.last == StatusStopped {
			continue
		}
		key := costKey{cluster: t.cl.name}
		if t.svc != nil {
			key.service = t.svc.name
		}
		c := sums[key]
		c.add(m.taskCost(t, now))
		sums[key] = c
	}
	totals := map[string]Cost{}
	for _, c := range m.clusters.sorted() {
		for _, in := range c.instances {
			tot := totals[c.name]
			tot.add(m.instanceCost(in, now))
			totals[c.name] = tot
		}
	}
	for k, c := range sums {
		tot := totals[k.cluster]
		tot.add(c)
		totals[k.cluster] = tot
	}
	var out []CostEntry
	for cl, c := range totals {
		out = append(out, CostEntry{Cluster: cl, Cost: c})
	}
	for k, c := range sums {
		if k.service != "" {
			out = append(out, CostEntry{Cluster: k.cluster, Service: k.service, Cost: c})
		}
	}
	slices.SortFunc(out, func(a, b CostEntry) int {
		if c := strings.Compare(a.Cluster, b.Cluster); c != 0 {
			return c
		}
		return strings.Compare(a.Service, b.Service)
	})
	return out
}

// DescribeCostsInput is the input of sim:DescribeCosts.
type DescribeCostsInput struct{}

// DescribeCostsOutput is the output of sim:DescribeCosts.
type DescribeCostsOutput struct {
	// Costs lists each cluster's total, then its services.
	Costs []CostEntry `json:"costs"`
	// Elapsed is the simulated time the costs cover, in seconds.
	Elapsed float64 `json:"elapsedSeconds"`
}

// DescribeCosts reports what the simulated resources have cost so far.
func (m *ECS) DescribeCosts(*DescribeCostsInput) (*DescribeCostsOutput, error) {
	return &DescribeCostsOutput{Costs: m.Costs(), Elapsed: m.eng.Now().Sub(m.start).Seconds()}, nil
}

// instanceCost returns what an EC2 instance has cost: its on-demand
// price from registration until it left the cluster, per second with a
// one-minute minimum. [https://aws.amazon.com/ec2/pricing/on-demand/]
func (m *ECS) instanceCost(in *instance, now sim.Time) Cost {
	end := now
	if in.stoppedAt != 0 {
		end = in.stoppedAt
	}
	hours := m.prices.Billed(end.Sub(in.launchedAt)).Hours()
	return Cost{InstanceHours: hours, USD: hours * in.itype.HourlyUSD}
}
