// Command spot runs a service on a mix of FARGATE and FARGATE_SPOT (base 2
// on-demand, then one on-demand for every three on Spot) through a day of
// Spot interruptions, and compares its cost with all on-demand.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/report"
)

const taskDefinition = `{"family":"api","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"1024","memory":"2048",
	"containerDefinitions":[{"name":"api","image":"api:1","stopTimeout":120}]}`

// run simulates a day of the service under strategy and returns its cost.
func run(strategy string, verbose bool) ecs.CostEntry {
	w, err := ecssim.New(ecssim.Config{Seed: 11})
	if err != nil {
		log.Fatal(err)
	}
	if verbose {
		timeline := report.NewTimeline(os.Stdout, w.Engine().Now(), false)
		w.Trace().Observe(timeline.Record)
	}
	calls := []struct{ action, input string }{
		{"ecs:CreateCluster", `{"clusterName":"demo","capacityProviders":["FARGATE","FARGATE_SPOT"],"defaultCapacityProviderStrategy":` + strategy + `}`},
		{"ecs:RegisterTaskDefinition", taskDefinition},
		{"ecs:CreateService", `{"cluster":"demo","serviceName":"api","taskDefinition":"api","desiredCount":10,
			"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-aaaa0001","subnet-bbbb0002","subnet-cccc0003"]}}}`},
		// On average one interruption per Spot task every ten hours.
		{"sim:SetSpotMarket", `{"interruptionsPerTaskHour":0.1}`},
	}
	for _, c := range calls {
		if _, err := w.Call(c.action, []byte(c.input)); err != nil {
			log.Fatalf("%s: %v", c.action, err)
		}
	}
	if err := w.RunFor(24 * time.Hour); err != nil {
		log.Fatal(err)
	}
	raw, err := w.Call("sim:DescribeCosts", nil)
	if err != nil {
		log.Fatal(err)
	}
	var costs ecs.DescribeCostsOutput
	if err := json.Unmarshal(raw, &costs); err != nil {
		log.Fatal(err)
	}
	for _, c := range costs.Costs {
		if c.Service == "api" {
			return c
		}
	}
	log.Fatal("no cost for the service")
	return ecs.CostEntry{}
}

func main() {
	mixed := run(`[{"capacityProvider":"FARGATE","base":2,"weight":1},{"capacityProvider":"FARGATE_SPOT","weight":3}]`, true)
	onDemand := run(`[{"capacityProvider":"FARGATE","weight":1}]`, false)
	fmt.Printf("\n24 h of 10 tasks (1 vCPU, 2 GB):\n")
	fmt.Printf("  FARGATE base 2 + FARGATE_SPOT 3:1  %7.1f task-hours  $%7.2f\n", mixed.TaskHours, mixed.USD)
	fmt.Printf("  all FARGATE                        %7.1f task-hours  $%7.2f\n", onDemand.TaskHours, onDemand.USD)
	fmt.Printf("  saving                                                 %5.1f%%\n", 100*(1-mixed.USD/onDemand.USD))
}
