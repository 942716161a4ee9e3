// Package catalog is ecssim's reference data: EC2 instance types as ECS
// sees them (CPU units, registered memory, ENI and awsvpc task limits,
// GPUs, architecture) and a dated price table for EC2 and Fargate in
// us-east-1. Everything here is data with its source beside it, and a
// simulation may replace any of it (Types.Set, Prices fields).
package catalog
