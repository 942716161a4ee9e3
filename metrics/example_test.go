package metrics_test

import (
	"fmt"
	"log"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/metrics"
	"github.com/ecssim/ecssim/scenario"
)

// ExampleAttach measures one run of the nginx rolling update.
func ExampleAttach() {
	s, err := scenario.LoadExample("nginx-rolling-update")
	if err != nil {
		log.Fatal(err)
	}
	var rec *metrics.Recorder
	out, err := scenario.Run(s, scenario.Options{OnWorld: func(w *ecssim.World) { rec = metrics.Attach(w) }})
	m := rec.Result(out, err)
	fmt.Println(metrics.All[metrics.TimeToSteady].Format(m.Values[metrics.TimeToSteady]))
	// Output: 1m24s
}
