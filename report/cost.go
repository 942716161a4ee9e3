package report

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ecssim/ecssim/ecs"
)

// Costs writes what a run cost, one line per cluster and per service
// (indented under its cluster), as a table after a blank line. It writes
// nothing when nothing was billed.
func Costs(w io.Writer, costs []ecs.CostEntry) error {
	billed := false
	for _, c := range costs {
		billed = billed || c.USD > 0 || c.TaskHours > 0 || c.InstanceHours > 0
	}
	if !billed {
		return nil
	}
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COST\tTASK-HOURS\tVCPU-HOURS\tGB-HOURS\tINSTANCE-HOURS\tUSD")
	for _, c := range costs {
		name := c.Cluster
		if c.Service != "" {
			name = "  " + c.Cluster + "/" + c.Service
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\n", name, c.TaskHours, c.VCPUHours, c.GBHours, c.InstanceHours, c.USD)
	}
	return tw.Flush()
}
