package placement

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var a1Racks = map[BrokerID]string{0: "rack1", 1: "rack3", 2: "rack3", 3: "rack2", 4: "rack2", 5: "rack1"}

// Reference table A1, A2 (AdminRackAwareTest.testGetRackAlternatedBrokerListAndAssignReplicasToBrokers).
func TestRackAlternatedBrokerList(t *testing.T) {
	assert.Equal(t, ids(0, 3, 1, 5, 4, 2), rackAlternatedBrokerList(a1Racks), "A1")
	a2 := map[BrokerID]string{0: "rack1", 1: "rack3", 2: "rack3", 3: "rack2", 4: "rack2"}
	assert.Equal(t, ids(0, 3, 1, 4, 2), rackAlternatedBrokerList(a2), "A2")
	dc := map[BrokerID]string{1: "DC1", 2: "DC1", 3: "DC1", 4: "DC2", 5: "DC2", 6: "DC2"}
	assert.Equal(t, ids(1, 4, 2, 5, 3, 6), rackAlternatedBrokerList(dc), "§1.5 (i)")
}

func TestReplicaIndex(t *testing.T) {
	// (first + 1 + (shift + j) mod (n-1)) mod n
	assert.Equal(t, 1, replicaIndex(0, 0, 0, 5))
	assert.Equal(t, 0, replicaIndex(3, 0, 1, 5))
	assert.Equal(t, 4, replicaIndex(0, 3, 0, 5))
	assert.Equal(t, 1, replicaIndex(0, 4, 0, 5), "shift is taken mod n-1")
}

func TestAssignLegacyKafkaVectors(t *testing.T) {
	tests := []struct {
		name       string
		brokers    []Broker
		partitions int
		rf         int
		opts       LegacyOptions
		want       [][]BrokerID
	}{
		{"A3 rack-aware, shift increment at p6", rackedBrokers(a1Racks), 7, 3, fixed(0, 0), [][]BrokerID{
			{0, 3, 1}, {3, 1, 5}, {1, 5, 4}, {5, 4, 2}, {4, 2, 0}, {2, 0, 3}, {0, 4, 2}}},
		{"A4 rack-unaware (testReplicaAssignment)", plainBrokers(0, 1, 2, 3, 4), 10, 3, fixed(0, -1), [][]BrokerID{
			{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 0}, {4, 0, 1}, {0, 2, 3}, {1, 3, 4}, {2, 4, 0}, {3, 0, 1}, {4, 1, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, mustAssignLegacy(t, tt.brokers, tt.partitions, tt.rf, tt.opts))
		})
	}
}

// Reference §1.5: hand-checked layouts.
func TestAssignLegacyHandChecks(t *testing.T) {
	dc := rackedBrokers(map[BrokerID]string{1: "DC1", 2: "DC1", 3: "DC1", 4: "DC2", 5: "DC2", 6: "DC2"})
	zero := LegacyOptions{StartIndex: 0, Shift: 0}
	assert.Equal(t, ids(1, 4, 2, 5), mustAssignLegacy(t, dc, 1, 4, zero)[0], "(i) rf=4")
	assert.Equal(t, ids(1, 4, 2, 5, 3), mustAssignLegacy(t, dc, 1, 5, zero)[0], "(i) rf=5")
	assert.Equal(t, ids(1, 4, 2, 5, 3), mustAssignLegacy(t, dc, 1, 5, LegacyOptions{StartIndex: 0, Shift: 5})[0],
		"(i) shift 5 gives the same partition 0")

	five := plainBrokers(1, 2, 3, 4, 5)
	assert.Equal(t, [][]BrokerID{{4, 5, 1}, {5, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}},
		mustAssignLegacy(t, five, 5, 3, LegacyOptions{StartIndex: 3, Shift: 0}), "(ii) start 3 shift 0")
	assert.Equal(t, [][]BrokerID{{4, 5, 1}, {5, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}},
		mustAssignLegacy(t, five, 5, 3, LegacyOptions{StartIndex: 3, Shift: 4}), "(ii) shift is mod n-1")
	assert.Equal(t, [][]BrokerID{{4, 3, 5}, {5, 4, 1}, {1, 5, 2}, {2, 1, 3}, {3, 2, 4}},
		mustAssignLegacy(t, five, 5, 3, fixed(3, 0)), "(ii) fixedStartIndex=3")
}

func TestAssignLegacyDraws(t *testing.T) {
	five := plainBrokers(1, 2, 3, 4, 5)
	tests := []struct {
		name       string
		opts       LegacyOptions
		values     []int
		wantBounds []int
	}{
		{"start index first, then shift", LegacyOptions{StartIndex: -1, Shift: -1}, []int{3, 0}, []int{5, 5}},
		{"only the start index drawn", LegacyOptions{StartIndex: -1, Shift: 0}, []int{3}, []int{5}},
		{"only the shift drawn", LegacyOptions{StartIndex: 3, Shift: -1}, []int{0}, []int{5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &scriptedSource{values: tt.values}
			got, err := AssignLegacy(five, 5, 3, tt.opts, src)
			require.NoError(t, err)
			assert.Equal(t, ids(4, 5, 1), got[0], "start 3, shift 0")
			assert.Equal(t, tt.wantBounds, src.bounds)
		})
	}
	_, err := AssignLegacy(five, 5, 3, LegacyOptions{StartIndex: -1, Shift: 0}, nil)
	assert.ErrorContains(t, err, "random source is nil")
}

func TestAssignLegacyStartPartition(t *testing.T) {
	five := plainBrokers(0, 1, 2, 3, 4)
	full := mustAssignLegacy(t, five, 10, 3, fixed(0, 0))
	assert.Equal(t, full, mustAssignLegacy(t, five, 10, 3, fixed(0, -1)), "-1 and 0 both start at partition 0")
	assert.Equal(t, full[5:], mustAssignLegacy(t, five, 5, 3, fixed(0, 5)), "expansion continues the layout")
	_, err := AssignLegacy(five, 2, 3, fixed(0, 1<<31-2), nil)
	assert.ErrorContains(t, err, "exceed the largest partition id")
}

func TestAssignLegacyLargeFixedValues(t *testing.T) {
	// Kafka accepts any fixedStartIndex; only start mod n and shift mod n-1 matter.
	five := plainBrokers(0, 1, 2, 3, 4)
	assert.Equal(t, mustAssignLegacy(t, five, 12, 3, LegacyOptions{StartIndex: 2, Shift: 3}),
		mustAssignLegacy(t, five, 12, 3, LegacyOptions{StartIndex: 5*1000 + 2, Shift: 4*1000 + 3}))
	assert.NotPanics(t, func() {
		mustAssignLegacy(t, rackedBrokers(a1Racks), 12, 3, LegacyOptions{StartIndex: math.MaxInt, Shift: math.MaxInt})
	})
}

// Reference table A5, A6 and the input checks in front of them.
func TestAssignLegacyErrors(t *testing.T) {
	five := plainBrokers(0, 1, 2, 3, 4)
	mixed := []Broker{{ID: 0, Rack: "rack1"}, {ID: 1}, {ID: 2, Rack: "rack2"}}
	tests := []struct {
		name       string
		brokers    []Broker
		partitions int
		rf         int
		sentinel   error
		msg        string
	}{
		{"A5 rf=0", five, 10, 0, ErrInvalidReplicationFactor, "Replication factor must be larger than 0."},
		{"A5 rf=6", five, 10, 6, ErrInvalidReplicationFactor, "Replication factor: 6 larger than available brokers: 5."},
		{"A6 zero partitions", five, 0, 3, ErrInvalidPartitions, "Number of partitions must be larger than 0."},
		{"partitions checked before rf", five, -1, 0, ErrInvalidPartitions, "Number of partitions must be larger than 0."},
		{"A6 some brokers without rack", mixed, 3, 2, ErrAdminOperation,
			"Not all brokers have rack information for replica rack aware assignment."},
		{"no brokers", nil, 1, 1, ErrInvalidReplicationFactor, "Replication factor: 1 larger than available brokers: 0."},
		{"duplicate broker", plainBrokers(0, 1, 1), 1, 1, ErrInvalidBrokerList,
			"invalid broker list: brokers[2]: id 1 is already brokers[1]"},
		{"negative broker", plainBrokers(0, -3, 1), 1, 1, ErrInvalidBrokerList,
			"invalid broker list: brokers[1]: id -3 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := AssignLegacy(tt.brokers, tt.partitions, tt.rf, fixed(0, 0), nil)
			require.ErrorIs(t, err, tt.sentinel)
			assert.EqualError(t, err, tt.msg)
		})
	}
}
