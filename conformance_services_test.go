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
