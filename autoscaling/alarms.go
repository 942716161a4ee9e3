package autoscaling

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ecssim/ecssim/api"
)

// AlarmSpec is a CloudWatch metric alarm that a target tracking policy
// creates and owns: it watches one metric, and its action is the policy.
type AlarmSpec struct {
	Name, Description     string
	Namespace, MetricName string
	Dimensions            [][2]string // name, value
	Statistic, Unit       string      // Unit empty: any unit
	Period                time.Duration
	EvaluationPeriods     int // also DatapointsToAlarm
	Threshold             float64
	ComparisonOperator    string
	AlarmActions          []string
	// Metrics, when set, replaces Namespace, MetricName, Dimensions,
	// Statistic and Unit: the metric math of a customized metric, which
	// the alarm evaluates at Period.
	Metrics []MetricQuery
}

// MetricQuery is one TargetTrackingMetricDataQuery of a customized
// metric: a metric stat or an expression over the others' ids.
// [AASAPI:TargetTrackingMetricDataQuery]
type MetricQuery struct {
	ID, Expression, Label string
	Namespace, MetricName string
	Dimensions            [][2]string
	Stat, Unit            string
	ReturnData            bool
}

// metricDataQuery is TargetTrackingMetricDataQuery as the API sends it.
type metricDataQuery struct {
	ID         *string `json:"Id"`
	Expression *string `json:"Expression"`
	Label      *string `json:"Label"`
	ReturnData *bool   `json:"ReturnData"`
	MetricStat *struct {
		Metric *struct {
			Namespace  *string `json:"Namespace"`
			MetricName *string `json:"MetricName"`
			Dimensions []struct {
				Name  string `json:"Name"`
				Value string `json:"Value"`
			} `json:"Dimensions"`
		} `json:"Metric"`
		Stat *string `json:"Stat"`
		Unit *string `json:"Unit"`
	} `json:"MetricStat"`
}

// metricQueries checks the Metrics of a customized metric as Application
// Auto Scaling does: each query has an Id and exactly one of Expression
// and MetricStat (with a Metric and a Stat), ids are unique, and exactly
// one query returns data (ReturnData defaults to true). The expressions
// themselves are CloudWatch's to judge, when it creates the alarms.
// [AASAPI:TargetTrackingMetricDataQuery] [AASAPI:TargetTrackingMetricStat]
func metricQueries(raw json.RawMessage) ([]MetricQuery, error) {
	const field = "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics"
	var qs []metricDataQuery
	if err := json.Unmarshal(raw, &qs); err != nil {
		return nil, api.Validation("Metrics is not a valid list of TargetTrackingMetricDataQuery.").At(field)
	}
	if len(qs) == 0 {
		return nil, api.Validation("Metrics must hold at least one TargetTrackingMetricDataQuery.").At(field)
	}
	out := make([]MetricQuery, 0, len(qs))
	seen := map[string]bool{}
	returning := 0
	for i, q := range qs {
		f := fmt.Sprintf("%s.member.%d", field, i+1)
		id := api.Deref(q.ID)
		if id == "" || len(id) > 255 {
			return nil, api.Validation("Id must be 1 to 255 characters.").At(f + ".Id")
		}
		if seen[id] {
			return nil, api.Validation("The Id %s is used by more than one metric data query.", id).At(f + ".Id")
		}
		seen[id] = true
		if (q.Expression == nil) == (q.MetricStat == nil) {
			return nil, api.Validation("Either Expression or MetricStat must be specified in metric data query %s, not both.", id).At(f)
		}
		mq := MetricQuery{ID: id, Label: api.Deref(q.Label), ReturnData: q.ReturnData == nil || *q.ReturnData}
		if q.Expression != nil {
			if n := len(*q.Expression); n < 1 || n > 2048 {
				return nil, api.Validation("Expression must be 1 to 2048 characters.").At(f + ".Expression")
			}
			mq.Expression = *q.Expression
		} else {
			ms := q.MetricStat
			if ms.Metric == nil || ms.Stat == nil || api.Deref(ms.Metric.MetricName) == "" || api.Deref(ms.Metric.Namespace) == "" {
				return nil, api.Validation("MetricStat of metric data query %s must have a Metric with a Namespace and a MetricName, and a Stat.", id).At(f + ".MetricStat")
			}
			mq.Namespace, mq.MetricName, mq.Stat, mq.Unit = *ms.Metric.Namespace, *ms.Metric.MetricName, *ms.Stat, api.Deref(ms.Unit)
			for _, d := range ms.Metric.Dimensions {
				mq.Dimensions = append(mq.Dimensions, [2]string{d.Name, d.Value})
			}
		}
		if mq.ReturnData {
			returning++
		}
		out = append(out, mq)
	}
	if returning != 1 {
		return nil, api.Validation("Exactly one metric data query must have ReturnData set to true; %d do.", returning).At(field)
	}
	return out, nil
}

// Alarms is the CloudWatch that holds the alarms of target tracking
// policies; the World implements it with package cloudwatch.
type Alarms interface {
	// PutAlarm creates or replaces an alarm.
	PutAlarm(AlarmSpec) error
	// DeleteAlarms deletes alarms by name; unknown names are skipped.
	DeleteAlarms(names []string)
}

// SetAlarms makes al the CloudWatch where target tracking policies create
// their alarms. Without it, policies still name their alarms but none
// exists.
func (a *Autoscaling) SetAlarms(al Alarms) { a.alarmStore = al }

// predefinedMetrics maps a predefined metric type to the CloudWatch metric
// its alarms watch: AWS/ECS service metrics, Average. The high-resolution
// types watch the same one-minute metrics here (see docs/fidelity.md).
// [AASAPI:PredefinedMetricSpecification] [DG:cloudwatch-metrics]
var predefinedMetrics = map[string]string{
	"ECSServiceAverageCPUUtilization":                  "CPUUtilization",
	"ECSServiceAverageMemoryUtilization":               "MemoryUtilization",
	"ECSServiceAverageCPUUtilizationHighResolution":    "CPUUtilization",
	"ECSServiceAverageMemoryUtilizationHighResolution": "MemoryUtilization",
}

// customizedMetric is the part of a CustomizedMetricSpecification that an
// alarm on one metric needs. [AASAPI:CustomizedMetricSpecification]
type customizedMetric struct {
	MetricName *string `json:"MetricName"`
	Namespace  *string `json:"Namespace"`
	Dimensions []struct {
		Name  string `json:"Name"`
		Value string `json:"Value"`
	} `json:"Dimensions"`
	Statistic *string         `json:"Statistic"`
	Unit      *string         `json:"Unit"`
	Metrics   json.RawMessage `json:"Metrics"`
}

// trackingAlarms returns the two alarms of a target tracking policy,
// AlarmHigh and AlarmLow, as AWS creates them: the policy's metric over
// periods of 60 s, 3 of 3 above the target and 15 of 15 below 90 % of
// it, TreatMissingData missing, the policy as the action. A customized
// metric given as metric math (Metrics) gives alarms with the same
// Metrics, as AWS creates them. ok is false when there is no metric an
// alarm can watch.
// [AASAPI examples-1.json PutScalingPolicy] (names; thresholds and
// periods: docs/fidelity.md)
func trackingAlarms(rid, policyARN string, names []Alarm, c *TargetTrackingScalingPolicyConfiguration) ([]AlarmSpec, bool, error) {
	var ns, metric, stat, unit string
	var dims [][2]string
	var metrics []MetricQuery
	var err error
	switch {
	case c.PredefinedMetricSpecification != nil:
		pm := c.PredefinedMetricSpecification
		mt := api.Deref(pm.PredefinedMetricType)
		if mt == "ALBRequestCountPerTarget" {
			// The label is app/<lb>/<id>/targetgroup/<tg>/<id>; the alarm
			// watches the target group's RequestCountPerTarget, Sum.
			// [AASAPI:PredefinedMetricSpecification.ResourceLabel]
			label := api.Deref(pm.ResourceLabel)
			i := strings.Index(label, "targetgroup/")
			if i < 0 {
				return nil, false, api.Validation("ResourceLabel %s is not app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>.", label).
					At("TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel")
			}
			ns, metric, stat = "AWS/ApplicationELB", "RequestCountPerTarget", "Sum"
			dims = [][2]string{{"TargetGroup", label[i:]}}
			break
		}
		cluster, service, _ := strings.Cut(strings.TrimPrefix(rid, "service/"), "/")
		ns, metric, stat = "AWS/ECS", predefinedMetrics[mt], "Average"
		dims = [][2]string{{"ClusterName", cluster}, {"ServiceName", service}}
	default:
		var cm customizedMetric
		if err := json.Unmarshal(c.CustomizedMetricSpecification, &cm); err != nil {
			return nil, false, api.Validation("CustomizedMetricSpecification is not a valid structure.").At("TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification")
		}
		if len(cm.Metrics) > 0 && string(cm.Metrics) != "null" {
			if cm.MetricName != nil || cm.Namespace != nil || cm.Statistic != nil || cm.Unit != nil || cm.Dimensions != nil {
				return nil, false, api.Validation("CustomizedMetricSpecification must have either Metrics or a MetricName, a Namespace and a Statistic, not both.").
					At("TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification")
			}
			if metrics, err = metricQueries(cm.Metrics); err != nil {
				return nil, false, err
			}
			break
		}
		if api.Deref(cm.MetricName) == "" || api.Deref(cm.Namespace) == "" || api.Deref(cm.Statistic) == "" {
			return nil, false, api.Validation("CustomizedMetricSpecification must have a MetricName, a Namespace and a Statistic, or Metrics.").
				At("TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification")
		}
		ns, metric, stat, unit = *cm.Namespace, *cm.MetricName, *cm.Statistic, api.Deref(cm.Unit)
		for _, d := range cm.Dimensions {
			dims = append(dims, [2]string{d.Name, d.Value})
		}
	}
	target := api.Deref(c.TargetValue)
	desc := fmt.Sprintf("DO NOT EDIT OR DELETE. For TargetTrackingScaling policy %s.", policyARN)
	spec := func(name string, n int, threshold float64, op string) AlarmSpec {
		return AlarmSpec{Name: name, Description: desc, Namespace: ns, MetricName: metric, Dimensions: dims, Statistic: stat, Unit: unit,
			Period: period, EvaluationPeriods: n, Threshold: threshold, ComparisonOperator: op, AlarmActions: []string{policyARN}, Metrics: metrics}
	}
	return []AlarmSpec{
		spec(names[0].AlarmName, highDatapoints, target, "GreaterThanThreshold"),
		// × 9 / 10 rather than × 0.9: 70 gives 63, not 63.00000000000001.
		spec(names[1].AlarmName, lowDatapoints, target*(lowFactor*10)/10, "LessThanThreshold"),
	}, true, nil
}

// putAlarms creates the alarms of a policy; on an error it deletes those
// it created and returns a ValidationException.
func (a *Autoscaling) putAlarms(specs []AlarmSpec) error {
	if a.alarmStore == nil {
		return nil
	}
	var done []string
	for _, s := range specs {
		if err := a.alarmStore.PutAlarm(s); err != nil {
			a.alarmStore.DeleteAlarms(done)
			// CloudWatch's complaint about the metric, as Application
			// Auto Scaling's validation error.
			msg := err.Error()
			var e *api.Error
			if errors.As(err, &e) {
				msg = e.Message
			}
			return api.Validation("%s", msg).At("TargetTrackingScalingPolicyConfiguration")
		}
		done = append(done, s.Name)
	}
	return nil
}

// deleteAlarms deletes the alarms a policy created.
func (a *Autoscaling) deleteAlarms(p *policy) {
	if a.alarmStore == nil || !p.ownsAlarms {
		return
	}
	names := make([]string, len(p.alarms))
	for i, al := range p.alarms {
		names[i] = al.AlarmName
	}
	a.alarmStore.DeleteAlarms(names)
}
