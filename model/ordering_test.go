package model

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// farFollowersSpec is reference §2.8a's network note as a scenario: one partition led in site a,
// its followers 13 ms (site b) and 64 ms (site c) away, and a light producer next to the leader.
func farFollowersSpec(acks Acks, linger time.Duration) ClusterSpec {
	spec := baseSpec(siteSpecs(3, 1), 13*time.Millisecond)
	spec.Network.Links = []PairLinkSpec{
		{A: 0, B: 2, LinkSpec: LinkSpec{RTT: Constant(64 * time.Millisecond), HasRTT: true}},
		{A: 1, B: 2, LinkSpec: LinkSpec{RTT: Constant(64 * time.Millisecond), HasRTT: true}},
	}
	spec = withTopic(spec, 2, []BrokerID{1, 2, 3})
	return withProducer(spec, 0, arrivalsAt(20*1024, 1024), func(cfg *ProducerConfig) {
		cfg.Acks, cfg.Linger, cfg.EnableIdempotence = acks, linger, acks == AcksAll
	})
}

// TestLocalProduceNotQueuedBehindFarArrivals checks that a receiving NIC serves bytes in the
// order they arrive (reference §2.8a, network note). The leader's NIC receives the far
// follower's fetches, which are on the wire for 32 ms; a produce request from a host 0.1 ms away
// must not wait behind them. With acks=1 and no linger the producer's latency is then the local
// round trip plus handling: every percentile within a few intra-site RTTs (0.2 ms). Booking the
// NIC at send time instead gave p90 24 ms and p99 31 ms.
func TestLocalProduceNotQueuedBehindFarArrivals(t *testing.T) {
	_, cl := run(t, farFollowersSpec(AcksLeader, 0), 30*time.Second)
	h := cl.Producers()[0].Metrics().Latency
	p50, p99, maxv := ms(h.ValueAtQuantile(50)), ms(h.ValueAtQuantile(99)), ms(h.Max())
	t.Logf("acks=1: p50 %.3f p99 %.3f max %.3f ms over %d records", p50, p99, maxv, h.TotalCount())
	require.Positive(t, h.TotalCount())
	assert.LessOrEqual(t, maxv, 1.0, "no local request waits behind bytes still on a far link")
}

// TestAcksAllOneRequestAtATimePerConnection checks reference §2.8a: the leader reads a
// connection's next request only once the previous response is written. A saturated acks=all
// producer next to its leader, with the only follower 50 ms away, therefore gets one 16 KiB
// request (batch.size, one partition) committed per one to two round trips, however many
// requests max.in.flight.requests.per.connection (5) lets it pipeline: 16 KiB / 100 ms to
// 16 KiB / 50 ms, 0.16 to 0.33 MB/s. With acks=1 the responses come after the local append, so
// the same producer pipelines and gets its offered 2 MB/s.
func TestAcksAllOneRequestAtATimePerConnection(t *testing.T) {
	for _, c := range []struct {
		acks     Acks
		min, max float64 // bytes/s acknowledged
	}{{AcksAll, 16384 / 0.1, 16384 / 0.05}, {AcksLeader, 0.95 * 2e6, 2.01e6}} {
		spec := withTopic(baseSpec(siteSpecs(2, 1), 50*time.Millisecond), 1, []BrokerID{1, 2})
		spec.Broker.ReplicaSocketReceiveBuffer = MiB // the follower keeps up: the commit is what limits
		spec = withProducer(spec, 0, arrivalsAt(2e6, 1024), func(cfg *ProducerConfig) {
			cfg.Acks, cfg.EnableIdempotence = c.acks, c.acks == AcksAll
		})
		_, cl := run(t, spec, 20*time.Second)
		m := cl.Producers()[0].Metrics()
		rate := float64(m.AckedBytes) / 20
		t.Logf("acks=%v: %.3f MB/s acknowledged", c.acks, rate/1e6)
		assert.GreaterOrEqual(t, rate, c.min, "acks=%v", c.acks)
		assert.LessOrEqual(t, rate, c.max, "acks=%v", c.acks)
	}
}

// TestUnreadRequestsNotInTotalTime checks that broker TotalTimeMs starts when a request is read
// (reference §2.8a): at a load where acks=all requests queue unread behind one another, the
// broker's produce TotalTimeMs stays within the commit time, one to two round trips to the
// farthest follower (64 ms), while the producer's latency includes the wait in the socket.
func TestUnreadRequestsNotInTotalTime(t *testing.T) {
	_, cl := run(t, farFollowersSpec(AcksAll, 0), 30*time.Second)
	total := cl.ProduceTotalTime()
	lat := cl.Producers()[0].Metrics().Latency
	t.Logf("TotalTimeMs p50 %.1f max %.1f; producer latency p50 %.1f p99 %.1f ms",
		ms(total.ValueAtQuantile(50)), ms(total.Max()), ms(lat.ValueAtQuantile(50)), ms(lat.ValueAtQuantile(99)))
	assert.LessOrEqual(t, ms(total.Max()), 2*64+5.0, "TotalTimeMs: read to response, at most two commit round trips")
	assert.Greater(t, ms(lat.ValueAtQuantile(50)), 2*64.0, "the producer waits for the requests read before its own")
}

// TestOutOfOrderSequenceRefused checks ProducerAppendInfo.checkSequence on a replica: the next
// batch of a known producer must start right after its last one (wrapping after MaxInt32); a
// producer the replica has no state for may start anywhere.
func TestOutOfOrderSequenceRefused(t *testing.T) {
	r := &Replica{}
	assert.False(t, r.outOfOrder(1, 17), "unknown producer")
	r.remember(1, 0, 100, 105, 0) // sequences 0..4
	assert.False(t, r.outOfOrder(1, 5))
	assert.True(t, r.outOfOrder(1, 6), "a gap")
	assert.True(t, r.outOfOrder(1, 3), "behind, and not a batch the replica has")
	r.remember(2, 2147483645, 0, 3, 0) // ...MaxInt32
	assert.False(t, r.outOfOrder(2, 0), "wraps after MaxInt32")
}

// TestFollowerFetchCompletesAfterTheWholeProduceRequest checks Kafka's ActionQueue: a parked
// follower Fetch is completed once the whole Produce request has been appended
// (ReplicaManager.addCompletePurgatoryAction, run at the end of KafkaApis.handle), so the follower
// gets all of the request's partitions in one response and the commit takes one round trip. Waking
// it at the first partition's append sent the others a round trip later: 100 ms instead of 50.
// With one request per connection at a time, 4 partitions × 16 KiB a request then commit in
// 50 ms: about 1.3 MB/s.
func TestFollowerFetchCompletesAfterTheWholeProduceRequest(t *testing.T) {
	spec := baseSpec(siteSpecs(2, 1), 50*time.Millisecond)
	spec.Broker.ReplicaSocketReceiveBuffer, spec.Broker.SocketSendBuffer = -1, -1 // no window limit
	spec = withTopic(spec, 1, []BrokerID{1, 2}, []BrokerID{1, 2}, []BrokerID{1, 2}, []BrokerID{1, 2})
	spec = withProducer(spec, 0, arrivalsAt(20e6, 1024), func(cfg *ProducerConfig) { cfg.Acks = AcksAll })
	_, cl := run(t, spec, 20*time.Second)
	total := cl.ProduceTotalTime()
	rate := float64(cl.Producers()[0].Metrics().AckedBytes) / 20
	t.Logf("TotalTimeMs p50 %.1f max %.1f ms; %.2f MB/s", ms(total.ValueAtQuantile(50)), ms(total.Max()), rate/1e6)
	assert.Less(t, ms(total.ValueAtQuantile(50)), 55.0, "one round trip to commit")
	assert.Greater(t, rate, 0.9*4*16384/0.05)
	assert.LessOrEqual(t, rate, 4*16384/0.05)
}

// TestEpochBumpAfterAFailedSequencedBatch checks KIP-360's epoch bump for an idempotent
// producer: batches that had sequence numbers and then failed for good (delivery.timeout.ms while
// the ISR is below min.insync.replicas) leave a gap in their partition's sequence. The producer
// bumps the epoch and numbers the outstanding batches again from 0, so once the partition heals
// writes succeed again; without the bump every later batch would be refused with
// OUT_OF_ORDER_SEQUENCE_NUMBER until it too expired.
func TestEpochBumpAfterAFailedSequencedBatch(t *testing.T) {
	sites := []SiteSpec{{Name: "a", Brokers: 1}, {Name: "b", Brokers: 1}, {Name: "c", Brokers: 1, Controllers: 3}}
	spec := withTopic(baseSpec(sites, 2*time.Millisecond), 2, []BrokerID{1, 2})
	spec = withProducer(spec, 0, arrivalsAt(100e3, 1024), func(cfg *ProducerConfig) {
		cfg.Acks, cfg.EnableIdempotence = AcksAll, true
		cfg.RequestTimeout, cfg.DeliveryTimeout = 5*time.Second, 15*time.Second
	})
	spec.Faults = []FaultSpec{{At: 10 * time.Second, Duration: 40 * time.Second, Kind: FaultPartition, Groups: [][]SiteID{{0}, {1}}}}
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(at(70 * time.Second))
	m := c.producers[0].Metrics()
	failed, acked := m.FailedRecords, m.AckedRecords
	s.RunUntil(at(100 * time.Second))
	require.Empty(t, c.CheckInvariants(s.Now()))
	m = c.producers[0].Metrics()
	t.Logf("failed by 70 s %d, after %d; acknowledged in 70-100 s %d; OUT_OF_ORDER_SEQUENCE_NUMBER %d",
		failed, m.FailedRecords-failed, m.AckedRecords-acked, m.Errors[ErrOutOfOrderSequenceNumber])
	require.Positive(t, failed, "sequenced batches expired during the partition")
	assert.Zero(t, m.FailedRecords-failed, "no failures once healed")
	assert.InDelta(t, 30*100e3/1024, float64(m.AckedRecords-acked), 30*100e3/1024*0.05, "full rate once healed")
}

// TestRestartedProducerGetsNewProducerID checks that a producer whose host went down comes back
// as a new process: a new producer id (InitProducerId) with sequences from 0, so the batches it
// lost with the host leave no gap to trip over, and it writes at once.
func TestRestartedProducerGetsNewProducerID(t *testing.T) {
	sites := []SiteSpec{{Name: "a", Brokers: 1}, {Name: "b", Brokers: 1}, {Name: "c", Controllers: 3}, {Name: "p"}}
	spec := withTopic(baseSpec(sites, 20*time.Millisecond), 2, []BrokerID{1, 2})
	spec = withProducer(spec, 3, arrivalsAt(2e6, 1024), nil)
	spec.Faults = []FaultSpec{{At: 10 * time.Second, Duration: 5 * time.Second, Kind: FaultSiteOutage, Site: 3}}
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	p := c.producers[0]
	before := p.pid
	s.RunUntil(at(15*time.Second + time.Millisecond))
	acked := p.metrics.AckedRecords
	s.RunUntil(at(20 * time.Second))
	require.Empty(t, c.CheckInvariants(s.Now()))
	assert.NotEqual(t, before, p.pid, "a new producer id")
	assert.Zero(t, p.metrics.Errors[ErrOutOfOrderSequenceNumber])
	assert.Positive(t, p.metrics.AckedRecords-acked, "writes resume")
}

// TestDuplicateAnsweredWithTheOriginalEpoch checks that a batch answered as a duplicate
// (DUPLICATE_SEQUENCE_NUMBER, answered as success) takes the offsets and the leader epoch of its
// original append, which may differ from those of an earlier attempt on another leader: the
// durability check looks the records up by both.
func TestDuplicateAnsweredWithTheOriginalEpoch(t *testing.T) {
	r := &Replica{}
	r.remember(1, 0, 10, 15, 7)
	dup, ok := r.duplicate(1, 0)
	require.True(t, ok)
	assert.Equal(t, pidBatch{seq: 0, base: 10, end: 15, epoch: 7}, dup)
}

// TestFollowerTruncationConsultsItsOwnEpochs checks AbstractFetcherThread.getOffsetTruncationState:
// on a diverging epoch from the leader, a follower that has that epoch truncates to the smaller
// end offset; one that lacks it truncates to the end of its own largest epoch below it (and asks
// again with that epoch); a truncation never goes above its own log end. Truncating to the
// leader's offset alone left a follower "truncating" 10277 → 10277 thousands of times.
func TestFollowerTruncationConsultsItsOwnEpochs(t *testing.T) {
	r := &Replica{}
	r.log.append(2, 200, 1, 0, 0) // epoch 1: [0, 2)
	r.log.append(3, 300, 2, 0, 0) // epoch 2: [2, 5)
	r.log.append(1, 100, 4, 0, 0) // epoch 4: [5, 6)
	assert.Equal(t, Offset(3), r.truncationOffset(2, 3), "same epoch: the smaller end")
	assert.Equal(t, Offset(5), r.truncationOffset(3, 4), "unknown epoch 3: the end of epoch 2 here")
	assert.Equal(t, Offset(6), r.truncationOffset(4, 9), "never above the log end")
	assert.Equal(t, Offset(1), r.truncationOffset(0, 1), "no epoch at or below: the leader's end")
}

// TestOutOfOrderSequenceIsRetried checks TransactionManager.canRetry for an idempotent producer:
// OUT_OF_ORDER_SEQUENCE_NUMBER is always retried; only the next batch in sequence whose sequence
// no epoch bump has reset asks for a bump (a real gap). A request written before a bump carries
// the old sequence, so its batch's answer must not count as a gap under the new numbering.
func TestOutOfOrderSequenceIsRetried(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(1, 1), 0), 1, []BrokerID{1})
	spec = withProducer(spec, 0, arrivalsAt(1e3, 1024), func(cfg *ProducerConfig) { cfg.EnableIdempotence = true })
	s, c := run(t, spec, time.Second)
	p := c.producers[0]
	cases := []struct {
		name     string
		seq      int32
		reset    bool
		wantBump bool
	}{
		{"next in sequence: a gap", p.ackedSeq[0], false, true},
		{"next in sequence after a bump: the old request's answer", p.ackedSeq[0], true, false},
		{"behind an earlier batch", p.ackedSeq[0] + 10, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := p.newBatch(s.Now(), 0, 1024)
			p.popFirst(0)
			b.pid, b.seq, b.seqReset, b.attempts, b.inflight = p.pidKey(0), tc.seq, tc.reset, 1, true
			failed := p.metrics.FailedRecords
			p.finishAttempt(s, b, batchResult{code: ErrOutOfOrderSequenceNumber})
			assert.Equal(t, failed, p.metrics.FailedRecords, "retried, not failed")
			assert.Contains(t, p.deques[0].All(), b, "queued for its retry")
			assert.Equal(t, tc.wantBump, p.bumpWanted[0])
			p.bumpWanted[0], p.bumps = false, p.bumps[:0]
			kept := slices.DeleteFunc(slices.Clone(p.deques[0].All()), func(x *producerBatch) bool { return x == b })
			p.deques[0].Reset()
			for _, x := range kept {
				p.deques[0].Push(x)
			}
		})
	}
}
