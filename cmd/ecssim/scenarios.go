package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/scenario"
)

func init() { extraCommands = append(extraCommands, newScenariosCommand) }

func newScenariosCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios [NAME]",
		Short: "List the embedded example scenarios, or print one",
		Long: `List the example scenarios built into ecssim, one per line; run one with
"ecssim run example:NAME". With a NAME, print that scenario's file, to read
or to copy and edit (input files it names are not printed).`,
		Example: `  ecssim scenarios
  ecssim scenarios circuit-breaker-rollback > my-scenario.yaml`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, ex := range scenario.Examples() {
				names = append(names, ex.Name+"\t"+ex.Description)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if len(args) == 1 {
				src, err := scenario.ExampleSource(args[0])
				if err != nil {
					return &exitError{code: 2, err: err}
				}
				_, err = out.Write(src)
				return err
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			for _, ex := range scenario.Examples() {
				name := scenario.ExamplePrefix + ex.Name
				if ex.Name == scenario.DefaultExample {
					name += " (default)"
				}
				fmt.Fprintf(tw, "%s\t%s\n", name, ex.Description)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err := fmt.Fprintln(out, "\nRun one with: ecssim run example:NAME")
			return err
		},
	}
}
