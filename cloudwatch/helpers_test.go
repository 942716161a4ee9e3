package cloudwatch

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// start is the test clock's start: 2026-01-01T00:00:00Z, on the minute.
var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type harness struct {
	eng   *sim.Engine
	cw    *CloudWatch
	table *api.Table
	c     Client
}

func newHarness(t testing.TB) *harness {
	eng := sim.New(1, sim.FromTime(start))
	cw := New(eng, Config{Region: "us-east-1", AccountID: "123456789012"})
	table := api.NewTable()
	cw.Register(table)
	return &harness{eng: eng, cw: cw, table: table, c: NewClient(table)}
}

// call invokes an action with JSON, as the endpoint does.
func (h *harness) call(t testing.TB, action, input string) (map[string]any, error) {
	t.Helper()
	out, err := h.table.Invoke("cloudwatch:"+action, []byte(input))
	if err != nil {
		return nil, err
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m))
	return m, nil
}

func (h *harness) must(t testing.TB, action, input string) map[string]any {
	t.Helper()
	m, err := h.call(t, action, input)
	require.NoError(t, err, "%s %s", action, input)
	return m
}

// run advances the clock by d.
func (h *harness) run(t testing.TB, d time.Duration) {
	t.Helper()
	require.NoError(t, h.eng.RunFor(d))
}

func ts(d time.Duration) *api.Timestamp {
	v := api.NewTimestamp(start.Add(d))
	return &v
}
