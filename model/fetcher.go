package model

import "github.com/stretchsim/stretchsim/sim"

// fetcher is a ReplicaFetcherThread (reference §2.2): one per (follower broker, leader broker,
// fetcher id), with its own connection, and at most one Fetch outstanding covering all its
// partitions. After a response it appends what it got and sends the next Fetch at once.
type fetcher struct {
	broker   *Broker // the follower
	leader   *Broker
	id       int
	conn     *Half
	parts    []*Replica
	inflight bool
	backoff  sim.Timer
	req      fetchRequest // reused round after round
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
		// The follower receives the data: its replica.socket.receive.buffer.bytes is the window
		// leader→follower; the leader's socket.receive.buffer.bytes limits the requests.
		conn := b.cluster.net.Connect(b.node, leader.node, leader.cfg.SocketReceiveBuffer, b.cfg.ReplicaSocketReceiveBuffer)
		b.fetchers[i] = &fetcher{broker: b, leader: leader, id: id, conn: conn}
	}
	return b.fetchers[i]
}

// add makes r fetch from this fetcher's leader (AbstractFetcherThread.addPartitions). The
// partition joins the next Fetch; an outstanding one is not interrupted.
func (f *fetcher) add(r *Replica) {
	r.fetcher = f
	r.fetchDelayedUntil = 0
	f.parts = append(f.parts, r)
}

// remove stops fetching r (leadership moved).
func (f *fetcher) remove(r *Replica) {
	for i, x := range f.parts {
		if x == r {
			f.parts = append(f.parts[:i], f.parts[i+1:]...)
			break
		}
	}
	if r.fetcher == f {
		r.fetcher = nil
	}
}

// send issues the next Fetch unless one is outstanding. Partitions in error backoff
// (replica.fetch.backoff.ms) sit out; if all do, the fetcher sleeps until the first is due.
func (f *fetcher) send(s *sim.Sim) {
	if f.inflight || len(f.parts) == 0 {
		return
	}
	now := s.Now()
	cfg := f.broker.cfg
	req := &f.req
	req.fetcher, req.maxWait, req.minBytes = f, cfg.ReplicaFetchWaitMax, cfg.ReplicaFetchMinBytes
	req.maxBytes, req.partMax, req.sentAt = cfg.ReplicaFetchResponseMaxBytes, cfg.ReplicaFetchMaxBytes, now
	req.gen++
	req.parts = req.parts[:0]
	wake := sim.Never
	size := Bytes(fetchOverhead)
	for _, r := range f.parts {
		if r.fetchDelayedUntil > now {
			wake = min(wake, r.fetchDelayedUntil)
			continue
		}
		req.parts = append(req.parts, fetchPart{p: r.p, rep: r.p.reps[f.leaderPos(r)], own: r, offset: r.log.leo,
			leaderEpoch: r.leaderEpoch, lastFetchedEpoch: r.log.latestEpoch()})
		if r.lastSentOffset != r.log.leo { // incremental fetch sessions (KIP-227) send changes only
			size += fetchPartOverhead
			r.lastSentOffset = r.log.leo
		}
	}
	if len(req.parts) == 0 {
		s.Arm(&f.backoff, sim.Event{At: wake, H: f})
		return
	}
	f.inflight = true
	f.conn.Send(s, req, size)
}

// Handle wakes the fetcher after a backoff.
func (f *fetcher) Handle(s *sim.Sim, _ *sim.Event) { f.send(s) }

// onResponse appends what the leader sent (appendAsFollower), takes the leader's HW
// (follower HW = min(leader HW, LEO)), and schedules the next Fetch once the appends are on disk.
func (f *fetcher) onResponse(s *sim.Sim, resp *fetchResponse) {
	if resp.req.gen != f.req.gen || !f.inflight {
		return
	}
	f.inflight = false
	b := f.broker
	var appended int64
	for i := range resp.parts {
		appended += f.applyPart(s, &resp.req.parts[i], &resp.parts[i])
	}
	b.metrics.ReplicationBytesIn += appended
	if appended > 0 && b.disk.nsPerByte > 0 {
		at := b.disk.reserve(s.Now(), Bytes(appended))
		s.Schedule(sim.Event{At: at, H: b, Kind: brokerFetcherSend, Data: f})
		return
	}
	f.send(s)
}

// applyPart applies one partition of a fetch response and returns the bytes appended.
func (f *fetcher) applyPart(s *sim.Sim, fp *fetchPart, d *fetchData) int64 {
	r := fp.own
	if r.fetcher != f || r.leader {
		return 0 // moved to another leader meanwhile
	}
	switch {
	case d.err != ErrNone:
		r.fetchDelayedUntil = s.Now().Add(f.broker.cfg.ReplicaFetchBackoff)
		return 0
	case d.diverging:
		f.broker.cluster.truncate(s, r, d.divergeTo)
		return 0
	case fp.offset != r.log.leo:
		return 0 // stale: the log changed since the request
	}
	var n int64
	if len(d.batches) > 0 {
		r.log.appendBatches(d.batches, d.prevCum)
		n = d.batches[len(d.batches)-1].cum - d.prevCum
	}
	if hw := min(d.hw, r.log.leo); hw > r.log.hw {
		r.log.hw = hw
		r.wakeWatchers(s, true) // consumers fetching from this follower (KIP-392)
	}
	return n
}

// leaderPos returns the position of this fetcher's leader in r's partition.
func (f *fetcher) leaderPos(r *Replica) int {
	for i, id := range r.p.Replicas {
		if id == f.leader.ID {
			return i
		}
	}
	return 0
}
