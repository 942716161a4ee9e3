package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// InstanceType is an EC2 instance type as the ECS agent registers it.
type InstanceType struct {
	// Name is the API name, e.g. "m5.large".
	Name string `json:"name"`
	// VCPU is the number of vCPUs; ECS registers VCPU × 1024 CPU units.
	// [API:ContainerDefinition.cpu]
	VCPU int `json:"vcpu"`
	// MemoryMiB is the installed memory.
	MemoryMiB int `json:"memoryMiB"`
	// RegisteredMemoryMiB is the memory the agent registers: what the
	// kernel reports as MemTotal, below the installed memory.
	// [DG:memory-management]
	RegisteredMemoryMiB int `json:"registeredMemoryMiB"`
	// MaxENIs is the number of network interfaces the type supports,
	// the primary one included.
	MaxENIs int `json:"maxENIs"`
	// AwsvpcTasks is how many awsvpc tasks fit without ENI trunking:
	// MaxENIs − 1, the primary ENI being the instance's own.
	// [DG:container-instance-eni]
	AwsvpcTasks int `json:"awsvpcTasks"`
	// AwsvpcTasksTrunking is how many awsvpc tasks fit with awsvpcTrunking
	// on; 0 when the type does not support trunking.
	// [DG:container-instance-eni#eni-trunking-supported-instance-types]
	AwsvpcTasksTrunking int `json:"awsvpcTasksTrunking"`
	// GPUs is the number of GPUs.
	GPUs int `json:"gpus"`
	// Architecture is "x86_64" or "arm64" (ecs.cpu-architecture).
	Architecture string `json:"architecture"`
	// HourlyUSD is the on-demand Linux price per hour in us-east-1.
	HourlyUSD float64 `json:"hourlyUSD"`
}

// CPUUnits returns the CPU units ECS registers for the type.
func (t InstanceType) CPUUnits() int { return t.VCPU * 1024 }

// registered estimates the memory the agent registers from the installed
// memory: the kernel keeps about 2.5% for itself. The ECS Developer Guide's
// example, an m4.large with 8 GiB registering 7985 MiB, gives the ratio.
// [DG:memory-management]
func registered(mib int) int { return mib * 9747 / 10000 }

// t builds a catalogue entry. Prices: us-east-1 on-demand Linux list
// prices as of 2026 (see PricesDate).
func t(name string, vcpu, gib int, enis, trunk, gpus int, arch string, price float64) InstanceType {
	return InstanceType{
		Name: name, VCPU: vcpu, MemoryMiB: gib * 1024, RegisteredMemoryMiB: registered(gib * 1024),
		MaxENIs: enis, AwsvpcTasks: enis - 1, AwsvpcTasksTrunking: trunk, GPUs: gpus, Architecture: arch, HourlyUSD: price,
	}
}

// builtin is the default catalogue. ENI counts are the EC2 limits per
// type; trunking task counts follow the ECS Developer Guide's table
// (m5.large 10, .xlarge 20, .2xlarge 40, .4xlarge 60, same for c5 and r5;
// m6g.medium 4). Types the guide does not list for trunking (t3, g4dn) have
// none.
var builtin = []InstanceType{
	t("t3.micro", 2, 1, 2, 0, 0, "x86_64", 0.0104),
	t("t3.small", 2, 2, 3, 0, 0, "x86_64", 0.0208),
	t("t3.medium", 2, 4, 3, 0, 0, "x86_64", 0.0416),
	t("t3.large", 2, 8, 3, 0, 0, "x86_64", 0.0832),
	t("t3.xlarge", 4, 16, 4, 0, 0, "x86_64", 0.1664),
	t("m5.large", 2, 8, 3, 10, 0, "x86_64", 0.096),
	t("m5.xlarge", 4, 16, 4, 20, 0, "x86_64", 0.192),
	t("m5.2xlarge", 8, 32, 4, 40, 0, "x86_64", 0.384),
	t("m5.4xlarge", 16, 64, 8, 60, 0, "x86_64", 0.768),
	t("c5.large", 2, 4, 3, 10, 0, "x86_64", 0.085),
	t("c5.xlarge", 4, 8, 4, 20, 0, "x86_64", 0.17),
	t("c5.2xlarge", 8, 16, 4, 40, 0, "x86_64", 0.34),
	t("c5.4xlarge", 16, 32, 8, 60, 0, "x86_64", 0.68),
	t("r5.large", 2, 16, 3, 10, 0, "x86_64", 0.126),
	t("r5.xlarge", 4, 32, 4, 20, 0, "x86_64", 0.252),
	t("r5.2xlarge", 8, 64, 4, 40, 0, "x86_64", 0.504),
	t("m6g.medium", 1, 4, 2, 4, 0, "arm64", 0.0385),
	t("m6g.large", 2, 8, 3, 10, 0, "arm64", 0.077),
	t("m6g.xlarge", 4, 16, 4, 20, 0, "arm64", 0.154),
	t("m6g.2xlarge", 8, 32, 4, 40, 0, "arm64", 0.308),
	t("c6g.medium", 1, 2, 2, 4, 0, "arm64", 0.034),
	t("c6g.large", 2, 4, 3, 10, 0, "arm64", 0.068),
	t("c6g.xlarge", 4, 8, 4, 20, 0, "arm64", 0.136),
	t("c6g.2xlarge", 8, 16, 4, 40, 0, "arm64", 0.272),
	t("g4dn.xlarge", 4, 16, 3, 0, 1, "x86_64", 0.526),
	t("g4dn.2xlarge", 8, 32, 3, 0, 1, "x86_64", 0.752),
}

// Types is a catalogue of instance types by name.
type Types struct {
	byName map[string]InstanceType
}

// Default returns a catalogue holding the built-in types.
func Default() *Types {
	c := &Types{byName: make(map[string]InstanceType, len(builtin))}
	for _, it := range builtin {
		c.byName[it.Name] = it
	}
	return c
}

// Get returns the type called name.
func (c *Types) Get(name string) (InstanceType, bool) {
	it, ok := c.byName[name]
	return it, ok
}

// Set adds or replaces a type, after checking it makes sense.
func (c *Types) Set(it InstanceType) error {
	var problems []string
	if it.Name == "" {
		problems = append(problems, "name is empty")
	}
	if it.VCPU <= 0 || it.MemoryMiB <= 0 {
		problems = append(problems, "vcpu and memoryMiB must be positive")
	}
	if it.RegisteredMemoryMiB == 0 {
		it.RegisteredMemoryMiB = registered(it.MemoryMiB)
	}
	if it.RegisteredMemoryMiB > it.MemoryMiB {
		problems = append(problems, "registeredMemoryMiB exceeds memoryMiB")
	}
	if it.MaxENIs < 1 {
		problems = append(problems, "maxENIs must be at least 1")
	}
	if it.AwsvpcTasks == 0 && it.MaxENIs > 1 {
		it.AwsvpcTasks = it.MaxENIs - 1
	}
	if it.Architecture == "" {
		it.Architecture = "x86_64"
	}
	if it.Architecture != "x86_64" && it.Architecture != "arm64" {
		problems = append(problems, "architecture must be x86_64 or arm64")
	}
	if it.HourlyUSD < 0 || it.GPUs < 0 || it.AwsvpcTasks < 0 || it.AwsvpcTasksTrunking < 0 {
		problems = append(problems, "counts and prices cannot be negative")
	}
	if len(problems) > 0 {
		return fmt.Errorf("instance type %q: %s", it.Name, strings.Join(problems, "; "))
	}
	c.byName[it.Name] = it
	return nil
}

// Names returns the type names, sorted.
func (c *Types) Names() []string {
	names := make([]string, 0, len(c.byName))
	for n := range c.byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
