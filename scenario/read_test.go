package scenario

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// endless is an input that never ends, like /dev/zero or a stuck pipe.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestReadLimited(t *testing.T) {
	tests := []struct {
		name  string
		input string
		limit int64
		err   string
	}{
		{"under", "abc", 4, ""},
		{"at", "abcd", 4, ""},
		{"over", "abcde", 4, "x is larger than 4 bytes, the most ecssim reads from one file"},
		{"over a KiB", strings.Repeat("a", 1025), 1024, "x is larger than 1 KiB"},
		{"over a MiB", strings.Repeat("a", 1<<20+1), 1 << 20, "x is larger than 1 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ReadLimited(strings.NewReader(tc.input), "x", tc.limit)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				require.Nil(t, b)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.input, string(b))
		})
	}
}

// TestReadLimitedStopsEarly: an endless input is refused after one byte
// more than the limit, not read to the end.
func TestReadLimitedStopsEarly(t *testing.T) {
	var e endless
	_, err := ReadLimited(&e, "standard input", MaxFileSize)
	require.ErrorContains(t, err, "standard input is larger than 16 MiB")
	require.LessOrEqual(t, e.read, int64(MaxFileSize+64<<10))
}

func TestReadLimitedError(t *testing.T) {
	_, err := ReadLimited(io.MultiReader(strings.NewReader("a"), errReader{}), "x", 10)
	require.ErrorContains(t, err, "cannot read x: broken")
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

// TestEndlessFiles: a scenario file or an input file that never ends
// (/dev/zero) is refused with the limit in the message.
func TestEndlessFiles(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Load("/dev/zero")
	require.ErrorContains(t, err, "/dev/zero is larger than 16 MiB")

	path := filepath.Join(t.TempDir(), "s.yaml")
	require.NoError(t, os.WriteFile(path, []byte("steps:\n  - {at: 0s, call: ecs:CreateCluster, inputFile: /dev/zero}\n"), 0o644))
	_, err = Load(path)
	require.ErrorContains(t, err, "/dev/zero is larger than 16 MiB")
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1000: "1000 bytes", 1024: "1 KiB", 65536: "64 KiB", 16 << 20: "16 MiB", 1<<20 + 1024: "1025 KiB"} {
		require.Equal(t, want, FormatSize(n))
	}
}
