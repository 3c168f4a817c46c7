package kraft

import (
	"fmt"

	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// Observer is a broker's replica of the metadata log: it Fetches from the leader like a
// voter but never votes and never counts for the HW. Without a known leader (at start, after
// controller.quorum.fetch.timeout.ms without a successful fetch, or after an error naming none)
// it Fetches from a voter chosen at random; a voter that does not lead answers at once with the
// leader it knows, which the observer then fetches from after controller.quorum.retry.backoff.ms.
type Observer struct {
	q        *Quorum
	node     net.NodeID
	listener ObserverListener
	rnd      *sim.Stream // "kraft/observer-<node>"
	cl       *raftClient

	log     raftLog      // on disk: survives a crash
	applied units.Offset // entries below were given to the listener; survives a crash with the log
	cleaner raftCleaner

	down      bool
	epoch     int32
	leaderIdx int          // -1 unknown
	hw        units.Offset // Invariant: applied <= hw <= log.end()
	// fetchTimer expires controller.quorum.fetch.timeout.ms after the last successful fetch:
	// the leader is then presumed gone.
	// It re-arms lazily, as Voter.armFetchTimeout does.
	fetchTimer    sim.Timer
	fetchDeadline sim.Time
	hold          sim.Timer // controller.quorum.retry.backoff.ms after an error response
	snap          raftSnapshotFetch
}

// Observer timer kinds.
const (
	raftObsFetchTimeout sim.Kind = iota
	raftObsHold
)

// Leader returns the leader the observer fetches from.
func (o *Observer) Leader() (id int32, node net.NodeID, ok bool) {
	if o.down || o.leaderIdx < 0 {
		return 0, 0, false
	}
	sp := o.q.vs[o.leaderIdx].spec
	return sp.ID, sp.Node, true
}

func (o *Observer) highWatermark() units.Offset { return o.hw }

// LogStartOffset returns the start offset of the observer's log (ReplicatedLog.startOffset).
func (o *Observer) LogStartOffset() units.Offset { return o.log.start }

// LogEndOffset returns the end offset of the observer's log (ReplicatedLog.endOffset).
func (o *Observer) LogEndOffset() units.Offset { return o.log.end() }

// Snapshots returns the number of snapshots the observer's log keeps.
func (o *Observer) Snapshots() int { return len(o.log.snaps) }

// Deliver handles msg if it is a quorum message (an observer only expects Fetch and
// FetchSnapshot responses).
func (o *Observer) Deliver(s *sim.Sim, _ *net.Half, msg any) bool {
	if !isRaftMessage(msg) {
		return false
	}
	if o.down {
		return true
	}
	switch m := msg.(type) {
	case *raftFetchResp:
		o.onFetchResp(s, m)
	case *raftFetchSnapshotResp:
		o.onFetchSnapshotResp(s, m)
	default:
		return true
	}
	o.poll(s)
	return true
}

// Handle runs the observer's timers.
func (o *Observer) Handle(s *sim.Sim, ev *sim.Event) {
	if o.down {
		return
	}
	if ev.Kind == raftObsFetchTimeout {
		if s.Now() < o.fetchDeadline {
			s.Arm(&o.fetchTimer, sim.Event{At: o.fetchDeadline, H: o, Kind: raftObsFetchTimeout})
			return
		}
		o.leaderIdx = -1
	}
	o.poll(s)
}

// poll sends the next Fetch: to the leader when known and its slot is free, else to a random
// ready voter; never while another Fetch is in flight or during a retry backoff.
func (o *Observer) poll(s *sim.Sim) {
	if o.down || o.hold.Armed() || o.cl.inFlight() {
		return
	}
	i := o.leaderIdx
	if i < 0 {
		i = o.cl.pickAny(o.rnd, -1)
	} else if !o.cl.ready(i) {
		i = -1
	}
	if i < 0 {
		return
	}
	if o.snap.active && i == o.leaderIdx {
		sendFetchSnapshot(s, o.cl, i, -1, o.epoch, &o.snap)
		return
	}
	corr := o.cl.begin(s, i, raftFetchAPI)
	o.cl.transmit(s, i, &raftFetchReq{raftHdr: raftHdr{corr: corr, from: -1, epoch: o.epoch},
		offset: o.log.end(), lastEpoch: o.log.lastEpoch(), maxWait: raftMaxFetchWait}, raftMsgBytes)
}

func (o *Observer) requestTimedOut(*sim.Sim, int, raftAPI) {}

// onFetchResp learns the epoch and leader the response names, then applies a success from the
// leader; after an error it waits controller.quorum.retry.backoff.ms.
func (o *Observer) onFetchResp(s *sim.Sim, m *raftFetchResp) {
	if !o.cl.accept(m.from, m.corr) {
		return
	}
	o.learnLeader(s, m.epoch, m.leader)
	if m.err != raftNone {
		o.onError(s, m.from, m.leader)
		return
	}
	if m.from != o.leaderIdx || m.epoch != o.epoch {
		return
	}
	if m.snapshot {
		o.snap.start(&o.log, m.snapID)
		o.armFetchTimeout(s)
		return
	}
	hw, ok := o.log.applyFetch(s.Now(), m, o.hw)
	if !ok {
		return
	}
	if end := o.log.end(); end < hw {
		o.q.invariant.report(s, ruleCommittedKept,
			fmt.Sprintf("observer on node %d truncated to %d below its HW %d", o.node, end, hw))
		hw = end
	}
	o.hw = hw
	o.armFetchTimeout(s)
	o.deliverCommits(s)
}

// learnLeader takes the epoch and leader a response names, if newer than what the observer
// knows; a snapshot download from the old leader is dropped.
func (o *Observer) learnLeader(s *sim.Sim, epoch int32, leader int) {
	if epoch > o.epoch || (epoch == o.epoch && leader >= 0 && o.leaderIdx < 0) {
		o.epoch, o.leaderIdx = epoch, leader
		o.snap = raftSnapshotFetch{}
		if leader >= 0 {
			o.armFetchTimeout(s)
		}
	}
}

// onError follows an error response from voter `from` naming leader: wait
// controller.quorum.retry.backoff.ms, then fetch from the leader it named.
func (o *Observer) onError(s *sim.Sim, from, leader int) {
	if o.leaderIdx == from && leader != from {
		o.leaderIdx = leader
		o.snap = raftSnapshotFetch{}
	}
	s.ArmAfter(&o.hold, o.q.cfg.RetryBackoff, sim.Event{H: o, Kind: raftObsHold})
}

func (o *Observer) armFetchTimeout(s *sim.Sim) {
	o.fetchDeadline = s.Now().Add(o.q.cfg.FetchTimeout)
	if !o.fetchTimer.Armed() {
		s.Arm(&o.fetchTimer, sim.Event{At: o.fetchDeadline, H: o, Kind: raftObsFetchTimeout})
	}
}

// deliverCommits gives the listener the committed entries it has not seen; when they start
// below the log start offset, the latest snapshot first (updateListenersProgress).
func (o *Observer) deliverCommits(s *sim.Sim) {
	if o.applied >= o.hw {
		return
	}
	if o.applied < o.log.start {
		sn, _ := o.log.latestSnapshot()
		o.q.invariant.snapshot(s, sn.id, "observer on node", int32(o.node))
		o.applied = sn.id.end
		if o.listener != nil {
			o.listener.OnSnapshot(s, sn.image, sn.id.end)
		}
	}
	if o.applied >= o.hw {
		return
	}
	es := o.log.view(o.applied, o.hw)
	o.q.invariant.committed(s, o.epoch, es, "observer on node", int32(o.node))
	o.applied = o.hw
	if o.listener != nil {
		o.listener.OnMetadata(s, es)
	}
}

// CreateSnapshot stores the snapshot the broker wrote of its image up to end, a committed offset
// it applied (RaftClient.createSnapshot).
func (o *Observer) CreateSnapshot(s *sim.Sim, end units.Offset, image SnapshotImage) {
	if end > o.applied {
		return
	}
	if id, ok := o.log.createSnapshot(end, image.SnapshotBytes(), s.Now(), image); ok {
		o.q.invariant.snapshot(s, id, "observer on node", int32(o.node))
		o.cleaner.arm(s)
	}
}

// Crash kills the broker's fetcher: timers stop, the leader is forgotten, messages are ignored
// until restart. The log survives.
func (o *Observer) Crash(*sim.Sim) {
	if o.down {
		return
	}
	o.down = true
	o.fetchTimer.Stop()
	o.hold.Stop()
	o.cl.closeAll()
	o.cleaner.crash()
	o.leaderIdx = -1
	o.snap = raftSnapshotFetch{}
}

// Restart resumes fetching from the end of the log (the broker's metadata log is on disk),
// looking for the leader first.
func (o *Observer) Restart(s *sim.Sim) {
	if !o.down {
		return
	}
	o.down = false
	o.cl.closeAll()
	o.cleaner.restart(s)
	o.poll(s)
}

// Disconnected tells the observer that the network reset one of its connections.
func (o *Observer) Disconnected(s *sim.Sim, c *net.Half) {
	if !o.down {
		o.cl.disconnected(s, c)
		o.poll(s)
	}
}
