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
// it, TreatMissingData missing, the policy as the action. ok is false
// when the metric is one no alarm can watch here (metric math).
// [AASAPI examples-1.json PutScalingPolicy] (names; thresholds and
// periods: docs/fidelity.md)
func trackingAlarms(rid, policyARN string, names []Alarm, c *TargetTrackingScalingPolicyConfiguration) ([]AlarmSpec, bool, error) {
	var ns, metric, stat, unit string
	var dims [][2]string
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
			return nil, false, nil // metric math: not simulated by the alarms
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
			Period: period, EvaluationPeriods: n, Threshold: threshold, ComparisonOperator: op, AlarmActions: []string{policyARN}}
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
