package kraft

import (
	"time"

	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftState is a voter's state in Kafka 4.0's QuorumState.
type raftState uint8

const (
	raftUnattached  raftState = iota // no leader known; votes, waits for its election timeout
	raftProspective                  // asking for PreVotes at its current epoch (KIP-996)
	raftCandidate                    // asking for Votes at a new epoch it voted itself in
	raftLeader
	raftFollower // fetching from the leader of its epoch
	raftResigned // was leader, gave up (check quorum); waits for its election timeout
)

var raftStateNames = [...]string{"Unattached", "Prospective", "Candidate", "Leader", "Follower", "Resigned"}

func (st raftState) String() string { return raftStateNames[st] }

// Voter is one controller's replica of the metadata log and its Raft state machine. It reacts
// to one input at a time: a message (Deliver), a timer (Handle), an Append or a Crash.
type Voter struct {
	q        *Quorum
	idx      int // index in quorum.vs; messages name voters by index
	spec     VoterSpec
	cfg      *QuorumConfig
	rnd      *sim.Stream // "kraft/voter-<id>"
	listener Listener
	cl       *raftClient

	// On disk (the quorum-state file and the log): they survive a crash.
	log      raftLog
	curEpoch int32
	votedFor int // voter index this voter voted for in curEpoch, -1 none
	// applied is how far the listener has been given committed entries. It survives a crash as
	// the controller's state does (each entry reaches the listener once per voter).
	applied units.Offset
	cleaner raftCleaner

	// Volatile.
	down       bool
	state      raftState
	leaderIdx  int          // the leader of curEpoch as this voter knows it, -1 unknown
	hw         units.Offset // Invariant: applied <= hw <= log.end()
	retries    int          // consecutive candidacies, for the election backoff
	electionAt sim.Time
	timer      sim.Timer // the state's deadline: election or fetch timeout, candidate backoff
	// fetchDeadline is a Follower's fetch timeout (controller.quorum.fetch.timeout.ms after the
	// last successful Fetch response); timer fires at or before it.
	fetchDeadline sim.Time
	backingOff    bool   // Candidate: lost or timed out, waiting out the backoff
	votes         []int8 // Prospective, Candidate: per voter 1 granted, -1 rejected, 0 no answer
	fetched       bool   // Follower: a Fetch to the leader succeeded in this state
	ld            *raftLeadership
	resigned      *raftResignation
	snap          raftSnapshotFetch // Follower: the snapshot being downloaded
	delivering    bool
}

// Voter timer kinds.
const (
	raftEvState sim.Kind = iota
	raftEvLinger
	raftEvCheckQuorum
	raftEvBeginResend
	raftEvParkExpiry
)

func (v *Voter) isLeader() bool { return !v.down && v.state == raftLeader }

func (v *Voter) epoch() int32 { return v.curEpoch }

// HighWatermark returns the voter's high watermark: the entries below it are committed.
func (v *Voter) HighWatermark() units.Offset { return v.hw }

// LogStartOffset returns the start offset of the voter's log (ReplicatedLog.startOffset).
func (v *Voter) LogStartOffset() units.Offset { return v.log.start }

// LogEndOffset returns the end offset of the voter's log (ReplicatedLog.endOffset).
func (v *Voter) LogEndOffset() units.Offset { return v.log.end() }

// Snapshots returns the number of snapshots the voter's log keeps.
func (v *Voter) Snapshots() int { return len(v.log.snaps) }

// leader returns the node.id of the leader of the current epoch as this voter knows it.
func (v *Voter) leader() (id int32, ok bool) {
	if v.down || v.leaderIdx < 0 {
		return 0, false
	}
	return v.q.vs[v.leaderIdx].spec.ID, true
}

// stateName returns the Raft state, "Down" while crashed.
func (v *Voter) stateName() string {
	if v.down {
		return "Down"
	}
	return v.state.String()
}

// Deliver handles msg if it is a quorum message and reports whether it was one. A crashed
// voter swallows quorum messages.
func (v *Voter) Deliver(s *sim.Sim, c *net.Half, msg any) bool {
	if !isRaftMessage(msg) {
		return false
	}
	if v.down {
		return true
	}
	switch m := msg.(type) {
	case *raftVoteReq:
		v.onVoteReq(s, c, m)
	case *raftVoteResp:
		v.onVoteResp(s, m)
	case *raftBeginEpochReq:
		v.onBeginEpochReq(s, c, m)
	case *raftEndEpochReq:
		v.onEndEpochReq(s, c, m)
	case *raftEpochResp:
		v.onEpochResp(s, m)
	case *raftFetchReq:
		v.onFetchReq(s, c, m)
	case *raftFetchResp:
		v.onFetchResp(s, m)
	case *raftFetchSnapshotReq:
		v.onFetchSnapshotReq(s, c, m)
	case *raftFetchSnapshotResp:
		v.onFetchSnapshotResp(s, m)
	}
	v.poll(s)
	return true
}

// Handle runs the voter's timers.
func (v *Voter) Handle(s *sim.Sim, ev *sim.Event) {
	if v.down {
		return
	}
	switch ev.Kind {
	case raftEvState:
		v.onStateTimeout(s)
	case raftEvLinger:
		v.drain(s)
	case raftEvCheckQuorum:
		v.toResigned(s)
	case raftEvBeginResend:
		v.onBeginResend(s)
	case raftEvParkExpiry:
		v.expireParked(s)
	}
	v.poll(s)
}

// poll sends what the current state wants sent and the request slots allow, as
// KafkaRaftClient.pollCurrentState does.
func (v *Voter) poll(s *sim.Sim) {
	if v.down {
		return
	}
	switch v.state {
	case raftUnattached:
		// Kafka 4.0 voters without a leader Fetch from a random voter (the bootstrap servers)
		// to discover one (pollUnattachedCommon).
		if i := v.cl.pickAny(v.rnd, v.idx); i >= 0 {
			v.sendFetch(s, i)
		}
	case raftProspective, raftCandidate:
		if !v.backingOff {
			v.sendVotes(s)
		}
	case raftFollower:
		if v.cl.inFlight() || !v.cl.ready(v.leaderIdx) {
			break
		}
		if v.snap.active {
			sendFetchSnapshot(s, v.cl, v.leaderIdx, v.idx, v.curEpoch, &v.snap)
		} else {
			v.sendFetch(s, v.leaderIdx)
		}
	case raftLeader:
		v.sendBeginEpochs(s)
	case raftResigned:
		v.sendEndEpochs(s)
	}
}

// requestTimedOut re-queues a lost BeginQuorumEpoch; lost Votes, Fetches and EndQuorumEpochs
// are re-sent by poll once the slot's backoff ends.
func (v *Voter) requestTimedOut(_ *sim.Sim, to int, api raftAPI) {
	if api == raftBeginEpochAPI && v.state == raftLeader {
		v.ld.needBegin[to] = true
	}
}

// Crash kills the process: every timer stops, volatile state is forgotten, the open batch of
// records is lost, and messages are ignored until restart. The log, the current epoch and the
// vote survive (they are on disk).
func (v *Voter) Crash(s *sim.Sim) {
	if v.down {
		return
	}
	wasLeader := v.state == raftLeader
	if wasLeader {
		v.ld.stop() // parked fetches die with the process
	}
	v.down = true
	v.timer.Stop()
	v.cl.closeAll()
	v.cleaner.crash()
	v.clearVolatile()
	if wasLeader && v.listener != nil {
		v.listener.OnLeaderLost(s)
	}
}

// Restart brings the voter back as Unattached with a new randomized election timeout; it then
// looks for the leader by fetching from the other voters.
func (v *Voter) Restart(s *sim.Sim) {
	if !v.down {
		return
	}
	v.down = false
	v.cl.closeAll()
	v.cleaner.restart(s)
	v.armElection(s, v.randomElectionTimeout())
	v.poll(s)
}

// Disconnected tells the voter that the network reset one of its connections (the caller's
// Endpoint forwards net.Disconnecter.Disconnected): a request in flight on it failed.
func (v *Voter) Disconnected(s *sim.Sim, c *net.Half) {
	if !v.down {
		v.cl.disconnected(s, c)
		v.poll(s)
	}
}

func (v *Voter) clearVolatile() {
	v.state, v.leaderIdx, v.retries = raftUnattached, -1, 0
	v.backingOff, v.votes, v.fetched, v.ld, v.resigned = false, nil, false, nil, nil
	v.snap = raftSnapshotFetch{}
}

// deliverCommits gives the listener the entries below the HW it has not seen — when they start
// below the log start offset, the latest snapshot first (updateListenersProgress) — then
// OnLeaderActive once a leader's LeaderChange entry is committed. Listener calls may append;
// the loop picks up whatever they cause.
func (v *Voter) deliverCommits(s *sim.Sim) {
	if v.delivering {
		return
	}
	v.delivering = true
	for !v.down {
		if v.applied < v.hw && v.applied < v.log.start {
			v.loadSnapshot(s)
			continue
		}
		if v.applied < v.hw {
			es := v.log.view(v.applied, v.hw)
			v.q.invariant.committed(s, v.curEpoch, es, "voter", v.spec.ID)
			v.applied = v.hw
			if v.listener != nil {
				v.listener.OnCommitted(s, es)
			}
			continue
		}
		if v.state == raftLeader && !v.ld.active && v.hw > v.ld.epochStart {
			v.ld.active = true
			if v.listener != nil {
				v.listener.OnLeaderActive(s, v.curEpoch)
			}
			continue
		}
		break
	}
	v.delivering = false
}

// randomElectionTimeout is QuorumState.randomElectionTimeoutMs:
// controller.quorum.election.timeout.ms + nextInt(controller.quorum.election.timeout.ms).
func (v *Voter) randomElectionTimeout() time.Duration {
	ms := v.cfg.ElectionTimeout.Milliseconds()
	if ms <= 0 {
		return 0
	}
	return time.Duration(ms+v.rnd.Int64N(ms)) * time.Millisecond
}

// loadSnapshot gives the listener the latest snapshot: its log starts past what it applied.
func (v *Voter) loadSnapshot(s *sim.Sim) {
	sn, _ := v.log.latestSnapshot()
	v.q.invariant.snapshot(s, sn.id, "voter", v.spec.ID)
	v.applied = sn.id.end
	if v.listener != nil {
		v.listener.OnSnapshot(s, sn.image, sn.id.end)
	}
}

// CreateSnapshot stores the snapshot the controller wrote of its state up to end, a committed
// offset it applied (RaftClient.createSnapshot).
func (v *Voter) CreateSnapshot(s *sim.Sim, end units.Offset, image SnapshotImage) {
	if end > v.applied {
		return
	}
	if id, ok := v.log.createSnapshot(end, image.SnapshotBytes(), s.Now(), image); ok {
		v.q.invariant.snapshot(s, id, "voter", v.spec.ID)
		v.cleaner.arm(s)
	}
}
