package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// endless is standard input that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestEndlessInputs: inputs that never end are refused once they pass the
// limit, with the limit in the message, and nothing is run.
func TestEndlessInputs(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	t.Run("validate /dev/zero", func(t *testing.T) {
		out, _, code := runCLI(t, "", "validate", "/dev/zero")
		require.Equal(t, 2, code)
		require.Equal(t, "/dev/zero: cannot read: the file is larger than 16 MiB, the most ecssim reads from one file\n", out)
	})
	t.Run("run /dev/zero", func(t *testing.T) {
		r := runCmd("run", "/dev/zero")
		require.Equal(t, 2, r.code)
		require.Contains(t, r.stderr, "/dev/zero is larger than 16 MiB")
		require.Empty(t, r.stdout)
	})
	t.Run("validate standard input", func(t *testing.T) {
		var out, errOut bytes.Buffer
		root := newRootCommand(&out, &errOut)
		root.SetIn(endless{})
		root.SetArgs([]string{"validate", "-"})
		err := root.Execute()
		require.Error(t, err)
		require.Equal(t, 2, err.(*exitError).code)
		require.Equal(t, "<stdin>: cannot read: standard input is larger than 16 MiB, the most ecssim reads from one file\n", out.String())
	})
}

// TestDurationOverflow: a duration whose days and rest each fit an int64
// of nanoseconds but whose sum does not is an invalid scenario (exit 2),
// in the file and in --duration alike.
func TestDurationOverflow(t *testing.T) {
	const overflow = "1d2562047h47m16s"
	path := filepath.Join(t.TempDir(), "s.yaml")
	require.NoError(t, os.WriteFile(path, []byte("duration: "+overflow+"\nsteps:\n  - {at: 0s, call: ecs:CreateCluster, input: {clusterName: a}}\n"), 0o644))

	out, _, code := runCLI(t, "", "validate", path)
	require.Equal(t, 1, code)
	require.Contains(t, out, `duration: duration "`+overflow+`" is over a hundred years`)

	r := runCmd("run", path)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, `is over a hundred years`)

	r = runCmd("run", "--duration", overflow)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, `invalid argument "`+overflow+`" for --duration: duration "`+overflow+`" is over a hundred years`)
}

// TestRepeatedProblemsSummarised: a file that makes one mistake in
// thousands of steps gets a few lines and a count, not a line per step.
func TestRepeatedProblemsSummarised(t *testing.T) {
	var b strings.Builder
	b.WriteString("steps:\n")
	for range 10000 {
		b.WriteString("  - {at: 0s, call: ecs:Nope}\n")
	}
	path := filepath.Join(t.TempDir(), "many.yaml")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))

	r := runCmd("run", path)
	require.Equal(t, 2, r.code)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 7, r.stderr)
	require.Equal(t, fmt.Sprintf("%s:2: unknown call \"ecs:Nope\"", path), lines[0])
	require.Equal(t, fmt.Sprintf("… and 9,995 more like it (the last at %s:10001)", path), lines[5])
	require.Equal(t, fmt.Sprintf("ecssim: %s is not a valid scenario (10,000 problems); nothing was run", path), lines[6])

	out, _, code := runCLI(t, "", "validate", path)
	require.Equal(t, 1, code)
	require.Equal(t, 7, strings.Count(out, "\n"), out)
	require.Contains(t, out, ": 10,000 problems:\n")
	require.Contains(t, out, "… and 9,995 more like it")
}

// TestValidateTaskDefinitionSize: a task definition over AWS's 64 KiB
// quota is invalid, with AWS's error.
func TestValidateTaskDefinitionSize(t *testing.T) {
	doc := `{"family":"big","containerDefinitions":[{"name":"a","image":"a","memory":128,"environment":[{"name":"X","value":"` +
		strings.Repeat("x", 70000) + `"}]}]}`
	path := filepath.Join(t.TempDir(), "big.json")
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	out, _, code := runCLI(t, "", "validate", path)
	require.Equal(t, 1, code)
	require.Equal(t, path+": ClientException: Actual length: '70119'. Max allowed length is '65536' bytes.\n", out)
}
