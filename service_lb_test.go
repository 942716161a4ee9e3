package ecssim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
)

// TestServiceLoadBalancersValidation: CreateService and UpdateService
// check loadBalancers as ECS does, with its messages.
func TestServiceLoadBalancersValidation(t *testing.T) {
	w, tg := albWorld(t, false, "web:1", nil, "/")
	lone, err := w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("lone"), Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
	require.NoError(t, err)
	inst, err := w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("inst"), Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001")})
	require.NoError(t, err)
	lbs, err := w.ELB().DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{})
	require.NoError(t, err)
	ls, err := w.ELB().DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lbs.LoadBalancers[0].LoadBalancerArn})
	require.NoError(t, err)
	_, err = w.ELB().CreateRule(&elb.CreateRuleInput{ListenerArn: &ls.Listeners[0].ListenerArn, Priority: api.Int32(1),
		Conditions: []elb.RuleCondition{{Field: api.String("path-pattern"), Values: []string{"/i/*"}}},
		Actions:    []elb.Action{{Type: api.String("forward"), TargetGroupArn: &inst.TargetGroups[0].TargetGroupArn}}})
	require.NoError(t, err)

	lb := func(arn, container string, port int32) ecs.LoadBalancer {
		return ecs.LoadBalancer{TargetGroupArn: &arn, ContainerName: &container, ContainerPort: &port}
	}
	for _, tc := range []struct {
		name string
		lbs  []ecs.LoadBalancer
		msg  string
	}{
		{"unknown group", []ecs.LoadBalancer{lb(tg+"0", "app", 80)}, "Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions."},
		{"no load balancer", []ecs.LoadBalancer{lb(lone.TargetGroups[0].TargetGroupArn, "app", 80)}, "The target group with targetGroupArn " + lone.TargetGroups[0].TargetGroupArn + " does not have an associated load balancer."},
		{"no container", []ecs.LoadBalancer{lb(tg, "web", 80)}, "The container web does not exist in the task definition."},
		{"no port", []ecs.LoadBalancer{lb(tg, "app", 8080)}, "The container app did not have a container port 8080 defined."},
		{"instance for awsvpc", []ecs.LoadBalancer{lb(inst.TargetGroups[0].TargetGroupArn, "app", 80)}, "The provided target group " + inst.TargetGroups[0].TargetGroupArn + " has target type instance, which is incompatible with the awsvpc network mode specified in the task definition."},
		{"no container name", []ecs.LoadBalancer{{TargetGroupArn: &tg}}, "Container Name can not be blank."},
		{"six", []ecs.LoadBalancer{lb(tg, "app", 80), lb(tg, "app", 80), lb(tg, "app", 80), lb(tg, "app", 80), lb(tg, "app", 80), lb(tg, "app", 80)}, "A service can have at most 5 load balancers."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("app"),
				DesiredCount: api.Int32(1), LaunchType: api.String("FARGATE"), LoadBalancers: tc.lbs,
				NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}}})
			require.Error(t, err)
			require.Equal(t, "InvalidParameterException", api.ErrorCode(err))
			require.Equal(t, tc.msg, err.(*api.Error).Message)
		})
	}
	out, err := w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("app"),
		DesiredCount: api.Int32(1), LaunchType: api.String("FARGATE"), LoadBalancers: []ecs.LoadBalancer{lb(tg, "app", 80)},
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets}}})
	require.NoError(t, err)
	require.Equal(t, tg, *out.Service.LoadBalancers[0].TargetGroupArn)
	_, err = w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), LoadBalancers: []ecs.LoadBalancer{lb(tg, "app", 81)}})
	require.Equal(t, "The container app did not have a container port 81 defined.", err.(*api.Error).Message)
}
