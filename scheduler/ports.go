package scheduler

import (
	"fmt"
	"slices"
)

// Protocol is the transport protocol of a host port. TCP and UDP ports are
// separate namespaces: a task may use TCP 53 while another uses UDP 53, as
// the PORTS and PORTS_UDP resources of a container instance are separate.
// [API:Resource.name] [API enum TransportProtocol]
type Protocol uint8

const (
	// TCP is the default protocol of a port mapping.
	// [DG:task_definition_parameters#container_definition_portmappings]
	TCP Protocol = iota
	// UDP is the other protocol a port mapping may use.
	UDP
)

func (p Protocol) String() string {
	if p == UDP {
		return "udp"
	}
	return "tcp"
}

// Port is a host port: a number and a protocol.
type Port struct {
	Number   uint16
	Protocol Protocol
}

func (p Port) String() string { return fmt.Sprintf("%d/%s", p.Number, p.Protocol) }

// key packs a port into the integer that instances keep in their sorted
// used-port lists: protocol in bits 16 and up, number below.
func (p Port) key() uint32 { return uint32(p.Protocol&1)<<16 | uint32(p.Number) }

func portOfKey(k uint32) Port { return Port{Number: uint16(k), Protocol: Protocol(k >> 16)} }

// PortRange is an inclusive range of host port numbers.
type PortRange struct {
	First, Last uint16
}

func (r PortRange) size() int32 { return int32(r.Last) - int32(r.First) + 1 }

func (r PortRange) contains(n uint16) bool { return n >= r.First && n <= r.Last }

// DefaultDynamicPorts is the range the container agent takes host ports
// from for bridge-mode mappings whose hostPort is 0 or omitted, on the
// ECS-optimized AMI. [DG:task_definition_parameters#container_definition_portmappings]
var DefaultDynamicPorts = PortRange{First: 32768, Last: 61000}

// MaxHostPorts is the most static host ports (the agent's reserved ports
// plus every static hostPort of the tasks there) one container instance
// holds; a task that would exceed it fails with RESOURCE:PORTS. Dynamic
// ports do not count. [DG:service-event-messages] ("Too many ports
// registered ... the maximum allowed reserved port limit of 100 host ports
// per container instance. Using dynamic host port mapping may remediate the
// issue.")
const MaxHostPorts = 100

// LinuxReservedPorts returns the TCP ports the container agent reserves on
// a Linux instance by default (ECS_RESERVED_PORTS): SSH, the Docker daemon
// and the agent's introspection API. An [Instance] whose ReservedPorts is
// nil gets these. [AGENT]
func LinuxReservedPorts() []Port {
	return tcpPorts(22, 2375, 2376, 51678, 51679)
}

// WindowsReservedPorts returns the TCP ports the container agent reserves
// on a Windows instance by default. [AGENT]
func WindowsReservedPorts() []Port {
	return tcpPorts(53, 135, 139, 445, 2375, 2376, 3389, 5985, 5986, 51678, 51679)
}

func tcpPorts(ns ...uint16) []Port {
	ps := make([]Port, len(ns))
	for i, n := range ns {
		ps[i] = Port{Number: n}
	}
	return ps
}

// portSet is a sorted list of port keys.
type portSet []uint32

func (s portSet) has(k uint32) bool {
	_, ok := slices.BinarySearch(s, k)
	return ok
}

func (s *portSet) add(k uint32) bool {
	i, ok := slices.BinarySearch(*s, k)
	if ok {
		return false
	}
	*s = slices.Insert(*s, i, k)
	return true
}

func (s *portSet) remove(k uint32) bool {
	i, ok := slices.BinarySearch(*s, k)
	if !ok {
		return false
	}
	*s = slices.Delete(*s, i, i+1)
	return true
}

// lowestFree returns the lowest port of r and protocol p that is not in s.
func (s portSet) lowestFree(r PortRange, p Protocol) (uint16, bool) {
	cand := Port{Number: r.First, Protocol: p}.key()
	last := Port{Number: r.Last, Protocol: p}.key()
	j, _ := slices.BinarySearch(s, cand)
	for ; j < len(s) && s[j] == cand; j++ {
		cand++
	}
	if cand > last {
		return 0, false
	}
	return uint16(cand), true
}
