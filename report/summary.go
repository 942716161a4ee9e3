package report

import (
	"fmt"
	"github.com/ecssim/ecssim/internal/records"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ecssim/ecssim/ecs"
	"github.com/ecssim/ecssim/sim"
)

// Stats gathers per-service figures from a trace: tasks started and
// failed, when the latest deployment began and when the service last
// reached a steady state. Register its Record method with
// (*sim.Trace).Observe.
type Stats struct {
	start    sim.Time
	services map[string]*ServiceStats // by service ARN
}

// ServiceStats is what a trace tells of one service.
type ServiceStats struct {
	// Started counts the service's tasks that were launched.
	Started int
	// Failed counts the service's tasks that stopped for a reason of
	// their own: they failed to start, an essential container exited,
	// they failed health checks, or their infrastructure went away. Tasks
	// that the scheduler stopped to scale in or finish a deployment, and
	// tasks stopped by a user, do not count.
	Failed int
	// DeployedAt is when the latest deployment began, not counting the
	// rollbacks that the circuit breaker starts; zero if none.
	DeployedAt sim.Time
	// SettledAt is when the service first reached a steady state after
	// DeployedAt; zero if it has not.
	SettledAt sim.Time
	// SteadyAt is when the service last reached a steady state; zero if
	// never.
	SteadyAt sim.Time
}

// NewStats returns empty stats, with times counted from start.
func NewStats(start sim.Time) *Stats {
	return &Stats{start: start, services: map[string]*ServiceStats{}}
}

// Service returns the figures of the service with the given ARN, or nil.
func (s *Stats) Service(arn string) *ServiceStats { return s.services[arn] }

func (s *Stats) of(arn string) *ServiceStats {
	st := s.services[arn]
	if st == nil {
		st = &ServiceStats{}
		s.services[arn] = st
	}
	return st
}

// Record takes one trace record into account.
func (s *Stats) Record(r sim.Record) {
	switch r.Type {
	case ecs.EventTaskStateChange:
		d, ok := records.Detail[ecs.TaskStateChange](r)
		if !ok {
			return
		}
		arn := records.ServiceARN(d.ClusterArn, d.Group)
		if arn == "" {
			return
		}
		switch {
		case d.Version == 1:
			s.of(arn).Started++
		case d.LastStatus == ecs.StatusStopped && failed(d):
			s.of(arn).Failed++
		}
	case ecs.EventDeploymentStateChange:
		d, ok := records.Detail[ecs.DeploymentStateChange](r)
		if !ok || len(r.Resources) == 0 {
			return
		}
		if d.EventName == "SERVICE_DEPLOYMENT_IN_PROGRESS" && !strings.Contains(d.Reason, "circuit breaker") {
			st := s.of(r.Resources[0])
			st.DeployedAt, st.SettledAt = r.Time, 0
		}
	case ecs.EventServiceAction:
		d, ok := records.Detail[ecs.ServiceAction](r)
		if !ok || len(r.Resources) == 0 {
			return
		}
		if d.EventName == "SERVICE_STEADY_STATE" {
			st := s.of(r.Resources[0])
			st.SteadyAt = r.Time
			if st.SettledAt == 0 {
				st.SettledAt = r.Time
			}
		}
	}
}

// failed reports whether a stopped task stopped for a reason of its own.
func failed(d ecs.TaskStateChange) bool {
	switch d.StopCode {
	case ecs.StopUserInitiated:
		return false
	case ecs.StopServiceSchedulerInitiated:
		return strings.Contains(d.StoppedReason, "health check")
	}
	return true
}

// steady reports whether a service is at a steady state: ACTIVE, one
// deployment, COMPLETED, running == desired and nothing pending.
func steady(s ecs.Service) bool {
	return s.Status == ecs.ServiceActive && len(s.Deployments) == 1 &&
		s.Deployments[0].RolloutState == ecs.RolloutCompleted &&
		s.RunningCount == s.DesiredCount && s.PendingCount == 0
}

// Summary writes a table with one row per service: its counts at the
// end (from svcs, as DescribeServices returns them) and what the trace
// told of it:
//
//	SERVICE     STATUS  DESIRED  RUNNING  PENDING  DEPLOYMENTS  ROLLOUT    STARTED  FAILED  STEADY AT  TIME TO STEADY
//	demo/nginx  ACTIVE  3        3        0        1            COMPLETED  6        0       0:11:28    1m28s
//
// ROLLOUT is the primary deployment's rollout state. STEADY AT is when
// the service last reached a steady state, "-" when it is not at one at
// the end. TIME TO STEADY runs from the start of the latest deployment (a
// circuit-breaker rollback counts as part of the deployment it undoes) to
// the first steady state after it.
func (s *Stats) Summary(w io.Writer, svcs []ecs.Service) error {
	if len(svcs) == 0 {
		_, err := fmt.Fprintln(w, "No services.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tSTATUS\tDESIRED\tRUNNING\tPENDING\tDEPLOYMENTS\tROLLOUT\tSTARTED\tFAILED\tSTEADY AT\tTIME TO STEADY")
	for _, svc := range svcs {
		st := s.services[svc.ServiceArn]
		if st == nil {
			st = &ServiceStats{}
		}
		rollout := "-"
		for _, d := range svc.Deployments {
			if d.Status == ecs.DeploymentPrimary && d.RolloutState != "" {
				rollout = d.RolloutState
			}
		}
		steadyAt, toSteady := "-", "-"
		if steady(svc) && st.SteadyAt != 0 {
			steadyAt = st.SteadyAt.Clock(s.start)
		}
		if st.DeployedAt != 0 && st.SettledAt != 0 {
			toSteady = shortDuration(st.SettledAt.Sub(st.DeployedAt))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%d\t%d\t%s\t%s\n",
			records.ServiceName(svc.ServiceArn), svc.Status, svc.DesiredCount, svc.RunningCount, svc.PendingCount,
			len(svc.Deployments), rollout, st.Started, st.Failed, steadyAt, toSteady)
	}
	return tw.Flush()
}

// shortDuration prints d to the second, truncated like the clock of the
// timeline: "1m28s", "2h0m5s", "45s".
func shortDuration(d time.Duration) string {
	d = d.Truncate(time.Second)
	if d < time.Minute {
		return strconv.Itoa(int(d/time.Second)) + "s"
	}
	return d.String()
}
