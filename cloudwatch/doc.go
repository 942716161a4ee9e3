// Package cloudwatch simulates the part of Amazon CloudWatch that ECS
// users touch: a metric store at one-minute resolution and metric alarms
// evaluated on it, in the simulation's virtual time.
//
// Its actions are named "cloudwatch:<Action>" in the action table and take
// the service's PascalCase JSON (API version 2010-08-01): PutMetricData,
// GetMetricStatistics, GetMetricData (metric stats and metric math, see
// math.go), ListMetrics, PutMetricAlarm, DescribeAlarms,
// DescribeAlarmHistory, DeleteAlarms, SetAlarmState, EnableAlarmActions
// and DisableAlarmActions. Errors carry CloudWatch's codes
// (InvalidParameterValue, MissingParameter, InvalidParameterCombination,
// ResourceNotFound, InvalidFormat, InvalidNextToken, ValidationError).
//
// The store keeps, per metric (namespace, name, dimensions) and unit, the
// SampleCount, Sum, Minimum and Maximum of each minute, from which every
// statistic but percentiles follows. For percentiles (p0 to p100,
// nearest-rank) it also keeps the raw values of the minutes whose bucket
// cannot tell them, those holding more than one distinct value
// (percentile.go); a minute of one value needs nothing more.
// Samples become visible after a publication delay: the simulation's own
// feeds publish with theirs, through [Store.Publish] or, for the series
// they write every minute, a [Handle] and a [Minute] writer (which do
// not read each series' memory); PutMetricData with [Config.PutDelay]. A series that gets one sample a minute in one unit,
// as the feeds publish, is kept dense (8 bytes a minute, and a full
// chunk of 256 minutes that all hold one value as that value once) until
// a sample does not fit; reads see the same data either way. Pending
// samples wait in cohorts, one per instant at which they become visible
// (a feed's whole minute), with the samples of series that alarms read
// kept apart (sorted there when the cohort is flushed, for a series an
// alarm began to read since). A feed may flush with [Store.FlushBehind] and an alarm's
// evaluation with [Store.FlushFor]: they store the alarms' series at
// once and hand a large minute of the others, whole cohorts, to a second
// goroutine while the run goes on; every read and every other flush
// settles that first, and [Store.Settle] (called when a run returns)
// waits for it.
//
// An alarm watches one metric, or a metric math expression over several
// (mathalarm.go). Alarms are evaluated once a minute, on the minute, as CloudWatch
// documents it: Period, EvaluationPeriods, DatapointsToAlarm (M out of
// N), the comparison operators on a static threshold, TreatMissingData
// and an evaluation range that looks past missing datapoints (eval.go).
// A state change is recorded in the alarm's history and in the trace as a
// "CloudWatch Alarm State Change" event in EventBridge's shape, and runs
// the state's actions through handlers registered per ARN prefix
// ([CloudWatch.HandleActions]).
//
// Evaluation is cheap where nothing can tell: an alarm whose range and the
// data in it are unchanged repeats its last outcome without judging again;
// a reason the state keeps is written only when DescribeAlarms reads it;
// history entries of state changes and actions are worded when
// DescribeAlarmHistory returns them.
package cloudwatch
