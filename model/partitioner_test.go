package model

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stretchsim/stretchsim/sim"
)

// TestStickyPartitionDistribution checks BuiltInPartitioner's adaptive choice (KIP-794, reference
// §5.3): partitions with a known leader are drawn with weight (longest queue + 1 - queue length),
// partitions without a leader never; with deep queues (the rejection draws mostly fail) the
// cumulative table gives the same distribution.
func TestStickyPartitionDistribution(t *testing.T) {
	queue := func(n int) sim.FIFO[*producerBatch] {
		var q sim.FIFO[*producerBatch]
		for range n {
			q.Push(nil)
		}
		return q
	}
	for _, tc := range []struct {
		name    string
		queues  []int
		leaders []BrokerID
		want    []float64
	}{
		{"shallow", []int{0, 1, 3, 0, 2}, []BrokerID{1, 1, 1, 1, -1}, []float64{4, 3, 1, 4, 0}},
		{"deep", []int{400, 0, 100}, []BrokerID{1, 1, 1}, []float64{1, 401, 301}},
		{"no leader", []int{0, 2}, []BrokerID{-1, -1}, []float64{1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Producer{rnd: sim.NewStream(1, "sticky"), meta: &clientMeta{leaders: tc.leaders}}
			for i, n := range tc.queues {
				p.deques = append(p.deques, queue(n))
				if n > 0 {
					p.nonEmpty = append(p.nonEmpty, i)
				}
			}
			const draws = 200_000
			got := make([]float64, len(tc.queues))
			for range draws {
				got[p.nextStickyPartition()]++
			}
			total := 0.0
			for _, w := range tc.want {
				total += w
			}
			for i, w := range tc.want {
				exp := w / total
				// 5 standard deviations of a binomial proportion
				tol := 5 * math.Sqrt(exp*(1-exp)/draws)
				assert.InDelta(t, exp, got[i]/draws, tol+1e-9, "partition %d", i)
			}
		})
	}
}
