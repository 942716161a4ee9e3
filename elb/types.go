package elb

import "github.com/ecssim/ecssim/api"

// The input and output shapes of the Elastic Load Balancing v2 API
// (elasticloadbalancing 2015-12-01), with the API's PascalCase member names
// as JSON tags: a document that `aws elbv2 <command> --cli-input-json`
// takes decodes into the matching input here. Members ecssim accepts but
// does not simulate (certificates, authentication actions, IPAM pools) are
// kept as given and returned as given.

// Tag is a key-value pair on a load balancer, target group, listener or
// rule. [ELBAPI:Tag]
type Tag struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// SubnetMapping names a subnet of a load balancer. [ELBAPI:SubnetMapping]
type SubnetMapping struct {
	SubnetId            *string `json:"SubnetId,omitempty"`
	AllocationId        *string `json:"AllocationId,omitempty"`
	PrivateIPv4Address  *string `json:"PrivateIPv4Address,omitempty"`
	IPv6Address         *string `json:"IPv6Address,omitempty"`
	SourceNatIpv6Prefix *string `json:"SourceNatIpv6Prefix,omitempty"`
}

// IpamPools names the IPAM pools of a load balancer. [ELBAPI:IpamPools]
type IpamPools struct {
	Ipv4IpamPoolId *string `json:"Ipv4IpamPoolId,omitempty"`
}

// CreateLoadBalancerInput is the input of CreateLoadBalancer.
type CreateLoadBalancerInput struct {
	Name                         *string         `json:"Name,omitempty"`
	Subnets                      []string        `json:"Subnets,omitempty"`
	SubnetMappings               []SubnetMapping `json:"SubnetMappings,omitempty"`
	SecurityGroups               []string        `json:"SecurityGroups,omitempty"`
	Scheme                       *string         `json:"Scheme,omitempty"`
	Tags                         []Tag           `json:"Tags,omitempty"`
	Type                         *string         `json:"Type,omitempty"`
	IpAddressType                *string         `json:"IpAddressType,omitempty"`
	CustomerOwnedIpv4Pool        *string         `json:"CustomerOwnedIpv4Pool,omitempty"`
	EnablePrefixForIpv6SourceNat *string         `json:"EnablePrefixForIpv6SourceNat,omitempty"`
	IpamPools                    *IpamPools      `json:"IpamPools,omitempty"`
}

// LoadBalancerState is a load balancer's state. [ELBAPI:LoadBalancerState]
type LoadBalancerState struct {
	Code   string  `json:"Code"`
	Reason *string `json:"Reason,omitempty"`
}

// AvailabilityZone is a zone a load balancer is enabled in, with its
// subnet. [ELBAPI:AvailabilityZone]
type AvailabilityZone struct {
	ZoneName string `json:"ZoneName"`
	SubnetId string `json:"SubnetId"`
}

// LoadBalancer describes a load balancer. [ELBAPI:LoadBalancer]
type LoadBalancer struct {
	LoadBalancerArn       string             `json:"LoadBalancerArn"`
	DNSName               string             `json:"DNSName"`
	CanonicalHostedZoneId string             `json:"CanonicalHostedZoneId"`
	CreatedTime           api.Timestamp      `json:"CreatedTime,omitzero"`
	LoadBalancerName      string             `json:"LoadBalancerName"`
	Scheme                string             `json:"Scheme"`
	VpcId                 string             `json:"VpcId"`
	State                 LoadBalancerState  `json:"State"`
	Type                  string             `json:"Type"`
	AvailabilityZones     []AvailabilityZone `json:"AvailabilityZones"`
	SecurityGroups        []string           `json:"SecurityGroups,omitempty"`
	IpAddressType         string             `json:"IpAddressType"`
}

// CreateLoadBalancerOutput is the output of CreateLoadBalancer.
type CreateLoadBalancerOutput struct {
	LoadBalancers []LoadBalancer `json:"LoadBalancers"`
}

// DescribeLoadBalancersInput is the input of DescribeLoadBalancers.
type DescribeLoadBalancersInput struct {
	LoadBalancerArns []string `json:"LoadBalancerArns,omitempty"`
	Names            []string `json:"Names,omitempty"`
	Marker           *string  `json:"Marker,omitempty"`
	PageSize         *int32   `json:"PageSize,omitempty"`
}

// DescribeLoadBalancersOutput is the output of DescribeLoadBalancers.
type DescribeLoadBalancersOutput struct {
	LoadBalancers []LoadBalancer `json:"LoadBalancers"`
	NextMarker    *string        `json:"NextMarker,omitempty"`
}

// DeleteLoadBalancerInput is the input of DeleteLoadBalancer.
type DeleteLoadBalancerInput struct {
	LoadBalancerArn *string `json:"LoadBalancerArn,omitempty"`
}

// Empty is the output of actions that return nothing.
type Empty struct{}

// Matcher is the codes a health check must answer with to pass.
// [ELBAPI:Matcher]
type Matcher struct {
	HttpCode *string `json:"HttpCode,omitempty"`
	GrpcCode *string `json:"GrpcCode,omitempty"`
}

// CreateTargetGroupInput is the input of CreateTargetGroup.
type CreateTargetGroupInput struct {
	Name                       *string  `json:"Name,omitempty"`
	Protocol                   *string  `json:"Protocol,omitempty"`
	ProtocolVersion            *string  `json:"ProtocolVersion,omitempty"`
	Port                       *int32   `json:"Port,omitempty"`
	VpcId                      *string  `json:"VpcId,omitempty"`
	HealthCheckProtocol        *string  `json:"HealthCheckProtocol,omitempty"`
	HealthCheckPort            *string  `json:"HealthCheckPort,omitempty"`
	HealthCheckEnabled         *bool    `json:"HealthCheckEnabled,omitempty"`
	HealthCheckPath            *string  `json:"HealthCheckPath,omitempty"`
	HealthCheckIntervalSeconds *int32   `json:"HealthCheckIntervalSeconds,omitempty"`
	HealthCheckTimeoutSeconds  *int32   `json:"HealthCheckTimeoutSeconds,omitempty"`
	HealthyThresholdCount      *int32   `json:"HealthyThresholdCount,omitempty"`
	UnhealthyThresholdCount    *int32   `json:"UnhealthyThresholdCount,omitempty"`
	Matcher                    *Matcher `json:"Matcher,omitempty"`
	TargetType                 *string  `json:"TargetType,omitempty"`
	Tags                       []Tag    `json:"Tags,omitempty"`
	IpAddressType              *string  `json:"IpAddressType,omitempty"`
	TargetControlPort          *int32   `json:"TargetControlPort,omitempty"`
}

// TargetGroup describes a target group. [ELBAPI:TargetGroup]
type TargetGroup struct {
	TargetGroupArn             string   `json:"TargetGroupArn"`
	TargetGroupName            string   `json:"TargetGroupName"`
	Protocol                   string   `json:"Protocol,omitempty"`
	Port                       int32    `json:"Port,omitempty"`
	VpcId                      string   `json:"VpcId,omitempty"`
	HealthCheckProtocol        string   `json:"HealthCheckProtocol,omitempty"`
	HealthCheckPort            string   `json:"HealthCheckPort,omitempty"`
	HealthCheckEnabled         bool     `json:"HealthCheckEnabled"`
	HealthCheckIntervalSeconds int32    `json:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  int32    `json:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      int32    `json:"HealthyThresholdCount"`
	UnhealthyThresholdCount    int32    `json:"UnhealthyThresholdCount"`
	HealthCheckPath            string   `json:"HealthCheckPath,omitempty"`
	Matcher                    *Matcher `json:"Matcher,omitempty"`
	LoadBalancerArns           []string `json:"LoadBalancerArns"`
	TargetType                 string   `json:"TargetType"`
	ProtocolVersion            string   `json:"ProtocolVersion,omitempty"`
	IpAddressType              string   `json:"IpAddressType"`
}

// CreateTargetGroupOutput is the output of CreateTargetGroup.
type CreateTargetGroupOutput struct {
	TargetGroups []TargetGroup `json:"TargetGroups"`
}

// ModifyTargetGroupInput is the input of ModifyTargetGroup.
type ModifyTargetGroupInput struct {
	TargetGroupArn             *string  `json:"TargetGroupArn,omitempty"`
	HealthCheckProtocol        *string  `json:"HealthCheckProtocol,omitempty"`
	HealthCheckPort            *string  `json:"HealthCheckPort,omitempty"`
	HealthCheckPath            *string  `json:"HealthCheckPath,omitempty"`
	HealthCheckEnabled         *bool    `json:"HealthCheckEnabled,omitempty"`
	HealthCheckIntervalSeconds *int32   `json:"HealthCheckIntervalSeconds,omitempty"`
	HealthCheckTimeoutSeconds  *int32   `json:"HealthCheckTimeoutSeconds,omitempty"`
	HealthyThresholdCount      *int32   `json:"HealthyThresholdCount,omitempty"`
	UnhealthyThresholdCount    *int32   `json:"UnhealthyThresholdCount,omitempty"`
	Matcher                    *Matcher `json:"Matcher,omitempty"`
}

// ModifyTargetGroupOutput is the output of ModifyTargetGroup.
type ModifyTargetGroupOutput struct {
	TargetGroups []TargetGroup `json:"TargetGroups"`
}

// DescribeTargetGroupsInput is the input of DescribeTargetGroups.
type DescribeTargetGroupsInput struct {
	LoadBalancerArn *string  `json:"LoadBalancerArn,omitempty"`
	TargetGroupArns []string `json:"TargetGroupArns,omitempty"`
	Names           []string `json:"Names,omitempty"`
	Marker          *string  `json:"Marker,omitempty"`
	PageSize        *int32   `json:"PageSize,omitempty"`
}

// DescribeTargetGroupsOutput is the output of DescribeTargetGroups.
type DescribeTargetGroupsOutput struct {
	TargetGroups []TargetGroup `json:"TargetGroups"`
	NextMarker   *string       `json:"NextMarker,omitempty"`
}

// DeleteTargetGroupInput is the input of DeleteTargetGroup.
type DeleteTargetGroupInput struct {
	TargetGroupArn *string `json:"TargetGroupArn,omitempty"`
}

// TargetGroupAttribute is one attribute of a target group.
// [ELBAPI:TargetGroupAttribute]
type TargetGroupAttribute struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// ModifyTargetGroupAttributesInput is the input of ModifyTargetGroupAttributes.
type ModifyTargetGroupAttributesInput struct {
	TargetGroupArn *string                `json:"TargetGroupArn,omitempty"`
	Attributes     []TargetGroupAttribute `json:"Attributes,omitempty"`
}

// DescribeTargetGroupAttributesInput is the input of DescribeTargetGroupAttributes.
type DescribeTargetGroupAttributesInput struct {
	TargetGroupArn *string `json:"TargetGroupArn,omitempty"`
}

// TargetGroupAttributesOutput is the output of ModifyTargetGroupAttributes
// and DescribeTargetGroupAttributes: every attribute of the group.
type TargetGroupAttributesOutput struct {
	Attributes []TargetGroupAttribute `json:"Attributes"`
}

// TargetGroupTuple is one target group of a forward action with its
// weight. [ELBAPI:TargetGroupTuple]
type TargetGroupTuple struct {
	TargetGroupArn *string `json:"TargetGroupArn,omitempty"`
	Weight         *int32  `json:"Weight,omitempty"`
}

// TargetGroupStickinessConfig is target group stickiness of a forward
// action. [ELBAPI:TargetGroupStickinessConfig]
type TargetGroupStickinessConfig struct {
	Enabled         *bool  `json:"Enabled,omitempty"`
	DurationSeconds *int32 `json:"DurationSeconds,omitempty"`
}

// ForwardActionConfig forwards to one or more weighted target groups.
// [ELBAPI:ForwardActionConfig]
type ForwardActionConfig struct {
	TargetGroups                []TargetGroupTuple           `json:"TargetGroups,omitempty"`
	TargetGroupStickinessConfig *TargetGroupStickinessConfig `json:"TargetGroupStickinessConfig,omitempty"`
}

// RedirectActionConfig is a redirect action. [ELBAPI:RedirectActionConfig]
type RedirectActionConfig struct {
	Protocol   *string `json:"Protocol,omitempty"`
	Port       *string `json:"Port,omitempty"`
	Host       *string `json:"Host,omitempty"`
	Path       *string `json:"Path,omitempty"`
	Query      *string `json:"Query,omitempty"`
	StatusCode *string `json:"StatusCode,omitempty"`
}

// FixedResponseActionConfig is a fixed-response action.
// [ELBAPI:FixedResponseActionConfig]
type FixedResponseActionConfig struct {
	MessageBody *string `json:"MessageBody,omitempty"`
	StatusCode  *string `json:"StatusCode,omitempty"`
	ContentType *string `json:"ContentType,omitempty"`
}

// Action is a listener or rule action. Authentication and JWT validation
// configurations are accepted as given and not simulated. [ELBAPI:Action]
type Action struct {
	Type                      *string                    `json:"Type,omitempty"`
	TargetGroupArn            *string                    `json:"TargetGroupArn,omitempty"`
	AuthenticateOidcConfig    map[string]any             `json:"AuthenticateOidcConfig,omitempty"`
	AuthenticateCognitoConfig map[string]any             `json:"AuthenticateCognitoConfig,omitempty"`
	Order                     *int32                     `json:"Order,omitempty"`
	RedirectConfig            *RedirectActionConfig      `json:"RedirectConfig,omitempty"`
	FixedResponseConfig       *FixedResponseActionConfig `json:"FixedResponseConfig,omitempty"`
	ForwardConfig             *ForwardActionConfig       `json:"ForwardConfig,omitempty"`
	JwtValidationConfig       map[string]any             `json:"JwtValidationConfig,omitempty"`
}

// Certificate is a listener certificate. [ELBAPI:Certificate]
type Certificate struct {
	CertificateArn *string `json:"CertificateArn,omitempty"`
	IsDefault      *bool   `json:"IsDefault,omitempty"`
}

// CreateListenerInput is the input of CreateListener.
type CreateListenerInput struct {
	LoadBalancerArn      *string        `json:"LoadBalancerArn,omitempty"`
	Protocol             *string        `json:"Protocol,omitempty"`
	Port                 *int32         `json:"Port,omitempty"`
	SslPolicy            *string        `json:"SslPolicy,omitempty"`
	Certificates         []Certificate  `json:"Certificates,omitempty"`
	DefaultActions       []Action       `json:"DefaultActions,omitempty"`
	AlpnPolicy           []string       `json:"AlpnPolicy,omitempty"`
	Tags                 []Tag          `json:"Tags,omitempty"`
	MutualAuthentication map[string]any `json:"MutualAuthentication,omitempty"`
}

// Listener describes a listener. [ELBAPI:Listener]
type Listener struct {
	ListenerArn     string        `json:"ListenerArn"`
	LoadBalancerArn string        `json:"LoadBalancerArn"`
	Port            int32         `json:"Port"`
	Protocol        string        `json:"Protocol"`
	Certificates    []Certificate `json:"Certificates,omitempty"`
	SslPolicy       string        `json:"SslPolicy,omitempty"`
	DefaultActions  []Action      `json:"DefaultActions"`
	AlpnPolicy      []string      `json:"AlpnPolicy,omitempty"`
}

// ListenersOutput is the output of CreateListener and ModifyListener.
type ListenersOutput struct {
	Listeners []Listener `json:"Listeners"`
}

// ModifyListenerInput is the input of ModifyListener.
type ModifyListenerInput struct {
	ListenerArn          *string        `json:"ListenerArn,omitempty"`
	Port                 *int32         `json:"Port,omitempty"`
	Protocol             *string        `json:"Protocol,omitempty"`
	SslPolicy            *string        `json:"SslPolicy,omitempty"`
	Certificates         []Certificate  `json:"Certificates,omitempty"`
	DefaultActions       []Action       `json:"DefaultActions,omitempty"`
	AlpnPolicy           []string       `json:"AlpnPolicy,omitempty"`
	MutualAuthentication map[string]any `json:"MutualAuthentication,omitempty"`
}

// DescribeListenersInput is the input of DescribeListeners.
type DescribeListenersInput struct {
	LoadBalancerArn *string  `json:"LoadBalancerArn,omitempty"`
	ListenerArns    []string `json:"ListenerArns,omitempty"`
	Marker          *string  `json:"Marker,omitempty"`
	PageSize        *int32   `json:"PageSize,omitempty"`
}

// DescribeListenersOutput is the output of DescribeListeners.
type DescribeListenersOutput struct {
	Listeners  []Listener `json:"Listeners"`
	NextMarker *string    `json:"NextMarker,omitempty"`
}

// DeleteListenerInput is the input of DeleteListener.
type DeleteListenerInput struct {
	ListenerArn *string `json:"ListenerArn,omitempty"`
}

// ConditionValues is the Values list of a typed rule condition
// configuration. [ELBAPI:PathPatternConditionConfig]
type ConditionValues struct {
	Values      []string `json:"Values,omitempty"`
	RegexValues []string `json:"RegexValues,omitempty"`
}

// HttpHeaderConditionConfig matches an HTTP header.
// [ELBAPI:HttpHeaderConditionConfig]
type HttpHeaderConditionConfig struct {
	HttpHeaderName *string  `json:"HttpHeaderName,omitempty"`
	Values         []string `json:"Values,omitempty"`
	RegexValues    []string `json:"RegexValues,omitempty"`
}

// QueryStringKeyValuePair is one query-string condition value.
type QueryStringKeyValuePair struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// QueryStringConditionConfig matches query-string pairs.
type QueryStringConditionConfig struct {
	Values []QueryStringKeyValuePair `json:"Values,omitempty"`
}

// RuleCondition is a condition of a rule. Simulated requests match it
// through the classes of requests given with the listener's traffic
// (match.go). [ELBAPI:RuleCondition]
type RuleCondition struct {
	Field                   *string                     `json:"Field,omitempty"`
	Values                  []string                    `json:"Values,omitempty"`
	HostHeaderConfig        *ConditionValues            `json:"HostHeaderConfig,omitempty"`
	PathPatternConfig       *ConditionValues            `json:"PathPatternConfig,omitempty"`
	HttpHeaderConfig        *HttpHeaderConditionConfig  `json:"HttpHeaderConfig,omitempty"`
	QueryStringConfig       *QueryStringConditionConfig `json:"QueryStringConfig,omitempty"`
	HttpRequestMethodConfig *ConditionValues            `json:"HttpRequestMethodConfig,omitempty"`
	SourceIpConfig          *ConditionValues            `json:"SourceIpConfig,omitempty"`
	RegexValues             []string                    `json:"RegexValues,omitempty"`
}

// CreateRuleInput is the input of CreateRule.
type CreateRuleInput struct {
	ListenerArn *string          `json:"ListenerArn,omitempty"`
	Conditions  []RuleCondition  `json:"Conditions,omitempty"`
	Priority    *int32           `json:"Priority,omitempty"`
	Actions     []Action         `json:"Actions,omitempty"`
	Tags        []Tag            `json:"Tags,omitempty"`
	Transforms  []map[string]any `json:"Transforms,omitempty"`
}

// Rule describes a listener rule. [ELBAPI:Rule]
type Rule struct {
	RuleArn    string           `json:"RuleArn"`
	Priority   string           `json:"Priority"`
	Conditions []RuleCondition  `json:"Conditions"`
	Actions    []Action         `json:"Actions"`
	IsDefault  bool             `json:"IsDefault"`
	Transforms []map[string]any `json:"Transforms,omitempty"`
}

// RulesOutput is the output of CreateRule and ModifyRule.
type RulesOutput struct {
	Rules []Rule `json:"Rules"`
}

// ModifyRuleInput is the input of ModifyRule.
type ModifyRuleInput struct {
	RuleArn         *string          `json:"RuleArn,omitempty"`
	Conditions      []RuleCondition  `json:"Conditions,omitempty"`
	Actions         []Action         `json:"Actions,omitempty"`
	Transforms      []map[string]any `json:"Transforms,omitempty"`
	ResetTransforms *bool            `json:"ResetTransforms,omitempty"`
}

// DescribeRulesInput is the input of DescribeRules.
type DescribeRulesInput struct {
	ListenerArn *string  `json:"ListenerArn,omitempty"`
	RuleArns    []string `json:"RuleArns,omitempty"`
	Marker      *string  `json:"Marker,omitempty"`
	PageSize    *int32   `json:"PageSize,omitempty"`
}

// DescribeRulesOutput is the output of DescribeRules.
type DescribeRulesOutput struct {
	Rules      []Rule  `json:"Rules"`
	NextMarker *string `json:"NextMarker,omitempty"`
}

// DeleteRuleInput is the input of DeleteRule.
type DeleteRuleInput struct {
	RuleArn *string `json:"RuleArn,omitempty"`
}

// TargetDescription names a target: an instance ID or an IP address, and
// a port. [ELBAPI:TargetDescription]
type TargetDescription struct {
	Id               *string `json:"Id,omitempty"`
	Port             *int32  `json:"Port,omitempty"`
	AvailabilityZone *string `json:"AvailabilityZone,omitempty"`
	QuicServerId     *string `json:"QuicServerId,omitempty"`
}

// TargetsInput is the input of RegisterTargets and DeregisterTargets.
type TargetsInput struct {
	TargetGroupArn *string             `json:"TargetGroupArn,omitempty"`
	Targets        []TargetDescription `json:"Targets,omitempty"`
}

// DescribeTargetHealthInput is the input of DescribeTargetHealth.
type DescribeTargetHealthInput struct {
	TargetGroupArn *string             `json:"TargetGroupArn,omitempty"`
	Targets        []TargetDescription `json:"Targets,omitempty"`
	Include        []string            `json:"Include,omitempty"`
}

// TargetHealth is a target's health state, with a reason and description
// for every state but healthy. [ELBAPI:TargetHealth]
type TargetHealth struct {
	State       string `json:"State"`
	Reason      string `json:"Reason,omitempty"`
	Description string `json:"Description,omitempty"`
}

// TargetHealthDescription is one target's health. [ELBAPI:TargetHealthDescription]
type TargetHealthDescription struct {
	Target          TargetDescription `json:"Target"`
	HealthCheckPort string            `json:"HealthCheckPort,omitempty"`
	TargetHealth    TargetHealth      `json:"TargetHealth"`
}

// DescribeTargetHealthOutput is the output of DescribeTargetHealth.
type DescribeTargetHealthOutput struct {
	TargetHealthDescriptions []TargetHealthDescription `json:"TargetHealthDescriptions"`
}

// AddTagsInput is the input of AddTags.
type AddTagsInput struct {
	ResourceArns []string `json:"ResourceArns,omitempty"`
	Tags         []Tag    `json:"Tags,omitempty"`
}

// RemoveTagsInput is the input of RemoveTags.
type RemoveTagsInput struct {
	ResourceArns []string `json:"ResourceArns,omitempty"`
	TagKeys      []string `json:"TagKeys,omitempty"`
}

// DescribeTagsInput is the input of DescribeTags.
type DescribeTagsInput struct {
	ResourceArns []string `json:"ResourceArns,omitempty"`
}

// TagDescription is the tags of one resource.
type TagDescription struct {
	ResourceArn string `json:"ResourceArn"`
	Tags        []Tag  `json:"Tags"`
}

// DescribeTagsOutput is the output of DescribeTags.
type DescribeTagsOutput struct {
	TagDescriptions []TagDescription `json:"TagDescriptions"`
}
