package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// shellBlocks returns the lines of the ```sh blocks of a Markdown text.
func shellBlocks(md string) [][]string {
	var blocks [][]string
	var cur []string
	in := false
	for _, line := range strings.Split(md, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```sh":
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, cur)
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}

// TestEndpointDocSamples runs the shell samples of docs/endpoint.md and of
// the README's endpoint section: each `ecssim serve` line starts a server
// (one ending in & serves the lines after it), and each aws or curl line
// must succeed against it.
func TestEndpointDocSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the aws command line; not in -short")
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "endpoint.md"))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "## The endpoint")
	require.True(t, ok, "the README has an endpoint section")
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := append(shellBlocks(string(doc)), shellBlocks(section)...)
	require.GreaterOrEqual(t, len(blocks), 4)
	home := t.TempDir()
	for i, block := range blocks {
		t.Run("block"+strconv.Itoa(i+1), func(t *testing.T) {
			addr := ""
			for _, line := range block {
				line = strings.TrimSpace(line)
				switch {
				case line == "" || strings.HasPrefix(line, "export "):
				case strings.HasPrefix(line, "ecssim serve"):
					args := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(line, "ecssim serve"), "&"))
					a := startServe(t, args...)
					if strings.HasSuffix(line, "&") {
						addr = a
					}
				case strings.HasPrefix(line, "aws ") || strings.HasPrefix(line, "curl "):
					bin, _, _ := strings.Cut(line, " ")
					if _, err := exec.LookPath(bin); err != nil {
						t.Skipf("%s is not installed", bin)
					}
					if addr == "" {
						addr = startServe(t)
					}
					cmd := exec.Command("sh", "-c", strings.ReplaceAll(line, "127.0.0.1:4599", addr))
					cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
						"AWS_CONFIG_FILE="+filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "none"), "AWS_PAGER=", "HOME="+home)
					var out bytes.Buffer
					cmd.Stdout, cmd.Stderr = &out, &out
					require.NoError(t, cmd.Run(), "%s\n%s", line, out.String())
				default:
					t.Fatalf("the docs test does not know how to run %q", line)
				}
			}
		})
	}
}
