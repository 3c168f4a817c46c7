package model

import "github.com/stretchsim/stretchsim/sim"

// leaderSession is the leader's half of a replica fetcher's incremental fetch session
// (KIP-227, FetchSession): owned by the leader broker, keyed by the follower broker and its
// fetcher id, created by the fetcher's first Fetch and gone with the leader's process. It keeps
// the partitions with news for the follower and those whose follower state is updated on every
// Fetch; the follower's fetcher keeps its own half (fetcher.go).
type leaderSession struct {
	b         *Broker // the leader
	follower  BrokerID
	fetcherID int
	dirty     []*sessionPart // partitions with news for the follower
	explicit  []*sessionPart // partitions whose follower state is updated every Fetch
	lastFetch sim.Time       // when the leader processed the session's latest Fetch
	parked    *parkedFetch   // &park while a Fetch is parked
	park      parkedFetch
}

// leaderSessionFor returns this leader's session for req's fetcher, creating it on its first
// Fetch.
func (b *Broker) leaderSessionFor(req *fetchRequest) *leaderSession {
	n := b.cfg.NumReplicaFetchers
	i := b.cluster.brokerIndex(req.follower)*n + req.fetcherID
	if b.leaderSessions == nil {
		b.leaderSessions = make([]*leaderSession, len(b.cluster.brokers)*n)
	}
	if b.leaderSessions[i] == nil {
		b.leaderSessions[i] = &leaderSession{b: b, follower: req.follower, fetcherID: req.fetcherID}
	}
	return b.leaderSessions[i]
}

// dropLeaderSessions forgets every session of this leader (its process stopped).
func (b *Broker) dropLeaderSessions() {
	for _, ls := range b.leaderSessions {
		if ls == nil {
			continue
		}
		for _, sp := range ls.dirty {
			sp.dirty = false
		}
		for _, sp := range ls.explicit {
			sp.explicit = false
		}
		if pf := ls.parked; pf != nil {
			pf.done = true
			pf.timer.Stop()
		}
	}
	b.leaderSessions = nil
}

// sessionPart is one partition of a replica fetcher's incremental fetch session (KIP-227): the
// follower sends it only when its fetch state changed, and the leader returns it only when it has
// news (records, a new HW, an error). The follower's fields are its fetcher's; the leader's are
// its session's, which it sets from the Fetch requests it reads.
type sessionPart struct {
	f    *fetcher       // the follower's fetcher
	ls   *leaderSession // the leader's session, from the first Fetch that carried the partition
	own  *Replica       // the follower's replica
	lead *Replica       // the leader's replica

	// Leader side.
	offset   Offset // the follower's fetch offset, as last received
	hwSent   Offset // the HW last returned to the follower
	epoch    int32  // currentLeaderEpoch in the follower's last request
	lastEp   int32  // lastFetchedEpoch in the follower's last request
	dirty    bool   // in ls.dirty: the next response must include it
	explicit bool   // in ls.explicit: the follower's state is updated on every Fetch

	// Follower side.
	changed    bool   // in f.changed: the next request must include it
	removed    bool   // the partition left the session
	registered bool   // the leader's replica lists it in its sessions (lost if the leader restarts)
	reqGen     uint64 // the request round that last carried it
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
	for _, sp := range r.sessions {
		r.materialize(sp.own.pos)
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
	for _, sp := range r.sessions {
		if sp.hwSent != r.log.hw {
			sp.markDirty()
		}
	}
}

// onSessionFetch handles a replica fetcher's Fetch on the leader: the partitions in the request
// changed their fetch state and are updated explicitly (Partition.fetchRecords); the others are
// caught up and are updated implicitly by moving the session's fetch time.
func (b *Broker) onSessionFetch(s *sim.Sim, req *fetchRequest) {
	ls := b.leaderSessionFor(req)
	now := s.Now()
	ls.lastFetch = now
	ls.parked = nil
	for i := range req.parts {
		fp := &req.parts[i]
		fp.sp.offset, fp.sp.epoch, fp.sp.lastEp, fp.sp.reqGen = fp.offset, fp.leaderEpoch, fp.lastFetchedEpoch, req.gen
		if sp := fp.sp; !sp.registered && !sp.removed && sp.lead.broker == b {
			// A restarted leader lost the session (FETCH_SESSION_ID_NOT_FOUND): the follower's
			// full fetch registers the partition again.
			sp.lead.sessions = append(sp.lead.sessions, sp)
			sp.registered = true
		}
		if fp.sp.ls != ls {
			fp.sp.ls, fp.sp.dirty, fp.sp.explicit = ls, false, false
		}
		b.updateSessionPart(s, req.parts[i].sp, &req.parts[i])
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
	if req.maxWait <= 0 || ls.readable(int64(req.minBytes)) || ls.hasErrors() {
		b.respondSession(s, ls, req)
		return
	}
	pf := ls.park.rearm(b, req)
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
	r := b.local(sp.lead)
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
	pos := sp.own.pos
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

// readable reports whether the session's dirty partitions could send at least min bytes now
// (replica.fetch.min.bytes; DelayedFetch.tryComplete stops counting once it is reached).
func (ls *leaderSession) readable(min int64) bool {
	var n int64
	for _, sp := range ls.dirty {
		if r := sp.lead; r.leader && r.broker == ls.b {
			if n += r.log.bytesFrom(sp.offset, r.log.leo); n >= min {
				return true
			}
		}
	}
	return n >= min
}

// hasErrors reports whether a dirty partition must be answered with an error at once.
func (ls *leaderSession) hasErrors() bool {
	for _, sp := range ls.dirty {
		if !sp.lead.leader || sp.lead.broker != ls.b {
			return true
		}
	}
	return false
}

// tryCompleteSession is DelayedFetch.tryComplete for a parked session Fetch.
func (b *Broker) tryCompleteSession(s *sim.Sim, ls *leaderSession) {
	pf := ls.parked
	if ls.readable(int64(pf.req.minBytes)) {
		pf.done = true
		pf.timer.Stop()
		ls.parked = nil
		b.respondSession(s, ls, pf.req)
	}
}

// respondSession answers a session Fetch with the dirty partitions: records from the follower's
// offset within the size limits, the HW, or an error. A partition stays dirty if it got no
// records for lack of room in the response.
func (b *Broker) respondSession(s *sim.Sim, ls *leaderSession, req *fetchRequest) {
	resp := &req.resp
	resp.req, resp.gen = req, req.gen
	resp.parts = reuse(resp.parts)
	resp.bytes = fetchOverhead
	budget := int64(req.maxBytes)
	kept := ls.dirty[:0]
	partCut, respCut := false, false
	for i, sp := range ls.dirty {
		if sp.removed {
			continue
		}
		d := resp.nextData()
		d.sp = sp
		fp := fetchPart{p: sp.own.p, rep: sp.lead, offset: sp.offset, leaderEpoch: sp.epoch, lastFetchedEpoch: sp.lastEp}
		b.readPart(s.Now(), req, &fp, d, budget, i == 0)
		n := d.size()
		if n > 0 && d.batches[len(d.batches)-1].end < sp.lead.log.leo {
			partCut = partCut || int64(req.partMax) <= budget
			respCut = respCut || int64(req.partMax) > budget
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
	req.fetcher.trackCut(s.Now(), partCut, respCut)
	req.conn.Reply(s, req.connEpoch, resp, resp.bytes)
}
