package kraft

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stretchsim/stretchsim/model/units"
)

// snapshotLeader writes a snapshot of everything the active leader's listener applied.
func (h *kraftHarness) snapshotLeader() (*Voter, units.Offset) {
	h.t.Helper()
	v := h.activeLeader()
	require.NotNil(h.t, v)
	v.CreateSnapshot(h.s, v.applied, h.listeners[v.idx].image())
	return v, v.applied
}

// TestKRaftFetchBelowLogStartFetchesSnapshot checks KafkaRaftClient's answer to a fetch below the
// leader's log start offset (ReplicatedLog.validateOffsetAndEpoch): the leader names its latest
// snapshot, the observer downloads it with FetchSnapshot — its bytes cross the network — loads it
// and fetches the rest of the log from the snapshot's end. The leader's log start offset moved
// there by its retention rules (metadata.max.retention.bytes = 0: only the latest snapshot stays,
// KafkaMetadataLog.cleanSnapshotsRetentionSize), at its 60 s cleaner tick.
func TestKRaftFetchBelowLogStartFetchesSnapshot(t *testing.T) {
	cfg := defaultHarnessConfig()
	cfg.MetadataLog.RetentionBytes = 0
	h := newKraftHarness(t, 3, cfg)
	require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
	obs, olis := h.addObserver((h.activeLeader().spec.Site + 1) % 3) // in another site
	h.appendOne(0)
	h.run(time.Second)
	h.isolate(obs.node, true)
	for i := range 20 {
		h.appendOne(i + 1)
		h.run(50 * time.Millisecond)
	}
	h.run(time.Second)
	l, first := h.snapshotLeader()
	h.appendOne(100)
	h.run(time.Second)
	_, second := h.snapshotLeader()
	require.Greater(t, second, first)
	h.run(raftCleanInterval)
	require.Equal(t, second, l.log.start, "the cleaner moved the log start offset to the latest snapshot")
	require.Less(t, obs.log.end(), l.log.start, "the observer is below it")
	for i := range 5 {
		h.appendOne(200 + i)
	}
	sent := h.net.CrossSiteBytes()
	h.isolate(obs.node, false)
	h.run(5 * time.Second)

	require.Equal(t, []units.Offset{second}, olis.snapshots, "the observer loaded the leader's snapshot")
	assert.Equal(t, second, obs.log.start, "its log starts at the snapshot")
	assert.Equal(t, l.log.end(), obs.log.end(), "and fetched the rest of the log")
	assert.Equal(t, h.listeners[l.idx].entries, olis.entries, "it applied the same metadata")
	assert.False(t, olis.duplicate)
	sn, _ := l.log.latestSnapshot() // 10 KiB an entry: more than the rest of the traffic
	assert.Greater(t, h.net.CrossSiteBytes()-sent, int64(sn.bytes), "the snapshot's bytes crossed the network")
	assert.Less(t, h.net.CrossSiteBytes()-sent, int64(sn.bytes+20*units.KiB))
	assert.Empty(t, h.q.CheckInvariants(h.s))
}

// TestKRaftLogKeepsEveryEntryCompactly checks the run-length storage of the log against a naive
// list of entries: reads (with Kafka's at-least-one-entry size limit), entries, sizes and
// truncation agree, while consecutive NoOpRecords of one epoch take one run.
func TestKRaftLogKeepsEveryEntryCompactly(t *testing.T) {
	var l raftLog
	var naive []Entry
	epoch := int32(1)
	for i := range 5000 {
		var rec Record = kraftNoOp{}
		switch {
		case i%1000 == 999:
			epoch++
			rec = nil
		case i%97 == 0:
			rec = kraftTestRec{n: i, size: units.Bytes(10 + i%50)}
		}
		l.add(0, epoch, rec)
		naive = append(naive, Entry{Offset: units.Offset(i), Epoch: epoch, Rec: rec})
	}
	assert.Less(t, len(l.runs), 130, "NoOps share runs: %d runs for %d entries", len(l.runs), len(naive))
	assert.Equal(t, naive, l.view(0, l.end()).slice())
	for _, from := range []units.Offset{0, 1, 96, 97, 998, 999, 4999} {
		for _, maxBytes := range []units.Bytes{1, 40, 41, 400, 1000, 8 * units.MiB} {
			want, size := []Entry{}, units.Bytes(0)
			for _, e := range naive[from:] {
				b := raftRun{rec: e.Rec}
				size += b.entryBytes()
				if size > maxBytes && len(want) > 0 {
					break
				}
				want = append(want, e)
			}
			got := l.read(from, maxBytes)
			assert.Equal(t, want, got.slice(), "read(%d, %d)", from, maxBytes)
			assert.Equal(t, (&raftFetchResp{entries: got}).size()-raftMsgBytes, got.Bytes())
		}
	}
	l.truncateTo(2500)
	assert.Equal(t, naive[:2500], l.view(0, l.end()).slice())
	assert.Equal(t, l.bytesBetween(0, 2500), l.size(), "the segment holds what the log holds")
}

// overwrite replaces the record of a committed entry in place, as a bug would: a log that breaks
// "committed metadata never lost" without changing any epoch.
func overwrite(l *raftLog, off units.Offset, rec Record) {
	es := l.view(l.start, l.end()).slice()
	l.truncateTo(l.start)
	for _, e := range es {
		if e.Offset == off {
			e.Rec = rec
		}
		l.add(0, e.Epoch, e.Rec)
	}
}

// commitNoOps elects a leader and commits n NoOpRecords, which the log stores as one run.
func commitNoOps(t *testing.T, h *kraftHarness, n int) *Voter {
	require.True(t, h.runUntil(3*time.Second, func() bool { return h.activeLeader() != nil }))
	l := h.activeLeader()
	for range n {
		_, ok := l.Append(h.s, kraftNoOp{})
		require.True(t, ok)
		h.run(30 * time.Millisecond)
	}
	h.run(time.Second)
	require.Equal(t, l.log.end(), l.HighWatermark())
	return l
}

// TestKRaftInvariantCatchesOverwrittenCommittedEntry breaks the leader's log on purpose — a
// committed NoOpRecord in the middle of a run is replaced by another record of the same epoch —
// and checks that the checker still sees it: an observer that joins later fetches the broken
// entry and is about to apply it. Comparing epochs alone would miss it; the record hash does not.
func TestKRaftInvariantCatchesOverwrittenCommittedEntry(t *testing.T) {
	h := newKraftHarness(t, 4, defaultHarnessConfig())
	l := commitNoOps(t, h, 30)
	off := l.log.end() - 10
	overwrite(&l.log, off, kraftTestRec{n: 1, size: 40})
	h.failures = 6 // the harness must not fail on the planted violation
	h.addObserver(2)
	h.run(2 * time.Second)
	vs := h.q.invariant.violations
	require.NotEmpty(t, vs, "the overwritten entry is caught")
	assert.Equal(t, ruleCommittedKept, vs[0].Rule)
	assert.Contains(t, vs[0].Detail, fmt.Sprintf("offset %d ", off))
}

// TestKRaftInvariantCatchesLeaderWithOverwrittenEntry breaks a committed entry (same epoch,
// another record) on both followers and crashes the leader: whichever follower wins, the new leader lacks the committed entry
// (Leader Completeness), and the checker says so.
func TestKRaftInvariantCatchesLeaderWithOverwrittenEntry(t *testing.T) {
	h := newKraftHarness(t, 6, defaultHarnessConfig())
	l := commitNoOps(t, h, 30)
	off := l.log.end() - 5
	for _, v := range h.q.Voters() {
		if v != l {
			overwrite(&v.log, off, kraftTestRec{n: 2, size: 40})
		}
	}
	h.failures = 6 // the harness must not fail on the planted violation
	h.crash(l)
	require.True(t, h.runUntil(10*time.Second, func() bool { return h.activeLeader() != nil }))
	var found bool
	for _, v := range h.q.invariant.violations {
		found = found || (v.Rule == ruleCommittedKept && strings.Contains(v.Detail, "lacks offset"))
	}
	assert.True(t, found, "violations: %v", h.q.invariant.violations)
}
