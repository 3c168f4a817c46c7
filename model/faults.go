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
	CrashPower                   // the host loses power: silent, and the logs lose what is not on disk
)

// FaultSpec is one scheduled fault. Duration 0 means to the end of the run (for crashes: no
// restart).
type FaultSpec struct {
	At, Duration time.Duration
	Kind         FaultKind
	Broker       BrokerID   // broker-crash, broker-restart
	Mode         CrashMode  // broker-crash
	Site         SiteID     // site-outage
	PowerLoss    bool       // site-outage: the site loses power (its brokers' logs lose what is not on disk)
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
		b := c.brokerAt(f.Broker)
		if f.Mode == CrashPower && !e.revert {
			b.cutPower(s) // a host held down by another fault still loses its page cache
		}
		c.hostFault(s, b, b, !e.revert, func(s *sim.Sim) { b.crash(s, f.Mode) }, b.restart)
		if !e.revert && f.Mode != CrashClean && !b.down {
			// Another fault holds the host, and its process is still in a controlled shutdown
			// (a clean crash): this crash kills it now.
			b.crash(s, f.Mode)
		}
	case FaultBrokerRestart:
		// Ends the broker's own crashes; a broker in a site still dark stays down.
		b := c.brokerAt(f.Broker)
		delete(c.faults().down, any(b))
		if b.down && !c.held(b) {
			b.restart(s)
		}
	case FaultSiteOutage:
		c.siteOutage(s, f.Site, !e.revert, f.PowerLoss)
	case FaultPartition:
		c.partitionSites(f, !e.revert)
	case FaultLatency, FaultBandwidth, FaultLoss:
		c.linkFault(e, e.revert)
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
					c.cut(a, b, down)
				}
			}
		}
	}
}

// linkFault changes a site pair's latency, bandwidth or loss both ways, or ends that change
// (the pair keeps what other active faults make it).
func (c *Cluster) linkFault(e *faultEvent, revert bool) {
	if revert {
		e = e.start
	}
	a, b := e.f.Between[0], e.f.Between[1]
	for _, p := range [][2]SiteID{{a, b}, {b, a}} {
		c.setLinkFault(p[0], p[1], e, !revert)
	}
}

// siteOutage takes every broker, controller and client of a site down silently (the site goes
// dark), or brings them back. With power, the brokers' hosts lose power too: their logs lose what
// is not on disk, even on a broker already down. Controllers lose nothing: the KRaft log is
// fsynced before a voter acknowledges (KafkaRaftClient.flushLeaderLog).
func (c *Cluster) siteOutage(s *sim.Sim, site SiteID, down, power bool) {
	for _, b := range c.brokers {
		if b.Site != site {
			continue
		}
		if down && power {
			b.cutPower(s)
		}
		c.hostFault(s, b, siteHold{b}, down, func(s *sim.Sim) { b.crash(s, CrashSilent) }, b.restart)
		if down && !b.down {
			// Its own clean crash held it already, and its process is still in the controlled
			// shutdown: the site going dark kills it, power and network with it.
			b.crash(s, CrashSilent)
		}
	}
	for _, k := range c.controllers {
		if k.Site == site {
			c.hostFault(s, k, siteHold{k}, down, func(s *sim.Sim) { k.crash(s, true) }, k.restart)
		}
	}
	for _, p := range c.producers {
		if p.Site == site {
			c.hostFault(s, p, siteHold{p}, down, func(s *sim.Sim) { p.setDown(s, true) }, func(s *sim.Sim) { p.setDown(s, false) })
		}
	}
	for _, k := range c.consumers {
		if k.Site == site {
			c.hostFault(s, k, siteHold{k}, down, func(s *sim.Sim) { k.setDown(s, true) }, func(s *sim.Sim) { k.setDown(s, false) })
		}
	}
}

// controllerCrash crashes whichever controller is active (hard) and remembers it on the fault,
// or, at the fault's end, restarts the one that fault crashed (overlapping controller crashes each
// restart their own).
func (c *Cluster) controllerCrash(s *sim.Sim, e *faultEvent) {
	if e.revert {
		if k := e.start.crashed; k != nil {
			c.hostFault(s, k, k, false, func(*sim.Sim) {}, k.restart)
		}
		return
	}
	for _, k := range c.controllers {
		if k.active && !k.down {
			c.hostFault(s, k, k, true, func(s *sim.Sim) { k.crash(s, false) }, k.restart)
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
