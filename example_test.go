package ecssim_test

import (
	"fmt"
	"log"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/workload"
)

const taskDefJSON = `{"family": "nginx", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
	"cpu": "256", "memory": "512", "containerDefinitions": [{"name": "nginx", "image": "nginx:1.27"}]}`

var net = &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}}

// A World is driven with typed calls, or by name with the JSON the aws CLI
// takes; waiters run virtual time.
func ExampleWorld() {
	w, err := ecssim.New(ecssim.Config{Seed: 42})
	if err != nil {
		log.Fatal(err)
	}
	w.Call("ecs:RegisterTaskDefinition", []byte(taskDefJSON)) // the file you give `aws ecs register-task-definition --cli-input-json`
	w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(3), LaunchType: api.String("FARGATE"), NetworkConfiguration: net})
	err = w.WaitServicesStable("demo", []string{"web"}, ecssim.WaiterOptions{}) // runs virtual time, polling like the AWS waiter
	fmt.Println(err, w.Elapsed())
	d, err := w.WaitDeployment("demo", "web", ecssim.WaiterOptions{}) // until the PRIMARY deployment's rolloutState is COMPLETED or FAILED
	fmt.Println(err, d.RolloutState, w.Elapsed())
	// Output:
	// <nil> 45s
	// <nil> COMPLETED 1m30s
}

const targetJSON = `{"ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount",
	"ResourceId": "service/demo/web", "MinCapacity": 3, "MaxCapacity": 20}`

const policyJSON = `{"PolicyName": "cpu60", "PolicyType": "TargetTrackingScaling", "ServiceNamespace": "ecs",
	"ScalableDimension": "ecs:service:DesiredCount", "ResourceId": "service/demo/web",
	"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 60,
		"PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}`

// Service auto scaling is driven by the load you give a service.
func ExampleWorld_autoScaling() {
	w, err := ecssim.New(ecssim.Config{Seed: 42})
	if err != nil {
		log.Fatal(err)
	}
	w.Call("ecs:RegisterTaskDefinition", []byte(taskDefJSON))
	w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("nginx"), DesiredCount: api.Int32(3), LaunchType: api.String("FARGATE"), NetworkConfiguration: net})

	w.ECS().SetTraffic(&ecs.SetTrafficInput{Cluster: api.String("demo"), Service: api.String("web"),
		Traffic: &workload.Traffic{Shape: workload.Diurnal(10, 200, 14*time.Hour), CPUPerRequest: 15 * time.Millisecond}})
	w.Call("application-autoscaling:RegisterScalableTarget", []byte(targetJSON)) // `aws application-autoscaling register-scalable-target`
	w.Call("application-autoscaling:PutScalingPolicy", []byte(policyJSON))       // target tracking at 60% CPU
	for range 4 {
		w.RunFor(6 * time.Hour) // then DescribeServices, w.Autoscaling().DescribeScalingActivities
		out, _ := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
		fmt.Println(w.Now().Format("15:04"), out.Services[0].DesiredCount, "tasks")
	}
	// Output:
	// 06:00 6 tasks
	// 12:00 19 tasks
	// 18:00 16 tasks
	// 00:00 3 tasks
}
