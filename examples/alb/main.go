// Command alb puts a Fargate service behind an Application Load Balancer:
// tasks register with the target group as they start, count as healthy
// once their targets pass the load balancer's health checks, and drain
// for the deregistration delay before they stop. Then version 2 moves its
// health-check page: every target answers 404, the tasks are replaced
// until the deployment circuit breaker rolls the service back.
package main

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/report"
	"github.com/ecssim/ecssim/workload"
)

func main() {
	w, err := ecssim.New(ecssim.Config{
		Seed: 3,
		Images: map[string]workload.Image{
			// Version 1 serves its health check on /health after a 20 s warm-up.
			"shop:1": {HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(20 * time.Second), Paths: map[string]int{"/health": 200}}},
			// Version 2 moved it to /healthz.
			"shop:2": {HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(20 * time.Second), Paths: map[string]int{"/healthz": 200}}},
		},
	})
	check(err)
	timeline := report.NewTimeline(os.Stdout, w.Engine().Now(), false)
	w.Trace().Observe(timeline.Record)

	// The load balancer, its target group and listener, as
	// `aws elbv2 create-load-balancer`, `create-target-group` and
	// `create-listener` would make them.
	lb, err := w.ELB().CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("shop"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}})
	check(err)
	tg, err := w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("shop"), Protocol: api.String("HTTP"), Port: api.Int32(8080),
		VpcId: api.String("vpc-00000001"), TargetType: api.String("ip"), HealthCheckPath: api.String("/health"),
		HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(3)})
	check(err)
	tgArn := tg.TargetGroups[0].TargetGroupArn
	_, err = w.ELB().ModifyTargetGroupAttributes(&elb.ModifyTargetGroupAttributesInput{TargetGroupArn: &tgArn,
		Attributes: []elb.TargetGroupAttribute{{Key: api.String("deregistration_delay.timeout_seconds"), Value: api.String("60")}}})
	check(err)
	_, err = w.ELB().CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &tgArn}}})
	check(err)

	for _, image := range []string{"shop:1", "shop:2"} {
		_, err := w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"shop","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],
			"cpu":"512","memory":"1024","containerDefinitions":[{"name":"app","image":%q,"portMappings":[{"containerPort":8080}]}]}`, image))
		check(err)
	}
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("prod")})
	check(err)
	_, err = w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("prod"), ServiceName: api.String("shop"), TaskDefinition: api.String("shop:1"),
		DesiredCount: api.Int32(3), LaunchType: api.String("FARGATE"), HealthCheckGracePeriodSeconds: api.Int32(30),
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupArn: &tgArn, ContainerName: api.String("app"), ContainerPort: api.Int32(8080)}},
		DeploymentConfiguration: &ecs.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		},
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}}},
	})
	check(err)
	check(w.RunFor(5 * time.Minute))

	fmt.Println("\n--- UpdateService taskDefinition=shop:2 (its health check moved to /healthz)")
	_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("prod"), Service: api.String("shop"), TaskDefinition: api.String("shop:2")})
	check(err)
	check(w.RunFor(20 * time.Minute))

	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("prod"), Services: []string{"shop"}})
	check(err)
	d := out.Services[0].Deployments[0]
	fmt.Printf("\nprimary deployment %s: %s, %s\n", d.Id, d.TaskDefinition, d.RolloutState)
	h, err := w.ELB().DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &tgArn})
	check(err)
	for _, t := range h.TargetHealthDescriptions {
		fmt.Printf("target %s:%d %s\n", *t.Target.Id, *t.Target.Port, t.TargetHealth.State)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
