package placement

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// AssignLegacy is AdminUtils.assignReplicasToBrokers
// (server-common/src/main/java/org/apache/kafka/admin/AdminUtils.java; reference §1.1), the
// ZooKeeper-era placement that kafka-reassign-partitions --generate still uses. It returns one
// replica list per partition, leader first: result[i] is partition max(0, opts.StartPartition)+i.
//
// If no broker has a rack the rack-unaware algorithm runs over brokers in the order given; Kafka's
// callers pass them sorted by id, and so should ours. If every broker has a rack the rack-aware
// algorithm runs over getRackAlternatedBrokerList, so the given order does not matter. Fenced is
// ignored: the legacy algorithm does not know it.
//
// A negative opts.StartIndex or opts.Shift is drawn with rnd.NextInt(len(brokers)), start index
// first, as Kafka draws them; rnd is used only for those draws and may be nil when neither is
// negative. Kafka's fixedStartIndex=k is StartIndex=k, Shift=k. Kafka computes in 32-bit ints;
// the results agree for every value whose Java arithmetic does not overflow.
//
// Errors, checked in this order: a negative or repeated broker id (ErrInvalidBrokerList), then
// Kafka's checks with Kafka's messages: partitions <= 0 (ErrInvalidPartitions), rf <= 0 and
// rf > len(brokers) (ErrInvalidReplicationFactor), some but not all brokers with a rack
// (ErrAdminOperation); then partition ids beyond Kafka's int32 and a nil rnd that is needed. No
// number is drawn before every check has passed, as in Kafka.
func AssignLegacy(brokers []Broker, partitions, rf int, opts LegacyOptions, rnd IntSource) ([][]BrokerID, error) {
	if err := validateBrokerList(brokers); err != nil {
		return nil, err
	}
	if err := validateLegacy(brokers, partitions, rf); err != nil {
		return nil, err
	}
	firstPartition := max(0, opts.StartPartition)
	if firstPartition > math.MaxInt32-partitions {
		return nil, fmt.Errorf("legacy placement: partitions %d..%d exceed the largest partition id %d",
			firstPartition, firstPartition+partitions-1, math.MaxInt32)
	}
	if (opts.StartIndex < 0 || opts.Shift < 0) && rnd == nil {
		return nil, errors.New("legacy placement: a start index or shift is to be drawn but the random source is nil")
	}
	n := len(brokers)
	start := opts.StartIndex
	if start < 0 {
		start = rnd.NextInt(n)
	}
	shift := opts.Shift
	if shift < 0 {
		shift = rnd.NextInt(n)
	}
	// Only start mod n and shift mod n-1 matter; reducing them keeps large inputs from overflowing.
	start %= n
	if n > 1 {
		shift %= n - 1
	}
	if !hasAnyRack(brokers) {
		ids := make([]BrokerID, n)
		for i, b := range brokers {
			ids[i] = b.ID
		}
		return assignRackUnaware(ids, partitions, rf, start, shift, firstPartition), nil
	}
	return assignRackAware(brokers, partitions, rf, start, shift, firstPartition), nil
}

// validateLegacy makes assignReplicasToBrokers' checks, in Kafka's order and with its messages.
func validateLegacy(brokers []Broker, partitions, rf int) error {
	switch {
	case partitions <= 0:
		return newKafkaError("Number of partitions must be larger than 0.", ErrInvalidPartitions)
	case rf <= 0:
		return newKafkaError("Replication factor must be larger than 0.", ErrInvalidReplicationFactor)
	case rf > len(brokers):
		return newKafkaError(fmt.Sprintf("Replication factor: %d larger than available brokers: %d.",
			rf, len(brokers)), ErrInvalidReplicationFactor)
	case hasAnyRack(brokers) && slices.ContainsFunc(brokers, func(b Broker) bool { return b.Rack == "" }):
		return newKafkaError("Not all brokers have rack information for replica rack aware assignment.",
			ErrAdminOperation)
	}
	return nil
}

func hasAnyRack(brokers []Broker) bool {
	return slices.ContainsFunc(brokers, func(b Broker) bool { return b.Rack != "" })
}

// replicaIndex is AdminUtils.replicaIndex: the list index of the follower j of a partition whose
// leader is at index first, (first + 1 + (shift + j) mod (n-1)) mod n. It never returns first.
// n must be at least 2.
func replicaIndex(first, shift, j, n int) int {
	return (first + 1 + (shift+j)%(n-1)) % n
}

// assignRackUnaware is assignReplicasToBrokersRackUnaware: leaders round-robin from start, each
// partition's followers the next brokers after the leader, offset by a shift that grows by one
// every len(ids) partitions.
func assignRackUnaware(ids []BrokerID, partitions, rf, start, shift, firstPartition int) [][]BrokerID {
	n := len(ids)
	out := make([][]BrokerID, 0, partitions)
	for p := firstPartition; p < firstPartition+partitions; p++ {
		if p > 0 && p%n == 0 {
			shift++
		}
		first := (p + start) % n
		replicas := make([]BrokerID, 0, rf)
		replicas = append(replicas, ids[first])
		for j := 0; j < rf-1; j++ {
			replicas = append(replicas, ids[replicaIndex(first, shift, j, n)])
		}
		out = append(out, replicas)
	}
	return out
}

// assignRackAware is assignReplicasToBrokersRackAware: the rack-unaware walk over the
// rack-alternated list, with the shift multiplied by the number of racks, skipping a candidate
// whose rack already holds a replica while some rack holds none, or whose broker already holds one
// while some broker holds none. The candidate counter k runs on across the followers of a
// partition, as in Kafka.
func assignRackAware(brokers []Broker, partitions, rf, start, shift, firstPartition int) [][]BrokerID {
	rackOf := make(map[BrokerID]string, len(brokers))
	racks := make(map[string]bool)
	for _, b := range brokers {
		rackOf[b.ID] = b.Rack
		racks[b.Rack] = true
	}
	list := rackAlternatedBrokerList(rackOf)
	n, numRacks := len(list), len(racks)
	out := make([][]BrokerID, 0, partitions)
	for p := firstPartition; p < firstPartition+partitions; p++ {
		if p > 0 && p%n == 0 {
			shift++
		}
		first := (p + start) % n
		leader := list[first]
		replicas := append(make([]BrokerID, 0, rf), leader)
		racksUsed := map[string]bool{rackOf[leader]: true}
		brokersUsed := map[BrokerID]bool{leader: true}
		k := 0
		for range rf - 1 {
			for {
				b := list[replicaIndex(first, shift*numRacks, k, n)]
				k++
				rackOK := !racksUsed[rackOf[b]] || len(racksUsed) == numRacks
				brokerOK := !brokersUsed[b] || len(brokersUsed) == n
				if rackOK && brokerOK {
					replicas = append(replicas, b)
					racksUsed[rackOf[b]] = true
					brokersUsed[b] = true
					break
				}
			}
		}
		out = append(out, replicas)
	}
	return out
}

// rackAlternatedBrokerList is AdminUtils.getRackAlternatedBrokerList: racks sorted by name, each
// rack's brokers sorted by id, then one broker from each rack in turn, skipping exhausted racks.
// Example (reference table A1): {0:r1, 1:r3, 2:r3, 3:r2, 4:r2, 5:r1} gives [0 3 1 5 4 2].
func rackAlternatedBrokerList(rackOf map[BrokerID]string) []BrokerID {
	byRack := make(map[string][]BrokerID)
	for id, rack := range rackOf {
		byRack[rack] = append(byRack[rack], id)
	}
	names := make([]string, 0, len(byRack))
	for name, ids := range byRack {
		slices.Sort(ids)
		names = append(names, name)
	}
	// Java's Arrays.sort(String[]) orders by String.compareTo.
	slices.SortFunc(names, javaStringCompare)
	out := make([]BrokerID, 0, len(rackOf))
	for i := 0; len(out) < len(rackOf); i++ {
		for _, name := range names {
			if ids := byRack[name]; i < len(ids) {
				out = append(out, ids[i])
			}
		}
	}
	return out
}
