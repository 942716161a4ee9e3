// Command autoscaling runs a Fargate service through a simulated day of
// traffic that peaks in the afternoon, with a target tracking policy that
// keeps its average CPU at 60%, and prints the service hour by hour: the
// request rate, the tasks, their CPU, and the scaling activities.
package main

import (
	"fmt"
	"log"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/workload"
)

const taskDefinition = `{
  "family": "api",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [{"name": "api", "image": "example/api:1", "portMappings": [{"containerPort": 8080}]}]
}`

// policy is the document you would give
// `aws application-autoscaling put-scaling-policy --cli-input-json`.
const policy = `{
  "PolicyName": "cpu60",
  "ServiceNamespace": "ecs",
  "ResourceId": "service/demo/api",
  "ScalableDimension": "ecs:service:DesiredCount",
  "PolicyType": "TargetTrackingScaling",
  "TargetTrackingScalingPolicyConfiguration": {
    "TargetValue": 60,
    "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
    "ScaleOutCooldown": 60,
    "ScaleInCooldown": 300
  }
}`

func main() {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	must(w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")}))
	must(w.Call("ecs:RegisterTaskDefinition", []byte(taskDefinition)))
	must(w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("demo"), ServiceName: api.String("api"), TaskDefinition: api.String("api"),
		DesiredCount: api.Int32(2), LaunchType: api.String("FARGATE"),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002", "subnet-cccc0003"}}},
	}))

	// 30 requests per second at 02:00, 600 at 14:00; 15 ms of CPU each.
	traffic := workload.Traffic{Shape: workload.Diurnal(30, 600, 14*time.Hour), CPUPerRequest: 15 * time.Millisecond}
	must(w.ECS().SetTraffic(&ecs.SetTrafficInput{Cluster: api.String("demo"), Service: api.String("api"), Traffic: &traffic}))
	must(w.Autoscaling().RegisterScalableTarget(&autoscaling.RegisterScalableTargetInput{
		ServiceNamespace: api.String("ecs"), ResourceId: api.String("service/demo/api"),
		ScalableDimension: api.String("ecs:service:DesiredCount"), MinCapacity: api.Int32(2), MaxCapacity: api.Int32(40),
	}))
	must(w.Call("application-autoscaling:PutScalingPolicy", []byte(policy)))

	peak := 0
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TIME\tREQ/S\tDESIRED\tRUNNING\tCPU %\t")
	for h := 0; h <= 24; h++ {
		if h > 0 {
			if err := w.RunFor(time.Hour); err != nil {
				log.Fatal(err)
			}
		}
		out := must(w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"api"}}))
		s := out.Services[0]
		peak = max(peak, int(s.DesiredCount))
		cpu, _, ok := traffic.Utilization(w.Elapsed(), int(s.RunningCount), 512, 1024)
		cpuText := "-"
		if ok {
			cpuText = fmt.Sprintf("%.0f", cpu)
		}
		fmt.Fprintf(tw, "%02d:00\t%.0f\t%d\t%d\t%s\t\n", h, traffic.Shape.Rate(w.Elapsed()), s.DesiredCount, s.RunningCount, cpuText)
	}
	must(0, tw.Flush())

	// Every activity, following NextToken as the aws CLI does.
	out, in := 0, 0
	var token *string
	for {
		page := must(w.Autoscaling().DescribeScalingActivities(&autoscaling.DescribeScalingActivitiesInput{
			ServiceNamespace: api.String("ecs"), NextToken: token}))
		for _, a := range page.ScalingActivities {
			if strings.Contains(a.Cause, "AlarmHigh") {
				out++
			} else {
				in++
			}
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	fmt.Printf("\n%d scaling activities: %d out, %d in.\n", out+in, out, in)
	costs := must(w.ECS().DescribeCosts(&ecs.DescribeCostsInput{}))
	for _, c := range costs.Costs {
		if c.Service == "api" {
			fmt.Printf("The day cost %.1f task-hours on Fargate, %.2f USD; at the peak's %d tasks all day it would be about %.2f USD.\n",
				c.TaskHours, c.USD, peak, c.USD/c.TaskHours*float64(peak)*24)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
