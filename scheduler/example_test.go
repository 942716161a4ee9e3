package scheduler_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ecssim/ecssim/scheduler"
)

// A service's tasks are placed one at a time: Place chooses, Reserve
// records. With no strategy the service default balances Availability
// Zones, then instances.
func Example() {
	c := scheduler.NewCluster()
	for _, in := range []struct{ id, az string }{{"ci-1", "us-east-1a"}, {"ci-2", "us-east-1a"}, {"ci-3", "us-east-1b"}} {
		err := c.AddInstance(scheduler.Instance{
			ID: in.id, CPU: 2048, Memory: 3840, ENIs: 2,
			Attributes: map[string]string{scheduler.AttributeAvailabilityZone: in.az},
		})
		if err != nil {
			panic(err)
		}
	}
	plan, err := c.Compile(scheduler.Spec{Service: true})
	if err != nil {
		panic(err) // an *api.Error: InvalidParameterException
	}
	task := &scheduler.Task{Group: "service:web", CPU: 1024, Memory: 1024, HostPorts: []scheduler.Port{{Number: 80}}}
	rng := rand.New(rand.NewPCG(1, 2)) // the engine's stream for placement
	for range 4 {
		res := c.Place(plan, task, rng)
		if !res.Placed() {
			fmt.Println(scheduler.UnableToPlaceMessage("web", res))
			break
		}
		if _, err := c.Reserve(res.Instance, task); err != nil {
			panic(err)
		}
		fmt.Println("placed on", res.Instance)
	}
	// Output:
	// placed on ci-1
	// placed on ci-3
	// placed on ci-2
	// (service web) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance ci-1 is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.
}

// RunTask failures: every ACTIVE instance with its first failing reason.
func ExampleCluster_Rejections() {
	c := scheduler.NewCluster()
	_ = c.AddInstance(scheduler.Instance{ID: "ci-1", CPU: 512, Memory: 4096})
	_ = c.AddInstance(scheduler.Instance{ID: "ci-2", CPU: 4096, Memory: 512})
	_ = c.AddInstance(scheduler.Instance{ID: "ci-3", CPU: 4096, Memory: 4096,
		Attributes: map[string]string{"ecs.instance-type": "m5.large"}})
	plan, _ := c.Compile(scheduler.Spec{Constraints: []scheduler.Constraint{
		{Type: scheduler.ConstraintMemberOf, Expression: "attribute:ecs.instance-type =~ t3.*"},
	}})
	task := &scheduler.Task{Group: "family:batch", CPU: 1024, Memory: 1024}
	for _, r := range c.Rejections(plan, task) {
		fmt.Printf("%s %s\n", r.Instance, r.Reason)
	}
	// Output:
	// ci-1 RESOURCE:CPU
	// ci-2 RESOURCE:MEMORY
	// ci-3 MemberOf placement constraint unsatisfied.
}
