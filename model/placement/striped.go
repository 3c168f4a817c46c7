package placement

import (
	"errors"
	"fmt"
	"slices"
)

// PlaceStriped is the KRaft controller's StripedReplicaPlacer
// (metadata/src/main/java/org/apache/kafka/metadata/placement/StripedReplicaPlacer.java;
// reference §1.2) placing a new topic: it returns one replica list per partition, leader first,
// result[i] being partition i. Leaders are always unfenced brokers; fenced brokers get follower
// replicas only once a rack's unfenced brokers are used up. brokers are Kafka's usable brokers
// (registered and not in controlled shutdown), read in the order given; the order matters only
// where two rack names fall in the same java.util.HashMap bucket.
//
// rnd is drawn from exactly as Kafka draws from the controller's java.util.Random, so a JavaRandom
// or MockRandom reproduces Kafka's layouts, and one source shared by successive calls reproduces
// successive topic creations. Partitions already in a topic (Kafka's existingPartitionAssignments,
// used when partitions are added) are not modelled: this is the path of a new topic.
//
// Errors, in this order: a negative or repeated broker id (ErrInvalidBrokerList); rf <= 0 and
// partitions <= 0, which ReplicationControlManager rejects before the placer draws anything; a
// nil rnd; then, after the rack list has drawn its offsets as in Kafka, "All brokers are
// currently fenced." (ErrBrokerNotAvailable and ErrInvalidReplicationFactor) and rf above the
// number of brokers (ErrInvalidReplicationFactor). Messages are Kafka's.
func PlaceStriped(brokers []Broker, partitions, rf int, rnd IntSource) ([][]BrokerID, error) {
	if err := validateBrokerList(brokers); err != nil {
		return nil, err
	}
	if err := checkPositiveRF(rf); err != nil {
		return nil, err
	}
	if partitions <= 0 {
		// ReplicationControlManager.createTopic's message; the placer itself would return nothing.
		return nil, newKafkaError("Number of partitions was set to an invalid non-positive value.",
			ErrInvalidPartitions)
	}
	if rnd == nil {
		return nil, errors.New("striped placement: the random source is nil")
	}
	l := newRackList(rnd, brokers)
	if err := checkSomeUnfenced(l.numUnfenced); err != nil {
		return nil, err
	}
	if err := checkEnoughBrokers(rf, l.numTotal); err != nil {
		return nil, err
	}
	out := make([][]BrokerID, 0, partitions)
	for range partitions {
		replicas, err := l.place(rf)
		if err != nil {
			return nil, err
		}
		out = append(out, replicas)
	}
	return out, nil
}

func checkPositiveRF(rf int) error {
	if rf <= 0 {
		return newKafkaError(fmt.Sprintf("Invalid replication factor %d: the replication factor must be positive.", rf),
			ErrInvalidReplicationFactor)
	}
	return nil
}

func checkSomeUnfenced(numUnfenced int) error {
	if numUnfenced == 0 {
		return newKafkaError("All brokers are currently fenced.", ErrBrokerNotAvailable, ErrInvalidReplicationFactor)
	}
	return nil
}

func checkEnoughBrokers(rf, numTotal int) error {
	if rf > numTotal {
		return newKafkaError(fmt.Sprintf("The target replication factor of %d cannot be reached because only %d broker(s) are registered.",
			rf, numTotal), ErrInvalidReplicationFactor)
	}
	return nil
}

// rackList is StripedReplicaPlacer.RackList: the racks, visited round-robin from an offset that
// moves by one rack per partition.
type rackList struct {
	rnd IntSource
	// racks maps a rack name ("" for no rack) to its brokers; it is only looked up, never iterated.
	racks map[string]*rack
	// hashOrder is the racks in the order Kafka's HashMap<Optional<String>, Rack> iterates them,
	// which is the order they draw random numbers in.
	hashOrder []*rack
	// names is Kafka's rackNames: sorted ("" first) at construction, shuffled later.
	names       []string
	numTotal    int
	numUnfenced int
	// epoch counts the partitions placed since the last reshuffle.
	// Invariant: epoch <= numUnfenced when numUnfenced > 1.
	epoch int
	// offset is the index in names of the rack the next partition starts at.
	// Invariant: 0 <= offset <= len(names).
	offset int
}

// newRackList is the RackList constructor for a new topic. It draws, in Kafka's order, one offset
// per non-empty broker list (racks in HashMap order, fenced list before unfenced), then the rack
// offset.
func newRackList(rnd IntSource, brokers []Broker) *rackList {
	l := &rackList{rnd: rnd, racks: make(map[string]*rack)}
	var inserted []string
	for _, b := range brokers {
		r, ok := l.racks[b.Rack]
		if !ok {
			r = &rack{}
			l.racks[b.Rack] = r
			inserted = append(inserted, b.Rack)
		}
		if b.Fenced {
			r.fenced.add(b.ID)
		} else {
			l.numUnfenced++
			r.unfenced.add(b.ID)
		}
		l.numTotal++
	}
	for _, i := range javaHashMapOrder(inserted) {
		l.hashOrder = append(l.hashOrder, l.racks[inserted[i]])
	}
	for _, r := range l.hashOrder {
		r.initialize(rnd)
	}
	l.names = slices.Clone(inserted)
	slices.SortFunc(l.names, javaStringCompare)
	if len(l.names) > 0 {
		l.offset = rnd.NextInt(len(l.names))
	}
	return l
}

// shuffle is RackList.shuffle: Collections.shuffle of the rack names, then each rack's lists in
// HashMap order.
func (l *rackList) shuffle() {
	javaShuffle(len(l.names), func(i, j int) { l.names[i], l.names[j] = l.names[j], l.names[i] }, l.rnd)
	for _, r := range l.hashOrder {
		r.shuffle(l.rnd)
	}
}

// place is RackList.place: the replicas of one partition. The leader is the first unfenced broker
// found from the rack at offset onwards; the followers come round-robin over the racks from
// offset, skipping the leader's rack once, unfenced brokers of a rack before its fenced ones. Once
// as many partitions as there are unfenced brokers have been placed, the racks and lists are
// reshuffled (not with a single unfenced broker, where Kafka would loop forever).
func (l *rackList) place(rf int) ([]BrokerID, error) {
	if err := checkPositiveRF(rf); err != nil {
		return nil, err
	}
	if err := checkEnoughBrokers(rf, l.numTotal); err != nil {
		return nil, err
	}
	if err := checkSomeUnfenced(l.numUnfenced); err != nil {
		return nil, err
	}
	if l.epoch == l.numUnfenced && l.numUnfenced > 1 {
		l.shuffle()
		l.epoch = 0
	}
	if l.offset == len(l.names) {
		l.offset = 0
	}
	leader, leaderRack, err := l.pickLeader()
	if err != nil {
		return nil, err
	}
	out, err := l.appendFollowers(append(make([]BrokerID, 0, rf), leader), rf, leaderRack)
	if err != nil {
		return nil, err
	}
	l.epoch++
	l.offset++
	return out, nil
}

// appendFollowers appends followers to out until it holds rf replicas: round-robin over the racks
// from offset, skipping the leader's rack the first time the walk reaches it.
func (l *rackList) appendFollowers(out []BrokerID, rf, leaderRack int) ([]BrokerID, error) {
	skip := leaderRack
	ri := l.offset
	for len(out) < rf {
		res := BrokerID(-1)
		// Kafka's do-while would spin forever once every list is exhausted for this epoch; a
		// full lap of misses proves that, and is reported instead.
		for misses := 0; res < 0; misses++ {
			if misses > len(l.names) {
				return nil, fmt.Errorf("striped placement: no broker left for replica %d of %d (Kafka would loop forever)", len(out)+1, rf)
			}
			if ri == skip {
				skip = -1
			} else {
				res = l.racks[l.names[ri]].next(l.epoch)
			}
			ri = (ri + 1) % len(l.names)
		}
		out = append(out, res)
	}
	return out, nil
}

// pickLeader returns the first unfenced broker of this epoch from the rack at offset onwards, and
// the index of its rack.
func (l *rackList) pickLeader() (BrokerID, int, error) {
	ri := l.offset
	for range l.names {
		if b := l.racks[l.names[ri]].nextUnfenced(l.epoch); b >= 0 {
			return b, ri, nil
		}
		ri = (ri + 1) % len(l.names)
	}
	return -1, -1, errors.New("striped placement: no unfenced broker left for a leader (Kafka would loop forever)")
}
