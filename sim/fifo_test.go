package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFIFOKeepsOrderAcrossCompaction pushes and pops past the point where the queue moves its
// items to the front of its storage, and checks the order and the contents against a slice.
func TestFIFOKeepsOrderAcrossCompaction(t *testing.T) {
	var q FIFO[int]
	var want []int
	next := 0
	for round := range 200 {
		for range round%7 + 1 {
			q.Push(next)
			want = append(want, next)
			next++
		}
		for range round % 5 {
			if q.Len() == 0 {
				break
			}
			assert.Equal(t, want[0], *q.Front())
			q.Pop()
			want = want[1:]
		}
		assert.Equal(t, len(want), q.Len())
		assert.Equal(t, want, append([]int{}, q.All()...))
	}
	q.Reset()
	assert.Zero(t, q.Len())
}
