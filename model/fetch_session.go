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

// setExplicit puts sp on or off its session's explicit list.
func (sp *sessionPart) setExplicit(on bool) {
	if on && !sp.explicit {
		sp.ls.explicit = append(sp.ls.explicit, sp)
	}
	sp.explicit = on
}

// inRequest reports whether sp was among req's changed partitions (they were updated already).
func (sp *sessionPart) inRequest(req *fetchRequest) bool { return sp.reqGen == req.gen }
