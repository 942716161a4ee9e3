package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// Rule is one best practice, checked on the documents of its kinds.
type Rule struct {
	// ID is stable across releases: ECS001, ECS002, ...
	ID string
	// Name is a short kebab-case name ("image-tag-pinned").
	Name     string
	Severity Severity
	// Kinds are the document kinds the rule reads.
	Kinds []Kind
	// Reason says in one sentence why the practice matters.
	Reason string
	// Fix says what to change.
	Fix string
	// Source is where the practice comes from: a section of the ECS guide
	// this project follows, or an AWS documentation URL.
	Source string

	check    func(*checker)
	checkSet func(*setChecker) // rules of kind Set
}

// Rules returns every rule, in ID order. The rules are shared: do not
// modify them.
func Rules() []*Rule { return slices.Clone(rules) }

// Lookup returns the rule with the given ID, or nil.
func Lookup(id string) *Rule {
	for _, r := range rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// guide names a section of the best practices (ベストプラクティス) that end
// the ECS guide this project follows: part is タスク定義 (task definitions)
// or サービス運用 (running services).
func guide(part, item, english string) string {
	return "ECS guide, ベストプラクティス › " + part + "のベストプラクティス › " + item + " (" + english + ")"
}

// InvalidInput is the pseudo-rule of a document that is not valid: lint
// reports AWS's error under it and cannot be told to keep quiet about it.
var InvalidInput = &Rule{
	ID: "ECS000", Name: "valid-input", Severity: Error,
	Kinds:  []Kind{TaskDefinition, Service, ScalableTarget, ScalingPolicy},
	Reason: "AWS rejects the document, so nothing it describes can run; lint's other findings assume a valid document and may be incomplete.",
	Fix:    "Fix the error that ecssim validate reports for this file.",
	Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
	check:  func(*checker) {},
}

var rules = []*Rule{
	{
		ID: "ECS001", Name: "image-tag-pinned", Severity: Warning, Kinds: []Kind{TaskDefinition},
		Reason: "An image without a tag, or tagged latest, can change under the same task definition, so two tasks of one revision may run different code and a rollback may not restore the old one.",
		Fix:    "Name a version tag (nginx:1.27.3) or a digest (nginx@sha256:...), and turn on tag immutability in the ECR repository.",
		Source: guide("タスク定義", "イメージタグの固定", "pin image tags"),
		check:  checkImageTags,
	},
	{
		ID: "ECS002", Name: "cpu-memory-set", Severity: Warning, Kinds: []Kind{TaskDefinition},
		Reason: "A container with no CPU or memory of its own, in a task that sets none either, gets what its neighbours leave, so its performance and placement depend on them rather than on measured load.",
		Fix:    "Set cpu and memory (or memoryReservation) on the container, or cpu and memory on the task, sized from the load measured in production.",
		Source: guide("タスク定義", "リソース設定の最適化", "size CPU and memory"),
		check:  checkResources,
	},
	{
		ID: "ECS003", Name: "secrets-not-in-environment", Severity: Error, Kinds: []Kind{TaskDefinition},
		Reason: "Environment values are readable by anyone allowed to describe the task definition or its tasks, so a password written there is not secret.",
		Fix:    "Move the value to Secrets Manager or Parameter Store and name it under secrets (valueFrom) instead of environment.",
		Source: guide("タスク定義", "シークレット管理", "keep secrets out of environment variables") + "; https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html",
		check:  checkSecrets,
	},
	{
		ID: "ECS004", Name: "log-configuration", Severity: Warning, Kinds: []Kind{TaskDefinition},
		Reason: "Without a log configuration a container's output is not kept anywhere you can read once the task stops, which is when you need it to find out why.",
		Fix:    "Add a logConfiguration (awslogs with a log group, or awsfirelens through a log router).",
		Source: guide("タスク定義", "ログ設定", "always configure logging"),
		check:  checkLogging,
	},
	{
		ID: "ECS005", Name: "health-check", Severity: Info, Kinds: []Kind{TaskDefinition},
		Reason: "Without a container health check ECS knows that the process runs, not that it serves, so a hung application is never replaced unless a load balancer notices.",
		Fix:    "Add a healthCheck to the main container: a light command (curl -f http://localhost/health || exit 1) and a startPeriod.",
		Source: guide("サービス運用", "ヘルスチェックの適切な設定", "configure health checks") + "; https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html",
		check:  checkHealthCheckPresent,
	},
	{
		ID: "ECS006", Name: "health-check-start-period", Severity: Warning, Kinds: []Kind{TaskDefinition},
		Reason: "Without a startPeriod, failed checks count from the first second, so an application that starts slower than interval × retries is marked unhealthy and replaced before it is ready.",
		Fix:    "Set healthCheck.startPeriod to the application's measured start time (0 to 300 seconds).",
		Source: guide("サービス運用", "ヘルスチェックの適切な設定", "set startPeriod to the start time"),
		check:  checkStartPeriod,
	},
	{
		ID: "ECS007", Name: "essential-health-unknown", Severity: Warning, Kinds: []Kind{TaskDefinition},
		Reason: "An essential container without a health check reports UNKNOWN, and a task's health is UNKNOWN while any essential container is, so the task never reports HEALTHY even when the checked containers pass.",
		Fix:    "Give the essential container a healthCheck too, or mark it essential: false if the task can run without it.",
		Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html",
		check:  checkEssentialUnknown,
	},
	{
		ID: "ECS008", Name: "healthy-dependency-has-check", Severity: Error, Kinds: []Kind{TaskDefinition},
		Reason: "A HEALTHY dependency waits for a health check to pass, and a container without one never reports HEALTHY, so AWS rejects the definition.",
		Fix:    "Add a healthCheck to the container depended on, or depend on it with START.",
		Source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html",
		check:  checkHealthyDependency,
	},
	{
		ID: "ECS009", Name: "stop-timeout", Severity: Info, Kinds: []Kind{TaskDefinition},
		Reason: "A container that serves connections is sent SIGKILL 30 seconds after the stop signal unless it sets stopTimeout, which cuts off requests that take longer to drain.",
		Fix:    "Set stopTimeout to the time the process needs to finish its requests after SIGTERM (up to 120 seconds), and handle SIGTERM in the application.",
		Source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-connection-draining.html",
		check:  checkStopTimeout,
	},
	{
		ID: "ECS010", Name: "deployment-circuit-breaker", Severity: Warning, Kinds: []Kind{Service},
		Reason: "Without the circuit breaker and its rollback, a deployment whose tasks never become healthy keeps launching them forever instead of failing and returning to the last working revision.",
		Fix:    `Set deploymentConfiguration.deploymentCircuitBreaker to {"enable": true, "rollback": true}.`,
		Source: guide("サービス運用", "デプロイメントサーキットブレーカーの有効化", "enable the deployment circuit breaker") + "; https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html",
		check:  checkCircuitBreaker,
	},
	{
		ID: "ECS011", Name: "awsvpc-several-subnets", Severity: Warning, Kinds: []Kind{Service},
		Reason: "A subnet lies in one Availability Zone, so a service placed in one subnet loses every task when that zone fails.",
		Fix:    "List subnets in at least two Availability Zones (three where the Region has them) under networkConfiguration.awsvpcConfiguration.subnets.",
		Source: guide("サービス運用", "マルチAZ配置", "place subnets in at least two zones"),
		check:  checkSubnetCount,
	},
	{
		ID: "ECS012", Name: "several-zones", Severity: Warning, Kinds: []Kind{Service},
		Reason: "Tasks spread over subnets of one Availability Zone all stop together when that zone fails.",
		Fix:    "Replace some of the subnets by subnets of other Availability Zones.",
		Source: guide("サービス運用", "マルチAZ配置", "spread tasks over several zones"),
		check:  checkZones,
	},
	{
		ID: "ECS013", Name: "deployment-can-progress", Severity: Error, Kinds: []Kind{Service},
		Reason: "A rolling deployment needs room to start a new task above the desired count (maximumPercent) or to stop an old one below it (minimumHealthyPercent); with neither it never replaces a task.",
		Fix:    "Raise maximumPercent (200 is the default) or lower minimumHealthyPercent so that at least one task can be started or stopped.",
		Source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html",
		check:  checkDeploymentProgress,
	},
	{
		ID: "ECS014", Name: "minimum-task-count", Severity: Info, Kinds: []Kind{Service, ScalableTarget},
		Reason: "One task runs in one Availability Zone, so a service or scalable target that may run a single task is down while that task or its zone is.",
		Fix:    "Set the desired count, or the scalable target's MinCapacity, to at least 2 when the service must stay available.",
		Source: guide("サービス運用", "Auto Scalingの設定", "set the minimum task count from availability needs"),
		check:  checkMinimumCount,
	},
	{
		ID: "ECS015", Name: "scaling-cooldown", Severity: Info, Kinds: []Kind{ScalingPolicy},
		Reason: "A policy that leaves its cooldowns unset waits the default 300 seconds between ECS scaling actions, which is rarely what the service's start time and load pattern need.",
		Fix:    "Set ScaleOutCooldown and ScaleInCooldown (target tracking) or Cooldown (step scaling) from the task start time and how quickly load changes.",
		Source: guide("サービス運用", "Auto Scalingの設定", "tune scaling cooldowns") + "; https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html",
		check:  checkCooldowns,
	},
	{
		ID: "ECS016", Name: "spot-deregistration-delay", Severity: Warning, Kinds: []Kind{Set},
		Reason:   "A Fargate Spot task that is interrupted gets its stop signal with a two-minute notice and is stopped when it ends, while ECS waits for the target to drain only on an ordinary stop: a deregistration delay of two minutes or more cannot finish, and requests still in flight are cut off.",
		Fix:      "Set deregistration_delay.timeout_seconds of the target groups of services that run on FARGATE_SPOT below 120 seconds, and stopTimeout to at most 120 seconds, with SIGTERM handled in the application.",
		Source:   "https://repost.aws/knowledge-center/fargate-spot-termination-notice; https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-connection-draining.html",
		checkSet: checkSpotDeregistrationDelay,
	},
}

// imageTag splits an image reference into its tag ("" for none) and
// whether it names a digest.
func imageTag(image string) (tag string, digest bool) {
	if strings.Contains(image, "@") {
		return "", true
	}
	last := image[strings.LastIndexByte(image, '/')+1:]
	if i := strings.LastIndexByte(last, ':'); i >= 0 {
		return last[i+1:], false
	}
	return "", false
}

func checkImageTags(c *checker) {
	for i, ct := range c.doc.taskDef.ContainerDefinitions {
		image := api.Deref(ct.Image)
		tag, digest := imageTag(image)
		switch {
		case image == "" || digest:
		case tag == "":
			c.report(containerPath(i)+".image", "container %q runs image %q, which has no tag and so means latest", api.Deref(ct.Name), image)
		case strings.EqualFold(tag, "latest"):
			c.report(containerPath(i)+".image", "container %q runs image %q, tagged latest", api.Deref(ct.Name), image)
		}
	}
}

func checkResources(c *checker) {
	td := c.doc.taskDef
	taskCPU, taskMem := api.Deref(td.Cpu) != "", api.Deref(td.Memory) != ""
	for i, ct := range td.ContainerDefinitions {
		var missing []string
		if !taskCPU && api.Deref(ct.Cpu) == 0 {
			missing = append(missing, "cpu")
		}
		if !taskMem && ct.Memory == nil && ct.MemoryReservation == nil {
			missing = append(missing, "memory")
		}
		if len(missing) > 0 {
			what := strings.Join(missing, " or ")
			c.report(containerPath(i)+"."+missing[0], "container %q sets no %s, and the task sets none", api.Deref(ct.Name), what)
		}
	}
}

// secretWords mark an environment variable name as holding a secret.
var secretWords = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "API_KEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL"}

// referenceSuffixes mark a name as naming a secret rather than holding it
// (DB_PASSWORD_ARN, SECRET_NAME, TOKEN_URL, AWS_ACCESS_KEY_ID).
var referenceSuffixes = []string{"_ARN", "_FILE", "_PATH", "_NAME", "_URL", "_URI", "_ENDPOINT", "_HOST", "_PORT", "_ID", "_REGION"}

// secretName reports whether an environment variable name says it holds
// a secret.
func secretName(name string) bool {
	n := strings.ToUpper(name)
	for _, s := range referenceSuffixes {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func checkSecrets(c *checker) {
	for i, ct := range c.doc.taskDef.ContainerDefinitions {
		for j, kv := range ct.Environment {
			name, value := api.Deref(kv.Name), api.Deref(kv.Value)
			if value == "" || strings.HasPrefix(value, "arn:") || !secretName(name) {
				continue
			}
			c.report(fmt.Sprintf("%s.environment[%d]", containerPath(i), j), "container %q passes %s as a plain environment variable", api.Deref(ct.Name), name)
		}
	}
}

func checkLogging(c *checker) {
	for i, ct := range c.doc.taskDef.ContainerDefinitions {
		if ct.LogConfiguration == nil {
			c.report(containerPath(i)+".logConfiguration", "container %q has no logConfiguration", api.Deref(ct.Name))
		}
	}
}

func checkHealthCheckPresent(c *checker) {
	for _, ct := range c.doc.taskDef.ContainerDefinitions {
		if ct.HealthCheck != nil {
			return
		}
	}
	if len(c.doc.taskDef.ContainerDefinitions) > 0 {
		c.report("containerDefinitions", "no container has a healthCheck")
	}
}

func checkStartPeriod(c *checker) {
	for i, ct := range c.doc.taskDef.ContainerDefinitions {
		if ct.HealthCheck != nil && api.Deref(ct.HealthCheck.StartPeriod) == 0 {
			c.report(containerPath(i)+".healthCheck.startPeriod", "the health check of container %q has no startPeriod", api.Deref(ct.Name))
		}
	}
}

func checkEssentialUnknown(c *checker) {
	cs := c.doc.taskDef.ContainerDefinitions
	checked := ""
	for i := range cs {
		if isEssential(&cs[i]) && cs[i].HealthCheck != nil {
			checked = api.Deref(cs[i].Name)
			break
		}
	}
	if checked == "" {
		return
	}
	for i := range cs {
		if isEssential(&cs[i]) && cs[i].HealthCheck == nil {
			c.report(containerPath(i)+".healthCheck", "essential container %q has no healthCheck while %q has one: the task's health stays UNKNOWN", api.Deref(cs[i].Name), checked)
		}
	}
}

func checkHealthyDependency(c *checker) {
	cs := c.doc.taskDef.ContainerDefinitions
	for i, ct := range cs {
		for j, dep := range ct.DependsOn {
			if !strings.EqualFold(api.Deref(dep.Condition), ecs.ConditionHealthy) {
				continue
			}
			target := api.Deref(dep.ContainerName)
			for k := range cs {
				if api.Deref(cs[k].Name) == target && cs[k].HealthCheck == nil {
					c.report(fmt.Sprintf("%s.dependsOn[%d].condition", containerPath(i), j), "container %q waits for %q to be HEALTHY, and %q has no healthCheck", api.Deref(ct.Name), target, target)
				}
			}
		}
	}
}

func checkStopTimeout(c *checker) {
	for i, ct := range c.doc.taskDef.ContainerDefinitions {
		if ct.StopTimeout != nil || len(ct.PortMappings) == 0 || !isEssential(&ct) {
			continue
		}
		c.report(containerPath(i)+".stopTimeout", "container %q serves %s and sets no stopTimeout: it is killed 30 s after the stop signal", api.Deref(ct.Name), ports(ct.PortMappings))
	}
}

func ports(pm []ecs.PortMapping) string {
	var out []string
	for _, p := range pm {
		switch {
		case p.ContainerPort != nil:
			out = append(out, fmt.Sprint(*p.ContainerPort))
		case p.ContainerPortRange != nil:
			out = append(out, *p.ContainerPortRange)
		}
	}
	if len(out) == 1 {
		return "port " + out[0]
	}
	return "ports " + strings.Join(out, ", ")
}

// rollingUpdate reports whether the service deploys with the ECS
// deployment controller (the default), the only one the circuit breaker
// and the deployment percentages govern. [API:DeploymentController.type]
func rollingUpdate(s *ecs.CreateServiceInput) bool {
	if s.DeploymentController == nil {
		return true
	}
	t := api.Deref(s.DeploymentController.Type)
	return t == "" || t == "ECS"
}

func checkCircuitBreaker(c *checker) {
	s := c.doc.service
	if !rollingUpdate(s) {
		return
	}
	var cb *ecs.DeploymentCircuitBreaker
	if s.DeploymentConfiguration != nil {
		cb = s.DeploymentConfiguration.DeploymentCircuitBreaker
	}
	switch {
	case cb == nil || !cb.Enable:
		c.report("deploymentConfiguration.deploymentCircuitBreaker", "the deployment circuit breaker is off")
	case !cb.Rollback:
		c.report("deploymentConfiguration.deploymentCircuitBreaker.rollback", "the deployment circuit breaker is on but does not roll back")
	}
}

const subnetsPath = "networkConfiguration.awsvpcConfiguration.subnets"

func subnets(s *ecs.CreateServiceInput) []string {
	if s.NetworkConfiguration == nil || s.NetworkConfiguration.AwsvpcConfiguration == nil {
		return nil
	}
	return s.NetworkConfiguration.AwsvpcConfiguration.Subnets
}

func checkSubnetCount(c *checker) {
	if sn := subnets(c.doc.service); len(sn) == 1 {
		c.report(subnetsPath, "the service's tasks can use one subnet only (%s)", sn[0])
	}
}

func checkZones(c *checker) {
	sn := subnets(c.doc.service)
	if len(sn) < 2 || c.doc.zones == nil {
		return
	}
	zones := map[string]bool{}
	zone := ""
	for _, id := range sn {
		z, ok := c.doc.zones[id]
		if !ok {
			return // a subnet of unknown zone may be elsewhere
		}
		zones[z], zone = true, z
	}
	if len(zones) == 1 {
		c.report(subnetsPath, "all %d subnets of the service are in %s", len(sn), zone)
	}
}

func checkDeploymentProgress(c *checker) {
	s := c.doc.service
	if !rollingUpdate(s) || strings.EqualFold(api.Deref(s.SchedulingStrategy), "DAEMON") {
		return
	}
	// Defaults for a REPLICA service. [API:DeploymentConfiguration]
	minPct, maxPct := int64(100), int64(200)
	if dc := s.DeploymentConfiguration; dc != nil {
		if dc.MinimumHealthyPercent != nil {
			minPct = int64(*dc.MinimumHealthyPercent)
		}
		if dc.MaximumPercent != nil {
			maxPct = int64(*dc.MaximumPercent)
		}
	}
	desired := int64(api.Deref(s.DesiredCount))
	var stuck bool
	if desired > 0 {
		// The upper limit rounds down and the lower limit rounds up.
		// [DG:deployment-type-ecs]
		upper := desired * maxPct / 100
		lower := (desired*minPct + 99) / 100
		stuck = upper <= desired && lower >= desired
	} else {
		stuck = maxPct <= 100 && minPct >= 100
	}
	if stuck {
		c.report("deploymentConfiguration", "with minimumHealthyPercent %d and maximumPercent %d a deployment of %s can neither start nor stop a task", minPct, maxPct, countText(desired))
	}
}

func countText(desired int64) string {
	switch desired {
	case 0:
		return "any number of tasks"
	case 1:
		return "1 task"
	}
	return fmt.Sprintf("%d tasks", desired)
}

func checkMinimumCount(c *checker) {
	switch {
	case c.doc.service != nil:
		s := c.doc.service
		if strings.EqualFold(api.Deref(s.SchedulingStrategy), "DAEMON") {
			return
		}
		if s.DesiredCount != nil && *s.DesiredCount == 1 {
			c.report("desiredCount", "the service runs 1 task")
		}
	case c.doc.target != nil:
		if m := c.doc.target.MinCapacity; m != nil && *m < 2 {
			c.report("MinCapacity", "the scalable target may scale in to %d task%s", *m, map[bool]string{true: "", false: "s"}[*m == 1])
		}
	}
}

func checkCooldowns(c *checker) {
	p := c.doc.policy
	if tt := p.TargetTrackingScalingPolicyConfiguration; tt != nil {
		var unset []string
		if tt.ScaleOutCooldown == nil {
			unset = append(unset, "ScaleOutCooldown")
		}
		if tt.ScaleInCooldown == nil && !api.Deref(tt.DisableScaleIn) {
			unset = append(unset, "ScaleInCooldown")
		}
		if len(unset) > 0 {
			c.report("TargetTrackingScalingPolicyConfiguration."+unset[0], "the policy leaves %s at the default", strings.Join(unset, " and "))
		}
	}
	if st := p.StepScalingPolicyConfiguration; st != nil && st.Cooldown == nil {
		c.report("StepScalingPolicyConfiguration.Cooldown", "the policy leaves Cooldown at the default")
	}
}
