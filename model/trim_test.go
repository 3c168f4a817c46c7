package model

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
// (replicaLog.mustHold), so a trim that forgot batches still read fails the run outright.
func TestTrimmingIsBookkeeping(t *testing.T) {
	defer func() { trimLogs = true }()
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
