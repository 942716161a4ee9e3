package ecs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

func ec2World(t *testing.T, instances int, attrs map[string]string) (*ecssim.World, []string) {
	t.Helper()
	w, err := ecssim.New(ecssim.Config{Seed: 5})
	require.NoError(t, err)
	c := w.ECS()
	_, err = c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
	require.NoError(t, err)
	_, err = c.LaunchInstances(&ecs.LaunchInstancesInput{Cluster: api.String("demo"), InstanceType: api.String("c5.large"), Count: api.Int32(int32(instances)), Attributes: attrs})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(2*time.Minute))
	list, err := c.ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo")})
	require.NoError(t, err)
	require.Len(t, list.ContainerInstanceArns, instances)
	return w, list.ContainerInstanceArns
}

func TestContainerInstances(t *testing.T) {
	w, arns := ec2World(t, 3, map[string]string{"stack": "prod"})
	c := w.ECS()
	d, err := c.DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: api.String("demo"), ContainerInstances: append([]string{"nope"}, arns...)})
	require.NoError(t, err)
	require.Len(t, d.ContainerInstances, 3)
	require.Equal(t, "MISSING", *d.Failures[0].Reason)
	in := d.ContainerInstances[0]
	require.Equal(t, ecs.InstanceActive, in.Status)
	require.True(t, in.AgentConnected)
	require.Regexp(t, `^i-[0-9a-f]{17}$`, in.Ec2InstanceId)
	require.Equal(t, "CPU", in.RegisteredResources[0].Name)
	require.Equal(t, int32(2048), in.RegisteredResources[0].IntegerValue, "c5.large: 2 vCPU")
	require.Less(t, in.RegisteredResources[1].IntegerValue, int32(4096), "registered memory is below the installed 4 GiB")
	attrs := map[string]string{}
	for _, a := range in.Attributes {
		attrs[*a.Name] = api.Deref(a.Value)
	}
	require.Equal(t, "c5.large", attrs["ecs.instance-type"])
	require.Equal(t, "x86_64", attrs["ecs.cpu-architecture"])
	require.Equal(t, "prod", attrs["stack"])
	require.Contains(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, attrs["ecs.availability-zone"])

	// Filters in the cluster query language.
	for _, tc := range []struct {
		filter string
		n      int
	}{
		{"attribute:ecs.instance-type == c5.large", 3},
		{"attribute:ecs.instance-type =~ m5.*", 0},
		{"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", 2},
		{"attribute:stack == prod and not(attribute:ecs.availability-zone == us-east-1a)", 2},
		{"runningTasksCount == 0", 3},
	} {
		l, err := c.ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo"), Filter: &tc.filter})
		require.NoError(t, err, tc.filter)
		require.Len(t, l.ContainerInstanceArns, tc.n, tc.filter)
	}
	_, err = c.ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo"), Filter: api.String("attribute:x ==")})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))

	// Custom attributes.
	_, err = c.PutAttributes(&ecs.PutAttributesInput{Cluster: api.String("demo"), Attributes: []ecs.InstanceAttribute{{Name: api.String("team"), Value: api.String("web"), TargetId: &arns[0]}}})
	require.NoError(t, err)
	la, err := c.ListAttributes(&ecs.ListAttributesInput{Cluster: api.String("demo"), TargetType: api.String("container-instance"), AttributeName: api.String("team")})
	require.NoError(t, err)
	require.Len(t, la.Attributes, 1)
	require.Equal(t, arns[0], *la.Attributes[0].TargetId)
	_, err = c.PutAttributes(&ecs.PutAttributesInput{Cluster: api.String("demo"), Attributes: []ecs.InstanceAttribute{{Name: api.String("bad name"), TargetId: &arns[0]}}})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))
	_, err = c.PutAttributes(&ecs.PutAttributesInput{Cluster: api.String("demo"), Attributes: []ecs.InstanceAttribute{{Name: api.String("x"), TargetId: api.String("nope")}}})
	require.Equal(t, "TargetNotFoundException", api.ErrorCode(err))
	_, err = c.DeleteAttributes(&ecs.PutAttributesInput{Cluster: api.String("demo"), Attributes: []ecs.InstanceAttribute{{Name: api.String("team"), TargetId: &arns[0]}}})
	require.NoError(t, err)
	la, err = c.ListAttributes(&ecs.ListAttributesInput{Cluster: api.String("demo"), TargetType: api.String("container-instance"), AttributeName: api.String("team")})
	require.NoError(t, err)
	require.Empty(t, la.Attributes)
}

func TestRunTaskEC2Placement(t *testing.T) {
	w, arns := ec2World(t, 2, nil)
	c := w.ECS()
	_, err := w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"big","requiresCompatibilities":["EC2"],
		"containerDefinitions":[{"name":"app","image":"app:1","cpu":1024,"memory":3000,"portMappings":[{"containerPort":80,"hostPort":80}]}]}`))
	require.NoError(t, err)
	out, err := c.RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("big"), Count: api.Int32(3), LaunchType: api.String("EC2")})
	require.NoError(t, err)
	require.Len(t, out.Tasks, 2, "3 GB each: one per c5.large")
	require.Len(t, out.Failures, 2, "one failure per instance")
	for _, f := range out.Failures {
		require.Contains(t, []string{"RESOURCE:MEMORY", "RESOURCE:PORTS", "RESOURCE:CPU"}, *f.Reason)
		require.Contains(t, arns, *f.Arn)
	}
	require.NoError(t, w.WaitTasksRunning("demo", []string{out.Tasks[0].TaskArn, out.Tasks[1].TaskArn}, ecssim.WaiterOptions{}))
	d, err := c.DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{out.Tasks[0].TaskArn}})
	require.NoError(t, err)
	task := d.Tasks[0]
	require.Equal(t, ecs.LaunchEC2, task.LaunchType)
	require.Contains(t, arns, task.ContainerInstanceArn)
	require.Equal(t, []ecs.NetworkBinding{{BindIP: "0.0.0.0", ContainerPort: 80, HostPort: 80, Protocol: "tcp"}}, task.Containers[0].NetworkBindings)

	// memberOf with no match: a failure naming the constraint.
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"small","requiresCompatibilities":["EC2"],"containerDefinitions":[{"name":"app","image":"app:1","memory":64}]}`))
	require.NoError(t, err)
	out, err = c.RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("small"), LaunchType: api.String("EC2"),
		PlacementConstraints: []ecs.PlacementConstraint{{Type: api.String("memberOf"), Expression: api.String("attribute:ecs.instance-type == m5.large")}}})
	require.NoError(t, err)
	require.Empty(t, out.Tasks)
	require.Equal(t, "MemberOf placement constraint unsatisfied.", *out.Failures[0].Reason)

	// Deregistering an instance with tasks needs force.
	_, err = c.DeregisterContainerInstance(&ecs.DeregisterContainerInstanceInput{Cluster: api.String("demo"), ContainerInstance: &task.ContainerInstanceArn})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))
	_, err = c.DeregisterContainerInstance(&ecs.DeregisterContainerInstanceInput{Cluster: api.String("demo"), ContainerInstance: &task.ContainerInstanceArn, Force: api.Bool(true)})
	require.NoError(t, err)
	require.NoError(t, w.WaitTasksStopped("demo", []string{task.TaskArn}, ecssim.WaiterOptions{}))
	l, err := c.ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo")})
	require.NoError(t, err)
	require.Len(t, l.ContainerInstanceArns, 1)
}

func TestDaemonService(t *testing.T) {
	w, arns := ec2World(t, 3, nil)
	c := w.ECS()
	_, err := w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"agent","requiresCompatibilities":["EC2"],"containerDefinitions":[{"name":"a","image":"agent:1","memory":128}]}`))
	require.NoError(t, err)
	_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("agent"), TaskDefinition: api.String("agent"),
		SchedulingStrategy: api.String("DAEMON"), LaunchType: api.String("EC2")})
	require.NoError(t, err)
	require.NoError(t, w.WaitServicesStable("demo", []string{"agent"}, ecssim.WaiterOptions{}))
	_, err = c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("agent2"), TaskDefinition: api.String("agent"),
		SchedulingStrategy: api.String("DAEMON"), LaunchType: api.String("EC2"), DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: api.Int32(200)}})
	require.Equal(t, api.CodeInvalidParameterException, api.ErrorCode(err))
	s, err := c.DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"agent"}})
	require.NoError(t, err)
	require.Equal(t, int32(3), s.Services[0].DesiredCount, "one task per instance")
	require.Equal(t, int32(100), *s.Services[0].DeploymentConfiguration.MaximumPercent)
	require.Equal(t, int32(0), *s.Services[0].DeploymentConfiguration.MinimumHealthyPercent)

	// A new instance gets its daemon task; a drained one loses it.
	_, err = c.LaunchInstances(&ecs.LaunchInstancesInput{Cluster: api.String("demo"), InstanceType: api.String("c5.large")})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(3*time.Minute))
	_, err = c.UpdateContainerInstancesState(&ecs.UpdateContainerInstancesStateInput{Cluster: api.String("demo"), ContainerInstances: arns[:1], Status: api.String("DRAINING")})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(3*time.Minute))
	s, err = c.DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"agent"}})
	require.NoError(t, err)
	require.Equal(t, int32(3), s.Services[0].DesiredCount)
	require.Equal(t, int32(3), s.Services[0].RunningCount)
	d, err := c.DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: api.String("demo"), ContainerInstances: arns[:1]})
	require.NoError(t, err)
	require.Zero(t, d.ContainerInstances[0].RunningTasksCount)

	// A deployment replaces the task on each instance in place.
	_, err = w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"agent","requiresCompatibilities":["EC2"],"containerDefinitions":[{"name":"a","image":"agent:2","memory":128}]}`))
	require.NoError(t, err)
	_, err = c.UpdateService(&ecs.UpdateServiceInput{Cluster: api.String("demo"), Service: api.String("agent"), TaskDefinition: api.String("agent:2")})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(5*time.Minute))
	s, err = c.DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String("demo"), Services: []string{"agent"}})
	require.NoError(t, err)
	require.Len(t, s.Services[0].Deployments, 1)
	require.Contains(t, s.Services[0].Deployments[0].TaskDefinition, "agent:2")
	require.Equal(t, int32(3), s.Services[0].RunningCount)
}

// An awsvpc task on EC2 takes one of the instance's ENIs: a c5.large has
// three, the primary one is the instance's own, so two tasks fit.
// [DG:container-instance-eni]
func TestAwsvpcTasksOnEC2TakeENIs(t *testing.T) {
	w, _ := ec2World(t, 1, nil)
	c := w.ECS()
	_, err := w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"v","networkMode":"awsvpc","requiresCompatibilities":["EC2"],
		"containerDefinitions":[{"name":"app","image":"app:1","memory":128}]}`))
	require.NoError(t, err)
	out, err := c.RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("v"), Count: api.Int32(3), LaunchType: api.String("EC2"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	require.Len(t, out.Tasks, 2)
	require.Equal(t, "RESOURCE:ENI", *out.Failures[0].Reason)
	require.NoError(t, w.WaitTasksRunning("demo", []string{out.Tasks[0].TaskArn}, ecssim.WaiterOptions{}))
	d, err := c.DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String("demo"), Tasks: []string{out.Tasks[0].TaskArn}})
	require.NoError(t, err)
	require.Len(t, d.Tasks[0].Attachments, 1)
	require.Equal(t, "ElasticNetworkInterface", d.Tasks[0].Attachments[0].Type)

	// With trunking, ten fit.
	_, err = c.LaunchInstances(&ecs.LaunchInstancesInput{Cluster: api.String("demo"), InstanceType: api.String("c5.large"), AwsvpcTrunking: api.Bool(true)})
	require.NoError(t, err)
	require.NoError(t, w.RunFor(2*time.Minute))
	out, err = c.RunTask(&ecs.RunTaskInput{Cluster: api.String("demo"), TaskDefinition: api.String("v"), Count: api.Int32(10), LaunchType: api.String("EC2"), NetworkConfiguration: awsvpc})
	require.NoError(t, err)
	require.Len(t, out.Tasks, 10)
}

// The container agent registers with the instance identity document.
func TestRegisterContainerInstance(t *testing.T) {
	w, _ := ec2World(t, 1, nil)
	c := w.ECS()
	doc := `{"instanceId":"i-0123456789abcdef0","instanceType":"m5.xlarge","availabilityZone":"us-east-1b","region":"us-east-1"}`
	out, err := c.RegisterContainerInstance(&ecs.RegisterContainerInstanceInput{Cluster: api.String("demo"), InstanceIdentityDocument: &doc,
		Attributes: []ecs.InstanceAttribute{{Name: api.String("stack"), Value: api.String("blue")}}})
	require.NoError(t, err)
	ci := out.ContainerInstance
	require.Equal(t, "i-0123456789abcdef0", ci.Ec2InstanceId)
	require.Equal(t, int32(4096), ci.RegisteredResources[0].IntegerValue)
	again, err := c.RegisterContainerInstance(&ecs.RegisterContainerInstanceInput{Cluster: api.String("demo"), InstanceIdentityDocument: &doc})
	require.NoError(t, err)
	require.Equal(t, ci.ContainerInstanceArn, again.ContainerInstance.ContainerInstanceArn, "registering the same EC2 instance again returns it")
	l, err := c.ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo"), Filter: api.String("attribute:stack == blue")})
	require.NoError(t, err)
	require.Equal(t, []string{ci.ContainerInstanceArn}, l.ContainerInstanceArns)

	for _, bad := range []string{`not json`, `{"instanceId":"i-1","instanceType":"x9.huge","availabilityZone":"us-east-1a"}`, `{"instanceId":"i-1","instanceType":"m5.large","availabilityZone":"eu-west-1a"}`} {
		_, err := c.RegisterContainerInstance(&ecs.RegisterContainerInstanceInput{Cluster: api.String("demo"), InstanceIdentityDocument: &bad})
		require.Equal(t, api.CodeClientException, api.ErrorCode(err), bad)
	}
}
