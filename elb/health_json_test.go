package elb

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTargetHealthChangeAppendJSON: the hand encoder gives encoding/json's
// bytes, with and without the optional members and with characters
// encoding/json escapes.
func TestTargetHealthChangeAppendJSON(t *testing.T) {
	for _, d := range []TargetHealthChange{
		{},
		{TargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef", TargetId: "10.0.0.1", Port: 80, State: HealthHealthy, PreviousState: HealthInitial},
		{TargetId: "i-0123456789abcdef0", Port: -1, State: HealthUnhealthy, Reason: ReasonResponseCodeMismatch, Description: "Health checks failed with these codes: [404]"},
		{TargetId: "<&>\"\\\n\u2028\xff", Port: 65535, Reason: "x", Description: "é"},
	} {
		want, err := json.Marshal(&d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(d.AppendJSON(nil)))
	}
}

func FuzzTargetHealthChangeAppendJSON(f *testing.F) {
	f.Add("arn", "10.0.0.1", int32(80), "healthy", "", "", "initial")
	f.Add("<", "\xff", int32(-7), "\n", "a\u2028", "&", "\"")
	f.Fuzz(func(t *testing.T, arn, id string, port int32, state, reason, desc, prev string) {
		d := TargetHealthChange{TargetGroupArn: arn, TargetId: id, Port: port, State: state, Reason: reason, Description: desc, PreviousState: prev}
		want, err := json.Marshal(&d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(d.AppendJSON(nil)))
	})
}
