package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAcksAllWaitsForFarthestFollower checks reference §2.7 and §7.2: acks=all completes when the
// slowest ISR follower has fetched, so at light load (followers parked in long-poll) its latency
// is the RTT to the farthest ISR follower; acks=1 answers after the local append.
func TestAcksAllWaitsForFarthestFollower(t *testing.T) {
	spec := baseSpec(siteSpecs(3, 1), 5*time.Millisecond)
	spec.Network.Links = []PairLinkSpec{{A: 0, B: 2, LinkSpec: LinkSpec{RTT: Constant(20 * time.Millisecond), HasRTT: true}}}
	for _, c := range []struct {
		acks     Acks
		min, max float64 // ms, client-side p50
	}{{AcksAll, 20, 22}, {AcksLeader, 0.2, 1}} {
		sp := withTopic(spec, 2, []BrokerID{1, 2, 3})
		sp = withProducer(sp, 0, arrivalsAt(10*1024, 1024), func(cfg *ProducerConfig) {
			cfg.Acks, cfg.Linger, cfg.EnableIdempotence = c.acks, 0, c.acks == AcksAll
		})
		_, cl := run(t, sp, 20*time.Second)
		p50 := ms(cl.Producers()[0].Metrics().Latency.ValueAtQuantile(50))
		t.Logf("acks=%v p50 %.2f ms", c.acks, p50)
		assert.GreaterOrEqual(t, p50, c.min, "acks=%v", c.acks)
		assert.LessOrEqual(t, p50, c.max, "acks=%v", c.acks)
	}
}

// TestReplicaFetcherCappedByWindow checks the first-principles bound of design §3: one fetcher
// connection moves at most window / RTT, the window being the smaller of the follower's
// replica.socket.receive.buffer.bytes and the leader's socket.send.buffer.bytes, each cut to the
// host's net.core.rmem_max and wmem_max: 64 KiB over 50 ms is 1.31 MB/s however fast the
// producer writes; a 1 MiB receive buffer leaves the leader's 100 KiB send buffer as the cap
// (2.05 MB/s); both at 1 MiB on hosts left at Linux's default caps get 212992 bytes each
// (4.26 MB/s); with the caps raised to 1 MiB the 5 MB/s producer is the limit.
func TestReplicaFetcherCappedByWindow(t *testing.T) {
	for _, c := range []struct {
		buffer, send Bytes
		caps         Bytes   // hardware.rmem_max and wmem_max
		min, max     float64 // bytes/s replicated
	}{
		{64 * KiB, 102400, 212992, 0.9 * 65536 / 0.05, 65536 / 0.05},
		// A fetch response carries at most replica.fetch.max.bytes (1 MiB) of the partition:
		// 10.24 windows of 100 KiB, so 11 round trips a response, the last one carrying a
		// quarter window. At best 1 MiB / 0.55 s = 1.91 MB/s, under the 2.05 MB/s window bound.
		{MiB, 102400, 212992, 0.95 * float64(MiB) / 0.55, 102400 / 0.05},
		{MiB, MiB, 212992, 0.9 * 212992 / 0.05, 212992 / 0.05},
		{MiB, MiB, MiB, 4.5e6, 5.1e6},
	} {
		spec := baseSpec(siteSpecs(2, 1), 50*time.Millisecond)
		spec.Broker.ReplicaSocketReceiveBuffer, spec.Broker.SocketSendBuffer = c.buffer, c.send
		spec.Hardware.RmemMax, spec.Hardware.WmemMax = c.caps, c.caps
		spec.Broker.ReplicaLagTimeMax = time.Hour // keep the follower in the ISR: measure the fetcher alone
		spec = withTopic(spec, 1, []BrokerID{1, 2})
		spec = withProducer(spec, 0, arrivalsAt(5e6, 1024), func(cfg *ProducerConfig) { cfg.Acks = AcksLeader })
		_, cl := run(t, spec, 20*time.Second)
		rate := float64(cl.Brokers()[1].Metrics().ReplicationBytesIn) / 20
		t.Logf("receive buffer %v, send buffer %v, caps %v: replicated %.3f MB/s", c.buffer, c.send, c.caps, rate/1e6)
		assert.GreaterOrEqual(t, rate, c.min)
		assert.LessOrEqual(t, rate, c.max)
	}
}

// TestProducerBoundedByInFlight checks the first-principles bound of design §7: a producer to a
// remote leader moves at most max.in.flight × request size / RTT. With one partition every
// request carries one batch of at most batch.size.
func TestProducerBoundedByInFlight(t *testing.T) {
	for _, inflight := range []int{1, 5} {
		spec := baseSpec(siteSpecs(2, 1), 50*time.Millisecond)
		spec = withTopic(spec, 1, []BrokerID{2})
		spec = withProducer(spec, 0, arrivalsAt(5e6, 1024), func(cfg *ProducerConfig) {
			cfg.Acks, cfg.MaxInFlight, cfg.EnableIdempotence = AcksLeader, inflight, false
		})
		_, cl := run(t, spec, 20*time.Second)
		m := cl.Producers()[0].Metrics()
		rate := float64(m.AckedBytes) / 20
		batch := float64(15 * 1024) // 15 records of 1 KiB fill a 16 KiB batch
		bound := float64(inflight) * batch / 0.0502
		t.Logf("in-flight %d: %.3f MB/s, bound %.3f MB/s", inflight, rate/1e6, bound/1e6)
		assert.LessOrEqual(t, rate, bound*1.02)
		assert.GreaterOrEqual(t, rate, bound*0.85)
	}
}

// TestStalledFollowerLeavesAndRejoinsISR checks reference §2.4–2.5: a follower that stops
// fetching leaves the ISR replica.lag.time.max.ms plus up to one check period (30–45 s) after it
// was last caught up, and rejoins once its LEO reaches the HW.
func TestStalledFollowerLeavesAndRejoinsISR(t *testing.T) {
	spec := baseSpec(siteSpecs(3, 1), 2*time.Millisecond)
	spec = withTopic(spec, 2, []BrokerID{1, 2, 3})
	spec = withProducer(spec, 0, arrivalsAt(100*1024, 1024), nil)
	s, cl := run(t, spec, 10*time.Second)
	p := cl.Partitions()[0]
	follower := p.reps[2]
	stallAt := s.Now()
	follower.fetchDelayedUntil = stallAt.Add(100 * time.Second) // the follower stops fetching
	var leftAt, backAt time.Duration
	for s.Now() < stallAt.Add(200*time.Second) {
		s.RunUntil(s.Now().Add(100 * time.Millisecond))
		inISR := p.meta.ISR.has(2)
		if !inISR && leftAt == 0 {
			leftAt = s.Now().Sub(stallAt)
		}
		if inISR && leftAt != 0 && backAt == 0 {
			backAt = s.Now().Sub(stallAt)
		}
	}
	t.Logf("left the ISR %v after stalling, back %v after", leftAt, backAt)
	assert.GreaterOrEqual(t, leftAt, 30*time.Second)
	assert.LessOrEqual(t, leftAt, 45*time.Second+time.Second)
	require.NotZero(t, backAt)
	assert.Greater(t, backAt, 100*time.Second)
	assert.Less(t, backAt, 102*time.Second, "rejoins within a few fetch rounds of resuming")
	assert.EqualValues(t, 1, cl.Brokers()[0].Metrics().IsrShrinks)
	assert.EqualValues(t, 1, cl.Brokers()[0].Metrics().IsrExpands)
	assert.Empty(t, cl.CheckInvariants(s.Now()))
}

// TestConsumerFetchesFromSameSiteFollower checks KIP-392 (reference §5.3): with client.rack and
// the RackAwareReplicaSelector, the leader names the consumer's same-site follower and the
// consumer reads from it, so no record crosses to the consumer's site twice; without the selector
// it reads from the leader in the other site.
func TestConsumerFetchesFromSameSiteFollower(t *testing.T) {
	for _, selector := range []string{"", "org.apache.kafka.common.replica.RackAwareReplicaSelector"} {
		spec := baseSpec(siteSpecs(2, 1), 10*time.Millisecond)
		spec.Broker.ReplicaSelectorClass = selector
		spec = withTopic(spec, 1, []BrokerID{1, 2})
		spec = withProducer(spec, 0, arrivalsAt(1e6, 1024), nil)
		cfg := DefaultConsumerConfig()
		cfg.ClientRack = "b"
		spec.Consumers = []ConsumerSpec{{Name: "c", Site: 1, Topic: "t", Config: cfg}}
		_, cl := run(t, spec, 10*time.Second)
		k := cl.Consumers()[0]
		assert.Positive(t, k.Metrics().Records)
		toB := cl.Network().Bytes[0*2+1] // site a -> site b
		produced := cl.Producers()[0].Metrics().AckedBytes
		t.Logf("selector %q: a->b %d bytes for %d produced", selector, toB, produced)
		if selector == "" {
			assert.Greater(t, float64(toB), 1.9*float64(produced), "replication and consumer both cross")
			assert.Equal(t, BrokerID(-1), k.preferred[0])
		} else {
			assert.Less(t, float64(toB), 1.1*float64(produced), "only replication crosses")
			assert.Equal(t, BrokerID(2), k.preferred[0])
		}
	}
}
