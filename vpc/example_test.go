package vpc_test

import (
	"fmt"

	"github.com/ecssim/ecssim/vpc"
)

func Example() {
	n := vpc.Default("us-east-1")
	for _, s := range n.Subnets() {
		fmt.Println(s.ID, s.AvailabilityZone, s.CIDR, n.FreeIPs(s.ID))
	}
	a, _ := n.AllocateIP("subnet-aaaa0001")
	b, _ := n.AllocateIP("subnet-aaaa0001")
	fmt.Println(a, b)
	n.ReleaseIP("subnet-aaaa0001", a)
	c, _ := n.AllocateIP("subnet-aaaa0001")
	fmt.Println(c)

	err := n.AddSubnet(vpc.Subnet{ID: "subnet-EXAMPLE", AvailabilityZone: "us-east-1d", CIDR: "172.31.8.0/24"})
	fmt.Println(err)
	// Output:
	// subnet-aaaa0001 us-east-1a 172.31.0.0/20 4091
	// subnet-bbbb0002 us-east-1b 172.31.16.0/20 4091
	// subnet-cccc0003 us-east-1c 172.31.32.0/20 4091
	// 172.31.0.4 172.31.0.5
	// 172.31.0.4
	// ValidationException: The CIDR '172.31.8.0/24' conflicts with another subnet
}
