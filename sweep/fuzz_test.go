package sweep_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecssim/ecssim/sweep"
)

// FuzzReadPartial checks that any file gives a partial result or an
// error, never a panic, and that a partial read back merges or fails
// cleanly.
func FuzzReadPartial(f *testing.F) {
	f.Add([]byte(`{"format":"ecssim-sweep-partial/1","name":"x","metrics":["time_to_steady","deploy_time","min_running","min_healthy","failed_tasks","cb_trips","scaling_activities","peak_tasks","cost_usd","expect_failed","passed"],"grid":[{"Name":"n","Values":["1"]}],"seeds":[1],"shard":0,"shards":1,"runs":[{"point":0,"seed":1,"values":["1","inf","","0","0","0","0","0","0","0","1"]}]}`))
	f.Add([]byte(`{"format":"ecssim-sweep-partial/1","shards":1,"runs":[{"point":5,"values":[]}]}`))
	f.Add([]byte(`{"format":"ecssim-sweep-partial/1","name":"x","metrics":["time_to_steady","deploy_time","min_running","min_healthy","failed_tasks","cb_trips","scaling_activities","peak_tasks","cost_usd","expect_failed","passed","mine"],"grid":[],"seeds":[1],"shard":0,"shards":1,"runs":[{"point":0,"seed":1,"values":["1","inf","","0","0","0","0","0","0","0","1","7"]}]}`))
	f.Add([]byte("{"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "p.json")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := sweep.ReadPartial(name)
		if err != nil {
			return
		}
		if m, err := sweep.Merge(r); err == nil {
			_ = m.Aggregate()
		}
	})
}
