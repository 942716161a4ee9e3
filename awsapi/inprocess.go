package awsapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/ecssim/ecssim"
)

// InProcessEndpoint is the base endpoint an in-process configuration
// gives every service. Nothing resolves or dials it: the transport serves
// each request itself.
const InProcessEndpoint = "http://ecssim.invalid"

// DefaultPollInterval is the virtual time that passes before each
// read-only request served in process, unless WithPollInterval says
// otherwise: 15 s, the minimum delay of the ECS waiters and the interval
// at which `aws ecs wait` polls.
const DefaultPollInterval = 15 * time.Second

// Option configures an in-process client configuration.
type Option func(*options)

type options struct {
	region string
	poll   time.Duration
}

// WithRegion sets the region the SDK signs for. The default is the
// World's region.
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithPollInterval sets the virtual time that passes before each
// read-only request (see Transport). Zero makes time pass only when the
// caller runs the World.
func WithPollInterval(d time.Duration) Option {
	return func(o *options) { o.poll = max(d, 0) }
}

// Config returns an AWS SDK configuration whose clients talk to w in
// process: ecs.NewFromConfig(cfg), applicationautoscaling.NewFromConfig(cfg)
// and the client of every other service the endpoint answers send their
// requests through a Transport straight to a Server for w, with no socket.
// The configuration has static dummy credentials (requests are signed as
// usual, and nothing checks the signature), the World's region, every
// service's endpoint set to InProcessEndpoint, and the SDK's standard
// retryer without backoff delays or a client-side retry quota, so that no
// retry sleeps on the wall clock.
//
// Virtual time passes as Transport describes: by default, 15 s before
// each Describe, List or Get request, so that SDK waiters and polling
// loops see the simulation move. w must not be used while a request is
// being served; between requests, the caller may use it freely (RunFor,
// faults, World.ECS()). Clients made from one configuration may be used
// from several goroutines: their requests are served one at a time. Each
// call of Config makes a Server of its own, so make all the clients of a
// World from one configuration (or from one Server's Config).
func Config(w *ecssim.World, opts ...Option) aws.Config {
	return New(w).Config(opts...)
}

// Config returns an AWS SDK configuration whose clients talk to s in
// process; see the package-level Config.
func (s *Server) Config(opts ...Option) aws.Config {
	t := s.Transport(opts...)
	region := t.opts.region
	if region == "" {
		_ = s.Do(func(w *ecssim.World) error { region = w.Config().Region; return nil })
	}
	return aws.Config{
		Region:       region,
		Credentials:  aws.NewCredentialsCache(staticCredentials{}),
		HTTPClient:   &http.Client{Transport: t},
		BaseEndpoint: aws.String(InProcessEndpoint),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

// staticCredentials are dummy credentials for signing.
type staticCredentials struct{}

func (staticCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "AKIAECSSIMTEST000000", SecretAccessKey: "ecssim", Source: "ecssim"}, nil
}

// Transport is an http.RoundTripper that serves each request with a
// Server's ServeHTTP on the calling goroutine and returns the recorded
// response. It opens no socket, resolves no name and starts no goroutine.
//
// Time semantics: virtual time never follows the wall clock. Before
// serving a read-only request (an operation whose name begins with
// Describe, List or Get, as X-Amz-Target, the Action parameter or an
// /operation/ path names it), the Transport runs the World forward by the
// poll interval (DefaultPollInterval unless WithPollInterval says
// otherwise); every other request is served at the current virtual
// instant. So a program that polls (an SDK waiter, a loop around
// DescribeServices) sees the world as a real poller sleeping one poll
// interval between reads would, while creating and changing resources
// takes no virtual time, and the same requests in the same order give the
// same trace. An SDK waiter's own delays are wall-clock sleeps that this
// cannot shorten: pass NoWaiterDelay to the waiter. Requests are served
// one at a time.
type Transport struct {
	mu   sync.Mutex
	srv  *Server
	opts options
}

// Transport returns an in-process transport to s.
func (s *Server) Transport(opts ...Option) *Transport {
	o := options{poll: DefaultPollInterval}
	for _, fn := range opts {
		fn(&o)
	}
	return &Transport{srv: s, opts: o}
}

// RoundTrip serves req in process.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.opts.poll > 0 && readOnlyOperation(req, body) {
		if err := t.srv.Do(func(w *ecssim.World) error { return w.RunFor(t.opts.poll) }); err != nil {
			return nil, &RunError{Err: err}
		}
	}
	in := req.Clone(req.Context())
	in.Body = io.NopCloser(bytes.NewReader(body))
	in.ContentLength = int64(len(body))
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "in-process"
	rec := &recorder{header: http.Header{}}
	t.srv.ServeHTTP(rec, in)
	return rec.response(req), nil
}

// RunError is the error a Transport returns when running the World before
// a read failed: an event handler failed, or an AfterEvent hook (such as
// the invariant checker of ecssimtest.NewWorld) stopped the run. The
// request was not served, and the AWS SDK does not retry it.
type RunError struct{ Err error }

func (e *RunError) Error() string { return "ecssim: running the simulation: " + e.Err.Error() }

// Unwrap returns the error that stopped the run.
func (e *RunError) Unwrap() error { return e.Err }

// RetryableError tells the AWS SDK's retryer not to retry.
func (e *RunError) RetryableError() bool { return false }

// readBody reads and closes the request body, as a RoundTripper must.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	b, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("ecssim: reading the request body: %w", err)
	}
	return b, nil
}

// readOnlyOperation reports whether req calls an operation that only
// reads, by the AWS naming convention.
func readOnlyOperation(req *http.Request, body []byte) bool {
	op := ""
	switch {
	case req.Header.Get("X-Amz-Target") != "":
		target := req.Header.Get("X-Amz-Target")
		op = target[strings.LastIndexByte(target, '.')+1:]
	case strings.Contains(req.URL.Path, "/operation/"):
		op = req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:]
	case strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		if v, err := url.ParseQuery(string(body)); err == nil {
			op = v.Get("Action")
		}
	default:
		op = req.URL.Query().Get("Action")
	}
	for _, p := range []string{"Describe", "List", "Get"} {
		if strings.HasPrefix(op, p) {
			return true
		}
	}
	return false
}

// recorder is the http.ResponseWriter a request is served into.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

func (r *recorder) response(req *http.Request) *http.Response {
	r.WriteHeader(http.StatusOK)
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", r.status, http.StatusText(r.status)),
		StatusCode:    r.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        r.header,
		Body:          io.NopCloser(bytes.NewReader(r.body.Bytes())),
		ContentLength: int64(r.body.Len()),
		Request:       req,
	}
}

// NoWaiterDelay sets an AWS SDK waiter's MinDelay and MaxDelay to one
// nanosecond, so that the waiter polls an in-process World without
// sleeping on the wall clock between attempts; virtual time still passes
// between polls (see Transport). It fits every waiter's option type:
//
//	waiter := ecs.NewServicesStableWaiter(client, awsapi.NoWaiterDelay)
//
// Where Go cannot infer the type, name it:
// awsapi.NoWaiterDelay[ecs.ServicesStableWaiterOptions].
//
// An SDK waiter's maxWaitDur is wall-clock time: with no delay, a waiter
// whose condition never holds polls, and runs the simulation, until that
// duration has passed or virtual time reaches the year 2200. Give it a
// maxWaitDur of seconds.
func NoWaiterDelay[O any](o *O) {
	v := reflect.ValueOf(o).Elem()
	if v.Kind() != reflect.Struct {
		return
	}
	for _, name := range []string{"MinDelay", "MaxDelay"} {
		f := v.FieldByName(name)
		if f.IsValid() && f.CanSet() && f.Type() == reflect.TypeFor[time.Duration]() {
			f.Set(reflect.ValueOf(time.Nanosecond))
		}
	}
}
