package scenario_test

import (
	"fmt"
	"log"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sim"
)

// Load a scenario file, run it, and look at its expectations and trace.
func ExampleRun() {
	path := "examples/nginx-rolling-update.yaml"
	records := 0
	s, err := scenario.Load(path) // err is a scenario.ErrorList
	if err != nil {
		log.Fatal(err)
	}
	out, err := scenario.Run(s, scenario.Options{
		OnWorld: func(w *ecssim.World) { w.Trace().Observe(func(r sim.Record) { records++ }) },
	})
	if err != nil { // a *scenario.StepError, or the engine's error
		log.Fatal(err)
	}
	for _, f := range out.Failures() {
		fmt.Println(f)
	}
	fmt.Println(len(out.Failures()), "expectations failed;", records == out.World.Trace().Len())
	// Output:
	// 0 expectations failed; true
}
