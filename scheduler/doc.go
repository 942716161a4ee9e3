// Package scheduler places ECS tasks on the container instances of a
// cluster (the EC2 launch type) and chooses which tasks a service stops
// when it scales in, following ECS's documented pipeline: resources, then
// placement constraints (including the cluster query language), then
// placement strategies, then a deterministic choice. README.md names the
// stages and the vocabulary and lists what is modelled and what is not.
//
// The package is pure: it reads no clock and no global randomness, and
// placement never changes state. The caller owns a [Cluster] per ECS
// cluster and tells it what happens (instances registering, draining and
// leaving, attributes changing, tasks starting and stopping); placement
// reads it.
//
// # Usage
//
//	c := scheduler.NewCluster()
//	err := c.AddInstance(scheduler.Instance{ID: "7f3a...", CPU: 2048, Memory: 7680, ENIs: 2,
//		Attributes: map[string]string{scheduler.AttributeAvailabilityZone: "us-east-1a"}})
//
//	// Once per service (or per RunTask call): validate and compile.
//	plan, err := c.Compile(scheduler.Spec{Service: true, Strategies: strategies, Constraints: constraints})
//	// err is an *api.Error (InvalidParameterException) with a Path.
//
//	// For each task to start:
//	task := &scheduler.Task{Group: "service:web", CPU: 256, Memory: 512, HostPorts: ports}
//	res := c.Place(plan, task, rng) // rng: the engine's placement stream
//	if !res.Placed() {
//		event := scheduler.UnableToPlaceMessage("web", res) // or c.Rejections(plan, task) for RunTask failures
//	}
//	lease, err := c.Reserve(res.Instance, task) // lease.Dynamic: the dynamic host ports chosen
//	...
//	err = c.Leave(&lease)   // when its desired status becomes STOPPED
//	err = c.Release(&lease) // when it has stopped
//
//	// Scale-in: which of these running tasks to stop.
//	k := c.ChooseStop(plan, "service:web", running, rng)
//
// Place allocates nothing and takes about 2 ns per instance for the common
// plans (see BENCHMARKS.md).
package scheduler
