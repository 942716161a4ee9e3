package records

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/ecssim/ecssim/sim"
)

// Detail returns a record's detail as a T: directly when the model
// recorded a T or *T, else decoded from the canonical line, so that
// recorded traces read the same as live ones.
func Detail[T any](r sim.Record) (T, bool) {
	switch d := r.Detail.(type) {
	case T:
		return d, true
	case *T:
		if d != nil {
			return *d, true
		}
	}
	var v T
	ok := Decode(r, &v)
	return v, ok
}

// Decode decodes the detail of a record's canonical line into v and
// reports whether it could.
func Decode(r sim.Record, v any) bool {
	var line struct {
		Detail json.RawMessage `json:"detail"`
	}
	if err := json.Unmarshal(r.Line, &line); err != nil || len(line.Detail) == 0 {
		return false
	}
	return json.NewDecoder(bytes.NewReader(line.Detail)).Decode(v) == nil
}

// LastPart returns what follows the last '/' of an ARN.
func LastPart(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// ServiceName returns "cluster/service" for a service ARN
// ("arn:aws:ecs:r:a:service/demo/web").
func ServiceName(arn string) string {
	if _, rest, ok := strings.Cut(arn, ":service/"); ok {
		return rest
	}
	return arn
}

// ServiceARN returns the ARN of the service that a task of cluster
// clusterArn and group "service:<name>" belongs to, or "".
func ServiceARN(clusterArn, group string) string {
	name, ok := strings.CutPrefix(group, "service:")
	if !ok {
		return ""
	}
	prefix, cluster, ok := strings.Cut(clusterArn, ":cluster/")
	if !ok {
		return ""
	}
	return prefix + ":service/" + cluster + "/" + name
}
