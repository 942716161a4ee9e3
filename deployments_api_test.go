package ecssim_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	sdktypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/awsapi"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/ecssimtest"
	"github.com/ecssim/ecssim/workload"
)

// listSD lists the service deployments of "web".
func (f *fleet) listSD(in ecs.ListServiceDeploymentsInput) []ecs.ServiceDeploymentBrief {
	f.t.Helper()
	in.Cluster, in.Service = api.String("demo"), api.String("web")
	out, err := f.w.ECS().ListServiceDeployments(&in)
	require.NoError(f.t, err)
	return out.ServiceDeployments
}

// describeSD describes one service deployment.
func (f *fleet) describeSD(arn string) ecs.ServiceDeployment {
	f.t.Helper()
	out, err := f.w.ECS().DescribeServiceDeployments(&ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{arn}})
	require.NoError(f.t, err)
	require.Len(f.t, out.ServiceDeployments, 1)
	return out.ServiceDeployments[0]
}

// TestServiceDeploymentsList: every CreateService or UpdateService
// deployment is a service deployment, listed newest first, filtered by
// status and creation time, paged; each has its own revision, and the
// earlier revision is the next one's source.
func TestServiceDeploymentsList(t *testing.T) {
	f := newFleet(t, 1, nil)
	f.register("web", "nginx:1", false)
	f.register("web", "nginx:2", false)
	f.register("web", "nginx:3", false)
	f.createService("web", "web:1", 2, 200, 100, nil)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	f.update("web", "web:2")
	require.NoError(t, f.w.RunFor(5*time.Minute))
	f.update("web", "web:3")
	require.NoError(t, f.w.RunFor(10*time.Second))

	all := f.listSD(ecs.ListServiceDeploymentsInput{})
	require.Len(t, all, 3)
	require.Equal(t, []string{ecs.SDInProgress, ecs.SDSuccessful, ecs.SDSuccessful}, []string{all[0].Status, all[1].Status, all[2].Status})
	require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/[A-Za-z0-9_-]{21}$`, all[0].ServiceDeploymentArn)
	require.Regexp(t, `^arn:aws:ecs:us-east-1:123456789012:service-revision/demo/web/[1-9][0-9]{18}$`, all[0].TargetServiceRevisionArn)
	require.NotNil(t, all[1].FinishedAt)
	require.Nil(t, all[0].FinishedAt)

	done := f.listSD(ecs.ListServiceDeploymentsInput{Status: []string{ecs.SDSuccessful}})
	require.Len(t, done, 2)
	after := api.NewTimestamp(f.w.Start().Add(time.Minute))
	require.Len(t, f.listSD(ecs.ListServiceDeploymentsInput{CreatedAt: &ecs.CreatedAtFilter{After: &after}}), 2)
	require.Len(t, f.listSD(ecs.ListServiceDeploymentsInput{CreatedAt: &ecs.CreatedAtFilter{Before: &after}}), 1)

	page1, err := f.w.ECS().ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web"), MaxResults: api.Int32(2)})
	require.NoError(t, err)
	require.Len(t, page1.ServiceDeployments, 2)
	require.NotNil(t, page1.NextToken)
	page2, err := f.w.ECS().ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web"), NextToken: page1.NextToken})
	require.NoError(t, err)
	require.Len(t, page2.ServiceDeployments, 1)
	require.Nil(t, page2.NextToken)
	require.Equal(t, all[2].ServiceDeploymentArn, page2.ServiceDeployments[0].ServiceDeploymentArn)

	sd := f.describeSD(all[0].ServiceDeploymentArn)
	require.Len(t, sd.SourceServiceRevisions, 1)
	require.Equal(t, all[1].TargetServiceRevisionArn, sd.SourceServiceRevisions[0].Arn)
	require.Equal(t, int32(2), sd.TargetServiceRevision.RequestedTaskCount)
	require.Equal(t, ecs.MonitorDisabled, sd.Alarms.Status)
	require.Equal(t, ecs.MonitorDisabled, sd.DeploymentCircuitBreaker.Status)
	require.Equal(t, int32(200), *sd.DeploymentConfiguration.MaximumPercent)

	revs, err := f.w.ECS().DescribeServiceRevisions(&ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{all[0].TargetServiceRevisionArn, "arn:aws:ecs:us-east-1:123456789012:service-revision/demo/web/1"}})
	require.NoError(t, err)
	require.Len(t, revs.ServiceRevisions, 1)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", revs.ServiceRevisions[0].TaskDefinition)
	require.Equal(t, []ecs.ContainerImage{{ContainerName: "app", Image: "nginx:3"}}, revs.ServiceRevisions[0].ContainerImages)
	require.Equal(t, "FARGATE", revs.ServiceRevisions[0].LaunchType)
	require.Len(t, revs.Failures, 1)
	require.Equal(t, "MISSING", *revs.Failures[0].Reason)
}

// TestServiceDeploymentsErrors: bad requests get ECS's errors.
func TestServiceDeploymentsErrors(t *testing.T) {
	f := newFleet(t, 1, nil)
	f.register("web", "nginx:1", false)
	f.createService("web", "web:1", 1, 200, 100, nil)
	c := f.w.ECS()
	for _, tc := range []struct {
		name, code string
		call       func() error
	}{
		{"unknown service", "ServiceNotFoundException", func() error {
			_, err := c.ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("nope")})
			return err
		}},
		{"unknown cluster", "ClusterNotFoundException", func() error {
			_, err := c.ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("nope"), Service: api.String("web")})
			return err
		}},
		{"maxResults 0", "InvalidParameterException", func() error {
			_, err := c.ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web"), MaxResults: api.Int32(0)})
			return err
		}},
		{"maxResults 101", "InvalidParameterException", func() error {
			_, err := c.ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web"), MaxResults: api.Int32(101)})
			return err
		}},
		{"bad status", "InvalidParameterException", func() error {
			_, err := c.ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web"), Status: []string{"DONE"}})
			return err
		}},
		{"bad token", "InvalidParameterException", func() error {
			_, err := c.ListServiceDeployments(&ecs.ListServiceDeploymentsInput{Cluster: api.String("demo"), Service: api.String("web"), NextToken: api.String("x")})
			return err
		}},
		{"no arns", "InvalidParameterException", func() error {
			_, err := c.DescribeServiceDeployments(&ecs.DescribeServiceDeploymentsInput{})
			return err
		}},
		{"21 arns", "InvalidParameterException", func() error {
			_, err := c.DescribeServiceDeployments(&ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: make([]string, 21)})
			return err
		}},
		{"21 revisions", "InvalidParameterException", func() error {
			_, err := c.DescribeServiceRevisions(&ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: make([]string, 21)})
			return err
		}},
		{"stop unknown", "ServiceDeploymentNotFoundException", func() error {
			_, err := c.StopServiceDeployment(&ecs.StopServiceDeploymentInput{ServiceDeploymentArn: api.String("arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/x")})
			return err
		}},
		{"stop bad type", "InvalidParameterException", func() error {
			_, err := c.StopServiceDeployment(&ecs.StopServiceDeploymentInput{ServiceDeploymentArn: api.String("x"), StopType: api.String("HALT")})
			return err
		}},
		{"stop first deployment", "ConflictException", func() error {
			arn := f.listSD(ecs.ListServiceDeploymentsInput{})[0].ServiceDeploymentArn
			_, err := c.StopServiceDeployment(&ecs.StopServiceDeploymentInput{ServiceDeploymentArn: &arn})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			require.Equal(t, tc.code, api.ErrorCode(err))
		})
	}
	out, err := c.DescribeServiceDeployments(&ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{"arn:x"}})
	require.NoError(t, err)
	require.Empty(t, out.ServiceDeployments)
	require.Equal(t, "MISSING", *out.Failures[0].Reason)
	// Nothing changed.
	require.Len(t, f.listSD(ecs.ListServiceDeploymentsInput{}), 1)
	require.Equal(t, ecs.SDInProgress, f.listSD(ecs.ListServiceDeploymentsInput{})[0].Status)
}

// slowStart is an image whose containers take 5 minutes to pull, so that
// a deployment of it is in progress long enough to be stopped.
var slowStart = workload.Image{PullTime: workload.Fixed(5 * time.Minute)}

// TestStopServiceDeployment: ROLLBACK takes the service back to the last
// completed revision even without the rollback option, and the service
// deployment ends ROLLBACK_SUCCESSFUL; ABORT stops it where it is.
func TestStopServiceDeployment(t *testing.T) {
	for _, stopType := range []string{"ROLLBACK", "ABORT"} {
		t.Run(stopType, func(t *testing.T) {
			f := newFleet(t, 1, map[string]workload.Image{"slow:*": slowStart})
			f.register("web", "nginx:1", false)
			f.register("web", "slow:2", false)
			f.createService("web", "web:1", 2, 200, 100, nil)
			require.NoError(t, f.w.RunFor(5*time.Minute))
			f.update("web", "web:2")
			require.NoError(t, f.w.RunFor(time.Minute))
			arn := f.listSD(ecs.ListServiceDeploymentsInput{})[0].ServiceDeploymentArn
			out, err := f.w.ECS().StopServiceDeployment(&ecs.StopServiceDeploymentInput{ServiceDeploymentArn: &arn, StopType: &stopType})
			require.NoError(t, err)
			require.Equal(t, arn, out.ServiceDeploymentArn)
			_, err = f.w.ECS().StopServiceDeployment(&ecs.StopServiceDeploymentInput{ServiceDeploymentArn: &arn})
			require.Equal(t, "ConflictException", api.ErrorCode(err), "a stopped deployment cannot be stopped again")
			require.NoError(t, f.w.RunFor(10*time.Minute))
			sd := f.describeSD(arn)
			s := f.service("web")
			if stopType == "ROLLBACK" {
				require.Equal(t, ecs.SDRollbackSuccessful, sd.Status)
				require.NotNil(t, sd.Rollback)
				require.Len(t, s.Deployments, 1)
				require.Contains(t, s.Deployments[0].TaskDefinition, "web:1")
				require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
				require.Zero(t, sd.TargetServiceRevision.RunningTaskCount)
				return
			}
			require.Equal(t, ecs.SDStopped, sd.Status)
			require.NotNil(t, sd.StoppedAt)
			require.Equal(t, ecs.RolloutFailed, s.Deployments[0].RolloutState)
		})
	}
}

// TestServiceDeploymentsSDK: the service deployments API and task
// protection through aws-sdk-go-v2, in process.
func TestServiceDeploymentsSDK(t *testing.T) {
	ecssimtest.NoNetwork(t)
	f := newFleet(t, 1, nil)
	f.register("web", "nginx:1", false)
	f.createService("web", "web:1", 2, 200, 100, nil)
	require.NoError(t, f.w.RunFor(5*time.Minute))
	ctx := context.Background()
	client := sdkecs.NewFromConfig(awsapi.Config(f.w))

	list, err := client.ListServiceDeployments(ctx, &sdkecs.ListServiceDeploymentsInput{Cluster: aws.String("demo"), Service: aws.String("web")})
	require.NoError(t, err)
	require.Len(t, list.ServiceDeployments, 1)
	require.Equal(t, sdktypes.ServiceDeploymentStatusSuccessful, list.ServiceDeployments[0].Status)
	desc, err := client.DescribeServiceDeployments(ctx, &sdkecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(list.ServiceDeployments[0].ServiceDeploymentArn)}})
	require.NoError(t, err)
	require.Len(t, desc.ServiceDeployments, 1)
	require.Equal(t, int32(2), desc.ServiceDeployments[0].TargetServiceRevision.RunningTaskCount)
	revs, err := client.DescribeServiceRevisions(ctx, &sdkecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{aws.ToString(list.ServiceDeployments[0].TargetServiceRevisionArn)}})
	require.NoError(t, err)
	require.Len(t, revs.ServiceRevisions, 1)
	_, err = client.StopServiceDeployment(ctx, &sdkecs.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String("arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/x")})
	var nf *sdktypes.ServiceDeploymentNotFoundException
	require.ErrorAs(t, err, &nf)

	tasks, err := client.ListTasks(ctx, &sdkecs.ListTasksInput{Cluster: aws.String("demo"), ServiceName: aws.String("web")})
	require.NoError(t, err)
	upd, err := client.UpdateTaskProtection(ctx, &sdkecs.UpdateTaskProtectionInput{Cluster: aws.String("demo"), Tasks: tasks.TaskArns[:1], ProtectionEnabled: true})
	require.NoError(t, err)
	require.Len(t, upd.ProtectedTasks, 1)
	require.True(t, upd.ProtectedTasks[0].ProtectionEnabled)
	require.Equal(t, f.w.Now().Add(120*time.Minute), *upd.ProtectedTasks[0].ExpirationDate)
	get, err := client.GetTaskProtection(ctx, &sdkecs.GetTaskProtectionInput{Cluster: aws.String("demo"), Tasks: tasks.TaskArns})
	require.NoError(t, err)
	require.Len(t, get.ProtectedTasks, 2)
	require.True(t, get.ProtectedTasks[0].ProtectionEnabled)
	require.False(t, get.ProtectedTasks[1].ProtectionEnabled)
}

// TestServiceDeploymentCircuitBreakerRollback: when the circuit breaker
// rolls a release back, its service deployment shows the breaker
// TRIGGERED with its count and threshold, the rollback to the earlier
// revision, and ends ROLLBACK_SUCCESSFUL.
func TestServiceDeploymentCircuitBreakerRollback(t *testing.T) {
	f := newFleet(t, 1, map[string]workload.Image{"broken:*": {PullError: "CannotPullContainerError: not found"}})
	f.register("web", "nginx:1", false)
	f.register("web", "broken:2", false)
	f.createService("web", "web:1", 2, 200, 100, &ecs.DeploymentCircuitBreaker{Enable: true, Rollback: true})
	require.NoError(t, f.w.RunFor(5*time.Minute))
	f.update("web", "web:2")
	require.NoError(t, f.w.RunFor(30*time.Minute))
	sds := f.listSD(ecs.ListServiceDeploymentsInput{})
	require.Len(t, sds, 2)
	require.Equal(t, ecs.SDRollbackSuccessful, sds[0].Status)
	sd := f.describeSD(sds[0].ServiceDeploymentArn)
	require.Equal(t, ecs.MonitorTriggered, sd.DeploymentCircuitBreaker.Status)
	require.Equal(t, int32(3), sd.DeploymentCircuitBreaker.Threshold)
	require.Equal(t, int32(3), sd.DeploymentCircuitBreaker.FailureCount)
	require.Equal(t, ecs.MonitorDisabled, sd.Alarms.Status)
	require.Equal(t, "ECS deployment circuit breaker: task failed to start.", sd.StatusReason)
	require.NotNil(t, sd.Rollback)
	require.Regexp(t, `^ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/\d{19}\.$`, sd.Rollback.Reason)
	require.Equal(t, sds[1].TargetServiceRevisionArn, sd.Rollback.ServiceRevisionArn)
	require.NotNil(t, sd.FinishedAt)
}
