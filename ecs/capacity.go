package ecs

import (
	"slices"
	"time"

	"github.com/ecssim/ecssim/api"
)

// The capacity providers every account has. [DG:fargate-capacity-providers]
const (
	ProviderFargate     = "FARGATE"
	ProviderFargateSpot = "FARGATE_SPOT"
)

// Strategy limits. [API:CapacityProviderStrategyItem]
const (
	maxStrategyItems = 20
	maxBase          = 100000
	maxWeight        = 1000
)

// spotInterruptedReason is the stopped reason of an interrupted Fargate
// Spot task. [DG:fargate-capacity-providers]
const spotInterruptedReason = "Your Spot Task was interrupted."

// capacityUnavailable is what ECS says when Fargate Spot has no capacity.
const capacityUnavailable = "Capacity is unavailable at this time. Please try again later or in a different availability zone."

// launchPlan is how a RunTask or service launches its tasks: a launch type,
// or a capacity provider strategy.
type launchPlan struct {
	launchType string
	strategy   []CapacityProviderStrategyItem // nil with a launch type
}

// resolveLaunch resolves launchType and capacityProviderStrategy: they are
// exclusive; neither means the cluster's default strategy, or the EC2
// launch type when the cluster has none. A strategy must be valid for the
// cluster. [API:CreateServiceRequest.launchType/.capacityProviderStrategy]
func (m *ECS) resolveLaunch(lt *string, strategy []CapacityProviderStrategyItem, cl *cluster) (launchPlan, error) {
	if lt != nil && len(strategy) > 0 {
		return launchPlan{}, api.InvalidParameter("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.")
	}
	if lt != nil {
		switch *lt {
		case LaunchFargate, LaunchEC2, "EXTERNAL", "MANAGED_INSTANCES":
			return launchPlan{launchType: *lt}, nil
		}
		return launchPlan{}, api.InvalidParameter("launchType must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.").At("launchType")
	}
	path := "capacityProviderStrategy"
	if len(strategy) == 0 {
		strategy, path = cl.strategy, "defaultCapacityProviderStrategy"
	}
	if len(strategy) == 0 {
		return launchPlan{launchType: LaunchEC2}, nil
	}
	if err := m.checkStrategy(cl, strategy, path); err != nil {
		return launchPlan{}, err
	}
	kind := LaunchFargate
	if name := api.Deref(strategy[0].CapacityProvider); name != ProviderFargate && name != ProviderFargateSpot {
		kind = LaunchEC2 // Auto Scaling group providers run tasks on their instances
	}
	return launchPlan{launchType: kind, strategy: slices.Clone(strategy)}, nil
}

// checkStrategy applies the rules of a capacity provider strategy: 1 to
// 20 providers, base 0–100,000 on at most one of them, weights 0–1,000
// with at least one above 0, every provider associated with the cluster.
// [API:CapacityProviderStrategyItem] [DG:cluster-capacity-providers]
func (m *ECS) checkStrategy(cl *cluster, strategy []CapacityProviderStrategyItem, path string) error {
	if len(strategy) > maxStrategyItems {
		return api.InvalidParameter("The capacity provider strategy can contain at most %d capacity providers.", maxStrategyItems).At(path)
	}
	bases, weighted := 0, false
	seen := map[string]bool{}
	fargate, asg := false, false
	for i, it := range strategy {
		name := api.Deref(it.CapacityProvider)
		if name == "" {
			return api.InvalidParameter("capacityProvider can not be blank.").At(indexPath(path, i, "capacityProvider"))
		}
		if seen[name] {
			return api.InvalidParameter("The capacity provider strategy contains %s more than once.", name).At(indexPath(path, i, "capacityProvider"))
		}
		seen[name] = true
		if b := api.Deref(it.Base); b < 0 || b > maxBase {
			return api.InvalidParameter("base must be between 0 and %d.", maxBase).At(indexPath(path, i, "base"))
		} else if b > 0 {
			bases++
		}
		if w := api.Deref(it.Weight); w < 0 || w > maxWeight {
			return api.InvalidParameter("weight must be between 0 and %d.", maxWeight).At(indexPath(path, i, "weight"))
		} else if w > 0 {
			weighted = true
		}
		if !slices.Contains(cl.providers, name) {
			// Observed wording. (https://github.com/dask/dask-cloudprovider/issues/328)
			return api.InvalidParameter("The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.").At(indexPath(path, i, "capacityProvider"))
		}
		if name == ProviderFargate || name == ProviderFargateSpot {
			fargate = true
		} else {
			asg = true
		}
	}
	if fargate && asg {
		// [DG:cluster-capacity-providers]
		return api.InvalidParameter("A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.").At(path)
	}
	if bases > 1 {
		return api.InvalidParameter("Only one capacity provider in a strategy can have a base defined.").At(path)
	}
	if !weighted {
		return api.InvalidParameter("At least one capacity provider in a strategy must have a weight greater than zero.").At(path)
	}
	return nil
}

// pickProvider chooses the provider for the next task of a strategy,
// given how many tasks each provider already runs: the first base tasks
// go to the provider with a base, the rest in proportion to the weights.
// It gives the provider furthest below its share of n+1 tasks, ties to
// the earlier provider in the strategy. Worked example: base 2 on A
// (weight 1) and B weight 3 put ten tasks as A 4, B 6.
// [API:CapacityProviderStrategyItem.base/.weight]
func pickProvider(strategy []CapacityProviderStrategyItem, counts map[string]int) string {
	n := 0
	for _, c := range counts {
		n += c
	}
	target := splitStrategy(strategy, n+1)
	best, bestGap := "", 0
	for i, it := range strategy {
		name := api.Deref(it.CapacityProvider)
		gap := target[i] - counts[name]
		if best == "" || gap > bestGap {
			best, bestGap = name, gap
		}
	}
	return best
}

// splitStrategy returns how many of n tasks each provider of the
// strategy should run: base first, then the rest by weight with the
// largest remainders rounding up (ties to the earlier provider).
func splitStrategy(strategy []CapacityProviderStrategyItem, n int) []int {
	out := make([]int, len(strategy))
	rest := n
	for i, it := range strategy {
		if b := int(api.Deref(it.Base)); b > 0 {
			out[i] = min(b, rest)
			rest -= out[i]
		}
	}
	total := 0
	for _, it := range strategy {
		total += int(api.Deref(it.Weight))
	}
	if rest <= 0 || total == 0 {
		return out
	}
	given := 0
	rems := make([]int, len(strategy))
	for i, it := range strategy {
		w := int(api.Deref(it.Weight))
		share := rest * w / total
		out[i] += share
		given += share
		rems[i] = rest * w % total
	}
	for given < rest {
		bi := -1
		for i := range strategy {
			if api.Deref(strategy[i].Weight) > 0 && (bi < 0 || rems[i] > rems[bi]) {
				bi = i
			}
		}
		out[bi]++
		rems[bi] = -1
		given++
	}
	return out
}

// CapacityProvider is the API shape of a capacity provider.
type CapacityProvider struct {
	CapacityProviderArn      string                    `json:"capacityProviderArn"`
	Name                     string                    `json:"name"`
	Status                   string                    `json:"status"`
	Type                     string                    `json:"type,omitempty"`
	AutoScalingGroupProvider *AutoScalingGroupProvider `json:"autoScalingGroupProvider,omitempty"`
	Tags                     []api.Tag                 `json:"tags,omitempty"`
}

// PutClusterCapacityProvidersInput is the input of
// PutClusterCapacityProviders.
type PutClusterCapacityProvidersInput struct {
	Cluster                         *string                        `json:"cluster,omitempty"`
	CapacityProviders               []string                       `json:"capacityProviders"`
	DefaultCapacityProviderStrategy []CapacityProviderStrategyItem `json:"defaultCapacityProviderStrategy"`
}

// PutClusterCapacityProvidersOutput is the output of
// PutClusterCapacityProviders.
type PutClusterCapacityProvidersOutput struct {
	Cluster Cluster `json:"cluster"`
}

// PutClusterCapacityProviders sets a cluster's capacity providers and
// default strategy; both are required (an empty list clears them).
// [API:PutClusterCapacityProviders]
func (m *ECS) PutClusterCapacityProviders(in *PutClusterCapacityProvidersInput) (*PutClusterCapacityProvidersOutput, error) {
	if in.Cluster == nil || *in.Cluster == "" {
		return nil, api.InvalidParameter("cluster must be specified.").At("cluster")
	}
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if err := m.checkProviders(cl, in.CapacityProviders); err != nil {
		return nil, err
	}
	next := &cluster{providers: slices.Clone(in.CapacityProviders)}
	if len(in.DefaultCapacityProviderStrategy) > 0 {
		if err := m.checkStrategy(next, in.DefaultCapacityProviderStrategy, "defaultCapacityProviderStrategy"); err != nil {
			return nil, err
		}
	}
	m.setProviders(cl, next.providers)
	cl.strategy = slices.Clone(in.DefaultCapacityProviderStrategy)
	return &PutClusterCapacityProvidersOutput{Cluster: cl.shape(m, false, false)}, nil
}

// DescribeCapacityProvidersInput is the input of DescribeCapacityProviders.
type DescribeCapacityProvidersInput struct {
	CapacityProviders []string `json:"capacityProviders,omitempty"`
	Include           []string `json:"include,omitempty"`
	MaxResults        *int32   `json:"maxResults,omitempty"`
	NextToken         *string  `json:"nextToken,omitempty"`
}

// DescribeCapacityProvidersOutput is the output of
// DescribeCapacityProviders.
type DescribeCapacityProvidersOutput struct {
	CapacityProviders []CapacityProvider `json:"capacityProviders"`
	Failures          []Failure          `json:"failures"`
	NextToken         *string            `json:"nextToken,omitempty"`
}

// DescribeCapacityProviders describes the FARGATE and FARGATE_SPOT
// providers every account has.
func (m *ECS) DescribeCapacityProviders(in *DescribeCapacityProvidersInput) (*DescribeCapacityProvidersOutput, error) {
	all := []CapacityProvider{}
	for _, name := range []string{ProviderFargate, ProviderFargateSpot} {
		all = append(all, CapacityProvider{CapacityProviderArn: m.arn("capacity-provider/" + name), Name: name, Status: "ACTIVE", Type: name})
	}
	for _, name := range sortedKeys(m.providers) {
		all = append(all, m.providers[name].shape())
	}
	out := &DescribeCapacityProvidersOutput{Failures: []Failure{}}
	if len(in.CapacityProviders) == 0 {
		page, next, err := paginate(all, in.MaxResults, in.NextToken, 10)
		if err != nil {
			return nil, err
		}
		out.CapacityProviders, out.NextToken = append([]CapacityProvider{}, page...), next
		return out, nil
	}
	out.CapacityProviders = []CapacityProvider{}
	for _, ref := range in.CapacityProviders {
		i := slices.IndexFunc(all, func(p CapacityProvider) bool { return p.Name == ref || p.CapacityProviderArn == ref })
		if i < 0 {
			out.Failures = append(out.Failures, Failure{Arn: api.String(ref), Reason: api.String("MISSING")})
			continue
		}
		out.CapacityProviders = append(out.CapacityProviders, all[i])
	}
	return out, nil
}

// spotState is the Fargate Spot market the World simulates.
type spotState struct {
	unavailable bool    // no Spot capacity: new Spot tasks cannot start
	ratePerHour float64 // interruptions per Spot task-hour
}

// armSpotInterruption draws when a Fargate Spot task will be interrupted,
// from the interruption rate (exponential inter-arrival times).
func (m *ECS) armSpotInterruption(t *task) {
	t.spotTimer.Cancel()
	if t.provider != ProviderFargateSpot || m.spot.ratePerHour <= 0 || !t.active() {
		return
	}
	mean := float64(time.Hour) / m.spot.ratePerHour
	d := time.Duration(m.eng.Rand("faults/spot").ExpFloat64() * mean)
	t.spotTimer, _ = m.eng.AfterArg(d, m.actSpot, t)
}

func (m *ECS) onSpotInterruption(arg any) error {
	m.interruptSpot(arg.(*task))
	return nil
}

// interruptSpot interrupts a Fargate Spot task: ECS sends the task state
// change with desiredStatus STOPPED and the stop signal at once; the task
// has two minutes at most before it is gone, its stopTimeout (at most 120
// seconds on Fargate) bounding the shutdown. [DG:fargate-capacity-providers]
func (m *ECS) interruptSpot(t *task) {
	if t.active() {
		m.stopTask(t, StopTerminationNotice, spotInterruptedReason)
	}
}

// SetSpotMarketInput is the input of sim:SetSpotMarket.
type SetSpotMarketInput struct {
	// Available says whether Fargate Spot has capacity for new tasks.
	Available *bool `json:"available,omitempty"`
	// InterruptionsPerTaskHour is the rate at which running Fargate Spot
	// tasks are interrupted; 0 stops random interruptions.
	InterruptionsPerTaskHour *float64 `json:"interruptionsPerTaskHour,omitempty"`
}

// SetSpotMarket changes the simulated Fargate Spot market: capacity for
// new tasks, and the random interruption rate of running ones (drawn from
// a seeded stream).
func (m *ECS) SetSpotMarket(in *SetSpotMarketInput) (*Empty, error) {
	if r := in.InterruptionsPerTaskHour; r != nil && (*r < 0 || *r > 3600) {
		return nil, api.InvalidParameter("interruptionsPerTaskHour must be between 0 and 3600.").At("interruptionsPerTaskHour")
	}
	if in.Available != nil {
		m.spot.unavailable = !*in.Available
	}
	if in.InterruptionsPerTaskHour != nil {
		m.spot.ratePerHour = *in.InterruptionsPerTaskHour
		for t := range m.eachTask {
			if t.provider == ProviderFargateSpot && t.active() && t.last != StatusStopped {
				m.armSpotInterruption(t)
			}
		}
	}
	if in.Available != nil && *in.Available {
		m.kickAll()
	}
	return &Empty{}, nil
}

// InterruptSpotTasksInput is the input of sim:InterruptSpotTasks.
type InterruptSpotTasksInput struct {
	Cluster *string `json:"cluster,omitempty"`
	// Count is how many running Spot tasks to interrupt, chosen at random
	// (seeded); default all of them.
	Count *int32 `json:"count,omitempty"`
}

// InterruptSpotTasksOutput is the output of sim:InterruptSpotTasks.
type InterruptSpotTasksOutput struct {
	TaskArns []string `json:"taskArns"`
}

// InterruptSpotTasks interrupts running Fargate Spot tasks of a cluster
// now.
func (m *ECS) InterruptSpotTasks(in *InterruptSpotTasksInput) (*InterruptSpotTasksOutput, error) {
	cl, err := m.activeCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	var spot []*task
	for t := range m.eachTask {
		if t.cl == cl && t.provider == ProviderFargateSpot && t.active() && t.last != StatusStopped {
			spot = append(spot, t)
		}
	}
	n := len(spot)
	if in.Count != nil {
		if *in.Count < 0 {
			return nil, api.InvalidParameter("count must be at least 0.").At("count")
		}
		n = min(n, int(*in.Count))
	}
	r := m.eng.Rand("faults/spot")
	r.Shuffle(len(spot), func(i, j int) { spot[i], spot[j] = spot[j], spot[i] })
	out := &InterruptSpotTasksOutput{TaskArns: []string{}}
	for _, t := range spot[:n] {
		out.TaskArns = append(out.TaskArns, t.arn)
		m.interruptSpot(t)
	}
	return out, nil
}

// kickAll asks every active service to reconcile.
func (m *ECS) kickAll() {
	for _, c := range m.clusters.sorted() {
		for _, name := range sortedKeys(c.services) {
			if s := c.services[name]; s.status == ServiceActive {
				m.kick(s)
			}
		}
	}
}

// checkProviders checks a cluster's list of capacity providers: each
// exists, and an Auto Scaling group provider is associated with no other
// cluster. [DG:cluster-auto-scaling]
func (m *ECS) checkProviders(cl *cluster, names []string) error {
	for i, name := range names {
		if name == ProviderFargate || name == ProviderFargateSpot {
			continue
		}
		p, ok := m.providers[name]
		if !ok {
			return api.InvalidParameter("The specified capacity provider was not found. Specify a valid capacity provider and try again.").At(indexPath("capacityProviders", i, ""))
		}
		if p.cl != nil && p.cl != cl {
			return api.InvalidParameter("The specified capacity provider %s is already associated with cluster %s.", name, p.cl.name).At(indexPath("capacityProviders", i, ""))
		}
		if p.asg.cl != cl {
			return api.InvalidParameter("The Auto Scaling group of capacity provider %s launches instances into cluster %s.", name, p.asg.cl.name).At(indexPath("capacityProviders", i, ""))
		}
	}
	return nil
}

// setProviders replaces a cluster's providers, associating the Auto
// Scaling group providers with it (which starts their managed scaling)
// and releasing those no longer listed.
func (m *ECS) setProviders(cl *cluster, names []string) {
	for _, old := range cl.providers {
		if p, ok := m.providers[old]; ok && !slices.Contains(names, old) {
			m.release(p)
		}
	}
	cl.providers = names
	for _, name := range names {
		if p, ok := m.providers[name]; ok {
			m.associate(p, cl)
		}
	}
}
