package kraft

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchsim/stretchsim/model/units"
	"pgregory.net/rapid"
)

// raftLogOf builds a log whose entries have the given epochs.
func raftLogOf(epochs ...int32) *raftLog {
	l := &raftLog{}
	for _, e := range epochs {
		l.add(0, e, kraftTestRec{size: 10})
	}
	return l
}

// TestKRaftLogDivergence checks the fetch validation and truncation of KafkaRaftClient
// (validateOffsetAndEpoch, endOffsetForEpoch, truncateToEndOffset) on hand-made logs: a
// follower's (fetchOffset, lastFetchedEpoch) that the leader's log does not contain yields the
// largest leader epoch <= lastFetchedEpoch and its end offset, and the follower truncates to
// where both logs agree.
func TestKRaftLogDivergence(t *testing.T) {
	leader := raftLogOf(1, 1, 3, 3, 3, 4) // epochs 1: [0,2), 3: [2,5), 4: [5,6)
	for _, c := range []struct {
		name             string
		follower         []int32
		ok               bool
		divEpoch         int32
		divEnd, truncate units.Offset
	}{
		{"empty follower", nil, true, 0, 0, 0},
		{"caught up", []int32{1, 1, 3, 3, 3, 4}, true, 0, 0, 0},
		{"behind within an epoch", []int32{1, 1, 3}, true, 0, 0, 0},
		{"uncommitted tail of epoch 2", []int32{1, 1, 2, 2}, false, 1, 2, 2},
		{"longer epoch 3", []int32{1, 1, 3, 3, 3, 3, 3}, false, 3, 5, 5},
		{"epoch the leader never had", []int32{2}, false, 1, 2, 0},
		{"ahead past the leader", []int32{1, 1, 3, 3, 3, 4, 4}, false, 4, 6, 6},
	} {
		f := raftLogOf(c.follower...)
		kind, de, dend := leader.validateFetch(f.end(), f.lastEpoch())
		assert.Equal(t, c.ok, kind == fetchValid, c.name)
		if kind == fetchValid {
			continue
		}
		assert.Equal(t, c.divEpoch, de, c.name)
		assert.Equal(t, c.divEnd, dend, c.name)
		assert.Equal(t, c.truncate, f.truncateToEndOffset(de, dend), c.name)
		kind, _, _ = leader.validateFetch(f.end(), f.lastEpoch())
		assert.Equal(t, fetchValid, kind, "%s: after truncation the fetch is valid", c.name)
	}
}

// TestKRaftLogTruncateKeepsFetchedEntries checks that entries read for a fetch response never
// change when the log is truncated and appended again.
func TestKRaftLogTruncateKeepsFetchedEntries(t *testing.T) {
	l := raftLogOf(1, 1, 2, 2)
	fetched := l.read(2, raftMaxFetchBytes)
	l.truncateTo(2)
	l.add(0, 3, nil)
	l.add(0, 3, nil)
	assert.Equal(t, int32(2), fetched.slice()[0].Epoch)
	assert.Equal(t, []raftEpochStart{{1, 0}, {3, 2}}, l.index)
}

// TestKRaftHWRuleMatchesNaive compares LeaderState.maybeUpdateHighWatermark's rule (the
// ⌊n/2⌋-th largest end offset) with its definition: the largest offset that a majority of voters
// has reached.
func TestKRaftHWRuleMatchesNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 7).Draw(t, "voters")
		ends := make([]units.Offset, n)
		for i := range ends {
			ends[i] = units.Offset(rapid.Int64Range(-1, 20).Draw(t, "end"))
		}
		naive := units.Offset(-1)
		for x := units.Offset(-1); x <= 20; x++ {
			reached := 0
			for _, e := range ends {
				if e >= x {
					reached++
				}
			}
			if reached >= n/2+1 {
				naive = x
			}
		}
		var scratch []units.Offset
		if got := majorityEndOffset(ends, &scratch); got != naive {
			t.Fatalf("ends %v: rule %d, naive %d", ends, got, naive)
		}
	})
}

// TestKRaftHWNotTakenFromADivergingFetch checks KafkaRaftClient.handleFetchResponse (KIP-595):
// a follower truncates on a response that names a diverging epoch, but takes the leader's high
// watermark only from a response that does not diverge: after the truncation its log may still
// differ from the leader's below that high watermark.
func TestKRaftHWNotTakenFromADivergingFetch(t *testing.T) {
	follower := raftLogOf(1, 1, 2, 2, 2) // epoch 2 at [2,5) was never committed
	hw, ok := follower.applyFetch(0, &raftFetchResp{hw: 4, diverging: true, divEpoch: 1, divEnd: 2}, 1)
	assert.True(t, ok)
	assert.Equal(t, units.Offset(2), follower.end(), "truncated to where the logs agree")
	assert.Equal(t, units.Offset(1), hw, "the high watermark stays: the response diverged")
	hw, ok = follower.applyFetch(0, &raftFetchResp{hw: 4, entries: raftLogOf(1, 1, 3).view(2, 3)}, hw)
	assert.True(t, ok)
	assert.Equal(t, units.Offset(3), hw, "a response that appends moves it, to min(leader HW, LEO)")
}
