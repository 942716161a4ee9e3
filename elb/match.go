package elb

import (
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/api"
)

// Rule conditions. A simulated request has no content of its own, so a
// listener's traffic may be split into classes of requests
// (sim:SetListenerTraffic "requests"), each a share of the requests with
// a host, path, method, headers, query string and source address. Each
// class is matched against the listener's rules in priority order, as
// the load balancer evaluates them [ALB:listener-rules#rule-priority]: the
// first rule whose every condition matches takes the class's requests;
// the rest of the requests, and a class no rule matches, follow the
// default action. The requests no class claims are of the default
// request: GET / with the load balancer's DNS name as host and no header,
// query string or source address (DefaultRequestPath, DefaultRequestMethod).

// Defaults of the requests that no class describes. They are named
// defaults: AWS knows every request's content; the simulation does not.
const (
	DefaultRequestPath   = "/"
	DefaultRequestMethod = "GET"
	// MaxRequestClasses is how many classes a listener's traffic may have.
	MaxRequestClasses = 100
)

// RequestClass is a share of a listener's requests with the content that
// rule conditions look at. Members left out are absent from the request
// (Host defaults to the load balancer's DNS name, Path to "/", Method to
// GET).
type RequestClass struct {
	// Share is the fraction of the listener's requests, in (0, 1]; the
	// shares of a listener's classes add up to at most 1.
	Share    *float64          `json:"share,omitempty"`
	Host     *string           `json:"host,omitempty"`
	Path     *string           `json:"path,omitempty"`
	Method   *string           `json:"method,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"`
	Query    map[string]string `json:"query,omitempty"`
	SourceIp *string           `json:"sourceIp,omitempty"`
}

// request is a checked request class.
type request struct {
	share       float64
	host, path  string
	hostSet     bool
	method      string
	headers     map[string]string // lower-case names
	query       map[string]string
	source      netip.Addr
	sourceIsSet bool
}

// checkRequests checks the classes of sim:SetListenerTraffic.
func checkRequests(in []RequestClass) ([]request, error) {
	if len(in) > MaxRequestClasses {
		return nil, validation("requests", "at most %d request classes, got %d", MaxRequestClasses, len(in))
	}
	out := make([]request, 0, len(in))
	total := 0.0
	for i, c := range in {
		at := func(m string) string { return "requests[" + strconv.Itoa(i) + "]." + m }
		if c.Share == nil {
			return nil, missing(at("share"))
		}
		s := *c.Share
		if math.IsNaN(s) || s <= 0 || s > 1 {
			return nil, validation(at("share"), "a request class's share must be in (0, 1]")
		}
		total += s
		r := request{share: s, path: DefaultRequestPath, method: DefaultRequestMethod}
		if c.Host != nil {
			if *c.Host == "" {
				return nil, validation(at("host"), "host must not be empty")
			}
			r.host, r.hostSet = *c.Host, true
		}
		if c.Path != nil {
			if !strings.HasPrefix(*c.Path, "/") {
				return nil, validation(at("path"), "path %q must start with /", *c.Path)
			}
			r.path = *c.Path
		}
		if c.Method != nil {
			if *c.Method == "" {
				return nil, validation(at("method"), "method must not be empty")
			}
			r.method = *c.Method
		}
		if len(c.Headers) > 0 {
			r.headers = make(map[string]string, len(c.Headers))
			for k, v := range c.Headers {
				if k == "" {
					return nil, validation(at("headers"), "a header name must not be empty")
				}
				r.headers[strings.ToLower(k)] = v
			}
		}
		if len(c.Query) > 0 {
			r.query = make(map[string]string, len(c.Query))
			for k, v := range c.Query {
				r.query[strings.ToLower(k)] = v
			}
		}
		if c.SourceIp != nil {
			a, err := netip.ParseAddr(*c.SourceIp)
			if err != nil {
				return nil, validation(at("sourceIp"), "sourceIp %q is not an IP address", *c.SourceIp)
			}
			r.source, r.sourceIsSet = a, true
		}
		out = append(out, r)
	}
	if total > 1+1e-9 {
		return nil, validation("requests", "the shares of the request classes add up to %g, more than 1", total)
	}
	return out, nil
}

// matchRule returns the rule of ls that takes request r: the first, in
// priority order, whose conditions all match, else the default rule.
func (ls *listener) matchRule(r *request) *rule {
	var best *rule
	for _, x := range ls.rules {
		if (best == nil || x.priority < best.priority) && x.matches(r, ls.lb.dns) {
			best = x
		}
	}
	if best == nil {
		return ls.def
	}
	return best
}

// matches reports whether every condition of x matches r.
func (x *rule) matches(r *request, dns string) bool {
	for i := range x.conditions {
		if !conditionMatches(&x.conditions[i], r, dns) {
			return false
		}
	}
	return true
}

// conditionMatches reports whether one condition matches r: any of its
// values does. [ALB:listener-rules#rule-condition-types]
//   - host-header: case-insensitive, * and ? wildcards;
//   - path-pattern: case-sensitive, wildcards, the path without the query;
//   - http-header: the named header (name case-insensitive), its value
//     case-insensitive with wildcards;
//   - http-request-method: exact and case-sensitive;
//   - query-string: key (optional) and value, case-insensitive with
//     wildcards;
//   - source-ip: the client address within a CIDR block.
//
// RegexValues match with Go's regular expressions anywhere in the value
// (docs/fidelity.md).
func conditionMatches(c *RuleCondition, r *request, dns string) bool {
	values := func(cv *ConditionValues) ([]string, []string) {
		if cv != nil {
			return cv.Values, cv.RegexValues
		}
		return c.Values, c.RegexValues
	}
	switch api.Deref(c.Field) {
	case "host-header":
		host := r.host
		if !r.hostSet {
			host = dns
		}
		vs, res := values(c.HostHeaderConfig)
		return anyWildcard(vs, host, true) || anyRegex(res, host)
	case "path-pattern":
		vs, res := values(c.PathPatternConfig)
		return anyWildcard(vs, r.path, false) || anyRegex(res, r.path)
	case "http-header":
		h := c.HttpHeaderConfig
		if h == nil || h.HttpHeaderName == nil {
			return false
		}
		v, ok := r.headers[strings.ToLower(*h.HttpHeaderName)]
		return ok && (anyWildcard(h.Values, v, true) || anyRegex(h.RegexValues, v))
	case "http-request-method":
		vs, _ := values(c.HttpRequestMethodConfig)
		return slices.Contains(vs, r.method)
	case "query-string":
		if c.QueryStringConfig == nil {
			return false
		}
		for _, kv := range c.QueryStringConfig.Values {
			for k, v := range r.query {
				if (kv.Key == nil || wildcard(strings.ToLower(*kv.Key), k)) && kv.Value != nil && wildcard(strings.ToLower(*kv.Value), strings.ToLower(v)) {
					return true
				}
			}
		}
		return false
	case "source-ip":
		if !r.sourceIsSet {
			return false
		}
		vs, _ := values(c.SourceIpConfig)
		for _, v := range vs {
			if p, err := netip.ParsePrefix(v); err == nil && p.Contains(r.source) {
				return true
			}
		}
		return false
	}
	return false
}

func anyWildcard(patterns []string, s string, fold bool) bool {
	if fold {
		s = strings.ToLower(s)
	}
	for _, p := range patterns {
		if fold {
			p = strings.ToLower(p)
		}
		if wildcard(p, s) {
			return true
		}
	}
	return false
}

func anyRegex(patterns []string, s string) bool {
	for _, p := range patterns {
		if re, err := regexp.Compile(p); err == nil && re.MatchString(s) {
			return true
		}
	}
	return false
}

// wildcard reports whether s matches pattern p, where * matches any run of
// characters (also none) and ? exactly one.
func wildcard(p, s string) bool {
	// Iterative matching with one backtrack point: linear in practice.
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
