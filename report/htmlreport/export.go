package htmlreport

// CSS returns the report's style sheet, so that other pages drawn from a
// simulation (a sweep's distributions) share its look.
func CSS() string { return css }
