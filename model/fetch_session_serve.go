package model

import "github.com/stretchsim/stretchsim/sim"

// A leader serving its fetch sessions' Fetches: updating each session partition from the
// request (or its cached state), deciding when the response is ready (replica.fetch.min.bytes,
// replica.fetch.wait.max.ms, DelayedFetch) and answering it.

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
