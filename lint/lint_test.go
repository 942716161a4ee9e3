package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// td builds a task definition whose containers are the given JSON objects.
func td(extra string, containers ...string) string {
	if extra != "" {
		extra += ","
	}
	return fmt.Sprintf(`{"family":"web",%s"containerDefinitions":[%s]}`, extra, strings.Join(containers, ","))
}

// good is a container that breaks no rule.
const good = `{"name":"app","image":"nginx:1.27.3","cpu":256,"memory":512,"essential":true,
	"portMappings":[{"containerPort":80}],"stopTimeout":60,
	"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"web"}},
	"healthCheck":{"command":["CMD-SHELL","curl -f http://localhost/ || exit 1"],"startPeriod":30}}`

// container returns good with the replacements old→new applied.
func container(pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(good)
}

// svc builds a service with the given extra members.
func svc(members string) string {
	return `{"cluster":"demo","serviceName":"web","taskDefinition":"web",` + members + `}`
}

const goodDeployment = `"deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}}`
const threeSubnets = `"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a","subnet-b","subnet-c"]}}`

// TestRules: for each rule, a document that triggers it (at the given
// path) and one that does not.
func TestRules(t *testing.T) {
	zones := map[string]string{"subnet-a": "us-east-1a", "subnet-b": "us-east-1b", "subnet-c": "us-east-1c", "subnet-a2": "us-east-1a"}
	goodSvc := svc(`"desiredCount":3,` + goodDeployment + `,` + threeSubnets)
	for _, tc := range []struct {
		rule     string
		kind     Kind
		triggers string
		path     string
		message  string
		clean    string
	}{
		{"ECS001", TaskDefinition, td("", container("nginx:1.27.3", "nginx:latest")), "containerDefinitions[0].image", `"nginx:latest", tagged latest`, td("", container("nginx:1.27.3", "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:0123"))},
		{"ECS001", TaskDefinition, td("", container("nginx:1.27.3", "localhost:5000/web")), "containerDefinitions[0].image", "no tag", td("", container("nginx:1.27.3", "localhost:5000/web:2.1"))},
		{"ECS002", TaskDefinition, td("", container(`"cpu":256,`, "")), "containerDefinitions[0].cpu", `sets no cpu, and the task sets none`, td(`"cpu":"512","memory":"1024"`, container(`"cpu":256,`, ""))},
		{"ECS003", TaskDefinition, td("", container(`"essential":true,`, `"essential":true,"environment":[{"name":"STAGE","value":"prod"},{"name":"DB_PASSWORD","value":"hunter2"}],`)), "containerDefinitions[0].environment[1]", "DB_PASSWORD", td("", container(`"essential":true,`, `"essential":true,"environment":[{"name":"DB_PASSWORD_ARN","value":"x"},{"name":"TOKEN","value":""}],"secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:ssm:us-east-1:123456789012:parameter/db"}],`))},
		{"ECS004", TaskDefinition, td("", good, `{"name":"sidecar","image":"envoy:v1.29","memory":64,"essential":false}`), "containerDefinitions[1].logConfiguration", `"sidecar" has no logConfiguration`, td("", good)},
		{"ECS005", TaskDefinition, td("", `{"name":"app","image":"nginx:1.27.3","memory":512}`), "containerDefinitions", "no container has a healthCheck", td("", good)},
		{"ECS006", TaskDefinition, td("", container(`,"startPeriod":30`, "")), "containerDefinitions[0].healthCheck.startPeriod", "has no startPeriod", td("", good)},
		{"ECS007", TaskDefinition, td("", good, `{"name":"proxy","image":"envoy:v1.29","memory":64}`), "containerDefinitions[1].healthCheck", `"proxy" has no healthCheck while "app" has one`, td("", good, `{"name":"proxy","image":"envoy:v1.29","memory":64,"essential":false}`)},
		{"ECS008", TaskDefinition, td("", container(`"essential":true,`, `"essential":true,"dependsOn":[{"containerName":"db","condition":"HEALTHY"}],`), `{"name":"db","image":"postgres:16","memory":64,"essential":false}`), "containerDefinitions[0].dependsOn[0].condition", `waits for "db" to be HEALTHY`, td("", container(`"essential":true,`, `"essential":true,"dependsOn":[{"containerName":"db","condition":"START"}],`), `{"name":"db","image":"postgres:16","memory":64,"essential":false}`)},
		{"ECS009", TaskDefinition, td("", container(`"stopTimeout":60,`, "")), "containerDefinitions[0].stopTimeout", "serves port 80 and sets no stopTimeout", td("", good)},
		{"ECS010", Service, svc(`"desiredCount":3,` + threeSubnets), "deploymentConfiguration.deploymentCircuitBreaker", "circuit breaker is off", goodSvc},
		{"ECS010", Service, svc(`"desiredCount":3,"deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":false}}`), "deploymentConfiguration.deploymentCircuitBreaker.rollback", "does not roll back", svc(`"desiredCount":3,"deploymentController":{"type":"CODE_DEPLOY"}`)},
		{"ECS011", Service, svc(`"desiredCount":3,` + goodDeployment + `,"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a"]}}`), subnetsPath, "one subnet only (subnet-a)", goodSvc},
		{"ECS012", Service, svc(`"desiredCount":3,` + goodDeployment + `,"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a","subnet-a2"]}}`), subnetsPath, "all 2 subnets of the service are in us-east-1a", goodSvc},
		{"ECS013", Service, svc(`"desiredCount":3,"deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true},"minimumHealthyPercent":100,"maximumPercent":100}`), "deploymentConfiguration", "minimumHealthyPercent 100 and maximumPercent 100", svc(`"desiredCount":3,"deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true},"minimumHealthyPercent":50,"maximumPercent":100}`)},
		{"ECS013", Service, svc(`"desiredCount":1,"deploymentConfiguration":{"minimumHealthyPercent":100,"maximumPercent":150}`), "deploymentConfiguration", "of 1 task can neither start nor stop", svc(`"desiredCount":2,"deploymentConfiguration":{"minimumHealthyPercent":100,"maximumPercent":150}`)},
		{"ECS014", Service, svc(`"desiredCount":1`), "desiredCount", "runs 1 task", goodSvc},
		{"ECS014", ScalableTarget, `{"ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":10}`, "MinCapacity", "scale in to 1 task", `{"ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount","MinCapacity":2,"MaxCapacity":10}`},
		{"ECS015", ScalingPolicy, `{"PolicyName":"cpu","ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":60,"ScaleOutCooldown":60}}`, "TargetTrackingScalingPolicyConfiguration.ScaleInCooldown", "leaves ScaleInCooldown at the default", `{"PolicyName":"cpu","ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":60,"ScaleOutCooldown":60,"ScaleInCooldown":120}}`},
		{"ECS015", ScalingPolicy, `{"PolicyName":"step","ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount","PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"ChangeInCapacity","StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":1}]}}`, "StepScalingPolicyConfiguration.Cooldown", "leaves Cooldown at the default", `{"PolicyName":"step","ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount","PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"ChangeInCapacity","Cooldown":60,"StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":1}]}}`},
	} {
		t.Run(tc.rule+"/"+tc.path, func(t *testing.T) {
			got, err := Check(Document{Kind: tc.kind, Input: []byte(tc.triggers), Zones: zones}, Options{})
			require.NoError(t, err)
			f := only(got, tc.rule)
			require.Len(t, f, 1, "%v", got)
			require.Equal(t, tc.path, f[0].Path)
			require.Contains(t, f[0].Message, tc.message)

			got, err = Check(Document{Kind: tc.kind, Input: []byte(tc.clean), Zones: zones}, Options{})
			require.NoError(t, err)
			require.Empty(t, only(got, tc.rule), "%v", got)
		})
	}
}

// TestCleanDocumentsAreClean: the documents the rule tests build on break
// no rule at all, so each table row shows one rule's effect.
func TestCleanDocumentsAreClean(t *testing.T) {
	got, err := Check(Document{Kind: TaskDefinition, Input: []byte(td("", good))}, Options{})
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = Check(Document{Kind: Service, Input: []byte(svc(`"desiredCount":3,` + goodDeployment + `,` + threeSubnets))}, Options{})
	require.NoError(t, err)
	require.Empty(t, got)
}

// TestZonesUnknown: without the subnets' zones, ECS012 says nothing.
func TestZonesUnknown(t *testing.T) {
	doc := svc(`"desiredCount":3,` + goodDeployment + `,"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a","subnet-a2"]}}`)
	got, err := Check(Document{Kind: Service, Input: []byte(doc)}, Options{})
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = Check(Document{Kind: Service, Input: []byte(doc), Zones: map[string]string{"subnet-a": "us-east-1a"}}, Options{})
	require.NoError(t, err)
	require.Empty(t, got, "one subnet of unknown zone may be elsewhere")
}

func only(fs []Finding, id string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule.ID == id {
			out = append(out, f)
		}
	}
	return out
}

func TestRuleTable(t *testing.T) {
	all := Rules()
	require.NotEmpty(t, all)
	for i, r := range all {
		require.Equal(t, fmt.Sprintf("ECS%03d", i+1), r.ID, "IDs are sequential")
		require.NotEmpty(t, r.Name, r.ID)
		require.NotZero(t, r.Severity, r.ID)
		require.NotEmpty(t, r.Kinds, r.ID)
		require.True(t, strings.HasSuffix(r.Reason, "."), "%s: the reason is one sentence", r.ID)
		require.Equal(t, 1, strings.Count(strings.TrimSuffix(r.Reason, "."), ". ")+1, "%s: the reason is one sentence", r.ID)
		require.NotEmpty(t, r.Fix, r.ID)
		require.True(t, strings.Contains(r.Source, "https://docs.aws.amazon.com/") || strings.HasPrefix(r.Source, "ECS guide"), "%s: %s", r.ID, r.Source)
		require.Same(t, r, Lookup(r.ID))
	}
	require.Nil(t, Lookup("ECS999"))
}

func TestDisable(t *testing.T) {
	doc := td("", container("nginx:1.27.3", "nginx", `"stopTimeout":60,`, ""))
	got, err := Check(Document{Kind: TaskDefinition, Input: []byte(doc)}, Options{})
	require.NoError(t, err)
	require.Len(t, got, 2)

	got, err = Check(Document{Kind: TaskDefinition, Input: []byte(doc)}, Options{Disable: []string{"ecs001"}})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "ECS009", got[0].Rule.ID)

	tagged := td(`"tags":[{"key":"team","value":"web"},{"key":"ecssim:lint:disable","value":"ECS001 ECS009"}]`, container("nginx:1.27.3", "nginx", `"stopTimeout":60,`, ""))
	got, err = Check(Document{Kind: TaskDefinition, Input: []byte(tagged)}, Options{})
	require.NoError(t, err)
	require.Empty(t, got)

	target := `{"ServiceNamespace":"ecs","ResourceId":"service/demo/web","ScalableDimension":"ecs:service:DesiredCount","MinCapacity":1,"MaxCapacity":4,"Tags":{"ecssim:lint:disable":"ECS014"}}`
	got, err = Check(Document{Kind: ScalableTarget, Input: []byte(target)}, Options{})
	require.NoError(t, err)
	require.Empty(t, got)

	ids, err := ParseDisable("ecs001, ECS009")
	require.NoError(t, err)
	require.Equal(t, []string{"ECS001", "ECS009"}, ids)
	_, err = ParseDisable("ECS001,ECS999")
	require.ErrorContains(t, err, `unknown rule "ECS999"`)
}

func TestCheckErrors(t *testing.T) {
	_, err := Check(Document{Kind: TaskDefinition, Input: []byte(`[]`)}, Options{})
	require.ErrorContains(t, err, "does not have the shape")
	_, err = Check(Document{Kind: "lambda", Input: []byte(`{}`)}, Options{})
	require.ErrorContains(t, err, `unknown document kind "lambda"`)
}

func TestSeverity(t *testing.T) {
	for _, s := range []Severity{Info, Warning, Error} {
		got, err := ParseSeverity(s.String())
		require.NoError(t, err)
		require.Equal(t, s, got)
	}
	_, err := ParseSeverity("fatal")
	require.Error(t, err)
	require.Equal(t, "Severity(9)", Severity(9).String())
}

// FuzzCheck: no input of any kind makes Check panic.
func FuzzCheck(f *testing.F) {
	f.Add(0, []byte(td("", good)))
	f.Add(1, []byte(svc(`"desiredCount":1,"deploymentConfiguration":{"minimumHealthyPercent":100,"maximumPercent":100}`)))
	f.Add(3, []byte(`{"TargetTrackingScalingPolicyConfiguration":{},"StepScalingPolicyConfiguration":{}}`))
	kinds := []Kind{TaskDefinition, Service, ScalableTarget, ScalingPolicy}
	f.Fuzz(func(t *testing.T, k int, input []byte) {
		kind := kinds[((k%len(kinds))+len(kinds))%len(kinds)]
		_, _ = Check(Document{Kind: kind, Input: input, Zones: map[string]string{"subnet-a": "z"}}, Options{})
	})
}

// TestDocsListEveryRule: docs/lint.md has a section per rule with its
// name, severity and source.
func TestDocsListEveryRule(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "lint.md"))
	require.NoError(t, err)
	text := string(doc)
	for _, r := range append([]*Rule{InvalidInput}, Rules()...) {
		require.Contains(t, text, fmt.Sprintf("| %s | %s | %s |", r.ID, r.Name, r.Severity), r.ID)
		if r == InvalidInput {
			continue
		}
		_, section, ok := strings.Cut(text, "### "+r.ID+" "+r.Name+"\n")
		require.True(t, ok, "a section for %s", r.ID)
		section, _, _ = strings.Cut(section, "\n### ")
		require.Contains(t, section, "Severity: "+r.Severity.String()+".", r.ID)
		for _, src := range strings.Split(r.Source, "; ") {
			require.Contains(t, strings.Join(strings.Fields(section), " "), src, r.ID)
		}
		require.Contains(t, section, "```", "%s has an example", r.ID)
	}
}
