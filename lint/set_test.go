package lint

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSpotDeregistrationDelay: ECS016 fires for a service that can run
// on FARGATE_SPOT behind a target group whose deregistration delay is two
// minutes or more, and not otherwise.
func TestSpotDeregistrationDelay(t *testing.T) {
	tg := Call{"elbv2:CreateTargetGroup", []byte(`{"Name":"web","Protocol":"HTTP","Port":80,"VpcId":"vpc-1","TargetType":"ip"}`)}
	delay := func(v string) Call {
		return Call{"elbv2:ModifyTargetGroupAttributes", []byte(`{"TargetGroupArn":"elbv2:targetgroup/web","Attributes":[{"Key":"deregistration_delay.timeout_seconds","Value":"` + v + `"}]}`)}
	}
	spotCluster := Call{"ecs:CreateCluster", []byte(`{"clusterName":"demo","capacityProviders":["FARGATE","FARGATE_SPOT"],
		"defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","base":2,"weight":1},{"capacityProvider":"FARGATE_SPOT","weight":3}]}`)}
	plainCluster := Call{"ecs:CreateCluster", []byte(`{"clusterName":"demo"}`)}
	service := func(extra string) Call {
		return Call{"ecs:CreateService", []byte(`{"cluster":"demo","serviceName":"web","taskDefinition":"web","desiredCount":4,` + extra +
			`"loadBalancers":[{"targetGroupArn":"elbv2:targetgroup/web","containerName":"app","containerPort":80}]}`)}
	}
	spotStrategy := `"capacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1}],`
	for _, tc := range []struct {
		name    string
		calls   []Call
		message string // "" when the rule must not fire
	}{
		{"default strategy, default delay", []Call{tg, spotCluster, service("")}, `service "web" can run on FARGATE_SPOT behind target group "web", whose deregistration delay is 300 s`},
		{"service strategy, two minutes", []Call{tg, delay("120"), plainCluster, service(spotStrategy)}, "deregistration delay is 120 s"},
		{"the last setting counts", []Call{tg, delay("30"), delay("600"), plainCluster, service(spotStrategy)}, "600 s"},
		{"a target group ARN", []Call{tg, plainCluster, {"ecs:CreateService", []byte(`{"cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/demo","serviceName":"web",` + spotStrategy +
			`"loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef","containerName":"app","containerPort":80}]}`)}}, "300 s"},
		{"a delay under two minutes", []Call{tg, delay("90"), spotCluster, service("")}, ""},
		{"FARGATE only", []Call{tg, plainCluster, service(`"launchType":"FARGATE",`)}, ""},
		{"a launch type overrides the default strategy", []Call{tg, spotCluster, service(`"launchType":"FARGATE",`)}, ""},
		{"Spot with no weight", []Call{tg, plainCluster, service(`"capacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1},{"capacityProvider":"FARGATE_SPOT","weight":0}],`)}, ""},
		{"no load balancer", []Call{tg, spotCluster, {"ecs:CreateService", []byte(`{"cluster":"demo","serviceName":"web","taskDefinition":"web"}`)}}, ""},
		{"disabled by the service's tag", []Call{tg, spotCluster, service(`"tags":[{"key":"ecssim:lint:disable","value":"ECS009 ECS016"}],`)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := CheckSet(tc.calls, Options{})
			if tc.message == "" {
				require.Empty(t, fs)
				return
			}
			require.Len(t, fs, 1)
			require.Equal(t, "ECS016", fs[0].Rule.ID)
			require.Equal(t, len(tc.calls)-1, fs[0].Call)
			require.Equal(t, "loadBalancers[0].targetGroupArn", fs[0].Path)
			require.Contains(t, fs[0].Message, tc.message)
		})
	}
	require.Empty(t, CheckSet([]Call{tg, spotCluster, service("")}, Options{Disable: []string{"ecs016"}}), "disabled for the run")
	require.Empty(t, CheckSet([]Call{{"ecs:CreateService", []byte(`[`)}}, Options{}), "bad input is skipped")

	// Single documents never run it.
	fs, err := Check(Document{Kind: Service, Input: service(spotStrategy).Input}, Options{})
	require.NoError(t, err)
	require.Empty(t, only(fs, "ECS016"))
}
