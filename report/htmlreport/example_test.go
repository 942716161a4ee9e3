package htmlreport_test

import (
	"bytes"
	"fmt"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/report/htmlreport"
	"github.com/ecssim/ecssim/scenario"
)

// Attach a collector to the World before it runs, build the data once it
// has run, and write the page.
func Example() {
	s, err := scenario.LoadExample("circuit-breaker-rollback")
	if err != nil {
		panic(err)
	}
	var c *htmlreport.Collector
	_, err = scenario.Run(s, scenario.Options{OnWorld: func(w *ecssim.World) {
		c = htmlreport.Attach(w)
	}})
	if err != nil {
		panic(err)
	}
	data, err := c.Build(htmlreport.Options{Title: "Scenario " + s.Name, Subtitle: s.Description})
	if err != nil {
		panic(err)
	}
	var page bytes.Buffer // or a file: os.Create("report.html")
	if err := htmlreport.Write(&page, data); err != nil {
		panic(err)
	}
	svc := data.Services[0]
	fmt.Println(svc.Name, len(svc.Tasks), "tasks,", len(svc.Revisions), "revisions,", len(svc.Deployments), "deployment markers")
	// Output: demo/web 11 tasks, 2 revisions, 6 deployment markers
}
