package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxFileSize bounds a scenario file and each input file it names: 16 MiB
// holds hundreds of thousands of steps, and the bound is checked while
// reading, so that a file such as /dev/zero or an endless pipe is
// refused after 16 MiB instead of filling memory.
const MaxFileSize = 16 << 20

// ReadLimited reads r to its end, but never more than limit+1 bytes: an
// input longer than limit is an error that names it (name) and the limit.
func ReadLimited(r io.Reader, name string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %s, the most ecssim reads from one file", name, FormatSize(limit))
	}
	return b, nil
}

// FormatSize prints a byte count the way limits are written: "16 MiB",
// "64 KiB", or "100 bytes" when it is not a whole number of either.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// readFile reads a file of the operating system, at most MaxFileSize bytes.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, openError(err)
	}
	defer f.Close()
	return ReadLimited(f, name, MaxFileSize)
}

// readFSFile reads a file of fsys, at most MaxFileSize bytes.
func readFSFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, openError(err)
	}
	defer f.Close()
	return ReadLimited(f, name, MaxFileSize)
}

// openError words a failure to open a file: "cannot read PATH: REASON".
func openError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot read %s: %v", pe.Path, pe.Err)
	}
	return err
}
