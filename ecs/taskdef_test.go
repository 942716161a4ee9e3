package ecs

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

const sleepDoc = `{"family":"sleep360","containerDefinitions":[{"name":"sleep","image":"busybox","cpu":10,"memory":10,"command":["sleep","360"]}]}`

func errOf(tb testing.TB, err error) *api.Error {
	tb.Helper()
	var ae *api.Error
	require.ErrorAs(tb, err, &ae)
	return ae
}

// TestRevisionsMotoStyle: three registrations give revisions 1, 2, 3; the
// bare family names the latest ACTIVE one; deregistration needs a revision;
// unknown revisions cannot be described.
func TestRevisionsMotoStyle(t *testing.T) {
	_, table, _ := newTDModel(t)
	for want := 1; want <= 3; want++ {
		td := mustInvoke(t, table, "ecs:RegisterTaskDefinition", sleepDoc)["taskDefinition"].(map[string]any)
		require.EqualValues(t, want, td["revision"])
		require.Equal(t, fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/sleep360:%d", want), td["taskDefinitionArn"])
	}
	latest := mustInvoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"sleep360"}`)["taskDefinition"].(map[string]any)
	require.EqualValues(t, 3, latest["revision"])

	_, err := invoke(t, table, "ecs:DeregisterTaskDefinition", `{"taskDefinition":"sleep360"}`)
	require.Equal(t, "ClientException: Revision is missing.", err.Error())

	mustInvoke(t, table, "ecs:DeregisterTaskDefinition", `{"taskDefinition":"sleep360:3"}`)
	latest = mustInvoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"sleep360"}`)["taskDefinition"].(map[string]any)
	require.EqualValues(t, 2, latest["revision"], "the latest ACTIVE revision")

	for _, ref := range []string{"sleep360:4", "sleep360:99", "nosuchfamily", "nosuchfamily:1",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/sleep360:7",
		"arn:aws:ecs:eu-west-1:123456789012:task-definition/sleep360:1"} {
		_, err := invoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"`+ref+`"}`)
		require.Equal(t, "ClientException: Unable to describe task definition.", err.Error(), ref)
	}
	_, err = invoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"sleep360:x"}`)
	require.Equal(t, api.CodeInvalidParameterException, errOf(t, err).Code)
}

func TestDescribeByAllReferenceForms(t *testing.T) {
	_, table, _ := newTDModel(t)
	mustInvoke(t, table, "ecs:RegisterTaskDefinition", sleepDoc)
	mustInvoke(t, table, "ecs:RegisterTaskDefinition", sleepDoc)
	for ref, rev := range map[string]int{
		"sleep360": 2, "sleep360:1": 1, "sleep360:2": 2,
		"arn:aws:ecs:us-east-1:123456789012:task-definition/sleep360:1": 1,
		"arn:aws:ecs:us-east-1:123456789012:task-definition/sleep360":   2,
	} {
		td := mustInvoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"`+ref+`"}`)["taskDefinition"].(map[string]any)
		require.EqualValues(t, rev, td["revision"], ref)
	}
}

// TestLifecycle walks ACTIVE -> INACTIVE -> DELETE_IN_PROGRESS -> removed,
// with AWS's rules on what each state still allows. [DG:task-definition-state]
func TestLifecycle(t *testing.T) {
	m, table, eng := newTDModel(t)
	mustInvoke(t, table, "ecs:RegisterTaskDefinition", sleepDoc)
	mustInvoke(t, table, "ecs:RegisterTaskDefinition", sleepDoc)
	arn1 := "arn:aws:ecs:us-east-1:123456789012:task-definition/sleep360:1"

	td, err := m.taskDefinitionForLaunch("sleep360:1")
	require.NoError(t, err)
	require.Equal(t, arn1, td.TaskDefinitionArn)

	// Deleting an ACTIVE revision fails per item, without failing the call.
	out := mustInvoke(t, table, "ecs:DeleteTaskDefinitions", `{"taskDefinitions":["sleep360:1","sleep360","sleep360:9"]}`)
	require.Empty(t, out["taskDefinitions"])
	failures := out["failures"].([]any)
	require.Len(t, failures, 3)
	require.Equal(t, map[string]any{"arn": arn1, "reason": reasonTDActive}, failures[0])
	require.Equal(t, reasonTDInvalid, failures[1].(map[string]any)["reason"])
	require.Equal(t, reasonTDNotFound, failures[2].(map[string]any)["reason"])

	require.NoError(t, eng.RunFor(time.Minute))
	dereg := mustInvoke(t, table, "ecs:DeregisterTaskDefinition", `{"taskDefinition":"`+arn1+`"}`)["taskDefinition"].(map[string]any)
	require.Equal(t, "INACTIVE", dereg["status"])
	require.EqualValues(t, tdTestStart.Add(time.Minute).Unix(), dereg["deregisteredAt"])
	again := mustInvoke(t, table, "ecs:DeregisterTaskDefinition", `{"taskDefinition":"sleep360:1"}`)["taskDefinition"].(map[string]any)
	require.Equal(t, dereg, again, "deregistering an INACTIVE revision changes nothing")

	// INACTIVE: describable by revision, not launchable.
	desc := mustInvoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"sleep360:1"}`)["taskDefinition"].(map[string]any)
	require.Equal(t, "INACTIVE", desc["status"])
	_, err = m.taskDefinitionForLaunch("sleep360:1")
	require.Equal(t, "InvalidParameterException: TaskDefinition is inactive", err.Error())
	_, err = m.taskDefinitionForLaunch("nosuch")
	require.Equal(t, "ClientException: TaskDefinition not found.", err.Error())
	got, ok := m.taskDefinitionByArn(arn1)
	require.True(t, ok, "running tasks still find their definition")
	require.Equal(t, TaskDefinitionInactive, got.Status)

	require.NoError(t, eng.RunFor(time.Minute))
	del := mustInvoke(t, table, "ecs:DeleteTaskDefinitions", `{"taskDefinitions":["sleep360:1","`+arn1+`"]}`)
	require.Empty(t, del["failures"])
	dels := del["taskDefinitions"].([]any)
	require.Len(t, dels, 1, "one revision named twice is deleted once")
	require.Equal(t, "DELETE_IN_PROGRESS", dels[0].(map[string]any)["status"])
	require.EqualValues(t, tdTestStart.Add(2*time.Minute).Unix(), dels[0].(map[string]any)["deleteRequestedAt"])

	_, err = invoke(t, table, "ecs:DeregisterTaskDefinition", `{"taskDefinition":"sleep360:1"}`)
	require.Contains(t, err.Error(), "in the process of being deleted")
	_, err = m.taskDefinitionForLaunch(arn1)
	require.Equal(t, "InvalidParameterException: TaskDefinition is inactive", err.Error())
	list := mustInvoke(t, table, "ecs:ListTaskDefinitions", `{"status":"DELETE_IN_PROGRESS"}`)
	require.Equal(t, []any{arn1}, list["taskDefinitionArns"])

	// Removed once nothing uses it; the revision counter carries on.
	m.reapTaskDefinitions(func(string) bool { return true })
	_, ok = m.taskDefinitionByArn(arn1)
	require.True(t, ok, "kept while in use")
	m.reapTaskDefinitions(func(string) bool { return false })
	_, ok = m.taskDefinitionByArn(arn1)
	require.False(t, ok)
	_, err = invoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"sleep360:1"}`)
	require.Equal(t, "ClientException: Unable to describe task definition.", err.Error())

	mustInvoke(t, table, "ecs:DeregisterTaskDefinition", `{"taskDefinition":"sleep360:2"}`)
	mustInvoke(t, table, "ecs:DeleteTaskDefinitions", `{"taskDefinitions":["sleep360:2"]}`)
	m.reapTaskDefinitions(func(string) bool { return false })
	fams := mustInvoke(t, table, "ecs:ListTaskDefinitionFamilies", `{}`)
	require.Empty(t, fams["families"], "a family with no revision left is not listed")
	td3 := mustInvoke(t, table, "ecs:RegisterTaskDefinition", sleepDoc)["taskDefinition"].(map[string]any)
	require.EqualValues(t, 3, td3["revision"], "revisions continue after deletion")
}

func TestDeleteTaskDefinitionsLimits(t *testing.T) {
	_, table, _ := newTDModel(t)
	_, err := invoke(t, table, "ecs:DeleteTaskDefinitions", `{"taskDefinitions":[]}`)
	require.Equal(t, api.CodeInvalidParameterException, errOf(t, err).Code)
	refs, _ := json.Marshal([]string{"a:1", "a:2", "a:3", "a:4", "a:5", "a:6", "a:7", "a:8", "a:9", "a:10", "a:11"})
	_, err = invoke(t, table, "ecs:DeleteTaskDefinitions", `{"taskDefinitions":`+string(refs)+`}`)
	require.Contains(t, errOf(t, err).Message, "between 1 and 10")
}

func TestListTaskDefinitions(t *testing.T) {
	_, table, _ := newTDModel(t)
	for _, fam := range []string{"web", "api", "web", "web-worker", "api"} {
		mustInvoke(t, table, "ecs:RegisterTaskDefinition", patchDoc(t, ec2Base, `{"family":"`+fam+`"}`))
	}
	mustInvoke(t, table, "ecs:DeregisterTaskDefinition", `{"taskDefinition":"api:1"}`)
	arn := func(s string) string { return "arn:aws:ecs:us-east-1:123456789012:task-definition/" + s }
	list := func(in string) []any {
		return mustInvoke(t, table, "ecs:ListTaskDefinitions", in)["taskDefinitionArns"].([]any)
	}
	require.Equal(t, []any{arn("api:2"), arn("web:1"), arn("web:2"), arn("web-worker:1")}, list(`{}`))
	require.Equal(t, []any{arn("web-worker:1"), arn("web:2"), arn("web:1"), arn("api:2")}, list(`{"sort":"DESC"}`))
	require.Equal(t, []any{arn("api:1")}, list(`{"status":"INACTIVE"}`))
	require.Equal(t, []any{arn("web:1"), arn("web:2")}, list(`{"familyPrefix":"web"}`), "familyPrefix is the full family name")

	// Pagination.
	page1 := mustInvoke(t, table, "ecs:ListTaskDefinitions", `{"maxResults":3}`)
	require.Len(t, page1["taskDefinitionArns"], 3)
	tok := page1["nextToken"].(string)
	page2 := mustInvoke(t, table, "ecs:ListTaskDefinitions", `{"maxResults":3,"nextToken":"`+tok+`"}`)
	require.Equal(t, []any{arn("web-worker:1")}, page2["taskDefinitionArns"])
	require.NotContains(t, page2, "nextToken")

	for _, bad := range []string{`{"maxResults":0}`, `{"maxResults":101}`, `{"nextToken":"garbage!"}`, `{"status":"GONE"}`, `{"sort":"UP"}`} {
		_, err := invoke(t, table, "ecs:ListTaskDefinitions", bad)
		require.Equal(t, api.CodeInvalidParameterException, errOf(t, err).Code, bad)
	}
}

func TestListTaskDefinitionFamilies(t *testing.T) {
	_, table, _ := newTDModel(t)
	for _, fam := range []string{"web", "api", "web-worker", "db"} {
		mustInvoke(t, table, "ecs:RegisterTaskDefinition", patchDoc(t, ec2Base, `{"family":"`+fam+`"}`))
	}
	mustInvoke(t, table, "ecs:DeregisterTaskDefinition", `{"taskDefinition":"db:1"}`)
	fams := func(in string) []any {
		return mustInvoke(t, table, "ecs:ListTaskDefinitionFamilies", in)["families"].([]any)
	}
	require.Equal(t, []any{"api", "db", "web", "web-worker"}, fams(`{}`))
	require.Equal(t, []any{"api", "db", "web", "web-worker"}, fams(`{"status":"ALL"}`))
	require.Equal(t, []any{"api", "web", "web-worker"}, fams(`{"status":"ACTIVE"}`))
	require.Equal(t, []any{"db"}, fams(`{"status":"INACTIVE"}`))
	require.Equal(t, []any{"web", "web-worker"}, fams(`{"familyPrefix":"web"}`))
	page := mustInvoke(t, table, "ecs:ListTaskDefinitionFamilies", `{"maxResults":2}`)
	require.Equal(t, []any{"api", "db"}, page["families"])
	require.NotEmpty(t, page["nextToken"])
	_, err := invoke(t, table, "ecs:ListTaskDefinitionFamilies", `{"status":"DELETE_IN_PROGRESS"}`)
	require.Equal(t, api.CodeInvalidParameterException, errOf(t, err).Code)
}

// TestRegisteredDefaults pins what ECS fills in at registration.
func TestRegisteredDefaults(t *testing.T) {
	_, table, _ := newTDModel(t)
	doc := `{"family":"web","networkMode":"awsvpc","cpu":"1 vCPU","memory":".5 GB","containerDefinitions":[
		{"name":"app","image":"nginx","portMappings":[{"containerPort":80},{"containerPortRange":"9000-9010"}],
		 "healthCheck":{"command":["CMD","true"],"startPeriod":10}}]}`
	td := mustInvoke(t, table, "ecs:RegisterTaskDefinition", doc)["taskDefinition"].(map[string]any)
	require.Equal(t, "1024", td["cpu"])
	require.Equal(t, "512", td["memory"])
	require.Equal(t, []any{}, td["volumes"])
	require.Equal(t, []any{}, td["placementConstraints"])
	require.Equal(t, []any{"EC2"}, td["compatibilities"], "1 vCPU with 0.5 GB is no Fargate size")
	require.NotContains(t, td, "requiresCompatibilities")
	require.Equal(t, "arn:aws:iam::123456789012:root", td["registeredBy"])
	require.EqualValues(t, tdTestStart.Unix(), td["registeredAt"])
	c := td["containerDefinitions"].([]any)[0].(map[string]any)
	require.EqualValues(t, 0, c["cpu"])
	require.Equal(t, true, c["essential"])
	for _, k := range []string{"environment", "mountPoints", "volumesFrom", "systemControls"} {
		require.Equal(t, []any{}, c[k], k)
	}
	pms := c["portMappings"].([]any)
	require.Equal(t, map[string]any{"containerPort": 80.0, "hostPort": 80.0, "protocol": "tcp"}, pms[0])
	require.Equal(t, map[string]any{"containerPortRange": "9000-9010", "protocol": "tcp"}, pms[1])
	require.Equal(t, map[string]any{"command": []any{"CMD", "true"}, "interval": 30.0, "timeout": 5.0, "retries": 3.0, "startPeriod": 10.0}, c["healthCheck"])

	bridge := mustInvoke(t, table, "ecs:RegisterTaskDefinition", patchDoc(t, ec2Base, containers(`{"name":"app","image":"nginx","memory":64,"portMappings":[{"containerPort":80}]}`)))["taskDefinition"].(map[string]any)
	pm := bridge["containerDefinitions"].([]any)[0].(map[string]any)["portMappings"].([]any)[0]
	require.Equal(t, map[string]any{"containerPort": 80.0, "hostPort": 0.0, "protocol": "tcp"}, pm, "bridge: dynamic host port")
	require.Equal(t, []any{"EXTERNAL", "EC2"}, bridge["compatibilities"])
	require.NotContains(t, bridge, "networkMode", "an omitted network mode stays omitted")
}

func TestCompatibilities(t *testing.T) {
	_, table, _ := newTDModel(t)
	compat := func(doc string) any {
		return mustInvoke(t, table, "ecs:RegisterTaskDefinition", doc)["taskDefinition"].(map[string]any)["compatibilities"]
	}
	require.Equal(t, []any{"EC2", "FARGATE"}, compat(fargateBase))
	require.Equal(t, []any{"EC2", "FARGATE"}, compat(patchDoc(t, fargateBase, `{"requiresCompatibilities":null}`)))
	require.Equal(t, []any{"FARGATE"}, compat(patchDoc(t, fargateBase, `{"ephemeralStorage":{"sizeInGiB":40}}`)))
	require.Equal(t, []any{"EC2"}, compat(awsvpcBase))
	require.Equal(t, []any{"EXTERNAL", "EC2"}, compat(ec2Base))
	require.Equal(t, []any{"EXTERNAL", "EC2", "MANAGED_INSTANCES"}, compat(patchDoc(t, ec2Base, `{"requiresCompatibilities":["MANAGED_INSTANCES"]}`)))
}

// TestRegistryIsImmutable: no value a caller gets or gives can change a
// stored revision.
func TestRegistryIsImmutable(t *testing.T) {
	m, table, _ := newTDModel(t)
	c := NewClient(table)
	in := &RegisterTaskDefinitionInput{
		Family: api.String("web"),
		ContainerDefinitions: []ContainerDefinition{{
			Name: api.String("app"), Image: api.String("nginx"), Memory: api.Int32(64),
			Environment: []KeyValuePair{{Name: api.String("A"), Value: api.String("1")}},
		}},
		Tags: []api.Tag{{Key: api.String("team"), Value: api.String("a")}},
	}
	out, err := c.RegisterTaskDefinition(in)
	require.NoError(t, err)
	before, err := json.Marshal(m.defs.families["web"].revs[0].def)
	require.NoError(t, err)

	*in.ContainerDefinitions[0].Image = "evil"
	in.ContainerDefinitions[0].Environment[0].Value = api.String("2")
	*in.Tags[0].Value = "b"
	*out.TaskDefinition.ContainerDefinitions[0].Name = "renamed"
	out.TaskDefinition.ContainerDefinitions[0].Environment = nil
	desc, err := c.DescribeTaskDefinition(&DescribeTaskDefinitionInput{TaskDefinition: api.String("web:1"), Include: []string{"TAGS"}})
	require.NoError(t, err)
	*desc.TaskDefinition.ContainerDefinitions[0].Image = "evil"
	*desc.Tags[0].Value = "c"

	after, err := json.Marshal(m.defs.families["web"].revs[0].def)
	require.NoError(t, err)
	require.JSONEq(t, string(before), string(after))
	tags, err := c.ListTagsForResource(&ListTagsForResourceInput{ResourceArn: api.String(out.TaskDefinition.TaskDefinitionArn)})
	require.NoError(t, err)
	require.Equal(t, "a", *tags.Tags[0].Value)
}

func TestTaskDefinitionMethods(t *testing.T) {
	m, table, _ := newTDModel(t)
	mustInvoke(t, table, "ecs:RegisterTaskDefinition", patchDoc(t, fargateBase, `{"cpu":".5 vcpu","memory":"1 GB","containerDefinitions":[
		{"name":"app","image":"nginx"},{"name":"sidecar","image":"busybox","essential":false},{"name":"log","image":"fluent","essential":true}]}`))
	td, err := m.taskDefinitionForLaunch("web")
	require.NoError(t, err)
	require.Equal(t, 512, td.TaskCPU())
	require.Equal(t, 1024, td.TaskMemory())
	require.True(t, td.IsEssential(td.Container("app")), "omitted essential is true; the stored copy says so explicitly")
	require.False(t, td.IsEssential(td.Container("sidecar")))
	require.True(t, td.IsEssential(td.Container("log")))
	require.Nil(t, td.Container("nope"))
	require.False(t, td.IsEssential(nil))
	require.True(t, td.IsEssential(&ContainerDefinition{}), "nil essential means essential")

	var none *TaskDefinition
	require.Zero(t, none.TaskCPU())
	require.Zero(t, (&TaskDefinition{}).TaskMemory())
	require.Equal(t, 2048, (&TaskDefinition{Memory: api.String("2 GB")}).TaskMemory())
}

func TestTagResource(t *testing.T) {
	_, table, _ := newTDModel(t)
	td := mustInvoke(t, table, "ecs:RegisterTaskDefinition", patchDoc(t, ec2Base, `{"tags":[{"key":"team","value":"web"}]}`))
	require.Equal(t, []any{map[string]any{"key": "team", "value": "web"}}, td["tags"])
	arn := td["taskDefinition"].(map[string]any)["taskDefinitionArn"].(string)
	clusterArn := mustInvoke(t, table, "ecs:CreateCluster", `{"clusterName":"prod","tags":[{"key":"env","value":"prod"}]}`)["cluster"].(map[string]any)["clusterArn"].(string)

	tags := func(resource string) any {
		return mustInvoke(t, table, "ecs:ListTagsForResource", `{"resourceArn":"`+resource+`"}`)["tags"]
	}
	mustInvoke(t, table, "ecs:TagResource", `{"resourceArn":"`+arn+`","tags":[{"key":"team","value":"api"},{"key":"cost","value":"42"}]}`)
	require.Equal(t, []any{map[string]any{"key": "team", "value": "api"}, map[string]any{"key": "cost", "value": "42"}}, tags(arn))
	mustInvoke(t, table, "ecs:UntagResource", `{"resourceArn":"`+arn+`","tagKeys":["team","absent"]}`)
	require.Equal(t, []any{map[string]any{"key": "cost", "value": "42"}}, tags(arn))

	withTags := mustInvoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"web:1","include":["TAGS"]}`)
	require.Equal(t, tags(arn), withTags["tags"])
	require.NotContains(t, mustInvoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"web:1"}`), "tags")
	_, err := invoke(t, table, "ecs:DescribeTaskDefinition", `{"taskDefinition":"web:1","include":["STATUS"]}`)
	require.Equal(t, api.CodeInvalidParameterException, errOf(t, err).Code)

	// Clusters go through the same actions.
	mustInvoke(t, table, "ecs:TagResource", `{"resourceArn":"`+clusterArn+`","tags":[{"key":"owner","value":"ops"}]}`)
	require.Equal(t, []any{map[string]any{"key": "env", "value": "prod"}, map[string]any{"key": "owner", "value": "ops"}}, tags(clusterArn))
	mustInvoke(t, table, "ecs:UntagResource", `{"resourceArn":"`+clusterArn+`","tagKeys":["env"]}`)
	dc := mustInvoke(t, table, "ecs:DescribeClusters", `{"clusters":["prod"],"include":["TAGS"]}`)
	require.Equal(t, []any{map[string]any{"key": "owner", "value": "ops"}}, dc["clusters"].([]any)[0].(map[string]any)["tags"])

	// Errors.
	many := make([]api.Tag, 50)
	for i := range many {
		many[i] = api.Tag{Key: api.String(fmt.Sprintf("k%d", i)), Value: api.String("v")}
	}
	b, _ := json.Marshal(many)
	_, err = invoke(t, table, "ecs:TagResource", `{"resourceArn":"`+arn+`","tags":`+string(b)+`}`)
	require.Contains(t, errOf(t, err).Message, "would have 51", "the limit applies to the merged set")
	require.Equal(t, []any{map[string]any{"key": "cost", "value": "42"}}, tags(arn), "a failed TagResource changes nothing")
	for in, code := range map[string]string{
		`{"resourceArn":"arn:aws:ecs:us-east-1:123456789012:cluster/nope","tags":[]}`:          CodeClusterNotFound,
		`{"resourceArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:9","tags":[]}`: api.CodeClientException,
		`{"resourceArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/web","tags":[]}`:   api.CodeClientException,
		`{"resourceArn":"not-an-arn","tags":[]}`:                                               api.CodeInvalidParameterException,
		`{"resourceArn":"arn:aws:ecs:us-east-1:123456789012:capacity-provider/cp","tags":[]}`:  api.CodeInvalidParameterException,
		`{"resourceArn":"` + arn + `","tags":[{"key":"aws:created","value":"x"}]}`:             api.CodeInvalidParameterException,
		`{"resourceArn":"` + arn + `"}`:                                                        api.CodeInvalidParameterException,
		`{"resourceArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/prod","tags":[]}`:          CodeClusterNotFound,
	} {
		_, err := invoke(t, table, "ecs:TagResource", in)
		require.Equal(t, code, errOf(t, err).Code, in)
	}
}

// TestRegistrationIsDeterministic: the same calls give byte-identical
// responses, timestamps included, since time is virtual.
func TestRegistrationIsDeterministic(t *testing.T) {
	run := func() []byte {
		_, table, eng := newTDModel(t)
		var all []byte
		docs, _ := taskdefDocs(t)
		for _, d := range docs {
			out, err := table.Invoke("ecs:RegisterTaskDefinition", d.data)
			require.NoError(t, err, d.name)
			all = append(all, out...)
			require.NoError(t, eng.RunFor(time.Second))
		}
		out, err := table.Invoke("ecs:ListTaskDefinitions", []byte(`{"sort":"DESC"}`))
		require.NoError(t, err)
		return append(all, out...)
	}
	require.Equal(t, run(), run())
}
