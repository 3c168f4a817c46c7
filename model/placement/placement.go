// Package placement is Kafka's replica placement, ported so that the same brokers, partition count,
// replication factor and java.util.Random seed give the same layout as Kafka: the striped placer of
// the KRaft controller (PlaceStriped), the legacy ZooKeeper-era AdminUtils placer (AssignLegacy),
// java.util.Random itself (JavaRandom, and Kafka's test generator MockRandom), and the two Java
// orders the striped placer depends on (HashMap iteration and String.compareTo).
//
// It knows nothing of the simulation: no clusters, sites, time or sim streams. A caller hands it
// brokers and an IntSource and gets back replica lists, preferred leader first; package model and
// the "stretchsim assign" command are its callers.
package placement

import (
	"errors"
	"fmt"
	"strconv"
)

// BrokerID is a Kafka node.id as the placers see it. Like Kafka they accept any non-negative id,
// 0 included.
type BrokerID int32

// String returns the decimal id, as Kafka prints it.
func (b BrokerID) String() string { return strconv.Itoa(int(b)) }

// Broker is a broker as a replica placer sees it.
type Broker struct {
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
	StartIndex     int // -1 (any negative, as in Kafka): drawn with NextInt(n) (first draw)
	Shift          int // -1 (any negative): drawn with NextInt(n) (second draw)
	StartPartition int // -1 or 0 (any negative, Kafka's max(0, startPartitionId)): start at partition 0
}

// Sentinel errors of the placers, one per Kafka exception class, for errors.Is. An error a placer
// returns for an input Kafka rejects prints Kafka's message text verbatim (e.g. "Replication factor:
// 4 larger than available brokers: 3.") and matches the sentinel of the exception Kafka throws.
var (
	// ErrInvalidPartitions is Kafka's InvalidPartitionsException.
	ErrInvalidPartitions = errors.New("invalid partitions")
	// ErrInvalidReplicationFactor is Kafka's InvalidReplicationFactorException.
	ErrInvalidReplicationFactor = errors.New("invalid replication factor")
	// ErrAdminOperation is Kafka's AdminOperationException (incomplete rack information).
	ErrAdminOperation = errors.New("admin operation failed")
	// ErrBrokerNotAvailable marks "All brokers are currently fenced." from the striped placer.
	// Kafka throws InvalidReplicationFactorException there, so that error matches
	// ErrInvalidReplicationFactor too.
	ErrBrokerNotAvailable = errors.New("broker not available")
	// ErrInvalidBrokerList marks a broker list Kafka cannot receive (its callers take ids from a
	// set): a negative id or an id listed twice. It is not a Kafka exception.
	ErrInvalidBrokerList = errors.New("invalid broker list")
)

// kafkaError is an error Kafka itself raises: msg is Kafka's message text, kinds the sentinels it
// matches.
type kafkaError struct {
	msg   string
	kinds []error
}

func (e *kafkaError) Error() string   { return e.msg }
func (e *kafkaError) Unwrap() []error { return e.kinds }

func newKafkaError(msg string, kinds ...error) error {
	return &kafkaError{msg: msg, kinds: kinds}
}

// validateBrokerList reports, all at once, every negative broker id and every id listed more than
// once. Both placers run it before Kafka's own checks, because those count brokers and a repeated
// id would be counted twice.
func validateBrokerList(brokers []Broker) error {
	var errs []error
	first := make(map[BrokerID]int, len(brokers))
	for i, b := range brokers {
		if b.ID < 0 {
			errs = append(errs, fmt.Errorf("%w: brokers[%d]: id %d is negative", ErrInvalidBrokerList, i, b.ID))
			continue
		}
		if j, dup := first[b.ID]; dup {
			errs = append(errs, fmt.Errorf("%w: brokers[%d]: id %d is already brokers[%d]", ErrInvalidBrokerList, i, b.ID, j))
			continue
		}
		first[b.ID] = i
	}
	return errors.Join(errs...)
}
