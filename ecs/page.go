package ecs

import "github.com/ecssim/ecssim/api"

// paginate returns one page of items for a List* call (see [api.Page]),
// with ECS's errors: InvalidParameterException for a maxResults outside
// [1, limit] or an invalid token, as on AWS.
func paginate[T any](items []T, maxResults *int32, nextToken *string, limit int) ([]T, *string, error) {
	page, next, err := api.Page(items, maxResults, nextToken, limit)
	switch err {
	case nil:
		return page, next, nil
	case api.ErrMaxResults:
		return nil, nil, api.InvalidParameter("maxResults must be between 1 and %d.", limit)
	default:
		return nil, nil, api.InvalidParameter("Invalid token %s", *nextToken)
	}
}
