// Package sim is the discrete-event engine under ecssim.
//
// It owns virtual time, the event queue, seeded random streams and the trace,
// and knows nothing of ECS. Everything a simulation does happens inside an
// event handler that the Engine calls; only the Engine advances time.
//
// # Time
//
// [Time] is an integer count of nanoseconds since [Epoch] (2000-01-01 UTC).
// Intervals are ordinary [time.Duration] values. Conversion to [time.Time]
// happens only at the edges: in traces, API timestamps and printed output.
//
// # Order
//
// Events are totally ordered by (time, sequence number), where the sequence
// number is assigned when the event is scheduled. Two events due at the same
// instant therefore run in the order they were scheduled, whichever queue
// holds them. Nothing depends on heap or sort stability.
//
// # Queues
//
// Irregular events live in a radix heap, which relies on what a simulation
// clock guarantees: nothing is scheduled before now. Events are bucketed by
// the highest 8-bit digit in which their time differs from a pivot (the
// time of a recent event), so the next event is found with a bitmap lookup,
// and an event is copied to a lower bucket a few times (at most once per
// digit; two or three times for delays of seconds) before it runs. Queue
// entries carry their handler, so running one needs no other lookup. Events
// due later than everything in the radix heap wait in an unsorted list and
// join it in bulk. Periodic work (health checks, metric samples) is better served by
// a [Lane]: a FIFO for one fixed period. Every event added to a lane is due
// at now+period, and now never goes back, so a lane is sorted by
// construction and costs O(1) per event with no bucketing at all. The engine
// picks the earliest head among the radix heap and its lanes.
//
// Handlers are either closures ([Engine.Schedule], [Engine.After]) or a
// long-lived [Action] with a small argument ([Engine.ScheduleArg],
// [Lane.Add]); the second form does not allocate, which matters on hot paths
// where a closure per event would cost as much as the queue operation itself.
//
// # Cancellation
//
// Every scheduled event returns a [Timer]. Cancelling it frees its slot at
// once; the stale queue entry is skipped when it surfaces, and the radix heap
// is compacted whenever stale entries outnumber live ones, so cancellation
// never leaks memory. A cancelled lane entry is dropped when it reaches the
// head of its lane, within one period.
//
// # Trace
//
// Every event a model records goes through the engine's [Trace], which
// writes it as one canonical JSON line and keeps a running 64-bit xxHash
// of the lines: equal hashes mean identical traces. By default the trace
// keeps its records; long runs turn that off ([Trace.Keep]) and read
// events through observers. When nothing reads lines (records not kept,
// every observer registered with [Trace.ObserveEvents]), the lines are
// written and hashed on a second goroutine while a run goes on, in record
// order, and the run waits for it before returning: the hash is the same,
// and a machine's second core takes the trace's share of a long run.
// Models that reuse an event's detail mark it [Event.Deferred] only when
// they keep it unchanged until [Trace.Encoded] passes its record.
//
// # Randomness
//
// [Engine.Rand] derives an independent PCG stream from the engine seed and a
// stream name, so adding a draw in one component never perturbs another.
// The helpers in ids.go turn draws into identifiers shaped like AWS's.
package sim
