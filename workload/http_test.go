package workload

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestHTTPJSON(t *testing.T) {
	var img Image
	require.NoError(t, json.Unmarshal([]byte(`{"http":{"readyAfter":"20s","paths":{"/health":200},"responseTime":0.005,"failsAfter":"1h","failingStatus":500}}`), &img))
	h := img.HTTP
	require.Equal(t, Fixed(20*time.Second), h.ReadyAfter)
	require.Equal(t, Fixed(5*time.Millisecond), h.ResponseTime)
	require.Equal(t, Fixed(time.Hour), *h.FailsAfter)
	require.Equal(t, 200, h.StatusOf("/health"))
	require.Equal(t, 404, h.StatusOf("/"), "a path the application does not serve")
	require.Equal(t, 500, h.Failing())

	var none *HTTP
	require.Equal(t, 200, none.StatusOf("/"))
	require.Equal(t, 503, none.Failing())
	require.Equal(t, 204, (&HTTP{Status: 204}).StatusOf("/x"))

	for _, bad := range []string{
		`{"http":{"Status":200}}`,
		`{"http":{"status":600}}`,
		`{"http":{"failingStatus":99}}`,
		`{"http":{"paths":{"health":200}}}`,
		`{"http":{"paths":{"/":0}}}`,
		`{"http":{"readyAfter":"soon"}}`,
		`{"http":[]}`,
	} {
		var img Image
		require.Error(t, json.Unmarshal([]byte(bad), &img), bad)
	}

	// Clones do not share the paths map or the distribution.
	a := Image{HTTP: &HTTP{Paths: map[string]int{"/": 200}, FailsAfter: &Dist{}}}
	b := a.clone()
	b.HTTP.Paths["/"] = 500
	require.Equal(t, 200, a.HTTP.Paths["/"])
}
