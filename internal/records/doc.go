// Package records reads what the report packages need from trace records:
// a record's detail as the model's type, and the names inside the ARNs
// that records carry. The text report and the HTML report share it, so
// both read a trace the same way.
package records
