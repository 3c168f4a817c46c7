package placement

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// distributionChecks selects the checks of Kafka's RackAwareTest.checkReplicaDistribution
// (core/src/test/scala/unit/kafka/admin/RackAwareTest.scala); no duplicate broker in a partition
// is always checked.
type distributionChecks struct {
	rackAware, leaders, replicas bool
}

var allChecks = distributionChecks{rackAware: true, leaders: true, replicas: true}

// checkReplicaDistribution checks the invariants of reference §1.4 on one assignment.
func checkReplicaDistribution(t *testing.T, layout [][]BrokerID, rackOf map[BrokerID]string, rf int, c distributionChecks) {
	t.Helper()
	leaders := make(map[BrokerID]int)
	replicas := make(map[BrokerID]int)
	for p, rs := range layout {
		assert.Len(t, rs, rf, "partition %d", p)
		seen := make(map[BrokerID]bool)
		racks := make(map[string]bool)
		for _, b := range rs {
			assert.False(t, seen[b], "partition %d: broker %d twice in %v", p, b, rs)
			seen[b] = true
			racks[rackOf[b]] = true
			replicas[b]++
		}
		leaders[rs[0]]++
		if c.rackAware {
			assert.Len(t, racks, rf, "partition %d: %v spans %d racks", p, rs, len(racks))
		}
	}
	n, nb := len(layout), len(rackOf)
	for b := range rackOf {
		if c.leaders {
			assert.Equal(t, n/nb, leaders[b], "leader count of broker %d", b)
		}
		if c.replicas {
			assert.Equal(t, n*rf/nb, replicas[b], "replica count of broker %d", b)
		}
	}
}

// forEachDraw runs f for the fixed options given, or, with none given, for every start index and
// shift that Kafka's two random draws can produce.
func forEachDraw(t *testing.T, nBrokers, startPartition int, fixedOpts []LegacyOptions, f func(t *testing.T, opts LegacyOptions)) {
	opts := fixedOpts
	if len(opts) == 0 {
		for s := range nBrokers {
			for h := range nBrokers {
				opts = append(opts, LegacyOptions{StartIndex: s, Shift: h, StartPartition: startPartition})
			}
		}
	}
	for _, o := range opts {
		t.Run(fmt.Sprintf("start=%d,shift=%d", o.StartIndex, o.Shift), func(t *testing.T) { f(t, o) })
	}
}

// The per-test uses of reference §1.4 (AdminRackAwareTest.scala). Tests that use Kafka's random
// start index are run for every start index and shift the draws can give.
func TestAssignLegacyDistributionInvariants(t *testing.T) {
	sixIn3 := map[BrokerID]string{0: "rack1", 1: "rack2", 2: "rack2", 3: "rack3", 4: "rack3", 5: "rack1"}
	tests := []struct {
		name              string
		racks             map[BrokerID]string
		partitions, rf    int
		startPartition    int
		fixed             []LegacyOptions
		checks            distributionChecks
		racksPerPartition int // 0: not checked
		leadsPerBroker    int // 0: not checked
	}{
		{name: "testAssignmentWithRackAware", racks: sixIn3, partitions: 6, rf: 3, fixed: []LegacyOptions{fixed(2, 0)}, checks: allChecks},
		{name: "testAssignmentWithRackAwareWithRandomStartIndex", racks: sixIn3, partitions: 6, rf: 3, checks: allChecks},
		{name: "testAssignmentWithRackAwareWithUnevenReplicas", racks: sixIn3, partitions: 13, rf: 3,
			fixed: []LegacyOptions{fixed(0, 0)}, checks: distributionChecks{rackAware: true}},
		{name: "testAssignmentWithRackAwareWithUnevenRacks", partitions: 12, rf: 3,
			racks:  map[BrokerID]string{0: "rack1", 1: "rack1", 2: "rack2", 3: "rack3", 4: "rack3", 5: "rack1"},
			checks: distributionChecks{rackAware: true, leaders: true}},
		{name: "testAssignmentWith2ReplicasRackAware", racks: sixIn3, partitions: 12, rf: 2, checks: allChecks},
		{name: "testRackAwareExpansion", partitions: 12, rf: 2, startPartition: 12, checks: allChecks,
			racks: map[BrokerID]string{6: "rack1", 7: "rack2", 8: "rack2", 9: "rack3", 10: "rack3", 11: "rack1"}},
		{name: "testAssignmentWith2ReplicasRackAwareWith6Partitions", racks: sixIn3, partitions: 6, rf: 2, checks: allChecks},
		{name: "testAssignmentWith2ReplicasRackAwareWith6PartitionsAnd3Brokers", partitions: 3, rf: 2, checks: allChecks,
			racks: map[BrokerID]string{0: "rack1", 1: "rack2", 4: "rack3"}},
		{name: "testLargeNumberPartitionsAssignment", partitions: 96, rf: 3, checks: allChecks,
			racks: map[BrokerID]string{0: "rack1", 1: "rack2", 2: "rack2", 3: "rack3", 4: "rack3", 5: "rack1",
				6: "rack1", 7: "rack2", 8: "rack2", 9: "rack3", 10: "rack1", 11: "rack3"}},
		{name: "testMoreReplicasThanRacks", partitions: 6, rf: 5, racksPerPartition: 3,
			racks: map[BrokerID]string{0: "rack1", 1: "rack2", 2: "rack2", 3: "rack3", 4: "rack3", 5: "rack2"}},
		{name: "testLessReplicasThanRacks", partitions: 6, rf: 2, racksPerPartition: 2,
			racks: map[BrokerID]string{0: "rack1", 1: "rack2", 2: "rack2", 3: "rack3", 4: "rack3", 5: "rack2"}},
		{name: "testSingleRack", partitions: 6, rf: 3, racksPerPartition: 1, leadsPerBroker: 1,
			racks: map[BrokerID]string{0: "rack1", 1: "rack1", 2: "rack1", 3: "rack1", 4: "rack1", 5: "rack1"}},
		{name: "testSkipBrokerWithReplicaAlreadyAssigned", partitions: 6, rf: 4, fixed: []LegacyOptions{fixed(2, -1)},
			racks: map[BrokerID]string{0: "a", 1: "b", 2: "c", 3: "a", 4: "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachDraw(t, len(tt.racks), tt.startPartition, tt.fixed, func(t *testing.T, opts LegacyOptions) {
				layout := mustAssignLegacy(t, rackedBrokers(tt.racks), tt.partitions, tt.rf, opts)
				checkReplicaDistribution(t, layout, tt.racks, tt.rf, tt.checks)
				checkExactSpread(t, layout, tt.racks, tt.racksPerPartition, tt.leadsPerBroker)
			})
		})
	}
}

// checkExactSpread checks the exact rack count per partition and leader count per broker that
// testMoreReplicasThanRacks, testLessReplicasThanRacks and testSingleRack assert; 0 skips a check.
func checkExactSpread(t *testing.T, layout [][]BrokerID, rackOf map[BrokerID]string, racksPerPartition, leadsPerBroker int) {
	t.Helper()
	leaders := make(map[BrokerID]int)
	for p, rs := range layout {
		leaders[rs[0]]++
		racks := make(map[string]bool)
		for _, b := range rs {
			racks[rackOf[b]] = true
		}
		if racksPerPartition > 0 {
			assert.Len(t, racks, racksPerPartition, "partition %d: %v", p, rs)
		}
	}
	if leadsPerBroker > 0 {
		for b := range rackOf {
			assert.Equal(t, leadsPerBroker, leaders[b], "leader count of broker %d", b)
		}
	}
}
