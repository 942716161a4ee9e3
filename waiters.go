package ecssim

import (
	"errors"
	"fmt"
	"time"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/ecs"
)

// Waiters poll in simulated time exactly as the AWS SDK and CLI waiters
// poll: a describe call every Delay, at most MaxAttempts times, each
// answer checked against the acceptors of the AWS waiter definition
// (botocore ecs waiters-2.json). The clock advances between polls, so
// the time a waiter returns at is the time a real waiter would see.

// WaiterOptions overrides a waiter's polling. Zero fields keep the AWS
// defaults.
type WaiterOptions struct {
	Delay       time.Duration
	MaxAttempts int
}

// ErrWaiterFailed is returned (wrapped) when a waiter's failure acceptor
// matched: a service went missing or draining, a task stopped.
var ErrWaiterFailed = errors.New("waiter entered a failure state")

// ErrWaiterTimeout is returned (wrapped) when a waiter exhausted its
// attempts.
var ErrWaiterTimeout = errors.New("max attempts exceeded")

type acceptor int

const (
	retry acceptor = iota
	success
	failure
)

func (o WaiterOptions) with(delay time.Duration, attempts int) WaiterOptions {
	if o.Delay <= 0 {
		o.Delay = delay
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = attempts
	}
	return o
}

func (w *World) wait(name string, o WaiterOptions, poll func() (acceptor, error)) error {
	for attempt := 1; ; attempt++ {
		state, err := poll()
		if err != nil {
			return fmt.Errorf("waiter %s: %w", name, err)
		}
		switch state {
		case success:
			return nil
		case failure:
			return fmt.Errorf("waiter %s: %w", name, ErrWaiterFailed)
		}
		if attempt >= o.MaxAttempts {
			return fmt.Errorf("waiter %s: %w after %d attempts", name, ErrWaiterTimeout, attempt)
		}
		if err := w.RunFor(o.Delay); err != nil {
			return err
		}
	}
}

// WaitServicesStable runs the simulation until every named service has
// one deployment and runningCount == desiredCount (the ServicesStable
// waiter: every 15 s, 40 attempts; fails on MISSING, DRAINING, INACTIVE).
func (w *World) WaitServicesStable(cluster string, services []string, o WaiterOptions) error {
	o = o.with(15*time.Second, 40)
	return w.wait("ServicesStable", o, func() (acceptor, error) {
		out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(cluster), Services: services})
		if err != nil {
			return retry, err
		}
		if len(out.Failures) > 0 {
			return failure, nil
		}
		stable := true
		for _, s := range out.Services {
			if s.Status == ecs.ServiceDraining || s.Status == ecs.ServiceInactive {
				return failure, nil
			}
			if len(s.Deployments) != 1 || s.RunningCount != s.DesiredCount {
				stable = false
			}
		}
		if stable {
			return success, nil
		}
		return retry, nil
	})
}

// WaitServicesInactive runs until every named service is INACTIVE.
func (w *World) WaitServicesInactive(cluster string, services []string, o WaiterOptions) error {
	o = o.with(15*time.Second, 40)
	return w.wait("ServicesInactive", o, func() (acceptor, error) {
		out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(cluster), Services: services})
		if err != nil {
			return retry, err
		}
		if len(out.Failures) > 0 {
			return failure, nil
		}
		for _, s := range out.Services {
			if s.Status == ecs.ServiceInactive {
				return success, nil
			}
		}
		return retry, nil
	})
}

// WaitTasksRunning runs until every named task is RUNNING (the
// TasksRunning waiter: every 6 s, 100 attempts; fails when one is STOPPED
// or MISSING).
func (w *World) WaitTasksRunning(cluster string, tasks []string, o WaiterOptions) error {
	o = o.with(6*time.Second, 100)
	return w.wait("TasksRunning", o, func() (acceptor, error) {
		out, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String(cluster), Tasks: tasks})
		if err != nil {
			return retry, err
		}
		all := len(out.Tasks) > 0
		for _, t := range out.Tasks {
			if t.LastStatus == ecs.StatusStopped {
				return failure, nil
			}
			if t.LastStatus != ecs.StatusRunning {
				all = false
			}
		}
		if len(out.Failures) > 0 {
			return failure, nil
		}
		if all {
			return success, nil
		}
		return retry, nil
	})
}

// WaitTasksStopped runs until every named task is STOPPED (the
// TasksStopped waiter: every 6 s, 100 attempts).
func (w *World) WaitTasksStopped(cluster string, tasks []string, o WaiterOptions) error {
	o = o.with(6*time.Second, 100)
	return w.wait("TasksStopped", o, func() (acceptor, error) {
		out, err := w.ECS().DescribeTasks(&ecs.DescribeTasksInput{Cluster: api.String(cluster), Tasks: tasks})
		if err != nil {
			return retry, err
		}
		for _, t := range out.Tasks {
			if t.LastStatus != ecs.StatusStopped {
				return retry, nil
			}
		}
		if len(out.Tasks) == 0 {
			return retry, nil
		}
		return success, nil
	})
}

// WaitDeployment runs the simulation until the named service's PRIMARY
// deployment has finished rolling out, its rolloutState COMPLETED or
// FAILED, and returns that deployment. This is the end of a deployment
// that `aws ecs wait services-stable` only approximates: a service can be
// stable (one deployment, runningCount == desiredCount) while its rollout
// is still IN_PROGRESS, and only a deployment that COMPLETED is one the
// circuit breaker can roll back to.
//
// When the circuit breaker rolls a deployment back, the deployment that
// failed turns FAILED and a new PRIMARY deployment of the last completed
// task definition starts at once; WaitDeployment then returns when that
// rollback ends, by which time the failed deployment has drained away. So
// a returned deployment whose TaskDefinition is not the one deployed, or
// whose RolloutState is FAILED, tells that the deployment did not succeed.
//
// AWS has no waiter for this; it polls like the ECS waiters do, with
// DescribeServices every 15 s, by default at most 240 times (one hour),
// and fails when the service is MISSING, DRAINING or INACTIVE. Services
// not deployed by ECS (the CODE_DEPLOY and EXTERNAL controllers) have no
// rolloutState and time out.
func (w *World) WaitDeployment(cluster, service string, o WaiterOptions) (ecs.Deployment, error) {
	o = o.with(15*time.Second, 240)
	var primary ecs.Deployment
	err := w.wait("DeploymentComplete", o, func() (acceptor, error) {
		out, err := w.ECS().DescribeServices(&ecs.DescribeServicesInput{Cluster: api.String(cluster), Services: []string{service}})
		if err != nil {
			return retry, err
		}
		if len(out.Failures) > 0 || len(out.Services) == 0 {
			return failure, nil
		}
		s := out.Services[0]
		if s.Status == ecs.ServiceDraining || s.Status == ecs.ServiceInactive {
			return failure, nil
		}
		for _, d := range s.Deployments {
			if d.Status != ecs.DeploymentPrimary {
				continue
			}
			if d.RolloutState == ecs.RolloutCompleted || d.RolloutState == ecs.RolloutFailed {
				primary = d
				return success, nil
			}
		}
		return retry, nil
	})
	return primary, err
}
