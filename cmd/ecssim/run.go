package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

func newRunCommand() *cobra.Command {
	var seed uint64
	var duration time.Duration
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run a simulation",
		Example: `  ecssim run
  ecssim run --seed 7 --duration 1h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := ecssim.New(ecssim.Config{Seed: seed})
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			out := cmd.OutOrStdout()
			c, err := w.ECS().CreateCluster(&ecs.CreateClusterInput{ClusterName: api.String("demo")})
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			fmt.Fprintf(out, "%s  created cluster %s (%s)\n", w.Elapsed(), c.Cluster.ClusterName, c.Cluster.ClusterArn)
			if err := w.RunFor(duration); err != nil {
				return &exitError{code: 1, err: err}
			}
			fmt.Fprintf(out, "%s  simulated %s; %d events processed, trace %d events, hash %s\n",
				w.Elapsed(), duration, w.Engine().Processed(), w.Trace().Len(), w.Trace().Hash()[:16])
			return nil
		},
	}
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of every random stream")
	cmd.Flags().DurationVar(&duration, "duration", 10*time.Minute, "how much virtual time to simulate")
	return cmd
}
