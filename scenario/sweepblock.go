package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SweepDefaults is a scenario's sweep block: the seeds and the grid of
// parameter values that `ecssim sweep` runs when it is not given
// --seeds or --grid.
//
//	sweep:
//	  seeds: 200          # or a range: 101-300
//	  grid:
//	    desired: [3, 6, 10]
//	    cpu: ["256", "512"]
type SweepDefaults struct {
	// Pos is where the block is written.
	Pos Pos
	// FirstSeed and LastSeed are the seeds, inclusive; both 0 when the
	// block names none.
	FirstSeed, LastSeed uint64
	// Grid are the parameters to vary, in file order, each with its values
	// in canonical form.
	Grid []GridAxis
}

// GridAxis is one parameter of a sweep block's grid.
type GridAxis struct {
	Name   string
	Values []string
}

// maxSweepSeeds bounds the seeds of a sweep block, as the command bounds
// --seeds.
const maxSweepSeeds = 10_000_000

var sweepKeys = []string{"seeds", "grid"}

// sweep parses the sweep block. Grid values are checked against their
// parameters' types, so that a bad grid is found before any run.
func (p *parser) sweep(v *yaml.Node, params []Param, bad map[string]bool) *SweepDefaults {
	sw := &SweepDefaults{Pos: p.pos(v)}
	known := make([]string, len(params))
	types := map[string]ParamType{}
	for i, prm := range params {
		known[i] = prm.Name
		types[prm.Name] = prm.Type
	}
	p.fields(v, "sweep", sweepKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "seeds":
			x, ok := p.scalar(v, "sweep.seeds")
			if !ok {
				return
			}
			first, last, err := parseSeedRange(x)
			if err != nil {
				p.errorf(v, "sweep.seeds: %v", err)
				return
			}
			sw.FirstSeed, sw.LastSeed = first, last
		case "grid":
			p.fields(v, "sweep.grid", nil, func(name string, nk, nv *yaml.Node) {
				typ, declared := types[name]
				if !declared {
					if !bad[name] {
						list := "the scenario declares no parameters"
						if len(known) > 0 {
							list = "parameters: " + strings.Join(known, ", ")
						}
						p.errorf(nk, "sweep.grid: no parameter %q%s; %s", name, p.suggest(name, known), list)
					}
					return
				}
				ax := GridAxis{Name: name}
				items := p.seq(nv, "sweep.grid."+name)
				if r := resolve(nv); r != nil && r.Kind == yaml.SequenceNode && len(items) == 0 {
					p.errorf(nv, "sweep.grid.%s has no values", name)
				}
				for _, item := range items {
					x, ok := p.scalar(item, "a value of sweep.grid."+name)
					if !ok {
						continue
					}
					c, err := typ.canonical(x)
					if err != nil {
						p.errorf(item, "sweep.grid.%s: parameter %q is of type %s: %v", name, name, typ, err)
						continue
					}
					for _, seen := range ax.Values {
						if seen == c {
							p.errorf(item, "sweep.grid.%s: %s appears twice", name, x)
						}
					}
					ax.Values = append(ax.Values, c)
				}
				sw.Grid = append(sw.Grid, ax)
			})
		}
	})
	return sw
}

// parseSeedRange reads a number of seeds N (1 to N) or a range "A-B".
func parseSeedRange(x string) (first, last uint64, err error) {
	bad := fmt.Errorf("want a count such as 200 or a range such as 101-300, not %q", x)
	if a, b, ok := strings.Cut(x, "-"); ok {
		f, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 64)
		l, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 64)
		if err1 != nil || err2 != nil || l < f {
			return 0, 0, bad
		}
		if l-f >= maxSweepSeeds {
			return 0, 0, fmt.Errorf("at most %d seeds, not %q", maxSweepSeeds, x)
		}
		return f, l, nil
	}
	n, err := strconv.ParseUint(x, 10, 64)
	if err != nil || n == 0 {
		return 0, 0, bad
	}
	if n > maxSweepSeeds {
		return 0, 0, fmt.Errorf("at most %d seeds, not %q", maxSweepSeeds, x)
	}
	return 1, n, nil
}
