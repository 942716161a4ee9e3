package ecssim_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/internal/conformance"
	"github.com/ecssim/ecssim/vpc"
)

// Prerequisites of the corpus's invalid cases, in the corpus's words:
// "cluster tutorial; taskdefs/011-fargate-tutorial-task-def.json registered".
var (
	prereqCluster = regexp.MustCompile(`\bcluster ([A-Za-z0-9_-]+)`)
	prereqTaskDef = regexp.MustCompile(`\btaskdefs/([0-9]{3}-[A-Za-z0-9_.-]+\.json)`)
)

// TestConformanceInvalidStateful submits the invalid corpus requests that
// need state first (services on clusters and task definitions), after
// making their prerequisites exist, and requires AWS's error code and
// message. Operations are looked up in ECS first, then in Application
// Auto Scaling. The RegisterTaskDefinition cases are in package ecs.
func TestConformanceInvalidStateful(t *testing.T) {
	dir := conformance.Dir(t, "invalid")
	defs := conformance.Dir(t, "taskdefs")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	ran := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var c struct {
			Operation     string          `json:"operation"`
			Input         json.RawMessage `json:"input"`
			ExpectedError string          `json:"expectedError"`
			ErrorCode     string          `json:"errorCode"`
			Prerequisites string          `json:"prerequisites"`
		}
		require.NoError(t, json.Unmarshal(raw, &c))
		if c.Operation == "RegisterTaskDefinition" {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			w, err := ecssim.New(ecssim.Config{Seed: 1})
			require.NoError(t, err)
			action := ""
			for _, prefix := range []string{"ecs:", "application-autoscaling:"} {
				if w.Table().Has(prefix + c.Operation) {
					action = prefix + c.Operation
					break
				}
			}
			if action == "" {
				t.Skipf("operation %s is not modelled by ecssim yet", c.Operation)
			}
			// The subnets and groups the input names exist, so that the
			// error is the one the case is about.
			var in ecs.CreateServiceInput
			require.NoError(t, json.Unmarshal(c.Input, &in))
			if nc := in.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
				for i, id := range nc.AwsvpcConfiguration.Subnets {
					_, err := w.ECS().CreateSubnet(&ecs.CreateSubnetInput{SubnetId: api.String(id), AvailabilityZone: api.String("us-east-1a"),
						CidrBlock: api.String(fmt.Sprintf("172.31.%d.0/24", 200+i)), VpcId: api.String(vpc.DefaultVpcID)})
					require.NoError(t, err)
				}
				for _, g := range nc.AwsvpcConfiguration.SecurityGroups {
					_, err := w.ECS().CreateSecurityGroup(&ecs.CreateSecurityGroupInput{GroupId: api.String(g), VpcId: api.String(vpc.DefaultVpcID)})
					require.NoError(t, err)
				}
			}
			for _, m := range prereqCluster.FindAllStringSubmatch(c.Prerequisites, -1) {
				_, err := w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String(m[1])})
				require.NoError(t, err)
			}
			for _, m := range prereqTaskDef.FindAllStringSubmatch(c.Prerequisites, -1) {
				b, err := os.ReadFile(filepath.Join(defs, m[1]))
				require.NoError(t, err)
				_, err = w.Call("ecs:RegisterTaskDefinition", b)
				require.NoError(t, err)
			}
			_, err = w.Call(action, c.Input)
			var ae *api.Error
			require.ErrorAs(t, err, &ae, "AWS rejects this with %s: %s", c.ErrorCode, c.ExpectedError)
			require.Equal(t, c.ErrorCode, ae.Code)
			require.Equal(t, strings.TrimSpace(c.ExpectedError), ae.Message)
			ran++
		})
	}
	require.Positive(t, ran)
}
