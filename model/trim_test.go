package model

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// TestTrimmingIsBookkeeping checks that forgetting read batches (Replica.maybeTrim) is memory
// bookkeeping only: under faults that make replicas truncate and fetch again (a site outage whose
// brokers restart to their high-watermark checkpoints, hard crashes, a network partition with
// unclean election), a run with trimming gives the same events, in the same order, and the same
// broker counters as a run that keeps every batch. A read below what a log holds panics
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
	}
	for name, fs := range faults {
		t.Run(name, func(t *testing.T) {
			runOnce := func(trim bool) string {
				trimLogs = trim
				s := sim.New(1)
				spec := referenceSpec(s)
				spec.Topics[0].Partitions = 24
				unclean := name == "partition, unclean"
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
				s.RunUntil(sim.Time(40 * time.Second))
				require.Empty(t, c.CheckInvariants(s.Now()))
				out := fmt.Sprintf("events %d digest %x", d.Count(), d.Sum64())
				for _, b := range c.brokers {
					out += fmt.Sprintf("\n%d %+v", b.ID, b.Metrics())
				}
				return out
			}
			require.Equal(t, runOnce(false), runOnce(true))
		})
	}
}
