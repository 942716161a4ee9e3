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
	out, err := scenario.Run(s, scenario.Options{OnWorld: func(w *ecssim.World) { rec = metrics.Attach(w, s.Metrics...) }})
	m := rec.Result(out, err)
	for i, metric := range m.Metrics[:3] {
		fmt.Println(metric.Name, metric.Format(m.Values[i]))
	}
	// Output:
	// time_to_steady 1m24s
	// deploy_time 1m24s
	// min_running 3
}
