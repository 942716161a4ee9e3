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

// paginateSorted is paginate for keys sorted in increasing order, with
// tokens that name the last key of a page (see [api.PageSorted]).
func paginateSorted(keys []string, keep func(string) bool, maxResults *int32, nextToken *string, limit int) ([]string, *string, error) {
	page, next, err := api.PageSorted(keys, keep, maxResults, nextToken, limit)
	switch err {
	case nil:
		return page, next, nil
	case api.ErrMaxResults:
		return nil, nil, api.InvalidParameter("maxResults must be between 1 and %d.", limit)
	default:
		return nil, nil, api.InvalidParameter("Invalid token %s", *nextToken)
	}
}
