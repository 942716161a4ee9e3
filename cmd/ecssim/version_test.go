package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecssim/ecssim/scenario"
)

func TestVersion(t *testing.T) {
	r := runCmd("--version")
	require.Equal(t, 0, r.code)
	require.True(t, strings.HasPrefix(r.stdout, "ecssim "), r.stdout)
	require.Equal(t, version()+"\n", r.stdout)

	for _, tc := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.4.0"}}, "ecssim v0.4.0, go1.26.0"},
		{debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}},
			"ecssim (devel) (commit 0123456789ab, modified), go1.26.0"},
		{debug.BuildInfo{GoVersion: "go1.26.0"}, "ecssim (devel), go1.26.0"},
	} {
		require.Equal(t, tc.want, versionOf(&tc.info))
	}
}

func TestScenariosExport(t *testing.T) {
	for _, ex := range scenario.Examples() {
		t.Run(ex.Name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "mine")
			r := runCmd("scenarios", ex.Name, "--export", dir)
			require.Equal(t, 0, r.code, r.stderr)
			file := filepath.Join(dir, ex.Name+".yaml")
			require.Contains(t, r.stdout, "Run it with: ecssim run "+file)
			got, err := os.ReadFile(file)
			require.NoError(t, err)
			src, err := scenario.ExampleSource(ex.Name)
			require.NoError(t, err)
			require.Equal(t, src, got)
			// The exported copy loads on its own: its input files came along.
			s, err := scenario.Load(file)
			require.NoError(t, err)
			for _, st := range s.Steps {
				if st.InputFile != "" {
					require.Contains(t, r.stdout, filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(st.InputFile, "file://"))))
				}
			}
			if !testing.Short() {
				r = runCmd("run", file)
				require.Equal(t, 0, r.code, r.stderr)
			}

			// A second export into the same place writes nothing.
			r = runCmd("scenarios", ex.Name, "--export", dir)
			require.Equal(t, 1, r.code)
			require.Contains(t, r.stderr, "already exists; nothing was written")
		})
	}
	r := runCmd("scenarios", "--export", t.TempDir())
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, "--export needs the NAME")
	r = runCmd("scenarios", "nope", "--export", t.TempDir())
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, `no example scenario "nope"`)
}
