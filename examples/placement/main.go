// Command placement shows where ECS puts the tasks of a service on EC2
// under each placement strategy: six m5.large instances, two per
// Availability Zone, and a service of eight 1 GiB tasks.
package main

import (
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

type strategy struct {
	name       string
	strategies []ecs.PlacementStrategy
}

func s(typ, field string) ecs.PlacementStrategy {
	p := ecs.PlacementStrategy{Type: api.String(typ)}
	if field != "" {
		p.Field = api.String(field)
	}
	return p
}

var strategies = []strategy{
	{"default (AZ balanced)", nil},
	{"binpack(memory)", []ecs.PlacementStrategy{s("binpack", "memory")}},
	{"spread(instanceId)", []ecs.PlacementStrategy{s("spread", "instanceId")}},
	{"spread(AZ), binpack(memory)", []ecs.PlacementStrategy{s("spread", "attribute:ecs.availability-zone"), s("binpack", "memory")}},
	{"random", []ecs.PlacementStrategy{s("random", "")}},
}

func main() {
	for _, st := range strategies {
		fmt.Printf("%s\n%s\n", st.name, strings.Repeat("-", len(st.name)))
		show(run(st.strategies))
		fmt.Println()
	}
}

// run places the service with the given strategies and returns, per
// instance, its zone and how many tasks it runs.
func run(strategies []ecs.PlacementStrategy) []row {
	w, err := ecssim.New(ecssim.Config{Seed: 2})
	if err != nil {
		log.Fatal(err)
	}
	c := w.ECS()
	must(c.CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")}))
	must(c.LaunchInstances(&ecs.LaunchInstancesInput{Cluster: api.String("demo"), InstanceType: api.String("m5.large"), Count: api.Int32(6)}))
	if err := w.RunFor(2 * time.Minute); err != nil { // the instances boot and register
		log.Fatal(err)
	}
	must(w.Call("ecs:RegisterTaskDefinition", []byte(`{"family":"web","requiresCompatibilities":["EC2"],
		"containerDefinitions":[{"name":"web","image":"nginx:1.25","cpu":256,"memoryReservation":1024,"portMappings":[{"containerPort":80,"hostPort":0}]}]}`)))
	must(c.CreateService(&ecs.CreateServiceInput{Cluster: api.String("demo"), ServiceName: api.String("web"), TaskDefinition: api.String("web"),
		DesiredCount: api.Int32(8), LaunchType: api.String("EC2"), PlacementStrategy: strategies}))
	if err := w.WaitServicesStable("demo", []string{"web"}, ecssim.WaiterOptions{}); err != nil {
		log.Fatal(err)
	}
	list := must(c.ListContainerInstances(&ecs.ListContainerInstancesInput{Cluster: api.String("demo")}))
	insts := must(c.DescribeContainerInstances(&ecs.DescribeContainerInstancesInput{Cluster: api.String("demo"), ContainerInstances: list.ContainerInstanceArns}))
	var rows []row
	for _, in := range insts.ContainerInstances {
		r := row{instance: in.Ec2InstanceId, tasks: int(in.RunningTasksCount)}
		for _, a := range in.Attributes {
			if *a.Name == "ecs.availability-zone" {
				r.zone = *a.Value
			}
		}
		for _, res := range in.RemainingResources {
			if res.Name == "MEMORY" {
				r.freeMiB = int(res.IntegerValue)
			}
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.zone+a.instance, b.zone+b.instance) })
	return rows
}

type row struct {
	zone, instance string
	tasks, freeMiB int
}

func show(rows []row) {
	fmt.Printf("  %-11s %-20s %-8s %s\n", "ZONE", "INSTANCE", "TASKS", "FREE MEMORY")
	for _, r := range rows {
		fmt.Printf("  %-11s %-20s %-8s %d MiB\n", r.zone, r.instance, strings.Repeat("#", r.tasks)+strings.Repeat(".", max(0, 8-r.tasks)), r.freeMiB)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
