package ecssim_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/internal/conformance"
	"github.com/ecssim/ecssim/workload"
)

const webResource = "service/demo/web"

// scaledFleet is a fleet with service "web" (256 CPU units, 512 MiB per
// task) running desired tasks, registered as a scalable target of
// [min, max] with a CPU target tracking policy at target percent, and
// serving rps requests per second at 10 ms of CPU each: with n tasks, each
// runs at rps/n × 4 percent CPU.
func scaledFleet(t *testing.T, seed uint64, desired, min, max int32, target float64, rps int) *fleet {
	t.Helper()
	f := newFleet(t, seed, map[string]workload.Image{"myapp:broken": broken})
	f.register("web", "myapp:1", false)
	f.createService("web", "web", desired, 200, 100, nil)
	require.NoError(t, f.w.RunFor(2*time.Minute))
	f.setTraffic(rps)
	as := f.w.Autoscaling()
	_, err := as.RegisterScalableTarget(&autoscaling.RegisterScalableTargetInput{
		ServiceNamespace: api.String("ecs"), ResourceId: api.String(webResource), ScalableDimension: api.String("ecs:service:DesiredCount"),
		MinCapacity: api.Int32(min), MaxCapacity: api.Int32(max),
	})
	require.NoError(t, err)
	_, err = f.w.Call("application-autoscaling:PutScalingPolicy", []byte(fmt.Sprintf(`{
		"PolicyName": "cpu", "ServiceNamespace": "ecs", "ResourceId": %q, "ScalableDimension": "ecs:service:DesiredCount",
		"PolicyType": "TargetTrackingScaling",
		"TargetTrackingScalingPolicyConfiguration": {"TargetValue": %g,
			"PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}`, webResource, target)))
	require.NoError(t, err)
	return f
}

func (f *fleet) setTraffic(rps int) {
	f.t.Helper()
	_, err := f.w.Call("sim:SetTraffic", []byte(fmt.Sprintf(`{"cluster":"demo","service":"web",
		"traffic":{"shape":"constant(%d)","cpuPerRequest":"10ms"}}`, rps)))
	require.NoError(f.t, err)
}

func (f *fleet) activities() []autoscaling.ScalingActivity {
	f.t.Helper()
	out, err := f.w.Autoscaling().DescribeScalingActivities(&autoscaling.DescribeScalingActivitiesInput{ServiceNamespace: api.String("ecs")})
	require.NoError(f.t, err)
	return out.ScalingActivities
}

// TestTargetTrackingScaleOut: 2 tasks at 80% CPU against a 50% target.
// The high alarm needs 3 datapoints of one minute above the target, each
// visible ecssim.ECSMetricsDelay after its minute: the minutes from the
// policy's are visible at +2m, +3m and +4m, then the service scales to
// ceil(2 × 80 / 50) = 4 in one step, and 4 tasks at 40% is where it
// stays: ceil(4 × 40 / 50) = 4; the stale datapoints of 2 tasks that
// keep the alarm in ALARM do not scale out again within the cooldown.
// [AAS:application-auto-scaling-target-tracking]
func TestTargetTrackingScaleOut(t *testing.T) {
	f := scaledFleet(t, 1, 2, 1, 10, 50, 40)
	require.NoError(t, f.w.RunFor(3*time.Minute+30*time.Second))
	require.EqualValues(t, 2, f.service("web").DesiredCount, "two datapoints above the target are not enough")
	require.Empty(t, f.activities())

	require.NoError(t, f.w.RunFor(time.Minute))
	require.EqualValues(t, 4, f.service("web").DesiredCount, "the third datapoint fires the high alarm")
	acts := f.activities()
	require.Len(t, acts, 1)
	require.Equal(t, "Setting desired count to 4.", acts[0].Description)
	require.Equal(t, "Successful", acts[0].StatusCode)
	require.Equal(t, "Successfully set desired count to 4. Change successfully fulfilled by ecs.", acts[0].StatusMessage)
	require.Contains(t, acts[0].Cause, "AlarmHigh")
	require.Contains(t, acts[0].Cause, "triggered policy cpu")

	require.NoError(t, f.w.RunFor(30*time.Minute))
	s := f.service("web")
	require.EqualValues(t, 4, s.DesiredCount)
	require.EqualValues(t, 4, s.RunningCount)
	require.Len(t, f.activities(), 1, "4 tasks at 40% is steady: the low alarm asks for 4 again")
}

// TestTargetTrackingScaleIn: 4 tasks at 8% CPU against a 50% target. The
// low alarm needs 15 periods below 90% of the target; it sees the
// service's datapoints since its creation, 2 minutes before the policy,
// and with fewer than 15 of them goes to ALARM once the oldest is 15
// periods old (CloudWatch's rule for missing data): at 00:15, 13 minutes
// after the policy. The service scales to ceil(4 × 8 / 50) = 1, the
// minimum.
func TestTargetTrackingScaleIn(t *testing.T) {
	f := scaledFleet(t, 1, 4, 1, 10, 50, 8)
	require.NoError(t, f.w.RunFor(12*time.Minute+30*time.Second))
	require.EqualValues(t, 4, f.service("web").DesiredCount, "13 periods below the low threshold are not enough")
	require.NoError(t, f.w.RunFor(time.Minute))
	require.EqualValues(t, 1, f.service("web").DesiredCount)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	require.EqualValues(t, 1, f.service("web").RunningCount)
}

// TestTargetTrackingLimits: the capacity stays within [min, max], and a
// policy with DisableScaleIn never scales in.
func TestTargetTrackingLimits(t *testing.T) {
	t.Run("max", func(t *testing.T) {
		f := scaledFleet(t, 1, 2, 1, 3, 50, 100) // wants ceil(2 × 100 / 50) = 4
		require.NoError(t, f.w.RunFor(20*time.Minute))
		require.EqualValues(t, 3, f.service("web").DesiredCount)
	})
	t.Run("min", func(t *testing.T) {
		f := scaledFleet(t, 1, 4, 2, 10, 50, 0)
		require.NoError(t, f.w.RunFor(20*time.Minute))
		require.EqualValues(t, 2, f.service("web").DesiredCount)
	})
	t.Run("DisableScaleIn", func(t *testing.T) {
		f := scaledFleet(t, 1, 4, 1, 10, 50, 0)
		_, err := f.w.Call("application-autoscaling:PutScalingPolicy", []byte(`{
			"PolicyName": "cpu", "ServiceNamespace": "ecs", "ResourceId": "service/demo/web", "ScalableDimension": "ecs:service:DesiredCount",
			"PolicyType": "TargetTrackingScaling",
			"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50, "DisableScaleIn": true,
				"PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}`))
		require.NoError(t, err)
		require.NoError(t, f.w.RunFor(30*time.Minute))
		require.EqualValues(t, 4, f.service("web").DesiredCount)
	})
}

// TestNoScaleInDuringDeployment: Application Auto Scaling does not scale
// in while a deployment is in progress; a deployment stuck on an image
// that cannot be pulled (no circuit breaker) keeps the service at 4.
// [DG:service-auto-scaling#service-auto-scaling-deployments]
func TestNoScaleInDuringDeployment(t *testing.T) {
	for _, deploying := range []bool{false, true} {
		t.Run(fmt.Sprintf("deploying=%v", deploying), func(t *testing.T) {
			f := scaledFleet(t, 1, 4, 1, 10, 50, 8)
			if deploying {
				f.register("web", "myapp:broken", false)
				f.update("web", "web:2")
			}
			require.NoError(t, f.w.RunFor(30*time.Minute))
			want := int32(1)
			if deploying {
				want = 4
			}
			require.Equal(t, want, f.service("web").DesiredCount)
		})
	}
}

// TestScheduledAction: a one-time action raises the minimum at its time,
// which raises the desired count; a recurring one lowers the maximum.
// [AAS:application-auto-scaling-scheduled-scaling]
func TestScheduledAction(t *testing.T) {
	f := scaledFleet(t, 1, 2, 1, 10, 90, 8)
	start := f.w.Now()
	at := start.Add(20 * time.Minute).UTC().Format("2006-01-02T15:04:05")
	_, err := f.w.Call("application-autoscaling:PutScheduledAction", []byte(fmt.Sprintf(`{
		"ServiceNamespace": "ecs", "ScheduledActionName": "morning", "ResourceId": %q, "ScalableDimension": "ecs:service:DesiredCount",
		"Schedule": "at(%s)", "ScalableTargetAction": {"MinCapacity": 5, "MaxCapacity": 10}}`, webResource, at)))
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(19*time.Minute))
	require.EqualValues(t, 1, f.service("web").DesiredCount, "8 rps is far below the 90% target: scaled in to the minimum")
	require.NoError(t, f.w.RunFor(2*time.Minute))
	require.EqualValues(t, 5, f.service("web").DesiredCount)
	acts := f.activities() // newest first
	require.Equal(t, "scheduled action name morning was triggered", acts[0].Cause)

	out, err := f.w.Autoscaling().DescribeScalableTargets(&autoscaling.DescribeScalableTargetsInput{ServiceNamespace: api.String("ecs")})
	require.NoError(t, err)
	require.Len(t, out.ScalableTargets, 1)
	require.EqualValues(t, 5, out.ScalableTargets[0].MinCapacity)

	_, err = f.w.Call("application-autoscaling:PutScheduledAction", []byte(fmt.Sprintf(`{
		"ServiceNamespace": "ecs", "ScheduledActionName": "night", "ResourceId": %q, "ScalableDimension": "ecs:service:DesiredCount",
		"Schedule": "rate(1 hour)", "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 3}}`, webResource)))
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(61*time.Minute))
	require.EqualValues(t, 3, f.service("web").DesiredCount)
	sched, err := f.w.Autoscaling().DescribeScheduledActions(&autoscaling.DescribeScheduledActionsInput{ServiceNamespace: api.String("ecs")})
	require.NoError(t, err)
	require.Len(t, sched.ScheduledActions, 2)
}

// TestAutoscalingErrors: bad requests get Application Auto Scaling's
// errors and change nothing.
func TestAutoscalingErrors(t *testing.T) {
	f := scaledFleet(t, 1, 2, 1, 10, 50, 0)
	key := `"ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount"`
	cases := []struct {
		name, action, input, code, message string
	}{
		{"unknown service", "RegisterScalableTarget", `{` + key + `, "ResourceId": "service/demo/nope", "MinCapacity": 1, "MaxCapacity": 2}`,
			"ValidationException", "ECS service doesn't exist: service/demo/nope"},
		{"min above max", "RegisterScalableTarget", `{` + key + `, "ResourceId": "service/demo/web", "MinCapacity": 5, "MaxCapacity": 2}`,
			"ValidationException", "Minimum capacity cannot be greater than maximum capacity"},
		{"policy without target", "PutScalingPolicy", `{` + key + `, "ResourceId": "service/demo/other", "PolicyName": "p", "PolicyType": "TargetTrackingScaling",
			"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}`,
			"ObjectNotFoundException", "No scalable target registered for service namespace: ecs, resource ID: service/demo/other, scalable dimension: ecs:service:DesiredCount"},
		{"deregister unknown", "DeregisterScalableTarget", `{` + key + `, "ResourceId": "service/demo/other"}`,
			"ObjectNotFoundException", "No scalable target registered for service namespace: ecs, resource ID: service/demo/other, scalable dimension: ecs:service:DesiredCount"},
		{"unknown field", "RegisterScalableTarget", `{` + key + `, "ResourceId": "service/demo/web", "minCapacity": 1}`, "SerializationException", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.w.Call("application-autoscaling:"+c.action, []byte(c.input))
			var ae *api.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, c.code, ae.Code, ae.Message)
			if c.message != "" {
				require.Equal(t, c.message, ae.Message)
			}
		})
	}
	out, err := f.w.Autoscaling().DescribeScalableTargets(&autoscaling.DescribeScalableTargetsInput{ServiceNamespace: api.String("ecs")})
	require.NoError(t, err)
	require.Len(t, out.ScalableTargets, 1)
	require.EqualValues(t, 1, out.ScalableTargets[0].MinCapacity)
	require.EqualValues(t, 10, out.ScalableTargets[0].MaxCapacity)

	// Deregistering removes the target with its policies: the service
	// stays where it is.
	_, err = f.w.Call("application-autoscaling:DeregisterScalableTarget", []byte(`{`+key+`, "ResourceId": "service/demo/web"}`))
	require.NoError(t, err)
	pols, err := f.w.Autoscaling().DescribeScalingPolicies(&autoscaling.DescribeScalingPoliciesInput{ServiceNamespace: api.String("ecs")})
	require.NoError(t, err)
	require.Empty(t, pols.ScalingPolicies)
	require.NoError(t, f.w.RunFor(30*time.Minute))
	require.EqualValues(t, 2, f.service("web").DesiredCount)
}

// TestAutoscalingDeterminism: the same seed gives the same trace.
func TestAutoscalingDeterminism(t *testing.T) {
	hash := func() string {
		f := scaledFleet(t, 7, 2, 1, 10, 50, 40)
		require.NoError(t, f.w.RunFor(20*time.Minute))
		f.setTraffic(4)
		require.NoError(t, f.w.RunFor(30*time.Minute))
		require.Len(t, f.activities(), 2)
		return f.w.Trace().Hash()
	}
	require.Equal(t, hash(), hash())
}

// TestConformanceScaling registers the corpus's scalable targets and puts
// its scaling policies on the services they name: AWS accepted them all.
func TestConformanceScaling(t *testing.T) {
	dir := conformance.Dir(t, "scaling")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	w, err := ecssim.New(ecssim.Config{Seed: 1})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("default")})
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"app","containerDefinitions":[{"name":"app","image":"nginx","memory":128}]}`))
	require.NoError(t, err)
	for _, name := range []string{"web-app", "sample-app-service"} {
		_, err = w.ECS().CreateService(&ecs.CreateServiceInput{ServiceName: api.String(name), TaskDefinition: api.String("app"), DesiredCount: api.Int32(1)})
		require.NoError(t, err)
	}
	// The corpus's ResourceLabels name load balancers of the account it
	// was recorded in; here they name this world's.
	f := &fleet{t: t, w: w}
	lbDim, tgDim := f.albDims(f.alb(elb.CreateTargetGroupInput{}, "300"))
	label := regexp.MustCompile(`app/[^"/]+/[0-9a-f]+/targetgroup/[^"/]+/[0-9a-f]+`)
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		raw = label.ReplaceAll(raw, []byte(lbDim+"/"+tgDim))
		var probe map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(raw, &probe))
		action := "application-autoscaling:RegisterScalableTarget"
		if _, ok := probe["PolicyName"]; ok {
			action = "application-autoscaling:PutScalingPolicy"
		}
		_, err = w.Call(action, raw)
		require.NoError(t, err, filepath.Base(file))
	}
	pols, err := w.Autoscaling().DescribeScalingPolicies(&autoscaling.DescribeScalingPoliciesInput{ServiceNamespace: api.String("ecs")})
	require.NoError(t, err)
	n := 0
	for _, file := range files {
		if strings.Contains(filepath.Base(file), "put-scaling-policy") {
			n++
		}
	}
	require.Len(t, pols.ScalingPolicies, n)
	for _, p := range pols.ScalingPolicies {
		if p.PolicyType == "TargetTrackingScaling" {
			require.Len(t, p.Alarms, 2, p.PolicyName)
		}
	}
}
