// Command rolling-deploy shows how maximumPercent and minimumHealthyPercent
// shape a rolling update: four tasks replaced at 200/100 (start all new
// tasks, then stop old ones as new ones become healthy), then again at
// 100/50 (stop half first, then start).
package main

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/report"
)

func register(w *ecssim.World, image string) {
	def := fmt.Sprintf(`{"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
		"containerDefinitions":[{"name":"web","image":%q,"portMappings":[{"containerPort":80}]}]}`, image)
	if _, err := w.Call("ecs:RegisterTaskDefinition", []byte(def)); err != nil {
		log.Fatal(err)
	}
}

func deploy(w *ecssim.World, taskDef string, maxPct, minPct int32) {
	fmt.Printf("\n--- UpdateService taskDefinition=%s maximumPercent=%d minimumHealthyPercent=%d\n", taskDef, maxPct, minPct)
	_, err := w.ECS().UpdateService(&ecs.UpdateServiceInput{
		Cluster: api.String("demo"), Service: api.String("web"), TaskDefinition: api.String(taskDef),
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: &maxPct, MinimumHealthyPercent: &minPct},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.RunFor(10 * time.Minute); err != nil {
		log.Fatal(err)
	}
}

func main() {
	w, err := ecssim.New(ecssim.Config{Seed: 7})
	if err != nil {
		log.Fatal(err)
	}
	timeline := report.NewTimeline(os.Stdout, w.Engine().Now(), false)
	w.Trace().Observe(timeline.Record)

	if _, err := w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")}); err != nil {
		log.Fatal(err)
	}
	register(w, "nginx:1.25")
	register(w, "nginx:1.26")
	register(w, "nginx:1.27")
	_, err = w.ECS().CreateService(&ecs.CreateServiceInput{
		Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web:1"),
		DesiredCount: api.Int32(4), LaunchType: api.String("FARGATE"),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: []string{"subnet-aaaa0001", "subnet-bbbb0002", "subnet-cccc0003"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.RunFor(5 * time.Minute); err != nil {
		log.Fatal(err)
	}
	deploy(w, "web:2", 200, 100) // at most 8 tasks; at least 4 healthy
	deploy(w, "web:3", 100, 50)  // at most 4 tasks; at least 2 healthy
}
