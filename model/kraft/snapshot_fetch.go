package kraft

import (
	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftSnapshotFetch is a follower's or observer's download of the leader's snapshot
// (FollowerState.fetchingSnapshot): set by a Fetch response that names a snapshot, it makes the
// fetcher send FetchSnapshot instead of Fetch until the snapshot is whole. A state transition
// abandons it, as Kafka drops the FollowerState that holds it.
type raftSnapshotFetch struct {
	active bool
	id     raftSnapshotID
	pos    units.Bytes // bytes received so far
}

// start begins downloading snapshot id, unless the log already has it
// (createNewSnapshotUnchecked returns no writer: the fetcher just fetches again).
func (f *raftSnapshotFetch) start(l *raftLog, id raftSnapshotID) {
	if _, ok := l.findSnapshot(id); ok {
		*f = raftSnapshotFetch{}
		return
	}
	*f = raftSnapshotFetch{active: true, id: id}
}

// onChunk appends a chunk from the leader and, once the snapshot is whole, installs it in the
// log, which then starts at its end (handleFetchSnapshotResponse); it reports whether it did.
func (f *raftSnapshotFetch) onChunk(l *raftLog, m *raftFetchSnapshotResp) bool {
	if !f.active || m.id != f.id || m.position != f.pos {
		return false
	}
	f.pos += m.chunk
	if f.pos < m.size {
		return false
	}
	l.installSnapshot(raftSnapshot{id: m.id, bytes: m.size, at: m.at, image: m.image})
	*f = raftSnapshotFetch{}
	return true
}

// sendFetchSnapshot asks voter `to` for the next chunk of the snapshot being downloaded, as
// voter index from (-1 for an observer) at epoch.
func sendFetchSnapshot(s *sim.Sim, cl *raftClient, to, from int, epoch int32, f *raftSnapshotFetch) {
	corr := cl.begin(s, to, raftFetchSnapshotAPI)
	cl.transmit(s, to, &raftFetchSnapshotReq{raftHdr: raftHdr{corr: corr, from: from, epoch: epoch},
		id: f.id, position: f.pos}, raftMsgBytes)
}

// onFetchSnapshotReq serves a FetchSnapshot (KafkaRaftClient.handleFetchSnapshotRequest): the
// leader of the request's epoch sends up to MAX_FETCH_SIZE_BYTES of the snapshot from the asked
// position; a snapshot it no longer has is SNAPSHOT_NOT_FOUND. A voter's FetchSnapshot counts for
// check quorum.
func (v *Voter) onFetchSnapshotReq(s *sim.Sim, c *net.Half, m *raftFetchSnapshotReq) {
	r := &raftFetchSnapshotResp{raftHdr: raftHdr{corr: m.corr, from: v.idx, epoch: v.curEpoch},
		leader: v.leaderIdx, id: m.id, position: m.position}
	sn, ok := v.log.findSnapshot(m.id)
	switch r.err = v.validateLeaderRequest(m.epoch); {
	case r.err != raftNone:
	case !ok:
		r.err = raftSnapshotNotFound
	case m.position < 0 || m.position >= sn.bytes:
		r.err = raftPositionOutOfRange
	default:
		if m.from >= 0 {
			v.onVoterFetch(s, m.from)
		}
		r.size, r.at, r.image = sn.bytes, sn.at, sn.image
		r.chunk = min(raftMaxFetchBytes, sn.bytes-m.position)
	}
	c.Peer().Send(s, r, raftMsgBytes+r.chunk)
}

// onFetchSnapshotResp handles a FetchSnapshot answer on a follower voter: a snapshot the leader no
// longer has ends the download (the next Fetch learns the newer one); another error backs the
// slot off; a chunk is stored, and a whole snapshot replaces the log and, through deliverCommits,
// the controller's state.
func (v *Voter) onFetchSnapshotResp(s *sim.Sim, m *raftFetchSnapshotResp) {
	if !v.cl.accept(m.from, m.corr) || v.observeEpoch(s, m.epoch, m.leader) {
		return
	}
	switch {
	case m.err == raftSnapshotNotFound:
		v.snap = raftSnapshotFetch{}
	case m.err != raftNone:
		v.cl.backoff(s, m.from)
		return
	case v.state != raftFollower || m.from != v.leaderIdx || m.epoch != v.curEpoch:
		return
	case v.snap.onChunk(&v.log, m):
		v.setFollowerHW(s, max(v.hw, v.log.start))
		v.cleaner.arm(s)
	}
	v.fetched = true
	v.armFetchTimeout(s, v.cfg.FetchTimeout)
	v.deliverCommits(s)
}

// onFetchSnapshotResp handles a FetchSnapshot answer on an observer, as a voter does.
func (o *Observer) onFetchSnapshotResp(s *sim.Sim, m *raftFetchSnapshotResp) {
	if !o.cl.accept(m.from, m.corr) {
		return
	}
	o.learnLeader(s, m.epoch, m.leader)
	switch {
	case m.err == raftSnapshotNotFound:
		o.snap = raftSnapshotFetch{}
	case m.err != raftNone:
		o.onError(s, m.from, m.leader)
		return
	case m.from != o.leaderIdx || m.epoch != o.epoch:
		return
	case o.snap.onChunk(&o.log, m):
		o.hw = max(o.hw, o.log.start)
		o.cleaner.arm(s)
	}
	o.armFetchTimeout(s)
	o.deliverCommits(s)
}
