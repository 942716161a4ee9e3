package awsapi

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
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
	// gen counts resets, so that a run in slices notices one.
	gen uint64
	// reset makes the World that POST /_ecssim/reset starts over with.
	reset func() (*ecssim.World, error)
	// pollAdvance is the virtual time each polling call advances.
	pollAdvance time.Duration
	// lastErr is the last error of a run not asked for by a request
	// (Follow, pollAdvance), for GET /_ecssim/now.
	lastErr string
	// hosts are the extra Host names the control routes accept.
	hosts []string
	// regions are the Worlds of the other regions served (ServeRegions),
	// made by regionWorld.
	regions     map[string]*ecssim.World
	regionWorld func(region string) (*ecssim.World, error)
	// ident is the World's region and account, readable without waiting
	// for the World's lock (a run may hold it for a slice).
	ident atomic.Pointer[identity]
}

// identity is the region and account a World simulates.
type identity struct{ region, account string }

// setWorld makes w the World served. The caller holds s.mu, or is New.
func (s *Server) setWorld(w *ecssim.World) {
	s.world = w
	cfg := w.Config()
	s.ident.Store(&identity{region: cfg.Region, account: cfg.AccountID})
}

// New returns a server for w. The caller must not use w while the server
// runs, except through Do. POST /_ecssim/reset replaces w with a World
// made from w's Config; SetReset changes that.
func New(w *ecssim.World) *Server {
	cfg := w.Config()
	s := &Server{reset: func() (*ecssim.World, error) { return ecssim.New(cfg) }}
	s.setWorld(w)
	return s
}

// SetReset sets how POST /_ecssim/reset makes the World it starts over
// with, for servers whose World was set up beyond its Config (a
// scenario's steps made). The function runs with the server locked.
func (s *Server) SetReset(fn func() (*ecssim.World, error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset = fn
}

// SetPollAdvance makes every polling API call (a Describe, List or Get
// action of ECS, Application Auto Scaling or ELBv2) first advance virtual
// time by d, so that waiters such as `aws ecs wait services-stable` see
// the world move without a wall clock: the time a script sees depends only
// on the calls it makes. Zero turns it off. d must lie in [0, MaxRunSpan].
func (s *Server) SetPollAdvance(d time.Duration) error {
	if d < 0 || d > MaxRunSpan {
		return fmt.Errorf("awsapi: the advance per poll must lie between 0 and %s, got %s", MaxRunSpan, d)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pollAdvance = d
	return nil
}

// AllowHosts adds Host names (such as a container's name, "ecssim") that
// the control routes accept besides loopback names and addresses and the
// address the request came in on.
func (s *Server) AllowHosts(hosts ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range hosts {
		s.hosts = append(s.hosts, strings.ToLower(h))
	}
}

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
	if body, err = decodeContent(r.Header.Get("Content-Encoding"), body); err != nil {
		writeProtocolError(rw, proto, err)
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
	if proto == protoCBOR {
		var ok bool
		if prefix, op, ok = rpcOperation(r.URL.Path); !ok {
			writeCBORError(rw, nil, api.Errorf(api.CodeUnknownOperation,
				"an RPC v2 CBOR request is a POST to /service/<ServiceName>/operation/<Operation>, not %.200q", r.URL.Path))
			return
		}
		target = prefix + "." + op
	}
	svc, ok := findService(signingName, proto, prefix, form)
	if !ok {
		writeProtocolError(rw, proto, notSimulated(signingName, target, form))
		return
	}
	if svc.global {
		region = "" // a global service answers for the server's own World
	}
	switch svc.protocol {
	case protoQuery, protoEC2:
		out, err := s.callQuery(svc, region, form)
		if err != nil {
			writeQueryError(rw, err, svc.protocol, svc)
			return
		}
		rw.Header().Set("Content-Type", "text/xml")
		_, _ = rw.Write(out)
		return
	case protoCBOR:
		s.serveCBOR(rw, r, svc, region, op, body)
		return
	}
	if r.Method != http.MethodPost {
		writeServiceError(rw, svc, api.Errorf("InvalidAction", "AWS API calls are POST requests"))
		return
	}
	if op == "" {
		writeServiceError(rw, svc, api.Errorf(api.CodeUnknownOperation, "unknown X-Amz-Target %q", target))
		return
	}
	out, err := s.callJSON(region, svc.table+":"+op, body)
	if err != nil {
		writeServiceError(rw, svc, err)
		return
	}
	rw.Header().Set("Content-Type", svc.contentType())
	rw.Header().Set("X-Amzn-RequestId", requestID(body, op))
	_, _ = rw.Write(out)
}

// serveCBOR answers an RPC v2 CBOR request for op.
func (s *Server) serveCBOR(rw http.ResponseWriter, r *http.Request, svc *service, region, op string, body []byte) {
	if r.Method != http.MethodPost {
		writeCBORError(rw, svc, api.Errorf("InvalidAction", "AWS API calls are POST requests"))
		return
	}
	in, err := cborToJSON(body)
	if err != nil {
		writeCBORError(rw, svc, err)
		return
	}
	action := svc.table + ":" + op
	out, err := s.callJSON(region, action, in)
	if err != nil {
		writeCBORError(rw, svc, err)
		return
	}
	var typ reflect.Type
	_ = s.Do(func(w *ecssim.World) error { typ, _ = w.Table().OutputType(action); return nil })
	b, err := jsonToCBOR(out, typ)
	if err != nil {
		writeCBORError(rw, svc, err)
		return
	}
	rw.Header().Set("X-Amzn-RequestId", requestID(body, op))
	writeCBOR(rw, b)
}

// contentType is the Content-Type of a JSON service's answers.
func (svc *service) contentType() string {
	if svc.jsonVersion != "" {
		return "application/x-amz-json-" + svc.jsonVersion
	}
	return "application/x-amz-json-1.1"
}

// decodeContent undoes a request's Content-Encoding: the SDKs gzip the
// body of operations with the requestCompression trait (CloudWatch's
// PutMetricData). The decompressed body is bounded like any other.
// [https://smithy.io/2.0/spec/behavior-traits.html#requestcompression-trait]
func decodeContent(encoding string, body []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, nil
	case "gzip":
	default:
		return nil, api.Errorf(api.CodeSerializationException, "the Content-Encoding %.40q is not supported (only gzip)", encoding)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, api.Errorf(api.CodeSerializationException, "the gzip body cannot be read: %v", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
	if err != nil {
		return nil, api.Errorf(api.CodeSerializationException, "the gzip body cannot be read: %v", err)
	}
	if len(out) > maxBody {
		return nil, api.Errorf(api.CodeSerializationException, "the request body must be at most %d bytes", maxBody)
	}
	return out, nil
}

// callJSON runs a JSON request against the World of region.
func (s *Server) callJSON(region, action string, body []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, err := s.worldLocked(region)
	if err != nil {
		return nil, s.regionError(protoJSON, region, err)
	}
	s.advanceForPollLocked(w, action)
	return w.Call(action, body)
}

// regionError is the error for a request signed for a region that is not
// simulated.
func (s *Server) regionError(proto protocol, region string, err error) error {
	if !errors.Is(err, errRegion) {
		return err
	}
	e := wrongRegion(proto, region, s.ident.Load().region)
	if s.regionWorld != nil {
		// Every region is served; this one cannot be.
		e.Message = fmt.Sprintf("Credential should be scoped to a valid region. ecssim cannot simulate the region %.40q: %v", region, err)
	}
	return e
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
func wrongRegion(proto protocol, got, want string) *api.Error { // want: the server's own region
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
		writeQueryError(rw, err, proto, nil)
	case protoCBOR:
		writeCBORError(rw, nil, err)
	default:
		writeError(rw, err)
	}
}

// writeError sends an error in the JSON 1.1 shape.
func writeError(rw http.ResponseWriter, err error) {
	writeServiceError(rw, nil, err)
}

// writeServiceError sends an error of the JSON service svc (nil: a request
// no simulated service answers, sent in JSON 1.1) in the AWS JSON shape:
// the status, an X-Amzn-ErrorType header and a body {"__type": ...,
// "message": ...}.
func writeServiceError(rw http.ResponseWriter, svc *service, err error) {
	var e *api.Error
	if !errors.As(err, &e) {
		e = api.ServerException("%v", err)
	}
	typ, status := svc.wireError(e, rw.Header())
	ct := "application/x-amz-json-1.1"
	if svc != nil {
		ct = svc.contentType()
	}
	rw.Header().Set("Content-Type", ct)
	rw.Header().Set("X-Amzn-ErrorType", typ)
	rw.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"__type": typ, "message": e.Message})
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
