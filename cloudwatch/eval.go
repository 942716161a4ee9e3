package cloudwatch

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/sim"
)

// EvaluationInterval is how often an alarm is evaluated: once a minute,
// on the minute, whatever its period. [CW:alarm-evaluation]
const EvaluationInterval = time.Minute

// EvaluationRangeExtra is how many periods beyond EvaluationPeriods an
// evaluation looks back for real datapoints. CloudWatch documents that it
// retrieves "a higher number of data points than the number specified as
// Evaluation Periods", depending on the period, without the number; see
// docs/fidelity.md. [CW:alarms-and-missing-data]
const EvaluationRangeExtra = 2

// Action is what an alarm action handler is given.
type Action struct {
	// ARN is the action's ARN, as listed on the alarm.
	ARN string
	// AlarmName and AlarmArn name the alarm.
	AlarmName, AlarmArn string
	// State is the alarm's state: the one the action belongs to.
	State string
	// Threshold is the alarm's threshold, and Value its most recent
	// evaluated datapoint (Valid false when there was none), for step
	// scaling, whose steps are relative to the threshold.
	Threshold float64
	Value     float64
	Valid     bool
}

// actionHandler is a registered handler for the actions whose ARN starts
// with prefix.
type actionHandler struct {
	prefix string
	repeat bool
	fn     func(Action)
}

// HandleActions registers fn for alarm actions whose ARN starts with
// prefix. With repeat, fn is invoked at every evaluation while the alarm
// stays in the action's state, as CloudWatch does for Auto Scaling
// policies; otherwise only when the state changes. Every action of a
// state change is recorded in the alarm's history ("Successfully executed
// action ARN"); one that no handler claims does nothing else.
func (c *CloudWatch) HandleActions(prefix string, repeat bool, fn func(Action)) {
	c.actions = append(c.actions, actionHandler{prefix: prefix, repeat: repeat, fn: fn})
}

// schedule arms the alarm's next evaluation, on the next whole minute.
func (c *CloudWatch) schedule(a *alarm) {
	now := c.now()
	next := now - now%sim.Time(EvaluationInterval) + sim.Time(EvaluationInterval)
	if a.tick == nil { // one closure per alarm, not per evaluation
		a.tick = func() error {
			if a.gone {
				return nil
			}
			c.evaluate(a)
			c.schedule(a)
			return nil
		}
	}
	a.timer, _ = c.eng.Schedule(next, a.tick)
}

// evalKey is what an evaluation's outcome depends on besides the alarm's
// configuration and state: the series' visible data (see
// Series.unchanged) and the range's end.
type evalKey struct {
	series *Series
	late   uint64
	newest sim.Time
	end    sim.Time
}

// evalMemo is the outcome of the last evaluation: whether it ran the
// state's actions, and with which datapoint. ok is false until the
// first evaluation and after SetAlarmState.
type evalMemo struct {
	key   evalKey
	ok    bool
	act   bool
	value float64
	valid bool
}

// datapoint is one period's value as an alarm sees it; a filled-in
// missing datapoint is not real.
type datapoint struct {
	start sim.Time
	value float64
	real  bool
}

// evaluate evaluates an alarm as CloudWatch documents it. It fetches the
// evaluation range (EvaluationPeriods + EvaluationRangeExtra whole periods
// ending at the last period boundary) from what is visible now, then:
//   - with at least N real datapoints, judges the N most recent, and
//     TreatMissingData plays no part;
//   - with none, the state follows TreatMissingData alone: missing gives
//     INSUFFICIENT_DATA, ignore keeps the state, breaching gives ALARM,
//     notBreaching OK;
//   - with some but fewer than N, breaching and notBreaching fill the
//     gaps: every real datapoint plus as few filled ones as make N.
//     missing goes to ALARM on M real breaching datapoints, or when the
//     oldest real breaching datapoint is at least M periods old and every
//     more recent one is breaching or missing; otherwise OK. ignore goes
//     to ALARM on M real breaching datapoints, to OK when ALARM is out of
//     reach (more than N-M real datapoints not breaching), and otherwise
//     keeps its state.
//
// ALARM needs M (DatapointsToAlarm, default N) breaching datapoints.
// [CW:alarms-and-missing-data] [CW:alarm-evaluation]
// [https://repost.aws/knowledge-center/cloudwatch-alarm-single-data-point]
func (c *CloudWatch) evaluate(a *alarm) {
	now := c.now()
	if a.series == nil {
		a.series = c.store.lookup(a.ns, a.name, a.dims) // series are never removed
	}
	if a.math != nil {
		c.store.Flush(now)
	} else {
		// The alarm's series and the others alarms read are stored
		// now; the rest may be stored beside the run.
		c.store.FlushFor(a.series, now)
	}
	m := &a.m
	period := sim.Time(time.Duration(m.Period) * time.Second)
	n := int(m.EvaluationPeriods)
	need := n
	if m.DatapointsToAlarm != nil {
		need = int(*m.DatapointsToAlarm)
	}
	end := now - now%period
	// The same range as the last evaluation, the same visible data in
	// it, and no state set since: the outcome would be the same, so only
	// the repeating actions run again.
	key := evalKey{series: a.series, end: end, newest: noMinute}
	if s := a.series; s != nil {
		key.late, key.newest = s.late, s.newest()
	}
	if mm := &a.memo; mm.ok && !c.noMemo && a.math == nil && mm.key.series == key.series && mm.key.end == end &&
		(key.series == nil || key.series.unchanged(mm.key.late, mm.key.newest, end)) {
		if mm.act {
			c.runActions(a, m.StateValue, false, mm.value, mm.valid)
		}
		return
	}
	a.memo = evalMemo{key: key, ok: true}
	a.evaluations++
	rangeN := n + EvaluationRangeExtra
	var real []datapoint // newest first
	if a.math != nil {
		real = c.fetchMath(a, end-sim.Time(rangeN)*period, end, period)
	} else {
		real = a.fetch(end-sim.Time(rangeN)*period, end, period)
	}
	treat := m.TreatMissingData
	if treat == "" {
		treat = MissingMissing
	}
	if len(real) == 0 {
		switch treat {
		case MissingIgnore:
			return
		case MissingMissing:
			if a.insufficient == "" {
				a.insufficient = insufficientReason(n)
			}
			a.memo.act = true
			c.setStateData(a, StateInsufficientData, a.insufficient, nil)
			return
		}
	}
	judged := real
	if len(real) > n {
		judged = real[:n]
	}
	breaching, fine := 0, 0
	for _, d := range judged {
		if a.breaches(d.value) {
			breaching++
		} else {
			fine++
		}
	}
	state := StateOK
	switch {
	case len(real) >= n:
		if breaching >= need {
			state = StateAlarm
		}
	case treat == MissingBreaching || treat == MissingNotBreaching:
		filled := n - len(real)
		judged = slices.Clone(real)
		for range filled {
			judged = append(judged, datapoint{})
		}
		if treat == MissingBreaching {
			breaching += filled
		}
		if breaching >= need {
			state = StateAlarm
		}
	case treat == MissingMissing:
		if breaching >= need || trailingBreach(a, real, end, period, need) {
			state = StateAlarm
		}
	default: // ignore
		switch {
		case breaching >= need:
			state = StateAlarm
		case fine > n-need:
		default:
			return
		}
	}
	if state == m.StateValue && a.lastSet {
		// The state holds: the reason and StateUpdatedTimestamp are
		// written only when read (see fresh), and only if the
		// datapoints judged changed.
		if !a.sameJudged(judged, need, treat) {
			a.last = append(a.last[:0], judged...)
			a.lastNeed, a.lastTreat, a.lastAt, a.stale = need, treat, now, true
		}
		value, valid := newest(judged)
		a.memo.act, a.memo.value, a.memo.valid = true, value, valid
		c.runActions(a, state, false, value, valid)
		return
	}
	a.memo.act = true
	a.memo.value, a.memo.valid = newest(judged)
	c.setStateData(a, state, a.reason(state, judged, need, treat), judged)
	a.last = append(a.last[:0], judged...)
	a.lastNeed, a.lastTreat, a.lastAt, a.lastSet = need, treat, now, true
}

// fetch returns the alarm's real datapoints of [from, to), newest first,
// in a buffer the alarm reuses. Periods of one minute, the common case,
// are read from the stored minutes directly.
func (a *alarm) fetch(from, to, period sim.Time) []datapoint {
	real := a.buf[:0]
	s := a.series
	if s == nil || period < sim.Time(Resolution) {
		return real
	}
	if period == sim.Time(Resolution) && !isPercentile(a.stat) {
		// One bucket per minute and unit, walked back from the newest
		// (the range nearly always ends there); a minute with several
		// units takes the general path below, which merges them as
		// periodStats.all does, in unit-name order.
		if !s.general { // one sample of one unit a minute
			if a.unit != "" && s.unit.String() != a.unit {
				return real
			}
			real = s.appendSlotsBack(real, from, to, a.stat == StatSampleCount)
			a.buf = real
			return real
		}
		prev := sim.Time(-1)
		for ci := len(s.chunks) - 1; ci >= 0; ci-- {
			c := s.chunks[ci]
			for i := len(c) - 1; i >= 0; i-- {
				b := &c[i]
				if b.minute >= to {
					continue
				}
				if b.minute < from {
					a.buf = real
					return real
				}
				if a.unit != "" && b.unit.String() != a.unit {
					continue
				}
				if b.minute == prev {
					goto several
				}
				prev = b.minute
				real = append(real, datapoint{start: b.minute, value: b.stats.Value(a.stat), real: true})
			}
		}
		a.buf = real
		return real
	several:
		real = real[:0]
	}
	for _, ps := range s.Periods(from, to, time.Duration(period), a.unit) {
		if v, ok := s.periodValue(ps, min(ps.start+period, to), a.unit, a.stat); ok {
			real = append(real, datapoint{start: ps.start, value: v, real: true})
		}
	}
	slices.Reverse(real)
	a.buf = real
	return real
}

// sameJudged reports whether judged, need and treat are those of the last
// reason: then the reason would be the same.
func (a *alarm) sameJudged(judged []datapoint, need int, treat string) bool {
	return need == a.lastNeed && treat == a.lastTreat && slices.Equal(judged, a.last)
}

// fresh writes the reason of the last evaluation into StateReason and
// StateReasonData, and its time into StateUpdatedTimestamp, when they
// were left to be written on reading.
func (a *alarm) fresh(c *CloudWatch) {
	if !a.stale {
		return
	}
	a.stale = false
	a.m.StateUpdatedTimestamp = c.stamp(a.lastAt)
	a.m.StateReason = a.reason(a.m.StateValue, a.last, a.lastNeed, a.lastTreat)
	a.m.StateReasonData = c.reasonData(a, a.last, a.lastAt)
}

// newest returns the most recent real datapoint of judged.
func newest(judged []datapoint) (float64, bool) {
	for _, d := range judged {
		if d.real {
			return d.value, true
		}
	}
	return 0, false
}

// trailingBreach is CloudWatch's rule for sparse data treated as missing:
// ALARM when the oldest real breaching datapoint is at least M periods
// old and every more recent one is breaching or missing. real is newest
// first; end is the end of the newest period.
func trailingBreach(a *alarm, real []datapoint, end, period sim.Time, need int) bool {
	for _, d := range real {
		if !a.breaches(d.value) {
			return false
		}
		if age := int((end - d.start) / period); age >= need {
			return true
		}
	}
	return false
}

// breaches reports whether v is on the wrong side of the threshold.
func (a *alarm) breaches(v float64) bool {
	t := a.m.Threshold
	switch a.m.ComparisonOperator {
	case "GreaterThanOrEqualToThreshold":
		return v >= t
	case "GreaterThanThreshold":
		return v > t
	case "LessThanThreshold":
		return v < t
	case "LessThanOrEqualToThreshold":
		return v <= t
	}
	return false
}

// comparisonWords are how a state reason words each operator.
var comparisonWords = map[string]string{
	"GreaterThanOrEqualToThreshold": "greater than or equal to",
	"GreaterThanThreshold":          "greater than",
	"LessThanThreshold":             "less than",
	"LessThanOrEqualToThreshold":    "less than or equal to",
}

func insufficientReason(n int) string {
	if n == 1 {
		return "Insufficient Data: 1 datapoint was unknown."
	}
	return "Insufficient Data: " + strconv.Itoa(n) + " datapoints were unknown."
}

// formatValue prints a value as CloudWatch's reasons do: at least one
// decimal (70.0, 75.5).
func formatValue(v float64) string { return string(appendValue(nil, v)) }

// reason words a state reason the way CloudWatch does: the datapoints
// that decide the state (breaching for ALARM, not breaching for OK), e.g.
// "Threshold Crossed: 3 out of the last 3 datapoints [80.0 (02/01/26
// 10:03:00), ...] were greater than the threshold (70.0) (minimum 3
// datapoints for OK -> ALARM transition)."
func (a *alarm) reason(state string, judged []datapoint, need int, treat string) string {
	real, vals := 0, 0
	for _, d := range judged {
		if d.real {
			real++
			if a.breaches(d.value) == (state == StateAlarm) {
				vals++
			}
		}
	}
	b := a.text[:0]
	if real == 0 {
		kind := "NonBreaching"
		if treat == MissingBreaching {
			kind = "Breaching"
		}
		b = append(b, "Threshold Crossed: no datapoints were received for "...)
		b = strconv.AppendInt(b, int64(len(judged)), 10)
		b = append(b, " period"...)
		b = append(b, plural(len(judged))...)
		b = append(b, " and "...)
		b = strconv.AppendInt(b, int64(len(judged)), 10)
		b = append(b, " missing datapoint"...)
		b = append(b, wasWere(len(judged))...)
		b = append(b, " treated as ["...)
		b = append(b, kind...)
		b = append(b, "]."...)
		a.text = b
		return string(b)
	}
	words := comparisonWords[a.m.ComparisonOperator]
	transition, minimum := "OK -> ALARM", need
	not := ""
	if state == StateOK {
		not = "not "
		// With fewer datapoints than M treated as missing, one is enough.
		transition, minimum = "ALARM -> OK", max(len(judged)-need+1, 1)
	}
	verb := "were"
	if vals == 1 {
		verb = "was"
	}
	b = append(b, "Threshold Crossed: "...)
	b = strconv.AppendInt(b, int64(vals), 10)
	b = append(b, " out of the last "...)
	b = strconv.AppendInt(b, int64(len(judged)), 10)
	b = append(b, " datapoint"...)
	b = append(b, plural(len(judged))...)
	b = append(b, " ["...)
	first := true
	for _, d := range judged {
		if d.real && a.breaches(d.value) == (state == StateAlarm) {
			if !first {
				b = append(b, ", "...)
			}
			first = false
			b = appendValue(b, d.value)
			b = append(b, " ("...)
			b = appendReasonTime(b, d.start)
			b = append(b, ')')
		}
	}
	b = append(b, "] "...)
	b = append(b, verb...)
	b = append(b, ' ')
	b = append(b, not...)
	b = append(b, words...)
	b = append(b, " the threshold ("...)
	b = appendValue(b, a.m.Threshold)
	b = append(b, ") (minimum "...)
	b = strconv.AppendInt(b, int64(minimum), 10)
	b = append(b, " datapoint"...)
	b = append(b, plural(minimum)...)
	b = append(b, " for "...)
	b = append(b, transition...)
	b = append(b, " transition)."...)
	a.text = b
	return string(b)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func wasWere(n int) string {
	if n == 1 {
		return " was"
	}
	return "s were"
}

// setStateData moves an alarm to state with a reason and the datapoints
// judged, as StateReasonData.
func (c *CloudWatch) setStateData(a *alarm, state, reason string, judged []datapoint) {
	a.fresh(c) // the previous reason, for the history and the event
	data := ""
	if judged != nil {
		data = c.reasonData(a, judged, c.now())
	}
	value, valid := newest(judged)
	c.transition(a, state, reason, data, value, valid)
}

// reasonData is the StateReasonData of an evaluation at at that judged
// these datapoints: {"version":"1.0","queryDate":"…","statistic":"…",
// "period":60,"recentDatapoints":[…],"threshold":70}.
func (c *CloudWatch) reasonData(a *alarm, judged []datapoint, at sim.Time) string {
	b := append(a.text[:0], `{"version":"1.0","queryDate":"`...)
	b = appendEventTime(b, at)
	b = append(b, '"')
	if a.math == nil { // an expression has no statistic
		b = append(b, `,"statistic":`...)
		b = strconv.AppendQuote(b, a.stat)
	}
	b = append(b, `,"period":`...)
	b = strconv.AppendInt(b, int64(a.m.Period), 10)
	b = append(b, `,"recentDatapoints":[`...)
	first := true
	for _, d := range judged {
		if d.real {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = a.appendDataValue(b, d.value)
		}
	}
	b = append(b, `],"threshold":`...)
	b = strconv.AppendFloat(b, a.m.Threshold, 'g', -1, 64)
	b = append(b, '}')
	a.text = b
	return string(b)
}

// valueCache holds the shortest 'g' forms of recent datapoint values,
// by value. An alarm's reason data lists the last N datapoints, so a
// datapoint appears in many of them (up to 15 for a target tracking
// AlarmLow) while the window slides; formatting a float is most of the
// cost of wording one.
type valueCache [64]struct {
	bits uint64
	ok   bool
	n    uint8
	text [24]byte // the longest 'g' -1 form of a float64 has 24 bytes
}

// appendDataValue appends v as strconv.AppendFloat(b, v, 'g', -1, 64)
// does, from the alarm's cache when it formatted v lately.
func (a *alarm) appendDataValue(b []byte, v float64) []byte {
	if a.values == nil {
		a.values = new(valueCache)
	}
	bits := math.Float64bits(v)
	e := &a.values[(bits*0x9e3779b97f4a7c15)>>58]
	if e.ok && e.bits == bits {
		return append(b, e.text[:e.n]...)
	}
	n := len(b)
	b = strconv.AppendFloat(b, v, 'g', -1, 64)
	if len(b)-n <= len(e.text) {
		e.bits, e.ok, e.n = bits, true, uint8(copy(e.text[:], b[n:]))
	}
	return b
}

// setState is SetAlarmState's state change.
func (c *CloudWatch) setState(a *alarm, state, reason, data string) {
	a.fresh(c)
	a.lastSet = false // the next evaluation writes its own reason
	a.memo.ok = false
	c.transition(a, state, reason, data, 0, false)
}

// EventAlarmStateChange is the trace type of an alarm state change, the
// EventBridge detail-type CloudWatch uses.
// [CW:cloudwatch-and-eventbridge]
const EventAlarmStateChange = "CloudWatch Alarm State Change"

// AlarmState is a state in an alarm state change event.
type AlarmState struct {
	Value      string `json:"value"`
	Reason     string `json:"reason"`
	ReasonData string `json:"reasonData,omitempty"`
	Timestamp  string `json:"timestamp"`
}

// AlarmStateChange is the detail of an alarm state change event, in the
// shape CloudWatch sends to EventBridge.
type AlarmStateChange struct {
	AlarmName     string             `json:"alarmName"`
	State         AlarmState         `json:"state"`
	PreviousState AlarmState         `json:"previousState"`
	Configuration AlarmConfiguration `json:"configuration"`

	config *configJSON // the alarm's encoded configuration, if it is still Configuration
}

// configJSON is an alarm's configuration as its state change events
// encode it, built once: metrics is the slice the events share, so an
// event whose Configuration still holds it (and desc) can use json.
type configJSON struct {
	metrics *EventMetric
	desc    string
	json    []byte
}

// AlarmConfiguration is the alarm's configuration in a state change event.
type AlarmConfiguration struct {
	Description string        `json:"description,omitempty"`
	Metrics     []EventMetric `json:"metrics"`
}

// EventMetric is one query of the alarm in a state change event: the
// watched metric, or for a metric math alarm each metric stat and
// expression.
type EventMetric struct {
	ID         string           `json:"id"`
	MetricStat *EventMetricStat `json:"metricStat,omitempty"`
	Expression string           `json:"expression,omitempty"`
	Label      string           `json:"label,omitempty"`
	ReturnData bool             `json:"returnData"`
}

// EventMetricStat is a metric stat in a state change event.
type EventMetricStat struct {
	Metric struct {
		Namespace  string            `json:"namespace"`
		Name       string            `json:"name"`
		Dimensions map[string]string `json:"dimensions"`
	} `json:"metric"`
	Period int32  `json:"period"`
	Stat   string `json:"stat"`
}

// transition sets the state. An evaluation that finds the state unchanged
// only refreshes StateUpdatedTimestamp when the reason changed; a change
// is recorded in the history and the trace and runs the new state's
// actions (if enabled). Repeating handlers run at every evaluation in
// their state.
func (c *CloudWatch) transition(a *alarm, state, reason, data string, value float64, valid bool) {
	m := &a.m
	now := c.now()
	oldState, oldReason, oldData, oldUpdated := m.StateValue, m.StateReason, m.StateReasonData, m.StateUpdatedTimestamp
	changed := state != m.StateValue
	if changed || reason != m.StateReason {
		m.StateValue, m.StateReason, m.StateReasonData = state, reason, data
		m.StateUpdatedTimestamp = c.stamp(now)
	}
	if changed {
		m.StateTransitionedTimestamp = c.stamp(now)
		c.history = append(c.history, historyRecord{at: now, name: m.AlarmName, kind: historyState,
			s1: oldState, s2: state, s3: oldReason, s4: reason})
		if a.eventMetrics == nil { // the configuration an alarm's events share
			a.eventMetrics = a.eventMetricList()
			a.resources = []string{m.AlarmArn}
			conf := AlarmConfiguration{Description: deref(m.AlarmDescription), Metrics: a.eventMetrics}
			a.config = &configJSON{metrics: &a.eventMetrics[0], desc: conf.Description, json: conf.appendJSON(nil)}
		}
		ev := AlarmStateChange{AlarmName: m.AlarmName,
			State:         AlarmState{Value: state, Reason: reason, ReasonData: data, Timestamp: eventTime(now)},
			PreviousState: AlarmState{Value: oldState, Reason: oldReason, ReasonData: oldData, Timestamp: eventTime(sim.FromTime(oldUpdated.Time))},
			Configuration: AlarmConfiguration{Description: a.config.desc, Metrics: a.eventMetrics}, config: a.config}
		// ev is the event's own, and what it shares with the alarm's
		// other events (resources, configuration) is never modified:
		// the trace may encode it later, on another goroutine.
		c.eng.Record(sim.Event{Type: EventAlarmStateChange, Source: "aws.cloudwatch", Resources: a.resources, Detail: ev, Deferred: true})
	}
	c.runActions(a, state, changed, value, valid)
}

// runActions runs the actions of state: every handler on a change, the
// repeating ones at every evaluation in the state.
func (c *CloudWatch) runActions(a *alarm, state string, changed bool, value float64, valid bool) {
	m := &a.m
	if !m.ActionsEnabled {
		return
	}
	var arns []string
	switch state {
	case StateOK:
		arns = m.OKActions
	case StateAlarm:
		arns = m.AlarmActions
	default:
		arns = m.InsufficientDataActions
	}
	for _, arn := range arns {
		if changed {
			c.history = append(c.history, historyRecord{at: c.now(), name: m.AlarmName, kind: historyAction, s1: arn})
		}
		for _, h := range c.actions {
			if strings.HasPrefix(arn, h.prefix) && (changed || h.repeat) {
				h.fn(Action{ARN: arn, AlarmName: m.AlarmName, AlarmArn: m.AlarmArn, State: state, Threshold: m.Threshold, Value: value, Valid: valid})
				break
			}
		}
	}
}

// eventMetricList returns the alarm's queries as its events show them.
func (a *alarm) eventMetricList() []EventMetric {
	if a.math == nil {
		em := EventMetric{ID: "m1", ReturnData: true}
		if len(a.m.Metrics) == 1 {
			em.ID = deref(a.m.Metrics[0].Id)
		}
		em.MetricStat = eventMetricStat(a.ns, a.name, a.dims, a.m.Period, a.stat)
		return []EventMetric{em}
	}
	out := make([]EventMetric, 0, len(a.math.queries))
	for _, q := range a.math.queries {
		em := EventMetric{ID: *q.Id, ReturnData: *q.Id == a.math.id, Label: deref(q.Label)}
		if q.Expression != nil {
			em.Expression = *q.Expression
		} else {
			ms := q.MetricStat
			em.MetricStat = eventMetricStat(*ms.Metric.Namespace, *ms.Metric.MetricName, ms.Metric.Dimensions, *ms.Period, *ms.Stat)
		}
		out = append(out, em)
	}
	return out
}

func eventMetricStat(ns, name string, dims []Dimension, period int32, stat string) *EventMetricStat {
	ms := &EventMetricStat{Period: period, Stat: stat}
	ms.Metric.Namespace, ms.Metric.Name = ns, name
	ms.Metric.Dimensions = map[string]string{}
	for _, d := range dims {
		ms.Metric.Dimensions[deref(d.Name)] = deref(d.Value)
	}
	return ms
}
