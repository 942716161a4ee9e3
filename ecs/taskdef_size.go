package ecs

import (
	"strconv"
	"strings"
)

// Task size: the task-level cpu and memory strings, their unit forms, and
// the Fargate table of valid pairs.

// Task-level CPU range outside Fargate, in CPU units.
// [API:RegisterTaskDefinitionRequest.cpu] (2026 model: 128 to 196608; the
// 2023 guide said 128 to 10240, [DG:task-cpu-memory-error])
const (
	minTaskCPU = 128
	maxTaskCPU = 196608
)

// unitsPerVCPU and mibPerGB are the conversions ECS applies to "1 vCPU" and
// "1 GB". [API:RegisterTaskDefinitionRequest.cpu/.memory]
const (
	unitsPerVCPU = 1024
	mibPerGB     = 1024
)

// parseTaskCPU parses a task-level cpu string: an integer number of CPU
// units ("1024") or a number of vCPUs ("1 vCPU", "1vcpu", ".25 vcpu", case
// insensitive), which ECS converts to units at registration.
// [API:RegisterTaskDefinitionRequest.cpu]
// It returns false when s is neither form or is not a positive whole number
// of units.
func parseTaskCPU(s string) (int, bool) { return parseSize(s, "vcpu", unitsPerVCPU) }

// parseTaskMemory parses a task-level memory string: an integer number of
// MiB ("1024") or a number of GB ("1GB", "1 GB", ".5 gb"), which ECS
// converts to MiB at registration. [API:RegisterTaskDefinitionRequest.memory]
func parseTaskMemory(s string) (int, bool) { return parseSize(s, "gb", mibPerGB) }

// maxSize bounds parsed sizes so that arithmetic on them never overflows;
// it is far above any size ECS accepts.
const maxSize = 1 << 40

// parseSize parses "<int>" or "<decimal><spaces><unit>" (unit compared case
// insensitively) and returns the value in base units, where one unit is
// perUnit base units. Decimals are exact: ".25 vcpu" is 256, ".3 vcpu" (307.2
// units) is rejected.
func parseSize(s, unit string, perUnit int) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, ok := parseUint(s); ok {
		return n, n > 0
	}
	if len(s) <= len(unit) || !strings.EqualFold(s[len(s)-len(unit):], unit) {
		return 0, false
	}
	num := strings.TrimRight(s[:len(s)-len(unit)], " ")
	intPart, frac, hasDot := strings.Cut(num, ".")
	if num == "" || (intPart == "" && !hasDot) || (hasDot && frac == "") {
		return 0, false
	}
	whole := 0
	if intPart != "" {
		var ok bool
		if whole, ok = parseUint(intPart); !ok {
			return 0, false
		}
	}
	// value = whole + frac/10^len(frac); base = value*perUnit must be whole.
	total := whole * perUnit
	if frac != "" {
		f, ok := parseUint(frac)
		if !ok || len(frac) > 9 {
			return 0, false
		}
		den := 1
		for range len(frac) {
			den *= 10
		}
		if (f*perUnit)%den != 0 {
			return 0, false
		}
		total += f * perUnit / den
	}
	if total <= 0 || total > maxSize {
		return 0, false
	}
	return total, true
}

// parseUint parses a string of ASCII digits (no sign, no spaces) no larger
// than maxSize.
func parseUint(s string) (int, bool) {
	if s == "" || len(s) > 13 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxSize {
		return 0, false
	}
	return n, true
}

// fargateSize is one row of the Fargate task size table: a CPU value and
// the memory values allowed with it, from minMiB to maxMiB in steps of
// stepMiB.
type fargateSize struct {
	cpu                     int
	minMiB, maxMiB, stepMiB int
	// linuxOnly marks the 8 and 16 vCPU rows, which need Linux platform
	// version 1.4.0 or later and are not offered for Windows.
	linuxOnly bool
	// windows marks the rows offered to Windows containers on Fargate,
	// which need at least 1 vCPU.
	windows bool
}

// fargateSizes is the Fargate task size table.
// [API:RegisterTaskDefinitionRequest.memory] [DG:AWS_Fargate]
// [DG:task-cpu-memory-error]
var fargateSizes = []fargateSize{
	{cpu: 256, minMiB: 512, maxMiB: 2048, stepMiB: 512}, // 512, 1024, 2048: see validFargatePair
	{cpu: 512, minMiB: 1024, maxMiB: 4096, stepMiB: 1024},
	{cpu: 1024, minMiB: 2048, maxMiB: 8192, stepMiB: 1024, windows: true},
	{cpu: 2048, minMiB: 4096, maxMiB: 16384, stepMiB: 1024, windows: true},
	{cpu: 4096, minMiB: 8192, maxMiB: 30720, stepMiB: 1024, windows: true},
	{cpu: 8192, minMiB: 16384, maxMiB: 61440, stepMiB: 4096, linuxOnly: true},
	{cpu: 16384, minMiB: 32768, maxMiB: 122880, stepMiB: 8192, linuxOnly: true},
}

// validFargatePair reports whether Fargate offers a task of cpu units and
// memory MiB, for Windows containers when windows is set.
func validFargatePair(cpu, memory int, windows bool) bool {
	for _, row := range fargateSizes {
		if row.cpu != cpu {
			continue
		}
		if windows && !row.windows {
			return false
		}
		if cpu == 256 {
			// The one irregular row: 0.5, 1 and 2 GB, not 1.5 GB.
			return memory == 512 || memory == 1024 || memory == 2048
		}
		return memory >= row.minMiB && memory <= row.maxMiB && (memory-row.minMiB)%row.stepMiB == 0
	}
	return false
}

// FargateTaskSizes lists every cpu/memory pair Fargate accepts for Linux
// tasks, as (CPU units, MiB) pairs in ascending order. It is the table the
// validator applies, exported for documentation and capacity planning.
func FargateTaskSizes() [][2]int {
	var out [][2]int
	for _, row := range fargateSizes {
		for m := row.minMiB; m <= row.maxMiB; m += row.stepMiB {
			if validFargatePair(row.cpu, m, false) {
				out = append(out, [2]int{row.cpu, m})
			}
		}
	}
	return out
}

// TaskCPU returns the task-level CPU in CPU units, or 0 when the task
// definition sets none (or sets a value ECS would not have accepted).
func (td *TaskDefinition) TaskCPU() int {
	if td == nil || td.Cpu == nil {
		return 0
	}
	n, _ := parseTaskCPU(*td.Cpu)
	return n
}

// TaskMemory returns the task-level memory in MiB, or 0 when the task
// definition sets none.
func (td *TaskDefinition) TaskMemory() int {
	if td == nil || td.Memory == nil {
		return 0
	}
	n, _ := parseTaskMemory(*td.Memory)
	return n
}
