// Package htmlreport draws a run as one self-contained HTML file: per
// service, on one shared time axis with zoom, the task counts stacked by
// task definition revision with the deployments marked, a Gantt chart of
// the tasks, CPU and memory utilization against the target tracking
// target with the scaling activities, the load balancer targets' health
// and requests per target; then the alarms' states, the EC2 instances and
// what their tasks reserve, the cost per service, the expectations and
// the service events in ECS's words.
//
// The charts are SVG written here, with a short inline script for
// tooltips, zoom and linking an event to its time: the file makes no
// network request and needs no third-party code. The output depends only
// on the run: the same run gives the same bytes.
//
// Use [Attach] before a World runs and [Collector.Build] after, then
// [Write]:
//
//	c := htmlreport.Attach(w)
//	// … run the World …
//	data, err := c.Build(htmlreport.Options{Title: "my run"})
//	err = htmlreport.Write(f, data)
//
// Long runs are downsampled so that the file stays small; see [Write].
package htmlreport
