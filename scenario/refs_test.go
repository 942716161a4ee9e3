package scenario

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

func TestReferences(t *testing.T) {
	lb := `  - {at: 0s, call: "elbv2:CreateLoadBalancer", input: {Name: web, Subnets: [subnet-aaaa0001, subnet-bbbb0002]}}
  - {at: 0s, call: "elbv2:CreateTargetGroup", input: {Name: tg, Protocol: HTTP, Port: 80, VpcId: vpc-00000001}}
  - {at: 0s, call: "elbv2:CreateListener", input: {LoadBalancerArn: "elbv2:loadbalancer/web", Protocol: HTTP, Port: 80, DefaultActions: [{Type: forward, TargetGroupArn: "elbv2:targetgroup/tg"}]}}
`
	for _, tc := range []struct {
		name, step, err string
	}{
		{"listener", `  - {at: 1m, call: "elbv2:DeleteListener", input: {ListenerArn: "elbv2:listener/web/80"}}`, ""},
		{"target group", `  - {at: 1m, call: "elbv2:DescribeTargetGroupAttributes", input: {TargetGroupArn: "elbv2:targetgroup/tg"}}`, ""},
		{"no such group", `  - {at: 1m, call: "elbv2:DeleteTargetGroup", input: {TargetGroupArn: "elbv2:targetgroup/nope"}}`,
			`t.yaml:6: elbv2:DeleteTargetGroup at 0:01:00 failed: reference elbv2:targetgroup/nope: TargetGroupNotFound: Target groups '[nope]' not found`},
		{"resource label", `  - {at: 0s, call: "ecs:CreateCluster", input: {clusterName: c}}
  - {at: 0s, call: "ecs:RegisterTaskDefinition", input: {family: a, containerDefinitions: [{name: a, image: a, memory: 128}]}}
  - {at: 0s, call: "ecs:CreateService", input: {cluster: c, serviceName: s, taskDefinition: a, desiredCount: 1}}
  - {at: 0s, call: "application-autoscaling:RegisterScalableTarget", input: {ServiceNamespace: ecs, ResourceId: service/c/s, ScalableDimension: "ecs:service:DesiredCount", MinCapacity: 1, MaxCapacity: 3}}
  - {at: 1m, call: "application-autoscaling:PutScalingPolicy", input: {PolicyName: p, ServiceNamespace: ecs, ResourceId: service/c/s, ScalableDimension: "ecs:service:DesiredCount",
      PolicyType: TargetTrackingScaling, TargetTrackingScalingPolicyConfiguration: {TargetValue: 100, PredefinedMetricSpecification: {PredefinedMetricType: ALBRequestCountPerTarget, ResourceLabel: "elbv2:resourcelabel/web/tg"}}}}`, ""},
		{"no such load balancer in a label", `  - {at: 1m, call: "elbv2:DescribeTargetGroups", input: {Names: ["elbv2:resourcelabel/nope/tg"]}}`,
			`t.yaml:6: elbv2:DescribeTargetGroups at 0:01:00 failed: reference elbv2:loadbalancer/nope: LoadBalancerNotFound: Load balancers '[nope]' not found`},
		{"service deployment", `  - {at: 0s, call: "ecs:CreateCluster", input: {clusterName: c}}
  - {at: 0s, call: "ecs:RegisterTaskDefinition", input: {family: a, containerDefinitions: [{name: a, image: a, memory: 128}]}}
  - {at: 0s, call: "ecs:CreateService", input: {cluster: c, serviceName: s, taskDefinition: a, desiredCount: 1}}
  - {at: 1m, call: "ecs:DescribeServiceDeployments", input: {serviceDeploymentArns: ["ecs:service-deployment/c/s"]}}`, ""},
		{"no hook awaiting action", `  - {at: 0s, call: "ecs:CreateCluster", input: {clusterName: c}}
  - {at: 0s, call: "ecs:RegisterTaskDefinition", input: {family: a, containerDefinitions: [{name: a, image: a, memory: 128}]}}
  - {at: 0s, call: "ecs:CreateService", input: {cluster: c, serviceName: s, taskDefinition: a, desiredCount: 1}}
  - {at: 1m, call: "ecs:ContinueServiceDeployment", input: {serviceDeploymentArn: "ecs:service-deployment/c/s", hookId: "ecs:lifecycle-hook/c/s"}}`,
			`t.yaml:9: ecs:ContinueServiceDeployment at 0:01:00 failed: reference ecs:lifecycle-hook/c/s: InvalidParameterException: the deployment in progress of service s of cluster c has no lifecycle hook awaiting action`},
		{"no such service", `  - {at: 0s, call: "ecs:CreateCluster", input: {clusterName: c}}
  - {at: 1m, call: "ecs:ContinueServiceDeployment", input: {serviceDeploymentArn: "ecs:service-deployment/c/nope", hookId: h}}`,
			`t.yaml:7: ecs:ContinueServiceDeployment at 0:01:00 failed: reference ecs:service-deployment/c/nope: ServiceNotFoundException: Service not found.`},
		{"no deployment in progress", `  - {at: 0s, call: "ecs:CreateCluster", input: {clusterName: c}}
  - {at: 0s, call: "ecs:RegisterTaskDefinition", input: {family: a, containerDefinitions: [{name: a, image: a, memory: 128}]}}
  - {at: 0s, call: "ecs:CreateService", input: {cluster: c, serviceName: s, taskDefinition: a, desiredCount: 0}}
  - {at: 1m, call: "ecs:StopServiceDeployment", input: {serviceDeploymentArn: "ecs:service-deployment/c/s"}}`,
			`t.yaml:9: ecs:StopServiceDeployment at 0:01:00 failed: reference ecs:service-deployment/c/s: ServiceDeploymentNotFoundException: service s of cluster c has no deployment in progress`},
		{"no such listener", `  - {at: 1m, call: "elbv2:DeleteListener", input: {ListenerArn: "elbv2:listener/web/443"}}`,
			`t.yaml:6: elbv2:DeleteListener at 0:01:00 failed: reference elbv2:listener/web/443: ListenerNotFound: load balancer web has no listener on port 443`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, "duration: 2m\nsteps:\n"+lb+tc.step+"\n")
			_, err := Run(s, Options{})
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tc.err)
			require.NotEmpty(t, api.ErrorCode(err))
		})
	}
}

// FuzzReferences: any step input resolves to references replaced or an
// error, never a panic, and input with no reference is left as it is.
func FuzzReferences(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":"ecs:service-deployment/c/s"}`, `{"a":"ecs:lifecycle-hook/c/s"}`, `["ecs:service-deployment/c"]`,
		`"elbv2:listener/web/80"`, `{"a":"ecs:service:DesiredCount"}`, `"ecs:lifecycle-hook/c/s/x"`} {
		f.Add([]byte(s))
	}
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(f, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("c")})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := resolveRefs(w, in)
		if err == nil && !refRE.Match(in) {
			require.Equal(t, in, out)
		}
	})
}
