package api

import (
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
)

// Errors of [Page], which each service turns into its own AWS error.
var (
	ErrMaxResults = errors.New("maxResults out of range")
	ErrNextToken  = errors.New("invalid next token")
)

// Page returns one page of items for a List or Describe call, and the
// token of the next page (nil on the last). maxResults may be nil (then
// limit items, the action's documented maximum) and must lie in [1,
// limit] otherwise. Tokens are opaque offsets into items. The page shares
// items' backing array.
func Page[T any](items []T, maxResults *int32, token *string, limit int) ([]T, *string, error) {
	n := limit
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > limit {
			return nil, nil, ErrMaxResults
		}
		n = int(*maxResults)
	}
	start := 0
	if token != nil && *token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(*token)
		off, perr := strconv.Atoi(string(raw))
		if err != nil || perr != nil || off < 0 || off > len(items) {
			return nil, nil, ErrNextToken
		}
		start = off
	}
	end := min(start+n, len(items))
	var next *string
	if end < len(items) {
		tok := base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
		next = &tok
	}
	return items[start:end], next, nil
}

// PageSorted returns one page of the keys that keep accepts (nil accepts
// all), for a List call over keys sorted in increasing order, and the
// token of the next page (nil on the last). maxResults is checked as
// [Page] does. A token names the last key of its page, so a page costs a
// binary search plus the keys it passes over, whatever the page's
// position: paging through n keys is O(n log n) in all, not O(n²) as
// when each page recomputes the listing. Keys added or removed between
// calls do not shift later pages.
func PageSorted(keys []string, keep func(string) bool, maxResults *int32, token *string, limit int) ([]string, *string, error) {
	n := limit
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > limit {
			return nil, nil, ErrMaxResults
		}
		n = int(*maxResults)
	}
	start := 0
	if token != nil && *token != "" {
		after, err := base64.RawURLEncoding.DecodeString(*token)
		if err != nil || len(after) == 0 {
			return nil, nil, ErrNextToken
		}
		start, _ = slices.BinarySearch(keys, string(after))
		if start < len(keys) && keys[start] == string(after) {
			start++
		}
	}
	page := []string{}
	i := start
	for ; i < len(keys); i++ {
		if keep != nil && !keep(keys[i]) {
			continue
		}
		if len(page) == n {
			break // a key after the page: there is a next page
		}
		page = append(page, keys[i])
	}
	if i == len(keys) {
		return page, nil, nil
	}
	tok := base64.RawURLEncoding.EncodeToString([]byte(page[len(page)-1]))
	return page, &tok, nil
}
