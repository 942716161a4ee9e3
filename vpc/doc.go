// Package vpc is the simulated network under ecssim's awsvpc tasks: the
// subnets a task may be placed in, their availability zones, the security
// groups it may name, and the private IPv4 address each task's ENI takes.
//
// A [Network] is configuration plus address bookkeeping. It does not model
// routing, reachability or security-group rules; it answers the questions
// that ECS asks when it places and starts an awsvpc task: does this subnet
// exist, which zone is it in, is that zone up, and which address does the
// next ENI get.
//
// # Usage
//
//	n := vpc.Default("us-east-1")          // like an account's default VPC
//	ip, err := n.AllocateIP("subnet-aaaa0001") // 172.31.0.4, then .5, ...
//	...
//	n.ReleaseIP("subnet-aaaa0001", ip)     // when the task's ENI is deleted
//
// # Addresses
//
// AWS reserves five addresses in every subnet: the network address, the
// VPC router (+1), the DNS server (+2), one for future use (+3) and the
// broadcast address (the last one). [Network.AllocateIP] never hands them
// out, so a /24 has 251 usable addresses and a /28 has 11
// (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
// Allocation is deterministic: always the lowest free usable address. Each
// subnet keeps a bitset with a next-free hint, so allocating in sequence
// costs O(1) amortised and the worst case is one scan of the subnet's words
// (1,024 for a /16).
//
// # Validation
//
// Bad input returns an [*api.Error] with code ValidationException and, where
// one is known, the message EC2 itself gives ("The CIDR '10.0.0.0/33' is
// invalid.", "The CIDR '10.0.1.0/24' conflicts with another subnet",
// `Invalid id: "subnet_1" (expecting "subnet-...")`). EC2's own codes
// (InvalidSubnet.Range, InvalidSubnet.Conflict, InvalidSubnetID.Malformed)
// are named in the comments where each error is made. Subnet CIDRs are not
// checked against a VPC CIDR: ecssim does not model VPC CIDR blocks.
//
// # Zones
//
// [Network.SetZoneDown] marks an availability zone as failed, for fault
// injection. The Network only records the flag; what a failed zone means
// (no placements there, tasks stopped) is up to the ecs package.
//
// # EC2's describe calls
//
// [EC2] answers ec2:DescribeVpcs, ec2:DescribeSubnets,
// ec2:DescribeSecurityGroups and ec2:DescribeAvailabilityZones from a
// Network, with EC2's filters, paging and errors, so that deploy scripts
// that look up the default VPC's subnets before deploying work against a
// simulation. The VPCs are those the subnets and groups name; see the
// methods for what each answers.
//
// A Network is not safe for concurrent use; like the rest of the model it
// is driven from the single-threaded engine.
package vpc
