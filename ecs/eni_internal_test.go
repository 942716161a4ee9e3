package ecs

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestENIText: the DNS name follows EC2's naming in us-east-1 and in the
// other regions, and the MAC address is stable, locally administered and
// in AWS's form.
func TestENIText(t *testing.T) {
	ip := []byte("10.0.0.139")
	require.Equal(t, "ip-10-0-0-139.ec2.internal", string(appendPrivateDNSName(nil, "us-east-1", ip)))
	require.Equal(t, "ip-10-0-0-139.eu-west-1.compute.internal", string(appendPrivateDNSName(nil, "eu-west-1", ip)))
	// ip may be the start of the buffer appended to.
	b := append([]byte(nil), ip...)
	require.Equal(t, "10.0.0.139ip-10-0-0-139.ec2.internal", string(appendPrivateDNSName(b, "us-east-1", b)))

	mac := string(appendMACAddress(nil, "eni-0123456789abcdef0"))
	require.Regexp(t, `^0a(:[0-9a-f]{2}){5}$`, mac)
	require.Equal(t, mac, string(appendMACAddress(nil, "eni-0123456789abcdef0")))
	require.NotEqual(t, mac, string(appendMACAddress(nil, "eni-0123456789abcdef1")))
}

// TestENIDetailsBuiltOnce: a task's ENI details hold its address, MAC
// address and DNS name, and the network interface the same address; the
// text is built once, the task's own details once when first asked for,
// and the scratch ones (for events nothing keeps) say the same.
func TestENIDetailsBuiltOnce(t *testing.T) {
	m := &ECS{cfg: Config{Region: "ap-southeast-2"}}
	tk := &task{eniID: "eni-00000000000000001", attachmentID: "att"}
	tk.subnetID = "subnet-1"
	before := []EventDetail{{Name: "subnetId", Value: "subnet-1"}, {Name: "networkInterfaceId", Value: "eni-00000000000000001"}}
	require.Equal(t, before, m.eniDetails(tk, nil))
	require.Equal(t, before, m.eniDetails(tk, &m.scratch))
	require.Nil(t, tk.eniViews)

	tk.ip = netip.MustParseAddr("172.31.16.5")
	want := []EventDetail{
		{Name: "subnetId", Value: "subnet-1"},
		{Name: "networkInterfaceId", Value: "eni-00000000000000001"},
		{Name: "macAddress", Value: string(appendMACAddress(nil, "eni-00000000000000001"))},
		{Name: "privateDnsName", Value: "ip-172-31-16-5.ap-southeast-2.compute.internal"},
		{Name: "privateIPv4Address", Value: "172.31.16.5"},
	}
	require.Equal(t, want, m.eniDetails(tk, &m.scratch))
	require.Nil(t, tk.eniViews, "scratch details build no views")
	d := m.eniDetails(tk, nil)
	require.Equal(t, want, d)
	require.Same(t, &d[0], &m.eniDetails(tk, nil)[0])
	netIf := []EventNetworkInterface{{AttachmentId: "att", PrivateIpv4Address: "172.31.16.5"}}
	require.Equal(t, netIf, m.networkInterfaces(tk, &m.scratch))
	require.Equal(t, netIf, m.networkInterfaces(tk, nil))
	require.Same(t, &tk.views().netIf[0], &m.networkInterfaces(tk, nil)[0])
	require.Equal(t, "172.31.16.5", tk.ipString())
	require.True(t, tk.eniPlain)
}
