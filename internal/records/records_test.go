package records_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/internal/records"
	"github.com/ecssim/ecssim/sim"
)

func TestNames(t *testing.T) {
	clusterArn := "arn:aws:ecs:us-east-1:123456789012:cluster/demo"
	serviceArn := "arn:aws:ecs:us-east-1:123456789012:service/demo/web"
	require.Equal(t, "demo/web", records.ServiceName(serviceArn))
	require.Equal(t, "nope", records.ServiceName("nope"))
	require.Equal(t, serviceArn, records.ServiceARN(clusterArn, "service:web"))
	require.Equal(t, "", records.ServiceARN(clusterArn, "family:web"))
	require.Equal(t, "", records.ServiceARN("nope", "service:web"))
	require.Equal(t, "web", records.LastPart(serviceArn))
	require.Equal(t, "web", records.LastPart("web"))
}

func TestDetail(t *testing.T) {
	type detail struct {
		Name string `json:"name"`
	}
	d, ok := records.Detail[detail](sim.Record{Event: sim.Event{Detail: detail{Name: "a"}}})
	require.True(t, ok)
	require.Equal(t, "a", d.Name)
	d, ok = records.Detail[detail](sim.Record{Event: sim.Event{Detail: &detail{Name: "b"}}})
	require.True(t, ok)
	require.Equal(t, "b", d.Name)
	d, ok = records.Detail[detail](sim.Record{Line: []byte(`{"detail":{"name":"c"}}`)})
	require.True(t, ok)
	require.Equal(t, "c", d.Name)
	_, ok = records.Detail[detail](sim.Record{Line: []byte(`{"detail":`)})
	require.False(t, ok)
	_, ok = records.Detail[detail](sim.Record{Line: []byte(`{}`)})
	require.False(t, ok)
}
