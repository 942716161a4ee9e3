package ecssim_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// TestDeploymentStrategyValidation: the strategy settings are checked
// against the API's enums and ranges, refused with InvalidParameter and
// no service created; accepted ones are stored with the API's defaults.
func TestDeploymentStrategyValidation(t *testing.T) {
	f := newFleet(t, 1, nil)
	f.register("web", "nginx:1", false)
	lambda := `"lifecycleHooks":[{"hookTargetArn":"arn:aws:lambda:us-east-1:123456789012:function:check","roleArn":"arn:aws:iam::123456789012:role/hooks","lifecycleStages":["POST_SCALE_UP"]}]`
	for _, tc := range []struct {
		name, cfg, path string
	}{
		{"unknown strategy", `"strategy":"RAINBOW"`, "deploymentConfiguration.strategy"},
		{"blue/green without bake time", `"strategy":"BLUE_GREEN"`, "deploymentConfiguration.bakeTimeInMinutes"},
		{"bake time 1441", `"strategy":"BLUE_GREEN","bakeTimeInMinutes":1441`, "deploymentConfiguration.bakeTimeInMinutes"},
		{"linear with rolling", `"linearConfiguration":{"stepPercent":10}`, "deploymentConfiguration.linearConfiguration"},
		{"step 2.9", `"strategy":"LINEAR","linearConfiguration":{"stepPercent":2.9}`, "deploymentConfiguration.linearConfiguration.stepPercent"},
		{"step 10.05", `"strategy":"LINEAR","linearConfiguration":{"stepPercent":10.05}`, "deploymentConfiguration.linearConfiguration.stepPercent"},
		{"step bake 1441", `"strategy":"LINEAR","linearConfiguration":{"stepBakeTimeInMinutes":1441}`, "deploymentConfiguration.linearConfiguration.stepBakeTimeInMinutes"},
		{"canary with linear", `"strategy":"LINEAR","canaryConfiguration":{"canaryPercent":5}`, "deploymentConfiguration.canaryConfiguration"},
		{"canary 0", `"strategy":"CANARY","canaryConfiguration":{"canaryPercent":0}`, "deploymentConfiguration.canaryConfiguration.canaryPercent"},
		{"canary 100.1", `"strategy":"CANARY","canaryConfiguration":{"canaryPercent":100.1}`, "deploymentConfiguration.canaryConfiguration.canaryPercent"},
		{"hooks with rolling", lambda, "deploymentConfiguration.lifecycleHooks"},
		{"lambda without target", `"strategy":"CANARY","lifecycleHooks":[{"lifecycleStages":["POST_SCALE_UP"]}]`, "deploymentConfiguration.lifecycleHooks.hookTargetArn"},
		{"bad stage", `"strategy":"CANARY","lifecycleHooks":[{"targetType":"PAUSE","lifecycleStages":["LUNCH"]}]`, "deploymentConfiguration.lifecycleHooks.lifecycleStages"},
		{"no stage", `"strategy":"CANARY","lifecycleHooks":[{"targetType":"PAUSE"}]`, "deploymentConfiguration.lifecycleHooks.lifecycleStages"},
		{"bad target type", `"strategy":"CANARY","lifecycleHooks":[{"targetType":"SNS","lifecycleStages":["POST_SCALE_UP"]}]`, "deploymentConfiguration.lifecycleHooks.targetType"},
		{"timeout 20161", `"strategy":"CANARY","lifecycleHooks":[{"targetType":"PAUSE","lifecycleStages":["POST_SCALE_UP"],"timeoutConfiguration":{"timeoutInMinutes":20161}}]`, "deploymentConfiguration.lifecycleHooks.timeoutConfiguration.timeoutInMinutes"},
		{"timeout action", `"strategy":"CANARY","lifecycleHooks":[{"targetType":"PAUSE","lifecycleStages":["POST_SCALE_UP"],"timeoutConfiguration":{"action":"WAIT"}}]`, "deploymentConfiguration.lifecycleHooks.timeoutConfiguration.action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"cluster":"demo","serviceName":"web","taskDefinition":"web:1","desiredCount":1,"launchType":"FARGATE",
				"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}},"deploymentConfiguration":{` + tc.cfg + `}}`
			_, err := f.w.Call("ecs:CreateService", []byte(doc))
			require.Error(t, err)
			var e *api.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, "InvalidParameterException", e.Code)
			require.Equal(t, tc.path, e.Path, e.Message)
			out, err := f.w.ECS().ListServices(&ecs.ListServicesInput{Cluster: api.String("demo")})
			require.NoError(t, err)
			require.Empty(t, out.ServiceArns)
		})
	}

	for _, tc := range []struct{ name, extra, path string }{
		{"linear on CODE_DEPLOY", `"deploymentController":{"type":"CODE_DEPLOY"},"deploymentConfiguration":{"strategy":"LINEAR"}`, "deploymentConfiguration.strategy"},
		{"advanced configuration without role", `"loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/1","containerName":"app","containerPort":80,
			"advancedConfiguration":{"alternateTargetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/b/2","productionListenerRule":"arn:x"}}]`, "loadBalancers.advancedConfiguration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"cluster":"demo","serviceName":"web","taskDefinition":"web:1","desiredCount":1,"launchType":"FARGATE",
				"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}},` + tc.extra + `}`
			_, err := f.w.Call("ecs:CreateService", []byte(doc))
			var e *api.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, "InvalidParameterException", e.Code)
			require.Equal(t, tc.path, e.Path, e.Message)
		})
	}

	// Accepted: stored with the defaults of the API.
	for _, tc := range []struct{ name, svc, cfg, want string }{
		{"linear", "a", `"strategy":"LINEAR"`, `{"stepPercent":10,"stepBakeTimeInMinutes":6}`},
		{"canary", "b", `"strategy":"CANARY","canaryConfiguration":{"canaryPercent":0.1}`, `{"canaryPercent":0.1,"canaryBakeTimeInMinutes":10}`},
		{"blue/green", "c", `"strategy":"BLUE_GREEN","bakeTimeInMinutes":0,` + lambda, ``},
	} {
		t.Run("accepted "+tc.name, func(t *testing.T) {
			doc := `{"cluster":"demo","serviceName":"` + tc.svc + `","taskDefinition":"web:1","desiredCount":1,"launchType":"FARGATE",
				"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}},"deploymentConfiguration":{` + tc.cfg + `}}`
			raw, err := f.w.Call("ecs:CreateService", []byte(doc))
			require.NoError(t, err)
			var out struct {
				Service struct {
					DeploymentConfiguration struct {
						LinearConfiguration json.RawMessage `json:"linearConfiguration"`
						CanaryConfiguration json.RawMessage `json:"canaryConfiguration"`
						LifecycleHooks      json.RawMessage `json:"lifecycleHooks"`
					} `json:"deploymentConfiguration"`
				} `json:"service"`
			}
			require.NoError(t, json.Unmarshal(raw, &out))
			dc := out.Service.DeploymentConfiguration
			switch tc.name {
			case "linear":
				require.JSONEq(t, tc.want, string(dc.LinearConfiguration))
			case "canary":
				require.JSONEq(t, tc.want, string(dc.CanaryConfiguration))
			default:
				require.Contains(t, string(dc.LifecycleHooks), "POST_SCALE_UP")
			}
		})
	}
}
