package sweephtml_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ecssim/ecssim/report/sweephtml"
	"github.com/ecssim/ecssim/scenario"
	"github.com/ecssim/ecssim/sweep"
)

// ExampleWrite sweeps the circuit-breaker example and writes the page of
// its distributions.
func ExampleWrite() {
	res, err := sweep.Run(sweep.Spec{
		Name: "circuit-breaker-rollback",
		Load: func(set scenario.Settings) (*scenario.Scenario, error) {
			return scenario.LoadExampleWith("circuit-breaker-rollback", set)
		},
		Grid:  []sweep.Axis{{Name: "desired", Values: []string{"3", "6"}}},
		Seeds: sweep.SeedRange(1, 5),
	}, sweep.Options{})
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(filepath.Join(os.TempDir(), "sweep.html"))
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	// Scenario names the scenario in the page's replay commands.
	err = sweephtml.Write(f, res, sweephtml.Options{Scenario: "example:circuit-breaker-rollback"})
	fmt.Println(err)
	// Output: <nil>
}
