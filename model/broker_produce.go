package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// produceRequest is a Produce request: one batch per partition, for partitions led by one broker.
// It carries its batches by value, as the wire does, and nobody writes it once sent; the broker
// answers with a produceResponse that names it by its correlation id, unless acks=0.
type produceRequest struct {
	correlation int32
	acks        Acks
	timeout     time.Duration // the request's timeout field: the producer's request.timeout.ms
	batches     []batchData
	bytes       Bytes
	batchBuf    [4]batchData // most requests carry a few batches: one allocation holds them
}

// batchData is a record batch as a Produce request carries it.
type batchData struct {
	partition       *Partition
	records         int
	bytes           Bytes // uncompressed: the RecordBatch header and the records
	wire            Bytes // as sent, compressed in codec
	codec           Codec
	level           int
	ratios          *CompressionRatios // how compressible its records are (for a recompressing topic)
	pid, seq        int32              // idempotent producer id and first sequence (0: none)
	firstAt, lastAt sim.Time           // when its first and last records were handed to the producer
}

// produceResponse answers a Produce request, one result per batch in the request's order.
type produceResponse struct {
	correlation int32
	results     []batchResult
	resultBuf   [4]batchResult
}

// batchResult is one partition's answer: an error, or where the batch was appended.
type batchResult struct {
	baseOffset  Offset
	appendEpoch int32      // the leader epoch the records were appended in
	hint        leaderHint // KIP-951: the current leader, with NOT_LEADER_OR_FOLLOWER
	code        ErrorCode
}

// delayedProduce is a broker's handling of one Produce request: read at receivedAt, answered in
// resp, and held as a DelayedProduce while acks=all waits for the HW (reference §2.7).
type delayedProduce struct {
	req        *produceRequest // as received: read, never written
	conn       *Half
	connEpoch  int64 // the connection's epoch when the request was read (Half.Mute)
	receivedAt sim.Time
	resp       produceResponse
	waiting    int      // partitions still waiting for the HW
	expireAt   sim.Time // when the DelayedProduce expires
	done       bool
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
	op       *delayedProduce
	idx      int
}

// produceWaiters is a partition's DelayedProduce watch list. Required offsets rise in append
// order, so completions happen from the front.
type produceWaiters struct {
	q    []produceWait
	head int
}

// onProduce is ReplicaManager.appendRecords → Partition.appendRecordsToLeader (reference §2.7).
func (b *Broker) onProduce(s *sim.Sim, op *delayedProduce) {
	req := op.req
	op.resp.correlation = req.correlation
	op.resp.results = op.resp.resultBuf[:0]
	for range req.batches {
		op.resp.results = append(op.resp.results, batchResult{hint: leaderHint{leader: -1}})
	}
	b.appending = true
	defer b.completeDeferredFetches(s)
	// While the batches are appended, one wait holds the request: a partition whose HW rises at
	// once must not answer it before the later partitions are appended and waited on (§2.7: all
	// partitions reach their required offsets first).
	op.waiting++
	for i := range req.batches {
		bd := &req.batches[i]
		code := b.appendToLeader(s, op, i, bd)
		res := &op.resp.results[i]
		if code != ErrNone { // a HW that rose during the append may have set the code already
			res.code = code
		}
		if code == ErrNotLeaderOrFollower {
			res.hint = b.hint(bd.partition, code)
		}
		// BrokerTopicMetrics (ReplicaManager.appendToLocalLog): per partition; a partition this
		// broker does not lead is not a failed produce.
		b.metrics.ProduceRequests++
		if code != ErrNone && code != ErrNotLeaderOrFollower {
			b.metrics.FailedProduceRequests++
		}
	}
	op.waiting--
	b.appending = false
	switch {
	case req.acks == AcksNone:
		// No response: Kafka's NoOpResponse unmutes at once. But an error closes the connection
		// (KafkaApis.handleProduceRequest), so that the producer refreshes its metadata.
		for _, res := range op.resp.results {
			if res.code != ErrNone && op.conn.Epoch() == op.connEpoch {
				b.cluster.net.Refuse(s, op.conn)
				return
			}
		}
		op.conn.UnmuteEpoch(s, op.connEpoch)
		return
	case req.acks == AcksAll && op.waiting > 0:
		b.purgatory.add(s, b, op, s.Now().Add(req.timeout))
	default:
		b.respondProduce(s, op)
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
func (b *Broker) appendToLeader(s *sim.Sim, op *delayedProduce, i int, pb *batchData) ErrorCode {
	r := b.replicaOf(pb.partition)
	if r == nil || !r.leader {
		return ErrNotLeaderOrFollower
	}
	res := &op.resp.results[i]
	if op.req.acks == AcksAll && r.underMinISR() {
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
		res.baseOffset, res.appendEpoch = dup.base, dup.epoch
		if op.req.acks == AcksAll && r.log.hw < dup.end {
			op.waiting++
			r.produces.add(produceWait{required: dup.end, op: op, idx: i})
		}
		return ErrNone
	}
	if st.outOfOrder(pb.seq) {
		return ErrOutOfOrderSequenceNumber // nothing is appended
	}
	codec, level := storedCoding(pb)
	r.log.appendCoded(int64(pb.records), storedSize(pb), pb.bytes, codec, level, r.leaderEpoch, pb.firstAt, pb.lastAt)
	r.log.tagLast(pb.pid, pb.seq)
	r.disk.appended(r.log.leo, s.Now(), &r.p.flush)
	if st != nil {
		st.remember(pidBatch{seq: pb.seq, base: r.log.leo - Offset(pb.records), end: r.log.leo, epoch: r.leaderEpoch})
	} else {
		r.remember(pb.pid, pb.seq, r.log.leo-Offset(pb.records), r.log.leo, r.leaderEpoch)
	}
	b.metrics.BytesIn += int64(pb.wire)
	res.baseOffset, res.appendEpoch = r.log.leo-Offset(pb.records), r.leaderEpoch
	r.maybeTrim()
	r.onAppendForSessions(s)
	if op.req.acks == AcksAll {
		op.waiting++
		r.produces.add(produceWait{required: r.log.leo, op: op, idx: i})
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
		if x.op.done {
			continue
		}
		if r.maximal.size() < int(r.p.minISR) {
			x.op.resp.results[x.idx].code = ErrNotEnoughReplicasAfterAppend
		}
		x.op.waiting--
		if x.op.waiting == 0 {
			r.broker.respondProduce(s, x.op)
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
func (op *delayedProduce) expire(s *sim.Sim, b *Broker) {
	b.metrics.ProduceExpires++
	for i := range op.req.batches {
		pb, res := &op.req.batches[i], &op.resp.results[i]
		if res.code == ErrNone && pb.partition != nil {
			if r := b.replicaOf(pb.partition); r == nil || r.log.hw < res.baseOffset+Offset(pb.records) {
				res.code = ErrRequestTimedOut
			}
		}
	}
	b.respondProduce(s, op)
}

// respondProduce answers op's request. The response is op's, which the broker no longer writes.
func (b *Broker) respondProduce(s *sim.Sim, op *delayedProduce) {
	op.done = true
	b.purgatory.rearm(s, b)
	b.cluster.metrics.observeProduceTime(s.Now().Sub(op.receivedAt))
	op.conn.Reply(s, op.connEpoch, &op.resp, produceOverhead+16*Bytes(len(op.resp.results)))
}

// producePurgatory holds a broker's DelayedProduce operations in expiry order, with one timer
// for the earliest (Kafka keeps them in a timing wheel). Completed operations leave the list
// when they reach its front.
type producePurgatory struct {
	ops   []*delayedProduce
	head  int
	timer sim.Timer
}

func (pg *producePurgatory) add(s *sim.Sim, b *Broker, op *delayedProduce, at sim.Time) {
	op.expireAt = at
	i := len(pg.ops)
	pg.ops = append(pg.ops, op)
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
		op := pg.ops[pg.head]
		pg.ops[pg.head] = nil
		pg.head++
		if !op.done {
			op.expire(s, b)
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
		s.ArmEarlier(&pg.timer, sim.Event{At: pg.ops[pg.head].expireAt, H: pg, Data: b})
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
