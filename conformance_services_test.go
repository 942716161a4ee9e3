package ecssim_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/elb"
	"github.com/ecssim/ecssim/internal/conformance"
	"github.com/ecssim/ecssim/vpc"
)

// standIns are minimal task definitions for the three families that the
// corpus services use without the corpus holding them.
var standIns = []string{
	`{"family":"ecs-demo","containerDefinitions":[{"name":"simple-app","image":"httpd:2.4","memory":300,"portMappings":[{"containerPort":80,"hostPort":80}]}]}`,
	`{"family":"mytaskdef","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
	  "containerDefinitions":[{"name":"app","image":"app:1","mountPoints":[{"sourceVolume":"myEBSVolume","containerPath":"/data"}]}],
	  "volumes":[{"name":"myEBSVolume","configuredAtLaunch":true}]}`,
	`{"family":"fluentd-aggregator","containerDefinitions":[{"name":"fluentd","image":"fluent/fluentd:v1.16","memory":256}]}`,
}

// prerequisite names the task definition a service file needs as the
// latest revision of its family, where the corpus has two of that family.
var prerequisite = map[string]string{
	"014-fargate-capacity-provider-strategy.json": "034-fargate-ephemeral-storage-ssm-and-secretsmanager.json",
}

// TestConformanceServices creates every service of the conformance corpus
// once its prerequisites exist, and runs it for ten minutes: Fargate
// services must reach their desired count.
func TestConformanceServices(t *testing.T) {
	dir := conformance.Dir(t, "services")
	defs := conformance.Dir(t, "taskdefs")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	defFiles, err := filepath.Glob(filepath.Join(defs, "*.json"))
	require.NoError(t, err)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			doc, err := os.ReadFile(file)
			require.NoError(t, err)
			var in ecs.CreateServiceInput
			require.NoError(t, json.Unmarshal(doc, &in))
			if in.DesiredCount == nil && api.Deref(in.SchedulingStrategy) != "DAEMON" &&
				(in.DeploymentController == nil || api.Deref(in.DeploymentController.Type) == "ECS") {
				// services/014 comes from a deploy tool that passes the
				// desired count on its command line; the API requires it
				// for REPLICA services [API:CreateServiceRequest.desiredCount],
				// so add it as the tool does.
				var m map[string]any
				require.NoError(t, json.Unmarshal(doc, &m))
				m["desiredCount"] = 1
				doc, err = json.Marshal(m)
				require.NoError(t, err)
				in.DesiredCount = api.Int32(1)
			}

			// The network the service names.
			cfg := ecssim.Config{Seed: 1}
			if nc := in.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
				seen := map[string]bool{}
				for i, id := range nc.AwsvpcConfiguration.Subnets {
					if seen[id] {
						continue
					}
					seen[id] = true
					cfg.Subnets = append(cfg.Subnets, vpc.Subnet{ID: id, AvailabilityZone: "us-east-1" + string(rune('a'+i%3)), CIDR: fmt.Sprintf("10.0.%d.0/24", i)})
				}
				for _, g := range nc.AwsvpcConfiguration.SecurityGroups {
					cfg.SecurityGroups = append(cfg.SecurityGroups, vpc.SecurityGroup{ID: g, Name: g})
				}
			}
			w, err := ecssim.New(cfg)
			require.NoError(t, err)
			_, err = w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: in.Cluster, CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"}})
			require.NoError(t, err)
			for _, f := range defFiles {
				b, err := os.ReadFile(f)
				require.NoError(t, err)
				_, err = w.Call("ecs:RegisterTaskDefinition", b)
				require.NoError(t, err, f)
				if strings.Contains(f, "sleep360") {
					_, err = w.Call("ecs:RegisterTaskDefinition", b) // services/005 uses revision 2
					require.NoError(t, err)
				}
			}
			if pre, ok := prerequisite[filepath.Base(file)]; ok {
				// Two corpus files share this family; the service's
				// prerequisite must be the latest revision.
				b, err := os.ReadFile(filepath.Join(defs, pre))
				require.NoError(t, err)
				_, err = w.Call("ecs:RegisterTaskDefinition", b)
				require.NoError(t, err)
			}
			for _, b := range standIns {
				_, err = w.Call("ecs:RegisterTaskDefinition", []byte(b))
				require.NoError(t, err)
			}

			doc = withTargetGroups(t, w, in, doc)
			out, err := w.Call("ecs:CreateService", doc)
			require.NoError(t, err)
			var created ecs.CreateServiceOutput
			require.NoError(t, json.Unmarshal(out, &created))
			require.Equal(t, ecs.ServiceActive, created.Service.Status)
			require.NoError(t, w.RunFor(10*time.Minute))

			d, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: in.Cluster, Services: []string{*in.ServiceName}})
			require.NoError(t, err)
			s := d.Services[0]
			fargate := s.LaunchType == ecs.LaunchFargate && s.DeploymentController.Type != nil && *s.DeploymentController.Type != "EXTERNAL"
			if fargate {
				require.Equal(t, s.DesiredCount, s.RunningCount, "events: %v", s.Events)
				require.Equal(t, ecs.RolloutCompleted, s.Deployments[0].RolloutState)
			} else {
				require.Zero(t, s.RunningCount, "no container instances: nothing can run")
			}
			if len(in.Tags) > 0 {
				d, err = w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: in.Cluster, Services: []string{*in.ServiceName}, Include: []string{"TAGS"}})
				require.NoError(t, err)
				require.True(t, slices.EqualFunc(in.Tags, d.Services[0].Tags, func(a, b api.Tag) bool { return *a.Key == *b.Key && *a.Value == *b.Value }))
			}
		})
	}
}

// withTargetGroups creates the target groups a corpus service names, each
// behind a listener of an application load balancer, and returns the
// service document with their ARNs in place of the corpus account's (ARNs
// end in random digits, so the corpus's cannot be made again). Target
// types follow the task definition's network mode, as ECS requires.
func withTargetGroups(t *testing.T, w *ecssim.World, in ecs.CreateServiceInput, doc []byte) []byte {
	t.Helper()
	if !slices.ContainsFunc(in.LoadBalancers, func(lb ecs.LoadBalancer) bool { return lb.TargetGroupArn != nil }) {
		return doc
	}
	td, err := w.ECS().DescribeTaskDefinition(&ecs.DescribeTaskDefinitionInput{TaskDefinition: in.TaskDefinition})
	require.NoError(t, err)
	targetType := ecs.TargetTypeFor(api.Deref(td.TaskDefinition.NetworkMode))
	var subnets []string
	zones := map[string]bool{}
	for _, sn := range w.Network().Subnets() {
		if !zones[sn.AvailabilityZone] {
			zones[sn.AvailabilityZone] = true
			subnets = append(subnets, sn.ID)
		}
	}
	lb, err := w.ELB().CreateLoadBalancer(&elb.CreateLoadBalancerInput{Name: api.String("corpus"), Subnets: subnets})
	require.NoError(t, err)
	for i, l := range in.LoadBalancers {
		if l.TargetGroupArn == nil {
			continue
		}
		parts := strings.Split(*l.TargetGroupArn, "/")
		tg, err := w.ELB().CreateTargetGroup(&elb.CreateTargetGroupInput{Name: api.String(parts[len(parts)-2]), Protocol: api.String("HTTP"),
			Port: l.ContainerPort, VpcId: api.String(w.Network().Subnets()[0].VpcID), TargetType: &targetType})
		require.NoError(t, err)
		arn := tg.TargetGroups[0].TargetGroupArn
		_, err = w.ELB().CreateListener(&elb.CreateListenerInput{LoadBalancerArn: &lb.LoadBalancers[0].LoadBalancerArn, Protocol: api.String("HTTP"),
			Port: api.Int32(int32(80 + i)), DefaultActions: []elb.Action{{Type: api.String("forward"), TargetGroupArn: &arn}}})
		require.NoError(t, err)
		doc = []byte(strings.ReplaceAll(string(doc), *l.TargetGroupArn, arn))
	}
	return doc
}
