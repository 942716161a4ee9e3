package ecssimtest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// SeedsEnv names the environment variable that replaces the seeds of
// random-scenario tests: a comma-separated list of seeds and inclusive
// ranges, such as "716,780,996" or "0-9999" or "0-99,474".
const SeedsEnv = "ECSSIM_SEEDS"

// maxSeeds bounds how many seeds one ECSSIM_SEEDS value may name, so that
// a typo such as 0-99999999999 fails at once instead of running for days.
const maxSeeds = 1_000_000

// Seeds returns the seeds a random-scenario test runs: those ECSSIM_SEEDS
// names when it is set, else 0 to n-1. A value that does not parse fails
// the test.
func Seeds(tb testing.TB, n uint64) []uint64 {
	tb.Helper()
	v, ok := os.LookupEnv(SeedsEnv)
	if !ok || strings.TrimSpace(v) == "" {
		out := make([]uint64, n)
		for i := range out {
			out[i] = uint64(i)
		}
		return out
	}
	seeds, err := ParseSeeds(v)
	if err != nil {
		tb.Fatalf("%s: %v", SeedsEnv, err)
	}
	return seeds
}

// ParseSeeds reads a list of seeds and inclusive ranges ("3", "0-99",
// "1,5,10-20"), in the order written; spaces around items are ignored.
func ParseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		lo, hi, isRange := strings.Cut(item, "-")
		a, err := strconv.ParseUint(strings.TrimSpace(lo), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a seed or a range such as 0-99", item)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(strings.TrimSpace(hi), 10, 64); err != nil || b < a {
				return nil, fmt.Errorf("%q is not a range such as 0-99", item)
			}
		}
		if b-a >= maxSeeds || uint64(len(out))+(b-a+1) > maxSeeds {
			return nil, fmt.Errorf("more than %d seeds", maxSeeds)
		}
		for x := a; ; x++ {
			out = append(out, x)
			if x == b {
				break
			}
		}
	}
	return out, nil
}
