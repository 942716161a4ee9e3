// Command deployment-strategies deploys the same bad release to the same
// service, under the same traffic, four times: with ROLLING, BLUE_GREEN,
// LINEAR (10 % every minute) and CANARY (5 % for 10 minutes) deployments.
// The release answers 500 to 20 % of its requests (its health checks
// pass); a CloudWatch alarm on the HTTPCode_Target_5XX_Count of the
// target group the new revision serves from (more than 100 in a minute)
// is the deployment's alarm, with rollback. It prints, side by side, when
// the alarm fired, how many requests the bad revision served and how many
// of them failed, when the rollback completed, and the peak task count:
// the capacity each strategy costs.
package main

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

var subnets = []string{"subnet-aaaa0001", "subnet-bbbb0002"}

func main() {
	fmt.Printf("%-11s %-13s %-13s %-10s %-20s %s\n", "strategy", "alarm fired", "bad requests", "5XX", "rollback completed", "peak tasks")
	for _, dc := range []ecs.DeploymentConfiguration{
		{Strategy: api.String("ROLLING")},
		{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(10)},
		{Strategy: api.String("LINEAR"), BakeTimeInMinutes: api.Int32(10),
			LinearConfiguration: &ecs.LinearConfiguration{StepPercent: new(10.0), StepBakeTimeInMinutes: api.Int32(1)}},
		{Strategy: api.String("CANARY"), BakeTimeInMinutes: api.Int32(10),
			CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: new(5.0), CanaryBakeTimeInMinutes: api.Int32(10)}},
	} {
		r := run(dc)
		fmt.Printf("%-11s %-13s %-13.0f %-10.0f %-20s %d\n", *dc.Strategy, r.alarm, r.bad, r.errors, r.done, r.peak)
	}
}

type result struct {
	alarm, done time.Duration
	bad, errors float64
	peak        int
}

func run(dc ecs.DeploymentConfiguration) result {
	answer := func(errorRate float64) workload.Image {
		return workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second), ResponseTime: workload.Fixed(50 * time.Millisecond),
			Paths: map[string]int{"/health": 200}, ErrorRate: errorRate}}
	}
	w, err := ecssim.New(ecssim.Config{Seed: 1, Images: map[string]workload.Image{
		"shop:1": answer(0),   // the good release
		"shop:2": answer(0.2), // the bad one: 500 on 20 % of requests
	}})
	check(err)

	// A load balancer with a production listener (port 80, 300 requests a
	// second) and a test listener (port 8080), and two target groups:
	// "blue" serves production, "green" is the alternate group a
	// blue/green deployment scales the new revision up in.
	lb, err := w.ELB().CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("shop"), Subnets: subnets})
	check(err)
	lbArn := lb.LoadBalancers[0].LoadBalancerArn
	group := func(name string) string {
		tg, err := w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String(name), Protocol: api.String("HTTP"), Port: api.Int32(80),
			VpcId: api.String("vpc-00000001"), TargetType: api.String("ip"), HealthCheckPath: api.String("/health"),
			HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)})
		check(err)
		arn := tg.TargetGroups[0].TargetGroupArn
		_, err = w.ELB().ModifyTargetGroupAttributes(&elb.ModifyTargetGroupAttributesInput{TargetGroupArn: &arn,
			Attributes: []elb.TargetGroupAttribute{{Key: api.String("deregistration_delay.timeout_seconds"), Value: api.String("30")}}})
		check(err)
		return arn
	}
	blue, green := group("blue"), group("green")
	listener := func(port int32, tg string) string {
		ls, err := w.ELB().CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lbArn, Protocol: api.String("HTTP"), Port: &port,
			DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &tg}}})
		check(err)
		return ls.Listeners[0].ListenerArn
	}
	prod, test := listener(80, blue), listener(8080, green)
	_, err = w.Call("sim:SetListenerTraffic", fmt.Appendf(nil, `{"listenerArn":%q,"traffic":{"shape":"constant(300)","cpuPerRequest":"1ms","memoryBaseMiB":128}}`, prod))
	check(err)

	// The alarm watches the group the new revision serves from.
	watched := green
	if *dc.Strategy == "ROLLING" {
		watched = blue
	}
	_, lbDim, _ := strings.Cut(lbArn, ":loadbalancer/")
	tgDim := watched[strings.LastIndexByte(watched, ':')+1:]
	_, err = w.CloudWatch().PutMetricAlarm(&cloudwatch.PutMetricAlarmInput{
		AlarmName: api.String("errors"), Namespace: api.String("AWS/ApplicationELB"), MetricName: api.String("HTTPCode_Target_5XX_Count"),
		Dimensions: []cloudwatch.Dimension{{Name: api.String("LoadBalancer"), Value: &lbDim}, {Name: api.String("TargetGroup"), Value: &tgDim}},
		Statistic:  api.String("Sum"), Period: api.Int32(60), EvaluationPeriods: api.Int32(1), DatapointsToAlarm: api.Int32(1),
		Threshold: new(100.0), ComparisonOperator: api.String("GreaterThanThreshold"), TreatMissingData: api.String("notBreaching"),
	})
	check(err)

	for _, image := range []string{"shop:1", "shop:2"} {
		_, err := w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"shop","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],
			"cpu":"256","memory":"512","containerDefinitions":[{"name":"app","image":%q,"portMappings":[{"containerPort":80}]}]}`, image))
		check(err)
	}
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("prod")})
	check(err)
	// The listener's default rule is its production (or test) rule.
	rule := func(listener string) *string {
		rs, err := w.ELB().DescribeRules(&elb.DescribeRulesInput{ListenerArn: &listener})
		check(err)
		return &rs.Rules[len(rs.Rules)-1].RuleArn
	}
	dc.MaximumPercent, dc.MinimumHealthyPercent = api.Int32(200), api.Int32(100)
	dc.Alarms = &ecs.DeploymentAlarms{AlarmNames: []string{"errors"}, Enable: true, Rollback: true}
	_, err = w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("prod"), ServiceName: api.String("shop"), TaskDefinition: api.String("shop:1"),
		DesiredCount: api.Int32(3), LaunchType: api.String("FARGATE"),
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupArn: &blue, ContainerName: api.String("app"), ContainerPort: api.Int32(80),
			AdvancedConfiguration: &ecs.AdvancedConfiguration{AlternateTargetGroupArn: &green, ProductionListenerRule: rule(prod),
				TestListenerRule: rule(test), RoleArn: api.String("arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers")}}},
		DeploymentConfiguration: &dc,
		NetworkConfiguration:    &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: subnets}},
	})
	check(err)
	check(w.RunFor(5 * time.Minute))

	_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("prod"), Service: api.String("shop"), TaskDefinition: api.String("shop:2")})
	check(err)
	var r result
	start := w.Now()
	bad := map[string]bool{} // addresses of shop:2 tasks
	for range 6 * 30 {       // 30 minutes in 10-second samples
		check(w.RunFor(10 * time.Second))
		tasks, running := describeTasks(w)
		for _, t := range tasks {
			if strings.HasSuffix(t.TaskDefinitionArn, "/shop:2") {
				bad[address(t)] = true
			}
		}
		r.peak = max(r.peak, running)
		for _, lt := range w.LoadBalancerTraffic() {
			for _, g := range lt.Groups {
				r.errors += g.Target5XX * 10 // only shop:2 answers 5XX
				for _, x := range g.Targets {
					if bad[x.ID] {
						r.bad += x.RPS * 10
					}
				}
			}
		}
		alarms, err := w.CloudWatch().DescribeAlarms(&cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"errors"}})
		check(err)
		if r.alarm == 0 && alarms.MetricAlarms[0].StateValue == "ALARM" {
			r.alarm = w.Now().Sub(start)
		}
		list, err := w.ECS().ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("prod"), Service: api.String("shop")})
		check(err)
		if r.done == 0 && list.ServiceDeployments[0].Status == "ROLLBACK_SUCCESSFUL" {
			r.done = w.Now().Sub(start)
		}
	}
	return r
}

// describeTasks returns the service's tasks, running or stopped, and how
// many are not stopped.
func describeTasks(w *ecssim.World) ([]ecs.Task, int) {
	var out []ecs.Task
	running := 0
	for _, status := range []string{"RUNNING", "STOPPED"} {
		l, err := w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("prod"), ServiceName: api.String("shop"), DesiredStatus: &status})
		check(err)
		if len(l.TaskArns) == 0 {
			continue
		}
		d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("prod"), Tasks: l.TaskArns})
		check(err)
		out = append(out, d.Tasks...)
		if status == "RUNNING" {
			running = len(d.Tasks)
		}
	}
	return out, running
}

// address returns a Fargate task's private IP address: its target ID.
func address(t ecs.Task) string {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if api.Deref(d.Name) == "privateIPv4Address" {
				return api.Deref(d.Value)
			}
		}
	}
	return ""
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
