package lint

import (
	"fmt"
	"strings"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/ecs"
)

// document is a decoded Document: exactly one of the inputs is set.
type document struct {
	kind    Kind
	zones   map[string]string
	taskDef *ecs.RegisterTaskDefinitionInput
	service *ecs.CreateServiceInput
	target  *autoscaling.RegisterScalableTargetInput
	policy  *autoscaling.PutScalingPolicyInput
}

func decode(doc Document) (*document, error) {
	d := &document{kind: doc.Kind, zones: doc.Zones}
	var err error
	switch doc.Kind {
	case TaskDefinition:
		d.taskDef = new(ecs.RegisterTaskDefinitionInput)
		err = decodeInto(doc.Input, d.taskDef)
	case Service:
		d.service = new(ecs.CreateServiceInput)
		err = decodeInto(doc.Input, d.service)
	case ScalableTarget:
		d.target = new(autoscaling.RegisterScalableTargetInput)
		err = decodeInto(doc.Input, d.target)
	case ScalingPolicy:
		d.policy = new(autoscaling.PutScalingPolicyInput)
		err = decodeInto(doc.Input, d.policy)
	default:
		err = fmt.Errorf("unknown document kind %q", doc.Kind)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// disabledByTag returns the rule IDs the document's DisableTag lists.
func (d *document) disabledByTag() []string {
	var value string
	switch {
	case d.taskDef != nil:
		value = tagValue(d.taskDef.Tags)
	case d.service != nil:
		value = tagValue(d.service.Tags)
	case d.target != nil:
		value = d.target.Tags[DisableTag]
	}
	return strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' })
}

func tagValue(tags []api.Tag) string {
	for _, t := range tags {
		if api.Deref(t.Key) == DisableTag {
			return api.Deref(t.Value)
		}
	}
	return ""
}

// containerPath is the JSON path of container i of a task definition.
func containerPath(i int) string { return fmt.Sprintf("containerDefinitions[%d]", i) }

// isEssential reports whether a container is essential: the default is
// true. [API:ContainerDefinition.essential]
func isEssential(c *ecs.ContainerDefinition) bool { return c.Essential == nil || *c.Essential }
