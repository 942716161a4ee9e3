package autoscaling

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestActivityDetailAppendJSON: the hand-written encoding of a scaling
// activity's trace detail is what encoding/json writes, since trace
// hashes depend on it.
func TestActivityDetailAppendJSON(t *testing.T) {
	for _, d := range []ActivityDetail{
		{},
		{ResourceId: "service/fleet/web", From: 2, To: 4, Cause: "monitor alarm TargetTracking-service/fleet/web-AlarmHigh-1 in state ALARM triggered policy cpu60", StatusCode: "Successful"},
		{ResourceId: `odd "name" <&>`, From: -1, To: math.MaxInt32, Cause: "line\nbreak \u2028 \xff", StatusCode: "Failed"},
	} {
		want, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(d.AppendJSON(nil)))
	}
}

// FuzzActivityDetailAppendJSON: the same for any detail.
func FuzzActivityDetailAppendJSON(f *testing.F) {
	f.Add("service/fleet/web", 2, 4, "cause", "Successful")
	f.Fuzz(func(t *testing.T, rid string, from, to int, cause, status string) {
		d := ActivityDetail{ResourceId: rid, From: from, To: to, Cause: cause, StatusCode: status}
		want, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(d.AppendJSON(nil)))
	})
}
