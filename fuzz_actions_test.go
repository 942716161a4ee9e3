package ecssim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/elb"
)

// fuzzWorld is a world with something of everything for the fuzzer to hit:
// a cluster, Fargate and EC2 task definitions, instances, a service.
func fuzzWorld(t testing.TB) *ecssim.World {
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(t, err)
	for _, c := range []struct{ action, input string }{
		{"ecs:CreateCluster", `{"clusterName":"c","capacityProviders":["FARGATE","FARGATE_SPOT"]}`},
		{"ecs:RegisterTaskDefinition", `{"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE","EC2"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i","healthCheck":{"command":["CMD","true"]}}]}`},
		{"ecs:RegisterTaskDefinition", `{"family":"b","containerDefinitions":[{"name":"c","image":"i","memory":128,"portMappings":[{"containerPort":80}]}]}`},
		{"sim:LaunchInstances", `{"cluster":"c","instanceType":"m5.large","count":2}`},
		{"ecs:CreateService", `{"cluster":"c","serviceName":"s","taskDefinition":"f","desiredCount":2,"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}}`},
		{"ecs:CreateService", `{"cluster":"c","serviceName":"e","taskDefinition":"b","desiredCount":2,"launchType":"EC2"}`},
		{"sim:SetTraffic", `{"cluster":"c","service":"s","traffic":{"shape":"spike(10,300,1m,5m)","cpuPerRequest":"10ms"}}`},
		{"application-autoscaling:RegisterScalableTarget", `{"ServiceNamespace":"ecs","ResourceId":"service/c/s","ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":8}`},
		{"elbv2:CreateLoadBalancer", `{"Name":"lb","Subnets":["subnet-aaaa0001","subnet-bbbb0002"]}`},
		{"elbv2:CreateTargetGroup", `{"Name":"tg","Protocol":"HTTP","Port":80,"VpcId":"vpc-00000001","TargetType":"ip"}`},
		{"elbv2:CreateTargetGroup", `{"Name":"nlb","Protocol":"TCP","Port":80,"VpcId":"vpc-00000001"}`},
	} {
		_, err := w.Call(c.action, []byte(c.input))
		require.NoError(t, err, c.action)
	}
	// Listener and target: the ARNs are only known now.
	lbs, err := w.ELB().DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{})
	require.NoError(t, err)
	tgs, err := w.ELB().DescribeTargetGroups(&elb.DescribeTargetGroupsInput{Names: []string{"tg"}})
	require.NoError(t, err)
	_, err = w.Call("elbv2:CreateListener", fmt.Appendf(nil, `{"LoadBalancerArn":%q,"Protocol":"HTTP","Port":80,"DefaultActions":[{"Type":"forward","TargetGroupArn":%q}]}`,
		lbs.LoadBalancers[0].LoadBalancerArn, tgs.TargetGroups[0].TargetGroupArn))
	require.NoError(t, err)
	_, err = w.Call("elbv2:RegisterTargets", fmt.Appendf(nil, `{"TargetGroupArn":%q,"Targets":[{"Id":"172.31.0.4"}]}`, tgs.TargetGroups[0].TargetGroupArn))
	require.NoError(t, err)
	// A service behind the load balancer.
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"w","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i","portMappings":[{"containerPort":80}]}]}`))
	require.NoError(t, err)
	_, err = w.Call("ecs:CreateService", fmt.Appendf(nil, `{"cluster":"c","serviceName":"lb","taskDefinition":"w","desiredCount":2,"launchType":"FARGATE","healthCheckGracePeriodSeconds":30,
		"loadBalancers":[{"targetGroupArn":%q,"containerName":"c","containerPort":80}],"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001","subnet-bbbb0002"]}}}`, tgs.TargetGroups[0].TargetGroupArn))
	require.NoError(t, err)
	require.NoError(t, w.RunFor(3*time.Minute))
	return w
}

// elbArn returns the ARN of the fuzz world's load balancer ("lb"), target
// group ("tg") or listener ("listener").
func elbArn(w *ecssim.World, which string) string {
	c := w.ELB()
	switch which {
	case "lb":
		out, _ := c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{})
		return out.LoadBalancers[0].LoadBalancerArn
	case "tg":
		out, _ := c.DescribeTargetGroups(&elb.DescribeTargetGroupsInput{Names: []string{"tg"}})
		return out.TargetGroups[0].TargetGroupArn
	}
	lb := elbArn(w, "lb")
	out, _ := c.DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lb})
	return out.Listeners[0].ListenerArn
}

// FuzzActions sends arbitrary input to every action: none may fail with an
// internal error (a recovered panic), and the simulation must keep running
// afterwards.
func FuzzActions(f *testing.F) {
	w0 := fuzzWorld(f)
	actions := w0.Actions()
	seeds := []string{`{}`, `{"cluster":"c"}`, `{"cluster":"c","service":"s","desiredCount":0}`, `{"cluster":"c","tasks":["x"]}`,
		`{"cluster":"c","taskDefinition":"f","count":3,"launchType":"EC2"}`, `{"cluster":"c","containerInstances":["a"],"status":"DRAINING"}`,
		`{"cluster":"c","service":"e","forceNewDeployment":true}`, `{"availabilityZone":"us-east-1a","for":"1m"}`,
		`{"ServiceNamespace":"ecs","ResourceId":"service/c/s","ScalableDimension":"ecs:service:DesiredCount","PolicyName":"p","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":50,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}}`,
		`{"ServiceNamespace":"ecs","ResourceId":"service/c/s","ScalableDimension":"ecs:service:DesiredCount","ScheduledActionName":"a","Schedule":"cron(*/2 * * * ? *)","ScalableTargetAction":{"MinCapacity":3}}`,
		`{"cluster":"c","capacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1}],"taskDefinition":"f","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}}`,
		// elbv2: ARNs of the fuzz world's resources are seeded, so the
		// fuzzer reaches past "not found".
		`{"Name":"x","Subnets":["subnet-aaaa0001","subnet-cccc0003"],"Type":"network","Scheme":"internal","Tags":[{"Key":"k","Value":"v"}]}`,
		`{"Name":"y","Protocol":"HTTPS","Port":443,"VpcId":"vpc-00000001","HealthCheckPath":"/h","Matcher":{"HttpCode":"200-299,302"},"HealthCheckIntervalSeconds":5,"HealthCheckTimeoutSeconds":4}`,
		`{"TargetGroupArn":"` + elbArn(w0, "tg") + `","Targets":[{"Id":"172.31.16.9","Port":8080},{"Id":"10.0.0.1","AvailabilityZone":"all"}]}`,
		`{"TargetGroupArn":"` + elbArn(w0, "tg") + `","Attributes":[{"Key":"slow_start.duration_seconds","Value":"30"},{"Key":"deregistration_delay.timeout_seconds","Value":"0"}]}`,
		`{"TargetGroupArn":"` + elbArn(w0, "tg") + `","statusCode":503,"for":"2m"}`,
		`{"LoadBalancerArn":"` + elbArn(w0, "lb") + `","Protocol":"HTTP","Port":8080,"DefaultActions":[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"503"}}]}`,
		`{"ListenerArn":"` + elbArn(w0, "listener") + `","Priority":5,"Conditions":[{"Field":"path-pattern","Values":["/a/*"]}],"Actions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"` + elbArn(w0, "tg") + `","Weight":3}]}}]}`,
		`{"listenerArn":"` + elbArn(w0, "listener") + `","traffic":{"shape":"spike(10,300,1m,5m)","cpuPerRequest":"10ms","memoryPerRpsMiB":1}}`,
		`{"listenerArn":"` + elbArn(w0, "listener") + `","traffic":{"shape":"100"},"requests":[{"share":0.5,"path":"/a/b","host":"x.example.com","headers":{"X":"y"},"query":{"k":"v"},"sourceIp":"10.0.0.1","method":"POST"}]}`,
		`{"ResourceArns":["` + elbArn(w0, "tg") + `","` + elbArn(w0, "lb") + `"],"Tags":[{"Key":"a","Value":"b"}],"TagKeys":["a"]}`,
		// blue/green deployments and their hooks
		`{"cluster":"c","service":"lb","taskDefinition":"w","deploymentConfiguration":{"strategy":"LINEAR","bakeTimeInMinutes":1,"linearConfiguration":{"stepPercent":3.3,"stepBakeTimeInMinutes":0},"lifecycleHooks":[{"targetType":"PAUSE","lifecycleStages":["PRE_SCALE_UP"]}]},"loadBalancers":[{"targetGroupArn":"` + elbArn(w0, "tg") + `","containerName":"c","containerPort":80,"advancedConfiguration":{"alternateTargetGroupArn":"` + elbArn(w0, "tg") + `","productionListenerRule":"` + elbArn(w0, "listener") + `","roleArn":"arn:aws:iam::123456789012:role/r"}}]}`,
		`{"hookTargetArn":"arn:aws:lambda:us-east-1:123456789012:function:f","status":"FAILED","durationSeconds":45}`,
		`{"serviceDeploymentArn":"arn:aws:ecs:us-east-1:123456789012:service-deployment/c/lb/x","hookId":"y","action":"ROLLBACK"}`,
		// cloudwatch
		`{"Namespace":"App","MetricData":[{"MetricName":"Backlog","Value":12,"Dimensions":[{"Name":"Queue","Value":"q"}]}]}`,
		`{"AlarmName":"a","Namespace":"App","MetricName":"Backlog","Statistic":"Average","Period":60,"EvaluationPeriods":3,"DatapointsToAlarm":2,"Threshold":10,"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":"breaching"}`,
		`{"StartTime":"2026-01-01T00:00:00Z","EndTime":"2026-01-02T00:00:00Z","MetricDataQueries":[{"Id":"q","MetricStat":{"Metric":{"Namespace":"App","MetricName":"Backlog"},"Period":60,"Stat":"Sum"}}]}`}
	for i := range actions {
		for _, s := range seeds {
			f.Add(uint16(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, input string) {
		w := fuzzWorld(t)
		action := actions[int(which)%len(actions)]
		_, err := w.Call(action, []byte(input))
		if err != nil {
			require.NotEqual(t, api.CodeServerException, api.ErrorCode(err), "%s %s: %v", action, input, err)
			require.False(t, strings.Contains(err.Error(), "internal error"), "%s: %v", action, err)
		}
		require.NoError(t, w.RunFor(10*time.Minute), "%s %s", action, input)
	})
}
