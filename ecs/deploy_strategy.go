package ecs

import (
	"encoding/json"
	"math"

	"github.com/ecssim/ecssim/api"
)

// Deployment strategies. [API enum DeploymentStrategy]
//
// BLUE_GREEN, LINEAR and CANARY run as bluegreen.go describes for a
// service whose load balancer has an advancedConfiguration, with their
// lifecycle hooks (bg_hooks.go).
const (
	StrategyRolling   = "ROLLING"
	StrategyBlueGreen = "BLUE_GREEN"
	StrategyLinear    = "LINEAR"
	StrategyCanary    = "CANARY"
)

// Defaults and ranges of the strategies' settings, as the API states
// them. [API:LinearConfiguration] [API:CanaryConfiguration]
// [API:DeploymentLifecycleHookTimeoutConfiguration.timeoutInMinutes]
const (
	DefaultStepPercent           = 10.0
	DefaultStepBakeTimeInMinutes = 6
	DefaultCanaryPercent         = 5.0
	DefaultCanaryBakeMinutes     = 10
	minStepPercent               = 3.0
	minCanaryPercent             = 0.1
	maxStrategyBakeMinutes       = 1440
	maxHookTimeoutMinutes        = 20160
)

// MaxBakeTimeInMinutes bounds deploymentConfiguration.bakeTimeInMinutes.
// The API gives no range for it; ecssim uses the 0 to 1440 minutes the API
// gives for the linear and canary bake times. See docs/fidelity.md.
const MaxBakeTimeInMinutes = maxStrategyBakeMinutes

// LinearConfiguration shifts production traffic in equal steps.
// [API:LinearConfiguration]
type LinearConfiguration struct {
	StepPercent           *float64 `json:"stepPercent,omitempty"`
	StepBakeTimeInMinutes *int32   `json:"stepBakeTimeInMinutes,omitempty"`
}

// CanaryConfiguration shifts a share of production traffic, waits, then
// shifts the rest. [API:CanaryConfiguration]
type CanaryConfiguration struct {
	CanaryPercent           *float64 `json:"canaryPercent,omitempty"`
	CanaryBakeTimeInMinutes *int32   `json:"canaryBakeTimeInMinutes,omitempty"`
}

// HookTimeoutConfiguration says how long a lifecycle hook may take and
// what happens then. [API:DeploymentLifecycleHookTimeoutConfiguration]
type HookTimeoutConfiguration struct {
	TimeoutInMinutes *int32  `json:"timeoutInMinutes,omitempty"`
	Action           *string `json:"action,omitempty"`
}

// DeploymentLifecycleHook runs custom logic at stages of a deployment.
// [API:DeploymentLifecycleHook]
type DeploymentLifecycleHook struct {
	TargetType           *string                   `json:"targetType,omitempty"`
	HookTargetArn        *string                   `json:"hookTargetArn,omitempty"`
	RoleArn              *string                   `json:"roleArn,omitempty"`
	LifecycleStages      []string                  `json:"lifecycleStages,omitempty"`
	HookDetails          json.RawMessage           `json:"hookDetails,omitempty"`
	TimeoutConfiguration *HookTimeoutConfiguration `json:"timeoutConfiguration,omitempty"`
}

// AdvancedConfiguration is a load balancer's blue/green settings.
// [API:AdvancedConfiguration]
type AdvancedConfiguration struct {
	AlternateTargetGroupArn *string `json:"alternateTargetGroupArn,omitempty"`
	ProductionListenerRule  *string `json:"productionListenerRule,omitempty"`
	TestListenerRule        *string `json:"testListenerRule,omitempty"`
	RoleArn                 *string `json:"roleArn,omitempty"`
}

// hookStages are the stages a lifecycle hook may name.
// [API enum DeploymentLifecycleHookStage]
var hookStages = []string{"RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
	"POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"}

// tenths reports whether p is a multiple of 0.1, as the API asks of
// stepPercent and canaryPercent.
func tenths(p float64) bool {
	x := p * 10
	return math.Abs(x-math.Round(x)) < 1e-6
}

// checkDeploymentStrategy validates the strategy settings of a deployment
// configuration: the strategy's name, the bake time BLUE_GREEN requires,
// a linear or canary configuration only with its strategy and within its
// ranges, and lifecycle hooks only with a strategy other than ROLLING.
// The messages are ecssim's; AWS documents the rules, not the words.
// [API:DeploymentConfiguration]
func checkDeploymentStrategy(dc *DeploymentConfiguration, path string) error {
	strategy := api.Deref(dc.Strategy)
	switch strategy {
	case "", StrategyRolling, StrategyBlueGreen, StrategyLinear, StrategyCanary:
	default:
		return api.InvalidParameter("strategy must be ROLLING, BLUE_GREEN, LINEAR or CANARY.").At(path + ".strategy")
	}
	if b := dc.BakeTimeInMinutes; b != nil && (*b < 0 || *b > MaxBakeTimeInMinutes) {
		return api.InvalidParameter("bakeTimeInMinutes must be between 0 and %d.", MaxBakeTimeInMinutes).At(path + ".bakeTimeInMinutes")
	}
	// "You must provide this parameter when you use the BLUE_GREEN
	// deployment strategy." [API:DeploymentConfiguration.bakeTimeInMinutes]
	if strategy == StrategyBlueGreen && dc.BakeTimeInMinutes == nil {
		return api.InvalidParameter("bakeTimeInMinutes must be specified for the BLUE_GREEN deployment strategy.").At(path + ".bakeTimeInMinutes")
	}
	// "Only valid when the deployment strategy is LINEAR." [API:DeploymentConfiguration.linearConfiguration]
	if lc := dc.LinearConfiguration; lc != nil {
		if strategy != StrategyLinear {
			return api.InvalidParameter("linearConfiguration is only valid with the LINEAR deployment strategy.").At(path + ".linearConfiguration")
		}
		if p := lc.StepPercent; p != nil && (*p < minStepPercent || *p > 100 || !tenths(*p)) {
			return api.InvalidParameter("stepPercent must be a multiple of 0.1 from 3.0 to 100.0.").At(path + ".linearConfiguration.stepPercent")
		}
		if b := lc.StepBakeTimeInMinutes; b != nil && (*b < 0 || *b > maxStrategyBakeMinutes) {
			return api.InvalidParameter("stepBakeTimeInMinutes must be between 0 and %d.", maxStrategyBakeMinutes).At(path + ".linearConfiguration.stepBakeTimeInMinutes")
		}
	}
	// "Only valid when the deployment strategy is CANARY." [API:DeploymentConfiguration.canaryConfiguration]
	if cc := dc.CanaryConfiguration; cc != nil {
		if strategy != StrategyCanary {
			return api.InvalidParameter("canaryConfiguration is only valid with the CANARY deployment strategy.").At(path + ".canaryConfiguration")
		}
		if p := cc.CanaryPercent; p != nil && (*p < minCanaryPercent || *p > 100 || !tenths(*p)) {
			return api.InvalidParameter("canaryPercent must be a multiple of 0.1 from 0.1 to 100.0.").At(path + ".canaryConfiguration.canaryPercent")
		}
		if b := cc.CanaryBakeTimeInMinutes; b != nil && (*b < 0 || *b > maxStrategyBakeMinutes) {
			return api.InvalidParameter("canaryBakeTimeInMinutes must be between 0 and %d.", maxStrategyBakeMinutes).At(path + ".canaryConfiguration.canaryBakeTimeInMinutes")
		}
	}
	if len(dc.LifecycleHooks) > 0 && (strategy == "" || strategy == StrategyRolling) {
		return api.InvalidParameter("lifecycleHooks are only valid with the BLUE_GREEN, LINEAR or CANARY deployment strategies.").At(path + ".lifecycleHooks")
	}
	for _, h := range dc.LifecycleHooks {
		hp := path + ".lifecycleHooks"
		typ := api.Deref(h.TargetType)
		switch typ {
		case "", "AWS_LAMBDA":
			// "You must provide this parameter when configuring a
			// deployment lifecycle hook." [API:DeploymentLifecycleHook.hookTargetArn]
			if api.Deref(h.HookTargetArn) == "" {
				return api.InvalidParameter("hookTargetArn must be specified for an AWS_LAMBDA lifecycle hook.").At(hp + ".hookTargetArn")
			}
		case "PAUSE":
		default:
			return api.InvalidParameter("targetType must be AWS_LAMBDA or PAUSE.").At(hp + ".targetType")
		}
		if len(h.LifecycleStages) == 0 {
			return api.InvalidParameter("lifecycleStages must name at least one stage.").At(hp + ".lifecycleStages")
		}
		for _, st := range h.LifecycleStages {
			if !containsString(hookStages, st) {
				return api.InvalidParameter("Invalid lifecycle stage: %s.", st).At(hp + ".lifecycleStages")
			}
		}
		if tc := h.TimeoutConfiguration; tc != nil {
			if m := tc.TimeoutInMinutes; m != nil && (*m < 1 || *m > maxHookTimeoutMinutes) {
				return api.InvalidParameter("timeoutInMinutes must be between 1 and %d.", maxHookTimeoutMinutes).At(hp + ".timeoutConfiguration.timeoutInMinutes")
			}
			if a := api.Deref(tc.Action); a != "" && a != "ROLLBACK" && a != "CONTINUE" {
				return api.InvalidParameter("action must be ROLLBACK or CONTINUE.").At(hp + ".timeoutConfiguration.action")
			}
		}
	}
	return nil
}

// checkAdvancedConfiguration validates a load balancer's advanced
// configuration: the alternate target group, the production listener rule
// and the role are required together. [API:AdvancedConfiguration]
func checkAdvancedConfiguration(lbs []LoadBalancer) error {
	for _, lb := range lbs {
		ac := lb.AdvancedConfiguration
		if ac == nil {
			continue
		}
		if api.Deref(ac.AlternateTargetGroupArn) == "" || api.Deref(ac.ProductionListenerRule) == "" || api.Deref(ac.RoleArn) == "" {
			return api.InvalidParameter("advancedConfiguration requires alternateTargetGroupArn, productionListenerRule and roleArn.").At("loadBalancers.advancedConfiguration")
		}
	}
	return nil
}

// withStrategyDefaults fills in the linear or canary configuration of dc
// with the API's defaults where its strategy needs one.
func withStrategyDefaults(dc *DeploymentConfiguration) {
	switch api.Deref(dc.Strategy) {
	case StrategyLinear:
		lc := LinearConfiguration{}
		if dc.LinearConfiguration != nil {
			lc = *dc.LinearConfiguration
		}
		if lc.StepPercent == nil {
			lc.StepPercent = new(DefaultStepPercent)
		}
		if lc.StepBakeTimeInMinutes == nil {
			lc.StepBakeTimeInMinutes = api.Int32(DefaultStepBakeTimeInMinutes)
		}
		dc.LinearConfiguration = &lc
	case StrategyCanary:
		cc := CanaryConfiguration{}
		if dc.CanaryConfiguration != nil {
			cc = *dc.CanaryConfiguration
		}
		if cc.CanaryPercent == nil {
			cc.CanaryPercent = new(DefaultCanaryPercent)
		}
		if cc.CanaryBakeTimeInMinutes == nil {
			cc.CanaryBakeTimeInMinutes = api.Int32(DefaultCanaryBakeMinutes)
		}
		dc.CanaryConfiguration = &cc
	}
}
