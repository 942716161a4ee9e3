package ecs_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/sim"
)

// TestWhatStartsADeployment: UpdateService starts a new deployment when
// it changes the task definition, network configuration, platform
// version, capacity provider strategy, load balancers, service
// registries, placement constraints or strategy, or forces one; a desired
// count, deployment configuration or grace period alone does not.
// [API:UpdateService]
func TestWhatStartsADeployment(t *testing.T) {
	tg := "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
	cases := []struct {
		name   string
		update string
		redo   bool
	}{
		{"desired count", `"desiredCount":3`, false},
		{"deployment configuration", `"deploymentConfiguration":{"maximumPercent":150,"minimumHealthyPercent":50}`, false},
		{"grace period", `"healthCheckGracePeriodSeconds":60`, false},
		{"same placement strategy as before (none)", `"placementStrategy":[]`, false},
		{"force", `"forceNewDeployment":true`, true},
		{"platform version", `"platformVersion":"1.4.0"`, true},
		{"network configuration", `"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001"]}}`, true},
		{"load balancers", `"loadBalancers":[{"targetGroupArn":"` + tg + `","containerName":"nginx","containerPort":80}]`, true},
		{"service registries", `"serviceRegistries":[{"registryArn":"arn:aws:servicediscovery:us-east-1:123456789012:service/srv-0123456789abcdef"}]`, true},
		{"placement constraints", `"placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.instance-type =~ t3.*"}]`, true},
		{"volume configurations", `"volumeConfigurations":[{"name":"data","managedEBSVolume":{"roleArn":"arn:aws:iam::123456789012:role/ebs","sizeInGiB":10}}]`, true},
		{"placement strategy", `"placementStrategy":[{"type":"spread","field":"attribute:ecs.availability-zone"}]`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			createWeb(t, w, 2)
			require.NoError(t, w.RunFor(5*time.Minute))
			before := describeWeb(t, w)
			update := strings.ReplaceAll(tc.update, tg, targetGroup(t, w))
			_, err := w.Call("ecs:UpdateService", []byte(`{"cluster":"demo","service":"web",`+update+`}`))
			require.NoError(t, err)
			after := describeWeb(t, w)
			if tc.redo {
				require.Len(t, after.Deployments, 2)
				require.NotEqual(t, before.Deployments[0].Id, after.Deployments[0].Id)
			} else {
				require.Len(t, after.Deployments, 1)
				require.Equal(t, before.Deployments[0].Id, after.Deployments[0].Id)
			}
		})
	}
}

// targetGroup creates an ip target group that an application load
// balancer forwards to, and returns its ARN.
func targetGroup(t *testing.T, w *ecssim.World) string {
	t.Helper()
	lb, err := w.ELB().CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("web"), Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002"}})
	require.NoError(t, err)
	tg, err := w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String("web"), Protocol: api.String("HTTP"), Port: api.Int32(80),
		VpcId: api.String("vpc-00000001"), TargetType: api.String("ip")})
	require.NoError(t, err)
	arn := tg.TargetGroups[0].TargetGroupArn
	_, err = w.ELB().CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"), Port: api.Int32(80),
		DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &arn}}})
	require.NoError(t, err)
	return arn
}

func describeWeb(t *testing.T, w *ecssim.World) ecs.Service {
	t.Helper()
	out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"web"}})
	require.NoError(t, err)
	require.Len(t, out.Services, 1)
	return out.Services[0]
}

// serviceActions returns the event names of the "ECS Service Action"
// events in w's trace.
func serviceActions(t *testing.T, w *ecssim.World) []string {
	t.Helper()
	var names []string
	for _, r := range w.Trace().Records() {
		if r.Type != ecs.EventServiceAction {
			continue
		}
		var d ecs.ServiceAction
		b, err := json.Marshal(r.Detail)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &d))
		names = append(names, d.EventName)
	}
	return names
}

// TestDesiredCountUpdatedOnlyByTheScheduler: SERVICE_DESIRED_COUNT_UPDATED
// is sent when the scheduler (service auto scaling) changes the desired
// count, never for a user's UpdateService. [DG:ecs_cwe_events]
func TestDesiredCountUpdatedOnlyByTheScheduler(t *testing.T) {
	w := newWorld(t)
	createWeb(t, w, 2)
	require.NoError(t, w.RunFor(5*time.Minute))
	_, err := w.ECS().UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("web"), DesiredCount: api.Int32(4)})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(5*time.Minute))
	require.NotContains(t, serviceActions(t, w), "SERVICE_DESIRED_COUNT_UPDATED")

	_, err = w.Call("application-autoscaling:RegisterScalableTarget", []byte(`{"ServiceNamespace":"ecs","ResourceId":"service/demo/web",
		"ScalableDimension":"ecs:service:DesiredCount","MinCapacity":6,"MaxCapacity":8}`))
	require.NoError(t, err)
	require.NoError(t, w.RunFor(5*time.Minute))
	require.Equal(t, int32(6), describeWeb(t, w).DesiredCount, "raising MinCapacity scales the service out")
	require.Contains(t, serviceActions(t, w), "SERVICE_DESIRED_COUNT_UPDATED")
}

// TestPlacementFailureAction: when the scheduler cannot place a task it
// says so in the service's events, in ECS's words, and sends
// SERVICE_TASK_PLACEMENT_FAILURE. [DG:service-event-messages] [DG:ecs_cwe_events]
func TestPlacementFailureAction(t *testing.T) {
	w := newWorld(t)
	_, err := w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"ec2web","requiresCompatibilities":["EC2"],
		"containerDefinitions":[{"name":"web","image":"nginx","memory":512,"portMappings":[{"containerPort":80,"hostPort":80}]}]}`))
	require.NoError(t, err)
	_, err = w.ECS().CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"),
		TaskDefinition: api.String("ec2web"), DesiredCount: api.Int32(1), LaunchType: api.String("EC2")})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(time.Minute))
	s := describeWeb(t, w)
	require.Equal(t, "(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.", s.Events[0].Message)
	require.Contains(t, serviceActions(t, w), "SERVICE_TASK_PLACEMENT_FAILURE")
}

// TestServiceEventsAsTraced: DescribeServices words the events about
// tasks started and stopped, which the model keeps as the tasks' IDs, as
// the trace has them, newest first, with the IDs of the tasks involved.
// [API:Service.events]
func TestServiceEventsAsTraced(t *testing.T) {
	for _, keep := range []bool{true, false} {
		w := newWorld(t)
		var traced []string
		w.Trace().Keep(keep)
		w.Trace().ObserveEvents(func(r sim.Record) {
			if r.Type == "ECS Service Event" {
				var msg string
				switch d := r.Detail.(type) {
				case ecs.ServiceEventDetail:
					msg = d.Message
				case *ecs.ServiceEventDetail:
					msg = d.Message
				}
				traced = append(traced, msg)
			}
		})
		createWeb(t, w, 3)
		require.NoError(t, w.RunFor(5*time.Minute))
		_, err := w.Call("ecs:UpdateService", []byte(`{"cluster":"demo","service":"web","forceNewDeployment":true}`))
		require.NoError(t, err)
		require.NoError(t, w.RunFor(15*time.Minute))

		events := describeWeb(t, w).Events
		require.Len(t, events, len(traced))
		var started, stopped int
		for i, ev := range events {
			require.Equal(t, traced[len(traced)-1-i], ev.Message, "event %d", i)
			switch {
			case strings.Contains(ev.Message, ") has started "):
				started++
			case strings.Contains(ev.Message, ") has stopped "):
				stopped++
			}
		}
		require.Positive(t, started)
		require.Positive(t, stopped)
		tasks, err := w.ECS().ListTasks(&ecs.ListTasksInput{Cluster: api.String("demo")})
		require.NoError(t, err)
		for _, arn := range tasks.TaskArns {
			id := arn[strings.LastIndexByte(arn, '/')+1:]
			found := false
			for _, ev := range events {
				found = found || strings.Contains(ev.Message, "(task "+id+")")
			}
			require.True(t, found, "task %s is in a started event", id)
		}
	}
}
