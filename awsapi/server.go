package awsapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ecssim/ecssim"
	"github.com/ecssim/ecssim/api"
)

// maxBody bounds a request body: the largest ECS input (a task
// definition) is far smaller.
const maxBody = 8 << 20

// Server serves one World. It is an http.Handler.
type Server struct {
	mu    sync.Mutex
	world *ecssim.World
}

// New returns a server for w. The caller must not use w while the server
// runs, except through Do.
func New(w *ecssim.World) *Server { return &Server{world: w} }

// Do runs fn with the World locked, for callers that share it with the
// server.
func (s *Server) Do(fn func(w *ecssim.World) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.world)
}

// ServeHTTP answers AWS API calls and the /_ecssim/ control endpoints.
// An API call is routed to a simulated service by the service of its
// SigV4 credential scope, as the SDKs sign it, and answered in that
// service's protocol; a request for a service or action that is not
// simulated gets an error in the protocol the client speaks.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_ecssim/") {
		s.control(rw, r)
		return
	}
	region, signingName := credentialScope(r)
	proto := clientProtocol(r, signingName)
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		writeProtocolError(rw, proto, api.Errorf(api.CodeSerializationException,
			"the request body must be at most %d bytes", maxBody))
		return
	}
	var form url.Values
	if proto == protoQuery || proto == protoEC2 {
		if form, err = queryForm(r, body); err != nil {
			writeProtocolError(rw, proto, err)
			return
		}
	}
	target := r.Header.Get("X-Amz-Target")
	prefix, op, _ := strings.Cut(target, ".")
	svc, ok := findService(signingName, proto, prefix, form)
	if !ok {
		writeProtocolError(rw, proto, notSimulated(signingName, target, form))
		return
	}
	if region != "" && !svc.global {
		s.mu.Lock()
		want := s.world.Config().Region
		s.mu.Unlock()
		if region != want {
			writeProtocolError(rw, svc.protocol, wrongRegion(svc.protocol, region, want))
			return
		}
	}
	if svc.protocol == protoQuery || svc.protocol == protoEC2 {
		out, err := s.callQuery(svc, form)
		if err != nil {
			writeQueryError(rw, err, svc.protocol, svc.xmlns)
			return
		}
		rw.Header().Set("Content-Type", "text/xml")
		_, _ = rw.Write(out)
		return
	}
	if r.Method != http.MethodPost {
		writeError(rw, api.Errorf("InvalidAction", "AWS API calls are POST requests"))
		return
	}
	if op == "" {
		writeError(rw, api.Errorf(api.CodeUnknownOperation, "unknown X-Amz-Target %q", target))
		return
	}
	s.mu.Lock()
	out, err := s.world.Call(svc.table+":"+op, body)
	s.mu.Unlock()
	if err != nil {
		writeError(rw, err)
		return
	}
	rw.Header().Set("Content-Type", "application/x-amz-json-1.1")
	rw.Header().Set("X-Amzn-RequestId", requestID(body, op))
	_, _ = rw.Write(out)
}

// notSimulated is the error for a request no simulated service answers.
func notSimulated(signingName, target string, form url.Values) *api.Error {
	what := signingName
	switch {
	case target != "":
		what = fmt.Sprintf("%s (X-Amz-Target %.100q)", signingName, target)
	case form.Get("Action") != "":
		what = fmt.Sprintf("%s (Action %.100q, Version %.40q)", signingName, form.Get("Action"), form.Get("Version"))
	}
	if strings.TrimSpace(what) == "" {
		what = "named by this request (it is neither signed nor names an X-Amz-Target or a Query Version)"
	}
	e := api.Errorf(api.CodeUnknownOperation, "ecssim does not simulate the service %s", what)
	return e
}

// wrongRegion is the error for a request signed for a region the World
// does not simulate: AWS's own answer to a credential scoped to the wrong
// region, with the way out.
func wrongRegion(proto protocol, got, want string) *api.Error {
	code := "InvalidSignatureException"
	switch proto {
	case protoQuery:
		code = "SignatureDoesNotMatch"
	case protoEC2:
		code = "AuthFailure"
	}
	return api.Errorf(code, "Credential should be scoped to a valid region. This ecssim endpoint simulates the region %s; "+
		"the request is signed for %.40q (set the client's region to %s, or serve another region with ecssim serve --region)", want, got, want)
}

// writeProtocolError sends err in the error shape of proto.
func writeProtocolError(rw http.ResponseWriter, proto protocol, err error) {
	switch proto {
	case protoQuery, protoEC2:
		var e *api.Error
		if errors.As(err, &e) && e.Code == api.CodeUnknownOperation {
			c := *e
			c.Code = "InvalidAction"
			err = &c
		}
		writeQueryError(rw, err, proto, "")
	case protoCBOR:
		writeCBORError(rw, err)
	default:
		writeError(rw, err)
	}
}

// writeError sends an error in the JSON 1.1 shape.
func writeError(rw http.ResponseWriter, err error) {
	var e *api.Error
	if !errors.As(err, &e) {
		e = api.ServerException("%v", err)
	}
	rw.Header().Set("Content-Type", "application/x-amz-json-1.1")
	rw.Header().Set("X-Amzn-ErrorType", e.Code)
	rw.WriteHeader(e.HTTPStatus())
	b, _ := json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
	_, _ = rw.Write(b)
}

// requestID makes a request ID; it need not be random, only present.
func requestID(body []byte, op string) string {
	h := uint64(14695981039346656037)
	for _, c := range append([]byte(op), body...) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(h>>32), uint16(h>>16), uint16(h)&0xfff, uint16(h>>4)&0xfff, h&0xffffffffffff)
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
}

func (s *Server) clockLocked() clock {
	w := s.world
	return clock{Now: w.Now().Format(time.RFC3339Nano), Elapsed: w.Elapsed().Seconds(),
		Events: w.Engine().Processed(), Trace: w.Trace().Len(), Hash: w.Trace().Hash()}
}

// control serves /_ecssim/now, /_ecssim/run and /_ecssim/trace.
func (s *Server) control(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/_ecssim/now":
		s.mu.Lock()
		c := s.clockLocked()
		s.mu.Unlock()
		_ = json.NewEncoder(rw).Encode(c)
	case "/_ecssim/run":
		if r.Method != http.MethodPost {
			http.Error(rw, `{"message":"POST {\"for\":\"10m\"} or {\"until\":\"<RFC 3339>\"}"}`, http.StatusMethodNotAllowed)
			return
		}
		var req runRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
			http.Error(rw, `{"message":"the body must be {\"for\":\"10m\"} or {\"until\":\"<RFC 3339>\"}"}`, http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		err := s.runLocked(req)
		c := s.clockLocked()
		s.mu.Unlock()
		if err != nil {
			rw.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(rw).Encode(map[string]string{"message": err.Error()})
			return
		}
		_ = json.NewEncoder(rw).Encode(c)
	case "/_ecssim/trace":
		s.mu.Lock()
		defer s.mu.Unlock()
		rw.Header().Set("Content-Type", "application/x-ndjson")
		for _, rec := range s.world.Trace().Records() {
			_, _ = rw.Write(rec.Line)
			_, _ = rw.Write([]byte{'\n'})
		}
	default:
		http.NotFound(rw, r)
	}
}

func (s *Server) runLocked(req runRequest) error {
	switch {
	case req.For != "" && req.Until == "":
		d, err := time.ParseDuration(req.For)
		if err != nil || d < 0 {
			return fmt.Errorf("for must be a non-negative duration such as 10m, got %q", req.For)
		}
		return s.world.RunFor(d)
	case req.Until != "" && req.For == "":
		t, err := time.Parse(time.RFC3339Nano, req.Until)
		if err != nil {
			return fmt.Errorf("until must be an RFC 3339 time, got %q", req.Until)
		}
		if t.Before(s.world.Now()) {
			return fmt.Errorf("until %s is before now (%s)", req.Until, s.world.Now().Format(time.RFC3339))
		}
		return s.world.RunUntil(t)
	}
	return errors.New(`give exactly one of "for" and "until"`)
}

// Follow advances virtual time with the wall clock, speed virtual seconds
// per wall second, every tick, until stop is closed. It is how a served
// World keeps moving for clients that poll. The wall clock is read here,
// at the edge, never inside the model.
func (s *Server) Follow(speed float64, tick time.Duration, stop <-chan struct{}) error {
	if speed <= 0 || tick <= 0 {
		return fmt.Errorf("awsapi: speed and tick must be positive")
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	step := time.Duration(float64(tick) * speed)
	for {
		select {
		case <-stop:
			return nil
		case <-t.C:
			s.mu.Lock()
			err := s.world.RunFor(step)
			s.mu.Unlock()
			if err != nil {
				return err
			}
		}
	}
}
