package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A metadata request now shares the producer's connection. When the producer itself resets that
// connection (request.timeout.ms, onRequestTimeout → Reset → dropNode), the metadata request on it
// is gone too, but clientMeta still counts it in flight: the update the producer asks for right
// after the reset waits for the metadata request's own 30 s timeout. Kafka's NetworkClient fails
// every in-flight request of the disconnected node, the metadata one included
// (handleDisconnections → metadataUpdater.handleServerDisconnect), so the update goes out at once.
func TestOwnResetForgetsMetadataRequest(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(1, 3), 2*time.Millisecond), 1, []BrokerID{1, 2, 3})
	spec.Sites[0].Controllers = 3
	spec = withProducer(spec, 0, arrivalsAt(1e6, 1024), nil)
	s, c := run(t, spec, 5*time.Second)
	p := c.producers[0]
	bi := c.brokerIndex(1)
	// A metadata request goes out; it is on the connection to the leader (the only one in use).
	p.meta.lastRefresh = longAgo
	p.meta.request(s)
	require.NotNil(t, p.meta.inflight)
	require.Same(t, p.nodes[bi].conn, p.meta.inflightConn, "metadata shares the produce connection")
	// The producer drops the connection (what onRequestTimeout does) and asks for metadata.
	p.nodes[bi].conn.Reset()
	p.dropNode(s, bi)
	sent := p.meta.sent
	p.meta.request(s)
	assert.Greater(t, p.meta.sent, sent, "a metadata request goes out after the reset, not 30 s later")
}

// TestAcksZeroErrorClosesConnection checks KafkaApis.handleProduceRequest for acks=0: a request
// with an error gets no response, but the broker closes the connection, so that the producer
// refreshes its metadata and finds the leader. A producer whose metadata names the wrong broker
// then writes to the real leader within moments, not after metadata.max.age.ms.
func TestAcksZeroErrorClosesConnection(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(1, 3), 2*time.Millisecond), 1, []BrokerID{1, 2, 3})
	spec.Sites[0].Controllers = 3
	spec = withProducer(spec, 0, arrivalsAt(1e6, 1024), func(cfg *ProducerConfig) {
		cfg.Acks, cfg.EnableIdempotence = AcksNone, false
	})
	s, c := run(t, spec, time.Second)
	p := c.producers[0]
	p.meta.leaders[0] = 2 // stale metadata: broker 2 does not lead the partition
	leo := c.partitions[0].leaderReplica().log.leo
	s.RunUntil(at(2 * time.Second))
	assert.Positive(t, p.metrics.Disconnects, "the broker closed the connection")
	assert.Equal(t, BrokerID(1), p.meta.leaders[0], "metadata refreshed")
	assert.Greater(t, int64(c.partitions[0].leaderReplica().log.leo-leo), int64(900), "writes reach the leader again")
}
