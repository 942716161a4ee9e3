package metrics

import (
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
)

// healthyAfterRunning is how long a service task without container
// health checks and without a load balancer must have been RUNNING to
// count as healthy. [API:DeploymentConfiguration.minimumHealthyPercent]
const healthyAfterRunning = 40 * time.Second

// healthyCount counts the tasks of s that are healthy now by the rule the
// service scheduler applies to minimumHealthyPercent (see [MinHealthy]),
// asking the public API: DescribeServices for the service's target
// groups, ListTasks and DescribeTasks for its tasks and their
// containers' health, DescribeTaskDefinition for the containers that
// define a check, DescribeTargetHealth for the tasks' targets. It
// remembers them in s.healthy.
func (r *Recorder) healthyCount(s *service) int {
	if s.healthy == nil {
		s.healthy = map[string]bool{}
	}
	clear(s.healthy)
	c := r.w.ECS()
	svcs, err := c.DescribeServices(&ecs.DescribeServicesInput{Cluster: &s.cluster, Services: []string{s.short}})
	if err != nil || len(svcs.Services) == 0 {
		return 0
	}
	lbs := svcs.Services[0].LoadBalancers
	now := r.w.Now()
	n := 0
	in := &ecs.ListTasksInput{Cluster: &s.cluster, ServiceName: &s.short, DesiredStatus: api.String(ecs.StatusRunning)}
	for {
		list, err := c.ListTasks(in)
		if err != nil {
			return n
		}
		for i := 0; i < len(list.TaskArns); i += 100 {
			d, err := c.DescribeTasks(&ecs.DescribeTasksInput{Cluster: &s.cluster, Tasks: list.TaskArns[i:min(i+100, len(list.TaskArns))]})
			if err != nil {
				continue
			}
			for _, t := range d.Tasks {
				if r.taskHealthy(t, lbs, now) {
					s.healthy[t.TaskArn] = true
					n++
				}
			}
		}
		if list.NextToken == nil {
			return n
		}
		in.NextToken = list.NextToken
	}
}

// taskHealthy applies the rule to one task.
func (r *Recorder) taskHealthy(t ecs.Task, lbs []ecs.LoadBalancer, now time.Time) bool {
	if t.LastStatus != ecs.StatusRunning || t.DesiredStatus != ecs.StatusRunning {
		return false
	}
	withLB := false
	for _, lb := range lbs {
		if lb.TargetGroupArn == nil || lb.ContainerPort == nil {
			continue
		}
		withLB = true
		if !r.targetHealthy(t, *lb.TargetGroupArn, api.Deref(lb.ContainerName), *lb.ContainerPort) {
			return false
		}
	}
	checked := r.checkedContainers(t.TaskDefinitionArn)
	if len(checked) > 0 {
		for _, name := range checked {
			ok := false
			for _, ct := range t.Containers {
				ok = ok || ct.Name == name && ct.HealthStatus == ecs.HealthHealthy
			}
			if !ok {
				return false
			}
		}
		return true
	}
	return withLB || !t.StartedAt.IsZero() && now.Sub(t.StartedAt.Time) >= healthyAfterRunning
}

// checkedContainers returns the essential containers of a task
// definition that define a health check; remembered per ARN (task
// definitions do not change).
func (r *Recorder) checkedContainers(arn string) []string {
	if v, ok := r.checked[arn]; ok {
		return v
	}
	var v []string
	out, err := r.w.ECS().DescribeTaskDefinition(&ecs.DescribeTaskDefinitionInput{TaskDefinition: &arn})
	if err == nil {
		for _, c := range out.TaskDefinition.ContainerDefinitions {
			if c.HealthCheck != nil && (c.Essential == nil || *c.Essential) {
				v = append(v, api.Deref(c.Name))
			}
		}
	}
	r.checked[arn] = v
	return v
}

// targetHealthy reports whether the task's target in a target group is
// healthy: its address and the container port (awsvpc), or its instance
// and the host port bound to the container port.
func (r *Recorder) targetHealthy(t ecs.Task, group, container string, port int32) bool {
	id := ""
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if api.Deref(d.Name) == "privateIPv4Address" {
				id = api.Deref(d.Value)
			}
		}
	}
	if id == "" && t.ContainerInstanceArn != "" {
		out, err := r.w.ECS().DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: &t.ClusterArn, ContainerInstances: []string{t.ContainerInstanceArn}})
		if err != nil || len(out.ContainerInstances) != 1 {
			return false
		}
		for _, ct := range t.Containers {
			for _, b := range ct.NetworkBindings {
				if ct.Name == container && b.ContainerPort == port {
					id, port = out.ContainerInstances[0].Ec2InstanceId, b.HostPort
				}
			}
		}
	}
	if id == "" {
		return false
	}
	out, err := r.w.ELB().DescribeTargetHealth(&elb.DescribeTargetHealthInput{TargetGroupArn: &group,
		Targets: []elb.TargetDescription{{Id: &id, Port: &port}}})
	return err == nil && len(out.TargetHealthDescriptions) == 1 &&
		out.TargetHealthDescriptions[0].TargetHealth.State == elb.HealthHealthy
}
