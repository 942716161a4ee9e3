package drill

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/workload"
)

// The bad-rollout drill's timing and failing image.
const (
	// rolloutWatch is how long the drill watches the bad rollout.
	rolloutWatch = 30 * time.Minute
	// badImage is the image of the failing revision: every pull of it
	// fails with badImagePull.
	badImage     = "ecssim-drill/failing-image:1"
	badImagePull = "CannotPullContainerError: ecssim-drill/failing-image:1: not found"
)

// badRollout registers a revision of the service's task definition whose
// essential containers run an image that cannot be pulled,
// deploys it 10 minutes after the service is created, and watches the
// rollout for 30 minutes. It passes when the deployment is stopped and the
// service runs its previous revision with its desired count again: the
// circuit breaker with rollback does that.
func badRollout(sc *scenario.Scenario, t target, seed uint64) (Result, error) {
	family, input, err := serviceTaskDefinition(sc, t)
	if err != nil {
		return Result{}, err
	}
	var td map[string]any
	if err := json.Unmarshal(input, &td); err != nil {
		return Result{}, fmt.Errorf("%s: %v", t.step.Pos, err)
	}
	cs, _ := td["containerDefinitions"].([]any)
	for _, c := range cs {
		if m, ok := c.(map[string]any); ok {
			if e, ok := m["essential"].(bool); !ok || e {
				m["image"] = badImage
			}
		}
	}
	bad, _ := json.Marshal(td)
	at := t.step.At + settleTime
	upd, _ := json.Marshal(map[string]string{"cluster": t.cluster, "service": t.service, "taskDefinition": family})

	run := *sc
	run.Images = maps.Clone(sc.Images)
	if run.Images == nil {
		run.Images = map[string]workload.Image{}
	}
	run.Images[badImage] = workload.Image{PullError: badImagePull}
	run.Steps = append(slices.Clone(sc.Steps),
		scenario.Step{Pos: t.step.Pos, At: at, Call: "ecs:RegisterTaskDefinition", Input: bad},
		scenario.Step{Pos: t.step.Pos, At: at, Call: "ecs:UpdateService", Input: upd})
	run.Expect = nil
	run.Duration = at + rolloutWatch

	var w *ecssim.World
	if _, err := scenario.Run(&run, scenario.Options{Seed: &seed, OnWorld: func(world *ecssim.World) { w = world }}); err != nil {
		return Result{}, err
	}
	return judgeRollout(w, t, family, at)
}

// serviceTaskDefinition returns the family of the task definition the
// service runs and the input of the last step that registers it before
// the service is created.
func serviceTaskDefinition(sc *scenario.Scenario, t target) (string, json.RawMessage, error) {
	var in ecs.CreateServiceInput
	_ = json.Unmarshal(t.step.Input, &in)
	family := api.Deref(in.TaskDefinition)
	family = family[strings.LastIndexByte(family, '/')+1:]
	family, _, _ = strings.Cut(family, ":")
	var input json.RawMessage
	for i := range sc.Steps {
		st := &sc.Steps[i]
		if st.Call != "ecs:RegisterTaskDefinition" || st.At > t.step.At {
			continue
		}
		var td ecs.RegisterTaskDefinitionInput
		if json.Unmarshal(st.Input, &td) == nil && api.Deref(td.Family) == family {
			input = st.Input
		}
	}
	if input == nil {
		return "", nil, fmt.Errorf("%s: no step registers task definition %q before the service is created", t.step.Pos, family)
	}
	return family, input, nil
}

// judgeRollout reads the end of a bad-rollout run.
func judgeRollout(w *ecssim.World, t target, family string, at time.Duration) (Result, error) {
	c := w.ECS()
	tdOut, err := c.DescribeTaskDefinition(&ecs.DescribeTaskDefinitionInput{TaskDefinition: api.String(family)})
	if err != nil {
		return Result{}, err
	}
	badArn := tdOut.TaskDefinition.TaskDefinitionArn
	svcOut, err := c.DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(t.cluster), Services: []string{t.service}})
	if err != nil || len(svcOut.Services) == 0 {
		return Result{}, fmt.Errorf("%s: the service %s/%s is gone at the end of the run", t.step.Pos, t.cluster, t.service)
	}
	svc := svcOut.Services[0]
	launched, err := countTasks(c, t, badArn)
	if err != nil {
		return Result{}, err
	}
	end := at + rolloutWatch
	res := Result{Lowest: int(svc.RunningCount), LowestAt: end}
	res.Evidence = append(res.Evidence, fmt.Sprintf("%s revision %s deployed: its essential containers' image cannot be pulled",
		scenario.Clock(at), revisionOf(badArn)))
	var primary *ecs.Deployment
	for i := range svc.Deployments {
		d := &svc.Deployments[i]
		line := fmt.Sprintf("%s deployment of %s: %s", scenario.Clock(end), revisionOf(d.TaskDefinition), d.Status)
		if d.RolloutState != "" {
			line += ", " + d.RolloutState
		}
		line += fmt.Sprintf(", %d running, %d failed tasks", d.RunningCount, d.FailedTasks)
		if d.RolloutStateReason != "" {
			line += " (" + d.RolloutStateReason + ")"
		}
		res.Evidence = append(res.Evidence, line)
		if d.Status == "PRIMARY" {
			primary = d
		}
	}
	res.Evidence = append(res.Evidence, fmt.Sprintf("%s %d tasks of revision %s were launched", scenario.Clock(end), launched, revisionOf(badArn)))
	res.Passed = primary != nil && primary.TaskDefinition != badArn && primary.RolloutState == "COMPLETED" && int(svc.RunningCount) >= t.desired
	if res.Passed {
		res.Summary = fmt.Sprintf("a revision whose image cannot be pulled was stopped after %d of its tasks were launched, and the service runs %s again with %d of %d tasks",
			launched, revisionOf(primary.TaskDefinition), svc.RunningCount, t.desired)
	} else {
		res.Summary = fmt.Sprintf("a revision whose image cannot be pulled was still deploying %s later: %d of its tasks were launched, and the service runs %d of %d tasks",
			scenario.FormatDuration(rolloutWatch), launched, svc.RunningCount, t.desired)
	}
	return res, nil
}

// countTasks counts the service's tasks, running or stopped, of revision
// arn.
func countTasks(c ecs.Client, t target, arn string) (int, error) {
	n := 0
	for _, status := range []string{"RUNNING", "STOPPED"} {
		var token *string
		for {
			out, err := c.ListTasks(&ecs.ListTasksInput{Cluster: api.String(t.cluster), ServiceName: api.String(t.service), DesiredStatus: api.String(status), NextToken: token})
			if err != nil {
				return 0, err
			}
			for i := 0; i < len(out.TaskArns); i += 100 {
				d, err := c.DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String(t.cluster), Tasks: out.TaskArns[i:min(i+100, len(out.TaskArns))]})
				if err != nil {
					return 0, err
				}
				for _, task := range d.Tasks {
					if task.TaskDefinitionArn == arn {
						n++
					}
				}
			}
			if out.NextToken == nil {
				break
			}
			token = out.NextToken
		}
	}
	return n, nil
}

// revisionOf returns "family:revision" of a task definition ARN.
func revisionOf(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }
