package awsapi

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ecssim/ecssim"
)

// MaxRegions bounds how many regions one server simulates, its own
// included: each is a World of its own, made on the first request signed
// for it. AWS has fewer than 40 regions.
const MaxRegions = 40

// errRegion marks a request for a region the server does not simulate.
var errRegion = errors.New("region not simulated")

// ServeRegions makes the server simulate every region that requests are
// signed for: the first request for a region other than the World's own
// gets a World of its own, made by fn (for example the same Config with
// that Region and the region's default VPC). Without it, requests signed
// for another region are refused. Control routes name a region with the
// query parameter ?region=; Do, and control routes without it, reach the
// server's own World. POST /_ecssim/reset drops the other regions' Worlds.
func (s *Server) ServeRegions(fn func(region string) (*ecssim.World, error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regionWorld = fn
}

// worldLocked returns the World of region ("" is the server's own), making
// it when regions are served. The error wraps errRegion when the region is
// not simulated.
func (s *Server) worldLocked(region string) (*ecssim.World, error) {
	if region == "" || region == s.ident.Load().region {
		return s.world, nil
	}
	if w, ok := s.regions[region]; ok {
		return w, nil
	}
	if s.regionWorld == nil {
		return nil, errRegion
	}
	if len(s.regions)+1 >= MaxRegions {
		return nil, fmt.Errorf("%w: this server already simulates %d regions, its most", errRegion, MaxRegions)
	}
	w, err := s.regionWorld(region)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errRegion, err)
	}
	if w.Config().Region != region {
		return nil, fmt.Errorf("%w: the World made for %s simulates %s", errRegion, region, w.Config().Region)
	}
	if s.regions == nil {
		s.regions = map[string]*ecssim.World{}
	}
	s.regions[region] = w
	return w, nil
}

// allWorldsLocked returns the server's own World and then the other
// regions' Worlds in region order.
func (s *Server) allWorldsLocked() []*ecssim.World {
	names := make([]string, 0, len(s.regions))
	for r := range s.regions {
		names = append(names, r)
	}
	slices.Sort(names)
	out := []*ecssim.World{s.world}
	for _, r := range names {
		out = append(out, s.regions[r])
	}
	return out
}
