package ecs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/workload"
)

// TestServiceMetricsKept: a service's metrics are computed once and kept
// while nothing they depend on changes; a change to the desired count or
// the traffic shows at the next minute, and traffic whose rate varies
// with time is computed every minute. A steady minute allocates nothing.
func TestServiceMetricsKept(t *testing.T) {
	m, table, _ := newTDModel(t)
	mustInvoke(t, table, "ecs:RegisterTaskDefinition", `{"family":"app","cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"a"}]}`)
	_, err := m.CreateCluster(&CreateClusterInput{ClusterName: api.String("c")})
	require.NoError(t, err)
	_, err = m.CreateService(&CreateServiceInput{Cluster: api.String("c"), ServiceName: api.String("web"), TaskDefinition: api.String("app"),
		DesiredCount: api.Int32(0), LaunchType: api.String(LaunchEC2)})
	require.NoError(t, err)
	s := m.clusters.byName["c"].services["web"]

	var got []ServiceMetrics
	minute := func() ServiceMetrics {
		got = got[:0]
		m.Metrics(func(ClusterMetrics) {}, func(sm ServiceMetrics) { got = append(got, sm) })
		require.Len(t, got, 1)
		return got[0]
	}
	require.Equal(t, 0, minute().Desired)
	require.True(t, s.row.kept, "no traffic: nothing varies")

	// Kept, not computed: a change the count does not see stays unseen
	// (which is why every path that changes an input counts it).
	defer func(v bool) { verifyMetrics = v }(verifyMetrics)
	verifyMetrics = false
	s.desired = 7
	require.Equal(t, 0, minute().Desired)
	s.desired = 0
	verifyMetrics = true

	_, err = m.UpdateService(&UpdateServiceInput{Cluster: api.String("c"), Service: api.String("web"), DesiredCount: api.Int32(3)})
	require.NoError(t, err)
	require.Equal(t, 3, minute().Desired)

	_, err = m.SetTraffic(&SetTrafficInput{Cluster: api.String("c"), Service: api.String("web"),
		Traffic: &workload.Traffic{Shape: workload.Constant(100), CPUPerRequest: time.Millisecond}})
	require.NoError(t, err)
	minute()
	require.True(t, s.row.kept, "a constant rate")
	require.Zero(t, testing.AllocsPerRun(10, func() { m.Metrics(func(ClusterMetrics) {}, func(ServiceMetrics) {}) }))

	_, err = m.SetTraffic(&SetTrafficInput{Cluster: api.String("c"), Service: api.String("web"),
		Traffic: &workload.Traffic{Shape: workload.Diurnal(10, 100, 14*time.Hour), CPUPerRequest: time.Millisecond}})
	require.NoError(t, err)
	minute()
	require.False(t, s.row.kept, "a rate that varies with time")
}
