package model

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// TestTrimmingIsBookkeeping checks that forgetting read batches (Replica.maybeTrim) is memory
// bookkeeping only: under faults that make replicas truncate and fetch again, and consumers move
// between replicas (a site outage, hard crashes of leaders with a tail nobody replicated, a
// network partition, and the three replicas of a partition crashing in turn so that the first
// back is elected uncleanly and the others truncate below their high watermarks), a run with
// trimming gives the same events, in the same order, and the same broker counters as a run that
// keeps every batch. It fails without the floor's epoch term or the consumer's last-sent offset. A read below what a log holds panics
// (replicaLog.mustHold), so a trim that forgot batches still read fails the run outright; the
// logs trim at every append here, not only when their arrays fill, so that it does at once.
func TestTrimmingIsBookkeeping(t *testing.T) {
	defer func() { trimLogs, trimEager = true, false }()
	trimEager = true // trim at every append: a floor too high panics at once
	faults := map[string][]FaultSpec{
		"site outage": {{At: 8 * time.Second, Duration: 15 * time.Second, Kind: FaultSiteOutage, Site: 1}},
		"hard crashes": {
			{At: 6 * time.Second, Duration: 4 * time.Second, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashHard},
			{At: 12 * time.Second, Duration: 4 * time.Second, Kind: FaultBrokerCrash, Broker: 5, Mode: CrashHard},
		},
		"partition, unclean": {{At: 6 * time.Second, Duration: 12 * time.Second, Kind: FaultPartition, Groups: [][]SiteID{{0}, {1, 2}}}},
		// Three brokers die one after the other, so that the last of some partitions' ISR dies
		// too; the first comes back first and is elected uncleanly, and the others truncate below
		// their high watermarks when they return.
		"crashes, unclean": nil, // partition 0's replicas, below
	}
	s := sim.New(1)
	spec := referenceSpec(s)
	spec.Topics[0].Partitions = 24
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	rs := c.partitions[0].Replicas
	faults["crashes, unclean"] = []FaultSpec{
		{At: 3 * time.Second, Duration: 40 * time.Second, Kind: FaultBrokerCrash, Broker: rs[1], Mode: CrashHard},
		{At: 16 * time.Second, Duration: 34 * time.Second, Kind: FaultBrokerCrash, Broker: rs[2], Mode: CrashHard},
		{At: 29 * time.Second, Duration: 24 * time.Second, Kind: FaultBrokerCrash, Broker: rs[0], Mode: CrashHard},
	}
	for name, fs := range faults {
		t.Run(name, func(t *testing.T) {
			runOnce := func(trim bool) string {
				trimLogs = trim
				s := sim.New(1)
				spec := referenceSpec(s)
				spec.Topics[0].Partitions = 24
				unclean := strings.HasSuffix(name, "unclean")
				spec.Topics[0].Config.UncleanLeaderElectionEnable = &unclean
				spec.Consumers = []ConsumerSpec{{Name: "c", Site: 2, Topic: "t", Config: DefaultConsumerConfig()}}
				spec.Faults = fs
				for i := range spec.Producers {
					// Small batches, so that a new leader's first batches are shorter than the
					// tail an old leader comes back with and truncates.
					spec.Producers[i].Config.BatchSize = 4096
				}
				d := sim.NewDigest()
				s.SetTrace(d.Observe)
				c, err := NewCluster(s, spec)
				require.NoError(t, err)
				s.RunUntil(sim.Time(70 * time.Second))
				require.Empty(t, c.CheckInvariants(s.Now()))
				out := fmt.Sprintf("events %d digest %x unclean elections %d", d.Count(), d.Sum64(), c.Resilience(s.Now()).UncleanLeaderElections)
				for _, b := range c.brokers {
					out += fmt.Sprintf("\n%d %+v", b.ID, b.Metrics())
				}
				return out
			}
			keep := runOnce(false)
			if name == "crashes, unclean" {
				require.NotContains(t, keep, "unclean elections 0", "the case must elect a leader uncleanly")
			}
			require.Equal(t, keep, runOnce(true))
		})
	}
}

// TestAgreeBelow checks where two epoch caches part: at the first entry they do not share, from
// the lower of its two starts.
func TestAgreeBelow(t *testing.T) {
	e := func(pairs ...int) []epochRef {
		var out []epochRef
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, epochRef{epoch: int32(pairs[i]), start: Offset(pairs[i+1])})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		a, b []epochRef
		want Offset
	}{
		{"same", e(1, 0, 3, 100), e(1, 0, 3, 100), noOffsetBound},
		{"both empty", nil, nil, noOffsetBound},
		{"one empty", e(1, 0), nil, 0},
		{"a newer epoch on one", e(1, 0, 3, 100), e(1, 0), 100},
		{"a newer epoch on the other", e(1, 0), e(1, 0, 3, 100), 100},
		// The fuzzed case: the leader (a) led epochs 3 and 5; the follower (b) led epoch 4,
		// which the leader never saw, from 6055. Before, the floor took the start of the first
		// epoch newer than the follower's latest (46996), and the follower truncated to 6055.
		{"an epoch only the follower led", e(1, 0, 3, 39875, 5, 46996), e(1, 0, 4, 6055), 6055},
		{"the same epoch from different offsets", e(1, 0, 2, 50), e(1, 0, 2, 70), 50},
	} {
		require.Equal(t, tc.want, agreeBelow(tc.a, tc.b), tc.name)
		require.Equal(t, tc.want, agreeBelow(tc.b, tc.a), tc.name+", swapped")
	}
}

// TestFloorHoldsWhereAFollowerWillTruncate sets up the fuzzed case on a partition's two
// replicas: the leader's log has epochs 1, 3 and 5; the follower's has epochs 1 and 4 (it led
// epoch 4 uncleanly, and the leader never saw it), and a high watermark far above where the two
// logs part. The follower will truncate to 6055, the end of epoch 1 on its side (KIP-320), and
// fetch from there; the leader must keep its batches from there.
func TestFloorHoldsWhereAFollowerWillTruncate(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(2, 1), 2*time.Millisecond), 1, []BrokerID{1, 2})
	c, err := NewCluster(sim.New(1), spec)
	require.NoError(t, err)
	p := c.partitions[0]
	leader, follower := p.reps[0], p.reps[1]
	leader.log = replicaLog{}
	for _, b := range []struct {
		epoch int32
		to    Offset
	}{{1, 6055}, {1, 39875}, {3, 46996}, {5, 47708}} {
		leader.log.append(int64(b.to-leader.log.leo), Bytes(b.to-leader.log.leo), b.epoch, 0, 0)
	}
	leader.log.hw = leader.log.leo
	follower.log = replicaLog{}
	follower.log.append(6055, 6055, 1, 0, 0)
	follower.log.append(25041-6055, 25041-6055, 4, 0, 0)
	follower.log.hw = follower.log.leo
	keep := p.retainFrom(leader)
	require.LessOrEqual(t, keep, Offset(6055), "the leader keeps what the follower will fetch after truncating")
	leader.log.trim(keep)
	require.Equal(t, Offset(6055), leader.log.start)
	require.Equal(t, int64(39875-6055), leader.log.bytesFrom(6055, 39875), "and reads it")
}

// TestStaleFollowerFetchIsAnsweredWithoutARead hands the leader a follower's Fetch of an earlier
// leader epoch, from an offset below the batches the leader still holds (a Fetch delayed by a
// partition of the network while the follower truncated and moved on). Kafka reads nothing of a
// fenced partition and answers at once (ReplicaManager.fetchMessages: errorReadingData); before,
// the model counted the partition's bytes toward replica.fetch.min.bytes from that offset, and
// the read panicked (replicaLog.mustHold).
func TestStaleFollowerFetchIsAnsweredWithoutARead(t *testing.T) {
	s, c := run(t, threeSites(AcksAll, nil), 10*time.Second)
	p := c.partitions[0]
	leader := p.reps[0]
	require.True(t, leader.leader)
	leader.log.trim(leader.log.hw) // as if every reader were past the HW
	require.Positive(t, leader.log.start)
	b, follower := c.brokers[0], c.brokers[1]
	f := follower.fetcherFor(b, int(p.fetcherID))
	req := &fetchRequest{replica: true, follower: follower.ID, fetcherID: int(p.fetcherID), maxWait: 500 * time.Millisecond,
		minBytes: 1, maxBytes: 10 << 20, partMax: 1 << 20, full: true, gen: 1 << 40,
		parts: []fetchPart{{p: p, offset: 0, leaderEpoch: leader.leaderEpoch - 1, lastFetchedEpoch: -1}}}
	b.onFetch(s, req, fetchCall{conn: f.conn, connEpoch: f.conn.Epoch(), gen: req.gen, replica: true,
		minBytes: req.minBytes, maxBytes: req.maxBytes, partMax: req.partMax})
	ls := b.leaderSessions[c.brokerIndex(follower.ID)*b.cfg.NumReplicaFetchers+req.fetcherID]
	require.NotNil(t, ls)
	assert.Nil(t, ls.parked, "answered at once, not parked for replica.fetch.wait.max.ms")
	require.Len(t, ls.resp.parts, 1)
	assert.Equal(t, ErrFencedLeaderEpoch, ls.resp.parts[0].err)
	assert.Empty(t, ls.resp.parts[0].batches)
}

// TestUnlistedDivergingPartitionUpdatesNothing checks Partition.fetchRecords for a partition a
// Fetch does not list: the leader validates its cached fetch state on every Fetch of the session,
// and one whose log diverges from the leader's (here: an offset above the leader's log end, in
// the leader's latest epoch, as a follower that led an epoch the leader never saw fetches) updates
// no follower state; the response carries the divergence. Counted as the follower's LEO, that
// offset made a leader expand the ISR and raise the HW over records the follower did not have: an
// acknowledged record lost in a fuzzed run (repro isr-expanded-on-a-diverging-fetch.yaml).
func TestUnlistedDivergingPartitionUpdatesNothing(t *testing.T) {
	s, c := run(t, threeSites(AcksAll, nil), 10*time.Second)
	p := c.partitions[0]
	leader := p.reps[0]
	require.True(t, leader.leader)
	b, follower := c.brokers[0], c.brokers[1]
	ls := b.leaderSessions[c.brokerIndex(follower.ID)*b.cfg.NumReplicaFetchers+int(p.fetcherID)]
	require.NotNil(t, ls)
	sp := ls.find(p)
	require.NotNil(t, sp)
	pos := int(sp.pos)
	// The follower fetched last from above the leader's log end; then the controller took it out
	// of the ISR, so the leader re-examines the partition on every Fetch of the session.
	sp.offset, sp.lastEp, sp.epoch = leader.log.leo+100, leader.log.latestEpoch(), leader.leaderEpoch
	leader.isr = leader.isr.without(pos)
	leader.setMaximal(leader.isr)
	require.True(t, sp.explicit)
	before := leader.followers[pos].leo
	hw := leader.log.hw

	b.updateSessionPart(s, sp, nil)
	assert.Equal(t, before, leader.followers[pos].leo, "the follower's LEO is not the diverging offset")
	assert.False(t, leader.maximal.has(pos), "no ISR expansion on it")
	assert.Equal(t, hw, leader.log.hw)
	assert.False(t, sp.explicit)
	assert.True(t, sp.dirty, "the next response carries the divergence")
}
