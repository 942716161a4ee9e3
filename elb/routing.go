package elb

import "slices"

// routeIndex is who forwards to whom, read on every routing question (each
// minute for the metrics, for every service's CPU): the listeners whose
// default action or rules forward to each target group, and the groups
// each load balancer forwards to, in creation order. It is rebuilt only
// after a listener or rule changed (usageChanged), so that a question is
// not a walk over every load balancer of the account.
type routeIndex struct {
	listeners map[*targetGroup][]*listener
	groups    map[*loadBalancer][]*targetGroup
}

// index returns the routing index, building it if a change dropped it.
func (m *ELB) index() *routeIndex {
	if m.routes != nil {
		return m.routes
	}
	x := &routeIndex{listeners: map[*targetGroup][]*listener{}, groups: map[*loadBalancer][]*targetGroup{}}
	for _, ls := range m.listeners {
		add := func(r *rule) {
			for _, a := range r.actions {
				if a.ForwardConfig == nil {
					continue
				}
				for _, t := range a.ForwardConfig.TargetGroups {
					tg := m.tgByArn[derefString(t.TargetGroupArn)]
					if tg == nil {
						continue
					}
					if l := x.listeners[tg]; len(l) == 0 || l[len(l)-1] != ls {
						x.listeners[tg] = append(l, ls)
					}
					if g := x.groups[ls.lb]; !slices.Contains(g, tg) {
						x.groups[ls.lb] = append(g, tg)
					}
				}
			}
		}
		add(ls.def)
		for _, r := range ls.rules {
			add(r)
		}
	}
	for _, g := range x.groups {
		slices.SortFunc(g, func(a, b *targetGroup) int { return compareOrder(a.order, b.order) })
	}
	m.routes = x
	return x
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
