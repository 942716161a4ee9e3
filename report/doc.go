// Package report turns a run's trace into what people and pipelines read:
//
//   - [Timeline]: one line per meaningful event, in simulated time, worded
//     like the ECS console's Events tab ("(service web) has reached a
//     steady state.") with readable lines for task and deployment state
//     changes;
//   - [EventWriter]: the trace as JSON lines, each an EventBridge-shaped
//     event (version, id, detail-type, source, account, time, region,
//     resources, detail);
//   - [Stats] and its summary table: per service, the counts at the end,
//     tasks started and failed, and when the service reached steady state.
//
// Each consumes [sim.Record] values, typically registered with
// (*sim.Trace).Observe while a World runs. The package reads traces and
// the ECS API shapes; it imports no model behaviour, so the same code
// formats a live run and a recorded one.
package report
