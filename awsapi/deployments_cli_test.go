package awsapi_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAWSCLIServiceDeployments: the aws command line lists and describes
// a service's deployments and its revision, and protects a task.
func TestAWSCLIServiceDeployments(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starting the aws command line takes seconds a call")
	}
	awsBin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the aws command line is not installed")
	}
	srv := newServer(t)
	dir := t.TempDir()
	td := filepath.Join(dir, "taskdef.json")
	require.NoError(t, os.WriteFile(td, []byte(nginx), 0o600))
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(awsBin, append(args, "--endpoint-url", srv.URL, "--region", "us-east-1", "--output", "json")...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE="+filepath.Join(dir, "none"),
			"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"), "AWS_PAGER=", "HOME="+dir)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		require.NoError(t, cmd.Run(), errOut.String())
		return out.String()
	}
	run("ecs", "create-cluster", "--cluster-name", "demo")
	run("ecs", "register-task-definition", "--cli-input-json", "file://"+td)
	run("ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", "nginx",
		"--desired-count", "1", "--launch-type", "FARGATE",
		"--network-configuration", "awsvpcConfiguration={subnets=[subnet-aaaa0001]}")
	advance(t, srv, "5m")

	var list struct {
		ServiceDeployments []struct {
			ServiceDeploymentArn     string `json:"serviceDeploymentArn"`
			TargetServiceRevisionArn string `json:"targetServiceRevisionArn"`
			Status                   string `json:"status"`
		} `json:"serviceDeployments"`
	}
	require.NoError(t, json.Unmarshal([]byte(run("ecs", "list-service-deployments", "--cluster", "demo", "--service", "web")), &list))
	require.Len(t, list.ServiceDeployments, 1)
	require.Equal(t, "SUCCESSFUL", list.ServiceDeployments[0].Status)
	out := run("ecs", "describe-service-deployments", "--service-deployment-arns", list.ServiceDeployments[0].ServiceDeploymentArn)
	require.Contains(t, out, `"status": "SUCCESSFUL"`)
	out = run("ecs", "describe-service-revisions", "--service-revision-arns", list.ServiceDeployments[0].TargetServiceRevisionArn)
	require.Contains(t, out, `"image": "nginx:1.25"`)

	var tasks struct {
		TaskArns []string `json:"taskArns"`
	}
	require.NoError(t, json.Unmarshal([]byte(run("ecs", "list-tasks", "--cluster", "demo")), &tasks))
	require.Len(t, tasks.TaskArns, 1)
	out = run("ecs", "update-task-protection", "--cluster", "demo", "--tasks", tasks.TaskArns[0], "--protection-enabled", "--expires-in-minutes", "30")
	require.Contains(t, out, `"protectionEnabled": true`)
	out = run("ecs", "get-task-protection", "--cluster", "demo", "--tasks", tasks.TaskArns[0])
	require.Contains(t, out, `"expirationDate"`)
}
