package placement

import "slices"

// brokerList is StripedReplicaPlacer.BrokerList
// (metadata/src/main/java/org/apache/kafka/metadata/placement/StripedReplicaPlacer.java): brokers
// handed out round-robin from a moving offset, at most once each per iteration epoch.
type brokerList struct {
	brokers []BrokerID
	// index is how many brokers next has returned in the current epoch.
	// Invariant: 0 <= index <= len(brokers).
	index int
	// offset is added to index, modulo len(brokers), to pick the next broker.
	// Invariant: offset is 0 or in [0, len(brokers)).
	offset int
	// epoch is the last iteration epoch next saw; a different one resets index and advances
	// offset.
	epoch int
}

// add appends a broker, as BrokerList.add.
func (l *brokerList) add(b BrokerID) *brokerList {
	l.brokers = append(l.brokers, b)
	return l
}

// initialize sorts the brokers by id and draws the starting offset; an empty list draws nothing.
func (l *brokerList) initialize(rnd IntSource) {
	if len(l.brokers) == 0 {
		return
	}
	slices.Sort(l.brokers)
	l.offset = rnd.NextInt(len(l.brokers))
}

// shuffle is Collections.shuffle(brokers, rnd).
func (l *brokerList) shuffle(rnd IntSource) {
	javaShuffle(len(l.brokers), func(i, j int) {
		l.brokers[i], l.brokers[j] = l.brokers[j], l.brokers[i]
	}, rnd)
}

// next returns the next broker of the given epoch, or -1 once every broker has been returned in
// it. A new epoch starts over one position further on.
func (l *brokerList) next(epoch int) BrokerID {
	n := len(l.brokers)
	if n == 0 {
		return -1
	}
	if l.epoch != epoch {
		l.epoch = epoch
		l.index = 0
		l.offset = (l.offset + 1) % n
	}
	if l.index >= n {
		return -1
	}
	b := l.brokers[(l.index+l.offset)%n]
	l.index++
	return b
}

// rack is StripedReplicaPlacer.Rack: a rack's unfenced and fenced brokers, kept apart so that
// fenced brokers are used only once the unfenced ones are exhausted.
type rack struct {
	fenced   brokerList
	unfenced brokerList
}

// initialize initializes the fenced list, then the unfenced one (Kafka's order of draws).
func (r *rack) initialize(rnd IntSource) {
	r.fenced.initialize(rnd)
	r.unfenced.initialize(rnd)
}

// shuffle shuffles the fenced list, then the unfenced one (Kafka's order of draws).
func (r *rack) shuffle(rnd IntSource) {
	r.fenced.shuffle(rnd)
	r.unfenced.shuffle(rnd)
}

// nextUnfenced returns the rack's next unfenced broker in epoch, or -1: a leader candidate.
func (r *rack) nextUnfenced(epoch int) BrokerID { return r.unfenced.next(epoch) }

// next returns the rack's next unfenced broker in epoch, else its next fenced one, else -1.
func (r *rack) next(epoch int) BrokerID {
	if b := r.unfenced.next(epoch); b >= 0 {
		return b
	}
	return r.fenced.next(epoch)
}
