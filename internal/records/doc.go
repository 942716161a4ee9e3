// Package records reads what the readers of a trace need from its
// records: a record's detail as the model's type, and the names inside
// the ARNs that records carry. The text report, the HTML report and the
// run metrics share it, so all of them read a trace the same way.
package records
