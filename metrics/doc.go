// Package metrics measures a scenario run: how long its deployments took,
// how low its running and healthy counts fell while they did, how many
// tasks failed, how often the circuit breaker tripped, how often auto
// scaling acted, how many tasks ran at once, what the run cost and
// whether its expectations held; then the metrics the scenario defines in
// its metrics block: a service's field at a time, or how many events of a
// kind the run recorded.
//
// The figures come from the trace, the events every run records, and
// from the public API (DescribeTasks, DescribeTaskDefinition,
// DescribeTargetHealth, DescribeCosts), never
// from the model's internals: they mean the same whatever the model does
// inside. `ecssim run --figures` prints them for one run; package sweep
// gathers them over many.
//
//	var rec *metrics.Recorder
//	out, err := scenario.Run(s, scenario.Options{OnWorld: func(w *ecssim.World) { rec = metrics.Attach(w, s.Metrics...) }})
//	m := rec.Result(out, err)
//	fmt.Println(m.Values[metrics.TimeToSteady])
package metrics
