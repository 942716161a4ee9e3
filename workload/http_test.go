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
		`{"http":{"errorRate":-0.1}}`,
		`{"http":{"errorRate":1.01}}`,
		`{"http":{"errorRate":"20%"}}`,
		`{"http":{"errorStatus":302}}`,
		`{"http":{"errorStatus":600}}`,
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

func TestHTTPErrorRate(t *testing.T) {
	var img Image
	require.NoError(t, json.Unmarshal([]byte(`{"http":{"paths":{"/health":200},"errorRate":0.2}}`), &img))
	require.Equal(t, 0.2, img.HTTP.ErrorRate)
	require.Equal(t, 500, img.HTTP.Error(), "the default error status")
	require.Equal(t, 200, img.HTTP.StatusOf("/health"), "health checks are not affected")
	require.NoError(t, json.Unmarshal([]byte(`{"http":{"errorRate":1,"errorStatus":429}}`), &img))
	require.Equal(t, 429, img.HTTP.Error())
	var none *HTTP
	require.Equal(t, 500, none.Error())

	for _, c := range []struct {
		h    HTTP
		want string
	}{
		{HTTP{ErrorRate: -0.5}, "http.errorRate -0.5 is not a fraction; want 0 to 1"},
		{HTTP{ErrorRate: 2}, "http.errorRate 2 is not a fraction; want 0 to 1"},
		{HTTP{ErrorStatus: 204}, "http.errorStatus 204 is not an error status; want 400 to 599"},
	} {
		require.EqualError(t, c.h.Validate(), c.want)
	}
}
