package model

import "math/bits"

// replicaSet is a set of replicas of one partition, as a bit mask over positions in the
// partition's replica list (RF <= 64).
type replicaSet uint64

func (r replicaSet) has(pos int) bool           { return r&(1<<pos) != 0 }
func (r replicaSet) with(pos int) replicaSet    { return r | 1<<pos }
func (r replicaSet) without(pos int) replicaSet { return r &^ (1 << pos) }
func (r replicaSet) size() int                  { return bits.OnesCount64(uint64(r)) }

// Partition is one topic partition: its replica list and the metadata the controller commits.
type Partition struct {
	*topicState
	ID        PartitionID
	fetcherID int32      // which of a follower's num.replica.fetchers threads fetches it
	Replicas  []BrokerID // assignment order; Replicas[0] is the preferred leader
	reps      []*Replica // the replica on each broker of Replicas, same order
	// minISR is the effective min ISR: min(min.insync.replicas, RF) (Partition.scala:389).
	minISR  int32
	meta    PartitionMeta
	idx     int          // index in Cluster.partitions
	readers []*Offset    // consumer positions: the log is kept from the lowest
	acked   []ackedRange // acknowledged records not yet on every replica (durability)
	// touched: something the invariant checker reads changed since its last check (invariants.go).
	touched bool
}

// topicState is what a topic's partitions share: its name and topic-level settings.
type topicState struct {
	name    string
	unclean bool // unclean.leader.election.enable
	// keepDurable: the run has a power loss, so batches are kept down to every replica's
	// durable end, not only its LEO (maybeTrim).
	keepDurable bool
	flush       flushPolicy
	// recompress is the topic's compression.type and its level when it names a codec (or
	// uncompressed): the leader stores every batch in it. nil: "producer", each batch keeps its
	// codec.
	recompress *topicCodec
}

// Topic returns the partition's topic name.
func (p *Partition) Topic() string { return p.name }

// topicCodec is a topic's fixed compression.type and the level of its codec.
type topicCodec struct {
	TopicCompression
	level int
}

// storedCodec returns the codec the leader stores a batch written in source in.
func (p *Partition) storedCodec(source Codec) Codec {
	if p.recompress == nil {
		return source
	}
	return p.recompress.Target(source)
}

// retainFrom is the lowest offset of replica x's log that a replica or consumer of the partition
// may still read. Bookkeeping only, of what the simulator keeps in memory (Kafka keeps its log on
// disk): each replica trims its own log below it (Replica.maybeTrim), and a read below what a log
// holds panics (replicaLog.mustHold). It is the least of:
//   - every replica's high watermark: a replica truncates its log below its end only on a leader
//     change (a leader back with a tail nobody replicated, KIP-101) or a power loss (below), and
//     with clean elections never below what it knew was committed. The epoch term below already
//     covers leader changes; the high watermark, not the log end, is a margin that costs little;
//   - for every other replica, the offset where its epoch cache and x's part (agreeBelow): should
//     x lead, that replica truncates to no lower (OffsetsForLeaderEpoch, KIP-101; the diverging
//     epoch of a Fetch response, KIP-320), which after an unclean election can lie below its high
//     watermark, as when it led an epoch x never saw;
//   - every replica's durable end, when a power loss may cut a log back to it;
//   - every consumer's position, and the least offset its outstanding Fetches list (Consumer.out);
//   - the offsets of consumer Fetches x's broker has read and not yet run (Broker.holdReads);
//   - the fetch offset, as last received, of every fetch session partition reading x (a
//     follower's or a consumer's): a parked Fetch counts the bytes from there (DelayedFetch).
//
// A consumer's Fetch is so held from its sending to its answer: by the consumer until the
// broker reads it or the connection is reset (which drops what the broker has not read), by the
// broker until a handler thread runs it, then by the broker's session.
func (p *Partition) retainFrom(x *Replica) Offset {
	keep := noOffsetBound
	for _, r := range p.reps {
		keep = min(keep, r.log.hw)
		if r != x {
			keep = min(keep, agreeBelow(x.log.epochs, r.log.epochs))
		}
		if p.keepDurable {
			// A power loss cuts a log back to its durable end, and its replica then fetches
			// from there again: the leader must still hold those batches to send them.
			keep = min(keep, r.disk.survives())
		}
	}
	for _, o := range p.readers {
		keep = min(keep, *o)
	}
	for _, sp := range x.sessions() {
		if sp.offset >= 0 {
			keep = min(keep, sp.offset)
		}
	}
	for _, cp := range x.consumers() {
		if cp.offset >= 0 {
			keep = min(keep, cp.offset)
		}
	}
	if x.readers != nil {
		keep = min(keep, x.readers.queued.from)
	}
	return keep
}

// PartitionMeta is the partition state the controller commits (a PartitionRecord).
//
// Invariant: ISR ⊆ replicas. Invariant: Leader is -1 or a position in the ISR when elected cleanly.
type PartitionMeta struct {
	Leader         int // position in Replicas, or -1 (offline)
	LeaderEpoch    int32
	PartitionEpoch int32
	ISR            replicaSet
}

// Name returns "topic-partition", as Kafka prints a TopicPartition.
func (p *Partition) Name() string { return p.name + "-" + p.ID.String() }

// Meta returns the committed metadata.
func (p *Partition) Meta() PartitionMeta { return p.meta }

// LeaderBroker returns the broker id of the committed leader, or -1.
func (p *Partition) LeaderBroker() BrokerID {
	if p.meta.Leader < 0 {
		return -1
	}
	return p.Replicas[p.meta.Leader]
}

// ISRBrokers returns the committed ISR as broker ids, in replica order.
func (p *Partition) ISRBrokers() []BrokerID {
	var out []BrokerID
	for i, b := range p.Replicas {
		if p.meta.ISR.has(i) {
			out = append(out, b)
		}
	}
	return out
}

// position returns the index of broker b in the replica list, or -1.
func (p *Partition) position(b BrokerID) int {
	for i, r := range p.Replicas {
		if r == b {
			return i
		}
	}
	return -1
}

// leaderReplica returns the replica on the committed leader, or nil.
func (p *Partition) leaderReplica() *Replica {
	if p.meta.Leader < 0 {
		return nil
	}
	return p.reps[p.meta.Leader]
}
