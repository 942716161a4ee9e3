package catalog

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBuiltinTypes(t *testing.T) {
	c := Default()
	cases := []struct {
		name                  string
		cpu, awsvpc, trunking int
		price                 float64
	}{
		// awsvpc task limits without / with trunking from the ECS
		// Developer Guide's table.
		{"m5.large", 2048, 2, 10, 0.096},
		{"m5.xlarge", 4096, 3, 20, 0.192},
		{"m5.4xlarge", 16384, 7, 60, 0.768},
		{"c5.large", 2048, 2, 10, 0.085},
		{"r5.xlarge", 4096, 3, 20, 0.252},
		{"m6g.medium", 1024, 1, 4, 0.0385},
		{"m6g.large", 2048, 2, 10, 0.077},
	}
	for _, tc := range cases {
		it, ok := c.Get(tc.name)
		require.True(t, ok, tc.name)
		require.Equal(t, tc.cpu, it.CPUUnits(), tc.name)
		require.Equal(t, tc.awsvpc, it.AwsvpcTasks, tc.name)
		require.Equal(t, tc.trunking, it.AwsvpcTasksTrunking, tc.name)
		require.Equal(t, tc.price, it.HourlyUSD, tc.name)
		require.Less(t, it.RegisteredMemoryMiB, it.MemoryMiB, tc.name)
	}
	for _, n := range c.Names() {
		it, _ := c.Get(n)
		require.Contains(t, []string{"x86_64", "arm64"}, it.Architecture)
		require.Positive(t, it.HourlyUSD)
	}
	// The guide's example: an 8 GiB m4.large registers 7985 MiB.
	require.InDelta(t, 7985, registered(8192), 2)
}

func TestSetValidates(t *testing.T) {
	c := Default()
	require.Error(t, c.Set(InstanceType{Name: "x"}))
	require.Error(t, c.Set(InstanceType{Name: "x", VCPU: 2, MemoryMiB: 1024, MaxENIs: 2, Architecture: "sparc"}))
	require.NoError(t, c.Set(InstanceType{Name: "custom.large", VCPU: 2, MemoryMiB: 4096, MaxENIs: 3, HourlyUSD: 0.05}))
	it, ok := c.Get("custom.large")
	require.True(t, ok)
	require.Equal(t, 2, it.AwsvpcTasks)
	require.Equal(t, registered(4096), it.RegisteredMemoryMiB)
}

func TestFargatePrices(t *testing.T) {
	p := DefaultPrices()
	// 0.25 vCPU, 0.5 GB for an hour.
	require.InDelta(t, 0.25*0.04048+0.5*0.004445, p.FargateHourly(256, 512, false), 1e-12)
	require.InDelta(t, 1*0.03238+2*0.00356, p.FargateHourly(1024, 2048, true), 1e-12)
	require.Equal(t, time.Minute, p.Billed(10*time.Second))
	require.Equal(t, time.Hour, p.Billed(time.Hour))
	require.False(t, math.IsNaN(p.FargateSpotDiscount))
}
