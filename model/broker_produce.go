package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// produceRequest is a Produce request: one batch per partition, for partitions led by one broker.
// The broker answers on the same struct (results filled in) unless acks=0.
type produceRequest struct {
	conn       *Half
	connEpoch  int64 // the connection's epoch when the request was read (Half.Mute)
	producer   *Producer
	acks       Acks
	timeout    time.Duration // the request's timeout field: the producer's request.timeout.ms
	batches    []*producerBatch
	results    []ErrorCode
	hints      []leaderHint // KIP-951: the current leader, with NOT_LEADER_OR_FOLLOWER
	bytes      Bytes
	sentAt     sim.Time
	receivedAt sim.Time

	// broker side: the DelayedProduce (reference §2.7)
	waiting  int      // partitions still waiting for the HW
	expireAt sim.Time // when the DelayedProduce expires
	done     bool

	// Backing arrays for batches and results: most requests carry a few batches, so one
	// allocation holds the request and its lists.
	batchBuf  [4]*producerBatch
	resultBuf [4]ErrorCode
}

// leaderHint is the currentLeader a broker puts in a NOT_LEADER_OR_FOLLOWER answer (KIP-951).
type leaderHint struct {
	leader BrokerID
	epoch  int32
}

// produceOverhead is the wire size of a Produce request or response beyond its record batches.
const produceOverhead = 120

// produceWait is one partition of a DelayedProduce waiting for the HW to reach required.
type produceWait struct {
	required Offset
	req      *produceRequest
	idx      int
}

// produceWaiters is a partition's DelayedProduce watch list. Required offsets rise in append
// order, so completions happen from the front.
type produceWaiters struct {
	q    []produceWait
	head int
}

// onProduce is ReplicaManager.appendRecords → Partition.appendRecordsToLeader (reference §2.7).
func (b *Broker) onProduce(s *sim.Sim, req *produceRequest) {
	req.results, req.hints = append(req.results[:0], make([]ErrorCode, len(req.batches))...), nil
	b.appending = true
	defer b.completeDeferredFetches(s)
	// While the batches are appended, one wait holds the request: a partition whose HW rises at
	// once must not answer it before the later partitions are appended and waited on (§2.7: all
	// partitions reach their required offsets first).
	req.waiting++
	for i, pb := range req.batches {
		code := b.appendToLeader(s, req, i, pb)
		if code != ErrNone {
			req.results[i] = code
		}
		if code == ErrNotLeaderOrFollower {
			if req.hints == nil {
				req.hints = make([]leaderHint, len(req.batches))
				for k := range req.hints {
					req.hints[k].leader = -1
				}
			}
			req.hints[i] = b.hint(pb.partition, code)
		}
		// BrokerTopicMetrics (ReplicaManager.appendToLocalLog): per partition; a partition this
		// broker does not lead is not a failed produce.
		b.metrics.ProduceRequests++
		if code != ErrNone && code != ErrNotLeaderOrFollower {
			b.metrics.FailedProduceRequests++
		}
	}
	req.waiting--
	b.appending = false
	switch {
	case req.acks == AcksNone:
		// No response: Kafka's NoOpResponse unmutes at once. But an error closes the connection
		// (KafkaApis.handleProduceRequest), so that the producer refreshes its metadata.
		for _, code := range req.results {
			if code != ErrNone && req.conn.Epoch() == req.connEpoch {
				b.cluster.net.Refuse(s, req.conn)
				return
			}
		}
		req.conn.UnmuteEpoch(s, req.connEpoch)
		return
	case req.acks == AcksAll && req.waiting > 0:
		b.purgatory.add(s, b, req, s.Now().Add(req.timeout))
	default:
		b.respondProduce(s, req)
	}
}

// deferFetch holds ls's parked Fetch for completion after the request being appended.
func (b *Broker) deferFetch(ls *leaderSession) {
	for _, g := range b.deferred {
		if g == ls {
			return
		}
	}
	b.deferred = append(b.deferred, ls)
}

// completeDeferredFetches is tryCompleteActions for the follower Fetches the appends of one
// Produce request could complete.
func (b *Broker) completeDeferredFetches(s *sim.Sim) {
	for i, ls := range b.deferred {
		b.deferred[i] = nil
		if pf := ls.parked; pf != nil && !pf.done {
			b.tryCompleteSession(s, ls)
		}
	}
	b.deferred = b.deferred[:0]
}

// appendToLeader appends one batch and, for acks=all, registers the wait for the HW.
func (b *Broker) appendToLeader(s *sim.Sim, req *produceRequest, i int, pb *producerBatch) ErrorCode {
	r := b.replicaOf(pb.partition)
	if r == nil || !r.leader {
		return ErrNotLeaderOrFollower
	}
	if req.acks == AcksAll && r.underMinISR() {
		return ErrNotEnoughReplicas // nothing is appended
	}
	var st *pidState
	if pb.pid != 0 {
		st = r.pids.find(pb.pid)
	}
	if dup, ok := st.duplicate(pb.seq); ok {
		// DUPLICATE_SEQUENCE_NUMBER is answered as success with the original offsets; the records
		// are those of the original append, in its leader epoch (an earlier attempt of this batch
		// may have been appended, and lost, on another leader in another epoch).
		pb.baseOffset, pb.appendEpoch = dup.base, dup.epoch
		if req.acks == AcksAll && r.log.hw < dup.end {
			req.waiting++
			r.produces.add(produceWait{required: dup.end, req: req, idx: i})
		}
		return ErrNone
	}
	if st.outOfOrder(pb.seq) {
		return ErrOutOfOrderSequenceNumber // nothing is appended
	}
	r.log.appendCoded(int64(pb.records), storedSize(pb), pb.bytes, pb.partition.storedCodec(pb.codec), r.leaderEpoch, pb.firstAt(), pb.lastAt())
	r.log.tagLast(pb.pid, pb.seq)
	r.disk.appended(r.log.leo, s.Now(), &r.p.flush)
	if st != nil {
		st.remember(pidBatch{seq: pb.seq, base: r.log.leo - Offset(pb.records), end: r.log.leo, epoch: r.leaderEpoch})
	} else {
		r.remember(pb.pid, pb.seq, r.log.leo-Offset(pb.records), r.log.leo, r.leaderEpoch)
	}
	b.metrics.BytesIn += int64(pb.wire)
	pb.baseOffset, pb.appendEpoch = r.log.leo-Offset(pb.records), r.leaderEpoch
	r.p.maybeTrim()
	r.onAppendForSessions(s)
	if req.acks == AcksAll {
		req.waiting++
		r.produces.add(produceWait{required: r.log.leo, req: req, idx: i})
	}
	r.afterHWMayRise(s)
	return ErrNone
}

func (w *produceWaiters) add(x produceWait) { w.q = append(w.q, x) }

// complete finishes every wait whose required offset the HW has reached
// (Partition.checkEnoughReplicasReachOffset).
func (w *produceWaiters) complete(s *sim.Sim, r *Replica) {
	for w.head < len(w.q) && w.q[w.head].required <= r.log.hw {
		x := w.q[w.head]
		w.q[w.head] = produceWait{}
		w.head++
		if x.req.done {
			continue
		}
		if r.maximal.size() < r.p.minISR {
			x.req.results[x.idx] = ErrNotEnoughReplicasAfterAppend
		}
		x.req.waiting--
		if x.req.waiting == 0 {
			r.broker.respondProduce(s, x.req)
		}
	}
	if w.head == len(w.q) {
		w.q, w.head = w.q[:0], 0
	} else if w.head > 64 && w.head > len(w.q)/2 {
		n := copy(w.q, w.q[w.head:])
		clear(w.q[n:])
		w.q, w.head = w.q[:n], 0
	}
}

// expire answers a DelayedProduce after the request timeout: partitions still waiting answer
// REQUEST_TIMED_OUT (DelayedProduce.onExpiration).
func (req *produceRequest) expire(s *sim.Sim, b *Broker) {
	b.metrics.ProduceExpires++
	for i, pb := range req.batches {
		if req.results[i] == ErrNone && pb.partition != nil {
			if r := b.replicaOf(pb.partition); r == nil || r.log.hw < pb.baseOffset+Offset(pb.records) {
				req.results[i] = ErrRequestTimedOut
			}
		}
	}
	b.respondProduce(s, req)
}

func (b *Broker) respondProduce(s *sim.Sim, req *produceRequest) {
	req.done = true
	b.purgatory.rearm(s, b)
	b.cluster.metrics.observeProduceTime(s.Now().Sub(req.receivedAt))
	req.conn.Reply(s, req.connEpoch, req, produceOverhead+16*Bytes(len(req.batches)))
}

// producePurgatory holds a broker's DelayedProduce operations in expiry order, with one timer
// for the earliest (Kafka keeps them in a timing wheel). Completed operations leave the list
// when they reach its front.
type producePurgatory struct {
	ops   []*produceRequest
	head  int
	timer sim.Timer
}

func (pg *producePurgatory) add(s *sim.Sim, b *Broker, req *produceRequest, at sim.Time) {
	req.expireAt = at
	i := len(pg.ops)
	pg.ops = append(pg.ops, req)
	for i > pg.head && pg.ops[i-1].expireAt > at { // timeouts differ per producer: keep the order
		pg.ops[i], pg.ops[i-1] = pg.ops[i-1], pg.ops[i]
		i--
	}
	pg.rearm(s, b)
}

// Handle expires the operations that are due.
func (pg *producePurgatory) Handle(s *sim.Sim, ev *sim.Event) {
	b := ev.Data.(*Broker)
	now := s.Now()
	for pg.head < len(pg.ops) && pg.ops[pg.head].expireAt <= now {
		req := pg.ops[pg.head]
		pg.ops[pg.head] = nil
		pg.head++
		if !req.done {
			req.expire(s, b)
		}
	}
	pg.rearm(s, b)
}

// rearm drops completed operations from the front and sets the timer for the next expiry.
func (pg *producePurgatory) rearm(s *sim.Sim, b *Broker) {
	for pg.head < len(pg.ops) && pg.ops[pg.head].done {
		pg.ops[pg.head] = nil
		pg.head++
	}
	if pg.head > 64 && pg.head > len(pg.ops)/2 {
		n := copy(pg.ops, pg.ops[pg.head:])
		clear(pg.ops[n:])
		pg.ops, pg.head = pg.ops[:n], 0
	}
	if pg.head < len(pg.ops) {
		armEarlier(s, &pg.timer, sim.Event{At: pg.ops[pg.head].expireAt, H: pg, Data: b})
	}
}

// hint returns the leader the broker's metadata names for p when it answers
// NOT_LEADER_OR_FOLLOWER (KIP-951), else an empty hint.
func (b *Broker) hint(p *Partition, code ErrorCode) leaderHint {
	st := b.image.parts.get(p.idx)
	if code != ErrNotLeaderOrFollower || st.leader < 0 {
		return leaderHint{leader: -1}
	}
	return leaderHint{leader: p.Replicas[st.leader], epoch: st.leaderEpoch}
}
