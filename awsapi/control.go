package awsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ecssim/ecssim"
)

// ControlPrefix is the path under which the control routes live:
//
//	GET  /_ecssim/health          {"status":"ok",...}, without waiting for the World's lock
//	GET  /_ecssim/now             the virtual clock
//	POST /_ecssim/run             {"for":"10m"} or {"until":"<RFC 3339>"}
//	GET  /_ecssim/trace           the trace so far, one JSON event a line
//	POST /_ecssim/call/<action>   any action of the table, JSON in and out
//	POST /_ecssim/reset           start over with a new World
//
// POST routes take a JSON body (Content-Type application/json, or the
// header X-Ecssim-Control: 1), and every control route answers only a Host
// that is a loopback name or address, the address the request came in on,
// or a name given to AllowHosts, so that no web page can drive a local
// server by a cross-site request or DNS rebinding.
const ControlPrefix = "/_ecssim/"

// MaxRunSpan is the most virtual time one POST /_ecssim/run may cover.
// Longer spans take several requests; each answers, so none holds the
// server for long, and a far-future "until" cannot move the clock past
// what it can represent.
const MaxRunSpan = 7 * 24 * time.Hour

// lastClock is as far as a run request may take the clock: virtual time
// is an int64 of nanoseconds from 2000, which ends in 2292.
var lastClock = time.Date(2290, 1, 1, 0, 0, 0, 0, time.UTC)

// runSlice is how much virtual time a run covers between two checks for a
// cancelled request or a reset; the World is unlocked between slices, so
// other requests are answered while a run goes on.
const runSlice = time.Minute

// maxControlBody bounds the body of a control request. A call's input
// (POST /_ecssim/call/...) may be as large as an API request's.
const maxControlBody = maxBody

// runWriteTimeout is how long a run request may take to answer, past the
// http.Server's WriteTimeout, which bounds every other answer.
const runWriteTimeout = 10 * time.Minute

// controlError answers a control request with {"__type":code,"message":msg}.
func controlError(rw http.ResponseWriter, status int, code, format string, args ...any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(map[string]string{"__type": code, "message": fmt.Sprintf(format, args...)})
}

// hostAllowed reports whether the request's Host may reach the control
// routes.
func (s *Server) hostAllowed(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		if ip.IsLoopback() {
			return true
		}
		// An address literal cannot be rebound: it is the server's own
		// address when it is the one the connection came in on.
		if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
			if tcp, ok := la.(*net.TCPAddr); ok && tcp.IP.Equal(ip) {
				return true
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hosts {
		if h == host {
			return true
		}
	}
	return false
}

// jsonRequest reports whether a POST is one a web page cannot send without
// the browser asking the server first: a JSON content type or the custom
// header.
func jsonRequest(r *http.Request) bool {
	if r.Header.Get("X-Ecssim-Control") != "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// control serves the routes under ControlPrefix.
func (s *Server) control(rw http.ResponseWriter, r *http.Request) {
	if !s.hostAllowed(r) {
		controlError(rw, http.StatusForbidden, "ForbiddenHost",
			"the control routes answer requests to a loopback Host or the server's own address, not %.100q; "+
				"allow a name with ecssim serve --allow-host", r.Host)
		return
	}
	route := strings.TrimPrefix(r.URL.Path, ControlPrefix)
	post := strings.HasPrefix(route, "call/") || route == "run" || route == "reset"
	get := route == "health" || route == "now" || route == "trace"
	switch {
	case !post && !get:
		controlError(rw, http.StatusNotFound, "NotFound", "no control route %.100s; the routes are "+
			"GET health, now, trace and POST run, reset, call/<action> under %s", r.URL.Path, ControlPrefix)
		return
	case post && r.Method != http.MethodPost, get && r.Method != http.MethodGet && r.Method != http.MethodHead:
		want := http.MethodGet
		if post {
			want = http.MethodPost
		}
		rw.Header().Set("Allow", want)
		controlError(rw, http.StatusMethodNotAllowed, "MethodNotAllowed", "%s %s takes %s", r.Method, r.URL.Path, want)
		return
	case post && !jsonRequest(r):
		controlError(rw, http.StatusUnsupportedMediaType, "UnsupportedMediaType",
			"control requests must be JSON: send Content-Type: application/json (or the header X-Ecssim-Control: 1)")
		return
	}
	var body []byte
	if post {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, maxControlBody+1))
		if err != nil {
			controlError(rw, http.StatusBadRequest, "BadRequest", "cannot read the body: %v", err)
			return
		}
		if len(body) > maxControlBody {
			controlError(rw, http.StatusRequestEntityTooLarge, "RequestTooLarge", "the body must be at most %d bytes", maxControlBody)
			return
		}
	}
	region := r.URL.Query().Get("region")
	if route == "health" {
		id := s.ident.Load()
		writeJSON(rw, map[string]string{"status": "ok", "region": id.region, "accountId": id.account})
		return
	}
	if route != "reset" {
		s.mu.Lock()
		_, err := s.worldLocked(region)
		s.mu.Unlock()
		if err != nil {
			controlError(rw, http.StatusBadRequest, "BadRequest", "region %.40q is not simulated here: %v", region, err)
			return
		}
	}
	switch {
	case route == "now":
		s.mu.Lock()
		w, _ := s.worldLocked(region)
		c := s.clockLocked(w)
		s.mu.Unlock()
		writeJSON(rw, c)
	case route == "trace":
		s.trace(rw, r, region)
	case route == "run":
		s.run(rw, r, region, body)
	case route == "reset":
		s.mu.Lock()
		w, err := s.reset()
		var c clock
		if err == nil {
			s.setWorld(w)
			s.regions = nil
			s.lastErr = ""
			s.gen++
			c = s.clockLocked(w)
		}
		s.mu.Unlock()
		if err != nil {
			controlError(rw, http.StatusInternalServerError, "ResetFailed", "cannot start over: %v", err)
			return
		}
		writeJSON(rw, c)
	default:
		s.call(rw, region, strings.TrimPrefix(route, "call/"), body)
	}
}

func writeJSON(rw http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		controlError(rw, http.StatusInternalServerError, "InternalFailure", "cannot encode the answer: %v", err)
		return
	}
	rw.Header().Set("Content-Type", "application/json")
	_, _ = rw.Write(append(b, '\n'))
}

// call runs any action of the table with its JSON input: the sim: actions
// (faults, traffic, instances) that no AWS protocol carries, and every
// other action in the JSON shapes of scenario files.
func (s *Server) call(rw http.ResponseWriter, region, action string, body []byte) {
	s.mu.Lock()
	w, _ := s.worldLocked(region)
	out, err := w.Call(action, body)
	s.mu.Unlock()
	if err != nil {
		writeError(rw, err)
		return
	}
	rw.Header().Set("Content-Type", "application/json")
	_, _ = rw.Write(out)
}

// trace writes the records kept so far. It takes the list under the lock
// and writes it after: the records are never changed once made, so a slow
// reader holds up nobody.
func (s *Server) trace(rw http.ResponseWriter, r *http.Request, region string) {
	s.mu.Lock()
	w, _ := s.worldLocked(region)
	records := w.Trace().Records()
	s.mu.Unlock()
	rw.Header().Set("Content-Type", "application/x-ndjson")
	if r.Method == http.MethodHead {
		return
	}
	for _, rec := range records {
		if _, err := rw.Write(rec.Line); err != nil {
			return
		}
		if _, err := rw.Write([]byte{'\n'}); err != nil {
			return
		}
	}
}

// runRequest is the body of POST /_ecssim/run.
type runRequest struct {
	For   string `json:"for,omitempty"`
	Until string `json:"until,omitempty"`
}

// clock is what the time endpoints answer.
type clock struct {
	Now     string  `json:"now"`
	Elapsed float64 `json:"elapsedSeconds"`
	Events  uint64  `json:"eventsProcessed"`
	Trace   int     `json:"traceEvents"`
	Hash    string  `json:"traceHash"`
	// LastError is the last error of a run that no request asked for
	// (--speed, the advance per poll); the server goes on serving.
	LastError string `json:"lastError,omitempty"`
}

func (s *Server) clockLocked(w *ecssim.World) clock {
	return clock{Now: w.Now().Format(time.RFC3339Nano), Elapsed: w.Elapsed().Seconds(),
		Events: w.Engine().Processed(), Trace: w.Trace().Len(), Hash: w.Trace().Hash(), LastError: s.lastErr}
}

const runUsage = `the body must be {"for":"10m"} or {"until":"<RFC 3339 time>"}`

// run serves POST /_ecssim/run: it advances the clock in slices, unlocking
// the World between them, and stops when the client goes away.
func (s *Server) run(rw http.ResponseWriter, r *http.Request, region string, body []byte) {
	var req runRequest
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		controlError(rw, http.StatusBadRequest, "BadRequest", "%s: %v", runUsage, err)
		return
	}
	s.mu.Lock()
	w, _ := s.worldLocked(region)
	now, gen := w.Now(), s.gen
	s.mu.Unlock()
	var span time.Duration
	switch {
	case req.For != "" && req.Until == "":
		d, err := time.ParseDuration(req.For)
		if err != nil || d < 0 {
			controlError(rw, http.StatusBadRequest, "BadRequest", "for must be a non-negative duration such as 10m, got %.60q", req.For)
			return
		}
		span = d
	case req.Until != "" && req.For == "":
		t, err := time.Parse(time.RFC3339Nano, req.Until)
		if err != nil {
			controlError(rw, http.StatusBadRequest, "BadRequest", "until must be an RFC 3339 time, got %.60q", req.Until)
			return
		}
		if t.Before(now) {
			controlError(rw, http.StatusBadRequest, "BadRequest", "until %s is before now (%s)", req.Until, now.Format(time.RFC3339Nano))
			return
		}
		if t.Sub(now) > MaxRunSpan {
			span = MaxRunSpan + 1 // Sub saturates; anything beyond the bound is refused below
		} else {
			span = t.Sub(now)
		}
	default:
		controlError(rw, http.StatusBadRequest, "BadRequest", `give exactly one of "for" and "until": %s`, runUsage)
		return
	}
	if span > MaxRunSpan {
		controlError(rw, http.StatusRequestEntityTooLarge, "RunTooLong",
			"one run request covers at most %s of virtual time; split longer runs into several requests", MaxRunSpan)
		return
	}
	if end := now.Add(span); end.After(lastClock) {
		controlError(rw, http.StatusBadRequest, "BadRequest", "the virtual clock cannot pass %s", lastClock.Format(time.RFC3339))
		return
	}
	_ = http.NewResponseController(rw).SetWriteDeadline(time.Now().Add(runWriteTimeout))
	c, err := s.runSliced(r.Context(), gen, region, now.Add(span))
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return // the client went away: nobody to answer
	case errors.Is(err, errReset):
		controlError(rw, http.StatusConflict, "Reset", "the World was reset during the run; the run stopped")
	case err != nil:
		controlError(rw, http.StatusInternalServerError, "RunFailed", "%v", err)
	default:
		writeJSON(rw, c)
	}
}

var errReset = errors.New("the World was reset")

// runSliced advances the World of region, of generation gen, to end, a
// slice at a time, and returns the clock.
func (s *Server) runSliced(ctx context.Context, gen uint64, region string, end time.Time) (clock, error) {
	for {
		if err := ctx.Err(); err != nil {
			return clock{}, err
		}
		s.mu.Lock()
		if s.gen != gen {
			s.mu.Unlock()
			return clock{}, errReset
		}
		w, err := s.worldLocked(region)
		if err != nil {
			s.mu.Unlock()
			return clock{}, err
		}
		next := w.Now().Add(runSlice)
		if next.After(end) {
			next = end
		}
		err = w.RunUntil(next)
		c := s.clockLocked(w)
		s.mu.Unlock()
		if err != nil {
			return c, err
		}
		if !next.Before(end) {
			return c, nil
		}
	}
}

// advanceForPollLocked advances the clock before a polling call, when the
// server is set to (SetPollAdvance). Errors of the run are kept for GET
// /_ecssim/now; the call is answered either way.
func (s *Server) advanceForPollLocked(w *ecssim.World, action string) {
	if s.pollAdvance <= 0 || !isPoll(action) || !w.Table().Has(action) {
		return
	}
	if err := w.RunFor(s.pollAdvance); err != nil {
		s.lastErr = err.Error()
	}
}

// isPoll reports whether an action is one that waiters and deploy scripts
// poll: a Describe, List or Get action of a service whose state moves with
// time (not STS, EC2 or the sim: actions).
func isPoll(action string) bool {
	svc, name, _ := strings.Cut(action, ":")
	switch svc {
	case "ecs", "application-autoscaling", "elbv2", "cloudwatch":
	default:
		return false
	}
	for _, p := range []string{"Describe", "List", "Get"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// Follow advances virtual time with the wall clock, speed virtual seconds
// per wall second, every tick, until stop is closed. It is how a served
// World keeps moving for clients that poll. The wall clock is read here,
// at the edge, never inside the model. An error of the World's run does
// not stop it: it is kept for GET /_ecssim/now and the clock moves on at
// the next tick. Follow returns an error only for a speed or tick that is
// not positive.
func (s *Server) Follow(speed float64, tick time.Duration, stop <-chan struct{}) error {
	if speed <= 0 || tick <= 0 {
		return fmt.Errorf("awsapi: speed and tick must be positive")
	}
	step := time.Duration(float64(tick) * speed)
	if step <= 0 || step > MaxRunSpan || float64(tick)*speed > float64(MaxRunSpan) {
		return fmt.Errorf("awsapi: speed %g moves the clock by more than %s a tick", speed, MaxRunSpan)
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return nil
		case <-t.C:
			s.mu.Lock()
			for _, w := range s.allWorldsLocked() {
				if err := w.RunFor(step); err != nil {
					s.lastErr = err.Error()
				}
			}
			s.mu.Unlock()
		}
	}
}
