package kraft

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// TestKRaftFirstElection checks reference §4.2: every voter starts Unattached with a randomized
// election timeout in [1000, 2000) ms, so a first leader is elected and active (its LeaderChange
// committed) within about 1–3 s; exactly one leader per epoch at all times (the harness checks
// every 10 ms); OnLeaderActive fires once per leadership, and a healthy quorum keeps its leader.
func TestKRaftFirstElection(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		h := newKraftHarness(t, seed, defaultHarnessConfig())
		require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }),
			"seed %d: no active leader within 3 s", seed)
		at := h.s.Now()
		t.Logf("seed %d: voter %d active at %v", seed, h.activeLeader().spec.ID, at)
		assert.GreaterOrEqual(t, at, sim.Time(time.Second), "no election before the first election timeout")
		h.run(20 * time.Second)
		l := h.activeLeader()
		require.NotNil(t, l, "seed %d: the leader keeps its leadership", seed)
		activations := 0
		for i, lis := range h.listeners {
			activations += len(lis.active)
			assert.Zero(t, lis.lost, "voter %d never lost a leadership", i+1)
			require.NotEmpty(t, lis.entries, "voter %d learned the LeaderChange", i+1)
			assert.Nil(t, lis.entries[0].Rec, "the first entry is the LeaderChange control record")
			assert.Equal(t, l.epoch(), lis.entries[0].Epoch)
			assert.False(t, lis.duplicate, "entries delivered once, in order")
		}
		assert.Equal(t, 1, activations, "seed %d: OnLeaderActive once per leadership", seed)
	}
}

// TestKRaftLeaderCrashFailover checks reference §4.6(b): after the active controller crashes,
// the survivors' fetch timeouts (2 s after their last successful fetch, which was at most
// MAX_FETCH_WAIT_MS before the crash) start a Pre-Vote round, then a Vote round; the new leader
// is active 2–3 s after the crash. Committed entries are never lost, and the old leader rejoins
// as a follower after its restart.
func TestKRaftLeaderCrashFailover(t *testing.T) {
	var total time.Duration
	const seeds = 10
	for seed := uint64(1); seed <= seeds; seed++ {
		h := newKraftHarness(t, seed, defaultHarnessConfig())
		old, committed, nl, took := kraftCrashLeader(t, h, time.Duration(seed)*53*time.Millisecond)
		total += took
		t.Logf("seed %d: new leader active %v after the crash", seed, took)
		assert.GreaterOrEqual(t, took, 1500*time.Millisecond, "detection needs the fetch timeout")
		assert.LessOrEqual(t, took, 3500*time.Millisecond, "reference §4.6(b): ≈2–3 s")
		assert.Equal(t, committed, nl.log.view(0, units.Offset(len(committed))).slice(), "committed metadata never lost")

		oldLis := h.listeners[old.idx]
		_, off := h.appendOne(100)
		h.run(2 * time.Second)
		h.restart(old)
		h.run(3 * time.Second)
		assert.Equal(t, "Follower", old.stateName(), "seed %d: the old leader rejoins as follower", seed)
		id, ok := old.leader()
		assert.True(t, ok)
		assert.Equal(t, nl.spec.ID, id)
		h.appendOne(101)
		h.run(2 * time.Second)
		assert.Greater(t, len(oldLis.entries), int(off), "the old leader learns what was committed without it")
		assert.Equal(t, h.listeners[nl.idx].entries, oldLis.entries, "every voter commits the same entries")
		assert.False(t, oldLis.duplicate, "each entry reaches a voter's listener once, across the restart")
		assert.Equal(t, 1, oldLis.lost, "OnLeaderLost on the crash")
	}
	t.Logf("mean failover %v", total/seeds)
}

// kraftCrashLeader elects a leader, commits a few records, waits a little more, crashes the
// leader and waits for a new active leader. It returns the old leader, what it had committed,
// the new leader and the time from the crash to the new leader's activation.
func kraftCrashLeader(t *testing.T, h *kraftHarness, extra time.Duration) (old *Voter, committed []Entry, nl *Voter, took time.Duration) {
	require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
	for i := range 5 {
		h.run(time.Duration(100+37*i) * time.Millisecond)
		h.appendOne(i)
	}
	h.run(time.Second + extra)
	old = h.activeLeader()
	committed = append([]Entry(nil), h.listeners[old.idx].entries...)
	crashAt := h.s.Now()
	h.crash(old)
	require.True(t, h.runUntil(6*time.Second, func() bool {
		l := h.activeLeader()
		return l != nil && l.epoch() > old.epoch()
	}), "no new leader")
	return old, committed, h.activeLeader(), h.s.Now().Sub(crashAt)
}

// TestKRaftIsolatedLeaderResigns checks reference §4.3 check quorum and §4.6(b) point 6: a leader
// cut off from both other voters resigns after 1.5 × controller.quorum.fetch.timeout.ms = 3 s
// without a majority of fetches, while the majority elects a new leader after about 2 s; after
// the partition heals the old leader follows the new one.
func TestKRaftIsolatedLeaderResigns(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		h := newKraftHarness(t, seed, defaultHarnessConfig())
		require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
		h.run(2*time.Second + time.Duration(seed)*71*time.Millisecond)
		old := h.activeLeader()
		lis := h.listeners[old.idx]
		cutAt := h.s.Now()
		h.isolate(old.spec.Node, true)
		require.True(t, h.runUntil(5*time.Second, func() bool {
			l := h.activeLeader()
			return l != nil && l != old && lis.lost > 0
		}), "seed %d: resign and re-election", seed)
		var newAt sim.Time
		for _, l := range h.listeners {
			if len(l.activeAt) > 0 && l.activeAt[len(l.activeAt)-1] > cutAt {
				newAt = l.activeAt[len(l.activeAt)-1]
			}
		}
		resign, elect := lis.lostAt[0].Sub(cutAt), newAt.Sub(cutAt)
		t.Logf("seed %d: resigned after %v, new leader active after %v", seed, resign, elect)
		assert.GreaterOrEqual(t, resign, 2400*time.Millisecond)
		assert.LessOrEqual(t, resign, 3000*time.Millisecond, "check quorum: 1.5 × fetch timeout")
		assert.GreaterOrEqual(t, elect, 1400*time.Millisecond)
		assert.LessOrEqual(t, elect, 3000*time.Millisecond)
		assert.Equal(t, "Resigned", old.stateName())

		h.isolate(old.spec.Node, false)
		h.run(3 * time.Second)
		nl := h.activeLeader()
		require.NotNil(t, nl)
		assert.Equal(t, "Follower", old.stateName(), "seed %d: the old leader follows after the heal", seed)
		assert.Equal(t, nl.epoch(), old.epoch())
	}
}

// TestKRaftNoMajorityNoCommit checks that with 2 of 3 voters crashed the metadata plane is lost:
// no leader is active and nothing commits. A surviving leader resigns by check quorum; the
// survivor's Pre-Vote rounds never win, so its epoch does not grow (KIP-996).
func TestKRaftNoMajorityNoCommit(t *testing.T) {
	for _, crashLeader := range []bool{false, true} {
		h := newKraftHarness(t, 3, defaultHarnessConfig())
		require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
		h.appendOne(0)
		h.run(time.Second)
		l := h.activeLeader()
		survivor := l
		if crashLeader {
			survivor = h.q.Voters()[(l.idx+1)%3]
		}
		for _, v := range h.q.Voters() {
			if v != survivor {
				h.crash(v)
			}
		}
		lis := h.listeners[survivor.idx]
		entries, epoch, hw := len(lis.entries), survivor.epoch(), survivor.HighWatermark()
		if !crashLeader {
			_, ok := survivor.Append(h.s, kraftTestRec{size: 100})
			assert.True(t, ok, "the leader accepts the append but cannot commit it")
			h.run(3 * time.Second)
			assert.Equal(t, 1, lis.lost, "the lone leader resigns by check quorum")
		}
		h.run(30 * time.Second)
		assert.Nil(t, h.activeLeader(), "no active leader without a majority")
		assert.False(t, survivor.isLeader())
		_, ok := survivor.Append(h.s, kraftTestRec{size: 100})
		assert.False(t, ok, "appends are refused")
		assert.Len(t, lis.entries, entries, "nothing commits")
		assert.Equal(t, hw, survivor.HighWatermark())
		assert.Equal(t, epoch, survivor.epoch(), "Pre-Vote keeps the epoch from growing")
		t.Logf("crash leader %v: survivor %s at epoch %d", crashLeader, survivor.stateName(), survivor.epoch())
	}
}

// TestKRaftUncommittedTailTruncated checks that a leader crashing with entries no follower
// fetched loses only those (they were never committed, so no listener saw them): after its
// restart the diverging Fetch makes it truncate them (KafkaRaftClient diverging epoch) and adopt
// the new leader's log.
func TestKRaftUncommittedTailTruncated(t *testing.T) {
	h := newKraftHarness(t, 4, defaultHarnessConfig())
	require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
	h.run(time.Second)
	old, off := h.appendOne(0)
	h.run(h.cfg.AppendLinger) // the batch is in the leader's log; the fetch responses are not out
	require.Equal(t, off+1, old.log.end())
	h.crash(old)
	require.True(t, h.runUntil(5*time.Second, func() bool {
		l := h.activeLeader()
		return l != nil && l != old
	}))
	nl := h.activeLeader()
	assert.Equal(t, nl.epoch(), nl.log.entry(off).Epoch, "the new leader's LeaderChange took the offset")
	h.restart(old)
	h.run(3 * time.Second)
	assert.Equal(t, nl.log.view(0, nl.log.end()).slice(), old.log.view(0, old.log.end()).slice(), "the uncommitted tail was truncated")
	assert.Equal(t, h.listeners[nl.idx].entries, h.listeners[old.idx].entries)
}

// TestKRaftEndEpochBackoff checks KafkaRaftClient.endEpochElectionBackoff with the default
// controller.quorum.election.backoff.max.ms: the first preferred successor starts at once, the
// next ones after strictly exponential waits, a voter not named after the maximum.
func TestKRaftEndEpochBackoff(t *testing.T) {
	cfg := DefaultQuorumConfig()
	succ := []int{2, 0, 1}
	for idx, want := range []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, 0, time.Second} {
		v := &Voter{idx: idx, cfg: &cfg}
		assert.Equal(t, want, v.endEpochBackoff(succ), "voter index %d", idx)
	}
}
