package ecssimtest_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/ecssimtest"
)

func TestNoNetwork(t *testing.T) {
	transport, resolver := http.DefaultTransport, net.DefaultResolver
	r := run(func(tb testing.TB) {
		ecssimtest.NoNetwork(tb)
		_, err := http.Get("http://example.invalid/")
		require.Error(t, err)
	})
	require.Len(t, r.errors, 1)
	require.Contains(t, r.errors[0], "attempts to dial or resolve")

	r = run(func(tb testing.TB) {
		ecssimtest.NoNetwork(tb)
		_, err := net.LookupHost("example.invalid")
		require.Error(t, err)
	})
	require.Len(t, r.errors, 1)

	var l net.Listener
	r = run(func(tb testing.TB) {
		ecssimtest.NoNetwork(tb)
		var err error
		l, err = net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
	})
	if l != nil {
		l.Close()
	}
	require.Len(t, r.errors, 1, "a socket left open is found")

	r = run(func(tb testing.TB) { ecssimtest.NoNetwork(tb) })
	require.Empty(t, r.errors)
	require.Same(t, transport, http.DefaultTransport, "restored")
	require.Same(t, resolver, net.DefaultResolver, "restored")
}
