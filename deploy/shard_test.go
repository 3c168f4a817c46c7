package deploy

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
)

// inShard reports whether `stretchsim sweep --shard i/n` runs run k: the rule the sweep itself
// uses (a sweep numbers its runs k = point × replications + replication; shard i runs those with
// k mod n = i).
func inShard(k, i, n int) bool { return experiments.InShard(k, i, n) }

// shard is one --shard I/N value.
type shard struct{ I, N int }

func (s shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// coverage checks that the shards, together, run every one of runs runs exactly once: that
// each is a valid I/N of one common N, and that inShard gives each run to exactly one of them.
func coverage(shards []shard, runs int) error {
	if len(shards) == 0 {
		return fmt.Errorf("no shards")
	}
	for _, s := range shards {
		if s.N != shards[0].N {
			return fmt.Errorf("shards %v and %v disagree on N", shards[0], s)
		}
		if s.I < 0 || s.I >= s.N {
			return fmt.Errorf("shard %v: I must be in 0 … N-1", s)
		}
	}
	for k := range runs {
		var by []shard
		for _, s := range shards {
			if inShard(k, s.I, s.N) {
				by = append(by, s)
			}
		}
		if len(by) != 1 {
			return fmt.Errorf("run %d of %d is run by %d shards %v, not 1", k, runs, len(by), by)
		}
	}
	return nil
}

// coverageUpTo checks coverage for every sweep size from 1 to 1,000 runs.
func coverageUpTo(shards []shard) error {
	for runs := 1; runs <= 1000; runs++ {
		if err := coverage(shards, runs); err != nil {
			return err
		}
	}
	return nil
}

// allShards returns 0/n … (n-1)/n.
func allShards(n int) []shard {
	out := make([]shard, n)
	for i := range out {
		out[i] = shard{i, n}
	}
	return out
}

// The contract itself: n shards 0 … n-1 cover any sweep, and a missing, repeated, out-of-range
// or disagreeing shard is caught, so that coverage cannot pass by checking nothing.
func TestShardCoverage(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 64} {
		assert.NoError(t, coverageUpTo(allShards(n)), "n=%d", n)
	}
	broken := map[string][]shard{
		"one missing":        {{0, 3}, {1, 3}},
		"one twice":          {{0, 3}, {1, 3}, {1, 3}, {2, 3}},
		"index N":            {{0, 2}, {1, 2}, {2, 2}},
		"N differs":          {{0, 3}, {1, 3}, {2, 4}},
		"N larger than used": {{0, 4}, {1, 4}, {2, 4}},
		"none":               nil,
	}
	for name, shards := range broken {
		assert.Error(t, coverageUpTo(shards), name)
	}
	require.NoError(t, coverage([]shard{{0, 5}, {1, 5}, {2, 5}, {3, 5}, {4, 5}}, 3),
		"more shards than runs: the extra shards get none")
}
