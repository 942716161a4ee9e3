package workload

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Health-check outcomes for [Image.HealthCheck].
const (
	// HealthPassing means the container's health check passes; it is
	// what an empty HealthCheck means.
	HealthPassing = "passing"
	// HealthFailing means the container's health check fails from the
	// first run.
	HealthFailing = "failing"
	// HealthHanging means the container's health check command hangs
	// from the first run: each check counts as a failure when its
	// timeout expires. [API:HealthCheck.timeout]
	HealthHanging = "hanging"
)

// Image is how containers of one image behave. Times are distributions,
// drawn once per container from the caller's seeded stream.
//
// In JSON (and so in scenario files) the fields are camelCase, every one is
// optional, and a distribution is a string in the form [ParseDist] reads or
// a number of seconds:
//
//	{"exitAfter": "uniform(20s,40s)", "exitCode": 1, "healthCheck": "failing"}
type Image struct {
	// PullTime is how long the image pull takes.
	PullTime Dist `json:"pullTime,omitzero"`
	// StartTime is how long from the end of the pull to the process
	// running (container create and start).
	StartTime Dist `json:"startTime,omitzero"`
	// StopTime is how long the process takes to exit by itself after
	// SIGTERM. If it is longer than the container's stopTimeout the agent
	// sends SIGKILL at the timeout and the container exits with 137.
	StopTime Dist `json:"stopTime,omitzero"`
	// ExitAfter, when set, makes the process exit by itself this long
	// after it started running, with ExitCode. Nil: it runs until stopped.
	ExitAfter *Dist `json:"exitAfter,omitempty"`
	// ExitCode is the exit code when the process exits by itself, 0 to
	// 255.
	ExitCode int `json:"exitCode,omitempty"`
	// HealthCheck is the outcome of the container health check while the
	// container is healthy: [HealthPassing] (also what "" means),
	// [HealthFailing] or [HealthHanging].
	HealthCheck string `json:"healthCheck,omitempty"`
	// HealthCheckFailsAfter, when set, makes a passing health check start
	// failing this long after the container started. Nil: never.
	HealthCheckFailsAfter *Dist `json:"healthCheckFailsAfter,omitempty"`
	// HealthyAfter, when set, is how long after the container started
	// its health check first passes: the application is still starting
	// before, and each check fails at once (the command finds nothing
	// listening), counting toward retries once the health check's
	// startPeriod is over. Nil: checks pass from the start.
	// [API:HealthCheck.startPeriod]
	HealthyAfter *Dist `json:"healthyAfter,omitempty"`
	// HealthCheckHangs makes failing checks hang past the health check's
	// timeout instead of exiting non-zero: each failure is known only
	// when the timeout expires, and the next check runs one interval
	// after that, as Docker runs them.
	HealthCheckHangs bool `json:"healthCheckHangs,omitempty"`
	// PullError, when not empty, makes every pull of the image fail with
	// this reason, e.g. "CannotPullContainerError: manifest unknown".
	PullError string `json:"pullError,omitempty"`
	// HTTP is how the application answers HTTP requests, such as a load
	// balancer's health checks. Nil: 200 at once, from the moment the
	// process runs.
	HTTP *HTTP `json:"http,omitempty"`
}

// Validate reports whether img is well formed: HealthCheck is "",
// "passing" or "failing", ExitCode is 0 to 255 (a process exit status),
// and HTTP, when set, is valid ([HTTP.Validate]). Distributions are valid
// by construction.
func (img Image) Validate() error {
	switch img.HealthCheck {
	case "", HealthPassing, HealthFailing, HealthHanging:
	default:
		return fmt.Errorf("healthCheck %q is not valid; want %q, %q or %q", img.HealthCheck, HealthPassing, HealthFailing, HealthHanging)
	}
	if img.ExitCode < 0 || img.ExitCode > 255 {
		return fmt.Errorf("exitCode %d is not valid; want 0 to 255", img.ExitCode)
	}
	if img.HTTP != nil {
		return img.HTTP.Validate()
	}
	return nil
}

// WithDefaults returns img with each of PullTime, StartTime and StopTime
// that is the zero Dist (not configured, see [Dist.IsZero]) taken from
// def. Nothing else is filled: a nil ExitAfter still means "runs until
// stopped", and so on. An explicit Fixed(0) is kept.
func (img Image) WithDefaults(def Image) Image {
	if img.PullTime.IsZero() {
		img.PullTime = def.PullTime
	}
	if img.StartTime.IsZero() {
		img.StartTime = def.StartTime
	}
	if img.StopTime.IsZero() {
		img.StopTime = def.StopTime
	}
	return img
}

// imageFields are Image's JSON field names, in declaration order.
var imageFields = []string{
	"pullTime", "startTime", "stopTime", "exitAfter", "exitCode",
	"healthCheck", "healthCheckFailsAfter", "healthyAfter", "healthCheckHangs", "pullError", "http",
}

// UnmarshalJSON decodes an Image from a JSON object. It rejects unknown
// fields, matching names exactly (a misspelt "exitafter" or "ExitAfter"
// would otherwise be ignored or guessed at), a HealthCheck other than
// "passing", "failing" or "hanging", an ExitCode outside 0 to 255, and invalid
// distributions, with an error that names the field. JSON null leaves img
// unchanged, as does null for a field.
func (img *Image) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("image behaviour must be a JSON object: %w", err)
	}
	var unknown []string
	for k := range raw {
		if !slices.Contains(imageFields, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("image behaviour: unknown field %s; known fields are %s", quoteAll(unknown), strings.Join(imageFields, ", "))
	}
	var v Image
	targets := []any{
		&v.PullTime, &v.StartTime, &v.StopTime, &v.ExitAfter, &v.ExitCode,
		&v.HealthCheck, &v.HealthCheckFailsAfter, &v.HealthyAfter, &v.HealthCheckHangs, &v.PullError, &v.HTTP,
	}
	for i, name := range imageFields {
		m, ok := raw[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(m, targets[i]); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				err = fmt.Errorf("want %s, not %s", jsonKind(te.Type.Kind()), te.Value)
			}
			return fmt.Errorf("image behaviour: %s: %w", name, err)
		}
	}
	if err := v.Validate(); err != nil {
		return fmt.Errorf("image behaviour: %w", err)
	}
	*img = v
	return nil
}

// quoteAll quotes each name and joins them with commas.
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// jsonKind names what a field of kind k wants, in JSON terms.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int:
		return "an integer"
	case reflect.String:
		return "a string"
	default:
		return "a distribution string or a number of seconds"
	}
}

// clone returns img with its own copies of the pointed-to distributions.
func (img Image) clone() Image {
	if img.ExitAfter != nil {
		d := *img.ExitAfter
		img.ExitAfter = &d
	}
	if img.HealthCheckFailsAfter != nil {
		d := *img.HealthCheckFailsAfter
		img.HealthCheckFailsAfter = &d
	}
	if img.HealthyAfter != nil {
		d := *img.HealthyAfter
		img.HealthyAfter = &d
	}
	img.HTTP = img.HTTP.clone()
	return img
}

// Behaviours maps image names to behaviours. [Behaviours.For] looks an
// image up in three steps: exact names first, then glob patterns in the
// order they were first set, then the default image.
//
// Patterns use [path.Match] syntax: '*' matches any run of characters
// other than '/', '?' one such character, '[a-z]' a class, and '\'
// escapes the next character. So "myapp:*" matches "myapp:1.2", and
// "*/nginx:*" matches "library/nginx:1.25" but neither
// "public.ecr.aws/nginx/nginx:1.25" (two slashes) nor "nginx:1.25" (none).
//
// The zero value is not usable; call [NewBehaviours].
type Behaviours struct {
	exact    map[string]Image
	patterns []patternImage // in the order first set
	def      Image
	// resolved caches For's answers by image name; Set and SetDefault
	// clear it, and so does For when it holds maxResolved names. It makes
	// For O(1) after the first lookup of a name, which matters when many
	// patterns are set.
	resolved map[string]Image
}

// maxResolved bounds the cache of For, so that looking up endless
// distinct names (from API input, say) cannot grow memory without limit.
const maxResolved = 4096

type patternImage struct {
	pattern string
	img     Image
}

// NewBehaviours returns Behaviours with no images configured and
// [Defaults] as the default image.
func NewBehaviours() *Behaviours {
	return &Behaviours{exact: make(map[string]Image), def: Defaults(), resolved: make(map[string]Image)}
}

// Set configures the behaviour of the images that pattern names. A
// pattern without glob metacharacters ('*', '?', '[', '\') is an exact
// image name. Setting a pattern that is already set replaces its image
// and keeps its place in the lookup order. Set returns an error, and
// changes nothing, when pattern is empty or a malformed glob, or when img
// does not [Image.Validate].
func (b *Behaviours) Set(pattern string, img Image) error {
	if pattern == "" {
		return errors.New("image pattern is empty")
	}
	if err := img.Validate(); err != nil {
		return fmt.Errorf("image %q: %w", pattern, err)
	}
	img = img.clone()
	if !strings.ContainsAny(pattern, `*?[\`) {
		b.exact[pattern] = img
		clear(b.resolved)
		return nil
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return fmt.Errorf("image pattern %q is not a valid glob: %w", pattern, err)
	}
	clear(b.resolved)
	for i := range b.patterns {
		if b.patterns[i].pattern == pattern {
			b.patterns[i].img = img
			return nil
		}
	}
	b.patterns = append(b.patterns, patternImage{pattern, img})
	return nil
}

// SetDefault replaces the image used when no name or pattern matches. Its
// zero PullTime, StartTime and StopTime are filled from [Defaults] when it
// is used. A HealthCheck other than "failing" is taken as passing.
func (b *Behaviours) SetDefault(img Image) {
	b.def = img.clone()
	clear(b.resolved)
}

// For returns the behaviour for the image name: the exact match, else the
// first matching pattern, else the default image.
//
// The result is what was set, with two fills only: an empty HealthCheck
// becomes "passing", and a zero PullTime, StartTime or StopTime is taken
// from the default image (itself filled from [Defaults]) through
// [Image.WithDefaults], so that {"exitAfter":"20s"} alone still pulls and
// starts in a realistic time. ExitAfter, ExitCode, HealthCheckFailsAfter,
// HealthyAfter and PullError are never inherited. The Dists that ExitAfter,
// HealthCheckFailsAfter and HealthyAfter point to are shared; treat them as
// read-only.
func (b *Behaviours) For(image string) Image {
	if img, ok := b.resolved[image]; ok {
		return img
	}
	def := b.def.WithDefaults(Defaults())
	img, ok := b.exact[image]
	if !ok {
		img = def
		for _, p := range b.patterns {
			// The pattern was checked by Set, so Match cannot fail.
			if m, _ := path.Match(p.pattern, image); m {
				img = p.img
				break
			}
		}
	}
	img = img.WithDefaults(def)
	if img.HealthCheck != HealthFailing && img.HealthCheck != HealthHanging {
		img.HealthCheck = HealthPassing
	}
	if len(b.resolved) >= maxResolved {
		clear(b.resolved)
	}
	b.resolved[image] = img
	return img
}
