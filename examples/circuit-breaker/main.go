// Command circuit-breaker deploys an image that cannot be pulled to a
// service with the deployment circuit breaker and rollback on: the new
// deployment fails after ceil(0.5 × desired), at least 3, tasks fail to
// start, and ECS rolls back to the last deployment that completed.
package main

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/report"
	"github.com/ecssim/ecssim/workload"
)

func main() {
	w, err := ecssim.New(ecssim.Config{
		Seed: 3,
		Images: map[string]workload.Image{
			// Every pull of this tag fails, as for a tag that was never pushed.
			"myapp:2.0.0-typo": {PullError: "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/myapp:2.0.0-typo: not found"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	timeline := report.NewTimeline(os.Stdout, w.Engine().Now(), false)
	w.Trace().Observe(timeline.Record)

	for _, image := range []string{"myapp:1.9.0", "myapp:2.0.0-typo"} {
		def := fmt.Sprintf(`{"family":"myapp","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024",
			"containerDefinitions":[{"name":"app","image":%q}]}`, image)
		if _, err := w.Call("ecs:RegisterTaskDefinition", []byte(def)); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("prod")}); err != nil {
		log.Fatal(err)
	}
	_, err = w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("prod"), ServiceName: api.String("myapp"), TaskDefinition: api.String("myapp:1"),
		DesiredCount: api.Int32(6), LaunchType: api.String("FARGATE"),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		},
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.RunFor(5 * time.Minute); err != nil {
		log.Fatal(err)
	}
	fmt.Println("\n--- UpdateService taskDefinition=myapp:2 (its image cannot be pulled)")
	if _, err := w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("prod"), Service: api.String("myapp"), TaskDefinition: api.String("myapp:2")}); err != nil {
		log.Fatal(err)
	}
	if err := w.RunFor(15 * time.Minute); err != nil {
		log.Fatal(err)
	}
	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("prod"), Services: []string{"myapp"}})
	if err != nil {
		log.Fatal(err)
	}
	d := out.Services[0].Deployments[0]
	fmt.Printf("\nprimary deployment %s: %s, %s (%s)\n", d.Id, d.TaskDefinition, d.RolloutState, d.RolloutStateReason)
}
