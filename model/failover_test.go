package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// threeSites is one broker and one controller per site, 2 ms apart, with a topic of one
// partition on brokers 1, 2, 3 (leader 1) and min ISR 2, and a producer in site a.
func threeSites(acks Acks, tweak func(*ClusterSpec)) ClusterSpec {
	spec := withTopic(baseSpec(siteSpecs(3, 1), 2*time.Millisecond), 2, []BrokerID{1, 2, 3})
	spec = withProducer(spec, 0, arrivalsAt(1e6, 1024), func(cfg *ProducerConfig) {
		cfg.Acks, cfg.EnableIdempotence = acks, acks == AcksAll
	})
	if tweak != nil {
		tweak(&spec)
	}
	return spec
}

func at(d time.Duration) sim.Time { return sim.Time(d) }

// gap returns the longest time partition 0 went without a successful acknowledgement.
func gap(c *Cluster, end sim.Time) time.Duration {
	g := c.producers[0].metrics.ackGaps[0]
	return time.Duration(max(g.longest, end-g.last))
}

// TestHardCrashOfLeaderFailsOverInSessionTimeout checks reference §4.6(a): after a hard crash
// of the leader, the controller fences it once broker.session.timeout.ms passes since its last
// heartbeat (about 7–9 s) and elects the next ISR member in replica order; the producer, which saw
// the connection reset, finds the new leader through metadata: writes stop for about 7.5–10.5 s.
func TestHardCrashOfLeaderFailsOverInSessionTimeout(t *testing.T) {
	spec := threeSites(AcksAll, func(sp *ClusterSpec) {
		sp.Faults = []FaultSpec{{At: 20 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashHard}}
	})
	s, c := run(t, spec, 50*time.Second)
	g := gap(c, s.Now())
	t.Logf("writes stopped for %v", g)
	assert.GreaterOrEqual(t, g, 7*time.Second)
	assert.LessOrEqual(t, g, 11*time.Second)
	assert.Equal(t, BrokerID(2), c.partitions[0].LeaderBroker(), "the first ISR member in replica order (§7.1)")
	assert.Zero(t, c.metrics.ackedLost)
}

// TestSilentCrashStallsForRequestTimeout checks reference §4.6(a) step 4: after a silent crash
// (no connection reset) requests in flight to the dead leader hang until request.timeout.ms
// (30 s), so the producer's outage is about 30 s although the controller fenced the broker after
// about 9 s.
func TestSilentCrashStallsForRequestTimeout(t *testing.T) {
	spec := threeSites(AcksAll, func(sp *ClusterSpec) {
		sp.Faults = []FaultSpec{{At: 20 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashSilent}}
	})
	s, c := run(t, spec, 70*time.Second)
	g := gap(c, s.Now())
	t.Logf("writes stopped for %v; fencings %d", g, c.metrics.fencings)
	assert.GreaterOrEqual(t, g, 29*time.Second)
	assert.LessOrEqual(t, g, 32*time.Second)
	assert.EqualValues(t, 1, c.metrics.fencings)
}

// TestControllerCrashFailsOverWhileProduceContinues checks reference §4.6(b): with 3 voters a new
// active controller is in place about 2–3 s after the active one crashes, and the data plane keeps
// acknowledging writes meanwhile.
func TestControllerCrashFailsOverWhileProduceContinues(t *testing.T) {
	spec := threeSites(AcksAll, func(sp *ClusterSpec) {
		sp.Faults = []FaultSpec{{At: 20 * time.Second, Kind: FaultControllerCrash}}
	})
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(at(20 * time.Second))
	var failover time.Duration
	for s.Now() < at(40*time.Second) && failover == 0 {
		s.RunUntil(s.Now().Add(10 * time.Millisecond))
		for _, k := range c.controllers {
			if k.active && !k.down && s.Now() > at(20*time.Second) {
				failover = s.Now().Sub(at(20 * time.Second))
			}
		}
	}
	s.RunUntil(at(40 * time.Second))
	t.Logf("new active controller after %v; longest ack gap %v", failover, gap(c, s.Now()))
	assert.GreaterOrEqual(t, failover, 1500*time.Millisecond)
	assert.LessOrEqual(t, failover, 3500*time.Millisecond)
	assert.Less(t, gap(c, s.Now()), time.Second, "produce continues")
	assert.Empty(t, c.CheckInvariants(s.Now()))
}

// TestThreeSiteClusterSurvivesSiteOutage checks reference §7.3 and §7.5: with RF=3 over three
// sites, min.insync.replicas=2 and acks=all, a whole-site outage costs the partitions led there a
// failover, the quorum keeps a majority, writes go on, and no acknowledged record is lost. The
// site goes dark silently, so requests in flight to its leaders hang until request.timeout.ms:
// those partitions stop for about 30 s (reference §4.6(a) step 4), the others not at all.
func TestThreeSiteClusterSurvivesSiteOutage(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(3, 3), 2*time.Millisecond), 2,
		[]BrokerID{1, 4, 7}, []BrokerID{4, 7, 1}, []BrokerID{7, 1, 4}, []BrokerID{2, 5, 8}, []BrokerID{8, 2, 5}, []BrokerID{6, 9, 3})
	spec = withProducer(spec, 0, arrivalsAt(2e6, 1024), nil)
	spec.Faults = []FaultSpec{{At: 20 * time.Second, Duration: 60 * time.Second, Kind: FaultSiteOutage, Site: 2}}
	s, c := run(t, spec, 120*time.Second)
	r := c.Resilience(s.Now())
	t.Logf("writable %.4f, longest gap %.1f s, lost %d, fencings %d", r.WritableFraction, r.MaxUnavailableSeconds,
		r.AckedRecordsLost, r.Fencings)
	assert.Zero(t, r.AckedRecordsLost)
	assert.InDelta(t, 30.0, r.MaxUnavailableSeconds, 1.5, "in-flight requests to the dark site time out")
	assert.EqualValues(t, 3, r.Fencings, "the three brokers of the site, one per event")
	assert.Positive(t, c.producers[0].metrics.AckedRecords)
	for _, p := range c.partitions {
		assert.GreaterOrEqual(t, p.meta.ISR.size(), 2, "%s back in the ISR after the site returns", p.Name())
	}
}

// TestTwoSiteClusterLosesMetadataPlane checks reference §7.5: with 2 + 1 voters over two sites,
// losing the site with two voters leaves no quorum: no active controller, no fencing, no leader
// election, until the end of the run.
func TestTwoSiteClusterLosesMetadataPlane(t *testing.T) {
	sites := []SiteSpec{{Name: "a", Brokers: 2, Controllers: 2}, {Name: "b", Brokers: 2, Controllers: 1}}
	spec := withTopic(baseSpec(sites, 2*time.Millisecond), 1, []BrokerID{3, 4, 1, 2})
	spec = withProducer(spec, 1, arrivalsAt(1e6, 1024), func(cfg *ProducerConfig) {
		cfg.Acks, cfg.EnableIdempotence = AcksLeader, false
	})
	spec.Faults = []FaultSpec{{At: 20 * time.Second, Kind: FaultSiteOutage, Site: 0}}
	s, c := run(t, spec, 60*time.Second)
	r := c.Resilience(s.Now())
	t.Logf("no active controller for %.1f s; fencings %d", r.ControllerUnavailable, r.Fencings)
	assert.Greater(t, r.ControllerUnavailable, 35.0)
	assert.Zero(t, r.Fencings, "nobody can fence the lost brokers")
	assert.Equal(t, BrokerID(3), c.partitions[0].LeaderBroker(), "the surviving leader keeps serving")
	assert.Less(t, gap(c, s.Now()), 2*time.Second, "acks=1 writes to the surviving side go on")
}

// jepsen runs Jepsen's 2013 sequence: cut the follower off from the leader, wait for the ISR to
// shrink, then crash the leader, and returns the acknowledged records lost.
func jepsen(t *testing.T, spec ClusterSpec) int64 {
	spec.Faults = []FaultSpec{
		{At: 10 * time.Second, Kind: FaultPartition, Groups: [][]SiteID{{0}, {1}}},
		{At: 70 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashHard},
	}
	s, c := run(t, spec, 100*time.Second)
	r := c.Resilience(s.Now())
	t.Logf("leader now %d, lost %d, unclean elections %d", c.partitions[0].LeaderBroker(), r.AckedRecordsLost, r.UncleanLeaderElections)
	return r.AckedRecordsLost
}

// TestJepsenSequence checks reference §3.2: with RF=2, min.insync.replicas=1, acks=1 and unclean
// election on, the follower cut off from the leader leaves the ISR, the leader keeps
// acknowledging alone, and when it crashes the unclean new leader lacks those records: they are
// lost. With RF=3 over three sites, min.insync.replicas=2, acks=all and unclean election off,
// nothing acknowledged is lost.
func TestJepsenSequence(t *testing.T) {
	// The cut separates the two brokers' sites only: the controllers sit in a third site that
	// both still reach, as in Jepsen's test (the follower is cut off from the leader, not fenced).
	sites := []SiteSpec{{Name: "a", Brokers: 1}, {Name: "b", Brokers: 1}, {Name: "c", Brokers: 1, Controllers: 3}}
	unsafe := withTopic(baseSpec(sites, 2*time.Millisecond), 1, []BrokerID{1, 2})
	unsafe.Topics[0].Config.UncleanLeaderElectionEnable = ptr(true)
	unsafe = withProducer(unsafe, 0, arrivalsAt(1e6, 1024), func(cfg *ProducerConfig) {
		cfg.Acks, cfg.EnableIdempotence = AcksLeader, false
	})
	assert.Positive(t, jepsen(t, unsafe), "acks=1 + unclean election loses acknowledged records")

	safe := withTopic(baseSpec(sites, 2*time.Millisecond), 2, []BrokerID{1, 2, 3})
	safe = withProducer(safe, 0, arrivalsAt(1e6, 1024), nil)
	assert.Zero(t, jepsen(t, safe), "acks=all + min ISR 2 + clean election loses nothing")
}

func ptr[T any](v T) *T { return &v }

// TestELRLastReplicaStandingWithBrokers runs KIP-966's sequence on live brokers: of [1,2,3] with
// min ISR 2, broker 3 crashes, then 2 and then 1 shut down cleanly. When 2 alone comes back, with
// ELR it leads (cleanly: it has every committed record, since the HW froze below min ISR); without
// ELR the partition stays offline.
func TestELRLastReplicaStandingWithBrokers(t *testing.T) {
	for _, elr := range []bool{true, false} {
		spec := threeSites(AcksAll, func(sp *ClusterSpec) {
			sp.Controller.EligibleLeaderReplicasEnable = elr
			sp.Faults = []FaultSpec{
				{At: 10 * time.Second, Kind: FaultBrokerCrash, Broker: 3, Mode: CrashHard},
				{At: 25 * time.Second, Kind: FaultBrokerCrash, Broker: 2, Mode: CrashClean},
				{At: 35 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashClean},
				{At: 45 * time.Second, Kind: FaultBrokerRestart, Broker: 2},
			}
		})
		s, c := run(t, spec, 70*time.Second)
		p := c.partitions[0]
		t.Logf("elr=%v: leader %d, ISR %v, lost %d", elr, p.LeaderBroker(), p.ISRBrokers(), c.metrics.ackedLost)
		if elr {
			assert.Equal(t, BrokerID(2), p.LeaderBroker())
		} else {
			assert.Equal(t, BrokerID(-1), p.LeaderBroker())
		}
		assert.Zero(t, c.metrics.ackedLost)
		assert.Empty(t, c.CheckInvariants(s.Now()))
	}
}

// TestControlledShutdownMovesLeadersWithKIP951Hints checks reference §4.4 (controlled shutdown
// moves leadership before the broker stops) and §5.2 (KIP-951: the old leader's
// NOT_LEADER_OR_FOLLOWER carries the new leader, and the producer retries there without backoff
// or a metadata round): writes barely pause.
func TestControlledShutdownMovesLeadersWithKIP951Hints(t *testing.T) {
	spec := threeSites(AcksAll, func(sp *ClusterSpec) {
		sp.Faults = []FaultSpec{{At: 20 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashClean}}
	})
	s, c := run(t, spec, 20*time.Second)
	for !c.brokers[0].down && s.Now() < at(40*time.Second) {
		s.RunUntil(s.Now().Add(10 * time.Millisecond))
	}
	stopped := s.Now()
	s.RunUntil(at(40 * time.Second))
	m := c.producers[0].metrics
	t.Logf("stopped at %v; longest gap %v, NOT_LEADER_OR_FOLLOWER %d, leader %d", stopped, gap(c, s.Now()), m.Errors[ErrNotLeaderOrFollower], c.partitions[0].LeaderBroker())
	// The first heartbeat in PENDING_CONTROLLED_SHUTDOWN goes 50 ms after the answer, later ones
	// every broker.heartbeat.interval.ms (2 s): the stop waits for the other brokers' heartbeats to
	// report the shutdown record; at 20.05 s they have not, so the stop comes with the heartbeat
	// one interval later.
	assert.Greater(t, stopped, at(20*time.Second+50*time.Millisecond+2*time.Second))
	assert.Less(t, stopped, at(24*time.Second))
	assert.Equal(t, BrokerID(2), c.partitions[0].LeaderBroker())
	assert.Less(t, gap(c, s.Now()), 500*time.Millisecond)
	assert.True(t, c.brokers[0].down, "the broker stopped once it led nothing")
	assert.Zero(t, c.metrics.ackedLost)
}

// TestAFaultKillsABrokerInControlledShutdown: a clean crash starts a controlled shutdown, which
// takes a heartbeat interval or more (above); a site outage or a hard crash of the same broker
// 0.5 s later kills the process at once. Before, the first fault's hold kept the second from
// reaching the process: with power_loss, a host without power went on appending to a log that
// start-up recovery later cut below what the others had trimmed (a fuzzed run panicked).
func TestAFaultKillsABrokerInControlledShutdown(t *testing.T) {
	for name, second := range map[string]FaultSpec{
		"site outage with power loss": {At: 20*time.Second + 500*time.Millisecond, Duration: 5 * time.Second, Kind: FaultSiteOutage, Site: 0, PowerLoss: true},
		"hard crash":                  {At: 20*time.Second + 500*time.Millisecond, Duration: 5 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashHard},
	} {
		t.Run(name, func(t *testing.T) {
			spec := threeSites(AcksAll, func(sp *ClusterSpec) {
				sp.Faults = []FaultSpec{{At: 20 * time.Second, Duration: 30 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashClean}, second}
			})
			s, c := run(t, spec, 20*time.Second+499*time.Millisecond)
			b := c.brokers[0]
			require.False(t, b.down, "still in its controlled shutdown")
			require.True(t, b.lifecycle.stopping)
			s.RunUntil(at(20*time.Second + 500*time.Millisecond))
			assert.True(t, b.down, "the second fault killed it")
			s.RunUntil(at(60 * time.Second))
			assert.False(t, b.down, "back when both faults ended")
			assert.Empty(t, c.CheckInvariants(s.Now()))
		})
	}
}

// TestPreferredLeaderReturns checks reference §3.3: after the preferred replica comes back and
// rejoins the ISR, the periodic check (leader.imbalance.check.interval.seconds) runs a PREFERRED
// election and leadership returns to it.
func TestPreferredLeaderReturns(t *testing.T) {
	spec := threeSites(AcksAll, func(sp *ClusterSpec) {
		sp.Broker.LeaderImbalanceCheckInterval = 30 * time.Second
		sp.Faults = []FaultSpec{{At: 10 * time.Second, Duration: 10 * time.Second, Kind: FaultBrokerCrash, Broker: 1}}
	})
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(at(25 * time.Second))
	assert.Equal(t, BrokerID(2), c.partitions[0].LeaderBroker(), "failed over while broker 1 was down")
	s.RunUntil(at(90 * time.Second))
	assert.Equal(t, BrokerID(1), c.partitions[0].LeaderBroker(), "the preferred replica leads again")
	assert.Empty(t, c.CheckInvariants(s.Now()))
}

// TestLeaderRestartBeforeFencing covers a leader that crashes and comes back within the session
// timeout: it re-registers (leaving its ISRs, so a new leader is elected), catches up, rejoins,
// and the followers' fetch sessions on it come back, so that replication and acks=all writes run
// at full speed again afterwards.
func TestLeaderRestartBeforeFencing(t *testing.T) {
	spec := threeSites(AcksAll, func(sp *ClusterSpec) {
		sp.Faults = []FaultSpec{{At: 20 * time.Second, Duration: 3 * time.Second, Kind: FaultBrokerCrash, Broker: 1}}
	})
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(at(60 * time.Second))
	before := c.producers[0].metrics.AckedRecords
	s.RunUntil(at(90 * time.Second))
	acked := c.producers[0].metrics.AckedRecords - before
	p := c.partitions[0]
	t.Logf("acked %d records in the last 30 s; leader %d, ISR %v", acked, p.LeaderBroker(), p.ISRBrokers())
	assert.InDelta(t, 30*1e6/1024, float64(acked), 30*1e6/1024*0.02, "full rate: 1 MB/s of 1 KiB records")
	assert.Len(t, p.ISRBrokers(), 3)
	assert.Zero(t, c.metrics.ackedLost)
	assert.Empty(t, c.CheckInvariants(s.Now()))
	// The broker epoch is the offset of its RegisterBrokerRecord, the last record of the
	// registration's write (which first moves the restarted broker out of ISRs and ELRs).
	for _, k := range c.controllers {
		if k.active {
			assert.Equal(t, k.committed.brokers[0].epoch, c.brokers[0].lifecycle.epoch, "broker 1 heartbeats with its epoch")
			assert.Equal(t, k.committed.brokers[0].regOffset, Offset(c.brokers[0].lifecycle.epoch))
		}
	}
	assert.Equal(t, 1, c.brokers[0].lifecycle.registers, "one registration since the restart: no STALE_BROKER_EPOCH")
}

// TestOverlappingControllerCrashesRestartTheirOwn: two controller-crash faults that overlap
// each crash the controller active at their start and each restart that one at their end.
func TestOverlappingControllerCrashesRestartTheirOwn(t *testing.T) {
	spec := threeSites(AcksAll, func(sp *ClusterSpec) {
		sp.Faults = []FaultSpec{
			{At: 5 * time.Second, Duration: 20 * time.Second, Kind: FaultControllerCrash},
			{At: 10 * time.Second, Duration: 5 * time.Second, Kind: FaultControllerCrash},
		}
	})
	s, c := run(t, spec, 12*time.Second)
	down := 0
	for _, k := range c.controllers {
		if k.down {
			down++
		}
	}
	require.Equal(t, 2, down, "both crashes took a controller down")
	s.RunUntil(at(40 * time.Second))
	for _, k := range c.controllers {
		assert.False(t, k.down, "controller %d restarted", k.ID)
	}
	assert.Empty(t, c.CheckInvariants(s.Now()))
}

// TestIdempotentRetriesDoNotDuplicate checks reference §5.2: when a broker-to-broker cut makes
// acks=all requests time out and the producer retries them, the idempotent producer
// (enable.idempotence=true, the default) appends every record once; without idempotence the
// retries of already-appended batches duplicate records.
func TestIdempotentRetriesDoNotDuplicate(t *testing.T) {
	for _, idem := range []bool{true, false} {
		sites := []SiteSpec{{Name: "a", Brokers: 1}, {Name: "b", Brokers: 1}, {Name: "c", Brokers: 1, Controllers: 3}}
		spec := withTopic(baseSpec(sites, 2*time.Millisecond), 2, []BrokerID{1, 2, 3})
		// The producer stops at 80 s, 10 s after the partition heals, so that by 110 s every
		// record it was handed has been acknowledged or has failed: none is left in flight.
		arr := arrivalsAt(200e3, 1024)
		arr.stop = 80e9
		spec = withProducer(spec, 0, arr, func(cfg *ProducerConfig) { cfg.EnableIdempotence = idem })
		spec.Faults = []FaultSpec{{At: 10 * time.Second, Duration: 60 * time.Second, Kind: FaultPartition, Groups: [][]SiteID{{0}, {1}}}}
		_, c := run(t, spec, 110*time.Second)
		p := c.producers[0]
		leo := int64(c.partitions[0].leaderReplica().log.leo)
		t.Logf("idempotence=%v: %d records in the log, %d acknowledged, %d failed, timeouts %d", idem, leo,
			p.metrics.AckedRecords, p.metrics.FailedRecords, p.metrics.Errors[ErrNetworkException]+p.metrics.Errors[ErrRequestTimedOut])
		require.Zero(t, p.metrics.FailedRecords)
		require.Positive(t, p.metrics.Errors[ErrNetworkException]+p.metrics.Errors[ErrRequestTimedOut], "requests timed out and were retried")
		if idem {
			assert.Equal(t, p.metrics.AckedRecords, leo, "no record appended twice")
		} else {
			// Only the request the leader had read when the producer timed out was appended
			// before the retry: the ones behind it waited unread on the connection (§2.8a) and
			// went with it. Its records are in the log twice.
			assert.Greater(t, leo, p.metrics.AckedRecords, "retries duplicate records")
		}
	}
}

// TestMetadataRefreshBacksOff checks reference §5.2 (Metadata.timeToAllowUpdate): while a
// partition has no leader, the producer keeps asking for metadata, but no more often than once per
// retry.backoff.ms (100 ms) after the previous answer, not once per round trip.
func TestMetadataRefreshBacksOff(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(3, 1), 2*time.Millisecond), 1, []BrokerID{1})
	spec = withProducer(spec, 0, arrivalsAt(1e6, 1024), nil)
	spec.Faults = []FaultSpec{{At: 5 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashHard}}
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(at(5 * time.Second))
	before := c.producers[0].meta.sent
	s.RunUntil(at(25 * time.Second))
	n := c.producers[0].meta.sent - before
	t.Logf("%d metadata requests in 20 s without a leader", n)
	assert.Greater(t, n, 100, "the producer keeps looking for a leader")
	assert.LessOrEqual(t, n, 200, "at most one per retry.backoff.ms")
}

// TestPreferredElectionsPastTheCap checks reference §3.3: one rebalance run elects at most
// MAX_ELECTIONS_PER_IMBALANCE (1000) preferred leaders and, having hit the cap, runs again 10 ms
// later rather than one leader.imbalance.check.interval.seconds later.
func TestPreferredElectionsPastTheCap(t *testing.T) {
	assignment := make([][]BrokerID, 1500)
	for i := range assignment {
		assignment[i] = []BrokerID{1, 2, 3}
	}
	spec := withTopic(baseSpec(siteSpecs(3, 1), 2*time.Millisecond), 2, assignment...)
	spec.Broker.LeaderImbalanceCheckInterval = time.Minute
	spec.Faults = []FaultSpec{{At: 10 * time.Second, Duration: 10 * time.Second, Kind: FaultBrokerCrash, Broker: 1}}
	s, c := run(t, spec, 30*time.Second)
	moved := 0
	for _, p := range c.partitions {
		if p.LeaderBroker() != 1 {
			moved++
		}
	}
	require.Equal(t, 1500, moved, "the crash moved every leader away")
	s.RunUntil(at(90 * time.Second)) // the check armed at the failover (~19 s) runs at ~79 s
	back := 0
	for _, p := range c.partitions {
		if p.LeaderBroker() == 1 {
			back++
		}
	}
	assert.Equal(t, 1500, back)
	assert.Empty(t, c.CheckInvariants(s.Now()))
}

// TestRequestOnAThreadDiesWithItsBroker checks that a request a handler thread took before its
// broker crashed is not completed by the restarted process, which starts with num.io.threads
// free threads: its thread's time running out after the restart frees no extra thread.
func TestRequestOnAThreadDiesWithItsBroker(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(2, 1), time.Millisecond), 1, ids(1, 2))
	spec.Hardware.RequestCPUTime = 200 * time.Millisecond // every request holds its thread this long
	spec = withProducer(spec, 0, arrivalsAt(1e6, 1024), nil)
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(at(5 * time.Second))
	b := c.brokers[0]
	threads := max(b.cfg.NumIOThreads, 1)
	require.Less(t, b.io.free, threads, "requests are on threads")
	produced := b.metrics.ProduceRequests
	b.stop(s, false)
	b.restart(s)
	require.Equal(t, threads, b.io.free)
	s.RunUntil(s.Now().Add(150 * time.Millisecond)) // before the new process's first request is done
	assert.Equal(t, produced, b.metrics.ProduceRequests, "the dead process's requests are not appended")
	assert.LessOrEqual(t, b.io.free, threads, "no thread is freed twice")
}
