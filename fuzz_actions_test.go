package ecssim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
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
	} {
		_, err := w.Call(c.action, []byte(c.input))
		require.NoError(t, err, c.action)
	}
	require.NoError(t, w.RunFor(3*time.Minute))
	return w
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
