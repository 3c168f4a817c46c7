// KRaft quorum layer (reference §4.1–§4.3): the Raft protocol Kafka 4.0 runs for its metadata log
// (raft/.../KafkaRaftClient.java), as small state machines driven by sim events and network
// messages. The controller logic above it (QuorumController) is not here: it appends records
// through raftVoter.append and learns what is committed through quorumListener.
//
// Voters move between the states of Kafka 4.0's QuorumState: Unattached, Prospective (Pre-Vote,
// KIP-996), Candidate, Leader, Follower and Resigned. Elections: a voter whose election timeout
// (Unattached) or fetch timeout (Follower, controller.quorum.fetch.timeout.ms) expires becomes
// Prospective and asks for PreVotes without bumping the epoch; a majority makes it Candidate
// (epoch+1, votes for itself, asks for Votes); a majority of Votes makes it Leader. The leader
// writes a LeaderChange control entry, sends BeginQuorumEpoch, and becomes active once that entry
// is committed. Replication is pull-based: voters and observers (brokers) Fetch from the leader,
// which parks a fetch with nothing new for up to MAX_FETCH_WAIT_MS and answers it when its log
// end offset grows; the high watermark is the majority end offset (LeaderState
// .maybeUpdateHighWatermark). A leader without fetches from a majority for 1.5 × the fetch
// timeout resigns (check quorum).
//
// Files: kraft_messages.go (RPCs and constants), kraft_log.go (the log and its epoch cache),
// kraft_client.go (connections and request slots), kraft_voter.go, kraft_state.go (transitions),
// kraft_election.go (Vote, PreVote), kraft_leader.go (append, HW, check quorum), kraft_epoch.go
// (BeginQuorumEpoch, EndQuorumEpoch, Resigned), kraft_fetch.go, kraft_observer.go,
// kraft_invariants.go; the log's storage in kraft_log*.go.
//
// Snapshots and log cleaning (kraft_log_snapshots.go, kraft_snapshot_fetch.go, kraft_cleaner.go):
// every node's listener writes snapshots of its metadata image (snapshot_generator.go); every 60 s
// each replica applies the retention rules, which may move its log start offset up to a
// snapshot; a fetch below the leader's log start offset is answered with the leader's latest
// snapshot id and the fetcher downloads it with FetchSnapshot, then fetches from its end.
//
// Modelling shortcuts: disk flushes are instant (a voter's append is durable at once, so
// "flush before fetch" costs nothing); so are snapshot writes; the voter set is static
// (controller.quorum.voters); graceful shutdown is not modelled; requests are handled the
// moment they arrive (no request queue or thread time). A timed-out request closes its
// connection, as Kafka's NetworkClient does, and is retried after
// controller.quorum.retry.backoff.ms. An observer that is redirected waits the retry backoff
// before fetching from the named leader even when that is another node (Kafka may go at once).
// As in Kafka, a Fetch request with a higher epoch moves no voter (Vote, BeginQuorumEpoch,
// EndQuorumEpoch and every response do), and a Candidate backs off before its next PreVote round
// as 4.0 does (4.1, KAFKA-18345, waits out the election timeout instead).

package model

import (
	"fmt"

	"github.com/stretchsim/stretchsim/sim"
)

// metaRecord is a metadata record payload; opaque to the quorum layer except for its size and
// a hash of its content (for the invariant checker).
type metaRecord interface {
	wireSize() Bytes
	hash() uint64
}

// raftEntry is one entry of the metadata log. Offsets start at 0 and are dense.
type raftEntry struct {
	Offset Offset
	Epoch  int32
	Rec    metaRecord // nil for the LeaderChange control record a new leader writes first
}

// quorumListener receives a voter's events; the controller of that voter implements it. The
// entries passed to onCommitted are shared with the log: read them before returning. Delivery
// resumes where it stopped after a crash and restart (the listener's state is taken to survive
// with the voter, as a controller reloading its snapshot would), so each entry arrives once.
// onLeaderLost fires whenever the voter leaves the Leader state, whether or not onLeaderActive
// had fired for that leadership. Callbacks run synchronously and may call append.
type quorumListener interface {
	onCommitted(s *sim.Sim, entries raftEntries) // newly committed entries, in order, each exactly once per voter (control records included)
	// onSnapshot replaces the listener's state with a snapshot fetched from the leader, holding
	// the log up to end (RaftClient.Listener.handleLoadSnapshot); delivery resumes at end.
	onSnapshot(s *sim.Sim, image snapshotImage, end Offset)
	onLeaderActive(s *sim.Sim, epoch int32) // this voter leads epoch AND its epoch's LeaderChange is committed (HW > epoch start offset)
	onLeaderLost(s *sim.Sim)                // this voter stopped being leader (resigned, higher epoch seen, crashed)
}

// observerListener receives a broker's committed metadata.
type observerListener interface {
	onMetadata(s *sim.Sim, entries raftEntries) // newly committed entries the observer learned, in order, each once
	onSnapshot(s *sim.Sim, image snapshotImage, end Offset)
}

// voterSpec names a controller: its node.id and its network node.
type voterSpec struct {
	ID   int32
	Node NodeID
	Site SiteID
}

// quorum is the set of voters of the metadata log plus the observers that fetch it.
type quorum struct {
	net       *Network
	cfg       *ControllerConfig
	vs        []*raftVoter // in the order of the voters given to newQuorum
	obs       []*raftObserver
	invariant raftInvariants
}

// newQuorum builds the voters on the given network nodes (the caller created the nodes with
// Network.AddNode and forwards their deliveries to raftVoter.deliver). socketBuffer is the TCP
// receive buffer of quorum connections (socket.receive.buffer.bytes). The quorum starts with no
// leader: every voter is Unattached with a randomized election timeout, so the first election
// happens within about 1–2 s of start. listeners[i] (nil allowed) belongs to voters[i]; each voter
// draws from the stream "kraft/voter-<id>".
func newQuorum(s *sim.Sim, net *Network, voters []voterSpec, cfg *ControllerConfig, socketBuffer Bytes, listeners []quorumListener) *quorum {
	q := &quorum{net: net, cfg: cfg}
	q.invariant.init(s.Seed())
	for i, spec := range voters {
		v := &raftVoter{q: q, idx: i, spec: spec, cfg: cfg, votedFor: -1, leaderIdx: -1,
			rnd: s.Stream(fmt.Sprintf("kraft/voter-%d", spec.ID))}
		if i < len(listeners) {
			v.listener = listeners[i]
		}
		v.log.cfg = &cfg.MetadataLog
		v.cleaner = raftCleaner{q: q, log: &v.log, base: s.Now()}
		q.vs = append(q.vs, v)
	}
	for _, v := range q.vs {
		v.cl = newRaftClient(q, v.spec.Node, socketBuffer, v)
	}
	for _, v := range q.vs {
		v.armElection(s, v.randomElectionTimeout())
		v.poll(s)
	}
	return q
}

// voters returns the voters in the order given to newQuorum.
func (q *quorum) voters() []*raftVoter { return q.vs }

// majority is the number of voters that make a quorum.
func (q *quorum) majority() int { return len(q.vs)/2 + 1 }

// newObserver starts a broker fetching the metadata log from node (the caller forwards the node's
// deliveries to raftObserver.deliver); logCfg is the broker's metadata log config. It draws from
// the stream "kraft/observer-<node>".
func (q *quorum) newObserver(s *sim.Sim, node NodeID, listener observerListener, socketBuffer Bytes, logCfg *MetadataLogConfig) *raftObserver {
	o := &raftObserver{q: q, node: node, listener: listener, leaderIdx: -1,
		rnd: s.Stream(fmt.Sprintf("kraft/observer-%d", node))}
	o.log.cfg = logCfg
	o.cleaner = raftCleaner{q: q, log: &o.log, base: s.Now()}
	o.cl = newRaftClient(q, node, socketBuffer, o)
	q.obs = append(q.obs, o)
	o.poll(s)
	return o
}
