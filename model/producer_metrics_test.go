package model

import (
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/stretchr/testify/assert"

	"github.com/stretchsim/stretchsim/sim"
)

// TestLongestAckGapCountsOnlyWaitingRecords checks availability.max_unavailable_seconds: a
// partition is in a gap only while the producer holds a record for it with no acknowledgement of
// the partition in between. Idle time (the sticky partitioner writing elsewhere) is not a gap; a
// failed batch opens one that the next acknowledgement closes; a record still waiting at the end
// leaves it open to the end.
func TestLongestAckGapCountsOnlyWaitingRecords(t *testing.T) {
	ms := func(v int64) sim.Time { return sim.Time(v * int64(time.Millisecond)) }
	batch := func(pidx int, arrivals ...sim.Time) *producerBatch {
		return &producerBatch{pidx: pidx, records: len(arrivals), bytes: 100, arrivals: arrivals}
	}
	none := func(int) sim.Time { return sim.Never }
	interval := hdrhistogram.New(1, 3_600_000_000, 3)
	m := newProducerMetrics(2)

	m.recordAck(batch(0, ms(0)), ms(5), 0, interval)
	m.recordAck(batch(0, ms(2000)), ms(2006), 0, interval) // idle for 2 s: not a gap
	assert.Equal(t, ms(6), m.LongestAckGap(ms(3000), 0, none))

	m.recordAck(batch(1, ms(100)), ms(105), 0, interval)
	m.recordBatchFailure(batch(1, ms(1000)))                         // expired after delivery.timeout.ms
	m.recordAck(batch(1, ms(9000), ms(9001)), ms(9500), 0, interval) // the next ack closes the gap
	assert.Equal(t, ms(8500), m.LongestAckGap(ms(10000), 0, none))

	// A record for partition 0 queued at 9,990 ms and still waiting at 30 s: open gap to the end.
	waiting := func(i int) sim.Time {
		if i == 0 {
			return ms(9990)
		}
		return sim.Never
	}
	assert.Equal(t, ms(20010), m.LongestAckGap(ms(30000), 0, waiting))
	// An open gap starts no earlier than the end of the warm-up.
	assert.Equal(t, ms(10000), m.LongestAckGap(ms(30000), ms(20000), waiting))
}

// A client crash is no Kafka error: its records are failed records of their own count, not an
// entry among the Kafka errors.
func TestClientCrashIsNotAKafkaError(t *testing.T) {
	m := newProducerMetrics(1)
	m.recordFailure(ErrClientCrashed, 5, 500, 10, 5)
	m.recordFailure(ErrDeliveryTimeout, 2, 200, 10, 5)
	m.recordFailure(ErrClientCrashed, 3, 300, 1, 5) // in the warm-up: not counted
	assert.Zero(t, m.Errors[ErrClientCrashed])
	assert.Equal(t, int64(1), m.Errors[ErrDeliveryTimeout])
	assert.Equal(t, int64(5), m.ClientCrashedRecords)
	assert.Equal(t, int64(7), m.FailedRecords)
}
