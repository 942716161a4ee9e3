// Package sweephtml draws the result of a sweep as one self-contained
// HTML file: per metric, on one shared axis, a strip plot per grid point
// of the value every seed gave, with p50, p90, p99 and the maximum
// marked; the seeds of the extremes with the ecssim run command that
// replays each; and the summary table, the numbers the table format of
// [sweep.Result.Write] prints.
//
// The plots are SVG written here, styled with the run report's sheet
// ([htmlreport.CSS]); the file has no script, makes no network request,
// and depends only on the result: the same sweep gives the same bytes,
// whatever the number of workers, and shards merged give the bytes of the
// whole sweep.
//
//	res, err := sweep.Run(spec, sweep.Options{})
//	err = sweephtml.Write(f, res, sweephtml.Options{Scenario: "my.yaml"})
package sweephtml
