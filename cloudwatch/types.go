package cloudwatch

import "github.com/ecssim/ecssim/api"

// The API shapes of CloudWatch (API version 2010-08-01), with the member
// names of the service model. Optional members are pointers so that
// "absent" and "zero" differ, as they do for the service.

// Dimension is a name/value pair that is part of a metric's identity.
type Dimension struct {
	Name  *string `json:"Name,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// DimensionFilter selects metrics by dimension in ListMetrics; without a
// Value it matches any value of the dimension.
type DimensionFilter struct {
	Name  *string `json:"Name,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// StatisticSet is a pre-aggregated set of samples in PutMetricData.
type StatisticSet struct {
	SampleCount *float64 `json:"SampleCount,omitempty"`
	Sum         *float64 `json:"Sum,omitempty"`
	Minimum     *float64 `json:"Minimum,omitempty"`
	Maximum     *float64 `json:"Maximum,omitempty"`
}

// MetricDatum is one datum of PutMetricData: a Value, Values with Counts,
// or StatisticValues.
type MetricDatum struct {
	MetricName        *string        `json:"MetricName,omitempty"`
	Dimensions        []Dimension    `json:"Dimensions,omitempty"`
	Timestamp         *api.Timestamp `json:"Timestamp,omitempty"`
	Value             *float64       `json:"Value,omitempty"`
	StatisticValues   *StatisticSet  `json:"StatisticValues,omitempty"`
	Values            []float64      `json:"Values,omitempty"`
	Counts            []float64      `json:"Counts,omitempty"`
	Unit              *string        `json:"Unit,omitempty"`
	StorageResolution *int32         `json:"StorageResolution,omitempty"`
}

// Entity names the entity that EntityMetricData's metrics belong to. It is
// accepted and not kept.
type Entity struct {
	KeyAttributes map[string]string `json:"KeyAttributes,omitempty"`
	Attributes    map[string]string `json:"Attributes,omitempty"`
}

// EntityMetricData is metric data with the entity it belongs to.
type EntityMetricData struct {
	Entity     *Entity       `json:"Entity,omitempty"`
	MetricData []MetricDatum `json:"MetricData,omitempty"`
}

// PutMetricDataInput is the input of PutMetricData.
type PutMetricDataInput struct {
	Namespace              *string            `json:"Namespace,omitempty"`
	MetricData             []MetricDatum      `json:"MetricData,omitempty"`
	EntityMetricData       []EntityMetricData `json:"EntityMetricData,omitempty"`
	StrictEntityValidation *bool              `json:"StrictEntityValidation,omitempty"`
}

// Empty is the output of actions that return nothing.
type Empty struct{}

// GetMetricStatisticsInput is the input of GetMetricStatistics.
type GetMetricStatisticsInput struct {
	Namespace          *string        `json:"Namespace,omitempty"`
	MetricName         *string        `json:"MetricName,omitempty"`
	Dimensions         []Dimension    `json:"Dimensions,omitempty"`
	StartTime          *api.Timestamp `json:"StartTime,omitempty"`
	EndTime            *api.Timestamp `json:"EndTime,omitempty"`
	Period             *int32         `json:"Period,omitempty"`
	Statistics         []string       `json:"Statistics,omitempty"`
	ExtendedStatistics []string       `json:"ExtendedStatistics,omitempty"`
	Unit               *string        `json:"Unit,omitempty"`
}

// Datapoint is one period's statistics in GetMetricStatistics.
type Datapoint struct {
	Timestamp   api.Timestamp `json:"Timestamp"`
	SampleCount *float64      `json:"SampleCount,omitempty"`
	Average     *float64      `json:"Average,omitempty"`
	Sum         *float64      `json:"Sum,omitempty"`
	Minimum     *float64      `json:"Minimum,omitempty"`
	Maximum     *float64      `json:"Maximum,omitempty"`
	Unit        string        `json:"Unit,omitempty"`
	// ExtendedStatistics maps each requested percentile to its value.
	ExtendedStatistics map[string]float64 `json:"ExtendedStatistics,omitempty"`
}

// GetMetricStatisticsOutput is the output of GetMetricStatistics.
type GetMetricStatisticsOutput struct {
	Label      string      `json:"Label"`
	Datapoints []Datapoint `json:"Datapoints"`
}

// Metric names a metric: namespace, name and dimensions.
type Metric struct {
	Namespace  *string     `json:"Namespace,omitempty"`
	MetricName *string     `json:"MetricName,omitempty"`
	Dimensions []Dimension `json:"Dimensions,omitempty"`
}

// MetricStat is a metric with the statistic and period to take of it.
type MetricStat struct {
	Metric *Metric `json:"Metric,omitempty"`
	Period *int32  `json:"Period,omitempty"`
	Stat   *string `json:"Stat,omitempty"`
	Unit   *string `json:"Unit,omitempty"`
}

// MetricDataQuery is one query of GetMetricData, or one metric of an
// alarm's Metrics: a metric stat, or a metric math expression over the
// other queries' ids.
type MetricDataQuery struct {
	Id         *string     `json:"Id,omitempty"`
	MetricStat *MetricStat `json:"MetricStat,omitempty"`
	Expression *string     `json:"Expression,omitempty"`
	Label      *string     `json:"Label,omitempty"`
	ReturnData *bool       `json:"ReturnData,omitempty"`
	Period     *int32      `json:"Period,omitempty"`
	AccountId  *string     `json:"AccountId,omitempty"`
}

// LabelOptions is accepted by GetMetricData and has no effect: labels
// carry no time zone in ecssim.
type LabelOptions struct {
	Timezone *string `json:"Timezone,omitempty"`
}

// GetMetricDataInput is the input of GetMetricData.
type GetMetricDataInput struct {
	MetricDataQueries []MetricDataQuery `json:"MetricDataQueries,omitempty"`
	StartTime         *api.Timestamp    `json:"StartTime,omitempty"`
	EndTime           *api.Timestamp    `json:"EndTime,omitempty"`
	NextToken         *string           `json:"NextToken,omitempty"`
	ScanBy            *string           `json:"ScanBy,omitempty"`
	MaxDatapoints     *int32            `json:"MaxDatapoints,omitempty"`
	LabelOptions      *LabelOptions     `json:"LabelOptions,omitempty"`
}

// MessageData is a message attached to a GetMetricData result.
type MessageData struct {
	Code  string `json:"Code,omitempty"`
	Value string `json:"Value,omitempty"`
}

// MetricDataResult is one query's answer in GetMetricData.
type MetricDataResult struct {
	Id         string          `json:"Id"`
	Label      string          `json:"Label"`
	Timestamps []api.Timestamp `json:"Timestamps"`
	Values     []float64       `json:"Values"`
	StatusCode string          `json:"StatusCode"`
	Messages   []MessageData   `json:"Messages,omitempty"`
}

// GetMetricDataOutput is the output of GetMetricData.
type GetMetricDataOutput struct {
	MetricDataResults []MetricDataResult `json:"MetricDataResults"`
	NextToken         *string            `json:"NextToken,omitempty"`
	Messages          []MessageData      `json:"Messages"`
}

// ListMetricsInput is the input of ListMetrics.
type ListMetricsInput struct {
	Namespace             *string           `json:"Namespace,omitempty"`
	MetricName            *string           `json:"MetricName,omitempty"`
	Dimensions            []DimensionFilter `json:"Dimensions,omitempty"`
	NextToken             *string           `json:"NextToken,omitempty"`
	RecentlyActive        *string           `json:"RecentlyActive,omitempty"`
	IncludeLinkedAccounts *bool             `json:"IncludeLinkedAccounts,omitempty"`
	OwningAccount         *string           `json:"OwningAccount,omitempty"`
}

// ListMetricsOutput is the output of ListMetrics.
type ListMetricsOutput struct {
	Metrics   []Metric `json:"Metrics"`
	NextToken *string  `json:"NextToken,omitempty"`
}

// Tag is a key-value pair on an alarm.
type Tag struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// PutMetricAlarmInput is the input of PutMetricAlarm. Alarms on anomaly
// detection and PromQL are not simulated; Metrics may name one metric or
// hold a metric math expression.
type PutMetricAlarmInput struct {
	AlarmName                        *string           `json:"AlarmName,omitempty"`
	AlarmDescription                 *string           `json:"AlarmDescription,omitempty"`
	ActionsEnabled                   *bool             `json:"ActionsEnabled,omitempty"`
	OKActions                        []string          `json:"OKActions,omitempty"`
	AlarmActions                     []string          `json:"AlarmActions,omitempty"`
	InsufficientDataActions          []string          `json:"InsufficientDataActions,omitempty"`
	MetricName                       *string           `json:"MetricName,omitempty"`
	Namespace                        *string           `json:"Namespace,omitempty"`
	Statistic                        *string           `json:"Statistic,omitempty"`
	ExtendedStatistic                *string           `json:"ExtendedStatistic,omitempty"`
	Dimensions                       []Dimension       `json:"Dimensions,omitempty"`
	Period                           *int32            `json:"Period,omitempty"`
	Unit                             *string           `json:"Unit,omitempty"`
	EvaluationPeriods                *int32            `json:"EvaluationPeriods,omitempty"`
	DatapointsToAlarm                *int32            `json:"DatapointsToAlarm,omitempty"`
	Threshold                        *float64          `json:"Threshold,omitempty"`
	ComparisonOperator               *string           `json:"ComparisonOperator,omitempty"`
	TreatMissingData                 *string           `json:"TreatMissingData,omitempty"`
	EvaluateLowSampleCountPercentile *string           `json:"EvaluateLowSampleCountPercentile,omitempty"`
	Metrics                          []MetricDataQuery `json:"Metrics,omitempty"`
	Tags                             []Tag             `json:"Tags,omitempty"`
	ThresholdMetricId                *string           `json:"ThresholdMetricId,omitempty"`
	EvaluationCriteria               *map[string]any   `json:"EvaluationCriteria,omitempty"`
	EvaluationInterval               *int32            `json:"EvaluationInterval,omitempty"`
}

// MetricAlarm is the API shape of a metric alarm.
type MetricAlarm struct {
	AlarmName                          string            `json:"AlarmName"`
	AlarmArn                           string            `json:"AlarmArn"`
	AlarmDescription                   *string           `json:"AlarmDescription,omitempty"`
	AlarmConfigurationUpdatedTimestamp api.Timestamp     `json:"AlarmConfigurationUpdatedTimestamp"`
	ActionsEnabled                     bool              `json:"ActionsEnabled"`
	OKActions                          []string          `json:"OKActions"`
	AlarmActions                       []string          `json:"AlarmActions"`
	InsufficientDataActions            []string          `json:"InsufficientDataActions"`
	StateValue                         string            `json:"StateValue"`
	StateReason                        string            `json:"StateReason"`
	StateReasonData                    string            `json:"StateReasonData,omitempty"`
	StateUpdatedTimestamp              api.Timestamp     `json:"StateUpdatedTimestamp"`
	MetricName                         string            `json:"MetricName,omitempty"`
	Namespace                          string            `json:"Namespace,omitempty"`
	Statistic                          string            `json:"Statistic,omitempty"`
	ExtendedStatistic                  string            `json:"ExtendedStatistic,omitempty"`
	Dimensions                         []Dimension       `json:"Dimensions"`
	Period                             int32             `json:"Period,omitempty"`
	Unit                               string            `json:"Unit,omitempty"`
	EvaluationPeriods                  int32             `json:"EvaluationPeriods"`
	DatapointsToAlarm                  *int32            `json:"DatapointsToAlarm,omitempty"`
	Threshold                          float64           `json:"Threshold"`
	ComparisonOperator                 string            `json:"ComparisonOperator"`
	TreatMissingData                   string            `json:"TreatMissingData,omitempty"`
	Metrics                            []MetricDataQuery `json:"Metrics,omitempty"`
	StateTransitionedTimestamp         api.Timestamp     `json:"StateTransitionedTimestamp"`
}

// DescribeAlarmsInput is the input of DescribeAlarms.
type DescribeAlarmsInput struct {
	AlarmNames          []string `json:"AlarmNames,omitempty"`
	AlarmNamePrefix     *string  `json:"AlarmNamePrefix,omitempty"`
	AlarmTypes          []string `json:"AlarmTypes,omitempty"`
	ChildrenOfAlarmName *string  `json:"ChildrenOfAlarmName,omitempty"`
	ParentsOfAlarmName  *string  `json:"ParentsOfAlarmName,omitempty"`
	StateValue          *string  `json:"StateValue,omitempty"`
	ActionPrefix        *string  `json:"ActionPrefix,omitempty"`
	MaxRecords          *int32   `json:"MaxRecords,omitempty"`
	NextToken           *string  `json:"NextToken,omitempty"`
}

// CompositeAlarm is the API shape of a composite alarm; ecssim has none,
// so lists of them are always empty.
type CompositeAlarm struct {
	AlarmName string `json:"AlarmName"`
}

// DescribeAlarmsOutput is the output of DescribeAlarms.
type DescribeAlarmsOutput struct {
	CompositeAlarms []CompositeAlarm `json:"CompositeAlarms"`
	MetricAlarms    []MetricAlarm    `json:"MetricAlarms"`
	NextToken       *string          `json:"NextToken,omitempty"`
}

// DescribeAlarmHistoryInput is the input of DescribeAlarmHistory.
type DescribeAlarmHistoryInput struct {
	AlarmName          *string        `json:"AlarmName,omitempty"`
	AlarmContributorId *string        `json:"AlarmContributorId,omitempty"`
	AlarmTypes         []string       `json:"AlarmTypes,omitempty"`
	HistoryItemType    *string        `json:"HistoryItemType,omitempty"`
	StartDate          *api.Timestamp `json:"StartDate,omitempty"`
	EndDate            *api.Timestamp `json:"EndDate,omitempty"`
	MaxRecords         *int32         `json:"MaxRecords,omitempty"`
	NextToken          *string        `json:"NextToken,omitempty"`
	ScanBy             *string        `json:"ScanBy,omitempty"`
}

// AlarmHistoryItem is one entry of an alarm's history.
type AlarmHistoryItem struct {
	AlarmName       string        `json:"AlarmName"`
	AlarmType       string        `json:"AlarmType"`
	Timestamp       api.Timestamp `json:"Timestamp"`
	HistoryItemType string        `json:"HistoryItemType"`
	HistorySummary  string        `json:"HistorySummary"`
	HistoryData     string        `json:"HistoryData"`
}

// DescribeAlarmHistoryOutput is the output of DescribeAlarmHistory.
type DescribeAlarmHistoryOutput struct {
	AlarmHistoryItems []AlarmHistoryItem `json:"AlarmHistoryItems"`
	NextToken         *string            `json:"NextToken,omitempty"`
}

// AlarmNamesInput is the input of DeleteAlarms, EnableAlarmActions and
// DisableAlarmActions.
type AlarmNamesInput struct {
	AlarmNames []string `json:"AlarmNames,omitempty"`
}

// DeleteAlarmsInput is the input of DeleteAlarms.
type DeleteAlarmsInput = AlarmNamesInput

// EnableAlarmActionsInput is the input of EnableAlarmActions.
type EnableAlarmActionsInput = AlarmNamesInput

// DisableAlarmActionsInput is the input of DisableAlarmActions.
type DisableAlarmActionsInput = AlarmNamesInput

// SetAlarmStateInput is the input of SetAlarmState.
type SetAlarmStateInput struct {
	AlarmName       *string `json:"AlarmName,omitempty"`
	StateValue      *string `json:"StateValue,omitempty"`
	StateReason     *string `json:"StateReason,omitempty"`
	StateReasonData *string `json:"StateReasonData,omitempty"`
}
