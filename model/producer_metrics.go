package model

import (
	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/stretchsim/stretchsim/sim"
)

// ProducerMetrics are a producer's results. Counts and latencies cover records acknowledged (or
// failed) after the warm-up; latency runs from each record's intended send time to its
// acknowledgement, so time spent blocked or queued counts (no coordinated omission).
type ProducerMetrics struct {
	AckedRecords, AckedBytes   int64
	FailedRecords, FailedBytes int64
	// Errors counts error responses and client-side failures by Kafka error, retried or not.
	Errors      [numErrorCodes]int64
	Disconnects int64
	// Latency holds produce latency in microseconds, 1 µs to 1 hour, 3 significant digits.
	Latency *hdrhistogram.Histogram
	// FirstAck and LastAck bound the acknowledgements counted.
	FirstAck, LastAck sim.Time
	// lastAckByPartition is the time of the latest acknowledgement per partition (availability).
	ackGaps []ackGap
}

// ackGap tracks the longest gap between successful acknowledgements of one partition.
type ackGap struct {
	last, longest sim.Time
	seen          bool
}

func newProducerMetrics(partitions int) ProducerMetrics {
	return ProducerMetrics{Latency: hdrhistogram.New(1, 3_600_000_000, 3), FirstAck: sim.Never,
		ackGaps: make([]ackGap, partitions)}
}

func (m *ProducerMetrics) recordAck(b *producerBatch, now, warmup sim.Time, interval *hdrhistogram.Histogram) {
	g := &m.ackGaps[b.pidx]
	if g.seen && now >= warmup {
		g.longest = max(g.longest, now-max(g.last, warmup))
	}
	g.last, g.seen = now, true
	if now < warmup {
		return
	}
	m.AckedRecords += int64(b.records)
	m.AckedBytes += int64(b.bytes - recordBatchOverhead)
	m.FirstAck = min(m.FirstAck, now)
	m.LastAck = max(m.LastAck, now)
	for _, at := range b.arrivals {
		us := max(int64(now-at)/1000, 1)
		_ = m.Latency.RecordValue(us) // above an hour: dropped, and the run is far out of its depth
		_ = interval.RecordValue(us)
	}
}

func (m *ProducerMetrics) recordFailure(code ErrorCode, records int, bytes Bytes, now, warmup sim.Time) {
	if code == ErrDeliveryTimeout || code == ErrBufferExhausted || code == ErrClientCrashed {
		m.Errors[code]++
	}
	if now < warmup {
		return
	}
	m.FailedRecords += int64(records)
	m.FailedBytes += int64(bytes)
}

// LongestAckGap returns, over the partitions this producer wrote, the longest time without a
// successful acknowledgement after the warm-up, counting the open gap up to end.
func (m *ProducerMetrics) LongestAckGap(end, warmup sim.Time) sim.Time {
	var worst sim.Time
	for _, g := range m.ackGaps {
		if !g.seen {
			continue
		}
		worst = max(worst, g.longest, end-max(g.last, warmup))
	}
	return worst
}
