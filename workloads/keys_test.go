package workloads

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func keyCounts(t *testing.T, spec Spec, n int) []int {
	t.Helper()
	counts := make([]int, spec.KeyCount)
	for i, r := range records(t, spec, 5, n) {
		if !r.HasKey || r.Key >= uint64(spec.KeyCount) {
			t.Fatalf("record %d has key %d (HasKey %t), want one of %d", i, r.Key, r.HasKey, spec.KeyCount)
		}
		counts[r.Key]++
	}
	return counts
}

// Zipf keys: key 0 is the most frequent, frequencies fall with the id, and the ratio of the two
// hottest keys is 2^s (P(k) ∝ (1+k)^-s).
func TestZipfKeys(t *testing.T) {
	for _, s := range []float64{1.1, 1.5, 2} {
		spec := Spec{Process: Poisson, Rate: Rate{RecordsPerSec: 1000}, RecordSize: 100,
			Keys: ZipfKeys, KeyCount: 100, ZipfS: s}
		counts := keyCounts(t, spec, 200_000)
		for k := 1; k < len(counts); k++ {
			assert.Greater(t, counts[0], counts[k], "s=%g: key 0 must be the hottest, key %d beats it", s, k)
		}
		assert.Greater(t, counts[1], counts[10], "s=%g", s)
		assert.Greater(t, counts[10], counts[99], "s=%g", s)
		assert.InEpsilon(t, math.Pow(2, s), float64(counts[0])/float64(counts[1]), 0.05, "s=%g: P(0)/P(1) = 2^s", s)
	}
}

// Uniform keys are flat: each of 20 keys gets within 5% of its fair share of 200,000 draws (the
// standard deviation of one count is about 0.7%).
func TestUniformKeys(t *testing.T) {
	spec := Spec{Process: Constant, Rate: Rate{RecordsPerSec: 1000}, RecordSize: 100,
		Keys: UniformKeys, KeyCount: 20}
	const n = 200_000
	for k, c := range keyCounts(t, spec, n) {
		assert.InEpsilon(t, n/20, c, 0.05, "key %d", k)
	}
}

// One key: every record carries key 0.
func TestSingleKey(t *testing.T) {
	for _, kind := range []KeyKind{UniformKeys, ZipfKeys} {
		spec := Spec{Rate: Rate{RecordsPerSec: 1}, RecordSize: 1, Keys: kind, KeyCount: 1, ZipfS: 2}
		assert.Equal(t, []int{1000}, keyCounts(t, spec, 1000), "%s", kind)
	}
}

// No keys: records are unkeyed so the sticky partitioner chooses.
func TestNoKeys(t *testing.T) {
	spec := Spec{Process: Poisson, Rate: Rate{RecordsPerSec: 1000}, RecordSize: 100}
	for i, r := range records(t, spec, 1, 1000) {
		require.False(t, r.HasKey, "record %d", i)
		require.Zero(t, r.Key, "record %d", i)
	}
}
