package elb

import (
	"regexp"
	"slices"
	"strings"

	"github.com/ecssim/ecssim/api"
)

// maxTags is how many tags one resource can have. [ELB:limits] (50 tags
// per resource)
const maxTags = 50

// tagSet is a resource's tags in the order they were first added.
type tagSet struct {
	keys []string
	vals map[string]string
}

var tagRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// checkTags checks tags against the model: keys 1-128 characters, values
// up to 256, both from the allowed characters, no key twice.
// [ELBAPI:TagKey] [ELBAPI:TagValue]
func checkTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if t.Key == nil {
			return missing("Tags.member.Key")
		}
		k, v := *t.Key, api.Deref(t.Value)
		if n := len([]rune(k)); n < 1 || n > 128 {
			return constraint("Tags.member.Key", k, "Member must have length between 1 and 128")
		}
		if len([]rune(v)) > 256 {
			return constraint("Tags.member.Value", v, "Member must have length less than or equal to 256")
		}
		if !tagRE.MatchString(k) || !tagRE.MatchString(v) {
			return constraint("Tags.member.Key", k, `Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return validation("Tags", "Tag keys starting with 'aws:' are reserved for internal use")
		}
		if seen[k] {
			return api.Errorf(CodeDuplicateTagKeys, "Tag key '%s' is specified more than once", k)
		}
		seen[k] = true
	}
	return nil
}

func newTags(tags []Tag) (tagSet, error) {
	var s tagSet
	if err := checkTags(tags); err != nil {
		return s, err
	}
	if len(tags) > maxTags {
		return s, api.Errorf(CodeTooManyTags, "A resource can have at most %d tags", maxTags)
	}
	s.add(tags)
	return s, nil
}

func (s *tagSet) add(tags []Tag) {
	if s.vals == nil {
		s.vals = map[string]string{}
	}
	for _, t := range tags {
		k := *t.Key
		if _, ok := s.vals[k]; !ok {
			s.keys = append(s.keys, k)
		}
		s.vals[k] = api.Deref(t.Value)
	}
}

func (s *tagSet) remove(keys []string) {
	for _, k := range keys {
		if _, ok := s.vals[k]; ok {
			delete(s.vals, k)
			s.keys = slices.DeleteFunc(s.keys, func(x string) bool { return x == k })
		}
	}
}

func (s tagSet) shape() []Tag {
	out := make([]Tag, len(s.keys))
	for i, k := range s.keys {
		out[i] = Tag{Key: api.String(k), Value: api.String(s.vals[k])}
	}
	return out
}

// tagsOf returns the tags of the resource an ARN names, or the error AWS
// gives for a resource of that kind that does not exist.
func (m *ELB) tagsOf(arn string) (*tagSet, error) {
	rest := strings.TrimPrefix(arn, m.arnPrefix())
	switch {
	case strings.HasPrefix(rest, "loadbalancer/"):
		if lb, ok := m.lbByArn[arn]; ok {
			return &lb.tags, nil
		}
		return nil, lbNotFound()
	case strings.HasPrefix(rest, "targetgroup/"):
		if tg, ok := m.tgByArn[arn]; ok {
			return &tg.tags, nil
		}
		return nil, tgNotFound()
	case strings.HasPrefix(rest, "listener/"):
		if ls, ok := m.lsByArn[arn]; ok {
			return &ls.tags, nil
		}
		return nil, listenerNotFound()
	case strings.HasPrefix(rest, "listener-rule/"):
		if r, ok := m.ruleByArn[arn]; ok {
			return &r.tags, nil
		}
		return nil, ruleNotFound()
	}
	return nil, validation("ResourceArns", "'%s' is not a valid load balancer, target group, listener or rule ARN", arn)
}

// AddTags adds tags to resources, replacing the value of a key that is
// already there; all or nothing. [ELBAPI:AddTags]
func (m *ELB) AddTags(in *AddTagsInput) (*Empty, error) {
	if in.ResourceArns == nil {
		return nil, missing("ResourceArns")
	}
	if in.Tags == nil {
		return nil, missing("Tags")
	}
	if len(in.Tags) == 0 {
		return nil, constraint("Tags", "[]", "Member must have length greater than or equal to 1")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	var sets []*tagSet
	for _, arn := range in.ResourceArns {
		s, err := m.tagsOf(arn)
		if err != nil {
			return nil, err
		}
		n := len(s.keys)
		for _, t := range in.Tags {
			if _, ok := s.vals[*t.Key]; !ok {
				n++
			}
		}
		if n > maxTags {
			return nil, api.Errorf(CodeTooManyTags, "The quota for the number of tags that can be assigned to a load balancer has been reached")
		}
		sets = append(sets, s)
	}
	for _, s := range sets {
		s.add(in.Tags)
	}
	return &Empty{}, nil
}

// RemoveTags removes tag keys from resources; absent keys are ignored.
// [ELBAPI:RemoveTags]
func (m *ELB) RemoveTags(in *RemoveTagsInput) (*Empty, error) {
	if in.ResourceArns == nil {
		return nil, missing("ResourceArns")
	}
	if in.TagKeys == nil {
		return nil, missing("TagKeys")
	}
	var sets []*tagSet
	for _, arn := range in.ResourceArns {
		s, err := m.tagsOf(arn)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	for _, s := range sets {
		s.remove(in.TagKeys)
	}
	return &Empty{}, nil
}

// DescribeTags returns the tags of up to 20 resources.
// [ELBAPI:DescribeTagsInput.ResourceArns]
func (m *ELB) DescribeTags(in *DescribeTagsInput) (*DescribeTagsOutput, error) {
	if in.ResourceArns == nil {
		return nil, missing("ResourceArns")
	}
	if len(in.ResourceArns) > maxArns {
		return nil, validation("ResourceArns", "A maximum of %d resources can be described at once", maxArns)
	}
	out := &DescribeTagsOutput{TagDescriptions: []TagDescription{}}
	for _, arn := range in.ResourceArns {
		s, err := m.tagsOf(arn)
		if err != nil {
			return nil, err
		}
		out.TagDescriptions = append(out.TagDescriptions, TagDescription{ResourceArn: arn, Tags: s.shape()})
	}
	return out, nil
}
