package cloudwatch

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ecssim/ecssim/sim"
)

// mathAlarm is what a metric math alarm evaluates: the query that returns
// data, over the queries it refers to.
type mathAlarm struct {
	env     *mathEnv
	id      string // the query with ReturnData true
	queries []MetricDataQuery
}

// checkMathAlarm validates an alarm's Metrics that hold an expression:
// every query a MetricStat or an expression, ids unique, exactly one
// query returning data, expressions that parse and name known ids. The
// alarm's period is that query's Period, or else the longest period of
// its metric stats. [CWAPI:PutMetricAlarmInput.Metrics]
// [CW:Create-alarm-on-metric-math-expression]
func (c *CloudWatch) checkMathAlarm(qs []MetricDataQuery, a *alarm, m *MetricAlarm) error {
	ids := map[string]bool{}
	returning := -1
	for i, q := range qs {
		f := fmt.Sprintf("Metrics.member.%d", i+1)
		if err := checkLen(f+".Id", q.Id, 1, 255, true); err != nil {
			return err
		}
		if !queryID.MatchString(*q.Id) {
			return invalidValue(f+".Id", "Invalid metric data query id %s: the first character must be a lowercase letter, the rest letters, digits or underscores.", *q.Id)
		}
		if ids[*q.Id] {
			return invalidValue(f+".Id", "The values for parameter id in Metrics are not unique.")
		}
		ids[*q.Id] = true
		if (q.Expression == nil) == (q.MetricStat == nil) {
			return combination(f, "Exactly one of MetricStat and Expression must be specified in query %s.", *q.Id)
		}
		if q.Expression != nil {
			if err := checkLen(f+".Expression", q.Expression, 1, maxExprLen, true); err != nil {
				return err
			}
		} else if err := checkMetricStat(f+".MetricStat", q.MetricStat); err != nil {
			return err
		}
		if q.Period != nil {
			if err := checkPeriod(f+".Period", q.Period); err != nil {
				return err
			}
		}
		// ReturnData defaults to true. [CWAPI:MetricDataQuery.ReturnData]
		if q.ReturnData == nil || *q.ReturnData {
			if returning >= 0 {
				return invalidValue("Metrics", "Exactly one element of the metrics list should return data.")
			}
			returning = i
		}
	}
	if returning < 0 {
		return invalidValue("Metrics", "Exactly one element of the metrics list should return data.")
	}
	queries := slices.Clone(qs)
	env, err := newMathEnv("Metrics", queries)
	if err != nil {
		return err
	}
	period := int32(mathPeriod(&queries[returning], queries) / sim.Time(time.Second))
	if period < 60 && period != 10 && period != 20 && period != 30 {
		return invalidValue("Metrics", "The parameter Period must be 10, 20, 30, or a multiple of 60.")
	}
	a.math = &mathAlarm{env: env, id: *qs[returning].Id, queries: queries}
	m.Period = period
	m.Metrics = slices.Clone(qs)
	return nil
}

// fetchMath returns the expression's datapoints of [from, to), newest
// first: each metric stat read at the alarm's period over the range, the
// expression computed on them, and only finite values kept.
func (c *CloudWatch) fetchMath(a *alarm, from, to, period sim.Time) []datapoint {
	s := a.math.env.series(a.math.id, grid(from, to, period), func(q *MetricDataQuery) mseries {
		return c.statSeries(q.MetricStat, from, to, period)
	})
	real := a.buf[:0]
	for i := len(s.ts) - 1; i >= 0; i-- {
		if !math.IsNaN(s.vs[i]) && !math.IsInf(s.vs[i], 0) {
			real = append(real, datapoint{start: s.ts[i], value: s.vs[i], real: true})
		}
	}
	a.buf = real
	return real
}
