package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// keyedArrivals emits records of one key at a fixed rate, so that one partition gets them all.
type keyedArrivals struct{ constArrivals }

func (a *keyedArrivals) Next() Record {
	r := a.constArrivals.Next()
	r.Key, r.HasKey = 7, true
	return r
}

// A consumer reads in incremental fetch sessions (KIP-227): once a session is open, its Fetch
// lists only the partitions whose position moved, and the broker answers only those with news,
// while the broker's session holds every partition the consumer reads there. With 200
// partitions and all records on one key, a Fetch carries at most that one partition either way.
func TestConsumerFetchSessionListsOnlyChanges(t *testing.T) {
	spec := baseSpec(siteSpecs(2, 1), 10*time.Millisecond)
	var assignment [][]BrokerID
	for i := range 200 {
		if i%2 == 0 {
			assignment = append(assignment, []BrokerID{1, 2})
		} else {
			assignment = append(assignment, []BrokerID{2, 1})
		}
	}
	spec = withTopic(spec, 1, assignment...)
	spec = withProducer(spec, 0, &keyedArrivals{*arrivalsAt(1e6, 1024)}, nil)
	spec.Consumers = []ConsumerSpec{{Name: "c", Site: 1, Topic: "t", Config: DefaultConsumerConfig()}}
	s, cl := run(t, spec, 5*time.Second)
	k := cl.Consumers()[0]
	acked := cl.Producers()[0].Metrics().AckedRecords
	require.Positive(t, acked)
	assert.InDelta(t, float64(acked), float64(k.Metrics().Records), float64(acked)*0.01,
		"the consumer reads what is acknowledged")
	for _, n := range k.nodes {
		assert.True(t, n.session, "broker %d: a session is open", n.bi+1)
		assert.Equal(t, 100, n.members, "broker %d: the client's session holds what it leads", n.bi+1)
		assert.LessOrEqual(t, len(n.req.parts), 1, "broker %d: an incremental Fetch lists what moved", n.bi+1)
		cs := cl.brokers[n.bi].consumerSession(k.node)
		require.NotNil(t, cs)
		assert.LessOrEqual(t, len(cs.resp.parts), 1, "broker %d: the response carries what has news", n.bi+1)
		assert.Equal(t, 100, cs.size(), "broker %d: the broker's session holds what it leads", n.bi+1)
	}
	assert.Empty(t, cl.CheckInvariants(s.Now()))
}

// A leader that lost its fetch sessions without its clients noticing (FetchSessionCache
// eviction) answers their next incremental Fetch FETCH_SESSION_ID_NOT_FOUND; the replica
// fetchers and the consumer open new sessions with full Fetches and go on where they were: no
// follower leaves the ISR and the consumer reads everything acknowledged.
func TestFetchSessionsReopenAfterTheLeaderLosesThem(t *testing.T) {
	spec := baseSpec(siteSpecs(3, 1), 5*time.Millisecond)
	spec = withTopic(spec, 2, []BrokerID{1, 2, 3}, []BrokerID{2, 3, 1}, []BrokerID{3, 1, 2})
	spec = withProducer(spec, 0, arrivalsAt(2e6, 1024), func(cfg *ProducerConfig) { cfg.Acks = AcksAll })
	spec.Consumers = []ConsumerSpec{{Name: "c", Site: 1, Topic: "t", Config: DefaultConsumerConfig()}}
	s, cl := run(t, spec, 3*time.Second)
	k := cl.Consumers()[0]
	for _, b := range cl.brokers {
		// Evicted between two Fetches: a parked one is answered first, as its DelayedFetch would be.
		require.NotEmpty(t, b.consumerSessions, "broker %d: the consumer has a session", b.ID)
		for _, ls := range b.leaderSessions {
			if ls != nil && ls.parked != nil {
				ls.complete(s)
			}
		}
		b.dropLeaderSessions(s.Now())
		for _, cs := range b.consumerSessions {
			if cs.parked != nil {
				cs.complete(s)
			}
			cs.close()
		}
		b.consumerSessions = nil
	}
	s.RunUntil(sim.Time(8 * time.Second))
	for _, b := range cl.brokers {
		assert.NotEmpty(t, b.consumerSessions, "broker %d: the consumer opened a new session", b.ID)
		open := 0
		for _, ls := range b.leaderSessions {
			if ls != nil {
				open++
			}
		}
		assert.Equal(t, 2, open, "broker %d: both followers opened new sessions", b.ID)
	}
	for _, p := range cl.Partitions() {
		assert.Len(t, p.ISRBrokers(), 3, "%s: no follower fell out of the ISR", p.Name())
	}
	acked := cl.Producers()[0].Metrics().AckedRecords
	assert.InDelta(t, float64(acked), float64(k.Metrics().Records), float64(acked)*0.01,
		"the consumer reads what is acknowledged")
	assert.Empty(t, cl.CheckInvariants(s.Now()))
}
