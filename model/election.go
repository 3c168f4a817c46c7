package model

// electionType is PartitionChangeBuilder.Election (reference §3.1).
type electionType uint8

const (
	electionOnline    electionType = iota // keep a valid leader, else the first valid replica
	electionPreferred                     // replicas[0] if valid
	electionUnclean                       // ONLINE, then any acceptable replica (unclean.leader.election.enable)
)

// partitionState is a partition's metadata as the controller keeps it (PartitionRegistration).
// Replica sets are masks over positions in the replica list.
//
// Invariant: isr and elr are disjoint subsets of the replicas; lastKnownElr holds at most the
// last leader, while the partition has no leader (ELR on).
type partitionState struct {
	leader         int // position, or -1
	leaderEpoch    int32
	partitionEpoch int32
	isr            replicaSet
	elr            replicaSet // eligible leader replicas (KIP-966)
	lastKnownElr   replicaSet // the last known leader (KIP-966 balanced recovery)
	recovering     bool       // LeaderRecoveryState.RECOVERING after an unclean election
}

// changeInput is what PartitionChangeBuilder needs besides the partition: the target ISR, which
// replicas may lead, and the topic's and cluster's settings.
type changeInput struct {
	n          int                // replication factor
	targetISR  replicaSet         // the ISR the change asks for
	acceptable func(pos int) bool // LeaderAcceptor: registered, unfenced, not shutting down
	election   electionType
	minISR     int
	elrEnabled bool       // eligible.leader.replicas.enable
	unclean    replicaSet // replicas whose broker shut down uncleanly (leave the ELR)
}

// buildChange is PartitionChangeBuilder.build: it applies the target ISR, elects a leader, and
// maintains the ELR, returning the new state and whether anything changed (a
// PartitionChangeRecord is written only then). Epoch rules (reference §3.1): any change bumps the
// partition epoch; only a new leader bumps the leader epoch (an ISR shrink does not, MV >= 3.6).
func buildChange(cur partitionState, in changeInput) (partitionState, bool) {
	next := cur
	next.isr = in.targetISR
	next.elr = targetELR(cur, in)
	leader, unclean, fromELR := electLeader(cur, in)
	if leader != cur.leader {
		next.leader = leader
		next.leaderEpoch = cur.leaderEpoch + 1
		next.recovering = leader >= 0 && unclean // RECOVERING until the unclean leader recovers
		if leader >= 0 && (unclean || fromELR) {
			next.isr = replicaSet(0).with(leader)
			next.elr = next.elr.without(leader)
		}
		if leader >= 0 && unclean {
			next.elr = 0 // maybeUpdateRecordElr: an unclean election clears the ELR
		}
	}
	if next.isr == 0 && !in.elrEnabled {
		next.isr = cur.isr // build(): an empty ISR is not written without ELR (:445-452)
	}
	next.lastKnownElr = lastKnownLeader(cur, next, in)
	if next == cur {
		return cur, false
	}
	next.partitionEpoch = cur.partitionEpoch + 1
	return next, true
}

// targetELR is maybePopulateTargetElr (KIP-966): below min ISR the ELR collects the old ISR and
// ELR minus the target ISR and unclean-shutdown replicas; at or above min ISR it clears.
func targetELR(cur partitionState, in changeInput) replicaSet {
	if !in.elrEnabled || in.targetISR.size() >= in.minISR {
		return 0
	}
	return (cur.elr | cur.isr) &^ in.targetISR &^ in.unclean
}

// lastKnownLeader is maybeUpdateLastKnownLeader with useLastKnownLeaderInBalancedRecovery, the
// only mode Kafka's controller builds changes in (PartitionChangeBuilder.java:105,497): when the
// ISR first becomes empty, lastKnownElr holds the leader it had; it is kept while the partition
// has no leader (maybeUpdateRecordElr, :523: an unclean shutdown of that broker leaves it in
// place) and cleared once it has one. The ELR-derived last known ELR that
// maybePopulateTargetElr computes is not written in that mode.
func lastKnownLeader(cur, next partitionState, in changeInput) replicaSet {
	switch {
	case !in.elrEnabled:
		return cur.lastKnownElr
	case next.isr == 0 && cur.isr != 0:
		if cur.leader < 0 {
			return 0 // Kafka writes [-1], which elects no one
		}
		return replicaSet(0).with(cur.leader)
	case next.leader >= 0:
		return 0
	}
	return cur.lastKnownElr
}

// validLeader is isValidNewLeader: in the target ISR, or in the ELR when the target ISR is
// empty; and acceptable.
func validLeader(pos int, elr replicaSet, in changeInput) bool {
	inSet := in.targetISR.has(pos) || (in.targetISR == 0 && elr.has(pos))
	return inSet && in.acceptable(pos)
}

// electLeader runs the election of in.election. It returns the leader position (or -1), whether
// the election was unclean, and whether the leader came from the ELR.
func electLeader(cur partitionState, in changeInput) (leader int, unclean, fromELR bool) {
	elr := targetELR(cur, in)
	valid := func(pos int) bool { return validLeader(pos, elr, in) }
	fromE := func(pos int) bool { return !in.targetISR.has(pos) && elr.has(pos) }
	if in.election == electionPreferred {
		if valid(0) {
			return 0, false, fromE(0)
		}
	}
	if cur.leader >= 0 && valid(cur.leader) {
		return cur.leader, false, false
	}
	for pos := range in.n {
		if valid(pos) {
			return pos, false, fromE(pos)
		}
	}
	// canElectLastKnownLeader: ISR and ELR empty and exactly one last known leader, which must be
	// acceptable (KAFKA-19522; the 4.0 snapshot elected it even while fenced).
	if in.elrEnabled && in.targetISR == 0 && elr == 0 && cur.lastKnownElr.size() == 1 {
		for pos := range in.n {
			if cur.lastKnownElr.has(pos) && in.acceptable(pos) {
				return pos, true, false // the last known leader: flagged unclean
			}
		}
	}
	if in.election == electionUnclean {
		for pos := range in.n {
			if in.acceptable(pos) {
				return pos, true, false
			}
		}
	}
	return -1, false, false
}
