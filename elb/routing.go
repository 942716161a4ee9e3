package elb

import "slices"

// The routing index is who forwards to whom, read on every routing
// question (each minute for the metrics, for every service's CPU): the
// listeners whose default action or rules forward to each target group
// (targetGroup.routedBy), and the groups each load balancer forwards to,
// in creation order (loadBalancer.routesTo). It is kept on the load
// balancers and groups themselves, so that a question reads it without
// hashing, and built again only after a listener or rule changed
// (usageChanged drops it), so that a question is not a walk over every
// load balancer of the account.

// index builds the routing index if a change dropped it.
func (m *ELB) index() {
	if m.routesOK {
		return
	}
	for _, lb := range m.lbs {
		lb.routesTo = lb.routesTo[:0]
	}
	for _, tg := range m.tgs {
		tg.routedBy = tg.routedBy[:0]
	}
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
					if l := tg.routedBy; len(l) == 0 || l[len(l)-1] != ls {
						tg.routedBy = append(l, ls)
					}
					if !slices.Contains(ls.lb.routesTo, tg) {
						ls.lb.routesTo = append(ls.lb.routesTo, tg)
					}
				}
			}
		}
		add(ls.def)
		for _, r := range ls.rules {
			add(r)
		}
	}
	for _, lb := range m.lbs {
		slices.SortFunc(lb.routesTo, func(a, b *targetGroup) int { return compareOrder(a.order, b.order) })
	}
	m.routesOK = true
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
