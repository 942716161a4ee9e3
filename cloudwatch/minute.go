package cloudwatch

import "github.com/ecssim/ecssim/sim"

// Minute writes one minute's single-value samples for a feed that
// publishes thousands of them at once, all visible at the same instant:
// what PublishTo does for each, with the cohort they wait in looked up
// once. It is valid until the simulation moves on from the instant it
// was made at.
type Minute struct {
	st        *Store
	c         *cohort // nil when the samples are visible at once
	minute    sim.Time
	visibleAt sim.Time
	now       sim.Time
}

// Minute returns a writer of samples in the minute that holds at, that
// become visible at visibleAt.
func (st *Store) Minute(at, visibleAt, now sim.Time) Minute {
	w := Minute{st: st, minute: at - at%sim.Time(Resolution), visibleAt: visibleAt, now: now}
	if visibleAt > now {
		w.c = st.cohortAt(visibleAt)
	}
	return w
}

// One publishes One(v) in unit to the series of h, as PublishTo does.
func (w *Minute) One(h *Handle, unit string, v float64) {
	watched := w.st.isWatched(h)
	if w.c == nil {
		w.st.publish(h.s, watched, w.minute, unit, One(v), nil, w.visibleAt, w.now)
		return
	}
	w.c.add(pending{s: h.s, minute: w.minute, value: v, unit: unitIDOf(unit), agg: -1}, watched)
}
