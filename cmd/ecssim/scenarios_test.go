package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/scenario"
)

func TestScenariosCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"list", []string{"scenarios"}, 0},
		{"show one", []string{"scenarios", "az-failure"}, 0},
		{"show one with prefix", []string{"scenarios", "example:az-failure"}, 0},
		{"unknown", []string{"scenarios", "nope"}, 2},
		{"too many", []string{"scenarios", "a", "b"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCmd(tc.args...)
			require.Equal(t, tc.code, r.code, r.stderr)
			switch tc.name {
			case "list":
				for _, ex := range scenario.Examples() {
					require.Contains(t, r.stdout, "example:"+ex.Name)
					require.Contains(t, r.stdout, ex.Description)
				}
				require.Contains(t, r.stdout, "example:nginx-rolling-update (default)")
				runGolden(t, filepath.Join("testdata", "scenarios", "list.golden"), r.format(tc.args))
			case "show one", "show one with prefix":
				src, err := scenario.ExampleSource("az-failure")
				require.NoError(t, err)
				require.Equal(t, string(src), r.stdout)
			case "unknown":
				require.Contains(t, r.stderr, `no example scenario "nope"; the examples are: alb-health-check-rollback, alb-overload-cascade, alb-traffic-scale-out, az-failure,`)
			}
		})
	}
}
