package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// FaultKind is a kind of scheduled fault.
type FaultKind uint8

// Fault kinds (design §3 "Faults").
const (
	FaultBrokerCrash FaultKind = iota
	FaultBrokerRestart
	FaultSiteOutage
	FaultPartition
	FaultLatency
	FaultBandwidth
	FaultLoss
	FaultControllerCrash
)

// CrashMode is how a broker goes down.
type CrashMode uint8

// Crash modes.
const (
	CrashHard   CrashMode = iota // the process dies; peers get a connection reset
	CrashSilent                  // the host goes dark (power loss, black hole): peers learn by timeouts
	CrashClean                   // controlled shutdown: leadership moves first, then the process stops
)

// FaultSpec is one scheduled fault. Duration 0 means to the end of the run (for crashes: no
// restart).
type FaultSpec struct {
	At, Duration time.Duration
	Kind         FaultKind
	Broker       BrokerID   // broker-crash, broker-restart
	Mode         CrashMode  // broker-crash
	Site         SiteID     // site-outage
	Groups       [][]SiteID // partition: the groups cut from each other
	OneWay       bool       // partition: only traffic from Groups[0] to the others is cut
	Between      [2]SiteID  // latency, bandwidth, loss
	RTT          DistSpec   // latency
	Bandwidth    BitRate    // bandwidth
	Loss         float64    // loss
}

// faultEvent applies or reverts one fault.
type faultEvent struct {
	c       *Cluster
	f       FaultSpec
	revert  bool
	start   *faultEvent // on a revert: the event that applied the fault
	crashed *Controller // controller-crash: the controller this fault crashed
}

// scheduleFaults schedules every fault of the spec and its end.
func (c *Cluster) scheduleFaults(s *sim.Sim) {
	for _, f := range c.spec.Faults {
		start := &faultEvent{c: c, f: f}
		s.Schedule(sim.Event{At: sim.Time(f.At), H: start})
		if f.Duration > 0 {
			s.Schedule(sim.Event{At: sim.Time(f.At).Add(f.Duration), H: &faultEvent{c: c, f: f, revert: true, start: start}})
		}
	}
}

// Handle applies the fault (or its end).
func (e *faultEvent) Handle(s *sim.Sim, _ *sim.Event) {
	c, f := e.c, e.f
	switch f.Kind {
	case FaultBrokerCrash:
		if e.revert {
			c.brokerAt(f.Broker).restart(s)
		} else {
			c.brokerAt(f.Broker).crash(s, f.Mode)
		}
	case FaultBrokerRestart:
		c.brokerAt(f.Broker).restart(s)
	case FaultSiteOutage:
		c.siteOutage(s, f.Site, !e.revert)
	case FaultPartition:
		c.partitionSites(f, !e.revert)
	case FaultLatency, FaultBandwidth, FaultLoss:
		c.linkFault(f, e.revert)
	case FaultControllerCrash:
		c.controllerCrash(s, e)
	}
	c.faultLog = append(c.faultLog, faultRecord{at: s.Now(), spec: f, revert: e.revert})
}

func (c *Cluster) brokerAt(id BrokerID) *Broker { return c.brokers[c.brokerIndex(id)] }

// partitionSites cuts (or heals) the paths between the groups.
func (c *Cluster) partitionSites(f FaultSpec, down bool) {
	for i, g := range f.Groups {
		for j, h := range f.Groups {
			if i == j || (f.OneWay && i != 0) {
				continue
			}
			for _, a := range g {
				for _, b := range h {
					c.net.SetPathDown(a, b, down)
				}
			}
		}
	}
}

// linkFault changes a site pair's latency, bandwidth or loss both ways, or restores it.
func (c *Cluster) linkFault(f FaultSpec, revert bool) {
	a, b := f.Between[0], f.Between[1]
	for _, p := range [][2]SiteID{{a, b}, {b, a}} {
		switch {
		case revert:
			c.net.RestorePath(p[0], p[1])
		case f.Kind == FaultLatency:
			c.net.SetPathRTT(p[0], p[1], f.RTT)
		case f.Kind == FaultBandwidth:
			c.net.SetPathBandwidth(p[0], p[1], f.Bandwidth)
		default:
			c.net.SetPathLoss(p[0], p[1], f.Loss)
		}
	}
}

// siteOutage takes every broker, controller and client of a site down silently (power or network
// loss of the whole site), or brings them back.
func (c *Cluster) siteOutage(s *sim.Sim, site SiteID, down bool) {
	for _, b := range c.brokers {
		if b.Site == site {
			if down {
				b.crash(s, CrashSilent)
			} else {
				b.restart(s)
			}
		}
	}
	for _, k := range c.controllers {
		if k.Site == site {
			if down {
				k.crash(s, true)
			} else {
				k.restart(s)
			}
		}
	}
	for _, p := range c.producers {
		if p.Site == site {
			p.setDown(s, down)
		}
	}
	for _, k := range c.consumers {
		if k.Site == site {
			k.setDown(s, down)
		}
	}
}

// controllerCrash crashes whichever controller is active (hard) and remembers it on the fault,
// or, at the fault's end, restarts the one that fault crashed (overlapping controller crashes each
// restart their own).
func (c *Cluster) controllerCrash(s *sim.Sim, e *faultEvent) {
	if e.revert {
		if k := e.start.crashed; k != nil {
			k.restart(s)
		}
		return
	}
	for _, k := range c.controllers {
		if k.active && !k.down {
			k.crash(s, false)
			e.crashed = k
			return
		}
	}
}

// faultRecord is a fault as it happened, for the run's report.
type faultRecord struct {
	at     sim.Time
	spec   FaultSpec
	revert bool
}
