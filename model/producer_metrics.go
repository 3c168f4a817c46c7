package model

import (
	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/stretchsim/stretchsim/sim"
)

// ProducerMetrics are a producer's results. Counts and latencies cover records acknowledged (or
// failed) after the warm-up; latency runs from each record's intended send time to its
// acknowledgement, so time spent blocked or queued counts (no coordinated omission).
type ProducerMetrics struct {
	// AckedBytes counts the records' uncompressed bytes; AckedWireBytes the acknowledged
	// batches as they went on the wire, compressed, RecordBatch headers included.
	AckedRecords, AckedBytes   int64
	AckedWireBytes             int64
	FailedRecords, FailedBytes int64
	// Errors counts error responses and client-side failures by Kafka error, retried or not.
	// ErrClientCrashed is not one (Kafka has no error for a dead client): it is counted in
	// ClientCrashedRecords.
	Errors [numErrorCodes]int64
	// ClientCrashedRecords counts the records, among FailedRecords, lost with the producer's host
	// (queued or in flight when a fault took the host down).
	ClientCrashedRecords int64
	Disconnects          int64
	// Latency holds produce latency in microseconds, 1 µs to 1 hour, 3 significant digits.
	Latency *hdrhistogram.Histogram
	// FirstAck and LastAck bound the acknowledgements counted.
	FirstAck, LastAck sim.Time
	// lastAckByPartition is the time of the latest acknowledgement per partition (availability).
	ackGaps []ackGap
	// allAckedBytes counts acknowledged bytes from time 0, warm-up included: the time series
	// shows the warm-up too, the summary does not.
	allAckedBytes int64
}

// ackGap tracks, for one partition, the longest time the producer had a record waiting for it
// with no successful acknowledgement: the partition was unwritable for this producer. Time with
// nothing to send (the sticky partitioner writing elsewhere) is not a gap.
type ackGap struct {
	last        sim.Time // the latest acknowledgement
	failedSince sim.Time // the oldest record of a batch that failed since then, or Never
	longest     sim.Time
}

func newProducerMetrics(partitions int) ProducerMetrics {
	return ProducerMetrics{Latency: hdrhistogram.New(1, 3_600_000_000, 3), FirstAck: sim.Never,
		ackGaps: newAckGaps(partitions)}
}

func newAckGaps(partitions int) []ackGap {
	gaps := make([]ackGap, partitions)
	for i := range gaps {
		gaps[i].failedSince = sim.Never
	}
	return gaps
}

func (m *ProducerMetrics) recordAck(b *producerBatch, now, warmup sim.Time, interval *hdrhistogram.Histogram) {
	g := &m.ackGaps[b.pidx]
	if now >= warmup {
		g.longest = max(g.longest, now-max(g.last, min(b.firstAt(), g.failedSince), warmup))
	}
	g.last, g.failedSince = now, sim.Never
	m.allAckedBytes += int64(b.bytes - recordBatchOverhead)
	measured := now >= warmup
	if measured {
		m.AckedRecords += int64(b.records)
		m.AckedBytes += int64(b.bytes - recordBatchOverhead)
		m.AckedWireBytes += int64(b.wire)
		m.FirstAck = min(m.FirstAck, now)
		m.LastAck = max(m.LastAck, now)
	}
	for _, at := range b.arrivals {
		us := max(int64(now-at)/1000, 1)
		_ = interval.RecordValue(us) // the series' interval histogram, warm-up included
		if measured {
			_ = m.Latency.RecordValue(us) // above an hour: dropped, and the run is far out of its depth
		}
	}
}

func (m *ProducerMetrics) recordFailure(code ErrorCode, records int, bytes Bytes, now, warmup sim.Time) {
	if code == ErrDeliveryTimeout || code == ErrBufferExhausted {
		m.Errors[code]++
	}
	if now < warmup {
		return
	}
	m.FailedRecords += int64(records)
	m.FailedBytes += int64(bytes)
	if code == ErrClientCrashed {
		m.ClientCrashedRecords += int64(records)
	}
}

// recordBatchFailure notes that batch b failed: its partition stays in a gap from b's oldest
// record until the next acknowledgement.
func (m *ProducerMetrics) recordBatchFailure(b *producerBatch) {
	g := &m.ackGaps[b.pidx]
	g.failedSince = min(g.failedSince, b.firstAt())
}

// LongestAckGap returns, over the partitions this producer wrote, the longest time after the
// warm-up that a record waited for its partition with no successful acknowledgement. waiting(i)
// is the arrival of partition i's oldest record still queued or in flight at end (Never if none):
// that open gap counts up to end.
func (m *ProducerMetrics) LongestAckGap(end, warmup sim.Time, waiting func(int) sim.Time) sim.Time {
	var worst sim.Time
	for i := range m.ackGaps {
		g := &m.ackGaps[i]
		worst = max(worst, g.longest)
		if since := min(waiting(i), g.failedSince); since < end {
			worst = max(worst, end-max(g.last, since, warmup))
		}
	}
	return worst
}

// oldestWaiting returns, per partition index, the arrival of the oldest record the producer still
// holds for it, queued or in flight (sim.Never if none), for LongestAckGap's open gaps.
func (p *Producer) oldestWaiting() func(int) sim.Time {
	p.settle(p.cluster.sim, true)
	oldest := make([]sim.Time, len(p.deques))
	for i := range oldest {
		oldest[i] = sim.Never
	}
	note := func(b *producerBatch) {
		if len(b.arrivals) > 0 {
			oldest[b.pidx] = min(oldest[b.pidx], b.firstAt())
		}
	}
	for _, i := range p.nonEmpty {
		for _, b := range p.deques[i].All() {
			note(b)
		}
	}
	for k := range p.nodes {
		for _, req := range p.nodes[k].inflight {
			for _, b := range req.batches {
				note(b)
			}
		}
	}
	return func(i int) sim.Time { return oldest[i] }
}
