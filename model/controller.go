package model

import (
	"github.com/stretchsim/stretchsim/model/kraft"
	"github.com/stretchsim/stretchsim/sim"
)

// Controller is a KRaft controller node: a quorum voter and, while it leads the quorum, the
// active QuorumController. Every controller applies committed metadata records to its committed
// state; the active one also keeps a working state with its own records not yet committed, and
// answers requests that wrote records only once they are committed (reference §4.3–§4.5).
type Controller struct {
	ID   int32
	Site SiteID
	node NodeID
	c    *Cluster
	cfg  *ControllerConfig

	voter     *kraft.Voter
	committed ctrlState
	snapshots snapshotGenerator
	working   ctrlState // active only
	active    bool
	epoch     int32
	down      bool

	// Active controller state.
	lastContact []sim.Time   // per broker index: when its latest heartbeat was processed
	reported    []Offset     // per broker index: the metadata offset in its latest heartbeat
	shutdownAt  []Offset     // per broker index: offset of its controlled-shutdown record
	pending     []pendingOut // responses waiting for their records to commit, in offset order
	fenceTimer  sim.Timer
	noopTimer   sim.Timer
	rebalance   sim.Timer
	uncleanTick sim.Timer
}

// pendingOut is a response sent once the metadata log's HW passes offset.
type pendingOut struct {
	offset Offset
	conn   *Half
	msg    any
	size   Bytes
}

// Controller timer kinds.
const (
	ctrlFence sim.Kind = iota
	ctrlNoOp
	ctrlRebalance
	ctrlUnclean
)

// Deliver routes quorum messages to the voter and controller RPCs to the QuorumController.
func (k *Controller) Deliver(s *sim.Sim, c *Half, msg any) {
	if k.down {
		k.c.net.Refuse(s, c)
		return
	}
	if k.voter.Deliver(s, c, msg) {
		return
	}
	if !k.active {
		k.rejectNotController(s, c, msg)
		return
	}
	switch m := msg.(type) {
	case *heartbeatRequest:
		k.onHeartbeat(s, c, m)
	case *registerRequest:
		k.onRegister(s, c, m)
	case *alterPartitionRequest:
		k.onAlterPartition(s, c, m)
	}
}

// Handle runs the active controller's timers.
func (k *Controller) Handle(s *sim.Sim, ev *sim.Event) {
	if !k.active || int32(ev.A) != k.epoch {
		return
	}
	switch ev.Kind {
	case ctrlFence:
		k.maybeFenceOneStaleBroker(s)
	case ctrlNoOp:
		k.write(s, noOpRecord{})
		k.armNoOp(s)
	case ctrlRebalance:
		k.preferredLeaderElections(s)
	case ctrlUnclean:
		k.uncleanLeaderElections(s)
	}
}

// onCommitted applies newly committed records (kraft.Listener), releases the responses that
// waited for them and writes a snapshot when one is due.
func (k *Controller) onCommitted(s *sim.Sim, entries kraft.Entries) {
	for e := range entries.All() {
		if e.Rec != nil {
			k.committed.apply(e.Offset, e.Rec)
			k.c.onControllerCommit(s, k, e)
		}
	}
	if entries.Len() > 0 && k.active {
		k.release(s, entries.End()-1)
	}
	if k.snapshots.onDelta(s.Now(), entries) {
		k.voter.CreateSnapshot(s, entries.End(), k.snapshots.emit(s.Now(), &k.committed))
	}
}

// onSnapshot loads a snapshot the voter fetched from the leader (kraft.Listener): the committed
// state becomes the snapshot's (QuorumController's handleLoadSnapshot).
func (k *Controller) onSnapshot(s *sim.Sim, image kraft.SnapshotImage, end Offset) {
	k.committed = loadImage(image, end)
	k.snapshots.loaded(s.Now(), image.(*ctrlState))
	k.c.onControllerSnapshot(s, k)
}

// onLeaderActive is QuorumController.claim: the controller starts from the committed state and
// gives every registered broker a fresh session (ClusterControlManager.activate).
func (k *Controller) onLeaderActive(s *sim.Sim, epoch int32) {
	k.active, k.epoch = true, epoch
	k.working = k.committed.clone()
	now := s.Now()
	for i := range k.lastContact {
		k.lastContact[i] = now
	}
	k.c.onControllerActive(s, k)
	k.armFence(s)
	k.armNoOp(s)
	k.maybeScheduleRebalance(s)
	s.ArmAfter(&k.uncleanTick, k.cfg.UncleanLeaderElectionInterval, sim.Event{H: k, Kind: ctrlUnclean, A: int64(epoch)})
}

// onLeaderLost is QuorumController.renounce: uncommitted work is dropped and so are the
// responses that waited for it.
func (k *Controller) onLeaderLost(s *sim.Sim) {
	if !k.active {
		return
	}
	k.active = false
	k.working = ctrlState{}
	k.pending = nil
	for _, t := range []*sim.Timer{&k.fenceTimer, &k.noopTimer, &k.rebalance, &k.uncleanTick} {
		t.Stop()
	}
	k.c.onControllerInactive(s, k)
}

// write appends records as the active controller: they are applied to the working state at once
// and replicated; it returns the offset of the last one.
func (k *Controller) write(s *sim.Sim, recs ...metaRecord) (Offset, bool) {
	last, ok := k.voter.Append(s, recs...)
	if !ok {
		return 0, false
	}
	first := last - Offset(len(recs)) + 1
	for i, r := range recs {
		k.working.apply(first+Offset(i), r)
	}
	k.maybeScheduleRebalance(s) // after any write (QuorumController.java:1225)
	return last, true
}

// reply sends msg on c once offset is committed (at once if it already is).
func (k *Controller) reply(s *sim.Sim, c *Half, offset Offset, msg any, size Bytes) {
	if offset <= k.voter.HighWatermark()-1 {
		c.Peer().Send(s, msg, size)
		return
	}
	k.pending = append(k.pending, pendingOut{offset: offset, conn: c, msg: msg, size: size})
}

// release sends the responses whose records are committed up to offset.
func (k *Controller) release(s *sim.Sim, upTo Offset) {
	i := 0
	for i < len(k.pending) && k.pending[i].offset <= upTo {
		p := k.pending[i]
		p.conn.Peer().Send(s, p.msg, p.size)
		i++
	}
	k.pending = append(k.pending[:0], k.pending[i:]...)
}

// crash stops the controller process: silently (host down) or with a connection reset. Its
// quorum state on disk (log, epoch, vote) survives.
func (k *Controller) crash(s *sim.Sim, silent bool) {
	if k.down {
		return
	}
	if silent {
		k.c.net.SetNodeDown(k.node, true)
	} else {
		k.c.net.ResetNode(s, k.node)
	}
	k.down = true
	k.voter.Crash(s)
	k.onLeaderLost(s)
}

// restart starts the controller again; it rejoins the quorum as a follower or candidate.
func (k *Controller) restart(s *sim.Sim) {
	if !k.down {
		return
	}
	k.c.net.SetNodeDown(k.node, false)
	k.c.net.ResetNode(s, k.node) // a restarted host answers old connections with a reset
	k.down = false
	k.snapshots.reset(s.Now())
	k.voter.Restart(s)
}

// armNoOp schedules the next NoOpRecord, metadata.max.idle.interval.ms from now (KIP-835); 0
// turns them off, as in Kafka.
func (k *Controller) armNoOp(s *sim.Sim) {
	if k.cfg.MetadataMaxIdleInterval > 0 {
		s.ArmAfter(&k.noopTimer, k.cfg.MetadataMaxIdleInterval, sim.Event{H: k, Kind: ctrlNoOp, A: int64(k.epoch)})
	}
}
