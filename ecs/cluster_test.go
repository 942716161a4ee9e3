package ecs_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/vpc"
)

func TestClusters(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{})
	require.NoError(t, err)
	c := w.ECS()

	out, err := c.CreateCluster(&ecs.CreateClusterInput{})
	require.NoError(t, err)
	require.Equal(t, "default", out.Cluster.ClusterName)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:cluster/default", out.Cluster.ClusterArn)
	again, err := c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("default")})
	require.NoError(t, err)
	require.Equal(t, out.Cluster, again.Cluster, "CreateCluster is idempotent")

	_, err = c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("bad name")})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))
	_, err = c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("x"), Tags: []api.Tag{{Key: api.String("aws:reserved"), Value: api.String("v")}}})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))

	for i := range 5 {
		_, err := c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String(fmt.Sprintf("c%d", i))})
		require.NoError(t, err)
	}
	var arns []string
	in := &ecs.ListClustersInput{MaxResults: api.Int32(2)}
	for {
		page, err := c.ListClusters(in)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.ClusterArns), 2)
		arns = append(arns, page.ClusterArns...)
		if page.NextToken == nil {
			break
		}
		in.NextToken = page.NextToken
	}
	require.Len(t, arns, 6)
	_, err = c.ListClusters(&ecs.ListClustersInput{NextToken: api.String("garbage!")})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))
	_, err = c.ListClusters(&ecs.ListClustersInput{MaxResults: api.Int32(101)})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))

	d, err := c.DescribeClusters(&ecs.DescribeClustersInput{Clusters: []string{"c1", "missing"}, Include: []string{"SETTINGS"}})
	require.NoError(t, err)
	require.Len(t, d.Clusters, 1)
	require.Equal(t, "containerInsights", *d.Clusters[0].Settings[0].Name)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:cluster/missing", *d.Failures[0].Arn)

	u, err := c.UpdateCluster(&ecs.UpdateClusterInput{Cluster: api.String("c1"), Settings: []ecs.ClusterSetting{{Name: api.String("containerInsights"), Value: api.String("enhanced")}}})
	require.NoError(t, err)
	require.Equal(t, []ecs.ClusterSetting{{Name: api.String("containerInsights"), Value: api.String("enhanced")}}, u.Cluster.Settings)

	_, err = c.DeleteCluster(&ecs.DeleteClusterInput{Cluster: api.String("c1")})
	require.NoError(t, err)
	d, err = c.DescribeClusters(&ecs.DescribeClustersInput{Clusters: []string{"c1"}})
	require.NoError(t, err)
	require.Equal(t, ecs.ClusterInactive, d.Clusters[0].Status, "deleted clusters stay describable as INACTIVE")
	_, err = c.DeleteCluster(&ecs.DeleteClusterInput{Cluster: api.String("c1")})
	require.Equal(t, ecs.CodeClusterNotFound, api.ErrorCode(err))
}

// A /28 subnet has 16 addresses, of which AWS reserves 5: the twelfth task
// finds no address and fails in PROVISIONING.
func TestFullSubnetFailsTask(t *testing.T) {
	w, err := ecssim.New(ecssim.Config{Subnets: []vpc.Subnet{{ID: "subnet-small", AvailabilityZone: "us-east-1a", CIDR: "10.0.0.0/28"}}})
	require.NoError(t, err)
	_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{})
	require.NoError(t, err)
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(nginxDef))
	require.NoError(t, err)
	net := &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-small"}}}
	var last ecs.Task
	for range 12 {
		out, err := w.ECS().RunTask(&ecs.RunTaskInput{TaskDefinition: api.String("nginx"), LaunchType: api.String("FARGATE"), NetworkConfiguration: net})
		require.NoError(t, err)
		last = out.Tasks[0]
	}
	require.NoError(t, w.WaitTasksStopped("default", []string{last.TaskArn}, ecssim.WaiterOptions{}))
	d, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Tasks: []string{last.TaskArn}})
	require.NoError(t, err)
	require.Equal(t, ecs.StopTaskFailedToStart, d.Tasks[0].StopCode)
	require.Contains(t, d.Tasks[0].StoppedReason, "ResourceInitializationError")
	list, err := w.ECS().ListTasks(&ecs.ListTasksInput{})
	require.NoError(t, err)
	require.Len(t, list.TaskArns, 11)
}
