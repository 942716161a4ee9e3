package ecs

import (
	"encoding/base64"
	"strconv"

	"github.com/ecssim/ecssim/api"
)

// paginate returns one page of items for a List* call. maxResults may be
// nil (then limit items, the action's documented maximum, are returned with
// no token... unless more remain) and must lie in [1, limit] otherwise.
// Tokens are opaque offsets; an invalid token is an
// InvalidParameterException, as on AWS.
func paginate[T any](items []T, maxResults *int32, nextToken *string, limit int) ([]T, *string, error) {
	n := limit
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > limit {
			return nil, nil, api.InvalidParameter("maxResults must be between 1 and %d.", limit)
		}
		n = int(*maxResults)
	}
	start := 0
	if nextToken != nil && *nextToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(*nextToken)
		off, perr := strconv.Atoi(string(raw))
		if err != nil || perr != nil || off < 0 || off > len(items) {
			return nil, nil, api.InvalidParameter("Invalid token %s", *nextToken)
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
