package model

import "github.com/stretchsim/stretchsim/model/kraft"

// brokerReg is a broker's registration as the controller knows it (BrokerRegistration).
type brokerReg struct {
	registered bool
	epoch      int64  // broker epoch: the offset of its RegisterBrokerRecord
	fenced     bool   // not allowed to lead or be in an ISR
	shutdown   bool   // in controlled shutdown
	regOffset  Offset // offset of the latest RegisterBrokerRecord
}

// ctrlState is the cluster metadata the controller keeps, built by applying metadata records in
// log order. Every voter and every broker image holds one.
type ctrlState struct {
	brokers []brokerReg // by broker index
	parts   partStates  // by Partition.idx, shared with other images until written
	applied Offset      // offset of the last record applied, -1 for the bootstrap snapshot
	// imbalanced counts the partitions whose leader is not their preferred replica, leaderless
	// ones included: ReplicationControlManager.imbalancedPartitions, kept as records are
	// applied, so arePartitionLeadersImbalanced costs nothing per partition.
	imbalanced int
}

func (st *ctrlState) clone() ctrlState {
	return ctrlState{brokers: append([]brokerReg(nil), st.brokers...), parts: st.parts.share(), applied: st.applied, imbalanced: st.imbalanced}
}

// setPart sets partition idx's state, keeping the count of imbalanced partitions.
func (st *ctrlState) setPart(idx int, ps partitionState) {
	if st.parts.get(idx).leader != 0 {
		st.imbalanced--
	}
	if ps.leader != 0 {
		st.imbalanced++
	}
	st.parts.set(idx, ps)
}

// metaRecord is a metadata record: the quorum carries it as an opaque kraft.Record, the model
// applies it (ctrlState.apply).
type metaRecord = kraft.Record

// Metadata records (the parts of Kafka's metadata records the model uses).
type (
	// registerBrokerRecord registers a broker (fenced) at a new broker epoch.
	registerBrokerRecord struct {
		broker          int
		uncleanShutdown bool // the broker did not shut down cleanly before (KIP-966)
	}
	// brokerChangeRecord fences, unfences or marks a broker shutting down.
	brokerChangeRecord struct {
		broker   int
		fenced   bool
		shutdown bool
	}
	// partitionChangeRecord carries a partition's new state (PartitionChangeRecord).
	partitionChangeRecord struct {
		part  int
		state partitionState
	}
	// noOpRecord is written every metadata.max.idle.interval.ms.
	noOpRecord struct{}
)

func (registerBrokerRecord) WireSize() Bytes  { return 120 }
func (brokerChangeRecord) WireSize() Bytes    { return 40 }
func (partitionChangeRecord) WireSize() Bytes { return 60 }
func (noOpRecord) WireSize() Bytes            { return 20 }

// noOpRecord carries nothing: consecutive ones share a run of the log (kraft.RepeatableRecord).
func (noOpRecord) Repeatable() {}

// Record hashes, for the invariant checker: FNV-1a over a type tag and the fields.
func (r registerBrokerRecord) Hash() uint64 {
	return fnvWords(1, uint64(r.broker), boolWord(r.uncleanShutdown))
}
func (r brokerChangeRecord) Hash() uint64 {
	return fnvWords(2, uint64(r.broker), boolWord(r.fenced), boolWord(r.shutdown))
}
func (r partitionChangeRecord) Hash() uint64 {
	st := r.state
	return fnvWords(3, uint64(r.part), uint64(int64(st.leader)), uint64(st.leaderEpoch), uint64(st.partitionEpoch),
		uint64(st.isr), uint64(st.elr), uint64(st.lastKnownElr), boolWord(st.recovering))
}
func (noOpRecord) Hash() uint64 { return fnvWords(4) }

// apply applies one committed (or, on the active controller, appended) record at offset o.
func (st *ctrlState) apply(o Offset, rec metaRecord) {
	switch r := rec.(type) {
	case registerBrokerRecord:
		b := &st.brokers[r.broker]
		*b = brokerReg{registered: true, epoch: int64(o), fenced: true, regOffset: o}
	case brokerChangeRecord:
		b := &st.brokers[r.broker]
		b.fenced, b.shutdown = r.fenced, r.shutdown
	case partitionChangeRecord:
		st.setPart(r.part, r.state)
	}
	st.applied = o
}

// acceptable is the LeaderAcceptor: registered, unfenced, not in controlled shutdown.
func (st *ctrlState) acceptable(broker int) bool {
	b := st.brokers[broker]
	return b.registered && !b.fenced && !b.shutdown
}
