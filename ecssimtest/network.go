package ecssimtest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// NoNetwork fails the test if it touches the network: until the test
// ends, dialling through http.DefaultTransport and every name lookup
// through net.DefaultResolver (which any net.Dialer without a resolver of
// its own uses) fail and are counted, and where /proc/self/fd exists the
// process must hold no more sockets when the test ends than when NoNetwork
// was called. It proves that a test driving a World in process, with
// awsapi.Config, opens no socket. It changes process-wide defaults: tests
// that call it must not run in parallel.
func NoNetwork(tb testing.TB) {
	tb.Helper()
	var dials atomic.Int64
	refuse := func(_ context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return nil, errors.New("ecssimtest.NoNetwork: this test opens no socket (" + network + " " + addr + ")")
	}
	oldTransport, oldResolver := http.DefaultTransport, net.DefaultResolver
	http.DefaultTransport = &http.Transport{DialContext: refuse}
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: refuse}
	before := openSockets()
	tb.Cleanup(func() {
		http.DefaultTransport, net.DefaultResolver = oldTransport, oldResolver
		if n := dials.Load(); n > 0 {
			tb.Errorf("ecssimtest.NoNetwork: %d attempts to dial or resolve", n)
		}
		if after := openSockets(); before >= 0 && after > before {
			tb.Errorf("ecssimtest.NoNetwork: %d sockets open at the end, %d at the start", after, before)
		}
	})
}

// openSockets counts the process's open socket descriptors, or returns
// -1 where /proc/self/fd does not exist.
func openSockets() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(target, "socket:") {
			n++
		}
	}
	return n
}
