package workload

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// HTTP is how an application answers HTTP requests: a load balancer's
// health checks (and the traffic routed to it). Every field is optional.
// In JSON:
//
//	{"readyAfter": "20s", "paths": {"/health": 200}, "responseTime": "5ms",
//	 "failsAfter": "exponential(2h)", "failingStatus": 503,
//	 "errorRate": 0.2, "errorStatus": 500}
type HTTP struct {
	// ReadyAfter is how long after the process starts the application
	// accepts connections (warm-up); before that, connections are
	// refused. Zero: at once.
	ReadyAfter Dist `json:"readyAfter,omitzero"`
	// Status is what every path answers, when Paths does not say; 0
	// means 200.
	Status int `json:"status,omitempty"`
	// Paths gives the status of some request paths. When set, a path not
	// listed answers 404: a load balancer checking a path the application
	// does not serve gets 404, as a wrong health-check path does in life.
	Paths map[string]int `json:"paths,omitempty"`
	// ResponseTime is how long an answer takes; a health check whose
	// answer takes its timeout or longer times out. Zero: at once.
	ResponseTime Dist `json:"responseTime,omitzero"`
	// FailsAfter, when set, makes the application answer FailingStatus
	// to every request from this long after the process started. Nil:
	// never.
	FailsAfter *Dist `json:"failsAfter,omitempty"`
	// FailingStatus is the status once failing; 0 means 503.
	FailingStatus int `json:"failingStatus,omitempty"`
	// ErrorRate is the fraction (0 to 1) of the traffic requests a healthy
	// application answers with ErrorStatus instead of its path's status:
	// a release that fails some requests but passes its health checks.
	// Health checks are not affected: they get the checked path's status
	// (give that path an error status in Paths to fail them too). Traffic
	// is counted as rates, so the errors are the expected share of the
	// requests, never a draw (docs/fidelity.md). Zero: none.
	ErrorRate float64 `json:"errorRate,omitempty"`
	// ErrorStatus is the status of those requests, 400 to 599; 0 means 500.
	ErrorStatus int `json:"errorStatus,omitempty"`
}

// Defaults of [HTTP].
const (
	DefaultHTTPStatus    = 200
	DefaultFailingStatus = 503
	// DefaultErrorStatus is what the ErrorRate share of requests answers.
	DefaultErrorStatus = 500
	// NotFoundStatus is what a path missing from HTTP.Paths answers.
	NotFoundStatus = 404
)

// StatusOf returns what the application answers on path while healthy.
func (h *HTTP) StatusOf(path string) int {
	if h == nil {
		return DefaultHTTPStatus
	}
	if h.Paths != nil {
		if s, ok := h.Paths[path]; ok {
			return s
		}
		return NotFoundStatus
	}
	if h.Status != 0 {
		return h.Status
	}
	return DefaultHTTPStatus
}

// Failing returns the status the application answers once failing.
func (h *HTTP) Failing() int {
	if h == nil || h.FailingStatus == 0 {
		return DefaultFailingStatus
	}
	return h.FailingStatus
}

// Error returns the status of the ErrorRate share of requests.
func (h *HTTP) Error() int {
	if h == nil || h.ErrorStatus == 0 {
		return DefaultErrorStatus
	}
	return h.ErrorStatus
}

var httpFields = []string{"readyAfter", "status", "paths", "responseTime", "failsAfter", "failingStatus", "errorRate", "errorStatus"}

// Validate reports whether every status is an HTTP status (100 to 599)
// and every path begins with "/", errorRate is a fraction from 0 to 1 and
// errorStatus an error status (400 to 599).
func (h HTTP) Validate() error {
	if !(h.ErrorRate >= 0 && h.ErrorRate <= 1) { // also rejects NaN
		return fmt.Errorf("http.errorRate %v is not a fraction; want 0 to 1", h.ErrorRate)
	}
	if s := h.ErrorStatus; s != 0 && (s < 400 || s > 599) {
		return fmt.Errorf("http.errorStatus %d is not an error status; want 400 to 599", s)
	}
	check := func(name string, s int) error {
		if s != 0 && (s < 100 || s > 599) {
			return fmt.Errorf("http.%s %d is not an HTTP status; want 100 to 599", name, s)
		}
		return nil
	}
	if err := errors.Join(check("status", h.Status), check("failingStatus", h.FailingStatus)); err != nil {
		return err
	}
	paths := make([]string, 0, len(h.Paths))
	for p := range h.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("http.paths: %q does not begin with /", p)
		}
		if s := h.Paths[p]; s < 100 || s > 599 {
			return fmt.Errorf("http.paths[%q] %d is not an HTTP status; want 100 to 599", p, s)
		}
	}
	return nil
}

// UnmarshalJSON decodes an HTTP behaviour, rejecting unknown or misspelt
// fields by their exact names.
func (h *HTTP) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("http must be a JSON object: %w", err)
	}
	var unknown []string
	for k := range raw {
		if !slices.Contains(httpFields, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("http: unknown field %s; known fields are %s", quoteAll(unknown), strings.Join(httpFields, ", "))
	}
	var v HTTP
	targets := []any{&v.ReadyAfter, &v.Status, &v.Paths, &v.ResponseTime, &v.FailsAfter, &v.FailingStatus, &v.ErrorRate, &v.ErrorStatus}
	for i, name := range httpFields {
		m, ok := raw[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(m, targets[i]); err != nil {
			return fmt.Errorf("http.%s: %w", name, err)
		}
	}
	if err := v.Validate(); err != nil {
		return err
	}
	*h = v
	return nil
}

func (h *HTTP) clone() *HTTP {
	if h == nil {
		return nil
	}
	c := *h
	if h.FailsAfter != nil {
		d := *h.FailsAfter
		c.FailsAfter = &d
	}
	if h.Paths != nil {
		c.Paths = make(map[string]int, len(h.Paths))
		for k, v := range h.Paths {
			c.Paths[k] = v
		}
	}
	return &c
}
