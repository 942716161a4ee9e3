package ecssim_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/cloudwatch"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/report"
	"github.com/ecssim/ecssim/workload"
)

// bgSetup is a service behind "web" deployed by a strategy other than
// ROLLING: the production rule is the HTTP:80 listener's default rule
// (300 requests per second), the test rule the default rule of an
// HTTP:8080 listener, and "web-green" the alternate target group.
type bgSetup struct {
	f              *fleet
	blue, green    string // the primary and alternate target groups
	prod, test     string // rule ARNs
	blueDim, grDim string // the groups' CloudWatch dimension values
}

// newBG creates the service (3 tasks of web:1) with dc and runs it to
// steady state; web:2 is registered for the deployments to come.
func newBG(t *testing.T, seed uint64, dc ecs.DeploymentConfiguration) *bgSetup {
	return newBGWith(t, seed, servedApp, dc)
}

// newBGWith is newBG with web:2 behaving as release.
func newBGWith(t *testing.T, seed uint64, release workload.Image, dc ecs.DeploymentConfiguration) *bgSetup {
	f := newFleet(t, seed, map[string]workload.Image{"web:1": servedApp, "web:2": release})
	hc := elb.CreateTargetGroupInput{HealthCheckPath: api.String("/health"), HealthCheckIntervalSeconds: api.Int32(10), HealthyThresholdCount: api.Int32(2)}
	blue := f.alb(hc, "30")
	f.listenerTraffic(blue)
	c := f.w.ELB()
	g := hc
	g.Name, g.Protocol, g.Port, g.VpcId, g.TargetType = api.String("web-green"), api.String("HTTP"), api.Int32(80), api.String("vpc-00000001"), api.String("ip")
	out, err := c.CreateTargetGroup(&g)
	require.NoError(t, err)
	green := out.TargetGroups[0].TargetGroupArn
	_, err = c.ModifyTargetGroupAttributes(&elb.ModifyTargetGroupAttributesInput{TargetGroupArn: &green,
		Attributes: []elb.TargetGroupAttribute{{Key: api.String(elb.AttrDeregistrationDelay), Value: api.String("30")}}})
	require.NoError(t, err)
	lbs, err := c.DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{Names: []string{"web"}})
	require.NoError(t, err)
	lbArn := lbs.LoadBalancers[0].LoadBalancerArn
	_, err = c.CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lbArn, Protocol: api.String("HTTP"), Port: api.Int32(8080),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &green}}})
	require.NoError(t, err)
	ls, err := c.DescribeListeners(&elb.DescribeListenersInput{LoadBalancerArn: &lbArn})
	require.NoError(t, err)
	rule := func(listener string) string {
		rs, err := c.DescribeRules(&elb.DescribeRulesInput{ListenerArn: &listener})
		require.NoError(t, err)
		return rs.Rules[len(rs.Rules)-1].RuleArn
	}
	b := &bgSetup{f: f, blue: blue, green: green}
	for _, l := range ls.Listeners {
		if l.Port == 80 {
			b.prod = rule(l.ListenerArn)
		} else {
			b.test = rule(l.ListenerArn)
		}
	}
	b.blueDim, b.grDim = blue[strings.LastIndexByte(blue, ':')+1:], green[strings.LastIndexByte(green, ':')+1:]
	f.register("web", "web:1", false)
	f.register("web", "web:2", false)
	dc.MaximumPercent, dc.MinimumHealthyPercent = api.Int32(200), api.Int32(100)
	_, err = f.w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web:1"),
		DesiredCount: api.Int32(3), LaunchType: api.String("FARGATE"), HealthCheckGracePeriodSeconds: api.Int32(0),
		LoadBalancers: []ecs.LoadBalancer{{TargetGroupArn: &blue, ContainerName: api.String("app"), ContainerPort: api.Int32(80),
			AdvancedConfiguration: &ecs.AdvancedConfiguration{AlternateTargetGroupArn: &green, ProductionListenerRule: &b.prod,
				TestListenerRule: &b.test, RoleArn: api.String("arn:aws:iam::123456789012:role/ecsInfrastructure")}}},
		DeploymentConfiguration: &dc,
		NetworkConfiguration:    &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: defaultSubnets, SecurityGroups: []string{"sg-00000001"}}},
	})
	require.NoError(t, err)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	d := f.service("web").Deployments
	require.Len(t, d, 1)
	require.Equal(t, ecs.RolloutCompleted, d[0].RolloutState)
	return b
}

// weights returns a rule's forward weights by target group.
func (b *bgSetup) weights(rule string) map[string]int32 {
	rs, err := b.f.w.ELB().DescribeRules(&elb.DescribeRulesInput{RuleArns: []string{rule}})
	require.NoError(b.f.t, err)
	out := map[string]int32{}
	for _, a := range rs.Rules[0].Actions {
		if a.ForwardConfig != nil {
			for _, t := range a.ForwardConfig.TargetGroups {
				out[*t.TargetGroupArn] = api.Deref(t.Weight)
			}
		}
	}
	return out
}

// stage returns the lifecycle stage and status of the newest service
// deployment.
func (b *bgSetup) stage() (string, string) {
	list := b.f.listSD(ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web")})
	sd := b.f.describeSD(list[0].ServiceDeploymentArn)
	return sd.LifecycleStage, sd.Status
}

// tasksOf counts the service's tasks not stopped per task definition
// revision.
func (b *bgSetup) tasksOf() map[string]int {
	out := map[string]int{}
	tl, err := b.f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), ServiceName: api.String("web")})
	require.NoError(b.f.t, err)
	if len(tl.TaskArns) == 0 {
		return out
	}
	ts, err := b.f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: tl.TaskArns})
	require.NoError(b.f.t, err)
	for _, x := range ts.Tasks {
		out[x.TaskDefinitionArn[strings.LastIndexByte(x.TaskDefinitionArn, '/')+1:]]++
	}
	return out
}

// bgRun deploys web:2 and samples every 30 s for d: the stage, the
// production weights, the requests per minute each group (revision)
// serves and the tasks per revision. It checks the invariants at every
// sample: production weights sum to 100, and no production request
// reaches green before PRODUCTION_TRAFFIC_SHIFT. stop, when set, runs
// after the given number of samples.
func (b *bgSetup) run(d time.Duration, stopAfter int, stop func()) (string, int) {
	t, f := b.f.t, b.f
	c := ecssimtest.NewChecker(f.w)
	defer c.Close()
	f.update("web", "web:2")
	var sb strings.Builder
	peak := 0
	shifted := false
	for i := 0; time.Duration(i)*30*time.Second < d; i++ {
		if stop != nil && i == stopAfter {
			stop()
		}
		require.NoError(t, ecssimtest.RunChecked(f.w, c, 30*time.Second))
		stage, status := b.stage()
		w := b.weights(b.prod)
		require.Equal(t, int32(100), w[b.blue]+w[b.green], "production weights sum to 100 at %s", f.w.Elapsed())
		var blueRPM, greenRPM float64
		for _, lt := range f.w.LoadBalancerTraffic() {
			for _, g := range lt.Groups {
				switch g.Dimension {
				case b.blueDim:
					blueRPM = g.Requests * 60
				case b.grDim:
					greenRPM = g.Requests * 60
				}
			}
		}
		if i := slices.Index(stageOrder, stage); i >= slices.Index(stageOrder, ecs.StageProductionTrafficShift) {
			shifted = true
		}
		if !shifted && status == "IN_PROGRESS" {
			require.Zero(t, w[b.green], "green gets no production weight before %s (at %s, %s)", ecs.StageProductionTrafficShift, f.w.Elapsed(), stage)
			require.Zero(t, greenRPM, "green serves no production request before %s (at %s, %s)", ecs.StageProductionTrafficShift, f.w.Elapsed(), stage)
		}
		n := b.tasksOf()
		total := 0
		var revs []string
		for r, k := range n {
			total += k
			revs = append(revs, fmt.Sprintf("%s=%d", r, k))
		}
		slices.Sort(revs)
		peak = max(peak, total)
		fmt.Fprintf(&sb, "%s %s %s blue=%d green=%d rpm blue=%g green=%g tasks %s\n", f.w.Elapsed(), status, stage,
			w[b.blue], w[b.green], blueRPM, greenRPM, strings.Join(revs, " "))
	}
	require.NoError(t, f.w.Trace().Err())
	fmt.Fprintf(&sb, "peak tasks %d\nhash %s\n", peak, f.w.Trace().Hash())
	return sb.String(), peak
}

// stageOrder is the order of ServiceDeploymentLifecycleStage as the
// API documents it.
var stageOrder = []string{"RECONCILE_SERVICE", "PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
	"POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to create the golden file")
	require.Equal(t, string(want), got)
}

// TestBlueGreenDeployment: a BLUE_GREEN deployment with a 2-minute bake
// time: green scales up to 3 tasks in the alternate group beside blue's
// 3, test traffic then production traffic shift all at once (100/0 to
// 0/100), both revisions run through the bake time, blue scales down,
// and the deployment succeeds with the groups' roles swapped. The
// samples match testdata/golden/bluegreen-all-at-once.txt.
func TestBlueGreenDeployment(t *testing.T) {
	b := newBG(t, 1, ecs.DeploymentConfiguration{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(2)})
	got, peak := b.run(8*time.Minute, -1, nil)
	require.Equal(t, 6, peak, "blue/green costs twice the tasks")
	stage, status := b.stage()
	require.Equal(t, "SUCCESSFUL", status)
	require.Equal(t, ecs.StageCleanUp, stage)
	require.Equal(t, map[string]int{"web:2": 3}, b.tasksOf())
	require.Equal(t, map[string]int32{b.blue: 0, b.green: 100}, b.weights(b.prod))
	require.Equal(t, map[string]int32{b.blue: 0, b.green: 100}, b.weights(b.test), "test traffic reaches green")
	golden(t, "bluegreen-all-at-once", got)

	// The next deployment goes the other way: green's group is live now,
	// so the new revision scales up in the primary group.
	_, err := b.f.w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), TaskDefinition: api.String("web:1")})
	require.NoError(t, err)
	require.NoError(t, b.f.w.RunFor(10*time.Minute))
	require.Equal(t, map[string]int32{b.blue: 100, b.green: 0}, b.weights(b.prod))
	require.Equal(t, map[string]int{"web:1": 3}, b.tasksOf())
}

// TestLinearDeployment: LINEAR, 10 % every minute: production weights
// move 10/90, 20/80 ... to 0/100 a minute apart, the requests each
// revision serves follow them, then the 1-minute bake time and blue's
// scale-down. The samples match testdata/golden/linear-10-every-minute.txt.
func TestLinearDeployment(t *testing.T) {
	b := newBG(t, 1, ecs.DeploymentConfiguration{Strategy: api.String("LINEAR"), BakeTimeInMinutes: api.Int32(1),
		LinearConfiguration: &ecs.LinearConfiguration{StepPercent: new(10.0), StepBakeTimeInMinutes: api.Int32(1)}})
	got, peak := b.run(15*time.Minute, -1, nil)
	require.Equal(t, 6, peak)
	_, status := b.stage()
	require.Equal(t, "SUCCESSFUL", status)
	require.Contains(t, got, "blue=50 green=50 rpm blue=9000 green=9000", "requests follow the weights")
	require.Equal(t, map[string]int{"web:2": 3}, b.tasksOf())
	golden(t, "linear-10-every-minute", got)
}

// TestCanaryDeployment: CANARY, 5 % for 10 minutes: green serves 5 % of
// production (900 of 18,000 requests a minute) for 10 minutes, then all
// of it. The samples match testdata/golden/canary-5-for-10-minutes.txt.
func TestCanaryDeployment(t *testing.T) {
	b := newBG(t, 1, ecs.DeploymentConfiguration{Strategy: api.String("CANARY"), BakeTimeInMinutes: api.Int32(1),
		CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: new(5.0), CanaryBakeTimeInMinutes: api.Int32(10)}})
	got, _ := b.run(15*time.Minute, -1, nil)
	require.Equal(t, 20, strings.Count(got, "blue=95 green=5 rpm blue=17100 green=900"), "10 minutes of canary, sampled every 30 s")
	_, status := b.stage()
	require.Equal(t, "SUCCESSFUL", status)
	golden(t, "canary-5-for-10-minutes", got)
}

// TestLinearStopRollback: StopServiceDeployment (ROLLBACK) during a
// linear shift moves production back to blue at once, green scales in
// and no green task remains; the service deployment ends
// ROLLBACK_SUCCESSFUL. The samples match testdata/golden/linear-stop-rollback.txt.
func TestLinearStopRollback(t *testing.T) {
	b := newBG(t, 1, ecs.DeploymentConfiguration{Strategy: api.String("LINEAR"), BakeTimeInMinutes: api.Int32(1),
		LinearConfiguration: &ecs.LinearConfiguration{StepPercent: new(10.0), StepBakeTimeInMinutes: api.Int32(1)}})
	got, _ := b.run(8*time.Minute, 6, func() {
		list := b.f.listSD(ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web")})
		w := b.weights(b.prod)
		require.Positive(t, w[b.green], "stopped during the shift")
		require.Less(t, w[b.green], int32(100))
		_, err := b.f.w.ECS().StopServiceDeployment(&ecs.StopServiceDeploymentInput{ServiceDeploymentArn: &list[0].ServiceDeploymentArn})
		require.NoError(t, err)
		require.Equal(t, map[string]int32{b.blue: 100, b.green: 0}, b.weights(b.prod), "production shifts back to blue at once")
	})
	_, status := b.stage()
	require.Equal(t, "ROLLBACK_SUCCESSFUL", status)
	require.Equal(t, map[string]int{"web:1": 3}, b.tasksOf(), "no green task remains")
	require.Equal(t, map[string]int32{b.blue: 100, b.green: 0}, b.weights(b.prod))
	s := b.f.service("web")
	require.Len(t, s.Deployments, 1)
	require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
	golden(t, "linear-stop-rollback", got)
}

// TestBlueGreenDeterministic: the same seed twice gives the same trace,
// for each strategy and with hooks.
func TestBlueGreenDeterministic(t *testing.T) {
	fn := "arn:aws:lambda:us-east-1:123456789012:function:check"
	for _, dc := range []ecs.DeploymentConfiguration{
		{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(1)},
		{Strategy: api.String("LINEAR"), BakeTimeInMinutes: api.Int32(1), LinearConfiguration: &ecs.LinearConfiguration{StepPercent: new(33.3), StepBakeTimeInMinutes: api.Int32(1)}},
		{Strategy: api.String("CANARY"), BakeTimeInMinutes: api.Int32(1)},
		{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(1), LifecycleHooks: []ecs.DeploymentLifecycleHook{
			{HookTargetArn: &fn, LifecycleStages: []string{"PRE_SCALE_UP", "PRODUCTION_TRAFFIC_SHIFT"}}}},
	} {
		t.Run(*dc.Strategy, func(t *testing.T) {
			hash := func() string {
				b := newBG(t, 7, dc)
				got, _ := b.run(20*time.Minute, -1, nil)
				return got
			}
			require.Equal(t, hash(), hash())
		})
	}
}

// TestPauseHookRollback: a PAUSE hook at PRE_SCALE_UP holds green back
// (no task of it starts); ContinueServiceDeployment with ROLLBACK ends the
// deployment ROLLBACK_SUCCESSFUL with blue untouched.
func TestPauseHookRollback(t *testing.T) {
	b := newBG(t, 1, ecs.DeploymentConfiguration{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(1),
		LifecycleHooks: []ecs.DeploymentLifecycleHook{{TargetType: api.String("PAUSE"), LifecycleStages: []string{"PRE_SCALE_UP"},
			TimeoutConfiguration: &ecs.HookTimeoutConfiguration{TimeoutInMinutes: api.Int32(60), Action: api.String("CONTINUE")}}}})
	got, _ := b.run(6*time.Minute, 4, func() {
		require.Equal(t, map[string]int{"web:1": 3}, b.tasksOf(), "green waits for the hook")
		list := b.f.listSD(ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web")})
		sd := b.f.describeSD(list[0].ServiceDeploymentArn)
		require.Equal(t, ecs.StagePreScaleUp, sd.LifecycleStage)
		require.Equal(t, "CONTINUE", sd.LifecycleHookDetails[0].TimeoutAction)
		_, err := b.f.w.ECS().ContinueServiceDeployment(&ecs.ContinueServiceDeploymentInput{ServiceDeploymentArn: &sd.ServiceDeploymentArn,
			HookId: &sd.LifecycleHookDetails[0].HookId, Action: api.String("ROLLBACK")})
		require.NoError(t, err)
	})
	require.NotContains(t, got, "web:2=")
	_, status := b.stage()
	require.Equal(t, "ROLLBACK_SUCCESSFUL", status)
	require.Equal(t, map[string]int{"web:1": 3}, b.tasksOf())
}

// TestPauseHookContinued: a PAUSE hook at POST_TEST_TRAFFIC_SHIFT holds
// the deployment, with green at full size and no production request on
// it, until ContinueServiceDeployment; then production shifts.
func TestPauseHookContinued(t *testing.T) {
	b := newBG(t, 1, ecs.DeploymentConfiguration{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(1),
		LifecycleHooks: []ecs.DeploymentLifecycleHook{{TargetType: api.String("PAUSE"), LifecycleStages: []string{"POST_TEST_TRAFFIC_SHIFT"}}}})
	var tl bytes.Buffer
	timeline := report.NewTimeline(&tl, b.f.w.Engine().Now(), false)
	b.f.w.Trace().Observe(timeline.Record)
	var hook string
	got, _ := b.run(12*time.Minute, 10, func() {
		list := b.f.listSD(ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web")})
		sd := b.f.describeSD(list[0].ServiceDeploymentArn)
		require.Equal(t, ecs.StagePostTestTrafficShift, sd.LifecycleStage, "paused")
		require.Len(t, sd.LifecycleHookDetails, 1)
		h := sd.LifecycleHookDetails[0]
		require.Equal(t, "PAUSE", h.TargetType)
		require.Equal(t, "AWAITING_ACTION", h.Status)
		require.Equal(t, map[string]int32{b.blue: 100, b.green: 0}, b.weights(b.prod))
		_, err := b.f.w.ECS().ContinueServiceDeployment(&ecs.ContinueServiceDeploymentInput{ServiceDeploymentArn: &sd.ServiceDeploymentArn, HookId: api.String("nope")})
		require.Error(t, err, "an unknown hook")
		_, err = b.f.w.ECS().ContinueServiceDeployment(&ecs.ContinueServiceDeploymentInput{ServiceDeploymentArn: &sd.ServiceDeploymentArn, HookId: &h.HookId})
		require.NoError(t, err)
		hook = h.HookId
	})
	require.NotEmpty(t, hook)
	_, status := b.stage()
	require.Equal(t, "SUCCESSFUL", status)
	require.Equal(t, map[string]int{"web:2": 3}, b.tasksOf())
	// The timeline shows the stages, the hook and the weights.
	require.Contains(t, tl.String(), "post test traffic shift: production traffic 0% green, 100% blue")
	require.Contains(t, tl.String(), "PAUSE hook "+hook+" at POST_TEST_TRAFFIC_SHIFT: awaiting action")
	require.Contains(t, tl.String(), "PAUSE hook "+hook+" at POST_TEST_TRAFFIC_SHIFT: succeeded")
	require.Contains(t, tl.String(), "production traffic shift: production traffic 100% green, 0% blue")
	golden(t, "bluegreen-pause-hook", got)
}

// TestLambdaHookFails: a Lambda hook at POST_SCALE_UP whose function
// answers IN_PROGRESS for 45 s, then FAILED, is seen failed at its
// second callback (60 s); the deployment rolls back: green scales in and
// production never left blue.
func TestLambdaHookFails(t *testing.T) {
	fn := "arn:aws:lambda:us-east-1:123456789012:function:smoke-test"
	b := newBG(t, 1, ecs.DeploymentConfiguration{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(1),
		LifecycleHooks: []ecs.DeploymentLifecycleHook{{HookTargetArn: &fn, RoleArn: api.String("arn:aws:iam::123456789012:role/hook"), LifecycleStages: []string{"POST_SCALE_UP"}}}})
	_, err := b.f.w.Call("sim:SetLifecycleHookBehaviour", fmt.Appendf(nil, `{"hookTargetArn":%q,"status":"FAILED","durationSeconds":45}`, fn))
	require.NoError(t, err)
	_, err = b.f.w.Call("sim:SetLifecycleHookBehaviour", []byte(`{"hookTargetArn":"x","status":"MAYBE"}`))
	require.Error(t, err)
	got, _ := b.run(8*time.Minute, -1, nil)
	_, status := b.stage()
	require.Equal(t, "ROLLBACK_SUCCESSFUL", status)
	require.Equal(t, map[string]int{"web:1": 3}, b.tasksOf(), "no green task remains")
	require.NotContains(t, got, "green=100", "production never shifted")
	golden(t, "bluegreen-lambda-hook-fails", got)
}

// erroringApp is servedApp answering 500 to 20 % of its requests (its
// health checks pass): the bad release of the side-by-side runs.
var erroringApp = workload.Image{HTTP: &workload.HTTP{ReadyAfter: workload.Fixed(15 * time.Second), ResponseTime: workload.Fixed(50 * time.Millisecond),
	Paths: map[string]int{"/health": 200}, ErrorRate: 0.2}}

// strategyRun deploys the bad release web:2 (5XX on 20 % of requests)
// under one strategy, with the deployment alarm "errors" on the
// HTTPCode_Target_5XX_Count of the group the new revision serves from
// (sum above 100 in 1 of 1 minutes) and rollback, and samples every 10 s
// for 30 minutes: when the alarm fires, the requests web:2 served and the
// 5XX answers (read from the load balancer's group counts, not from the
// error rate), when the rollback completes, and the peak task count. It
// checks after the rollback that no web:2 task remains.
func strategyRun(t *testing.T, seed uint64, dc ecs.DeploymentConfiguration) (row string, bad float64, hash string) {
	dc.Alarms = &ecs.DeploymentAlarms{AlarmNames: []string{"errors"}, Enable: true, Rollback: true}
	b := newBGWith(t, seed, erroringApp, dc)
	f := b.f
	dim := b.grDim
	if api.Deref(dc.Strategy) == ecs.StrategyRolling {
		dim = b.blueDim
	}
	lbs, err := f.w.ELB().DescribeLoadBalancers(&elb.DescribeLoadBalancersInput{Names: []string{"web"}})
	require.NoError(t, err)
	_, lbDim, _ := strings.Cut(lbs.LoadBalancers[0].LoadBalancerArn, ":loadbalancer/")
	_, err = f.w.CloudWatch().PutMetricAlarm(&cloudwatch.PutMetricAlarmInput{
		AlarmName: api.String("errors"), Namespace: api.String("AWS/ApplicationELB"), MetricName: api.String("HTTPCode_Target_5XX_Count"),
		Dimensions: []cloudwatch.Dimension{{Name: api.String("LoadBalancer"), Value: &lbDim}, {Name: api.String("TargetGroup"), Value: &dim}},
		Statistic:  api.String("Sum"), Period: api.Int32(60), EvaluationPeriods: api.Int32(1), DatapointsToAlarm: api.Int32(1),
		Threshold: new(100.0), ComparisonOperator: api.String("GreaterThanThreshold"), TreatMissingData: api.String("notBreaching"),
	})
	require.NoError(t, err)
	c := ecssimtest.NewChecker(f.w)
	defer c.Close()
	start := f.w.Elapsed()
	f.update("web", "web:2")
	rev := map[string]string{} // target IP -> revision
	var errs float64
	var firstAt, alarmAt, doneAt time.Duration
	peak := 0
	for range 180 {
		require.NoError(t, ecssimtest.RunChecked(f.w, c, 10*time.Second))
		for _, st := range []string{"RUNNING", "STOPPED"} {
			tl, err := f.w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo"), ServiceName: api.String("web"), DesiredStatus: &st})
			require.NoError(t, err)
			if len(tl.TaskArns) == 0 {
				continue
			}
			ts, err := f.w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: tl.TaskArns})
			require.NoError(t, err)
			for _, x := range ts.Tasks {
				rev[taskIP(x)] = x.TaskDefinitionArn[strings.LastIndexByte(x.TaskDefinitionArn, '/')+1:]
			}
		}
		for _, lt := range f.w.LoadBalancerTraffic() {
			for _, g := range lt.Groups {
				errs += g.Target5XX * 10 // web:1 answers no 5XX
				for _, x := range g.Targets {
					if rev[x.ID] == "web:2" {
						bad += x.RPS * 10
					}
				}
			}
		}
		if firstAt == 0 && bad > 0 {
			firstAt = f.w.Elapsed() - start
		}
		n := b.tasksOf()
		peak = max(peak, n["web:1"]+n["web:2"])
		if alarmAt == 0 && alarmState(t, f, "errors") == "ALARM" {
			alarmAt = f.w.Elapsed() - start
		}
		if _, status := b.stage(); doneAt == 0 && status == "ROLLBACK_SUCCESSFUL" {
			doneAt = f.w.Elapsed() - start
		}
	}
	require.NoError(t, f.w.Trace().Err())
	require.NotZero(t, doneAt, "the deployment rolled back")
	require.Equal(t, map[string]int{"web:1": 3}, b.tasksOf(), "no task of the bad revision remains")
	row = fmt.Sprintf("%-10s serving=%-5s alarm=%-6s bad-requests=%-7.0f 5xx=%-6.0f rolled-back=%-6s peak-tasks=%d\n", api.Deref(dc.Strategy), firstAt, alarmAt, bad, errs, doneAt, peak)
	return row, bad, f.w.Trace().Hash()
}

// sideBySide are the four strategies compared.
var sideBySide = []ecs.DeploymentConfiguration{
	{Strategy: api.String("ROLLING")},
	{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(10)},
	{Strategy: api.String("LINEAR"), BakeTimeInMinutes: api.Int32(10), LinearConfiguration: &ecs.LinearConfiguration{StepPercent: new(10.0), StepBakeTimeInMinutes: api.Int32(1)}},
	{Strategy: api.String("CANARY"), BakeTimeInMinutes: api.Int32(10), CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: new(5.0), CanaryBakeTimeInMinutes: api.Int32(10)}},
}

// TestStrategiesSideBySide: the same service (3 tasks of web:1 behind
// an ALB, 300 requests a second) and the same bad release (web:2 answers
// 500 to 20 % of its requests) under ROLLING, BLUE_GREEN, LINEAR (10 %
// every minute) and CANARY (5 % for 10 minutes), each with the deployment
// alarm "errors" on the target group's HTTPCode_Target_5XX_Count: when
// web:2 first serves, when the alarm fires, how many requests web:2
// served and how many of them were 5XX, when the rollback completes, and
// the peak task count. The table matches
// testdata/golden/strategies-side-by-side.txt.
//
// The timing: web:2's tasks are healthy and serving production by the end
// of the first minute (ROLLING as soon as they pass their health checks,
// the others at PRODUCTION_TRAFFIC_SHIFT). Even the canary's share (5 % ×
// 300 × 60 × 20 % = 180 errors a minute) is over the threshold of 100, so
// every alarm fires on the first minute's datapoint, when it becomes
// visible, at 2m0s (the minute's end plus ALBMetricsDelay). Until the
// rollback takes production back, web:2 serves its share for about 70 s:
// 300/s under BLUE_GREEN, 30/s under LINEAR's first step and 15/s under
// CANARY. ROLLING has no traffic to shift back: web:2's three tasks serve
// half the traffic until the rollback has replaced them, so it serves the
// most, and its rollback completes last.
func TestStrategiesSideBySide(t *testing.T) {
	var sb strings.Builder
	var bad []float64
	for _, dc := range sideBySide {
		row, n, _ := strategyRun(t, 1, dc)
		sb.WriteString(row)
		bad = append(bad, n)
	}
	// The smaller the first share of production, the fewer bad requests.
	rolling, blueGreen, linear, canary := bad[0], bad[1], bad[2], bad[3]
	require.Less(t, canary, linear)
	require.Less(t, linear, blueGreen)
	require.Less(t, blueGreen, rolling)
	golden(t, "strategies-side-by-side", sb.String())
}

// TestStrategiesDeterministic: each side-by-side run gives the same trace
// twice with the same seed.
func TestStrategiesDeterministic(t *testing.T) {
	for _, dc := range sideBySide {
		_, _, a := strategyRun(t, 7, dc)
		_, _, b := strategyRun(t, 7, dc)
		require.Equal(t, a, b, api.Deref(dc.Strategy))
	}
}

// taskIP returns a Fargate task's private IP address.
func taskIP(t ecs.Task) string {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if api.Deref(d.Name) == "privateIPv4Address" {
				return api.Deref(d.Value)
			}
		}
	}
	return ""
}

// TestLinearReplacedMidShift: a new deployment during a linear shift
// sends production back to the revision that served it (web:1), scales
// the replaced revision in at once, and runs its own shift from web:1.
func TestLinearReplacedMidShift(t *testing.T) {
	b := newBG(t, 1, ecs.DeploymentConfiguration{Strategy: api.String("LINEAR"), BakeTimeInMinutes: api.Int32(1),
		LinearConfiguration: &ecs.LinearConfiguration{StepPercent: new(25.0), StepBakeTimeInMinutes: api.Int32(1)}})
	b.f.register("web", "web:1", false) // web:3, like web:1
	got, _ := b.run(12*time.Minute, 4, func() {
		w := b.weights(b.prod)
		require.Positive(t, w[b.green])
		b.f.update("web", "web:3")
		require.Equal(t, map[string]int32{b.blue: 100, b.green: 0}, b.weights(b.prod), "production back on web:1")
	})
	_, status := b.stage()
	require.Equal(t, "SUCCESSFUL", status)
	require.Equal(t, map[string]int{"web:3": 3}, b.tasksOf())
	golden(t, "linear-replaced-mid-shift", got)
}

// TestBlueGreenCircuitBreaker: green's image cannot be pulled; the
// circuit breaker fails the deployment in SCALE_UP and rolls back:
// production never left blue, and no green task remains.
func TestBlueGreenCircuitBreaker(t *testing.T) {
	b := newBGWith(t, 1, broken, ecs.DeploymentConfiguration{Strategy: api.String("BLUE_GREEN"), BakeTimeInMinutes: api.Int32(1),
		DeploymentCircuitBreaker: &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true}})
	got, _ := b.run(10*time.Minute, -1, nil)
	stage, status := b.stage()
	require.Equal(t, "ROLLBACK_SUCCESSFUL", status)
	require.Equal(t, ecs.StageScaleUp, stage)
	require.NotContains(t, got, "green=100")
	require.Equal(t, map[string]int{"web:1": 3}, b.tasksOf(), "no green task remains")
	s := b.f.service("web")
	require.Len(t, s.Deployments, 1)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", s.TaskDefinition)
}

// TestContinueServiceDeploymentValidation: bad input is refused with
// the API's exceptions.
func TestContinueServiceDeploymentValidation(t *testing.T) {
	f := newFleet(t, 1, nil)
	for _, c := range []struct{ name, input, code string }{
		{"no ARN", `{"hookId":"h"}`, "InvalidParameterException"},
		{"no hook", `{"serviceDeploymentArn":"arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/x"}`, "InvalidParameterException"},
		{"bad action", `{"serviceDeploymentArn":"a","hookId":"h","action":"SKIP"}`, "InvalidParameterException"},
		{"unknown deployment", `{"serviceDeploymentArn":"arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/x","hookId":"h"}`, "ServiceDeploymentNotFoundException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.w.Call("ecs:ContinueServiceDeployment", []byte(c.input))
			require.Equal(t, c.code, api.ErrorCode(err))
		})
	}
	for _, in := range []string{`{}`, `{"hookTargetArn":"f","status":"MAYBE"}`, `{"hookTargetArn":"f","durationSeconds":-1}`} {
		_, err := f.w.Call("sim:SetLifecycleHookBehaviour", []byte(in))
		require.Equal(t, "InvalidParameterException", api.ErrorCode(err), in)
	}
}
