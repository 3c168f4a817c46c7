package kraft

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// TestKRaftCommitLatency checks reference §4.3: an appended record commits after the append
// linger (controller.quorum.append.linger.ms = 25) plus one round trip to the nearest other voter
// (the majority of 3): the drain completes the followers' parked fetches, and their next Fetch
// reports the new end offset. A follower whose Fetch was on the wire at the drain adds at most
// one more round trip. Every voter's listener then gets the entry exactly once.
func TestKRaftCommitLatency(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		h := newKraftHarness(t, seed, defaultHarnessConfig())
		require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
		h.run(2 * time.Second)
		var lats []time.Duration
		var leader *Voter
		for i := range 20 {
			h.run(time.Duration(50+23*i) * time.Millisecond)
			v, off := h.appendOne(i)
			leader = v
			at := h.s.Now()
			lis := h.listeners[v.idx]
			require.True(t, h.runUntil(time.Second, func() bool { return len(lis.entries) > int(off) }))
			lats = append(lats, lis.commitAt[off].Sub(at))
		}
		want := defaultHarnessConfig().AppendLinger + nearestRTT(leader)
		slices.Sort(lats)
		t.Logf("seed %d: leader %d, commit latency min %v median %v max %v (linger + nearest RTT = %v)",
			seed, leader.spec.ID, lats[0], lats[len(lats)/2], lats[len(lats)-1], want)
		assert.GreaterOrEqual(t, lats[0], want, "no commit before linger + one round trip")
		assert.Equal(t, want, lats[len(lats)/2], "typically exactly linger + nearest RTT")
		assert.LessOrEqual(t, lats[len(lats)-1], want+nearestRTT(leader), "at most one extra round trip")

		h.run(time.Second)
		for i, lis := range h.listeners {
			assert.Len(t, lis.entries, 21, "voter %d commits the LeaderChange and the 20 records", i+1)
			assert.False(t, lis.duplicate)
		}
	}
}

// TestKRaftObserverHWPropagation checks reference §4.3's HW propagation delay of the snapshot
// (KIP-1166 not modelled): an observer gets the entry as soon as the leader's LEO grows, but the
// leader completes parked fetches only on LEO growth, so the observer learns that the HW moved
// past it only with the next append or when its parked fetch expires up to MAX_FETCH_WAIT_MS =
// 500 ms later.
func TestKRaftObserverHWPropagation(t *testing.T) {
	h := newKraftHarness(t, 5, defaultHarnessConfig())
	obs, olis := h.addObserver(2)
	require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
	h.run(3 * time.Second)
	l := h.activeLeader()
	id, _, ok := obs.Leader()
	require.True(t, ok)
	assert.Equal(t, l.spec.ID, id, "the observer found the leader")
	require.Len(t, olis.entries, 1, "the observer learned the committed LeaderChange")
	rttObs := kraftRTT[l.spec.Site][2]

	// Alone: the observer holds the entry before it commits, and learns the commit from its
	// parked fetch's expiry.
	_, off := h.appendOne(0)
	h.run(2 * time.Second)
	lis := h.listeners[l.idx]
	require.Len(t, olis.entries, int(off)+1)
	delay := olis.commitAt[off].Sub(lis.commitAt[off])
	t.Logf("HW propagation to the observer without a further append: %v", delay)
	assert.Greater(t, delay, 2*rttObs, "not at once: HW changes alone complete no parked fetch")
	assert.LessOrEqual(t, delay, raftMaxFetchWait+2*rttObs)

	// Followed by another append 100 ms later: that append's drain carries the HW.
	_, a := h.appendOne(1)
	h.run(100 * time.Millisecond)
	_, b := h.appendOne(2)
	drainB := h.s.Now().Add(h.cfg.AppendLinger)
	h.run(2 * time.Second)
	require.Len(t, olis.entries, int(b)+1)
	learnA := olis.commitAt[a]
	t.Logf("HW propagation with a second append: %v after the leader committed", learnA.Sub(lis.commitAt[a]))
	assert.GreaterOrEqual(t, learnA, drainB)
	assert.LessOrEqual(t, learnA, drainB.Add(rttObs))
	assert.Equal(t, lis.entries, olis.entries, "the observer learns every committed entry, once, in order")
	assert.Equal(t, l.HighWatermark(), obs.highWatermark())
}

// TestKRaftObserverFollowsNewLeader checks that an observer that loses its leader finds the new
// one: after controller.quorum.fetch.timeout.ms without a successful fetch it asks a random
// voter, which names the leader; it keeps learning committed entries, and after a restart it
// resumes from the end of its log.
func TestKRaftObserverFollowsNewLeader(t *testing.T) {
	h := newKraftHarness(t, 7, defaultHarnessConfig())
	obs, olis := h.addObserver(0)
	require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
	h.run(time.Second)
	old := h.activeLeader()
	h.crash(old)
	require.True(t, h.runUntil(5*time.Second, func() bool {
		l := h.activeLeader()
		return l != nil && l != old
	}))
	nl := h.activeLeader()
	require.True(t, h.runUntil(5*time.Second, func() bool {
		id, _, ok := obs.Leader()
		return ok && id == nl.spec.ID
	}), "the observer finds the new leader")
	h.appendOne(0)
	h.run(2 * time.Second)
	assert.Equal(t, h.listeners[nl.idx].entries, olis.entries)

	obs.Crash(h.s)
	h.appendOne(1)
	h.run(time.Second)
	obs.Restart(h.s)
	h.appendOne(2)
	h.run(2 * time.Second)
	assert.Equal(t, h.listeners[nl.idx].entries, olis.entries, "resumes from its log, each entry once")
	assert.False(t, olis.duplicate)
}

// kraftScenario runs elections, appends, a leader crash and a restart with one observer, and
// returns the trace of every listener callback.
func kraftScenario(t *testing.T, seed uint64) []string {
	h := newKraftHarness(t, seed, defaultHarnessConfig())
	h.addObserver(1)
	for i := range 40 {
		h.run(250 * time.Millisecond)
		if l := h.activeLeader(); l != nil {
			l.Append(h.s, kraftTestRec{n: i, size: units.Bytes(100 + i)})
		}
		switch i {
		case 12:
			if l := h.activeLeader(); l != nil {
				h.crash(l)
			}
		case 25:
			for _, v := range h.q.Voters() {
				if v.down {
					h.restart(v)
				}
			}
		}
	}
	return h.trace
}

// TestKRaftDeterminism checks style rule 10: the same seed gives the identical sequence of
// (time, event); another seed gives a different one.
func TestKRaftDeterminism(t *testing.T) {
	a, b, c := kraftScenario(t, 1), kraftScenario(t, 1), kraftScenario(t, 2)
	require.Greater(t, len(a), 50)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
}

// TestKRaftElectionBackoff checks KafkaRaftClient.binaryExponentialElectionBackoffMs against the
// values of reference §4.2: retries 1 → {0, 100} ms, 2 → {0..300}, 3 → {0..700}, ≥ 4 capped at
// controller.quorum.election.backoff.max.ms.
func TestKRaftElectionBackoff(t *testing.T) {
	rnd := sim.NewStream(1, "test")
	for _, c := range []struct {
		retries int
		max     time.Duration
	}{{1, 100 * time.Millisecond}, {2, 300 * time.Millisecond}, {3, 700 * time.Millisecond}, {4, time.Second}, {30, time.Second}} {
		var hi time.Duration
		for range 2000 {
			d := electionBackoff(rnd, c.retries, time.Second)
			require.Zero(t, d%raftBackoffBase, "a multiple of RETRY_BACKOFF_BASE_MS")
			require.LessOrEqual(t, d, c.max)
			hi = max(hi, d)
		}
		assert.Equal(t, c.max, hi, "retries %d reaches its bound", c.retries)
	}
}

// TestKRaftRandomElectionTimeout checks QuorumState.randomElectionTimeoutMs: uniform integer
// milliseconds in [election.timeout, 2 × election.timeout).
func TestKRaftRandomElectionTimeout(t *testing.T) {
	cfg := DefaultQuorumConfig()
	v := &Voter{cfg: &cfg, rnd: sim.NewStream(1, "kraft/voter-1")}
	lo, hi := time.Hour, time.Duration(0)
	for range 5000 {
		d := v.randomElectionTimeout()
		require.Zero(t, d%time.Millisecond)
		lo, hi = min(lo, d), max(hi, d)
	}
	assert.Equal(t, time.Second, lo)
	assert.Equal(t, 1999*time.Millisecond, hi)
}

// TestKRaftDisconnectRetries checks that a request whose connection the network reset fails at
// once and is retried after controller.quorum.retry.backoff.ms, as Kafka does on a disconnect,
// instead of waiting for controller.quorum.request.timeout.ms.
func TestKRaftDisconnectRetries(t *testing.T) {
	h := newKraftHarness(t, 2, defaultHarnessConfig())
	obs, _ := h.addObserver(1)
	require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
	h.run(time.Second)
	l := h.activeLeader()
	f := h.q.Voters()[(l.idx+1)%3]
	for _, cl := range []*raftClient{f.cl, obs.cl} {
		sl := &cl.slots[l.idx]
		require.Equal(t, slotInFlight, sl.phase, "a fetch is parked at the leader")
		before := sl.corr
		c := cl.conns[l.idx]
		c.Reset()
		if cl == f.cl {
			f.Disconnected(h.s, c)
		} else {
			obs.Disconnected(h.s, c)
		}
		assert.Equal(t, slotBackoff, sl.phase)
		h.run(h.cfg.RetryBackoff + time.Millisecond)
		assert.Equal(t, slotInFlight, sl.phase, "the fetch is sent again after the retry backoff")
		assert.Greater(t, sl.corr, before)
	}
	_, off := h.appendOne(0)
	h.run(time.Second)
	assert.Greater(t, len(h.listeners[f.idx].entries), int(off))
}
