// Command quickstart runs the getting-started service of the ECS guide on
// a simulated Fargate: a cluster, an nginx task definition and a service of
// three tasks, from nothing to a steady state.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/report"
)

// taskDefinition is the document you would give
// `aws ecs register-task-definition --cli-input-json`.
const taskDefinition = `{
  "family": "nginx",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [{
    "name": "nginx",
    "image": "public.ecr.aws/nginx/nginx:1.25",
    "portMappings": [{"containerPort": 80}]
  }]
}`

func main() {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	timeline := report.NewTimeline(os.Stdout, w.Engine().Now(), false)
	w.Trace().Observe(timeline.Record)

	must(w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")}))
	must(w.Call("ecs:RegisterTaskDefinition", []byte(taskDefinition)))
	must(w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster:        api.String("demo"),
		ServiceName:    api.String("web"),
		TaskDefinition: api.String("nginx"),
		DesiredCount:   api.Int32(3),
		LaunchType:     api.String("FARGATE"),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			// The subnets and security group of ecssim's default VPC.
			Subnets:        []string{"subnet-aaaa0001", "subnet-bbbb0002", "subnet-cccc0003"},
			SecurityGroups: []string{"sg-00000001"},
		}},
	}))

	// Poll as `aws ecs wait services-stable` does, in virtual time.
	if err := w.WaitServicesStable("demo", []string{"web"}, ecssim.WaiterOptions{}); err != nil {
		log.Fatal(err)
	}
	out := must(w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}}))
	s := out.Services[0]
	fmt.Printf("\nservices-stable after %s: %d running, %d pending, deployment %s\n",
		w.Elapsed(), s.RunningCount, s.PendingCount, s.Deployments[0].RolloutState)
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
