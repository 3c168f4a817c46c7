package kraft

import (
	"time"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// Fixed constants of KafkaRaftClient (reference §4.1) and the wire sizes the model gives KRaft
// messages.
const (
	raftMaxFetchWait  = 500 * time.Millisecond // MAX_FETCH_WAIT_MS
	raftMaxBatchBytes = 8 * units.MiB          // MAX_BATCH_SIZE_BYTES
	raftMaxFetchBytes = 8 * units.MiB          // MAX_FETCH_SIZE_BYTES
	raftBackoffBase   = 100 * time.Millisecond // RETRY_BACKOFF_BASE_MS, unit of the election backoff
	// raftCheckQuorumFactor is LeaderState.CHECK_QUORUM_TIMEOUT_FACTOR: a leader resigns when a
	// majority has not fetched for this many fetch timeouts.
	raftCheckQuorumFactor = 1.5

	// raftMsgBytes is the wire size of a KRaft request or response without records: header,
	// cluster id, topic partition and the few int fields.
	raftMsgBytes units.Bytes = 100
	// EntryOverhead is added per entry in a fetch response: record framing plus its share of
	// the record batch header.
	EntryOverhead units.Bytes = 20
	// ControlRecordBytes is the payload of a LeaderChange control record.
	ControlRecordBytes units.Bytes = 40
)

// raftAPI is the KRaft RPC a request slot waits for.
type raftAPI uint8

const (
	raftFetchAPI raftAPI = iota
	raftVoteAPI
	raftBeginEpochAPI
	raftEndEpochAPI
	raftFetchSnapshotAPI
)

// raftErr is the error code of a KRaft response (Kafka's Errors).
type raftErr uint8

const (
	raftNone               raftErr = iota
	raftFencedEpoch                // FENCED_LEADER_EPOCH: the request's epoch is older than the receiver's
	raftUnknownEpoch               // UNKNOWN_LEADER_EPOCH: the request's epoch is newer than the receiver's
	raftNotLeader                  // NOT_LEADER_OR_FOLLOWER: a Fetch reached a voter that does not lead
	raftSnapshotNotFound           // SNAPSHOT_NOT_FOUND: the leader no longer has the snapshot asked for
	raftPositionOutOfRange         // POSITION_OUT_OF_RANGE: a FetchSnapshot position past the snapshot's end
)

// raftHdr is what every KRaft message carries.
type raftHdr struct {
	corr  uint64 // correlation id: a response is handled only if it answers the request in flight
	from  int    // the sender's voter index; -1 for an observer
	epoch int32  // the sender's current epoch (a Vote request: the candidate's epoch)
}

// raftVoteReq is a Vote request; with preVote set it is a PreVote (KIP-996), which carries the
// prospective's current epoch unbumped.
type raftVoteReq struct {
	raftHdr
	lastEpoch int32        // epoch of the candidate's last entry
	end       units.Offset // the candidate's log end offset
	preVote   bool
}

// raftVoteResp answers a Vote or PreVote with the responder's epoch and the leader it knows.
type raftVoteResp struct {
	raftHdr
	leader  int // voter index, -1 unknown
	granted bool
}

// raftBeginEpochReq is BeginQuorumEpoch: a new leader announces itself to the voters.
type raftBeginEpochReq struct{ raftHdr }

// raftEndEpochReq is EndQuorumEpoch: a resigned leader tells the voters, with its preferred
// successors (voter indexes by descending end offset).
type raftEndEpochReq struct {
	raftHdr
	successors []int
}

// raftEpochResp answers BeginQuorumEpoch or EndQuorumEpoch.
type raftEpochResp struct {
	raftHdr
	api    raftAPI
	leader int
	err    raftErr
}

// raftFetchReq is a Fetch of the metadata log from a voter or an observer.
type raftFetchReq struct {
	raftHdr
	offset    units.Offset // fetchOffset: the fetcher's log end offset
	lastEpoch int32        // lastFetchedEpoch: the epoch of the fetcher's last entry
	maxWait   time.Duration
}

// raftFetchResp answers a Fetch. On success it carries entries from the fetch offset (up to
// MAX_FETCH_SIZE_BYTES) and the leader's high watermark, or a diverging epoch: the fetcher must
// truncate to where its log agrees with the leader's, or the id of the leader's latest snapshot:
// the fetch offset is below the leader's log start offset, and the fetcher must FetchSnapshot.
type raftFetchResp struct {
	raftHdr
	leader    int
	err       raftErr
	hw        units.Offset
	entries   Entries // a copy of the leader's runs
	diverging bool
	divEpoch  int32
	divEnd    units.Offset
	snapshot  bool
	snapID    raftSnapshotID
}

// size returns the response's wire size.
func (m *raftFetchResp) size() units.Bytes { return raftMsgBytes + m.entries.Bytes() }

// raftFetchSnapshotReq asks the leader for the bytes of a snapshot from position on, up to
// MAX_FETCH_SIZE_BYTES (FetchSnapshot).
type raftFetchSnapshotReq struct {
	raftHdr
	id       raftSnapshotID
	position units.Bytes
}

// raftFetchSnapshotResp answers a FetchSnapshot with a chunk of the snapshot: its bytes from
// position, the snapshot's total size, and (the model's stand-in for the file's content) its
// image and last contained log timestamp.
type raftFetchSnapshotResp struct {
	raftHdr
	leader   int
	err      raftErr
	id       raftSnapshotID
	size     units.Bytes
	position units.Bytes
	chunk    units.Bytes
	at       sim.Time
	image    SnapshotImage
}

// isRaftMessage reports whether msg belongs to the quorum protocol.
func isRaftMessage(msg any) bool {
	switch msg.(type) {
	case *raftVoteReq, *raftVoteResp, *raftBeginEpochReq, *raftEndEpochReq, *raftEpochResp,
		*raftFetchReq, *raftFetchResp, *raftFetchSnapshotReq, *raftFetchSnapshotResp:
		return true
	}
	return false
}
