package ecs

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ecssim/ecssim/api"
)

// Tag limits. [API:RegisterTaskDefinitionRequest.tags] [API shapes TagKey, TagValue]
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// validateTags applies ECS's tag rules: at most 50 tags, keys of 1 to 128
// characters that do not start with the reserved "aws:" prefix, values of
// at most 256 characters, no key twice.
func validateTags(tags []api.Tag, path string) error {
	if len(tags) > maxTags {
		return api.InvalidParameter("Too many tags: %d. A resource can have at most %d tags.", len(tags), maxTags).At(path)
	}
	seen := make(map[string]bool, len(tags))
	for i, t := range tags {
		key, value := api.Deref(t.Key), api.Deref(t.Value)
		switch {
		case t.Key == nil || key == "":
			return api.InvalidParameter("Tag keys must be between 1 and %d characters.", maxTagKeyLen).At(indexPath(path, i, "key"))
		case utf8.RuneCountInString(key) > maxTagKeyLen:
			return api.InvalidParameter("Tag key %q is longer than %d characters.", key, maxTagKeyLen).At(indexPath(path, i, "key"))
		case utf8.RuneCountInString(value) > maxTagValueLen:
			return api.InvalidParameter("The value of tag %q is longer than %d characters.", key, maxTagValueLen).At(indexPath(path, i, "value"))
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			return api.InvalidParameter("Tag keys beginning with 'aws:' are reserved for AWS use.").At(indexPath(path, i, "key"))
		case seen[key]:
			return api.InvalidParameter("Duplicate tag key %q.", key).At(indexPath(path, i, "key"))
		}
		seen[key] = true
	}
	return nil
}

// indexPath builds a JSON path such as "settings[2].name".
func indexPath(list string, i int, field string) string {
	p := fmt.Sprintf("%s[%d]", list, i)
	if field != "" {
		p += "." + field
	}
	return p
}
