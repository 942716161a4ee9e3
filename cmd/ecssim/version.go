package main

import (
	"fmt"
	"runtime/debug"
)

// version says which build of ecssim this is, from what the Go toolchain
// recorded in the binary: the module version when installed with
// `go install github.com/ecssim/ecssim/cmd/ecssim@VERSION`, otherwise
// "(devel)" with the commit and whether the tree had changes.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "ecssim (unknown build)"
	}
	return versionOf(info)
}

func versionOf(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	out := "ecssim " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		out += fmt.Sprintf(" (commit %s%s)", rev, modified)
	}
	return out + ", " + info.GoVersion
}
