package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/scenario"
)

func init() { extraCommands = append(extraCommands, newScenariosCommand) }

func newScenariosCommand() *cobra.Command {
	var export string
	cmd := &cobra.Command{
		Use:   "scenarios [NAME]",
		Short: "List the embedded example scenarios, print one, or export one with its input files",
		Long: `List the example scenarios built into ecssim, one per line; run one with
"ecssim run example:NAME". With a NAME, print that scenario's file, to read
(input files it names are not printed). With a NAME and --export DIR, write
the scenario and every input file it names into DIR, ready to run and edit:
"ecssim run DIR/NAME.yaml".`,
		Example: `  ecssim scenarios
  ecssim scenarios circuit-breaker-rollback
  ecssim scenarios target-tracking --export my-scenario`,
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
			if export != "" {
				if len(args) != 1 {
					return &exitError{code: 2, err: errors.New("--export needs the NAME of the example to export")}
				}
				if _, err := scenario.ExampleSource(args[0]); err != nil {
					return &exitError{code: 2, err: err}
				}
				written, err := scenario.ExportExample(args[0], export)
				for _, f := range written {
					fmt.Fprintln(out, "wrote", f)
				}
				if err != nil {
					return &exitError{code: 1, err: err}
				}
				_, err = fmt.Fprintf(out, "Run it with: ecssim run %s\n", written[0])
				return err
			}
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
	cmd.Flags().StringVar(&export, "export", "", "write the example NAME and its input files into this directory")
	return cmd
}
