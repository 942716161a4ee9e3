package autoscaling

import (
	"encoding/json"

	"github.com/ecssim/ecssim/api"
)

// SuspendedState says which kinds of scaling are suspended on a target.
type SuspendedState struct {
	DynamicScalingInSuspended  *bool `json:"DynamicScalingInSuspended,omitempty"`
	DynamicScalingOutSuspended *bool `json:"DynamicScalingOutSuspended,omitempty"`
	ScheduledScalingSuspended  *bool `json:"ScheduledScalingSuspended,omitempty"`
}

// ScalableTarget is the API shape of a scalable target.
type ScalableTarget struct {
	ServiceNamespace  string         `json:"ServiceNamespace"`
	ResourceId        string         `json:"ResourceId"`
	ScalableDimension string         `json:"ScalableDimension"`
	MinCapacity       int32          `json:"MinCapacity"`
	MaxCapacity       int32          `json:"MaxCapacity"`
	RoleARN           string         `json:"RoleARN"`
	CreationTime      api.Timestamp  `json:"CreationTime"`
	SuspendedState    SuspendedState `json:"SuspendedState"`
	ScalableTargetARN string         `json:"ScalableTargetARN"`
}

// RegisterScalableTargetInput is the input of RegisterScalableTarget.
type RegisterScalableTargetInput struct {
	ServiceNamespace  *string           `json:"ServiceNamespace,omitempty"`
	ResourceId        *string           `json:"ResourceId,omitempty"`
	ScalableDimension *string           `json:"ScalableDimension,omitempty"`
	MinCapacity       *int32            `json:"MinCapacity,omitempty"`
	MaxCapacity       *int32            `json:"MaxCapacity,omitempty"`
	RoleARN           *string           `json:"RoleARN,omitempty"`
	SuspendedState    *SuspendedState   `json:"SuspendedState,omitempty"`
	Tags              map[string]string `json:"Tags,omitempty"`
}

// RegisterScalableTargetOutput is the output of RegisterScalableTarget.
type RegisterScalableTargetOutput struct {
	ScalableTargetARN string `json:"ScalableTargetARN"`
}

// TargetKey names a scalable target, as most actions take it.
type TargetKey struct {
	ServiceNamespace  *string `json:"ServiceNamespace,omitempty"`
	ResourceId        *string `json:"ResourceId,omitempty"`
	ScalableDimension *string `json:"ScalableDimension,omitempty"`
}

// DeregisterScalableTargetInput is the input of DeregisterScalableTarget.
type DeregisterScalableTargetInput = TargetKey

// Empty is the output of actions that return nothing.
type Empty struct{}

// DescribeScalableTargetsInput is the input of DescribeScalableTargets.
type DescribeScalableTargetsInput struct {
	ServiceNamespace  *string  `json:"ServiceNamespace,omitempty"`
	ResourceIds       []string `json:"ResourceIds,omitempty"`
	ScalableDimension *string  `json:"ScalableDimension,omitempty"`
	MaxResults        *int32   `json:"MaxResults,omitempty"`
	NextToken         *string  `json:"NextToken,omitempty"`
}

// DescribeScalableTargetsOutput is the output of DescribeScalableTargets.
type DescribeScalableTargetsOutput struct {
	ScalableTargets []ScalableTarget `json:"ScalableTargets"`
	NextToken       *string          `json:"NextToken,omitempty"`
}

// StepAdjustmentJSON is a step of a step scaling policy.
type StepAdjustmentJSON struct {
	MetricIntervalLowerBound *float64 `json:"MetricIntervalLowerBound,omitempty"`
	MetricIntervalUpperBound *float64 `json:"MetricIntervalUpperBound,omitempty"`
	ScalingAdjustment        *int32   `json:"ScalingAdjustment,omitempty"`
}

// StepScalingPolicyConfiguration configures a step scaling policy.
type StepScalingPolicyConfiguration struct {
	AdjustmentType         *string              `json:"AdjustmentType,omitempty"`
	StepAdjustments        []StepAdjustmentJSON `json:"StepAdjustments,omitempty"`
	MinAdjustmentMagnitude *int32               `json:"MinAdjustmentMagnitude,omitempty"`
	Cooldown               *int32               `json:"Cooldown,omitempty"`
	MetricAggregationType  *string              `json:"MetricAggregationType,omitempty"`
}

// PredefinedMetricSpecification names a predefined metric.
type PredefinedMetricSpecification struct {
	PredefinedMetricType *string `json:"PredefinedMetricType,omitempty"`
	ResourceLabel        *string `json:"ResourceLabel,omitempty"`
}

// TargetTrackingScalingPolicyConfiguration configures a target tracking
// policy.
type TargetTrackingScalingPolicyConfiguration struct {
	TargetValue                   *float64                       `json:"TargetValue,omitempty"`
	PredefinedMetricSpecification *PredefinedMetricSpecification `json:"PredefinedMetricSpecification,omitempty"`
	CustomizedMetricSpecification json.RawMessage                `json:"CustomizedMetricSpecification,omitempty"`
	ScaleOutCooldown              *int32                         `json:"ScaleOutCooldown,omitempty"`
	ScaleInCooldown               *int32                         `json:"ScaleInCooldown,omitempty"`
	DisableScaleIn                *bool                          `json:"DisableScaleIn,omitempty"`
}

// PutScalingPolicyInput is the input of PutScalingPolicy.
type PutScalingPolicyInput struct {
	PolicyName                               *string                                   `json:"PolicyName,omitempty"`
	ServiceNamespace                         *string                                   `json:"ServiceNamespace,omitempty"`
	ResourceId                               *string                                   `json:"ResourceId,omitempty"`
	ScalableDimension                        *string                                   `json:"ScalableDimension,omitempty"`
	PolicyType                               *string                                   `json:"PolicyType,omitempty"`
	StepScalingPolicyConfiguration           *StepScalingPolicyConfiguration           `json:"StepScalingPolicyConfiguration,omitempty"`
	TargetTrackingScalingPolicyConfiguration *TargetTrackingScalingPolicyConfiguration `json:"TargetTrackingScalingPolicyConfiguration,omitempty"`
	PredictiveScalingPolicyConfiguration     json.RawMessage                           `json:"PredictiveScalingPolicyConfiguration,omitempty"`
}

// Alarm is a CloudWatch alarm a policy uses.
type Alarm struct {
	AlarmName string `json:"AlarmName"`
	AlarmARN  string `json:"AlarmARN"`
}

// PutScalingPolicyOutput is the output of PutScalingPolicy.
type PutScalingPolicyOutput struct {
	PolicyARN string  `json:"PolicyARN"`
	Alarms    []Alarm `json:"Alarms"`
}

// ScalingPolicy is the API shape of a scaling policy.
type ScalingPolicy struct {
	PolicyARN                                string                                    `json:"PolicyARN"`
	PolicyName                               string                                    `json:"PolicyName"`
	ServiceNamespace                         string                                    `json:"ServiceNamespace"`
	ResourceId                               string                                    `json:"ResourceId"`
	ScalableDimension                        string                                    `json:"ScalableDimension"`
	PolicyType                               string                                    `json:"PolicyType"`
	StepScalingPolicyConfiguration           *StepScalingPolicyConfiguration           `json:"StepScalingPolicyConfiguration,omitempty"`
	TargetTrackingScalingPolicyConfiguration *TargetTrackingScalingPolicyConfiguration `json:"TargetTrackingScalingPolicyConfiguration,omitempty"`
	Alarms                                   []Alarm                                   `json:"Alarms"`
	CreationTime                             api.Timestamp                             `json:"CreationTime"`
}

// DescribeScalingPoliciesInput is the input of DescribeScalingPolicies.
type DescribeScalingPoliciesInput struct {
	PolicyNames       []string `json:"PolicyNames,omitempty"`
	ServiceNamespace  *string  `json:"ServiceNamespace,omitempty"`
	ResourceId        *string  `json:"ResourceId,omitempty"`
	ScalableDimension *string  `json:"ScalableDimension,omitempty"`
	MaxResults        *int32   `json:"MaxResults,omitempty"`
	NextToken         *string  `json:"NextToken,omitempty"`
}

// DescribeScalingPoliciesOutput is the output of DescribeScalingPolicies.
type DescribeScalingPoliciesOutput struct {
	ScalingPolicies []ScalingPolicy `json:"ScalingPolicies"`
	NextToken       *string         `json:"NextToken,omitempty"`
}

// DeleteScalingPolicyInput is the input of DeleteScalingPolicy.
type DeleteScalingPolicyInput struct {
	PolicyName        *string `json:"PolicyName,omitempty"`
	ServiceNamespace  *string `json:"ServiceNamespace,omitempty"`
	ResourceId        *string `json:"ResourceId,omitempty"`
	ScalableDimension *string `json:"ScalableDimension,omitempty"`
}

// ScalableTargetAction is what a scheduled action sets.
type ScalableTargetAction struct {
	MinCapacity *int32 `json:"MinCapacity,omitempty"`
	MaxCapacity *int32 `json:"MaxCapacity,omitempty"`
}

// PutScheduledActionInput is the input of PutScheduledAction.
type PutScheduledActionInput struct {
	ServiceNamespace     *string               `json:"ServiceNamespace,omitempty"`
	Schedule             *string               `json:"Schedule,omitempty"`
	Timezone             *string               `json:"Timezone,omitempty"`
	ScheduledActionName  *string               `json:"ScheduledActionName,omitempty"`
	ResourceId           *string               `json:"ResourceId,omitempty"`
	ScalableDimension    *string               `json:"ScalableDimension,omitempty"`
	StartTime            *api.Timestamp        `json:"StartTime,omitempty"`
	EndTime              *api.Timestamp        `json:"EndTime,omitempty"`
	ScalableTargetAction *ScalableTargetAction `json:"ScalableTargetAction,omitempty"`
}

// ScheduledAction is the API shape of a scheduled action.
type ScheduledAction struct {
	ScheduledActionName  string                `json:"ScheduledActionName"`
	ScheduledActionARN   string                `json:"ScheduledActionARN"`
	ServiceNamespace     string                `json:"ServiceNamespace"`
	Schedule             string                `json:"Schedule"`
	Timezone             string                `json:"Timezone,omitempty"`
	ResourceId           string                `json:"ResourceId"`
	ScalableDimension    string                `json:"ScalableDimension"`
	StartTime            *api.Timestamp        `json:"StartTime,omitempty"`
	EndTime              *api.Timestamp        `json:"EndTime,omitempty"`
	ScalableTargetAction *ScalableTargetAction `json:"ScalableTargetAction,omitempty"`
	CreationTime         api.Timestamp         `json:"CreationTime"`
}

// DescribeScheduledActionsInput is the input of DescribeScheduledActions.
type DescribeScheduledActionsInput struct {
	ScheduledActionNames []string `json:"ScheduledActionNames,omitempty"`
	ServiceNamespace     *string  `json:"ServiceNamespace,omitempty"`
	ResourceId           *string  `json:"ResourceId,omitempty"`
	ScalableDimension    *string  `json:"ScalableDimension,omitempty"`
	MaxResults           *int32   `json:"MaxResults,omitempty"`
	NextToken            *string  `json:"NextToken,omitempty"`
}

// DescribeScheduledActionsOutput is the output of DescribeScheduledActions.
type DescribeScheduledActionsOutput struct {
	ScheduledActions []ScheduledAction `json:"ScheduledActions"`
	NextToken        *string           `json:"NextToken,omitempty"`
}

// DeleteScheduledActionInput is the input of DeleteScheduledAction.
type DeleteScheduledActionInput struct {
	ServiceNamespace    *string `json:"ServiceNamespace,omitempty"`
	ScheduledActionName *string `json:"ScheduledActionName,omitempty"`
	ResourceId          *string `json:"ResourceId,omitempty"`
	ScalableDimension   *string `json:"ScalableDimension,omitempty"`
}

// ScalingActivity is the API shape of a scaling activity.
type ScalingActivity struct {
	ActivityId        string            `json:"ActivityId"`
	ServiceNamespace  string            `json:"ServiceNamespace"`
	ResourceId        string            `json:"ResourceId"`
	ScalableDimension string            `json:"ScalableDimension"`
	Description       string            `json:"Description"`
	Cause             string            `json:"Cause"`
	StartTime         api.Timestamp     `json:"StartTime"`
	EndTime           *api.Timestamp    `json:"EndTime,omitempty"`
	StatusCode        string            `json:"StatusCode"`
	StatusMessage     string            `json:"StatusMessage,omitempty"`
	NotScaledReasons  []NotScaledReason `json:"NotScaledReasons,omitempty"`
}

// NotScaledReason says why a not scaled activity did not scale, in
// Application Auto Scaling's machine-readable form. [AASAPI:NotScaledReason]
type NotScaledReason struct {
	Code            string `json:"Code"`
	MaxCapacity     *int32 `json:"MaxCapacity,omitempty"`
	MinCapacity     *int32 `json:"MinCapacity,omitempty"`
	CurrentCapacity *int32 `json:"CurrentCapacity,omitempty"`
}

// DescribeScalingActivitiesInput is the input of DescribeScalingActivities.
type DescribeScalingActivitiesInput struct {
	ServiceNamespace           *string `json:"ServiceNamespace,omitempty"`
	ResourceId                 *string `json:"ResourceId,omitempty"`
	ScalableDimension          *string `json:"ScalableDimension,omitempty"`
	MaxResults                 *int32  `json:"MaxResults,omitempty"`
	NextToken                  *string `json:"NextToken,omitempty"`
	IncludeNotScaledActivities *bool   `json:"IncludeNotScaledActivities,omitempty"`
}

// DescribeScalingActivitiesOutput is the output of DescribeScalingActivities.
type DescribeScalingActivitiesOutput struct {
	ScalingActivities []ScalingActivity `json:"ScalingActivities"`
	NextToken         *string           `json:"NextToken,omitempty"`
}
