package ecs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
)

// requireAPIError checks err's code and message.
func requireAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *api.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, code, e.Code)
	require.Equal(t, msg, e.Message)
}

func TestRevisionsPerFamilyQuota(t *testing.T) {
	m, table, _ := newTDModel(t)
	// A family already at the quota; filling it by registration would
	// take a million calls.
	m.defs.families["full"] = &tdFamily{name: "full", revs: make([]*tdRecord, MaxRevisionsPerFamily)}
	_, err := invoke(t, table, "ecs:RegisterTaskDefinition", `{"family":"full","containerDefinitions":[{"name":"a","image":"a","memory":128}]}`)
	requireAPIError(t, err, CodeLimitExceeded, "The task definition family full has reached the limit of 1000000 revisions.")
	require.Len(t, m.defs.families["full"].revs, MaxRevisionsPerFamily, "nothing registered")
	_, err = invoke(t, table, "ecs:RegisterTaskDefinition", `{"family":"other","containerDefinitions":[{"name":"a","image":"a","memory":128}]}`)
	require.NoError(t, err)
}

func TestTaskDefinitionSizeQuota(t *testing.T) {
	// Pad an environment variable so that the compact JSON of the request
	// is exactly n bytes.
	doc := func(n int) string {
		const head, tail = `{"family":"big","containerDefinitions":[{"name":"a","image":"a","memory":128,"environment":[{"name":"X","value":"`, `"}]}]}`
		return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
	}
	m, table, _ := newTDModel(t)
	_, err := invoke(t, table, "ecs:RegisterTaskDefinition", doc(MaxTaskDefinitionSize))
	require.NoError(t, err, "64 KiB exactly is allowed")
	_, err = invoke(t, table, "ecs:RegisterTaskDefinition", doc(MaxTaskDefinitionSize+1))
	requireAPIError(t, err, api.CodeClientException, "Actual length: '65537'. Max allowed length is '65536' bytes.")
	_, err = invoke(t, table, "ecs:RegisterTaskDefinition", doc(1<<20))
	requireAPIError(t, err, api.CodeClientException, fmt.Sprintf("Actual length: '%d'. Max allowed length is '65536' bytes.", 1<<20))
	require.Len(t, m.defs.families["big"].revs, 1)
}

func TestClustersQuota(t *testing.T) {
	m, _, _ := newTDModel(t)
	for i := range MaxClusters {
		_, err := m.CreateCluster(&CreateClusterInput{ClusterName: api.String(fmt.Sprintf("c%d", i))})
		require.NoError(t, err)
	}
	_, err := m.CreateCluster(&CreateClusterInput{ClusterName: api.String("one-more")})
	requireAPIError(t, err, api.CodeClientException, "The account has reached the limit of 10000 clusters in this Region. Delete clusters you no longer use.")
	_, err = m.CreateCluster(&CreateClusterInput{ClusterName: api.String("c7")})
	require.NoError(t, err, "creating an existing cluster again is idempotent")
	_, err = m.DeleteCluster(&DeleteClusterInput{Cluster: api.String("c7")})
	require.NoError(t, err)
	_, err = m.CreateCluster(&CreateClusterInput{ClusterName: api.String("one-more")})
	require.NoError(t, err, "a deleted cluster frees its place")
}
