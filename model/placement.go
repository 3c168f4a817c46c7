package model

import "errors"

// PlacementBroker is a broker as a replica placer sees it.
type PlacementBroker struct {
	ID BrokerID
	// Rack is broker.rack; "" means the broker has no rack (Kafka's Optional.empty / null).
	Rack string
	// Fenced marks a registered but fenced broker (StripedReplicaPlacer only): it may hold follower
	// replicas but never leads.
	Fenced bool
}

// IntSource is the integer source a placer draws from, with java.util.Random.nextInt(bound)
// semantics: a uniform int in [0, bound). JavaRandom and MockRandom implement it.
type IntSource interface {
	NextInt(bound int) int
}

// LegacyOptions are the inputs of the legacy assignReplicasToBrokers beyond brokers, partitions and
// replication factor. Kafka's fixedStartIndex sets StartIndex and Shift to the same value; here they
// are separate so that every layout the random draws can produce can be requested.
type LegacyOptions struct {
	StartIndex     int // -1: drawn with NextInt(n) (first draw)
	Shift          int // -1: drawn with NextInt(n) (second draw)
	StartPartition int // -1 or 0: start at partition 0 (Kafka's startPartitionId)
}

// AssignLegacy is AdminUtils.assignReplicasToBrokers (reference §1.1). Not implemented yet.
func AssignLegacy(brokers []PlacementBroker, partitions, rf int, opts LegacyOptions, rnd IntSource) ([][]BrokerID, error) {
	return nil, errors.New("not implemented")
}

// PlaceStriped is the KRaft StripedReplicaPlacer (reference §1.2). Not implemented yet.
func PlaceStriped(brokers []PlacementBroker, partitions, rf int, rnd IntSource) ([][]BrokerID, error) {
	return nil, errors.New("not implemented")
}
