package api

import (
	"fmt"
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

func TestPageSorted(t *testing.T) {
	keys := []string{"a", "b", "c", "d", "e", "f", "g"}
	odd := func(k string) bool { return k != "b" && k != "d" && k != "f" }
	for _, keep := range []func(string) bool{nil, odd} {
		var want []string
		for _, k := range keys {
			if keep == nil || keep(k) {
				want = append(want, k)
			}
		}
		// Walk every page size: the pages cover the kept keys once, in
		// order, and no page after the first is empty.
		for size := int32(1); size <= 8; size++ {
			var got []string
			var token *string
			for {
				page, next, err := PageSorted(keys, keep, &size, token, 8)
				require.NoError(t, err)
				require.LessOrEqual(t, len(page), int(size))
				require.True(t, len(page) > 0 || token == nil, "an empty page after the first")
				got = append(got, page...)
				if next == nil {
					break
				}
				token = next
			}
			require.Equal(t, want, got, "page size %d", size)
		}
	}
	page, next, err := PageSorted(keys, nil, nil, nil, 5)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, page, "no maxResults: the limit")
	require.NotNil(t, next)

	// A key removed between calls does not shift the next page.
	page, _, err = PageSorted([]string{"a", "b", "d", "e", "f", "g"}, nil, nil, next, 5)
	require.NoError(t, err)
	require.Equal(t, []string{"f", "g"}, page)

	empty, next, err := PageSorted(nil, nil, nil, nil, 5)
	require.NoError(t, err)
	require.Empty(t, empty)
	require.Nil(t, next)

	for _, bad := range []int32{0, -1, 6} {
		_, _, err := PageSorted(keys, nil, &bad, nil, 5)
		require.ErrorIs(t, err, ErrMaxResults, "maxResults %d", bad)
	}
	for _, tok := range []string{"!!", "="} {
		_, _, err := PageSorted(keys, nil, nil, &tok, 5)
		require.ErrorIs(t, err, ErrNextToken, "token %q", tok)
	}
}

// BenchmarkPageSorted pages through 10,000 keys 10 at a time: one op is
// the whole walk.
func BenchmarkPageSorted(b *testing.B) {
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = fmt.Sprintf("svc-%05d", i)
	}
	size := int32(10)
	for b.Loop() {
		var token *string
		for {
			_, next, err := PageSorted(keys, nil, &size, token, 100)
			if err != nil {
				b.Fatal(err)
			}
			if token = next; token == nil {
				break
			}
		}
	}
}
