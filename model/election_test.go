package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// set builds a replicaSet from positions.
func set(pos ...int) replicaSet {
	var r replicaSet
	for _, p := range pos {
		r = r.with(p)
	}
	return r
}

// TestElectionVectors replays PartitionChangeBuilderTest's election vectors (reference §3.1):
// FOO has replicas [2,1,3], ISR [2,1,3], leader 1, broker 3 not acceptable, min ISR 2.
func TestElectionVectors(t *testing.T) {
	foo := partitionState{leader: 1, isr: set(0, 1, 2)}
	not3 := func(pos int) bool { return pos != 2 } // positions of [2,1,3]: broker 3 is position 2
	all := func(int) bool { return true }
	cases := []struct {
		name     string
		cur      partitionState
		n        int
		target   replicaSet
		accept   func(int) bool
		election electionType
		want     int
		unclean  bool
	}{
		{"FOO preferred -> 2", foo, 3, set(0, 1, 2), not3, electionPreferred, 0, false},
		{"FOO online -> 1", foo, 3, set(0, 1, 2), not3, electionOnline, 1, false},
		{"FOO unclean -> 1", foo, 3, set(0, 1, 2), not3, electionUnclean, 1, false},
		{"FOO target ISR [1,3] -> 1", foo, 3, set(1, 2), not3, electionOnline, 1, false},
		{"FOO target ISR [3] online -> none", foo, 3, set(2), not3, electionOnline, -1, false},
		{"FOO target ISR [3] unclean -> 2", foo, 3, set(2), not3, electionUnclean, 0, true},
		// replicas [2,1,3,4]: broker 4 is position 3, in the target ISR and acceptable: clean.
		{"FOO2 target ISR [4] unclean -> 4", foo, 4, set(3), not3, electionUnclean, 3, false},
		// BAZ: replicas [2,1,3], ISR [1,3], leader 3.
		{"BAZ preferred -> 3", partitionState{leader: 2, isr: set(1, 2)}, 3, set(1, 2), all, electionPreferred, 2, false},
		{"BAZ online -> 3", partitionState{leader: 2, isr: set(1, 2)}, 3, set(1, 2), all, electionOnline, 2, false},
		{"BAZ unclean -> 3", partitionState{leader: 2, isr: set(1, 2)}, 3, set(1, 2), all, electionUnclean, 2, false},
	}
	for _, c := range cases {
		in := changeInput{n: c.n, targetISR: c.target, acceptable: c.accept, election: c.election, minISR: 2}
		got, unclean, _ := electLeader(c.cur, in)
		assert.Equal(t, c.want, got, c.name)
		assert.Equal(t, c.unclean, unclean, c.name)
	}
}

// TestBuildChangeEpochsAndUnclean checks the epoch rules and the unclean outcome of §3.1: an ISR
// shrink bumps only the partition epoch; a new leader bumps both; an unclean leader leaves ISR =
// [leader] and the partition RECOVERING; without ELR an empty ISR is not written.
func TestBuildChangeEpochsAndUnclean(t *testing.T) {
	cur := partitionState{leader: 0, leaderEpoch: 5, partitionEpoch: 9, isr: set(0, 1, 2)}
	all := func(int) bool { return true }
	next, changed := buildChange(cur, changeInput{n: 3, targetISR: set(0, 1), acceptable: all, minISR: 2})
	assert.True(t, changed)
	assert.Equal(t, partitionState{leader: 0, leaderEpoch: 5, partitionEpoch: 10, isr: set(0, 1)}, next)

	none := func(int) bool { return false }
	next, _ = buildChange(cur, changeInput{n: 3, targetISR: 0, acceptable: none, minISR: 2})
	assert.Equal(t, -1, next.leader)
	assert.Equal(t, int32(6), next.leaderEpoch)
	assert.Equal(t, set(0, 1, 2), next.isr, "without ELR the empty ISR is not written")

	onlyTwo := func(pos int) bool { return pos == 2 }
	next, _ = buildChange(partitionState{leader: -1, isr: set(0)}, changeInput{n: 3, targetISR: set(0),
		acceptable: onlyTwo, election: electionUnclean, minISR: 2})
	assert.Equal(t, 2, next.leader)
	assert.Equal(t, set(2), next.isr)
	assert.True(t, next.recovering)

	_, changed = buildChange(cur, changeInput{n: 3, targetISR: set(0, 1, 2), acceptable: all, minISR: 2})
	assert.False(t, changed, "no change, no record")
}

// TestELRVectors replays PartitionChangeBuilderTest's ELR vectors (reference §3.4): replicas
// [1,2,3,4], min ISR 3. ISR [1,2,3,4] -> [1,2] gives ELR [3,4], lastKnownElr [] and keeps leader
// 1; ISR [1,2] with ELR [3] -> [1,2,3] clears both.
func TestELRVectors(t *testing.T) {
	all := func(int) bool { return true }
	cur := partitionState{leader: 0, isr: set(0, 1, 2, 3)}
	next, _ := buildChange(cur, changeInput{n: 4, targetISR: set(0, 1), acceptable: all, minISR: 3, elrEnabled: true})
	assert.Equal(t, set(2, 3), next.elr)
	assert.Equal(t, replicaSet(0), next.lastKnownElr)
	assert.Equal(t, 0, next.leader)

	cur = partitionState{leader: 0, isr: set(0, 1), elr: set(2)}
	next, _ = buildChange(cur, changeInput{n: 4, targetISR: set(0, 1, 2), acceptable: all, minISR: 3, elrEnabled: true})
	assert.Equal(t, replicaSet(0), next.elr)
	assert.Equal(t, replicaSet(0), next.lastKnownElr)
}

// TestELRLastReplicaStanding is KIP-966's sequence on [1,2,3] with min ISR 2: 3 then 2 then the
// leader 1 leave the ISR. With ELR the ISR may become empty and 2 (which holds every committed
// record, since the HW froze below min ISR) can lead cleanly when it alone comes back; without
// ELR the partition stays offline until 1 returns.
func TestELRLastReplicaStanding(t *testing.T) {
	for _, elr := range []bool{true, false} {
		alive := map[int]bool{0: true, 1: true, 2: true}
		accept := func(pos int) bool { return alive[pos] }
		st := partitionState{leader: 0, isr: set(0, 1, 2)}
		step := func(target replicaSet) {
			st, _ = buildChange(st, changeInput{n: 3, targetISR: target, acceptable: accept, minISR: 2, elrEnabled: elr})
		}
		alive[2] = false
		step(st.isr.without(2))
		alive[1] = false
		step(st.isr.without(1))
		alive[0] = false
		step(st.isr.without(0))
		assert.Equal(t, -1, st.leader, "elr=%v: offline once the last ISR member is gone", elr)
		alive[1] = true // broker 2 comes back after a clean shutdown
		step(st.isr)    // handleBrokerUnfenced re-runs the election
		if elr {
			assert.Equal(t, 1, st.leader, "ELR: broker 2 leads cleanly")
			assert.False(t, st.recovering)
			assert.Equal(t, set(1), st.isr)
		} else {
			assert.Equal(t, -1, st.leader, "no ELR: only broker 1, still in the ISR, may lead")
			assert.Equal(t, set(0), st.isr)
		}
	}
}

// TestLastKnownLeaderVectors replays PartitionChangeBuilderTest's last-known-leader vectors
// (useLastKnownLeaderInBalancedRecovery, the controller's mode): replicas [1,2,3,4], min ISR 3.
// testEligibleLeaderReplicas_IsrCanShrinkToZero: every replica offline, ISR -> [] gives ELR
// [1,2,3,4] and lastKnownElr [1], no leader; an unclean shutdown of 2 then leaves lastKnownElr
// alone. testEligibleLeaderReplicas_ElectLastKnownLeader: ISR [], ELR [], lastKnownElr [1], all
// acceptable: 1 leads, flagged unclean (RECOVERING), ISR [1], lastKnownElr cleared.
// KAFKA-19522: a last known leader that is not acceptable is not elected.
func TestLastKnownLeaderVectors(t *testing.T) {
	none := func(int) bool { return false }
	all := func(int) bool { return true }
	cur := partitionState{leader: 0, leaderEpoch: 100, partitionEpoch: 200, isr: set(0, 1, 2, 3)}
	next, _ := buildChange(cur, changeInput{n: 4, targetISR: 0, acceptable: none, election: electionPreferred, minISR: 3, elrEnabled: true})
	assert.Equal(t, -1, next.leader)
	assert.Equal(t, replicaSet(0), next.isr)
	assert.Equal(t, set(0, 1, 2, 3), next.elr)
	assert.Equal(t, set(0), next.lastKnownElr)

	after, _ := buildChange(next, changeInput{n: 4, targetISR: 0, acceptable: none, election: electionPreferred,
		minISR: 3, elrEnabled: true, unclean: set(1)})
	assert.Equal(t, set(0), after.lastKnownElr, "an unclean shutdown does not touch the last known leader")
	assert.Equal(t, set(0, 2, 3), after.elr)

	cur = partitionState{leader: -1, leaderEpoch: 100, partitionEpoch: 200, lastKnownElr: set(0)}
	next, _ = buildChange(cur, changeInput{n: 4, targetISR: 0, acceptable: all, election: electionPreferred, minISR: 3, elrEnabled: true})
	assert.Equal(t, partitionState{leader: 0, leaderEpoch: 101, partitionEpoch: 201, isr: set(0), recovering: true}, next)

	_, changed := buildChange(cur, changeInput{n: 4, targetISR: 0, acceptable: none, election: electionPreferred, minISR: 3, elrEnabled: true})
	assert.False(t, changed, "KAFKA-19522: a fenced last known leader is not elected")
}
