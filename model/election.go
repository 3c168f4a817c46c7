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
// Invariant: isr, elr and lastKnownElr are disjoint subsets of the replicas when ELR is on.
type partitionState struct {
	leader         int // position, or -1
	leaderEpoch    int32
	partitionEpoch int32
	isr            replicaSet
	elr            replicaSet // eligible leader replicas (KIP-966)
	lastKnownElr   replicaSet
	recovering     bool // LeaderRecoveryState.RECOVERING after an unclean election
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
	next.elr, next.lastKnownElr = targetELR(cur, in)
	leader, unclean, fromELR := electLeader(cur, in)
	if leader != cur.leader {
		next.leader = leader
		next.leaderEpoch = cur.leaderEpoch + 1
		next.recovering = leader >= 0 && unclean // RECOVERING until the unclean leader recovers
		if leader >= 0 && (unclean || fromELR) {
			next.isr = replicaSet(0).with(leader)
			next.elr = next.elr.without(leader)
		}
	}
	if next.isr == 0 && !in.elrEnabled {
		next.isr = cur.isr // build(): an empty ISR is not written without ELR (:445-452)
	}
	if next == cur {
		return cur, false
	}
	next.partitionEpoch = cur.partitionEpoch + 1
	return next, true
}

// targetELR is maybePopulateTargetElr (KIP-966): below min ISR the ELR collects the old ISR and
// ELR minus the target ISR and unclean-shutdown replicas; at or above min ISR both sets clear.
func targetELR(cur partitionState, in changeInput) (elr, lastKnown replicaSet) {
	if !in.elrEnabled || in.targetISR.size() >= in.minISR {
		return 0, 0
	}
	elr = (cur.elr | cur.isr) &^ in.targetISR &^ in.unclean
	lastKnown = (cur.lastKnownElr | cur.isr) &^ in.targetISR &^ elr
	return elr, lastKnown
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
	elr, lastKnown := targetELR(cur, in)
	if !in.elrEnabled {
		elr, lastKnown = 0, 0
	}
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
	if in.elrEnabled && in.targetISR == 0 && elr == 0 && lastKnown.size() == 1 {
		for pos := range in.n {
			if lastKnown.has(pos) && in.acceptable(pos) {
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
