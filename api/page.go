package api

import (
	"encoding/base64"
	"errors"
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
