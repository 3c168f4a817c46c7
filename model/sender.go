package model

import (
	"github.com/stretchsim/stretchsim/sim"
)

// runSender is Sender.sendProducerData: expire batches past delivery.timeout.ms, find the brokers
// with a sendable batch (full, lingered, retrying after backoff, or memory exhausted), drain
// requests to them while max.in.flight.requests.per.connection allows, and sleep until the next
// linger or backoff deadline.
func (p *Producer) runSender(s *sim.Sim) {
	now := s.Now()
	if p.expiry.Armed() && now >= p.expiry.At() || !p.expiry.Armed() {
		p.expireBatches(s) // only when the oldest queued batch may have expired
	}
	if len(p.bumps) > 0 {
		p.applyEpochBumps()
	}
	next := sim.Never
	p.unknownLeader = false
	for {
		ready, wake := p.readyNodes(now)
		next = wake
		// Sender.sendProducerData drains every ready node, closing (and so compressing the last
		// chunk of) each batch on the sender thread, and only then are the requests written
		// (sendProduceRequests, then NetworkClient.poll): each leaves once every batch drained in
		// this pass is ready.
		pass := p.passBuf[:0]
		at := now
		for bi, ok := range ready {
			if ok && p.canSend(bi, now) {
				if sent, size := p.drain(bi, now); sent != nil {
					pass = append(pass, drained{bi: bi, sent: sent, size: size})
					for _, b := range sent.batches {
						at = max(at, b.readyAt)
					}
				}
			}
		}
		for _, d := range pass {
			p.send(s, d.bi, d.sent, d.size, at)
		}
		clear(pass)
		p.passBuf = pass[:0]
		if len(pass) == 0 {
			break
		}
	}
	if p.unknownLeader {
		p.meta.request(s)
	}
	p.trackInFlight(now)
	s.ArmEarlier(&p.wake, sim.Event{At: next, H: p, Kind: producerWake})
	// The expiry timer, while armed, is no later than the oldest queued batch's deadline: a new
	// batch is never older than those queued, and a batch queued again for a retry re-arms it
	// (finishAttempt). So the queue is scanned only when the timer has fired.
	if !p.expiry.Armed() {
		oldest := sim.Never
		for _, i := range p.nonEmpty {
			oldest = min(oldest, (*p.deques[i].Front()).createdAt.Add(p.cfg.DeliveryTimeout))
		}
		s.ArmEarlier(&p.expiry, sim.Event{At: oldest, H: p, Kind: producerWake})
	}
}

// readyNodes is RecordAccumulator.ready followed by Sender.sendProducerData's NetworkClient.ready
// check: per broker index, whether the node can take a request now and some partition it leads
// has a sendable first batch; and the earliest time the sender has something to do. As in Kafka,
// a partition is not examined once its leader is ready, nor when its leader cannot take a request:
// the sender runs again when that changes (a response, a completed write: Drained), or, for a
// node in reconnect backoff, when the backoff ends (pollDelayMs).
func (p *Producer) readyNodes(now sim.Time) ([]bool, sim.Time) {
	ready, closed := p.readyBuf[:len(p.nodes)], p.closedBuf[:len(p.nodes)]
	next, open := sim.Never, false
	for bi := range ready {
		ready[bi], closed[bi] = false, !p.canSend(bi, now)
		open = open || !closed[bi]
		if at := p.nodes[bi].reconnectAt; at > now {
			next = min(next, at)
		}
	}
	if !open && p.meta.unknown == 0 {
		return ready, next // no node can take a request, and no partition lacks a leader
	}
	for _, i := range p.nonEmpty {
		leader := p.meta.leaders[i]
		if leader < 0 {
			p.unknownLeader = true // sendProducerData: unknownLeaderTopics → metadata.requestUpdate
			continue
		}
		bi := p.cluster.brokerIndex(leader)
		if ready[bi] || closed[bi] {
			continue
		}
		if at := p.sendableAt(i); at <= now {
			ready[bi] = true
		} else {
			next = min(next, at)
		}
	}
	return ready, next
}

// canSend is NetworkClient.ready: connected, fewer than max.in.flight requests outstanding, and
// the previous request fully written to the socket.
func (p *Producer) canSend(bi int, now sim.Time) bool {
	n := &p.nodes[bi]
	return now >= n.reconnectAt && len(n.inflight) < p.cfg.MaxInFlight && n.conn.Idle()
}

// trackInFlight updates the max-in-flight accounting: a node waits for it when it has
// max.in.flight.requests.per.connection requests outstanding and a partition it leads has a first
// batch that readyNodes would find sendable. (A batch that became sendable while the node was at
// the limit is seen at the producer's next event.)
func (p *Producer) trackInFlight(now sim.Time) {
	full := p.closedBuf[:len(p.nodes)] // readyNodes' result is spent by now
	nfull := 0
	for bi := range p.nodes {
		full[bi] = len(p.nodes[bi].inflight) >= p.cfg.MaxInFlight
		if full[bi] {
			nfull++
		}
	}
	if nfull == 0 && p.limited == 0 {
		return // no node at the limit, none counted as waiting
	}
	want := p.readyBuf[:len(p.nodes)]
	clear(want)
	if nfull > 0 && !p.down {
		for _, i := range p.nonEmpty {
			if nfull == 0 {
				break // every node at the limit has a batch waiting for it
			}
			leader := p.meta.leaders[i]
			if leader < 0 {
				continue
			}
			bi := p.cluster.brokerIndex(leader)
			if !full[bi] || want[bi] {
				continue
			}
			if want[bi] = p.sendableAt(i) <= now; want[bi] {
				nfull--
			}
		}
	}
	for bi := range p.nodes {
		if n := &p.nodes[bi]; n.atLimit != want[bi] {
			n.atLimit = p.flightWait.set(n.atLimit, want[bi], now)
			if want[bi] {
				p.limited++
			} else {
				p.limited--
			}
		}
	}
}

// drained is a request drained for broker bi in one pass of the sender, not yet written.
type drained struct {
	bi   int
	sent *sentRequest
	size Bytes
}

// drain is RecordAccumulator.drain for one broker: the first batch of each partition it leads,
// rotating the start, up to max.request.size. It returns the request and its size, or nil.
func (p *Producer) drain(bi int, now sim.Time) (*sentRequest, Bytes) {
	batches, size := p.drainBuf[:0], Bytes(produceOverhead)
	n := len(p.nonEmpty)
	start := p.drainIndex
	for k := 0; k < n; k++ {
		i := p.nonEmpty[(start+k)%n]
		if p.meta.leaders[i] < 0 || p.cluster.brokerIndex(p.meta.leaders[i]) != bi {
			continue
		}
		b := *p.deques[i].Front()
		if b.attempts > 0 && now < b.retryAt {
			continue
		}
		if len(batches) > 0 && size+p.sizeOf(b) > p.cfg.MaxRequestSize {
			break
		}
		if !b.closed {
			p.trigStale = true // an open batch leaves: the next record to its partition starts one
		}
		if p.cfg.EnableIdempotence && b.pid == 0 {
			b.pid, b.seq = p.pidKey(i), p.nextSeq[i] // sequences are fixed at the first drain
			p.nextSeq[i] += int32(b.records)
		}
		b.closed, b.inflight, b.lastTry, b.leader = true, true, now, p.meta.leaders[i]
		b.attempts++
		if b.wire == 0 {
			p.close(b, now)
		}
		batches = append(batches, b)
		size += b.wire
		p.drainIndex = (start + k + 1) % max(n, 1)
	}
	p.drainBuf = batches[:0]
	if len(batches) == 0 {
		return nil, 0
	}
	p.correlation++
	var sent *sentRequest
	if n := len(p.spareReqs); n > 0 {
		sent = p.spareReqs[n-1]
		p.spareReqs[n-1] = nil
		p.spareReqs = p.spareReqs[:n-1]
		sent.correlation = p.correlation
	} else {
		sent = &sentRequest{correlation: p.correlation}
	}
	sent.batches = append(sent.batchBuf[:0], batches...)
	clear(batches)
	for _, b := range sent.batches {
		p.popFirst(b.pidx)
	}
	return sent, size
}

// send writes the request of sent, size bytes, to broker bi's connection and starts its request
// timeout. With compression the request leaves at at, once the batches of its sender pass are
// compressed (readyAt, compression.go): until then its batches wait for the producer's threads
// (compression).
func (p *Producer) send(s *sim.Sim, bi int, sent *sentRequest, size Bytes, at sim.Time) {
	n := &p.nodes[bi]
	n.connected = true
	sent.sentAt = at
	req := &sent.req
	*req = produceRequest{correlation: sent.correlation, acks: p.cfg.Acks, timeout: p.cfg.RequestTimeout, bytes: size,
		batches: req.batches[:0]}
	if req.batches == nil {
		req.batches = req.batchBuf[:0]
	}
	for _, b := range sent.batches {
		req.batches = append(req.batches, batchData{partition: b.partition, records: b.records, bytes: b.bytes, wire: b.wire,
			codec: b.codec, level: b.level, ratios: b.ratios, pid: b.pid, seq: b.seq, firstAt: b.firstAt(), lastAt: b.lastAt()})
	}
	p.compressWait.addSpan(s.Now(), s.Now(), sent.sentAt)
	n.conn.SendAt(s, sent.sentAt, req, req.bytes)
	if req.acks == AcksNone { // no response: done once written
		if sent.sentAt > s.Now() { // once its batches are compressed
			s.Schedule(sim.Event{At: sent.sentAt, H: p, Kind: producerWritten, Data: sent})
			return
		}
		for _, b := range sent.batches {
			p.complete(s, b, batchResult{})
		}
		return
	}
	n.inflight = append(n.inflight, sent)
	s.ArmEarlier(&n.timeout, sim.Event{At: sent.sentAt.Add(p.cfg.RequestTimeout), H: p, Kind: producerRequestTimeout, A: int64(bi)})
}

// onResponse is Sender.handleProduceResponse: complete, retry or fail each batch.
// The response came on c, the reverse of the request's connection.
func (p *Producer) onResponse(s *sim.Sim, c *Half, resp *produceResponse) {
	bi := -1
	for i := range p.nodes {
		if p.nodes[i].conn == c.Peer() {
			bi = i
			break
		}
	}
	if bi < 0 {
		return
	}
	n := &p.nodes[bi]
	var sent *sentRequest
	for i, r := range n.inflight {
		if r.correlation == resp.correlation {
			sent = r
			n.inflight = append(n.inflight[:i], n.inflight[i+1:]...)
			break
		}
	}
	if sent == nil {
		return // the request was already failed by a disconnect
	}
	n.failures = 0 // the connection works
	p.rearmTimeout(s, bi)
	for i, b := range sent.batches {
		res := resp.results[i]
		if h := res.hint; h.leader >= 0 && p.meta.hint(b.pidx, h.leader, h.epoch) {
			b.newLeader = true // KIP-951: the retry goes to the new leader without backoff
		}
		p.finishAttempt(s, b, res)
	}
	clear(sent.batches)
	p.spareReqs = append(p.spareReqs, sent)
}

// onRequestTimeout disconnects from a broker whose oldest request is older than
// request.timeout.ms (NetworkClient.handleTimedOutRequests): every in-flight request on that
// connection fails with a network error and the client reconnects after reconnect.backoff.ms.
func (p *Producer) onRequestTimeout(s *sim.Sim, bi int) {
	n := &p.nodes[bi]
	now := s.Now()
	if len(n.inflight) == 0 || now < n.inflight[0].sentAt.Add(p.cfg.RequestTimeout) {
		p.rearmTimeout(s, bi)
		return
	}
	n.conn.Reset()
	p.dropNode(s, bi)
	p.meta.request(s)
}

// dropNode forgets the connection to broker bi: every request in flight on it fails with a
// network error, and the client reconnects after reconnect.backoff.ms, growing exponentially
// to reconnect.backoff.max.ms (1 s) while connections keep failing (ClusterConnectionStates).
func (p *Producer) dropNode(s *sim.Sim, bi int) {
	n := &p.nodes[bi]
	failed := n.inflight
	n.inflight = nil
	n.timeout.Stop()
	n.connected = false
	p.meta.connReset(n.conn) // a metadata request on the connection went with it
	n.failures++
	n.reconnectAt = s.Now().Add(exponentialBackoff(p.cfg.ReconnectBackoff, p.cfg.ReconnectBackoffMax, 0.2, n.failures-1, p.rnd))
	p.metrics.Disconnects++
	for _, req := range failed {
		for _, b := range req.batches {
			p.finishAttempt(s, b, batchResult{code: ErrNetworkException})
		}
	}
}

// Disconnected handles a connection reset by a broker (its process died): every request in
// flight on it fails with a network error, the client reconnects after reconnect.backoff.ms and
// refreshes its metadata (NetworkClient.handleDisconnections).
func (p *Producer) Disconnected(s *sim.Sim, c *Half) {
	if p.down {
		return
	}
	p.settle(s, false)
	for bi := range p.nodes {
		n := &p.nodes[bi]
		if n.conn == c {
			p.dropNode(s, bi)
		}
	}
	if c == p.meta.inflightConn {
		p.meta.inflight = nil
	}
	p.meta.request(s)
	p.catchUp(s, s.Now())
	p.runSender(s)
	p.armTrigger(s)
}

// rearmTimeout makes sure the node's timer fires no later than its oldest request's deadline. A
// timer that fires early finds nothing expired and re-arms (onRequestTimeout), which leaves
// fewer stale firings in the queue than re-arming on every response.
func (p *Producer) rearmTimeout(s *sim.Sim, bi int) {
	n := &p.nodes[bi]
	if len(n.inflight) == 0 {
		return
	}
	s.ArmEarlier(&n.timeout, sim.Event{At: n.inflight[0].sentAt.Add(p.cfg.RequestTimeout), H: p, Kind: producerRequestTimeout, A: int64(bi)})
}

// finishAttempt is Sender.completeBatch for one batch: success, a retry after backoff, or
// failure when the error is not retriable, retries are spent or delivery.timeout.ms has passed.
func (p *Producer) finishAttempt(s *sim.Sim, b *producerBatch, res batchResult) {
	now := s.Now()
	b.inflight = false
	code := res.code
	if code == ErrNone {
		p.complete(s, b, res)
		return
	}
	p.metrics.Errors[code]++
	if code.InvalidatesMetadata() {
		p.meta.request(s)
	}
	retriable := code.Retriable()
	if code == ErrOutOfOrderSequenceNumber {
		// TransactionManager.canRetry: an idempotent producer retries every
		// OUT_OF_ORDER_SEQUENCE_NUMBER. A batch that is not the next in sequence, or whose
		// sequence an epoch bump reset after its request was written (sequenceHasBeenReset), waits
		// for the batch before it; the next batch in sequence shows a real gap, and the producer
		// bumps its epoch for the partition (requestEpochBumpForPartition). Kafka also holds the
		// bump while a sequence is unresolved (a batch expired in flight); the model has no
		// unresolved sequences.
		retriable = true
		if !b.seqReset && b.seq == p.ackedSeq[b.pidx] {
			p.requestEpochBump(b)
		}
	}
	if !retriable || b.attempts > p.cfg.Retries || now >= b.createdAt.Add(p.cfg.DeliveryTimeout) {
		p.fail(s, b, code)
		return
	}
	b.lastTry = now
	b.retryAt = now.Add(p.backoff(b.attempts))
	if b.newLeader {
		b.retryAt, b.newLeader = now, false
	}
	p.reenqueue(b)
	s.ArmEarlier(&p.expiry, sim.Event{At: b.createdAt.Add(p.cfg.DeliveryTimeout), H: p, Kind: producerWake})
}

// expireBatches fails queued batches older than delivery.timeout.ms (KIP-91). The oldest batch
// of a partition is first in its deque, so only the fronts need checking.
func (p *Producer) expireBatches(s *sim.Sim) {
	now := s.Now()
	var expired []*producerBatch
	for _, i := range p.nonEmpty {
		for _, b := range p.deques[i].All() {
			if now < b.createdAt.Add(p.cfg.DeliveryTimeout) {
				break
			}
			expired = append(expired, b)
		}
	}
	for _, b := range expired {
		p.popFirst(b.pidx)
		p.fail(s, b, ErrDeliveryTimeout)
	}
}

// nodeLoad ranks broker bi for a metadata request (leastLoadedNode): connected brokers by their
// requests in flight, then unconnected ones, then those not ready; brokers in reconnect backoff are
// skipped.
func (p *Producer) nodeLoad(bi int, now sim.Time) int {
	n := &p.nodes[bi]
	if now < n.reconnectAt {
		return -1
	}
	if !n.connected {
		return 1 << 20
	}
	if len(n.inflight) >= p.cfg.MaxInFlight || !n.conn.Idle() {
		// Not ready (NetworkClient.isReady): Kafka would pick any other node first; a metadata
		// request here would wait unread behind the requests in flight.
		return 1 << 21
	}
	return len(n.inflight)
}
