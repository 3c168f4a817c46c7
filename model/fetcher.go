package model

import (
	"slices"

	"github.com/stretchsim/stretchsim/sim"
)

// fetcher is a ReplicaFetcherThread (reference §2.2): one per (follower broker, leader broker,
// fetcher id), with its own connection and an incremental fetch session (KIP-227), and at most
// one Fetch outstanding covering all its partitions. After a response it appends what it got and
// sends the next Fetch as soon as the append is written. It keeps the follower's half of the
// session; the leader keeps its own (fetch_session.go).
type fetcher struct {
	broker *Broker // the follower
	leader *Broker
	id     int
	conn   *Half

	parts    []*fetchEntry
	changed  []*fetchEntry // fetch state changed since the last request
	forget   []*Partition  // partitions the next Fetch forgets
	full     bool          // the next Fetch opens a new session (FetchSessionHandler)
	inflight bool
	backoff  sim.Timer
	timeout  sim.Timer     // replica.socket.timeout.ms for the outstanding Fetch
	req      *fetchRequest // reused round after round, until one is given up (giveUp)
	sendTime sim.Time      // with sendAt: when the request leaves
}

// fetchEntry is one partition a fetcher fetches (PartitionFetchState).
type fetchEntry struct {
	f       *fetcher
	r       *Replica // the follower's replica
	since   uint64   // the fetcher's request round when the partition joined
	changed bool     // in f.changed: the next request must include it
	sent    bool     // a request has carried it: the leader's session holds it
	removed bool
}

// fetcherFor returns the fetcher of b for partitions led by leader with the given fetcher id,
// creating it (and its connection) on first use.
func (b *Broker) fetcherFor(leader *Broker, id int) *fetcher {
	n := b.cfg.NumReplicaFetchers
	if b.fetchers == nil {
		b.fetchers = make([]*fetcher, len(b.cluster.brokers)*n)
	}
	i := b.cluster.brokerIndex(leader.ID)*n + id
	if b.fetchers[i] == nil {
		// Data leader→follower: the leader's socket.send.buffer.bytes and the follower's
		// replica.socket.receive.buffer.bytes. Requests: the fetcher's socket keeps the OS send
		// buffer (ReplicaFetcherBlockingSend passes no send size), the leader's
		// socket.receive.buffer.bytes.
		conn := b.cluster.net.Connect(b.node, leader.node, b.cluster.bufs().Window(-1, leader.cfg.SocketReceiveBuffer),
			b.cluster.bufs().Window(leader.cfg.SocketSendBuffer, b.cfg.ReplicaSocketReceiveBuffer))
		b.fetchers[i] = &fetcher{broker: b, leader: leader, id: id, conn: conn, full: true, req: &fetchRequest{}}
		b.cluster.limitFetcher(b.fetchers[i])
	}
	return b.fetchers[i]
}

// fetcherOf returns b's fetcher id for partitions led by broker leader, or nil.
func (b *Broker) fetcherOf(leader BrokerID, id int) *fetcher {
	i := b.cluster.brokerIndex(leader)*b.cfg.NumReplicaFetchers + id
	if i < 0 || i >= len(b.fetchers) {
		return nil
	}
	return b.fetchers[i]
}

// add makes r fetch from this fetcher's leader (AbstractFetcherThread.addPartitions). The
// partition joins the next Fetch; an outstanding one is not interrupted.
func (f *fetcher) add(r *Replica) {
	// The leader learns of the partition from the first Fetch that carries it (KIP-227: the
	// session's partitions are those its requests added); until then it sends nothing for it.
	// Registered at once, a partition added while a Fetch was in flight or in backoff was answered
	// with the zero fetch state (FENCED_LEADER_EPOCH) on every response, and each answer put it
	// back into backoff, so that it was never fetched.
	e := &fetchEntry{f: f, r: r, since: f.req.gen}
	r.session, r.fetchDelayedUntil = e, 0
	f.parts = append(f.parts, e)
	f.markChanged(e)
}

// remove stops fetching r (leadership moved): the partition leaves the session, and the next
// Fetch tells the leader to forget it.
func (f *fetcher) remove(r *Replica) {
	e := r.session
	if e == nil || e.f != f {
		return
	}
	e.removed = true
	f.parts = slices.DeleteFunc(f.parts, func(x *fetchEntry) bool { return x == e })
	if e.sent {
		f.forget = append(f.forget, r.p)
	}
	r.session = nil
}

func (f *fetcher) markChanged(e *fetchEntry) {
	if !e.changed {
		e.changed = true
		f.changed = append(f.changed, e)
	}
}

// sendAt issues the next Fetch at time at (now or a moment later, when the fetcher thread is
// done writing the last response to disk).
func (f *fetcher) sendAt(s *sim.Sim, at sim.Time) {
	f.sendTime = at
	f.send(s)
	f.sendTime = 0
}

// send issues the next Fetch unless one is outstanding: the partitions whose fetch state changed,
// except those in error backoff (replica.fetch.backoff.ms). If every partition is backing off,
// the fetcher sleeps until the first is due.
func (f *fetcher) send(s *sim.Sim) {
	if f.inflight || len(f.parts) == 0 {
		return
	}
	now := s.Now()
	req := f.newRequest(now)
	wake, active := sim.Never, false
	kept := f.changed[:0]
	for _, e := range f.changed {
		r := e.r
		if e.removed {
			continue
		}
		if r.fetchDelayedUntil > now {
			wake = min(wake, r.fetchDelayedUntil)
			kept = append(kept, e)
			continue
		}
		e.changed, e.sent = false, true
		req.parts = append(req.parts, fetchPart{p: r.p, offset: r.log.leo,
			leaderEpoch: r.leaderEpoch, lastFetchedEpoch: r.log.latestEpoch()})
	}
	clear(f.changed[len(kept):])
	f.changed = kept
	for _, e := range f.parts {
		if e.r.fetchDelayedUntil <= now {
			active = true
			break
		}
	}
	if !active {
		s.Arm(&f.backoff, sim.Event{At: wake, H: f})
		return
	}
	req.full, f.full = f.full, false
	req.forget = append(req.forget, f.forget...)
	clear(f.forget)
	f.forget = f.forget[:0]
	f.inflight = true
	f.conn.SendAt(s, max(f.sendTime, now), req, fetchOverhead+fetchPartOverhead*Bytes(len(req.parts)+len(req.forget)))
	// Armed no later than needed: a firing before this request's deadline re-arms (Handle), so
	// the queue does not fill with stale timeouts of answered requests.
	s.ArmEarlier(&f.timeout, sim.Event{At: now.Add(f.broker.cfg.ReplicaSocketTimeout), H: f, Kind: fetcherTimeout})
}

func (f *fetcher) newRequest(now sim.Time) *fetchRequest {
	cfg := f.broker.cfg
	req := f.req
	req.replica, req.follower, req.fetcherID = true, f.broker.ID, f.id
	req.maxWait, req.minBytes = cfg.ReplicaFetchWaitMax, cfg.ReplicaFetchMinBytes
	req.maxBytes, req.partMax, req.sentAt = cfg.ReplicaFetchResponseMaxBytes, cfg.ReplicaFetchMaxBytes, now
	req.gen++
	req.parts, req.forget = reuse(req.parts), reuse(req.forget)
	return req
}

// Fetcher events.
const (
	fetcherWake sim.Kind = iota
	fetcherTimeout
)

// Handle wakes the fetcher after a backoff, or fails a Fetch unanswered for
// replica.socket.timeout.ms.
func (f *fetcher) Handle(s *sim.Sim, ev *sim.Event) {
	if f.broker.down {
		return
	}
	if ev.Kind == fetcherTimeout {
		if deadline := f.req.sentAt.Add(f.broker.cfg.ReplicaSocketTimeout); f.inflight && s.Now() < deadline {
			s.Arm(&f.timeout, sim.Event{At: deadline, H: f, Kind: fetcherTimeout})
		} else {
			f.onRequestFailure(s)
		}
		return
	}
	now := s.Now()
	for _, e := range f.parts {
		if e.r.fetchDelayedUntil != 0 && e.r.fetchDelayedUntil <= now {
			e.r.fetchDelayedUntil = 0
			f.markChanged(e)
		}
	}
	f.send(s)
}

// onResponse appends what the leader sent (appendAsFollower), takes the leader's HW
// (follower HW = min(leader HW, LEO)), and sends the next Fetch once the appends are on disk.
func (f *fetcher) onResponse(s *sim.Sim, resp *fetchResponse) {
	if resp.gen != f.req.gen || !f.inflight {
		return
	}
	f.inflight = false
	b := f.broker
	if resp.err == ErrFetchSessionIDNotFound {
		// The leader restarted without this fetcher noticing: open a new session with every
		// partition (FetchSessionHandler.handleResponse).
		f.reopen()
		f.sendAt(s, s.Now())
		return
	}
	var appended int64
	for i := range resp.parts {
		appended += f.applyPart(s, resp.gen, &resp.parts[i])
	}
	b.metrics.ReplicationBytesIn += appended
	at := s.Now()
	if appended > 0 {
		at = b.disk.reserve(at, Bytes(appended)) // the next Fetch leaves once the append is written
	}
	f.sendAt(s, at)
}

// applyPart applies one partition of a fetch response and returns the bytes appended.
func (f *fetcher) applyPart(s *sim.Sim, gen uint64, d *fetchData) int64 {
	r := f.broker.replicaOf(d.p)
	if r == nil {
		return 0
	}
	sp := r.session
	if sp == nil || sp.f != f || sp.since >= gen || r.leader {
		return 0 // moved to another leader, or left and joined again, since the request
	}
	switch {
	case d.err != ErrNone:
		r.fetchDelayedUntil = s.Now().Add(f.broker.cfg.ReplicaFetchBackoff)
		f.markChanged(sp)
		if !f.backoff.Armed() || f.backoff.At() > r.fetchDelayedUntil {
			s.Arm(&f.backoff, sim.Event{At: r.fetchDelayedUntil, H: f})
		}
		return 0
	case d.diverging:
		f.broker.cluster.truncate(s, r, r.truncationOffset(d.divergeEpoch, d.divergeTo))
		f.markChanged(sp)
		return 0
	}
	var n int64
	if len(d.batches) > 0 && d.from == r.log.leo {
		start := r.log.leo
		r.log.appendBatches(d.batches, d.prevCum)
		r.disk.appended(r.log.leo, s.Now(), &r.p.flush)
		for _, b := range d.batches {
			r.remember(b.pid, b.seq, start, b.end, b.epoch)
			start = b.end
		}
		n = d.size()
		f.markChanged(sp)
		r.maybeTrim()
	}
	if hw := min(d.hw, r.log.leo); hw > r.log.hw {
		r.log.hw = hw
		f.broker.cluster.touch(r.p)
		r.onHWForConsumers(s) // consumers fetching from this follower (KIP-392)
	}
	return n
}

// onRequestFailure handles a Fetch that failed as a whole (the connection was reset or the
// request timed out): the request is lost, and every partition of the fetcher is retried after
// replica.fetch.backoff.ms (AbstractFetcherThread.processFetchRequest).
func (f *fetcher) onRequestFailure(s *sim.Sim) {
	if !f.inflight {
		return
	}
	f.inflight = false
	f.timeout.Stop()
	f.conn.Reset()
	f.req = f.req.giveUp() // a late response to the lost request is ignored
	f.reopen()
	s.ArmAfter(&f.backoff, f.broker.cfg.ReplicaFetchBackoff, sim.Event{H: f, Kind: fetcherWake})
}

// reopen makes the next Fetch a full one, opening a new session with every partition
// (FetchSessionHandler.handleError closes the session after a failed request).
func (f *fetcher) reopen() {
	f.full = true
	clear(f.forget)
	f.forget = f.forget[:0]
	for _, e := range f.parts {
		f.markChanged(e)
	}
}
