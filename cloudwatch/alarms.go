package cloudwatch

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ecssim/ecssim/api"
	"github.com/ecssim/ecssim/sim"
)

// Alarm states. [CWAPI enum StateValue]
const (
	StateOK               = "OK"
	StateAlarm            = "ALARM"
	StateInsufficientData = "INSUFFICIENT_DATA"
)

// TreatMissingData values. [CWAPI:PutMetricAlarmInput.TreatMissingData]
const (
	MissingMissing      = "missing"
	MissingIgnore       = "ignore"
	MissingBreaching    = "breaching"
	MissingNotBreaching = "notBreaching"
)

// Limits of the alarm actions. [CWAPI:PutMetricAlarmInput] [CWAPI:DescribeAlarmsInput]
const (
	maxActions       = 5
	maxAlarmNames    = 100
	describePage     = 50
	historyPage      = 100
	maxRecordsLimit  = 100
	maxEvalSpanShort = 86400  // seconds, for periods under an hour
	maxEvalSpanLong  = 604800 // seconds, seven days
)

var comparisons = []string{"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
	"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"}

var stateValues = []string{StateOK, StateAlarm, StateInsufficientData}

// alarm is a metric alarm: its configuration in API shape and its state.
type alarm struct {
	m     MetricAlarm
	tags  []Tag
	ns    string // the metric watched
	name  string
	dims  []Dimension
	stat  string
	unit  string
	timer sim.Timer
	tick  func() error // evaluates and reschedules
	gone  bool

	math *mathAlarm // the expression of a metric math alarm, else nil

	eventMetrics []EventMetric // the metric in its state change events, shared by them
	resources    []string      // the alarm's ARN, the resources of its events
	config       *configJSON   // the configuration of its events, encoded

	text         []byte      // reused to build reasons
	insufficient string      // the INSUFFICIENT_DATA reason, once built
	memo         evalMemo    // the last evaluation's outcome
	evaluations  int         // full evaluations, not counting repeated outcomes
	series       *Series     // the metric, once it exists
	buf          []datapoint // reused by fetch
	// The datapoints of the reason last written by an evaluation (lastSet),
	// and whether StateReason is stale: an evaluation that kept the state
	// leaves the reason to be built when read (fresh).
	last      []datapoint
	lastNeed  int
	lastTreat string
	lastAt    sim.Time
	lastSet   bool
	stale     bool
	// values holds the datapoint values its StateReasonData wrote last
	// (see appendDataValue), allocated at the first.
	values *valueCache
}

// PutMetricAlarm creates an alarm in INSUFFICIENT_DATA, or replaces the
// configuration of one and keeps its state. The alarm watches one metric,
// named by MetricName or by a Metrics list of a single MetricStat, or a
// metric math expression in Metrics; anomaly detection and PromQL alarms
// are not simulated.
// [CWAPI:PutMetricAlarm]
func (c *CloudWatch) PutMetricAlarm(in *PutMetricAlarmInput) (*Empty, error) {
	m, a, err := c.checkAlarm(in)
	if err != nil {
		return nil, err
	}
	now := c.now()
	old, exists := c.alarms[m.AlarmName]
	m.AlarmConfigurationUpdatedTimestamp = c.stamp(now)
	summary := fmt.Sprintf("Alarm %q created", m.AlarmName)
	if exists {
		old.fresh(c)
		m.StateValue, m.StateReason, m.StateReasonData = old.m.StateValue, old.m.StateReason, old.m.StateReasonData
		m.StateUpdatedTimestamp, m.StateTransitionedTimestamp = old.m.StateUpdatedTimestamp, old.m.StateTransitionedTimestamp
		old.timer.Cancel()
		old.gone = true
		summary = fmt.Sprintf("Alarm %q updated", m.AlarmName)
	} else {
		// A new alarm starts in INSUFFICIENT_DATA. [CWAPI:PutMetricAlarm]
		m.StateValue, m.StateReason = StateInsufficientData, "Unchecked: Initial alarm creation"
		m.StateUpdatedTimestamp, m.StateTransitionedTimestamp = c.stamp(now), c.stamp(now)
		i, _ := slices.BinarySearch(c.names, m.AlarmName)
		c.names = slices.Insert(c.names, i, m.AlarmName)
	}
	a.m = m
	c.alarms[m.AlarmName] = a
	c.addHistory(m.AlarmName, summary, map[string]any{"version": "1.0", "type": "Create", "createdAlarm": m})
	c.schedule(a)
	return &Empty{}, nil
}

// checkAlarm validates PutMetricAlarm's input and returns the alarm's
// configuration.
func (c *CloudWatch) checkAlarm(in *PutMetricAlarmInput) (MetricAlarm, *alarm, error) {
	var m MetricAlarm
	if err := checkLen("AlarmName", in.AlarmName, 1, 255, true); err != nil {
		return m, nil, err
	}
	if err := checkLen("AlarmDescription", in.AlarmDescription, 0, 1024, false); err != nil {
		return m, nil, err
	}
	if in.EvaluationCriteria != nil || in.EvaluationInterval != nil {
		return m, nil, invalidValue("EvaluationCriteria", "PromQL alarms are not simulated.")
	}
	if in.ThresholdMetricId != nil {
		return m, nil, invalidValue("ThresholdMetricId", "Anomaly detection alarms are not simulated.")
	}
	for _, l := range []struct {
		f string
		v []string
	}{{"OKActions", in.OKActions}, {"AlarmActions", in.AlarmActions}, {"InsufficientDataActions", in.InsufficientDataActions}} {
		if len(l.v) > maxActions {
			return m, nil, constraint(l.f, len(l.v), fmt.Sprintf("Member must have length less than or equal to %d", maxActions))
		}
		for i, arn := range l.v {
			f := fmt.Sprintf("%s.member.%d", l.f, i+1)
			if err := checkLen(f, &arn, 1, 1024, true); err != nil {
				return m, nil, err
			}
			if parts := strings.SplitN(arn, ":", 6); len(parts) < 6 || parts[0] != "arn" || parts[2] == "" {
				return m, nil, invalidValue(f, "Invalid arn syntax: %s", arn)
			}
		}
	}
	a := &alarm{}
	switch {
	case in.MetricName != nil && in.Metrics != nil:
		return m, nil, combination("Metrics", "Exactly one of MetricName and Metrics must be specified.")
	case in.Metrics != nil:
		if in.Namespace != nil || in.Statistic != nil || in.ExtendedStatistic != nil || in.Dimensions != nil || in.Period != nil || in.Unit != nil {
			return m, nil, combination("Metrics", "When Metrics is specified, Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit must not be.")
		}
		if slices.ContainsFunc(in.Metrics, func(q MetricDataQuery) bool { return q.Expression != nil }) {
			if err := c.checkMathAlarm(in.Metrics, a, &m); err != nil {
				return m, nil, err
			}
			break
		}
		if len(in.Metrics) != 1 || in.Metrics[0].MetricStat == nil {
			return m, nil, invalidValue("Metrics", "Exactly one element of the metrics list should return data.")
		}
		q := in.Metrics[0]
		if err := checkLen("Metrics.member.1.Id", q.Id, 1, 255, true); err != nil {
			return m, nil, err
		}
		if !queryID.MatchString(*q.Id) {
			return m, nil, invalidValue("Metrics.member.1.Id", "Invalid metric data query id %s: the first character must be a lowercase letter, the rest letters, digits or underscores.", *q.Id)
		}
		if q.ReturnData != nil && !*q.ReturnData {
			return m, nil, invalidValue("Metrics.member.1.ReturnData", "Exactly one element of the metrics list should return data.")
		}
		if err := checkMetricStat("Metrics.member.1.MetricStat", q.MetricStat); err != nil {
			return m, nil, err
		}
		ms := q.MetricStat
		a.ns, a.name, a.dims, a.stat, a.unit = *ms.Metric.Namespace, *ms.Metric.MetricName, ms.Metric.Dimensions, *ms.Stat, api.Deref(ms.Unit)
		m.Period = *ms.Period
		m.Metrics = slices.Clone(in.Metrics)
	default:
		if in.MetricName == nil {
			return m, nil, missing("MetricName")
		}
		if err := checkLen("MetricName", in.MetricName, 1, 255, true); err != nil {
			return m, nil, err
		}
		if err := checkNamespace("Namespace", in.Namespace, true); err != nil {
			return m, nil, err
		}
		if err := checkDimensions("Dimensions", in.Dimensions); err != nil {
			return m, nil, err
		}
		stat := in.Statistic
		if in.ExtendedStatistic != nil {
			if in.Statistic != nil {
				return m, nil, combination("Statistic", "Exactly one of Statistic and ExtendedStatistic must be specified.")
			}
			if !isPercentile(*in.ExtendedStatistic) {
				return m, nil, invalidValue("ExtendedStatistic", "The value %s for parameter ExtendedStatistic is invalid.", *in.ExtendedStatistic)
			}
			stat = in.ExtendedStatistic
		} else {
			if in.Statistic == nil {
				return m, nil, missing("Statistic")
			}
			if err := checkEnum("Statistic", in.Statistic, statistics); err != nil {
				return m, nil, err
			}
		}
		if err := checkEnum("Unit", in.Unit, units); err != nil {
			return m, nil, err
		}
		if err := checkPeriod("Period", in.Period); err != nil {
			return m, nil, err
		}
		if p := *in.Period; p < 60 && p != 10 && p != 20 && p != 30 {
			return m, nil, invalidValue("Period", "The parameter Period must be 10, 20, 30, or a multiple of 60.")
		}
		a.ns, a.name, a.dims, a.stat, a.unit = *in.Namespace, *in.MetricName, in.Dimensions, *stat, api.Deref(in.Unit)
		m.MetricName, m.Namespace, m.Period, m.Unit = a.name, a.ns, *in.Period, a.unit
		if in.ExtendedStatistic != nil {
			m.ExtendedStatistic = a.stat
		} else {
			m.Statistic = a.stat
		}
		m.Dimensions = slices.Clone(in.Dimensions)
	}
	if in.EvaluationPeriods == nil {
		return m, nil, missing("EvaluationPeriods")
	}
	if *in.EvaluationPeriods < 1 {
		return m, nil, constraint("EvaluationPeriods", *in.EvaluationPeriods, "Member must have value greater than or equal to 1")
	}
	if in.DatapointsToAlarm != nil {
		if *in.DatapointsToAlarm < 1 {
			return m, nil, constraint("DatapointsToAlarm", *in.DatapointsToAlarm, "Member must have value greater than or equal to 1")
		}
		if *in.DatapointsToAlarm > *in.EvaluationPeriods {
			return m, nil, invalidValue("DatapointsToAlarm", "DatapointsToAlarm must be less than or equal to EvaluationPeriods.")
		}
	}
	// The evaluation span may not exceed one day for periods under an
	// hour, seven days otherwise. [CWAPI:PutMetricAlarmInput.Period]
	span, limit := int64(m.Period)*int64(*in.EvaluationPeriods), int64(maxEvalSpanLong)
	if m.Period < 3600 {
		limit = maxEvalSpanShort
	}
	if span > limit {
		return m, nil, invalidValue("EvaluationPeriods", "The evaluation period of an alarm (Period × EvaluationPeriods = %d seconds) may not exceed %d seconds.", span, limit)
	}
	if in.ComparisonOperator == nil {
		return m, nil, missing("ComparisonOperator")
	}
	if err := checkEnum("ComparisonOperator", in.ComparisonOperator, comparisons); err != nil {
		return m, nil, err
	}
	if strings.Contains(*in.ComparisonOperator, "Lower") || strings.Contains(*in.ComparisonOperator, "Upper") {
		return m, nil, invalidValue("ComparisonOperator", "Anomaly detection alarms (%s) are not simulated.", *in.ComparisonOperator)
	}
	if in.Threshold == nil {
		return m, nil, missing("Threshold")
	}
	if math.IsNaN(*in.Threshold) || math.Abs(*in.Threshold) > valueLimit {
		return m, nil, invalidValue("Threshold", "The value %g for parameter Threshold is invalid.", *in.Threshold)
	}
	if err := checkLen("TreatMissingData", in.TreatMissingData, 1, 255, false); err != nil {
		return m, nil, err
	}
	if t := in.TreatMissingData; t != nil && !slices.Contains([]string{MissingMissing, MissingIgnore, MissingBreaching, MissingNotBreaching}, *t) {
		return m, nil, invalidValue("TreatMissingData", "The value %s for parameter TreatMissingData is invalid. Valid values: breaching, notBreaching, ignore, missing.", *t)
	}
	if err := checkLen("EvaluateLowSampleCountPercentile", in.EvaluateLowSampleCountPercentile, 1, 255, false); err != nil {
		return m, nil, err
	}
	for i, t := range in.Tags {
		f := fmt.Sprintf("Tags.member.%d", i+1)
		if err := checkLen(f+".Key", t.Key, 1, 128, true); err != nil {
			return m, nil, err
		}
		if err := checkLen(f+".Value", t.Value, 0, 256, true); err != nil {
			return m, nil, err
		}
	}
	m.AlarmName = *in.AlarmName
	m.AlarmArn = fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", c.cfg.Region, c.cfg.AccountID, m.AlarmName)
	m.AlarmDescription = in.AlarmDescription
	m.ActionsEnabled = in.ActionsEnabled == nil || *in.ActionsEnabled
	m.OKActions, m.AlarmActions, m.InsufficientDataActions = orEmpty(in.OKActions), orEmpty(in.AlarmActions), orEmpty(in.InsufficientDataActions)
	if m.Dimensions == nil && m.Metrics == nil {
		m.Dimensions = []Dimension{}
	}
	m.EvaluationPeriods = *in.EvaluationPeriods
	m.DatapointsToAlarm = in.DatapointsToAlarm
	m.Threshold = *in.Threshold
	m.ComparisonOperator = *in.ComparisonOperator
	m.TreatMissingData = api.Deref(in.TreatMissingData)
	a.tags = slices.Clone(in.Tags)
	return m, a, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// shape returns the alarm's API shape, sharing nothing with the alarm.
func (a *alarm) shape(c *CloudWatch) MetricAlarm {
	a.fresh(c)
	m := a.m
	m.OKActions, m.AlarmActions, m.InsufficientDataActions = slices.Clone(m.OKActions), slices.Clone(m.AlarmActions), slices.Clone(m.InsufficientDataActions)
	if m.Dimensions != nil {
		m.Dimensions = slices.Clone(m.Dimensions)
	}
	m.Metrics = slices.Clone(m.Metrics)
	return m
}

// page returns one page of items with CloudWatch's errors: maxRecords
// in [1, maxRecordsLimit], def when not given.
func page[T any](items []T, maxRecords *int32, token *string, def int32) ([]T, *string, error) {
	if maxRecords == nil {
		maxRecords = &def
	}
	if *maxRecords < 1 {
		return nil, nil, constraint("MaxRecords", *maxRecords, "Member must have value greater than or equal to 1")
	}
	p, next, err := api.Page(items, maxRecords, token, maxRecordsLimit)
	switch err {
	case nil:
		return slices.Clone(p), next, nil
	case api.ErrMaxResults:
		return nil, nil, constraint("MaxRecords", *maxRecords, fmt.Sprintf("Member must have value less than or equal to %d", maxRecordsLimit))
	default:
		return nil, nil, invalidToken()
	}
}

// DescribeAlarms lists metric alarms sorted by name, 50 a page by
// default; composite alarms are not simulated, so CompositeAlarms is
// always empty. [CWAPI:DescribeAlarms]
func (c *CloudWatch) DescribeAlarms(in *DescribeAlarmsInput) (*DescribeAlarmsOutput, error) {
	if len(in.AlarmNames) > maxAlarmNames {
		return nil, constraint("AlarmNames", len(in.AlarmNames), "Member must have length less than or equal to 100")
	}
	if in.AlarmNames != nil && in.AlarmNamePrefix != nil {
		return nil, combination("AlarmNamePrefix", "AlarmNames and AlarmNamePrefix cannot be specified together.")
	}
	if err := checkLen("AlarmNamePrefix", in.AlarmNamePrefix, 1, 255, false); err != nil {
		return nil, err
	}
	if err := checkLen("ChildrenOfAlarmName", in.ChildrenOfAlarmName, 1, 255, false); err != nil {
		return nil, err
	}
	if err := checkLen("ParentsOfAlarmName", in.ParentsOfAlarmName, 1, 255, false); err != nil {
		return nil, err
	}
	if err := checkEnum("StateValue", in.StateValue, stateValues); err != nil {
		return nil, err
	}
	if err := checkLen("ActionPrefix", in.ActionPrefix, 1, 1024, false); err != nil {
		return nil, err
	}
	metric := len(in.AlarmTypes) == 0
	for i := range in.AlarmTypes {
		if err := checkEnum(fmt.Sprintf("AlarmTypes.member.%d", i+1), &in.AlarmTypes[i], []string{"CompositeAlarm", "MetricAlarm"}); err != nil {
			return nil, err
		}
		metric = metric || in.AlarmTypes[i] == "MetricAlarm"
	}
	c.store.Flush(c.now())
	var all []MetricAlarm
	if metric && in.ChildrenOfAlarmName == nil && in.ParentsOfAlarmName == nil {
		for _, name := range c.names {
			a := c.alarms[name]
			if in.AlarmNames != nil && !slices.Contains(in.AlarmNames, name) ||
				in.AlarmNamePrefix != nil && !strings.HasPrefix(name, *in.AlarmNamePrefix) ||
				in.StateValue != nil && a.m.StateValue != *in.StateValue ||
				in.ActionPrefix != nil && !hasActionPrefix(a.m, *in.ActionPrefix) {
				continue
			}
			all = append(all, a.shape(c))
		}
	}
	items, next, err := page(all, in.MaxRecords, in.NextToken, describePage)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []MetricAlarm{}
	}
	return &DescribeAlarmsOutput{CompositeAlarms: []CompositeAlarm{}, MetricAlarms: items, NextToken: next}, nil
}

func hasActionPrefix(m MetricAlarm, prefix string) bool {
	for _, l := range [][]string{m.OKActions, m.AlarmActions, m.InsufficientDataActions} {
		for _, a := range l {
			if strings.HasPrefix(a, prefix) {
				return true
			}
		}
	}
	return false
}

// DescribeAlarmHistory lists history entries, newest first unless ScanBy
// says TimestampAscending. History outlives its alarm, as in CloudWatch.
// [CWAPI:DescribeAlarmHistory]
func (c *CloudWatch) DescribeAlarmHistory(in *DescribeAlarmHistoryInput) (*DescribeAlarmHistoryOutput, error) {
	if err := checkLen("AlarmName", in.AlarmName, 1, 255, false); err != nil {
		return nil, err
	}
	if err := checkLen("AlarmContributorId", in.AlarmContributorId, 1, 16, false); err != nil {
		return nil, err
	}
	for i := range in.AlarmTypes {
		if err := checkEnum(fmt.Sprintf("AlarmTypes.member.%d", i+1), &in.AlarmTypes[i], []string{"CompositeAlarm", "MetricAlarm"}); err != nil {
			return nil, err
		}
	}
	if err := checkEnum("HistoryItemType", in.HistoryItemType, []string{"ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate", "AlarmContributorAction"}); err != nil {
		return nil, err
	}
	if err := checkEnum("ScanBy", in.ScanBy, []string{"TimestampDescending", "TimestampAscending"}); err != nil {
		return nil, err
	}
	if in.StartDate != nil && in.EndDate != nil && in.EndDate.Before(in.StartDate.Time) {
		return nil, invalidValue("StartDate", "The parameter StartDate must be less than the parameter EndDate.")
	}
	metric := len(in.AlarmTypes) == 0 || slices.Contains(in.AlarmTypes, "MetricAlarm")
	var all []*historyRecord
	if metric && in.AlarmContributorId == nil {
		for i := range c.history {
			h := &c.history[i]
			ts := c.stamp(h.at)
			if in.AlarmName != nil && h.name != *in.AlarmName ||
				in.HistoryItemType != nil && h.itemType() != *in.HistoryItemType ||
				in.StartDate != nil && ts.Before(in.StartDate.Time) ||
				in.EndDate != nil && ts.After(in.EndDate.Time) {
				continue
			}
			all = append(all, h)
		}
	}
	if api.Deref(in.ScanBy) != "TimestampAscending" {
		slices.Reverse(all)
	}
	recs, next, err := page(all, in.MaxRecords, in.NextToken, historyPage)
	if err != nil {
		return nil, err
	}
	items := make([]AlarmHistoryItem, len(recs))
	for i, h := range recs {
		items[i] = c.historyItem(h)
	}
	return &DescribeAlarmHistoryOutput{AlarmHistoryItems: items, NextToken: next}, nil
}

// checkNames checks the AlarmNames of Delete, Enable and Disable.
func checkNames(names []string) error {
	if names == nil {
		return missing("AlarmNames")
	}
	if len(names) > maxAlarmNames {
		return constraint("AlarmNames", len(names), "Member must have length less than or equal to 100")
	}
	for i := range names {
		if err := checkLen(fmt.Sprintf("AlarmNames.member.%d", i+1), &names[i], 1, 255, true); err != nil {
			return err
		}
	}
	return nil
}

// DeleteAlarms deletes the named alarms. Names that match no alarm are
// skipped and the others still deleted, as documented.
// [CWAPI:DeleteAlarms]
func (c *CloudWatch) DeleteAlarms(in *DeleteAlarmsInput) (*Empty, error) {
	if err := checkNames(in.AlarmNames); err != nil {
		return nil, err
	}
	for _, name := range in.AlarmNames {
		a, ok := c.alarms[name]
		if !ok {
			continue
		}
		a.timer.Cancel()
		a.gone = true
		a.fresh(c)
		delete(c.alarms, name)
		if i, ok := slices.BinarySearch(c.names, name); ok {
			c.names = slices.Delete(c.names, i, i+1)
		}
		c.addHistory(name, fmt.Sprintf("Alarm %q deleted", name), map[string]any{"version": "1.0", "type": "Delete", "deletedAlarm": a.m})
	}
	return &Empty{}, nil
}

// EnableAlarmActions turns on the actions of the named alarms; unknown
// names are skipped. [CWAPI:EnableAlarmActions]
func (c *CloudWatch) EnableAlarmActions(in *EnableAlarmActionsInput) (*Empty, error) {
	return c.setActions(in.AlarmNames, true)
}

// DisableAlarmActions turns off the actions of the named alarms; unknown
// names are skipped. The alarms go on changing state.
// [CWAPI:DisableAlarmActions]
func (c *CloudWatch) DisableAlarmActions(in *DisableAlarmActionsInput) (*Empty, error) {
	return c.setActions(in.AlarmNames, false)
}

func (c *CloudWatch) setActions(names []string, on bool) (*Empty, error) {
	if err := checkNames(names); err != nil {
		return nil, err
	}
	for _, name := range names {
		if a, ok := c.alarms[name]; ok {
			a.m.ActionsEnabled = on
		}
	}
	return &Empty{}, nil
}

// SetAlarmState sets an alarm's state until its next evaluation, running
// the actions of the new state when it differs from the old.
// StateReasonData must be JSON. [CWAPI:SetAlarmState]
func (c *CloudWatch) SetAlarmState(in *SetAlarmStateInput) (*Empty, error) {
	if err := checkLen("AlarmName", in.AlarmName, 1, 255, true); err != nil {
		return nil, err
	}
	if in.StateValue == nil {
		return nil, missing("StateValue")
	}
	if err := checkEnum("StateValue", in.StateValue, stateValues); err != nil {
		return nil, err
	}
	if err := checkLen("StateReason", in.StateReason, 0, 1023, true); err != nil {
		return nil, err
	}
	if err := checkLen("StateReasonData", in.StateReasonData, 0, 4000, false); err != nil {
		return nil, err
	}
	if d := in.StateReasonData; d != nil && !json.Valid([]byte(*d)) {
		return nil, api.Errorf(CodeInvalidFormat, "Unable to parse the StateReasonData: it is not valid JSON.").At("StateReasonData")
	}
	a, ok := c.alarms[*in.AlarmName]
	if !ok {
		return nil, api.Errorf(CodeResourceNotFound, "Alarm %s not found", *in.AlarmName).At("AlarmName")
	}
	c.setState(a, *in.StateValue, *in.StateReason, api.Deref(in.StateReasonData))
	return &Empty{}, nil
}
