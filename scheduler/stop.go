package scheduler

import "math/rand/v2"

// Running is a task that scale-in may stop: where it runs and what it
// holds there (for binpack).
type Running struct {
	Instance    string
	CPU, Memory int
}

// ChooseStop returns the index in tasks of the task to stop when a service
// scales in, mirroring its placement strategies [DG:task-placement-strategies]
// [DG:ecs_services#service_scheduler_daemon]:
//
//   - binpack cpu|memory: the task on the instance that will have the most
//     of the resource left after the task stops;
//   - spread on a field: the task in the value (Availability Zone,
//     instance, ...) with the most tasks of the group, so that the rest
//     stay balanced;
//   - random: a task at random;
//   - no strategy (a service's default): the AZ with the most tasks of the
//     group, then the instance with the most.
//
// Strategies chain as in placement, each breaking the ties of the one
// before; counts are over every task of the group in the cluster. The
// remaining ties go to the earliest task in tasks, so the caller orders
// them by its own preference first, or are drawn with one rng.IntN when
// the plan ranks by random (a nil rng takes the earliest). Tasks on
// instances the cluster does not know (deregistered) are chosen first.
// Stopping several tasks is several calls with a Release between them.
// It returns -1 for no tasks.
func (c *Cluster) ChooseStop(p *Plan, group string, tasks []Running, rng *rand.Rand) int {
	p.mustBelong(c)
	if len(tasks) == 0 {
		return -1
	}
	for k, t := range tasks {
		if _, ok := c.index[t.Instance]; !ok {
			return k
		}
	}
	g := c.groupOf(group)
	var rk [MaxStrategies]ranker
	m := c.rankers(p, g, &rk)
	key := func(j int, t *Running, i int) int64 {
		switch rk[j].kind {
		case rankBinpackCPU:
			return int64(c.rem.cpu[i]) + int64(t.CPU)
		case rankBinpackMemory:
			return int64(c.rem.mem[i]) + int64(t.Memory)
		}
		return rk[j].key(i) // spread: the count where the task runs
	}
	var best [MaxStrategies]int64
	bestK, ties := -1, 0
	for k := range tasks {
		t := &tasks[k]
		i := int(c.index[t.Instance])
		if bestK < 0 {
			for j := range m {
				best[j] = key(j, t, i)
			}
			bestK, ties = k, 1
			continue
		}
		j := 0
		for ; j < m; j++ {
			v := key(j, t, i)
			if v == best[j] {
				continue
			}
			if v > best[j] {
				best[j] = v
				for jj := j + 1; jj < m; jj++ {
					best[jj] = key(jj, t, i)
				}
				bestK, ties = k, 1
			}
			break
		}
		if j == m {
			ties++
		}
	}
	if !p.random || rng == nil {
		return bestK
	}
	n := rng.IntN(ties)
	for k := bestK; k < len(tasks); k++ {
		t := &tasks[k]
		i := int(c.index[t.Instance])
		tie := true
		for j := range m {
			if key(j, t, i) != best[j] {
				tie = false
				break
			}
		}
		if tie {
			if n == 0 {
				return k
			}
			n--
		}
	}
	return bestK
}
