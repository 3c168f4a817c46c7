package kraft

import (
	"fmt"

	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// Record is a metadata record payload: the model's, opaque to the quorum layer except for its
// size and a hash of its content (for the invariant checker).
type Record interface {
	WireSize() units.Bytes // the record's size in the log and on the wire, without its framing (EntryOverhead)
	Hash() uint64          // a hash of the record's content: equal records, equal hashes
}

// Entry is one entry of the metadata log. Offsets start at 0 and are dense.
type Entry struct {
	Offset units.Offset
	Epoch  int32
	Rec    Record // nil for the LeaderChange control record a new leader writes first
}

// Listener receives a voter's events; the controller of that voter implements it
// (RaftClient.Listener). The entries passed to OnCommitted are shared with the log: read them
// before returning. Delivery resumes where it stopped after a crash and restart (the listener's
// state is taken to survive with the voter, as a controller reloading its snapshot would), so
// each entry arrives once. OnLeaderLost fires whenever the voter leaves the Leader state, whether
// or not OnLeaderActive had fired for that leadership. Callbacks run synchronously and may call
// Voter.Append.
type Listener interface {
	OnCommitted(s *sim.Sim, entries Entries) // newly committed entries, in order, each exactly once per voter (control records included)
	// OnSnapshot replaces the listener's state with a snapshot fetched from the leader, holding
	// the log up to end (RaftClient.Listener.handleLoadSnapshot); delivery resumes at end.
	OnSnapshot(s *sim.Sim, image SnapshotImage, end units.Offset)
	OnLeaderActive(s *sim.Sim, epoch int32) // this voter leads epoch AND its epoch's LeaderChange is committed (HW > epoch start offset)
	OnLeaderLost(s *sim.Sim)                // this voter stopped being leader (resigned, higher epoch seen, crashed)
}

// ObserverListener receives a broker's committed metadata.
type ObserverListener interface {
	OnMetadata(s *sim.Sim, entries Entries) // newly committed entries the observer learned, in order, each once
	OnSnapshot(s *sim.Sim, image SnapshotImage, end units.Offset)
}

// VoterSpec names a controller: its node.id and its network node.
type VoterSpec struct {
	ID   int32
	Node net.NodeID
	Site net.SiteID
}

// Quorum is the set of voters of the metadata log plus the observers that fetch it.
type Quorum struct {
	net       *net.Network
	cfg       *QuorumConfig
	vs        []*Voter // in the order of the voters given to NewQuorum
	obs       []*Observer
	invariant raftInvariants
}

// NewQuorum builds the voters on the given network nodes (the caller created the nodes with
// Network.AddNode and forwards their deliveries to Voter.Deliver). logCfg is the voters' metadata
// log config; socketBuffer is the TCP receive buffer of quorum connections
// (socket.receive.buffer.bytes). The quorum starts with no leader: every voter is Unattached
// with a randomized election timeout, so the first election happens within about 1–2 s of
// start. listeners[i] (nil allowed) belongs to voters[i]; each voter draws from the stream
// "kraft/voter-<id>".
func NewQuorum(s *sim.Sim, network *net.Network, voters []VoterSpec, cfg *QuorumConfig, logCfg *MetadataLogConfig,
	socketBuffer units.Bytes, listeners []Listener) *Quorum {
	q := &Quorum{net: network, cfg: cfg}
	q.invariant.init(s.Seed())
	for i, spec := range voters {
		v := &Voter{q: q, idx: i, spec: spec, cfg: cfg, votedFor: -1, leaderIdx: -1,
			rnd: s.Stream(fmt.Sprintf("kraft/voter-%d", spec.ID))}
		if i < len(listeners) {
			v.listener = listeners[i]
		}
		v.log.cfg = logCfg
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

// Voters returns the voters in the order given to NewQuorum.
func (q *Quorum) Voters() []*Voter { return q.vs }

// majority is the number of voters that make a quorum.
func (q *Quorum) majority() int { return len(q.vs)/2 + 1 }

// NewObserver starts a broker fetching the metadata log from node (the caller forwards the node's
// deliveries to Observer.Deliver); logCfg is the broker's metadata log config. It draws from
// the stream "kraft/observer-<node>".
func (q *Quorum) NewObserver(s *sim.Sim, node net.NodeID, listener ObserverListener, socketBuffer units.Bytes, logCfg *MetadataLogConfig) *Observer {
	o := &Observer{q: q, node: node, listener: listener, leaderIdx: -1,
		rnd: s.Stream(fmt.Sprintf("kraft/observer-%d", node))}
	o.log.cfg = logCfg
	o.cleaner = raftCleaner{q: q, log: &o.log, base: s.Now()}
	o.cl = newRaftClient(q, node, socketBuffer, o)
	q.obs = append(q.obs, o)
	o.poll(s)
	return o
}
