package model

import (
	"math"

	"github.com/stretchsim/stretchsim/sim"
)

// followerState is what a leader keeps per follower (Replica.scala ReplicaState, reference §2.1).
type followerState struct {
	implicit           *leaderSession // caught up as of implicit.lastFetch: see fetch_session.go
	leo                Offset         // the follower's LEO as last fetched; -1 unknown
	lastFetchLeaderLEO Offset         // leader LEO at the previous fetch
	lastFetchTime      sim.Time       // time of the previous fetch
	lastCaughtUp       sim.Time       // lastCaughtUpTimeMs
}

// alterState is the leader's AlterPartition state (Partition.scala PendingExpandIsr/PendingShrinkIsr).
type alterState uint8

const (
	alterNone alterState = iota
	alterExpand
	alterShrink
)

// leaderState is what a replica keeps as leader: its followers, the ISR and the produces waiting
// for the HW. Only a replica that has led carries it. Kafka's follower holds no remote replica
// states either (Partition.makeFollower → updateAssignmentAndIsr clears remoteReplicasMap); the
// model keeps a former leader's, stale, and reads it only while r.leader.
type leaderState struct {
	epochStart Offset
	// isr is the committed ISR as this leader knows it; maximal adds a pending expansion
	// (Partition.scala maximalIsr): HW and acks use maximal, min-ISR checks use isr.
	isr, maximal replicaSet
	pending      alterState
	followers    []followerState
	produces     produceWaiters
}

// Replica is one broker's copy of a partition. As leader it tracks its followers, the ISR and
// the high watermark; as follower it is fetched into by a replica fetcher.
type Replica struct {
	p      *Partition
	broker *Broker
	log    replicaLog
	// disk is what of log is on disk; nil when the run has no power loss, the one thing that
	// reads it (Cluster.powerLossScheduled).
	disk *diskState

	pos            int32 // position in p.Replicas
	leader         bool
	leaderEpoch    int32 // the epoch this replica knows for the partition
	partitionEpoch int32
	// *leaderState is nil until the replica first leads; it is kept, and reset, after that.
	*leaderState
	pids pidStates // idempotent producers' last batches (idempotence.go)
	// readers are the fetch sessions that read this replica; nil until the first one does.
	readers *replicaReaders

	// Follower state.
	session           *fetchEntry // this follower's entry in its fetcher's session; nil: not fetching
	fetchDelayedUntil sim.Time    // partition backoff after a fetch error
}

// replicaReaders are the fetch sessions reading a replica: a leader's followers, and consumers
// reading the leader or, with KIP-392, a follower. A replica nobody has read carries none.
type replicaReaders struct {
	consumers []*consumerPart // consumer fetch sessions
	// sessions are the replica fetcher sessions; a follower that learns of its leader before the
	// leader does fetches a replica that does not lead yet.
	sessions []*sessionPart
	// queued holds the offsets of the consumer Fetches listing the partition that the broker
	// has read and not yet run (Broker.holdReads).
	queued offsetHold
}

// sessions returns the replica fetcher sessions reading r.
func (r *Replica) sessions() []*sessionPart {
	if r.readers == nil {
		return nil
	}
	return r.readers.sessions
}

// consumers returns the consumer fetch sessions reading r.
func (r *Replica) consumers() []*consumerPart {
	if r.readers == nil {
		return nil
	}
	return r.readers.consumers
}

// reading returns r's readers, creating them for a first one.
func (r *Replica) reading() *replicaReaders {
	if r.readers == nil {
		r.readers = &replicaReaders{queued: noHold}
	}
	return r.readers
}

// fetcher returns the replica fetcher that fetches r, or nil.
func (r *Replica) fetcher() *fetcher {
	if r.session == nil {
		return nil
	}
	return r.session.f
}

// isCaughtUp is Replica.isCaughtUp (Replica.scala:67): the follower has the leader's LEO, or was
// caught up within replica.lag.time.max.ms.
func (r *Replica) isCaughtUp(pos int, now sim.Time) bool {
	f := &r.followers[pos]
	return f.leo == r.log.leo || now.Sub(f.lastCaughtUp) <= r.broker.cfg.ReplicaLagTimeMax
}

// updateFollower is Replica.updateFetchStateOrThrow (Replica.scala:108): fetchOffset is the
// follower's LEO, leaderLEO the leader's LEO before the read.
func (r *Replica) updateFollower(pos int, fetchOffset, leaderLEO Offset, now sim.Time) {
	f := &r.followers[pos]
	switch {
	case fetchOffset >= leaderLEO:
		f.lastCaughtUp = max(f.lastCaughtUp, now)
	case fetchOffset >= f.lastFetchLeaderLEO:
		f.lastCaughtUp = max(f.lastCaughtUp, f.lastFetchTime)
	}
	f.leo = fetchOffset
	f.lastFetchLeaderLEO = max(leaderLEO, f.lastFetchLeaderLEO)
	f.lastFetchTime = now
}

// underMinISR reports whether the committed ISR is below the effective min ISR (KAFKA-15583).
func (r *Replica) underMinISR() bool { return r.isr.size() < int(r.p.minISR) }

// eligible is Partition.isReplicaIsrEligible: in the leader broker's metadata, the follower's
// broker is registered, not fenced and not in controlled shutdown.
func (r *Replica) eligible(pos int) bool {
	return r.broker.image.acceptable(r.broker.cluster.brokerIndex(r.p.Replicas[pos]))
}

// maybeIncrementHW is Partition.maybeIncrementLeaderHW (reference §2.6). It reports whether the
// HW rose.
func (r *Replica) maybeIncrementHW(now sim.Time) bool {
	if r.underMinISR() {
		return false // the HW is frozen below min ISR since 3.7
	}
	newHW := r.log.leo
	for pos := range r.followers {
		if pos == int(r.pos) {
			continue
		}
		f := &r.followers[pos]
		if f.leo < newHW && (r.maximal.has(pos) || (r.isCaughtUp(pos, now) && r.eligible(pos))) {
			newHW = f.leo
		}
	}
	if newHW > r.log.hw {
		r.log.hw = newHW
		r.broker.cluster.touch(r.p)
		return true
	}
	return false
}

// maybeExpandISR is Partition.maybeExpandIsr (reference §2.5): a follower not in the ISR whose LEO
// reached the HW and the current epoch is added to the maximal ISR at once and proposed to the
// controller.
func (r *Replica) maybeExpandISR(s *sim.Sim, pos int) {
	f := &r.followers[pos]
	if r.pending != alterNone || r.maximal.has(pos) || f.leo < r.log.hw || f.leo < r.epochStart || !r.eligible(pos) {
		return
	}
	r.maximal = r.isr.with(pos)
	r.pending = alterExpand
	r.broker.alter.propose(s, r, r.maximal)
}

// maybeShrinkISR is Partition.maybeShrinkIsr (reference §2.4): followers of the committed ISR
// that are not caught up are proposed for removal; the maximal ISR keeps them until the
// controller commits.
func (r *Replica) maybeShrinkISR(s *sim.Sim, now sim.Time) {
	if r.pending != alterNone {
		return
	}
	newISR := r.isr
	for pos := range r.followers {
		if pos != int(r.pos) && r.isr.has(pos) && !r.isCaughtUp(pos, now) {
			newISR = newISR.without(pos)
		}
	}
	if newISR == r.isr {
		return
	}
	r.pending = alterShrink
	r.broker.alter.propose(s, r, newISR)
}

// onAlterCommitted applies the controller's answer to this leader's AlterPartition
// (Partition.handleAlterPartitionUpdate): the ISR is committed, which may raise the HW.
func (r *Replica) onAlterCommitted(s *sim.Sim, isr replicaSet, partitionEpoch int32, ok bool) {
	kind := r.pending
	r.pending = alterNone
	if !ok {
		r.setMaximal(r.isr) // INELIGIBLE_REPLICA and friends: revert to the committed state
		r.broker.metrics.FailedIsrUpdates++
		return
	}
	r.isr, r.partitionEpoch = isr, partitionEpoch
	r.setMaximal(isr)
	switch kind {
	case alterExpand:
		r.broker.metrics.IsrExpands++
	case alterShrink:
		r.broker.metrics.IsrShrinks++
	}
	r.afterHWMayRise(s)
}

// setMaximal sets the maximal ISR. A follower that leaves it is re-examined on every Fetch of its
// session again: the leader skips only caught-up members of the maximal ISR (fetch_session.go),
// and Kafka runs maybeExpandIsr for every partition of a session on every Fetch
// (IncrementalFetchContext.foreachPartition), so a follower whose expansion was refused, or that
// the controller removed while it kept fetching, is proposed again at its next Fetch.
func (r *Replica) setMaximal(m replicaSet) {
	left := r.maximal &^ m
	r.maximal = m
	if left == 0 {
		return
	}
	for _, sp := range r.sessions() {
		if pos := int(sp.pos); left.has(pos) && !sp.removed {
			r.materialize(pos)
			sp.setExplicit(true)
		}
	}
}

// afterHWMayRise re-evaluates the HW and, if it rose, completes what waits on it
// (Partition.tryCompleteDelayedRequests).
func (r *Replica) afterHWMayRise(s *sim.Sim) {
	if r.maybeIncrementHW(s.Now()) {
		r.produces.complete(s, r)
		r.onHWForConsumers(s)
		r.onHWForSessions()
	}
}

// longAgo stands for Kafka's 0 in lastCaughtUpTimeMs and lastFetchTimeMs: in Kafka's wall-clock
// milliseconds 0 is 1970, far outside replica.lag.time.max.ms, but virtual time starts at 0, so
// the model's "never" must lie far before it. now - longAgo cannot overflow for any run.
const longAgo sim.Time = math.MinInt64 / 4

// becomeLeader is Partition.makeLeader: follower states reset as reference §2.1 says.
func (r *Replica) becomeLeader(now sim.Time, epoch int32, isr replicaSet, partitionEpoch int32) {
	newEpoch := !r.leader || epoch > r.leaderEpoch
	r.leader, r.leaderEpoch, r.partitionEpoch = true, epoch, partitionEpoch
	r.broker.cluster.touch(r.p)
	if r.leaderState == nil {
		r.leaderState = &leaderState{followers: make([]followerState, len(r.p.Replicas))}
	}
	r.isr, r.maximal, r.pending = isr, isr, alterNone
	r.epochStart = r.log.leo
	if !newEpoch {
		return
	}
	for pos := range r.followers {
		f := &r.followers[pos]
		f.lastCaughtUp = longAgo
		if isr.has(pos) {
			f.lastCaughtUp = now
		}
		f.leo, f.lastFetchLeaderLEO, f.lastFetchTime, f.implicit = -1, -1, longAgo, nil
	}
}

// trimLogs is false only in the test that shows trimming changes no result
// (TestTrimmingIsBookkeeping); trimEager, set by tests, trims at every append, so that a floor
// too high panics at the first read below it (replicaLog.mustHold), not only once an array fills.
var trimLogs, trimEager = true, false

// maybeTrim forgets, after an append, the batches of r's log below what every replica and
// consumer of the partition has read (Partition.retainFrom); the leader also forgets the
// acknowledged records every replica now holds (trimAcked). Each replica trims only its own log.
// A partition written a few times a minute (many partitions) keeps no more batches than one
// written all the time. It trims once the log's array is full, before the next append would
// grow it: that keeps the same array as trimming at every append (the read batches in front
// stay until it is full anyway, replicaLog.appendCoded), at a fraction of the floors computed.
func (r *Replica) maybeTrim() {
	if !trimLogs || len(r.log.batches) < cap(r.log.batches) && !trimEager {
		return
	}
	keep := r.p.retainFrom(r)
	r.log.trim(keep)
	if r.leader {
		r.p.trimAcked(keep)
	}
}
