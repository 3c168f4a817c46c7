package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// clientSiteSpec is three broker sites a, b, c (one broker and one controller each, 2 ms apart)
// and a client-only site app (no broker, no controller), 10 ms from a by a links override and
// the inter-site default, 30 ms, from b and c.
func clientSiteSpec() ClusterSpec {
	sites := append(siteSpecs(3, 1), SiteSpec{Name: "app"})
	spec := baseSpec(sites, 30*time.Millisecond)
	link := func(a, b SiteID, rtt time.Duration) PairLinkSpec {
		return PairLinkSpec{A: a, B: b, LinkSpec: LinkSpec{RTT: Constant(rtt), HasRTT: true}}
	}
	spec.Network.Links = []PairLinkSpec{link(0, 1, 2*time.Millisecond), link(0, 2, 2*time.Millisecond),
		link(1, 2, 2*time.Millisecond), link(3, 0, 10*time.Millisecond)}
	return spec
}

const appSite SiteID = 3

// TestClientOnlySiteProduce checks a producer in a site without brokers against first
// principles: its request crosses the app->leader path (the links override for a, the
// inter-site default for b), so acks=1 costs that RTT and acks=all that RTT plus the
// replication round trip to the farthest follower (2 ms, reference §2.7); the produced bytes
// cross from app to the leader's site and nowhere else (metadata requests aside).
func TestClientOnlySiteProduce(t *testing.T) {
	for _, c := range []struct {
		leader   BrokerID
		acks     Acks
		min, max float64 // ms, client-side p50
	}{
		{1, AcksLeader, 10, 11.5}, {1, AcksAll, 12, 14},
		{2, AcksLeader, 30, 31.5}, {2, AcksAll, 32, 34},
	} {
		replicas := []BrokerID{c.leader}
		for _, id := range []BrokerID{1, 2, 3} {
			if id != c.leader {
				replicas = append(replicas, id)
			}
		}
		spec := withTopic(clientSiteSpec(), 2, replicas)
		spec = withProducer(spec, appSite, arrivalsAt(100*1024, 1024), func(cfg *ProducerConfig) {
			cfg.Acks, cfg.Linger, cfg.EnableIdempotence = c.acks, 0, c.acks == AcksAll
		})
		_, cl := run(t, spec, 20*time.Second)
		m := cl.Producers()[0].Metrics()
		p50 := ms(m.Latency.ValueAtQuantile(50))
		n := cl.Network()
		sites := n.Sites()
		leaderSite := SiteID(c.leader - 1)
		t.Logf("leader %d, acks=%v: p50 %.2f ms; app->leader %d bytes for %d acked", c.leader, c.acks, p50,
			n.Bytes[int(appSite)*sites+int(leaderSite)], m.AckedBytes)
		assert.GreaterOrEqual(t, p50, c.min, "leader %d acks=%v", c.leader, c.acks)
		assert.LessOrEqual(t, p50, c.max, "leader %d acks=%v", c.leader, c.acks)
		require.Positive(t, m.AckedBytes)
		// At most one request per record: each costs the record, a batch header and a request
		// header; 1% more for the metadata requests.
		acked := float64(m.AckedBytes)
		most := acked*(1+float64(recordBatchOverhead+produceOverhead)/1024) + 0.01*acked
		for to := range SiteID(3) {
			b := float64(n.Bytes[int(appSite)*sites+int(to)])
			if to == leaderSite {
				assert.GreaterOrEqual(t, b, acked, "the records cross app->%d", to)
				assert.LessOrEqual(t, b, most, "records and their headers only")
			} else {
				assert.Less(t, b, 0.01*acked, "only metadata requests go app->%d", to)
			}
		}
	}
}

// TestClientOnlySiteBandwidth checks that a links override's bandwidth binds the traffic of a
// client-only site as it does any pair's: 16 Mbps from app to a carries at most 2 MB/s of
// records, however fast the producer there offers them.
func TestClientOnlySiteBandwidth(t *testing.T) {
	spec := clientSiteSpec()
	spec.Network.Links[3].Bandwidth = 16e6
	spec = withTopic(spec, 1, []BrokerID{1, 2, 3})
	spec = withProducer(spec, appSite, arrivalsAt(4e6, 1024), func(cfg *ProducerConfig) { cfg.Acks = AcksLeader })
	_, cl := run(t, spec, 20*time.Second)
	rate := float64(cl.Producers()[0].Metrics().AckedBytes) / 20
	t.Logf("acknowledged %.3f MB/s over a 2 MB/s link", rate/1e6)
	assert.LessOrEqual(t, rate, 2e6)
	assert.GreaterOrEqual(t, rate, 0.8*2e6)
}

// TestClientOnlySiteConsumerReadsLeader checks KIP-392 (reference §5.3) for a consumer whose
// client.rack is a site without brokers: RackAwareReplicaSelector finds no replica in its rack
// and names the leader, so the consumer reads from the leader's site, and nothing of the
// records comes from the followers' sites.
func TestClientOnlySiteConsumerReadsLeader(t *testing.T) {
	spec := clientSiteSpec()
	spec.Broker.ReplicaSelectorClass = "org.apache.kafka.common.replica.RackAwareReplicaSelector"
	spec = withTopic(spec, 2, []BrokerID{1, 2, 3})
	spec = withProducer(spec, 0, arrivalsAt(1e6, 1024), nil)
	cfg := DefaultConsumerConfig()
	cfg.ClientRack = "app"
	spec.Consumers = []ConsumerSpec{{Name: "c", Site: appSite, Topic: "t", Config: cfg}}
	_, cl := run(t, spec, 10*time.Second)
	k := cl.Consumers()[0]
	require.Positive(t, k.Metrics().Records)
	assert.Equal(t, BrokerID(-1), k.preferred[0], "no preferred read replica: the leader serves")
	n := cl.Network()
	sites := n.Sites()
	produced := float64(cl.Producers()[0].Metrics().AckedBytes)
	fromA := float64(n.Bytes[0*sites+int(appSite)])
	t.Logf("a->app %.0f, b->app %d, c->app %d bytes for %.0f produced", fromA,
		n.Bytes[1*sites+int(appSite)], n.Bytes[2*sites+int(appSite)], produced)
	assert.GreaterOrEqual(t, fromA, 0.95*produced)
	for from := 1; from <= 2; from++ {
		assert.Less(t, float64(n.Bytes[from*sites+int(appSite)]), 0.01*produced, "site %d serves no records", from)
	}
}

// TestTopologyClientOnlySite checks broker and controller numbering around a client-only site:
// ids go site by site in file order and the client-only site, wherever it is, takes none and
// lends its name to no rack.
func TestTopologyClientOnlySite(t *testing.T) {
	top, err := NewTopology([]SiteSpec{{Name: "dc-a", Brokers: 2, Controllers: 1}, {Name: "app"},
		{Name: "dc-b", Brokers: 2, Controllers: 1}})
	require.NoError(t, err)
	assert.Equal(t, []Site{
		{ID: 0, Name: "dc-a", Brokers: ids(1, 2), Controllers: []int32{1000}},
		{ID: 1, Name: "app"},
		{ID: 2, Name: "dc-b", Brokers: ids(3, 4), Controllers: []int32{1001}},
	}, top.Sites)
	for _, b := range top.PlacementBrokers() {
		assert.NotEqual(t, "app", b.Rack)
	}
	site, ok := top.SiteOf(3)
	assert.True(t, ok)
	assert.Equal(t, SiteID(2), site)
}

// TestClientOnlySiteLeavesPlacementAlone checks that a client-only site is not a rack: the
// striped and legacy placers give the same replicas with it, first or last in the site list,
// as without it (Kafka's placers see only registered brokers and their broker.rack).
func TestClientOnlySiteLeavesPlacementAlone(t *testing.T) {
	layout := func(sites []SiteSpec, placement string) [][]BrokerID {
		spec := baseSpec(sites, 2*time.Millisecond)
		spec.Topics = []TopicSpec{{Name: "t", Partitions: 30, ReplicationFactor: 3, Placement: placement}}
		cl, err := NewCluster(sim.New(1), spec)
		require.NoError(t, err)
		var out [][]BrokerID
		for _, p := range cl.Partitions() {
			out = append(out, p.Replicas)
		}
		return out
	}
	app := SiteSpec{Name: "app"}
	for _, placement := range []string{"striped", "legacy"} {
		without := layout(siteSpecs(3, 3), placement)
		require.Len(t, without, 30)
		assert.Equal(t, without, layout(append(siteSpecs(3, 3), app), placement), "%s, app last", placement)
		assert.Equal(t, without, layout(append([]SiteSpec{app}, siteSpecs(3, 3)...), placement), "%s, app first", placement)
	}
}

// TestClientOnlySiteFaults checks the faults that name a client-only site. A site outage of app
// takes its producer down and nothing of the cluster: no broker is fenced, no leader moves,
// every partition stays writable, and the producer sends nothing while its host is dark (records
// due then are never sent). A partition cutting app from a stalls the producer's writes to a's
// leader for the whole cut, again without fencing anyone (the cluster's own paths are intact).
// A latency fault on app<->a sets the RTT the producer pays.
func TestClientOnlySiteFaults(t *testing.T) {
	const offered = 100 * 1024 // bytes/s
	base := func(f FaultSpec, rate float64) ClusterSpec {
		spec := withTopic(clientSiteSpec(), 2, []BrokerID{1, 2, 3})
		spec = withProducer(spec, appSite, arrivalsAt(rate, 1024), func(cfg *ProducerConfig) { cfg.Linger = 0 })
		spec.Faults = []FaultSpec{f}
		return spec
	}
	t.Run("site-outage", func(t *testing.T) {
		s, c := run(t, base(FaultSpec{At: 10 * time.Second, Duration: 10 * time.Second, Kind: FaultSiteOutage, Site: appSite}, offered), 30*time.Second)
		r := c.Resilience(s.Now())
		acked := float64(c.producers[0].metrics.AckedBytes)
		t.Logf("acknowledged %.0f of %.0f bytes offered; writable %.4f, fencings %d", acked, offered*30.0, r.WritableFraction, r.Fencings)
		assert.Zero(t, r.Fencings)
		assert.Zero(t, r.LeaderElections)
		assert.Equal(t, 1.0, r.WritableFraction)
		assert.InDelta(t, offered*20.0, acked, 0.02*offered*20, "what was due in the 20 s the host was up")
	})
	t.Run("partition", func(t *testing.T) {
		cut := FaultSpec{At: 10 * time.Second, Duration: 10 * time.Second, Kind: FaultPartition, Groups: [][]SiteID{{appSite}, {0}}}
		s, c := run(t, base(cut, offered), 40*time.Second)
		r := c.Resilience(s.Now())
		g := gap(c, s.Now())
		t.Logf("writes stalled %v; fencings %d", g, r.Fencings)
		assert.Zero(t, r.Fencings)
		assert.GreaterOrEqual(t, g, 10*time.Second, "nothing reaches the leader while cut")
		assert.Less(t, g, 31*time.Second, "at most request.timeout.ms after the cut")
		assert.Equal(t, BrokerID(1), c.partitions[0].LeaderBroker())
	})
	t.Run("latency", func(t *testing.T) {
		slow := FaultSpec{Kind: FaultLatency, Between: [2]SiteID{appSite, 0}, RTT: Constant(50 * time.Millisecond)}
		// 10 records/s: one request in flight at a time, none waits for max.in.flight.
		_, c := run(t, base(slow, 10*1024), 20*time.Second)
		p50 := ms(c.producers[0].metrics.Latency.ValueAtQuantile(50))
		t.Logf("acks=all p50 %.2f ms over a 50 ms app<->a path", p50)
		assert.GreaterOrEqual(t, p50, 52.0, "the faulted RTT plus the 2 ms replication round trip")
		assert.LessOrEqual(t, p50, 54.0)
	})
}
