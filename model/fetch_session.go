package model

import (
	"slices"

	"github.com/stretchsim/stretchsim/sim"
)

// Replica fetch sessions (KIP-227) have two halves that share nothing. The follower's fetcher
// (fetcher.go) keeps which partitions it fetches and which changed their fetch state since its
// last request; its Fetch names those partitions with their fetch offsets and epochs, and the
// ones it stopped fetching. The leader keeps, per session, each partition's fetch state as last
// received, the HW it last returned, and which partitions have news (records, a new HW, an
// error): it answers only those. The leader updates a caught-up follower's state implicitly, by
// the session's last Fetch time, and any other follower's explicitly on every Fetch.

// leaderSession is the leader's half of a replica fetcher's incremental fetch session
// (FetchSession in FetchSessionCache): owned by the leader broker, keyed by the follower broker
// and its fetcher id, opened by a full Fetch (the fetcher's first, or its first after a failed
// request) and gone with the leader's process.
type leaderSession struct {
	b         *Broker // the leader
	follower  BrokerID
	fetcherID int
	// A partition's state is found on the leader's replica (Replica.sessions, one per follower
	// session); orphans holds those of partitions the leader has no replica of (answered
	// NOT_LEADER_OR_FOLLOWER), by Partition.idx, for lookup only (never ranged over).
	orphans   map[int]*sessionPart
	all       []*sessionPart // every partition in join order, removed ones until compacted
	gone      int            // removed partitions still in all
	dirty     []*sessionPart // partitions with news for the follower
	explicit  []*sessionPart // partitions whose follower state is updated every Fetch
	lastFetch sim.Time       // when the leader processed the session's latest Fetch
	call      fetchCall      // the session's latest Fetch
	resp      fetchResponse  // the session's answer, reused from round to round
	parked    *parkedFetch   // &park while a Fetch is parked
	park      parkedFetch
	// Wait accounting (limits_wire.go): the latest response left bytes out for
	// replica.fetch.max.bytes (partCut) or replica.fetch.response.max.bytes (respCut).
	partCutWait, respCutWait *waitSlot
	partCut, respCut         bool
}

// sessionPart is the leader's state of one partition of a session.
type sessionPart struct {
	ls   *leaderSession
	p    *Partition
	lead *Replica // the leader broker's replica of p, or nil

	offset     Offset // the follower's fetch offset, as last received
	hwSent     Offset // the HW last returned to the follower
	epoch      int32  // currentLeaderEpoch in the follower's last request
	lastEp     int32  // lastFetchedEpoch in the follower's last request
	reqGen     uint64 // the request round that last carried it
	pos        int32  // the follower's position in p.Replicas
	dirty      bool   // in ls.dirty: the next response must include it
	explicit   bool   // in ls.explicit: the follower's state is updated on every Fetch
	registered bool   // in lead.sessions: appends and HW changes mark it
	removed    bool   // forgotten by the follower, or the session closed
}

// leaderSession returns this leader's session for req's fetcher: a new one for a full Fetch (the
// one before is closed), the open one otherwise, or nil if there is none (the leader restarted).
func (b *Broker) leaderSession(s *sim.Sim, req *fetchRequest) *leaderSession {
	n := b.cfg.NumReplicaFetchers
	i := b.cluster.brokerIndex(req.follower)*n + req.fetcherID
	if b.leaderSessions == nil {
		b.leaderSessions = make([]*leaderSession, len(b.cluster.brokers)*n)
	}
	if !req.full {
		return b.leaderSessions[i]
	}
	if old := b.leaderSessions[i]; old != nil {
		old.close(s.Now())
	}
	ls := &leaderSession{b: b, follower: req.follower, fetcherID: req.fetcherID}
	b.cluster.limitLeaderSession(ls)
	b.leaderSessions[i] = ls
	return ls
}

// close ends a session: its partitions leave their replicas' lists, and its parked Fetch is
// dropped.
func (ls *leaderSession) close(now sim.Time) {
	for _, sp := range ls.all {
		ls.leave(sp)
	}
	if ls.parked != nil {
		ls.parked.cancel()
		ls.parked = nil
	}
	ls.orphans, ls.all, ls.dirty, ls.explicit = nil, nil, nil, nil
	ls.trackCut(now, false, false)
}

// dropLeaderSessions closes every session of this leader (its process stopped: FetchSessionCache
// is in memory).
func (b *Broker) dropLeaderSessions(now sim.Time) {
	for _, ls := range b.leaderSessions {
		if ls != nil {
			ls.close(now)
		}
	}
	b.leaderSessions = nil
}

// find returns the session's state of p, or nil.
func (ls *leaderSession) find(p *Partition) *sessionPart {
	r := ls.b.replicaOf(p)
	if r == nil {
		return ls.orphans[p.idx]
	}
	for _, sp := range r.sessions() {
		if sp.ls == ls {
			return sp
		}
	}
	return nil
}

// join returns the session's state of p, adding p on the first Fetch that carries it.
func (ls *leaderSession) join(p *Partition) *sessionPart {
	if sp := ls.find(p); sp != nil {
		return sp
	}
	sp := &sessionPart{ls: ls, p: p, lead: ls.b.replicaOf(p), pos: int32(p.position(ls.follower)), offset: -1, hwSent: -1}
	ls.all = append(ls.all, sp)
	if r := sp.lead; r != nil {
		rd := r.reading()
		rd.sessions = append(rd.sessions, sp)
		sp.registered = true
	} else {
		if ls.orphans == nil {
			ls.orphans = map[int]*sessionPart{}
		}
		ls.orphans[p.idx] = sp
	}
	return sp
}

// leave takes sp out of the session and off its replica's list.
func (ls *leaderSession) leave(sp *sessionPart) {
	if sp.removed {
		return
	}
	sp.removed, sp.explicit = true, false
	if sp.registered {
		if rd := sp.lead.readers; rd != nil {
			rd.sessions = slices.DeleteFunc(rd.sessions, func(x *sessionPart) bool { return x == sp })
		}
		sp.registered = false
	} else {
		delete(ls.orphans, sp.p.idx)
	}
}

// forget takes sp out of the session (the follower's Fetch listed it as forgotten).
func (ls *leaderSession) forget(sp *sessionPart) {
	ls.leave(sp)
	if ls.gone++; ls.gone > 16 && ls.gone > len(ls.all)/2 {
		ls.all, ls.gone = slices.DeleteFunc(ls.all, func(x *sessionPart) bool { return x.removed }), 0
	}
}

// implicitness: a follower that was caught up at its last explicit update (fetch offset = leader
// LEO) and has stayed so is not touched by each Fetch of its session; the leader records its
// lastCaughtUpTimeMs and lastFetchTimeMs as the session's last Fetch time, exactly what
// Replica.updateFetchStateOrThrow would set for it. Any append to the partition makes the state
// explicit again first.

// materialize makes follower pos's state explicit.
func (r *Replica) materialize(pos int) {
	f := &r.followers[pos]
	if f.implicit != nil {
		t := f.implicit.lastFetch
		f.lastCaughtUp = max(f.lastCaughtUp, t)
		f.lastFetchTime = t
		f.implicit = nil
	}
}

// markDirty queues sp for the next response of its session.
func (sp *sessionPart) markDirty() {
	if !sp.dirty && !sp.removed {
		sp.dirty = true
		sp.ls.dirty = append(sp.ls.dirty, sp)
	}
}

// onAppendForSessions is called after a leader append: followers are no longer caught up, their
// sessions have records to send, and a parked session Fetch may complete.
func (r *Replica) onAppendForSessions(s *sim.Sim) {
	for _, sp := range r.sessions() {
		r.materialize(int(sp.pos))
		sp.markDirty()
		if pf := sp.ls.parked; pf != nil && !pf.done {
			if b := r.broker; b.appending {
				b.deferFetch(sp.ls) // completed once the whole Produce request is appended
				continue
			}
			pf.b.tryCompleteSession(s, sp.ls)
		}
	}
}

// onHWForSessions marks the session partitions whose follower has not seen the current HW. It
// wakes no parked Fetch (KAFKA-9952): the follower learns the HW with the next response.
func (r *Replica) onHWForSessions() {
	for _, sp := range r.sessions() {
		if sp.hwSent != r.log.hw {
			sp.markDirty()
		}
	}
}

// onSessionFetch handles a replica fetcher's Fetch on the leader: the forgotten partitions leave
// the session; the listed ones changed their fetch state and are updated explicitly
// (Partition.fetchRecords); the others are caught up and are updated implicitly by moving the
// session's fetch time. An incremental Fetch whose session this leader does not have is answered
// FETCH_SESSION_ID_NOT_FOUND, and the fetcher opens a new one.
func (b *Broker) onSessionFetch(s *sim.Sim, req *fetchRequest, call fetchCall) {
	ls := b.leaderSession(s, req)
	if ls == nil {
		b.replySessionNotFound(s, req, call)
		return
	}
	now := s.Now()
	ls.lastFetch, ls.call = now, call
	ls.parked = nil
	for _, p := range req.forget {
		if sp := ls.find(p); sp != nil {
			ls.forget(sp)
		}
	}
	for i := range req.parts {
		fp := &req.parts[i]
		sp := ls.join(fp.p)
		sp.offset, sp.epoch, sp.lastEp, sp.reqGen = fp.offset, fp.leaderEpoch, fp.lastFetchedEpoch, req.gen
		b.updateSessionPart(s, sp, fp)
	}
	kept := ls.explicit[:0]
	for _, sp := range ls.explicit {
		if sp.removed {
			sp.explicit = false
		}
		if sp.explicit && !sp.inRequest(req) {
			b.updateSessionPart(s, sp, nil)
		}
		if sp.explicit {
			kept = append(kept, sp)
		}
	}
	clear(ls.explicit[len(kept):])
	ls.explicit = kept
	if req.maxWait <= 0 || ls.ready(int64(req.minBytes)) {
		b.respondSession(s, ls)
		return
	}
	pf := ls.park.rearm(b)
	pf.ls = ls
	ls.parked = pf
	s.ArmAfter(&pf.timer, req.maxWait, sim.Event{H: pf})
}

// updateSessionPart applies one partition's Fetch explicitly: Replica.updateFetchStateOrThrow,
// maybeExpandIsr and maybeIncrementLeaderHW (reference §2.3). fp is the request's entry, or nil
// for a partition whose fetch state did not change. Afterwards a caught-up ISR member becomes
// implicit; any other follower stays explicit, so that the leader re-examines it every Fetch as
// Kafka does (an expansion blocked by an AlterPartition in flight is retried this way).
func (b *Broker) updateSessionPart(s *sim.Sim, sp *sessionPart, fp *fetchPart) {
	r := sp.lead
	if fp != nil {
		sp.markDirty()
		if r == nil || !r.leader || fp.leaderEpoch != r.leaderEpoch || r.diverges(fp) {
			sp.setExplicit(false)
			return // answered with the error or divergence
		}
	}
	if r == nil || !r.leader {
		sp.setExplicit(false)
		return
	}
	if sp.answersAtOnce() {
		// A partition the Fetch does not list keeps its last fetch state, which Kafka reads and
		// validates again on every Fetch of the session (Partition.fetchRecords): one whose epoch
		// is stale or whose log diverges updates nothing (no updateFollowerFetchState), and the
		// response carries its error or diverging epoch. Its last offset may lie above the
		// leader's log, on records of an epoch the follower is about to truncate: counted as the
		// follower's LEO, it made the leader expand the ISR and raise the HW over records the
		// follower did not have.
		sp.markDirty()
		sp.setExplicit(false)
		return
	}
	pos := int(sp.pos)
	r.materialize(pos)
	before := r.followers[pos].leo
	r.updateFollower(pos, sp.offset, r.log.leo, s.Now())
	r.maybeExpandISR(s, pos)
	if r.followers[pos].leo != before {
		r.afterHWMayRise(s)
	}
	if r.followers[pos].leo == r.log.leo && r.maximal.has(pos) {
		r.followers[pos].implicit = sp.ls
		sp.setExplicit(false)
	} else {
		sp.setExplicit(true)
	}
}

// setExplicit puts sp on or off its session's explicit list.
func (sp *sessionPart) setExplicit(on bool) {
	if on && !sp.explicit {
		sp.ls.explicit = append(sp.ls.explicit, sp)
	}
	sp.explicit = on
}

// inRequest reports whether sp was among req's changed partitions (they were updated already).
func (sp *sessionPart) inRequest(req *fetchRequest) bool { return sp.reqGen == req.gen }

// ready reports whether the session's Fetch is answered now (ReplicaManager.fetchMessages, and
// DelayedFetch.tryComplete for a parked one): a dirty partition is answered with an error or a
// diverging epoch (errorReadingData, hasDivergingEpoch; cases A to E, H), or the dirty
// partitions could send at least min bytes (replica.fetch.min.bytes, case G; the count stops once
// it is reached). A partition answered at once adds no bytes, and its offset is never read.
func (ls *leaderSession) ready(min int64) bool {
	var n int64
	for _, sp := range ls.dirty {
		if sp.removed { // a forgotten partition is not answered
			continue
		}
		if sp.answersAtOnce() {
			return true
		}
		if n < min {
			n += sp.lead.log.bytesFrom(sp.offset, sp.lead.log.leo)
		}
	}
	return n >= min
}

// answersAtOnce reports whether sp's partition is answered without records, whatever its log
// holds (Broker.readPart): this broker does not lead it, the follower's leader epoch is not the
// leader's (FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH), or its log diverges (KIP-320). Its fetch
// offset may then lie below what the leader's log still holds (a Fetch sent before the follower
// truncated and moved on, delayed by a partition of the network), and is never read.
func (sp *sessionPart) answersAtOnce() bool {
	r := sp.lead
	if r == nil || !r.leader || sp.epoch != r.leaderEpoch {
		return true
	}
	return r.diverges(&fetchPart{offset: sp.offset, lastFetchedEpoch: sp.lastEp})
}

// tryCompleteSession is DelayedFetch.tryComplete for a parked session Fetch.
func (b *Broker) tryCompleteSession(s *sim.Sim, ls *leaderSession) {
	if ls.ready(int64(ls.call.minBytes)) {
		ls.complete(s)
	}
}

// complete answers the session's parked Fetch now.
func (ls *leaderSession) complete(s *sim.Sim) {
	pf := ls.parked
	pf.cancel()
	ls.parked = nil
	ls.b.respondSession(s, ls)
}

// respondSession answers a session Fetch with the dirty partitions: records from the follower's
// offset within the size limits, the HW, or an error. A partition stays dirty if it got no
// records for lack of room in the response.
func (b *Broker) respondSession(s *sim.Sim, ls *leaderSession) {
	call := &ls.call
	resp := &ls.resp
	resp.gen, resp.from, resp.fetcherID, resp.err = call.gen, b.ID, ls.fetcherID, ErrNone
	resp.parts = reuse(resp.parts)
	resp.bytes = fetchOverhead
	budget := int64(call.maxBytes)
	kept := ls.dirty[:0]
	partCut, respCut := false, false
	for _, sp := range ls.dirty {
		if sp.removed {
			continue
		}
		d := resp.nextData()
		fp := fetchPart{p: sp.p, offset: sp.offset, leaderEpoch: sp.epoch, lastFetchedEpoch: sp.lastEp}
		b.readPart(s.Now(), call, sp.lead, &fp, d, budget, len(resp.parts) == 1) // the first partition in the response
		n := d.size()
		if n > 0 && d.batches[len(d.batches)-1].end < sp.lead.log.leo {
			partCut = partCut || int64(call.partMax) <= budget
			respCut = respCut || int64(call.partMax) > budget
		}
		budget -= n
		resp.bytes += fetchPartOverhead + Bytes(n)
		sp.hwSent = d.hw
		if d.err == ErrNone && !d.diverging && n == 0 && sp.lead.log.leo > sp.offset {
			kept = append(kept, sp) // no room this time
			respCut = true
			continue
		}
		sp.dirty = false
	}
	clear(ls.dirty[len(kept):])
	ls.dirty = kept
	ls.trackCut(s.Now(), partCut, respCut)
	call.conn.Reply(s, call.connEpoch, resp, resp.bytes)
}
