package model

import (
	"slices"

	"github.com/stretchsim/stretchsim/sim"
)

// consumerSession is a broker's half of one consumer's incremental fetch session (KIP-227,
// FetchSession in FetchSessionCache): the partitions the consumer reads from this broker, each
// with the fetch offset it last came with and the HW last returned. A full Fetch (session epoch 0,
// FetchSessionHandler after a connection loss) replaces the session; an incremental Fetch lists
// only the partitions whose position changed or that joined, and those to forget. The response
// carries only the partitions with news (CachedPartition.maybeUpdateResponseData: records, a new
// HW, an error, a preferred read replica).
//
// The broker owns the session: the consumer names partitions and offsets in its requests and
// never points into it. Partitions with news are kept on a dirty list, marked when their HW rises
// or leadership moves, so that a Fetch costs what changed rather than what the session holds: the
// answer is the one Kafka computes by reading every session partition, since a partition off the
// list has nothing readable, the HW it last returned, and no error.
type consumerSession struct {
	b      *Broker
	client NodeID
	// A partition's state is found on this broker's replica (Replica.consumers); orphans holds
	// those of partitions it has no replica of, by Partition.idx, for lookup only (never ranged
	// over).
	orphans map[int]*consumerPart
	all     []*consumerPart // every partition in join order, removed ones until compacted
	gone    int             // removed partitions still in all
	dirty   []*consumerPart
	// racked are the partitions whose preferred read replica the leader re-evaluates on every
	// Fetch (KIP-392: a client.rack other than this broker's, with a replica.selector.class).
	racked []*consumerPart
	parked *parkedFetch // &park while a Fetch is parked
	park   parkedFetch
	call   fetchCall     // the latest Fetch
	resp   fetchResponse // the session's answer, reused from round to round
}

// consumerPart is one partition of a consumer session.
type consumerPart struct {
	cs      *consumerSession
	p       *Partition
	rep     *Replica // this broker's replica of p when the partition joined, or nil
	offset  Offset   // the fetch offset, as last received
	hwSent  Offset   // the HW last returned; -1 after an error (re-sent once it clears)
	dirty   bool     // in cs.dirty
	removed bool
}

// markDirty queues cp for the next response of its session.
func (cp *consumerPart) markDirty() {
	if !cp.dirty && !cp.removed {
		cp.dirty = true
		cp.cs.dirty = append(cp.cs.dirty, cp)
	}
}

// local returns the replica cp reads, or nil if it is not (or no longer) on the session's broker.
func (cp *consumerPart) local() *Replica { return cp.cs.b.local(cp.rep) }

// onConsumerFetch handles a consumer's Fetch: the session is created (full Fetch) or updated
// with the listed and forgotten partitions; then it is answered at once if some partition must
// be (an error, a preferred read replica to name) or fetch.min.bytes are readable up to the HW,
// else parked until they are or fetch.max.wait.ms passes (DelayedFetch).
func (b *Broker) onConsumerFetch(s *sim.Sim, req *fetchRequest, call fetchCall) {
	if req.final {
		b.closeConsumerSession(s, req, call)
		return
	}
	cs := b.consumerSession(req.client)
	if cs == nil && !req.full {
		b.replySessionNotFound(s, req, call)
		return
	}
	if req.full {
		if cs != nil {
			cs.close()
		}
		cs = &consumerSession{b: b, client: req.client}
		b.setConsumerSession(cs)
	}
	if cs.parked != nil {
		cs.parked.cancel()
		cs.parked = nil
	}
	cs.call = call
	for _, p := range req.forget {
		if cp := cs.find(p); cp != nil {
			cs.remove(cp)
		}
	}
	for i := range req.parts {
		fp := &req.parts[i]
		cp := cs.join(fp.p, req.rack)
		cp.offset = fp.offset
		cp.markDirty()
	}
	immediate := req.maxWait <= 0
	for _, cp := range cs.racked {
		if r := cp.local(); r != nil && r.leader && b.preferredReadReplica(s.Now(), r, req.rack, cp.offset) != b.ID {
			cp.markDirty()
			immediate = true
		}
	}
	if immediate || cs.hasErrors() || cs.readable(int64(req.minBytes)) {
		cs.respond(s)
		return
	}
	pf := cs.park.rearm(b)
	pf.cs = cs
	cs.parked = pf
	s.ArmAfter(&pf.timer, req.maxWait, sim.Event{H: pf})
}

// closeConsumerSession handles the Fetch a closing consumer sends (KafkaConsumer.close →
// Fetcher.maybeCloseFetchSessions): session epoch FINAL_EPOCH removes its session from the cache
// and creates none (FetchManager.newContext, FetchSession.scala:854), its partitions stop being
// watched and a Fetch of it still parked is dropped; the answer lists no partition, at once
// (ReplicaManager.fetchMessages answers a Fetch of no partition without waiting).
func (b *Broker) closeConsumerSession(s *sim.Sim, req *fetchRequest, call fetchCall) {
	for i, cs := range b.consumerSessions {
		if cs.client == req.client {
			cs.close()
			b.consumerSessions = slices.Delete(b.consumerSessions, i, i+1)
			break
		}
	}
	resp := &fetchResponse{gen: call.gen, from: b.ID, final: true, bytes: fetchOverhead}
	call.conn.Reply(s, call.connEpoch, resp, resp.bytes)
}

// consumerSession returns the session of the consumer at client, or nil.
func (b *Broker) consumerSession(client NodeID) *consumerSession {
	for _, cs := range b.consumerSessions {
		if cs.client == client {
			return cs
		}
	}
	return nil
}

// setConsumerSession puts cs in its client's place (FetchSessionCache; a client has one session
// per broker, a consumer's full Fetch replaces its last).
func (b *Broker) setConsumerSession(cs *consumerSession) {
	for i, x := range b.consumerSessions {
		if x.client == cs.client {
			b.consumerSessions[i] = cs
			return
		}
	}
	b.consumerSessions = append(b.consumerSessions, cs)
}

// find returns the session's state of p, or nil.
func (cs *consumerSession) find(p *Partition) *consumerPart {
	r := cs.b.replicaOf(p)
	if r == nil {
		return cs.orphans[p.idx]
	}
	for _, cp := range r.consumers() {
		if cp.cs == cs {
			return cp
		}
	}
	return nil
}

// join returns the session's state of p, adding p on the first Fetch that lists it.
func (cs *consumerSession) join(p *Partition, rack string) *consumerPart {
	if cp := cs.find(p); cp != nil {
		return cp
	}
	cp := &consumerPart{cs: cs, p: p, rep: cs.b.replicaOf(p), hwSent: -1}
	cs.all = append(cs.all, cp)
	if r := cp.rep; r != nil {
		rd := r.reading()
		rd.consumers = append(rd.consumers, cp)
	} else {
		if cs.orphans == nil {
			cs.orphans = map[int]*consumerPart{}
		}
		cs.orphans[p.idx] = cp
	}
	if cs.b.racked(rack) {
		cs.racked = append(cs.racked, cp)
	}
	return cp
}

// size returns how many partitions the session holds.
func (cs *consumerSession) size() int { return len(cs.all) - cs.gone }

// racked reports whether a consumer in rack has its read replica chosen by this broker's
// replica.selector.class (KIP-392).
func (b *Broker) racked(rack string) bool {
	return b.cfg.ReplicaSelectorClass != "" && rack != "" && b.Rack != rack
}

// readable reports whether the dirty partitions hold at least min bytes up to their HW.
func (cs *consumerSession) readable(min int64) bool {
	var n int64
	for _, cp := range cs.dirty {
		if r := cp.local(); r != nil && !cp.removed {
			if n += r.log.bytesFrom(cp.offset, r.log.hw); n >= min {
				return true
			}
		}
	}
	return n >= min
}

// hasErrors reports whether a dirty partition is answered with an error.
func (cs *consumerSession) hasErrors() bool {
	for _, cp := range cs.dirty {
		if cp.local() == nil && !cp.removed {
			return true
		}
	}
	return false
}

// onHWForConsumers marks the consumer session partitions reading r after its HW rose, and
// completes a parked Fetch that can now read fetch.min.bytes (DelayedFetch.tryComplete, HIGH_WATERMARK
// isolation).
func (r *Replica) onHWForConsumers(s *sim.Sim) {
	for _, cp := range r.consumers() {
		cp.markDirty()
		cs := cp.cs
		if pf := cs.parked; pf != nil && !pf.done && cs.readable(int64(cs.call.minBytes)) {
			cs.complete(s)
		}
	}
}

// onLeadershipLostForConsumers completes at once the parked Fetches of the sessions reading r
// (DelayedFetch condition A).
func (r *Replica) onLeadershipLostForConsumers(s *sim.Sim) {
	for _, cp := range r.consumers() {
		cp.markDirty()
		if pf := cp.cs.parked; pf != nil && !pf.done {
			cp.cs.complete(s)
		}
	}
}

// complete answers the session's parked Fetch now.
func (cs *consumerSession) complete(s *sim.Sim) {
	cs.parked.cancel()
	cs.parked = nil
	cs.respond(s)
}

// respond answers the session's latest Fetch with the partitions that have news, within
// fetch.max.bytes and max.partition.fetch.bytes. A partition stays dirty if it got no records for
// lack of room in the response.
func (cs *consumerSession) respond(s *sim.Sim) {
	call := &cs.call
	resp := &cs.resp
	resp.gen, resp.from, resp.err = call.gen, cs.b.ID, ErrNone
	resp.parts = reuse(resp.parts)
	resp.bytes = fetchOverhead
	budget := int64(call.maxBytes)
	kept := cs.dirty[:0]
	for _, cp := range cs.dirty {
		if cp.removed {
			continue
		}
		d := resp.nextData()
		fp := fetchPart{p: cp.p, offset: cp.offset, leaderEpoch: -1, lastFetchedEpoch: -1}
		cs.b.readPart(s.Now(), call, cp.local(), &fp, d, budget, len(resp.parts) == 1)
		n := d.size()
		hw := d.hw
		if d.err != ErrNone {
			hw = -1
		}
		// An error is returned on every Fetch; records that found no room are sent later.
		r := cp.local()
		again := d.err != ErrNone || (n == 0 && d.preferred < 0 && r != nil && r.log.hw > cp.offset)
		if n == 0 && d.err == ErrNone && d.preferred < 0 && hw == cp.hwSent {
			resp.parts = resp.parts[:len(resp.parts)-1] // nothing to say (maybeUpdateResponseData)
		} else {
			cp.hwSent = hw
			budget -= n
			resp.bytes += fetchPartOverhead + Bytes(n)
		}
		if again {
			kept = append(kept, cp)
			continue
		}
		cp.dirty = false
	}
	clear(cs.dirty[len(kept):])
	cs.dirty = kept
	call.conn.Reply(s, call.connEpoch, resp, resp.bytes)
}

// remove takes cp out of its session (the consumer forgot it).
func (cs *consumerSession) remove(cp *consumerPart) {
	cp.removed = true
	if cp.rep == nil {
		delete(cs.orphans, cp.p.idx)
	}
	if r := cp.rep; r != nil && r.readers != nil {
		r.readers.consumers = removeConsumerPart(r.readers.consumers, cp)
	}
	for i, x := range cs.racked {
		if x == cp {
			cs.racked = append(cs.racked[:i], cs.racked[i+1:]...)
			break
		}
	}
	if cs.gone++; cs.gone > len(cs.all)/2 {
		cs.all, cs.gone = slices.DeleteFunc(cs.all, func(x *consumerPart) bool { return x.removed }), 0
	}
}

// close ends the session (a full Fetch replaced it, or the broker stopped).
func (cs *consumerSession) close() {
	for _, cp := range cs.all {
		if cp.removed {
			continue
		}
		cp.removed = true
		if r := cp.rep; r != nil && r.readers != nil {
			r.readers.consumers = removeConsumerPart(r.readers.consumers, cp)
		}
	}
	if cs.parked != nil {
		cs.parked.cancel()
		cs.parked = nil
	}
	cs.orphans, cs.all, cs.dirty, cs.racked = nil, nil, nil, nil
}

func removeConsumerPart(list []*consumerPart, cp *consumerPart) []*consumerPart {
	for i, x := range list {
		if x == cp {
			last := len(list) - 1
			list[i] = list[last]
			list[last] = nil
			return list[:last]
		}
	}
	return list
}
