package scheduler

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecssim/ecssim/api"
)

// Names of strategy types, their fields and constraint types, as the ECS
// API spells them. [API:PlacementStrategy] [API:PlacementConstraint]
const (
	StrategyBinpack = "binpack"
	StrategySpread  = "spread"
	StrategyRandom  = "random"

	FieldCPU        = "cpu"
	FieldMemory     = "memory"
	FieldInstanceID = "instanceId"
	// FieldHost is a synonym of FieldInstanceID; plans normalise it, as
	// AWS does.
	FieldHost = "host"

	ConstraintDistinctInstance = "distinctInstance"
	ConstraintMemberOf         = "memberOf"
)

// Limits on a placement request. [API:CreateServiceRequest.placementStrategy]
// [API:RunTaskRequest.placementConstraints] [API:PlacementConstraint.expression]
const (
	MaxStrategies       = 5
	MaxConstraints      = 10
	MaxExpressionLength = 2000
)

// Strategy is a placement strategy as the API takes it.
type Strategy struct {
	Type  string `json:"type"`
	Field string `json:"field,omitempty"`
}

// Constraint is a placement constraint as the API takes it.
type Constraint struct {
	Type       string `json:"type"`
	Expression string `json:"expression,omitempty"`
}

// Spec is what a RunTask or CreateService request says about placement.
type Spec struct {
	// Strategies in order; at most [MaxStrategies].
	Strategies []Strategy
	// Constraints: the request's and the task definition's together, at
	// most [MaxConstraints]. [API:RunTaskRequest.placementConstraints]
	Constraints []Constraint
	// Service selects the default used when Strategies is empty: a
	// service's tasks are balanced across Availability Zones (spread on
	// attribute:ecs.availability-zone, then on instanceId)
	// [DG:ecs_services#service_scheduler_replica]; a standalone task is
	// placed at random [DG:scheduling_tasks].
	Service bool
}

// Plan is a validated [Spec] compiled for one [Cluster]: strategies turned
// into rankers and memberOf expressions bound to the cluster's ids.
// Compile it once per service (or per RunTask call) and reuse it for every
// placement; it must only be used with the cluster that compiled it.
type Plan struct {
	c           *Cluster
	strategies  []Strategy // as given, normalised
	constraints []Constraint
	ranks       []rank // in effect (defaults applied), up to the first random
	random      bool   // ranks end with random
	checks      []check
}

type rankKind uint8

const (
	rankBinpackCPU rankKind = iota + 1
	rankBinpackMemory
	rankSpreadInstance
	rankSpreadAttribute
)

type rank struct {
	kind rankKind
	name int32 // attribute name id, for rankSpreadAttribute
}

type check struct {
	distinct bool
	q        *Query
}

// Compile validates a placement spec and compiles it for c. Invalid input
// (an unknown strategy type or field, too many strategies or constraints,
// an expression on distinctInstance, a missing, too long or unparsable
// memberOf expression) is an *[api.Error] InvalidParameterException whose
// Path names the field at fault, e.g. "placementStrategy[1].field" or
// "placementConstraints[0].expression". Compile records the names it
// mentions in c's symbol tables and changes nothing else.
func (c *Cluster) Compile(s Spec) (*Plan, error) {
	if n := len(s.Strategies); n > MaxStrategies {
		return nil, api.InvalidParameter("Too many placement strategies: %d. You can specify at most %d.", n, MaxStrategies).At("placementStrategy")
	}
	if n := len(s.Constraints); n > MaxConstraints {
		return nil, api.InvalidParameter("Too many placement constraints: %d. You can specify at most %d, including those of the task definition.", n, MaxConstraints).At("placementConstraints")
	}
	p := &Plan{c: c}
	for k, st := range s.Strategies {
		path := fmt.Sprintf("placementStrategy[%d]", k)
		norm, r, err := c.compileStrategy(st, path)
		if err != nil {
			return nil, err
		}
		p.strategies = append(p.strategies, norm)
		if !p.random {
			if r.kind == 0 {
				// Random ranks every candidate apart, so strategies after
				// it can never break a tie: they are kept but unused.
				p.random = true
			} else {
				p.ranks = append(p.ranks, r)
			}
		}
	}
	if len(s.Strategies) == 0 {
		if s.Service {
			// [DG:ecs_services#service_scheduler_replica]: fewest tasks of
			// the service in the instance's AZ, then on the instance.
			p.ranks = []rank{{kind: rankSpreadAttribute, name: c.internName(AttributeAvailabilityZone)}, {kind: rankSpreadInstance}}
		} else {
			p.random = true // [DG:scheduling_tasks]
		}
	}
	for k, ct := range s.Constraints {
		path := fmt.Sprintf("placementConstraints[%d]", k)
		switch ct.Type {
		case ConstraintDistinctInstance:
			if ct.Expression != "" {
				return nil, api.InvalidParameter("A distinctInstance placement constraint cannot have an expression.").At(path + ".expression")
			}
			p.checks = append(p.checks, check{distinct: true})
		case ConstraintMemberOf:
			if strings.TrimSpace(ct.Expression) == "" {
				return nil, api.InvalidParameter("A memberOf placement constraint requires an expression.").At(path + ".expression")
			}
			if len(ct.Expression) > MaxExpressionLength {
				return nil, api.InvalidParameter("The expression of a placement constraint can have at most %d characters.", MaxExpressionLength).At(path + ".expression")
			}
			e, err := ParseExpression(ct.Expression)
			if err != nil {
				return nil, api.InvalidParameter("Invalid placement constraint expression %q: %s.", ct.Expression, err).At(path + ".expression")
			}
			p.checks = append(p.checks, check{q: c.Bind(e)})
		default:
			return nil, api.InvalidParameter("Invalid placement constraint type %q. Valid types are distinctInstance and memberOf.", ct.Type).At(path + ".type")
		}
		p.constraints = append(p.constraints, ct)
	}
	return p, nil
}

// strategyTypes registers the strategy types by name; each validates its
// field and returns the normalised strategy and its ranker (a zero rank
// kind for random). [API enum PlacementStrategyType]
var strategyTypes = map[string]func(c *Cluster, field, path string) (Strategy, rank, error){
	StrategyBinpack: compileBinpack,
	StrategySpread:  compileSpread,
	StrategyRandom:  compileRandom,
}

func (c *Cluster) compileStrategy(st Strategy, path string) (Strategy, rank, error) {
	compile, ok := strategyTypes[st.Type]
	if !ok {
		return Strategy{}, rank{}, api.InvalidParameter("Invalid placement strategy type %q. Valid types are binpack, random and spread.", st.Type).At(path + ".type")
	}
	return compile(c, st.Field, path)
}

// compileBinpack: "the least available amount of the resource that's
// specified with the field parameter". The API documents lowercase fields;
// ecssim also takes CPU and MEMORY and normalises them. [API:PlacementStrategy.type]
func compileBinpack(_ *Cluster, field, path string) (Strategy, rank, error) {
	switch strings.ToLower(field) {
	case FieldCPU:
		return Strategy{Type: StrategyBinpack, Field: FieldCPU}, rank{kind: rankBinpackCPU}, nil
	case FieldMemory:
		return Strategy{Type: StrategyBinpack, Field: FieldMemory}, rank{kind: rankBinpackMemory}, nil
	}
	return Strategy{}, rank{}, api.InvalidParameter("Invalid field %q for the binpack placement strategy. Valid fields are cpu and memory.", field).At(path + ".field")
}

// compileSpread: instanceId, host ("has the same effect"; AWS returns it as
// instanceId) or attribute:<name>. [API:PlacementStrategy.field]
func compileSpread(c *Cluster, field, path string) (Strategy, rank, error) {
	if strings.EqualFold(field, FieldInstanceID) || strings.EqualFold(field, FieldHost) {
		return Strategy{Type: StrategySpread, Field: FieldInstanceID}, rank{kind: rankSpreadInstance}, nil
	}
	if name, ok := strings.CutPrefix(field, attributePrefix); ok && validAttributeName(name) {
		return Strategy{Type: StrategySpread, Field: field}, rank{kind: rankSpreadAttribute, name: c.internName(name)}, nil
	}
	if field == "" {
		return Strategy{}, rank{}, api.InvalidParameter("The spread placement strategy requires a field: instanceId, host or attribute:<name>.").At(path + ".field")
	}
	return Strategy{}, rank{}, api.InvalidParameter("Invalid field %q for the spread placement strategy. Valid fields are instanceId, host and attribute:<name>.", field).At(path + ".field")
}

// compileRandom: "For the random placement strategy, this field is not
// used." [API:PlacementStrategy.field]
func compileRandom(*Cluster, string, string) (Strategy, rank, error) {
	return Strategy{Type: StrategyRandom}, rank{}, nil
}

// Strategies returns the strategies as given, normalised (host becomes
// instanceId, binpack fields lowercase, random loses its field): what
// DescribeServices shows.
func (p *Plan) Strategies() []Strategy { return slices.Clone(p.strategies) }

// Constraints returns the constraints as given.
func (p *Plan) Constraints() []Constraint { return slices.Clone(p.constraints) }

// Effective returns the strategies placement applies: the given ones up to
// and including the first random, or the default when none were given.
func (p *Plan) Effective() []Strategy {
	var out []Strategy
	for _, r := range p.ranks {
		switch r.kind {
		case rankBinpackCPU:
			out = append(out, Strategy{Type: StrategyBinpack, Field: FieldCPU})
		case rankBinpackMemory:
			out = append(out, Strategy{Type: StrategyBinpack, Field: FieldMemory})
		case rankSpreadInstance:
			out = append(out, Strategy{Type: StrategySpread, Field: FieldInstanceID})
		case rankSpreadAttribute:
			out = append(out, Strategy{Type: StrategySpread, Field: attributePrefix + p.c.names[r.name].name})
		}
	}
	if p.random {
		out = append(out, Strategy{Type: StrategyRandom})
	}
	return out
}

// Random reports whether placement draws from the random stream (the plan
// ranks by random, explicitly or by the RunTask default).
func (p *Plan) Random() bool { return p.random }

func (p *Plan) mustBelong(c *Cluster) {
	if p.c != c {
		panic("scheduler: plan used with a cluster other than the one that compiled it")
	}
}
