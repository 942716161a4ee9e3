package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/awsapi"
)

func init() { extraCommands = append(extraCommands, newServeCommand) }

// serveContext, when set, replaces the signal context: tests stop the
// server through it.
var serveContext func() (context.Context, context.CancelFunc)

// serveListening, when set, is told the address once the server listens.
var serveListening func(addr string)

func newServeCommand() *cobra.Command {
	var addr string
	var seed uint64
	var speed float64
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve a simulated ECS to the AWS SDKs and the aws CLI",
		Long: `serve answers the ECS API in the AWS JSON 1.1 protocol on an HTTP address, so
that the aws CLI, the AWS SDKs and deploy tools work against a simulation:
point their endpoint at it and give them any credentials.

Virtual time moves only when asked: POST /_ecssim/run {"for":"10m"}; GET
/_ecssim/now tells the time and GET /_ecssim/trace the events. With --speed,
virtual time follows the wall clock instead (--speed 60: a simulated minute a
second), so that pollers such as "aws ecs wait services-stable" see it move.`,
		Example: `  ecssim serve --addr 127.0.0.1:4599 --speed 60 &
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  aws --endpoint-url http://127.0.0.1:4599 ecs create-cluster --cluster-name demo
  curl -s -X POST http://127.0.0.1:4599/_ecssim/run -d '{"for":"5m"}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if speed < 0 {
				return &exitError{code: 2, err: fmt.Errorf("--speed must not be negative")}
			}
			w, err := ecssim.New(ecssim.Config{Seed: seed})
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			srv := awsapi.New(w)
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			if serveContext != nil {
				ctx, stop = serveContext()
			}
			defer stop()
			fmt.Fprintf(cmd.OutOrStdout(), "ecssim: serving ECS on http://%s (seed %d, %s)\n", ln.Addr(), seed, speedText(speed))
			if serveListening != nil {
				serveListening(ln.Addr().String())
			}
			done := make(chan struct{})
			follow := make(chan error, 1)
			if speed > 0 {
				go func() { follow <- srv.Follow(speed, 100*time.Millisecond, done) }()
			}
			serveErr := make(chan error, 1)
			go func() { serveErr <- hs.Serve(ln) }()
			select {
			case <-ctx.Done():
			case err = <-serveErr:
			case err = <-follow:
			}
			close(done)
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = hs.Shutdown(shutdown)
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				return &exitError{code: 1, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:4599", "address to listen on")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of every random stream")
	cmd.Flags().Float64Var(&speed, "speed", 0, "virtual seconds per wall second; 0 moves time only on request")
	return cmd
}

func speedText(speed float64) string {
	if speed == 0 {
		return "time moves on POST /_ecssim/run"
	}
	return fmt.Sprintf("%gx the wall clock", speed)
}
