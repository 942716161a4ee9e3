package api

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPage(t *testing.T) {
	items := []int{0, 1, 2, 3, 4, 5, 6}
	// Walk every page size: the pages cover items once, in order.
	for size := int32(1); size <= 8; size++ {
		var got []int
		var token *string
		for {
			page, next, err := Page(items, &size, token, 8)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page), int(size))
			got = append(got, page...)
			if next == nil {
				break
			}
			token = next
		}
		require.Equal(t, items, got, "page size %d", size)
	}
	page, next, err := Page(items, nil, nil, 5)
	require.NoError(t, err)
	require.Equal(t, []int{0, 1, 2, 3, 4}, page, "no maxResults: the limit")
	require.NotNil(t, next)

	empty, next, err := Page([]int{}, nil, nil, 5)
	require.NoError(t, err)
	require.Empty(t, empty)
	require.Nil(t, next)

	for _, bad := range []int32{0, -1, 6} {
		_, _, err := Page(items, &bad, nil, 5)
		require.ErrorIs(t, err, ErrMaxResults, "maxResults %d", bad)
	}
	for _, tok := range []string{"!!", "LTE", "OTk", "eA"} { // not base64, -1, 99, "x"
		_, _, err := Page(items, nil, &tok, 5)
		require.ErrorIs(t, err, ErrNextToken, "token %q", tok)
	}
}
