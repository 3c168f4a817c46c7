package model

import (
	"math"

	"github.com/stretchsim/stretchsim/sim"
)

// recordBatchOverhead is the size of a RecordBatch header (DefaultRecordBatch.RECORD_BATCH_OVERHEAD).
const recordBatchOverhead = 61

// producerBatch is a ProducerBatch: records for one partition, sent together.
type producerBatch struct {
	partition *Partition
	pidx      int // partition index within the producer's topic
	records   int
	bytes     Bytes   // uncompressed: the RecordBatch header and the records
	est       float32 // the compression ratio estimate taken at creation (1 uncompressed)
	wire      Bytes   // the batch's size once closed and compressed (0 before the first drain)
	// compressed: the records' uncompressed bytes the compression stream has compressed so far,
	// done on the producer's cores at readyAt.
	compressed Bytes
	readyAt    sim.Time
	// Set at close: the codec and level its records are compressed in (the RecordBatch's
	// attributes) and how compressible they are (for a topic that recompresses them).
	codec     Codec
	level     int
	ratios    *CompressionRatios
	memory    Bytes      // taken from buffer.memory
	arrivals  []sim.Time // intended send time of every record, for latency
	createdAt sim.Time
	lastTry   sim.Time // when the last attempt was sent or failed
	attempts  int
	retryAt   sim.Time // backoff: not drained before
	closed    bool     // no more appends (the next record did not fit)
	inflight  bool
	leader    BrokerID // the leader the batch was last sent to
	newLeader bool     // a KIP-951 hint moved its partition to another leader: retry at once

	// seqReset: an epoch bump numbered it again (ProducerBatch.sequenceHasBeenReset); a request
	// written before carries its old producer epoch and sequence.
	seqReset bool
	pid, seq int32 // idempotent producer id and epoch (pidKey; 0: none) and first sequence, fixed at first drain
}

func (b *producerBatch) firstAt() sim.Time { return b.arrivals[0] }
func (b *producerBatch) lastAt() sim.Time  { return b.arrivals[len(b.arrivals)-1] }

// hasRoom is MemoryRecordsBuilder.hasRoomFor for a batch of bytes uncompressed bytes with
// compression estimate est: a batch always takes its first record; later ones only if its
// estimated size plus the record's uncompressed size stays within batch.size.
func (p *Producer) hasRoom(bytes Bytes, est float32, size Bytes) bool {
	return bytes == recordBatchOverhead || p.estimated(bytes, est)+size <= p.cfg.BatchSize
}

// estimated is MemoryRecordsBuilder.estimatedBytesWritten for a batch of bytes uncompressed
// bytes: as is without compression, else the header plus the records at the ratio estimate est
// times COMPRESSION_RATE_ESTIMATION_FACTOR, truncated, in Java's float arithmetic.
func (p *Producer) estimated(bytes Bytes, est float32) Bytes {
	if p.codec == CodecNone {
		return bytes
	}
	return recordBatchOverhead + Bytes(int32(float32(int32(bytes-recordBatchOverhead))*est*compressionRateEstimationFactor))
}

// openBatch returns the batch of part that still takes appends, or nil.
func (p *Producer) openBatch(part int) *producerBatch {
	dq := p.deques[part].All()
	if n := len(dq); n > 0 && !dq[n-1].closed {
		return dq[n-1]
	}
	return nil
}

// appendRecord is RecordAccumulator.append at time at: the record goes to its partition's open
// batch, or to a new batch if it does not fit. It returns false, appending nothing, if a new batch
// needs more buffer.memory than is free (send() blocks).
func (p *Producer) appendRecord(s *sim.Sim, at sim.Time, rec *Record) bool {
	keyed := rec.HasKey && !p.cfg.PartitionerIgnoreKeys
	part := p.sticky
	if keyed {
		part = keyPartition(rec.Key, len(p.parts))
	} else if p.allBatchesFull(part) { // RecordAccumulator.partitionChanged: a switch held back
		p.maybeSwitch(0, true)
		part = p.sticky
	}
	appended := rec.Size
	b := p.openBatch(part)
	if b == nil || !p.hasRoom(b.bytes, b.est, rec.Size) {
		need := max(p.cfg.BatchSize, rec.Size+recordBatchOverhead)
		if need > p.free {
			return false
		}
		if b != nil {
			b.closed = true // closeForRecordAppends after a failed tryAppend
		}
		b = p.newBatch(at, part, need)
		appended += recordBatchOverhead
		p.trigStale = true
	}
	before := p.estimated(b.bytes, b.est)
	b.records++
	b.bytes += rec.Size
	if p.codec != CodecNone {
		// RecordAppendResult.appendedBytes: the growth of the batch's estimated size, all of
		// it for a new batch.
		if appended > rec.Size {
			before = 0
		}
		appended = p.estimated(b.bytes, b.est) - before
		p.appended(b, at)
	}
	if *p.deques[part].Front() == b {
		p.refreshFront(part)
	}
	if p.estimated(b.bytes, b.est) >= p.cfg.BatchSize {
		p.trigStale = true
	}
	b.arrivals = append(b.arrivals, sim.Time(rec.At))
	if !keyed {
		p.maybeSwitch(appended, p.isFull(b)) // b is the last batch: allBatchesFull
	}
	return true
}

// isFull is ProducerBatch.isFull: closed for appends, or its estimated size at batch.size.
func (p *Producer) isFull(b *producerBatch) bool {
	return b.closed || (b.records > 0 && p.estimated(b.bytes, b.est) >= p.cfg.BatchSize)
}

// allBatchesFull is RecordAccumulator.allBatchesFull: the last batch of the deque is full.
func (p *Producer) allBatchesFull(part int) bool {
	dq := p.deques[part].All()
	return len(dq) == 0 || p.isFull(dq[len(dq)-1])
}

// maybeSwitch is BuiltInPartitioner.updatePartitionInfo (KIP-794): after batch.size bytes to the
// sticky partition, switch once its batches are full, and in any case after twice that.
func (p *Producer) maybeSwitch(appended Bytes, enableSwitch bool) {
	p.stickyBytes += appended
	if (p.stickyBytes >= p.cfg.BatchSize && enableSwitch) || p.stickyBytes >= 2*p.cfg.BatchSize {
		p.sticky, p.stickyBytes = p.nextStickyPartition(), 0
		p.trigStale = true
	}
}

func (p *Producer) newBatch(at sim.Time, part int, memory Bytes) *producerBatch {
	p.free -= memory
	var b *producerBatch
	if n := len(p.spare); n > 0 {
		b = p.spare[n-1]
		p.spare[n-1] = nil
		p.spare = p.spare[:n-1]
		*b = producerBatch{arrivals: b.arrivals[:0]}
	} else {
		b = &producerBatch{arrivals: make([]sim.Time, 0, p.cfg.BatchSize/p.avgRecord+1)}
	}
	b.partition, b.pidx, b.bytes, b.memory, b.createdAt, b.leader = p.parts[part], part, recordBatchOverhead, memory, at, -1
	b.est = p.ratioEst // ProducerBatch: CompressionRatioEstimator.estimation(topic, codec)
	p.pushBack(part, b)
	return b
}

// pushBack appends b to part's deque, tracking the partitions with queued batches.
func (p *Producer) pushBack(part int, b *producerBatch) {
	if p.deques[part].Len() == 0 {
		p.nonEmpty = append(p.nonEmpty, part)
	}
	p.deques[part].Push(b)
	p.refreshFront(part)
}

// popFirst removes the first batch of part's deque.
func (p *Producer) popFirst(part int) {
	p.deques[part].Pop()
	p.refreshFront(part)
	if p.deques[part].Len() == 0 {
		for k, x := range p.nonEmpty {
			if x == part {
				p.nonEmpty = append(p.nonEmpty[:k], p.nonEmpty[k+1:]...)
				break
			}
		}
	}
}

// reenqueue puts a batch to retry back at the front of its deque, before newer batches and after
// retries of older ones (RecordAccumulator.reenqueue / insertInSequenceOrder).
func (p *Producer) reenqueue(b *producerBatch) {
	dq := p.deques[b.pidx].All()
	i := 0
	for i < len(dq) && dq[i].attempts > 0 && dq[i].createdAt <= b.createdAt {
		i++
	}
	if len(dq) == 0 {
		p.nonEmpty = append(p.nonEmpty, b.pidx)
	}
	p.deques[b.pidx].Insert(i, b)
	p.refreshFront(b.pidx)
}

// frontState is when a partition's first queued batch becomes sendable, readyNodes' rule kept
// per partition so that the sender's scans need not reach the batches: at its retry backoff's
// end for a retry, at once (readyNow) for a batch behind another, closed or at batch.size, else
// at the end of linger.ms.
type frontState struct {
	at    sim.Time
	retry bool
}

// readyNow is a frontState time before any other.
const readyNow = sim.Time(math.MinInt64)

// refreshFront updates part's frontState after its deque or its first batch changed.
func (p *Producer) refreshFront(part int) {
	if p.front == nil {
		p.front = make([]frontState, len(p.deques))
	}
	dq := p.deques[part].All()
	if len(dq) == 0 {
		return
	}
	b := dq[0]
	switch {
	case b.attempts > 0:
		p.front[part] = frontState{at: b.retryAt, retry: true}
	case len(dq) > 1 || b.closed || p.estimated(b.bytes, b.est) >= p.cfg.BatchSize:
		p.front[part] = frontState{at: readyNow}
	default:
		p.front[part] = frontState{at: b.createdAt.Add(p.cfg.Linger)}
	}
}

// sendableAt returns when partition i's first queued batch becomes sendable (readyNow if it is):
// its frontState, but at once for a new batch while send() is blocked on buffer.memory.
func (p *Producer) sendableAt(i int) sim.Time {
	f := p.front[i]
	if p.blocked && !f.retry {
		return readyNow
	}
	return f.at
}

// complete finishes an acknowledged batch, appended where res says (nothing is known of it with
// acks=0): every record's latency from its intended send time.
func (p *Producer) complete(s *sim.Sim, b *producerBatch, res batchResult) {
	p.metrics.recordAck(b, s.Now(), p.cluster.warmup, p.cluster.metrics.interval)
	if p.cfg.Acks != AcksNone {
		p.cluster.recordAcked(s, b.partition, res.baseOffset, b.records, res.appendEpoch, p.cfg.Acks)
	}
	if b.pid != 0 && b.pid == p.pidKey(b.pidx) {
		// The highest acknowledged: a duplicate retry can be answered after a later batch.
		p.ackedSeq[b.pidx] = max(p.ackedSeq[b.pidx], b.seq+int32(b.records))
	}
	p.release(s, b)
	// The batch, with its arrivals buffer, serves as a new batch: requests carry copies of their
	// batches, and the producer has forgotten the requests of its earlier attempts.
	p.spare = append(p.spare, b)
}

// fail finishes a batch that will not be retried.
func (p *Producer) fail(s *sim.Sim, b *producerBatch, code ErrorCode) {
	p.metrics.recordFailure(code, b.records, b.bytes-recordBatchOverhead, s.Now(), p.cluster.warmup)
	p.metrics.recordBatchFailure(b)
	p.requestEpochBump(b)
	p.release(s, b)
}

// release returns a finished batch's memory to buffer.memory and lets a blocked send() retry.
func (p *Producer) release(s *sim.Sim, b *producerBatch) {
	p.free += b.memory
	b.memory = 0
	p.unblock(s)
}
