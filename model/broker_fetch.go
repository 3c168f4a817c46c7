package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// fetchRequest is a Fetch request from a replica fetcher (follower) or a consumer. Its sender
// reuses it for the next round once it has the answer, and leaves one it gave up on as it was
// sent (giveUp), since a broker may still read it. A broker copies what it keeps of it
// (fetchCall) and answers from its session's own fetchResponse.
type fetchRequest struct {
	replica   bool          // a follower's Fetch (isolation LOG_END), else a consumer's (HIGH_WATERMARK)
	follower  BrokerID      // follower fetch: the follower, whose session on the leader this is
	fetcherID int           // follower fetch: which of its fetchers
	maxWait   time.Duration // replica.fetch.wait.max.ms / fetch.max.wait.ms
	minBytes  Bytes         // replica.fetch.min.bytes / fetch.min.bytes
	maxBytes  Bytes         // replica.fetch.response.max.bytes / fetch.max.bytes
	partMax   Bytes         // replica.fetch.max.bytes / max.partition.fetch.bytes
	rack      string        // client.rack
	client    NodeID        // consumer fetch: the consumer, whose session this is (KIP-227)
	full      bool          // a full Fetch, which opens a new session (KIP-227)
	final     bool          // consumer fetch: session epoch FINAL_EPOCH, which closes the session
	forget    []*Partition  // partitions that leave the session
	parts     []fetchPart
	sentAt    sim.Time
	gen       uint64 // round number: the sender drops an answer to an earlier round
}

// giveUp returns the request the sender uses next in place of req, whose answer it no longer
// waits for: a new one, of the next round, so that a broker still to read req reads it as sent.
func (req *fetchRequest) giveUp() *fetchRequest { return &fetchRequest{gen: req.gen + 1} }

// fetchCall is what a broker keeps of the latest Fetch a session read: where to answer, and the
// request's round and limits.
type fetchCall struct {
	conn                        *Half
	connEpoch                   int64 // the connection's epoch when the request was read (Half.Mute)
	gen                         uint64
	replica                     bool
	minBytes, maxBytes, partMax Bytes
	rack                        string
}

type fetchPart struct {
	p                *Partition
	offset           Offset
	leaderEpoch      int32 // currentLeaderEpoch; -1 skips the check
	lastFetchedEpoch int32 // -1: none
}

// fetchResponse answers a fetchRequest, one fetchData per partition with news. A broker's
// session reuses its response from one round to the next: the sender has read the previous one
// before it sends the Fetch the next one answers.
type fetchResponse struct {
	gen       uint64   // the request round it answers
	from      BrokerID // the answering broker
	fetcherID int      // follower fetch: the fetcher it answers
	final     bool     // it answers a FINAL_EPOCH Fetch
	parts     []fetchData
	bytes     Bytes
	err       ErrorCode // top level: FETCH_SESSION_ID_NOT_FOUND
}

type fetchData struct {
	p            *Partition
	from         Offset // the fetch offset the records start at
	err          ErrorCode
	batches      []batchRef
	prevCum      int64    // log bytes before the first batch
	hw           Offset   // the serving replica's HW
	preferred    BrokerID // KIP-392 preferred read replica, or -1
	diverging    bool     // the fetch offset is past the end of the follower's epoch on the leader
	divergeTo    Offset   // with diverging: the end offset of divergeEpoch on the leader
	divergeEpoch int32    // with diverging: the largest leader epoch <= the follower's last fetched one
}

// fetchOverhead is the wire size of a Fetch request or response beyond its partitions' records;
// fetchPartOverhead is added per partition.
const (
	fetchOverhead     = 100
	fetchPartOverhead = 30
)

// parkedFetch is a DelayedFetch (reference §2.8): it waits for minBytes to become readable, or
// for maxWait.
type parkedFetch struct {
	b     *Broker
	cs    *consumerSession // a consumer's Fetch: its session
	ls    *leaderSession   // a replica fetcher's Fetch: its session on the leader
	timer sim.Timer
	done  bool
}

// rearm readies pf, a session's one parked Fetch, for the session's latest: a Fetch parks only
// after the session's previous one was answered or given up, and arming its timer again drops
// any firing left of the previous one.
func (pf *parkedFetch) rearm(b *Broker) *parkedFetch {
	pf.b, pf.done = b, false
	return pf
}

// onFetch is ReplicaManager.fetchMessages: a replica fetcher's or a consumer's Fetch, each in
// its incremental fetch session (KIP-227), read as call.
func (b *Broker) onFetch(s *sim.Sim, req *fetchRequest, call fetchCall) {
	if req.replica {
		b.onSessionFetch(s, req, call)
		return
	}
	b.onConsumerFetch(s, req, call)
}

// diverges reports whether the follower's last fetched epoch ends, on the leader, before the
// follower's fetch offset (KIP-320 truncation on fetch).
func (r *Replica) diverges(fp *fetchPart) bool {
	if fp.lastFetchedEpoch < 0 {
		return false
	}
	if fp.lastFetchedEpoch == r.log.latestEpoch() { // the usual case: same epoch, ends at the LEO
		return fp.offset > r.log.leo
	}
	ep, end := r.log.endOffsetFor(fp.lastFetchedEpoch)
	return ep != fp.lastFetchedEpoch || end < fp.offset
}

// cancel marks pf answered or given up and stops its timer.
func (pf *parkedFetch) cancel() {
	pf.done = true
	pf.timer.Stop()
}

// replySessionNotFound answers req, read as call, FETCH_SESSION_ID_NOT_FOUND: the broker has no
// session for it (its process restarted), and the client opens a new one with a full Fetch.
func (b *Broker) replySessionNotFound(s *sim.Sim, req *fetchRequest, call fetchCall) {
	resp := &fetchResponse{gen: call.gen, from: b.ID, fetcherID: req.fetcherID, err: ErrFetchSessionIDNotFound, bytes: fetchOverhead}
	call.conn.Reply(s, call.connEpoch, resp, resp.bytes)
}

// Handle expires a parked fetch at its maxWait.
func (pf *parkedFetch) Handle(s *sim.Sim, _ *sim.Event) {
	if pf.done {
		return
	}
	pf.done = true
	if ls := pf.ls; ls != nil {
		if ls.call.conn.Epoch() != ls.call.connEpoch {
			return // the connection was reset (the fetcher gave the request up): nobody reads an answer
		}
		ls.parked = nil
		pf.b.respondSession(s, ls)
		return
	}
	// A consumer's Fetch is answered even when the consumer has stopped waiting for it: one that
	// is closing sends its FINAL_EPOCH Fetch on the same connection, which the broker reads only
	// once this answer is written (reference §2.8a); the consumer drops the answer.
	pf.cs.parked = nil
	pf.cs.respond(s)
}

// readPart fills d for one partition: an error, a divergence, a preferred read replica, or the
// batches from the fetch offset (to the LEO for followers, the HW for consumers). r is this
// broker's replica of the partition, or nil.
func (b *Broker) readPart(now sim.Time, call *fetchCall, r *Replica, fp *fetchPart, d *fetchData, budget int64, first bool) {
	d.p, d.preferred, d.from = fp.p, -1, fp.offset
	switch {
	case r == nil || (call.replica && !r.leader):
		d.err = ErrNotLeaderOrFollower
		return
	case call.replica && fp.leaderEpoch < r.leaderEpoch:
		d.err = ErrFencedLeaderEpoch
		return
	case call.replica && fp.leaderEpoch > r.leaderEpoch:
		d.err = ErrUnknownLeaderEpoch
		return
	case call.replica && r.diverges(fp):
		d.diverging = true // DivergingEpoch: the leader's epoch and its end offset
		d.divergeEpoch, d.divergeTo = r.log.endOffsetFor(fp.lastFetchedEpoch)
		return
	}
	d.hw = r.log.hw
	end := r.log.leo
	if !call.replica {
		end = r.log.hw
		if r.leader {
			if p := b.preferredReadReplica(now, r, call.rack, fp.offset); p != b.ID {
				d.preferred = p
				return
			}
		}
	}
	limit := min(int64(call.partMax), budget)
	if !first && limit <= 0 {
		return
	}
	d.batches = append(d.batches, r.log.read(fp.offset, end, limit)...) // d.batches is a reused buffer
	if len(d.batches) > 0 {
		d.prevCum = r.log.cumAt(fp.offset)
	}
}

// preferredReadReplica is ReplicaManager.findPreferredReadReplica with the
// RackAwareReplicaSelector (KIP-392, reference §5.3). It returns the leader's own id when the
// leader should serve the consumer.
func (b *Broker) preferredReadReplica(now sim.Time, r *Replica, rack string, offset Offset) BrokerID {
	if !b.racked(rack) {
		return b.ID
	}
	best := -1
	for pos, id := range r.p.Replicas {
		if pos == int(r.pos) || !r.isr.has(pos) || r.followers[pos].leo < offset || b.cluster.brokerRack(id) != rack {
			continue
		}
		if best < 0 || betterReadReplica(r, pos, best, now) {
			best = pos
		}
	}
	if best < 0 {
		return b.ID
	}
	return r.p.Replicas[best]
}

// betterReadReplica orders candidates as ReplicaView.comparator: larger LEO, then more recently
// caught up, then larger broker id.
func betterReadReplica(r *Replica, a, b int, now sim.Time) bool {
	r.materialize(a)
	r.materialize(b)
	fa, fb := &r.followers[a], &r.followers[b]
	if fa.leo != fb.leo {
		return fa.leo > fb.leo
	}
	if ta, tb := now-fa.lastCaughtUp, now-fb.lastCaughtUp; ta != tb {
		return ta < tb
	}
	return r.p.Replicas[a] > r.p.Replicas[b]
}

// size returns the record bytes in d.
func (d *fetchData) size() int64 {
	if len(d.batches) == 0 {
		return 0
	}
	return d.batches[len(d.batches)-1].cum - d.prevCum
}

// nextData appends a cleared fetchData to resp, reusing the batch buffer of an earlier round's
// entry in the same place.
func (resp *fetchResponse) nextData() *fetchData {
	n := len(resp.parts)
	if n < cap(resp.parts) {
		resp.parts = resp.parts[:n+1]
		d := &resp.parts[n]
		*d = fetchData{batches: d.batches[:0]}
		return d
	}
	resp.parts = append(resp.parts, fetchData{})
	return &resp.parts[n]
}

// reuse empties buf for another round, keeping its array unless the last round used less than
// an eighth of a large one: the first responses of a session carry every partition, later ones
// only what changed, and an array sized for the first would be kept for the whole run.
func reuse[T any](buf []T) []T {
	if c := cap(buf); c > 256 && len(buf) < c/8 {
		return nil
	}
	return buf[:0]
}
