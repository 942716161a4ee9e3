package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	serveContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	addrs := make(chan string, 1)
	serveListening = func(a string) { addrs <- a }
	defer func() { serveContext, serveListening = nil, nil }()
	done := make(chan int, 1)
	var out strings.Builder
	go func() {
		done <- execute([]string{"serve", "--addr", "127.0.0.1:0", "--speed", "600"}, &out, io.Discard)
	}()
	addr := <-addrs
	req, err := http.NewRequest(http.MethodPost, "http://"+addr, strings.NewReader(`{"clusterName":"demo"}`))
	require.NoError(t, err)
	req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Contains(t, string(body), `"clusterName":"demo"`)
	// With --speed, virtual time moves by itself.
	require.Eventually(t, func() bool {
		r, err := http.Get("http://" + addr + "/_ecssim/now")
		if err != nil {
			return false
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return !strings.Contains(string(b), `"elapsedSeconds":0,`)
	}, 5*time.Second, 50*time.Millisecond)
	cancel()
	require.Equal(t, 0, <-done)
	require.Contains(t, out.String(), "serving ECS on http://127.0.0.1:")
}
