package ecssimtest

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseSeeds(t *testing.T) {
	tests := []struct {
		in   string
		want []uint64
		err  bool
	}{
		{"3", []uint64{3}, false},
		{"0-4", []uint64{0, 1, 2, 3, 4}, false},
		{"716, 780,996", []uint64{716, 780, 996}, false},
		{"0-1,474,10-10", []uint64{0, 1, 474, 10}, false},
		{"18446744073709551615", []uint64{1<<64 - 1}, false},
		{"18446744073709551614-18446744073709551615", []uint64{1<<64 - 2, 1<<64 - 1}, false},
		{"", nil, true},
		{"1,", nil, true},
		{"a", nil, true},
		{"-3", nil, true},
		{"5-3", nil, true},
		{"1-", nil, true},
		{"0-99999999999", nil, true},
		{"0-999999,0-999999", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSeeds(tc.in)
			if tc.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestSeeds(t *testing.T) {
	t.Setenv(SeedsEnv, "")
	require.Equal(t, []uint64{0, 1, 2}, Seeds(t, 3), "unset or empty: the default range")
	t.Setenv(SeedsEnv, "7,9-10")
	require.Equal(t, []uint64{7, 9, 10}, Seeds(t, 3))
}
