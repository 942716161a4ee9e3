package catalog

import "time"

// PricesDate is when the built-in prices were last checked against public
// list prices. Prices drift: override them for planning that matters.
const PricesDate = "2026-11"

// Prices holds the rates a run's cost is computed from, in US dollars.
type Prices struct {
	// Fargate Linux/x86_64 per vCPU-hour and per GB-hour.
	FargateVCPUHour, FargateGBHour float64
	// Fargate Linux/ARM64 per vCPU-hour and per GB-hour.
	FargateARMVCPUHour, FargateARMGBHour float64
	// FargateSpotDiscount is the fraction Fargate Spot takes off the
	// on-demand rates (0.7 = 70% off). It varies in reality.
	FargateSpotDiscount float64
	// MinimumBilled is the shortest time a task or instance is billed
	// for: Fargate and EC2 Linux bill per second with a one-minute
	// minimum.
	MinimumBilled time.Duration
}

// DefaultPrices returns us-east-1 list prices: Fargate $0.04048 per
// vCPU-hour and $0.004445 per GB-hour (ARM $0.03238 and $0.00356), Spot up
// to 70% off. [https://aws.amazon.com/fargate/pricing/]
func DefaultPrices() Prices {
	return Prices{
		FargateVCPUHour:     0.04048,
		FargateGBHour:       0.004445,
		FargateARMVCPUHour:  0.03238,
		FargateARMGBHour:    0.00356,
		FargateSpotDiscount: 0.70,
		MinimumBilled:       time.Minute,
	}
}

// FargateHourly returns the hourly on-demand price of a Fargate task of
// cpu units and memory MiB.
func (p Prices) FargateHourly(cpuUnits, memoryMiB int, arm bool) float64 {
	vcpu, gb := float64(cpuUnits)/1024, float64(memoryMiB)/1024
	if arm {
		return vcpu*p.FargateARMVCPUHour + gb*p.FargateARMGBHour
	}
	return vcpu*p.FargateVCPUHour + gb*p.FargateGBHour
}

// Billed returns how long a resource that ran for d is billed for.
func (p Prices) Billed(d time.Duration) time.Duration { return max(d, p.MinimumBilled) }
