package ecs_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/workload"
)

// TestRoutedTargetsFollowTheTasks: a service behind two target groups
// of a listener with traffic, whose tasks start, stop, fail their checks
// and are rolled, and whose targets are deregistered by hand (drained
// while their task runs on): every minute the metrics feed reads the
// routed targets the service keeps, and the package's tests make it
// build them again from the tasks and panic when the kept ones differ.
// The CPU a task's requests cost is high enough that tasks hit their
// cap.
func TestRoutedTargetsFollowTheTasks(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { routedRun(t, seed) })
	}
}

func routedRun(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	w, err := ecssim.New(ecssim.Config{Seed: seed, Images: albImages})
	require.NoError(t, err)
	lb, err := w.ELB().CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}})
	require.NoError(t, err)
	var tgs []string
	for _, name := range []string{"blue", "green"} {
		tg, err := w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String(name), Protocol: api.String("HTTP"), Port: api.Int32(80),
			VpcId: api.String("vpc-00000001"), TargetType: api.String("ip"), HealthCheckPath: api.String("/health"),
			HealthCheckIntervalSeconds: api.Int32(int32(6 + r.IntN(20))), HealthyThresholdCount: api.Int32(2)})
		require.NoError(t, err)
		tgs = append(tgs, tg.TargetGroups[0].TargetGroupArn)
	}
	ls, err := w.ELB().CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), ForwardConfig: &elb.ForwardActionConfig{TargetGroups: []elb.TargetGroupTuple{
			{TargetGroupArn: &tgs[0], Weight: api.Int32(int32(1 + r.IntN(3)))}, {TargetGroupArn: &tgs[1], Weight: api.Int32(int32(r.IntN(3)))}}}}}})
	require.NoError(t, err)
	_, err = w.ELB().SetListenerTraffic(&elb.SetListenerTrafficInput{ListenerArn: &ls.Listeners[0].ListenerArn,
		Traffic: &workload.Traffic{Shape: workload.Diurnal(1000, 3000, 2*time.Hour), CPUPerRequest: time.Duration(1+r.IntN(4)) * time.Millisecond}})
	require.NoError(t, err)
	c := w.ECS()
	_, err = c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	register := func() {
		_, err := w.Call("ecs:RegisterTaskDefinition", fmt.Appendf(nil, `{"family":"app","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
			"containerDefinitions":[{"name":"app","image":%q,"portMappings":[{"containerPort":80}]}]}`, albImageNames[r.IntN(len(albImageNames))]))
		require.NoError(t, err)
	}
	register()
	lbs := []ecs.LoadBalancer{{TargetGroupArn: &tgs[0], ContainerName: api.String("app"), ContainerPort: api.Int32(80)}}
	if r.IntN(2) == 0 { // tasks with a target in each group
		lbs = append(lbs, ecs.LoadBalancer{TargetGroupArn: &tgs[1], ContainerName: api.String("app"), ContainerPort: api.Int32(80)})
	}
	_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("app"),
		DesiredCount: api.Int32(int32(1 + r.IntN(12))), LaunchType: api.String("FARGATE"), NetworkConfiguration: awsvpc,
		HealthCheckGracePeriodSeconds: api.Int32(int32(30 * r.IntN(4))), LoadBalancers: lbs})
	require.NoError(t, err)
	for range 6 {
		randomUpdates(t, w, r, 2, 15, register)
		// Drain a registered target by hand: its task runs on.
		tg := tgs[r.IntN(len(tgs))]
		h, err := w.ELB().DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &tg})
		require.NoError(t, err)
		if n := len(h.TargetHealthDescriptions); n > 0 {
			_, err = w.ELB().DeregisterTargets(&elb.TargetsInput{TargetGroupArn: &tg, Targets: []elb.TargetDescription{h.TargetHealthDescriptions[r.IntN(n)].Target}})
			require.NoError(t, err)
		}
	}
	start, end := api.NewTimestamp(w.Start()), api.NewTimestamp(w.Now())
	out, err := w.CloudWatch().GetMetricStatistics(&cloudwatch.GetMetricStatisticsInput{Namespace: api.String("AWS/ECS"), MetricName: api.String("CPUUtilization"),
		Dimensions: []cloudwatch.Dimension{{Name: api.String("ClusterName"), Value: api.String("demo")}, {Name: api.String("ServiceName"), Value: api.String("web")}},
		StartTime:  &start, EndTime: &end, Period: api.Int32(3600 * 24), Statistics: []string{"Maximum"}})
	require.NoError(t, err)
	require.Len(t, out.Datapoints, 1)
	require.Positive(t, *out.Datapoints[0].Maximum, "the requests cost the tasks CPU")
}
