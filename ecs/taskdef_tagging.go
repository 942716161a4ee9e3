package ecs

import (
	"slices"
	"strings"

	"github.com/ecssim/ecssim/api"
)

// TagResource, UntagResource and ListTagsForResource dispatch on the
// resource type of the ARN: arn:aws:ecs:<region>:<account>:<type>/<id>.
// Clusters and task definitions are modelled; the task and service code
// adds its types to taggable.

// taggedResource is a resource's tag list, read and replaced through the
// resource's own record.
type taggedResource struct {
	get func() []api.Tag
	set func([]api.Tag)
}

// taggable resolves a resource ARN to its tags. Errors: a malformed ARN or
// an unsupported resource type is an InvalidParameterException; an unknown
// cluster a ClusterNotFoundException; an unknown task definition a
// ClientException as DescribeTaskDefinition gives it.
// [API:TagResourceRequest.resourceArn]
func (m *ECS) taggable(arn string) (taggedResource, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ecs" {
		// (ecssim wording)
		return taggedResource{}, api.InvalidParameter("Invalid resource ARN %q: expected arn:aws:ecs:<region>:<account>:<resource-type>/<name>.", arn).At("resourceArn")
	}
	kind, id, _ := strings.Cut(parts[5], "/")
	foreign := parts[3] != m.cfg.Region || parts[4] != m.cfg.AccountID
	switch kind {
	case "cluster":
		c, ok := m.clusters.byName[id]
		if foreign || !ok || c.status != ClusterActive {
			return taggedResource{}, clusterNotFound().At("resourceArn")
		}
		return taggedResource{get: func() []api.Tag { return c.tags }, set: func(t []api.Tag) { c.tags = t }}, nil
	case "task-definition":
		r, ok, err := m.parseTDRef(arn)
		if err != nil {
			return taggedResource{}, err
		}
		var rec *tdRecord
		if ok && r.rev > 0 {
			rec = m.lookup(r)
		}
		if rec == nil {
			return taggedResource{}, api.ClientException("Unable to describe task definition.").At("resourceArn")
		}
		return taggedResource{get: func() []api.Tag { return rec.tags }, set: func(t []api.Tag) { rec.tags = t }}, nil
	case "service":
		// service/<cluster>/<name>
		clName, name, _ := strings.Cut(id, "/")
		c, ok := m.clusters.byName[clName]
		if foreign || !ok || c.services[name] == nil {
			return taggedResource{}, api.Errorf(CodeServiceNotFound, "Service not found.").At("resourceArn")
		}
		s := c.services[name]
		return taggedResource{get: func() []api.Tag { return s.tags }, set: func(t []api.Tag) { s.tags = t }}, nil
	case "task":
		t, ok := m.tasks[id[strings.LastIndexByte(id, '/')+1:]]
		if foreign || !ok || t.arn != arn {
			return taggedResource{}, api.InvalidParameter("The referenced task was not found.").At("resourceArn")
		}
		return taggedResource{get: func() []api.Tag { return t.tags }, set: func(tags []api.Tag) { t.tags = tags }}, nil
	case "container-instance":
		in, ok := m.instances[id[strings.LastIndexByte(id, '/')+1:]]
		if foreign || !ok || in.arn != arn || in.status == InstanceInactive {
			return taggedResource{}, api.InvalidParameter("The referenced container instance was not found.").At("resourceArn")
		}
		return taggedResource{get: func() []api.Tag { return in.tags }, set: func(t []api.Tag) { in.tags = t }}, nil
	case "capacity-provider":
		p, ok := m.providers[id]
		if foreign || !ok {
			return taggedResource{}, api.InvalidParameter("The specified capacity provider was not found. Specify a valid capacity provider and try again.").At("resourceArn")
		}
		return taggedResource{get: func() []api.Tag { return p.tags }, set: func(t []api.Tag) { p.tags = t }}, nil
	}
	// (ecssim wording)
	return taggedResource{}, api.InvalidParameter("Tagging resources of type %q is not supported by ecssim yet.", kind).At("resourceArn")
}

// TagResource adds tags to a resource, replacing the value of keys it
// already has. The resulting set must satisfy the tag rules (at most 50
// tags, key and value lengths, no aws: prefix). [API:TagResource]
func (m *ECS) TagResource(in *TagResourceInput) (*TagResourceOutput, error) {
	res, err := m.taggable(api.Deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, api.InvalidParameter("tags must be specified.").At("tags")
	}
	if err := validateTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	merged := deepClone(res.get())
	for _, t := range in.Tags {
		i := slices.IndexFunc(merged, func(e api.Tag) bool { return api.Deref(e.Key) == api.Deref(t.Key) })
		if i >= 0 {
			merged[i].Value = deepClone(t.Value)
		} else {
			merged = append(merged, deepClone(t))
		}
	}
	if len(merged) > maxTags {
		return nil, api.InvalidParameter("Too many tags: the resource would have %d. A resource can have at most %d tags.", len(merged), maxTags).At("tags")
	}
	res.set(merged)
	return &TagResourceOutput{}, nil
}

// UntagResource removes tags by key; keys the resource lacks are ignored.
// [API:UntagResource]
func (m *ECS) UntagResource(in *UntagResourceInput) (*UntagResourceOutput, error) {
	res, err := m.taggable(api.Deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, api.InvalidParameter("tagKeys must be specified.").At("tagKeys")
	}
	kept := slices.DeleteFunc(deepClone(res.get()), func(t api.Tag) bool {
		return slices.Contains(in.TagKeys, api.Deref(t.Key))
	})
	res.set(kept)
	return &UntagResourceOutput{}, nil
}

// ListTagsForResource returns a resource's tags in the order they were
// added. [API:ListTagsForResource]
func (m *ECS) ListTagsForResource(in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	res, err := m.taggable(api.Deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	tags := deepClone(res.get())
	if tags == nil {
		tags = []api.Tag{}
	}
	return &ListTagsForResourceOutput{Tags: tags}, nil
}
