package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// exitError carries a process exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line args and returns the exit code; tests call
// it directly.
func execute(args []string, stdout, stderr io.Writer) int {
	root := newRootCommand(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "ecssim:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "ecssim:", err)
	return 2
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "ecssim",
		Short:         "A deterministic simulator of Amazon ECS",
		Long:          "ecssim simulates Amazon ECS clusters, tasks and services in virtual time:\nplacement, rollouts, health checks and scaling, with no AWS account and no waiting.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newRunCommand())
	addExtraCommands(root)
	return root
}

// extraCommands are added by other files of this package (validate, ...).
var extraCommands []func() *cobra.Command

func addExtraCommands(root *cobra.Command) {
	for _, mk := range extraCommands {
		root.AddCommand(mk())
	}
}
