package model

import (
	"slices"

	"github.com/stretchsim/stretchsim/sim"
)

// Faults compose: each fault ends only itself, and the state of a path or a host is what the
// faults active on it make it. Two overlapping partitions of one site pair keep it cut until the
// later one ends; the end of a latency fault leaves a partition, or another link fault, in place;
// a broker whose own crash is still running stays down when its site's outage ends.

// faultState is what the active faults hold, per ordered site pair and per host.
type faultState struct {
	cuts       []int           // [from*sites+to]: active partitions cutting the path
	linkFaults [][]*faultEvent // [from*sites+to]: active latency/bandwidth/loss faults, in start order
	down       map[any]int     // per host (own crashes) and siteHold{host}: active faults holding it down
}

func (c *Cluster) faults() *faultState {
	if c.fstate.cuts == nil {
		n := c.net.Sites() * c.net.Sites()
		c.fstate.cuts, c.fstate.linkFaults, c.fstate.down = make([]int, n), make([][]*faultEvent, n), map[any]int{}
	}
	return &c.fstate
}

// cut adds (or removes) one partition's cut of the path from one site to another: the path is
// down while any partition cuts it.
func (c *Cluster) cut(from, to SiteID, on bool) {
	fs := c.faults()
	i := int(from)*c.net.Sites() + int(to)
	if on {
		fs.cuts[i]++
		if fs.cuts[i] == 1 {
			c.net.SetPathDown(from, to, true)
		}
		return
	}
	fs.cuts[i]--
	if fs.cuts[i] == 0 {
		c.net.SetPathDown(from, to, false)
	}
}

// setLinkFault starts (or ends) the link fault e on the path from one site to another, then sets
// the path's RTT, bandwidth and loss to the scenario's with every active link fault applied in
// the order they started (a later one wins). Whether the path is cut is the partitions' business.
func (c *Cluster) setLinkFault(from, to SiteID, e *faultEvent, on bool) {
	fs := c.faults()
	i := int(from)*c.net.Sites() + int(to)
	if on {
		fs.linkFaults[i] = append(fs.linkFaults[i], e)
	} else {
		fs.linkFaults[i] = slices.DeleteFunc(fs.linkFaults[i], func(x *faultEvent) bool { return x == e })
	}
	c.net.RestoreQuality(from, to)
	for _, x := range fs.linkFaults[i] {
		switch x.f.Kind {
		case FaultLatency:
			c.net.SetPathRTT(from, to, x.f.RTT)
		case FaultBandwidth:
			c.net.SetPathBandwidth(from, to, x.f.Bandwidth)
		case FaultLoss:
			c.net.SetPathLoss(from, to, x.f.Loss)
		}
	}
}

// siteHold is the key of a host's holds by outages of its site, apart from its own crashes.
type siteHold struct{ host any }

// hold adds (or removes) one hold on key: a host's own crash (key: the host) or its site's
// outage (key: siteHold{host}).
func (c *Cluster) hold(key any, on bool) {
	fs := c.faults()
	switch {
	case on:
		fs.down[key]++
	case fs.down[key] > 0:
		fs.down[key]--
	}
}

// held reports whether any active fault holds host down.
func (c *Cluster) held(host any) bool {
	fs := c.faults()
	return fs.down[host] > 0 || fs.down[siteHold{host}] > 0
}

// hostFault starts (or ends) one fault holding host down, under key; the host goes down when the
// first fault takes it, with down, and comes back when the last ends, with up.
func (c *Cluster) hostFault(s *sim.Sim, host, key any, on bool, down, up func(*sim.Sim)) {
	was := c.held(host)
	c.hold(key, on)
	switch now := c.held(host); {
	case now && !was:
		down(s)
	case !now && was:
		up(s)
	}
}
