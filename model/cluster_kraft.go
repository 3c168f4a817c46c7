package model

import (
	"fmt"
	"time"

	"github.com/stretchsim/stretchsim/model/kraft"
	"github.com/stretchsim/stretchsim/sim"
)

// addControllers creates the controller nodes, the KRaft quorum over them, and each broker's
// metadata observer.
func (c *Cluster) addControllers(s *sim.Sim) {
	nic := c.spec.Network.IntraSite.Bandwidth
	var specs []kraft.VoterSpec
	var listeners []kraft.Listener
	for _, ci := range c.topo.Controllers {
		k := &Controller{ID: ci.ID, Site: ci.Site, c: c, cfg: &c.spec.Controller,
			snapshots:   snapshotGenerator{cfg: &c.spec.Controller.MetadataLog},
			lastContact: make([]sim.Time, len(c.brokers)), reported: make([]Offset, len(c.brokers)),
			shutdownAt: make([]Offset, len(c.brokers))}
		k.node = c.net.AddNode(ci.Site, nic, k)
		c.controllers = append(c.controllers, k)
		specs = append(specs, kraft.VoterSpec{ID: ci.ID, Node: k.node, Site: ci.Site})
		listeners = append(listeners, controllerListener{k})
	}
	c.quorum = kraft.NewQuorum(s, c.net, specs, &c.spec.Controller.QuorumConfig, &c.spec.Controller.MetadataLog,
		c.spec.Broker.SocketReceiveBuffer, listeners)
	for i, v := range c.quorum.Voters() {
		c.controllers[i].voter = v
	}
	for _, b := range c.brokers {
		b.observer = c.quorum.NewObserver(s, b.node, brokerListener{b}, b.cfg.SocketReceiveBuffer, &b.cfg.MetadataLog)
		b.rnd = s.Stream(fmt.Sprintf("broker/%d", b.ID))
		b.snapshots = snapshotGenerator{cfg: &b.cfg.MetadataLog}
		b.lifecycle = brokerLifecycle{b: b, registered: true, clean: true, channel: ctrlChannel{b: b}}
		b.alter = alterManager{b: b, channel: ctrlChannel{b: b}}
	}
}

// controllerListener is a controller as its voter's kraft.Listener.
type controllerListener struct{ k *Controller }

func (l controllerListener) OnCommitted(s *sim.Sim, es kraft.Entries) { l.k.onCommitted(s, es) }
func (l controllerListener) OnSnapshot(s *sim.Sim, img kraft.SnapshotImage, end Offset) {
	l.k.onSnapshot(s, img, end)
}
func (l controllerListener) OnLeaderActive(s *sim.Sim, epoch int32) { l.k.onLeaderActive(s, epoch) }
func (l controllerListener) OnLeaderLost(s *sim.Sim)                { l.k.onLeaderLost(s) }

// brokerListener is a broker as its metadata observer's kraft.ObserverListener.
type brokerListener struct{ b *Broker }

func (l brokerListener) OnMetadata(s *sim.Sim, es kraft.Entries) { l.b.onMetadata(s, es) }
func (l brokerListener) OnSnapshot(s *sim.Sim, img kraft.SnapshotImage, end Offset) {
	l.b.onSnapshot(s, img, end)
}

// bootstrap is the metadata every node starts from: the cluster was running before the
// simulated window, so every broker is registered and unfenced at epoch 0 and every partition
// led by its first replica with the whole replica set in the ISR.
func (c *Cluster) bootstrap() ctrlState {
	st := ctrlState{applied: -1, brokers: make([]brokerReg, len(c.brokers)), parts: newPartStates(len(c.partitions))}
	for i := range st.brokers {
		st.brokers[i] = brokerReg{registered: true, regOffset: -1}
	}
	for i, p := range c.partitions {
		st.setPart(i, partitionState{leader: 0, isr: p.meta.ISR})
	}
	return st
}

// startControlPlane gives every node the bootstrap metadata and starts the brokers' heartbeats,
// each at a random point of its interval (the brokers were not started in lockstep).
func (c *Cluster) startControlPlane(s *sim.Sim) {
	boot := c.bootstrap()
	for _, k := range c.controllers {
		k.committed = boot.clone()
	}
	for _, b := range c.brokers {
		b.image = boot.clone()
		b.ready = true
		b.lifecycle.epoch = 0
		first := time.Duration(b.rnd.Int64N(int64(b.cfg.BrokerHeartbeatInterval)))
		b.lifecycle.schedule(s, first)
	}
}

// onControllerCommit keeps the cluster-wide view of committed metadata (Partition.meta, which
// the metrics and invariants read) at the newest committed state any controller has applied.
// That committed metadata is never lost is the quorum's own invariant (kraft/invariants.go).
func (c *Cluster) onControllerCommit(s *sim.Sim, _ *Controller, e kraft.Entry) {
	r, ok := e.Rec.(partitionChangeRecord)
	if !ok {
		return
	}
	p := c.partitions[r.part]
	if r.state.partitionEpoch <= p.meta.PartitionEpoch && p.meta.PartitionEpoch > 0 {
		return
	}
	c.setMeta(s, p, r.state)
}

// onControllerSnapshot brings the cluster-wide view up to a snapshot a controller loaded.
func (c *Cluster) onControllerSnapshot(s *sim.Sim, k *Controller) {
	for i := range k.committed.parts.len() {
		st, p := k.committed.parts.get(i), c.partitions[i]
		if st.partitionEpoch > p.meta.PartitionEpoch || p.meta.PartitionEpoch == 0 {
			c.setMeta(s, p, st)
		}
	}
}

// setMeta replaces the committed metadata of p, integrating the state metrics up to now.
func (c *Cluster) setMeta(s *sim.Sim, p *Partition, st partitionState) {
	c.metrics.advance(s.Now())
	c.metrics.counts.add(p, -1)
	c.metrics.countLeader(p, -1)
	if c.writable(p) {
		c.metrics.writable--
	}
	p.meta = PartitionMeta{Leader: st.leader, LeaderEpoch: st.leaderEpoch, PartitionEpoch: st.partitionEpoch, ISR: st.isr}
	c.touch(p)
	c.metrics.counts.add(p, 1)
	c.metrics.countLeader(p, 1)
	if c.writable(p) {
		c.metrics.writable++
	}
	c.metrics.noteWritable()
}

// onControllerActive and onControllerInactive track the active controller for the metrics.
func (c *Cluster) onControllerActive(s *sim.Sim, _ *Controller) {
	c.metrics.advance(s.Now())
	c.metrics.activeControllers++
	if s.Now() >= c.warmup {
		c.metrics.controllerElections++
	}
}

func (c *Cluster) onControllerInactive(s *sim.Sim, _ *Controller) {
	c.metrics.advance(s.Now())
	c.metrics.activeControllers--
}

// onBrokerLiveness records a broker going down or coming back (writable partitions need a live
// leader).
func (c *Cluster) onBrokerLiveness(s *sim.Sim, _ *Broker) {
	c.metrics.advance(s.Now())
	c.metrics.recountWritable(c)
}

// AllWritableSince returns the time since which every partition has been writable (a live
// leader and a committed ISR of at least min.insync.replicas), and false when some partition is
// not writable now.
func (c *Cluster) AllWritableSince() (sim.Time, bool) {
	return c.metrics.allWritableSince, c.metrics.allWritable
}

// Controllers returns the controllers in node-id order.
func (c *Cluster) Controllers() []*Controller { return c.controllers }

// Active reports whether the controller is the active controller.
func (k *Controller) Active() bool { return k.active }

// Disconnected forwards a reset quorum connection to the voter.
func (k *Controller) Disconnected(s *sim.Sim, c *Half) {
	if !k.down {
		k.voter.Disconnected(s, c)
	}
}

// Resilience are a run's availability, durability and control-plane figures after the warm-up.
type Resilience struct {
	WritableFraction        float64 // partition-time with a live leader and ISR >= min ISR
	OfflinePartitionSeconds float64 // partition-time with no leader (OfflinePartitionsCount)
	MaxUnavailableSeconds   float64 // longest time a record waited for its partition with no ack in between
	AckedRecordsLost        int64
	AckedRecordsLostPower   int64 // of AckedRecordsLost, those the new leader lost in a power loss
	ISROnePartitionSeconds  float64
	ControllerElections     int64   // controllers that became active
	ControllerUnavailable   float64 // seconds with no active controller
	Fencings                int64
	LeaderElections         int64
	UncleanLeaderElections  int64
}

// Resilience returns the availability, durability and control-plane figures up to now.
func (c *Cluster) Resilience(now sim.Time) Resilience {
	m := &c.metrics
	m.advance(now)
	r := Resilience{OfflinePartitionSeconds: m.seconds.Offline, AckedRecordsLost: m.ackedLost,
		AckedRecordsLostPower:  m.ackedLostPower,
		ISROnePartitionSeconds: m.seconds.ISROne, ControllerElections: m.controllerElections,
		ControllerUnavailable: m.noControllerSeconds, Fencings: m.fencings, LeaderElections: m.leaderElections,
		UncleanLeaderElections: m.uncleanElections}
	if m.partitionSeconds > 0 {
		r.WritableFraction = m.writableSeconds / m.partitionSeconds
	}
	for _, p := range c.producers {
		r.MaxUnavailableSeconds = max(r.MaxUnavailableSeconds, p.metrics.LongestAckGap(now, c.warmup, p.oldestWaiting()).Seconds())
	}
	return r
}
